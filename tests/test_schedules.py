"""Schedule builders: exact to the minor unit, the last installment absorbs the residue."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from debtnegotiation._exact import div_round
from debtnegotiation.apr import Regime, annual_rate
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.money import Money
from debtnegotiation.plan import Plan, UpfrontItem, UpfrontKind
from debtnegotiation.rates import DayCount, FlatMonthlyFee, InterestRate
from debtnegotiation.schedule_dates import Frequency, add_months
from debtnegotiation.schedules import (
    custom,
    equal_installment,
    equal_principal,
    flat_fee,
    interest_only,
)

VECTORS = Path(__file__).parent / "vectors" / "apr-public.json"
PROPERTY = settings(max_examples=150, deadline=None)


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


def vector(vector_id: str) -> dict:
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    vectors = data if isinstance(data, list) else data["vectors"]
    return next(v for v in vectors if v["id"] == vector_id)


def units(money: Money) -> int:
    return int(money.amount.scaleb(money.minor_units))


# --- the 8.475 tie ---------------------------------------------------------------------


def test_interest_is_divided_last_so_a_real_tie_rounds_half_up():
    plan = equal_installment(usd("1800.00"), InterestRate.annual("0.0565"), 12, start="2024-01-15")
    assert plan.installments[0].interest == usd("8.48")
    # Why: the naive monthly quotient 0.0565 / 12 is rounded at 28 digits, just below the
    # tie, so 1,800.00 × it is 8.47499… and rounds down to 8.47.
    naive_monthly = Decimal("0.0565") / 12
    naive = (Decimal("1800.00") * naive_monthly).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert naive == Decimal("8.47")
    exact = (Decimal("1800.00") * Decimal("0.0565") / 12).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert exact == Decimal("8.48")


def test_rounding_mode_is_configurable():
    # 1,693.00 at 6 % is 8.465 a month: half-up 8.47, half-even 8.46.
    rate = InterestRate.annual("0.06")
    up = equal_principal(usd("1693.00"), rate, 2, start="2024-01-15")
    even = equal_principal(usd("1693.00"), rate, 2, start="2024-01-15", rounding=ROUND_HALF_EVEN)
    assert up.installments[0].interest == usd("8.47")
    assert even.installments[0].interest == usd("8.46")


@pytest.mark.parametrize("rounding", ["HALF_UP", "half-up", None])
def test_an_invalid_rounding_mode_is_refused_even_when_nothing_needs_rounding(rounding):
    with pytest.raises(ValidationError) as info:
        equal_installment(
            usd("1200.00"), InterestRate.zero(), 12, start="2024-01-15", rounding=rounding
        )
    assert info.value.field == "rounding"


# --- vectors ---------------------------------------------------------------------------


def test_ref_npf_pmt_payment_rounds_to_304_15():
    source = vector("REF-NPF-PMT")
    assert source["inputs"]["nper"] == 60
    assert source["inputs"]["pv"] == 15000
    assert source["inputs"]["rate"] == "0.08/12"
    plan = equal_installment(usd("15000.00"), InterestRate.annual("0.08"), 60, start="2024-01-01")
    expected = abs(Decimal(str(source["expected"]["value"]))).quantize(Decimal("0.01"))
    assert expected == Decimal("304.15")
    assert plan.installments[0].total.amount == expected
    assert {i.total for i in plan.installments[:-1]} == {usd("304.15")}
    assert plan.installments[-1].balance_after == usd("0.00")


def test_icbc_flat_fee_0_60_percent_times_12():
    """Vector CN-ICBC-12x0.60: fee P x 0.006 a month; 12 x monthly IRR = 13.03 %."""
    plan = flat_fee(cny("12000.00"), FlatMonthlyFee("0.0060"), 12, start="2024-01-10")
    assert [i.fee for i in plan.installments] == [cny("72.00")] * 12
    assert [i.principal for i in plan.installments] == [cny("1000.00")] * 12
    assert {i.interest for i in plan.installments} == {cny("0.00")}
    assert plan.total_fees == cny("864.00")
    assert plan.installments[0].due == dt.date(2024, 2, 10)
    rate = annual_rate(plan, regime=Regime.CN_PBOC)
    expected = vector("CN-ICBC-12x0.60")["expected"]["value"]
    assert rate.rounded_percent(2) == Decimal(str(expected))
    assert FlatMonthlyFee("0.006").naive_annual() * 100 == Decimal("7.2")


def test_flat_fee_on_an_amount_that_does_not_split_evenly():
    plan = flat_fee(cny("1000.00"), FlatMonthlyFee("0.0075"), 3, start="2024-01-31")
    assert [i.principal for i in plan.installments] == [
        cny("333.33"),
        cny("333.33"),
        cny("333.34"),
    ]
    assert {i.fee for i in plan.installments} == {cny("7.50")}
    assert [i.due.isoformat() for i in plan.installments] == [
        "2024-02-29",
        "2024-03-31",
        "2024-04-30",
    ]


# --- properties ------------------------------------------------------------------------

currencies = st.sampled_from(["JPY", "CNY", "USD", "KWD"])
rates_bp = st.integers(min_value=0, max_value=3600)
counts = st.integers(min_value=1, max_value=120)
frequencies = st.sampled_from(list(Frequency))
starts = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31))


@st.composite
def loans(draw):
    currency = draw(currencies)
    count = draw(counts)
    places = Money("1", currency).minor_units
    principal_units = draw(st.integers(min_value=count, max_value=10**10))
    principal = Money(Decimal(principal_units).scaleb(-places), currency)
    rate = InterestRate.annual(Decimal(draw(rates_bp)).scaleb(-4))
    return principal, rate, count, draw(frequencies), draw(starts)


def check_exact(plan, principal):
    parts = [units(i.principal) for i in plan.installments]
    assert sum(parts) == units(principal)
    assert plan.installments[-1].balance_after.amount == 0
    balance = units(principal)
    for item in plan.installments:
        balance -= units(item.principal)
        assert units(item.balance_after) == balance >= 0
        for amount in (item.principal, item.interest, item.fee, item.balance_after):
            assert amount.currency == principal.currency
            assert amount.is_rounded()
            assert amount.amount >= 0
    assert [i.seq for i in plan.installments] == list(range(1, len(plan.installments) + 1))
    dues = [i.due for i in plan.installments]
    assert dues == sorted(dues)
    assert dues[0] > plan.start


def check_interest(plan, principal, rate, frequency):
    """Each period's interest is balance x annual / periods, divided last, half-up."""
    balance = principal.amount
    with localcontext(Context(prec=60)):
        for item in plan.installments:
            expected = (balance * rate.value / frequency.periods_per_year).quantize(
                principal.quantum, ROUND_HALF_UP
            )
            assert item.interest.amount == expected
            balance -= item.principal.amount


