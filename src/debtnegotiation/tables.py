r"""Text tables for terminals and Markdown: the one renderer documents and the CLI share.

Plain-text columns are padded by *display* width, so Chinese, Japanese and Korean text,
which takes two terminal cells a character, lines up with Latin text:

>>> print(text_table(["creditor", "owed"], [["招商银行", "CN¥1,200.00"], ["Bank", "CN¥90.00"]]))
creditor  owed
--------  -----------
招商银行  CN¥1,200.00
Bank      CN¥90.00

Given a *width* (or inside :func:`table_width`), a table wider than that shrinks its
widest columns and wraps their cells onto more lines, at spaces, or between two wide
characters, which Chinese and Japanese text allows anywhere:

>>> print(text_table(["option", "payment"], [["Longer repayment term", "CN¥90.00"]], width=24))
option          payment
--------------  --------
Longer          CN¥90.00
repayment term

Markdown cells are folded onto one line and their pipes escaped:

>>> print(markdown_table(["what", "note"], [["fee", "a | b\nc"]]))
| what | note |
|---|---|
| fee | a \| b c |

Every cell is passed through :func:`printable` first: text from a case file or a log
cannot move the cursor, recolour the terminal or reverse the reading order.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Final

__all__ = [
    "display_width",
    "fit_text",
    "markdown_cell",
    "markdown_table",
    "printable",
    "table_width",
    "text_table",
]

#: The width tables are fitted to when :func:`text_table` is given none (``None``: any).
_WIDTH: Final[contextvars.ContextVar[int | None]] = contextvars.ContextVar(
    "debtnegotiation_table_width", default=None
)

#: The narrowest a column is shrunk to before words are broken inside.
_MIN_COLUMN: Final = 4
#: Columns are separated by this many spaces.
_GAP: Final = 2

# ANSI/ECMA-48 escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and
# two-character escapes; then every C0 control but tab and newline, DEL and C1 controls,
# and the Unicode bidirectional formatting characters (UAX #9: LRM, RLM, ALM, LRE, RLE,
# PDF, LRO, RLO, LRI, RLI, FSI, PDI), which can reorder what a reader sees (CVE-2021-42574).
_ESCAPES: Final = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    r"""*text* without terminal escape sequences, control characters and bidi overrides.

    Tabs and newlines stay; carriage returns, backspaces, ``ESC`` sequences, C1 controls
    and the bidirectional formatting characters U+061C, U+200E, U+200F, U+202A–U+202E
    and U+2066–U+2069 are removed:

    >>> printable("Zhang\x1b[2J\u202eevil\u202c\r")
    'Zhangevil'
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def display_width(text: str) -> int:
    """The number of terminal cells *text* takes: two for wide and full-width characters."""
    if text.isascii():
        # Printable ASCII is one cell each, and no ASCII character combines or is wide
        # (most table cells are ASCII: amounts, dates, counts).
        return len(text)
    return sum(map(_char_width, text))


# A table's cells hold few distinct characters: one lookup each, not two unicodedata calls.
@functools.lru_cache(maxsize=4096)
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1


@contextlib.contextmanager
def table_width(width: int | None) -> Iterator[None]:
    """Fit every :func:`text_table` rendered inside the block to *width* cells (``None``: any).

    The command line sets it to the terminal's width, so documents rendered for a
    terminal fit it too without being told.
    """
    token = _WIDTH.set(width)
    try:
        yield
    finally:
        _WIDTH.reset(token)


def current_table_width() -> int | None:
    """The width set by the innermost :func:`table_width` block, if any."""
    return _WIDTH.get()


def _tokens(text: str) -> list[str]:
    """*text* cut where a line may break: after spaces, and around each wide character."""
    tokens: list[str] = []
    for piece in re.split(r"(\s+)", text):
        if not piece:
            continue
        if piece.isspace():
            tokens.append(" ")
            continue
        word = ""
        for ch in piece:
            if _char_width(ch) == 2:
                if word:
                    tokens.append(word)
                    word = ""
                tokens.append(ch)
            else:
                word += ch
        if word:
            tokens.append(word)
    return tokens


