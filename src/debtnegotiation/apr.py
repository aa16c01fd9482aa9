"""Annual percentage rates of dated cash flows, under the convention a regulator names.

One loan has several "annual rates": US Regulation Z discloses a *nominal* rate built from
unit periods, the EU Consumer Credit Directive an *effective* rate over calendar time,
Chinese lenders print twelve times the monthly IRR labelled *simple* (单利), and XIRR
counts every day as 1/365 of a year. The same cash flows give answers that differ by 0.4
to 4 points, and by 17 to 19 points on a short single-payment settlement
(:doc:`/concepts/annual-rates`), so :func:`annual_rate` has no default regime: the caller
always names one.

Sign convention (:class:`~debtnegotiation.cashflow.CashFlow`): a positive amount is money
the borrower receives (an advance), a negative one a payment. Fees withheld at drawdown
reduce the advance; flows on the same date are netted before solving.

**Precision.** Inputs are exact ``Decimal`` values. They are converted once to binary
floats, the root is found by a float Newton iteration and certified by a sign change of
the NPV within ``1e-11 * (1 + |i|)`` of it (see ``debtnegotiation._solver``), and every
reported rate is returned as a ``Decimal`` rounded to :data:`SIGNIFICANT_DIGITS`
significant digits and at most :data:`DECIMAL_PLACES` decimal places. That is ample for
the published vectors (the tightest, Excel's XIRR example, is checked at 5e-9) and keeps
a 25-flow plan to about 0.1 ms in pure Python (2.2 to 2.6 times a bare float Newton iteration).
Solving in ``Decimal`` throughout would cost orders of magnitude more time (fractional
powers) for digits no disclosure uses. Repaying exactly what was lent gives exactly 0.

**Search interval.** The periodic rate is searched above -0.99 (near -100 % a period) and
up to the rate whose headline annual figure is 1,000,000 % a year: the pyxirr vectors
reach 878 % (pyxirr's test suite) and a payday loan of 15 % for 14 days is about
3,700 % effective. A rate outside that interval (a rate above it is reported as such),
a cash-flow pattern with no rate, or one with several raises
:class:`~debtnegotiation.errors.NoUniqueRateError`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import math
import operator
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Final, NamedTuple, ParamSpec, Protocol, TypeVar, cast, runtime_checkable

import attrs

from debtnegotiation import _solver
from debtnegotiation._context import in_library_context
from debtnegotiation._exact import EXACT
from debtnegotiation._validate import non_negative_int, to_decimal
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.errors import NoUniqueRateError, ValidationError
from debtnegotiation.plan import Plan
from debtnegotiation.schedule_dates import (
    add_months,
    is_whole_months_apart,
    month_difference,
    whole_months_back,
)

__all__ = [
    "DECIMAL_PLACES",
    "SIGNIFICANT_DIGITS",
    "AnnualRate",
    "HasCashFlows",
    "NoSignChangeError",
    "PeriodKind",
    "RateBasis",
    "Regime",
    "RootRule",
    "UnitPeriod",
    "annual_rate",
    "periodic_rate",
]

#: Significant digits of every rate returned (periodic, annual, effective).
SIGNIFICANT_DIGITS: Final = 10
#: Decimal places kept at most. The solver certifies about 1e-11 absolute, so a rate
#: of 0 % is returned as ``0``, not as floating-point noise such as ``8.3E-16``.
DECIMAL_PLACES: Final = 12

_ROUND: Final = Context(prec=SIGNIFICANT_DIGITS)
_QUANTUM: Final = Decimal(1).scaleb(-DECIMAL_PLACES)
#: The lowest leading-digit exponent at which a ``_ROUND`` result has no digit to cap.
_FINE_FROM: Final = SIGNIFICANT_DIGITS - 1 - DECIMAL_PLACES

#: Lower end of the search interval for the rate per solving period.
_LOWEST_PERIODIC: Final = -0.99
#: Upper end of the search interval, as the headline annual rate (1,000,000 % a year):
#: high enough for payday loans (15 % for 14 days is about 3,700 % a year effective).
_HIGHEST_ANNUAL: Final = 10_000.0

#: Reg Z tolerances as fractions: 1/8 point regular, 1/4 point irregular (12 CFR
#: 1026.22(a)(2) and (a)(3); vectors US-REGZ-TOL-22A2-REGULAR, US-REGZ-TOL-22A3-IRREGULAR).
_REGZ_TOLERANCE: Final = Decimal("0.00125")
_REGZ_TOLERANCE_IRREGULAR: Final = Decimal("0.0025")


class NoSignChangeError(NoUniqueRateError, ValidationError):
    """The cash flows are all of one sign: nothing was lent, or nothing was repaid.

    It is both a :class:`~debtnegotiation.errors.NoUniqueRateError` (no rate exists) and a
    :class:`~debtnegotiation.errors.ValidationError` naming the field ``flows``.
    """


class Regime(enum.Enum):
    """The rule that turns cash flows into an annual rate; there is deliberately no default."""

    #: US Regulation Z (12 CFR 1026 Appendix J, actuarial method). Unit periods, odd days
    #: as simple interest, nominal APR = w x i, with the 1026.22 tolerance.
    US_REG_Z = "US-RegZ"
    #: EU Consumer Credit Directive 2008/48/EC Annex I (same equation in 98/7/EC and the
    #: MCD). Effective annual rate; time in whole months (or weeks) plus odd days / 365 or 366.
    EU_CCD = "EU-CCD"
    #: China, PBOC Announcement [2021] No. 3. 12 x monthly IRR, labelled
    #: 近似折算年化利率(单利); the effective form (1 + i)^12 - 1 is carried alongside.
    CN_PBOC = "CN-PBOC"
    #: Excel and pyxirr XIRR. Effective annual rate, time = days / 365 even in leap years.
    XIRR = "XIRR"


class RootRule(enum.Enum):
    """What :func:`periodic_rate` does when several rates balance the flows."""

    #: Refuse with :class:`~debtnegotiation.errors.NoUniqueRateError`, listing the rates:
    #: no single rate describes such flows (the default).
    UNIQUE = "unique"
    #: Return the rate nearest zero, as numpy-financial's ``irr`` does (its documented
    #: rule since 1.0): a convention, not a property of the flows; say so when shown.
    NEAREST_ZERO = "nearest-zero"


class RateBasis(enum.Enum):
    """How a periodic rate was turned into an annual one."""

    #: Periodic rate times periods per year, no compounding (Reg Z APR).
    NOMINAL = "nominal"
    #: Compounded to a year, (1 + i)^w - 1 (EU APRC, XIRR).
    EFFECTIVE = "effective"
    #: Periodic rate times periods per year, labelled simple interest (单利, CN banks).
    SIMPLE = "simple"


class PeriodKind(enum.Enum):
    """The calendar unit a :class:`UnitPeriod` counts."""

    DAY = "day"
    WEEK = "week"
    SEMIMONTH = "semimonth"
    MONTH = "month"
    YEAR = "year"


_MAX_COUNT: Final = {
    PeriodKind.DAY: 366,
    PeriodKind.WEEK: 52,
    PeriodKind.SEMIMONTH: 1,
    PeriodKind.MONTH: 11,
    PeriodKind.YEAR: 1,
}


def _check_count(instance: UnitPeriod, attribute: attrs.Attribute[int], value: int) -> None:
    non_negative_int(f"UnitPeriod.{attribute.name}", value)
    highest = _MAX_COUNT[instance.kind]
    if not 1 <= value <= highest:
        raise ValidationError(
            f"UnitPeriod.{attribute.name}",
            f"a whole number from 1 to {highest} for a {instance.kind.value} unit period",
            value,
        )


@attrs.frozen
class UnitPeriod:
    """A unit period: the common period of a transaction, as Appendix J (b)(4) defines it.

    Multiples are allowed as the appendix allows them: 1 to 52 weeks, 1 to 11 months.
    A single-advance, single-payment transaction uses its own term as the unit period,
    so a day count up to 366 is allowed too (Appendix J (b)(5)(vi)-(vii)).

    >>> UnitPeriod.week(4).periods_per_year
    Decimal('13')
    >>> str(UnitPeriod.month(2)), UnitPeriod.month(2).periods_per_year
    ('2 months', Decimal('6'))
    """

    kind: PeriodKind = attrs.field(validator=attrs.validators.instance_of(PeriodKind))
    count: int = attrs.field(default=1, validator=_check_count)

    @classmethod
    def day(cls, count: int = 1) -> UnitPeriod:
        """Return a unit of *count* days (365 / count periods a year)."""
        return cls(PeriodKind.DAY, count)

    @classmethod
    def week(cls, count: int = 1) -> UnitPeriod:
        """Return a unit of *count* weeks (52 / count periods a year)."""
        return cls(PeriodKind.WEEK, count)

    @classmethod
    def semimonth(cls) -> UnitPeriod:
        """Return the semimonth (24 periods a year)."""
        return cls(PeriodKind.SEMIMONTH)

    @classmethod
    def month(cls, count: int = 1) -> UnitPeriod:
        """Return a unit of *count* months (12 / count periods a year)."""
        return cls(PeriodKind.MONTH, count)

    @classmethod
    def year(cls) -> UnitPeriod:
        """Return the year (one period a year)."""
        return cls(PeriodKind.YEAR)

    @property
    @in_library_context
    def periods_per_year(self) -> Decimal:
        """``w`` of Appendix J (b)(5): 365/days, 52/weeks, 24, 12/months or 1."""
        return _PER_YEAR[self.kind] / Decimal(self.count)

    def __str__(self) -> str:
        """Say the unit in words, e.g. ``4 weeks``."""
        if self.kind is PeriodKind.SEMIMONTH:
            return "semimonth"
        name = self.kind.value
        return f"{self.count} {name}" if self.count == 1 else f"{self.count} {name}s"


_PER_YEAR: Final = {
    PeriodKind.DAY: Decimal(365),
    PeriodKind.WEEK: Decimal(52),
    PeriodKind.SEMIMONTH: Decimal(24),
    PeriodKind.MONTH: Decimal(12),
    PeriodKind.YEAR: Decimal(1),
}

_LABELS: Final = {
    Regime.US_REG_Z: "APR (Regulation Z, nominal)",
    Regime.EU_CCD: "APRC (EU Annex I, effective)",
    Regime.CN_PBOC: "近似折算年化利率(单利)",
    Regime.XIRR: "XIRR (ACT/365F, effective)",
}


@attrs.frozen(kw_only=True)
class AnnualRate:
    """An annual rate with everything needed to read it correctly.

    :param regime: the convention it was computed under.
    :param rate: the headline annual rate as a fraction (``0.0969`` for 9.69 %), nominal,
        effective or simple as ``basis`` says.
    :param basis: how ``periodic_rate`` became ``rate``.
    :param periodic_rate: the rate per ``unit_period``. For the effective regimes it
        is the compound equivalent ``(1 + rate) ** (1 / periods_per_year) - 1``.
    :param unit_period: the period time is counted in (Reg Z unit period, EU counting
        period, a month for CN, 365 days for XIRR).
    :param periods_per_year: ``w``: 12 for months, 13 for four weeks, 365/255 for a
        single payment after 255 days.
    :param effective_rate: ``(1 + periodic_rate) ** periods_per_year - 1``. Equal to
        ``rate`` for the effective regimes; for CN it is the compound form banks do not
        print; for Reg Z it is a comparison figure only, never a disclosure.
    :param tolerance: Reg Z only: the accuracy tolerance as a fraction, 0.00125 (1/8
        point) or 0.0025 (1/4 point) for an irregular transaction (12 CFR 1026.22(a)).
    :param irregular: Reg Z only: multiple advances, irregular payment periods, or
        irregular payment amounts other than the first or final payment.
    """

    regime: Regime
    rate: Decimal
    basis: RateBasis
    periodic_rate: Decimal
    unit_period: UnitPeriod
    periods_per_year: Decimal
    effective_rate: Decimal
    tolerance: Decimal | None = None
    irregular: bool | None = None

    @property
    @in_library_context
    def percent(self) -> Decimal:
        """The headline rate in percent (``rate * 100``), unrounded."""
        return self.rate.scaleb(2)

    @property
    def label(self) -> str:
        """How a disclosure names this figure, e.g. ``近似折算年化利率(单利)`` for CN."""
        return _LABELS[self.regime]

    @in_library_context
    def rounded_percent(self, places: int = 2) -> Decimal:
        """The headline rate in percent, rounded half up to *places* decimals.

        Half up is the EU Annex I rule (remark (d)) and what disclosures print.
        """
        non_negative_int("places", places)
        return self.percent.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    @in_library_context
    def within_tolerance(self, disclosed_percent: Decimal | str | int) -> bool:
        """Say whether a disclosed APR, in percent, is accurate under 12 CFR 1026.22(a).

        Only Regulation Z defines a tolerance; Directive 2008/48/EC Annex I has none.

        :param disclosed_percent: the APR as printed, e.g. ``"9.57"`` for 9.57 %.
        :raises ~debtnegotiation.errors.ValidationError: for a regime other than
            :attr:`Regime.US_REG_Z`.
        """
        disclosed = to_decimal("disclosed_percent", disclosed_percent)
        if self.tolerance is None:
            raise ValidationError(
                "regime",
                "Regime.US_REG_Z (only Regulation Z defines a disclosure tolerance)",
                self.regime,
            )
        return abs(disclosed.scaleb(-2) - self.rate) <= self.tolerance


@runtime_checkable
class HasCashFlows(Protocol):
    """Anything that can list its dated cash flows, such as a repayment plan."""

    def cash_flows(self) -> Sequence[CashFlow]:
        """Return the flows seen from the borrower (positive = received)."""
        ...  # pragma: no cover


# --- calendar arithmetic --------------------------------------------------------------
# Months are counted by debtnegotiation.schedule_dates; what stays here is Annex I's year.


def _year_length(last_day: dt.date) -> int:
    """Days in the year counted back from *last_day* to the same day a year before.

    2008/48/EC Annex I remark (c)(iii): 366 when that year contains 29 February.
    """
    return (last_day - add_months(last_day, -12)).days


# --- unit periods ---------------------------------------------------------------------


_UnitKey = tuple[PeriodKind, int]


def _interval_units(earlier: dt.date, later: dt.date) -> list[_UnitKey]:
    """The common periods one interval matches (Appendix J (b)(4)), as (kind, count)."""
    days = (later - earlier).days
    units: list[_UnitKey] = []
    if days == 1:
        units.append((PeriodKind.DAY, 1))
    if days % 7 == 0 and 1 <= days // 7 <= 52:
        units.append((PeriodKind.WEEK, days // 7))
    if 13 <= days <= 16:
        # Half a month: 1st -> 16th -> 1st, or 15th -> month end -> 15th.
        units.append((PeriodKind.SEMIMONTH, 1))
    months = month_difference(earlier, later)
    # The same day of the month is whole months apart; only other days need the rule.
    if 1 <= months <= 12 and (
        later.day == earlier.day or is_whole_months_apart(earlier, later, months)
    ):
        units.append((PeriodKind.YEAR, 1) if months == 12 else (PeriodKind.MONTH, months))
    return units


def _approximate_days(key: _UnitKey) -> float:
    """Length in days, used only to order units (ties go to the smaller unit)."""
    return 365.0 / float(_PER_YEAR[key[0]]) * key[1]


def _average_unit(dates: Sequence[dt.date]) -> UnitPeriod:
    """Appendix J (b)(4)(i)(B): no common period, so round the average period.

    The average is rounded to the nearest whole number of the largest standard unit
    (day, week, month, year) that fits in it; a midway value goes to the smaller one.
    """
    average = (dates[-1] - dates[0]).days / (len(dates) - 1)
    if average >= 365:
        return UnitPeriod.year()
    if average >= 365 / 12:
        months = max(1, math.ceil(average / (365 / 12) - 0.5))
        return UnitPeriod.year() if months >= 12 else UnitPeriod.month(months)
    if average >= 7:
        return UnitPeriod.week(max(1, math.ceil(average / 7 - 0.5)))
    return UnitPeriod.day()


def _single_payment_unit(start: dt.date, end: dt.date) -> UnitPeriod:
    """Appendix J (b)(4)(ii), (b)(5)(vi)-(vii): the term, but at most a year."""
    months = month_difference(start, end)
    if 1 <= months < 12 and is_whole_months_apart(start, end, months):
        return UnitPeriod.month(months)
    if end < add_months(start, 12):
        return UnitPeriod.day((end - start).days)
    return UnitPeriod.year()


def _interval_keys(dates: Sequence[dt.date]) -> list[list[_UnitKey]]:
    return [_interval_units(earlier, later) for earlier, later in itertools.pairwise(dates)]


def _infer_unit(dates: Sequence[dt.date], intervals: Sequence[Sequence[_UnitKey]]) -> UnitPeriod:
    """Appendix J (b)(4): the most frequent common period, ties to the smaller."""
    if len(dates) == 2:
        return _single_payment_unit(dates[0], dates[1])
    counts: dict[_UnitKey, int] = {}
    for keys in intervals:
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return _average_unit(dates)
    kind, count = min(counts, key=lambda key: (-counts[key], _approximate_days(key)))
    return UnitPeriod(kind, count)


# --- time measurement per regime ------------------------------------------------------


def _reg_z_time(start: dt.date, day: dt.date, unit: UnitPeriod) -> tuple[int, float]:
    """Whole unit periods ``t`` and odd fraction ``f`` (Appendix J (b)(5))."""
    kind = unit.kind
    if kind is PeriodKind.DAY or kind is PeriodKind.WEEK:
        # (b)(5)(iv) and the single-payment term in days: actual days.
        per = unit.count if kind is PeriodKind.DAY else 7 * unit.count
        whole, odd = divmod((day - start).days, per)
        return whole, odd / per
    months, odd_days = whole_months_back(start, day)
    if kind is PeriodKind.YEAR:
        # (b)(5)(v): whole years back; then months / 12, or days / 365.
        years, rest = divmod(months, 12)
        if odd_days == 0:
            return years, rest / 12
        anchor = add_months(day, -12 * years)
        return years, max((anchor - start).days, 0) / 365
    # (b)(5)(ii)-(iii): 30 days a month, then divide by 15 or 30 x months.
    per = 15 if kind is PeriodKind.SEMIMONTH else 30 * unit.count
    whole, odd = divmod(30 * months + odd_days, per)
    return whole, odd / per


def _eu_time(start: dt.date, day: dt.date, counting: PeriodKind) -> float:
    """Years from *start* to *day*: whole periods counted back, then odd days / 365 or 366."""
    if counting is PeriodKind.WEEK:
        weeks, odd_days = divmod((day - start).days, 7)
        if odd_days == 0:
            return weeks / 52
        return weeks / 52 + odd_days / _year_length(day - dt.timedelta(weeks=weeks))
    months, odd_days = whole_months_back(start, day)
    if counting is PeriodKind.MONTH:
        if odd_days == 0:
            return months / 12
        return months / 12 + odd_days / _year_length(add_months(day, -months))
    years = months // 12
    anchor = add_months(day, -12 * years)
    odd_days = max((anchor - start).days, 0)
    if odd_days == 0:
        return float(years)
    return years + odd_days / _year_length(anchor)


def _cn_time(start: dt.date, day: dt.date) -> float:
    """Months from *start* to *day*: whole months counted back, odd days / 30."""
    months, odd_days = whole_months_back(start, day)
    return months + odd_days / 30


def _eu_counting(unit: UnitPeriod) -> UnitPeriod:
    """The EU counting period for a unit: weeks, months, or years (calendar basis)."""
    if unit.kind is PeriodKind.WEEK:
        return _WEEK_UNIT
    if unit.kind is PeriodKind.DAY or unit.kind is PeriodKind.YEAR:
        return _YEAR_UNIT
    return _MONTH_UNIT


def _eu_default_unit(dates: Sequence[dt.date]) -> UnitPeriod:
    if len(dates) == 2:
        start, end = dates
        months = month_difference(start, end)
        if months >= 1 and is_whole_months_apart(start, end, months):
            return UnitPeriod.month()
        if (end - start).days % 7 == 0:
            return UnitPeriod.week()
        return UnitPeriod.month()
    return _infer_unit(dates, _interval_keys(dates))


# --- inputs ---------------------------------------------------------------------------


def _flows_of(flows: object) -> Sequence[object]:
    if isinstance(flows, Sequence) and not isinstance(flows, str | bytes):
        return flows
    method = getattr(flows, "cash_flows", None)
    if callable(method):
        listed = method()
        if isinstance(listed, Sequence) and not isinstance(listed, str | bytes):
            return listed
        raise ValidationError("flows.cash_flows()", "a sequence of CashFlow", listed)
    raise ValidationError(
        "flows", "a sequence of CashFlow or an object with a cash_flows() method", flows
    )


class _Flows(NamedTuple):
    """Netted flows in date order, zero nets dropped: dates, exact amounts, their floats.

    Tuples: a plan keeps its netted flows for every rate asked of it (:func:`annual_rate`).
    """

    dates: tuple[dt.date, ...]
    exact: tuple[Decimal, ...]
    floats: tuple[float, ...]


def _netted(flows: object) -> _Flows:
    """Validate the flows and net them per date, in date order, zero nets dropped."""
    raw = _flows_of(flows)
    if len(raw) < 2:
        raise ValidationError("flows", "at least two cash flows (an advance and a payment)", raw)
    found = _in_order(raw)
    if found is not None:
        return found
    dated = _netted_in_general(raw)
    exact = tuple(amount for _, amount in dated)
    return _Flows(tuple(on for on, _ in dated), exact, tuple(map(float, exact)))


def _in_order(raw: Sequence[object]) -> _Flows | None:
    """The usual input, a plan's flows, without the netting: None unless it is exactly that.

    Flows on strictly increasing dates, the first an advance, at least one payment, none
    zero: then there is nothing to net or drop, no flow before the first advance and no
    net payment first, so every check of :func:`_netted_in_general` passes. Anything else
    (another type, a shared or earlier date, a zero flow, no payment) goes the general
    way, which names the problem.
    """
    # C-level passes (map, set, count) rather than a Python loop: this runs for every rate.
    if set(map(type, raw)) != _ONLY_CASH_FLOWS:
        return None
    dates: tuple[dt.date, ...] = tuple(map(_ON, raw))
    if not all(map(operator.lt, dates, dates[1:])):
        return None
    exact: tuple[Decimal, ...] = tuple(map(_AMOUNT, raw))
    floats = tuple(map(float, exact))
    # Read from the floats, which are needed anyway and compare faster: a float is
    # positive or negative only if its amount is, and a float zero (an amount zero or
    # too small for a float) declines, so each test is at least as strict as on the amounts.
    if not floats[0] > 0.0 or not min(floats) < 0.0 or 0.0 in floats:
        return None
    return _Flows(dates, exact, floats)


_ONLY_CASH_FLOWS: Final = {CashFlow}
_ON: Final = operator.attrgetter("on")
_AMOUNT: Final = operator.attrgetter("amount")
_DAY: Final = operator.attrgetter("day")


def _netted_in_general(raw: Sequence[object]) -> list[tuple[dt.date, Decimal]]:
    # One pass: check each flow, net it per date (EXACT: a caller's low-precision context
    # must not round the sums) and note the first advance. The checks of order follow.
    net: dict[dt.date, Decimal] = {}
    add = EXACT.add
    first_advance: dt.date | None = None
    for index, flow in enumerate(raw):
        if not isinstance(flow, CashFlow):
            raise ValidationError(f"flows[{index}]", "a CashFlow", flow)
        on = flow.on
        amount = flow.amount
        if amount > 0 and (first_advance is None or on < first_advance):
            first_advance = on
        known = net.get(on)
        net[on] = amount if known is None else add(known, amount)
    if first_advance is None:
        raise NoSignChangeError(
            "flows", "at least one advance (a positive amount the borrower receives)", raw
        )
    if min(net) < first_advance:
        checked = cast("Sequence[CashFlow]", raw)  # every item was checked above
        index, early = next((k, f.on) for k, f in enumerate(checked) if f.on < first_advance)
        raise ValidationError(
            f"flows[{index}].on",
            f"a date on or after the first advance ({first_advance.isoformat()})",
            early,
        )
    dated = sorted((on, amount) for on, amount in net.items() if amount)
    if not any(amount > 0 for _, amount in dated):
        raise NoSignChangeError(
            "flows", "at least one advance (a positive amount) not cancelled by payments", raw
        )
    if not any(amount < 0 for _, amount in dated):
        raise NoSignChangeError(
            "flows", "at least one payment (a negative amount) not cancelled by an advance", raw
        )
    if dated[0][1] < 0:
        raise ValidationError(
            "flows",
            f"no net payment before the first net advance ({dated[0][0].isoformat()} nets "
            "to a payment: an advance on that date is smaller than the payments with it)",
            raw,
        )
    return dated


def _month_grid(dates: Sequence[dt.date]) -> list[int] | None:
    """Whole months from the first date to each, if every date falls on the first's day.

    The integer-month time grid of a regular monthly plan (the plans this library builds
    start on the due day of a month at most 28): there are no odd days, so each regime's
    time measure is exact from the month count alone. None when any day differs; the
    general calendar arithmetic then applies.
    """
    start = dates[0]
    if list(map(_DAY, dates)).count(start.day) != len(dates):
        return None
    base = start.year * 12 + start.month
    return [on.year * 12 + on.month - base for on in dates]


def _grid_step(grid: Sequence[int], step: float) -> float | None:
    """*step* if the month grid has a flow in every month from the first, else None.

    The grid strictly increases from 0 (distinct dates on one day of the month), so it is
    ``0, 1, ..., n - 1`` exactly when its last month is ``n - 1``: the NPV is then a
    polynomial in ``(1 + i) ** -step`` (see :class:`debtnegotiation._solver.Equation`).
    """
    return step if grid[-1] == len(grid) - 1 else None


def _every_gap(dates: Sequence[dt.date], grid: Sequence[int]) -> UnitPeriod | None:
    """The unit of dates on one day of the month that are all the same months apart.

    Every interval then matches that count of months (Appendix J (b)(4)), so it is the
    most frequent common period unless another matches every interval too; only a count
    of weeks could, and only if every interval had the same number of days, a multiple
    of seven (then, and for a single interval, None: the general rule decides).
    """
    if len(dates) < 3:
        return None
    gap = grid[1]
    if not 1 <= gap <= 12 or grid != list(range(0, gap * len(grid), gap)):
        return None
    # A count of weeks matching every interval matches the first two, so they suffice.
    first = (dates[1] - dates[0]).days
    if first % 7 == 0 and (dates[2] - dates[1]).days == first:
        return None
    return _YEAR_UNIT if gap == 12 else _MONTH_UNITS[gap]


#: Constant units and factors of the fixed-measure regimes (built once, not per rate).
_XIRR_UNIT: Final = UnitPeriod.day(365)
_YEAR_UNIT: Final = UnitPeriod.year()
_WEEK_UNIT: Final = UnitPeriod.week()
_MONTH_UNITS: Final = {count: UnitPeriod.month(count) for count in range(1, 12)}
_MONTH_UNIT: Final = _MONTH_UNITS[1]
_ONE: Final = Decimal(1)
_TWELVE: Final = Decimal(12)
_ZERO: Final = Decimal(0)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _regime_required(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turn a missing ``regime`` keyword into the library's own ValidationError."""

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if "regime" not in kwargs:
            raise ValidationError(
                "regime",
                "a Regime passed by keyword; there is no default because the regimes "
                "differ by up to 19 points on the same loan",
                None,
            )
        return function(*args, **kwargs)

    return wrapper


