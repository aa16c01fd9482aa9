"""The core review plugin: each finding raised by a constructed case, and not by a clean one."""

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from debtnegotiation import reviews
from debtnegotiation.case import Case, Goals
from debtnegotiation.debt import Creditor, CreditorKind, Debt
from debtnegotiation.example import EXAMPLE_DATE, example_borrower, example_debts
from debtnegotiation.findings import Severity
from debtnegotiation.money import Money
from debtnegotiation.plan import Installment, Plan, UpfrontItem, UpfrontKind
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import custom, equal_installment

START = EXAMPLE_DATE
DEBT = example_debts()[0]
OWED = Money("19198.75", "CNY")  # 18600.00 + 412.30 + 186.45 on the example date


def cny(amount) -> Money:
    return Money(amount, "CNY")


def case(budget="1500.00", debt=DEBT) -> Case:
    return Case(
        debt=debt,
        borrower=example_borrower(),
        goals=Goals(),
        policy=None,
        on=START,
        budget=cny(budget),
    )


def proposal(plan: Plan | None) -> Proposal:
    return Proposal(
        strategy="test",
        title="test plan",
        plan=plan,
        eligibility=Eligibility.ELIGIBLE if plan is not None else Eligibility.NOT_ELIGIBLE,
    )


def clean_plan() -> Plan:
    """13 interest-free installments of at most 1476.83: affordable, cheaper than waiting."""
    return equal_installment(OWED, InterestRate.zero(), 13, start=START)


def codes(the_case: Case, plan: Plan | None) -> list[str]:
    return [f.code for f in reviews.review(the_case, proposal(plan))]


def only(the_case: Case, plan: Plan, code: str):
    (finding,) = [f for f in reviews.review(the_case, proposal(plan)) if f.code == code]
    return finding


def test_a_clean_plan_has_no_finding():
    assert codes(case(), clean_plan()) == []


def test_a_proposal_without_a_plan_is_not_reviewed():
    assert codes(case(), None) == []
    assert reviews.debtneg_review_proposal(case=case(), proposal=proposal(None)) is None


def test_codes_are_stable_and_namespaced():
    assert reviews.CODES == (
        "core.advance_fee",
        "core.costs_more_than_status_quo",
        "core.longer_term_costs_more",
        "core.negative_amortization",
        "core.no_unique_rate",
        "core.unaffordable",
    )


# --- core.unaffordable ------------------------------------------------------------------


def test_unaffordable_when_the_peak_installment_exceeds_the_budget():
    finding = only(case(budget="1400.00"), clean_plan(), "core.unaffordable")
    assert finding.severity is Severity.DANGER
    # peak 1476.83 (19198.75 / 13 rounded) against 1400.00: 76.83 over.
    assert "1476.83 CNY" in finding.message
    assert "by 76.83 CNY" in finding.message
    assert codes(case(budget="1476.83"), clean_plan()) == []


def test_unaffordable_when_the_cash_due_at_the_start_exceeds_the_budget():
    fee = UpfrontItem(kind=UpfrontKind.FEE, amount=cny("1600.00"), on=START)
    plan = equal_installment(OWED, InterestRate.zero(), 24, start=START, upfront=[fee])
    finding = only(case(), plan, "core.unaffordable")
    assert "payment due at the start, 1600.00 CNY" in finding.message
    withheld = attrs.evolve(fee, withheld=True)
    plan = equal_installment(
        OWED + fee.amount, InterestRate.zero(), 24, start=START, upfront=[withheld]
    )
    assert "core.unaffordable" not in codes(case(), plan)


# --- core.costs_more_than_status_quo ----------------------------------------------------


def test_costs_more_than_a_debt_that_no_longer_grows():
    frozen = Debt(
        creditor=Creditor(name="Frozen Lender", kind=CreditorKind.OTHER),
        currency="CNY",
        principal=cny("12000.00"),
        contract_rate=InterestRate.zero(),
        as_of=START,
    )
    fee = UpfrontItem(kind=UpfrontKind.FEE, amount=cny("600.00"), on=START)
    plan = equal_installment(cny("12000.00"), InterestRate.zero(), 12, start=START, upfront=[fee])
    finding = only(case(debt=frozen), plan, "core.costs_more_than_status_quo")
    assert finding.severity is Severity.WARNING
    # 12600.00 paid against 12000.00 owed at the end: 600.00 more.
    assert "pay 12600.00 CNY, which is 600.00 CNY more than the 12000.00 CNY" in finding.message
    free = equal_installment(cny("12000.00"), InterestRate.zero(), 12, start=START)
    assert codes(case(debt=frozen), free) == []


