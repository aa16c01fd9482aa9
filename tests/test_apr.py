"""Unit tests of debtnegotiation.apr: time measurement, unit periods, tolerance, errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Context, Decimal, localcontext

import pytest

from debtnegotiation import apr
from debtnegotiation.apr import (
    AnnualRate,
    HasCashFlows,
    NoSignChangeError,
    PeriodKind,
    RateBasis,
    Regime,
    RootRule,
    UnitPeriod,
    annual_rate,
    periodic_rate,
)
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.errors import FloatNotAllowedError, NoUniqueRateError, ValidationError
from debtnegotiation.money import Money
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment

D = dt.date


def months_after(day: dt.date, months: int) -> dt.date:
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month0 + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def bisect(function: Callable[[Decimal], Decimal], low: str, high: str) -> Decimal:
    """Independent Decimal root finder for the expected values (60 digits)."""
    with localcontext() as ctx:
        ctx.prec = 60
        a, b = Decimal(low), Decimal(high)
        fa = function(a)
        for _ in range(200):
            m = (a + b) / 2
            fm = function(m)
            if (fm > 0) == (fa > 0):
                a, fa = m, fm
            else:
                b = m
        return (a + b) / 2


def annuity(start: dt.date, principal: str, payment: str, count: int) -> list[CashFlow]:
    flows = [CashFlow(start, principal)]
    flows += [CashFlow(months_after(start, k), "-" + payment) for k in range(1, count + 1)]
    return flows


# --- time measurement ----------------------------------------------------------------


def test_year_length_follows_annex_i_remark_c() -> None:
    assert apr._year_length(D(2024, 3, 11)) == 366  # the year back contains 29 Feb 2024
    assert apr._year_length(D(2024, 2, 28)) == 365
    assert apr._year_length(D(2023, 3, 11)) == 365


def test_eu_odd_days_over_366_across_a_leap_day() -> None:
    """One month and 10 odd days, the odd days ending in a year that holds 29 Feb."""
    flows = [CashFlow("2024-03-01", "1000"), CashFlow("2024-04-11", "-1010")]
    result = annual_rate(flows, regime=Regime.EU_CCD)
    with localcontext() as ctx:
        ctx.prec = 40
        years = Decimal(1) / 12 + Decimal(10) / 366
        expected = Decimal("1.01") ** (1 / years) - 1
    assert abs(result.rate - expected) < Decimal("1e-9")
    # The same dates a year earlier divide by 365 and give a different rate.
    earlier = [CashFlow("2023-03-01", "1000"), CashFlow("2023-04-11", "-1010")]
    assert annual_rate(earlier, regime=Regime.EU_CCD).rate < result.rate


def test_xirr_uses_365_days_even_in_a_leap_year() -> None:
    flows = [CashFlow("2024-01-01", "1000"), CashFlow("2025-01-01", "-1100")]
    with localcontext() as ctx:
        ctx.prec = 40
        expected = Decimal("1.1") ** (Decimal(365) / 366) - 1
    assert abs(annual_rate(flows, regime=Regime.XIRR).rate - expected) < Decimal("1e-9")
    # The EU counts the twelve whole months as one year: exactly 10 %.
    assert annual_rate(flows, regime=Regime.EU_CCD).rate == Decimal("0.1000000000")


def test_reg_z_single_payment_over_a_year_uses_year_unit_and_days_over_365() -> None:
    """Appendix J (b)(5)(v): 2 whole years back, then 65 odd days / 365."""
    flows = [CashFlow("2020-01-15", "1000"), CashFlow("2022-03-20", "-1300")]
    result = annual_rate(flows, regime=Regime.US_REG_Z)
    assert result.unit_period == UnitPeriod.year()
    assert (D(2020, 3, 20) - D(2020, 1, 15)).days == 65
    expected = bisect(
        lambda i: (1 + Decimal(65) / 365 * i) * (1 + i) ** 2 - Decimal("1.3"), "0", "1"
    )
    assert abs(result.rate - expected) < Decimal("1e-9")


def test_reg_z_year_unit_with_whole_months_uses_months_over_12() -> None:
    flows = [CashFlow("2020-01-15", "1000"), CashFlow("2022-03-15", "-1300")]
    result = annual_rate(flows, regime=Regime.US_REG_Z)
    expected = bisect(lambda i: (1 + Decimal(2) / 12 * i) * (1 + i) ** 2 - Decimal("1.3"), "0", "1")
    assert abs(result.rate - expected) < Decimal("1e-9")


@pytest.mark.parametrize("start", [D(2023, 1, 31), D(2024, 1, 31), D(2024, 8, 31)])
def test_month_end_schedules_are_whole_months(start: dt.date) -> None:
    """A schedule rolling 31 -> 28/29/30 -> 31 recovers the contract rate exactly."""
    monthly = Decimal("0.01")
    payment = Decimal(1000) * monthly / (1 - (1 + monthly) ** -12)
    flows = [CashFlow(start, "1000")]
    flows += [CashFlow(months_after(start, k), -payment) for k in range(1, 13)]
    result = annual_rate(flows, regime=Regime.US_REG_Z)
    assert result.unit_period == UnitPeriod.month()
    assert abs(result.rate - Decimal("0.12")) < Decimal("1e-10")
    assert result.irregular is False


def test_cn_odd_days_are_thirtieths_of_a_month_compounded() -> None:
    flows = [CashFlow("2024-01-10", "1000"), CashFlow("2024-03-25", "-1030")]
    result = annual_rate(flows, regime=Regime.CN_PBOC)
    with localcontext() as ctx:
        ctx.prec = 40
        months = 2 + Decimal(15) / 30
        monthly = Decimal("1.03") ** (1 / months) - 1
    assert abs(result.periodic_rate - monthly) < Decimal("1e-11")
    assert abs(result.rate - 12 * monthly) < Decimal("1e-9")
    assert result.basis is RateBasis.SIMPLE
    assert result.label == "近似折算年化利率(单利)"


# --- unit periods -----------------------------------------------------------------------


def test_two_week_schedule_is_two_weeks_not_a_semimonth() -> None:
    start = D(2024, 1, 5)
    flows = [CashFlow(start, "500")]
    flows += [CashFlow(start + dt.timedelta(days=14 * k), "-26") for k in range(1, 21)]
    assert annual_rate(flows, regime=Regime.US_REG_Z).unit_period == UnitPeriod.week(2)


def test_four_week_schedule_through_february_is_four_weeks() -> None:
    start = D(2023, 2, 1)  # 1 Feb -> 1 Mar is both a month and four weeks
    flows = [CashFlow(start, "500")]
    flows += [CashFlow(start + dt.timedelta(days=28 * k), "-45") for k in range(1, 13)]
    result = annual_rate(flows, regime=Regime.US_REG_Z)
    assert result.unit_period == UnitPeriod.week(4)
    assert result.periods_per_year == 13


def test_no_common_period_rounds_the_average() -> None:
    """Appendix J (b)(4)(i)(B): intervals of 40, 50 and 45 days average one month."""
    start = D(2024, 1, 1)
    flows = [CashFlow(start, "1000")]
    for days in (40, 90, 135):
        flows.append(CashFlow(start + dt.timedelta(days=days), "-350"))
    result = annual_rate(flows, regime=Regime.US_REG_Z)
    assert result.unit_period == UnitPeriod.month()
    assert result.irregular is True


def test_unit_period_override() -> None:
    start = D(2024, 1, 5)
    flows = [CashFlow(start, "500")]
    flows += [CashFlow(start + dt.timedelta(weeks=k), "-26") for k in range(1, 21)]
    weekly = annual_rate(flows, regime=Regime.US_REG_Z)
    as_days = annual_rate(flows, regime=Regime.US_REG_Z, unit_period=UnitPeriod.day(7))
    assert weekly.unit_period == UnitPeriod.week()
    assert weekly.periodic_rate == as_days.periodic_rate
    assert as_days.periods_per_year == Decimal(365) / 7
    assert as_days.rate > weekly.rate  # w = 52.14 against 52


def test_eu_calendar_basis_differs_from_twelve_equal_months() -> None:
    """Vectors README: the 98/7 example gives 12.92 on 12 equal months, 12.96 on days."""
    flows = [CashFlow("1994-01-01", "1000"), CashFlow("1995-07-01", "-1200")]
    months = annual_rate(flows, regime=Regime.EU_CCD)
    calendar = annual_rate(flows, regime=Regime.EU_CCD, unit_period=UnitPeriod.day())
    assert months.unit_period == UnitPeriod.month()
    assert months.rounded_percent() == Decimal("12.92")
    assert calendar.rounded_percent() == Decimal("12.96")


def test_unit_period_values() -> None:
    assert UnitPeriod.week(4).periods_per_year == 13
    assert UnitPeriod.semimonth().periods_per_year == 24
    assert UnitPeriod.month(2).periods_per_year == 6
    assert UnitPeriod.year().periods_per_year == 1
    assert str(UnitPeriod.day(255)) == "255 days"
    assert str(UnitPeriod.month()) == "1 month"
    assert str(UnitPeriod.semimonth()) == "semimonth"


@pytest.mark.parametrize(
    ("kind", "count"),
    [(PeriodKind.MONTH, 12), (PeriodKind.WEEK, 53), (PeriodKind.SEMIMONTH, 2), (PeriodKind.DAY, 0)],
)
def test_unit_period_refuses_counts_out_of_range(kind: PeriodKind, count: int) -> None:
    with pytest.raises(ValidationError, match=r"^UnitPeriod\.count: expected a whole number"):
        UnitPeriod(kind, count)


# --- tolerance and irregular transactions ---------------------------------------------


def regular_loan() -> list[CashFlow]:
    return annuity(D(1978, 1, 10), "5000", "230", 24)


def test_regular_transaction_has_eighth_point_tolerance() -> None:
    result = annual_rate(regular_loan(), regime=Regime.US_REG_Z)
    assert (result.irregular, result.tolerance) == (False, Decimal("0.00125"))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda f: [*f[:3], CashFlow(f[3].on, "300"), *f[3:]], id="second advance"),
        pytest.param(lambda f: f[:5] + f[6:], id="skipped payment"),
        pytest.param(lambda f: [*f[:5], CashFlow(f[5].on, "-240"), *f[6:]], id="middle amount"),
    ],
)
def test_irregular_transactions_have_quarter_point_tolerance(
    change: Callable[[list[CashFlow]], list[CashFlow]],
) -> None:
    result = annual_rate(change(regular_loan()), regime=Regime.US_REG_Z)
    assert (result.irregular, result.tolerance) == (True, Decimal("0.0025"))


def test_within_tolerance_compares_disclosed_percent() -> None:
    result = annual_rate(regular_loan(), regime=Regime.US_REG_Z)  # 9.685708 %
    assert result.within_tolerance("9.57")
    assert not result.within_tolerance(Decimal("9.56"))
    assert result.within_tolerance("9.81")
    assert not result.within_tolerance("9.82")


def test_only_reg_z_has_a_tolerance() -> None:
    result = annual_rate(regular_loan(), regime=Regime.EU_CCD)
    assert result.tolerance is None
    with pytest.raises(ValidationError, match=r"^regime: expected Regime\.US_REG_Z"):
        result.within_tolerance("10.13")


# --- the result -------------------------------------------------------------------------


def test_result_fields_per_regime() -> None:
    flows = regular_loan()
    reg_z = annual_rate(flows, regime=Regime.US_REG_Z)
    eu = annual_rate(flows, regime=Regime.EU_CCD)
    cn = annual_rate(flows, regime=Regime.CN_PBOC)
    xirr = annual_rate(flows, regime=Regime.XIRR)
    assert isinstance(reg_z, AnnualRate)
    assert (reg_z.basis, eu.basis, cn.basis, xirr.basis) == (
        RateBasis.NOMINAL,
        RateBasis.EFFECTIVE,
        RateBasis.SIMPLE,
        RateBasis.EFFECTIVE,
    )
    # Regular monthly flows: every regime shares the monthly rate; only annualising differs.
    assert reg_z.periodic_rate == eu.periodic_rate == cn.periodic_rate
    assert reg_z.rate == cn.rate
    assert eu.rate == eu.effective_rate == reg_z.effective_rate == cn.effective_rate
    assert xirr.unit_period == UnitPeriod.day(365)
    assert reg_z.percent == reg_z.rate * 100
    assert reg_z.rounded_percent(1) == Decimal("9.7")
    assert len(reg_z.rate.as_tuple().digits) <= apr.SIGNIFICANT_DIGITS


class Plan:
    """A stand-in for the lead's Plan: anything with cash_flows()."""

    def __init__(self, flows: Sequence[CashFlow]) -> None:
        self._flows = list(flows)

    def cash_flows(self) -> Sequence[CashFlow]:
        return self._flows


