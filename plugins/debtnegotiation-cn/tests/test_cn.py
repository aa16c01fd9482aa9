"""Tests of debtnegotiation-cn: the installed entry points, the LPR table, the rate lines,
the personalised installment strategy and the collection rules.

Run after ``python -m pip install ./plugins/debtnegotiation-cn``::

    python -m pytest plugins/debtnegotiation-cn/tests
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner
from debtnegotiation_cn import ceilings, collection, contract, installment
from debtnegotiation_cn.collection import COLLECTION_RULES
from debtnegotiation_cn.lpr import ONE_YEAR_LPR, LprFixing, lpr_on

from debtnegotiation.apr import Regime
from debtnegotiation.borrower import Borrower, Evidence, EvidenceKind, Hardship, HardshipKind
from debtnegotiation.case import Case, Goals
from debtnegotiation.cli import cli
from debtnegotiation.debt import Creditor, CreditorKind, Debt
from debtnegotiation.documents import DocumentKind, OutputFormat, render_document
from debtnegotiation.errors import ValidationError
from debtnegotiation.example import example_debts
from debtnegotiation.findings import Severity
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.i18n import DOMAIN, translations
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.negotiation_log import (
    Channel,
    Contact,
    Direction,
    NegotiationLog,
    check_conduct,
    conduct_findings,
)
from debtnegotiation.plan import Plan, UpfrontKind, WaiverKind
from debtnegotiation.plugins import Collected, get_plugin_host
from debtnegotiation.policy import FeeTiming
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.rates import DayCount, FlatMonthlyFee, InterestRate
from debtnegotiation.schedules import equal_installment, flat_fee
from debtnegotiation.testing import assert_no_failures, plugin_host, sample_case
from debtnegotiation.text import Localizer

DISTRIBUTION = "debtnegotiation-cn"
CARD = example_debts()[1]


def card_case(**changes: object):
    """The example credit card (CNY 12,000, current) as a case, with the bank's policy."""
    return sample_case(debt=CARD, **changes)  # type: ignore[arg-type]


def with_kind(debt: Debt, kind: CreditorKind, opened: str) -> Debt:
    return attrs.evolve(debt, creditor=attrs.evolve(debt.creditor, kind=kind), opened=opened)


# --- installed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "hooks"),
    [
        ("cn-rate-ceilings", ("debtneg_review_proposal",)),
        ("cn-contract-rate", ("debtneg_review_case",)),
        (
            "cn-personalised-installment",
            ("debtneg_catalogs", "debtneg_propose_plans", "debtneg_strategy_names"),
        ),
        ("cn-collection-conduct", ("debtneg_contact_rules",)),
    ],
)
def test_plugin_is_installed(name, hooks):
    infos = {info.name: info for info in get_plugin_host(builtins=False).plugins()}
    assert name in infos, "python -m pip install ./plugins/debtnegotiation-cn"
    assert infos[name].distribution == DISTRIBUTION
    assert infos[name].version == importlib.metadata.version(DISTRIBUTION)
    assert infos[name].hooks == hooks


def test_installed_strategy_proposes_for_the_example_card():
    host = get_plugin_host(builtins=False, environ={})
    sources = {p.source for p in host.propose(case=card_case()).items}
    assert "cn-personalised-installment" in sources
    blocked = get_plugin_host(
        builtins=False, environ={"DEBTNEG_DISABLE_PLUGINS": "cn-personalised-installment"}
    )
    assert "cn-personalised-installment" not in {
        p.source for p in blocked.propose(case=card_case()).items
    }


def test_debtneg_log_conduct_applies_the_installed_collection_rules(tmp_path):
    # End to end: the installed pack answers the command's contact-rules question.
    example = Path(__file__).resolve().parents[3] / "examples" / "xian.toml"
    shanghai = ZoneInfo("Asia/Shanghai")
    log_path = tmp_path / "calls.sqlite"
    with NegotiationLog.open(log_path) as log:
        for minute in range(7):  # 7 unanswered calls in one morning: more than 6
            at = dt.datetime(2026, 11, 6, 9, minute, tzinfo=shanghai)
            log.append(
                Contact(at=at, channel=Channel.PHONE, direction=Direction.INBOUND, answered=False)
            )
    autoload = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": None, "DEBTNEG_DISABLE_PLUGINS": None}
    runner = CliRunner(env=autoload)
    args = ["log", "conduct", str(log_path), str(example), "--creditor", "Example Bank Credit Card"]
    result = runner.invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["zone"] for r in data["rule_sets"]] == ["Asia/Shanghai"]
    assert [(f["code"], f["source"]) for f in data["findings"]] == [
        ("conduct.too_many_attempts_day", "cn-collection-conduct")
    ]