def _check_regime(regime: object) -> Regime:
    if not isinstance(regime, Regime):
        raise ValidationError(
            "regime", f"one of {', '.join('Regime.' + r.name for r in Regime)}", regime
        )
    return regime


# --- solving --------------------------------------------------------------------------


def _solve(
    equation: _solver.Equation,
    high: float,
    describe: Callable[[float], str],
    amounts: Sequence[Decimal],
    *,
    nearest_zero: bool = False,
) -> float:
    total = _total(equation, amounts)
    if total == 0 and equation.sign_changes() == 1:
        # Repaid exactly what was lent, with one sign change: the rate is exactly zero
        # (NPV(0) is the plain sum, and the root is unique). Common for 0 % plans.
        return 0.0
    try:
        return _solver.solve(equation, _LOWEST_PERIODIC, high)
    except _solver.NoRootError:
        if total < 0 and equation.sign_changes() == 1:
            raise NoUniqueRateError(
                f"the rate is above {describe(high)}, the highest searched: the payments "
                "exceed the advance by far too much for the time between them; check the "
                "amounts and dates of the flows"
            ) from None
        raise NoUniqueRateError(
            f"no rate between {describe(_LOWEST_PERIODIC)} and {describe(high)} makes the "
            "cash flows balance; check the signs and amounts of the flows"
        ) from None
    except _solver.SeveralRootsError as several:
        if nearest_zero:
            # numpy-financial: the root of least magnitude; a tie goes to the lower one.
            return min(several.roots, key=lambda root: (abs(root), root))
        found = ", ".join(describe(root) for root in several.roots)
        raise NoUniqueRateError(
            f"the cash flows change sign {equation.sign_changes()} times and "
            f"{len(several.roots)} rates balance them ({found}); no single rate describes "
            "them"
        ) from None