def test_a_fee_plan_on_a_growing_debt_does_not_cost_more_than_waiting():
    # The example debt accrues 0.04 % + 0.02 % a day: 13 months of it dwarfs a 5 % fee.
    fee = UpfrontItem(kind=UpfrontKind.FEE, amount=cny("959.94"), on=START)
    plan = equal_installment(OWED, InterestRate.zero(), 13, start=START, upfront=[fee])
    assert "core.costs_more_than_status_quo" not in codes(case(), plan)


# --- core.advance_fee -------------------------------------------------------------------


def test_a_fee_due_upfront_before_any_payment_is_flagged():
    fee = UpfrontItem(kind=UpfrontKind.FEE, amount=cny("959.94"), on=START)
    plan = equal_installment(OWED, InterestRate.zero(), 13, start=START, upfront=[fee])
    finding = only(case(), plan, "core.advance_fee")
    assert finding.severity is Severity.WARNING
    assert f"A fee of 959.94 CNY is due on {START.isoformat()}" in finding.message
    assert "advance-fee pattern" in finding.message


def test_fees_before_the_first_payment_inside_the_schedule_are_flagged():
    # Two "installments" of fees only, then the debt is repaid: the fees come first.
    rows = [
        (dt.date(2026, 12, 2), cny("0.00"), cny("0.00"), cny("300.00")),
        (dt.date(2027, 1, 2), cny("0.00"), cny("0.00"), cny("300.00")),
        (dt.date(2027, 2, 2), cny("1000.00"), cny("0.00"), cny("0.00")),
    ]
    plan = custom(cny("1000.00"), rows, start=START)
    finding = only(case(), plan, "core.advance_fee")
    assert "A fee of 600.00 CNY is due on 2026-12-02" in finding.message


@pytest.mark.parametrize("how", ["withheld", "spread"])
def test_a_withheld_or_spread_fee_is_not_an_advance_fee(how):
    fee = cny("959.94")
    if how == "withheld":
        item = UpfrontItem(kind=UpfrontKind.FEE, amount=fee, on=START, withheld=True)
        plan = equal_installment(OWED + fee, InterestRate.zero(), 14, start=START, upfront=[item])
    else:
        base = equal_installment(OWED, InterestRate.zero(), 14, start=START)
        rows = [
            (i.due, i.principal, i.interest, part)
            for i, part in zip(base.installments, fee.allocate(14), strict=True)
        ]
        plan = custom(OWED, rows, start=START)
    assert "core.advance_fee" not in codes(case(), plan)


# --- core.longer_term_costs_more --------------------------------------------------------


def test_interest_after_the_first_year_is_the_cost_of_a_longer_term():
    plan = equal_installment(cny("12000.00"), InterestRate.annual("0.06"), 24, start=START)
    finding = only(case(), plan, "core.longer_term_costs_more")
    assert finding.severity is Severity.INFO
    # What the last 12 installments pay beyond the balance left after the first 12.
    later = sum(i.total.amount for i in plan.installments[12:])
    extra = later - plan.installments[11].balance_after.amount
    # Independently, by the annuity formulas at 0.5 % a month: payment P·r / (1 − v^24),
    # balance after 12 payments = payment × (1 − v^12) / r, later interest = 12 × payment
    # − that balance (≈ 202.7; the builders' per-period rounding moves it by cents).
    r, v = Decimal("0.005"), 1 / Decimal("1.005")
    payment = Decimal(12000) * r / (1 - v**24)
    expected = 12 * payment - payment * (1 - v**12) / r
    assert abs(extra - expected) < Decimal("0.10")
    assert f"{extra} CNY of interest falls due after its first 12" in finding.message


@pytest.mark.parametrize(
    ("months", "annual"),
    [(24, "0"), (12, "0.06")],
    ids=["24 months interest-free", "12 months at 6%"],
)
def test_a_short_or_interest_free_plan_is_not_flagged_for_its_length(months, annual):
    plan = equal_installment(cny("12000.00"), InterestRate.annual(annual), months, start=START)
    assert "core.longer_term_costs_more" not in codes(case(), plan)


