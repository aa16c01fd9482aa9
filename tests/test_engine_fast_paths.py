"""The engine's fast paths (issue 11) against the construction they replace, plan for plan.

* a deferral with nothing capitalised builds its resumption as one equal-installment
  schedule due from the month after the holiday, instead of rebuilding its rows through
  :func:`~debtnegotiation.schedules.custom`: the same plan, cent for cent and date for
  date, including at month ends (where it keeps to the rows);
* the fee-advance strategy's spread variant reuses the upfront proposal it rests on:
  the same proposals as :func:`~debtnegotiation.strategies.fee_advance.propose_spread`
  building it again;
* the host's C-speed plan check takes the library's own ``Text`` labels and conditions
  (the slow field-by-field walk, which accepts any ``str``, was taken for every built-in
  plan): any other kind still goes the slow way, which names a culprit;
* a ``Text`` shows a value of a common exact type by one lookup: what the checks by kind
  give for it;
* the advance-fee review compares principal and interest without summing them, and the
  undiscounted present value skips the powers of one: the same findings and figures;
* ``str(Money)`` names the library context's notation instead of switching to it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Context, Decimal, Inexact, Rounded, localcontext
from fractions import Fraction
from typing import Final

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from debtnegotiation import _result_checks, apr, ranking, reviews
from debtnegotiation import negotiation as negotiation_module
from debtnegotiation import text as text_module
from debtnegotiation._context import LIBRARY_CONTEXT
from debtnegotiation._exact import EXACT
from debtnegotiation._input_guard import Snapshot
from debtnegotiation.apr import Regime, annual_rate
from debtnegotiation.case import Case, Goals
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.errors import NoUniqueRateError, ValidationError
from debtnegotiation.example import example_borrower, example_debts, example_policies
from debtnegotiation.money import Money, total
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.plan import Plan, UpfrontItem, UpfrontKind, WaiverKind, _Rows
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.policy import FeeTiming, LenderPolicy
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.rates import FlatMonthlyFee, InterestRate
from debtnegotiation.schedule_dates import add_months, whole_months_between
from debtnegotiation.schedules import (
    custom,
    equal_installment,
    equal_principal,
    flat_fee,
    interest_only,
)
from debtnegotiation.strategies import deferral, fee_advance
from debtnegotiation.text import Items, Label, Percent, Text

starts = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
#: 120.00 to 200,000.00: a minor unit for each of up to 120 installments, and more.
owed_cents = st.integers(min_value=12_000, max_value=20_000_000)
plan_rates = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=3600).map(
        lambda bp: InterestRate.annual(Decimal(bp).scaleb(-4))
    ),
)

_PLATFORM = example_debts()[0]
_POLICY = example_policies()[_PLATFORM.creditor.name]
_ELIGIBLE = Eligibility.ELIGIBLE


def _case(cents: int, on: dt.date, policy: LenderPolicy, goals: Goals | None = None) -> Case:
    """The example platform debt, owing *cents* on *on* (nothing accrued beside it)."""
    debt = attrs.evolve(
        _PLATFORM,
        principal=Money(Decimal(cents).scaleb(-2), "CNY"),
        accrued_interest=Money("0.00", "CNY"),
        penalty_interest=Money("0.00", "CNY"),
        as_of=on,
        opened=on,
    )
    return Case(
        debt=debt,
        borrower=example_borrower(),
        goals=goals or Goals(),
        policy=policy,
        on=on,
    )


def _same_plan(fast: Plan, reference: Plan) -> None:
    assert fast == reference
    assert attrs.asdict(fast) == attrs.asdict(reference)
    assert [attrs.astuple(i) for i in fast.installments] == [
        attrs.astuple(i) for i in reference.installments
    ]
    for metric in (
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
    ):
        assert getattr(fast, metric) == getattr(reference, metric), metric
    assert fast.cash_flows() == reference.cash_flows()
    for regime in Regime:
        assert annual_rate(fast, regime=regime) == annual_rate(reference, regime=regime)


@settings(max_examples=200, deadline=None)
@given(
    cents=owed_cents,
    on=starts,
    rate=plan_rates,
    holiday=st.integers(min_value=1, max_value=6),
    count=st.integers(min_value=1, max_value=120),
)
def test_a_deferral_without_capitalised_interest_builds_the_rows_plan(
    cents: int, on: dt.date, rate: InterestRate | None, holiday: int, count: int
) -> None:
    policy = attrs.evolve(_POLICY, plan_rate=rate, deferral_interest=False)
    case = _case(cents, on, policy)
    zero = Money("0.00", "CNY")
    fast = deferral._builder(case, policy, holiday, zero)(count)
    label = f"deferral {holiday} + {count} months"
    reference = deferral._resumed(
        case, case.owed, deferral.plan_rate(policy), holiday, zero, count, label
    )
    _same_plan(fast, reference)
    assert str(fast.label) == label


@settings(max_examples=100, deadline=None)
@given(
    cents=owed_cents,
    on=starts,
    rate=plan_rates,
    interest=st.booleans(),
    months=st.integers(min_value=2, max_value=36),
)
def test_a_deferral_proposes_the_plan_its_rows_give(
    cents: int, on: dt.date, rate: InterestRate | None, interest: bool, months: int
) -> None:
    """The whole proposal: its plan is the rows' plan at the term the search chose."""
    policy = attrs.evolve(_POLICY, plan_rate=rate, deferral_interest=interest, max_months=months)
    hardship = attrs.evolve(example_borrower().hardships[0], start=on, expected_end=None)
    case = attrs.evolve(
        _case(cents, on, policy),
        borrower=attrs.evolve(example_borrower(), hardships=(hardship,)),
    )
    proposal = deferral.propose(case)
    assert proposal is not None
    assert proposal.plan is not None
    holiday = min(deferral.holiday_months(case, policy), months - 1)
    capitalised = deferral.holiday_interest(case, policy, holiday)
    count = proposal.plan.number_of_payments
    reference = deferral._resumed(
        case,
        case.owed + capitalised,
        deferral.plan_rate(policy),
        holiday,
        capitalised,
        count,
        f"deferral {holiday} + {count} months",
    )
    _same_plan(proposal.plan, attrs.evolve(reference, conditions=proposal.plan.conditions))


