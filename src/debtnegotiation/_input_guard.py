"""Catch, and undo, a plugin's changes to the frozen objects a hook hands it.

The arguments of a hook (a :class:`~debtnegotiation.case.Case`, a proposal) are frozen
attrs objects, but ``object.__setattr__`` still writes through: one plugin changing
``case.debt.principal`` would change the status quo that every later plugin, and the
engine, sees. A deep copy for every implementation would cost more than the negotiation
itself, so :class:`Snapshot` records instead which object every slot of every object
reachable from the arguments refers to, and the host compares by identity after each
implementation. Every value is immutable or watched itself, so identity is enough — and
a float smuggled in with the same value as the Decimal it replaces is still caught.

Reading is cheap: :func:`gc.get_referents` returns the slot values of all watched
objects in one C call, and a comparison of them by identity with the recorded ones (held,
so none is freed) is another. Caches:

* a slotted class's cached properties (an installment's total, a borrower's
  affordability) are computed before the snapshot, so they are watched like fields;
* a class that is not slotted (``Case``, ``Plan``) keeps fields and caches in its
  instance dictionary, which is watched key by key: a cache filled during a call is not
  a change (it is watched from the next call on);
* a dictionary reached through a slot (a debt's memo of projections) is watched key by
  key in the same way.

When something changed, every slot and dictionary is put back as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import gc
import operator
import types
import typing
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import repeat
from typing import Any, Final

import attrs

__all__ = ["Snapshot"]

#: Types whose values are immutable and hold nothing a plugin could reach into.
_LEAVES: Final[frozenset[type]] = frozenset(
    {str, bytes, int, bool, float, Decimal, Fraction, dt.date, dt.datetime, dt.time, type(None)}
)
_GONE: Final = object()


class _Probe:
    """A marker put in every slot of a blank instance to learn the order of its slots."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


@attrs.frozen
class _Slots:
    """The slots of one slotted attrs class, in the order ``gc.get_referents`` reads them."""

    names: tuple[str, ...]
    """Every slot, fields and caches, in reading order (the type is read last)."""
    descend: tuple[int, ...]
    """Positions of the fields that may hold more objects to watch (not caches)."""
    caches: tuple[Callable[[object], object], ...]
    """Getters that compute the cached properties."""


def _is_leaf(annotation: object) -> bool:
    """Whether values of *annotation* hold nothing to watch (``tuple[str, ...]`` too)."""
    if annotation in _LEAVES:
        return True
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return True
    if typing.get_origin(annotation) in {tuple, frozenset, typing.Union, types.UnionType}:
        args = typing.get_args(annotation)
        return all(a is Ellipsis or a is type(None) or _is_leaf(a) for a in args)
    return False


_SLOTS: Final[dict[type, _Slots | None]] = {}


def _slots(kind: type) -> _Slots | None:
    """How to read a slotted attrs class, or ``None`` for anything else (not watched)."""
    try:
        return _SLOTS[kind]
    except KeyError:
        found = _SLOTS[kind] = _read_slots(kind)
        return found


_ATTRS: Final[dict[type, bool]] = {}


def _is_attrs(kind: type) -> bool:
    """``attrs.has(kind)``, asked once per class (every snapshot asks it of every value)."""
    try:
        return _ATTRS[kind]
    except KeyError:
        found = _ATTRS[kind] = attrs.has(kind)
        return found


def _read_slots(kind: type) -> _Slots | None:
    if kind in _LEAVES or not attrs.has(kind) or kind.__dictoffset__:
        return None
    declared = [
        name
        for klass in kind.__mro__
        for name in klass.__dict__.get("__slots__", ())
        if name not in {"__weakref__", "__dict__"}
    ]
    probe = object.__new__(kind)
    for i, name in enumerate(declared):
        object.__setattr__(probe, name, _Probe(i))
    names = tuple(declared[r.index] for r in gc.get_referents(probe) if isinstance(r, _Probe))
    try:
        hints = typing.get_type_hints(kind)
    except Exception:  # noqa: BLE001 - unresolvable annotations: watch every field's value
        hints = {}
    fields = {a.name for a in attrs.fields(kind)}
    descend = tuple(
        i for i, n in enumerate(names) if n in fields and not _is_leaf(hints.get(n, object))
    )
    caches = tuple(operator.attrgetter(n) for n in names if n not in fields)
    return _Slots(names, descend, caches)


