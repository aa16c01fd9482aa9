"""``debtneg log``: keep, list, verify and export the negotiation log; check conduct."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from babel.support import Translations

from debtnegotiation.casefile import CaseFile, load_case
from debtnegotiation.cli._common import (
    EXIT_FAILURE,
    InputError,
    case_argument,
    catalog_for,
    echo,
    format_option,
    grid,
    json_text,
    locale_option,
    parse_date,
    plugin_host,
    today,
    warn,
)
from debtnegotiation.debt import Debt
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.messages import label
from debtnegotiation.negotiation_log import (
    Channel,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Contact,
    ContactRules,
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
    latest_conduct_findings,
    render_report,
    verify_bundle,
    verify_jsonl,
)
from debtnegotiation.negotiation_log.export import copy_attachments
from debtnegotiation.plugins import Collected

__all__ = ["contact_at", "log", "warn_conduct"]

_F = TypeVar("_F", bound=Callable[..., Any])


@click.group()
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


def contact_at(value: str, zone: str | None) -> dt.datetime:
    """The ``--at`` timestamp, with its offset or in ``--tz`` *zone*; never naive."""
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


def warn_conduct(negotiation_log: NegotiationLog, rules: Collected[ContactRules]) -> None:
    """Warn, on standard error, of the conduct findings the log's latest entry adds.

    A call recorded without announcing it where every party must consent, a call outside
    the allowed hours...: said when the contact is logged, not only by ``log conduct``.
    """
    found = latest_conduct_findings(negotiation_log, rules)
    for failure in found.failures:
        warn(str(failure))
    for finding in found.items:
        warn(f"conduct ({finding.severity.name.lower()}, {finding.source}): {finding.message}")


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
@click.option(
    "--case",
    "case_path",
    metavar="CASE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The case file: the conduct rules plugins hold for its debt and borrower are "
    "checked on the new entry (e.g. recording consent by the borrower's region).",
)
@click.option(
    "--creditor",
    metavar="NAME",
    help="With --case: the creditor the log is about, when CASE holds several debts.",
)
@click.pass_context
def log_add(
    ctx: click.Context,
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
    case_path: Path | None,
    creditor: str | None,
) -> None:
    """Append one contact to LOG (created if missing); entries are never changed.

    With --case, the conduct rules plugins hold for the debt are checked on the new
    entry and any finding is warned about on standard error.
    """
    rules = None
    if case_path is not None:
        case_file = load_case(case_path)
        debt = _debt_of(case_file, case_path, creditor)
        rules = plugin_host(ctx).contact_rules(debt=debt, borrower=case_file.borrower)
    elif creditor is not None:
        raise click.UsageError("--creditor needs --case CASE")
    contact = Contact(
        at=contact_at(at_text, tz),
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
                by=by, what=what, due=None if due == "-" else parse_date(due, "--commitment")
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
        if rules is not None:
            warn_conduct(negotiation_log, rules)
    echo(f"entry {entry.seq} appended to {log_path}\nhead {head}\n")


def _debt_of(case_file: CaseFile, path: Path, creditor: str | None) -> Debt:
    """The debt in the case file the log is about: the only one, or the --creditor's."""
    if creditor is None and len(case_file.claims) > 1:
        names = ", ".join(repr(n) for n in case_file.creditors)
        raise InputError(f"{path}: several debts ({names}); say which with --creditor NAME")
    return case_file.claims[0 if creditor is None else case_file.index(creditor)].debt


def _entry_row(item: CorrectedEntry, fmt: LocaleFormatter, catalog: Translations) -> list[str]:
    entry = item.current
    contact = entry.contact
    who = " / ".join(
        part for part in (contact.counterpart.name, contact.counterpart.organisation) if part
    )
    return [
        str(item.seq) + ("*" if item.corrected else ""),
        fmt.datetime(contact.at),
        label(catalog, "channel", contact.channel.value),
        label(catalog, "direction", contact.direction.value),
        who or "-",
        contact.summary or "-",
        str(len(entry.attachments)),
    ]


