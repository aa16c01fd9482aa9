"""``debtneg payoff``: the plan across every debt, month by month, and its comparisons."""

from __future__ import annotations

from pathlib import Path

import click
from babel.support import Translations

from debtnegotiation.casefile import CaseFile
from debtnegotiation.cli._common import (
    CaseRun,
    InputError,
    case_run,
    catalog_for,
    catalog_language,
    echo,
    format_option,
    grid,
    json_text,
    locale_option,
    plugin_host,
)
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.messages import label
from debtnegotiation.payoff import (
    PayoffComparison,
    PayoffDebt,
    PayoffMethod,
    PayoffResult,
    compare_payoffs,
    plan_payoff,
)
from debtnegotiation.payoff_chart import payoff_svg
from debtnegotiation.payoff_report import comparison_data, impacts_data, payoff_data
from debtnegotiation.portfolio import OptionImpact
from debtnegotiation.proposal import LABEL_CONTEXT

__all__ = ["payoff"]


def _col(catalog: Translations, code: str) -> str:
    return label(catalog, "payoff_column", code)


def _method(catalog: Translations, method: PayoffMethod) -> str:
    return label(catalog, "payoff_method", method.value)


def _label(catalog: Translations, text: str) -> str:
    """A proposal's label in the catalog's language (plugins' catalogs merged in)."""
    return str(catalog.pgettext(LABEL_CONTEXT, text)) if text else text


def _negotiated(
    case: CaseFile, run: CaseRun, catalog: Translations
) -> tuple[dict[str, PayoffDebt], list[str]]:
    """The negotiated plans the case file chooses (each debt's best when it names none)."""
    _ = catalog.gettext
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
            notes.append(
                _("%(name)s: the engine's best option, %(label)s")
                % {"name": name, "label": repr(_label(catalog, option.proposal.label))}
            )
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
            notes.append(
                _("%(name)s: %(label)s (chosen in the case file)")
                % {"name": name, "label": repr(_label(catalog, option.proposal.label))}
            )
        chosen[name] = PayoffDebt.from_plan(claim.debt, option.plan, label=option.proposal.label)
    return chosen, notes


def _when(result: PayoffResult, fmt: LocaleFormatter, catalog: Translations) -> str:
    if result.debt_free is None:
        return _col(catalog, "not_repaid")
    return fmt.date(result.debt_free)


def _summary_rows(
    results: list[tuple[str, PayoffResult]], fmt: LocaleFormatter, catalog: Translations
) -> list[list[str]]:
    return [
        [
            name,
            _when(r, fmt, catalog),
            str(r.months_to_repay) if r.months_to_repay is not None else "-",
            fmt.money(r.total_paid),
            fmt.money(r.total_interest),
            fmt.money(r.total_fees),
            fmt.money(r.total_shortfall),
        ]
        for name, r in results
    ]


_SUMMARY_HEADER = ("plan", "debt_free", "months", "total_paid", "interest", "fees", "shortfall")


def _summary_header(catalog: Translations) -> list[str]:
    return [_col(catalog, c) for c in _SUMMARY_HEADER]


def _warnings(result: PayoffResult, fmt: LocaleFormatter, catalog: Translations) -> list[str]:
    english = catalog_language(catalog) == "en"
    money = str if english else fmt.money  # English keeps the engine's figures as they were
    _ = catalog.gettext
    method = _method(catalog, result.method)
    lines = []
    if result.growing:
        text = catalog.ngettext(
            "Warning (%(method)s): not repaid — %(names)s grows faster than the budget pays, "
            "or the plan passes %(months)s months; owed at the end: %(owed)s",
            "Warning (%(method)s): not repaid — %(names)s grow faster than the budget pays, "
            "or the plan passes %(months)s months; owed at the end: %(owed)s",
            len(result.growing),
        )
        lines.append(
            text
            % {
                "method": method,
                "names": ", ".join(result.growing),
                "months": len(result.months),
                "owed": ", ".join(money(b) for b in result.final_balances),
            }
        )
    if result.total_shortfall.amount > 0:
        lines.append(
            _(
                "Warning (%(method)s): the budget misses fixed payments or minimums of "
                "%(shortfall)s in all"
            )
            % {"method": method, "shortfall": money(result.total_shortfall)}
        )
    return lines


def _schedule(
    result: PayoffResult, fmt: LocaleFormatter, output_format: str, catalog: Translations
) -> str:
    header = [
        _col(catalog, "month"),
        _col(catalog, "date"),
        *(d.name for d in result.debts),
        _col(catalog, "paid"),
        _col(catalog, "owed_after"),
    ]
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


