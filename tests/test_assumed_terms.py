"""Assumed terms when the lender's are unknown, and no invented levers (issue 14, items 6-7).

Built-in ``debtnegotiation.assumed_terms`` answers ``debtneg_lender_policies`` for every
debt with a generic assumed policy; the jurisdiction packs (installed by the README's test
command) answer with kind-specific ones. The engine uses a stated policy first, a
kind-specific assumed one next, the generic one last, and labels every option accordingly.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from debtnegotiation import (
    Borrower,
    Case,
    Creditor,
    CreditorKind,
    Debt,
    DocumentKind,
    Eligibility,
    InterestRate,
    LenderPolicy,
    Money,
    Negotiation,
    Regime,
    ValidationError,
    render_document,
)
from debtnegotiation.assumed_terms import GENERIC_MONTHS, generic_policy
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.serialize import to_data
from debtnegotiation.testing import sample_case

ASSUMED = "Assumed terms — ask the lender for its own"
BEYOND = "Beyond the lender's stated terms — an ask"


def _case(kind: CreditorKind, *, name: str = "Unknown Lender"):
    case = sample_case(policy=None)
    creditor = attrs.evolve(case.debt.creditor, name=name, kind=kind)
    return attrs.evolve(case, debt=attrs.evolve(case.debt, creditor=creditor))


def _usd_card() -> Case:
    on = sample_case().on
    debt = Debt(
        creditor=Creditor(name="Unknown Card Issuer", kind=CreditorKind.CREDIT_CARD),
        currency="USD",
        principal=Money("5000.00", "USD"),
        contract_rate=InterestRate.annual("0.2499"),
        as_of=on,
    )
    borrower = Borrower(currency="USD", monthly_income=Money("3200.00", "USD"))
    return Case(debt=debt, borrower=borrower, on=on)


@pytest.fixture(scope="module")
def host():
    return get_plugin_host(environ={})


def test_an_unknown_chinese_card_gets_article_70_terms_labelled_assumed(host):
    negotiation = Negotiation(_case(CreditorKind.CREDIT_CARD), regime=Regime.CN_PBOC, host=host)
    policy = negotiation.case.policy
    assert policy is not None
    assert policy.assumed
    assert policy.max_months == 60
    options = negotiation.options()
    assert options.ranked, "assumed terms must give the borrower something to ask for"
    for option in options.ranked:
        assert option.proposal.eligibility is Eligibility.ASSUMED_TERMS
        assert any("assumed terms" in r and "Ask the lender" in r for r in option.proposal.reasons)
    data = to_data(options)
    assert {o["eligibility"] for o in data["options"]} == {"on-assumed-terms"}
    for kind in (DocumentKind.COMPARISON, DocumentKind.SCRIPT):
        text = render_document(kind, negotiation, locale="en")
        assert ASSUMED in text, kind
    # The letter is addressed to the lender: it asks for the lender's own terms.
    letter = render_document(DocumentKind.LETTER, negotiation, locale="en")
    assert "I do not know your terms for such an arrangement" in letter
    chinese = render_document(DocumentKind.COMPARISON, negotiation, locale="zh_Hans_CN")
    assert "假定条件" in chinese
    assert all("on assumed terms" in s.ask for s in negotiation.ladder().steps[:-1])


def test_a_kind_specific_assumed_policy_beats_the_generic_one(host):
    platform = Negotiation(
        _case(CreditorKind.INSTALLMENT_PLATFORM), regime=Regime.CN_PBOC, host=host
    )
    assert platform.case.policy is not None
    assert platform.case.policy.creditor_kinds == {
        CreditorKind.INSTALLMENT_PLATFORM,
        CreditorKind.CONSUMER_FINANCE,
        CreditorKind.ONLINE_LENDER,
    }
    other = Negotiation(_case(CreditorKind.OTHER), regime=Regime.CN_PBOC, host=host)
    assert other.case.policy == generic_policy(other.case.debt)
    assert other.case.policy.max_months == GENERIC_MONTHS
    assert other.options().ranked
    # The generic terms assume no freeze: interest runs at the contract rate.
    assert all(
        "interest at the contract rate" in o.proposal.title or "relief" in o.proposal.title.lower()
        for o in other.options().ranked
    )


def test_a_us_card_without_terms_gets_the_hardship_program_assumption(host):
    negotiation = Negotiation(_usd_card(), regime=Regime.US_REG_Z, host=host)
    policy = negotiation.case.policy
    assert policy is not None
    assert policy.assumed
    assert policy.plan_rate == InterestRate.annual("0.10")
    assert policy.penalty_waiver_max == Decimal(1)
    assert {o.proposal.eligibility for o in negotiation.options().ranked} == {
        Eligibility.ASSUMED_TERMS
    }


def test_stated_terms_come_first_and_a_lever_they_lack_is_an_ask_beyond_them(host):
    stated = LenderPolicy(lender="Unknown Lender", source="the lender's letter", max_months=24)
    case = attrs.evolve(_case(CreditorKind.INSTALLMENT_PLATFORM), policy=stated)
    negotiation = Negotiation(case, regime=Regime.CN_PBOC, host=host)
    assert negotiation.case.policy is stated
    ranked = negotiation.options().ranked
    by_strategy = {o.proposal.strategy: o for o in ranked}
    assert by_strategy["extension"].proposal.eligibility is Eligibility.ELIGIBLE
    beyond = [o for o in ranked if o.proposal.eligibility is Eligibility.BEYOND_STATED_TERMS]
    assert beyond, "the assumed platform terms offer relief and a fee re-split"
    assert {o.proposal.strategy for o in beyond} <= {"subsidy", "fee-advance"}
    # An ask beyond the stated terms never ranks above an affordable stated option.
    stated_ranks = [
        o.rank for o in ranked if o.affordable and o.proposal.eligibility is Eligibility.ELIGIBLE
    ]
    assert max(stated_ranks) < min(o.rank for o in beyond if o.affordable)
    comparison = render_document(DocumentKind.COMPARISON, negotiation, locale="en")
    assert BEYOND in comparison


def test_a_free_re_split_is_not_plainly_eligible_when_the_only_re_split_costs_a_fee(host):
    # The example platform re-splits only for a 5 % fee.
    negotiation = Negotiation(sample_case(), regime=Regime.CN_PBOC, host=host)
    extension = [o for o in negotiation.options().ranked if o.proposal.strategy == "extension"]
    assert extension
    for option in extension:
        assert option.proposal.eligibility is Eligibility.BEYOND_STATED_TERMS
        assert any("beyond its stated terms" in r for r in option.proposal.reasons)


def test_with_no_terms_at_all_the_comparison_says_what_is_missing():
    host = get_plugin_host(
        load_entry_points=False, blocked=["debtnegotiation.assumed_terms"], environ={}
    )
    negotiation = Negotiation(_case(CreditorKind.OTHER), regime=Regime.CN_PBOC, host=host)
    assert negotiation.case.policy is None
    assert negotiation.options().ranked == ()
    text = render_document(DocumentKind.COMPARISON, negotiation, locale="en")
    assert "No strategy produced a plan" in text
    assert "add the lender's policy to the case file" in text
    assert "[debts.policy]" in text


def test_assumed_policies_never_match_a_lender_by_name():
    policy = generic_policy(sample_case().debt)
    assert not policy.applies_to(policy.lender)
    assert policy.describes(CreditorKind.OTHER)
    stated = LenderPolicy(lender="Bank", source="letter")
    assert stated.applies_to("bank")
    assert not stated.describes(CreditorKind.OTHER)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"assumed": "yes"}, "LenderPolicy.assumed"),
        ({"creditor_kinds": "credit-card"}, "LenderPolicy.creditor_kinds"),
        ({"creditor_kinds": ["pawnshop"]}, "LenderPolicy.creditor_kinds"),
    ],
)
def test_bad_assumed_fields_are_named(changes, field):
    with pytest.raises(ValidationError) as error:
        LenderPolicy(lender="x", source="y", **changes)
    assert error.value.field == field
