"""``debtneg counter``: the lender's counter-offer, by its terms, judged — and the reply.

A thin shell over :meth:`Negotiation.evaluate
<debtnegotiation.negotiation.Negotiation.evaluate>`: the options describe a
:class:`~debtnegotiation.offers.LenderOffer`, the library decides (accept, counter or
reject) and gives the reasons and the reply; with ``--log`` the offer received and the
decision are appended to the negotiation log as one entry, and the conduct rules the
plugins hold for the debt are checked on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final, TypeVar

import click
from babel.support import Translations

from debtnegotiation.casefile import CaseFile
from debtnegotiation.cli._common import (
    InputError,
    case_argument,
    case_run,
    catalog_for,
    creditor_option,
    echo,
    finding_text,
    format_option,
    json_text,
    locale_option,
    plugin_host,
)
from debtnegotiation.cli.log import contact_at, warn_conduct
from debtnegotiation.cli.options import _known_strategies
from debtnegotiation.errors import ValidationError
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.messages import label
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Negotiation, Verdict
from debtnegotiation.negotiation_log import (
    Channel,
    Contact,
    Counterpart,
    Direction,
    NegotiationLog,
    Offer,
    Party,
)
from debtnegotiation.offers import LenderOffer
from debtnegotiation.plan import WaiverKind
from debtnegotiation.policy import FeeTiming
from debtnegotiation.proposal import LABEL_CONTEXT
from debtnegotiation.rates import InterestRate
from debtnegotiation.tables import markdown_cell
from debtnegotiation.text import Localizer, Text

__all__ = ["counter"]

_F = TypeVar("_F", bound=Callable[..., Any])

#: The option that carries each LenderOffer field, for errors the library raises.
_OPTION_OF_FIELD: Final = {
    "LenderOffer.months": "--months",
    "LenderOffer.fee": "--fee",
    "LenderOffer.fee_rate": "--fee-rate",
    "LenderOffer.waive": "--waive",
    "InterestRate.value": "--rate",
    "asked": "--asked",
}

_WAIVABLE: Final = ("interest", "penalty", "fees")


def _decimal(value: str | None, option: str, expected: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise click.BadParameter(f"expected {expected}, got {value!r}", param_hint=option) from None
    if not number.is_finite():
        raise click.BadParameter(f"expected {expected}, got {value!r}", param_hint=option)
    return number


def _bad(error: ValidationError, default: str) -> click.BadParameter:
    option = _OPTION_OF_FIELD.get(error.field, default)
    return click.BadParameter(str(error), param_hint=option)


def _offer(
    *,
    lever: str,
    months: int,
    fee: str | None,
    fee_rate: str | None,
    fee_timing: str,
    rate: str | None,
    waive: Sequence[str],
    title: str | None,
    currency: str,
) -> LenderOffer:
    if fee is not None and fee_rate is not None:
        raise click.UsageError("give the fee as --fee AMOUNT or --fee-rate FRACTION, not both")
    amount = _decimal(fee, "--fee", f"an amount in {currency} such as 959.94")
    share = _decimal(fee_rate, "--fee-rate", "a fraction from 0 to 1 such as 0.05")
    annual = _decimal(rate, "--rate", "an annual rate as a fraction such as 0.12")
    try:
        return LenderOffer(
            lever=lever,
            months=months,
            fee=None if amount is None else Money(amount, currency),
            fee_rate=share,
            fee_timing=FeeTiming(fee_timing),
            rate=None if annual is None else InterestRate.annual(annual),
            waive=frozenset(WaiverKind(w) for w in waive),
            **({"title": title} if title else {}),
        )
    except ValidationError as error:
        raise _bad(error, "--lever") from None


def _lever_name(negotiation: Negotiation, lever: str) -> Text | None:
    """The lever named as its strategy names its own proposals (``Proposal.label``).

    The engine names no strategy itself: the plugin that makes the lever's proposals does,
    in context ``strategy``, translated by its catalog. ``None`` when no strategy of that
    name proposed anything for the case (the code is shown then).
    """
    options = negotiation.options()
    proposals = [o.proposal for o in options.ranked] + list(options.unranked)
    for proposal in proposals:
        if proposal.strategy == lever and proposal.label:
            return Text.marked(LABEL_CONTEXT, proposal.label)
    return None


def _describe(offer: LenderOffer) -> Text:
    """The offer's terms in one line, for the log and the heading."""
    return offer.terms()