@settings(max_examples=60, deadline=None)
@given(
    cents=owed_cents,
    on=starts,
    timing=st.sampled_from(list(FeeTiming)),
    # The budget per mille of the amount owed: a 5 % upfront fee above a budget of 4.4 % to
    # 5 % of it is spread over 24 months within the budget (the variant is proposed).
    per_mille=st.one_of(st.integers(min_value=44, max_value=50), st.integers(0, 200)),
)
@example(cents=1_919_875, on=dt.date(2026, 3, 31), timing=FeeTiming.UPFRONT, per_mille=48)
def test_the_spread_variant_is_the_one_propose_spread_builds(
    cents: int, on: dt.date, timing: FeeTiming, per_mille: int
) -> None:
    policy = attrs.evolve(_POLICY, fee_timing=timing)
    budget = Money(Decimal(cents * per_mille // 1000).scaleb(-2), "CNY")
    case = attrs.evolve(_case(cents, on, policy), budget=budget)
    proposals = fee_advance.debtneg_propose_plans(case)
    assert proposals is not None
    assert proposals[0] == fee_advance.propose(case)
    spread = fee_advance.propose_spread(case)
    assert proposals[1:] == (() if spread is None else (spread,))
    if (cents, per_mille) == (1_919_875, 48):
        assert spread is not None  # the example asks to spread the fee


# --- the host's plan check ----------------------------------------------------------------


def _example_proposals() -> list[Proposal]:
    debt = example_debts()[0]
    case = Case(
        debt=debt,
        borrower=example_borrower(),
        policy=example_policies()[debt.creditor.name],
        goals=Goals(max_months=24),
        on=debt.as_of,
    )
    host = get_plugin_host(load_entry_points=False, environ={})
    return [p for p in host.propose(case=case).items if p.plan is not None]


def test_the_built_in_plans_with_text_labels_take_the_plain_check() -> None:
    """A built-in plan's Text label and conditions are text: the C-speed check passes."""
    proposals = _example_proposals()
    assert proposals
    for proposal in proposals:
        plan = proposal.plan
        assert plan is not None
        assert isinstance(plan.label, Text)
        assert any(isinstance(c, Text) for c in plan.conditions)
        assert _result_checks._plan_is_plain(plan, "CNY")
        _result_checks._model(Plan)(plan)  # the field-by-field walk agrees: no mismatch
        _result_checks._check_plan(plan, "CNY")


class _Sly(Text):
    """A subclass of Text: not the library's own class, so the walk looks closer."""


@pytest.mark.parametrize(
    ("where", "value", "text"),
    [
        ("label", _Sly("plan", "sly"), True),
        ("label", 7, False),
        ("conditions", (Text("condition", "fine"), 7), False),
        ("conditions", (_Sly("condition", "sly"),), True),
    ],
)
def test_other_text_kinds_take_the_field_by_field_walk(
    where: str, value: object, text: bool
) -> None:
    plan = _example_proposals()[0].plan
    assert plan is not None
    changed = plan._replace()
    vars(changed)[where] = value  # as a plugin could leave a frozen plan
    assert not _result_checks._plan_is_plain(changed, "CNY")
    if text:
        _result_checks._check_plan(changed, "CNY")  # text all the same: accepted
    else:
        with pytest.raises(ValidationError, match=f"Proposal.plan.{where}"):
            _result_checks._check_plan(changed, "CNY")


# --- Text's English -----------------------------------------------------------------------


class _Words(str):
    """A str subclass: shown by the checked path, as before."""


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        _Words("sub"),
        Text("reason", "a {x}", x=3),
        0,
        -12,
        10**30,
        Decimal("1.50"),
        Decimal("-0"),
        Decimal("NaN"),
        Money("775.00", "CNY"),
        Money("-3", "USD"),
        dt.date(2024, 2, 29),
        dt.datetime(2024, 2, 29, 12, 30, tzinfo=dt.UTC),
        Percent(Decimal("0.0473")),
        Percent(Decimal("0.05"), decimals=0),
        Label("verdict", "eligible"),
        Label("rate_label", "CN-PBOC", english="APR"),
        Items(["a", 1, Money("2.00", "CNY")]),
        Items([], empty="none"),
    ],
)
def test_the_english_of_a_common_type_is_what_the_checks_give(value: object) -> None:
    assert text_module._english(value) == text_module._english_checked(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, False, 1.5, None, object(), b"bytes"])