def _break(word: str, width: int) -> list[str]:
    """A word wider than *width*, cut into pieces that fit."""
    pieces: list[str] = []
    piece = ""
    for ch in word:
        if piece and display_width(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return [*pieces, piece] if piece else pieces


def _fold(text: str, width: int) -> list[str]:
    """*text* wrapped to lines of at most *width* cells (at least one line)."""
    lines: list[str] = []
    line = ""
    for word in _tokens(text):
        if word.isspace():
            if line and display_width(line) < width:
                line += " "
            continue
        if display_width(line + word) <= width:
            line += word
            continue
        if line.strip():
            lines.append(line.rstrip())
        pieces = _break(word, width) if display_width(word) > width else [word]
        lines.extend(pieces[:-1])
        line = pieces[-1]
    lines.append(line.rstrip())
    return lines


def _longest_token(text: str) -> int:
    return max((display_width(t) for t in _tokens(text) if t != " "), default=0)


def _shrink(natural: list[int], cells: list[list[str]], width: int) -> list[int] | None:
    """Column widths summing (with gaps) to at most *width*, taking from the widest first.

    No column is made narrower than its longest word (or :data:`_MIN_COLUMN` cells);
    ``None`` when the columns cannot fit that way.
    """
    room = width - _GAP * (len(natural) - 1)
    words = [max(_longest_token(c) for c in column) for column in cells]
    floors = [min(n, max(w, _MIN_COLUMN)) for n, w in zip(natural, words, strict=True)]
    if sum(floors) > room:
        return None
    widths = list(natural)
    while sum(widths) > room:
        widest = max((i for i, w in enumerate(widths) if w > floors[i]), key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _records(table: list[list[str]], width: int) -> str:
    """The rows one after another as label–value lines, for a table too wide to fit."""
    header, *rows = table
    label_width = min(max(display_width(h) for h in header), max(width // 3, _MIN_COLUMN))
    room = max(width - label_width - _GAP, _MIN_COLUMN)
    blocks = []
    for row in rows:
        lines = []
        for name, cell in zip(header, row, strict=True):
            names = _fold(name, label_width)
            values = _fold(cell, room) if cell else [""]
            for n in range(max(len(names), len(values))):
                left = names[n] if n < len(names) else ""
                right = values[n] if n < len(values) else ""
                pad = " " * (label_width - display_width(left) + _GAP)
                lines.append((left + pad + right).rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def text_table(
    header: Sequence[object], rows: Sequence[Sequence[object]], *, width: int | None = None
) -> str:
    """A plain-text table: header, a rule of dashes, rows; no newline after the last row.

    Cells are converted with :class:`str`, cleaned by :func:`printable`, separated by two
    spaces and padded by :func:`display_width`; trailing spaces are stripped from every
    line. When the table is wider than *width* (default: the :func:`table_width` in
    force, else no limit), the widest columns shrink and their cells wrap onto more
    lines at word boundaries; when even that cannot fit, each row is printed as lines
    of "heading  value", rows apart by a blank line, so no figure is ever cut.
    """
    table = [[" ".join(printable(str(cell)).split()) for cell in row] for row in [header, *rows]]
    columns = [[row[i] for row in table] for i in range(len(header))]
    widths = [max(display_width(cell) for cell in column) for column in columns]
    limit = current_table_width() if width is None else width
    if limit is not None and sum(widths) + _GAP * (len(widths) - 1) > limit:
        fitted = _shrink(widths, columns, limit)
        if fitted is None:
            return _records(table, limit)
        widths = fitted

    def lines(cells: Sequence[str]) -> list[str]:
        folded = [_fold(c, w) for c, w in zip(cells, widths, strict=True)]
        height = max(len(f) for f in folded)
        out = []
        for n in range(height):
            parts = [f[n] if n < len(f) else "" for f in folded]
            padded = [p + " " * (w - display_width(p)) for p, w in zip(parts, widths, strict=True)]
            out.append((" " * _GAP).join(padded).rstrip())
        return out

    rule = (" " * _GAP).join("-" * w for w in widths)
    body = [line for row in table[1:] for line in lines(row)]
    return "\n".join([*lines(table[0]), rule, *body])


_LEAD: Final = re.compile(r"\s*(?:(?:[-*•]|\d+\.)\s+)?")


def fit_text(text: str, width: int) -> str:
    """*text* with every line wider than *width* cells wrapped, the rest untouched.

    A wrapped line's continuation is indented under its text, past any leading spaces
    and list marker (``-``, ``*``, ``•``, ``1.``):

    >>> print(fit_text("- a finding that is long", 12))
    - a finding
      that is
      long
    """
    out: list[str] = []
    for line in text.split("\n"):
        if display_width(line) <= width:
            out.append(line)
            continue
        lead = _LEAD.match(line)
        prefix = lead.group(0) if lead else ""
        indent = " " * display_width(prefix)
        room = max(width - len(indent), _MIN_COLUMN * 2)
        folded = _fold(line[len(prefix) :], room)
        out.append(prefix + folded[0])
        out.extend(indent + rest for rest in folded[1:])
    return "\n".join(out)


def markdown_cell(text: str) -> str:
    """*text* as one Markdown table cell: whitespace runs folded to a space, ``|`` escaped."""
    return " ".join(printable(text).split()).replace("|", "\\|")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown (GitHub) pipe table; no newline after the last row."""
    lines = ["| " + " | ".join(map(markdown_cell, header)) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(map(markdown_cell, r)) + " |" for r in rows]
    return "\n".join(lines)