def _text(
    verdict: Verdict,
    heading: str,
    *,
    fmt: LocaleFormatter,
    catalog: Translations,
    output_format: str,
    budget: Money,
) -> str:
    _ = catalog.gettext
    say = Localizer(catalog, fmt).say
    option = verdict.offer
    plan = option.plan
    rate = (
        fmt.percent(option.annual_rate.rate)
        if option.annual_rate is not None
        else _("no unique rate")
    )
    facts = [
        _(
            "%(count)s payments, the largest %(largest)s; total paid %(total)s; saving against "
            "doing nothing %(saving)s; true annual rate %(rate)s; %(gate)s"
        )
        % {
            "count": plan.number_of_payments,
            "largest": fmt.money(option.largest_payment),
            "total": fmt.money(plan.total_paid),
            "saving": fmt.money(option.saving),
            "rate": rate,
            "gate": _("affordable") if option.affordable else _("NOT affordable"),
        },
    ]
    facts += [
        finding_text(f, option, budget=budget, fmt=fmt, catalog=catalog) for f in option.findings
    ]
    decision = _("Decision: %(decision)s") % {
        "decision": label(catalog, "decision", verdict.decision.value)
    }
    reply = _("Reply: %(reply)s")
    if output_format == "markdown":
        lines = [
            f"## {markdown_cell(heading)}",
            "",
            *(f"- {markdown_cell(f)}" for f in facts),
            "",
            f"**{decision}**",
            "",
            _("Reasons:"),
            "",
            *(f"- {markdown_cell(say(r))}" for r in verdict.reasons),
            "",
            reply % {"reply": markdown_cell(say(verdict.reply))},
        ]
    else:
        lines = [
            heading,
            *(f"  {f}" for f in facts),
            "",
            decision,
            _("Reasons:"),
            *(f"- {say(r)}" for r in verdict.reasons),
            "",
            reply % {"reply": say(verdict.reply)},
        ]
    return "\n".join(lines) + "\n"


