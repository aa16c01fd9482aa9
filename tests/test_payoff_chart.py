"""The payoff timeline as a chart: every debt's balance and their sum, month by month."""

from __future__ import annotations

import re
from pathlib import Path

from debtnegotiation.casefile import load_case
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.money import Money
from debtnegotiation.payoff import PayoffMethod, plan_payoff
from debtnegotiation.payoff_chart import payoff_chart_data, payoff_svg
from debtnegotiation.plugins import get_plugin_host

ROOT = Path(__file__).resolve().parents[1]
BUDGET = ROOT / "examples" / "xian-budget.toml"


def _result():
    case = load_case(BUDGET)
    portfolio = case.portfolio(host=get_plugin_host(load_entry_points=False, environ={}))
    return plan_payoff(
        portfolio.payoff_debts(), portfolio.payoff_budget, method=PayoffMethod.AVALANCHE, on=case.on
    )


def test_the_total_line_is_the_sum_of_the_debts_every_month():
    result = _result()
    data = payoff_chart_data(result, total_label="All debts")
    total, *debts = data.series
    assert total.status_quo
    assert total.label == "All debts"
    assert [s.label for s in debts] == [d.name for d in result.debts]
    assert len(total.points) == len(result.months) + 1
    for i, (on, amount) in enumerate(total.points):
        assert all(s.points[i][0] == on for s in debts)
        assert amount == sum((s.points[i][1] for s in debts), Money(0, result.currency))
    assert total.points[0][1] == sum((d.balance for d in result.debts), Money(0, result.currency))
    if result.repaid:
        assert total.points[-1][1].amount == 0
        assert total.points[-1][0] == result.debt_free


def test_the_svg_has_a_line_per_debt_and_says_it_in_words():
    result = _result()
    svg = payoff_svg(result, BabelFormatter("en"), title="Debt-free plan", total_label="All debts")
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert len(re.findall(r"<polyline ", svg)) == len(result.debts) + 1
    assert "<title" in svg
    assert "Debt-free plan" in svg
    assert "<desc" in svg
    assert "All debts: CN¥" in svg
    assert svg == payoff_svg(
        result, BabelFormatter("en"), title="Debt-free plan", total_label="All debts"
    )


def test_the_svg_follows_the_locale():
    zh = BabelFormatter("zh_Hans_CN")
    svg = payoff_svg(_result(), zh, title="还清计划", total_label="全部债务")
    assert "还清计划" in svg
    assert "全部债务" in svg
    assert "年" in svg  # dates in the Chinese form


def test_debtneg_payoff_writes_the_chart(tmp_path):
    from click.testing import CliRunner

    from debtnegotiation.cli import cli

    target = tmp_path / "plan.svg"
    env = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1"}
    done = CliRunner(env=env).invoke(
        cli, ["payoff", str(BUDGET), "--summary", "--chart", str(target)], catch_exceptions=False
    )
    assert done.exit_code == 0, done.output
    svg = target.read_text(encoding="utf-8")
    assert "What is owed, month by month, until debt-free" in svg
    assert svg.count("<polyline ") == 3  # all debts, the platform, the card
    refused = CliRunner(env=env).invoke(
        cli, ["payoff", str(BUDGET), "--chart", str(tmp_path / "plan.png")]
    )
    assert refused.exit_code == 2
    assert "expected a .svg file" in refused.output
