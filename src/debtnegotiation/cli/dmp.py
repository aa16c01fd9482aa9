"""``debtneg dmp``: a debt management plan proposal and a letter to each creditor."""

from __future__ import annotations

from pathlib import Path

import click

from debtnegotiation.cli._common import (
    case_run,
    creditor_option,
    echo,
    format_option,
    json_text,
    locale_option,
    plugin_host,
)
from debtnegotiation.cli._documents import OUTPUTS
from debtnegotiation.cli.budget import case_statement
from debtnegotiation.dmp import propose_dmp, render_dmp_letter
from debtnegotiation.documents import OutputFormat
from debtnegotiation.payoff_report import dmp_data

__all__ = ["dmp"]

_RULE = "-" * 72


@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@creditor_option
@locale_option
@format_option("text", "markdown", "html", "json", default="text")
@click.pass_context
def dmp(
    ctx: click.Context, *, case: Path, creditor: str | None, locale: str, output_format: str
) -> None:
    """A debt management plan for CASE: one monthly payment shared pro rata, a letter each.

    Each letter shows the budget, the creditor's share, the term and asks the creditor
    to freeze interest and charges.
    """
    loaded, run = case_run(ctx, case, None)
    host = plugin_host(ctx)
    proposal = propose_dmp(run.portfolio, case_statement(loaded, host))
    if output_format == "json":
        echo(json_text(dmp_data(proposal)))
        return
    names = [creditor] if creditor is not None else [s.creditor for s in proposal.shares]
    if output_format == "html" and len(names) > 1:
        listed = ", ".join(repr(s.creditor) for s in proposal.shares)
        raise click.UsageError(
            f"an HTML page holds one letter; choose a debt with --creditor ({listed})"
        )
    output = OUTPUTS[output_format]
    letters = [
        render_dmp_letter(proposal, name, locale=locale, host=host, output=output) for name in names
    ]
    separator = f"\n{_RULE}\n\n" if output is OutputFormat.TEXT else "\n---\n\n"
    echo(separator.join(t if t.endswith("\n") else t + "\n" for t in letters))
