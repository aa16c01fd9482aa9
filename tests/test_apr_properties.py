"""Hypothesis properties of annual_rate and periodic_rate."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from debtnegotiation.apr import Regime, UnitPeriod, annual_rate, periodic_rate
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.errors import FloatNotAllowedError, NoUniqueRateError, ValidationError

PROPERTY = settings(max_examples=60, deadline=None)

starts = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
terms = st.integers(min_value=2, max_value=60)
#: Contract nominal rates from 0.01 % to 36 % a year, in basis points.
nominal_rates = st.integers(min_value=1, max_value=3600).map(lambda bp: Decimal(bp).scaleb(-4))
principals = st.integers(min_value=1000, max_value=100_000).map(Decimal)


def months_after(day: dt.date, months: int) -> dt.date:
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month0 + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def exact_payment(principal: Decimal, nominal: Decimal, count: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        monthly = nominal / 12
        return principal * monthly / (1 - (1 + monthly) ** -count)


def annuity(start: dt.date, principal: Decimal, payment: Decimal, count: int) -> list[CashFlow]:
    flows = [CashFlow(start, principal)]
    flows += [CashFlow(months_after(start, k), -payment) for k in range(1, count + 1)]
    return flows


@PROPERTY
@given(start=starts, count=terms, nominal=nominal_rates, principal=principals)
def test_exact_annuity_recovers_its_contract_rate(
    start: dt.date, count: int, nominal: Decimal, principal: Decimal
) -> None:
    """Unrounded annuity payments, due dates one calendar month apart (month ends clamp)."""
    flows = annuity(start, principal, exact_payment(principal, nominal, count), count)
    reg_z = annual_rate(flows, regime=Regime.US_REG_Z)
    assert reg_z.unit_period == UnitPeriod.month()
    assert reg_z.irregular is False
    assert abs(reg_z.rate - nominal) <= Decimal("1e-9")
    assert abs(annual_rate(flows, regime=Regime.CN_PBOC).rate - nominal) <= Decimal("1e-9")
    with localcontext() as ctx:
        ctx.prec = 40
        effective = (1 + nominal / 12) ** 12 - 1
    assert abs(annual_rate(flows, regime=Regime.EU_CCD).rate - effective) <= Decimal("1e-9")


@PROPERTY
@given(start=starts, count=terms, nominal=nominal_rates, principal=principals)
def test_rounded_annuity_is_within_the_rounding_of_its_payments(
    start: dt.date, count: int, nominal: Decimal, principal: Decimal
) -> None:
    """Payments rounded to the cent move the APR by at most 12 x 0.005/payment x (1 + i).

    First order: a relative payment error e/p moves ln a(n, i) by e/p, and
    d ln a / di <= -1 / (1 + i) because every payment is at least one period out.
    """
    payment = exact_payment(principal, nominal, count).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    result = annual_rate(annuity(start, principal, payment, count), regime=Regime.US_REG_Z)
    bound = 12 * Decimal("0.005") / payment * (1 + nominal / 12) * Decimal("1.01")
    assert abs(result.rate - nominal) <= bound + Decimal("1e-9")


@PROPERTY
@given(
    start=starts,
    count=terms,
    nominal=nominal_rates,
    principal=principals,
    fee_share=st.integers(min_value=1, max_value=1000),
    where=st.sampled_from(["advance", "first payment", "last payment"]),
    regime=st.sampled_from(list(Regime)),
)
def test_a_fee_always_raises_the_rate(
    *,
    start: dt.date,
    count: int,
    nominal: Decimal,
    principal: Decimal,
    fee_share: int,
    where: str,
    regime: Regime,
) -> None:
    """A fee withheld from the advance, or added to a payment, raises every regime's rate."""
    fee = (principal * fee_share / 10_000).quantize(Decimal("0.01"))  # 0.01 % to 10 %
    payment = exact_payment(principal, nominal, count).quantize(Decimal("0.01"))
    flows = annuity(start, principal, payment, count)
    if where == "advance":
        charged = [CashFlow(start, principal - fee), *flows[1:]]
    elif where == "first payment":
        charged = [flows[0], CashFlow(flows[1].on, flows[1].amount - fee), *flows[2:]]
    else:
        charged = [*flows[:-1], CashFlow(flows[-1].on, flows[-1].amount - fee)]
    assert annual_rate(charged, regime=regime).rate > annual_rate(flows, regime=regime).rate


