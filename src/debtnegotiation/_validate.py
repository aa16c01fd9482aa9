"""Boundary checks shared by the model classes; every failure names the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from debtnegotiation._bounds import check_int, check_number, parse_numeral
from debtnegotiation.errors import FloatNotAllowedError, ValidationError

T = TypeVar("T")


def to_decimal(field: str, value: object) -> Decimal:
    """Return *value* as an exact, finite ``Decimal``, refusing floats and junk.

    ``int``, ``Decimal`` and ``str`` numerals in the ASCII syntax of
    :data:`debtnegotiation._bounds.NUMERAL` are accepted; ``bool`` and ``float`` are not.
    Every number must be inside the bounds of :mod:`debtnegotiation._bounds` (below
    ``1e30`` in magnitude, at most 60 decimal places), so that no input asks for a
    computation on a number with thousands of digits.
    """
    if isinstance(value, float):
        raise FloatNotAllowedError(field, value)
    if isinstance(value, bool):
        raise ValidationError(field, "a decimal number as str, int or Decimal", value)
    if isinstance(value, Decimal):
        return check_number(field, value)
    if isinstance(value, int):
        return check_int(field, value)
    if isinstance(value, str):
        return parse_numeral(field, value)
    raise ValidationError(field, "a decimal number as str, int or Decimal", value)


def positive_int(field: str, value: object) -> int:
    """Check that *value* is an ``int`` (not ``bool``) greater than zero."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(field, "a whole number greater than zero", value)
    return value


def non_negative_int(field: str, value: object) -> int:
    """Check that *value* is an ``int`` (not ``bool``) of zero or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(field, "a whole number of zero or more", value)
    return value


def to_date(field: str, value: object) -> dt.date:
    """Return *value* as a ``date``; ISO strings are parsed, datetimes refused."""
    if isinstance(value, dt.datetime):
        raise ValidationError(field, "a date without a time", value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, "an ISO date YYYY-MM-DD that exists", value) from None
    raise ValidationError(field, "a date", value)


def instance_of(field: str, kind: type[T], expected: str) -> Callable[[Any, Any, T], None]:
    """Return an ``attrs`` validator that raises :class:`ValidationError` naming *field*.

    ``attrs.validators.instance_of`` raises a bare ``TypeError`` that names the attribute
    but not the class; this one raises the library's own error, like every other check.
    A ``bool`` is accepted only where a ``bool`` is expected (not for an ``int``).
    """

    def check(_instance: object, _attribute: object, value: object) -> None:
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise ValidationError(field, expected, value)

    return check


def optional_instance_of(
    field: str, kind: type[T], expected: str
) -> Callable[[Any, Any, T | None], None]:
    """Like :func:`instance_of`, but ``None`` is accepted too."""
    inner = instance_of(field, kind, expected)

    def check(instance: object, attribute: object, value: object) -> None:
        if value is not None:
            inner(instance, attribute, value)  # type: ignore[arg-type]

    return check


def tuple_of(kind: type, field: str) -> Any:  # noqa: ANN401 - attrs converter
    """An attrs converter: a list (not a string) of *kind* instances, as a tuple.

    Errors name *field* and the position of the first item of another type.
    """

    def convert(value: object) -> tuple[Any, ...]:
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise ValidationError(field, f"a list of {kind.__name__}", value)
        for i, item in enumerate(value):
            if not isinstance(item, kind):
                raise ValidationError(f"{field}[{i}]", f"a {kind.__name__}", item)
        return tuple(value)

    return convert
