"""Exact rounding of rational numbers to a number of decimal places.

Interest is computed as ``balance * annual_rate / periods`` in :class:`fractions.Fraction`
so that no intermediate quotient is rounded: 1,800.00 at 5.65 % a year is exactly 8.475 a
month, and half-up must give 8.48 (a rounded ``0.0565 / 12`` would give 8.47).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_05UP,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction
from typing import Final

from debtnegotiation.errors import ValidationError

#: Context for money arithmetic that must be exact: with the maximal precision, addition,
#: subtraction, multiplication and quantizing never round, whatever decimal context the
#: caller has set (``getcontext().prec = 6`` would otherwise turn 12,345.67 into 12,345.7).
#: Never divide in it: a non-terminating quotient would try to fill MAX_PREC digits.
EXACT: Final = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
#: Context for the few true divisions (ratios, shares): 28 significant digits, half-even,
#: the ``decimal`` default, fixed here so that results do not depend on the caller.
DIVISION: Final = Context(
    prec=28,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)


def to_units(amount: Decimal, places: int) -> int:
    """Return *amount* in whole minor units (``12.34``, 2 places → ``1234``), truncating."""
    return int(EXACT.scaleb(amount, places))


def from_units(units: int, places: int) -> Decimal:
    """Return *units* minor units as an amount with exactly *places* decimals."""
    return EXACT.scaleb(Decimal(units), -places)


def div_round(numerator: int, denominator: int, rounding: str) -> int:
    """Return ``numerator / denominator`` rounded to an integer with a ``decimal`` mode.

    Integer-only, so it is exact and cheap; *denominator* must be positive. An unknown
    *rounding* raises :class:`~debtnegotiation.errors.ValidationError` even when the
    quotient is exact, so a typo never passes unnoticed.

    >>> div_round(8475, 1000, "ROUND_HALF_UP"), div_round(8475, 1000, "ROUND_HALF_EVEN")
    (8, 8)
    >>> div_round(85, 10, "ROUND_HALF_UP"), div_round(85, 10, "ROUND_HALF_EVEN")
    (9, 8)
    """
    sign = -1 if numerator < 0 else 1
    whole, remainder = divmod(abs(numerator), denominator)
    twice = 2 * remainder
    if rounding == ROUND_HALF_UP:
        up = twice >= denominator
    elif rounding == ROUND_HALF_EVEN:
        up = twice > denominator or (twice == denominator and whole % 2 == 1)
    elif rounding == ROUND_HALF_DOWN:
        up = twice > denominator
    elif rounding == ROUND_DOWN:
        up = False
    elif rounding == ROUND_UP:
        up = remainder > 0
    elif rounding == ROUND_FLOOR:
        up = sign < 0 and remainder > 0
    elif rounding == ROUND_CEILING:
        up = sign > 0 and remainder > 0
    elif rounding == ROUND_05UP:
        up = remainder > 0 and whole % 10 in (0, 5)
    else:
        raise ValidationError("rounding", "a decimal rounding mode such as ROUND_HALF_UP", rounding)
    return sign * (whole + 1 if up else whole)


def round_units(value: Fraction, places: int, rounding: str) -> int:
    """Return *value* × 10**places rounded to an integer with a ``decimal`` rounding mode."""
    scaled = value * (10**places) if places >= 0 else value / (10 ** (-places))
    return div_round(scaled.numerator, scaled.denominator, rounding)


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def _half_even(numerator: int, denominator: int) -> int:
    whole, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    return whole + (twice > denominator or (twice == denominator and whole & 1))


def _down(numerator: int, denominator: int) -> int:
    return numerator // denominator


def _up(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


_NON_NEGATIVE: Final[dict[str, Callable[[int, int], int]]] = {
    ROUND_HALF_UP: _half_up,
    ROUND_HALF_EVEN: _half_even,
    ROUND_DOWN: _down,
    ROUND_FLOOR: _down,
    ROUND_UP: _up,
    ROUND_CEILING: _up,
}


def non_negative_rounder(rounding: str) -> Callable[[int, int], int]:
    """:func:`div_round` with *rounding* fixed, for numerators of zero or more only.

    A schedule rounds one interest amount per period, always of a balance of zero or
    more, so the common modes get a branch-free integer formula (``⌊(2n + d) ÷ 2d⌋`` is
    ``n ÷ d`` rounded half up); the others fall back to :func:`div_round`.
    """
    fast = _NON_NEGATIVE.get(rounding)
    if fast is not None:
        return fast

    def rounded(numerator: int, denominator: int) -> int:
        return div_round(numerator, denominator, rounding)

    return rounded
