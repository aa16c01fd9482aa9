"""The fast paths of issue 11 against the general construction they replace.

* the integer-month time grid of a regular plan gives, flow by flow, exactly the times the
  calendar arithmetic of each regime gives (so the annual rates are identical);
* the cheap certified sign of an NPV (a plain sum with its error bound) never disagrees
  with the exactly rounded one when it decides;
* the term search builds each term once, and chooses exactly the plan a search that
  rebuilds every probe chooses (cent-identical rows and totals).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from debtnegotiation import _solver, apr, toolkit
from debtnegotiation._solver import Equation
from debtnegotiation.apr import PeriodKind, Regime, UnitPeriod, annual_rate
from debtnegotiation.case import Case, Goals
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.errors import ValidationError
from debtnegotiation.example import EXAMPLE_DATE, example_borrower, example_debts
from debtnegotiation.money import Money
from debtnegotiation.plan import Installment, Plan
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import custom, equal_installment, equal_principal

MANY = settings(max_examples=200, deadline=None)

starts = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
#: From 120.00 (a minor unit for each of up to 120 installments, and more) to 100,000.00.
principals = st.integers(min_value=12_000, max_value=10_000_000).map(
    lambda cents: Money(Decimal(cents).scaleb(-2), "CNY")
)
rates = st.integers(min_value=0, max_value=3600).map(
    lambda bp: InterestRate.annual(Decimal(bp).scaleb(-4))
)
counts = st.integers(min_value=1, max_value=120)
builders = st.sampled_from([equal_installment, equal_principal])


def _plan(
    builder: object, principal: Money, rate: InterestRate, count: int, start: dt.date
) -> Plan:
    try:
        plan: Plan = builder(principal, rate, count, start=start)  # type: ignore[operator]
    except ValidationError as refused:
        # equal_installment refuses a term whose level payment in whole minor units would
        # leave a balloon (120.00 at 36 % over 115 months): no such plan exists to test.
        assume(refused.field != "count")
        raise
    return plan


@MANY
@given(builder=builders, principal=principals, rate=rates, count=counts, start=starts)
def test_the_month_grid_gives_the_calendar_times_of_every_regime(
    builder: object, principal: Money, rate: InterestRate, count: int, start: dt.date
) -> None:
    plan = _plan(builder, principal, rate, count, start)
    dates = [flow.on for flow in plan.cash_flows()]
    grid = apr._month_grid(dates)
    if start.day > 28:
        # Due dates clamp at short months: not one day of the month, so the general path.
        assert grid is None or all(on.day == start.day for on in dates)
    if grid is None:
        return
    first = dates[0]
    assert [float(m) for m in grid] == [apr._cn_time(first, on) for on in dates]
    assert [m / 12 for m in grid] == [apr._eu_time(first, on, PeriodKind.MONTH) for on in dates]
    for unit in (UnitPeriod.month(), UnitPeriod.month(3)):
        per = 30 * unit.count
        fast = [(divmod(30 * m, per)[0], divmod(30 * m, per)[1] / per) for m in grid]
        assert fast == [apr._reg_z_time(first, on, unit) for on in dates]


@MANY
@given(
    amounts=st.lists(
        st.integers(min_value=-(10**9), max_value=10**9).map(lambda cents: cents / 100),
        min_size=2,
        max_size=40,
    ),
    rate=st.floats(min_value=-0.9, max_value=5.0),
    simple=st.booleans(),
)
def test_the_cheap_sign_agrees_with_the_exactly_rounded_sign(
    amounts: list[float], rate: float, simple: bool
) -> None:
    times = [k * 0.75 for k in range(len(amounts))]
    fractions = [(k % 3) / 3 for k in range(len(amounts))] if simple else []
    equation = Equation(amounts, times, fractions, simple_fraction=simple)
    assert equation.certain_sign(rate) == equation.sign(rate)


@MANY
@given(
    amounts=st.lists(st.integers(min_value=1, max_value=10**7), min_size=2, max_size=30),
    root=st.floats(min_value=-0.5, max_value=2.0),
)
def test_the_cheap_sign_agrees_next_to_a_root(amounts: list[int], root: float) -> None:
    """Flows built to balance at *root*: the signs just beside it, where sums are small."""
    v = 1.0 + root
    flows = [float(a) for a in amounts]
    flows[0] = -sum(a * v**-k for k, a in enumerate(flows) if k)
    equation = Equation(flows, [float(k) for k in range(len(flows))], [], simple_fraction=False)
    for x in (root - 1e-12 * (1 + abs(root)), root, root + 1e-12 * (1 + abs(root))):
        assert equation.certain_sign(x) == equation.sign(x)


# --- the term search ----------------------------------------------------------------------


def _case(max_months: int) -> Case:
    debt = example_debts()[0]
    return Case(
        debt=debt,
        borrower=example_borrower(),
        goals=Goals(max_months=max_months),
        on=EXAMPLE_DATE,
    )


@settings(max_examples=60, deadline=None)
@given(
    principal=principals,
    rate=rates,
    policy_cap=st.integers(min_value=1, max_value=60),
    goal=st.integers(min_value=1, max_value=60),
    builder=builders,
)
def test_the_term_search_builds_each_term_once_and_chooses_the_same_plan(
    principal: Money, rate: InterestRate, policy_cap: int, goal: int, builder: object
) -> None:
    case = _case(goal)
    calls: list[int] = []

    def build(count: int) -> Plan:
        calls.append(count)
        return _plan(builder, principal, rate, count, EXAMPLE_DATE)

    term = toolkit.choose_term(case, build, policy_cap=policy_cap)
    assert len(calls) == len(set(calls))
    # The reference: every probe rebuilt from scratch, cent for cent the same plan.
    reference = _plan(builder, principal, rate, term.count, EXAMPLE_DATE)
    assert term.plan == reference
    assert [i.total for i in term.plan.installments] == [i.total for i in reference.installments]
    assert term.plan.total_paid == reference.total_paid
    for regime in Regime:
        assert annual_rate(term.plan, regime=regime) == annual_rate(reference, regime=regime)
    assert attrs.asdict(term.plan) == attrs.asdict(reference)


@MANY
@given(builder=builders, principal=principals, rate=rates, count=counts, start=starts)
def test_custom_builds_what_the_validated_constructors_build(
    builder: object, principal: Money, rate: InterestRate, count: int, start: dt.date
) -> None:
    """custom() takes the trusted constructors for valid rows: the same plan, cent for cent."""
    base = _plan(builder, principal, rate, count, start)
    rows = [(i.due, i.principal, i.interest, i.fee) for i in base.installments]
    fast = custom(principal, rows, start=start, label="same")
    balance = principal.amount
    reference_rows = []
    for seq, (due, part, interest, fee) in enumerate(rows, 1):
        balance -= part.amount
        reference_rows.append(
            Installment(
                seq=seq,
                due=due,
                principal=part,
                interest=interest,
                fee=fee,
                balance_after=Money(balance, principal.currency),
            )
        )
    reference = Plan(principal=principal, start=start, installments=reference_rows, label="same")
    assert fast == reference
    assert [attrs.astuple(i) for i in fast.installments] == [
        attrs.astuple(i) for i in reference.installments
    ]
    assert fast.total_paid == reference.total_paid == base.total_paid
    for regime in Regime:
        assert annual_rate(fast, regime=regime) == annual_rate(reference, regime=regime)


# --- the annual-rate fast paths -------------------------------------------------------------


def _flows(amounts: list[int], start: dt.date, gaps: list[int]) -> list[CashFlow]:
    on = start
    flows = [CashFlow(on, Decimal(amounts[0]).scaleb(-2))]
    for cents, gap in zip(amounts[1:], gaps, strict=False):
        on += dt.timedelta(days=gap)
        flows.append(CashFlow(on, Decimal(cents).scaleb(-2)))
    return flows


flow_lists = st.builds(
    _flows,
    st.lists(st.integers(min_value=-(10**8), max_value=10**8), min_size=2, max_size=30),
    starts,
    st.lists(st.integers(min_value=0, max_value=40), min_size=30, max_size=30),
)


@MANY
@given(flows=flow_lists, shuffle=st.randoms(use_true_random=False))
def test_the_in_order_path_nets_exactly_as_the_general_path(
    flows: list[CashFlow], shuffle: object
) -> None:
    """Whenever the fast path answers, it is the general netting; otherwise it declines."""
    for candidate in (flows, shuffle.sample(flows, len(flows))):  # type: ignore[attr-defined]
        fast = apr._in_order(candidate)
        try:
            general = apr._netted_in_general(candidate)
        except ValidationError:
            assert fast is None  # every refusal goes the general way, which names it
            continue
        if fast is not None:
            assert list(zip(fast.dates, fast.exact, strict=True)) == general
            assert list(fast.floats) == [float(a) for a in fast.exact]


def test_the_in_order_path_declines_what_it_does_not_check() -> None:
    day = dt.date(2025, 1, 15)
    later = dt.date(2025, 2, 15)
    loan = [CashFlow(day, "100"), CashFlow(later, "-101")]
    assert apr._in_order(loan) is not None
    assert apr._in_order([CashFlow(day, "100"), CashFlow(day, "-101")]) is None  # one date
    assert apr._in_order([CashFlow(later, "-101"), CashFlow(day, "100")]) is None  # order
    assert apr._in_order([*loan, CashFlow(dt.date(2025, 3, 15), "0")]) is None  # a zero
    assert apr._in_order([CashFlow(day, "-1"), *loan[1:]]) is None  # a payment first
    assert apr._in_order([loan[0], CashFlow(later, "5")]) is None  # no payment

    class Flow(CashFlow):
        pass

    assert apr._in_order([Flow(day, "100"), loan[1]]) is None  # only the class itself


@MANY
@given(builder=builders, principal=principals, rate=rates, count=counts, start=starts)
def test_the_regular_unit_is_the_unit_appendix_j_infers(
    builder: object, principal: Money, rate: InterestRate, count: int, start: dt.date
) -> None:
    dates = [flow.on for flow in _plan(builder, principal, rate, count, start).cash_flows()]
    grid = apr._month_grid(dates)
    if grid is None:
        return
    regular = apr._every_gap(dates, grid)
    if regular is not None:
        assert regular == apr._infer_unit(dates, apr._interval_keys(dates))


def test_the_regular_unit_defers_when_weeks_match_every_interval_too() -> None:
    """Two 28-day intervals cannot both be months; 91-day quarters can be 13 weeks."""
    quarters = [dt.date(2025, 4, 15), dt.date(2025, 7, 15), dt.date(2025, 10, 15)]
    grid = apr._month_grid(quarters)
    assert grid == [0, 3, 6]
    # 91 then 92 days: weeks match the first only, so the quarter is the unit.
    assert apr._every_gap(quarters, grid) == UnitPeriod.month(3)
    feb = [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert apr._every_gap(feb, apr._month_grid(feb) or []) is None  # one interval: general


@MANY
@given(
    cents=st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=2, max_size=40),
    balance=st.booleans(),
    loan=st.booleans(),
)
def test_the_sign_of_the_total_is_the_sign_of_the_exact_sum(
    cents: list[int], balance: bool, loan: bool
) -> None:
    if loan:  # one advance, then payments: the total's loan shortcut
        payments = [-abs(c) - 1 for c in cents[1:]]
        cents = [-sum(payments) if balance else abs(cents[0]) + 1, *payments]
    elif balance:
        cents[-1] -= sum(cents)  # an exact zero total, which floats may miss
    exact = [Decimal(c).scaleb(-2) for c in cents]
    total = sum(exact, Decimal(0))
    floats = [float(a) for a in exact]
    equation = _solver.Equation(
        floats, list(map(float, range(len(floats)))), (), simple_fraction=False, ordered=True
    )
    assert equation.loan == (floats[0] > 0 and max(floats[1:]) < 0)
    assert apr._total(equation, exact) == (total > 0) - (total < 0)


_STEPS = st.sampled_from([1.0, 1 / 12, 7 / 365])


def _loan_on_grid(payments: list[int], root: float, step: float) -> tuple[list[float], list[float]]:
    """An advance balancing *payments* at *root* (per unit of time), one flow per grid point."""
    times = [k * step for k in range(len(payments) + 1)]
    v = 1.0 + root
    flows = [-float(p) for p in payments]
    advance = -sum(a * v**-t for a, t in zip(flows, times[1:], strict=True))
    return [advance, *flows], times


@MANY
@given(
    payments=st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=60),
    root=st.floats(min_value=-0.5, max_value=3.0),
    spacing=st.one_of(st.floats(min_value=0.01, max_value=2.0), st.sampled_from([1.0, 1 / 12])),
    horner=st.booleans(),
)
def test_the_loan_root_is_bracketed_where_it_says(
    payments: list[int], root: float, spacing: float, horner: bool
) -> None:
    """One advance balancing the payments at *root*: the fast root, if any, is within
    the certificate of the root the general bracketed search finds, by powers or, on the
    regular grid the flows lie on, by Horner's rule."""
    amounts, times = _loan_on_grid(payments, root, spacing)
    reference = _solver._bracketed(
        Equation(amounts, times, [], simple_fraction=False, ordered=True), -0.99, 100.0
    )
    step = spacing if horner else None
    equation = Equation(amounts, times, [], simple_fraction=False, ordered=True, step=step)
    assert equation.one_advance_first()
    fast = _solver._loan_root(equation, -0.99, 100.0)
    if fast is not None:
        assert abs(fast - reference) <= 2e-11 * (1 + abs(reference))
    assert abs(_solver.solve(equation, -0.99, 100.0) - reference) <= 2e-11 * (1 + abs(reference))


