"""The engine with hand-made strategy plugins, so ranking rules are tested in isolation."""

from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debtnegotiation import InterestRate, Money, ValidationError, equal_installment
from debtnegotiation.apr import Regime
from debtnegotiation.case import Case, Goals
from debtnegotiation.example import EXAMPLE_DATE, example_borrower, example_debts, example_policies
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.negotiation import Decision, Negotiation
from debtnegotiation.plan import UpfrontItem, UpfrontKind
from debtnegotiation.plugin import hookimpl
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.proposal import Eligibility, Proposal


def _case(budget: str | None = "1000.00", goals: Goals | None = None) -> Case:
    debt = example_debts()[0]
    return Case(
        debt=debt,
        borrower=example_borrower(),
        goals=goals or Goals(),
        policy=example_policies()[debt.creditor.name],
        on=EXAMPLE_DATE,
        budget=None if budget is None else Money(budget, "CNY"),
    )


def _plan(case: Case, months: int, annual: str, *, fee: str | None = None, label: str = ""):
    owed = case.owed
    upfront = ()
    if fee is not None:
        upfront = (UpfrontItem(kind=UpfrontKind.FEE, amount=Money(fee, "CNY"), on=case.on),)
    return equal_installment(
        owed, InterestRate.annual(annual), months, start=case.on, upfront=upfront, label=label
    )


class Menu:
    """A strategy plugin proposing a fixed menu built from (title, months, rate, fee)."""

    def __init__(self, menu, eligibility=Eligibility.ELIGIBLE):
        self.menu = menu
        self.eligibility = eligibility

    @hookimpl
    def debtneg_propose_plans(self, case):
        return [
            Proposal(
                strategy="menu",
                title=title,
                plan=_plan(case, months, rate, fee=fee),
                eligibility=self.eligibility,
            )
            for title, months, rate, fee in self.menu
        ]


class Flagger:
    """A review plugin that flags proposals whose title contains 'risky'."""

    @hookimpl
    def debtneg_review_proposal(self, proposal):
        if "risky" in proposal.title:
            return [Finding(code="test.risky", severity=Severity.DANGER, message="risky")]
        return None


def _negotiation(case, *plugins):
    host = get_plugin_host(plugins=plugins, load_entry_points=False, builtins=False)
    return Negotiation(case, regime=Regime.CN_PBOC, host=host)


MENU = [
    ("12 months at 0%", 12, "0", None),  # 1,599.90 a month: over the budget
    ("24 months at 0%", 24, "0", None),  # 799.95: affordable, cheapest affordable
    ("36 months at 6%", 36, "0.06", None),
    ("24 months at 0% plus fee", 24, "0", "500.00"),
]


def test_affordability_is_a_hard_gate_then_total_cost():
    options = _negotiation(_case(), Menu(MENU)).options()
    titles = [o.proposal.title for o in options.ranked]
    assert titles == [
        "24 months at 0%",
        "24 months at 0% plus fee",
        "36 months at 6%",
        "12 months at 0%",
    ]
    top, second, *_, last = options.ranked
    assert top.affordable
    assert not last.affordable
    assert "costs less in total" in top.reasons[-1]
    assert "not affordable" in last.reasons[0]
    assert top.annual_rate is not None
    assert top.annual_rate.rate == 0
    assert second.annual_rate is not None
    assert second.annual_rate.rate > 0
    assert options.best is top


def test_status_quo_is_always_shown_and_grows():
    options = _negotiation(_case(), Menu(MENU)).options()
    totals = [p.total.amount for p in options.status_quo.projections]
    assert totals == sorted(totals)
    assert options.status_quo.projections[0].on == EXAMPLE_DATE
    assert len(options.status_quo.projections) >= 4


def test_danger_findings_rank_down():
    menu = [("risky 24 months", 24, "0", None), ("plain 36 months", 36, "0.01", None)]
    options = _negotiation(_case(), Menu(menu), Flagger()).options()
    assert [o.proposal.title for o in options.ranked] == ["plain 36 months", "risky 24 months"]
    assert "serious findings: test.risky" in " ".join(options.ranked[1].reasons)


def test_ladder_excludes_unaffordable_and_ends_with_walk_away():
    ladder = _negotiation(_case(), Menu(MENU)).ladder()
    asks = [s.option.proposal.title for s in ladder.steps if s.option is not None]
    assert asks == ["24 months at 0%", "24 months at 0% plus fee", "36 months at 6%"]
    assert ladder.walk_away.walk_away
    assert ladder.walk_away.option is None
    assert "do not stay in default" in ladder.walk_away.ask
    assert "free debt counselling" in ladder.walk_away.ask


def test_ladder_with_nothing_affordable_refers_to_counselling():
    ladder = _negotiation(_case(budget="10.00"), Menu(MENU)).ladder()
    assert len(ladder.steps) == 1
    assert "free debt counselling or legal aid" in ladder.walk_away.ask


def test_counter_offer_accepts_the_best_and_counters_a_worse_one():
    negotiation = _negotiation(_case(), Menu(MENU))
    best = negotiation.options().ranked[0].plan
    assert negotiation.evaluate(best).decision is Decision.ACCEPT
    worse = _plan(negotiation.case, 36, "0.06")
    verdict = negotiation.evaluate(worse)
    assert verdict.decision is Decision.COUNTER
    assert verdict.counter is not None
    # The next step not yet asked: the opening ask, then down the ladder.
    assert verdict.counter.option.proposal.title == "24 months at 0%"
    verdict = negotiation.evaluate(worse, asked=[1])
    assert verdict.counter.option.proposal.title == "24 months at 0% plus fee"
    # Once every better step was refused, an affordable offer beating doing nothing is
    # accepted (issue 14: never stay in default for want of a refused ask).
    steps = negotiation.ladder().steps
    verdict = negotiation.evaluate(worse, asked=steps[:-1])
    assert verdict.decision is Decision.ACCEPT
    assert verdict.annual_rate is not None
    assert verdict.annual_rate.rate > 0