def test_accepts_objects_with_cash_flows() -> None:
    plan = Plan(regular_loan())
    assert isinstance(plan, HasCashFlows)
    assert annual_rate(plan, regime=Regime.XIRR) == annual_rate(regular_loan(), regime=Regime.XIRR)


def test_fee_paid_at_signing_nets_into_the_advance() -> None:
    """Vectors README pitfall 4: a withheld fee reduces the advance (950, not 1,000)."""
    withheld = [CashFlow("2024-01-15", "950"), *annuity(D(2024, 1, 15), "1000", "90", 12)[1:]]
    paid = [CashFlow("2024-01-15", "-50"), *annuity(D(2024, 1, 15), "1000", "90", 12)]
    for regime in Regime:
        assert annual_rate(withheld, regime=regime) == annual_rate(paid, regime=regime)


def test_flow_order_does_not_matter() -> None:
    flows = regular_loan()
    shuffled = flows[::-1]
    for regime in Regime:
        assert annual_rate(flows, regime=regime) == annual_rate(shuffled, regime=regime)


# --- no rate, several rates -----------------------------------------------------------


def test_several_rates_are_refused() -> None:
    """numpy-financial's [-5, 10.5, 1, -8, 1] has three real IRRs (README pitfall 5)."""
    with pytest.raises(NoUniqueRateError, match="3 rates balance them"):
        periodic_rate([-5, "10.5", 1, -8, 1])
    flows = [
        CashFlow(months_after(D(2024, 1, 1), k), -Decimal(a))
        for k, a in enumerate(["-5", "10.5", "1", "-8", "1"])
    ]
    with pytest.raises(NoUniqueRateError, match="change sign 3 times"):
        annual_rate(flows, regime=Regime.CN_PBOC)


