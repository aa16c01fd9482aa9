"""What the ``debtneg`` commands share: exit codes, errors, state, options and output."""

from __future__ import annotations

import datetime as dt
import decimal
import importlib.metadata
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs
import click
from babel.support import Translations  # loaded with the catalogs anyway; named in CliState

from debtnegotiation._context import LIBRARY_CONTEXT
from debtnegotiation.cli._lazy import LazyGroup
from debtnegotiation.errors import DebtNegotiationError, ValidationError
from debtnegotiation.formatting import parse_locale
from debtnegotiation.i18n import CatalogNotFoundError, translations
from debtnegotiation.messages import label
from debtnegotiation.plugins import (
    DEFAULT_PLUGINS,
    ENTRY_POINT_GROUP,
    PluginError,
    PluginHost,
    get_plugin_host,
)
from debtnegotiation.tables import fit_text, markdown_table, printable, text_table
from debtnegotiation.text import Localizer

if TYPE_CHECKING:
    # Imported where used: a command imports only the part of the library it runs (the
    # case-file reader alone is a good share of a short command's start-up).
    from debtnegotiation.apr import Regime
    from debtnegotiation.casefile import CaseFile
    from debtnegotiation.findings import Finding
    from debtnegotiation.formatting import LocaleFormatter
    from debtnegotiation.money import Money
    from debtnegotiation.negotiation import Negotiation, Options
    from debtnegotiation.portfolio import Portfolio, PortfolioResult
    from debtnegotiation.ranking import RankedOption

