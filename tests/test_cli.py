"""The ``debtneg`` command: every subcommand through click's runner, goldens, errors, plugins.

Most tests run with ``DEBTNEG_DISABLE_PLUGIN_AUTOLOAD=1`` so that the third-party plugins
installed in the development environment cannot change the results; plugins under test
are injected as objects through :class:`~debtnegotiation.cli.CliState`. The tests at the
end run the installed ``debtneg`` console script as a real subprocess: they fail (never
skip) when the script is not installed.

Regenerate the golden files with ``DEBTNEG_UPDATE_GOLDEN=1 pytest tests/test_cli.py``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from debtnegotiation import cli as cli_module
from debtnegotiation.casefile import MAX_CASE_FILE_BYTES, load_case
from debtnegotiation.cli import (
    EXIT_FAILURE,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PLUGIN,
    EXIT_USAGE,
    CliState,
    cli,
    main,
)
from debtnegotiation.documents import DocumentKind, OutputFormat, render_document
from debtnegotiation.negotiation_log import ContactRules
from debtnegotiation.plugin import hookimpl
from debtnegotiation.plugins import get_plugin_host

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
GOLDEN = Path(__file__).resolve().parent / "golden" / "cli"
UPDATE_GOLDEN = os.environ.get("DEBTNEG_UPDATE_GOLDEN") == "1"
ISOLATED = {
    "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
    "DEBTNEG_DISABLE_PLUGINS": "",
    "DEBTNEG_LOCALE": None,
    "DEBTNEG_TRACE_PLUGINS": None,
    "COLUMNS": None,  # output to a pipe is not fitted to a terminal unless COLUMNS says so
}
PLATFORM = "Example Installment Platform"
CARD = "Example Bank Credit Card"


def run(*args, env=None, obj=None):
    """Invoke the command group; an unexpected exception propagates (it is a bug)."""
    runner = CliRunner(env={**ISOLATED, **(env or {})})
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, obj=obj)


def ok(*args, **kwargs):
    result = run(*args, **kwargs)
    assert result.exit_code == EXIT_OK, result.output
    return result


def assert_error(result, code, *fragments):
    """A clear error: the exit status, the fragments on stderr, no traceback anywhere."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def assert_one_line_error(result, code, *fragments):
    assert_error(result, code, *fragments)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("debtneg: error: ")


def host():
    return get_plugin_host(load_entry_points=False)


def example_negotiation(index):
    return load_case(EXAMPLE).portfolio(host=host()).negotiation(index)


# --- demo --------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_demo_matches_its_golden_file(locale):
    text = ok("demo", "--locale", locale).stdout
    path = GOLDEN / f"demo.{locale}.txt"
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{path} differs; DEBTNEG_UPDATE_GOLDEN=1 regenerates it"


def test_demo_is_english_by_default_and_honours_the_locale_variable():
    english = ok("demo").stdout
    assert english == ok("demo", "--locale", "en").stdout
    chinese = ok("demo", "--locale", "zh_Hans_CN").stdout
    assert chinese != english
    assert ok("demo", env={"DEBTNEG_LOCALE": "zh_Hans_CN"}).stdout == chinese
    assert "¥19,198.75" in chinese
    assert "CN¥19,198.75" in english


def test_demo_shows_options_ladder_and_letter_for_each_debt():
    text = ok("demo").stdout
    for index in range(2):
        negotiation = example_negotiation(index)
        for kind in (DocumentKind.COMPARISON, DocumentKind.SCRIPT, DocumentKind.LETTER):
            document = render_document(kind, negotiation, locale="en")
            assert document.strip() in text


def test_demo_markdown_is_the_markdown_documents():
    text = ok("demo", "--format", "markdown").stdout
    letter = render_document(
        DocumentKind.LETTER, example_negotiation(1), locale="en", output=OutputFormat.MARKDOWN
    )
    assert letter.strip() in text
    assert "\n---\n" in text


def test_demo_json_holds_the_engines_figures_and_the_letter():
    data = json.loads(ok("demo", "--format", "json", "--locale", "zh_Hans_CN").stdout)
    assert data["regime"] == "CN-PBOC"
    assert data["on"] == "2026-11-02"
    assert data["borrower"]["sustainable_payment"] == {"amount": "1500.00", "currency": "CNY"}
    assert [c["creditor"]["name"] for c in data["creditors"]] == [PLATFORM, CARD]
    for index, item in enumerate(data["creditors"]):
        negotiation = example_negotiation(index)
        ranked = negotiation.options().ranked
        assert [o["strategy"] for o in item["options"]] == [o.proposal.strategy for o in ranked]
        assert [o["total_paid"]["amount"] for o in item["options"]] == [
            str(o.plan.total_paid.amount) for o in ranked
        ]
        assert item["ladder"][-1]["walk_away"] is True
        assert item["letter"] == render_document(
            DocumentKind.LETTER, negotiation, locale="zh_Hans_CN"
        )


@pytest.mark.parametrize(
    ("locale", "fragment"),
    [("xx_YY", "expected a CLDR locale identifier"), ("fr_FR", "no 'debtnegotiation' catalog")],
)
def test_a_locale_without_data_or_catalog_is_a_usage_error(locale, fragment):
    assert_error(run("demo", "--locale", locale), EXIT_USAGE, "--locale", fragment)


