"""Tests of debtnegotiation-us: the installed entry points, the TSR advance-fee review,
the forgiven-debt tax review and the Regulation F data.

Run after ``python -m pip install ./plugins/debtnegotiation-us``::

    python -m pytest plugins/debtnegotiation-us/tests
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
from debtnegotiation_us import advance_fee, catalogs, forgiven_debt
from debtnegotiation_us.contact import DAYS_AFTER_CONVERSATION, regulation_f_rules
from debtnegotiation_us.recording import ALL_PARTY_CONSENT_STATES, recording_consent_rules

from debtnegotiation.borrower import Borrower
from debtnegotiation.case import Case
from debtnegotiation.cli import cli
from debtnegotiation.debt import Creditor, CreditorKind, Debt
from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Severity
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.i18n import translations
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    Channel,
    Contact,
    Direction,
    NegotiationLog,
    conduct_findings,
)
from debtnegotiation.plan import Plan, UpfrontItem, UpfrontKind, Waiver, WaiverKind
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment
from debtnegotiation.strategies import settlement
from debtnegotiation.testing import assert_no_failures, plugin_host, sample_case
from debtnegotiation.text import Localizer

DISTRIBUTION = "debtnegotiation-us"
START = dt.date(2026, 3, 2)


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def us_case() -> Case:
    debt = Debt(
        creditor=Creditor(name="Example Card Issuer", kind=CreditorKind.CREDIT_CARD),
        currency="USD",
        principal=usd("5000.00"),
        contract_rate=InterestRate.annual("0.2499"),
        as_of=START,
    )
    borrower = Borrower(currency="USD", monthly_income=usd("3200.00"))
    return Case(debt=debt, borrower=borrower, on=START)


def plan(
    principal: str = "3000.00",
    *,
    upfront: tuple[UpfrontItem, ...] = (),
    waivers: tuple[Waiver, ...] = (),
    months: int = 12,
) -> Plan:
    base = equal_installment(usd(principal), InterestRate.zero(), months, start=START)
    payments = sum((u.amount for u in upfront if u.kind is UpfrontKind.PAYMENT), usd("0.00"))
    if payments:
        base = equal_installment(
            usd(principal) - payments, InterestRate.zero(), months, start=START
        )
    return attrs.evolve(base, principal=usd(principal), upfront=upfront, waivers=waivers)


def review(*plugins: object, the_plan: Plan | None, case: Case | None = None):
    proposal = Proposal(
        strategy="t",
        title="t",
        plan=the_plan,
        eligibility=Eligibility.ELIGIBLE if the_plan else Eligibility.NOT_ELIGIBLE,
    )
    host = plugin_host(*plugins)
    return assert_no_failures(host.review(case=case or us_case(), proposal=proposal))


def fee(amount: str, on: dt.date = START, *, withheld: bool = False) -> UpfrontItem:
    return UpfrontItem(kind=UpfrontKind.FEE, amount=usd(amount), on=on, withheld=withheld)


# --- installed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "hook"),
    [
        ("us-debt-relief-fees", "debtneg_review_proposal"),
        ("us-forgiven-debt-tax", "debtneg_review_proposal"),
        ("us-collection-conduct", "debtneg_contact_rules"),
        ("us-catalogs", "debtneg_catalogs"),
    ],
)
def test_plugin_is_installed(name, hook):
    infos = {info.name: info for info in get_plugin_host(builtins=False).plugins()}
    assert name in infos, "python -m pip install ./plugins/debtnegotiation-us"
    assert infos[name].distribution == DISTRIBUTION
    assert infos[name].version == importlib.metadata.version(DISTRIBUTION)
    assert infos[name].hooks == (hook,)


def _call(at: dt.datetime):
    return Contact(at=at, channel=Channel.PHONE, direction=Direction.INBOUND)


def test_regulation_f_applies_in_the_borrowers_zone_through_the_installed_plugin(tmp_path):
    case = us_case()
    borrower = attrs.evolve(case.borrower, timezone="America/Chicago")
    host = get_plugin_host(builtins=False, environ={})
    rules = assert_no_failures(host.contact_rules(debt=case.debt, borrower=borrower))
    regulation_f = [r for r in rules if "Regulation F" in r.name]
    assert len(regulation_f) == 1
    assert regulation_f[0].zone == "America/Chicago"
    assert "third-party debt collector" in regulation_f[0].name
    # Without a known zone Regulation F is not applied (only the recording rule, which
    # needs no hours); without a borrower the pack does not answer.
    unzoned = host.contact_rules(debt=case.debt, borrower=case.borrower).items
    assert [r.all_party_recording_consent for r in unzoned] == [True]
    assert host.contact_rules(debt=case.debt).items == ()

    chicago = ZoneInfo("America/Chicago")
    with NegotiationLog.open(tmp_path / "log.sqlite") as log:
        log.append(_call(dt.datetime(2026, 11, 2, 21, 30, tzinfo=chicago)))  # after 9 p.m.
        for day in range(3, 10):  # 7 calls on 7 days, within the limit so far
            log.append(_call(dt.datetime(2026, 11, day, 12, 0, tzinfo=chicago)))
        log.append(_call(dt.datetime(2026, 11, 9, 15, 0, tzinfo=chicago)))  # the 8th in 7 days
        found = assert_no_failures(
            conduct_findings(log, host.contact_rules(debt=case.debt, borrower=borrower))
        )
    codes = [f.code for f in found]
    assert codes.count("conduct.outside_hours") == 1
    assert "conduct.too_many_attempts_7_days" in codes
    assert {f.source for f in found} == {"us-collection-conduct"}
    # No call was answered, so the 7-days-after-a-conversation presumption never started.
    assert "conduct.attempt_after_conversation" not in codes


def test_regulation_f_call_within_7_days_after_a_conversation(tmp_path):
    case = us_case()
    borrower = attrs.evolve(case.borrower, timezone="America/Chicago")
    host = get_plugin_host(builtins=False, environ={})
    chicago = ZoneInfo("America/Chicago")
    with NegotiationLog.open(tmp_path / "log.sqlite") as log:
        talked = attrs.evolve(_call(dt.datetime(2026, 11, 2, 10, 0, tzinfo=chicago)), answered=True)
        log.append(talked)
        log.append(_call(dt.datetime(2026, 11, 8, 10, 0, tzinfo=chicago)))  # day 7: flagged
        log.append(_call(dt.datetime(2026, 11, 9, 10, 0, tzinfo=chicago)))  # day 8: allowed
        found = assert_no_failures(
            conduct_findings(log, host.contact_rules(debt=case.debt, borrower=borrower))
        )
    assert [(f.code, f.message.split(":")[0]) for f in found] == [
        ("conduct.attempt_after_conversation", "Entry 2")
    ]
    assert "third-party debt collector" in found[0].message


def test_installed_reviews_run_and_can_be_blocked():
    proposal = Proposal(
        strategy="t",
        title="t",
        plan=plan(upfront=(fee("450.00"),)),
        eligibility=Eligibility.ELIGIBLE,
    )
    host = get_plugin_host(builtins=False, environ={})
    found = host.review(case=us_case(), proposal=proposal).items
    assert ("us.tsr-advance-fee", "us-debt-relief-fees") in {(f.code, f.source) for f in found}
    blocked = get_plugin_host(
        builtins=False, environ={"DEBTNEG_DISABLE_PLUGINS": "us-debt-relief-fees"}
    )
    assert "us.tsr-advance-fee" not in {
        f.code for f in blocked.review(case=us_case(), proposal=proposal).items
    }


# --- TSR advance fee ---------------------------------------------------------------------


def test_upfront_fee_before_any_payment_is_danger():
    (finding,) = review(advance_fee, the_plan=plan(upfront=(fee("450.00"),)))
    assert finding.code == "us.tsr-advance-fee"
    assert finding.severity is Severity.DANGER
    assert "450.00 USD" in finding.message
    assert "16 CFR 310.4(a)(5)" in finding.message
    assert "first payment under it on 2026-04-02" in finding.message


def test_upfront_fee_on_the_day_of_an_upfront_payment_is_still_advance():
    down = UpfrontItem(kind=UpfrontKind.PAYMENT, amount=usd("300.00"), on=START)
    the_plan = plan(upfront=(down, fee("90.00")))
    assert advance_fee.first_payment_date(the_plan) == START
    assert advance_fee.advance_fees(the_plan) == usd("90.00")
    assert [f.code for f in review(advance_fee, the_plan=the_plan)] == ["us.tsr-advance-fee"]


def test_fee_after_the_first_payment_is_allowed():
    later = fee("90.00", on=dt.date(2026, 4, 3))
    assert review(advance_fee, the_plan=plan(upfront=(later,))) == ()


def test_fees_spread_over_installments_are_allowed():
    base = plan()
    spread = attrs.evolve(
        base, installments=[attrs.evolve(i, fee=usd("10.00")) for i in base.installments]
    )
    assert advance_fee.advance_fees(spread) == usd("0.00")
    assert review(advance_fee, the_plan=spread) == ()


def test_fee_only_installment_before_the_first_payment_is_advance():
    base = plan(months=12)
    first, *rest = base.installments
    fee_month = attrs.evolve(first, principal=usd("0.00"), fee=usd("75.00"))
    shifted = [attrs.evolve(rest[0], principal=rest[0].principal + first.principal), *rest[1:]]
    the_plan = attrs.evolve(base, installments=[fee_month, *shifted])
    assert advance_fee.first_payment_date(the_plan) == rest[0].due
    assert advance_fee.advance_fees(the_plan) == usd("75.00")


def test_withheld_fee_is_not_paid_in_cash():
    assert review(advance_fee, the_plan=plan(upfront=(fee("90.00", withheld=True),))) == ()


def test_fee_with_no_payment_at_all_is_advance():
    only_fee = Plan(principal=usd("0.00"), start=START, installments=(), upfront=(fee("500.00"),))
    (finding,) = review(advance_fee, the_plan=only_fee)
    assert "before any payment" in finding.message


def test_advance_fee_review_ignores_other_currencies_and_missing_plans():
    assert review(advance_fee, the_plan=None) == ()
    cny = sample_case()
    upfront = UpfrontItem(kind=UpfrontKind.FEE, amount=Money("900.00", "CNY"), on=cny.on)
    cny_plan = equal_installment(
        cny.owed, InterestRate.zero(), 12, start=cny.on, upfront=(upfront,)
    )
    assert review(advance_fee, the_plan=cny_plan, case=cny) == ()


# --- forgiven debt ------------------------------------------------------------------------

CASES = Path(__file__).parent / "cases"
SETTLEMENT_CASE = CASES / "settlement-2625.toml"


def charged_off_case() -> Case:
    """7,500.00 USD owed: principal 5,000.00, interest 1,900.00, fees 600.00."""
    debt = Debt(
        creditor=Creditor(name="Test Card Issuer", kind=CreditorKind.CREDIT_CARD),
        currency="USD",
        principal=usd("5000.00"),
        accrued_interest=usd("1900.00"),
        fees=usd("600.00"),
        days_overdue=150,
        contract_rate=InterestRate.zero(),
        as_of=START,
    )
    policy = LenderPolicy(
        lender="Test Card Issuer",
        source="t",
        settlement_discount_max=Decimal("0.35"),
        settlement_months=1,
    )
    borrower = Borrower(currency="USD", monthly_income=usd("9000.00"))
    return Case(debt=debt, borrower=borrower, on=START, policy=policy)


def parts(forgiven: forgiven_debt.Forgiven) -> dict[str, str]:
    return {p.kind.value: str(p.amount.amount) for p in forgiven.parts}


def test_a_settlement_cancels_fees_and_interest_before_principal():
    case = charged_off_case()
    proposal = settlement.propose(case)
    assert proposal is not None
    assert proposal.plan is not None
    assert proposal.plan.total_paid == usd("4875.00")
    forgiven = forgiven_debt.debt_forgiven(case, proposal.plan)
    assert parts(forgiven) == {"fees": "600.00", "interest": "1900.00", "principal": "125.00"}
    assert forgiven.total == usd("2625.00")
    assert forgiven.owed == usd("7500.00")
    # Principal alone is below the 1099-C threshold; what is canceled is well above it.
    assert forgiven_debt.principal_forgiven(proposal.plan) == usd("125.00")

    (finding,) = review(forgiven_debt, the_plan=proposal.plan, case=case)
    assert (finding.code, finding.severity) == ("us.forgiven-debt-1099c", Severity.WARNING)
    message = finding.message
    assert "cancels 2625.00 USD of the 7500.00 USD owed on 2026-03-02" in message
    assert "fees 600.00 USD, interest 1900.00 USD, principal 125.00 USD" in message
    assert "Form 1099-C" in message
    assert "600.00 USD or more" in message
    assert "generally taxable income (IRS Publication 4681)" in message
    assert "insolvency" in message
    assert "Form 982" in message
    assert "bankruptcy" in message
    assert "deductible" in message  # interest was canceled, so Pub. 4681's exception applies


def test_pay_x_for_a_balance_of_y_cancels_the_difference_by_kind():
    # The lender's counter-offer states no waivers: 4,875.00 for the 7,500.00 owed.
    case = charged_off_case()
    offer = equal_installment(usd("4875.00"), InterestRate.zero(), 3, start=START)
    forgiven = forgiven_debt.debt_forgiven(case, offer)
    assert parts(forgiven) == {"fees": "600.00", "interest": "1900.00", "principal": "125.00"}
    (finding,) = review(forgiven_debt, the_plan=offer, case=case)
    assert finding.code == "us.forgiven-debt-1099c"


def test_stated_waivers_and_an_unexplained_shortfall_add_up_without_double_counting():
    case = charged_off_case()
    # The plan waives 1,000.00 of interest and restructures 6,000.00: 500.00 more is
    # canceled without a waiver, attributed to fees (600.00 owed) first.
    waiver = Waiver(kind=WaiverKind.INTEREST, amount=usd("1000.00"))
    offer = plan("6000.00", waivers=(waiver,))
    assert parts(forgiven_debt.debt_forgiven(case, offer)) == {
        "fees": "500.00",
        "interest": "1000.00",
    }
    # A shortfall larger than the fees runs on to the interest the waiver left owed.
    offer = plan("5000.00", waivers=(waiver,))
    assert parts(forgiven_debt.debt_forgiven(case, offer)) == {
        "fees": "600.00",
        "interest": "1900.00",
    }


def test_the_settlement_case_file_reports_everything_canceled():
    result = CliRunner().invoke(cli, ["options", str(SETTLEMENT_CASE), "--format", "json"])
    assert result.exit_code == 0, result.output
    (creditor,) = json.loads(result.output)["creditors"]
    (option,) = [o for o in creditor["options"] if o["strategy"] == "settlement"]
    found = {f["code"]: f for f in option["findings"]}
    tax = found["us.forgiven-debt-1099c"]
    assert tax["source"] == "us-forgiven-debt-tax"
    # JSON says the sentence in the command's --locale (English by default): money and
    # dates as the locale writes them, each kind by its label.
    assert "cancels $2,625.00 of the $7,500.00 owed on Mar 2, 2026" in tax["message"]
    assert "part of the principal $125.00" in tax["message"]
    assert "us.forgiven-debt-taxable" not in found


@pytest.mark.parametrize(
    ("waived", "code", "severity"),
    [
        ("600.00", "us.forgiven-debt-1099c", Severity.WARNING),
        ("2000.00", "us.forgiven-debt-1099c", Severity.WARNING),
        ("599.99", "us.forgiven-debt-taxable", Severity.INFO),
    ],
)
def test_the_1099c_threshold_is_on_the_whole_amount_canceled(waived, code, severity):
    # us_case owes 5,000.00 of principal and nothing else; the plan repays the rest.
    case = us_case()
    waiver = Waiver(kind=WaiverKind.PRINCIPAL, amount=usd(waived))
    the_plan = plan(str((case.owed - usd(waived)).amount), waivers=(waiver,))
    (finding,) = review(forgiven_debt, the_plan=the_plan, case=case)
    assert (finding.code, finding.severity) == (code, severity)
    assert f"cancels {waived} USD" in finding.message
    assert f"principal {waived} USD" in finding.message
    assert "Form 982" in finding.message
    assert "deductible" not in finding.message  # no interest was canceled


def test_below_the_threshold_the_finding_still_says_it_is_income():
    case = charged_off_case()
    # 450.00 of fees waived, the rest repaid: no 1099-C, but still income.
    waiver = Waiver(kind=WaiverKind.FEES, amount=usd("450.00"))
    the_plan = plan("7050.00", waivers=(waiver,))
    (finding,) = review(forgiven_debt, the_plan=the_plan, case=case)
    assert (finding.code, finding.severity) == ("us.forgiven-debt-taxable", Severity.INFO)
    assert "fees 450.00 USD" in finding.message
    assert "below the 600.00 USD" in finding.message
    assert "income even if no form is sent" in finding.message
    assert "generally taxable income" in finding.message
    assert "insolvency" in finding.message
    assert "bankruptcy" in finding.message


def test_plans_that_cancel_nothing_give_no_finding():
    case = charged_off_case()
    # Everything owed repaid, or more (a fee added to the balance): nothing is canceled.
    for principal in ("7500.00", "7800.00"):
        assert review(forgiven_debt, the_plan=plan(principal), case=case) == ()
    assert forgiven_debt.debt_forgiven(case, plan("7800.00")).parts == ()
    assert review(forgiven_debt, the_plan=None, case=case) == ()


def test_forgiven_debt_review_ignores_other_currencies():
    cny = sample_case()
    waiver = Waiver(kind=WaiverKind.PRINCIPAL, amount=Money("5000.00", "CNY"))
    cny_plan = attrs.evolve(
        equal_installment(cny.owed, InterestRate.zero(), 12, start=cny.on), waivers=(waiver,)
    )
    assert review(forgiven_debt, the_plan=cny_plan, case=cny) == ()


# --- Regulation F ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "allowed"),
    [(7, 59, False), (8, 0, True), (21, 0, True), (21, 1, False)],
)
def test_regulation_f_hours(hour, minute, allowed):
    assert regulation_f_rules("America/Chicago").allows(dt.time(hour, minute)) is allowed


def test_regulation_f_limits_and_zone():
    rules = regulation_f_rules("America/Los_Angeles")
    assert rules.zone == "America/Los_Angeles"
    assert rules.max_per_7_days == 7
    assert rules.max_per_day is None
    assert DAYS_AFTER_CONVERSATION == 7
    assert rules.quiet_days_after_conversation == DAYS_AFTER_CONVERSATION
    with pytest.raises(ValidationError, match="IANA time zone"):
        regulation_f_rules("Eastern")


# --- recording consent ------------------------------------------------------------------

LOS_ANGELES = ZoneInfo("America/Los_Angeles")

LA_CASE = """\
version = 1
on = 2026-03-02
regime = "US-REG-Z"

