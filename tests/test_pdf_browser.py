"""Every HTML document printed to PDF by a real browser, then read back.

Headless Chromium prints the letter, the call script, the comparison (with its charts) and
the negotiation-log report, in English and in Chinese; poppler's ``pdfinfo``,
``pdftotext`` and ``pdffonts`` read the result: the page count and paper size, the
figures and dates as the reader's locale writes them, 此致 and 敬礼 on lines of their
own, every font embedded with a Unicode map, and no character that no installed font can
draw (a missing-glyph box). ``.ci/run`` installs Debian's ``chromium``, ``fonts-noto-cjk``
and ``poppler-utils``; without them these tests are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from debtnegotiation.demo import example_portfolio
from debtnegotiation.documents import DocumentKind, OutputFormat, render_document
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.negotiation_log import (
    Channel,
    Contact,
    Counterpart,
    Direction,
    NegotiationLog,
    Offer,
    Party,
    render_report,
)
from debtnegotiation.pdf import find_chromium, html_to_pdf
from debtnegotiation.plugins import get_plugin_host

_TOOLS = ("pdfinfo", "pdftotext", "pdffonts", "fc-list")
pytestmark = pytest.mark.skipif(
    find_chromium() is None or any(shutil.which(t) is None for t in _TOOLS),
    reason="needs chromium, poppler-utils and fontconfig (.ci/run installs them)",
)

LOCALES = ("en", "zh_Hans_CN")
#: Pages each document may take on A4: enough for the example, few enough to catch a
#: layout that spills (a table one column per page, a chart per page).
PAGES = {
    DocumentKind.LETTER: (1, 2),
    DocumentKind.SCRIPT: (1, 4),
    DocumentKind.COMPARISON: (1, 4),
}
A4 = (595, 842)
LETTER = (612, 792)


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _pages_and_size(pdf: Path) -> tuple[int, tuple[int, int]]:
    info = _run("pdfinfo", str(pdf))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.MULTILINE).groups()
    return pages, (round(float(width)), round(float(height)))


def _fonts(pdf: Path) -> list[dict[str, str]]:
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    fonts = []
    for line in lines:
        # name, type (may hold spaces), encoding, emb, sub, uni, object, id: from the right.
        parts = line.split()
        fonts.append({"emb": parts[-5], "uni": parts[-3], "type": " ".join(parts[1:-6])})
    return fonts


def _installed_coverage() -> set[int]:
    """Every code point some installed font has a glyph for (fontconfig's charsets)."""
    covered: set[int] = set()
    for charset in _run("fc-list", "--format", "%{charset}\n").split():
        first, _, last = charset.partition("-")
        covered.update(range(int(first, 16), int(last or first, 16) + 1))
    return covered


@pytest.fixture(scope="module")
def coverage() -> set[int]:
    return _installed_coverage()


@pytest.fixture(scope="module")
def example() -> Negotiation:
    host = get_plugin_host(load_entry_points=False, environ={})
    return example_portfolio(host=host).negotiation(0)


def _print(html: str, tmp_path: Path, name: str) -> tuple[Path, str]:
    pdf = tmp_path / f"{name}.pdf"
    html_to_pdf(html, pdf)
    return pdf, _run("pdftotext", "-enc", "UTF-8", str(pdf), "-")


def _flat(text: str) -> str:
    """The text with line breaks and page feeds removed (a phrase may wrap)."""
    return re.sub(r"\s+", " ", text.replace("\f", " "))


def _check_glyphs(pdf: Path, text: str, locale: str, coverage: set[int]) -> None:
    assert "\ufffd" not in text, "a character was lost (U+FFFD in the text layer)"
    missing = sorted({c for c in text if ord(c) > 0x20 and ord(c) not in coverage})
    assert missing == [], f"no installed font draws {missing!r}: they print as boxes"
    fonts = _fonts(pdf)
    assert fonts, "the PDF has no text fonts"
    assert all(f["emb"] == "yes" for f in fonts), fonts
    assert all(f["uni"] == "yes" for f in fonts), fonts
    if locale == "en":
        # Latin text comes from a TrueType font, embedded as such. (Chromium's PDF
        # backend draws CFF outlines, Noto Sans CJK's, as Type 3 glyphs: still the
        # font's own outlines, with a Unicode map, so Chinese pages may hold Type 3.)
        assert not any(f["type"] == "Type 3" for f in fonts), fonts


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", list(DocumentKind), ids=lambda k: k.value)
def test_every_document_prints_with_its_figures_and_real_glyphs(
    example, kind, locale, tmp_path, coverage
):
    html = render_document(kind, example, locale=locale, output=OutputFormat.HTML)
    pdf, text = _print(html, tmp_path, f"{kind.value}-{locale}")
    pages, size = _pages_and_size(pdf)
    low, high = PAGES[kind]
    assert low <= pages <= high, f"{kind.value} in {locale}: {pages} pages"
    assert size == A4
    fmt = BabelFormatter(locale)
    flat = _flat(text)
    case = example.case
    assert fmt.date(case.on) in flat
    options = example.options()
    if kind is DocumentKind.COMPARISON:
        for option in options.ranked:
            assert fmt.money(option.plan.total_paid) in flat
        for projection in options.status_quo.projections:
            assert fmt.money(projection.total) in flat
        # The charts print too: their titles and bar labels are text.
        assert ("Balance owed over time" if locale == "en" else "欠款余额随时间的变化") in flat
        assert ("Total cost of each option" if locale == "en" else "各方案的还款总额") in flat
    else:
        opening = example.ladder().steps[0].option
        assert fmt.money(opening.plan.peak_installment) in flat
    if kind is DocumentKind.LETTER:
        assert fmt.money(case.owed) in flat
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if locale == "zh_Hans_CN":
            # 此致 and 敬礼 on lines of their own, the name and the date after them.
            at = lines.index("此致")
            assert lines[at + 1] == "敬礼"
            assert "Li Wei" in lines[at + 2 :]
            assert lines[-1] == fmt.date(case.on) or fmt.date(case.on) in lines[at:]
        else:
            assert lines.index("Yours faithfully,") < lines.index("Li Wei", 3)
    _check_glyphs(pdf, text, locale, coverage)


def test_us_letter_paper_for_a_us_reader(example, tmp_path):
    html = render_document(DocumentKind.LETTER, example, locale="en_US", output=OutputFormat.HTML)
    pdf, _text = _print(html, tmp_path, "letter-en_US")
    assert _pages_and_size(pdf)[1] == LETTER
    html = render_document(
        DocumentKind.LETTER, example, locale="en_US", output=OutputFormat.HTML, paper="a4"
    )
    pdf, _text = _print(html, tmp_path, "letter-en_US-a4")
    assert _pages_and_size(pdf)[1] == A4


def _log(path: Path) -> NegotiationLog:
    shanghai = ZoneInfo("Asia/Shanghai")
    ticks = iter(range(100))
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    opened = NegotiationLog.open(path, clock=lambda: start + dt.timedelta(seconds=next(ticks)))
    opened.append(
        Contact(
            at=dt.datetime(2026, 3, 2, 10, 15, tzinfo=shanghai),
            channel=Channel.PHONE,
            direction=Direction.INBOUND,
            counterpart=Counterpart(
                name="王芳", organisation="示例银行信用卡中心", role="creditor"
            ),
            summary="对方提出分24期还款，手续费5%。",
            offers=(
                Offer(
                    by=Party.COUNTERPART,
                    summary="24 installments",
                    monthly_payment=Money("1312.50", "CNY"),
                    months=24,
                    total=Money("31500.00", "CNY"),
                ),
            ),
        )
    )
    return opened


@pytest.mark.parametrize("locale", LOCALES)
def test_the_log_report_prints(tmp_path, locale, coverage):
    log = _log(tmp_path / "log.sqlite")
    try:
        fmt = BabelFormatter(locale)
        html = render_report(log, fmt, format="html")
    finally:
        log.close()
    pdf, text = _print(html, tmp_path, f"report-{locale}")
    pages, size = _pages_and_size(pdf)
    assert pages == 1
    assert size == A4
    flat = _flat(text)
    assert fmt.money(Money("1312.50", "CNY")) in flat
    assert fmt.money(Money("31500.00", "CNY")) in flat
    assert "对方提出分24期还款" in flat
    assert "王芳" in flat
    _check_glyphs(pdf, text, "zh_Hans_CN", coverage)  # it holds Chinese text in any locale
