"""The ``debtneg`` command: the library for people who do not write Python.

Subcommands read a case file (:mod:`debtnegotiation.casefile`), run the negotiation
engine and print the result as a table, Markdown or JSON, or render a document (letter,
call script, comparison) in the reader's locale through :mod:`debtnegotiation.documents`.
``debtneg log`` keeps the negotiation log (:mod:`debtnegotiation.negotiation_log`).
Plugins add subcommands through the ``debtneg_cli_commands`` hook.

Exit codes (documented in ``docs/reference/cli.rst``):

* :data:`EXIT_OK` (0): done;
* :data:`EXIT_FAILURE` (1): the inputs were fine but the answer is "no": a log or bundle
  that does not verify, a strategy that made no plan for the case, cash flows without a
  unique annual rate, a log that cannot be used;
* :data:`EXIT_USAGE` (2): bad usage or bad input: an unknown option or strategy, a case
  file with a bad key, an invalid value, a locale without a catalog;
* :data:`EXIT_PLUGIN` (3): a plugin failed and ``--strict-plugins`` is on, a plugin
  command clashed with another command in strict mode, or an essential plugin was blocked;
* :data:`EXIT_INTERNAL` (70, ``EX_SOFTWARE``): a bug; the message says how to get the
  traceback (``DEBTNEG_DEBUG=1``).

Errors are one line on standard error, never a traceback. The command's own headings are
English; everything a borrower shows a lender (documents, labels, money, dates, rates) is
in the chosen locale.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import sys
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs
import click
from babel.support import Translations

from debtnegotiation._validate import to_decimal
from debtnegotiation.apr import AnnualRate, Regime, annual_rate
from debtnegotiation.casefile import CaseFile, CaseFileError, load_case, parse_regime
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.demo import example_portfolio
from debtnegotiation.documents import LABEL_GROUPS, DocumentKind, OutputFormat, render_document
from debtnegotiation.errors import DebtNegotiationError, ValidationError
from debtnegotiation.findings import Finding
from debtnegotiation.formatting import LocaleFormatter, parse_locale
from debtnegotiation.i18n import CatalogNotFoundError, translations
from debtnegotiation.messages import GROUPS
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Ladder, Negotiation, Options
from debtnegotiation.negotiation_log import (
    Channel,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Contact,
    CorrectedEntry,
    Counterpart,
    Direction,
    NegotiationLog,
    Offer,
    Party,
    Redaction,
    conduct_findings,
    export_bundle,
    export_jsonl,
    render_report,
    verify_bundle,
    verify_jsonl,
)
from debtnegotiation.negotiation_log.export import copy_attachments
from debtnegotiation.plugins import (
    DEFAULT_PLUGINS,
    ENTRY_POINT_GROUP,
    PluginError,
    PluginHost,
    get_plugin_host,
)
from debtnegotiation.policy import PolicyFileError
from debtnegotiation.portfolio import Portfolio
from debtnegotiation.ranking import RankedOption
from debtnegotiation.schedule_dates import add_months

__all__ = [
    "DEBUG_ENV",
    "EXIT_FAILURE",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_PLUGIN",
    "EXIT_USAGE",
    "LOCALE_ENV",
    "CliState",
    "CommandError",
    "DebtnegGroup",
    "InputError",
    "PluginFailureError",
    "cli",
    "main",
]

#: The exit status when the command did what was asked.
EXIT_OK: Final = 0
#: The exit status for valid input and a negative answer (no plan, no rate, a broken log).
EXIT_FAILURE: Final = 1
#: The exit status for bad usage or bad input (click's own usage errors use 2 as well).
EXIT_USAGE: Final = 2
#: The exit status when a plugin failed in strict mode or a plugin request was refused.
EXIT_PLUGIN: Final = 3
#: The exit status of an unexpected exception, i.e. a bug (``EX_SOFTWARE`` of sysexits).
EXIT_INTERNAL: Final = 70

#: Environment variable holding the default ``--locale``.
LOCALE_ENV: Final = "DEBTNEG_LOCALE"
#: Set to ``1`` to let unexpected exceptions propagate with their traceback.
DEBUG_ENV: Final = "DEBTNEG_DEBUG"

_PROG: Final = "debtneg"
_RULE: Final = "=" * 72

_F = TypeVar("_F", bound=Callable[..., Any])


class CommandError(click.ClickException):
    """A library error turned into one line on standard error and exit status 1."""

    exit_code = EXIT_FAILURE

    def show(self, file: Any = None) -> None:  # noqa: ANN401 - click's signature
        """Print ``debtneg: error: <message>`` on standard error."""
        click.echo(f"{_PROG}: error: {self.format_message()}", err=True, file=file)


class InputError(CommandError):
    """Bad input (a case-file key, a value, a locale): exit status 2."""

    exit_code = EXIT_USAGE


class PluginFailureError(CommandError):
    """A plugin failed in strict mode, or a plugin request was refused: exit status 3."""

    exit_code = EXIT_PLUGIN


def _command_error(error: DebtNegotiationError) -> CommandError:
    if isinstance(error, PluginError):
        return PluginFailureError(str(error))
    if isinstance(error, CaseFileError | PolicyFileError | ValidationError | CatalogNotFoundError):
        return InputError(str(error))
    return CommandError(str(error))


def _warn(message: str) -> None:
    click.echo(f"{_PROG}: warning: {message}", err=True)


@attrs.define
class CliState:
    """What the command shares between the group and its subcommands.

    Tests and embedding applications pass one as ``obj`` to inject plugin objects (the
    way :func:`~debtnegotiation.plugins.get_plugin_host` takes ``plugins=``).

    :param plugins: extra plugin objects to register, e.g. a class-based plugin in a test.
    """

    plugins: tuple[object, ...] = ()
    host: PluginHost | None = None
    extra_commands: dict[str, click.Command] | None = None
    catalogs: dict[str, Translations] = attrs.field(factory=dict)


def _state(ctx: click.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def _host(ctx: click.Context) -> PluginHost:
    """The plugin host, built once per run with the group's options; load failures warned."""
    state = _state(ctx)
    if state.host is None:
        root = ctx.find_root()
        try:
            state.host = get_plugin_host(
                plugins=state.plugins,
                blocked=tuple(root.params.get("blocked") or ()),
                strict=bool(root.params.get("strict_plugins")),
            )
        except PluginError as error:
            raise PluginFailureError(str(error)) from error
        for failure in state.host.load_failures:
            _warn(str(failure))
        _warn_unknown_blocks(tuple(root.params.get("blocked") or ()))
    return state.host


