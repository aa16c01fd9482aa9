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

The package is a thin shell over the library, one module per command group
(``demo``, ``starter`` with ``init`` and ``example``, ``options`` with ``plan``,
``letter`` and ``script``, ``counter``, ``apr``, ``plugins``, ``log``, ``budget``,
``payoff``, ``dmp``, ``track``, ``batch``); JSON comes from
:mod:`debtnegotiation.serialize` and tables from :mod:`debtnegotiation.tables`.
``python -m debtnegotiation`` runs the same program. A command's module is imported only
when that command runs (``debtnegotiation.cli._lazy``), so a short command loads only
the part of the library it uses.

Errors are one line on standard error, never a traceback. Everything a command prints
(headings, tables, the engine's reasons and findings, documents, JSON sentences, money,
dates and rates) is in the chosen locale; ``--help`` and the one-line error messages stay
English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import click

from debtnegotiation.cli._common import (
    DEBUG_ENV,
    EXIT_FAILURE,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PLUGIN,
    EXIT_USAGE,
    LOCALE_ENV,
    PROG,
    CliState,
    CommandError,
    DebtnegGroup,
    InputError,
    PluginFailureError,
    terminal_width,
    tolerant_streams,
)
from debtnegotiation.cli._lazy import BUILTIN_COMMANDS, LazyCommands
from debtnegotiation.tables import table_width

if TYPE_CHECKING:
    from debtnegotiation.demo import example_portfolio

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
    "example_portfolio",
    "main",
]


# Each command's module is imported when the command is used (see cli._lazy).
@click.group(
    cls=DebtnegGroup,
    commands=LazyCommands(BUILTIN_COMMANDS),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--block-plugin",
    "blocked",
    multiple=True,
    metavar="NAME",
    help="Do not load this plugin (entry-point, module or distribution name); repeatable. "
    "DEBTNEG_DISABLE_PLUGINS=a,b does the same. The essential built-in formatter cannot be "
    "blocked (exit status 3).",
)
@click.option(
    "--strict-plugins",
    is_flag=True,
    help="Stop with exit status 3 when a plugin fails, instead of reporting it and going on.",
)
@click.option(
    "--plugin-timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Report a plugin hook call that takes longer than this as that plugin's failure "
    "and go on without it (default: no limit).",
)
@click.version_option(package_name="debtnegotiation", prog_name=PROG)
def cli(*, blocked: tuple[str, ...], strict_plugins: bool, plugin_timeout: float | None) -> None:
    """Negotiate repayment of consumer debts in hardship.

    Start with `debtneg demo`, then describe your own case: `debtneg init`
    writes a commented starter case file, `debtneg example --write xian.toml`
    the demo's case to edit (the documentation's case-file reference lists
    every key). Then run `debtneg options CASE`.

    Shell completion: `eval "$(_DEBTNEG_COMPLETE=bash_source debtneg)"` in
    ~/.bashrc (zsh_source for zsh, fish_source for fish).
    """
    del blocked, strict_plugins, plugin_timeout  # read when the plugin host is built
    # Documents' tables fit the terminal too (plain output to a file or pipe is not wrapped).
    click.get_current_context().with_resource(table_width(terminal_width()))


def __getattr__(name: str) -> object:
    """``example_portfolio``, the demo's case, imported on first use (PEP 562).

    It is looked up here when ``debtneg demo`` runs, so tests can replace it to make the
    command fail; other commands do not import the example.
    """
    if name == "example_portfolio":
        from debtnegotiation.demo import example_portfolio

        return example_portfolio
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


# --- entry point ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """Run ``debtneg`` with *argv* (default ``sys.argv[1:]``) and return the exit status.

    Library and usage errors are printed as one line by click. Any other exception is a
    bug: it is reported in one line with exit status :data:`EXIT_INTERNAL`, or re-raised
    with its traceback when ``DEBTNEG_DEBUG=1``.
    """
    env = os.environ if environ is None else environ
    tolerant_streams()
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name=PROG)
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_FAILURE)
    except Exception as error:
        if env.get(DEBUG_ENV, "") in {"1", "true"}:
            raise
        click.echo(
            f"{PROG}: internal error: {type(error).__name__}: {error} — this is a bug in "
            f"debtnegotiation or a plugin; run again with {DEBUG_ENV}=1 for the traceback "
            "and report it",
            err=True,
        )
        return EXIT_INTERNAL