def test_a_value_of_another_kind_is_still_refused(value: object) -> None:
    with pytest.raises(ValidationError, match="Text value"):
        text_module._english(value)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Text value"):
        Text("reason", "a {x}", x=value)  # type: ignore[arg-type]


# --- reviews and ranking ------------------------------------------------------------------


def _first_reducing_reference(plan: Plan) -> dt.date | None:
    """The first payment reducing the debt as the review computed it: with Money sums."""
    dates = [u.on for u in plan.upfront if u.kind is UpfrontKind.PAYMENT and u.amount]
    dates += [i.due for i in plan.installments if (i.principal + i.interest).amount > 0]
    return min(dates, default=None)


def _present_value_reference(plan: Plan, monthly_rate: Fraction) -> Money:
    """The general discounting formula, which the undiscounted case no longer runs."""
    factor = 1 + Decimal(monthly_rate.numerator) / Decimal(monthly_rate.denominator)
    result = Decimal(0)
    for flow in plan.cash_flows():
        if flow.amount < 0:
            result += -flow.amount / factor ** whole_months_between(plan.start, flow.on)
    return Money(result, plan.currency).rounded()


@settings(max_examples=150, deadline=None)
@given(
    cents=owed_cents,
    on=starts,
    rate=plan_rates,
    count=st.integers(min_value=1, max_value=60),
    holiday=st.integers(min_value=0, max_value=6),
    fee_rows=st.integers(min_value=0, max_value=3),
    fee_cents=st.integers(min_value=0, max_value=50_000),
    interest_rows=st.integers(min_value=0, max_value=2),
)
def test_the_advance_fee_review_and_present_value_are_what_they_were(
    *,
    interest_rows: int,
    cents: int,
    on: dt.date,
    rate: InterestRate | None,
    count: int,
    holiday: int,
    fee_rows: int,
    fee_cents: int,
) -> None:
    """Fees and empty installments before the first payment that reduces the debt."""
    owed = Money(Decimal(cents).scaleb(-2), "CNY")
    base = equal_installment(owed, rate or InterestRate.zero(), count, start=on)
    fee = Money(Decimal(fee_cents).scaleb(-2), "CNY")
    zero = Money("0.00", "CNY")
    interest = Money("12.34", "CNY")
    rows = [
        # A few rows of a fee only (nothing reduces the debt), then of interest and the
        # fee (interest paid reduces it: no fee after that is early), then the schedule.
        *((add_months(on, k + 1), zero, zero, fee) for k in range(fee_rows)),
        *(
            (add_months(on, fee_rows + k + 1), zero, interest, fee)
            for k in range(interest_rows)
        ),
        *(
            (add_months(on, holiday + fee_rows + interest_rows + k), i.principal, i.interest, i.fee)
            for k, i in enumerate(base.installments, 1)
        ),
    ]
    upfront = [UpfrontItem(kind=UpfrontKind.FEE, amount=fee, on=on)] if fee_cents % 2 else []
    plan = custom(owed, rows, start=on, upfront=upfront)
    finding = reviews.advance_fee(plan)
    first = _first_reducing_reference(plan)
    early = [i.fee for i in plan.installments if i.fee and (first is None or i.due < first)]
    expected = sum(early, zero) + sum((u.amount for u in upfront), zero)
    assert (finding is None) == (not expected)
    if finding is not None:
        assert finding.message.values["amount"] == expected
    for monthly in (Fraction(0), Fraction(1, 200)):
        assert ranking._present_value(plan, monthly) == _present_value_reference(plan, monthly)