def _warn_unknown_blocks(blocked: Sequence[str]) -> None:
    """A --block-plugin name that matches nothing is most likely a typo: say so."""
    known = set(DEFAULT_PLUGINS)
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        known.add(entry.name)
        if entry.dist is not None:
            known.add(entry.dist.name)
    for name in blocked:
        if name not in known:
            _warn(
                f"--block-plugin {name}: no built-in or installed plugin has that name "
                "(see `debtneg plugins --all`)"
            )


class DebtnegGroup(click.Group):
    """The ``debtneg`` group: built-in commands, plugin commands, and error handling."""

    def plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        """Commands from the ``debtneg_cli_commands`` hook, without clashes, by name.

        A command whose name is taken (by a built-in or an earlier plugin command), or
        an object that is not a click command, is reported on standard error and left
        out; with ``--strict-plugins`` it stops the run with :data:`EXIT_PLUGIN`.
        """
        state = _state(ctx)
        if state.extra_commands is not None:
            return state.extra_commands
        host = _host(ctx)
        strict = bool(ctx.find_root().params.get("strict_plugins"))
        collected = host.cli_commands()
        problems = [str(f) for f in collected.failures]
        commands: dict[str, click.Command] = {}
        for item in collected.items:
            origin = getattr(getattr(item, "callback", None), "__module__", None) or "a plugin"
            if not isinstance(item, click.Command) or not item.name:
                problems.append(
                    f"{origin} returned {type(item).__name__}, not a named click command"
                )
            elif item.name in self.commands or item.name in commands:
                problems.append(
                    f"command {item.name!r} from {origin} clashes with an existing "
                    "command and was not added"
                )
            else:
                commands[item.name] = item
        if problems and strict:
            raise PluginFailureError("; ".join(problems))
        for problem in problems:
            _warn(problem)
        state.extra_commands = commands
        return commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Built-in commands and plugin commands, sorted."""
        return sorted({*super().list_commands(ctx), *self.plugin_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """A built-in command, else a plugin's (plugins are loaded only when needed)."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        return self.plugin_commands(ctx).get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401 - click's signature
        """Run the subcommand; a library error becomes a :class:`CommandError`."""
        try:
            self.plugin_commands(ctx)  # report clashes even when a built-in is invoked
            return super().invoke(ctx)
        except DebtNegotiationError as error:
            raise _command_error(error) from error


# --- shared options -----------------------------------------------------------------------


def _translations(ctx: click.Context, locale: str) -> Translations:
    """The library's catalogs for *locale* with the plugins' merged in, loaded once a run.

    A plugin whose catalogs fail for the locale is warned about by name and left out.
    """
    state = _state(ctx)
    cached = state.catalogs.get(locale)
    if cached is None:
        found = _host(ctx).catalogs(locale=locale)
        for failure in found.failures:
            _warn(str(failure))
        cached = state.catalogs[locale] = translations(locale, extra=found.items)
    return cached


