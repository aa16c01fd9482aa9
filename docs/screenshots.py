"""Make the screenshots the documentation shows, from the documents the library renders.

Run from the repository root after a change to the documents' look::

    python docs/screenshots.py

It renders the options comparison of the example installment platform as HTML, in English
and in Chinese, with only the built-in plugins, and photographs each with headless Chromium
(Debian's ``chromium``) into ``docs/_static/comparison-<locale>.png``.
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


def comparison_html(locale: str) -> str:
    """The comparison page of the example's installment platform, in *locale*."""
    host = get_plugin_host(load_entry_points=False, environ={})
    portfolio = load_case(ROOT / "examples" / "xian.toml").portfolio(host=host)
    (platform,) = CaseRun(portfolio, (0,)).negotiations()
    return render_document(
        DocumentKind.COMPARISON, platform, locale=locale, output=OutputFormat.HTML, host=host
    )


def screenshot(html: str, target: Path, *, width: int = 1100, height: int = 1650) -> None:
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
    for locale in ("en", "zh_Hans_CN"):
        target = STATIC / f"comparison-{locale}.png"
        screenshot(comparison_html(locale), target)
        print(f"wrote {target}")
