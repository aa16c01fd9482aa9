"""Exact rounding of rational numbers to a number of decimal places.

Interest is computed as ``balance * annual_rate / periods`` in :class:`fractions.Fraction`
so that no intermediate quotient is rounded: 1,800.00 at 5.65 % a year is exactly 8.475 a
month, and half-up must give 8.48 (a rounded ``0.0565 / 12`` would give 8.47).
"""

from __future__ import annotations

from decimal import (
    ROUND_05UP,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
)
from fractions import Fraction

from debtnegotiation.errors import ValidationError


def round_units(value: Fraction, places: int, rounding: str) -> int:
    """Return *value* × 10**places rounded to an integer with a ``decimal`` rounding mode."""
    scaled = value * (10**places) if places >= 0 else value / (10 ** (-places))
    sign = -1 if scaled < 0 else 1
    magnitude = abs(scaled)
    whole, remainder = divmod(magnitude.numerator, magnitude.denominator)
    if remainder == 0:
        return int(sign * whole)
    twice, half = 2 * remainder, magnitude.denominator
    if rounding == ROUND_HALF_UP:
        up = twice >= half
    elif rounding == ROUND_HALF_DOWN:
        up = twice > half
    elif rounding == ROUND_HALF_EVEN:
        up = twice > half or (twice == half and whole % 2 == 1)
    elif rounding == ROUND_DOWN:
        up = False
    elif rounding == ROUND_UP:
        up = True
    elif rounding == ROUND_FLOOR:
        up = sign < 0
    elif rounding == ROUND_CEILING:
        up = sign > 0
    elif rounding == ROUND_05UP:
        up = whole % 10 in (0, 5)
    else:
        raise ValidationError("rounding", "a decimal rounding mode such as ROUND_HALF_UP", rounding)
    return int(sign * (whole + 1 if up else whole))


def round_fraction(value: Fraction, places: int, rounding: str) -> Decimal:
    """Round *value* exactly to *places* decimals and return it as a ``Decimal``."""
    return Decimal(round_units(value, places, rounding)).scaleb(-places)