def _check_locale(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Canonical locale identifier, refusing one without a catalog (no silent English).

    Plugin catalogs count: a translation plugin makes its locale available.
    """
    try:
        canonical = str(parse_locale(value))
        _translations(ctx, canonical)
    except (ValidationError, CatalogNotFoundError) as error:
        raise click.BadParameter(str(error)) from None
    return canonical


def _locale_option(function: _F) -> _F:
    option = click.option(
        "--locale",
        default="en",
        show_default=True,
        envvar=LOCALE_ENV,
        callback=_check_locale,
        metavar="LOCALE",
        help=f"CLDR locale of documents, labels, money and dates (also ${LOCALE_ENV}), "
        "e.g. en or zh_Hans_CN.",
    )
    return option(function)


def _format_option(*choices: str, default: str) -> Callable[[_F], _F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def _creditor_option(function: _F) -> _F:
    option = click.option(
        "--creditor",
        metavar="NAME",
        help="Only the debt owed to this creditor (default: every debt in the case file).",
    )
    return option(function)


def _case_argument(function: _F) -> _F:
    argument = click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
    return argument(function)


def _echo(text: str) -> None:
    click.echo(text if text.endswith("\n") else text + "\n", nl=False)


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a date YYYY-MM-DD, got {value!r}", param_hint=option
        ) from None


def _today() -> dt.date:
    """Today's date where the command runs (the borrower's own calendar day)."""
    return dt.datetime.now(tz=dt.UTC).astimezone().date()


# --- plain-text tables ---------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded by display width, so CJK text lines up in a terminal."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)]) + "\n"


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(map(_markdown_cell, header)) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(map(_markdown_cell, r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _grid(output_format: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    return _markdown_table(header, rows) if output_format == "markdown" else _table(header, rows)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- JSON views of results -------------------------------------------------------------


def _money_json(value: Money | None) -> dict[str, str] | None:
    if value is None:
        return None
    rounded = value.rounded()
    return {"amount": str(rounded.amount), "currency": rounded.currency}


def _rate_json(rate: AnnualRate | None) -> dict[str, object] | None:
    if rate is None:
        return None
    return {
        "regime": rate.regime.value,
        "label": rate.label,
        "basis": rate.basis.value,
        "rate": str(rate.rate),
        "percent": str(rate.rounded_percent()),
        "effective_rate": str(rate.effective_rate),
    }


def _finding_json(finding: Finding) -> dict[str, str]:
    return {
        "code": finding.code,
        "severity": finding.severity.name.lower(),
        "message": finding.message,
        "source": finding.source,
    }


def _option_json(option: RankedOption) -> dict[str, object]:
    plan = option.plan
    return {
        "rank": option.rank,
        "strategy": option.proposal.strategy,
        "title": option.proposal.title,
        "source": option.proposal.source,
        "eligibility": option.proposal.eligibility.value,
        "affordable": option.affordable,
        "payments": plan.number_of_payments,
        "months": plan.months,
        "peak_installment": _money_json(plan.peak_installment),
        "first_outlay": _money_json(option.first_outlay),
        "total_paid": _money_json(plan.total_paid),
        "cost_above_principal": _money_json(plan.cost_above_principal),
        "total_waived": _money_json(plan.total_waived),
        "present_value": _money_json(option.present_value),
        "annual_rate": _rate_json(option.annual_rate),
        "evidence_needed": [k.value for k in option.proposal.evidence_needed],
        "goals_met": list(option.goals_met),
        "goals_missed": list(option.goals_missed),
        "findings": [_finding_json(f) for f in option.findings],
        "reasons": list(option.reasons),
        "plan": plan.to_dict(),
    }


def _ladder_json(ladder: Ladder) -> list[dict[str, object]]:
    return [
        {
            "order": step.order,
            "ask": step.ask,
            "why_lender_may_accept": step.why_lender_may_accept,
            "evidence_to_show": list(step.evidence_to_show),
            "strategy": step.option.proposal.strategy if step.option is not None else None,
            "walk_away": step.walk_away,
        }
        for step in ladder.steps
    ]


def _creditor_json(negotiation: Negotiation) -> dict[str, object]:
    case = negotiation.case
    debt = case.debt
    options = negotiation.options()
    return {
        "creditor": {"name": debt.creditor.name, "kind": debt.creditor.kind.value},
        "account": debt.account,
        "owed": _money_json(case.owed),
        "days_overdue": debt.days_overdue,
        "budget": _money_json(case.monthly_budget),
        "policy_source": case.policy.source if case.policy is not None else None,
        "status_quo": [
            {"on": p.on.isoformat(), "owed": _money_json(p.total)}
            for p in options.status_quo.projections
        ],
        "options": [_option_json(o) for o in options.ranked],
        "not_offered": [
            {
                "strategy": p.strategy,
                "title": p.title,
                "eligibility": p.eligibility.value,
                "reasons": list(p.reasons),
            }
            for p in options.unranked
        ],
        "ladder": _ladder_json(negotiation.ladder()),
        "plugin_failures": [str(f) for f in options.failures],
    }


def _portfolio_json(
    portfolio: Portfolio,
    negotiations: Sequence[Negotiation],
    letters: Sequence[str] = (),
) -> dict[str, object]:
    creditors = [_creditor_json(n) for n in negotiations]
    for item, letter_text in zip(creditors, letters, strict=False):
        item["letter"] = letter_text
    budget = portfolio.borrower.affordability()
    return {
        "borrower": {
            "name": portfolio.borrower.name,
            "income": _money_json(budget.income),
            "essentials": _money_json(budget.essentials),
            "other_debt_payments": _money_json(budget.other_debt_payments),
            "savings_buffer": _money_json(budget.savings_buffer),
            "sustainable_payment": _money_json(budget.sustainable_payment),
            "method": budget.method,
            "hardships": [
                {"kind": h.kind.value, "start": h.start.isoformat()}
                for h in portfolio.borrower.hardships
            ],
        },
        "on": portfolio.on.isoformat(),
        "regime": portfolio.regime.value,
        "creditors": creditors,
    }


# --- running a case -------------------------------------------------------------------


@attrs.frozen
class _Run:
    portfolio: Portfolio
    negotiations: tuple[Negotiation, ...]


def _run(portfolio: Portfolio, indexes: Iterable[int]) -> _Run:
    negotiations = tuple(portfolio.negotiation(i) for i in indexes)
    for negotiation in negotiations:
        for failure in negotiation.options().failures:
            _warn(str(failure))
    return _Run(portfolio, negotiations)


def _case_run(ctx: click.Context, path: Path, creditor: str | None) -> tuple[CaseFile, _Run]:
    case = load_case(path)
    portfolio = case.portfolio(host=_host(ctx))
    indexes = [case.index(creditor)] if creditor is not None else range(len(case.claims))
    return case, _run(portfolio, indexes)


def _documents(
    run: _Run, kinds: Sequence[DocumentKind], *, locale: str, output: OutputFormat
) -> str:
    host = run.portfolio.host
    separator = f"\n{_RULE}\n\n" if output is OutputFormat.TEXT else "\n---\n\n"
    parts = [
        render_document(kind, negotiation, locale=locale, output=output, host=host)
        for negotiation in run.negotiations
        for kind in kinds
    ]
    return separator.join(p if p.endswith("\n") else p + "\n" for p in parts)


_OUTPUTS: Final = {
    "table": OutputFormat.TEXT,
    "text": OutputFormat.TEXT,
    "markdown": OutputFormat.MARKDOWN,
    "html": OutputFormat.HTML,
}


# --- the group ------------------------------------------------------------------------


@click.group(cls=DebtnegGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--block-plugin",
    "blocked",
    multiple=True,
    metavar="NAME",
    help="Do not load this plugin (entry-point, module or distribution name); repeatable. "
    "DEBTNEG_DISABLE_PLUGINS=a,b does the same.",
)
@click.option(
    "--strict-plugins",
    is_flag=True,
    help="Stop with exit status 3 when a plugin fails, instead of reporting it and going on.",
)
@click.version_option(package_name="debtnegotiation", prog_name=_PROG)
def cli(*, blocked: tuple[str, ...], strict_plugins: bool) -> None:
    """Negotiate repayment of consumer debts in hardship.

    Start with `debtneg demo`, then describe your own case in a TOML or JSON
    case file (the documentation's case-file reference lists every key; the
    repository's examples/xian.toml is the demo's case) and run
    `debtneg options CASE`.
    """
    del blocked, strict_plugins  # read from the context when the plugin host is built


@cli.command()
@_locale_option
@_format_option("table", "markdown", "json", default="table")
@click.pass_context
def demo(ctx: click.Context, *, locale: str, output_format: str) -> None:
    """The built-in example: a borrower in Xi'an who lost their job, with two debts.

    For each debt: the ranked options compared with doing nothing, the call script (the
    concession ladder in the words to use) and the request letter.
    """
    portfolio = example_portfolio(host=_host(ctx))
    run = _run(portfolio, range(len(portfolio.claims)))
    if output_format == "json":
        letters = [
            render_document(DocumentKind.LETTER, n, locale=locale, host=portfolio.host)
            for n in run.negotiations
        ]
        _echo(_json(_portfolio_json(portfolio, run.negotiations, letters)))
        return
    kinds = (DocumentKind.COMPARISON, DocumentKind.SCRIPT, DocumentKind.LETTER)
    _echo(_documents(run, kinds, locale=locale, output=_OUTPUTS[output_format]))


@cli.command()
@_case_argument
@_creditor_option
@_locale_option
@_format_option("table", "markdown", "json", default="table")
@click.pass_context
def options(
    ctx: click.Context, *, case: Path, creditor: str | None, locale: str, output_format: str
) -> None:
    """Ranked options for each debt in CASE, with the cost of doing nothing."""
    _case, run = _case_run(ctx, case, creditor)
    if output_format == "json":
        _echo(_json(_portfolio_json(run.portfolio, run.negotiations)))
        return
    _echo(
        _documents(run, (DocumentKind.COMPARISON,), locale=locale, output=_OUTPUTS[output_format])
    )


def _document_command(kind: DocumentKind, help_text: str) -> click.Command:
    @_case_argument
    @_creditor_option
    @_locale_option
    @_format_option("text", "markdown", "html", default="text")
    @click.pass_context
    def command(
        ctx: click.Context, *, case: Path, creditor: str | None, locale: str, output_format: str
    ) -> None:
        loaded, run = _case_run(ctx, case, creditor)
        if output_format == "html" and len(run.negotiations) > 1:
            names = ", ".join(repr(n) for n in loaded.creditors)
            raise click.UsageError(
                f"an HTML page holds one {kind.value}; choose a debt with --creditor ({names})"
            )
        _echo(_documents(run, (kind,), locale=locale, output=_OUTPUTS[output_format]))

    command.__doc__ = help_text
    return cli.command(name=kind.value)(command)


letter = _document_command(
    DocumentKind.LETTER,
    """The request letter for each debt in CASE: the hardship, the ask and the fallback.""",
)
script = _document_command(
    DocumentKind.SCRIPT,
    """The call script for each debt in CASE: the ladder of asks and the four habits.""",
)


# --- plan -----------------------------------------------------------------------------


def _rate_labeller(catalog: Translations) -> Callable[[Regime], str]:
    """How documents name each regime's figure, translated by *catalog*."""

    def rate_label(regime: Regime) -> str:
        message = LABEL_GROUPS["rate_label"][regime.value]
        return str(catalog.pgettext(message.context, message.id))

    return rate_label


