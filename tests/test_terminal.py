"""Output that fits the terminal: tables and prose fitted to ``COLUMNS``, data cleaned of
control and bidi characters, warnings emphasised on a colour terminal (never with
``NO_COLOR``), and any output encoding survived, in real subprocesses."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation.cli import EXIT_INTERNAL, EXIT_OK, cli
from debtnegotiation.tables import display_width, fit_text, printable, table_width, text_table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
BUDGET_EXAMPLE = ROOT / "examples" / "xian-budget.toml"
CARD = "Example Bank Credit Card"
PLATFORM = "Example Installment Platform"
ISOLATED = {
    "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
    "DEBTNEG_DISABLE_PLUGINS": "",
    "DEBTNEG_LOCALE": None,
    "NO_COLOR": None,
    "COLUMNS": None,
}
HOSTILE = "Zhang\x1b[2J\x1b]0;pwned\x07\u202eevil\u202c\u2066x\u2069\r\x08\x9b31m"
FORBIDDEN = ["\x1b", "\u202e", "\u202c", "\u2066", "\u2069", "\r", "\x08", "\x9b"]


def run(*args: object, env: dict[str, str | None] | None = None) -> str:
    runner = CliRunner(env={**ISOLATED, **(env or {})})
    result = runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == EXIT_OK, result.output
    return result.stdout


@pytest.fixture(scope="module")
def log_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("log") / "log.sqlite"
    run(
        "log", "add", path, "--at", "2026-11-05T23:15+08:00", "--channel", "phone",
        "--direction", "inbound", "--counterpart", HOSTILE, "--organisation", PLATFORM,
        "--summary", f"they called late at night and said {HOSTILE} would visit",
        "--commitment", "counterpart", "call back with the written offer", "2026-11-10",
    )  # fmt: skip
    # An agreed plan with a late payment, for `debtneg track`.
    run(
        "log", "agree", path, "--at", "2026-12-20T10:00+08:00", "--channel", "phone",
        "--lender", PLATFORM, "--currency", "CNY", "--due", "2027-01-15", "850.00",
        "--due", "2027-02-15", "850.00", "--grace-days", "3", "--lapses-after", "2",
        "--if-late", "a late fee of 50.00 is charged on the next statement",
    )  # fmt: skip
    run("log", "pay", path, "--amount", "850.00", "--currency", "CNY", "--on", "2027-01-20")
    return path


def table_commands(log: Path) -> list[list[object]]:
    """Every command that prints a table or a document, with a sample invocation."""
    return [
        ["demo"],
        ["options", EXAMPLE],
        ["letter", EXAMPLE],
        ["script", EXAMPLE],
        ["plan", EXAMPLE, "--strategy", "deferral"],
        ["plan", EXAMPLE, "--strategy", "extension"],
        ["apr", "--amount", "10000", "--fee", "500", "--term", "12", "--installment", "880",
         "--regime", "cn-pboc", "--regime", "us-reg-z", "--regime", "eu-ccd",
         "--start", "2026-01-01", "--currency", "CNY"],
        ["counter", EXAMPLE, "--creditor", PLATFORM, "--lever", "extension", "--months", "24",
         "--fee-rate", "0.05"],
        ["plugins", "--all"],
        ["log", "list", log],
        ["log", "followups", log, "--as-of", "2026-11-08"],
        ["log", "conduct", log, EXAMPLE, "--creditor", PLATFORM],
        ["track", log, "--as-of", "2027-02-01"],
        ["budget", BUDGET_EXAMPLE],
        ["payoff", BUDGET_EXAMPLE],
        ["payoff", BUDGET_EXAMPLE, "--compare"],
        ["payoff", EXAMPLE, "--options", PLATFORM],
        ["dmp", EXAMPLE],
        ["dmp", EXAMPLE, "--creditor", CARD],
    ]  # fmt: skip


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_every_table_command_fits_the_terminal_width(log_file, width, locale):
    for args in table_commands(log_file):
        out = run(*args, env={"COLUMNS": str(width), "DEBTNEG_LOCALE": locale})
        wide = [line for line in out.splitlines() if display_width(line) > width]
        assert not wide, (args, wide)


def test_without_columns_output_to_a_pipe_is_not_wrapped():
    out = run("demo", env={"COLUMNS": None})
    assert max(display_width(line) for line in out.splitlines()) > 100


def test_a_narrow_table_wraps_its_cells_without_cutting_words():
    table = text_table(["option", "total"], [["Longer repayment term", "CN¥19,198.75"]], width=26)
    lines = table.split("\n")
    assert max(map(display_width, lines)) <= 26
    assert "CN¥19,198.75" in table
    assert "repayment" in table


def test_a_table_that_cannot_fit_becomes_label_value_records():
    header = ["#", "option", "payment", "total", "saving"]
    rows = [["1", "Hardship relief", "CN¥775.00", "CN¥18,600.00", "CN¥8,756.71"]]
    table = text_table(header, rows, width=20)
    assert max(map(display_width, table.split("\n"))) <= 20
    assert "CN¥18,600.00" in table.split()  # no figure is cut
    assert table.startswith("#")


def test_chinese_text_wraps_between_characters():
    text = fit_text("- " + "困难减免" * 10, 20)
    lines = text.split("\n")
    assert max(map(display_width, lines)) <= 20
    assert all(line.startswith("  ") for line in lines[1:])  # hangs under the text
    assert "".join(line.strip() for line in lines) == "- " + "困难减免" * 10


def test_table_width_applies_inside_the_block_only():
    rows = [["a" * 30, "b" * 30]]
    with table_width(40):
        inside = text_table(["x", "y"], rows)
    outside = text_table(["x", "y"], rows)
    assert max(map(display_width, inside.split("\n"))) <= 40
    assert max(map(display_width, outside.split("\n"))) == 62


# ---------------------------------------------------------------- control characters


def test_printable_removes_escapes_controls_and_bidi_overrides():
    cleaned = printable(HOSTILE + "\tand\nnext")
    for bad in FORBIDDEN:
        assert bad not in cleaned
    assert cleaned.startswith("Zhang")
    assert "evil" in cleaned
    assert "\t" in cleaned
    assert "\n" in cleaned


def test_a_hostile_log_entry_reaches_text_output_clean(log_file):
    for args in (
        ["log", "list", log_file],
        ["log", "export", log_file, "--to", "report"],
    ):
        out = run(*args)
        assert "Zhang" in out
        for bad in FORBIDDEN:
            assert bad not in out, (args, bad)


def test_a_hostile_case_file_reaches_documents_clean(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    hostile = 'name = "Li\\u001b[31mWei\\u202eevil\\u202c\\u0007"'
    case = tmp_path / "hostile.toml"
    case.write_text(text.replace('name = "Li Wei"', hostile, 1), encoding="utf-8")
    for args in (["letter", case], ["script", case], ["options", case]):
        out = run(*args)
        for bad in [*FORBIDDEN, "\x07"]:
            assert bad not in out, (args, bad)
    assert "Li[31mWeievil" in run("letter", case) or "LiWeievil" in run("letter", case)


def test_json_output_keeps_the_data_as_given(log_file):
    out = run("log", "list", log_file, "--format", "json")
    assert "\\u001b" in out  # JSON escapes the control character itself
    assert "\u202e" in out  # and the data is not altered


# ---------------------------------------------------------------- encodings, in subprocesses


def _debtneg(*args: str, encoding: str, env: dict[str, str] | None = None):
    full = {
        **{k: v for k, v in os.environ.items() if k not in {"COLUMNS", "NO_COLOR"}},
        "PYTHONIOENCODING": encoding,
        "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "debtnegotiation", *args],
        capture_output=True,
        env=full,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "ascii"])
def test_english_prints_under_any_encoding(encoding):
    done = _debtneg("demo", encoding=encoding)
    stderr = done.stderr.decode("ascii", "replace")
    assert done.returncode == EXIT_OK, stderr
    assert "internal error" not in stderr
    assert "19,198.75" in done.stdout.decode(encoding)


@pytest.mark.parametrize(("encoding", "shown"), [("cp1252", "cp1252"), ("ascii", "ascii")])
def test_chinese_under_a_narrow_encoding_is_replaced_with_a_warning(encoding, shown):
    done = _debtneg("demo", "--locale", "zh_Hans_CN", encoding=encoding)
    stderr = done.stderr.decode("ascii", "replace")
    assert done.returncode == EXIT_OK, stderr
    assert done.returncode != EXIT_INTERNAL
    assert "internal error" not in stderr
    assert f"output encoding {shown} cannot show some characters" in stderr
    assert "PYTHONIOENCODING=utf-8" in stderr
    out = done.stdout.decode(encoding)
    assert "19,198.75" in out
    assert "?" in out


def test_utf8_output_has_no_encoding_warning():
    done = _debtneg("demo", "--locale", "zh_Hans_CN", encoding="utf-8")
    assert done.returncode == EXIT_OK
    assert b"encoding" not in done.stderr
    assert "¥19,198.75" in done.stdout.decode("utf-8")


def test_help_survives_an_ascii_stream():
    done = _debtneg("--help", encoding="ascii")
    assert done.returncode == EXIT_OK
    assert b"internal error" not in done.stderr


# ---------------------------------------------------------------- colour on a terminal


def _on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """Run ``debtneg`` with its standard output on a pseudo-terminal; what it wrote."""
    primary, secondary = pty.openpty()
    full = {
        **{k: v for k, v in os.environ.items() if k not in {"COLUMNS", "NO_COLOR"}},
        "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
        "PYTHONIOENCODING": "utf-8",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "debtnegotiation", *args],
        stdout=secondary,
        stderr=subprocess.DEVNULL,
        env=full,
    )
    os.close(secondary)
    chunks = []
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(primary)
    return b"".join(chunks).decode("utf-8", "replace")


def test_warnings_are_emphasised_on_a_terminal():
    out = _on_a_terminal("demo", env={"COLUMNS": "200"})
    assert "\x1b[31m\x1b[1mDanger:" in out or "\x1b[1m\x1b[31mDanger:" in out
    assert "\x1b[33m" in out  # a warning in yellow


def test_no_color_turns_emphasis_off():
    out = _on_a_terminal("demo", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert "Danger:" in out
    assert "\x1b[" not in out


def test_an_empty_no_color_does_not_turn_emphasis_off():
    # no-color.org: "when present and not an empty string".
    out = _on_a_terminal("demo", env={"COLUMNS": "200", "NO_COLOR": ""})
    assert "\x1b[" in out


def test_output_to_a_pipe_is_never_coloured():
    done = _debtneg("demo", encoding="utf-8")
    assert b"\x1b[" not in done.stdout
