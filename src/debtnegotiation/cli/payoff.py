"""``debtneg payoff``: the plan across every debt, month by month, and its comparisons."""

from __future__ import annotations

from pathlib import Path

import click

from debtnegotiation.casefile import CaseFile
from debtnegotiation.cli._common import (
    CaseRun,
    case_run,
    echo,
    format_option,
    grid,
    json_text,
    locale_option,
    plugin_host,
)
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.payoff import (
    PayoffComparison,
    PayoffDebt,
    PayoffMethod,
    PayoffResult,
    compare_payoffs,
    plan_payoff,
)
from debtnegotiation.payoff_report import comparison_data, impacts_data, payoff_data
from debtnegotiation.portfolio import OptionImpact

__all__ = ["payoff"]


def _negotiated(case: CaseFile, run: CaseRun) -> tuple[dict[str, PayoffDebt], list[str]]:
    """The negotiated plans the case file chooses (each debt's best when it names none)."""
    chosen: dict[str, PayoffDebt] = {}
    notes: list[str] = []
    named = {k.casefold(): v for k, v in case.payoff.options.items()}
    for index, claim in enumerate(case.claims):
        if claim.priority:
            continue
        name = claim.debt.creditor.name
        options = run.portfolio.negotiation(index).options()
        wanted = named.get(name.casefold())
        if wanted is None:
            if named:
                continue  # the file chooses options for some debts: the rest stay on contract
            option = options.best
            if option is None:
                continue
            notes.append(f"{name}: the engine's best option, {option.proposal.label!r}")
        else:
            found = [
                o
                for o in options.ranked
                if wanted.casefold() in {o.proposal.label.casefold(), o.proposal.strategy}
            ]
            if not found:
                known = ", ".join(repr(o.proposal.label) for o in options.ranked)
                raise click.UsageError(
                    f"{case.path}: [debts.payoff] option of {name!r}: expected one of "
                    f"{known}, got {wanted!r}"
                )
            option = found[0]
            notes.append(f"{name}: {option.proposal.label!r} (chosen in the case file)")
        chosen[name] = PayoffDebt.from_plan(claim.debt, option.plan, label=option.proposal.label)
    return chosen, notes


def _when(result: PayoffResult, fmt: LocaleFormatter) -> str:
    if result.debt_free is None:
        return "not repaid"
    return fmt.date(result.debt_free)


def _summary_rows(results: list[tuple[str, PayoffResult]], fmt: LocaleFormatter) -> list[list[str]]:
    return [
        [
            name,
            _when(r, fmt),
            str(r.months_to_repay) if r.months_to_repay is not None else "-",
            fmt.money(r.total_paid),
            fmt.money(r.total_interest),
            fmt.money(r.total_fees),
            fmt.money(r.total_shortfall),
        ]
        for name, r in results
    ]


_SUMMARY_HEADER = ["plan", "debt-free", "months", "total paid", "interest", "fees", "shortfall"]


def _warnings(result: PayoffResult) -> list[str]:
    lines = []
    if result.growing:
        names = ", ".join(result.growing)
        lines.append(
            f"Warning ({result.method.value}): not repaid — {names} "
            f"{'grows' if len(result.growing) == 1 else 'grow'} faster than the budget pays, "
            f"or the plan passes {len(result.months)} months; owed at the end: "
            + ", ".join(str(b) for b in result.final_balances)
        )
    if result.total_shortfall.amount > 0:
        lines.append(
            f"Warning ({result.method.value}): the budget misses fixed payments or minimums "
            f"of {result.total_shortfall} in all"
        )
    return lines


def _schedule(result: PayoffResult, fmt: LocaleFormatter, output_format: str) -> str:
    header = ["month", "date", *(d.name for d in result.debts), "paid", "owed after"]
    rows = [
        [
            str(m.month),
            fmt.date(m.due),
            *(fmt.money(p) for p in m.payments),
            fmt.money(m.paid),
            fmt.money(sum(m.balances[1:], m.balances[0])),
        ]
        for m in result.months
    ]
    return grid(output_format, header, rows)


def _impacts(impacts: tuple[OptionImpact, ...], fmt: LocaleFormatter, output_format: str) -> str:
    rows = [
        [
            "contract terms" if i.option is None else f"#{i.option.rank} {i.option.proposal.label}",
            _when(i.payoff, fmt),
            str(i.payoff.months_to_repay) if i.payoff.repaid else "-",
            fmt.money(i.payoff.total_paid),
            fmt.money(i.payoff.total_cost),
            fmt.money(i.payoff.total_shortfall),
        ]
        for i in impacts
    ]
    header = ["if agreed", "debt-free", "months", "total paid", "interest and fees", "shortfall"]
    return grid(output_format, header, rows)


