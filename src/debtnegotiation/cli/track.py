"""Keeping an agreed plan: ``debtneg log agree``, ``log pay``, ``track`` and ``calendar``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from babel.support import Translations

from debtnegotiation.cli._common import (
    InputError,
    catalog_for,
    catalog_language,
    echo,
    format_option,
    grid,
    json_text,
    locale_option,
    localizer_for,
    parse_date,
    plugin_host,
    today,
)
from debtnegotiation.cli.log import appended, contact_at, log
from debtnegotiation.errors import ValidationError
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.messages import label
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    Agreement,
    Channel,
    Contact,
    Counterpart,
    Direction,
    NegotiationLog,
    Payment,
    PaymentStatus,
    PlanTracking,
    ScheduledPayment,
    plan_calendar,
    track,
)
from debtnegotiation.negotiation_log.ical import DEFAULT_REMINDERS
from debtnegotiation.plan import Plan
from debtnegotiation.serialize import from_data, to_data

__all__ = ["agree", "calendar", "pay", "track_command"]

#: Column codes of ``debtneg track`` (labels in the ``track_column`` group).
COLUMNS = ("number", "due", "amount", "paid", "paid_on", "status")


def _existing_log(function: Any) -> Any:  # noqa: ANN401 - a click decorator
    return click.argument(
        "log_path", metavar="LOG", type=click.Path(dir_okay=False, exists=True, path_type=Path)
    )(function)


def _schedule_of_plan(path: Path) -> tuple[tuple[ScheduledPayment, ...], dict[str, Any]]:
    """The due payments and the snapshot of a plan saved as JSON (``to_data(plan)``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{path}: expected a plan as JSON (debtnegotiation.to_data): {exc}"
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("plan"), dict):
        data = data["plan"]  # an option as `debtneg options --format json` prints it
    plan = from_data(data, Plan)
    due = [ScheduledPayment(due=i.due, amount=i.total) for i in plan.installments]
    snapshot = to_data(plan)
    assert isinstance(snapshot, dict)  # noqa: S101  (a plan serialises to an object)
    return tuple(due), snapshot


def _schedule_of_options(
    dues: tuple[tuple[str, str], ...], currency: str | None
) -> tuple[ScheduledPayment, ...]:
    if currency is None:
        raise click.UsageError("--due needs --currency CODE (e.g. CNY)")
    return tuple(
        ScheduledPayment(due=parse_date(day, "--due"), amount=Money(amount, currency))
        for day, amount in dues
    )