def test_several_rates_give_the_one_nearest_zero_when_asked() -> None:
    """numpy-financial's rule on request: of -0.870, 0.0886 and 0.710, the nearest zero."""
    amounts = [-5, "10.5", 1, -8, 1]
    with pytest.raises(NoUniqueRateError) as refused:
        periodic_rate(amounts)
    listed = str(refused.value)
    chosen = periodic_rate(amounts, roots=RootRule.NEAREST_ZERO)
    assert chosen == Decimal("0.08859833853")  # numpy_financial.irr: 0.0885983385277...
    # It is one of the rates the default refusal lists, and the one of least magnitude.
    assert f"{float(chosen):.6g} a period" in listed
    v = 1 / (1 + chosen)
    npv = sum(Decimal(a) * v**k for k, a in enumerate(amounts))
    assert abs(npv) < Decimal("1e-9")


def test_one_rate_is_the_same_whatever_the_root_rule() -> None:
    amounts = ["-100", "39", "59", "55", "20"]
    assert periodic_rate(amounts, roots=RootRule.NEAREST_ZERO) == periodic_rate(amounts)


def test_the_root_rule_must_be_a_root_rule() -> None:
    with pytest.raises(ValidationError, match="roots"):
        periodic_rate(["-100", "110"], roots="nearest-zero")  # type: ignore[arg-type]


