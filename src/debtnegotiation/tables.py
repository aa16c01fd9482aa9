r"""Text tables for terminals and Markdown: the one renderer documents and the CLI share.

Plain-text columns are padded by *display* width, so Chinese, Japanese and Korean text,
which takes two terminal cells a character, lines up with Latin text:

>>> print(text_table(["creditor", "owed"], [["招商银行", "CN¥1,200.00"], ["Bank", "CN¥90.00"]]))
creditor  owed
--------  -----------
招商银行  CN¥1,200.00
Bank      CN¥90.00

Markdown cells are folded onto one line and their pipes escaped:

>>> print(markdown_table(["what", "note"], [["fee", "a | b\nc"]]))
| what | note |
|---|---|
| fee | a \| b c |
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["display_width", "markdown_cell", "markdown_table", "text_table"]


def display_width(text: str) -> int:
    """The number of terminal cells *text* takes: two for wide and full-width characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1 for ch in text)


def text_table(header: Sequence[object], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: header, a rule of dashes, rows; no newline after the last row.

    Cells are converted with :class:`str`, separated by two spaces and padded by
    :func:`display_width`; trailing spaces are stripped from every line.
    """
    table = [list(map(str, header)), *[list(map(str, row)) for row in rows]]
    widths = [max(display_width(row[i]) for row in table) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True)]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(table[0]), rule, *(line(r) for r in table[1:])])


def markdown_cell(text: str) -> str:
    """*text* as one Markdown table cell: whitespace runs folded to a space, ``|`` escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown (GitHub) pipe table; no newline after the last row."""
    lines = ["| " + " | ".join(map(markdown_cell, header)) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(map(markdown_cell, r)) + " |" for r in rows]
    return "\n".join(lines)