def _naive_last(balance: int, r: Fraction, count: int, payment: int) -> int | None:
    """Oracle: the last installment for a level *payment*, or None if it runs out early."""
    for _ in range(count - 1):
        interest = balance * r
        interest = div_round(interest.numerator, interest.denominator, ROUND_HALF_UP)
        part = payment - interest
        if not 0 <= part < balance:
            return None
        balance -= part
    interest = balance * r
    return balance + div_round(interest.numerator, interest.denominator, ROUND_HALF_UP)


def level_plan(principal, rate, count, *, start, frequency):
    """``equal_installment``, or None when it refuses a balloon and the oracle agrees.

    The refusal is checked, not trusted: every whole-unit payment from one below the
    rounded annuity upwards either runs out before the last installment or leaves a last
    one more than twice the payment and more than one unit per installment above it.
    """
    try:
        return equal_installment(principal, rate, count, start=start, frequency=frequency)
    except ValidationError as error:
        if "a balloon" not in str(error):
            raise
    r = Fraction(rate.periodic(frequency.periods_per_year))
    financed = units(principal)
    exact = financed * r / (1 - (1 + r) ** -count)
    payment = max(1, div_round(exact.numerator, exact.denominator, ROUND_HALF_UP) - 1)
    while (last := _naive_last(financed, r, count, payment)) is not None:
        assert last > 2 * payment, (payment, last)
        assert last - payment > count, (payment, last)
        payment += 1
    return None


