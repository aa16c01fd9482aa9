"""``debtneg apr``: the true annual rate of a loan quote."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

import click

from debtnegotiation._validate import to_decimal
from debtnegotiation.casefile import parse_regime
from debtnegotiation.cli._common import (
    catalog_for,
    echo,
    format_option,
    grid,
    json_text,
    locale_option,
    parse_date,
    plugin_host,
    rate_labeller,
    today,
)
from debtnegotiation.errors import ValidationError
from debtnegotiation.loan_quote import LoanQuote
from debtnegotiation.messages import label
from debtnegotiation.money import Money
from debtnegotiation.tables import markdown_cell

__all__ = ["apr"]

#: The option each field of a loan quote comes from.
_OPTIONS: Final = {
    "LoanQuote.amount": "--amount",
    "LoanQuote.fee": "--fee",
    "LoanQuote.installment": "--installment",
}


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


@click.command()
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
    help="Annual-rate convention; repeat to compare. Required, with no default: the "
    "conventions give different answers for the same loan.",
)
@click.option(
    "--start",
    metavar="DATE",
    help="Date of the advance, YYYY-MM-DD (default: today). Month lengths matter to the EU "
    "and Regulation Z conventions, so state it when reproducing a disclosure.",
)
@click.option("--currency", metavar="CODE", help="ISO 4217 code to show amounts as money.")
@locale_option
@format_option("table", "markdown", "json", default="table")
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
    try:
        quote = LoanQuote(
            amount=lent,
            fee=charge,
            installment=payment,
            term=term,
            start=parse_date(start, "--start") or today(),
            currency=currency or None,
        )
    except ValidationError as error:
        if error.field not in _OPTIONS:
            raise
        raise click.BadParameter(
            f"expected {error.expected}, got {error.value}", param_hint=_OPTIONS[error.field]
        ) from None
    chosen = [parse_regime(r) for r in dict.fromkeys(r.lower() for r in regimes)]
    quoted = quote.annual_rates(chosen)
    host = plugin_host(ctx)
    fmt = host.formatter(locale)
    rate_label = rate_labeller(catalog_for(ctx, locale))

    def show(value: Decimal) -> str:
        return fmt.money(Money(value, quote.currency)) if quote.currency else fmt.number(value)

    if output_format == "json":
        echo(json_text(quoted))
        return
    first, received, repaid = quote.start, quote.amount_received, quote.total_of_payments
    catalog = catalog_for(ctx, locale)
    _ = catalog.gettext
    facts = [
        (
            _("amount received"),
            _("%(received)s (%(lent)s - fee %(fee)s) on %(date)s")
            % {
                "received": show(received),
                "lent": show(lent),
                "fee": show(charge),
                "date": fmt.date(first),
            },
        ),
        (
            _("repaid"),
            _("%(term)s x %(installment)s = %(total)s, monthly")
            % {"term": term, "installment": show(payment), "total": show(repaid)},
        ),
        (_("cost above the amount received"), show(quote.finance_charge)),
    ]
    if repaid < received:
        facts.append((_("note"), _("less is repaid than was received, so every rate is negative")))
    header = [
        _("regime"),
        _("annual rate"),
        _("basis"),
        _("effective annual rate"),
        _("disclosure label"),
    ]
    rows = [
        [
            r.regime.value,
            fmt.percent(r.rate),
            label(catalog, "rate_basis", r.basis.value),
            fmt.percent(r.effective_rate),
            rate_label(r.regime),
        ]
        for r in quoted.rates
    ]
    if output_format == "markdown":
        lines = [f"- {k}: {markdown_cell(v)}" for k, v in facts]
    else:
        lines = [_("%(key)s: %(value)s") % {"key": k, "value": v} for k, v in facts]
    echo("\n".join([*lines, "", grid(output_format, header, rows)]))
