"""The shared text-table renderer: display width, padding, Markdown escaping."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from debtnegotiation.tables import display_width, markdown_cell, markdown_table, text_table


def test_wide_characters_count_twice():
    assert display_width("abc") == 3
    assert display_width("招商银行") == 8
    assert display_width("ＡＢ") == 4  # full-width Latin


def test_columns_line_up_by_display_width():
    text = text_table(["name", "n"], [["招商", "1"], ["abcde", "22"]])
    assert text.split("\n") == ["name   n", "-----  --", "招商   1", "abcde  22"]


def test_trailing_spaces_are_stripped_and_cells_are_converted():
    text = text_table(["a", "b"], [[1, ""]])
    assert text.split("\n") == ["a  b", "-  -", "1"]
    assert not text.endswith("\n")


def test_markdown_cells_are_one_line_with_escaped_pipes():
    assert markdown_cell("a |\n b\tc") == "a \\| b c"
    table = markdown_table(["x"], [["1|2"]])
    assert table == "| x |\n|---|\n| 1\\|2 |"


def _cell_by_cell(text: str) -> int:
    """display_width's rule applied to every character (no ASCII shortcut)."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_display_width_is_the_per_character_rule(text: str) -> None:
    assert display_width(text) == _cell_by_cell(text)
    ascii_only = "".join(ch for ch in text if ch.isascii())
    assert display_width(ascii_only) == len(ascii_only) == _cell_by_cell(ascii_only)


def test_display_width_of_mixed_text() -> None:
    assert display_width("CN¥923.05") == 9
    assert display_width("方案 A") == 6
    assert display_width("e\u0301") == 1  # a combining accent takes no cell