@PROPERTY
@given(loan=loans())
def test_equal_installment_is_exact_and_level(loan):
    principal, rate, count, frequency, start = loan
    plan = level_plan(principal, rate, count, start=start, frequency=frequency)
    assume(plan is not None)
    check_exact(plan, principal)
    check_interest(plan, principal, rate, frequency)
    totals = [units(i.total) for i in plan.installments]
    payment = totals[0]
    assert set(totals[:-1]) <= {payment}
    assert min(totals) >= 1
    assert units(plan.installments[-1].principal) >= 1
    # The bound on the last installment: with e the payment's rounding error and each
    # interest rounding at most 1/2, |last - payment| <= (1/2 + |e|) x sum of (1+r)^j.
    r = rate.periodic(frequency.periods_per_year)
    exact = (
        Fraction(units(principal), count)
        if r == 0
        else units(principal) * r / (1 - (1 + r) ** -count)
    )
    growth = count if r == 0 else ((1 + r) ** count - 1) / r
    assert abs(totals[-1] - payment) <= (Fraction(1, 2) + abs(payment - exact)) * growth
    # The payment is the exact annuity rounded half-up, unless that would have repaid the
    # balance early; then it is one unit less.
    rounded = div_round(exact.numerator, exact.denominator, ROUND_HALF_UP)
    assert payment in {rounded, rounded - 1} or count == 1


@PROPERTY
@given(loan=loans())
def test_equal_principal_is_exact(loan):
    principal, rate, count, frequency, start = loan
    plan = equal_principal(principal, rate, count, start=start, frequency=frequency)
    check_exact(plan, principal)
    check_interest(plan, principal, rate, frequency)
    parts = [units(i.principal) for i in plan.installments]
    assert len(set(parts[:-1])) <= 1
    assert min(parts) >= 1
    # The last part is P - (n-1) x part = part - n x (rounding error of P / n): at most
    # n/2 units away when rounded half-up, below n when rounded down.
    exact = Fraction(units(principal), count)
    assert abs(parts[-1] - parts[0]) <= count * abs(parts[0] - exact)
    assert abs(parts[0] - exact) < 1
    interest = [units(i.interest) for i in plan.installments]
    assert interest == sorted(interest, reverse=True)


@PROPERTY
@given(loan=loans(), fee_bp=st.integers(min_value=0, max_value=200))
def test_flat_fee_is_exact(loan, fee_bp):
    principal, _, count, _, start = loan
    fee = FlatMonthlyFee(Decimal(fee_bp).scaleb(-4))
    plan = flat_fee(principal, fee, count, start=start)
    check_exact(plan, principal)
    assert min(units(i.principal) for i in plan.installments) >= 1
    expected_fee = (principal.amount * fee.rate).quantize(principal.quantum, ROUND_HALF_UP)
    assert {i.fee.amount for i in plan.installments} == {expected_fee}
    assert plan.total_interest.amount == 0


@PROPERTY
@given(loan=loans())
def test_interest_only_is_exact_with_a_balloon(loan):
    principal, rate, count, frequency, start = loan
    plan = interest_only(principal, rate, count, start=start, frequency=frequency)
    check_exact(plan, principal)
    check_interest(plan, principal, rate, frequency)
    assert [i.principal.amount for i in plan.installments[:-1]] == [0] * (count - 1)
    assert plan.installments[-1].principal == principal


@PROPERTY
@given(loan=loans())
def test_builders_ignore_a_low_precision_decimal_context(loan):
    principal, rate, count, frequency, start = loan
    reference = level_plan(principal, rate, count, start=start, frequency=frequency)
    assume(reference is not None)
    with localcontext(Context(prec=5)):
        again = equal_installment(principal, rate, count, start=start, frequency=frequency)
    assert again == reference


