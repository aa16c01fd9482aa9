"""Check the built HTML for what ``sphinx-build -W`` cannot see.

Furo draws a red "ERROR: Adding a table of contents…" box over every ``.. contents::``
directive (its sidebar already has one); the box is made by the theme's CSS, so Sphinx
never warns about it. This script fails on any page that would show it, on a docutils
error left in the page, and on an image the page names but the build does not hold::

    python docs/check_html.py docs/_build/html
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

# Furo's own opt-out class: a contents block with it is drawn without the error box.
_FURO_OPT_OUT = "this-will-duplicate-information-and-it-is-still-useful-here"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if "contents" in classes and _FURO_OPT_OUT not in classes:
            self.problems.append(f"a table-of-contents block (<{tag} class=contents>)")
        if "system-message" in classes:
            self.problems.append("a docutils error message")
        if tag == "img" and values.get("src") and "://" not in (values.get("src") or ""):
            self.images.append(values["src"] or "")


def check(build: Path) -> list[str]:
    """Every problem found in the HTML pages under *build*, one line each."""
    problems = []
    pages = sorted(build.glob("**/*.html"))
    if not pages:
        return [f"{build}: no HTML pages (build the docs first)"]
    for page in pages:
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(build)
        problems += [f"{where}: {problem}" for problem in parser.problems]
        problems += [
            f"{where}: the image {src} is missing"
            for src in parser.images
            if not (page.parent / src.split("#")[0]).is_file()
        ]
    return problems


if __name__ == "__main__":
    found = check(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/_build/html"))
    print("\n".join(found) or "built HTML: no Furo error boxes, docutils errors or missing images")
    sys.exit(1 if found else 0)