def _known_strategies(negotiations: Sequence[Negotiation]) -> set[str]:
    known = set(GROUPS["strategy"])
    for negotiation in negotiations:
        options = negotiation.options()
        known |= {o.proposal.strategy for o in options.ranked}
        known |= {p.strategy for p in options.unranked}
    return known


#: Eligibility verdicts as the plan text says them.
_ELIGIBILITY_WORDS: Final = {
    "eligible": "eligible",
    "eligible-once-evidence-is-provided": "eligible once the evidence is provided",
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
            f"total paid {fmt.money(plan.total_paid)}; cost above principal "
            f"{fmt.money(plan.cost_above_principal)}; true annual rate {rate}"
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
        lines = [f"## {_markdown_cell(heading)}", "", *(f"- {_markdown_cell(f)}" for f in facts)]
    else:
        lines = [heading, *(f"  {f}" for f in facts)]
    return "\n".join([*lines, "", _grid(output_format, header, rows)])


@cli.command()
@_case_argument
@click.option("--strategy", required=True, metavar="NAME", help="The strategy, e.g. extension.")
@_creditor_option
@_locale_option
@_format_option("table", "markdown", "json", default="table")
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
    _case, run = _case_run(ctx, case, creditor)
    name = strategy.strip().lower()
    known = _known_strategies(run.negotiations)
    if name not in known:
        raise click.BadParameter(
            f"unknown strategy {strategy!r}; known strategies: {', '.join(sorted(known))}",
            param_hint="--strategy",
        )
    fmt = run.portfolio.host.formatter(locale)
    found: list[tuple[Negotiation, RankedOption]] = []
    reasons: list[str] = []
    for negotiation in run.negotiations:
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
        _echo(
            _json(
                {
                    "strategy": name,
                    "plans": [
                        {"creditor": n.case.debt.creditor.name, **_option_json(o)} for n, o in found
                    ],
                    "not_offered": reasons,
                }
            )
        )
    else:
        rate_label = _rate_labeller(_translations(ctx, locale))
        parts = [_plan_text(o, n.options(), fmt, rate_label, output_format) for n, o in found]
        parts += [f"{r}\n" for r in reasons]
        _echo("\n".join(parts))
    if not found:
        ctx.exit(EXIT_FAILURE)


# --- apr ------------------------------------------------------------------------------


def _decimal_option(value: str, option: str, *, positive: bool) -> Decimal:
    try:
        number = to_decimal(option, value)
    except ValidationError as error:
        raise click.BadParameter(
            f"expected {error.expected}, got {value!r}", param_hint=option
        ) from None
    if number < 0 or (positive and number == 0):
        limit = "greater than zero" if positive else "zero or more"
        raise click.BadParameter(f"expected a number {limit}, got {value!r}", param_hint=option)
    return number


_REGIME_CHOICES: Final = ("cn-pboc", "us-reg-z", "eu-ccd", "xirr")


@cli.command()
@click.option(
    "--amount",
    required=True,
    metavar="AMOUNT",
    help="The amount lent (before any fee), e.g. 10000.",
)
@click.option(
    "--fee",
    default="0",
    show_default=True,
    metavar="AMOUNT",
    help="Fees paid or withheld at the start.",
)
@click.option(
    "--term",
    required=True,
    type=click.IntRange(min=1, max=600),
    metavar="MONTHS",
    help="Number of monthly installments.",
)
@click.option(
    "--installment", required=True, metavar="AMOUNT", help="The monthly installment, e.g. 880."
)
@click.option(
    "--regime",
    "regimes",
    required=True,
    multiple=True,
    type=click.Choice(_REGIME_CHOICES, case_sensitive=False),
    help="Annual-rate convention; repeat to compare. Required: they differ by regime.",
)
@click.option("--start", metavar="DATE", help="Date of the advance (default: today).")
@click.option("--currency", metavar="CODE", help="ISO 4217 code to show amounts as money.")
@_locale_option
@_format_option("table", "markdown", "json", default="table")
@click.pass_context
def apr(
    ctx: click.Context,
    *,
    amount: str,
    fee: str,
    term: int,
    installment: str,
    regimes: tuple[str, ...],
    start: str | None,
    currency: str | None,
    locale: str,
    output_format: str,
) -> None:
    """The true annual rate of a loan repaid in equal monthly installments.

    The borrower receives --amount minus --fee on the start date and pays
    --installment every month for --term months, from one month later.
    """
    lent = _decimal_option(amount, "--amount", positive=True)
    charge = _decimal_option(fee, "--fee", positive=False)
    payment = _decimal_option(installment, "--installment", positive=True)
    if charge >= lent:
        raise click.BadParameter(f"expected a fee below the amount {amount}", param_hint="--fee")
    if currency:
        # What is shown is what is computed: amounts must be whole minor units.
        for hint, value in (("--amount", lent), ("--fee", charge), ("--installment", payment)):
            money = Money(value, currency.upper())
            if not money.is_rounded():
                raise click.BadParameter(
                    f"expected an amount in whole {money.currency} minor units "
                    f"({money.minor_units} decimal places), got {value}",
                    param_hint=hint,
                )
    first = _parse_date(start, "--start") or _today()
    flows = [CashFlow(first, lent - charge)]
    flows += [CashFlow(add_months(first, k), -payment) for k in range(1, term + 1)]
    chosen = [parse_regime(r) for r in dict.fromkeys(r.lower() for r in regimes)]
    rates = [annual_rate(flows, regime=r) for r in chosen]
    host = _host(ctx)
    fmt = host.formatter(locale)
    rate_label = _rate_labeller(_translations(ctx, locale))

    def show(value: Decimal) -> str:
        return fmt.money(Money(value, currency)) if currency else fmt.number(value)

    received, repaid = lent - charge, payment * term
    if output_format == "json":
        data = {
            "start": first.isoformat(),
            "amount": str(lent),
            "fee": str(charge),
            "amount_received": str(received),
            "installment": str(payment),
            "term_months": term,
            "total_of_payments": str(repaid),
            "finance_charge": str(repaid - received),
            "currency": currency.upper() if currency else None,
            "rates": [_rate_json(r) for r in rates],
        }
        _echo(_json(data))
        return
    facts = [
        (
            "amount received",
            f"{show(received)} ({show(lent)} - fee {show(charge)}) on {fmt.date(first)}",
        ),
        ("repaid", f"{term} x {show(payment)} = {show(repaid)}, monthly"),
        ("cost above the amount received", show(repaid - received)),
    ]
    if repaid < received:
        facts.append(("note", "less is repaid than was received, so every rate is negative"))
    header = ["regime", "annual rate", "basis", "effective annual rate", "disclosure label"]
    rows = [
        [
            r.regime.value,
            fmt.percent(r.rate),
            r.basis.value,
            fmt.percent(r.effective_rate),
            rate_label(r.regime),
        ]
        for r in rates
    ]
    if output_format == "markdown":
        lines = [f"- {k}: {_markdown_cell(v)}" for k, v in facts]
    else:
        lines = [f"{k}: {v}" for k, v in facts]
    _echo("\n".join([*lines, "", _grid(output_format, header, rows)]))


# --- plugins --------------------------------------------------------------------------


@cli.command()
@click.option("--all", "show_all", is_flag=True, help="Include the built-in plugins.")
@_format_option("table", "markdown", "json", default="table")
@click.pass_context
def plugins(ctx: click.Context, *, show_all: bool, output_format: str) -> None:
    """Installed plugins: name, distribution, version and the hooks each implements."""
    host = _host(ctx)
    infos = [i for i in host.plugins() if show_all or not i.builtin]
    group = ctx.find_root().command
    commands = sorted(group.plugin_commands(ctx)) if isinstance(group, DebtnegGroup) else []
    failures = [str(f) for f in host.load_failures]
    if output_format == "json":
        data = {
            "plugins": [
                {
                    "name": i.name,
                    "distribution": i.distribution,
                    "version": i.version,
                    "builtin": i.builtin,
                    "hooks": list(i.hooks),
                }
                for i in infos
            ],
            "commands": commands,
            "load_failures": failures,
        }
        _echo(_json(data))
        return
    header = ["name", "distribution", "version", "hooks"]
    rows = [
        [
            i.name,
            "(built-in)" if i.builtin else (i.distribution or "-"),
            i.version or "-",
            ", ".join(i.hooks) or "-",
        ]
        for i in infos
    ]
    parts = [_grid(output_format, header, rows) if rows else "no plugins installed\n"]
    if commands:
        parts.append("commands added by plugins: " + ", ".join(commands) + "\n")
    parts += [f"failed to load: {f}\n" for f in failures]
    _echo("\n".join(parts))


# --- log ------------------------------------------------------------------------------


@cli.group()
def log() -> None:
    """Keep the negotiation log: a tamper-evident record of every contact."""


def _log_argument(*, must_exist: bool) -> Callable[[_F], _F]:
    return click.argument(
        "log_path",
        metavar="LOG",
        type=click.Path(dir_okay=False, exists=must_exist, path_type=Path),
    )


def _open_log(path: Path) -> NegotiationLog:
    return NegotiationLog.open(path)


def _aware(value: str, zone: str | None) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected an ISO timestamp such as 2026-11-05T10:30+08:00, got {value!r}",
            param_hint="--at",
        ) from None
    if moment.tzinfo is None and zone is not None:
        try:
            moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise click.BadParameter(
                f"expected an IANA time zone such as Asia/Shanghai, got {zone!r}",
                param_hint="--tz",
            ) from None
    if moment.tzinfo is None:
        raise click.BadParameter(
            f"expected a timestamp with its UTC offset (2026-11-05T10:30+08:00), or --tz "
            f"ZONE for the zone it was in; {value!r} is ambiguous",
            param_hint="--at",
        )
    return moment