def test_counter_offer_unaffordable_without_alternatives_is_rejected():
    negotiation = _negotiation(_case(budget="10.00"), Menu(MENU))
    verdict = negotiation.evaluate(_plan(negotiation.case, 12, "0"))
    assert verdict.decision is Decision.REJECT
    assert any("not affordable" in r for r in verdict.reasons)


def test_counter_offer_costing_more_than_doing_nothing_is_not_accepted():
    negotiation = _negotiation(_case(budget="5000.00"), Menu([]))
    verdict = negotiation.evaluate(_plan(negotiation.case, 12, "0.60"))
    assert verdict.decision is Decision.REJECT
    assert any("than doing nothing" in r for r in verdict.reasons)


def test_counter_offer_must_be_a_plan_in_the_debt_currency():
    negotiation = _negotiation(_case(), Menu(MENU))
    with pytest.raises(ValidationError, match="offer"):
        negotiation.evaluate("24 months please")  # type: ignore[arg-type]
    usd = equal_installment(Money("100.00", "USD"), InterestRate.zero(), 2, start=EXAMPLE_DATE)
    with pytest.raises(ValidationError, match="CNY"):
        negotiation.evaluate(usd)


def test_regime_is_required_and_checked():
    host = get_plugin_host(load_entry_points=False, builtins=False)
    with pytest.raises(ValidationError, match="regime"):
        Negotiation(_case(), regime="CN", host=host)  # type: ignore[arg-type]


def test_host_is_required_and_checked():
    # No host is built behind the caller's back (it would load entry points).
    with pytest.raises(TypeError, match="host"):
        Negotiation(_case(), regime=Regime.CN_PBOC)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match=r"^host: expected a debtnegotiation.plugins"):
        Negotiation(_case(), regime=Regime.CN_PBOC, host=None)  # type: ignore[arg-type]


def test_goals_are_reported():
    goals = Goals(max_months=24, max_monthly_payment=Money("900.00", "CNY"))
    options = _negotiation(_case(goals=goals), Menu(MENU)).options()
    top = options.ranked[0]
    assert "debt-free within 24 months" in top.goals_met
    assert "installments at most 900.00 CNY" in top.goals_met
    longest = next(o for o in options.ranked if o.proposal.title == "36 months at 6%")
    assert "debt-free within 24 months" in longest.goals_missed


def test_policy_is_taken_from_plugins_when_the_case_has_none():
    class Lender:
        @hookimpl
        def debtneg_lender_policies(self, debt):
            return [attrs.evolve(example_policies()[debt.creditor.name], max_months=7)]

    case = attrs.evolve(_case(), policy=None)
    negotiation = _negotiation(case, Lender())
    assert negotiation.case.policy is not None
    assert negotiation.case.policy.max_months == 7


menus = st.lists(
    st.tuples(
        st.text(alphabet="abcdefgh", min_size=1, max_size=6),
        st.integers(min_value=1, max_value=60),
        st.sampled_from(["0", "0.03", "0.12", "0.24"]),
        st.one_of(st.none(), st.sampled_from(["100.00", "900.00"])),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda item: item[0],
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menu=menus, budget=st.sampled_from(["50.00", "400.00", "900.00", "3000.00"]))
def test_ranking_and_ladder_invariants(menu, budget):
    negotiation = _negotiation(_case(budget=budget), Menu(menu))
    ranked = negotiation.options().ranked
    seen_unaffordable = False
    for option in ranked:
        if not option.affordable:
            seen_unaffordable = True
        assert not (seen_unaffordable and option.affordable), "unaffordable ranked above"
    assert [o.rank for o in ranked] == list(range(1, len(ranked) + 1))
    ladder = negotiation.ladder()
    assert ladder.steps[-1].walk_away
    for step in ladder.steps[:-1]:
        plan = step.option.plan
        # Never ask for something worse than walking away (the status quo at the plan's end).
        assert plan.total_paid <= negotiation.case.debt.project(plan.end).total
        assert step.option.affordable
    assert [s.order for s in ladder.steps] == list(range(1, len(ladder.steps) + 1))
    assert Decimal(0) <= min((o.evidence_readiness for o in ranked), default=Decimal(0))


def test_present_value_discounts_each_payment_by_its_calendar_months():
    # Worked by hand: 1,000 due one month and 1,000 due two months after the start, at
    # 1 % a month: 1000/1.01 + 1000/1.0201 = 990.0990... + 980.2960... = 1,970.3950... -> 1,970.40.
    # (Counting months as days x 12 / 365, truncated, put both in month 1: 1,980.20.)
    from fractions import Fraction

    from debtnegotiation.ranking import _present_value
    from debtnegotiation.schedules import custom

    usd = lambda amount: Money(amount, "USD")  # noqa: E731
    plan = custom(
        usd("2000.00"),
        [
            ("2026-02-15", usd("1000.00"), usd("0.00"), usd("0.00")),
            ("2026-03-15", usd("1000.00"), usd("0.00"), usd("0.00")),
        ],
        start="2026-01-15",
    )
    assert _present_value(plan, Fraction(1, 100)) == usd("1970.40")