@MANY
@given(builder=builders, principal=principals, rate=rates, count=counts, start=starts)
def test_every_built_plan_takes_the_loan_path(
    builder: object, principal: Money, rate: InterestRate, count: int, start: dt.date
) -> None:
    """The one-extra-NPV certificate is what plans get, not only a fallback that declines."""
    flows = apr._netted(_plan(builder, principal, rate, count, start))
    first = flows.dates[0]
    times = [(on - first).days / 365 for on in flows.dates]
    equation = Equation(flows.floats, times, [], simple_fraction=False, ordered=True)
    assert equation.one_advance_first()
    fast = _solver._loan_root(equation, -0.99, 100.0)
    assert fast is not None
    reference = _solver._bracketed(equation, -0.99, 100.0)
    assert abs(fast - reference) <= 2e-11 * (1 + abs(reference))


@MANY
@given(builder=builders, principal=principals, rate=rates, count=counts, start=starts)
def test_reg_z_in_compound_form_is_the_simple_form_without_fractions(
    builder: object, principal: Money, rate: InterestRate, count: int, start: dt.date
) -> None:
    """A monthly unit on the month grid has no odd fractions, so the two forms agree."""
    plan = _plan(builder, principal, rate, count, start)
    flows = apr._netted(plan)
    grid = apr._month_grid(flows.dates)
    if grid is None or flows.exact[-1] >= 0:
        return
    whole = [float(m) for m in grid]
    compound = Equation(flows.floats, whole, [], simple_fraction=False, ordered=True)
    simple = Equation(flows.floats, whole, [0.0] * len(whole), simple_fraction=True)
    assert abs(_solver.solve(compound, -0.99, 100.0) - _solver.solve(simple, -0.99, 100.0)) <= (
        2e-11
    )