# --- options, letter, script ------------------------------------------------------------------


def test_options_table_is_the_comparison_of_every_debt():
    text = ok("options", EXAMPLE).stdout
    for index in range(2):
        comparison = render_document(
            DocumentKind.COMPARISON, example_negotiation(index), locale="en"
        )
        assert comparison.strip() in text


def test_options_json_matches_the_engine():
    data = json.loads(ok("options", EXAMPLE, "--format", "json").stdout)
    assert len(data["creditors"]) == 2
    card = data["creditors"][1]
    negotiation = example_negotiation(1)
    best = negotiation.options().ranked[0]
    assert card["options"][0]["plan"] == best.plan.to_dict()
    assert card["options"][0]["annual_rate"]["percent"] == str(best.annual_rate.rounded_percent())
    assert card["budget"] == {"amount": "576.95", "currency": "CNY"}
    assert card["status_quo"][0] == {
        "on": "2026-11-02",
        "owed": {"amount": "12000.00", "currency": "CNY"},
        "cost_above_principal": {"amount": "0.00", "currency": "CNY"},
        "saving": {"amount": "0.00", "currency": "CNY"},
    }
    # One cost basis for every row: total less the contract principal; saving against
    # the status quo at the plan's end (issue 14).
    principal = negotiation.case.debt.principal.amount
    for row, option in zip(card["options"], negotiation.options().ranked, strict=True):
        total = Decimal(row["total_paid"]["amount"])
        assert Decimal(row["cost_above_principal"]["amount"]) == total - principal
        owed_then = negotiation.case.debt.project(option.plan.end).total.amount
        assert Decimal(row["saving"]["amount"]) == owed_then - total
    for row in card["status_quo"]:
        owed = Decimal(row["owed"]["amount"])
        assert Decimal(row["cost_above_principal"]["amount"]) == owed - principal


def test_options_markdown_and_one_creditor():
    text = ok(
        "options", EXAMPLE, "--format", "markdown", "--creditor", "example bank credit card"
    ).stdout
    comparison = render_document(
        DocumentKind.COMPARISON, example_negotiation(1), locale="en", output=OutputFormat.MARKDOWN
    )
    assert text.strip() == comparison.strip()
    assert PLATFORM not in text


def test_an_unknown_creditor_lists_the_creditors():
    result = run("options", EXAMPLE, "--creditor", "Nobody")
    assert_one_line_error(result, EXIT_USAGE, "'Nobody'", repr(PLATFORM), repr(CARD))


@pytest.mark.parametrize(
    ("command", "kind"), [("letter", DocumentKind.LETTER), ("script", DocumentKind.SCRIPT)]
)
@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_letter_and_script_render_the_documents(command, kind, locale):
    text = ok(command, EXAMPLE, "--locale", locale, "--creditor", CARD).stdout
    expected = render_document(kind, example_negotiation(1), locale=locale)
    assert text == expected if expected.endswith("\n") else expected + "\n"


def test_a_letter_for_every_debt_in_text_but_one_page_in_html():
    text = ok("letter", EXAMPLE).stdout
    assert text.count("=" * 72) == 1
    assert_error(run("letter", EXAMPLE, "--format", "html"), EXIT_USAGE, "--creditor")
    page = ok("letter", EXAMPLE, "--format", "html", "--creditor", PLATFORM).stdout
    assert page.lstrip().lower().startswith("<!doctype html")


# --- plan ---------------------------------------------------------------------------------


def test_plan_shows_the_best_plan_of_the_strategy_with_its_schedule():
    result = ok("plan", EXAMPLE, "--strategy", "extension", "--creditor", CARD)
    options = example_negotiation(1).options()
    best = next(o for o in options.ranked if o.proposal.strategy == "extension")
    lines = result.stdout.splitlines()
    assert lines[0] == f"{CARD}: {best.proposal.title}"
    schedule = [line for line in lines if line.split(" ", 1)[0].isdigit()]
    assert len(schedule) == best.plan.number_of_payments
    assert "true annual rate 0.00% (approximate annualised rate (simple interest))" in result.stdout


def test_plan_json_is_the_plan_of_the_engine():
    data = json.loads(ok("plan", EXAMPLE, "--strategy", "fee-advance", "--format", "json").stdout)
    assert data["strategy"] == "fee-advance"
    for item, index in zip(data["plans"], range(2), strict=True):
        best = next(
            o
            for o in example_negotiation(index).options().ranked
            if o.proposal.strategy == "fee-advance"
        )
        assert item["plan"] == best.plan.to_dict()


def test_plan_markdown_has_a_table():
    text = ok("plan", EXAMPLE, "--strategy", "extension", "--format", "markdown").stdout
    assert text.startswith(f"## {PLATFORM}: ")
    assert "| # | due | principal | interest | fee | payment | balance after |" in text


def test_an_unknown_strategy_lists_the_known_ones():
    result = run("plan", EXAMPLE, "--strategy", "magic")
    assert_error(
        result, EXIT_USAGE, "unknown strategy 'magic'", "extension", "fee-advance", "subsidy"
    )


def test_a_strategy_without_a_plan_exits_with_status_1():
    result = run("plan", EXAMPLE, "--strategy", "settlement")
    assert result.exit_code == EXIT_FAILURE
    assert f"{PLATFORM}: no settlement plan" in result.stdout