def _total(equation: _solver.Equation, amounts: Sequence[Decimal]) -> int:
    """The sign of the exact sum of *amounts*, whose correctly rounded floats *equation* has.

    Each float is within ``u = 2**-53`` (relative) of its amount, and a float sum of
    ``n`` terms adds at most ``n - 1`` rounding errors of partial sums no larger than
    ``n * max|a|``: the float sum is within ``n**2 * u * max|a|`` of the exact one. A float
    sum four times farther from zero than that has the sign of the exact sum; only nearer
    zero is the exact sum of the ``Decimal`` values needed.
    """
    floats = equation.amounts
    # A loan's largest magnitude is its advance or its largest payment.
    size = max(floats[0], -min(floats)) if equation.loan else max(map(abs, floats))
    total = sum(floats)
    n = len(floats) + 1
    if abs(total) > 4.0 * n * n * _solver.UNIT_ROUNDOFF * size:
        return 1 if total > 0 else -1
    exact = functools.reduce(EXACT.add, amounts, Decimal(0))
    return (exact > 0) - (exact < 0)


def _finish(value: Decimal) -> Decimal:
    """Cap at :data:`DECIMAL_PLACES`: digits below the solver's absolute accuracy are noise.

    *value* has at most :data:`SIGNIFICANT_DIGITS` digits (it comes from ``_ROUND``), so
    a leading digit at :data:`_FINE_FROM` or above leaves none to cap.
    """
    if value.adjusted() >= _FINE_FROM:
        return value
    if value.as_tuple().exponent < -DECIMAL_PLACES:  # type: ignore[operator]
        return value.quantize(_QUANTUM)
    return value


