"""``debtneg budget``: the household budget and the surplus for the non-priority debts."""

from __future__ import annotations

from pathlib import Path

import click
from babel.support import Translations

from debtnegotiation.budget import BUDGET_METHOD, BudgetStatement, GuidelineFlag
from debtnegotiation.casefile import CaseFile
from debtnegotiation.cli._common import (
    case_run,
    catalog_for,
    catalog_language,
    echo,
    format_option,
    grid,
    json_text,
    locale_option,
    plugin_host,
    warn,
)
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.messages import label
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
    statement: BudgetStatement,
    fmt: LocaleFormatter,
    priority_claims: list[tuple[str, str]],
    catalog: Translations,
) -> list[list[str]]:
    def col(code: str) -> str:
        return label(catalog, "budget_column", code)

    budget = statement.budget
    rows = [
        [
            col("income"),
            x.label or label(catalog, "income_kind", x.kind.value),
            fmt.money(x.amount),
        ]
        for x in budget.income
    ]
    rows.append([col("income"), col("total_income"), fmt.money(statement.income)])
    rows += [
        [
            col("spending"),
            label(catalog, "spending_category", x.category.value),
            fmt.money(x.amount),
        ]
        for x in budget.expenses
    ]
    rows.append([col("spending"), col("total_spending"), fmt.money(statement.spending)])
    rows += [
        [
            col("priority"),
            label(catalog, "priority_kind", x.kind.value)
            + (": " + x.creditor if x.creditor else ""),
            fmt.money(x.payment),
        ]
        for x in budget.priority
    ]
    rows.append([col("priority"), col("total_priority"), fmt.money(statement.priority)])
    rows.append([col("savings"), col("savings_contribution"), fmt.money(statement.savings)])
    rows.append([col("result"), col("surplus"), fmt.money(statement.surplus)])
    rows += [
        [col("result"), col("priority_claim").format(name=name), amount]
        for name, amount in priority_claims
    ]
    rows.append([col("result"), col("headroom"), fmt.percent(statement.headroom)])
    rows.append([col("result"), col("payment_limit"), fmt.money(statement.payment_limit)])
    return rows


def method_text(method: str, catalog: Translations) -> str:
    """The budget's method in the catalog's language (another method as it is)."""
    if method != BUDGET_METHOD:
        return method
    return catalog.gettext(
        "surplus for non-priority debts (the UK Standard Financial Statement's order): total "
        "income − spending − priority-debt payments − savings contribution"
    )


def flag_text(flag: GuidelineFlag, size: int, fmt: LocaleFormatter, catalog: Translations) -> str:
    """A spending-guideline flag in the catalog's language (English: the engine's words)."""
    if catalog_language(catalog) == "en":
        return flag.message
    return catalog.gettext(
        "%(category)s %(spent)s above the guideline %(guideline)s for a household of "
        "%(size)s (%(source)s) — counsellors may question it"
    ) % {
        "category": label(catalog, "spending_category", flag.category.value),
        "spent": fmt.money(flag.spent),
        "guideline": fmt.money(flag.guideline.amount),
        "size": size,
        "source": flag.guideline.source,
    }


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
    fmt = host.formatter(locale)
    catalog = catalog_for(ctx, locale)
    _ = catalog.gettext
    size = statement.budget.household_size
    flags = [flag_text(flag, size, fmt, catalog) for flag in statement.flags]
    if output_format == "json":
        data = budget_data(statement)
        data["available_for_planned_debts"] = run.portfolio.payoff_budget
        data["method"] = method_text(statement.method, catalog)  # text in the locale
        for entry, message in zip(data["flags"], flags, strict=True):
            entry["message"] = message
        echo(json_text(data))
        return
    shares = run.portfolio.shares
    claims = [
        (c.debt.creditor.name, fmt.money(shares[i]))
        for i, c in enumerate(loaded.claims)
        if c.priority
    ]
    header = [label(catalog, "budget_column", c) for c in ("section", "line", "monthly")]
    text = grid(output_format, header, _rows(statement, fmt, claims, catalog))
    lines = [
        _("Budget for a household of %(size)s (%(method)s).")
        % {"size": size, "method": method_text(statement.method, catalog)},
        "",
        text.rstrip("\n"),
        "",
        _("Available each month for the non-priority debts planned: %(amount)s")
        % {"amount": fmt.money(run.portfolio.payoff_budget)},
    ]
    lines += [_("Note: %(message)s") % {"message": message} for message in flags]
    echo("\n".join(lines))