@log.command("list")
@_log_argument(must_exist=True)
@locale_option
@format_option("table", "markdown", "json", default="table")
@click.pass_context
def log_list(ctx: click.Context, *, log_path: Path, locale: str, output_format: str) -> None:
    """The contacts in LOG, corrections folded in (* marks a corrected entry)."""
    with _open_log(log_path) as negotiation_log:
        view = negotiation_log.current()
    if output_format == "json":
        data = list(view)
        echo(json_text(data))
        return
    fmt = plugin_host(ctx).formatter(locale)
    catalog = catalog_for(ctx, locale)
    _ = catalog.gettext
    header = [
        "#",
        _("at"),
        _("channel"),
        _("direction"),
        _("counterpart"),
        _("summary"),
        _("files"),
    ]
    rows = [_entry_row(item, fmt, catalog) for item in view]
    echo(grid(output_format, header, rows) if rows else _("the log is empty") + "\n")


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
            echo(f"OK: {bundle.chain.explanation if bundle.chain else 'bundle verified'}\n")
            return
        echo("".join(f"BROKEN: {p}\n" for p in bundle.problems))
        ctx.exit(EXIT_FAILURE)
    if suffix == ".jsonl":
        result = verify_jsonl(path, attachments=attachments, expected_head=expected_head)
    else:
        with _open_log(path) as negotiation_log:
            result = negotiation_log.verify(expected_head=expected_head)
    if result.ok:
        echo(f"OK: {result.explanation}\n")
        return
    echo(f"BROKEN: {result.explanation}\n")
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
@locale_option
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
    date = parse_date(as_of, "--as-of")
    with _open_log(log_path) as negotiation_log:
        if kind == "report":
            fmt = plugin_host(ctx).formatter(locale)
            text = render_report(
                negotiation_log.entries(),
                fmt,
                format="html" if report_format == "html" else "markdown",
                as_of=date,
                verification=negotiation_log.verify(),
            )
            if output is None:
                echo(text)
                return
            output.write_text(text, encoding="utf-8")
            report = None
        elif kind == "jsonl":
            assert output is not None  # noqa: S101 - checked above
            report = export_jsonl(negotiation_log, output, redaction=redaction)
            if attachments is not None:
                copied = copy_attachments(negotiation_log, attachments)
                echo(f"{copied} attachment file(s) copied to {attachments}\n")
        else:
            assert output is not None  # noqa: S101 - checked above
            report = export_bundle(
                negotiation_log,
                output,
                formatter=plugin_host(ctx).formatter(locale),
                as_of=date,
                redaction=redaction,
            )
        count = len(negotiation_log)
    echo(f"{count} entries exported to {output}\n")
    if report is not None:
        counts = ", ".join(f"{n} {category}" for category, n in sorted(report.counts().items()))
        echo(f"redacted: {counts or 'nothing found'}\n")


@log.command("followups")
@_log_argument(must_exist=True)
@click.option("--as-of", metavar="DATE", help="The date to check (default: today).")
@click.option("--overdue", is_flag=True, help="Only commitments past their due date.")
@locale_option
@format_option("table", "markdown", "json", default="table")
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
    date = parse_date(as_of, "--as-of") or today()
    with _open_log(log_path) as negotiation_log:
        items = [f for f in negotiation_log.followups(date) if f.overdue or not overdue]
    if output_format == "json":
        echo(json_text({"as_of": date, "followups": items}))
        return
    fmt = plugin_host(ctx).formatter(locale)
    catalog = catalog_for(ctx, locale)
    _ = catalog.gettext
    header = [_("entry"), _("index"), _("by"), _("what"), _("due"), _("days overdue")]
    rows = [
        [
            str(f.entry),
            str(f.index),
            label(catalog, "party", f.commitment.by.value),
            f.commitment.what,
            fmt.date(f.commitment.due) if f.commitment.due else "-",
            str(f.days_overdue) if f.overdue else "-",
        ]
        for f in items
    ]
    empty = (
        _("no overdue commitments on %(date)s") if overdue else _("no open commitments on %(date)s")
    ) % {"date": fmt.date(date)}
    echo(grid(output_format, header, rows) if rows else empty + "\n")


@log.command("conduct")
@_log_argument(must_exist=True)
@case_argument
@click.option(
    "--creditor",
    metavar="NAME",
    help="The creditor the log is about; needed when CASE holds several debts.",
)
@format_option("table", "markdown", "json", default="table")
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
    debt = _debt_of(case_file, case, creditor)
    host = plugin_host(ctx)
    rules = host.contact_rules(debt=debt, borrower=case_file.borrower)
    with _open_log(log_path) as negotiation_log:
        found = conduct_findings(negotiation_log, rules)
    for failure in found.failures:
        warn(str(failure))
    if output_format == "json":
        data = {"creditor": debt.creditor.name, "rule_sets": rules.items, "findings": found.items}
        echo(json_text(data))
        return
    if not rules.items:
        echo(
            f"no plugin holds collection-conduct rules for the debt to {debt.creditor.name} "
            "(install a jurisdiction pack; the US pack needs the borrower's timezone)\n"
        )
        return
    checked = "; ".join(f"{r.name}, judged in {r.zone}" for r in rules.items)
    if not found.items:
        echo(f"no conduct findings under {checked}\n")
        return
    header = ["severity", "code", "source", "message"]
    rows = [[f.severity.name, f.code, f.source, f.message] for f in found.items]
    echo(f"checked under {checked}\n\n" + grid(output_format, header, rows))