def _round(value: float) -> Decimal:
    return _finish(_ROUND.create_decimal_from_float(value))


def _times(factor: Decimal, value: float) -> Decimal:
    return _finish(_ROUND.multiply(factor, Decimal(value)))


def _effective(periodic: float, per_year: float) -> Decimal:
    return _round(math.expm1(per_year * math.log1p(periodic)))


def _percent_text(per_year: float) -> Callable[[float], str]:
    return lambda rate: f"{rate * per_year * 100:.4g} % a year"


def _reg_z(flows: _Flows, unit: UnitPeriod | None) -> AnnualRate:
    dates = flows.dates
    start = dates[0]
    month_grid = _month_grid(dates)
    regular = _every_gap(dates, month_grid) if month_grid is not None else None
    intervals: Sequence[Sequence[_UnitKey]] | None = None
    if unit is None:
        unit = regular
    if unit is None:
        intervals = _interval_keys(dates)
        unit = _infer_unit(dates, intervals)
    if month_grid is not None and unit == _MONTH_UNIT:
        # Appendix J (b)(5)(ii) with no odd days and a one-month unit: whole months, no
        # fractions, so (1 + f i)(1 + i)^t is (1 + i)^t, the compound form.
        equation = _solver.Equation(
            flows.floats,
            list(map(float, month_grid)),
            (),
            simple_fraction=False,
            ordered=True,
            step=_grid_step(month_grid, 1.0),
        )
    else:
        whole: list[int] = []
        fractions: list[float] = []
        if month_grid is not None and unit.kind is PeriodKind.MONTH:
            # (b)(5)(ii) with no odd days: 30 x months, over 30 x the unit's months.
            per = 30 * unit.count
            for months in month_grid:
                t, odd = divmod(30 * months, per)
                whole.append(t)
                fractions.append(odd / per)
        else:
            for on in dates:
                t, f = _reg_z_time(start, on, unit)
                whole.append(t)
                fractions.append(f)
        equation = _solver.Equation(
            flows.floats, whole, fractions, simple_fraction=True, ordered=True
        )
    w = _per_year(unit)
    w_float = float(w)
    periodic = _solve(equation, _HIGHEST_ANNUAL / w_float, _percent_text(w_float), flows.exact)
    if unit == regular:
        # Every payment period is exactly one unit period (see _every_gap).
        irregular = _irregular_amounts(flows.exact)
    else:
        if intervals is None:
            intervals = _interval_keys(dates)
        irregular = _is_irregular(flows.exact, unit, intervals)
    return AnnualRate(
        regime=Regime.US_REG_Z,
        rate=_times(w, periodic),
        basis=RateBasis.NOMINAL,
        periodic_rate=_round(periodic),
        unit_period=unit,
        periods_per_year=w,
        effective_rate=_effective(periodic, w_float),
        tolerance=_REGZ_TOLERANCE_IRREGULAR if irregular else _REGZ_TOLERANCE,
        irregular=irregular,
    )