# --- apr ----------------------------------------------------------------------------------


def test_apr_reproduces_the_icbc_installment_vector():
    # Vector CN-ICBC-12x0.60: 0.60 % a month on 12,000 for 12 months is 13.03 % a year.
    result = ok(
        "apr",
        "--amount",
        "12000",
        "--term",
        "12",
        "--installment",
        "1072",
        "--regime",
        "cn-pboc",
        "--start",
        "2026-01-15",
    )
    assert "CN-PBOC  13.03%" in result.stdout


def test_apr_compares_regimes_and_reports_json():
    args = ["apr", "--amount", "10000", "--fee", "500", "--term", "12", "--installment", "880"]
    args += [
        "--regime",
        "cn-pboc",
        "--regime",
        "EU-CCD",
        "--start",
        "2026-01-15",
        "--format",
        "json",
    ]
    data = json.loads(ok(*args).stdout)
    assert data["amount_received"] == "9500"
    assert data["finance_charge"] == "1060"
    assert [r["regime"] for r in data["rates"]] == ["CN-PBOC", "EU-CCD"]
    assert data["rates"][0]["basis"] == "simple"
    assert data["rates"][1]["rate"] == data["rates"][1]["effective_rate"]


def test_apr_shows_money_in_the_locale():
    result = ok(
        "apr",
        "--amount",
        "10000",
        "--term",
        "12",
        "--installment",
        "880",
        "--regime",
        "xirr",
        "--start",
        "2026-01-15",
        "--currency",
        "CNY",
        "--locale",
        "zh_Hans_CN",
    )
    assert "¥10,000.00" in result.stdout
    assert "2026年1月15日" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--installment", "880"], "Missing option '--regime'"),
        (["--installment", "880", "--regime", "apr"], "'apr' is not one of"),
        (["--installment", "abc", "--regime", "xirr"], "--installment"),
        (["--installment", "0", "--regime", "xirr"], "greater than zero"),
        (["--installment", "880", "--regime", "xirr", "--fee", "10000"], "fee below the amount"),
        (["--installment", "880", "--regime", "xirr", "--start", "2026-02-30"], "YYYY-MM-DD"),
        (
            ["--installment", "880.5", "--regime", "xirr", "--currency", "JPY"],
            "Invalid value for --installment: expected an amount in whole JPY minor units",
        ),
        (
            ["--installment", "880", "--fee", "0.001", "--regime", "xirr", "--currency", "CNY"],
            "Invalid value for --fee",
        ),
    ],
)
def test_apr_usage_errors(args, fragment):
    result = run("apr", "--amount", "10000", "--term", "12", *args)
    assert_error(result, EXIT_USAGE, fragment)


def test_apr_says_why_a_rate_is_negative():
    result = ok(
        "apr", "--amount", "1000", "--term", "12", "--installment", "10", "--regime",
        "cn-pboc", "--start", "2026-01-01", "--currency", "CNY",
    )  # fmt: skip
    assert "cost above the amount received: -CN¥880.00" in result.stdout
    assert "note: less is repaid than was received, so every rate is negative" in result.stdout
    assert "-280.35%" in result.stdout
    positive = ok("apr", "--amount", "1000", "--term", "12", "--installment", "90",
                  "--regime", "xirr", "--start", "2026-01-01").stdout  # fmt: skip
    assert "note:" not in positive


def test_apr_without_a_rate_in_range_exits_with_status_1():
    result = run(
        "apr", "--amount", "100", "--term", "12", "--installment", "1000", "--regime", "xirr"
    )
    assert_one_line_error(result, EXIT_FAILURE)


# --- bad case files ------------------------------------------------------------------------

MINIMAL = EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "key", "fragment"),
    [
        (('principal = "18600.00"', "principal = 18600.00"), "debts[0].principal", "quoted"),
        (('principal = "18600.00"\n', ""), "debts[0].principal", "required key missing"),
        (("days_overdue = 38", 'days_overdue = "38"'), "debts[0].days_overdue", "whole number"),
        (('principal = "18600.00"', 'principal = "-1.00"'), "debts[0].principal", "zero or more"),
        (('kind = "credit-card"', 'kind = "payday"'), "debts[1].creditor.kind", "one of"),
        (('fee_rate = "0.05"', 'fee_rate = "five"'), "debts[0].policy.fee_rate", "decimal"),
        (('savings_buffer = "150.00"', 'savings = "150.00"'), "borrower.savings", "unknown key"),
    ],
)
@pytest.mark.parametrize("command", ["options", "letter", "script"])
def test_bad_case_files_are_one_clear_line_and_status_2(tmp_path, command, edit, key, fragment):
    old, new = edit
    assert old in MINIMAL
    path = tmp_path / "case.toml"
    path.write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")
    result = run(command, path)
    assert_one_line_error(result, EXIT_USAGE, f"{path}: {key}: ", fragment)
    assert result.stdout == ""