def test_two_sign_changes_with_one_root_is_solved_by_scanning() -> None:
    """A second advance mid-way: two sign changes, but only one rate balances them."""
    flows = [
        CashFlow("2024-01-01", "1000"),
        CashFlow("2024-04-01", "-600"),
        CashFlow("2024-05-01", "300"),
        CashFlow("2024-09-01", "-800"),
    ]
    result = annual_rate(flows, regime=Regime.XIRR)

    def npv(rate: Decimal) -> Decimal:
        return sum(
            (f.amount * (1 + rate) ** (-Decimal((f.on - flows[0].on).days) / 365) for f in flows),
            Decimal(0),
        )

    with localcontext() as ctx:
        ctx.prec = 40
        step = Decimal("1e-9")
        assert (npv(result.rate - step) > 0) != (npv(result.rate + step) > 0)


def test_payday_rates_are_within_the_search_interval() -> None:
    # 15 % for 14 days: 391.07 % APR (Reg Z: 15 % x 365/14); EU Annex I counts 14 days
    # as 2 of a year's 52 weeks, so the APRC is 1.15^26 - 1, about 3,686 %.
    flows = [CashFlow("2024-01-01", "100"), CashFlow("2024-01-15", "-115")]
    assert annual_rate(flows, regime=Regime.US_REG_Z).rounded_percent() == Decimal("391.07")
    effective = annual_rate(flows, regime=Regime.EU_CCD).rate
    assert abs(effective - (Decimal("1.15") ** 26 - 1)) < Decimal("0.000001")
    doubled = [CashFlow("2024-01-01", "1000"), CashFlow("2024-02-01", "-2000")]  # 1200 %
    assert annual_rate(doubled, regime=Regime.US_REG_Z).rounded_percent() == Decimal("1200.00")


