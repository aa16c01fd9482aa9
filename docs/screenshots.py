"""Make the screenshots the documentation shows, from the documents the library renders.

Run from the repository root after a change to the documents' look::

    python docs/screenshots.py

It renders the options comparison of the example credit card as HTML with only the
built-in plugins, and photographs it with headless Chromium (Debian's ``chromium``) into
``docs/_static/comparison.png``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from debtnegotiation import get_plugin_host, load_case
from debtnegotiation.cli._common import CaseRun
from debtnegotiation.documents import DocumentKind, OutputFormat, render_document

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "docs" / "_static"


def comparison_html() -> str:
    """The comparison page of the example's credit card, in English."""
    host = get_plugin_host(load_entry_points=False, environ={})
    portfolio = load_case(ROOT / "examples" / "xian.toml").portfolio(host=host)
    (card,) = CaseRun(portfolio, (1,)).negotiations()
    return render_document(
        DocumentKind.COMPARISON, card, locale="en", output=OutputFormat.HTML, host=host
    )


def screenshot(html: str, target: Path, *, width: int = 1200, height: int = 800) -> None:
    """Photograph *html* with headless Chromium into the PNG file *target*."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("screenshots.py: needs Debian's chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "page.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(  # noqa: S603 - our own page, the installed chromium
            [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={work}/profile", "--hide-scrollbars",
                f"--window-size={width},{height}", f"--screenshot={target}", page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip


if __name__ == "__main__":
    screenshot(comparison_html(), STATIC / "comparison.png")
    print(f"wrote {STATIC / 'comparison.png'}")