# --- the plugin's catalog -------------------------------------------------------------


def test_installed_catalog_is_compiled_and_merged_into_the_library_domain():
    host = get_plugin_host(builtins=False, environ={})
    collected = host.catalogs(locale="zh_CN")
    # Other installed packs (the US one) may ship catalogs too: take this plugin's.
    by_plugin = dict(zip(collected.plugins, assert_no_failures(collected), strict=True))
    source = by_plugin["cn-personalised-installment"]
    assert source.domain == DOMAIN
    assert "zh_Hans_CN" in source.locales()
    catalog = translations("zh_Hans_CN", extra=[source])
    assert catalog.pgettext("strategy", installment.TITLE) == "个性化分期还款"
    # The library's own messages are still there.
    assert catalog.pgettext("strategy", "Payment deferral") == "延期还款"


def test_english_uses_no_plugin_catalog_and_is_not_a_failure():
    # A catalog of the library's domain only adds what it has: English needs none.
    assert get_plugin_host(builtins=False, environ={}).catalogs(locale="en") == Collected(())


def test_shipped_catalog_is_complete_and_names_only_texts_the_plugin_uses():
    locales = Path(installment.__file__).parent / "locales"
    po_path = locales / "zh_Hans_CN" / "LC_MESSAGES" / "debtnegotiation.po"
    with po_path.open("rb") as stream:
        catalog = read_po(stream)
    messages = [m for m in catalog if m.id]
    assert messages, po_path
    for message in messages:
        assert message.string, f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
    # Exactly what the sources mark (Text and N_), as the README's extraction finds it.
    sources = Path(installment.__file__).parent
    marked = {
        (context, message)
        for _file, _line, message, _comments, context in extract_from_dir(
            sources, keywords={"Text": ((1, "c"), 2), "N_": ((1, "c"), 2)}
        )
    }
    assert ("strategy", installment.TITLE) in marked
    assert ("finding", "{charged}, above {line}: {meaning}.") in marked
    assert {(m.context, m.id) for m in messages} == marked


@pytest.mark.parametrize(
    ("locale", "name"),
    [("zh_Hans_CN", "个性化分期还款"), ("en", "Personalised installment (个性化分期)")],
)
def test_documents_name_the_plugin_strategy_in_the_reader_language(locale, name):
    negotiation = Negotiation(card_case(), regime=Regime.CN_PBOC, host=get_plugin_host(environ={}))
    assert any(
        o.proposal.source == "cn-personalised-installment"
        for o in (*negotiation.options().ranked, *negotiation.options().unranked)
    )
    text = render_document(DocumentKind.COMPARISON, negotiation, locale=locale)
    assert name in text
    if locale != "en":
        assert installment.TITLE not in text


def test_blocking_the_strategy_also_drops_its_catalog():
    host = get_plugin_host(
        builtins=False, environ={"DEBTNEG_DISABLE_PLUGINS": "cn-personalised-installment"}
    )
    assert "cn-personalised-installment" not in host.catalogs(locale="zh_Hans_CN").plugins


# --- the LPR table --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "rate", "confirmed"),
    [
        ("2020-08-20", "0.0385", True),
        ("2025-05-19", "0.031", True),
        ("2025-05-20", "0.030", True),
        ("2026-01-20", "0.030", True),
        ("2026-01-21", "0.030", False),
        ("2026-11-02", "0.030", False),
    ],
)
def test_lpr_on_a_known_or_later_date(day, rate, confirmed):
    found = lpr_on(dt.date.fromisoformat(day))
    assert found is not None
    assert found.rate == Decimal(rate)
    assert found.confirmed is confirmed
    assert found.fixing.source.startswith("one-year LPR of the National Interbank Funding Center")


@pytest.mark.parametrize("day", ["2019-12-31", "2020-08-21", "2023-06-01", "2025-05-18"])
def test_lpr_is_unknown_before_and_between_confirmed_spans(day):
    assert lpr_on(dt.date.fromisoformat(day)) is None


