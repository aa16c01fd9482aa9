"""``debtneg log``: keep, list, verify and export the negotiation log; check conduct."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, TypeVar

import click
from babel.support import NullTranslations, Translations
from click.core import ParameterSource

from debtnegotiation.casefile import CaseFile, load_case
from debtnegotiation.cli._common import (
    EXIT_FAILURE,
    InputError,
    case_argument,
    catalog_for,
    catalog_language,
    current_localizer,
    echo,
    format_option,
    grid,
    json_text,
    locale_option,
    localizer_for,
    parse_date,
    plugin_host,
    today,
    warn,
)
from debtnegotiation.cli._lazy import LOG_COMMANDS, LazyCommands, LazyGroup
from debtnegotiation.debt import Debt
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.i18n import CatalogNotFoundError
from debtnegotiation.messages import GROUPS, label
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
    LogError,
    NegotiationLog,
    Offer,
    Party,
    Redaction,
    SigningKey,
    VerifierKey,
    VerifyResult,
    conduct_findings,
    export_bundle,
    export_jsonl,
    latest_conduct_findings,
    make_checkpoint,
    render_report,
    verification_text,
    verify_bundle,
    verify_checkpoint,
    verify_jsonl,
)
from debtnegotiation.negotiation_log.checkpoint import KEY_ENV
from debtnegotiation.negotiation_log.export import atomic_write, copy_attachments
from debtnegotiation.negotiation_log.redact import redact_entries
from debtnegotiation.negotiation_log.report import default_translations
from debtnegotiation.pdf import html_to_pdf
from debtnegotiation.plugins import Collected
from debtnegotiation.text import Items, Label, Text

__all__ = ["contact_at", "log", "warn_conduct"]

_F = TypeVar("_F", bound=Callable[..., Any])


# ``log agree`` and ``log pay`` are defined with ``debtneg track`` (cli.track), imported
# when used.
@click.group(cls=LazyGroup, commands=LazyCommands(LOG_COMMANDS))
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
    # In the running command's --locale, like the rest of its output (English as worded).
    localizer = current_localizer()
    if localizer is not None and localizer.formatter.locale.split("_")[0] == "en":
        localizer = None
    for finding in found.items:
        message = finding.message if localizer is None else localizer.say(finding.message)
        warn(f"conduct ({finding.severity.name.lower()}, {finding.source}): {message}")


def _status(value: str) -> CommitmentStatus:
    try:
        return CommitmentStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in CommitmentStatus)
        raise click.BadParameter(f"expected one of {allowed}, got {value!r}") from None


@log.command("add")
@_log_argument(must_exist=False)
@click.option(
    "--at",
    "at_text",
    metavar="TIMESTAMP",
    help="When, e.g. 2026-11-05T10:30+08:00 (required unless --corrects).",
)
@click.option("--tz", metavar="ZONE", help="IANA zone for an --at without offset.")
@click.option(
    "--channel",
    type=click.Choice([c.value for c in Channel]),
    help="How (required unless --corrects).",
)
@click.option(
    "--direction",
    type=click.Choice([d.value for d in Direction]),
    help="inbound: they contacted you. [default: outbound]",
)
@click.option("--counterpart", help="The agent's name as they gave it.")
@click.option("--employee-id", help="The agent's employee or badge number.")
@click.option("--organisation", help="The bank, platform or agency.")
@click.option("--phone", help="The number (or address) used.")
@click.option("--account-reference", help="The account or case number used.")
@click.option("--summary", help="What was said, in short.")
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
@click.option(
    "--corrects",
    type=click.IntRange(min=1),
    help="Number of the entry corrected: only the options given change, every other field "
    "(and the attachments, unless --attach) is carried over from its current version.",
)
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
@locale_option
@click.pass_context
def log_add(
    ctx: click.Context,
    *,
    log_path: Path,
    at_text: str | None,
    tz: str | None,
    channel: str | None,
    direction: str | None,
    counterpart: str | None,
    employee_id: str | None,
    organisation: str | None,
    phone: str | None,
    account_reference: str | None,
    summary: str | None,
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
    locale: str,
) -> None:
    """Append one contact to LOG (created if missing); entries are never changed.

    With --corrects N, the new entry corrects entry N: only the options given change,
    every field not given (time, channel, direction, counterpart, offers, commitments,
    attachments...) is carried over from entry N's current version.

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
    people = {
        "name": counterpart,
        "employee_id": employee_id,
        "organisation": organisation,
        "phone": phone,
    }
    given: dict[str, object] = {
        "channel": channel,
        "direction": direction,
        "account_reference": account_reference,
        "summary": summary,
        "recorded": recorded,
        "consent_announced": consent_announced,
        "answered": answered,
    }
    if at_text is not None:
        given["at"] = contact_at(at_text, tz)
    if key_points:
        given["key_points"] = key_points
    if offers:
        given["offers"] = [Offer(by=by, summary=text) for by, text in offers]
    if commitments:
        given["commitments"] = [
            Commitment(
                by=by, what=what, due=None if due == "-" else parse_date(due, "--commitment")
            )
            for by, what, due in commitments
        ]
    if updates:
        given["commitment_updates"] = [
            CommitmentUpdate(entry=e, index=i, status=_status(s)) for e, i, s in updates
        ]
    changes = {k: v for k, v in given.items() if v is not None}
    changed_people = {k: v for k, v in people.items() if v is not None}
    with _open_log(log_path) as negotiation_log:
        if corrects is not None:
            if changed_people:
                changes["counterpart"] = changed_people
            entry = negotiation_log.correct(corrects, attachments=attachments or None, **changes)
        else:
            entry = negotiation_log.append(
                _new_contact(changes, changed_people), attachments=attachments
            )
        head = negotiation_log.head
        if rules is not None:
            warn_conduct(negotiation_log, rules)
    echo(appended(ctx, locale, seq=entry.seq, path=log_path, head=head))


