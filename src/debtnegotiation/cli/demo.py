"""``debtneg demo``: the built-in example case, end to end."""

from __future__ import annotations

import click

from debtnegotiation.cli._common import (
    OUTPUTS,
    CaseRun,
    documents_text,
    echo,
    format_option,
    json_text,
    locale_option,
    plugin_host,
)
from debtnegotiation.documents import DocumentKind, render_document
from debtnegotiation.portfolio import Portfolio
from debtnegotiation.serialize import to_data

__all__ = ["demo"]


def _example(ctx: click.Context) -> Portfolio:
    # Looked up on the package when the command runs: ``debtnegotiation.cli.example_portfolio``
    # is the seam tests replace to make the command fail.
    from debtnegotiation import cli as package

    portfolio: Portfolio = package.example_portfolio(host=plugin_host(ctx))
    return portfolio


@click.command()
@locale_option
@format_option("table", "markdown", "json", default="table")
@click.pass_context
def demo(ctx: click.Context, *, locale: str, output_format: str) -> None:
    """The built-in example: a borrower in Xi'an who lost their job, with two debts.

    For each debt: the ranked options compared with doing nothing, the call script (the
    concession ladder in the words to use) and the request letter.
    """
    portfolio = _example(ctx)
    negotiations = CaseRun(portfolio, tuple(range(len(portfolio.claims)))).negotiations()
    if output_format == "json":
        data = to_data(portfolio.run())
        for item, negotiation in zip(data["creditors"], negotiations, strict=True):
            item["letter"] = render_document(
                DocumentKind.LETTER, negotiation, locale=locale, host=portfolio.host
            )
        echo(json_text(data))
        return
    kinds = (DocumentKind.COMPARISON, DocumentKind.SCRIPT, DocumentKind.LETTER)
    echo(
        documents_text(
            negotiations, kinds, host=portfolio.host, locale=locale, output=OUTPUTS[output_format]
        )
    )