# --- Money's English ----------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    coefficient=st.integers(min_value=-(10**40), max_value=10**40),
    exponent=st.integers(min_value=-30, max_value=30),
    capitals=st.sampled_from([0, 1]),
    precision=st.integers(min_value=1, max_value=40),
)
def test_money_is_said_in_the_library_contexts_notation_whatever_the_callers(
    coefficient: int, exponent: int, capitals: int, precision: int
) -> None:
    """The amount in the library context's notation, named instead of switched to."""
    money = Money._trusted(Decimal(coefficient).scaleb(exponent, EXACT), "CNY")
    with localcontext(LIBRARY_CONTEXT):
        expected = f"{money.amount} CNY"
    with localcontext(Context(prec=precision, capitals=capitals, traps=[Inexact, Rounded])):
        assert str(money) == expected


def test_a_smuggled_float_amount_is_still_said_as_before() -> None:
    money = Money("1.50", "CNY")
    object.__setattr__(money, "amount", 1.5)
    assert str(money) == "1.5 CNY"


# --- reviews, flows and due dates on integer rows --------------------------------------------

_FIELDS: Final = ("principal", "start", "upfront", "waivers", "conditions", "label")


def _made(plan: Plan) -> Plan:
    """*plan* with its installments made and no integer rows: every slow path runs on it.

    Built without validation from the rows' own installments, so that a rows plan that
    breaks the builders' guarantees (a negative principal part) has its reference too.
    """
    rows = plan._int_rows()
    assert rows is not None
    reference = object.__new__(Plan)
    vars(reference).update({name: vars(plan)[name] for name in _FIELDS})
    vars(reference)["installments"] = rows.installments()
    assert reference._int_rows() is None
    return reference


def _said(value: object) -> object:  # noqa: PLR0911 - one return per kind
    """*value* down to the digits: Money and Decimal by their tuples, Text by its values."""
    if isinstance(value, Text):
        return (str(value), value.context, value.message, _said(dict(value.values)))
    if isinstance(value, dict):
        return {key: _said(v) for key, v in value.items()}
    if isinstance(value, Money):
        return (value.currency, value.amount.as_tuple())
    if isinstance(value, Decimal):
        return value.as_tuple()
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return (type(value).__name__, *(_said(getattr(value, f.name)) for f in fields))
    if isinstance(value, tuple | list):
        return [_said(v) for v in value]
    return value