@PROPERTY
@given(
    principal_units=st.integers(min_value=12, max_value=10**9),
    bp=st.integers(min_value=1, max_value=3600),
)
def test_an_effective_rate_uses_its_compound_periodic_rate(principal_units, bp):
    principal = cny(str(Decimal(principal_units).scaleb(-2)))
    effective = InterestRate.effective(Decimal(bp).scaleb(-4))
    plan = equal_installment(principal, effective, 12, start="2024-01-15")
    check_exact(plan, principal)
    monthly = effective.monthly()
    assert abs((1 + monthly) ** 12 - 1 - Fraction(effective.value)) < Fraction(1, 10**20)
    first = Decimal(principal_units) * Decimal(monthly.numerator) / monthly.denominator
    assert units(plan.installments[0].interest) == first.quantize(Decimal(1), ROUND_HALF_UP)


def test_a_daily_rate_is_annualised_with_its_day_count():
    rate = InterestRate.daily("0.0005", DayCount.X360)  # 18 % a year, 1.5 % a month
    plan = interest_only(cny("10000.00"), rate, 2, start="2024-01-15")
    assert plan.installments[0].interest == cny("150.00")


# --- examples --------------------------------------------------------------------------


def test_equal_principal_example():
    plan = equal_principal(cny("1200.00"), InterestRate.annual("0.12"), 3, start="2024-01-31")
    assert [(str(i.due), i.principal, i.interest) for i in plan.installments] == [
        ("2024-02-29", cny("400.00"), cny("12.00")),
        ("2024-03-31", cny("400.00"), cny("8.00")),
        ("2024-04-30", cny("400.00"), cny("4.00")),
    ]


def test_equal_parts_round_down_when_rounding_up_would_overpay():
    # 15 yen in 10 parts: 2 each would run out after 7; 1 each and 6 at the end instead.
    plan = equal_principal(Money(15, "JPY"), InterestRate.zero(), 10, start="2024-01-15")
    assert [units(i.principal) for i in plan.installments] == [1] * 9 + [6]
    # 18 yen in 10 parts: 2 each would leave nothing for the last part.
    plan = equal_principal(Money(18, "JPY"), InterestRate.zero(), 10, start="2024-01-15")
    assert [units(i.principal) for i in plan.installments] == [1] * 9 + [9]
    annuity = equal_installment(Money(15, "JPY"), InterestRate.zero(), 10, start="2024-01-15")
    assert [units(i.total) for i in annuity.installments] == [1] * 9 + [6]


def test_interest_only_balloon_example():
    plan = interest_only(usd("5000.00"), InterestRate.annual("0.06"), 3, start="2024-01-15")
    assert [i.total for i in plan.installments] == [usd("25.00"), usd("25.00"), usd("5025.00")]
    assert plan.total_interest == usd("75.00")


@pytest.mark.parametrize(
    ("frequency", "dues"),
    [
        (Frequency.WEEKLY, ["2024-02-22", "2024-02-29", "2024-03-07"]),
        (Frequency.FORTNIGHTLY, ["2024-02-29", "2024-03-14", "2024-03-28"]),
        (Frequency.SEMIMONTHLY, ["2024-02-29", "2024-03-15", "2024-03-30"]),
        (Frequency.MONTHLY, ["2024-03-15", "2024-04-15", "2024-05-15"]),
    ],
)
def test_default_first_due_is_one_period_after_the_start(frequency, dues):
    plan = equal_installment(
        usd("300.00"), InterestRate.annual("0.1"), 3, start="2024-02-15", frequency=frequency
    )
    assert [i.due.isoformat() for i in plan.installments] == dues