@MANY
@given(
    payments=st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=60),
    root=st.floats(min_value=-0.5, max_value=3.0),
    step=_STEPS,
    offset=st.integers(min_value=-40, max_value=40),
)
def test_a_certain_horner_sign_is_the_exact_sign(
    payments: list[int], root: float, step: float, offset: int
) -> None:
    """Near the root, where rounding decides, Horner's sign is trusted only when it is right.

    The reference is :meth:`Equation.sign` (an exactly rounded sum of the powers); a few
    units of rounding either side of the root probe the bound itself.
    """
    amounts, times = _loan_on_grid(payments, root, step)
    horner = Equation(amounts, times, [], simple_fraction=False, ordered=True, step=step)
    powers = Equation(amounts, times, [], simple_fraction=False, ordered=True)
    near = _solver._bracketed(powers, -0.99, 100.0)
    rate = near + offset * math.ulp(near) if offset % 2 else near * (1.0 + offset * 1e-13)
    value = horner.horner_value(rate)
    if _solver._loan_sign_is_certain(horner, value):
        assert (value > 0) - (value < 0) == powers.sign(rate)
    slope_value, slope = horner.value_and_slope(rate)
    assert slope_value == value  # the same operations in the same order
    assert math.isclose(slope, powers.value_and_slope(rate)[1], rel_tol=1e-9)