def appended(
    ctx: click.Context, locale: str, *, seq: int, path: Path, head: str, kind: str = ""
) -> str:
    """The confirmation of an appended entry (*kind*: "", "agreement" or "payment")."""
    _ = catalog_for(ctx, locale).gettext
    texts = {
        "": _("entry %(seq)s appended to %(path)s"),
        "agreement": _("entry %(seq)s (agreement) appended to %(path)s"),
        "payment": _("entry %(seq)s (payment) appended to %(path)s"),
    }
    line = texts[kind] % {"seq": seq, "path": path}
    return line + "\n" + _("head %(hash)s") % {"hash": head} + "\n"


def _new_contact(changes: dict[str, object], people: dict[str, str]) -> Contact:
    """A new entry's contact: --at and --channel are required, direction is outbound."""
    for name, option in (("at", "--at"), ("channel", "--channel")):
        if name not in changes:
            raise click.UsageError(f"Missing option '{option}' (needed unless --corrects).")
    changes.setdefault("direction", Direction.OUTBOUND.value)
    return Contact(counterpart=Counterpart(**people), **changes)  # type: ignore[arg-type]


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


def _key_option(func: _F) -> _F:
    return click.option(
        "--key",
        "key_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Your checkpoint signing key (default: ${KEY_ENV}, else one kept in your "
        "config directory, made on first use).",
    )(func)


@log.command("verify")
@click.argument(
    "path",
    metavar="LOG|EXPORT.jsonl|BUNDLE.zip",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--expected-head",
    metavar="HASH",
    help="A head hash published earlier: it must still be in the chain (detects a rewrite "
    "of the whole log).",
)
@click.option(
    "--attachments",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="For a .jsonl export: the folder of its attachment files.",
)
@click.option(
    "--allow-absent-attachments",
    is_flag=True,
    help="Exit 0 when attachments are absent (they are still listed as not checked).",
)
@click.option(
    "--checkpoint",
    "checkpoint_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A checkpoint from `debtneg log checkpoint`: prove the log extends it.",
)
@click.option(
    "--verifier-key",
    metavar="KEY",
    help="The public key the checkpoint must be signed with (name+id+base64, from "
    "`debtneg log checkpoint --public-key`); default: your own key.",
)
@_key_option
@locale_option
@click.pass_context
def log_verify(
    ctx: click.Context,
    *,
    path: Path,
    expected_head: str | None,
    attachments: Path | None,
    allow_absent_attachments: bool,
    checkpoint_path: Path | None,
    verifier_key: str | None,
    key_path: Path | None,
    locale: str,
) -> None:
    """Check the hash chain, every value and the attachments; exit 1 when anything is wrong.

    Verifies a log file, a JSON Lines export (.jsonl) or an evidence bundle (.zip),
    offline. Attachments that could not be checked (a .jsonl without --attachments, a
    bundle without its files) are listed and make the exit status 1 unless
    --allow-absent-attachments. With --checkpoint, also proves that nothing up to the
    checkpoint was rewritten.
    """
    suffix = path.suffix.lower()
    problems: list[str] = []
    if suffix == ".zip":
        bundle = verify_bundle(
            path,
            expected_head=expected_head,
            allow_absent_attachments=allow_absent_attachments,
            catalog_for=lambda bundle_locale: _bundle_catalog(ctx, bundle_locale),
        )
        problems = list(bundle.problems)
        chain = bundle.chain
        absent = bundle.absent
    else:
        if suffix == ".jsonl":
            chain = verify_jsonl(
                path,
                attachments=attachments,
                expected_head=expected_head,
                absent_allowed=allow_absent_attachments,
            )
        else:
            with _open_log(path) as negotiation_log:
                chain = negotiation_log.verify(expected_head=expected_head)
        if chain.problem is not None:
            problems.append(chain.explanation)
        absent = chain.absent
    catalog = catalog_for(ctx, locale)
    _ = catalog.gettext
    lines = [_("BROKEN: %(problem)s") % {"problem": p} + "\n" for p in problems]
    if not problems and chain is not None:
        explained = _chain_text(chain, catalog)
        if absent and not allow_absent_attachments:
            lines.append(_("INCOMPLETE: %(explanation)s") % {"explanation": explained} + "\n")
            lines.extend(
                _("NOT CHECKED: attachment %(attachment)s is absent") % {"attachment": a} + "\n"
                for a in absent
            )
        else:
            lines.append(_("OK: %(explanation)s") % {"explanation": explained} + "\n")
    failed = bool(problems) or (bool(absent) and not allow_absent_attachments)
    if checkpoint_path is not None and chain is not None:
        check = verify_checkpoint(
            checkpoint_path.read_text(encoding="utf-8"),
            chain,
            _verifier(verifier_key, key_path),
        )
        lines.append(f"{'CHECKPOINT OK' if check.ok else 'CHECKPOINT FAILED'}: {check.message}\n")
        failed = failed or not check.ok
    echo("".join(lines))
    if failed:
        ctx.exit(EXIT_FAILURE)