def test_a_huge_case_file_is_refused(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_bytes(b"#" * (MAX_CASE_FILE_BYTES + 1))
    assert_one_line_error(run("options", path), EXIT_USAGE, "(file): larger than")


def test_a_missing_case_file_and_a_wrong_suffix(tmp_path):
    assert_one_line_error(run("options", tmp_path / "nope.toml"), EXIT_USAGE, "cannot be read")
    other = tmp_path / "case.yaml"
    other.write_text("x", encoding="utf-8")
    assert_one_line_error(run("options", other), EXIT_USAGE, ".toml or .json")


def test_a_json_case_file_works(tmp_path):
    import tomllib

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value

    path = tmp_path / "xian.json"
    path.write_text(json.dumps(plain(tomllib.loads(MINIMAL))), encoding="utf-8")
    assert ok("options", path).stdout == ok("options", EXAMPLE).stdout


# --- plugins ---------------------------------------------------------------------------------


@click.command("hello")
@click.option("--name", default="world")
def hello(name):
    """Say hello (a plugin's command)."""
    click.echo(f"hello {name}")


@click.command("demo")
def fake_demo():
    """A plugin command that clashes with the built-in demo."""
    click.echo("not the real demo")


class GreeterPlugin:
    """A class-based plugin adding one subcommand."""

    @hookimpl
    def debtneg_cli_commands(self):
        return [hello]


class ClashingPlugin:
    """A plugin whose command takes a built-in name, and one that is not a command."""

    @hookimpl
    def debtneg_cli_commands(self):
        return [fake_demo, "not a command"]


class BrokenStrategy:
    """A strategy plugin that raises."""

    @hookimpl
    def debtneg_propose_plans(self, case):
        raise RuntimeError(f"boom for {case.debt.creditor.name}")


def test_a_plugin_adds_a_subcommand():
    state = CliState(plugins=(GreeterPlugin(),))
    assert ok("hello", "--name", "Li", obj=state).stdout == "hello Li\n"
    help_text = ok("--help", obj=CliState(plugins=(GreeterPlugin(),))).stdout
    assert "hello" in help_text


def test_a_clashing_plugin_command_is_reported_not_applied():
    result = ok("demo", obj=CliState(plugins=(ClashingPlugin(),)))
    assert "not the real demo" not in result.stdout
    assert result.stdout == ok("demo").stdout
    assert "command 'demo'" in result.stderr
    assert "clashes with an existing command" in result.stderr
    assert "str, not a named click command" in result.stderr


def test_a_clashing_plugin_command_fails_in_strict_mode():
    result = run("--strict-plugins", "plugins", obj=CliState(plugins=(ClashingPlugin(),)))
    assert_one_line_error(result, EXIT_PLUGIN, "clashes")


def test_plugins_lists_installed_plugins_and_their_commands():
    state = CliState(plugins=(GreeterPlugin(),))
    result = ok("plugins", obj=state)
    assert "GreeterPlugin-0" in result.stdout
    assert "debtneg_cli_commands" in result.stdout
    assert "commands added by plugins: hello" in result.stdout
    assert "debtnegotiation.reviews" not in result.stdout
    everything = ok(
        "plugins", "--all", "--format", "json", obj=CliState(plugins=(GreeterPlugin(),))
    )
    data = json.loads(everything.stdout)
    names = {p["name"]: p for p in data["plugins"]}
    assert names["debtnegotiation.reviews"]["builtin"] is True
    assert names["GreeterPlugin-0"]["hooks"] == ["debtneg_cli_commands"]
    assert data["commands"] == ["hello"]
    assert data["load_failures"] == []


def test_plugins_without_third_party_plugins():
    assert ok("plugins").stdout == "no plugins installed\n"
    markdown = ok("plugins", "--all", "--format", "markdown").stdout
    assert markdown.startswith("| name | distribution | version | hooks |")


def test_a_failing_plugin_is_reported_and_the_others_still_answer():
    result = ok("options", EXAMPLE, "--format", "json", obj=CliState(plugins=(BrokenStrategy(),)))
    assert "BrokenStrategy-0" in result.stderr
    assert "RuntimeError: boom" in result.stderr
    data = json.loads(result.stdout)
    assert data["creditors"][0]["options"]
    assert any("boom" in f for f in data["creditors"][0]["plugin_failures"])


def test_a_failing_plugin_stops_the_run_in_strict_mode():
    result = run("--strict-plugins", "options", EXAMPLE, obj=CliState(plugins=(BrokenStrategy(),)))
    assert_one_line_error(result, EXIT_PLUGIN, "BrokenStrategy-0", "boom")


def _strategies(*args, env=None):
    data = json.loads(ok(*args, "options", EXAMPLE, "--format", "json", env=env).stdout)
    return {o["strategy"] for c in data["creditors"] for o in c["options"]}


def test_block_plugin_and_the_environment_variable_remove_a_strategy():
    assert "extension" in _strategies()
    blocked = _strategies("--block-plugin", "debtnegotiation.strategies.extension")
    assert "extension" not in blocked
    assert blocked
    by_env = _strategies(env={"DEBTNEG_DISABLE_PLUGINS": "debtnegotiation.strategies.extension"})
    assert by_env == blocked


def test_blocking_a_name_that_matches_no_plugin_is_warned_about():
    result = ok("--block-plugin", "debtnegotiation.strategies.extensoin", "plugins")
    assert (
        "warning: --block-plugin debtnegotiation.strategies.extensoin: no built-in or "
        "installed plugin has that name"
    ) in result.stderr
    quiet = ok("--block-plugin", "debtnegotiation.strategies.extension", "plugins")
    assert "warning" not in quiet.stderr


def test_blocking_an_essential_plugin_is_refused():
    result = run("--block-plugin", "debtnegotiation.default_formatter", "demo")
    assert_one_line_error(result, EXIT_PLUGIN, "cannot block")


# --- log ------------------------------------------------------------------------------------


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "negotiation.db"
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(b"\x89PNG fake screenshot")
    ok(
        "log",
        "add",
        path,
        "--at",
        "2026-11-05T10:30+08:00",
        "--channel",
        "phone",
        "--counterpart",
        "Zhang Min",
        "--employee-id",
        "A123",
        "--organisation",
        PLATFORM,
        "--phone",
        "13812345678",
        "--summary",
        "Asked for a hardship plan",
        "--key-point",
        "Agent said a subsidy is possible",
        "--recorded",
        "--offer",
        "counterpart",
        "24 months with a 5% fee",
        "--commitment",
        "counterpart",
        "call back with the terms",
        "2026-11-07",
        "--attach",
        shot,
    )
    ok(
        "log",
        "add",
        path,
        "--at",
        "2026-11-08T09:00",
        "--tz",
        "Asia/Shanghai",
        "--channel",
        "app_chat",
        "--direction",
        "inbound",
        "--summary",
        "Terms received",
        "--update",
        "1",
        "0",
        "fulfilled",
        "--commitment",
        "borrower",
        "send the termination letter",
        "2026-11-09",
    )
    return path


def test_log_add_and_list(log_file):
    table = ok("log", "list", log_file).stdout
    assert "Zhang Min / Example Installment Platform" in table
    assert "Asked for a hardship plan" in table
    assert "App chat" in table
    chinese = ok("log", "list", log_file, "--locale", "zh_Hans_CN").stdout
    assert "电话" in chinese
    assert "2026年11月5日" in chinese
    data = json.loads(ok("log", "list", log_file, "--format", "json").stdout)
    assert [d["seq"] for d in data] == [1, 2]
    assert data[0]["record"]["contact"]["counterpart"]["employee_id"] == "A123"
    assert data[0]["record"]["attachments"][0]["name"] == "screenshot.png"
    assert data[1]["record"]["contact"]["zone"] == "Asia/Shanghai"


def test_log_correction_is_listed_as_the_corrected_view(log_file):
    ok(
        "log",
        "add",
        log_file,
        "--at",
        "2026-11-05T10:30+08:00",
        "--channel",
        "phone",
        "--summary",
        "Asked for a hardship plan and a fee waiver",
        "--corrects",
        "1",
    )
    data = json.loads(ok("log", "list", log_file, "--format", "json").stdout)
    assert [d["seq"] for d in data] == [1, 2]
    assert data[0]["corrected"] is True
    assert data[0]["record"]["contact"]["summary"].endswith("a fee waiver")
    assert "1*" in ok("log", "list", log_file).stdout


def test_log_followups(log_file):
    before = json.loads(
        ok("log", "followups", log_file, "--as-of", "2026-11-06", "--format", "json").stdout
    )
    assert [f["what"] for f in before["followups"]] == ["call back with the terms"]
    later = ok("log", "followups", log_file, "--as-of", "2026-11-12").stdout
    assert "send the termination letter" in later
    assert "call back" not in later  # fulfilled by entry 2
    overdue = json.loads(
        ok(
            "log", "followups", log_file, "--as-of", "2026-11-12", "--overdue", "--format", "json"
        ).stdout
    )
    assert overdue["followups"][0]["days_overdue"] == 3
    none = ok("log", "followups", log_file, "--as-of", "2026-11-06", "--overdue").stdout
    assert none == "no overdue commitments on Nov 6, 2026\n"


class NightRules:
    """A jurisdiction plugin's contact rules for CNY debts: no calls 22:00-08:00 Shanghai."""

    __name__ = "night-rules"

    @hookimpl
    def debtneg_contact_rules(self, debt):
        if debt.currency != "CNY":
            return None
        return [
            ContactRules(
                name="test guideline",
                zone="Asia/Shanghai",
                earliest=dt.time(8),
                latest=dt.time(22),
                source="test",
            )
        ]


def _inbound_call(path, at):
    ok(
        "log", "add", path, "--at", at, "--tz", "Asia/Shanghai", "--channel", "phone",
        "--direction", "inbound", "--counterpart", "Collector",
        "--organisation", "Example Installment Platform", "--summary", "Collection call",
    )  # fmt: skip


def test_log_conduct_reports_findings_from_plugin_rules(tmp_path):
    path = tmp_path / "calls.db"
    _inbound_call(path, "2026-11-05T23:15")
    _inbound_call(path, "2026-11-06T10:00")
    args = ("log", "conduct", path, EXAMPLE, "--creditor", "example installment platform")
    table = ok(*args, obj=CliState(plugins=(NightRules(),))).stdout
    assert table.startswith("checked under test guideline, judged in Asia/Shanghai")
    assert "conduct.outside_hours" in table
    assert "Entry 1: phone contact at 2026-11-05 23:15" in table
    assert "Entry 2" not in table
    data = json.loads(ok(*args, "--format", "json", obj=CliState(plugins=(NightRules(),))).stdout)
    assert data["creditor"] == PLATFORM
    rule_set = {"name": "test guideline", "zone": "Asia/Shanghai", "source": "test"}
    assert data["rule_sets"] == [rule_set]
    assert [(f["code"], f["source"]) for f in data["findings"]] == [
        ("conduct.outside_hours", "night-rules")
    ]


def test_log_conduct_without_findings_or_rules(tmp_path):
    path = tmp_path / "calls.db"
    _inbound_call(path, "2026-11-06T10:00")
    args = ("log", "conduct", path, EXAMPLE, "--creditor", CARD)
    quiet = ok(*args, obj=CliState(plugins=(NightRules(),))).stdout
    assert quiet == "no conduct findings under test guideline, judged in Asia/Shanghai\n"
    assert ok(*args).stdout.startswith("no plugin holds collection-conduct rules")


def test_log_conduct_needs_the_creditor_when_the_case_has_several_debts(tmp_path):
    path = tmp_path / "calls.db"
    _inbound_call(path, "2026-11-06T10:00")
    assert_one_line_error(
        run("log", "conduct", path, EXAMPLE), EXIT_USAGE, "several debts", "--creditor"
    )
    assert_one_line_error(
        run("log", "conduct", path, EXAMPLE, "--creditor", "Nobody"),
        EXIT_USAGE,
        "creditor: expected one of the creditors",
    )
    assert_error(run("log", "conduct", tmp_path / "none.db", EXAMPLE), EXIT_USAGE, "does not exist")


def test_log_verify_passes_then_fails_after_tampering(log_file):
    assert ok("log", "verify", log_file).stdout.startswith("OK: 2 entries verified")
    with sqlite3.connect(log_file) as db:
        db.execute("UPDATE log_entries SET record = replace(record, 'hardship', 'HARDSHIP')")
    db.close()
    result = run("log", "verify", log_file)
    assert result.exit_code == EXIT_FAILURE
    assert result.stdout.startswith("BROKEN: entry 1")


def test_log_export_bundle_jsonl_and_report(log_file, tmp_path):
    bundle = tmp_path / "evidence.zip"
    assert (
        "2 entries exported" in ok("log", "export", log_file, "--to", "bundle", "-o", bundle).stdout
    )
    assert ok("log", "verify", bundle).stdout.startswith("OK")
    jsonl, files = tmp_path / "log.jsonl", tmp_path / "files"
    result = ok("log", "export", log_file, "--to", "jsonl", "-o", jsonl, "--attachments", files)
    assert "1 attachment file(s) copied" in result.stdout
    assert ok("log", "verify", jsonl, "--attachments", files).stdout.startswith("OK")
    redacted = tmp_path / "redacted.jsonl"
    result = ok("log", "export", log_file, "--to", "jsonl", "-o", redacted, "--redact")
    assert "redacted:" in result.stdout
    assert "Zhang Min" not in redacted.read_text(encoding="utf-8")
    report = ok("log", "export", log_file, "--to", "report").stdout
    assert report.startswith("# ")
    assert "Asked for a hardship plan" in report
    html = tmp_path / "report.html"
    ok("log", "export", log_file, "--to", "report", "--report-format", "html", "-o", html)
    assert "<html" in html.read_text(encoding="utf-8").lower()


def test_a_tampered_bundle_fails_verification(log_file, tmp_path):
    import zipfile

    bundle = tmp_path / "evidence.zip"
    ok("log", "export", log_file, "--to", "bundle", "-o", bundle)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "entries.jsonl":
                data = data.replace(b"hardship", b"HARDSHIP")
            target.writestr(item, data)
    result = run("log", "verify", tampered)
    assert result.exit_code == EXIT_FAILURE
    assert result.stdout.startswith("BROKEN: ")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--at", "2026-11-05T10:30", "--channel", "phone"], "ambiguous"),
        (["--at", "yesterday", "--channel", "phone"], "ISO timestamp"),
        (["--at", "2026-11-05T10:30", "--tz", "Mars/Olympus", "--channel", "phone"], "IANA"),
        (["--at", "2026-11-05T10:30+08:00", "--channel", "fax"], "'fax' is not one of"),
        (
            ["--at", "2026-11-05T10:30+08:00", "--channel", "sms", "--attach", "nope.png"],
            "nope.png",
        ),
        (
            [
                "--at",
                "2026-11-05T10:30+08:00",
                "--channel",
                "sms",
                "--commitment",
                "borrower",
                "pay",
                "soon",
            ],
            "YYYY-MM-DD",
        ),
        (
            ["--at", "2026-11-05T10:30+08:00", "--channel", "sms", "--update", "1", "0", "done"],
            "fulfilled",
        ),
    ],
)
def test_log_add_bad_input_is_a_usage_error(tmp_path, args, fragment):
    assert_error(run("log", "add", tmp_path / "l.db", *args), EXIT_USAGE, fragment)