def _status(value: str) -> CommitmentStatus:
    try:
        return CommitmentStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in CommitmentStatus)
        raise click.BadParameter(f"expected one of {allowed}, got {value!r}") from None


@log.command("add")
@_log_argument(must_exist=False)
@click.option(
    "--at", "at_text", required=True, metavar="TIMESTAMP", help="When, e.g. 2026-11-05T10:30+08:00."
)
@click.option("--tz", metavar="ZONE", help="IANA zone for an --at without offset.")
@click.option(
    "--channel", required=True, type=click.Choice([c.value for c in Channel]), help="How."
)
@click.option(
    "--direction",
    type=click.Choice([d.value for d in Direction]),
    default=Direction.OUTBOUND.value,
    show_default=True,
    help="inbound: they contacted you.",
)
@click.option("--counterpart", default="", help="The agent's name as they gave it.")
@click.option("--employee-id", default="", help="The agent's employee or badge number.")
@click.option("--organisation", default="", help="The bank, platform or agency.")
@click.option("--phone", default="", help="The number (or address) used.")
@click.option("--account-reference", default="", help="The account or case number used.")
@click.option("--summary", default="", help="What was said, in short.")
@click.option("--key-point", "key_points", multiple=True, help="A key statement; repeatable.")
@click.option(
    "--offer",
    "offers",
    multiple=True,
    type=(click.Choice([p.value for p in Party]), str),
    metavar="BY TEXT",
    help="An offer: who made it and what it was; repeatable.",
)
@click.option(
    "--commitment",
    "commitments",
    multiple=True,
    type=(click.Choice([p.value for p in Party]), str, str),
    metavar="BY WHAT DUE",
    help="A promise: who, what, and due date YYYY-MM-DD (or -); repeatable.",
)
@click.option(
    "--update",
    "updates",
    multiple=True,
    type=(click.IntRange(min=1), click.IntRange(min=0), str),
    metavar="ENTRY INDEX STATUS",
    help="Change a commitment recorded earlier (fulfilled, broken, cancelled); repeatable.",
)
@click.option("--recorded/--not-recorded", default=None, help="Whether the call was recorded.")
@click.option(
    "--consent-announced/--consent-not-announced",
    default=None,
    help="Whether recording was announced.",
)
@click.option("--answered/--unanswered", default=None, help="For attempts: answered or not.")
@click.option("--corrects", type=click.IntRange(min=1), help="Number of the entry corrected.")
@click.option(
    "--attach",
    "attachments",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file to copy into the log (screenshot, e-mail, recording); repeatable.",
)
def log_add(
    *,
    log_path: Path,
    at_text: str,
    tz: str | None,
    channel: str,
    direction: str,
    counterpart: str,
    employee_id: str,
    organisation: str,
    phone: str,
    account_reference: str,
    summary: str,
    key_points: tuple[str, ...],
    offers: tuple[tuple[str, str], ...],
    commitments: tuple[tuple[str, str, str], ...],
    updates: tuple[tuple[int, int, str], ...],
    recorded: bool | None,
    consent_announced: bool | None,
    answered: bool | None,
    corrects: int | None,
    attachments: tuple[Path, ...],
) -> None:
    """Append one contact to LOG (created if missing); entries are never changed."""
    contact = Contact(
        at=_aware(at_text, tz),
        channel=channel,
        direction=direction,
        counterpart=Counterpart(
            name=counterpart, employee_id=employee_id, organisation=organisation, phone=phone
        ),
        account_reference=account_reference,
        summary=summary,
        key_points=key_points,
        offers=[Offer(by=by, summary=text) for by, text in offers],
        commitments=[
            Commitment(
                by=by, what=what, due=None if due == "-" else _parse_date(due, "--commitment")
            )
            for by, what, due in commitments
        ],
        commitment_updates=[
            CommitmentUpdate(entry=e, index=i, status=_status(s)) for e, i, s in updates
        ],
        recorded=recorded,
        consent_announced=consent_announced,
        answered=answered,
        corrects=corrects,
    )
    with _open_log(log_path) as negotiation_log:
        entry = negotiation_log.append(contact, attachments=attachments)
        head = negotiation_log.head
    _echo(f"entry {entry.seq} appended to {log_path}\nhead {head}\n")