_REVIEWS: Final = (
    reviews.advance_fee,
    reviews.longer_term_costs_more,
    reviews.negative_amortization,
    reviews.no_unique_rate,
)


def _flows_reference(plan: Plan) -> list[CashFlow]:
    """The plan's flows by their definition: the advance, cash upfront items, installments."""
    withheld = sum((u.amount.amount for u in plan.upfront if u.withheld), Decimal(0))
    flows = [CashFlow(plan.start, EXACT.subtract(plan.principal.amount, withheld))]
    flows += [CashFlow(u.on, EXACT.minus(u.amount.amount)) for u in plan.upfront if not u.withheld]
    flows += [CashFlow(i.due, EXACT.minus(i.total.amount)) for i in plan.installments]
    return sorted(flows, key=lambda f: f.on)


def _same_reviews_and_flows(plan: Plan) -> None:
    rows = plan._int_rows()
    assert rows is not None
    reference = _made(plan)
    for check in _REVIEWS:
        assert _said(check(plan)) == _said(check(reference)), check.__name__
    expected = [(f.on, f.amount.as_tuple()) for f in _flows_reference(reference)]
    assert [(f.on, f.amount.as_tuple()) for f in plan.cash_flows()] == expected
    assert [(f.on, f.amount.as_tuple()) for f in reference.cash_flows()] == expected
    assert plan.due_dates == reference.due_dates == tuple(
        i.due for i in reference.installments
    )
    assert rows.totals == tuple(
        p + i + f for p, i, f in zip(rows.principals, rows.interests, rows.fees, strict=True)
    )
    for monthly in (Fraction(0), Fraction(1, 200)):
        assert _said(ranking._present_value(plan, monthly)) == _said(
            ranking._present_value(reference, monthly)
        )
    cash = [u.amount for u in reference.upfront if not u.withheld and u.on <= reference.start]
    cash += [i.total for i in reference.installments if i.due <= reference.start]
    at_start = _said(total(cash, plan.currency))  # Money.zero when there is none
    assert _said(plan.cash_at_start) == _said(reference.cash_at_start) == at_start


def _upfront(on: dt.date, kinds: list[tuple[str, int, int]]) -> list[UpfrontItem]:
    items = []
    for kind, cents, days in kinds:
        amount = Money(Decimal(cents).scaleb(-2), "CNY")
        when = on + dt.timedelta(days=days)
        if kind == "withheld":
            items.append(UpfrontItem(kind=UpfrontKind.FEE, amount=amount, on=on, withheld=True))
        elif kind == "fee":
            items.append(UpfrontItem(kind=UpfrontKind.FEE, amount=amount, on=when))
        else:
            items.append(UpfrontItem(kind=UpfrontKind.PAYMENT, amount=amount, on=when))
    return items