def _impacts(
    impacts: tuple[OptionImpact, ...],
    fmt: LocaleFormatter,
    output_format: str,
    catalog: Translations,
) -> str:
    rows = [
        [
            _col(catalog, "contract_terms")
            if i.option is None
            else f"#{i.option.rank} {_label(catalog, i.option.proposal.label)}",
            _when(i.payoff, fmt, catalog),
            str(i.payoff.months_to_repay) if i.payoff.repaid else "-",
            fmt.money(i.payoff.total_paid),
            fmt.money(i.payoff.total_cost),
            fmt.money(i.payoff.total_shortfall),
        ]
        for i in impacts
    ]
    codes = ("if_agreed", "debt_free", "months", "total_paid", "cost", "shortfall")
    header = [_col(catalog, c) for c in codes]
    return grid(output_format, header, rows)


def _plan_lines(
    result: PayoffResult,
    *,
    chosen: PayoffMethod,
    notes: list[str],
    case: CaseFile,
    fmt: LocaleFormatter,
    output_format: str,
    catalog: Translations,
) -> list[str]:
    """The heading, summary table and each debt's payoff month of one plan."""
    _ = catalog.gettext
    budget = result.budget
    method_name = _method(catalog, chosen)
    rows = _summary_rows([(method_name, result)], fmt, catalog)
    lines = [
        _("Plan by %(method)s: %(budget)s a month from %(date)s.")
        % {"method": method_name, "budget": fmt.money(budget), "date": fmt.date(case.on)},
        "",
        grid(output_format, _summary_header(catalog), rows).rstrip("\n"),
        "",
    ]
    lines += [_("Negotiated: %(note)s") % {"note": n} for n in notes]
    for i, debt in enumerate(result.debts):
        month = result.paid_off[i]
        when = (
            _("paid off in month %(month)s") % {"month": month}
            if month is not None
            else _("not paid off")
        )
        terms = _label(catalog, debt.label) if debt.label else _col(catalog, "contract")
        lines.append(f"- {debt.name} ({terms}): {when}")
    return lines


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
@click.option(
    "--chart",
    "chart",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.svg",
    help="Also write the payoff timeline (each debt's balance and all of them, month by "
    "month) to FILE.svg.",
)
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
    chart: Path | None,
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
    catalog = catalog_for(ctx, locale)
    _ = catalog.gettext
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
        heading = _(
            "What each option for %(creditor)s does to the whole plan (%(budget)s a month; "
            "the other debts on contract terms, avalanche):"
        ) % {"creditor": impacts[0].creditor, "budget": fmt.money(budget)}
        echo(heading + "\n\n" + _impacts(impacts, fmt, output_format, catalog))
        return
    if compare:
        negotiated, notes = _negotiated(loaded, run, catalog)
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
        named = [(_method(catalog, r.method), r) for r in comparison.results]
        rows = _summary_rows(named, fmt, catalog)
        heading = _("Every method with %(budget)s a month from %(date)s:") % {
            "budget": fmt.money(budget),
            "date": fmt.date(loaded.on),
        }
        lines = [heading, ""]
        lines.append(grid(output_format, _summary_header(catalog), rows).rstrip("\n"))
        lines += [""] + [_("Negotiated: %(note)s") % {"note": n} for n in notes] if notes else []
        for r in comparison.results:
            lines += _warnings(r, fmt, catalog)
        echo("\n".join(lines))
        return
    chosen = PayoffMethod(method) if method is not None else settings.method
    notes = []
    these = list(debts)
    if chosen is PayoffMethod.NEGOTIATED:
        negotiated, notes = _negotiated(loaded, run, catalog)
        these = [negotiated.get(d.name, d) for d in debts]
    result = plan_payoff(
        these,
        budget,
        method=chosen,
        on=loaded.on,
        order=explicit if chosen is PayoffMethod.ORDER else None,
        max_months=settings.max_months,
    )
    if chart is not None:
        _write_chart(chart, result, fmt, catalog)
    if output_format == "json":
        echo(json_text(payoff_data(result, schedule=not summary)))
        return
    lines = _plan_lines(
        result,
        chosen=chosen,
        notes=notes,
        case=loaded,
        fmt=fmt,
        output_format=output_format,
        catalog=catalog,
    )
    lines += _warnings(result, fmt, catalog)
    if not summary:
        lines += ["", _schedule(result, fmt, output_format, catalog).rstrip("\n")]
    echo("\n".join(lines))


def _write_chart(
    path: Path, result: PayoffResult, fmt: LocaleFormatter, catalog: Translations
) -> None:
    """Write the payoff timeline of *result* as SVG to *path* (only .svg is drawn here)."""
    if path.suffix.lower() != ".svg":
        raise click.BadParameter(f"expected a .svg file, got {path.name!r}", param_hint="--chart")
    _ = catalog.gettext
    svg = payoff_svg(
        result,
        fmt,
        title=_("What is owed, month by month, until debt-free"),
        total_label=_("All debts"),
    )
    try:
        path.write_text(svg, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot write the chart: {error.strerror}") from None