def test_log_add_refers_only_to_existing_entries(tmp_path):
    result = run(
        "log",
        "add",
        tmp_path / "l.db",
        "--at",
        "2026-11-05T10:30+08:00",
        "--channel",
        "sms",
        "--corrects",
        "4",
    )
    assert_one_line_error(result, EXIT_USAGE, "corrects")


def test_log_commands_need_an_existing_log(tmp_path):
    assert_error(run("log", "list", tmp_path / "none.db"), EXIT_USAGE, "does not exist")
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", encoding="utf-8")
    assert_one_line_error(run("log", "verify", junk), EXIT_FAILURE, "cannot open the log")
    assert_error(run("log", "export", junk, "--to", "jsonl"), EXIT_USAGE, "--output")


# --- exit codes and main() ----------------------------------------------------------------


def test_main_returns_the_exit_status(tmp_path, capsys, monkeypatch):
    for name, value in ISOLATED.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert (
        main(
            [
                "apr",
                "--amount",
                "100",
                "--term",
                "1",
                "--installment",
                "101",
                "--regime",
                "xirr",
                "--start",
                "2026-01-01",
            ]
        )
        == EXIT_OK
    )
    assert "XIRR" in capsys.readouterr().out
    assert main(["plan", str(EXAMPLE), "--strategy", "magic"]) == EXIT_USAGE
    assert main(["plan", str(EXAMPLE), "--strategy", "settlement"]) == EXIT_FAILURE
    assert main(["--version"]) == EXIT_OK
    assert main(["nosuchcommand"]) == EXIT_USAGE