@st.composite
def loans(draw: st.DrawFn) -> list[CashFlow]:
    """One advance, then 1 to 12 payments 90 to 1,800 days later, repaying 1x to 1.5x."""
    start = draw(starts)
    advance = Decimal(draw(st.integers(min_value=100, max_value=1_000_000)))
    count = draw(st.integers(min_value=1, max_value=12))
    offsets = sorted(draw(st.lists(st.integers(90, 1800), min_size=count, max_size=count)))
    weights = draw(st.lists(st.integers(1, 100), min_size=count, max_size=count))
    repaid = advance * Decimal(draw(st.integers(100, 150))) / 100
    total_weight = sum(weights)
    flows = [CashFlow(start, advance)]
    for offset, weight in zip(offsets, weights, strict=True):
        amount = (repaid * weight / total_weight).quantize(Decimal("0.01"))
        flows.append(CashFlow(start + dt.timedelta(days=offset), -amount))
    return flows


@PROPERTY
@given(flows=loans())
def test_xirr_is_a_root_to_within_1e_9(flows: list[CashFlow]) -> None:
    """Checked independently in 40-digit Decimal: the NPV changes sign across rate +- 1e-9.

    The step is relative above 100 %: the rate is reported to 10 significant digits.
    """
    result = annual_rate(flows, regime=Regime.XIRR)
    start = flows[0].on

    def npv(rate: Decimal) -> Decimal:
        return sum(
            (f.amount * (1 + rate) ** (-Decimal((f.on - start).days) / 365) for f in flows),
            Decimal(0),
        )

    with localcontext() as ctx:
        ctx.prec = 40
        step = Decimal("1e-9") * max(1, abs(result.rate))
        low, high = npv(result.rate - step), npv(result.rate + step)
    assert low == 0 or high == 0 or (low > 0) != (high > 0)


@PROPERTY
@given(amounts=st.lists(st.integers(-1000, 1000).filter(bool), min_size=2, max_size=8))
@example(amounts=[3, -34])  # 1,033 % a period: found since the interval covers payday rates
def test_periodic_rate_is_a_root_or_refused(amounts: list[int]) -> None:
    """Either a rate whose NPV changes sign across +- 1e-9 (relative above 1), or an error."""
    try:
        rate = periodic_rate(amounts)
    except NoUniqueRateError:
        return
    with localcontext() as ctx:
        ctx.prec = 40

        def npv(r: Decimal) -> Decimal:
            return sum((a / (1 + r) ** k for k, a in enumerate(amounts)), Decimal(0))

        step = Decimal("1e-9") * max(1, abs(rate))  # 10 significant digits are reported
        low, high = npv(rate - step), npv(rate + step)
    assert low == 0 or high == 0 or (low > 0) != (high > 0)


# --- bad inputs -------------------------------------------------------------------------


@given(amount=st.floats(allow_nan=False, allow_infinity=False))
def test_float_amounts_are_refused_naming_the_field(amount: float) -> None:
    with pytest.raises(FloatNotAllowedError, match=r"^CashFlow\.amount: "):
        CashFlow("2024-01-01", amount)
    with pytest.raises(FloatNotAllowedError, match=r"^amounts\[1\]: "):
        periodic_rate(["-100", amount])


@given(
    amounts=st.lists(st.integers(1, 10_000).map(Decimal), min_size=2, max_size=6),
    sign=st.sampled_from([1, -1]),
    regime=st.sampled_from(list(Regime)),
)
def test_no_sign_change_is_refused_naming_flows(
    amounts: list[Decimal], sign: int, regime: Regime
) -> None:
    flows = [
        CashFlow(months_after(dt.date(2024, 1, 1), k), sign * a) for k, a in enumerate(amounts)
    ]
    with pytest.raises(ValidationError, match=r"^flows: expected at least one") as caught:
        annual_rate(flows, regime=regime)
    assert isinstance(caught.value, NoUniqueRateError)


@given(flows=loans(), days_before=st.integers(1, 400), regime=st.sampled_from(list(Regime)))
def test_payment_before_the_advance_is_refused_naming_it(
    flows: list[CashFlow], days_before: int, regime: Regime
) -> None:
    early = CashFlow(flows[0].on - dt.timedelta(days=days_before), "-1")
    position = len(flows) // 2
    bad = [*flows[:position], early, *flows[position:]]
    with pytest.raises(ValidationError, match=rf"^flows\[{position}\]\.on: expected a date on"):
        annual_rate(bad, regime=regime)


@given(regime=st.sampled_from(list(Regime)))
def test_empty_flows_and_missing_regime_are_refused(regime: Regime) -> None:
    with pytest.raises(ValidationError, match=r"^flows: expected at least two"):
        annual_rate([], regime=regime)
    with pytest.raises(ValidationError, match=r"^regime: "):
        annual_rate([CashFlow("2024-01-01", "1"), CashFlow("2024-02-01", "-2")])  # type: ignore[call-arg]
