"""Deep checks of what a hook returns, run by the plugin host inside its per-plugin guard.

Models check their fields when they are built, but an object can still reach the host in
a state its constructor would refuse: built before a validator existed, or changed after
construction (``object.__setattr__`` on a frozen instance, a float smuggled into a
:class:`~debtnegotiation.money.Money`). So the host checks every result again before it
keeps or sorts it:

1. the **shape**: every field, at every depth, against its type annotation — compiled
   once per annotation, so a model that gains a field is checked without a change here;
2. the model's own **validators and invariants**, run again on the object as it is now;
3. what only the call can tell: a proposal's plan is in the **debt's currency**, every
   amount in it is zero or more and in whole minor units.

Each check raises :class:`~debtnegotiation.errors.ValidationError` naming the field by
its path, e.g. ``Proposal.plan.installments[3].interest.amount``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import operator
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from itertools import chain
from typing import Any, Final

import attrs

from debtnegotiation.contact_rules import ContactRules
from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding
from debtnegotiation.money import Money
from debtnegotiation.plan import Installment, Plan, UpfrontItem, UpfrontKind, Waiver, WaiverKind
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.proposal import Proposal
from debtnegotiation.text import Text

__all__ = [
    "check_contact_rules",
    "check_finding",
    "check_policy",
    "check_proposal",
    "check_shape",
]

_Check = Callable[[object], None]


class _Mismatch(Exception):  # noqa: N818 - internal signal, never escapes this module
    """A value that does not fit its annotation; ``where`` collects the path outwards."""

    def __init__(self, expected: str, value: object) -> None:
        super().__init__(expected)
        self.expected = expected
        self.value = value
        self.where: list[str] = []


def check_shape(value: object, annotation: object, field: str) -> None:
    """Check *value* against *annotation*, recursively; raise naming the field's path."""
    try:
        _checker(annotation)(value)
    except _Mismatch as bad:
        path = field + "".join(reversed(bad.where))
        raise ValidationError(path, bad.expected, bad.value) from None


def _revalidate(model: object) -> None:
    """Run the model's field validators and its ``__attrs_post_init__`` checks again."""
    attrs.validate(model)  # type: ignore[arg-type]
    post_init = getattr(model, "__attrs_post_init__", None)
    if post_init is not None:
        post_init()


def check_finding(finding: Finding) -> None:
    """Check a finding a review returned."""
    check_shape(finding, Finding, "Finding")
    _revalidate(finding)


def check_policy(policy: LenderPolicy) -> None:
    """Check a lender policy a plugin returned."""
    check_shape(policy, LenderPolicy, "LenderPolicy")
    _revalidate(policy)


def check_contact_rules(rules: ContactRules) -> None:
    """Check a contact-rule set a plugin returned."""
    check_shape(rules, ContactRules, "ContactRules")
    _revalidate(rules)


def check_proposal(proposal: Proposal, *, currency: str) -> None:
    """Check a proposal a strategy returned for a debt in *currency*."""
    check_shape(proposal, Proposal, "Proposal")
    _revalidate(proposal)
    if proposal.plan is not None:
        _check_plan(proposal.plan, currency)


_INSTALLMENT_AMOUNTS: Final = ("principal", "interest", "fee", "balance_after")
_installment_amounts: Final = operator.attrgetter(*_INSTALLMENT_AMOUNTS)
_amount_of: Final = operator.attrgetter("amount")
_currency_of: Final = operator.attrgetter("currency")


def _installments(plan: Plan) -> tuple[Installment, ...]:
    """The installments to check: none for a plan still held as integer rows.

    Only the schedule builders make those, from whole minor units of zero or more in
    the plan's currency, so they are plain by construction (and making the objects just
    to look at them would cost more than building the plan).
    """
    if plan._int_rows() is not None and "installments" not in vars(plan):
        return ()
    return plan.installments


def _plan_moneys(plan: Plan) -> list[Money]:
    moneys = [plan.principal]
    moneys.extend(chain.from_iterable(map(_installment_amounts, _installments(plan))))
    moneys.extend(map(_amount_of, plan.upfront))
    moneys.extend(map(_amount_of, plan.waivers))
    return moneys


def _check_plan(plan: Plan, currency: str) -> None:
    """Every field of the plan at every depth, and the currency and sign of every amount.

    The common case, a plain plan, costs a handful of C passes over its amounts; only
    when one fails does the field-by-field walk run, to name the culprit.
    """
    if not _plan_is_plain(plan, currency):
        try:
            _model(Plan)(plan)
        except _Mismatch as bad:
            path = "Proposal.plan" + "".join(reversed(bad.where))
            raise ValidationError(path, bad.expected, bad.value) from None
        _name_bad_amount(plan, currency)
    for upfront in plan.upfront:
        _revalidate(upfront)  # only a fee can be withheld