def test_an_unexpected_exception_is_a_one_line_internal_error(monkeypatch, capsys):
    def broken(**_kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setenv("DEBTNEG_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setattr(cli_module, "example_portfolio", broken)
    assert main(["demo"], environ={}) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "debtneg: internal error: RuntimeError: engine exploded" in err
    assert "DEBTNEG_DEBUG=1" in err
    assert "Traceback" not in err
    with pytest.raises(RuntimeError, match="engine exploded"):
        main(["demo"], environ={"DEBTNEG_DEBUG": "1"})


def test_help_of_every_command():
    for args in (
        [],
        ["demo"],
        ["options"],
        ["plan"],
        ["letter"],
        ["script"],
        ["apr"],
        ["plugins"],
        ["log"],
        ["log", "add"],
        ["log", "list"],
        ["log", "verify"],
        ["log", "export"],
        ["log", "followups"],
    ):
        assert ok(*args, "--help").stdout.startswith("Usage: ")


# --- the installed console script, as a real subprocess -------------------------------------


def _script() -> str:
    path = shutil.which("debtneg")
    if path is None:
        pytest.fail(
            "the console script 'debtneg' is not installed: pyproject.toml needs "
            '[project.scripts] debtneg = "debtnegotiation.cli:main", then pip install -e .'
        )
    return path


def _subprocess(*args, cwd=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEBTNEG_") and k != "COLUMNS"}
    env["DEBTNEG_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return subprocess.run(
        [_script(), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_console_script_demo_matches_the_golden_file(locale):
    done = _subprocess("demo", "--locale", locale)
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout == (GOLDEN / f"demo.{locale}.txt").read_text(encoding="utf-8")


def test_console_script_runs_every_command(tmp_path):
    commands = [
        ["options", EXAMPLE],
        ["plan", EXAMPLE, "--strategy", "extension"],
        ["letter", EXAMPLE, "--locale", "zh_Hans_CN"],
        ["script", EXAMPLE],
        [
            "apr",
            "--amount",
            "12000",
            "--term",
            "12",
            "--installment",
            "1072",
            "--regime",
            "cn-pboc",
        ],
        ["plugins", "--all"],
        [
            "log",
            "add",
            tmp_path / "l.db",
            "--at",
            "2026-11-05T10:30+08:00",
            "--channel",
            "phone",
            "--commitment",
            "counterpart",
            "call back",
            "2026-11-07",
        ],
        ["log", "list", tmp_path / "l.db"],
        ["log", "verify", tmp_path / "l.db"],
        ["log", "export", tmp_path / "l.db", "--to", "bundle", "-o", tmp_path / "b.zip"],
        ["log", "followups", tmp_path / "l.db", "--as-of", "2026-11-06"],
    ]
    for args in commands:
        done = _subprocess(*args)
        assert done.returncode == EXIT_OK, (args, done.stderr)
        assert done.stdout
    assert "13.03%" in _subprocess(*commands[4]).stdout


def test_console_script_errors_are_one_line_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        MINIMAL.replace('principal = "18600.00"', "principal = 18600.00"), encoding="utf-8"
    )
    done = _subprocess("options", bad)
    assert done.returncode == EXIT_USAGE
    assert done.stderr.startswith(f"debtneg: error: {bad}: debts[0].principal: ")
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_python_dash_m_runs_the_same_command():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEBTNEG_") and k != "COLUMNS"}
    env["DEBTNEG_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "debtnegotiation.cli", "demo"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout == (GOLDEN / "demo.en.txt").read_text(encoding="utf-8")


# --- the docs ----------------------------------------------------------------------------

TUTORIAL = ROOT / "docs" / "tutorial" / "cli.rst"
REFERENCE = ROOT / "docs" / "reference" / "cli.rst"


def _console_blocks(text):
    blocks, current = [], None
    for line in text.splitlines():
        if line.strip() == ".. code-block:: console":
            current = []
            blocks.append(current)
        elif current is not None and (line.startswith("   ") or not line.strip()):
            current.append(line[3:])
        else:
            current = None
    return ["\n".join(b).strip("\n") for b in blocks]


def _matches(expected, actual):
    """doctest's ELLIPSIS: ``...`` in *expected* stands for any text, lines included."""
    pattern = ".*?".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual, flags=re.DOTALL) is not None


def _tidy(text):
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def test_the_cli_tutorial_shows_real_output(tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEBTNEG_") and k != "COLUMNS"}
    env["DEBTNEG_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    checked = 0
    for block in _console_blocks(TUTORIAL.read_text(encoding="utf-8")):
        if "$ debtneg" not in block:
            continue  # installation instructions are not run
        lines = block.splitlines()
        commands = [line[2:] for line in lines if line.startswith("$ ")]
        expected = "\n".join(line for line in lines if not line.startswith("$ "))
        script = "\n".join(
            [
                "exec 2>&1",
                f'debtneg() {{ "{sys.executable}" -m debtnegotiation.cli "$@"; }}',
                *commands,
            ]
        )
        done = subprocess.run(
            ["bash", "-c", script],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=tmp_path,
            timeout=300,
            check=False,
        )
        assert _matches(_tidy(expected), _tidy(done.stdout)), (
            f"{TUTORIAL.name}: the output of {commands} changed:\n{done.stdout}"
        )
        checked += 1
    assert checked >= 8


def _command_paths(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _command_paths(command, (*prefix, name))


def _section(text, title):
    """The lines of the section *title*, up to the next heading of its level or above."""
    levels = {"=": 0, "-": 1, "~": 2}
    lines = text.splitlines()
    start = lines.index(title)
    level = levels[lines[start + 1][0]]
    for i in range(start + 2, len(lines) - 1):
        rule = lines[i + 1]
        is_heading = lines[i] and rule and set(rule) <= set(levels) and len(rule) >= len(lines[i])
        if is_heading and levels[rule[0]] <= level:
            return "\n".join(lines[start:i])
    return "\n".join(lines[start:])


def test_the_cli_reference_documents_every_command_and_option():
    # Each command has a section whose options are generated from the command itself by
    # sphinx-click, so an option cannot be added without appearing in the reference.
    text = REFERENCE.read_text(encoding="utf-8")
    for path, command in [((), cli), *_command_paths(cli)]:
        if isinstance(command, click.Group) and path:
            continue  # a group's section introduces its subcommands' sections
        title = "``" + " ".join(("debtneg", *path)) + "``"
        assert title in text.splitlines(), f"no section {title} in {REFERENCE.name}"
        section = _section(text, title)
        found = re.search(r"^\.\. click:: ([\w.]+):(\w+)\n   :prog: (.+)$", section, re.M)
        assert found, f"{title}: no sphinx-click directive"
        module, attribute, prog = found.groups()
        assert getattr(importlib.import_module(module), attribute) is command, title
        assert prog == " ".join(("debtneg", *path))


def test_the_cli_reference_lists_every_exit_status():
    text = REFERENCE.read_text(encoding="utf-8")
    for status in (EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_PLUGIN, EXIT_INTERNAL):
        assert f"   * - {status}\n" in text


# --- plugins installed as distributions ---------------------------------------------------


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Write a one-module distribution with a ``debtnegotiation`` entry point."""
    made = []

    def make(name, source):
        module = f"debtneg_cli_test_{name.replace('-', '_')}"
        (tmp_path / f"{module}.py").write_text(source, encoding="utf-8")
        info = tmp_path / f"debtneg_cli_test_{name.replace('-', '_')}-0.9.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: debtneg-cli-test-{name}\nVersion: 0.9\n",
            encoding="utf-8",
        )
        (info / "entry_points.txt").write_text(
            f"[debtnegotiation]\n{name} = {module}\n", encoding="utf-8"
        )
        importlib.invalidate_caches()
        made.append(module)

    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    for module in made:
        sys.modules.pop(module, None)


COMMAND_PLUGIN = """
import click
from debtnegotiation.plugin import hookimpl

@click.command("budget-tip")
def budget_tip():
    '''Print a budget tip.'''
    click.echo("keep a savings buffer")

@hookimpl
def debtneg_cli_commands():
    return [budget_tip]
"""


def test_an_installed_plugin_adds_a_command_and_is_listed(installed):
    installed("budget-tips", COMMAND_PLUGIN)
    autoload = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "0"}
    assert ok("budget-tip", env=autoload).stdout == "keep a savings buffer\n"
    listing = json.loads(ok("plugins", "--format", "json", env=autoload).stdout)
    mine = next(p for p in listing["plugins"] if p["name"] == "budget-tips")
    assert mine["distribution"] == "debtneg-cli-test-budget-tips"
    assert mine["version"] == "0.9"
    assert mine["hooks"] == ["debtneg_cli_commands"]
    assert "budget-tip" in listing["commands"]
    blocked = run("--block-plugin", "budget-tips", "budget-tip", env=autoload)
    assert_error(blocked, EXIT_USAGE, "No such command 'budget-tip'")


def test_a_plugin_that_fails_to_load_is_shown_and_fails_strict_mode(installed):
    installed("broken-import", "raise ImportError('missing dependency xyz')\n")
    autoload = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "0"}
    result = ok("plugins", env=autoload)
    assert "failed to load: plugin 'broken-import' (debtneg-cli-test-broken-import 0.9)" in (
        result.stdout
    )
    assert "missing dependency xyz" in result.stdout
    assert "missing dependency xyz" in result.stderr  # every command warns about it
    strict = run("--strict-plugins", "options", EXAMPLE, env=autoload)
    assert_one_line_error(strict, EXIT_PLUGIN, "broken-import")