def test_lpr_table_is_ordered_and_each_fixing_cites_a_source():
    assert [f.first_known for f in ONE_YEAR_LPR] == sorted(f.first_known for f in ONE_YEAR_LPR)
    assert all(", as reported by " in f.source for f in ONE_YEAR_LPR)
    with pytest.raises(ValidationError, match=r"LprFixing\.last_known"):
        LprFixing(
            rate=Decimal("0.03"),
            first_known=dt.date(2026, 2, 20),
            last_known=dt.date(2026, 1, 20),
            source="t",
        )


# --- the rate lines -------------------------------------------------------------------


def plan_at(annual: str, start: str = "2025-06-02", principal: str = "10000.00") -> Plan:
    """A 12-month annuity at a nominal annual rate (its CN PBOC rate is that rate)."""
    return equal_installment(Money(principal, "CNY"), InterestRate.annual(annual), 12, start=start)


def review(kind: CreditorKind, plan: Plan):
    debt = attrs.evolve(with_kind(sample_case().debt, kind, opened="2019-01-01"), as_of=plan.start)
    case = sample_case(debt=debt, on=plan.start)
    proposal = Proposal(strategy="t", title="t", plan=plan, eligibility=Eligibility.ELIGIBLE)
    host = plugin_host(ceilings)
    return assert_no_failures(host.review(case=case, proposal=proposal))


def test_flat_fee_card_installment_is_above_4x_lpr_for_private_lending():
    # 0.60 % a month on the original principal over 12 months is about 13.0 % a year
    # (PBOC Announcement [2021] No. 3 method), above 4 x 3.0 % = 12.0 %.
    plan = flat_fee(Money("12000.00", "CNY"), FlatMonthlyFee("0.006"), 12, start="2025-06-02")
    (finding,) = review(CreditorKind.OTHER, plan)
    assert finding.code == "cn.rate-above-4x-lpr"
    assert finding.severity is Severity.WARNING
    assert "13.0" in finding.message
    assert "12 % (4 × LPR 3 %)" in finding.message
    assert finding.source == "debtnegotiation_cn.ceilings"
    # A licensed lender is judged against 24 %, which 13 % is well below.
    assert review(CreditorKind.CREDIT_CARD, plan) == ()


def test_4x_lpr_after_the_newest_fixing_says_it_is_unconfirmed():
    (finding,) = review(CreditorKind.OTHER, plan_at("0.15", start="2026-11-02"))
    assert finding.code == "cn.rate-above-4x-lpr"
    assert "last confirmed 2026-01-20" in finding.message


def test_4x_lpr_in_a_gap_is_not_guessed():
    (finding,) = review(CreditorKind.OTHER, plan_at("0.15", start="2023-03-01"))
    assert finding.code == "cn.lpr-unknown"
    assert finding.severity is Severity.INFO


def test_4x_lpr_line_starts_on_20_august_2020():
    assert review(CreditorKind.OTHER, plan_at("0.15", start="2020-08-19")) == ()


@pytest.mark.parametrize(
    ("annual", "codes"),
    [
        ("0.2399", []),
        ("0.2401", ["cn.rate-above-24pct"]),
        ("0.3601", ["cn.rate-above-36pct", "cn.rate-above-24pct"]),
    ],
)
@pytest.mark.parametrize("kind", sorted(ceilings.LICENSED, key=lambda k: k.value))
def test_licensed_lender_lines(kind, annual, codes):
    assert [f.code for f in review(kind, plan_at(annual))] == codes


def test_36pct_applies_to_private_lending_too():
    codes = [f.code for f in review(CreditorKind.OTHER, plan_at("0.40"))]
    assert codes == ["cn.rate-above-36pct", "cn.rate-above-4x-lpr"]


def test_other_currencies_and_missing_plans_are_not_reviewed():
    usd = equal_installment(
        Money("1000.00", "USD"), InterestRate.annual("0.50"), 12, start="2026-11-02"
    )
    case = sample_case()
    host = plugin_host(ceilings)
    for plan in (usd, None):
        proposal = Proposal(
            strategy="t",
            title="t",
            plan=plan,
            eligibility=Eligibility.ELIGIBLE if plan else Eligibility.NOT_ELIGIBLE,
        )
        assert host.review(case=case, proposal=proposal).items == ()


