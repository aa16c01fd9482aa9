"""The shared text-table renderer: display width, padding, Markdown escaping."""

from __future__ import annotations

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
