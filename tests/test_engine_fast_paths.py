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
from decimal import Context, Decimal, Inexact, Rounded, localcontext
from fractions import Fraction

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from debtnegotiation import _result_checks, ranking, reviews
from debtnegotiation import text as text_module
from debtnegotiation._context import LIBRARY_CONTEXT
from debtnegotiation._exact import EXACT
from debtnegotiation.apr import Regime, annual_rate
from debtnegotiation.case import Case, Goals
from debtnegotiation.errors import ValidationError
from debtnegotiation.example import example_borrower, example_debts, example_policies
from debtnegotiation.money import Money
from debtnegotiation.plan import Plan, UpfrontItem, UpfrontKind
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.policy import FeeTiming, LenderPolicy
from debtnegotiation.proposal import Proposal
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedule_dates import add_months, whole_months_between
from debtnegotiation.schedules import custom, equal_installment
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