def _plan_is_plain(plan: Plan, currency: str) -> bool:
    """Whether every field of *plan* is exactly of its annotated type, in *currency*, >= 0.

    ``False`` also for a subclass where a class is expected; the slow walk accepts it.
    A :class:`~debtnegotiation.text.Text` label or condition (the built-in strategies'
    own, a ``str`` subclass the slow walk accepts as text) is taken here too.
    """
    items, upfront, waivers = _installments(plan), plan.upfront, plan.waivers
    if not (
        type(items) is tuple
        and type(upfront) is tuple
        and type(waivers) is tuple
        and type(plan.conditions) is tuple
        and type(plan.start) is dt.date
        and type(plan.label) in _TEXTS
        and set(map(type, items)) <= {Installment}
        and set(map(type, upfront)) <= {UpfrontItem}
        and set(map(type, waivers)) <= {Waiver}
        and set(map(type, plan.conditions)) <= _TEXTS
        and set(map(type, map(_seq_of, items))) <= {int}
        and set(map(type, map(_due_of, items))) <= {dt.date}
        and set(map(type, map(_kind_of, upfront))) <= {UpfrontKind}
        and set(map(type, map(_on_of, upfront))) <= {dt.date}
        and set(map(type, map(_withheld_of, upfront))) <= {bool}
        and set(map(type, map(_label_of, upfront))) <= _TEXTS
        and set(map(type, map(_kind_of, waivers))) <= {WaiverKind}
    ):
        return False
    moneys = _plan_moneys(plan)
    if set(map(type, moneys)) != {Money} or set(map(_currency_of, moneys)) != {currency}:
        return False
    amounts = list(map(_amount_of, moneys))
    return (
        set(map(type, amounts)) == {Decimal}
        and all(map(Decimal.is_finite, amounts))
        and min(amounts) >= 0
    )


#: The exact types of text in a plan: a plain ``str``, or the library's own ``Text``.
_TEXTS: Final = frozenset({str, Text})
_seq_of: Final = operator.attrgetter("seq")
_due_of: Final = operator.attrgetter("due")
_kind_of: Final = operator.attrgetter("kind")
_on_of: Final = operator.attrgetter("on")
_withheld_of: Final = operator.attrgetter("withheld")
_label_of: Final = operator.attrgetter("label")


def _name_bad_amount(plan: Plan, currency: str) -> None:
    _amount(plan.principal, currency, "principal")
    for i, item in enumerate(plan.installments):
        for name in _INSTALLMENT_AMOUNTS:
            _amount(getattr(item, name), currency, "installments", i, name)
    for i, upfront in enumerate(plan.upfront):
        _amount(upfront.amount, currency, "upfront", i, "amount")
    for i, waiver in enumerate(plan.waivers):
        _amount(waiver.amount, currency, "waivers", i, "amount")


def _amount(money: Money, currency: str, *where: str | int) -> None:
    """Check one amount of a plan; the path is only formatted when the check fails."""
    if money.currency == currency and money.amount >= 0:
        return
    path = "Proposal.plan" + "".join(f"[{w}]" if isinstance(w, int) else f".{w}" for w in where)
    if money.currency != currency:
        raise ValidationError(f"{path}.currency", f"the debt's currency {currency}", money)
    raise ValidationError(path, "an amount of zero or more", money)


# --- shape checkers, compiled once per annotation -------------------------------------


def _describe(annotation: object) -> str:
    if annotation is type(None):
        return "None"
    name = getattr(annotation, "__name__", None)
    return f"a {name}" if name else str(annotation)


def _exactly(kind: type, expected: str) -> _Check:
    def check(value: object) -> None:
        if type(value) is not kind:
            raise _Mismatch(expected, value)

    return check


