"""The one serialiser: what the CLI prints is ``to_json`` of results built through the API.

The CLI runs with the built-in plugins only (``DEBTNEG_DISABLE_PLUGIN_AUTOLOAD=1``), and
the objects here are built with a host that loads no entry points, so both see the same
plugins.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation import (
    Channel,
    Contact,
    Counterpart,
    Direction,
    DocumentKind,
    Finding,
    LogEntry,
    Money,
    NegotiationLog,
    Plan,
    Regime,
    Severity,
    ValidationError,
    get_plugin_host,
    load_case,
    render_document,
)
from debtnegotiation.cli import cli
from debtnegotiation.cli._common import CaseRun
from debtnegotiation.demo import example_portfolio
from debtnegotiation.i18n import translations
from debtnegotiation.loan_quote import LoanQuote
from debtnegotiation.negotiation_log import canonical_json, export_jsonl
from debtnegotiation.serialize import from_data, to_data, to_json
from debtnegotiation.text import Localizer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
ISOLATED = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1", "DEBTNEG_LOCALE": None}


def debtneg(*args: object) -> str:
    runner = CliRunner(env=ISOLATED)
    result = runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def host():
    return get_plugin_host(load_entry_points=False, environ={})


@pytest.fixture(scope="module")
def english(host):
    """The language of `debtneg`'s default `--locale en`."""
    return Localizer(translations("en"), host.formatter("en"))


@pytest.fixture(scope="module")
def portfolio(host):
    return load_case(EXAMPLE).portfolio(host=host)


# --- the CLI prints the serialiser's output ------------------------------------------------


def test_options_json_is_to_json_of_the_portfolio_result(portfolio, english):
    printed = debtneg("options", EXAMPLE, "--format", "json")
    assert printed == to_json(portfolio.run(), localizer=english) + "\n"


def test_json_sentences_follow_the_locale_and_keys_do_not(portfolio, host):
    chinese = Localizer(translations("zh_Hans_CN"), host.formatter("zh_Hans_CN"))
    printed = json.loads(debtneg("options", EXAMPLE, "--format", "json", "--locale", "zh_Hans_CN"))
    assert printed == to_data(portfolio.run(), localizer=chinese)
    english = to_data(portfolio.run())
    assert printed.keys() == english.keys()
    option, plain = printed["creditors"][0]["options"][0], english["creditors"][0]["options"][0]
    assert option["total_paid"] == plain["total_paid"]  # figures are not localized
    assert option["strategy"] == plain["strategy"]  # nor codes
    assert option["reasons"][0] != plain["reasons"][0]
    assert "¥" in option["reasons"][0]


def test_options_json_for_one_creditor_is_to_json_of_that_result(portfolio, english):
    printed = debtneg(
        "options", EXAMPLE, "--format", "json", "--creditor", "example bank credit card"
    )
    assert printed == to_json(portfolio.run([1]), localizer=english) + "\n"


def test_demo_json_is_to_json_of_the_example_with_its_letters(host, english):
    example = example_portfolio(host=host)
    data = to_data(example.run(), localizer=english)
    for index, creditor in enumerate(data["creditors"]):
        negotiation = example.negotiation(index)
        creditor["letter"] = render_document(
            DocumentKind.LETTER, negotiation, locale="en", host=host
        )
    assert debtneg("demo", "--format", "json") == to_json(data) + "\n"


@pytest.mark.parametrize("indexes", [(0, 1), (1,), (1, 0)])
def test_a_result_of_negotiations_already_run_is_the_portfolios_own(host, indexes):
    # What `debtneg demo --format json` prints, without running the negotiations twice.
    portfolio = example_portfolio(host=host)
    run = CaseRun(portfolio, indexes)
    result = run.result_of(run.negotiations())
    assert result == portfolio.run(indexes)  # the claims and budget shares too
    assert to_data(result) == to_data(portfolio.run(indexes))


def test_plan_json_holds_the_serialised_option(portfolio, english):
    printed = json.loads(debtneg("plan", EXAMPLE, "--strategy", "extension", "--format", "json"))
    for item, result in zip(printed["plans"], portfolio.results(), strict=True):
        best = next(o for o in result.options.ranked if o.proposal.strategy == "extension")
        expected = to_data(best, localizer=english)
        assert item == {"creditor": result.claim.debt.creditor.name, **expected}