__all__ = [
    "DEBUG_ENV",
    "EXIT_FAILURE",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_PLUGIN",
    "EXIT_USAGE",
    "LOCALE_ENV",
    "NO_COLOR_ENV",
    "PROG",
    "RULE",
    "CaseRun",
    "CliState",
    "CommandError",
    "DebtnegGroup",
    "InputError",
    "PluginFailureError",
    "case_argument",
    "case_run",
    "catalog_for",
    "catalog_language",
    "cli_state",
    "creditor_option",
    "echo",
    "finding_text",
    "format_option",
    "grid",
    "json_text",
    "locale_option",
    "parse_date",
    "plugin_host",
    "rate_labeller",
    "terminal_width",
    "today",
    "tolerant_streams",
    "warn",
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

#: Set (to anything but the empty string) to turn colour and emphasis off (no-color.org).
NO_COLOR_ENV: Final = "NO_COLOR"

#: The command's name in messages.
PROG: Final = "debtneg"
#: The line between documents in plain text.
RULE: Final = "=" * 72

_F = TypeVar("_F", bound=Callable[..., Any])

#: Half a UTF-16 pair: what undecodable bytes in an argument become (surrogateescape).
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


class CommandError(click.ClickException):
    """A library error turned into one line on standard error and exit status 1."""

    exit_code = EXIT_FAILURE

    def show(self, file: Any = None) -> None:  # noqa: ANN401 - click's signature
        """Print ``debtneg: error: <message>`` on standard error."""
        click.echo(f"{PROG}: error: {self.format_message()}", err=True, file=file)


class InputError(CommandError):
    """Bad input (a case-file key, a value, a locale): exit status 2."""

    exit_code = EXIT_USAGE


class PluginFailureError(CommandError):
    """A plugin failed in strict mode, or a plugin request was refused: exit status 3."""

    exit_code = EXIT_PLUGIN


def _command_error(error: DebtNegotiationError) -> CommandError:
    from debtnegotiation.casefile import CaseFileError
    from debtnegotiation.policy import PolicyFileError

    if isinstance(error, PluginError):
        return PluginFailureError(str(error))
    if isinstance(error, CaseFileError | PolicyFileError | ValidationError | CatalogNotFoundError):
        return InputError(str(error))
    return CommandError(str(error))


def warn(message: str) -> None:
    """``debtneg: warning: <message>`` on standard error, emphasised on a colour terminal."""
    prefix = f"{PROG}: warning:"
    if _colour(sys.stderr):
        prefix = click.style(prefix, fg="yellow", bold=True)
    _write(f"{prefix} {printable(message)}\n", err=True)


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


def cli_state(ctx: click.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def plugin_host(ctx: click.Context) -> PluginHost:
    """The plugin host, built once per run with the group's options; load failures warned."""
    state = cli_state(ctx)
    if state.host is None:
        root = ctx.find_root()
        try:
            state.host = get_plugin_host(
                plugins=state.plugins,
                blocked=tuple(root.params.get("blocked") or ()),
                strict=bool(root.params.get("strict_plugins")),
                timeout=root.params.get("plugin_timeout"),
            )
        except PluginError as error:
            raise PluginFailureError(str(error)) from error
        for failure in state.host.load_failures:
            warn(str(failure))
        _warn_unknown_blocks(tuple(root.params.get("blocked") or ()))
    return state.host


def _warn_unknown_blocks(blocked: Sequence[str]) -> None:
    """A --block-plugin name that matches nothing is most likely a typo: say so."""
    if not blocked:
        return
    known = set(DEFAULT_PLUGINS)
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        known.add(entry.name)
        if entry.dist is not None:
            known.add(entry.dist.name)
    for name in blocked:
        if name not in known:
            warn(
                f"--block-plugin {name}: no built-in or installed plugin has that name "
                "(see `debtneg plugins --all`)"
            )


class DebtnegGroup(LazyGroup):
    """The ``debtneg`` group: built-in commands, plugin commands, and error handling."""

    def plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        """Commands from the ``debtneg_cli_commands`` hook, without clashes, by name.

        A command whose name is taken (by a built-in or an earlier plugin command), or
        an object that is not a click command, is reported on standard error and left
        out; with ``--strict-plugins`` it stops the run with :data:`EXIT_PLUGIN`.
        """
        state = cli_state(ctx)
        if state.extra_commands is not None:
            return state.extra_commands
        host = plugin_host(ctx)
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
            warn(problem)
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

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        r"""Refuse an argument that is not valid text before any command sees it.

        Bytes that are not UTF-8 reach Python as lone surrogates (``\udcff``), which
        no output can encode: a summary, a name or an amount holding one would only fail
        later, when it is written or printed.
        """
        for position, arg in enumerate(args, start=1):
            if _SURROGATE.search(arg):
                raise click.UsageError(
                    f"argument {position} ({ascii(arg)[:60]}) is not valid UTF-8 text", ctx
                )
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401 - click's signature
        """Run the subcommand in the library's decimal context; library errors become one line."""
        try:
            with decimal.localcontext(LIBRARY_CONTEXT):
                self.plugin_commands(ctx)  # report clashes even when a built-in is invoked
                return super().invoke(ctx)
        except DebtNegotiationError as error:
            raise _command_error(error) from error


# --- shared options -----------------------------------------------------------------------


def catalog_for(ctx: click.Context, locale: str) -> Translations:
    """The library's catalogs for *locale* with the plugins' merged in, loaded once a run.

    A plugin whose catalogs fail for the locale is warned about by name and left out.
    """
    state = cli_state(ctx)
    cached = state.catalogs.get(locale)
    if cached is None:
        found = plugin_host(ctx).catalogs(locale=locale)
        for failure in found.failures:
            warn(str(failure))
        cached = state.catalogs[locale] = translations(locale, extra=found.items)
    return cached


def catalog_language(catalog: Translations) -> str:
    """The language of *catalog* (``en``, ``zh``...), from its ``Language`` header."""
    return str(catalog.info().get("language", "en")).split("_")[0].lower()


def _check_locale(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Canonical locale identifier, refusing one without a catalog (no silent English).

    Plugin catalogs count: a translation plugin makes its locale available.
    """
    try:
        canonical = str(parse_locale(value))
        catalog_for(ctx, canonical)
    except (ValidationError, CatalogNotFoundError) as error:
        raise click.BadParameter(str(error)) from None
    return canonical


def locale_option(function: _F) -> _F:
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


def format_option(*choices: str, default: str) -> Callable[[_F], _F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def creditor_option(function: _F) -> _F:
    option = click.option(
        "--creditor",
        metavar="NAME",
        help="Only the debt owed to this creditor (default: every debt in the case file).",
    )
    return option(function)


def case_argument(function: _F) -> _F:
    argument = click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
    return argument(function)


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a date YYYY-MM-DD, got {value!r}", param_hint=option
        ) from None


def today() -> dt.date:
    """Today's date where the command runs (the borrower's own calendar day)."""
    return dt.datetime.now(tz=dt.UTC).astimezone().date()


# --- output -----------------------------------------------------------------------------


class _JsonText(str):
    """Text :func:`json_text` made: printed as it is (JSON escapes its own controls)."""

    __slots__ = ()


#: The ``--format`` values whose output is fitted to the terminal and emphasised.
_TERMINAL_FORMATS: Final = frozenset({"table", "text"})

_warned_encoding: list[str] = []


def terminal_width(stream: Any = None) -> int | None:  # noqa: ANN401 - any text stream
    """The width output is fitted to: ``$COLUMNS``, else the terminal's, else none.

    Output to a file or a pipe is not wrapped (``None``) unless ``COLUMNS`` says so, so
    what a script reads does not depend on the window it was started from.
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = sys.stdout if stream is None else stream
    if _isatty(stream):
        return shutil.get_terminal_size().columns
    return None


def tolerant_streams() -> None:
    """Let standard output and error replace what their encoding cannot show.

    The safety net under :func:`echo` for text click prints itself (help, usage errors):
    a cp1252 or ASCII stream shows ``?`` instead of failing the command.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _isatty(stream: Any) -> bool:  # noqa: ANN401 - any text stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _colour(stream: Any) -> bool:  # noqa: ANN401 - any text stream
    """Whether to emphasise: a terminal, and ``NO_COLOR`` unset or empty (no-color.org)."""
    return not os.environ.get(NO_COLOR_ENV) and _isatty(stream)


def _write(text: str, *, err: bool = False) -> None:
    """Write *text* so that no output encoding can make the command fail.

    A character the stream cannot encode (Chinese on a cp1252 console, say) is replaced
    by ``?`` and a warning, once a run, says how to see it.
    """
    stream = sys.stderr if err else sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        safe = text.encode(encoding, "replace").decode(encoding, "replace")
        click.echo(safe, nl=False, err=err)
        if not _warned_encoding:
            _warned_encoding.append(encoding)
            note = (
                f"{PROG}: warning: the output encoding {encoding} cannot show some "
                "characters; they are shown as '?'. Set PYTHONIOENCODING=utf-8 (or use "
                "a UTF-8 terminal) to see them.\n"
            )
            click.echo(note.encode("ascii", "replace").decode("ascii"), nl=False, err=True)
        return
    click.echo(text, nl=False, err=err)


def _output_format() -> str | None:
    """The running command's ``--format`` (or ``--report-format``), if it has one."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    for name in ("output_format", "report_format"):
        value = ctx.params.get(name)
        if isinstance(value, str):
            return value
    return None


def _severity_labels() -> tuple[str, str]:
    """The "Danger" and "Warning" labels in the running command's locale."""
    ctx = click.get_current_context(silent=True)
    locale = ctx.params.get("locale") if ctx is not None else None
    if ctx is None or not isinstance(locale, str):
        return ("Danger", "Warning")
    catalog = catalog_for(ctx, locale)
    return (label(catalog, "severity", "danger"), label(catalog, "severity", "warning"))


def _emphasise(text: str) -> str:
    """Lines that state a danger in red, a warning in yellow (bold both)."""
    danger, warning = (re.escape(w) for w in _severity_labels())
    pattern = re.compile(rf"^(\s*(?:[-*•]\s+)?)((?:{danger}|{warning})\s*[:：].*)$", re.M)

    def style(match: re.Match[str]) -> str:
        colour = "red" if match.group(2).startswith(_severity_labels()[0]) else "yellow"
        return match.group(1) + click.style(match.group(2), fg=colour, bold=True)

    return pattern.sub(style, text)


def echo(text: str) -> None:
    """Print a command's output on standard output, ending with a newline.

    Text (not JSON from :func:`json_text`) is cleaned of control characters, escape
    sequences and bidi overrides that data may carry (:func:`~debtnegotiation.tables.printable`);
    in the table or text format its lines are fitted to :func:`terminal_width` and, on a
    colour terminal, warnings are emphasised. Any output encoding works (see :func:`_write`).
    """
    if not isinstance(text, _JsonText):
        text = printable(text)
        if _output_format() in {None, *_TERMINAL_FORMATS}:
            width = terminal_width()
            if width is not None:
                text = fit_text(text, width)
            if _colour(sys.stdout):
                text = _emphasise(text)
    _write(text if text.endswith("\n") else text + "\n")


def grid(output_format: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table in the chosen format, ending with a newline; text fits the terminal."""
    if output_format == "markdown":
        return markdown_table(header, rows) + "\n"
    return text_table(header, rows, width=terminal_width()) + "\n"


def finding_text(
    finding: Finding,
    option: RankedOption,
    *,
    budget: Money,
    fmt: LocaleFormatter,
    catalog: Translations,
) -> str:
    """``<severity>: <message>`` for a finding about *option*, in the catalog's language.

    The built-in reviews' findings are worded from the option's own figures, with the
    same messages (and so the same translations) as the comparison document; any other
    plugin's finding shows its own message.
    """
    from debtnegotiation.reviews import (
        ADVANCE_FEE,
        COSTS_MORE_THAN_STATUS_QUO,
        LONGER_TERM_COSTS_MORE,
        NEGATIVE_AMORTIZATION,
        NO_UNIQUE_RATE,
        UNAFFORDABLE,
    )

    _ = catalog.gettext
    plan = option.plan
    largest = max(plan.peak_installment, plan.cash_at_start, key=lambda m: m.amount)
    texts = {
        UNAFFORDABLE: lambda: (
            _(
                "The largest payment, %(largest)s, exceeds the monthly budget of %(budget)s: a "
                "plan you cannot keep fails at the first missed payment."
            )
            % {"largest": fmt.money(largest), "budget": fmt.money(budget)}
        ),
        COSTS_MORE_THAN_STATUS_QUO: lambda: (
            _(
                "Over the plan you would pay %(total)s, more than the debt would amount to by "
                "then if nothing were agreed."
            )
            % {"total": fmt.money(plan.total_paid)}
        ),
        ADVANCE_FEE: lambda: _(
            "A fee is due before any payment reduces the debt. Pay a fee only to the lender "
            "itself and only once the agreement is in writing: a fee demanded up front by "
            "anyone else, especially a share of the debt, is the advance-fee pattern of "
            "debt-relief scams."
        ),
        LONGER_TERM_COSTS_MORE: lambda: (
            _(
                "The plan runs %(span)s; the interest due after its first 12 months is what the "
                "longer term costs. A shorter term at the same rate, if you can afford it, "
                "avoids most of it."
            )
            % {
                "span": catalog.ngettext("%(count)s month", "%(count)s months", plan.months)
                % {"count": plan.months}
            }
        ),
        NEGATIVE_AMORTIZATION: lambda: _(
            "The payments do not cover the interest, so the debt grows. Ask for an interest "
            "freeze or a lower rate."
        ),
        NO_UNIQUE_RATE: lambda: _(
            "No single annual rate describes this plan's payments, so its true cost cannot "
            "be stated; ask the lender for its annualised rate and treat an offer without "
            "one with caution."
        ),
    }
    make = texts.get(finding.code)
    message = make() if make is not None else Localizer(catalog, fmt).say(finding.message)
    severity = label(catalog, "severity", finding.severity.name.lower())
    return _("%(severity)s: %(message)s") % {"severity": severity, "message": message}


def json_text(data: object) -> str:
    """*data* (a result, or plain data holding results) as the command prints JSON.

    Its sentences are said in the running command's ``--locale`` (English without one).
    """
    from debtnegotiation.serialize import to_json

    return _JsonText(to_json(data, localizer=current_localizer()) + "\n")


def localizer_for(ctx: click.Context, locale: str) -> Localizer:
    """The reader's language for *locale*: the merged catalogs and the locale formatter."""
    return Localizer(catalog_for(ctx, locale), plugin_host(ctx).formatter(locale))


def current_localizer() -> Localizer | None:
    """:func:`localizer_for` the running command's ``--locale``, if it has the option."""
    ctx = click.get_current_context(silent=True)
    locale = ctx.params.get("locale") if ctx is not None else None
    if ctx is None or not isinstance(locale, str):
        return None
    return localizer_for(ctx, locale)


def rate_labeller(catalog: Translations) -> Callable[[Regime], str]:
    """How documents name each regime's figure, translated by *catalog*."""

    def rate_label(regime: Regime) -> str:
        return label(catalog, "rate_label", regime.value)

    return rate_label


# --- running a case -------------------------------------------------------------------


def _warn_failures(results: Iterable[Options]) -> None:
    for options in results:
        for failure in options.failures:
            warn(str(failure))


@attrs.frozen
class CaseRun:
    """The debts of a portfolio a command was asked about (all, or the ``--creditor``)."""

    portfolio: Portfolio
    indexes: tuple[int, ...]

    def negotiations(self) -> tuple[Negotiation, ...]:
        """One negotiation per chosen debt, run; the plugins' failures are warned about."""
        negotiations = tuple(self.portfolio.negotiation(i) for i in self.indexes)
        _warn_failures(n.options() for n in negotiations)
        return negotiations

    def result(self) -> PortfolioResult:
        """The chosen debts' results; the plugins' failures are warned about."""
        result = self.portfolio.run(self.indexes)
        _warn_failures(c.options for c in result.creditors)
        return result

    def result_of(self, negotiations: Sequence[Negotiation]) -> PortfolioResult:
        """:meth:`result` from the :meth:`negotiations` already run (and warned about).

        The portfolio's own result (``Portfolio.run``), without running each negotiation
        a second time for a command that prints both a result and documents.
        """
        from debtnegotiation.portfolio import CreditorResult, PortfolioResult

        portfolio = self.portfolio
        creditors = tuple(
            CreditorResult(
                claim=portfolio.claims[index],
                budget=portfolio.shares[index],
                options=negotiation.options(),
                ladder=negotiation.ladder(),
            )
            for index, negotiation in zip(self.indexes, negotiations, strict=True)
        )
        return PortfolioResult(
            borrower=portfolio.borrower,
            on=portfolio.on,
            regime=portfolio.regime,
            creditors=creditors,
        )


def case_run(ctx: click.Context, path: Path, creditor: str | None) -> tuple[CaseFile, CaseRun]:
    """Load the case file at *path* and choose its debts (the one ``--creditor`` names)."""
    from debtnegotiation.casefile import load_case

    case = load_case(path)
    portfolio = case.portfolio(host=plugin_host(ctx))
    indexes = (case.index(creditor),) if creditor is not None else tuple(range(len(case.claims)))
    return case, CaseRun(portfolio, indexes)