upfront_items = st.lists(
    st.tuples(
        st.sampled_from(["withheld", "fee", "payment"]),
        st.integers(min_value=0, max_value=5_000),
        st.integers(min_value=0, max_value=400),  # a day after the start: after installments too
    ),
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(
    cents=owed_cents,
    on=starts,
    rate=plan_rates,
    count=st.integers(min_value=1, max_value=60),
    builder=st.sampled_from(["equal_installment", "equal_principal", "interest_only", "flat_fee"]),
    extra=upfront_items,
)
@example(  # a long plan: interest due after its first 12 months
    cents=1_919_875, on=dt.date(2026, 1, 31), rate=InterestRate.annual("0.12"), count=36,
    builder="equal_installment", extra=[],
)  # fmt: skip
@example(  # an installment-fee plan: fees, and an upfront fee after the first installment
    cents=500_000, on=dt.date(2024, 2, 29), rate=None, count=3, builder="flat_fee",
    extra=[("fee", 1_000, 45), ("payment", 2_000, 0)],
)  # fmt: skip
def test_the_reviews_and_flows_of_rows_plans_are_what_the_installments_give(
    *,
    cents: int,
    on: dt.date,
    rate: InterestRate | None,
    count: int,
    builder: str,
    extra: list[tuple[str, int, int]],
) -> None:
    owed = Money(Decimal(cents).scaleb(-2), "CNY")
    upfront = _upfront(on, extra)
    payments = sum(u.amount.amount for u in upfront if u.kind is UpfrontKind.PAYMENT)
    withheld = sum(u.amount.amount for u in upfront if u.withheld)
    if payments + count * Decimal("0.01") > owed.amount or withheld > owed.amount:
        upfront = []
    interest = rate or InterestRate.zero()
    if builder == "equal_installment":
        plan = equal_installment(owed, interest, count, start=on, upfront=upfront)
    elif builder == "equal_principal":
        plan = equal_principal(owed, interest, count, start=on, upfront=upfront)
    elif builder == "interest_only":
        plan = interest_only(owed, interest, count, start=on, upfront=upfront)
    else:
        fee = FlatMonthlyFee(rate=Decimal(cents % 97).scaleb(-4))
        plan = flat_fee(owed, fee, count, start=on, upfront=upfront)
    _same_reviews_and_flows(plan)


@settings(max_examples=200, deadline=None)
@given(
    cents=owed_cents,
    on=starts,
    parts=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=3),  # months after the row before
            st.integers(min_value=0, max_value=100),  # share of the principal, weighed below
            st.integers(min_value=0, max_value=5_000),  # interest, cents
            st.integers(min_value=0, max_value=2_000),  # fee, cents
        ),
        min_size=1,
        max_size=30,
    ),
    extra=upfront_items,
)
@example(  # fee-only rows, then interest only, then the principal: an advance fee
    cents=100_000, on=dt.date(2025, 1, 31),
    parts=[(1, 0, 0, 500), (1, 0, 0, 500), (1, 0, 1_000, 500), (12, 1, 0, 0), (1, 1, 100, 0)],
    extra=[("fee", 300, 0)],
)  # fmt: skip
def test_the_reviews_and_flows_of_custom_rows_are_what_the_installments_give(
    *,
    cents: int,
    on: dt.date,
    parts: list[tuple[int, int, int, int]],
    extra: list[tuple[str, int, int]],
) -> None:
    """Holidays, fee-only and interest-only rows, rows on one date, upfront items."""
    upfront = _upfront(on, extra)
    paid = sum(int(u.amount.amount * 100) for u in upfront if u.kind is UpfrontKind.PAYMENT)
    withheld = sum(int(u.amount.amount * 100) for u in upfront if u.withheld)
    if paid > cents or withheld > cents:
        upfront, paid = [], 0
    weights = [w for _, w, _, _ in parts]
    left = cents - paid
    shares = [left * w // sum(weights) for w in weights] if sum(weights) else [0] * len(parts)
    shares[-1] += left - sum(shares)
    cny = lambda units: Money(Decimal(units).scaleb(-2), "CNY")  # noqa: E731
    rows = []
    months = 0
    for (gap, _, interest, fee), share in zip(parts, shares, strict=True):
        months += gap
        rows.append((add_months(on, months), cny(share), cny(interest), cny(fee)))
    plan = custom(cny(cents), rows, start=on, upfront=upfront)
    assert plan._int_rows() is not None
    _same_reviews_and_flows(plan)


def test_a_rising_balance_on_rows_is_found_as_on_the_installments() -> None:
    """Rows that break the builders' guarantee (a negative principal part) are still named."""
    on = dt.date(2026, 3, 1)
    rows = _Rows("CNY", 2, 10_000, (0, 0, 0), (5_000, -2_000, 7_000), None, None, None, (on, 1))
    plan = Plan._from_rows(Money("100.00", "CNY"), on, rows, (), "rising")
    finding = reviews.negative_amortization(plan)
    assert finding is not None
    assert finding.message.values["seq"] == 2
    assert _said(finding) == _said(reviews.negative_amortization(_made(plan)))
    # More financed than the principal: the first balance is above the principal.
    rising_first = _Rows("CNY", 2, 10_000, (0, 0), (0, 10_000), None, None, None, (on, 1))
    above = Plan._from_rows(Money("90.00", "CNY"), on, rising_first, (), "above")
    finding = reviews.negative_amortization(above)
    assert finding is not None
    assert finding.message.values["seq"] == 1
    assert _said(finding) == _said(reviews.negative_amortization(_made(above)))


def _sign_changes_reference(flows: list[CashFlow]) -> int:
    """The review's definition: netted per date, in date order, zero nets skipped."""
    netted: dict[dt.date, Decimal] = {}
    for flow in flows:
        netted[flow.on] = netted.get(flow.on, Decimal(0)) + flow.amount
    signs = [amount > 0 for _, amount in sorted(netted.items()) if amount != 0]
    return sum(1 for a, b in itertools.pairwise(signs) if a != b)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=40), st.integers(-300, 300)),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
)
@example([(0, 100), (1, 0), (2, 100), (3, -5)], True)  # a zero flow between
@example([(0, 100), (1, -50), (1, 50), (2, -100)], True)  # a date netting to zero
def test_sign_changes_are_counted_as_netted_per_date(
    flows: list[tuple[int, int]], in_order: bool
) -> None:
    base = dt.date(2025, 1, 1)
    made = [CashFlow(base + dt.timedelta(days=d), Decimal(a).scaleb(-2)) for d, a in flows]
    if in_order:
        made.sort(key=lambda f: f.on)
    assert reviews._sign_changes(made) == _sign_changes_reference(made)