@log.command("agree")
@click.argument("log_path", metavar="LOG", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--at", "at_text", required=True, metavar="TIMESTAMP", help="When it was agreed.")
@click.option("--tz", metavar="ZONE", help="IANA zone for an --at without offset.")
@click.option(
    "--channel", required=True, type=click.Choice([c.value for c in Channel]), help="How."
)
@click.option("--lender", required=True, help="Who the plan was agreed with.")
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The agreed plan as JSON (debtnegotiation.serialize.to_data(plan), or one option of "
    "`debtneg options --format json`); its installments are the due payments.",
)
@click.option(
    "--due",
    "dues",
    multiple=True,
    type=(str, str),
    metavar="DATE AMOUNT",
    help="A due payment, e.g. 2027-01-15 1312.50 (instead of --plan); repeatable.",
)
@click.option("--currency", metavar="CODE", help="Currency of the --due amounts.")
@click.option("--grace-days", type=click.IntRange(min=0), default=0, show_default=True,
              help="Days after a due date a payment still counts as on time.")  # fmt: skip
@click.option("--lapses-after", type=click.IntRange(min=1),
              help="The plan lapses once this many payments are missed.")  # fmt: skip
@click.option("--if-late", default="", help="What the agreement says happens on a late payment.")
@click.option("--if-missed", default="", help="What it says happens on a missed payment.")
@click.option("--summary", default="", help="What was said, in short.")
@click.option("--counterpart", default="", help="The agent's name as they gave it.")
@locale_option
@click.pass_context
def agree(
    ctx: click.Context,
    *,
    log_path: Path,
    at_text: str,
    tz: str | None,
    channel: str,
    lender: str,
    plan_path: Path | None,
    dues: tuple[tuple[str, str], ...],
    currency: str | None,
    grace_days: int,
    lapses_after: int | None,
    if_late: str,
    if_missed: str,
    summary: str,
    counterpart: str,
    locale: str,
) -> None:
    """Record an agreed plan in LOG: its due payments and what happens if one is missed.

    Give the plan with --plan FILE or its payments with --due DATE AMOUNT (repeatable).
    """
    if (plan_path is None) == (not dues):
        raise click.UsageError("give the agreed plan with either --plan FILE or --due DATE AMOUNT")
    snapshot = None
    if plan_path is not None:
        schedule, snapshot = _schedule_of_plan(plan_path)
    else:
        schedule = _schedule_of_options(dues, currency)
    agreement = Agreement(
        lender=lender,
        schedule=schedule,
        plan=snapshot,
        grace_days=grace_days,
        lapses_after_missed=lapses_after,
        if_late=if_late,
        if_missed=if_missed,
    )
    contact = Contact(
        at=contact_at(at_text, tz),
        channel=channel,
        direction=Direction.OUTBOUND,
        counterpart=Counterpart(name=counterpart, organisation=lender),
        summary=summary or f"Plan agreed with {lender}: {len(schedule)} payments.",
        agreement=agreement,
    )
    with NegotiationLog.open(log_path) as negotiation_log:
        entry = negotiation_log.append(contact)
        head = negotiation_log.head
    echo(appended(ctx, locale, seq=entry.seq, path=log_path, head=head, kind="agreement"))


@log.command("pay")
@_existing_log
@click.option("--amount", required=True, metavar="AMOUNT", help="What was paid, e.g. 1312.50.")
@click.option("--currency", required=True, metavar="CODE", help="Its currency, e.g. CNY.")
@click.option("--on", "paid_on", required=True, metavar="DATE", help="The day it was paid.")
@click.option("--reference", default="", help="The payment or transfer reference.")
@click.option("--agreement", type=click.IntRange(min=1),
              help="The entry of the agreement it pays (default: the latest).")  # fmt: skip
@click.option(
    "--channel",
    type=click.Choice([c.value for c in Channel]),
    default=Channel.APP_CHAT.value,
    show_default=True,
    help="How the payment was made or notified.",
)
@click.option("--tz", metavar="ZONE", help="IANA zone of the payment day (default: UTC).")
@locale_option
@click.pass_context
def pay(
    ctx: click.Context,
    *,
    log_path: Path,
    amount: str,
    currency: str,
    paid_on: str,
    reference: str,
    agreement: int | None,
    channel: str,
    tz: str | None,
    locale: str,
) -> None:
    """Record a payment made under the agreed plan in LOG."""
    day = parse_date(paid_on, "--on")
    assert day is not None  # noqa: S101  (--on is required)
    payment = Payment(
        amount=Money(amount, currency), paid_on=day, agreement=agreement, reference=reference
    )
    at = contact_at(f"{day.isoformat()}T12:00", tz or "UTC")
    with NegotiationLog.open(log_path) as negotiation_log:
        if agreement is not None:
            try:
                recorded = negotiation_log.entry(agreement).contact.agreement
            except ValidationError:
                recorded = None
            if recorded is None:
                raise ValidationError("--agreement", "the entry of an agreement", agreement)
        entry = negotiation_log.append(
            Contact(
                at=at,
                channel=channel,
                direction=Direction.OUTBOUND,
                summary=f"Paid {payment.amount}" + (f" (ref. {reference})" if reference else ""),
                payment=payment,
            )
        )
        head = negotiation_log.head
    echo(appended(ctx, locale, seq=entry.seq, path=log_path, head=head, kind="payment"))


def _tracking(log_path: Path, as_of: str | None, agreement: int | None) -> PlanTracking:
    day = parse_date(as_of, "--as-of") or today()
    with NegotiationLog.open(log_path) as negotiation_log:
        return track(negotiation_log, as_of=day, agreement=agreement)


def _data(tracking: PlanTracking) -> dict[str, object]:
    agreed = tracking.agreement
    nxt = tracking.next_due
    return {
        "agreement_entry": tracking.agreement_entry,
        "lender": agreed.lender,
        "as_of": tracking.as_of.isoformat(),
        "grace_days": agreed.grace_days,
        "lapses_after_missed": agreed.lapses_after_missed,
        "if_late": agreed.if_late,
        "if_missed": agreed.if_missed,
        "next_due": None if nxt is None else nxt.number,
        "missed": tracking.missed,
        "lapsed_on": None if tracking.lapsed_on is None else tracking.lapsed_on.isoformat(),
        "total_paid": to_data(tracking.total_paid),
        "outstanding": to_data(tracking.outstanding),
        "credit": to_data(tracking.credit),
        "payments": [
            {
                "number": i.number,
                "due": i.due.isoformat(),
                "deadline": i.deadline.isoformat(),
                "amount": to_data(i.amount),
                "paid": to_data(i.paid),
                "paid_on": None if i.paid_on is None else i.paid_on.isoformat(),
                "status": i.status.value,
            }
            for i in tracking.items
        ],
        "findings": [to_data(f) for f in tracking.findings],
    }


def _finding_texts(
    tracking: PlanTracking, fmt: LocaleFormatter, catalog: Translations
) -> list[str]:
    """The tracking's findings worded in the catalog's language, from its own figures.

    Mirrors ``negotiation_log.tracking`` (same order, same facts); a finding of another
    code keeps its message.
    """
    if catalog_language(catalog) == "en":
        return [finding.message for finding in tracking.findings]  # the engine's own words
    _ = catalog.gettext
    agreed = tracking.agreement
    rule = _("the agreement with %(lender)s") % {"lender": agreed.lender}
    if agreed.lapses_after_missed is not None:
        rule += _(", lapses after %(count)s missed payment(s)") % {
            "count": agreed.lapses_after_missed
        }
    if agreed.grace_days:
        rule += _(", %(count)s grace day(s)") % {"count": agreed.grace_days}

    def said(text: str) -> str:
        return _(" The agreement says: %(text)s") % {"text": text} if text else ""

    worded: list[tuple[str, str]] = []
    for item in tracking.items:
        figures = {
            "number": item.number,
            "amount": fmt.money(item.amount),
            "due": fmt.date(item.due),
            "deadline": fmt.date(item.deadline),
            "outstanding": fmt.money(item.outstanding),
            "paid_on": "-" if item.paid_on is None else fmt.date(item.paid_on),
            "rule": rule,
        }
        if item.status is PaymentStatus.MISSED:
            text = _(
                "Payment %(number)s of %(amount)s due %(due)s was not paid in full by "
                "%(deadline)s (%(outstanding)s outstanding; rule: %(rule)s)."
            )
            worded.append(("plan.payment_missed", text % figures + said(agreed.if_missed)))
        elif item.status is PaymentStatus.LATE:
            text = _(
                "Payment %(number)s due %(due)s was completed on %(paid_on)s, after "
                "%(deadline)s (rule: %(rule)s)."
            )
            worded.append(("plan.payment_late", text % figures + said(agreed.if_late)))
    if tracking.lapsed_on is not None:
        text = _(
            "The plan lapsed on %(date)s: %(missed)s payment(s) missed (rule: %(rule)s). "
            "Contact %(lender)s before paying more."
        ) % {
            "date": fmt.date(tracking.lapsed_on),
            "missed": tracking.missed,
            "rule": rule,
            "lender": agreed.lender,
        }
        worded.append(("plan.lapsed", text))
    elif tracking.next_due is not None:
        upcoming = tracking.next_due
        text = _(
            "If payment %(number)s of %(outstanding)s due %(due)s is not paid in full by "
            "%(deadline)s, the plan lapses (rule: %(rule)s)."
        ) % {
            "number": upcoming.number,
            "outstanding": fmt.money(upcoming.outstanding),
            "due": fmt.date(upcoming.due),
            "deadline": fmt.date(upcoming.deadline),
            "rule": rule,
        }
        worded.append(("plan.lapses_if_missed", text + said(agreed.if_missed)))
    texts = []
    pending = list(worded)
    for finding in tracking.findings:
        match = next((w for w in pending if w[0] == finding.code), None)
        if match is None:
            texts.append(finding.message)
        else:
            pending.remove(match)
            texts.append(match[1])
    return texts


@click.command("track")
@_existing_log
@click.option("--as-of", metavar="DATE", help="The tracking date (default: today).")
@click.option("--agreement", type=click.IntRange(min=1),
              help="The entry of the agreement to track (default: the latest).")  # fmt: skip
@locale_option
@format_option("table", "markdown", "json", default="table")
@click.pass_context
def track_command(
    ctx: click.Context,
    *,
    log_path: Path,
    as_of: str | None,
    agreement: int | None,
    locale: str,
    output_format: str,
) -> None:
    """The agreed plan in LOG: what is due next, what was paid, paid late or missed.

    Below the table, what needs attention, each with the agreement's rule behind it; a
    plan that lapses on one more missed payment is flagged before the due date.
    """
    tracking = _tracking(log_path, as_of, agreement)
    fmt = plugin_host(ctx).formatter(locale)
    catalog = catalog_for(ctx, locale)
    messages = _finding_texts(tracking, fmt, catalog)
    if output_format == "json":
        data = _data(tracking)
        findings = data["findings"]
        assert isinstance(findings, list)  # noqa: S101  (built by _data)
        for finding, message in zip(findings, messages, strict=True):
            finding["message"] = message  # text in the locale, codes as they are
        echo(json_text(data))
        return

    rows = [
        [
            str(i.number),
            fmt.date(i.due),
            fmt.money(i.amount),
            fmt.money(i.paid),
            "-" if i.paid_on is None else fmt.date(i.paid_on),
            label(catalog, "payment_status", i.status.value),
        ]
        for i in tracking.items
    ]
    agreed = tracking.agreement
    header = [label(catalog, "track_column", c) for c in COLUMNS]
    lines = [
        label(catalog, "track_column", "heading").format(
            lender=agreed.lender, entry=tracking.agreement_entry, date=fmt.date(tracking.as_of)
        ),
        grid(output_format, header, rows).rstrip("\n"),
    ]
    for finding, message in zip(tracking.findings, messages, strict=True):
        severity = finding.severity.name.lower()
        if catalog_language(catalog) != "en":
            severity = label(catalog, "severity", severity)
        lines.append(f"{severity} ({finding.code}): {message}")
    echo("\n".join(lines) + "\n")


@click.command("calendar")
@_existing_log
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .ics file to write.")  # fmt: skip
@click.option("--as-of", metavar="DATE", help="The tracking date (default: today).")
@click.option("--agreement", type=click.IntRange(min=1),
              help="The entry of the agreement (default: the latest).")  # fmt: skip
@click.option(
    "--remind",
    "reminders",
    multiple=True,
    type=click.IntRange(min=0, max=366),
    metavar="DAYS",
    help=f"Remind this many days before each unpaid due date; repeatable "
    f"[default: {', '.join(map(str, DEFAULT_REMINDERS))}].",
)
@locale_option
@click.pass_context
def calendar(
    ctx: click.Context,
    *,
    log_path: Path,
    output: Path,
    as_of: str | None,
    agreement: int | None,
    reminders: tuple[int, ...],
    locale: str,
) -> None:
    """Write the due dates of the agreed plan in LOG to an iCalendar file, with reminders.

    The events' titles and descriptions are in --locale.
    """
    tracking = _tracking(log_path, as_of, agreement)
    data = plan_calendar(
        tracking,
        stamp=dt.datetime.now(dt.UTC),
        reminders=reminders or DEFAULT_REMINDERS,
        localizer=localizer_for(ctx, locale),
    )
    temp = output.with_name(output.name + ".tmp")
    temp.write_bytes(data)
    temp.replace(output)  # a reader never sees half a file
    _ = catalog_for(ctx, locale).gettext
    text = _("%(count)s due dates written to %(path)s") % {
        "count": len(tracking.items),
        "path": output,
    }
    echo(text + "\n")