@functools.cache
def _per_year(unit: UnitPeriod) -> Decimal:
    """``unit.periods_per_year``, computed once per unit (units are frozen and hashable)."""
    return unit.periods_per_year


def _irregular_amounts(exact: Sequence[Decimal]) -> bool:
    """12 CFR 1026.22(a)(3) for regular periods: multiple advances or irregular amounts."""
    if exact[0] < 0 or max(exact[1:]) > 0:
        return True
    middle = exact[2:-1]
    return bool(middle) and middle.count(middle[0]) != len(middle)


def _is_irregular(
    exact: Sequence[Decimal],
    unit: UnitPeriod,
    intervals: Sequence[Sequence[_UnitKey]],
) -> bool:
    """12 CFR 1026.22(a)(3): multiple advances, irregular periods or amounts.

    An odd first period and an odd first or final payment do not count. A payment period
    is regular when it is exactly one unit period (a due day moved by a short month, or a
    13 to 16 day semimonth, still is).
    """
    key = (unit.kind, unit.count)
    if any(key not in keys for keys in intervals[1:]):
        return True
    return _irregular_amounts(exact)


def _eu(flows: _Flows, unit: UnitPeriod | None) -> AnnualRate:
    dates = flows.dates
    grid = _month_grid(dates)
    if unit is None:
        unit = _every_gap(dates, grid) if grid is not None else None
        if unit is None:
            unit = _eu_default_unit(dates)
    counting = _eu_counting(unit)
    step = None
    if grid is not None and counting.kind is PeriodKind.MONTH:
        times = [m / 12 for m in grid]
        step = _grid_step(grid, 1 / 12)
    else:
        start = dates[0]
        times = [_eu_time(start, on, counting.kind) for on in dates]
    equation = _solver.Equation(
        flows.floats, times, (), simple_fraction=False, ordered=True, step=step
    )
    effective = _solve(equation, _HIGHEST_ANNUAL, _percent_text(1.0), flows.exact)
    w = _per_year(counting)
    rate = _round(effective)
    return AnnualRate(
        regime=Regime.EU_CCD,
        rate=rate,
        basis=RateBasis.EFFECTIVE,
        periodic_rate=_round(math.expm1(math.log1p(effective) / float(w))),
        unit_period=counting,
        periods_per_year=w,
        effective_rate=rate,
    )


