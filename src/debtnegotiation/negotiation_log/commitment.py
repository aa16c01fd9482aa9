r"""Salted commitments to every value of an entry (record format 2).

An entry's hash does not cover its values directly. It covers a *committed record*: the
same tree as the plain record, with every leaf value replaced by the digest of a salted
disclosure, in the manner of SD-JWT selective disclosure (RFC 9901)::

    digest = SHA-256(canonical_json([salt, path, value]))

* ``salt`` is 128 random bits in lowercase hex, one per value, drawn when the entry is
  appended and kept in the log's database next to the record;
* ``path`` is the value's JSON Pointer (RFC 6901) in the record, e.g.
  ``/contact/counterpart/phone``, so a disclosure cannot be moved to another field;
* a *leaf* is a string, number, boolean or null, an empty list or mapping, or a mapping
  whose keys are not all plain field names (such a mapping is committed as one value, so
  no key of it shows in the committed record).

A full export carries every value with its salt, so anyone recomputes every digest and
then the entry hash. A redacted export leaves a value's salt out and keeps only its
digest: the chain and every value still shown verify, and the digest of a withheld value
reveals nothing about it without the 128-bit salt, which never leaves the log. The shape
of the record (which fields exist, how many key points or offers) stays visible.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from hashlib import sha256
from json.encoder import encode_basestring
from typing import Any, Final

from debtnegotiation.negotiation_log.canonical import canonical_json, canonical_text

__all__ = [
    "COMMITTED_PARTS",
    "commit",
    "committed_hash",
    "committed_record",
    "disclosure_digest",
    "draw_salts",
    "is_salt",
    "leaves",
    "new_salt",
    "record_leaves",
]

#: The parts of a record whose values are committed; the rest (format, seq, prev_hash,
#: appended_at) stay plain in the hashed record.
COMMITTED_PARTS: Final = ("contact", "attachments")

_FIELD_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")
_SALT: Final = re.compile(r"[0-9a-f]{32}")


def new_salt() -> str:
    """Return 128 random bits as 32 lowercase hex digits (``secrets.token_hex``)."""
    return secrets.token_hex(16)


def is_salt(value: object) -> bool:
    """Whether *value* is a salt as :func:`new_salt` makes them."""
    return isinstance(value, str) and _SALT.fullmatch(value) is not None


def _pointer(parent: str, key: str | int) -> str:
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"{parent}/{token}"


def _structural(value: object) -> bool:
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, dict):
        return bool(value) and all(_FIELD_NAME.fullmatch(k) for k in value)
    return False


def leaves(tree: Any, path: str = "") -> Iterator[tuple[str, Any]]:  # noqa: ANN401
    """Yield ``(path, value)`` for every committed value of *tree*, in document order."""
    if isinstance(tree, list) and _structural(tree):
        for i, item in enumerate(tree):
            yield from leaves(item, _pointer(path, i))
    elif isinstance(tree, dict) and _structural(tree):
        for key in sorted(tree):
            yield from leaves(tree[key], _pointer(path, key))
    else:
        yield path, tree


def disclosure_digest(salt: str, path: str, value: object) -> str:
    """Return ``SHA-256(canonical_json([salt, path, value]))`` in lowercase hex."""
    return hashlib.sha256(canonical_json([salt, path, value])).hexdigest()


def commit(tree: Any, leaf: Callable[[str, Any], str], path: str = "") -> Any:  # noqa: ANN401
    """Return *tree* with each leaf replaced by ``leaf(path, value)`` (its digest)."""
    if isinstance(tree, list) and _structural(tree):
        return [commit(item, leaf, _pointer(path, i)) for i, item in enumerate(tree)]
    if isinstance(tree, dict) and _structural(tree):
        return {key: commit(item, leaf, _pointer(path, key)) for key, item in tree.items()}
    return leaf(path, tree)


def committed_record(
    record: Mapping[str, Any],
    salts: Mapping[str, str],
    withheld: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the hashed form of a format-2 *record*.

    :param record: the plain record (values of withheld paths are ignored).
    :param salts: salt of each disclosed path.
    :param withheld: digest of each path whose value is not disclosed.
    :raises KeyError: naming a path that has neither a salt nor a digest.
    """
    hidden = withheld or {}

    def leaf(path: str, value: object) -> str:
        if path in hidden:
            return hidden[path]
        return disclosure_digest(salts[path], path, value)

    result = dict(record)
    for part in COMMITTED_PARTS:
        result[part] = commit(record[part], leaf, f"/{part}")
    return result


def draw_salts(record: Mapping[str, Any]) -> dict[str, str]:
    """Draw a fresh salt for every committed value of a plain *record*."""
    return {
        path: new_salt() for part in COMMITTED_PARTS for path, _ in leaves(record[part], f"/{part}")
    }


def record_leaves(record: Mapping[str, Any]) -> dict[str, Any]:
    """Every committed value of a plain *record*, by path."""
    return {path: v for part in COMMITTED_PARTS for path, v in leaves(record[part], f"/{part}")}


# --- the hash of a parsed record, for verification ---------------------------------

#: Key tuples of mappings already checked against ``_FIELD_NAME`` (a pure function of
#: the keys, so caching it changes no answer); cleared when it grows past _SHAPES_MAX.
_SHAPES: dict[tuple[str, ...], bool] = {}
_SHAPES_MAX: Final = 4096


def _field_names(tree: dict[str, Any]) -> bool:
    keys = tuple(tree)
    known = _SHAPES.get(keys)
    if known is None:
        known = all(type(k) is str and _FIELD_NAME.fullmatch(k) is not None for k in keys)
        if len(_SHAPES) >= _SHAPES_MAX:
            _SHAPES.clear()
        _SHAPES[keys] = known
    return known