def _bundle_catalog(ctx: click.Context, locale: str) -> NullTranslations:
    """The catalog a bundle's reports are rendered again with: as `log export` made them.

    A bundle made through the API in a locale without a catalog has English labels.
    """
    try:
        return catalog_for(ctx, locale)
    except CatalogNotFoundError:
        return default_translations(locale)


def _chain_text(chain: VerifyResult, catalog: Translations) -> str:
    """A sound chain's outcome in the catalog's language (English: the verifier's words)."""
    if catalog_language(catalog) == "en" or chain.problem is not None:
        return chain.explanation
    return verification_text(chain, catalog)


def _verifier(text: str | None, key_path: Path | None) -> VerifierKey:
    if text is not None:
        try:
            return VerifierKey.parse(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--verifier-key") from None
    try:
        return SigningKey.load(key_path, create=False).verifier
    except LogError as exc:
        raise InputError(f"{exc}; pass --verifier-key KEY") from None


@log.command("checkpoint")
@_log_argument(must_exist=True)
@_key_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the checkpoint to this file.",
)
@click.option("--public-key", is_flag=True, help="Print your public verifier key instead.")
@click.pass_context
def log_checkpoint(
    ctx: click.Context,
    *,
    log_path: Path,
    key_path: Path | None,
    output: Path | None,
    public_key: bool,
) -> None:
    """Print a signed checkpoint of LOG: its size and head hash, now, signed by your key.

    E-mail it to yourself or to the lender: `debtneg log verify LOG --checkpoint FILE`
    later proves that nothing up to it was rewritten or removed. The Ed25519 key is made
    on first use and kept readable by you only.
    """
    try:
        key = SigningKey.load(key_path)
    except LogError as exc:
        raise InputError(str(exc)) from None
    if public_key:
        echo(f"{key.verifier}\n")
        return
    with _open_log(log_path) as negotiation_log:
        result = negotiation_log.verify()
    if not result.ok:
        echo(f"BROKEN: {result.explanation}\n")
        ctx.exit(EXIT_FAILURE)
    if not result.hashes:
        raise InputError(f"{log_path}: the log is empty; there is nothing to witness yet")
    text = make_checkpoint(result.hashes, key).text()
    if output is not None:
        with atomic_write(output) as out:
            out.write(text.encode("utf-8"))
    echo(text)


