"""The built-in Xi'an example, end to end, with the ranked result and its reasoning pinned.

Expected figures are worked out here independently of the strategies: the waived amounts
are the example's accrued interest and penalty, installment sizes follow from the budget,
and the fee is 5 % of the total owed.
"""

from decimal import Decimal

import pytest

from debtnegotiation import (
    Case,
    Decision,
    Eligibility,
    Goals,
    InterestRate,
    Money,
    Negotiation,
    Regime,
    WaiverKind,
    equal_installment,
    get_plugin_host,
)
from debtnegotiation.demo import example_portfolio
from debtnegotiation.example import EXAMPLE_DATE, example_borrower, example_debts, example_policies
from debtnegotiation.serialize import to_data


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


@pytest.fixture
def host():
    # Built-ins only, whatever is installed: the pinned result must not depend on it.
    return get_plugin_host(load_entry_points=False, environ={})


@pytest.fixture
def negotiation(host):
    debt = example_debts()[0]
    case = Case(
        debt=debt,
        borrower=example_borrower(),
        policy=example_policies()[debt.creditor.name],
        goals=Goals(max_months=24, waive={WaiverKind.INTEREST, WaiverKind.PENALTY}),
        on=EXAMPLE_DATE,
    )
    return Negotiation(case, regime=Regime.CN_PBOC, host=host)


def test_budget_and_amount_owed(negotiation):
    case = negotiation.case
    # 4,200 income - 2,550 essentials - 150 savings buffer.
    assert case.monthly_budget == cny("1500.00")
    # 18,600 principal + 412.30 interest + 186.45 penalty, nothing accrued yet.
    assert case.owed == cny("19198.75")


def test_ranked_options_and_their_reasons(negotiation):
    options = negotiation.options()
    assert not options.failures
    ranked = [(o.proposal.strategy, o.plan.number_of_payments) for o in options.ranked]
    assert ranked == [
        ("subsidy", 24),
        ("deferral", 21),
        ("fee-advance", 24),
        ("extension", 24),
    ]
    subsidy, deferral, fee_advance, extension = options.ranked

    # Hardship relief waives exactly the accrued interest and penalty; interest is frozen,
    # so every term costs the same and the rule takes the lowest payment: 24 x 775.00.
    assert subsidy.plan.total_waived == cny("598.75")
    assert subsidy.plan.total_paid == cny("18600.00")
    assert subsidy.plan.peak_installment <= cny("1500.00")
    assert subsidy.proposal.eligibility is Eligibility.ELIGIBLE
    assert subsidy.annual_rate is not None
    assert subsidy.annual_rate.rate == 0
    assert "costs less in total" in subsidy.reasons[-1]
    assert "interest waived, penalty waived" in subsidy.reasons[3]

    assert subsidy.plan.peak_installment == cny("775.00")

    # The interest-free extension and the holiday repay exactly what is owed. The
    # platform re-splits only for its 5 % fee, so the free extension is an ask beyond its
    # stated terms: it ranks below every stated option, and the reason says so.
    for option in (extension, deferral):
        assert option.plan.total_paid == cny("19198.75")
    assert extension.proposal.eligibility is Eligibility.BEYOND_STATED_TERMS
    assert "readier to ask for" in fee_advance.reasons[-1]
    # Present value is undiscounted by default: the plain total.
    assert extension.present_value == extension.plan.total_paid

    # Fee-advance: 5 % of 19,198.75 = 959.94 upfront, and the IRR of that fee over
    # 24 payments, labelled as the PBOC simple figure (about 5 %, domain notes).
    fee = fee_advance.plan.upfront[0].amount
    assert fee == cny("959.94")
    assert fee_advance.plan.total_paid == cny("19198.75") + fee
    assert fee_advance.annual_rate is not None
    assert fee_advance.annual_rate.label == "近似折算年化利率(单利)"
    assert Decimal("4") < fee_advance.annual_rate.rounded_percent() < Decimal("6")
    assert [f.code for f in fee_advance.findings] == ["core.advance_fee"]


def test_ladder_opens_high_and_falls_back_to_a_partial_waiver(negotiation):
    steps = negotiation.ladder().steps
    assert steps[0].option is not None
    assert steps[0].option.proposal.strategy == "subsidy"
    partial = steps[1].option
    assert partial is not None
    assert "partial waiver" in partial.proposal.title
    assert partial.plan.total_waived < steps[0].option.plan.total_waived
    assert "termination-letter" in steps[0].evidence_to_show
    assert steps[-1].walk_away
    assert "do not stay in default" in steps[-1].ask
    for step in steps[:-1]:
        assert step.option.affordable


def test_counter_offer_without_waiver_is_countered(negotiation):
    # The lender offers 24 months at 12 % a year and no waiver.
    offer = equal_installment(
        negotiation.case.owed, InterestRate.annual("0.12"), 24, start=EXAMPLE_DATE
    )
    verdict = negotiation.evaluate(offer)
    assert verdict.decision is Decision.COUNTER
    assert verdict.annual_rate is not None
    assert verdict.annual_rate.rounded_percent() == Decimal("12.00")
    assert verdict.counter is not None
    assert verdict.counter.option.plan.total_paid < offer.total_paid
    assert any("a better ask remains" in r for r in verdict.reasons)


def test_two_creditors_share_the_budget(host):
    results = example_portfolio(host=host).results()
    shares = [r.budget for r in results]
    # Pro rata to 19,198.75 and 12,000.00 of 1,500.00.
    assert shares == [cny("923.05"), cny("576.95")]
    platform, card = results
    assert platform.options.ranked[0].proposal.strategy == "subsidy"
    assert platform.options.ranked[0].plan.peak_installment <= cny("923.05")
    assert card.options.ranked[0].plan.peak_installment <= cny("576.95")


def test_the_demo_results_name_both_creditors_and_the_budget(host):
    data = to_data(example_portfolio(host=host).run())
    names = [c["creditor"]["name"] for c in data["creditors"]]
    assert names == ["Example Installment Platform", "Example Bank Credit Card"]
    assert data["borrower"]["sustainable_payment"] == {"amount": "1500.00", "currency": "CNY"}
    assert [c["budget"]["amount"] for c in data["creditors"]] == ["923.05", "576.95"]