class Snapshot:
    """What every slot refers to, for everything reachable from the roots."""

    __slots__ = ("_dicts", "_objects", "_referents", "_roots", "_shallow", "_widths")

    def __init__(self, *roots: object, shallow: Sequence[object] = ()) -> None:
        """Walk *roots* (attrs objects, tuples, frozensets, dicts) and record them.

        Of each object in *shallow*, only its own fields are watched, and the fields of
        the objects it holds directly (a proposal and its plan, not the installments).
        """
        self._roots = roots
        self._shallow = tuple(shallow)
        self._record()

    def _record(self) -> None:
        self._objects: list[object] = []
        self._dicts: list[tuple[str, dict[Any, object], dict[Any, object]]] = []
        seen: set[int] = set()
        stack = list(self._roots)
        while stack:
            value: Any = stack.pop()
            kind: type = type(value)
            if kind in _LEAVES or id(value) in seen:
                continue
            seen.add(id(value))
            if kind is tuple or kind is frozenset or kind is list:
                if not self._take_run(value, stack):
                    stack.extend(value)
            elif kind is dict:
                self._dicts.append(("dict", value, dict(value)))
                stack.extend(value.values())
            elif (slots := _slots(kind)) is not None:
                if slots.caches:
                    self._take_run((value,), stack)
                    continue
                self._objects.append(value)
                if slots.descend:
                    values = gc.get_referents(value)
                    stack.extend([values[p] for p in slots.descend])
            elif _is_attrs(kind):  # not slotted: fields and caches in the instance dict
                namespace = value.__dict__
                self._dicts.append((kind.__name__, namespace, dict(namespace)))
                stack.extend(namespace.values())
        for value in self._shallow:
            self._watch_shallow(value)
        # Held, so that no recorded object is freed and its id reused while watched.
        self._referents = gc.get_referents(*self._objects)
        self._widths = list(map(len, map(gc.get_referents, self._objects)))

    def _watch_shallow(self, value: object) -> None:
        if _slots(type(value)) is None:
            return
        self._objects.append(value)
        for held in gc.get_referents(value):
            if type(held) in _LEAVES:
                continue
            if _slots(type(held)) is not None:
                self._objects.append(held)
            elif _is_attrs(type(held)):
                namespace = held.__dict__
                self._dicts.append((type(held).__name__, namespace, dict(namespace)))

    def _take_run(self, items: Sequence[object] | frozenset[object], stack: list[object]) -> bool:
        """Watch a run of objects of one slotted class in a few C calls, or return False.

        The installments of a plan are the common case; the amounts they hold are
        taken as a run in turn. Objects met twice are only read twice.
        """
        if not items:
            return True
        kind = type(next(iter(items)))
        slots = _slots(kind)
        if slots is None or (len(items) > 1 and set(map(type, items)) != {kind}):
            return False
        run = list(items)
        self._objects.extend(run)
        for cache in slots.caches:  # compute caches first, so that every slot is set
            try:
                list(map(cache, run))
            except Exception:  # noqa: BLE001 - one failed: try each, leave it empty
                for item in run:
                    with contextlib.suppress(Exception):
                        cache(item)
        if slots.descend:
            width = len(slots.names) + 1
            values = gc.get_referents(*run)
            if len(values) == width * len(run):
                held = [values[i + p] for i in range(0, len(values), width) for p in slots.descend]
            else:  # a cache could not be computed: read the fields by name
                held = [getattr(item, slots.names[p]) for item in run for p in slots.descend]
            held = [h for h in held if type(h) not in _LEAVES]
            if not self._take_run(held, stack):
                stack.extend(held)
        return True

    def changes(self) -> list[str]:
        """What differs from the snapshot, e.g. ``Debt.principal``; empty when nothing."""
        changed: list[str] = []
        now = gc.get_referents(*self._objects)
        before = self._referents
        # By identity, never equality: a float equal to the Decimal it replaced is a change.
        if len(now) != len(before) or not all(map(operator.is_, now, before)):
            changed.extend(self._changed_slots())
        is_ = operator.is_
        for name, namespace, recorded in self._dicts:
            if all(map(is_, map(namespace.get, recorded, repeat(_GONE)), recorded.values())):
                continue
            changed.extend(
                f"{name}.{key}" if isinstance(key, str) else f"{name}[{key!r}]"
                for key, value in recorded.items()
                if namespace.get(key, _GONE) is not value
            )
        return changed

    def _per_object(self) -> list[tuple[object, tuple[str, ...] | None, list[object]]]:
        """Each object's recorded slot values and their names (the slow path).

        The names are ``None`` when a cache could not be computed: an empty slot is not
        read, so the values no longer line up with the names.
        """
        result = []
        position = 0
        for value, width in zip(self._objects, self._widths, strict=True):
            slots = _slots(type(value))
            assert slots is not None  # noqa: S101 - only slotted models are recorded
            names = slots.names if width == len(slots.names) + 1 else None
            result.append((value, names, self._referents[position : position + width]))
            position += width
        return result

    def _changed_slots(self) -> list[str]:
        found = []
        for value, names, recorded in self._per_object():
            now = gc.get_referents(value)
            if len(now) == len(recorded) and all(map(operator.is_, now, recorded)):
                continue
            name = type(value).__name__
            if names is None or len(now) != len(recorded):  # e.g. a slot emptied
                found.append(name)
                continue
            found.extend(
                f"{name}.{slot}"
                for slot, was, is_now in zip(names, recorded, now, strict=False)
                if was is not is_now
            )
            if now[-1] is not recorded[-1]:
                found.append(f"{name}.__class__")
        return found

    def absorb(self) -> None:
        """Watch what was added since (caches filled by a call that changed nothing)."""
        if any(len(namespace) != len(recorded) for _, namespace, recorded in self._dicts):
            self._record()

    def restore(self) -> None:
        """Put every slot and dictionary back as recorded."""
        for value, names, recorded in self._per_object():
            if type(value) is not recorded[-1]:
                object.__setattr__(value, "__class__", recorded[-1])
            if names is None:
                continue  # cannot happen for the library's models; nothing safe to do
            for slot, was in zip(names, recorded, strict=False):
                object.__setattr__(value, slot, was)
        for _name, namespace, contents in self._dicts:
            namespace.clear()
            namespace.update(contents)