# --- the existing contract's rate --------------------------------------------------------

CASES = Path(__file__).parent / "cases"
ONLINE_LOAN = CASES / "online-loan-54pct.toml"
CONTRACT_CODES = {
    "cn.contract-rate-above-4x-lpr",
    "cn.contract-rate-above-24pct",
    "cn.contract-rate-above-36pct",
    "cn.contract-lpr-unknown",
}


def contract_case(
    rate: InterestRate,
    *,
    kind: CreditorKind = CreditorKind.ONLINE_LENDER,
    opened: str | None = "2025-09-01",
    days_overdue: int = 0,
    penalty: InterestRate | None = None,
):
    debt = attrs.evolve(
        sample_case().debt,
        creditor=attrs.evolve(sample_case().debt.creditor, kind=kind),
        contract_rate=rate,
        penalty_rate=penalty,
        days_overdue=days_overdue,
        opened=opened,
    )
    return sample_case(debt=debt, policy=None)


def review_contract(case):
    return assert_no_failures(plugin_host(contract).review_case(case=case))


def test_status_quo_rate_annualises_daily_and_monthly_rates_simply():
    daily = contract_case(InterestRate.daily("0.0015", DayCount.X365))
    assert contract.status_quo_rate(daily.debt) == Decimal("0.5475")
    x360 = contract_case(InterestRate.daily("0.0015", DayCount.X360))
    assert contract.status_quo_rate(x360.debt) == Decimal("0.54")
    monthly = contract_case(InterestRate.per_month("0.02"))
    assert contract.status_quo_rate(monthly.debt) == Decimal("0.24")


def test_penalty_interest_counts_only_while_overdue():
    penalty = InterestRate.daily("0.0003", DayCount.X365)  # 10.95 % a year
    rate = InterestRate.daily("0.0004", DayCount.X365)  # 14.6 % a year
    current = contract_case(rate, penalty=penalty)
    overdue = contract_case(rate, penalty=penalty, days_overdue=40)
    assert contract.status_quo_rate(current.debt) == Decimal("0.146")
    assert contract.status_quo_rate(overdue.debt) == Decimal("0.2555")
    assert review_contract(current) == ()
    (finding,) = review_contract(overdue)
    assert finding.code == "cn.contract-rate-above-24pct"
    assert "penalty interest at 0.03 % a day (× 365 days) while overdue" in finding.message
    assert "25.55 % a year together, above 24 %" in finding.message


def test_an_online_loan_at_54_75_pct_is_above_both_lines_and_says_what_to_do():
    found = review_contract(contract_case(InterestRate.daily("0.0015", DayCount.X365)))
    assert [(f.code, f.severity) for f in found] == [
        ("cn.contract-rate-above-36pct", Severity.DANGER),
        ("cn.contract-rate-above-24pct", Severity.WARNING),
    ]
    assert {f.source for f in found} == {"debtnegotiation_cn.contract"}
    above_36, above_24 = (f.message for f in found)
    for message in (above_36, above_24):
        assert message.startswith(
            "The existing contract charges interest at 0.15 % a day (× 365 days): 54.75 % a year"
        )
        assert "recompute" in message
        assert ".md" not in message  # cites rules, not files
    assert "法发〔2017〕22号" in above_24
    assert "may be contested" in above_24
    assert "法释〔2015〕18号, Art. 26" in above_36


@pytest.mark.parametrize(
    ("annual", "codes"),
    [
        ("0.24", []),
        ("0.2401", ["cn.contract-rate-above-24pct"]),
        ("0.36", ["cn.contract-rate-above-24pct"]),
        ("0.3601", ["cn.contract-rate-above-36pct", "cn.contract-rate-above-24pct"]),
    ],
)
@pytest.mark.parametrize("kind", sorted(ceilings.LICENSED, key=lambda k: k.value))
def test_contract_lines_for_licensed_lenders(kind, annual, codes):
    found = review_contract(contract_case(InterestRate.annual(annual), kind=kind))
    assert [f.code for f in found] == codes