def test_monthly_plan_from_january_31_clamps_in_a_leap_year():
    plan = equal_installment(usd("1000.00"), InterestRate.annual("0.1"), 4, start="2024-01-31")
    assert [i.due.isoformat() for i in plan.installments] == [
        "2024-02-29",
        "2024-03-31",
        "2024-04-30",
        "2024-05-31",
    ]
    plan = equal_installment(
        usd("1000.00"), InterestRate.annual("0.1"), 3, start="2023-01-01", first_due="2023-01-31"
    )
    assert [i.due.isoformat() for i in plan.installments] == [
        "2023-01-31",
        "2023-02-28",
        "2023-03-31",
    ]


def test_weekly_schedule_uses_a_weekly_rate():
    plan = interest_only(
        usd("5200.00"),
        InterestRate.annual("0.52"),
        2,
        start="2024-01-01",
        frequency=Frequency.WEEKLY,
    )
    assert plan.installments[0].interest == usd("52.00")  # 5,200 x 0.52 / 52


# --- upfront items ---------------------------------------------------------------------


def test_fee_withheld_at_drawdown_reduces_the_amount_financed():
    fee = UpfrontItem(kind=UpfrontKind.FEE, amount=usd("50.00"), on="2024-01-15", withheld=True)
    plan = equal_installment(
        usd("1000.00"), InterestRate.zero(), 2, start="2024-01-15", upfront=[fee]
    )
    flows = plan.cash_flows()
    assert flows[0] == CashFlow("2024-01-15", "950.00")
    assert [f.amount for f in flows[1:]] == [Decimal("-500.00"), Decimal("-500.00")]
    assert plan.total_paid == usd("1000.00")  # the withheld fee is never paid in cash
    assert plan.total_fees == usd("50.00")
    assert annual_rate(plan, regime=Regime.XIRR).rate > 0


def test_fee_paid_upfront_is_an_outflow_on_its_date():
    fee = UpfrontItem(kind=UpfrontKind.FEE, amount=usd("50.00"), on="2024-01-20")
    plan = equal_installment(
        usd("1000.00"), InterestRate.zero(), 2, start="2024-01-15", upfront=[fee]
    )
    assert plan.cash_flows()[:2] == (
        CashFlow("2024-01-15", "1000.00"),
        CashFlow("2024-01-20", "-50.00"),
    )
    assert plan.total_paid == usd("1050.00")
    assert plan.installments[0].principal == usd("500.00")


def test_upfront_payment_reduces_the_balance_the_installments_repay():
    down = UpfrontItem(kind=UpfrontKind.PAYMENT, amount=usd("200.00"), on="2024-01-15")
    plan = equal_principal(
        usd("1000.00"), InterestRate.annual("0.12"), 2, start="2024-01-15", upfront=[down]
    )
    assert plan.principal == usd("1000.00")
    assert [i.principal for i in plan.installments] == [usd("400.00"), usd("400.00")]
    assert plan.installments[0].interest == usd("8.00")  # on 800, not 1,000
    assert plan.installments[-1].balance_after == usd("0.00")
    assert plan.total_paid == usd("1000.00") + usd("8.00") + usd("4.00")


def test_upfront_payments_must_leave_something_to_repay():
    down = UpfrontItem(kind=UpfrontKind.PAYMENT, amount=usd("1000.00"), on="2024-01-15")
    with pytest.raises(ValidationError) as info:
        equal_installment(
            usd("1000.00"), InterestRate.zero(), 2, start="2024-01-15", upfront=[down]
        )
    assert info.value.field == "upfront"


def test_upfront_items_must_be_in_the_plan_currency():
    fee = UpfrontItem(kind=UpfrontKind.FEE, amount=cny("10.00"), on="2024-01-15")
    with pytest.raises(ValidationError) as info:
        equal_installment(usd("100.00"), InterestRate.zero(), 2, start="2024-01-15", upfront=[fee])
    assert info.value.field == "upfront[0]"


# --- custom ----------------------------------------------------------------------------


