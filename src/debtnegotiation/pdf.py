"""PDF output: an HTML document printed by headless Chromium.

The HTML documents carry their own print stylesheet (``@page`` size A4 or US Letter, by
the reader's locale), so a browser's print engine lays them out exactly as they print from
a browser window. Chromium is a well-kept engine that is packaged everywhere (Debian's
``chromium``, Homebrew's ``chromium``, Google Chrome) and renders Chinese with the
system's CJK fonts (Debian: ``fonts-noto-cjk``); nothing is added to the library's
dependencies. The browser is found on ``PATH`` (``chromium``, ``chromium-browser``,
``google-chrome``, ``google-chrome-stable``) or named by the ``DEBTNEG_CHROMIUM``
environment variable.

Chromium runs with a throw-away profile, without network access to Google's services,
and the page holds no script or external resource, so printing is offline and repeatable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from debtnegotiation.errors import DebtNegotiationError

__all__ = ["CHROMIUM_ENV", "PdfError", "find_chromium", "html_to_pdf", "html_to_png"]

#: The environment variable naming the Chromium (or Chrome) executable to use.
CHROMIUM_ENV: Final = "DEBTNEG_CHROMIUM"

_NAMES: Final = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT_SECONDS: Final = 120

#: Flags for a quiet, offline, throw-away headless run (no sandbox: CI runs as root).
_FLAGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
)


class PdfError(DebtNegotiationError):
    """A document could not be printed: no browser found, or the browser failed."""


def find_chromium() -> str | None:
    """The Chromium executable to print with, or ``None`` when there is none.

    ``$DEBTNEG_CHROMIUM`` wins when set (a path or a name on ``PATH``); then the usual
    names are looked up on ``PATH``.
    """
    named = os.environ.get(CHROMIUM_ENV, "").strip()
    if named:
        return shutil.which(named)
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(html: str, output: Path, extra: Sequence[str], what: str) -> None:
    browser = find_chromium()
    if browser is None:
        raise PdfError(
            f"{what} needs Chromium or Google Chrome: install it (Debian: apt-get install "
            f"chromium fonts-noto-cjk) or name it in ${CHROMIUM_ENV}; or write .html and "
            "print it from a browser"
        )
    target = Path(output).resolve()
    with tempfile.TemporaryDirectory(prefix="debtneg-print-") as work:
        page = Path(work) / "document.html"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            *_FLAGS,
            f"--user-data-dir={Path(work) / 'profile'}",
            *extra,
            page.as_uri(),
        ]
        target.unlink(missing_ok=True)
        try:
            done = subprocess.run(  # noqa: S603 - our own arguments, no shell
                command,
                capture_output=True,
                text=True,
                timeout=_TIMEOUT_SECONDS,
                check=False,
                env={**os.environ, "HOME": work},
            )
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"{browser} did not finish {what} within {_TIMEOUT_SECONDS} seconds"
            ) from None
        if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise PdfError(
                f"{browser} failed {what} (exit status {done.returncode}); it said:\n{tail}"
            )


def html_to_pdf(html: str, output: Path) -> None:
    """Print the HTML document *html* to a PDF file at *output* with headless Chromium.

    The page's ``@page`` rule sets the paper; Chromium's own header and footer (URL, date)
    are left off.

    :raises PdfError: when no browser is found or it fails.
    """
    target = Path(output).resolve()
    _run(
        html,
        target,
        ("--no-pdf-header-footer", f"--print-to-pdf={target}"),
        f"printing {target.name}",
    )


def html_to_png(html: str, output: Path, *, width: int = 1000, height: int = 1400) -> None:
    """A screenshot of the HTML document *html* as it shows on screen, as PNG.

    :param width: the window's width in CSS pixels.
    :param height: the window's height in CSS pixels (the shot is cut there).
    :raises PdfError: when no browser is found or it fails.
    """
    target = Path(output).resolve()
    _run(
        html,
        target,
        (
            f"--window-size={width},{height}",
            # Paint the whole window before the shot, not the first tiles ready.
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=5000",
            f"--screenshot={target}",
        ),
        f"taking a screenshot for {target.name}",
    )