def test_apr_json_is_to_json_of_the_quoted_rates(english):
    quote = LoanQuote(
        amount="10000", fee="500", installment="880", term=12, start=dt.date(2026, 1, 15)
    )
    rates = quote.annual_rates([Regime.CN_PBOC, Regime.EU_CCD])
    printed = debtneg(
        "apr", "--amount", "10000", "--fee", "500", "--term", "12", "--installment", "880",
        "--regime", "cn-pboc", "--regime", "eu-ccd", "--start", "2026-01-15", "--format", "json",
    )  # fmt: skip
    assert printed == to_json(rates, localizer=english) + "\n"


# --- shapes -------------------------------------------------------------------------------


def test_money_is_rounded_and_written_as_strings():
    assert to_data(Money("10.005", "CNY")) == {"amount": "10.01", "currency": "CNY"}
    assert to_data(Money("7", "JPY")) == {"amount": "7", "currency": "JPY"}


def test_values_decimals_dates_enums_and_containers():
    data = to_data(
        {
            "rate": Decimal("0.1303422400"),
            "on": dt.date(2026, 11, 2),
            "at": dt.datetime(2026, 11, 2, 10, 30, tzinfo=dt.UTC),
            "regime": Regime.CN_PBOC,
            "severity": Severity.DANGER,
            "pair": (1, None, True),
        }
    )
    assert data == {
        "rate": "0.1303422400",
        "on": "2026-11-02",
        "at": "2026-11-02T10:30:00+00:00",
        "regime": "CN-PBOC",
        "severity": "danger",
        "pair": [1, None, True],
    }


def test_an_option_carries_its_plans_metrics(portfolio):
    option = portfolio.results()[0].options.ranked[0]
    data = to_data(option)
    assert data["rank"] == 1
    assert data["total_paid"] == to_data(option.plan.total_paid)
    assert data["cost_above_principal"] == to_data(option.plan.cost_above_principal)
    assert data["peak_installment"] == to_data(option.plan.peak_installment)
    assert data["plan"] == option.plan.to_dict()
    assert data["annual_rate"]["regime"] == "CN-PBOC"


def test_a_ladder_is_its_steps_in_order(portfolio):
    ladder = portfolio.results()[0].ladder
    data = to_data(ladder)
    assert [s["order"] for s in data] == list(range(1, len(ladder.steps) + 1))
    assert data[-1]["walk_away"] is True
    assert data[-1]["strategy"] is None
    assert to_data(ladder.steps[0]) == data[0]


def test_a_verdict_has_decision_reasons_offer_and_counter(portfolio):
    negotiation = portfolio.negotiation(0)
    options = negotiation.options()
    verdict = negotiation.evaluate(options.ranked[-1].plan)
    data = to_data(verdict)
    assert list(data) == ["decision", "reply", "reasons", "offer", "counter"]
    assert data["decision"] == verdict.decision.value
    assert data["reply"] == verdict.reply
    assert data["reasons"] == list(verdict.reasons)
    assert data["offer"] == to_data(verdict.offer)
    counter = verdict.counter
    assert counter is not None
    assert data["counter"] == {**to_data(counter), "option": to_data(counter.option)}
    assert data["reply"] == counter.ask


def test_an_accepted_verdict_replies_with_its_last_reason_and_has_no_counter(portfolio):
    negotiation = portfolio.negotiation(0)
    steps = negotiation.ladder().steps[:-1]
    verdict = negotiation.evaluate(steps[-1].option.plan, asked=steps)
    data = to_data(verdict)
    assert data["decision"] == "accept"
    assert data["counter"] is None
    assert data["reply"] == verdict.reasons[-1]
    assert data["reply"].startswith("accept it")


def test_to_json_is_json_without_floats(portfolio):
    text = to_json(portfolio.run(), indent=None)
    assert "\n" not in text

    def no_floats(value):
        assert not isinstance(value, float)
        if isinstance(value, dict):
            for item in value.values():
                no_floats(item)
        elif isinstance(value, list):
            for item in value:
                no_floats(item)

    no_floats(json.loads(text))