def _int(value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Mismatch("a whole number (int)", value)


def _decimal(value: object) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise _Mismatch("a finite Decimal (never a float)", value)


def _date(value: object) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise _Mismatch("a date (datetime.date, without a time)", value)


def _money(value: object) -> None:
    # The hot path of a plan check: one call per amount, not one per field.
    if not isinstance(value, Money):
        raise _Mismatch("a Money", value)
    amount: object = value.amount  # annotated Decimal, but that is what is checked
    currency: object = value.currency
    if not isinstance(amount, Decimal) or not amount.is_finite():
        bad = _Mismatch("a finite Decimal (never a float)", amount)
        bad.where.append(".amount")
        raise bad
    if not isinstance(currency, str):
        bad = _Mismatch("an ISO 4217 code (str)", currency)
        bad.where.append(".currency")
        raise bad


def _nothing(_value: object) -> None:
    return None


def _plan(value: object) -> None:
    # In a proposal, the plan is checked with its currency by _check_plan.
    if not isinstance(value, Plan):
        raise _Mismatch("a Plan", value)


_SPECIAL: Final[dict[object, _Check]] = {
    bool: _exactly(bool, "True or False"),
    int: _int,
    Decimal: _decimal,
    dt.date: _date,
    Money: _money,
    Plan: _plan,
    Any: _nothing,
    object: _nothing,
}


@functools.cache
def _checker(annotation: object) -> _Check:
    """Compile *annotation* (a class, ``X | None``, ``tuple[X, ...]``...) to a check."""
    special = _SPECIAL.get(annotation)
    if special is not None:
        return special
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return _union(args)
    if origin is tuple:
        return _tuple(args)
    if origin is frozenset:
        return _frozenset(args[0])
    if isinstance(annotation, type) and attrs.has(annotation):
        return _model(annotation)
    if isinstance(annotation, type):
        expected = _describe(annotation)

        def instance(value: object) -> None:
            if not isinstance(value, annotation):
                raise _Mismatch(expected, value)

        return instance
    raise TypeError(f"no shape check for the annotation {annotation!r}")


def _union(args: tuple[object, ...]) -> _Check:
    rest = tuple(a for a in args if a is not type(None))
    if len(rest) == 1 and len(args) == 2:
        inner = _checker(rest[0])

        def optional(value: object) -> None:
            if value is not None:
                inner(value)

        return optional
    choices = [_checker(a) for a in args]
    expected = " or ".join(_describe(a) for a in args)

    def union(value: object) -> None:
        for choice in choices:
            try:
                choice(value)
            except _Mismatch:
                continue
            return
        raise _Mismatch(expected, value)

    return union


def _tuple(args: tuple[object, ...]) -> _Check:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _checker(args[0])
        expected = f"a tuple of {_describe(args[0])}"
        fast = _batch(args[0])

        def homogeneous(value: object) -> None:
            if not isinstance(value, tuple):
                raise _Mismatch(expected, value)
            if fast is not None and fast(value):
                return
            for i, element in enumerate(value):
                try:
                    item(element)
                except _Mismatch as bad:
                    bad.where.append(f"[{i}]")
                    raise

        return homogeneous
    items = [_checker(a) for a in args]
    fixed_expected = f"a tuple of {len(items)} items"

    def fixed(value: object) -> None:
        if not isinstance(value, tuple) or len(value) != len(items):
            raise _Mismatch(fixed_expected, value)
        for i, (check, element) in enumerate(zip(items, value, strict=True)):
            try:
                check(element)
            except _Mismatch as bad:
                bad.where.append(f"[{i}]")
                raise

    return fixed


#: Exact types a batch check accepts without looking closer (subclasses take the slow path).
_EXACT_LEAVES: Final = frozenset({str, int, bool, Decimal, dt.date})


def _batch(annotation: object) -> Callable[[tuple[object, ...]], bool] | None:
    """A C-speed check of a tuple of one model whose fields are leaves or Money.

    Returns ``True`` when every item is exactly of the model's class and every field
    value exactly of its annotated type (a finite Decimal for amounts); ``False`` sends
    the caller to the item-by-item check, which names the culprit or accepts subclasses.
    ``None`` when the model has fields of other kinds (tuples, optional models...).
    """
    if not (isinstance(annotation, type) and attrs.has(annotation)):
        return None
    hints = typing.get_type_hints(annotation)
    exact: list[tuple[Callable[[object], object], type]] = []
    decimals: list[Callable[[object], object]] = []
    for field in attrs.fields(annotation):
        kind = hints[field.name]
        if kind is Money:
            for part, part_kind in (("amount", Decimal), ("currency", str)):
                getter = operator.attrgetter(f"{field.name}.{part}")
                exact.append((getter, part_kind))
                if part_kind is Decimal:
                    decimals.append(getter)
            exact.append((operator.attrgetter(field.name), Money))
        elif kind in _EXACT_LEAVES or (isinstance(kind, type) and issubclass(kind, enum.Enum)):
            exact.append((operator.attrgetter(field.name), kind))
            if kind is Decimal:
                decimals.append(operator.attrgetter(field.name))
        else:
            return None
    model = annotation
    finite = Decimal.is_finite

    def check(items: tuple[object, ...]) -> bool:
        if not items:
            return True
        if set(map(type, items)) != {model}:
            return False
        for getter, kind in exact:
            if set(map(type, map(getter, items))) != {kind}:
                return False
        return all(all(map(finite, map(getter, items))) for getter in decimals)  # type: ignore[arg-type]

    return check


def _frozenset(arg: object) -> _Check:
    item = _checker(arg)
    expected = f"a frozenset of {_describe(arg)}"

    def members(value: object) -> None:
        if not isinstance(value, frozenset):
            raise _Mismatch(expected, value)
        for element in value:
            try:
                item(element)
            except _Mismatch as bad:
                bad.where.append(f"[{element!r}]")
                raise

    return members


@functools.cache
def _model(kind: type) -> _Check:
    hints = typing.get_type_hints(kind)
    fields = tuple((f.name, _checker(hints[f.name])) for f in attrs.fields(kind))
    expected = _describe(kind)

    def model(value: object) -> None:
        if not isinstance(value, kind):
            raise _Mismatch(expected, value)
        for name, check in fields:
            try:
                check(getattr(value, name))
            except _Mismatch as bad:
                bad.where.append(f".{name}")
                raise

    return model


# Compile the checks of every model a hook returns now, so a model whose annotations
# cannot be checked fails at import (in the test suite), never while blaming a plugin.
for _kind in (Proposal, Finding, LenderPolicy, ContactRules):
    _checker(_kind)