@settings(max_examples=60, deadline=None)
@given(
    cents=owed_cents,
    on=starts,
    rate=plan_rates,
    count=st.integers(min_value=1, max_value=40),
    order=st.permutations(list(Regime)),
    extra=upfront_items,
)
def test_a_plans_rates_share_one_netting_and_are_those_of_its_flows(
    *,
    cents: int,
    on: dt.date,
    rate: InterestRate | None,
    count: int,
    order: list[Regime],
    extra: list[tuple[str, int, int]],
) -> None:
    """Whatever regime is asked first, each rate is the one of the plain list of flows."""
    owed = Money(Decimal(cents).scaleb(-2), "CNY")
    upfront = _upfront(on, extra)
    if sum(u.amount.amount for u in upfront) + count * Decimal("0.01") > owed.amount:
        upfront = []
    plan = equal_installment(owed, rate or InterestRate.zero(), count, start=on, upfront=upfront)
    flows = list(plan.cash_flows())
    for regime in order:
        try:
            expected: object = annual_rate(flows, regime=regime)
        except NoUniqueRateError as error:
            expected = str(error)
        try:
            found: object = annual_rate(plan, regime=regime)
        except NoUniqueRateError as error:
            found = str(error)
        assert found == expected, regime
    netted = [key for key in plan._annual_rates if not isinstance(key, tuple)]
    assert netted == [apr._NETTED]


@pytest.mark.parametrize(
    ("message", "values"),
    [
        ("plain words", {}),
        ("braces {{kept}} as one", {}),
        ("{a} and {{b}} and {c}", {"a": 1, "c": Money("2.50", "CNY")}),
    ],
)
def test_a_text_is_its_message_filled_whether_parsed_before_or_not(
    message: str, values: dict[str, object]
) -> None:
    """The placeholders kept from the first parse check and fill the next text alike."""
    text_module._PARSED.pop(message, None)
    expected = message.format_map({k: text_module._english(v) for k, v in values.items()})  # type: ignore[arg-type]
    for _ in range(2):  # parsed, then known
        made = Text("reason", message, **values)  # type: ignore[arg-type]
        assert str.__str__(made) == expected
        assert made.message == message
        assert dict(made.values) == values
        assert made.template
    assert message in text_module._PARSED
    with pytest.raises(ValidationError, match="values for"):
        Text("reason", message, unexpected=3)