def _structural_json(value: Any) -> bool:  # noqa: ANN401
    """:func:`_structural` for parsed JSON data (exact ``dict`` and ``list``)."""
    kind = type(value)
    return bool(value) and (kind is list or (kind is dict and _field_names(value)))


def _leaf_text(value: Any) -> str:  # noqa: ANN401
    """The canonical text of a committed value (:func:`canonical_text`, common cases inline)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    return canonical_text(value)


def _committed_text(
    tree: dict[str, Any] | list[Any],
    path: str,
    salts: Mapping[str, str],
    hidden: Mapping[str, str],
    visited: list[str],
) -> str:
    """The canonical text of ``commit(tree, leaf)``, :func:`disclosure_digest` as the leaf.

    For a structural *tree* of data :func:`json.loads` returns (exact ``dict``,
    ``list``, ``str``, ``int``, ``bool``, ``None``; floats are refused by the parser),
    written directly instead of building the committed tree and encoding it:

    * structure: the same test as :func:`_structural` (a non-empty list, or a non-empty
      mapping whose keys are all field names), on the exact types the parser makes;
    * paths: a structural key is a field name (``[a-z][a-z0-9_]*``) and a list index is
      digits, so neither has a ``~`` or ``/`` to escape and ``path + "/" + key`` is
      :func:`_pointer`'s result;
    * disclosure text: ``canonical_json([salt, path, value])`` is ``[`` + the canonical
      text of each item joined by ``,`` + ``]``. A salt (32 hex digits, checked by the
      caller) and a path (field names, digits and ``/``, as above) have nothing the
      encoder escapes, so each is written as itself in quotes; the value is written as
      the encoder writes it (``encode_basestring``, the encoder's own writer, for a
      ``str``; :func:`canonical_text` for the rest); for parsed data ``to_json_value``
      is the identity, so it is skipped;
    * committed text: the canonical form of a mapping is its items sorted by key (code
      point order, as ``sorted`` orders ``str``), each ``"key":value``, joined by
      ``,`` in braces; of a list its items in order in brackets. A field name needs no
      escaping, nor does a hex digest; a withheld digest is written by
      :func:`canonical_text`.

    Leaves are handled in the loop rather than by a call each, the common leaf types
    first: this runs for every value of every entry a verification reads.
    """
    is_dict = type(tree) is dict
    parts: list[str] = []
    for key in sorted(tree) if is_dict else range(len(tree)):
        value = tree[key]  # type: ignore[index]
        here = f"{path}/{key}"
        kind = type(value)
        if kind is str:
            text = encode_basestring(value)
        elif value is None:
            text = "null"
        elif kind is list or kind is dict:
            if value and (kind is list or _field_names(value)):  # structural
                inner = _committed_text(value, here, salts, hidden, visited)
                parts.append(f'"{key}":{inner}' if is_dict else inner)
                continue
            text = canonical_text(value)
        elif kind is bool:
            text = "true" if value else "false"
        else:
            text = canonical_text(value)
        visited.append(here)
        if here in hidden:
            quoted = canonical_text(hidden[here])
        else:
            disclosure = f'["{salts[here]}","{here}",{text}]'
            quoted = f'"{sha256(disclosure.encode("utf-8")).hexdigest()}"'
        parts.append(f'"{key}":{quoted}' if is_dict else quoted)
    joined = ",".join(parts)
    return f"{{{joined}}}" if is_dict else f"[{joined}]"


def _leaf_digest(
    value: Any,  # noqa: ANN401
    here: str,
    salts: Mapping[str, str],
    hidden: Mapping[str, str],
    visited: list[str],
) -> str:
    """The digest of one committed value at path *here* (see :func:`_committed_text`)."""
    visited.append(here)
    if here in hidden:
        return hidden[here]
    disclosure = f'["{salts[here]}","{here}",{_leaf_text(value)}]'
    return hashlib.sha256(disclosure.encode("utf-8")).hexdigest()


def committed_hash(
    record: Mapping[str, Any],
    salts: Mapping[str, str],
    withheld: Mapping[str, str],
) -> tuple[str, int]:
    """Return the entry hash of a parsed format-2 *record* and how many values it commits.

    The hash is ``record_hash(committed_record(record, salts, withheld))``, computed
    without the generic conversion walk: *record* must be JSON data as
    :func:`~debtnegotiation.negotiation_log.canonical.parse_strict` returns it (the
    verifier's case) and every salt must be one :func:`is_salt` accepts (the verifier
    checks them first). The count is that of distinct value paths, each of which has a salt
    or a digest, so the caller can check that *salts* and *withheld* name exactly those.

    :raises KeyError: naming a value path with neither a salt nor a digest.
    """
    visited: list[str] = []
    committed: dict[str, str] = {}
    for part in COMMITTED_PARTS:
        value, path = record[part], f"/{part}"
        if _structural_json(value):
            committed[part] = _committed_text(value, path, salts, withheld, visited)
        else:  # the whole part is one committed value
            committed[part] = canonical_text(_leaf_digest(value, path, salts, withheld, visited))
    # The committed record's canonical text: its items sorted by key, as the encoder
    # writes a mapping, the committed parts written above and every other value as is.
    items = (
        f"{encode_basestring(key)}:{committed[key] if key in committed else canonical_text(value)}"
        for key, value in sorted(record.items())
    )
    text = "{" + ",".join(items) + "}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), len(visited)
