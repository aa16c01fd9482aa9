"""The charts: balance over time against doing nothing, and the total cost per option."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from debtnegotiation.charts import (
    Bar,
    ChartData,
    ChartText,
    Series,
    balance_svg,
    chart_data,
    cost_svg,
    stacked_svg,
    write_png,
)
from debtnegotiation.demo import example_portfolio
from debtnegotiation.documents import DocumentKind, OutputFormat, render_document, write_chart
from debtnegotiation.errors import ValidationError
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.money import Money
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.schedule_dates import add_months

SVG = "{http://www.w3.org/2000/svg}"


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - our own renderer's output, not untrusted data


@pytest.fixture(scope="module")
def example():
    host = get_plugin_host(load_entry_points=False, environ={})
    return example_portfolio(host=host).negotiation(0)


@pytest.fixture(scope="module")
def data(example):
    return chart_data(
        example, option_label=lambda o: o.proposal.strategy, status_quo_label="nothing"
    )


def _text(locale: str = "en") -> ChartText:
    fmt = BabelFormatter(locale)
    return ChartText(title="Balance", money=fmt.money, number=fmt.number, date=fmt.date)


def test_doing_nothing_grows_month_by_month_from_the_exact_projection(example, data):
    case = example.case
    nothing = data.series[0]
    assert nothing.status_quo
    assert nothing.points[0] == (case.on, case.owed)
    assert nothing.points[0][1] == Money("19198.75", "CNY")
    # 24 months on, the example debt amounts to 27,356.71 if nothing is agreed.
    assert nothing.points[-1] == (add_months(case.on, 24), Money("27356.71", "CNY"))
    assert len(nothing.points) == 25
    assert [d for d, _m in nothing.points] == [add_months(case.on, m) for m in range(25)]
    for on, owed in nothing.points:
        assert owed == case.debt.project(on).total
    amounts = [m.amount for _d, m in nothing.points]
    assert amounts == sorted(amounts)


def test_each_option_falls_to_zero_along_its_schedule(example, data):
    options = example.options().ranked
    lines = data.series[1:]
    assert [s.label for s in lines] == [o.proposal.strategy for o in options]
    for line, option in zip(lines, options, strict=True):
        plan = option.plan
        assert line.points[0] == (plan.start, plan.principal)
        assert line.points[1:] == tuple((i.due, i.balance_after) for i in plan.installments)
        assert line.points[-1][1].amount == 0


def test_the_cost_bars_are_the_totals_paid_against_what_doing_nothing_leaves_owed(example, data):
    options = example.options().ranked
    assert data.bars[0] == Bar(label="nothing", amount=Money("27356.71", "CNY"), status_quo=True)
    assert [b.amount for b in data.bars[1:]] == [o.plan.total_paid for o in options]


def test_the_balance_svg_is_valid_accessible_and_exact(data):
    svg = balance_svg(data, _text())
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "balance-title balance-desc"
    assert root.find(f"{SVG}title").text == "Balance"
    desc = root.find(f"{SVG}desc").text
    # A screen reader hears each line with its first and last figure and date.
    assert "nothing: CN¥19,198.75 (Nov 2, 2026) to CN¥27,356.71 (Nov 2, 2028). " in desc
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == len(data.series)
    assert lines[0].get("stroke-dasharray")  # doing nothing is dashed, not colour alone
    # Coordinates are decimals rounded to a tenth of a pixel: the same bytes every run.
    for line in lines:
        for point in line.get("points").split():
            assert re.fullmatch(r"\d+(\.\d)?,\d+(\.\d)?", point)
    assert svg == balance_svg(data, _text())
    # The y axis reaches past the largest balance in round steps.
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert "30,000" in ticks
    assert "0" in ticks


def test_the_last_date_lies_at_the_right_edge_and_zero_on_the_axis(data):
    root = _parse(balance_svg(data, _text()))
    option = root.findall(f"{SVG}polyline")[1]
    last_x, last_y = option.get("points").split()[-1].split(",")
    axes = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "axes")
    axis = axes.findall(f"{SVG}line")[-1]  # the x axis, drawn last
    assert last_x == axis.get("x2")
    assert last_y == axis.get("y1")


def test_labels_are_escaped_and_chinese_uses_the_cjk_fonts(data):
    hostile = ChartData(
        currency="CNY",
        start=dt.date(2026, 1, 1),
        series=(
            Series(
                label="<b>Bank</b> & 不协商",
                points=(
                    (dt.date(2026, 1, 1), Money("100.00", "CNY")),
                    (dt.date(2026, 2, 1), Money("0.00", "CNY")),
                ),
                status_quo=True,
            ),
        ),
        bars=(Bar(label="<i>x</i>", amount=Money("5.00", "CNY")),),
    )
    svg = balance_svg(hostile, _text("zh_Hans_CN"))
    assert "<b>" not in svg
    assert "&lt;b&gt;Bank&lt;/b&gt; &amp; 不协商" in svg
    assert "Noto Sans CJK SC" in _parse(svg).get("font-family")
    cost = cost_svg(hostile, _text("zh_Hans_CN"))
    assert "<i>" not in cost
    assert "¥5.00" in cost


def test_the_axis_steps_are_round(data):
    from debtnegotiation.charts import _axis

    assert _axis(Decimal("27356.71")) == (Decimal(5000), 6)
    assert _axis(Decimal("999")) == (Decimal(200), 5)
    assert _axis(Decimal("0")) == (Decimal(1), 1)
    for top in ("0.37", "12", "950", "1234567.89"):
        step, count = _axis(Decimal(top))
        assert count <= 6
        assert step * count >= Decimal(top)
        assert step * (count - 1) < Decimal(top)


def test_stacked_svg_holds_both_charts(data):
    both = stacked_svg(balance_svg(data, _text()), cost_svg(data, _text(), ident="cost"))
    root = _parse(both.split("\n", 1)[1])
    inner = root.findall(f"{SVG}svg")
    assert len(inner) == 2
    assert inner[1].get("y") == inner[0].get("height")
    assert int(root.get("height")) == int(inner[0].get("height")) + int(inner[1].get("height"))


def test_chart_inputs_are_checked(data):
    with pytest.raises(ValidationError, match="ChartData"):
        balance_svg("data", _text())  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="ChartText"):
        cost_svg(data, "text")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Negotiation"):
        chart_data("x", option_label=str, status_quo_label="n")  # type: ignore[arg-type]


def test_the_html_comparison_embeds_both_charts_and_a_data_table(example):
    html = render_document(
        DocumentKind.COMPARISON, example, locale="zh_Hans_CN", output=OutputFormat.HTML
    )
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="debtneg-chart"') == 2
    assert '<title id="chart-balance-' in html
    assert "欠款余额随时间的变化" in html
    assert "不协商：2026年11月2日为¥19,198.75，2028年11月2日为¥27,356.71。" in html
    # The month-by-month table: 25 rows, one per month of the doing-nothing line.
    table = html[html.index('<details class="chart-data">') :]
    table = table[: table.index("</details>")]
    assert table.count('<th scope="row">') == 25
    assert "¥27,356.71" in table
    assert "不协商：共¥27,356.71。" in html


def test_write_chart_svg_and_refuses_other_suffixes(example, tmp_path):
    target = tmp_path / "chart.svg"
    write_chart(example, target, locale="en")
    root = _parse(target.read_text(encoding="utf-8").split("\n", 1)[1])
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Balance owed over time" in titles
    assert "Total cost of each option" in titles
    with pytest.raises(ValidationError, match=r"\.svg or \.png"):
        write_chart(example, tmp_path / "chart.gif", locale="en")


def test_write_chart_png_with_matplotlib(example, tmp_path):
    pytest.importorskip("matplotlib", reason="the [charts] extra is not installed")
    target = tmp_path / "chart.png"
    write_chart(example, target, locale="zh_Hans_CN")
    head = target.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(head[16:20], "big")
    assert width == 960  # 8 in at 120 dpi


def test_write_png_draws_the_same_data(data, tmp_path):
    pytest.importorskip("matplotlib", reason="the [charts] extra is not installed")
    target = tmp_path / "same.png"
    write_png(data, _text(), target, cost_title="Total")
    assert target.stat().st_size > 10_000