def test_rate_above_the_search_interval_is_refused_and_says_so() -> None:
    flows = [CashFlow("2024-01-01", "100"), CashFlow("2024-01-02", "-1000")]  # x10 in a day
    with pytest.raises(NoUniqueRateError, match=r"^the rate is above 1e\+06 % a year"):
        annual_rate(flows, regime=Regime.XIRR)


@pytest.mark.parametrize("regime", list(Regime))
def test_flows_that_cancel_on_the_advance_date_have_no_rate(regime: Regime) -> None:
    flows = [CashFlow("2024-01-01", "1000"), CashFlow("2024-01-01", "-1010")]
    with pytest.raises(NoSignChangeError, match="not cancelled by payments"):
        annual_rate(flows, regime=regime)


def test_annual_rate_ignores_a_low_precision_decimal_context() -> None:
    plan = equal_installment(Money("19198.75", "CNY"), InterestRate.zero(), 21, start="2026-11-02")
    reference = annual_rate(plan, regime=Regime.CN_PBOC)
    with localcontext(Context(prec=6)):
        again = annual_rate(plan, regime=Regime.CN_PBOC)
    assert again == reference
    assert str(reference.rounded_percent()) == "0.00"


def test_settlement_below_par_has_a_negative_rate() -> None:
    flows = [CashFlow("2024-01-01", "1000"), CashFlow("2024-03-01", "-600")]
    assert annual_rate(flows, regime=Regime.US_REG_Z).rate == Decimal("-2.400000000")
    assert annual_rate(flows, regime=Regime.EU_CCD).rate < 0


@pytest.mark.parametrize(
    "flows",
    [
        [CashFlow("2024-01-01", "100"), CashFlow("2024-02-01", "100")],
        [CashFlow("2024-01-01", "-100"), CashFlow("2024-02-01", "-100")],
        [CashFlow("2024-01-01", "100"), CashFlow("2024-01-01", "-100")],
    ],
    ids=["all positive", "all negative", "nets to nothing"],
)
def test_one_signed_flows_have_no_rate(flows: list[CashFlow]) -> None:
    with pytest.raises(NoSignChangeError, match=r"^flows: expected at least one") as caught:
        annual_rate(flows, regime=Regime.EU_CCD)
    assert isinstance(caught.value, NoUniqueRateError)
    assert isinstance(caught.value, ValidationError)


# --- validation -----------------------------------------------------------------------


def test_regime_is_required() -> None:
    with pytest.raises(ValidationError, match=r"^regime: expected a Regime passed by keyword"):
        annual_rate(regular_loan())  # type: ignore[call-arg]


