"""``debtneg options``, ``plan``, ``letter`` and ``script``: a case file's results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

import click

from debtnegotiation.apr import Regime
from debtnegotiation.cli._common import (
    EXIT_FAILURE,
    OUTPUTS,
    case_argument,
    case_run,
    catalog_for,
    creditor_option,
    documents_text,
    echo,
    format_option,
    grid,
    json_text,
    locale_option,
    rate_labeller,
)
from debtnegotiation.cli._output import chosen_format, emit, output_option
from debtnegotiation.documents import DocumentKind, comparison_csv, write_chart
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.negotiation import Negotiation, Options
from debtnegotiation.plugins import PluginHost
from debtnegotiation.ranking import RankedOption
from debtnegotiation.serialize import to_data
from debtnegotiation.tables import markdown_cell

__all__ = ["letter", "options", "plan", "script"]


def _one_page(output_format: str, negotiations: Sequence[Negotiation], names: Sequence[str],
              what: str) -> None:
    # An HTML page (and so a PDF) holds one document; the creditor chooses it.
    if output_format in {"html", "pdf"} and len(negotiations) > 1:
        listed = ", ".join(repr(n) for n in names)
        raise click.UsageError(
            f"an HTML page holds one {what}; choose a debt with --creditor ({listed})"
        )


_CHART_HELP: Final = (
    "Also write the charts (balance over time against doing nothing, total cost per "
    "option) to FILE: .svg, or .png with the [charts] extra (matplotlib)."
)


@click.command()
@case_argument
@creditor_option
@locale_option
@format_option("table", "markdown", "json", "html", "csv", default="table")
@output_option
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help=_CHART_HELP,
)
@click.pass_context
def options(
    ctx: click.Context,
    *,
    case: Path,
    creditor: str | None,
    locale: str,
    output_format: str,
    output: Path | None,
    chart: Path | None,
) -> None:
    """Ranked options for each debt in CASE, with the cost of doing nothing.

    HTML (and PDF) pages show the options' balance over time against doing nothing and
    their total cost as charts; CSV gives the figures as exact decimals for spreadsheets.
    """
    loaded, run = case_run(ctx, case, creditor)
    output_format = chosen_format(
        ctx, output, output_format, ("table", "text", "markdown", "json", "html", "pdf", "csv")
    )
    if chart is not None and chart.suffix.lower() not in {".svg", ".png"}:
        raise click.BadParameter(
            f"expected a file name ending in .svg or .png, got {chart.name!r}",
            param_hint="'--chart'",
        )
    if output_format == "json" and chart is None:
        emit(output, output_format, json_text(run.result()))
        return
    negotiations = run.negotiations()
    if chart is not None and len(negotiations) > 1:
        names = ", ".join(repr(n) for n in loaded.creditors)
        raise click.UsageError(f"a chart shows one debt; choose it with --creditor ({names})")
    _one_page(output_format, negotiations, loaded.creditors, "comparison")
    if output_format == "json":
        text = json_text(run.result())
    elif output_format == "csv":
        text = comparison_csv(negotiations)
    else:
        text = documents_text(
            negotiations,
            (DocumentKind.COMPARISON,),
            host=run.portfolio.host,
            locale=locale,
            output=OUTPUTS["html" if output_format == "pdf" else output_format],
        )
    if chart is not None:
        write_chart(negotiations[0], chart, locale=locale, host=run.portfolio.host)
    emit(output, output_format, text)


def _document_command(kind: DocumentKind, help_text: str) -> click.Command:
    @case_argument
    @creditor_option
    @locale_option
    @format_option("text", "markdown", "html", default="text")
    @output_option
    @click.pass_context
    def command(
        ctx: click.Context,
        *,
        case: Path,
        creditor: str | None,
        locale: str,
        output_format: str,
        output: Path | None,
    ) -> None:
        loaded, run = case_run(ctx, case, creditor)
        output_format = chosen_format(
            ctx, output, output_format, ("text", "markdown", "html", "pdf")
        )
        negotiations = run.negotiations()
        _one_page(output_format, negotiations, loaded.creditors, kind.value)
        text = documents_text(
            negotiations,
            (kind,),
            host=run.portfolio.host,
            locale=locale,
            output=OUTPUTS["html" if output_format == "pdf" else output_format],
        )
        emit(output, output_format, text)

    command.__doc__ = help_text
    return click.command(name=kind.value)(command)


letter = _document_command(
    DocumentKind.LETTER,
    """The request letter for each debt in CASE: the hardship, the ask and the fallback.""",
)
script = _document_command(
    DocumentKind.SCRIPT,
    """The call script for each debt in CASE: the ladder of asks and the four habits.""",
)


def _known_strategies(host: PluginHost, negotiations: Sequence[Negotiation]) -> set[str]:
    # A strategy plugin names its strategy in a module-level STRATEGY (the plugin
    # tutorial's convention), so one that proposed nothing for this case is still known.
    names = (getattr(plugin, "STRATEGY", None) for plugin in host.manager.get_plugins())
    known = {name for name in names if isinstance(name, str)}
    for negotiation in negotiations:
        options = negotiation.options()
        known |= {o.proposal.strategy for o in options.ranked}
        known |= {p.strategy for p in options.unranked}
    return known


#: Eligibility verdicts as the plan text says them.
_ELIGIBILITY_WORDS: Final = {
    "eligible": "eligible",
    "eligible-once-evidence-is-provided": "eligible once the evidence is provided",
    "on-assumed-terms": "on assumed terms (ask the lender for its own)",
    "beyond-stated-terms": "beyond the lender's stated terms (an ask)",
    "not-eligible": "not eligible",
}


def _plan_text(
    option: RankedOption,
    options: Options,
    fmt: LocaleFormatter,
    rate_label: Callable[[Regime], str],
    output_format: str,
) -> str:
    plan = option.plan
    debt = options.case.debt
    rate = (
        f"{fmt.percent(option.annual_rate.rate)} ({rate_label(option.annual_rate.regime)})"
        if option.annual_rate is not None
        else "no unique annual rate"
    )
    same = [o for o in options.ranked if o.proposal.strategy == option.proposal.strategy]
    first_due = plan.installments[0].due if plan.installments else plan.start
    heading = f"{debt.creditor.name}: {option.proposal.title}"
    gate = "affordable" if option.affordable else "NOT affordable"
    facts = [
        (
            f"rank {option.rank} of {len(options.ranked)} options; "
            f"{_ELIGIBILITY_WORDS[option.proposal.eligibility.value]}; {gate} "
            f"within {fmt.money(options.case.monthly_budget)} a month"
        ),
        (
            f"{plan.number_of_payments} payments from {fmt.date(first_due)} to "
            f"{fmt.date(plan.end)} (plan starts {fmt.date(plan.start)})"
        ),
        (
            f"total paid {fmt.money(plan.total_paid)}; cost above the contract principal "
            f"{fmt.money(option.cost_above_principal)}; saving against doing nothing "
            f"{fmt.money(option.saving)}; true annual rate {rate}"
        ),
    ]
    facts += [
        f"upfront: {u.kind.value} {fmt.money(u.amount)} on {fmt.date(u.on)}"
        + (" (withheld)" if u.withheld else "")
        for u in plan.upfront
    ]
    facts += [f"waived: {w.kind.value} {fmt.money(w.amount)}" for w in plan.waivers]
    facts += [f"condition: {c}" for c in plan.conditions]
    facts += [f"{f.severity.name}: {f.message}" for f in option.findings]
    facts += [f"evidence to obtain: {k.value}" for k in option.proposal.evidence_needed]
    if len(same) > 1:
        facts.append(
            f"{len(same) - 1} more {option.proposal.strategy} option(s): see `debtneg options`"
        )
    header = ["#", "due", "principal", "interest", "fee", "payment", "balance after"]
    rows = [
        [
            str(i.seq),
            fmt.date(i.due),
            fmt.money(i.principal),
            fmt.money(i.interest),
            fmt.money(i.fee),
            fmt.money(i.total),
            fmt.money(i.balance_after),
        ]
        for i in plan.installments
    ]
    if output_format == "markdown":
        lines = [f"## {markdown_cell(heading)}", "", *(f"- {markdown_cell(f)}" for f in facts)]
    else:
        lines = [heading, *(f"  {f}" for f in facts)]
    return "\n".join([*lines, "", grid(output_format, header, rows)])


@click.command()
@case_argument
@click.option("--strategy", required=True, metavar="NAME", help="The strategy, e.g. extension.")
@creditor_option
@locale_option
@format_option("table", "markdown", "json", default="table")
@click.pass_context
def plan(
    ctx: click.Context,
    *,
    case: Path,
    strategy: str,
    creditor: str | None,
    locale: str,
    output_format: str,
) -> None:
    """The repayment schedule a strategy proposes for each debt in CASE.

    Shows the best-ranked plan of the strategy; exit status 1 when it has no plan for
    any debt (its reasons are printed).
    """
    _case, run = case_run(ctx, case, creditor)
    negotiations = run.negotiations()
    name = strategy.strip().lower()
    known = _known_strategies(run.portfolio.host, negotiations)
    if name not in known:
        raise click.BadParameter(
            f"unknown strategy {strategy!r}; known strategies: {', '.join(sorted(known))}",
            param_hint="--strategy",
        )
    fmt = run.portfolio.host.formatter(locale)
    found: list[tuple[Negotiation, RankedOption]] = []
    reasons: list[str] = []
    for negotiation in negotiations:
        options = negotiation.options()
        mine = [o for o in options.ranked if o.proposal.strategy == name]
        if mine:
            found.append((negotiation, mine[0]))
            continue
        creditor_name = negotiation.case.debt.creditor.name
        why = [r for p in options.unranked if p.strategy == name for r in p.reasons]
        reasons.append(
            f"{creditor_name}: no {name} plan"
            + (f" ({'; '.join(why)})" if why else " (the strategy proposed nothing)")
        )
    if output_format == "json":
        echo(
            json_text(
                {
                    "strategy": name,
                    "plans": [
                        {"creditor": n.case.debt.creditor.name, **to_data(o)} for n, o in found
                    ],
                    "not_offered": reasons,
                }
            )
        )
    else:
        rate_label = rate_labeller(catalog_for(ctx, locale))
        parts = [_plan_text(o, n.options(), fmt, rate_label, output_format) for n, o in found]
        parts += [f"{r}\n" for r in reasons]
        echo("\n".join(parts))
    if not found:
        ctx.exit(EXIT_FAILURE)