def _log_options(function: _F) -> _F:
    options = [
        click.option(
            "--log",
            "log_path",
            metavar="LOG",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Append the offer and the decision to this negotiation log (created if "
            "missing) as one entry; needs --at and --channel. The receipt and any conduct "
            "warnings go to standard error, so JSON on standard output stays clean.",
        ),
        click.option(
            "--at",
            "at_text",
            metavar="TIMESTAMP",
            help="With --log: when the offer was made, e.g. 2026-11-05T10:30+08:00.",
        ),
        click.option(
            "--tz", metavar="ZONE", help="With --log: IANA zone for an --at without offset."
        ),
        click.option(
            "--channel",
            type=click.Choice([c.value for c in Channel]),
            help="With --log: how the offer was made.",
        ),
        click.option(
            "--direction",
            type=click.Choice([d.value for d in Direction]),
            default=Direction.OUTBOUND.value,
            show_default=True,
            help="With --log: inbound if they contacted you.",
        ),
        click.option("--counterpart", default="", help="With --log: the agent's name."),
        click.option("--employee-id", default="", help="With --log: the agent's ID."),
        click.option(
            "--organisation",
            default=None,
            help="With --log: the bank, platform or agency (default: the creditor).",
        ),
        click.option("--phone", default="", help="With --log: the number (or address) used."),
        click.option(
            "--account-reference",
            default=None,
            help="With --log: the account or case number (default: the debt's account).",
        ),
        click.option("--summary", default=None, help="With --log: what was said, in short."),
        click.option(
            "--recorded/--not-recorded",
            default=None,
            help="With --log: whether the call was recorded.",
        ),
        click.option(
            "--consent-announced/--consent-not-announced",
            default=None,
            help="With --log: whether recording was announced.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.command()
@case_argument
@click.option(
    "--lever",
    required=True,
    metavar="NAME",
    help="The strategy the offer corresponds to: extension, fee-advance, subsidy, deferral…",
)
@click.option(
    "--months", required=True, type=click.IntRange(min=1), help="Number of monthly installments."
)
@click.option("--fee", metavar="AMOUNT", help="A one-off handling fee, in the debt's currency.")
@click.option(
    "--fee-rate", metavar="FRACTION", help="The fee as a share of the amount owed (0.05)."
)
@click.option(
    "--fee-timing",
    type=click.Choice([t.value for t in FeeTiming]),
    default=FeeTiming.UPFRONT.value,
    show_default=True,
    help="When the fee is paid: upfront in cash, withheld (added to the balance) or spread.",
)
@click.option(
    "--rate",
    metavar="FRACTION",
    help="Nominal annual interest rate during the plan (0.12); omitted: interest frozen.",
)
@click.option(
    "--waive",
    multiple=True,
    type=click.Choice(_WAIVABLE),
    help="A charge the lender waives in full, as owed today; repeatable.",
)
@click.option(
    "--asked",
    multiple=True,
    type=click.IntRange(min=1),
    metavar="ORDER",
    help="A ladder step (its order in `debtneg script`) already asked and refused; "
    "repeatable. A refused step is never asked again, so once every better step is refused "
    "an affordable offer that beats doing nothing is accepted.",
)
@click.option("--title", metavar="TEXT", help="How the offer is named in the reasons.")
@creditor_option
@locale_option
@format_option("table", "markdown", "json", default="table")
@_log_options
@click.pass_context
def counter(
    ctx: click.Context,
    *,
    case: Path,
    lever: str,
    months: int,
    fee: str | None,
    fee_rate: str | None,
    fee_timing: str,
    rate: str | None,
    waive: tuple[str, ...],
    asked: tuple[int, ...],
    title: str | None,
    creditor: str | None,
    locale: str,
    output_format: str,
    log_path: Path | None,
    at_text: str | None,
    tz: str | None,
    channel: str | None,
    direction: str,
    counterpart: str,
    employee_id: str,
    organisation: str | None,
    phone: str,
    account_reference: str | None,
    summary: str | None,
    recorded: bool | None,
    consent_announced: bool | None,
) -> None:
    """Judge the lender's counter-offer for a debt in CASE: accept, counter or reject.

    Describe the offer by its terms; the command prints the decision, the reasons and the
    reply to give: for a counter, the ask to make (the next step not yet asked, or the
    offer made affordable); for a rejection, the walk-away advice (free debt counselling,
    never "stay in default"). Pass the ladder steps already refused with --asked. With
    --log LOG the offer and the decision are appended to the negotiation log.
    """
    if log_path is not None and (at_text is None or channel is None):
        raise click.UsageError("--log needs --at TIMESTAMP and --channel CHANNEL")
    loaded, run = case_run(ctx, case, creditor)
    if creditor is None and len(loaded.claims) > 1:
        names = ", ".join(repr(n) for n in loaded.creditors)
        raise InputError(f"{case}: several debts ({names}); say which with --creditor NAME")
    (negotiation,) = run.negotiations()
    name = lever.strip().lower()
    known = _known_strategies(run.portfolio.host, (negotiation,))
    if name not in known:
        raise click.BadParameter(
            f"unknown lever {lever!r}; known levers: {', '.join(sorted(known))}",
            param_hint="--lever",
        )
    currency = negotiation.case.debt.currency
    offer = _offer(
        lever=name,
        months=months,
        fee=fee,
        fee_rate=fee_rate,
        fee_timing=fee_timing,
        rate=rate,
        waive=waive,
        title=title,
        currency=currency,
    )
    try:
        verdict = negotiation.evaluate(offer, asked=asked)
    except ValidationError as error:
        raise _bad(error, "--lever") from None
    if log_path is not None:
        assert at_text is not None  # noqa: S101 - checked above
        assert channel is not None  # noqa: S101 - checked above
        contact = Contact(
            at=contact_at(at_text, tz),
            channel=channel,
            direction=direction,
            counterpart=Counterpart(
                name=counterpart,
                employee_id=employee_id,
                organisation=negotiation.case.debt.creditor.name
                if organisation is None
                else organisation,
                phone=phone,
            ),
            account_reference=negotiation.case.debt.account
            if account_reference is None
            else account_reference,
            summary=summary
            if summary is not None
            else f"Counter-offer received: {_describe(offer)}",
            key_points=(f"Decision: {verdict.decision.value}", f"Reply: {verdict.reply}"),
            offers=[_log_offer(offer, verdict)],
            recorded=recorded,
            consent_announced=consent_announced,
        )
        _append(ctx, log_path, contact, loaded, negotiation)
    if output_format == "json":
        echo(json_text(verdict))
        return
    fmt = run.portfolio.host.formatter(locale)
    catalog = catalog_for(ctx, locale)
    heading = Localizer(catalog, fmt).say(
        Text(
            "title",
            "{creditor}: {title} ({terms})",
            creditor=negotiation.case.debt.creditor.name,
            title=offer.title,
            terms=offer.terms(lever_name=_lever_name(negotiation, offer.lever)),
        )
    )
    budget = negotiation.case.monthly_budget
    echo(
        _text(
            verdict, heading, fmt=fmt, catalog=catalog, output_format=output_format, budget=budget
        )
    )


def _log_offer(offer: LenderOffer, verdict: Verdict) -> Offer:
    plan = verdict.offer.plan
    return Offer(
        by=Party.COUNTERPART,
        summary=f"{offer.title}: {_describe(offer)}",
        monthly_payment=verdict.offer.largest_payment,
        months=plan.number_of_payments,
        total=plan.total_paid,
        plan=plan.to_dict(),
    )


def _append(
    ctx: click.Context,
    path: Path,
    contact: Contact,
    loaded: CaseFile,
    negotiation: Negotiation,
) -> None:
    # Standard output stays the verdict (pure JSON with --format json): the log's
    # receipt and any conduct warnings go to standard error.
    rules = plugin_host(ctx).contact_rules(debt=negotiation.case.debt, borrower=loaded.borrower)
    with NegotiationLog.open(path) as negotiation_log:
        entry = negotiation_log.append(contact)
        head = negotiation_log.head
        warn_conduct(negotiation_log, rules)
    click.echo(f"entry {entry.seq} appended to {path}\nhead {head}", err=True)