@pytest.mark.parametrize("regime", [None, "EU-CCD", "XIRR"])
def test_regime_must_be_a_member(regime: object) -> None:
    with pytest.raises(ValidationError, match=r"^regime: expected"):
        annual_rate(regular_loan(), regime=regime)  # type: ignore[arg-type]


@pytest.mark.parametrize("regime", [Regime.CN_PBOC, Regime.XIRR])
def test_unit_period_is_refused_where_time_is_fixed(regime: Regime) -> None:
    with pytest.raises(ValidationError, match=r"^unit_period: expected None for"):
        annual_rate(regular_loan(), regime=regime, unit_period=UnitPeriod.month())


def test_unit_period_must_be_a_unit_period() -> None:
    with pytest.raises(ValidationError, match=r"^unit_period: expected a UnitPeriod"):
        annual_rate(regular_loan(), regime=Regime.US_REG_Z, unit_period="month")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("flows", "pattern"),
    [
        ([], r"^flows: expected at least two cash flows"),
        ([CashFlow("2024-01-01", "1")], r"^flows: expected at least two cash flows"),
        ("not flows", r"^flows: expected a sequence of CashFlow"),
        (42, r"^flows: expected a sequence of CashFlow"),
        ([CashFlow("2024-01-01", "1"), ("2024-02-01", "-1")], r"^flows\[1\]: expected a CashFlow"),
        (
            [
                CashFlow("2024-02-01", "100"),
                CashFlow("2024-01-01", "-5"),
                CashFlow("2024-03-01", "-99"),
            ],
            r"^flows\[1\]\.on: expected a date on or after the first advance \(2024-02-01\)",
        ),
    ],
)
def test_bad_flows_name_the_field(flows: object, pattern: str) -> None:
    with pytest.raises(ValidationError, match=pattern):
        annual_rate(flows, regime=Regime.XIRR)  # type: ignore[arg-type]


def test_float_amounts_are_refused() -> None:
    with pytest.raises(FloatNotAllowedError, match=r"^CashFlow\.amount: floats are not accepted"):
        CashFlow("2024-01-01", 100.5)
    with pytest.raises(FloatNotAllowedError, match=r"^amounts\[1\]: floats are not accepted"):
        periodic_rate(["-100", 110.0])


@pytest.mark.parametrize(
    ("amounts", "pattern"),
    [
        (["-100"], r"^amounts: expected at least two amounts"),
        ("-100,110", r"^amounts: expected a sequence of amounts"),
        (["100", "0", "5"], r"^amounts: expected at least one positive and one negative"),
        (["-100", "abc"], r"^amounts\[1\]: expected a decimal number"),
    ],
)
def test_periodic_rate_validation(amounts: object, pattern: str) -> None:
    with pytest.raises(ValidationError, match=pattern):
        periodic_rate(amounts)  # type: ignore[arg-type]


def test_periodic_rate_either_sign_convention() -> None:
    assert periodic_rate(["-100", "110"]) == periodic_rate(["100", "-110"]) == Decimal("0.1")


@pytest.mark.parametrize("regime", list(Regime))
def test_repaying_exactly_the_advance_is_exactly_zero(regime: Regime) -> None:
    """A 0 % plan (interest frozen) is 0, not floating-point noise."""
    flows = annuity(D(2024, 1, 31), "1000", "41.6666666666666666666666666", 24)
    flows[-1] = CashFlow(flows[-1].on, -(1000 - 23 * Decimal("41.6666666666666666666666666")))
    result = annual_rate(flows, regime=regime)
    assert result.rate == result.periodic_rate == result.effective_rate == 0
    assert periodic_rate(["-300", "100", "100", "100"]) == 0


def test_rates_have_at_most_twelve_decimal_places() -> None:
    flows = annuity(D(2024, 1, 15), "100000", "8334.00", 12)  # about 0.002 % a year
    for regime in Regime:
        result = annual_rate(flows, regime=regime)
        for value in (result.rate, result.periodic_rate, result.effective_rate):
            assert value.as_tuple().exponent >= -apr.DECIMAL_PLACES
            assert 0 < value < Decimal("0.0002")
