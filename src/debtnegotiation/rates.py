"""Interest-rate quotes and their conversions, with the day-count convention always stated.

Lenders quote the same price in different units: an annual nominal rate, a monthly rate, a
daily rate (万五 = 0.05 % a day) or a flat monthly fee on the original principal. These
are *not* interchangeable without a convention, so a :class:`InterestRate` carries its
unit and, for daily rates, whether a year has 360 or 365 days (Chinese sources use both; the
vector ``CN-DERIVED-DAILY-RATE``: 0.05 % a day is 18.25 % x365, 18.00 % x360 and
20.0159 % compounded daily over 365 days).

Periodic rates are exact :class:`fractions.Fraction` values whenever the conversion is
rational, so interest can be computed as ``balance * annual / 12`` without an early
rounding. Only the effective-to-nominal direction needs a root and is computed in
``Decimal`` to 28 significant digits.
"""

from __future__ import annotations

import enum
import functools
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from fractions import Fraction
from typing import Final

import attrs

from debtnegotiation._bounds import MAX_RATE
from debtnegotiation._exact import EXACT
from debtnegotiation._validate import instance_of, optional_instance_of, positive_int, to_decimal
from debtnegotiation.errors import ValidationError

__all__ = ["DayCount", "FlatMonthlyFee", "InterestRate", "RateUnit"]

#: Context of the conversions that need a root or a power (28 significant digits), fixed
#: so that results do not depend on the caller's decimal context.
_POWERS = Context(prec=28, rounding=ROUND_HALF_EVEN)


class RateUnit(enum.Enum):
    """The unit in which a rate is quoted."""

    ANNUAL_NOMINAL = "annual-nominal"
    """A nominal annual rate; the periodic rate is the annual rate divided by periods."""
    ANNUAL_EFFECTIVE = "annual-effective"
    """An effective annual rate; compounding the periodic rate gives this over a year."""
    MONTHLY = "monthly"
    """A rate per month (月利率)."""
    DAILY = "daily"
    """A rate per day (日利率); needs a :class:`DayCount` to become annual."""


class DayCount(enum.Enum):
    """How many days a year has when a daily rate is annualised (x360 or x365)."""

    X360 = 360
    X365 = 365

    @property
    def days(self) -> int:
        """Days in the conventional year."""
        return self.value


#: What a rate value must be: zero or more, and at most MAX_RATE (10,000 %) in its unit.
_RATE_EXPECTED: Final = f"a rate of zero or more and at most {MAX_RATE} (10,000 %)"


def _rate_value(value: object) -> Decimal:
    result = to_decimal("InterestRate.value", value)
    if not 0 <= result <= MAX_RATE:
        raise ValidationError("InterestRate.value", _RATE_EXPECTED, value)
    return result