def test_custom_rows_build_a_plan():
    plan = custom(
        usd("300.00"),
        [
            ("2024-02-01", usd("100.00"), usd("2.00"), usd("1.00")),
            (dt.date(2024, 3, 1), usd("200.00"), usd("1.00"), usd("0.00")),
        ],
        start="2024-01-01",
    )
    assert [i.balance_after for i in plan.installments] == [usd("200.00"), usd("0.00")]
    assert plan.total_paid == usd("304.00")


def test_custom_rows_count_upfront_payments():
    down = UpfrontItem(kind=UpfrontKind.PAYMENT, amount=usd("100.00"), on="2024-01-01")
    plan = custom(
        usd("300.00"),
        [("2024-02-01", usd("200.00"), usd("0.00"), usd("0.00"))],
        start="2024-01-01",
        upfront=[down],
    )
    assert plan.installments[0].balance_after == usd("0.00")


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        ([("2024-02-01", usd("100.00"), usd("0"), usd("0"))], "rows"),
        ([("2024-02-01", usd("400.00"), usd("0"), usd("0"))], "rows[0].principal"),
        ([("2024-02-30", usd("300.00"), usd("0"), usd("0"))], "rows[0].due"),
        ([("2024-02-01", usd("300.00"), usd("0"))], "rows[0]"),
        ([("2024-02-01", cny("300.00"), usd("0"), usd("0"))], "rows[0].principal"),
        ([("2024-02-01", usd("300.00"), usd("0"), "1")], "rows[0].fee"),
        ([("2024-02-01", usd("300.00"), usd("-1.00"), usd("0"))], "Installment.interest"),
        ("2024-02-01", "rows"),
    ],
)
def test_custom_rows_are_validated_naming_the_field(rows, field):
    with pytest.raises(ValidationError) as info:
        custom(usd("300.00"), rows, start="2024-01-01")
    assert info.value.field == field


def test_custom_rows_with_a_float_name_the_row():
    with pytest.raises(FloatNotAllowedError, match=r"rows\[0\]\.interest"):
        custom(usd("300.00"), [("2024-02-01", usd("300.00"), 1.5, usd("0"))], start="2024-01-01")


# --- bad inputs ------------------------------------------------------------------------

RATE = InterestRate.annual("0.1")
BUILDERS = [
    lambda **kw: equal_installment(rate=RATE, **kw),
    lambda **kw: equal_principal(rate=RATE, **kw),
    lambda **kw: flat_fee(fee=FlatMonthlyFee("0.006"), **kw),
    lambda **kw: interest_only(rate=RATE, **kw),
]


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"count": 0}, "count"),
        ({"count": -3}, "count"),
        ({"count": 2.0}, "count"),
        ({"principal": usd("-100.00")}, "principal"),
        ({"principal": usd("0.00")}, "principal"),
        ({"principal": usd("100.005")}, "principal"),
        ({"principal": Decimal("100")}, "principal"),
        ({"start": "2026-02-30"}, "start"),
        ({"start": "tomorrow"}, "start"),
        ({"first_due": "2026-02-30"}, "first_due"),
        ({"first_due": "2025-12-31"}, "first_due"),
        ({"upfront": "fee"}, "upfront"),
        ({"upfront": [usd("1.00")]}, "upfront[0]"),
        ({"label": 7}, "label"),
    ],
)
def test_bad_inputs_raise_validation_errors_naming_the_field(build, changes, field):
    arguments = {"principal": usd("100.00"), "count": 3, "start": "2026-01-01"} | changes
    with pytest.raises(ValidationError) as info:
        build(**arguments)
    assert info.value.field == field
    assert field in str(info.value)


@pytest.mark.parametrize("build", BUILDERS)
def test_a_float_principal_is_refused(build):
    with pytest.raises(FloatNotAllowedError, match="principal"):
        build(principal=100.0, count=3, start="2026-01-01")