@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--method",
    type=click.Choice([m.value for m in PayoffMethod]),
    help="Where money beyond the minimums goes (default: the case file's [payoff] method, "
    "else avalanche).",
)
@click.option(
    "--order",
    "order",
    multiple=True,
    metavar="NAME",
    help="For --method order: a creditor's name, first paid first; repeat for each debt.",
)
@click.option("--compare", is_flag=True, help="Every method side by side instead of one plan.")
@click.option(
    "--options",
    "options_of",
    metavar="CREDITOR",
    help="For every ranked option of this debt: the whole plan's debt-free date and cost.",
)
@click.option("--summary", is_flag=True, help="Leave out the month-by-month schedule.")
@locale_option
@format_option("table", "markdown", "json", default="table")
@click.pass_context
def payoff(
    ctx: click.Context,
    *,
    case: Path,
    method: str | None,
    order: tuple[str, ...],
    compare: bool,
    options_of: str | None,
    summary: bool,
    locale: str,
    output_format: str,
) -> None:
    """Plan every non-priority debt in CASE month by month with the budget's surplus.

    Exact to the minor unit: the schedule, the debt-free date, total interest and fees.
    A debt the budget cannot pay down is reported, not hidden.
    """
    loaded, run = case_run(ctx, case, None)
    portfolio = run.portfolio
    settings = loaded.payoff
    fmt = plugin_host(ctx).formatter(locale)
    budget = portfolio.payoff_budget
    debts = portfolio.payoff_debts(minimums=settings.minimums, monthly_fees=settings.monthly_fees)
    if not debts:
        raise click.UsageError(f"{case}: no non-priority debt to plan")
    explicit = list(order) or (list(settings.order) if settings.order else None)
    if options_of is not None:
        impacts = portfolio.option_impacts(
            loaded.index(options_of),
            minimums=settings.minimums,
            monthly_fees=settings.monthly_fees,
            max_months=settings.max_months,
        )
        if output_format == "json":
            echo(json_text(impacts_data(impacts)))
            return
        echo(
            f"What each option for {impacts[0].creditor} does to the whole plan "
            f"({fmt.money(budget)} a month; the other debts on contract terms, avalanche):\n\n"
            + _impacts(impacts, fmt, output_format)
        )
        return
    if compare:
        negotiated, notes = _negotiated(loaded, run)
        comparison: PayoffComparison = compare_payoffs(
            debts,
            budget,
            on=loaded.on,
            order=explicit,
            negotiated=negotiated or None,
            max_months=settings.max_months,
        )
        if output_format == "json":
            echo(json_text(comparison_data(comparison)))
            return
        rows = _summary_rows([(r.method.value, r) for r in comparison.results], fmt)
        lines = [f"Every method with {fmt.money(budget)} a month from {fmt.date(loaded.on)}:", ""]
        lines.append(grid(output_format, _SUMMARY_HEADER, rows).rstrip("\n"))
        lines += [""] + [f"Negotiated: {n}" for n in notes] if notes else []
        for r in comparison.results:
            lines += _warnings(r)
        echo("\n".join(lines))
        return
    chosen = PayoffMethod(method) if method is not None else settings.method
    notes = []
    these = list(debts)
    if chosen is PayoffMethod.NEGOTIATED:
        negotiated, notes = _negotiated(loaded, run)
        these = [negotiated.get(d.name, d) for d in debts]
    result = plan_payoff(
        these,
        budget,
        method=chosen,
        on=loaded.on,
        order=explicit if chosen is PayoffMethod.ORDER else None,
        max_months=settings.max_months,
    )
    if output_format == "json":
        echo(json_text(payoff_data(result, schedule=not summary)))
        return
    lines = [
        f"Plan by {chosen.value}: {fmt.money(budget)} a month from {fmt.date(loaded.on)}.",
        "",
        grid(output_format, _SUMMARY_HEADER, _summary_rows([(chosen.value, result)], fmt)).rstrip(
            "\n"
        ),
        "",
    ]
    lines += [f"Negotiated: {n}" for n in notes]
    for i, debt in enumerate(result.debts):
        month = result.paid_off[i]
        when = f"paid off in month {month}" if month is not None else "not paid off"
        lines.append(f"- {debt.name} ({debt.label or 'contract'}): {when}")
    lines += _warnings(result)
    if not summary:
        lines += ["", _schedule(result, fmt, output_format).rstrip("\n")]
    echo("\n".join(lines))