def _entry_row(
    item: CorrectedEntry, fmt: LocaleFormatter, channel: Callable[[str], str]
) -> list[str]:
    entry = item.current
    contact = entry.contact
    who = " / ".join(
        part for part in (contact.counterpart.name, contact.counterpart.organisation) if part
    )
    return [
        str(item.seq) + ("*" if item.corrected else ""),
        fmt.datetime(contact.at),
        channel(contact.channel.value),
        contact.direction.value,
        who or "-",
        contact.summary or "-",
        str(len(entry.attachments)),
    ]


@log.command("list")
@_log_argument(must_exist=True)
@_locale_option
@_format_option("table", "markdown", "json", default="table")
@click.pass_context
def log_list(ctx: click.Context, *, log_path: Path, locale: str, output_format: str) -> None:
    """The contacts in LOG, corrections folded in (* marks a corrected entry)."""
    with _open_log(log_path) as negotiation_log:
        view = negotiation_log.current()
    if output_format == "json":
        data = [
            {
                "seq": item.seq,
                "corrected": item.corrected,
                "hash": item.current.hash,
                "record": item.current.to_record(),
            }
            for item in view
        ]
        _echo(_json(data))
        return
    fmt = _host(ctx).formatter(locale)
    catalog = _translations(ctx, locale)

    def channel(code: str) -> str:
        message = GROUPS["channel"][code]
        return str(catalog.pgettext(message.context, message.id))

    header = ["#", "at", "channel", "direction", "counterpart", "summary", "files"]
    rows = [_entry_row(item, fmt, channel) for item in view]
    _echo(_grid(output_format, header, rows) if rows else "the log is empty\n")


