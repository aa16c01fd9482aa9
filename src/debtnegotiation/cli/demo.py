"""``debtneg demo``: the built-in example case, end to end."""

from __future__ import annotations

from pathlib import Path

import click

from debtnegotiation.cli._common import (
    CaseRun,
    format_option,
    json_text,
    locale_option,
    plugin_host,
)
from debtnegotiation.cli._documents import OUTPUTS, documents_text
from debtnegotiation.cli._output import chosen_format, emit, output_option
from debtnegotiation.documents import (
    DocumentKind,
    OutputFormat,
    join_html,
    render_document,
    render_documents,
)
from debtnegotiation.portfolio import Portfolio

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
@output_option
@click.pass_context
def demo(ctx: click.Context, *, locale: str, output_format: str, output: Path | None) -> None:
    """The built-in example: a borrower in Xi'an who lost their job, with two debts.

    For each debt: the ranked options compared with doing nothing, the call script (the
    concession ladder in the words to use) and the request letter. With ``-o FILE.html``
    or ``.pdf``, one page to print: each document on new paper, the comparisons with
    their charts.
    """
    output_format = chosen_format(
        ctx, output, output_format, ("table", "text", "markdown", "json", "html", "pdf")
    )
    portfolio = _example(ctx)
    run = CaseRun(portfolio, tuple(range(len(portfolio.claims))))
    negotiations = run.negotiations()
    if output_format == "json":
        from debtnegotiation.serialize import to_data

        data = to_data(run.result_of(negotiations))
        for item, negotiation in zip(data["creditors"], negotiations, strict=True):
            item["letter"] = render_document(
                DocumentKind.LETTER, negotiation, locale=locale, host=portfolio.host
            )
        emit(output, output_format, json_text(data))
        return
    kinds = (DocumentKind.COMPARISON, DocumentKind.SCRIPT, DocumentKind.LETTER)
    if output_format in {"html", "pdf"}:
        pages = [
            page
            for negotiation in negotiations
            for page in render_documents(
                kinds, negotiation, locale=locale, output=OutputFormat.HTML, host=portfolio.host
            )
        ]
        emit(output, output_format, join_html(pages))
        return
    emit(
        output,
        output_format,
        documents_text(
            negotiations, kinds, host=portfolio.host, locale=locale, output=OUTPUTS[output_format]
        ),
    )