def _xirr(flows: _Flows) -> AnnualRate:
    start = flows.dates[0]
    times = [(on - start).days / 365 for on in flows.dates]
    equation = _solver.Equation(flows.floats, times, (), simple_fraction=False, ordered=True)
    effective = _solve(equation, _HIGHEST_ANNUAL, _percent_text(1.0), flows.exact)
    rate = _round(effective)
    return AnnualRate(
        regime=Regime.XIRR,
        rate=rate,
        basis=RateBasis.EFFECTIVE,
        periodic_rate=rate,
        unit_period=_XIRR_UNIT,
        periods_per_year=_ONE,
        effective_rate=rate,
    )


def _cn(flows: _Flows) -> AnnualRate:
    dates = flows.dates
    grid = _month_grid(dates)
    step = None
    if grid is not None:
        times = list(map(float, grid))
        step = _grid_step(grid, 1.0)
    else:
        start = dates[0]
        times = [_cn_time(start, on) for on in dates]
    equation = _solver.Equation(
        flows.floats, times, (), simple_fraction=False, ordered=True, step=step
    )
    monthly = _solve(equation, _HIGHEST_ANNUAL / 12, _percent_text(12.0), flows.exact)
    return AnnualRate(
        regime=Regime.CN_PBOC,
        rate=_times(_TWELVE, monthly),
        basis=RateBasis.SIMPLE,
        periodic_rate=_round(monthly),
        unit_period=_MONTH_UNIT,
        periods_per_year=_TWELVE,
        effective_rate=_effective(monthly, 12.0),
    )