@MANY
@given(builder=builders, principal=principals, rate=rates, count=counts, start=starts)
def test_plans_on_a_full_month_grid_are_solved_by_horner_to_the_same_rates(
    builder: object, principal: Money, rate: InterestRate, count: int, start: dt.date
) -> None:
    """Every regime with a month grid gives the rate the powers give, within the certificate."""
    flows = apr._netted(_plan(builder, principal, rate, count, start))
    grid = apr._month_grid(flows.dates)
    if grid is None:  # a due day past the 28th moves in short months: no month grid
        assert start.day > 28
        return
    assert apr._grid_step(grid, 1.0) == 1.0  # the builders pay every month
    for step, times in ((1.0, [float(m) for m in grid]), (1 / 12, [m / 12 for m in grid])):
        horner = Equation(flows.floats, times, [], simple_fraction=False, ordered=True, step=step)
        powers = Equation(flows.floats, times, [], simple_fraction=False, ordered=True)
        assert horner.loan
        fast = _solver._loan_root(horner, -0.99, 100.0)
        assert fast is not None
        reference = _solver._bracketed(powers, -0.99, 100.0)
        assert abs(fast - reference) <= 2e-11 * (1 + abs(reference))


def test_a_grid_with_a_gap_is_not_solved_by_horner() -> None:
    assert apr._grid_step([0, 1, 2, 3], 1.0) == 1.0
    assert apr._grid_step([0, 1, 3], 1.0) is None
    assert apr._grid_step([0, 2, 4], 1 / 12) is None
    with pytest.raises(ValueError, match="compound"):
        Equation([1.0, -1.0], [0.0, 1.0], [0.0, 0.0], simple_fraction=True, step=1.0)