def test_what_cannot_be_written_is_a_validation_error(host):
    with pytest.raises(ValidationError, match=r"^dict\.x: expected a result"):
        to_data({"x": 1.5})
    with pytest.raises(ValidationError, match=r"^PluginHost: expected a result .*PluginHost"):
        to_data(host)


# --- reading back -------------------------------------------------------------------------


def test_a_plan_is_its_to_dict_and_reads_back(portfolio):
    plan = portfolio.results()[1].options.ranked[0].plan
    assert to_data(plan) == plan.to_dict()
    assert from_data(json.loads(to_json(plan)), Plan) == plan


def test_money_and_findings_read_back():
    finding = Finding(code="core.x", severity=Severity.WARNING, message="m", source="s")
    assert from_data(to_data(finding), Finding) == finding
    assert from_data(to_data(Money("12.30", "USD")), Money) == Money("12.30", "USD")
    with pytest.raises(ValidationError, match=r"^finding\.severity"):
        from_data({"code": "c", "severity": "high", "message": "m"}, Finding)
    with pytest.raises(ValidationError, match=r"^money: expected a mapping"):
        from_data({"amount": "1"}, Money)


def test_only_stored_kinds_read_back(portfolio):
    with pytest.raises(ValidationError, match=r"^cls: expected one of Plan, LogEntry"):
        from_data({}, type(portfolio.run()))


def test_a_log_entry_is_its_export_line_and_reads_back(tmp_path):
    contact = Contact(
        at=dt.datetime(2026, 11, 5, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        channel=Channel.PHONE,
        direction=Direction.INBOUND,
        counterpart=Counterpart(name="Agent Wang", organisation="Example Bank"),
        summary="offered 12 months",
    )
    with NegotiationLog.open(tmp_path / "log.db") as log:
        log.append(contact)
        log.append(contact)
        entries = log.entries()
        export_jsonl(log, tmp_path / "log.jsonl")
    lines = (tmp_path / "log.jsonl").read_bytes().splitlines()[1:]
    assert lines == [canonical_json(to_data(e)) for e in entries]
    assert [from_data(to_data(e), LogEntry) for e in entries] == list(entries)
    with pytest.raises(ValidationError, match=r"^log entry"):
        from_data({"entry": {}}, LogEntry)


# --- the hooks of modules a command may not import ----------------------------------------


def test_the_types_hooked_by_name_are_the_public_classes():
    import debtnegotiation
    from debtnegotiation import serialize

    hooked = {
        serialize._LOG_ENTRY: debtnegotiation.LogEntry,
        serialize._CORRECTED_ENTRY: debtnegotiation.negotiation_log.CorrectedEntry,
        serialize._FOLLOW_UP: debtnegotiation.negotiation_log.FollowUp,
        serialize._LOAN_QUOTE: LoanQuote,
        serialize._LOAN_RATES: debtnegotiation.loan_quote.LoanRates,
    }
    for where, cls in hooked.items():
        assert serialize._loaded_class(where) is cls, where


def test_the_serialiser_imports_neither_the_log_nor_loan_quotes_and_hooks_them_once_loaded():
    # In a fresh interpreter: other values first (cattrs caches its choice per type), then
    # the modules, whose types still get their own hooks, not a dump of their fields.
    script = """
import datetime as dt, sys
from debtnegotiation import Money
from debtnegotiation.serialize import from_data, to_data
to_data([Money("1", "USD"), dt.date(2026, 1, 1)])
assert "debtnegotiation.negotiation_log" not in sys.modules
assert "debtnegotiation.loan_quote" not in sys.modules
from debtnegotiation.loan_quote import LoanQuote
quote = LoanQuote(amount="1000", fee="0", installment="90", term=12, start=dt.date(2026, 1, 15))
from debtnegotiation import LogEntry
try:
    from_data({}, LogEntry)
except Exception as error:
    print(type(error).__name__)
from debtnegotiation.serialize import _quote
print(to_data(quote) == _quote(quote), "term_months" in to_data(quote))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    )
    error, quoted = done.stdout.splitlines()
    assert error == "ValidationError"  # the log entry's own structure hook
    assert quoted == "True True"  # the quote's own hook