def test_a_principal_below_one_unit_per_installment_is_refused():
    with pytest.raises(ValidationError) as info:
        equal_installment(cny("0.05"), RATE, 12, start="2026-01-01")
    assert info.value.field == "principal"
    # An interest-only plan repays the principal at once, so it needs no minimum.
    plan = interest_only(cny("0.05"), RATE, 12, start="2026-01-01")
    assert plan.installments[-1].principal == cny("0.05")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"rate": "0.1"}, "rate"),
        ({"rate": RATE, "frequency": "monthly"}, "frequency"),
    ],
)
def test_rate_and_frequency_types_are_checked(arguments, field):
    with pytest.raises(ValidationError) as info:
        equal_installment(usd("100.00"), count=3, start="2026-01-01", **arguments)
    assert info.value.field == field


def test_flat_fee_needs_a_flat_monthly_fee():
    with pytest.raises(ValidationError) as info:
        flat_fee(usd("100.00"), InterestRate.per_month("0.006"), 3, start="2026-01-01")
    assert info.value.field == "fee"


def test_semimonthly_from_a_month_end_uses_the_15th_and_the_month_end():
    plan = equal_installment(
        usd("300.00"),
        InterestRate.annual("0.1"),
        3,
        start="2024-01-31",
        frequency=Frequency.SEMIMONTHLY,
    )
    assert [i.due.isoformat() for i in plan.installments] == [
        "2024-02-15",
        "2024-02-29",
        "2024-03-15",
    ]


@PROPERTY
@given(loan=loans())
def test_plans_round_trip_through_to_dict(loan):
    principal, rate, count, frequency, start = loan
    plan = level_plan(principal, rate, count, start=start, frequency=frequency)
    assume(plan is not None)
    assert Plan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan


@PROPERTY
@given(start=starts, count=st.integers(min_value=1, max_value=60))
def test_default_monthly_dates_are_the_start_plus_k_months(start, count):
    plan = equal_principal(Money(10**6, "JPY"), RATE, count, start=start)
    assert [i.due for i in plan.installments] == [add_months(start, k) for k in range(1, count + 1)]


# --- long terms at high rates: no hidden balloon --------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "annual"),
    [("1000.00", "USD", "0.30"), ("100000", "JPY", "0.30")],
)
def test_a_level_payment_that_repays_nothing_is_refused_not_a_hidden_balloon(
    amount, currency, annual
):
    # The exact payment is 25.0000037 (2.5 % a month over 360 months): rounded to the
    # minor unit it equals the interest, repays nothing, and the last installment would
    # carry the whole balance; one unit more runs out long before month 360.
    with pytest.raises(ValidationError, match=r"^count: .*a balloon.*interest_only") as raised:
        equal_installment(
            Money(amount, currency), InterestRate.annual(annual), 360, start="2024-01-31"
        )
    assert "last installment of 1025.00 USD" in str(raised.value) or currency == "JPY"


@pytest.mark.parametrize(
    ("amount", "currency", "annual", "months"),
    [
        ("1000000", "JPY", "0.15", 360),
        ("20000.00", "CNY", "0.24", 360),
        ("1000.00", "USD", "0.30", 120),
        ("15000.00", "USD", "0.08", 24),
    ],
)
def test_long_high_rate_schedules_amortize_with_a_bounded_last_installment(
    amount, currency, annual, months
):
    plan = equal_installment(
        Money(amount, currency), InterestRate.annual(annual), months, start="2024-01-31"
    )
    level = plan.installments[0].total
    assert plan.installments[-1].total.amount <= 2 * level.amount
    assert all(i.principal.amount > 0 for i in plan.installments)
    assert sum(i.principal.amount for i in plan.installments) == Money(amount, currency).amount


@pytest.mark.parametrize("start", ["9990-01-01", "9990-01-31"])  # stepped, then clamped dates
@pytest.mark.parametrize("first_due", [None, "9990-02-28"])
def test_a_term_past_the_calendar_names_the_count_whatever_the_start_day(start, first_due):
    with pytest.raises(ValidationError) as info:
        equal_installment(
            Money("1000000.00", "USD"), InterestRate.zero(), 1000, start=start, first_due=first_due
        )
    assert str(info.value) == (
        "count: expected a term whose due dates end by the year 9999, got 1000"
    )