# --- the plugin guard ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [Decimal, float, str])
def test_the_guard_sees_an_equal_value_swapped_in_and_puts_it_back(kind: type) -> None:
    """The recorded objects are compared by identity: an equal copy is a change too."""
    case = _case(1_860_000, dt.date(2026, 11, 2), _POLICY)
    snapshot = Snapshot(case)
    assert snapshot.changes() == []
    money = case.debt.principal
    original = money.amount
    swapped = kind(str(original)) if kind is not Decimal else Decimal(str(original))
    assert swapped is not original
    object.__setattr__(money, "amount", swapped)
    assert snapshot.changes() == ["Money.amount"]
    snapshot.restore()
    assert money.amount is original
    assert snapshot.changes() == []


def test_the_engine_fills_the_case_caches_the_options_read_before_any_plugin_runs() -> None:
    """Filled first, the case is recorded by the guard once, not again after a strategy."""
    debt = example_debts()[0]
    case = Case(
        debt=debt,
        borrower=example_borrower(),
        policy=example_policies()[debt.creditor.name],
        goals=Goals(max_months=24, waive={WaiverKind.INTEREST, WaiverKind.PENALTY}),
        on=debt.as_of,
    )
    negotiation_module._fill_caches(case)
    filled = set(vars(case))
    host = get_plugin_host(load_entry_points=False, environ={})
    engine = Negotiation(case, regime=Regime.CN_PBOC, host=host)
    assert engine.case is case
    engine.ladder()
    assert set(vars(case)) == filled


def _rank_reference(
    options: list[ranking.RankedOption], budget: Money, limit: Money
) -> tuple[ranking.RankedOption, ...]:
    """The ranking as it was: sorted by key, each pair's keys computed again for its reason."""
    ordered = sorted(options, key=ranking.RankedOption.sort_key)
    ranked = []
    for index, option in enumerate(ordered):
        reasons = ranking._describe(option, budget, limit)
        if index + 1 < len(ordered):
            worse = ordered[index + 1]
            reasons.append(ranking._versus(worse, (option.sort_key(), worse.sort_key())))
        ranked.append(attrs.evolve(option, rank=index + 1, reasons=tuple(reasons)))
    return tuple(ranked)


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.integers(min_value=0, max_value=20), max_size=8))
def test_the_ranking_keys_each_option_once_and_orders_as_before(picks: list[int]) -> None:
    """Shuffled options, repeated ones (ties in every key) included."""
    debt = example_debts()[0]
    case = Case(
        debt=debt,
        borrower=example_borrower(),
        policy=example_policies()[debt.creditor.name],
        goals=Goals(max_months=24, waive={WaiverKind.INTEREST}),
        on=debt.as_of,
    )
    host = get_plugin_host(load_entry_points=False, environ={})
    ranked = Negotiation(case, regime=Regime.CN_PBOC, host=host).options().ranked
    assert len(ranked) > 2
    # Unranked again, as assess() makes them; a repeat is a tie in every key.
    pool = [attrs.evolve(o, rank=0, reasons=()) for o in ranked]
    options = [pool[k % len(pool)] for k in picks]
    budget, limit = case.monthly_budget, case.payment_limit
    assert _said(ranking.rank(options, budget, limit)) == _said(
        _rank_reference(options, budget, limit)
    )


@pytest.mark.parametrize(
    "kind", [Plan, Case, Money, Proposal, Text, str, tuple, dict, int, type, Regime, _Words]
)
def test_the_guard_asks_attrs_of_each_class_what_attrs_says(kind: type) -> None:
    from debtnegotiation import _input_guard

    assert _input_guard._is_attrs(kind) is attrs.has(kind)
    assert _input_guard._is_attrs(kind) is attrs.has(kind)  # remembered


def test_the_guard_watches_a_reviewed_plan_field_by_field() -> None:
    """The shallow watch of a proposal takes its plan's instance dict (an attrs class)."""
    plan = _example_proposals()[0].plan
    assert plan is not None
    proposal = Proposal(
        strategy="watched", title=Text("title", "watched"), plan=plan, eligibility=_ELIGIBLE
    )
    snapshot = Snapshot(shallow=(proposal,))
    original = vars(plan)["label"]
    vars(plan)["label"] = "changed"
    assert snapshot.changes() == ["Plan.label"]
    snapshot.restore()
    assert vars(plan)["label"] is original
