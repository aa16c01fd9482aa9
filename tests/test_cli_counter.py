"""``debtneg counter``: the lender's offer by its terms, the decision, the reply, the log.

Every verdict is checked against the library's own (:meth:`Negotiation.evaluate` on the
same case), so the command is a shell, not a second engine; the figures in the asserts
are worked out from the example case (examples/xian.toml).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation.casefile import load_case
from debtnegotiation.cli import EXIT_OK, EXIT_USAGE, cli
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.i18n import translations
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import NegotiationLog, Party
from debtnegotiation.offers import LenderOffer
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.policy import FeeTiming
from debtnegotiation.rates import InterestRate
from debtnegotiation.serialize import to_data
from debtnegotiation.text import Localizer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
ISOLATED = {
    "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
    "DEBTNEG_DISABLE_PLUGINS": "",
    "DEBTNEG_LOCALE": None,
}
PLATFORM = "Example Installment Platform"
CARD = "Example Bank Credit Card"
#: The card's offer in the tutorial: 24 months, the 600.00 fee spread, interest frozen.
CARD_OFFER = ("--lever", "fee-advance", "--months", "24", "--fee", "600.00")
SPREAD = ("--fee-timing", "spread")

#: The language of the command's default ``--locale en``: money as ``CN¥959.94``.
ENGLISH = Localizer(translations("en"), BabelFormatter("en"))


def run(*args):
    runner = CliRunner(env=ISOLATED)
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def ok(*args):
    result = run(*args)
    assert result.exit_code == EXIT_OK, result.output
    return result


def counter(creditor, *args):
    return ok("counter", EXAMPLE, "--creditor", creditor, *args)


def negotiation(creditor):
    case = load_case(EXAMPLE)
    portfolio = case.portfolio(host=get_plugin_host(load_entry_points=False))
    return portfolio.negotiation(case.index(creditor))


def assert_usage_error(result, *fragments):
    assert result.exit_code == EXIT_USAGE, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# --- decisions ---------------------------------------------------------------------------


def test_an_offer_with_better_asks_left_is_countered_with_the_next_step():
    text = counter(CARD, *CARD_OFFER, *SPREAD).stdout
    verdict = negotiation(CARD).evaluate(
        LenderOffer(
            lever="fee-advance", months=24, fee=Money("600.00", "CNY"), fee_timing=FeeTiming.SPREAD
        )
    )
    assert verdict.counter is not None
    assert verdict.counter.order == 1
    assert "Decision: COUNTER" in text
    assert f"Reply: {ENGLISH.say(verdict.counter.ask)}\n" in text
    assert verdict.counter.ask.startswith("Longer term: 60 months")
    # 12,000.00 / 24 = 500.00 plus 600.00 / 24 = 25.00 a month.
    assert "24 payments, the largest CN¥525.00; total paid CN¥12,600.00" in text
    for reason in verdict.reasons:
        assert f"- {ENGLISH.say(reason)}\n" in text


def test_asked_steps_are_never_asked_again_and_then_the_offer_is_accepted():
    once = counter(CARD, *CARD_OFFER, *SPREAD, "--asked", "1").stdout
    steps = negotiation(CARD).ladder().steps
    assert f"Reply: {ENGLISH.say(steps[1].ask)}\n" in once  # step 2, the 60-month fee plan
    assert "already asked and refused: step(s) 1 — not asked again" in once
    both = counter(CARD, *CARD_OFFER, *SPREAD, "--asked", "1", "--asked", "2").stdout
    assert "Decision: ACCEPT" in both
    assert "Reply: accept it: it is affordable, costs less than doing nothing" in both
    assert "get it in writing before paying" in both


def test_an_unaffordable_offer_is_countered_with_its_closest_affordable_variant():
    # The platform's policy fee paid upfront: 959.94 on the first day > the 923.05 budget;
    # spread over 24 months it is 799.95 + 40.00 = 839.95 a month, which fits.
    text = counter(
        PLATFORM, "--lever", "fee-advance", "--months", "24", "--fee-rate", "0.05"
    ).stdout
    assert "NOT affordable" in text
    assert "Decision: COUNTER" in text
    assert "the offer is not affordable: its largest payment CN¥959.94" in text
    assert (
        "Reply: lender's counter-offer, made affordable: 24 payments of at most CN¥839.95" in text
    )


def test_an_offer_costing_more_than_doing_nothing_with_every_step_refused_is_rejected():
    steps = negotiation(PLATFORM).ladder().steps[:-1]
    asked = [a for s in steps for a in ("--asked", str(s.order))]
    text = counter(
        PLATFORM, "--lever", "extension", "--months", "24", "--rate", "0.6", *asked
    ).stdout
    assert "Decision: REJECT" in text
    reply = text.split("Reply: ")[1]
    assert "free debt counselling" in reply
    assert "do not stay in default" in reply
    assert "let it run" not in text


def test_markdown_output_has_the_decision_reasons_and_reply():
    text = counter(CARD, *CARD_OFFER, *SPREAD, "--format", "markdown").stdout
    assert text.startswith("## Example Bank Credit Card: lender's counter-offer")
    assert "**Decision: COUNTER**" in text
    assert "\n- a better ask remains: " in text
    assert "\nReply: Longer term: 60 months" in text


def test_json_is_to_data_of_the_api_verdict():
    args = ("--waive", "penalty", "--waive", "interest", "--rate", "0.12", "--asked", "2")
    data = json.loads(
        counter(PLATFORM, "--lever", "subsidy", "--months", "36", *args, "--format", "json").stdout
    )
    verdict = negotiation(PLATFORM).evaluate(
        LenderOffer(
            lever="subsidy",
            months=36,
            rate=InterestRate.annual(Decimal("0.12")),
            waive={"interest", "penalty"},
        ),
        asked=[2],
    )
    assert data == to_data(verdict, localizer=ENGLISH)
    assert data["decision"] == verdict.decision.value
    assert data["reply"] == ENGLISH.say(verdict.reply)
    assert [w["kind"] for w in data["offer"]["plan"]["waivers"]] == ["interest", "penalty"]


# --- the log -----------------------------------------------------------------------------


def test_log_records_the_offer_and_the_decision_as_one_verifiable_entry(tmp_path):
    log = tmp_path / "card.db"
    done = counter(
        CARD, *CARD_OFFER, *SPREAD, "--asked", "1", "--asked", "2", "--format", "json",
        "--log", log, "--at", "2026-11-07T15:00", "--tz", "Asia/Shanghai",
        "--channel", "phone", "--direction", "inbound", "--counterpart", "Ms Zhang",
        "--employee-id", "4711", "--recorded", "--consent-announced",
    )  # fmt: skip
    data = json.loads(done.stdout)  # standard output stays pure JSON
    assert data["decision"] == "accept"
    assert f"entry 1 appended to {log}" in done.stderr
    with NegotiationLog.open(log) as opened:
        (entry,) = opened.entries()
        assert opened.verify().ok
    contact = entry.contact
    assert contact.at.isoformat() == "2026-11-07T15:00:00+08:00"
    assert contact.direction.value == "inbound"
    assert contact.counterpart.name == "Ms Zhang"
    assert contact.counterpart.organisation == CARD
    assert contact.account_reference == load_case(EXAMPLE).claims[1].debt.account
    assert contact.recorded is True
    assert contact.consent_announced is True
    assert contact.summary == (
        "Counter-offer received: fee-advance, 24 months; fee 600.00 CNY spread; interest frozen"
    )
    assert contact.key_points == ("Decision: accept", f"Reply: {data['reply']}")
    (offer,) = contact.offers
    assert offer.by is Party.COUNTERPART
    assert offer.months == 24
    assert offer.monthly_payment == Money("525.00", "CNY")
    assert offer.total == Money("12600.00", "CNY")
    assert offer.plan == data["offer"]["plan"]
    # The log's own commands read it back.
    assert ok("log", "verify", log).stdout.startswith("OK: 1 entry verified")
    listed = ok("log", "list", log).stdout
    assert "Ms Zhang / Example Bank Credit Card" in listed
    # Appending again chains the entry.
    again = counter(
        CARD, *CARD_OFFER, "--log", log, "--at", "2026-11-08T10:00+08:00", "--channel", "phone"
    )
    assert f"entry 2 appended to {log}" in again.stderr
    assert ok("log", "verify", log).stdout.startswith("OK: 2 entries verified")


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--lever", "extention", "--months", "24"), ("--lever", "'extention'", "extension")),
        (("--lever", "extension", "--months", "0"), ("--months", "0")),
        (("--lever", "extension", "--months", "601"), ("--months", "at most 600", "601")),
        (
            ("--lever", "fee-advance", "--months", "24", "--fee", "lots"),
            ("--fee", "an amount in CNY", "'lots'"),
        ),
        (
            ("--lever", "fee-advance", "--months", "24", "--fee", "-5.00"),
            ("--fee", "an amount of zero or more"),
        ),
        (
            ("--lever", "fee-advance", "--months", "24", "--fee-rate", "1.5"),
            ("--fee-rate", "from 0 to 1", "1.5"),
        ),
        (
            ("--lever", "fee-advance", "--months", "24", "--fee", "600", "--fee-rate", "0.05"),
            ("--fee AMOUNT or --fee-rate FRACTION, not both",),
        ),
        (("--lever", "extension", "--months", "24", "--rate", "12%"), ("--rate", "'12%'")),
        (("--lever", "extension", "--months", "24", "--rate", "-0.1"), ("--rate", "zero or more")),
        (
            ("--lever", "extension", "--months", "24", "--fee-timing", "later"),
            ("--fee-timing", "'later'"),
        ),
        (("--lever", "extension", "--months", "24", "--waive", "principal"), ("--waive",)),
        (("--lever", "extension", "--months", "24", "--asked", "99"), ("--asked", "99")),
        (
            ("--lever", "extension", "--months", "24", "--log", "x.db"),
            ("--log needs --at TIMESTAMP and --channel CHANNEL",),
        ),
        (
            (
                "--lever",
                "extension",
                "--months",
                "24",
                "--log",
                "x.db",
                "--at",
                "2026-11-07T15:00",
                "--channel",
                "phone",
            ),
            ("--at", "ambiguous"),
        ),
    ],
)
def test_bad_input_names_the_option_the_value_and_what_was_expected(tmp_path, args, fragments):
    log = tmp_path / "x.db"
    result = run("counter", EXAMPLE, "--creditor", CARD, *(log if a == "x.db" else a for a in args))
    assert_usage_error(result, *fragments)
    assert not log.exists()  # nothing is logged on bad input


def test_a_case_with_several_debts_needs_the_creditor():
    result = run("counter", EXAMPLE, "--lever", "extension", "--months", "24")
    assert_usage_error(result, "several debts", PLATFORM, CARD, "--creditor NAME")
