"""``debtneg options``, ``plan``, ``letter`` and ``script``: a case file's results."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

import click
from babel.support import Translations

from debtnegotiation.cli._common import (
    EXIT_FAILURE,
    case_argument,
    case_run,
    catalog_for,
    catalog_language,
    creditor_option,
    echo,
    finding_text,
    format_option,
    grid,
    json_text,
    locale_option,
    rate_labeller,
)
from debtnegotiation.cli._documents import OUTPUTS, documents_text
from debtnegotiation.cli._output import chosen_format, emit, output_option
from debtnegotiation.documents import DocumentKind, comparison_csv, write_chart
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.messages import label
from debtnegotiation.negotiation import Negotiation, Options
from debtnegotiation.plugins import PluginHost
from debtnegotiation.proposal import LABEL_CONTEXT
from debtnegotiation.ranking import RankedOption
from debtnegotiation.serialize import to_data
from debtnegotiation.tables import markdown_cell
from debtnegotiation.text import Localizer

__all__ = ["letter", "options", "plan", "script"]


def _one_page(
    output_format: str, negotiations: Sequence[Negotiation], names: Sequence[str], what: str
) -> None:
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


def _plan_text(
    option: RankedOption,
    options: Options,
    fmt: LocaleFormatter,
    catalog: Translations,
    output_format: str,
) -> str:
    _ = catalog.gettext
    rate_label = rate_labeller(catalog)
    plan = option.plan
    debt = options.case.debt
    rate = (
        _("%(rate)s (%(label)s)")
        % {
            "rate": fmt.percent(option.annual_rate.rate),
            "label": rate_label(option.annual_rate.regime),
        }
        if option.annual_rate is not None
        else _("no unique annual rate")
    )
    same = [o for o in options.ranked if o.proposal.strategy == option.proposal.strategy]
    first_due = plan.installments[0].due if plan.installments else plan.start
    # The title is the strategy's own English sentence; other locales name the strategy
    # by its translated label (the figures follow on the next lines).
    name = (
        option.proposal.title
        if catalog_language(catalog) == "en"
        else str(catalog.pgettext(LABEL_CONTEXT, option.proposal.label))
    )
    heading = f"{debt.creditor.name}: {name}"
    gate = _("affordable") if option.affordable else _("NOT affordable")
    facts = [
        _("rank %(rank)s of %(count)s options; %(verdict)s; %(gate)s within %(budget)s a month")
        % {
            "rank": option.rank,
            "count": len(options.ranked),
            "verdict": label(catalog, "verdict", option.proposal.eligibility.value),
            "gate": gate,
            "budget": fmt.money(options.case.monthly_budget),
        },
        _("%(count)s payments from %(first)s to %(last)s (plan starts %(start)s)")
        % {
            "count": plan.number_of_payments,
            "first": fmt.date(first_due),
            "last": fmt.date(plan.end),
            "start": fmt.date(plan.start),
        },
        _(
            "total paid %(total)s; cost above the contract principal %(cost)s; "
            "saving against doing nothing %(saving)s; true annual rate %(rate)s"
        )
        % {
            "total": fmt.money(plan.total_paid),
            "cost": fmt.money(option.cost_above_principal),
            "saving": fmt.money(option.saving),
            "rate": rate,
        },
    ]
    facts += [
        (
            _("upfront: %(kind)s %(amount)s on %(date)s (withheld)")
            if u.withheld
            else _("upfront: %(kind)s %(amount)s on %(date)s")
        )
        % {
            "kind": label(catalog, "upfront_kind", u.kind.value),
            "amount": fmt.money(u.amount),
            "date": fmt.date(u.on),
        }
        for u in plan.upfront
    ]
    facts += [
        _("waived: %(kind)s %(amount)s")
        % {"kind": label(catalog, "waiver_kind", w.kind.value), "amount": fmt.money(w.amount)}
        for w in plan.waivers
    ]
    facts += [
        _("condition: %(condition)s") % {"condition": Localizer(catalog, fmt).say(c)}
        for c in plan.conditions
    ]
    facts += [
        finding_text(f, option, budget=options.case.monthly_budget, fmt=fmt, catalog=catalog)
        for f in option.findings
    ]
    facts += [
        _("evidence to obtain: %(kind)s") % {"kind": label(catalog, "evidence_kind", k.value)}
        for k in option.proposal.evidence_needed
    ]
    if len(same) > 1:
        facts.append(
            _("%(count)s more %(strategy)s option(s): see `debtneg options`")
            % {"count": len(same) - 1, "strategy": option.proposal.strategy}
        )
    header = [
        "#",
        _("due"),
        _("principal"),
        _("interest"),
        _("fee"),
        _("payment"),
        _("balance after"),
    ]
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
        _ = catalog_for(ctx, locale).gettext
        figures = {"creditor": creditor_name, "strategy": name, "why": "; ".join(why)}
        reasons.append(
            (
                _("%(creditor)s: no %(strategy)s plan (%(why)s)")
                if why
                else _("%(creditor)s: no %(strategy)s plan (the strategy proposed nothing)")
            )
            % figures
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
        catalog = catalog_for(ctx, locale)
        parts = [_plan_text(o, n.options(), fmt, catalog, output_format) for n, o in found]
        parts += [f"{r}\n" for r in reasons]
        echo("\n".join(parts))
    if not found:
        ctx.exit(EXIT_FAILURE)
