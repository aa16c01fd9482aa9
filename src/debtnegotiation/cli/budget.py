"""``debtneg budget``: the household budget and the surplus for the non-priority debts."""

from __future__ import annotations

from pathlib import Path

import click

from debtnegotiation.budget import BudgetStatement
from debtnegotiation.casefile import CaseFile
from debtnegotiation.cli._common import (
    case_run,
    echo,
    format_option,
    grid,
    json_text,
    locale_option,
    plugin_host,
    warn,
)
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.payoff_report import budget_data
from debtnegotiation.plugins import PluginHost

__all__ = ["budget", "case_statement"]


def case_statement(case: CaseFile, host: PluginHost) -> BudgetStatement:
    """The case's budget worked out, with the plugins' spending guidelines flagged."""
    household = case.household_budget()
    found = host.spending_guidelines(
        household_size=household.household_size,
        region=household.region,
        currency=household.currency,
    )
    for failure in found.failures:
        warn(str(failure))
    return household.statement(found.items)


def _rows(
    statement: BudgetStatement, fmt: LocaleFormatter, priority_claims: list[tuple[str, str]]
) -> list[list[str]]:
    budget = statement.budget
    rows = [["income", x.label or x.kind.value, fmt.money(x.amount)] for x in budget.income]
    rows.append(["income", "total income", fmt.money(statement.income)])
    rows += [["spending", x.category.value, fmt.money(x.amount)] for x in budget.expenses]
    rows.append(["spending", "total spending", fmt.money(statement.spending)])
    rows += [
        [
            "priority",
            f"{x.kind.value}{': ' + x.creditor if x.creditor else ''}",
            fmt.money(x.payment),
        ]
        for x in budget.priority
    ]
    rows.append(["priority", "total priority payments", fmt.money(statement.priority)])
    rows.append(["savings", "savings contribution", fmt.money(statement.savings)])
    rows.append(["result", "surplus for non-priority debts", fmt.money(statement.surplus)])
    rows += [
        ["result", f"priority debt in the case: {name}", amount] for name, amount in priority_claims
    ]
    rows.append(
        ["result", "headroom (largest plan payment share)", fmt.percent(statement.headroom)]
    )
    rows.append(["result", "largest single plan payment", fmt.money(statement.payment_limit)])
    return rows


@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@locale_option
@format_option("table", "markdown", "json", default="table")
@click.pass_context
def budget(ctx: click.Context, *, case: Path, locale: str, output_format: str) -> None:
    """The household budget of CASE: every line, and the surplus for non-priority debts.

    Spending above a plugin's guideline for the household is flagged, never cut.
    """
    loaded, run = case_run(ctx, case, None)
    host = plugin_host(ctx)
    statement = case_statement(loaded, host)
    if output_format == "json":
        data = budget_data(statement)
        data["available_for_planned_debts"] = run.portfolio.payoff_budget
        echo(json_text(data))
        return
    fmt = host.formatter(locale)
    shares = run.portfolio.shares
    claims = [
        (c.debt.creditor.name, fmt.money(shares[i]))
        for i, c in enumerate(loaded.claims)
        if c.priority
    ]
    text = grid(output_format, ["section", "line", "monthly"], _rows(statement, fmt, claims))
    lines = [
        f"Budget for a household of {statement.budget.household_size} ({statement.method}).",
        "",
        text.rstrip("\n"),
        "",
        (
            "Available each month for the non-priority debts planned: "
            f"{fmt.money(run.portfolio.payoff_budget)}"
        ),
    ]
    lines += [f"Note: {flag.message}" for flag in statement.flags]
    echo("\n".join(lines))
