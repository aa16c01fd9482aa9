"""The payoff planner: fixed cases, negotiated plans, debts that grow, and the command."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation.casefile import load_case
from debtnegotiation.cli import cli
from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.example import EXAMPLE_DATE, example_debts
from debtnegotiation.money import Money
from debtnegotiation.payoff import (
    PayoffDebt,
    PayoffMethod,
    compare_payoffs,
    plan_payoff,
)
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "xian.toml"
BUDGET_EXAMPLE = ROOT / "examples" / "xian-budget.toml"
START = dt.date(2026, 1, 31)


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def debt(name: str, balance: str, rate: Fraction, minimum: str = "0.00") -> PayoffDebt:
    return PayoffDebt(name=name, balance=usd(balance), monthly_rate=rate, minimum=usd(minimum))


def test_a_worked_two_debt_avalanche_by_hand():
    card = debt("card", "100.00", Fraction(2, 100), "10.00")
    loan = debt("loan", "50.00", Fraction(1, 100), "10.00")
    result = plan_payoff([card, loan], usd("60.00"), method=PayoffMethod.AVALANCHE, on=START)
    first = result.months[0]
    # Interest first (2.00 and 0.50), then both minimums, then the rest to the card.
    assert first.interest == (usd("2.00"), usd("0.50"))
    assert first.payments == (usd("50.00"), usd("10.00"))
    assert first.balances == (usd("52.00"), usd("40.50"))
    second = result.months[1]
    assert second.interest == (usd("1.04"), usd("0.41"))  # 0.405 rounds half up
    assert second.payments == (usd("50.00"), usd("10.00"))
    assert result.repaid
    assert result.months_to_repay == 3
    assert result.debt_free == dt.date(2026, 4, 30)  # month ends stay month ends
    assert result.paid_off == (3, 3)  # 3.04 of the card is left after month 2


def test_snowball_pays_the_smallest_balance_first():
    big = debt("big", "1000.00", Fraction(3, 100))
    small = debt("small", "100.00", Fraction(1, 100))
    result = plan_payoff([big, small], usd("150.00"), method=PayoffMethod.SNOWBALL, on=START)
    assert result.months[0].payments == (usd("49.00"), usd("101.00"))
    assert result.paid_off[1] == 1


def test_an_explicit_order_is_followed_and_checked():
    a = debt("a", "100.00", Fraction(0))
    b = debt("b", "100.00", Fraction(5, 100))
    result = plan_payoff(
        [a, b], usd("100.00"), method=PayoffMethod.ORDER, on=START, order=["A", "b"]
    )
    assert result.months[0].payments == (usd("100.00"), usd("0.00"))
    with pytest.raises(ValidationError, match="every debt named exactly once"):
        plan_payoff([a, b], usd("100.00"), method=PayoffMethod.ORDER, on=START, order=["a"])
    with pytest.raises(ValidationError, match="order"):
        plan_payoff([a, b], usd("100.00"), method=PayoffMethod.AVALANCHE, on=START, order=["a"])


def test_pro_rata_shares_by_balance_exactly():
    debts = [debt(n, b, Fraction(0)) for n, b in (("a", "100.00"), ("b", "200.00"), ("c", "0.01"))]
    result = plan_payoff(debts, usd("100.00"), method=PayoffMethod.PRO_RATA, on=START)
    first = result.months[0]
    assert sum(p.amount for p in first.payments) == 100
    assert first.payments == (usd("33.33"), usd("66.67"), usd("0.00"))


def test_a_debt_that_grows_faster_than_the_budget_is_reported():
    runaway = debt("runaway", "10000.00", Fraction(5, 100))
    result = plan_payoff([runaway], usd("100.00"), method=PayoffMethod.AVALANCHE, on=START)
    assert not result.repaid
    assert result.growing == ("runaway",)
    assert result.debt_free is None
    assert result.months_to_repay is None
    assert result.final_balances[0] > usd("10000.00")


def test_minimums_the_budget_cannot_cover_are_a_shortfall():
    a = debt("a", "500.00", Fraction(0), "100.00")
    b = debt("b", "500.00", Fraction(0), "100.00")
    result = plan_payoff([a, b], usd("150.00"), method=PayoffMethod.AVALANCHE, on=START)
    assert result.months[0].shortfall == usd("50.00")
    assert result.months[0].paid == usd("150.00")


def test_a_negotiated_plan_pays_its_schedule_and_then_rolls_into_the_next_debt():
    platform, card = example_debts()
    plan = equal_installment(Money("18600.00", "CNY"), InterestRate.zero(), 12, start=EXAMPLE_DATE)
    agreed = PayoffDebt.from_plan(platform, plan, label="12 months")
    assert agreed.negotiated
    assert agreed.balance == Money("18600.00", "CNY")
    contract = PayoffDebt.from_debt(card, on=EXAMPLE_DATE)
    budget = Money("2000.00", "CNY")
    result = plan_payoff(
        [agreed, contract], budget, method=PayoffMethod.NEGOTIATED, on=EXAMPLE_DATE
    )
    assert result.repaid
    assert result.paid_off[0] == 12
    assert [m.payments[0] for m in result.months[:12]] == [Money("1550.00", "CNY")] * 12
    # After the plan ends, the whole budget goes to the card.
    assert result.months[12].payments[1] == budget
    with pytest.raises(ValidationError, match="negotiated"):
        plan_payoff([agreed, contract], budget, method=PayoffMethod.AVALANCHE, on=EXAMPLE_DATE)


def test_a_contract_debt_grows_at_its_rate_plus_the_penalty_rate_while_overdue():
    platform, card = example_debts()
    overdue = PayoffDebt.from_debt(platform, on=EXAMPLE_DATE)
    current = PayoffDebt.from_debt(card, on=EXAMPLE_DATE)
    assert (
        overdue.monthly_rate == platform.contract_rate.monthly() + platform.penalty_rate.monthly()
    )
    assert current.monthly_rate == card.contract_rate.monthly()
    assert overdue.balance == platform.total_owed


def test_inputs_are_checked_at_the_boundary():
    with pytest.raises(FloatNotAllowedError):
        PayoffDebt(name="a", balance=usd("1.00"), monthly_rate=0.01)
    with pytest.raises(ValidationError, match=r"PayoffDebt\.name"):
        PayoffDebt(name=" ", balance=usd("1.00"))
    with pytest.raises(ValidationError, match=r"PayoffDebt\.minimum"):
        PayoffDebt(name="a", balance=usd("1.00"), minimum=Money("1", "CNY"))
    with pytest.raises(ValidationError, match="a debt in CNY"):
        plan_payoff(
            [debt("a", "1.00", Fraction(0))],
            Money("1", "CNY"),
            method=PayoffMethod.SNOWBALL,
            on=START,
        )
    with pytest.raises(ValidationError, match="name no other debt uses"):
        plan_payoff(
            [debt("a", "1.00", Fraction(0)), debt("A", "1.00", Fraction(0))],
            usd("1.00"),
            method=PayoffMethod.SNOWBALL,
            on=START,
        )
    with pytest.raises(ValidationError, match="max_months"):
        plan_payoff(
            [debt("a", "1.00", Fraction(0))],
            usd("1.00"),
            method=PayoffMethod.SNOWBALL,
            on=START,
            max_months=0,
        )


def test_compare_runs_every_method_on_the_same_debts():
    debts = [
        debt("a", "900.00", Fraction(2, 100), "20.00"),
        debt("b", "300.00", Fraction(1, 100), "20.00"),
    ]
    comparison = compare_payoffs(debts, usd("200.00"), on=START, order=["b", "a"])
    assert [r.method for r in comparison.results] == [
        PayoffMethod.AVALANCHE,
        PayoffMethod.SNOWBALL,
        PayoffMethod.PRO_RATA,
        PayoffMethod.ORDER,
    ]
    assert (
        comparison.result(PayoffMethod.ORDER).total_interest
        == comparison.result(PayoffMethod.SNOWBALL).total_interest
    )


def test_every_option_of_one_debt_moves_the_whole_plan():
    case = load_case(EXAMPLE)
    portfolio = case.portfolio(host=get_plugin_host(load_entry_points=False))
    impacts = portfolio.option_impacts(case.index("Example Installment Platform"))
    contract, *options = impacts
    assert contract.option is None
    assert contract.payoff.method is PayoffMethod.AVALANCHE
    assert [i.option.rank for i in options] == list(range(1, len(options) + 1))
    relief = options[0]
    assert relief.payoff.repaid
    assert relief.payoff.debt_free < contract.payoff.debt_free
    assert relief.payoff.total_cost < contract.payoff.total_cost


def run(*args):
    runner = CliRunner(env={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1", "DEBTNEG_DISABLE_PLUGINS": ""})
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_payoff_command_schedule_summary_and_json():
    result = run("payoff", BUDGET_EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "Plan by avalanche: CN¥1,500.00 a month from Nov 2, 2026." in result.stdout
    assert "Example Bank Credit Card (contract): paid off in month" in result.stdout
    data = json.loads(run("payoff", BUDGET_EXAMPLE, "--format", "json").stdout)
    assert data["repaid"] is True
    assert len(data["schedule"]) == data["months"]
    paid = sum(int(p["amount"].replace(".", "")) for m in data["schedule"] for p in m["payments"])
    assert paid == int(data["total_paid"]["amount"].replace(".", ""))
    brief = json.loads(run("payoff", BUDGET_EXAMPLE, "--summary", "--format", "json").stdout)
    assert "schedule" not in brief


def test_payoff_command_compare_order_and_options():
    result = run(
        "payoff",
        BUDGET_EXAMPLE,
        "--compare",
        "--order",
        "example bank credit card",
        "--order",
        "Example Installment Platform",
        "--format",
        "markdown",
    )
    assert result.exit_code == 0, result.output
    for method in ("avalanche", "snowball", "pro-rata", "order", "negotiated"):
        assert f"| {method} |" in result.stdout
    options = run(
        "payoff", EXAMPLE, "--options", "Example Installment Platform", "--format", "json"
    )
    data = json.loads(options.stdout)
    assert data["options"][0]["option"] is None
    assert len(data["options"]) > 1
    bad = run("payoff", EXAMPLE, "--method", "order")
    assert bad.exit_code == 2
    assert "order" in bad.output


def test_the_case_file_chooses_the_negotiated_option(tmp_path):
    text = BUDGET_EXAMPLE.read_text(encoding="utf-8").replace(
        '[debts.payoff]\nminimum = "800.00"\n',
        '[debts.payoff]\nminimum = "800.00"\noption = "hardship relief"\n',
    )
    case = tmp_path / "case.toml"
    case.write_text(text, encoding="utf-8")
    assert load_case(case).payoff.options == {"Example Installment Platform": "hardship relief"}
    result = run("payoff", case, "--method", "negotiated", "--summary")
    assert result.exit_code == 0, result.output
    assert "'Hardship relief' (chosen in the case file)" in result.stdout
    assert "Example Bank Credit Card (contract)" in result.stdout
    case.write_text(text.replace("hardship relief", "no such option"), encoding="utf-8")
    bad = run("payoff", case, "--method", "negotiated")
    assert bad.exit_code == 2
    assert "[debts.payoff] option of 'Example Installment Platform'" in bad.output
