"""Plans held as integer rows against the validated construction they replace (issue 11).

The schedule builders and ``custom()`` hand their rows to the plan as whole minor units,
and the plan makes its ``Installment``/``Money`` objects only on access. Each test builds
the same schedule a second time through the public, fully validated constructors
(``Money(...)``, ``Installment(...)``, ``Plan(...)``) and asks for cent- and
byte-identical rows, totals, cash flows and annual rates, in currencies with 0, 2 and 3
minor units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from debtnegotiation import toolkit
from debtnegotiation.apr import Regime, annual_rate
from debtnegotiation.errors import DebtNegotiationError, ValidationError
from debtnegotiation.money import Money, minor_units
from debtnegotiation.plan import Installment, Plan, UpfrontItem, UpfrontKind, Waiver, WaiverKind
from debtnegotiation.rates import FlatMonthlyFee, InterestRate
from debtnegotiation.schedules import (
    custom,
    equal_installment,
    equal_principal,
    flat_fee,
    interest_only,
)

MANY = settings(max_examples=150, deadline=None)

CURRENCIES = ("JPY", "CNY", "KWD")  # 0, 2 and 3 minor units

starts = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2040, 12, 31))
counts = st.integers(min_value=1, max_value=72)
rates = st.integers(min_value=0, max_value=3600).map(
    lambda bp: InterestRate.annual(Decimal(bp).scaleb(-4))
)
fees = st.integers(min_value=0, max_value=200).map(
    lambda bp: FlatMonthlyFee(Decimal(bp).scaleb(-4))
)
roundings = st.sampled_from(["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN", "ROUND_UP"])


@st.composite
def loans(draw: st.DrawFn) -> tuple[Money, int, dt.date, tuple[UpfrontItem, ...]]:
    """A principal of at least a unit per installment, and optional upfront items."""
    currency = draw(st.sampled_from(CURRENCIES))
    places = minor_units(currency)
    count = draw(counts)
    units = draw(st.integers(min_value=count * 3, max_value=10**9))
    principal = Money(Decimal(units).scaleb(-places), currency)
    start = draw(starts)
    upfront: list[UpfrontItem] = []
    if draw(st.booleans()):
        paid = draw(st.integers(min_value=1, max_value=units - count * 2))
        upfront.append(
            UpfrontItem(
                kind=UpfrontKind.PAYMENT,
                amount=Money(Decimal(paid).scaleb(-places), currency),
                on=start,
            )
        )
    if draw(st.booleans()):
        fee = draw(st.integers(min_value=1, max_value=max(1, units // 20)))
        upfront.append(
            UpfrontItem(
                kind=UpfrontKind.FEE,
                amount=Money(Decimal(fee).scaleb(-places), currency),
                on=start + dt.timedelta(days=draw(st.integers(0, 20))),
                withheld=draw(st.booleans()),
            )
        )
    return principal, count, start, tuple(upfront)


def _reference(plan: Plan) -> Plan:
    """The same schedule through the public, validated constructors only."""
    cur = plan.currency

    def money(amount: Decimal) -> Money:
        return Money(str(amount), cur)

    return Plan(
        principal=Money(str(plan.principal.amount), cur),
        start=plan.start.isoformat(),
        installments=[
            Installment(
                seq=i.seq,
                due=i.due.isoformat(),
                principal=money(i.principal.amount),
                interest=money(i.interest.amount),
                fee=money(i.fee.amount),
                balance_after=money(i.balance_after.amount),
            )
            for i in plan.installments
        ],
        upfront=plan.upfront,
        waivers=plan.waivers,
        conditions=plan.conditions,
        label=plan.label,
    )


_METRICS = (
    "total_paid",
    "total_interest",
    "total_fees",
    "total_waived",
    "cost_above_principal",
    "peak_installment",
    "cash_at_start",
    "typical_installment",
    "number_of_payments",
    "end",
    "months",
)


def _rates(plan: Plan) -> list[object]:
    out: list[object] = []
    for regime in Regime:
        try:
            out.append(annual_rate(plan, regime=regime))
        except DebtNegotiationError as error:
            out.append((type(error), str(error)))
    return out


def _assert_same(fast: Plan, reference: Plan) -> None:
    # Metrics first, while the fast plan still holds only its integer rows.
    for name in _METRICS:
        a, b = getattr(fast, name), getattr(reference, name)
        assert a == b, name
        assert repr(a) == repr(b), name  # the same Decimal exponent: byte-identical output
    flows, expected = fast.cash_flows(), reference.cash_flows()
    assert [(f.on, str(f.amount)) for f in flows] == [(f.on, str(f.amount)) for f in expected]
    assert toolkit.largest_payment(fast) == toolkit.largest_payment(reference)
    assert _rates(fast) == _rates(reference)
    # Then the installments, made on access.
    assert fast.to_dict() == reference.to_dict()
    assert fast == reference
    assert [repr(i) for i in fast.installments] == [repr(i) for i in reference.installments]


def _built(make: Callable[[], Plan]) -> Plan:
    try:
        return make()
    except ValidationError:
        assume(False)
        raise  # pragma: no cover - assume(False) raises


@MANY
@given(
    loan=loans(),
    rate=rates,
    rounding=roundings,
    builder=st.sampled_from([equal_installment, equal_principal, interest_only]),
)
def test_rate_builders_match_the_validated_construction(
    loan: tuple[Money, int, dt.date, tuple[UpfrontItem, ...]],
    rate: InterestRate,
    rounding: str,
    builder: Callable[..., Plan],
) -> None:
    principal, count, start, upfront = loan
    plan = _built(
        lambda: builder(principal, rate, count, start=start, upfront=upfront, rounding=rounding)
    )
    assert plan._int_rows() is not None
    _assert_same(plan, _reference(plan))


@MANY
@given(loan=loans(), fee=fees, rounding=roundings)
def test_flat_fee_matches_the_validated_construction(
    loan: tuple[Money, int, dt.date, tuple[UpfrontItem, ...]], fee: FlatMonthlyFee, rounding: str
) -> None:
    principal, count, start, upfront = loan
    plan = _built(
        lambda: flat_fee(principal, fee, count, start=start, upfront=upfront, rounding=rounding)
    )
    _assert_same(plan, _reference(plan))


@MANY
@given(loan=loans(), rate=rates)
def test_custom_rows_match_the_validated_construction(
    loan: tuple[Money, int, dt.date, tuple[UpfrontItem, ...]], rate: InterestRate
) -> None:
    principal, count, start, upfront = loan
    base = _built(lambda: equal_installment(principal, rate, count, start=start, upfront=upfront))
    rows = [(i.due, i.principal, i.interest, i.fee) for i in base.installments]
    plan = custom(principal, rows, start=start, upfront=upfront, label="custom")
    assert plan._int_rows() is not None
    _assert_same(plan, _reference(plan))


@MANY
@given(loan=loans(), rate=rates, waived=st.integers(min_value=0, max_value=10**6))
def test_trusted_copy_equals_a_validated_copy_and_keeps_metrics(
    loan: tuple[Money, int, dt.date, tuple[UpfrontItem, ...]], rate: InterestRate, waived: int
) -> None:
    principal, count, start, upfront = loan
    plan = _built(lambda: equal_installment(principal, rate, count, start=start, upfront=upfront))
    paid = plan.total_paid  # cached before the copy
    waivers = (Waiver(kind=WaiverKind.INTEREST, amount=Money(waived, plan.currency)),)
    copy = plan._replace(waivers=waivers, conditions=("in writing",), label="x")
    expected = attrs.evolve(plan, waivers=waivers, conditions=("in writing",), label="x")
    assert "installments" not in vars(copy)  # the installments are not made for it
    assert vars(copy)["total_paid"] is paid  # the cached metric is kept
    assert copy.total_waived == expected.total_waived == waivers[0].amount
    assert copy == expected
    _assert_same(copy, _reference(expected))


def test_custom_keeps_amounts_as_written_when_they_are_not_in_minor_units() -> None:
    """``100`` for ``100.00 USD`` takes the validated path and stays ``100``."""
    usd = "USD"
    plan = custom(
        Money("300", usd),
        [
            ("2024-02-01", Money("100", usd), Money("2", usd), Money("0", usd)),
            ("2024-03-01", Money("200", usd), Money("1", usd), Money("0", usd)),
        ],
        start="2024-01-01",
    )
    assert plan._int_rows() is None
    assert [str(i.balance_after.amount) for i in plan.installments] == ["200", "0"]
    assert str(plan.total_paid.amount) == "303"


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        (
            [("2024-03-01", "100.00", "0.00", "0.00"), ("2024-02-01", "200.00", "0.00", "0.00")],
            "Plan.installments[1].due",
        ),
        ([("2023-12-01", "300.00", "0.00", "0.00")], "Plan.installments[0].due"),
        ([("2024-02-01", "300.00", "-1.00", "0.00")], "Installment.interest"),
        ([("2024-02-01", "200.00", "0.00", "0.00")], "rows"),
        ([("2024-02-01", "400.00", "0.00", "0.00")], "rows[0].principal"),
    ],
)
def test_custom_still_names_the_field_of_an_invalid_row(
    rows: list[tuple[str, str, str, str]], field: str
) -> None:
    usd = "USD"
    given_rows = [(d, Money(p, usd), Money(i, usd), Money(f, usd)) for d, p, i, f in rows]
    with pytest.raises(ValidationError) as caught:
        custom(Money("300.00", usd), given_rows, start="2024-01-01")
    assert caught.value.field == field