@_regime_required
@in_library_context
def annual_rate(
    flows: Sequence[CashFlow] | HasCashFlows,
    *,
    regime: Regime,
    unit_period: UnitPeriod | None = None,
) -> AnnualRate:
    """Return the annual rate of *flows* under *regime*.

    :param flows: dated cash flows seen from the borrower (positive = received), or an
        object with a ``cash_flows()`` method such as a plan. The earliest flow must be an
        advance; flows on one date are netted.
    :param regime: the convention; required, because the answers differ by regime.
    :param unit_period: Reg Z: override the unit period inferred under Appendix J
        (b)(4). EU: choose the counting period (weeks; months, also for semimonths and
        multi-month units; a day or year unit means the calendar basis of whole years and
        days). Not accepted for :attr:`Regime.CN_PBOC` (always months) or
        :attr:`Regime.XIRR` (always days / 365).
    :raises ~debtnegotiation.errors.ValidationError: for malformed input; the message
        names the field.
    :raises ~debtnegotiation.errors.NoUniqueRateError: if no rate, or more than one,
        balances the flows.

    Time is measured per regime:

    * Reg Z: whole unit periods counted back from each flow to the first advance, odd
      days as a fraction (days/30 for month-based units, /15 semimonths, /(7 x weeks)
      for week-based ones), each flow discounted by ``(1 + f i)(1 + i)^t``; APR = w x i.
      A single advance repaid by one payment uses its term as the unit period.
    * EU: whole months (or weeks, as 1/52) counted back from each flow to the first
      drawdown as 1/12 year, then odd days over the days of the year that ends on the
      last odd day (365, or 366 across a 29 February; Annex I remark (c)).
    * CN: whole months counted back, odd days / 30, compounded as ``(1 + i)^(m + d/30)``.
      The PBOC text (Announcement [2021] No. 3) fixes the IRR method but not the day count; this
      mirrors Appendix J (b)(5)(ii) month counting, and is exact for the monthly
      instalment plans banks disclose (vectors ``CN-ICBC-12x0.60``, ``CN-DERIVED-FEE-*``).
    * XIRR: days / 365 from the first flow, even in leap years.

    >>> from debtnegotiation.cashflow import CashFlow
    >>> loan = [CashFlow("2024-01-15", "1000"), CashFlow("2024-03-15", "-1100")]
    >>> annual_rate(loan, regime=Regime.US_REG_Z).rounded_percent()
    Decimal('60.00')
    >>> annual_rate(loan, regime=Regime.EU_CCD).rounded_percent()
    Decimal('77.16')
    """
    checked = _check_regime(regime)
    if unit_period is not None and not isinstance(unit_period, UnitPeriod):
        raise ValidationError("unit_period", "a UnitPeriod or None", unit_period)
    if unit_period is not None and checked in {Regime.CN_PBOC, Regime.XIRR}:
        raise ValidationError(
            "unit_period", f"None for {checked} (its time measure is fixed)", unit_period
        )
    if isinstance(flows, Plan):
        # A frozen plan's flows never change: each rate is computed once per plan, and the
        # flows are netted once for all of its rates.
        known: dict[object, object] = flows._annual_rates
        key = (checked, unit_period)
        found = known.get(key)
        if not isinstance(found, AnnualRate):
            netted = known.get(_NETTED)
            if type(netted) is not _Flows:
                netted = known[_NETTED] = _netted(flows)
            found = known[key] = _annual_rate(netted, checked, unit_period)
        return found
    return _annual_rate(_netted(flows), checked, unit_period)