# --- core.negative_amortization ---------------------------------------------------------


def test_a_balance_that_grows_is_negative_amortization():
    def installment(seq, due, principal, interest, after):
        return Installment(
            seq=seq,
            due=due,
            principal=cny(principal),
            interest=cny(interest),
            fee=cny("0.00"),
            balance_after=cny(after),
        )

    # The first payment covers 5.00 of 60.00 interest; the 55.00 unpaid is added on.
    plan = Plan(
        principal=cny("1000.00"),
        start=START,
        installments=[
            installment(1, dt.date(2026, 12, 2), "0.00", "5.00", "1055.00"),
            installment(2, dt.date(2027, 1, 2), "1000.00", "115.00", "0.00"),
        ],
    )
    finding = only(case(), plan, "core.negative_amortization")
    assert finding.severity is Severity.DANGER
    assert "After installment 1 (due 2026-12-02) you would owe 1055.00 CNY" in finding.message
    assert "more than the 1000.00 CNY before it" in finding.message


def test_the_schedule_builders_never_amortize_negatively():
    balloon = equal_installment(cny("1000.00"), InterestRate.annual("0.12"), 6, start=START)
    assert "core.negative_amortization" not in codes(case(), balloon)
    assert "core.negative_amortization" not in codes(case(), clean_plan())


# --- core.no_unique_rate ----------------------------------------------------------------


@pytest.mark.parametrize(
    "withheld",
    ["999.00", "1000.00"],
    ids=["rate beyond 1,000,000% a year", "nothing advanced"],
)
def test_cash_flows_without_a_single_rate_are_flagged(withheld):
    # 1000.00 repaid one month after an advance of 1.00 (or of nothing at all).
    fee = UpfrontItem(kind=UpfrontKind.FEE, amount=cny(withheld), on=START, withheld=True)
    plan = custom(
        cny("1000.00"),
        [(dt.date(2026, 12, 2), cny("1000.00"), cny("0.00"), cny("0.00"))],
        start=START,
        upfront=[fee],
    )
    finding = only(case(), plan, "core.no_unique_rate")
    assert finding.severity is Severity.WARNING
    assert "US-RegZ, EU-CCD, CN-PBOC, XIRR" in finding.message


def test_a_plan_paid_on_its_start_date_finances_nothing_and_has_no_rate_finding():
    plan = custom(cny("1000.00"), [(START, cny("1000.00"), cny("0.00"), cny("0.00"))], start=START)
    assert "core.no_unique_rate" not in codes(case(), plan)


# --- through the real host --------------------------------------------------------------


def test_the_host_runs_the_core_reviews_and_names_the_plugin():
    host = get_plugin_host(load_entry_points=False, environ={})
    fee = UpfrontItem(kind=UpfrontKind.FEE, amount=cny("1600.00"), on=START)
    plan = equal_installment(OWED, InterestRate.zero(), 24, start=START, upfront=[fee])
    result = host.review(case=case(), proposal=proposal(plan))
    assert result.failures == ()
    assert [(f.code, f.severity, f.source) for f in result.items] == [
        ("core.unaffordable", Severity.DANGER, "debtnegotiation.reviews"),
        ("core.advance_fee", Severity.WARNING, "debtnegotiation.reviews"),
    ]
    assert host.review(case=case(), proposal=proposal(clean_plan())).items == ()


def test_the_core_reviews_can_be_blocked_by_name():
    host = get_plugin_host(load_entry_points=False, environ={}, blocked=["debtnegotiation.reviews"])
    plan = equal_installment(OWED, InterestRate.zero(), 6, start=START)
    assert host.review(case=case(), proposal=proposal(plan)).items == ()


def test_the_built_in_strategies_pass_the_core_reviews_on_the_example_case():
    from debtnegotiation.testing import sample_case

    host = get_plugin_host(load_entry_points=False, environ={})
    the_case = sample_case()
    found = {}
    for item in host.propose(case=the_case).items:
        found[item.title] = [f.code for f in host.review(case=the_case, proposal=item).items]
    # Only the article's upfront handling fee draws a (warning) finding.
    assert found == {
        title: (["core.advance_fee"] if title.startswith("Re-split") else []) for title in found
    }
    assert any(title.startswith("Re-split") for title in found)