@attrs.frozen(kw_only=True)
class InterestRate:
    """A rate as quoted: its value as a fraction (``0.0005`` for 0.05 %) and its unit.

    >>> daily = InterestRate.daily("0.0005", DayCount.X365)
    >>> daily.annual_nominal(), daily.annual_effective().quantize(Decimal("0.000001"))
    (Decimal('0.1825'), Decimal('0.200159'))
    >>> InterestRate.annual("0.0565").monthly()
    Fraction(113, 24000)
    """

    value: Decimal = attrs.field(converter=_rate_value)
    unit: RateUnit = attrs.field(validator=instance_of("InterestRate.unit", RateUnit, "a RateUnit"))
    day_count: DayCount | None = attrs.field(
        default=None,
        validator=optional_instance_of(
            "InterestRate.day_count", DayCount, "DayCount.X360 or DayCount.X365"
        ),
    )

    def __attrs_post_init__(self) -> None:
        """A daily rate without its day count would be ambiguous by 1.4 %."""
        if self.unit is RateUnit.DAILY and self.day_count is None:
            raise ValidationError(
                "InterestRate.day_count", "DayCount.X360 or DayCount.X365 for a daily rate", None
            )

    @classmethod
    def annual(cls, value: Decimal | str | int) -> InterestRate:
        """A nominal annual rate, e.g. ``InterestRate.annual("0.1825")``."""
        return cls(value=value, unit=RateUnit.ANNUAL_NOMINAL)

    @classmethod
    def effective(cls, value: Decimal | str | int) -> InterestRate:
        """An effective annual rate."""
        return cls(value=value, unit=RateUnit.ANNUAL_EFFECTIVE)

    @classmethod
    def per_month(cls, value: Decimal | str | int) -> InterestRate:
        """A monthly rate, e.g. ``InterestRate.per_month("0.006")``."""
        return cls(value=value, unit=RateUnit.MONTHLY)

    @classmethod
    def daily(cls, value: Decimal | str | int, day_count: DayCount) -> InterestRate:
        """A daily rate with the day count that annualises it."""
        return cls(value=value, unit=RateUnit.DAILY, day_count=day_count)

    @classmethod
    def zero(cls) -> InterestRate:
        """No interest."""
        return cls(value=Decimal(0), unit=RateUnit.ANNUAL_NOMINAL)

    def annual_nominal(self) -> Decimal:
        """The nominal annual rate (simple annualisation: daily × days, monthly × 12)."""
        if self.unit is RateUnit.ANNUAL_NOMINAL:
            return self.value
        if self.unit is RateUnit.MONTHLY:
            return EXACT.multiply(self.value, 12)
        if self.unit is RateUnit.DAILY:
            assert self.day_count is not None  # noqa: S101 - guaranteed by __attrs_post_init__
            return EXACT.multiply(self.value, self.day_count.days)
        # Effective → nominal with monthly compounding: 12 × ((1 + e)^(1/12) − 1).
        with localcontext(_POWERS):
            return 12 * ((1 + self.value) ** (Decimal(1) / 12) - 1)

    def annual_effective(self) -> Decimal:
        """The effective annual rate: monthly rates compound 12 times, daily rates 365/360."""
        with localcontext(_POWERS):
            if self.unit is RateUnit.ANNUAL_EFFECTIVE:
                return self.value
            if self.unit is RateUnit.DAILY:
                assert self.day_count is not None  # noqa: S101 - guaranteed by __attrs_post_init__
                return (1 + self.value) ** self.day_count.days - 1
            monthly = self.value if self.unit is RateUnit.MONTHLY else self.value / 12
            return (1 + monthly) ** 12 - 1

    def periodic(self, periods_per_year: int) -> Fraction:
        """The exact rate per period for *periods_per_year* equal periods (nominal split).

        A monthly or daily quote is first annualised by simple multiplication, then split;
        an effective annual rate is converted to the equivalent compound periodic rate.
        """
        return _periodic(self, positive_int("periods_per_year", periods_per_year))

    def monthly(self) -> Fraction:
        """The exact monthly rate (nominal split of the annual rate)."""
        return self.periodic(12)

    def for_days(self, days: int) -> Fraction:
        """Simple interest factor for *days* days (``annual × days / day count``).

        Annual and monthly quotes without a day count use ACT/365.
        """
        if self.unit is RateUnit.DAILY:
            return Fraction(self.value) * days
        year = (self.day_count or DayCount.X365).days
        return Fraction(self.annual_nominal()) * days / year


@functools.lru_cache(maxsize=256)
def _periodic(rate: InterestRate, periods_per_year: int) -> Fraction:
    """:meth:`InterestRate.periodic`, cached: rates are frozen and schedules ask often."""
    if rate.unit is RateUnit.MONTHLY and periods_per_year == 12:
        return Fraction(rate.value)
    if rate.unit is RateUnit.ANNUAL_EFFECTIVE:
        with localcontext(_POWERS):
            return Fraction((1 + rate.value) ** (Decimal(1) / periods_per_year) - 1)
    return Fraction(rate.annual_nominal()) / periods_per_year


def _fee_rate(value: object) -> Decimal:
    result = to_decimal("FlatMonthlyFee.rate", value)
    if not 0 <= result <= MAX_RATE:
        raise ValidationError("FlatMonthlyFee.rate", _RATE_EXPECTED, value)
    return result


@attrs.frozen
class FlatMonthlyFee:
    """A fee charged every month on the *original* principal (Chinese card 分期手续费).

    ``0.60 %`` a month over 12 months looks like 7.2 % a year, but the borrower holds less
    principal each month, so its true annual rate is about 13.03 % (vector
    ``CN-ICBC-12x0.60``, ICBC's instalment page). Use :func:`debtnegotiation.apr.annual_rate` on
    the plan, never :meth:`naive_annual`, to state its cost.
    """

    rate: Decimal = attrs.field(converter=_fee_rate)

    def naive_annual(self) -> Decimal:
        """The misleading ``rate × 12`` figure, kept only to show how far off it is."""
        return EXACT.multiply(self.rate, 12)