#: The key of a plan's netted flows among its known rates (``Plan._annual_rates``).
_NETTED: Final = "netted flows"


def _annual_rate(flows: _Flows, regime: Regime, unit_period: UnitPeriod | None) -> AnnualRate:
    if regime is Regime.US_REG_Z:
        return _reg_z(flows, unit_period)
    if regime is Regime.EU_CCD:
        return _eu(flows, unit_period)
    if regime is Regime.CN_PBOC:
        return _cn(flows)
    return _xirr(flows)


@in_library_context
def periodic_rate(
    amounts: Sequence[Decimal | int | str], *, roots: RootRule = RootRule.UNIQUE
) -> Decimal:
    """Return the IRR per period of equally spaced flows, as numpy-financial ``irr`` does.

    The first amount is at time 0, the next one period later, and so on. Either sign
    convention works (the IRR does not change when every sign flips). The result is
    rounded to :data:`SIGNIFICANT_DIGITS` significant digits and at most
    :data:`DECIMAL_PLACES` decimal places.

    :param amounts: the flows; floats are refused.
    :param roots: what to do when several rates make the NPV zero: refuse
        (:attr:`RootRule.UNIQUE`, the default) or return the one nearest zero as
        numpy-financial's ``irr`` does (:attr:`RootRule.NEAREST_ZERO`). Only rates in the
        search interval (above -0.99 a period) are considered.
    :raises ~debtnegotiation.errors.ValidationError: for fewer than two amounts, a float,
        or a *roots* that is not a :class:`RootRule`.
    :raises ~debtnegotiation.errors.NoUniqueRateError: if no rate makes the NPV zero, or
        more than one does and *roots* is :attr:`RootRule.UNIQUE` (numpy-financial's
        ``[-5, 10.5, 1, -8, 1]`` has three).

    >>> periodic_rate(["-100", "39", "59", "55", "20"])
    Decimal('0.2809484212')
    >>> periodic_rate(["-5", "10.5", "1", "-8", "1"], roots=RootRule.NEAREST_ZERO)
    Decimal('0.08859833853')
    """
    if isinstance(amounts, str | bytes) or not isinstance(amounts, Sequence):
        raise ValidationError("amounts", "a sequence of amounts", amounts)
    if not isinstance(roots, RootRule):
        raise ValidationError(
            "roots", f"one of {', '.join('RootRule.' + r.name for r in RootRule)}", roots
        )
    exact = [to_decimal(f"amounts[{k}]", value) for k, value in enumerate(amounts)]
    if len(exact) < 2:
        raise ValidationError("amounts", "at least two amounts", amounts)
    if not (any(a > 0 for a in exact) and any(a < 0 for a in exact)):
        raise NoSignChangeError("amounts", "at least one positive and one negative amount", amounts)
    kept = [(float(k), float(a)) for k, a in enumerate(exact) if a]
    equation = _solver.Equation(
        [a for _, a in kept], [k for k, _ in kept], (), simple_fraction=False, ordered=True
    )
    root = _solve(
        equation,
        _HIGHEST_ANNUAL,
        lambda rate: f"{rate:.6g} a period",
        exact,
        nearest_zero=roots is RootRule.NEAREST_ZERO,
    )
    return _round(root)