@log.command("verify")
@click.argument(
    "path",
    metavar="LOG|EXPORT.jsonl|BUNDLE.zip",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--expected-head", metavar="HASH", help="A head hash published earlier.")
@click.option(
    "--attachments",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="For a .jsonl export: the folder of its attachment files.",
)
@click.pass_context
def log_verify(
    ctx: click.Context, *, path: Path, expected_head: str | None, attachments: Path | None
) -> None:
    """Check the hash chain and the attachments; exit status 1 when anything is wrong.

    Verifies a log file, a JSON Lines export (.jsonl) or an evidence bundle (.zip),
    offline.
    """
    suffix = path.suffix.lower()
    if suffix == ".zip":
        bundle = verify_bundle(path, expected_head=expected_head)
        if bundle.ok:
            _echo(f"OK: {bundle.chain.explanation if bundle.chain else 'bundle verified'}\n")
            return
        _echo("".join(f"BROKEN: {p}\n" for p in bundle.problems))
        ctx.exit(EXIT_FAILURE)
    if suffix == ".jsonl":
        result = verify_jsonl(path, attachments=attachments, expected_head=expected_head)
    else:
        with _open_log(path) as negotiation_log:
            result = negotiation_log.verify(expected_head=expected_head)
    if result.ok:
        _echo(f"OK: {result.explanation}\n")
        return
    _echo(f"BROKEN: {result.explanation}\n")
    ctx.exit(EXIT_FAILURE)


@log.command("export")
@_log_argument(must_exist=True)
@click.option(
    "--to",
    "kind",
    required=True,
    type=click.Choice(["jsonl", "bundle", "report"]),
    help="JSON Lines, an evidence bundle (.zip) or a readable report.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write; a report goes to standard output when omitted.",
)
@click.option("--redact", is_flag=True, help="Remove names, phone numbers and ID numbers.")
@click.option(
    "--report-format",
    type=click.Choice(["markdown", "html"]),
    default="markdown",
    show_default=True,
    help="Format of the report.",
)
@click.option("--as-of", metavar="DATE", help="Date of the follow-up list in reports.")
@click.option(
    "--attachments",
    type=click.Path(file_okay=False, path_type=Path),
    help="For jsonl: also copy the attachment files into this folder.",
)
@_locale_option
@click.pass_context
def log_export(
    ctx: click.Context,
    *,
    log_path: Path,
    kind: str,
    output: Path | None,
    redact: bool,
    report_format: str,
    as_of: str | None,
    attachments: Path | None,
    locale: str,
) -> None:
    """Export LOG as JSON Lines, an evidence bundle or a report in LOCALE."""
    if output is None and kind != "report":
        raise click.UsageError(f"--to {kind} needs --output FILE")
    redaction = Redaction() if redact else None
    date = _parse_date(as_of, "--as-of")
    with _open_log(log_path) as negotiation_log:
        if kind == "report":
            fmt = _host(ctx).formatter(locale)
            text = render_report(
                negotiation_log.entries(),
                fmt,
                format="html" if report_format == "html" else "markdown",
                as_of=date,
                verification=negotiation_log.verify(),
            )
            if output is None:
                _echo(text)
                return
            output.write_text(text, encoding="utf-8")
            report = None
        elif kind == "jsonl":
            assert output is not None  # noqa: S101 - checked above
            report = export_jsonl(negotiation_log, output, redaction=redaction)
            if attachments is not None:
                copied = copy_attachments(negotiation_log, attachments)
                _echo(f"{copied} attachment file(s) copied to {attachments}\n")
        else:
            assert output is not None  # noqa: S101 - checked above
            report = export_bundle(
                negotiation_log,
                output,
                formatter=_host(ctx).formatter(locale),
                as_of=date,
                redaction=redaction,
            )
        count = len(negotiation_log)
    _echo(f"{count} entries exported to {output}\n")
    if report is not None:
        counts = ", ".join(f"{n} {category}" for category, n in sorted(report.counts().items()))
        _echo(f"redacted: {counts or 'nothing found'}\n")


@log.command("followups")
@_log_argument(must_exist=True)
@click.option("--as-of", metavar="DATE", help="The date to check (default: today).")
@click.option("--overdue", is_flag=True, help="Only commitments past their due date.")
@_locale_option
@_format_option("table", "markdown", "json", default="table")
@click.pass_context
def log_followups(
    ctx: click.Context,
    *,
    log_path: Path,
    as_of: str | None,
    overdue: bool,
    locale: str,
    output_format: str,
) -> None:
    """Open commitments in LOG, earliest due first ("they will call back by Friday")."""
    date = _parse_date(as_of, "--as-of") or _today()
    with _open_log(log_path) as negotiation_log:
        items = [f for f in negotiation_log.followups(date) if f.overdue or not overdue]
    if output_format == "json":
        data = [
            {
                "entry": f.entry,
                "index": f.index,
                "by": f.commitment.by.value,
                "what": f.commitment.what,
                "due": f.commitment.due.isoformat() if f.commitment.due else None,
                "overdue": f.overdue,
                "days_overdue": f.days_overdue,
            }
            for f in items
        ]
        _echo(_json({"as_of": date.isoformat(), "followups": data}))
        return
    fmt = _host(ctx).formatter(locale)
    header = ["entry", "index", "by", "what", "due", "days overdue"]
    rows = [
        [
            str(f.entry),
            str(f.index),
            f.commitment.by.value,
            f.commitment.what,
            fmt.date(f.commitment.due) if f.commitment.due else "-",
            str(f.days_overdue) if f.overdue else "-",
        ]
        for f in items
    ]
    what = "overdue" if overdue else "open"
    _echo(_grid(output_format, header, rows) if rows else f"no {what} commitments on {date}\n")


@log.command("conduct")
@_log_argument(must_exist=True)
@_case_argument
@click.option(
    "--creditor",
    metavar="NAME",
    help="The creditor the log is about; needed when CASE holds several debts.",
)
@_format_option("table", "markdown", "json", default="table")
@click.pass_context
def log_conduct(
    ctx: click.Context, *, log_path: Path, case: Path, creditor: str | None, output_format: str
) -> None:
    """Check the collector's contacts in LOG against the conduct rules plugins hold.

    The rules come from jurisdiction plugins (hook ``debtneg_contact_rules``) for the
    debt in CASE and its borrower (whose ``timezone`` says where hours are judged): for
    example the China pack's collection guideline for CNY debts, the US pack's
    Regulation F for USD debts. Findings are prompts to keep evidence, not legal
    conclusions; the exit status is 0 whether or not there are findings.
    """
    case_file = load_case(case)
    if creditor is None and len(case_file.claims) > 1:
        names = ", ".join(repr(n) for n in case_file.creditors)
        raise InputError(f"{case}: several debts ({names}); say which with --creditor NAME")
    debt = case_file.claims[0 if creditor is None else case_file.index(creditor)].debt
    host = _host(ctx)
    rules = host.contact_rules(debt=debt, borrower=case_file.borrower)
    with _open_log(log_path) as negotiation_log:
        found = conduct_findings(negotiation_log, rules)
    for failure in found.failures:
        _warn(str(failure))
    if output_format == "json":
        data = {
            "creditor": debt.creditor.name,
            "rule_sets": [
                {"name": r.name, "zone": r.zone, "source": r.source} for r in rules.items
            ],
            "findings": [_finding_json(f) for f in found.items],
        }
        _echo(_json(data))
        return
    if not rules.items:
        _echo(
            f"no plugin holds collection-conduct rules for the debt to {debt.creditor.name} "
            "(install a jurisdiction pack; the US pack needs the borrower's timezone)\n"
        )
        return
    checked = "; ".join(f"{r.name}, judged in {r.zone}" for r in rules.items)
    if not found.items:
        _echo(f"no conduct findings under {checked}\n")
        return
    header = ["severity", "code", "source", "message"]
    rows = [[f.severity.name, f.code, f.source, f.message] for f in found.items]
    _echo(f"checked under {checked}\n\n" + _grid(output_format, header, rows))


# --- entry point ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """Run ``debtneg`` with *argv* (default ``sys.argv[1:]``) and return the exit status.

    Library and usage errors are printed as one line by click. Any other exception is a
    bug: it is reported in one line with exit status :data:`EXIT_INTERNAL`, or re-raised
    with its traceback when ``DEBTNEG_DEBUG=1``.
    """
    env = os.environ if environ is None else environ
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name=_PROG)
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_FAILURE)
    except Exception as error:
        if env.get(DEBUG_ENV, "") in {"1", "true"}:
            raise
        click.echo(
            f"{_PROG}: internal error: {type(error).__name__}: {error} — this is a bug in "
            f"debtnegotiation or a plugin; run again with {DEBUG_ENV}=1 for the traceback "
            "and report it",
            err=True,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
