r"""Canonical serialization of log records and the SHA-256 hash chain over it.

The canonical form of a record is the one byte string that every implementation must
produce from it, so an entry's hash can be recomputed by anyone, in any language:

* JSON (RFC 8259) with object keys sorted by code point and no whitespace at all
  (separators ``,`` and ``:``), encoded as UTF-8 with non-ASCII characters written as
  themselves (no ``\u`` escapes); strings are not Unicode-normalized;
* ``Decimal`` values (and therefore money amounts) as JSON *strings* exactly as
  ``str(Decimal)`` writes them (``"1200.00"`` keeps its two places); binary floats are
  refused;
* timestamps as ISO 8601 strings with their UTC offset (``2026-03-02T10:15:00+08:00``),
  dates as ``YYYY-MM-DD``; enumerations by their value;
* ``None`` as ``null``; tuples and lists as arrays.

An entry's hash is ``SHA-256(canonical(record))`` in lowercase hex, where the record
contains the hash of the previous entry
(:data:`~debtnegotiation.negotiation_log.GENESIS_HASH` for the first), so each entry
commits to the whole history before it.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, Final, TypeAlias

from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.money import Money

__all__ = [
    "GENESIS_HASH",
    "DuplicateKeyError",
    "canonical_json",
    "canonical_text",
    "parse_strict",
    "record_hash",
    "to_json_value",
]

#: The "previous hash" of the first entry of every log: 64 zeros.
GENESIS_HASH: Final = "0" * 64

#: A value that :func:`canonical_json` can serialize.
JSONValue: TypeAlias = "bool | int | str | list[JSONValue] | dict[str, JSONValue] | None"


class _NotPlain(Exception):  # noqa: N818 - an internal signal, never raised to callers
    """A value the fast path does not take as it is; the checked path then decides."""


def to_json_value(value: object, field: str = "value") -> Any:  # noqa: ANN401
    """Convert *value* to plain JSON data following the canonical rules above.

    :param value: ``None``, ``bool``, ``int``, ``str``, ``Decimal``, ``Money``, an
        aware ``datetime``, a ``date``, an enumeration member, or a list, tuple or mapping
        with ``str`` keys of those.
    :param field: the name used in error messages.
    :raises ~debtnegotiation.errors.FloatNotAllowedError: for a binary float anywhere in
        *value*.
    :raises ~debtnegotiation.errors.ValidationError: for a naive datetime, a non-``str``
        key or an unsupported type.
    """
    try:
        return _converted(value)
    except _NotPlain:
        return _checked(value, field)  # raises, naming the field (or converts an oddity)


def _converted(value: Any) -> JSONValue:  # noqa: ANN401, PLR0911
    """:func:`to_json_value` without field names, for the common case.

    Exact types only; anything else (a subclass, an enumeration, a float, a naive
    timestamp) raises _NotPlain and goes the checked way, which names the field of an
    error.
    """
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value  # type: ignore[no-any-return]
    if kind is list or kind is tuple:
        return [_converted(item) for item in value]
    if kind is dict:
        converted: dict[str, JSONValue] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            converted[key] = _converted(item)
        return converted
    if kind is Decimal:
        if not value.is_finite():
            raise _NotPlain
        return str(value)
    if kind is Money:
        return {"amount": str(value.amount), "currency": value.currency}
    if kind is dt.datetime:
        if value.utcoffset() is None:
            raise _NotPlain
        return value.isoformat()  # type: ignore[no-any-return]
    if kind is dt.date:
        return value.isoformat()  # type: ignore[no-any-return]
    if isinstance(value, enum.Enum):
        return _converted(value.value)  # as the checked path: the member's value
    raise _NotPlain


def _checked(value: object, field: str) -> Any:  # noqa: ANN401, PLR0912
    """:func:`to_json_value` the checked way: every type, and errors that name *field*."""
    result: JSONValue
    if value is None or isinstance(value, bool | int | str):
        result = value
    elif isinstance(value, float):
        raise FloatNotAllowedError(field, value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(field, "a finite number", value)
        result = str(value)
    elif isinstance(value, Money):
        result = {"amount": str(value.amount), "currency": value.currency}
    elif isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(field, "a timestamp with a time zone", value)
        result = value.isoformat()
    elif isinstance(value, dt.date):
        result = value.isoformat()
    elif isinstance(value, enum.Enum):
        result = _checked(value.value, field)
    elif isinstance(value, list | tuple):
        result = [_checked(item, f"{field}[{i}]") for i, item in enumerate(value)]
    elif isinstance(value, Mapping):
        converted: dict[str, JSONValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(field, "a mapping with str keys", key)
            converted[key] = _checked(item, f"{field}.{key}")
        result = converted
    else:
        raise ValidationError(
            field, "JSON-ready data (str, int, bool, None, Decimal, list, mapping)", value
        )
    return result


#: One encoder for every canonical text: ``json.dumps`` with arguments builds a new one
#: per call, a third of the cost of hashing a small value.
_ENCODER: Final = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


#: ``json``'s string encoder, the one ``_ENCODER`` uses for a ``str`` (``ensure_ascii=False``:
#: quotes, and escapes only for ``"``, ``\\`` and control characters).
_STRING: Final = encode_basestring


def canonical_json(value: object) -> bytes:
    """Return the canonical UTF-8 JSON bytes of *value* (see the module documentation).

    >>> canonical_json({"b": Decimal("1.50"), "a": ["x", None, True]})
    b'{"a":["x",null,true],"b":"1.50"}'
    """
    return _ENCODER.encode(to_json_value(value)).encode("utf-8")


#: The texts of the scalars and empty containers :func:`canonical_text` writes itself.
_SCALAR_TEXT: Final = {type(None): "null", list: "[]", dict: "{}"}


def canonical_text(value: JSONValue) -> str:
    """Return the canonical JSON text of plain JSON *value*, skipping the conversion walk.

    For data as :func:`parse_strict` (or :func:`json.loads` of text without fractions)
    returns it: exact ``dict`` with ``str`` keys, ``list``, ``str``, ``int``, ``bool``,
    ``None``. For such data :func:`to_json_value` returns an equal copy, so this is
    ``canonical_json(value).decode("utf-8")``; anything else is the caller's error.

    >>> canonical_text({"b": [1, None], "a": "é"})
    '{"a":"é","b":[1,null]}'
    """
    kind = type(value)
    if kind is str:
        return _STRING(value)  # type: ignore[arg-type]  # a str, by its exact type
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)  # what the encoder writes for an int
    if not value and kind in _SCALAR_TEXT:  # None, [] or {}
        return _SCALAR_TEXT[kind]
    return _ENCODER.encode(value)


def record_hash(record: Mapping[str, object]) -> str:
    """Return ``SHA-256(canonical_json(record))`` as 64 lowercase hex digits."""
    return hashlib.sha256(canonical_json(record)).hexdigest()


class DuplicateKeyError(ValueError):
    """A JSON object names the same key twice (last-wins parsing would hide the first)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(f"duplicate key {key!r} in a JSON object")
        result[key] = value
    return result


def _no_float(text: str) -> Any:  # noqa: ANN401
    raise ValueError(f"a binary number {text!r} where the canonical form has none")


def parse_strict(text: str | bytes) -> Any:  # noqa: ANN401
    """Parse JSON as the canonical form allows it.

    No duplicate keys, no fractions or exponents (decimals are strings), no ``NaN`` or
    ``Infinity``.

    :raises ValueError: naming what is wrong (:class:`DuplicateKeyError` for a key given
        twice).
    """
    return json.loads(
        text,
        object_pairs_hook=_no_duplicates,
        parse_float=_no_float,
        parse_constant=_no_float,
    )