#: Report formats a file's suffix names (``log export --to report -o FILE``).
_REPORT_SUFFIXES: Final = {".html": "html", ".htm": "html", ".pdf": "pdf", ".md": "markdown"}


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
    help="Where to write; a report goes to standard output when omitted, and to FILE in "
    "the format its suffix names (.md, .html, .pdf) unless --report-format says.",
)
@click.option(
    "--redact",
    is_flag=True,
    help="Withhold personal data (names, numbers, e-mail, file names) in any format.",
)
@click.option(
    "--redact-name",
    "redact_names",
    multiple=True,
    metavar="NAME",
    help="With --redact: a further name to withhold, e.g. yours; repeatable.",
)
@click.option(
    "--redact-value",
    "redact_values",
    multiple=True,
    metavar="TEXT",
    help="With --redact: a further value to withhold (an address); repeatable.",
)
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
    redact_names: tuple[str, ...],
    redact_values: tuple[str, ...],
    report_format: str,
    as_of: str | None,
    attachments: Path | None,
    locale: str,
) -> None:
    """Export LOG as JSON Lines, an evidence bundle or a report in LOCALE."""
    if output is None and kind != "report":
        raise click.UsageError(f"--to {kind} needs --output FILE")
    if (redact_names or redact_values) and not redact:
        raise click.UsageError("--redact-name and --redact-value need --redact")
    redaction = Redaction(names=redact_names, values=redact_values) if redact else None
    date = parse_date(as_of, "--as-of")
    with _open_log(log_path) as negotiation_log:
        if kind == "report":
            fmt = plugin_host(ctx).formatter(locale)
            entries = negotiation_log.entries()
            report = None
            withheld: dict[int, list[str]] = {}
            if redaction is not None:
                shown, report = redact_entries(entries, redaction)
                entries = tuple(item.entry for item in shown)
                withheld = {item.entry.seq: list(item.withheld) for item in shown}
            # Without --report-format, the file's suffix chooses: .html, .pdf, else Markdown.
            if output is not None and ctx.get_parameter_source("report_format") is not (
                ParameterSource.COMMANDLINE
            ):
                report_format = _REPORT_SUFFIXES.get(output.suffix.lower(), report_format)
            text = render_report(
                entries,
                fmt,
                format="markdown" if report_format == "markdown" else "html",
                as_of=date,
                verification=negotiation_log.verify(),
                withheld=withheld or None,
                translations=catalog_for(ctx, locale),
            )
            if output is None:
                echo(text)
                return
            if report_format == "pdf":
                html_to_pdf(text, output)
            else:
                with atomic_write(output) as out:
                    out.write(text.encode("utf-8"))
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
                translations=catalog_for(ctx, locale),
                as_of=date,
                redaction=redaction,
            )
        count = len(negotiation_log)
    exported = catalog_for(ctx, locale).ngettext(
        "%(count)s entry exported to %(path)s", "%(count)s entries exported to %(path)s", count
    )
    echo(exported % {"count": count, "path": output} + "\n")
    if report is not None:
        echo(localizer_for(ctx, locale).say(_redacted(report.counts())) + "\n")


def _redacted(counts: Mapping[str, int]) -> Text:
    """What a redacted export withheld, per category: "redacted: 2 name, 1 phone"."""
    items = Items(
        Text("redaction", "{count} {category}", count=n, category=_category(category))
        for category, n in sorted(counts.items())
    )
    return Text(
        "redaction",
        "redacted: {counts}",
        counts=items if counts else Text("redaction", "nothing found"),
    )


def _category(category: str) -> Label | str:
    return (
        Label("redaction_category", category)
        if category in GROUPS["redaction_category"]
        else category
    )


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
@locale_option
@format_option("table", "markdown", "json", default="table")
@click.pass_context
def log_conduct(
    ctx: click.Context,
    *,
    log_path: Path,
    case: Path,
    creditor: str | None,
    locale: str,
    output_format: str,
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
    catalog = catalog_for(ctx, locale)
    _ = catalog.gettext
    english = catalog_language(catalog) == "en"
    # A finding's own English wording in English; said in the reader's language otherwise.
    say = str if english else localizer_for(ctx, locale).say
    if not rules.items:
        text = _(
            "no plugin holds collection-conduct rules for the debt to %(creditor)s (install a "
            "jurisdiction pack; the US pack needs the borrower's timezone)"
        ) % {"creditor": debt.creditor.name}
        echo(text + "\n")
        return
    checked = "; ".join(
        _("%(rules)s, judged in %(zone)s") % {"rules": say(r.name), "zone": r.zone}
        for r in rules.items
    )
    if not found.items:
        echo(_("no conduct findings under %(rules)s") % {"rules": checked} + "\n")
        return
    header = [_("severity"), _("code"), _("source"), _("message")]
    rows = [
        [
            f.severity.name if english else label(catalog, "severity", f.severity.name.lower()),
            f.code,
            f.source,
            say(f.message),
        ]
        for f in found.items
    ]
    heading = _("checked under %(rules)s") % {"rules": checked}
    echo(heading + "\n\n" + grid(output_format, header, rows))
