"""The household budget: every line, the surplus, priority debts, flagged guidelines."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation.budget import (
    Budget,
    IncomeKind,
    IncomeLine,
    PriorityDebt,
    PriorityKind,
    SpendingCategory,
    SpendingGuideline,
    SpendingLine,
)
from debtnegotiation.casefile import CaseFileError, load_case, loads_case
from debtnegotiation.cli import CliState, cli
from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.example import example_borrower
from debtnegotiation.money import Money
from debtnegotiation.plugin import hookimpl
from debtnegotiation.plugins import get_plugin_host

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "xian.toml"
BUDGET_EXAMPLE = ROOT / "examples" / "xian-budget.toml"
ISOLATED = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1", "DEBTNEG_DISABLE_PLUGINS": ""}


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


class FoodGuidelines:
    """A test plugin: one food guideline per household size (figures made up for tests).

    The real hook would carry published figures, such as the IRS Collection Financial
    Standards; the tests need only the mechanics, so the figures here are invented.
    """

    @hookimpl
    def debtneg_spending_guidelines(self, household_size, currency):
        if currency != "CNY":
            return None
        return [
            SpendingGuideline(
                category=SpendingCategory.FOOD,
                amount=cny("450.00") * household_size,
                household_size=household_size,
                source="test guideline table, effective 2026-04-06",
            )
        ]


def test_the_surplus_shows_every_line():
    budget = Budget(
        currency="CNY",
        household_size=3,
        income=[
            IncomeLine(kind=IncomeKind.WAGES, amount=cny("5200.00")),
            IncomeLine(kind=IncomeKind.HOUSEHOLD, amount=cny("800.00"), label="partner"),
        ],
        expenses=[
            SpendingLine(category=SpendingCategory.FOOD, amount=cny("1620.00")),
            SpendingLine(category=SpendingCategory.TRANSPORT, amount=cny("300.00")),
        ],
        priority=[
            PriorityDebt(kind=PriorityKind.UTILITIES, creditor="Grid", payment=cny("100.00")),
            PriorityDebt(kind=PriorityKind.HOUSING_LOAN, creditor="Bank", payment=cny("2000.00")),
        ],
        savings=cny("200.00"),
        headroom=Decimal("0.80"),
    )
    statement = budget.statement()
    assert statement.income == cny("6000.00")
    assert statement.spending == cny("1920.00")
    assert statement.priority == cny("2100.00")
    assert statement.surplus == cny("1780.00")
    assert statement.available == cny("1780.00")
    assert statement.payment_limit == cny("1424.00")
    # The housing loan is listed (and paid) first, whatever order it was given in.
    assert [p.kind for p in budget.priority] == [PriorityKind.HOUSING_LOAN, PriorityKind.UTILITIES]


def test_a_budget_that_does_not_balance_leaves_nothing_for_the_debts():
    budget = Budget(
        currency="CNY",
        income=[IncomeLine(kind=IncomeKind.BENEFITS, amount=cny("1000.00"))],
        expenses=[SpendingLine(category=SpendingCategory.HOUSING, amount=cny("1200.00"))],
    )
    statement = budget.statement()
    assert statement.surplus == cny("-200.00")
    assert statement.available == cny("0.00")


def test_hook_debtneg_spending_guidelines_are_flagged_not_imposed():
    budget = Budget(
        currency="CNY",
        household_size=3,
        income=[IncomeLine(kind=IncomeKind.WAGES, amount=cny("6000.00"))],
        expenses=[SpendingLine(category=SpendingCategory.FOOD, amount=cny("1620.00"))],
    )
    host = get_plugin_host(plugins=[FoodGuidelines()], load_entry_points=False)
    found = host.spending_guidelines(household_size=3, region=None, currency="CNY")
    assert found.failures == ()
    statement = budget.statement(found.items)
    assert statement.spending == cny("1620.00")  # unchanged
    (flag,) = statement.flags
    assert flag.category is SpendingCategory.FOOD
    assert "food 1620.00 above the guideline 1350.00 for a household of 3" in flag.message
    assert "counsellors may question it" in flag.message
    # Within the guideline: no flag.
    lean = Budget(
        currency="CNY",
        household_size=3,
        expenses=[SpendingLine(category=SpendingCategory.FOOD, amount=cny("1350.00"))],
    )
    assert lean.statement(found.items).flags == ()


def test_a_regional_guideline_wins_over_the_national_one():
    national = SpendingGuideline(
        category=SpendingCategory.FOOD, amount=cny("400.00"), household_size=1, source="n"
    )
    regional = SpendingGuideline(
        category=SpendingCategory.FOOD,
        amount=cny("600.00"),
        household_size=1,
        source="r",
        region="CN-SN",
    )
    budget = Budget(
        currency="CNY",
        region="CN-SN",
        expenses=[SpendingLine(category=SpendingCategory.FOOD, amount=cny("500.00"))],
    )
    assert budget.statement([national, regional]).flags == ()
    assert len(budget.statement([national]).flags) == 1


def test_a_failing_guideline_plugin_is_reported_by_name():
    class Broken:
        @hookimpl
        def debtneg_spending_guidelines(self):
            raise RuntimeError("boom")

    host = get_plugin_host(plugins=[Broken(), FoodGuidelines()], load_entry_points=False)
    found = host.spending_guidelines(household_size=2, region=None, currency="CNY")
    assert len(found.items) == 1
    assert len(found.failures) == 1
    assert "boom" in str(found.failures[0])


def test_bad_values_name_the_field():
    with pytest.raises(FloatNotAllowedError):
        IncomeLine(kind=IncomeKind.WAGES, amount=1.5)
    with pytest.raises(ValidationError, match=r"Budget\.household_size"):
        Budget(currency="CNY", household_size=0)
    with pytest.raises(ValidationError, match=r"Budget\.headroom"):
        Budget(currency="CNY", headroom="1.5")
    with pytest.raises(ValidationError, match=r"Budget.income\[0\]"):
        Budget(currency="CNY", income=[IncomeLine(kind=IncomeKind.WAGES, amount=Money("1", "USD"))])


def test_from_borrower_and_back_gives_the_same_surplus():
    borrower = example_borrower()
    budget = Budget.from_borrower(borrower)
    assert budget.statement().surplus == borrower.affordability().surplus
    assert budget.borrower(borrower).affordability().surplus == borrower.affordability().surplus


def test_existing_case_files_read_as_before():
    case = load_case(EXAMPLE)
    assert case.budget is None
    assert case.household_budget().statement().surplus == case.borrower.affordability().surplus


def test_the_budget_keys_of_a_case_file():
    case = load_case(BUDGET_EXAMPLE)
    assert case.budget is not None
    assert [x.kind for x in case.budget.income] == [IncomeKind.WAGES, IncomeKind.BENEFITS]
    assert case.budget.household_size == 2
    assert case.borrower.affordability().sustainable_payment == cny("1500.00")
    assert case.payoff.minimums == {
        "Example Installment Platform": cny("800.00"),
        "Example Bank Credit Card": cny("600.00"),
    }


def _with_budget(budget: str) -> str:
    return (EXAMPLE.read_text(encoding="utf-8") + "\n" + budget).replace(
        '[borrower.expenses]\nhousing = "1200.00"\nfood = "900.00"\nutilities = "200.00"\n'
        'transport = "150.00"\nhealth = "100.00"\n',
        "",
    )


def test_income_lines_must_add_up_to_the_monthly_income():
    text = _with_budget('[budget]\n[[budget.income]]\nkind = "wages"\namount = "4000.00"\n')
    with pytest.raises(CaseFileError, match=r"budget\.income: expected lines adding up to"):
        loads_case(text, suffix=".toml", origin="case.toml")


def test_priority_lines_reduce_the_sustainable_payment():
    text = _with_budget(
        '[budget]\n[[budget.priority]]\nkind = "rent"\ncreditor = "Landlord"\npayment = "300.00"\n'
    )
    case = loads_case(text, suffix=".toml", origin="case.toml")
    assert case.borrower.affordability().sustainable_payment == cny("3750.00")
    text = _with_budget("[budget]\nhousehold_size = 0\n")
    with pytest.raises(CaseFileError, match=r"budget\.household_size"):
        loads_case(text, suffix=".toml", origin="case.toml")


def test_expenses_in_two_places_are_refused():
    text = EXAMPLE.read_text(encoding="utf-8") + '\n[budget.expenses]\nfood = "100.00"\n'
    with pytest.raises(CaseFileError, match=r"no borrower\.expenses when budget\.expenses"):
        loads_case(text, suffix=".toml", origin="case.toml")


def run(*args, obj=None):
    runner = CliRunner(env=ISOLATED)
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, obj=obj)


def test_budget_command_table_and_json():
    result = run("budget", BUDGET_EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "surplus for non-priority debts         CN¥1,500.00" in result.stdout
    assert "unemployment insurance benefit" in result.stdout
    data = json.loads(run("budget", BUDGET_EXAMPLE, "--format", "json").stdout)
    assert data["surplus"] == {"amount": "1500.00", "currency": "CNY"}
    assert data["payment_limit"] == {"amount": "1350.00", "currency": "CNY"}
    assert [x["kind"] for x in data["income"]] == ["wages", "benefits"]


def test_budget_command_flags_spending_above_a_plugin_guideline():
    result = run("budget", BUDGET_EXAMPLE, obj=CliState(plugins=(FoodGuidelines(),)))
    assert result.exit_code == 0, result.output
    assert "Note: food 900.00 above the guideline 900.00" not in result.stdout
    assert "Note:" not in result.stdout  # 900 for two is at the guideline, not above
    markdown = run(
        "budget", EXAMPLE, "--format", "markdown", obj=CliState(plugins=(FoodGuidelines(),))
    )
    assert "Note: food 900.00 above the guideline 450.00 for a household of 1" in markdown.stdout