def test_private_lending_contract_is_held_to_4x_lpr_at_the_contract_date():
    case = contract_case(InterestRate.annual("0.15"), kind=CreditorKind.OTHER, opened="2025-06-01")
    (finding,) = review_contract(case)
    assert finding.code == "cn.contract-rate-above-4x-lpr"
    assert finding.message.startswith("The existing contract charges interest at 15 % a year, ")
    assert "above 12 % (4 × LPR 3 %) on 2025-06-01, when the contract was made" in finding.message
    assert "法释〔2020〕17号" in finding.message
    # Made before the 2020 rule took effect, the LPR line is not applied.
    before = contract_case(
        InterestRate.annual("0.15"), kind=CreditorKind.OTHER, opened="2020-08-19"
    )
    assert review_contract(before) == ()


def test_private_lending_contract_date_unknown_or_in_a_gap_is_said_not_guessed():
    unknown = contract_case(InterestRate.annual("0.15"), kind=CreditorKind.OTHER, opened=None)
    (finding,) = review_contract(unknown)
    assert (finding.code, finding.severity) == ("cn.contract-lpr-unknown", Severity.INFO)
    assert "Debt.opened" in finding.message
    gap = contract_case(InterestRate.annual("0.15"), kind=CreditorKind.OTHER, opened="2023-03-01")
    (finding,) = review_contract(gap)
    assert finding.code == "cn.contract-lpr-unknown"
    assert "2023-03-01" in finding.message
    # At or below 4 × the lowest LPR the table holds, no contract date could matter.
    low = contract_case(InterestRate.annual("0.12"), kind=CreditorKind.OTHER, opened=None)
    assert review_contract(low) == ()


def test_contracts_outside_cny_and_the_example_debts_are_not_flagged():
    usd_debt = Debt(
        creditor=Creditor(name="Test Lender", kind=CreditorKind.ONLINE_LENDER),
        currency="USD",
        principal=Money("1000.00", "USD"),
        contract_rate=InterestRate.annual("0.50"),
        as_of="2026-11-02",
    )
    borrower = Borrower(currency="USD", monthly_income=Money("3000.00", "USD"))
    usd = Case(debt=usd_debt, borrower=borrower, on=dt.date(2026, 11, 2))
    assert contract.review_contract(usd) == ()
    # The example platform debt (21.9 % a year while overdue) and card (18.25 %) are below.
    for debt in example_debts():
        assert review_contract(sample_case(debt=debt)) == ()


def test_a_line_without_a_status_quo_text_shows_its_own_meaning_and_source():
    line = attrs.evolve(ceilings.CEILINGS[1], code="cn.rate-above-20pct", rate=Decimal("0.20"))
    case = contract_case(InterestRate.annual("0.21"))
    (finding,) = contract.review_contract(case, ceilings=(line,))
    assert finding.code == "cn.contract-rate-above-20pct"
    assert f"Source: {line.source}." in finding.message


