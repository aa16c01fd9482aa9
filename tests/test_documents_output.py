"""``-o FILE`` on the document commands, ``options --format html|csv`` and ``--chart``."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation.cli import EXIT_OK, EXIT_USAGE, cli
from debtnegotiation.documents import join_html
from debtnegotiation.errors import ValidationError
from debtnegotiation.pdf import CHROMIUM_ENV, PdfError, find_chromium, html_to_pdf

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
PLATFORM = "Example Installment Platform"
ISOLATED = {
    "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
    "DEBTNEG_DISABLE_PLUGINS": "",
    "DEBTNEG_LOCALE": None,
    "DEBTNEG_TRACE_PLUGINS": None,
}
needs_chromium = pytest.mark.skipif(
    find_chromium() is None or shutil.which("pdftotext") is None,
    reason="needs chromium and poppler-utils (.ci/run installs them)",
)


def run(*args, env=None):
    runner = CliRunner(env={**ISOLATED, **(env or {})})
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def ok(*args, **kwargs):
    result = run(*args, **kwargs)
    assert result.exit_code == EXIT_OK, result.output
    return result


@pytest.mark.parametrize(
    ("suffix", "start"),
    [
        (".txt", "Request for a hardship"),
        (".md", "# Request for a hardship"),
        (".html", "<!DOCTYPE html>"),
    ],
)
def test_the_letter_is_written_in_the_format_its_suffix_names(tmp_path, suffix, start):
    target = tmp_path / f"letter{suffix}"
    result = ok("letter", EXAMPLE, "--creditor", PLATFORM, "-o", target)
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith(start)
    stdout = ok(
        "letter",
        EXAMPLE,
        "--creditor",
        PLATFORM,
        "--format",
        {".txt": "text", ".md": "markdown", ".html": "html"}[suffix],
    ).stdout
    assert text == stdout


def test_a_suffix_the_command_cannot_write_is_a_usage_error(tmp_path):
    result = run("letter", EXAMPLE, "-o", tmp_path / "letter.csv")
    assert result.exit_code == EXIT_USAGE
    assert "expected one of .txt" in result.stderr
    assert "'.csv'" in result.stderr
    result = run("script", EXAMPLE, "-o", tmp_path / "script")
    assert result.exit_code == EXIT_USAGE
    assert "no suffix" in result.stderr
    assert not (tmp_path / "letter.csv").exists()


def test_format_and_suffix_must_agree(tmp_path):
    result = run("letter", EXAMPLE, "--format", "html", "-o", tmp_path / "x.txt")
    assert result.exit_code == EXIT_USAGE
    assert "--format html does not match the suffix of 'x.txt'" in result.stderr
    # Saying the same thing twice is fine.
    ok("options", EXAMPLE, "--format", "table", "-o", tmp_path / "x.txt")


def test_an_html_or_pdf_page_holds_one_debt(tmp_path):
    for name in ("letter.html", "letter.pdf"):
        result = run("letter", EXAMPLE, "-o", tmp_path / name)
        assert result.exit_code == EXIT_USAGE
        assert "choose a debt with --creditor" in result.stderr


def test_options_as_html_shows_the_styled_table_and_the_charts():
    page = ok("options", EXAMPLE, "--creditor", PLATFORM, "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4;" in page
    assert '<td class="num">CN¥27,356.71</td>' in page
    assert '<li class="finding severity-danger">Danger:' in page
    assert page.count('class="debtneg-chart"') == 2


def test_options_as_csv_has_exact_decimals_and_machine_headers():
    text = ok("options", EXAMPLE, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    header = text.splitlines()[0].split(",")
    assert header[:6] == [
        "creditor",
        "rank",
        "strategy",
        "eligibility",
        "currency",
        "monthly_payment",
    ]
    assert all(h == h.lower() and " " not in h for h in header)
    platform = [r for r in rows if r["creditor"] == PLATFORM]
    best = platform[0]
    assert best["rank"] == "1"
    assert best["monthly_payment"] == "775.00"  # plain decimals: no symbol, no grouping
    assert best["total_paid"] == "18600.00"
    assert best["affordable"] == "true"
    nothing = [r for r in platform if r["strategy"] == "status_quo"]
    assert [r["total_paid"] for r in nothing][-1] == "27356.71"
    assert [r["end"] for r in nothing][-1] == "2028-11-02"
    for row in rows:
        for key in ("total_paid", "cost_above_principal", "saving"):
            Decimal(row[key])  # every amount parses exactly
        if row["annual_rate"]:
            assert Decimal(row["annual_rate"]) < 1  # a fraction, not a percentage
    unaffordable = [r for r in platform if r["affordable"] == "false"]
    assert "core.unaffordable" in unaffordable[0]["finding_codes"].split(";")


def test_options_csv_and_json_files(tmp_path):
    ok("options", EXAMPLE, "-o", tmp_path / "o.csv")
    assert (tmp_path / "o.csv").read_text(encoding="utf-8") == ok(
        "options", EXAMPLE, "--format", "csv"
    ).stdout
    ok("options", EXAMPLE, "-o", tmp_path / "o.json")
    assert (tmp_path / "o.json").read_text(encoding="utf-8").startswith("{")


def test_chart_files(tmp_path):
    ok("options", EXAMPLE, "--creditor", PLATFORM, "--chart", tmp_path / "c.svg")
    svg = (tmp_path / "c.svg").read_text(encoding="utf-8")
    assert "Balance owed over time" in svg
    result = run("options", EXAMPLE, "--chart", tmp_path / "c.svg")
    assert result.exit_code == EXIT_USAGE
    assert "a chart shows one debt" in result.stderr
    result = run("options", EXAMPLE, "--creditor", PLATFORM, "--chart", tmp_path / "c.jpg")
    assert result.exit_code == EXIT_USAGE
    assert ".svg or .png" in result.stderr


def test_demo_writes_one_page_with_every_document(tmp_path):
    ok("demo", "-o", tmp_path / "demo.html", "--locale", "zh_Hans_CN")
    page = (tmp_path / "demo.html").read_text(encoding="utf-8")
    assert page.count("<html") == 1
    assert page.count('<div class="debtneg-page"') == 6  # 3 documents for each of 2 debts
    assert page.count('style="break-before: page"') == 5
    assert page.count('class="debtneg-chart"') == 4
    assert "此致" in page
    ok("demo", "-o", tmp_path / "demo.md")
    assert (tmp_path / "demo.md").read_text(encoding="utf-8") == ok(
        "demo", "--format", "markdown"
    ).stdout


def test_join_html_needs_pages():
    with pytest.raises(ValidationError, match="at least one"):
        join_html([])
    with pytest.raises(ValidationError, match="<body>"):
        join_html(["<html><body>x</body></html>", "no body"])


@needs_chromium
def test_the_letter_as_pdf(tmp_path):
    target = tmp_path / "letter.pdf"
    ok("letter", EXAMPLE, "--creditor", PLATFORM, "--locale", "zh_Hans_CN", "-o", target)
    assert target.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "¥19,198.75" in text


def test_no_browser_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv(CHROMIUM_ENV, "no-such-browser-here")
    assert find_chromium() is None
    with pytest.raises(PdfError, match="needs Chromium or Google Chrome"):
        html_to_pdf("<!DOCTYPE html><p>x</p>", tmp_path / "x.pdf")
    result = run(
        "letter",
        EXAMPLE,
        "--creditor",
        PLATFORM,
        "-o",
        tmp_path / "x.pdf",
        env={CHROMIUM_ENV: "no-such-browser-here"},
    )
    assert result.exit_code == 1
    assert "debtneg: error:" in result.stderr
    assert "Chromium" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_failing_browser_is_reported(tmp_path):
    # A "browser" that exits with an error: its exit status and message are reported.
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CHROMIUM_ENV, str(fake))
        with pytest.raises(PdfError, match=r"(?s)exit status 3.*cannot open display"):
            html_to_pdf("<p>x</p>", tmp_path / "x.pdf")


def _log_with_a_call(tmp_path):
    path = tmp_path / "calls.db"
    ok(
        "log", "add", path, "--at", "2026-11-05T10:15", "--tz", "Asia/Shanghai",
        "--channel", "phone", "--direction", "inbound", "--counterpart", "王芳",
        "--organisation", "Example Installment Platform", "--summary", "提出分24期还款",
    )  # fmt: skip
    return path


def test_the_log_report_takes_its_format_from_the_suffix(tmp_path):
    path = _log_with_a_call(tmp_path)
    ok("log", "export", path, "--to", "report", "-o", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4;" in page
    assert '<body class="debtneg-log-report">' in page
    ok("log", "export", path, "--to", "report", "-o", tmp_path / "r.md")
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# ")
    # An explicit --report-format wins over the suffix.
    ok(
        "log",
        "export",
        path,
        "--to",
        "report",
        "--report-format",
        "markdown",
        "-o",
        tmp_path / "r2.html",
    )
    assert (tmp_path / "r2.html").read_text(encoding="utf-8").startswith("# ")


@needs_chromium
def test_the_log_report_as_pdf(tmp_path):
    path = _log_with_a_call(tmp_path)
    target = tmp_path / "report.pdf"
    ok("log", "export", path, "--to", "report", "-o", target)
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "提出分24期还款" in text