[borrower]
name = "Test Borrower"
currency = "USD"
monthly_income = "4000.00"
timezone = "America/Los_Angeles"
{region}
[borrower.expenses]
housing = "1800.00"

[[debts]]
creditor = {{ name = "Test Card Issuer", kind = "credit-card" }}
currency = "USD"
principal = "5000.00"
contract_rate = {{ value = "0.2499", unit = "annual-nominal" }}
as_of = 2026-03-02
"""


def _recorded_call(*, announced: bool | None, direction=Direction.OUTBOUND) -> Contact:
    return Contact(
        at=dt.datetime(2026, 3, 5, 10, 0, tzinfo=LOS_ANGELES),
        channel=Channel.PHONE,
        direction=direction,
        recorded=True,
        consent_announced=announced,
    )


def _la_borrower(region: str | None) -> Borrower:
    return attrs.evolve(us_case().borrower, timezone="America/Los_Angeles", region=region)


def test_the_pack_lists_each_all_party_consent_state_with_its_statute():
    assert set(ALL_PARTY_CONSENT_STATES) == {
        "US-CA",
        "US-FL",
        "US-IL",
        "US-MD",
        "US-MA",
        "US-MT",
        "US-NH",
        "US-PA",
        "US-WA",
    }
    assert ALL_PARTY_CONSENT_STATES["US-CA"] == ("California", "Cal. Penal Code §632")
    assert ALL_PARTY_CONSENT_STATES["US-WA"] == ("Washington", "Rev. Code Wash. §9.73.030")


@pytest.mark.parametrize("region", sorted(ALL_PARTY_CONSENT_STATES))
def test_a_recorded_call_not_announced_is_a_finding_naming_the_state_and_statute(tmp_path, region):
    state, statute = ALL_PARTY_CONSENT_STATES[region]
    host = get_plugin_host(builtins=False, environ={})
    rules = host.contact_rules(debt=us_case().debt, borrower=_la_borrower(region))
    with NegotiationLog.open(tmp_path / "log.sqlite") as log:
        log.append(_recorded_call(announced=False))
        log.append(_recorded_call(announced=True))  # announced: fine
        log.append(attrs.evolve(_recorded_call(announced=None), recorded=False))
        found = assert_no_failures(conduct_findings(log, rules))
    (finding,) = found
    assert finding.code == "conduct.recording_without_consent"
    assert finding.source == "us-collection-conduct"
    assert finding.message.startswith("Entry 1: the phone contact on 2026-03-05 10:00")
    assert state in finding.message
    assert statute in finding.message
    assert "18 U.S.C. §2511(2)(d)" in finding.message
    assert "without announcing the recording" in finding.message


def test_an_unstated_announcement_is_a_finding_too_and_direction_does_not_matter(tmp_path):
    host = get_plugin_host(builtins=False, environ={})
    rules = host.contact_rules(debt=us_case().debt, borrower=_la_borrower("US-CA"))
    with NegotiationLog.open(tmp_path / "log.sqlite") as log:
        log.append(_recorded_call(announced=None, direction=Direction.INBOUND))
        (finding,) = assert_no_failures(conduct_findings(log, rules))
    assert "does not say whether the recording was announced" in finding.message


def test_one_party_consent_states_and_other_countries_get_no_recording_rule():
    debt = us_case().debt
    for region in ("US-TX", "US-NY", "CN-SN"):
        assert recording_consent_rules(debt, _la_borrower(region)) is None


def test_without_a_region_a_usd_debt_gets_every_all_party_state_not_a_guess():
    # The Los Angeles zone is not read as California: the rule names every state.
    rules = recording_consent_rules(us_case().debt, _la_borrower(None))
    assert rules is not None
    assert rules.all_party_recording_consent
    for state, statute in ALL_PARTY_CONSENT_STATES.values():
        assert state in rules.name
        assert statute in rules.source
    assert "borrower.region" in rules.name
    cny = Debt(
        creditor=Creditor(name="Example Bank", kind=CreditorKind.CREDIT_CARD),
        currency="CNY",
        principal=Money("5000.00", "CNY"),
        contract_rate=InterestRate.annual("0.18"),
        as_of=START,
    )
    assert recording_consent_rules(cny, _la_borrower(None)) is None


def _cli(*args):
    runner = CliRunner(env={"DEBTNEG_DISABLE_PLUGINS": "", "DEBTNEG_LOCALE": None})
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_log_add_warns_of_a_recording_without_consent_for_a_los_angeles_borrower(tmp_path):
    case = tmp_path / "la.toml"
    case.write_text(LA_CASE.format(region='region = "US-CA"\n'), encoding="utf-8")
    log = tmp_path / "log.db"
    added = _cli(
        "log",
        "add",
        log,
        "--at",
        "2026-03-05T10:00",
        "--tz",
        "America/Los_Angeles",
        "--channel",
        "phone",
        "--recorded",
        "--consent-not-announced",
        "--case",
        case,
    )
    assert added.exit_code == 0, added.output
    assert "entry 1 appended" in added.stdout
    assert "debtneg: warning: conduct (warning, us-collection-conduct): Entry 1:" in added.stderr
    assert "California" in added.stderr
    assert "Cal. Penal Code §632" in added.stderr
    # An announced recording logged next adds no warning (the first is not repeated).
    again = _cli(
        "log",
        "add",
        log,
        "--at",
        "2026-03-06T10:00",
        "--tz",
        "America/Los_Angeles",
        "--channel",
        "phone",
        "--recorded",
        "--consent-announced",
        "--case",
        case,
    )
    assert again.exit_code == 0, again.output
    assert "conduct" not in again.stderr
    conduct = _cli("log", "conduct", log, case)
    assert conduct.exit_code == 0, conduct.output
    assert "conduct.recording_without_consent" in conduct.stdout
    assert "California: every party must consent" in conduct.stdout
    data = json.loads(_cli("log", "conduct", log, case, "--format", "json").stdout)
    assert [f["code"] for f in data["findings"]] == ["conduct.recording_without_consent"]
    assert "Cal. Penal Code §632" in data["findings"][0]["message"]


def test_log_add_case_in_a_one_party_state_warns_of_nothing(tmp_path):
    case = tmp_path / "tx.toml"
    case.write_text(LA_CASE.format(region='region = "US-TX"\n'), encoding="utf-8")
    added = _cli(
        "log",
        "add",
        tmp_path / "log.db",
        "--at",
        "2026-03-05T10:00-06:00",
        "--channel",
        "phone",
        "--recorded",
        "--consent-not-announced",
        "--case",
        case,
    )
    assert added.exit_code == 0, added.output
    assert added.stderr == ""


def test_a_bad_region_in_the_case_file_is_refused_by_name(tmp_path):
    case = tmp_path / "bad.toml"
    case.write_text(LA_CASE.format(region='region = "California"\n'), encoding="utf-8")
    done = _cli("log", "conduct", tmp_path / "missing.db", case)
    assert done.exit_code == 2
    done = _cli("options", case)
    assert done.exit_code == 2
    assert "borrower.region" in done.stderr
    assert "ISO 3166-2" in done.stderr
    assert "'California'" in done.stderr


# --- the pack's sentences in the reader's language -------------------------------------

#: What a Chinese sentence of the pack may keep in Latin letters: proper names of laws,
#: forms, agencies and states, and the case-file key it points to.
_NAMES = re.compile(
    r"\d+ CFR [\d.()a-z]+|\d+ U\.S\.C\. §[\d()a-z]+|IRC §[\d()A-Za-z]+|borrower\.region"
    r"|Cal\. Penal Code §632|California|US\$"
)
_LATIN = re.compile(r"[A-Za-z]{2,}")


def _chinese() -> Localizer:
    found = assert_no_failures(get_plugin_host(environ={}).catalogs(locale="zh_Hans_CN"))
    return Localizer(translations("zh_Hans_CN", extra=found), BabelFormatter("zh_Hans_CN"))


def _english_words(text: str) -> list[str]:
    return _LATIN.findall(_NAMES.sub("", text))


def test_shipped_catalog_is_complete_and_names_exactly_what_the_sources_mark():
    locales = Path(catalogs.__file__).parent / "locales"
    with (locales / "zh_Hans_CN" / "LC_MESSAGES" / "debtnegotiation.po").open("rb") as stream:
        catalog = read_po(stream)
    messages = [m for m in catalog if m.id]
    for message in messages:
        assert message.string, f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
    marked = {
        (context, message)
        for _file, _line, message, _comments, context in extract_from_dir(
            Path(catalogs.__file__).parent,
            keywords={"Text": ((1, "c"), 2), "N_": ((1, "c"), 2)},
        )
    }
    assert {(m.context, m.id) for m in messages} == marked
    assert (locales / "zh_Hans_CN" / "LC_MESSAGES" / "debtnegotiation.mo").is_file()


def test_tax_and_advance_fee_findings_say_themselves_in_chinese():
    say = _chinese().say
    case = us_case()
    waiver = Waiver(kind=WaiverKind.PRINCIPAL, amount=usd("2000.00"))
    (tax,) = review(forgiven_debt, the_plan=plan("3000.00", waivers=(waiver,)), case=case)
    (fee_finding,) = review(advance_fee, the_plan=plan(upfront=(fee("450.00"),)))
    chinese_tax = say(tax.message)
    assert chinese_tax.startswith("该方案免除了2026年3月2日所欠US$5,000.00中的US$2,000.00")
    assert "部分本金US$2,000.00" in chinese_tax
    chinese_fee = say(fee_finding.message)
    assert "US$450.00" in chinese_fee
    assert "2026年4月2日按方案首次还款之前" in chinese_fee
    for chinese in (chinese_tax, chinese_fee):
        assert not _english_words(chinese), chinese
    # English keeps its own wording.
    assert "cancels 2000.00 USD of the 5000.00 USD owed on 2026-03-02" in tax.message


def test_recording_finding_says_itself_in_chinese(tmp_path):
    host = get_plugin_host(builtins=False, environ={})
    rules = host.contact_rules(debt=us_case().debt, borrower=_la_borrower("US-CA"))
    with NegotiationLog.open(tmp_path / "log.sqlite") as log:
        log.append(_recorded_call(announced=False))
        (finding,) = assert_no_failures(conduct_findings(log, rules))
    chinese = _chinese().say(finding.message)
    assert chinese.startswith(
        "第1条记录：2026年3月5日 10:00（America/Los_Angeles）的电话联系录了音"
    )
    assert "California：通话录音须征得所有通话方的同意（Cal. Penal Code §632（" in chinese
    assert not set(_english_words(chinese)) - {"America", "Los", "Angeles"}, chinese


def test_regulation_f_rules_are_named_in_chinese():
    rules = regulation_f_rules("America/Chicago")
    say = _chinese().say
    assert (
        say(rules.name)
        == "美国《F条例》（12 CFR 1006）和《公平债务催收作业法》（15 U.S.C. §1692c）"
    )
    assert rules.cite() == (
        "Regulation F (12 CFR 1006) and FDCPA 15 U.S.C. §1692c "
        "(CFPB Regulation F, 12 CFR 1006.14(b); FDCPA, 15 U.S.C. §1692c(a)(1))"
    )