def test_the_contract_finding_is_shown_once_with_the_status_quo_not_per_option():
    # End to end through the installed pack: the case file's loan is at 54.75 % a year.
    autoload = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": None, "DEBTNEG_DISABLE_PLUGINS": None}
    runner = CliRunner(env=autoload)
    result = runner.invoke(cli, ["options", str(ONLINE_LOAN)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "No warnings." not in text
    assert text.count("The existing contract charges") == 2
    assert "54.75 % a year, above 36 %" in text
    assert "54.75 % a year, above 24 %" in text

    result = runner.invoke(cli, ["options", str(ONLINE_LOAN), "--format", "json"])
    assert result.exit_code == 0, result.output
    (creditor,) = json.loads(result.stdout)["creditors"]
    assert [(f["code"], f["source"]) for f in creditor["findings"]] == [
        ("cn.contract-rate-above-36pct", "cn-contract-rate"),
        ("cn.contract-rate-above-24pct", "cn-contract-rate"),
    ]
    assert creditor["options"], "the case file's policy offers plans"
    for option in creditor["options"]:
        assert not CONTRACT_CODES & {f["code"] for f in option["findings"]}

    result = runner.invoke(cli, ["options", str(ONLINE_LOAN), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("The existing contract charges") == 2


def test_every_comparison_format_shows_the_contract_findings_once():
    case = contract_case(InterestRate.daily("0.0015", DayCount.X365))
    host = plugin_host(contract)
    negotiation = Negotiation(case, regime=Regime.CN_PBOC, host=host)
    for output in OutputFormat:
        for locale in ("en", "zh_Hans_CN"):
            shown = render_document(
                DocumentKind.COMPARISON, negotiation, locale=locale, output=output, host=host
            )
            assert shown.count("The existing contract charges") == 2, (output, locale)
            assert "54.75 % a year, above 36 %" in shown


def test_negotiation_options_carry_the_contract_findings():
    case = contract_case(InterestRate.daily("0.0015", DayCount.X365))
    negotiation = Negotiation(case, regime=Regime.CN_PBOC, host=plugin_host(contract))
    options = negotiation.options()
    assert [f.code for f in options.findings] == [
        "cn.contract-rate-above-36pct",
        "cn.contract-rate-above-24pct",
    ]
    assert options.failures == ()


# --- the personalised installment strategy ----------------------------------------------


def propose(case):
    proposals = assert_no_failures(plugin_host(installment).propose(case=case))
    assert len(proposals) <= 1
    return proposals[0] if proposals else None


def test_example_card_gets_a_plan_that_needs_evidence():
    case = card_case()
    found = propose(case)
    assert found.strategy == "personalised-installment"
    assert found.source == "debtnegotiation_cn.installment"
    # The bank's policy asks for a termination letter, income proof and bank statements;
    # Art. 70 needs the willingness statement. The borrower has the letter and statements.
    assert found.eligibility is Eligibility.NEEDS_EVIDENCE
    assert found.evidence_needed == (EvidenceKind.INCOME_PROOF, EvidenceKind.HARDSHIP_STATEMENT)
    assert "not an entitlement" in found.reasons[0]
    plan = found.plan
    # 12,000 owed + 5 % fee spread = 12,600 over any term, no interest: the library's
    # term rule takes the lowest payment, 60 months of 210.00 (issue 14), not the
    # shortest that fits the 1,500 budget (9 months at a far higher annual rate).
    assert case.monthly_budget == Money("1500.00", "CNY")
    assert plan.number_of_payments == 60
    assert plan.peak_installment == Money("210.00", "CNY")
    assert any("same total cost as any shorter term" in r for r in found.reasons)
    assert plan.total_interest == Money("0.00", "CNY")
    assert plan.total_fees == Money("600.00", "CNY")
    assert plan.peak_installment <= case.monthly_budget
    assert plan.total_paid == Money("12600.00", "CNY")
    assert any("any bank" in c for c in plan.conditions)
    assert any("stop collection" in c for c in plan.conditions)
    assert any("recording" in c for c in plan.conditions)
    assert sum(c.count(";") for c in plan.conditions if "must state" in c) == 5


def test_all_evidence_on_hand_makes_it_eligible():
    case = card_case()
    have = [
        Evidence(kind=kind, issued="2026-10-31")
        for kind in (
            EvidenceKind.TERMINATION_LETTER,
            EvidenceKind.INCOME_PROOF,
            EvidenceKind.BANK_STATEMENTS,
            EvidenceKind.HARDSHIP_STATEMENT,
        )
    ]
    borrower = attrs.evolve(case.borrower, evidence=have)
    found = propose(card_case(borrower=borrower))
    assert found.eligibility is Eligibility.ELIGIBLE
    assert found.evidence_needed == ()


def test_without_a_policy_the_usual_documents_and_no_fee():
    found = propose(card_case(policy=None))
    # Either an unemployment certificate or a termination letter proves unemployment;
    # the borrower has the letter. No policy: no fee, no waiver, up to 60 months.
    assert found.evidence_needed == (EvidenceKind.INCOME_PROOF, EvidenceKind.HARDSHIP_STATEMENT)
    assert found.plan.total_fees == Money("0.00", "CNY")
    assert found.plan.waivers == ()
    assert "this plan's cap is 60" in found.reasons[1]


def test_term_is_capped_at_60_months_and_says_when_unaffordable():
    case = card_case(policy=None)
    # 2,850 income - 2,550 essentials - 150 buffer = 150 a month: 80 months needed.
    small = attrs.evolve(case.borrower, monthly_income=Money("2850.00", "CNY"))
    found = propose(card_case(policy=None, borrower=small))
    assert found.plan.number_of_payments == installment.MAX_MONTHS
    assert found.plan.months == 60
    assert any("Even over 60 months" in r for r in found.reasons)


def test_goal_shortens_the_cap():
    found = propose(card_case(goals=Goals(max_months=6)))
    assert found.plan.number_of_payments == 6
    assert "this plan's cap is 6" in found.reasons[1]


def test_penalty_waiver_and_first_payment_from_the_policy():
    debt = attrs.evolve(CARD, penalty_interest=Money("200.00", "CNY"), days_overdue=40)
    policy = attrs.evolve(
        card_case().policy, min_first_payment=Decimal("0.10"), fee_timing=FeeTiming.UPFRONT
    )
    found = propose(sample_case(debt=debt, policy=policy))
    plan = found.plan
    assert [(w.kind, w.amount) for w in plan.waivers] == [
        (WaiverKind.PENALTY, Money("100.00", "CNY"))
    ]
    upfront = {u.kind: u.amount for u in plan.upfront}
    assert upfront[UpfrontKind.PAYMENT] == Money("1220.00", "CNY")  # 10 % of 12,200
    assert upfront[UpfrontKind.FEE] == Money("610.00", "CNY")  # 5 % of 12,200
    assert plan.principal == Money("12100.00", "CNY")


def test_no_hardship_is_not_eligible():
    case = card_case()
    found = propose(card_case(borrower=attrs.evolve(case.borrower, hardships=())))
    assert found.eligibility is Eligibility.NOT_ELIGIBLE
    assert found.plan is None
    assert "No hardship" in found.reasons[1]


def test_a_hardship_the_policy_does_not_accept_is_not_eligible():
    case = card_case()
    disaster = [Hardship(kind=HardshipKind.DISASTER, start="2026-09-01")]
    found = propose(card_case(borrower=attrs.evolve(case.borrower, hardships=disaster)))
    assert found.eligibility is Eligibility.NOT_ELIGIBLE


def test_a_debt_the_budget_clears_at_once_is_not_eligible():
    case = card_case()
    rich = attrs.evolve(case.borrower, monthly_income=Money("20000.00", "CNY"))
    found = propose(card_case(borrower=rich))
    assert found.eligibility is Eligibility.NOT_ELIGIBLE
    assert "does not exceed your ability to repay" in found.reasons[1]


def test_not_applicable_to_other_creditor_kinds():
    assert propose(sample_case()) is None  # the installment platform is not a card


def test_not_applicable_outside_cny():
    usd = Money("0.00", "USD")
    card = attrs.evolve(
        CARD,
        currency="USD",
        principal=Money("12000.00", "USD"),
        accrued_interest=usd,
        penalty_interest=usd,
        fees=usd,
    )
    borrower = Borrower(
        currency="USD",
        monthly_income=Money("3000.00", "USD"),
        hardships=[Hardship(kind=HardshipKind.UNEMPLOYMENT, start="2026-08-15")],
    )
    assert propose(sample_case(debt=card, borrower=borrower, policy=None)) is None


# --- collection rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "allowed"),
    [(7, 59, False), (8, 0, True), (21, 59, True), (22, 0, False), (2, 0, False)],
)
def test_collection_hours(hour, minute, allowed):
    assert COLLECTION_RULES.allows(dt.time(hour, minute)) is allowed


def test_collection_rules_flag_a_seventh_unanswered_call(tmp_path: Path):
    shanghai = ZoneInfo("Asia/Shanghai")
    with NegotiationLog.open(tmp_path / "log.sqlite") as log:
        for hour in range(9, 16):
            log.append(
                Contact(
                    at=dt.datetime(2026, 3, 2, hour, tzinfo=shanghai),
                    channel=Channel.PHONE,
                    direction=Direction.INBOUND,
                    answered=False,
                )
            )
        codes = [f.code for f in check_conduct(log, COLLECTION_RULES)]
        # The same check through the hook, as the engine runs it.
        host = plugin_host(collection)
        through_host = assert_no_failures(conduct_findings(log, host.contact_rules(debt=CARD)))
    assert codes == ["conduct.too_many_attempts_day"]
    assert [(f.code, f.source) for f in through_host] == [
        ("conduct.too_many_attempts_day", "debtnegotiation_cn.collection")
    ]
    assert COLLECTION_RULES.max_per_day == 6


def test_collection_rules_are_offered_for_cny_debts_only():
    host = plugin_host(collection)
    assert host.contact_rules(debt=CARD).items == (COLLECTION_RULES,)
    usd = Money("0.00", "USD")
    dollars = attrs.evolve(
        CARD,
        currency="USD",
        principal=Money("100.00", "USD"),
        accrued_interest=usd,
        penalty_interest=usd,
        fees=usd,
    )
    assert host.contact_rules(debt=dollars).items == ()


# --- the findings in the reader's language ---------------------------------------------

#: ASCII words a Chinese finding may keep: none of the pack's own, only figures' units.
_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def _chinese() -> Localizer:
    host = get_plugin_host(environ={})
    catalogs = assert_no_failures(host.catalogs(locale="zh_Hans_CN"))
    return Localizer(translations("zh_Hans_CN", extra=catalogs), BabelFormatter("zh_Hans_CN"))


def test_contract_findings_say_themselves_in_chinese_with_the_locale_s_dates():
    say = _chinese().say
    found = review_contract(contract_case(InterestRate.daily("0.0015", DayCount.X365)))
    private = review_contract(
        contract_case(InterestRate.annual("0.2"), kind=CreditorKind.OTHER, opened="2025-09-01")
    )
    gap = review_contract(
        contract_case(InterestRate.annual("0.2"), kind=CreditorKind.OTHER, opened="2019-01-01")
    )
    for finding in (*found, *private, *gap):
        chinese = say(finding.message)
        assert chinese != finding.message
        assert not _ENGLISH_WORD.findall(chinese), chinese
    above_36 = say(found[0].message)
    assert above_36.startswith(
        "现有合同按日利率0.15%（按一年365天计）计收利息：折合年化54.75%，高于36%"
    )
    (four_lpr,) = (f for f in private if f.code == "cn.contract-rate-above-4x-lpr")
    assert "2025年9月1日" in say(four_lpr.message)  # the contract date, as the locale writes it
    assert "2025-09-01" in four_lpr.message  # English keeps ISO dates


def test_rate_ceiling_findings_say_themselves_in_chinese():
    say = _chinese().say
    case = sample_case(
        debt=attrs.evolve(CARD, creditor=attrs.evolve(CARD.creditor, kind=CreditorKind.OTHER))
    )
    plan = equal_installment(
        Money("10000.00", "CNY"), InterestRate.annual("0.40"), 12, start=dt.date(2026, 11, 2)
    )
    proposal = Proposal(strategy="test", title="t", plan=plan, eligibility=Eligibility.ELIGIBLE)
    found = ceilings.review(case, proposal)
    assert {f.code for f in found} == {"cn.rate-above-4x-lpr", "cn.rate-above-36pct"}
    for finding in found:
        chinese = say(finding.message)
        assert chinese.startswith("该方案的年化利率为"), chinese
        assert not _ENGLISH_WORD.findall(chinese), chinese


def test_collection_findings_cite_the_guideline_by_its_chinese_title(tmp_path: Path):
    shanghai = ZoneInfo("Asia/Shanghai")
    late = Contact(
        at=dt.datetime(2026, 11, 5, 23, 15, tzinfo=shanghai),
        channel=Channel.PHONE,
        direction=Direction.INBOUND,
    )
    with NegotiationLog.open(tmp_path / "log.sqlite") as log:
        log.append(late)
        (finding,) = check_conduct(log, COLLECTION_RULES)
    assert finding.message.startswith("Entry 1: phone contact at 2026-11-05 23:15 Asia/Shanghai")
    chinese = _chinese().say(finding.message)
    assert "《金融机构个人消费类贷款催收工作指引（试行）》" in chinese
    assert "2026年11月5日" in chinese
    assert not set(_ENGLISH_WORD.findall(chinese)) - {"Asia", "Shanghai"}, chinese


def test_the_personalised_installment_says_its_reasons_and_conditions_in_chinese():
    found = propose(card_case())
    say = _chinese().say
    article_70, _term, interest, *_rest = found.reasons
    assert say(article_70).startswith("根据银监会《商业银行信用卡业务监督管理办法》第七十条")
    assert say(interest) == "分期期间停止计息（停息）。"
    still = next(r for r in found.reasons if r.startswith("Still to provide"))
    assert "Still to provide: income-proof, hardship-statement (the hardship" in still
    assert say(still).startswith("仍需提供：收入证明和困难情况说明")
    for text in (article_70, interest, still, *found.plan.conditions):
        chinese = say(text)
        assert not _ENGLISH_WORD.findall(chinese), chinese
    contents = next(c for c in found.plan.conditions if "must state" in c)
    assert say(contents).count("；") == 5
