"""A readable report of the log, in Markdown or HTML, in the reader's locale.

Values (money, dates, times, sizes) are formatted by a
:class:`~debtnegotiation.formatting.LocaleFormatter`, e.g. ``BabelFormatter("zh_Hans_CN")``;
the layout comes from Jinja2 templates shipped in the package, HTML with autoescaping on
and Markdown with its punctuation escaped, so text typed into the log can never inject
markup. The labels are English for now.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs
import jinja2

from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log.entry import LogEntry
from debtnegotiation.negotiation_log.log import (
    CorrectedEntry,
    FollowUp,
    NegotiationLog,
    corrected_view,
    followups,
)
from debtnegotiation.negotiation_log.verify import VerifyResult

__all__ = ["ReportFinding", "ReportFormat", "render_report"]

#: The report formats :func:`render_report` can produce.
ReportFormat = Literal["markdown", "html"]


@attrs.frozen(kw_only=True)
class ReportFinding:
    """A finding as a report lists it: its code and its message.

    :param code: the finding's code.
    :param message: its message (in a redacted report, with pseudonyms).
    """

    code: str
    message: str


_TEMPLATES = {"markdown": "report.md.j2", "html": "report.html.j2"}
_LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\u2028\u2029]+\s*")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")

_CHANNELS = {
    "phone": "Phone",
    "app_chat": "App chat",
    "email": "E-mail",
    "letter": "Letter",
    "sms": "SMS",
    "in_person": "In person",
}


def _markdown_escape(value: object) -> str:
    # Line breaks would end a list item or start a heading; other spaces (CLDR's
    # no-break spaces) are kept as they are.
    text = _LINE_BREAKS.sub(" ", str(value))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("debtnegotiation.negotiation_log", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _markdown_escape
    return env


def _yes_no(value: bool | None) -> str:  # noqa: FBT001
    return "not stated" if value is None else ("yes" if value else "no")


def _money(formatter: LocaleFormatter, value: Money | None) -> str:
    return "" if value is None else formatter.money(value)


def _entry_context(item: CorrectedEntry, formatter: LocaleFormatter) -> dict[str, Any]:
    entry = item.current
    contact = entry.contact
    who = contact.counterpart
    return {
        "seq": item.seq,
        "hash": entry.hash,
        "corrected_by": [e.seq for e in item.history[1:]],
        "when": formatter.datetime(contact.at),
        "zone": str(contact.at.tzinfo),
        "channel": _CHANNELS[contact.channel.value],
        "direction": contact.direction.value,
        "counterpart": [
            (label, value)
            for label, value in (
                ("Name", who.name),
                ("Employee ID", who.employee_id),
                ("Organisation", who.organisation),
                ("Role", who.role),
                ("Phone", who.phone),
                ("Account reference", contact.account_reference),
            )
            if value
        ],
        "summary": contact.summary,
        "key_points": contact.key_points,
        "offers": [
            {
                "by": offer.by.value,
                "summary": offer.summary,
                "monthly_payment": _money(formatter, offer.monthly_payment),
                "months": "" if offer.months is None else formatter.number(Decimal(offer.months)),
                "total": _money(formatter, offer.total),
            }
            for offer in contact.offers
        ],
        "commitments": [
            {
                "by": c.by.value,
                "what": c.what,
                "due": "" if c.due is None else formatter.date(c.due),
                "status": c.status.value,
            }
            for c in contact.commitments
        ],
        "updates": [
            {"entry": u.entry, "index": u.index + 1, "status": u.status.value, "note": u.note}
            for u in contact.commitment_updates
        ],
        "recorded": _yes_no(contact.recorded),
        "consent_announced": _yes_no(contact.consent_announced),
        "attachments": [
            {
                "name": a.name,
                "media_type": a.media_type,
                "size": formatter.number(Decimal(a.size)),
                "sha256": a.sha256,
            }
            for e in item.history
            for a in e.attachments
        ],
    }


_LABEL = re.compile(r"\[[a-z\- ]+ \d+\]")
#: Appended to a redacted text that shows more than a pseudonym: what is shown of it is
#: not covered by the entry's hash (only the withheld original is).
UNVERIFIED_MARK = " [redacted text: not covered by the entry hash]"


def _mark_unverifiable(entry: LogEntry, paths: Collection[str]) -> LogEntry:
    if not paths:
        return entry
    record = entry.to_record()
    for path in paths:
        parts = path.split("/")[1:]
        node: Any = record
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key: Any = int(parts[-1]) if isinstance(node, list) else parts[-1]
        value = node[key]
        if isinstance(value, str) and not _LABEL.fullmatch(value):
            node[key] = value + UNVERIFIED_MARK
    return LogEntry.from_record(record, entry.hash, salts=entry.salts)


def _followup_context(item: FollowUp, formatter: LocaleFormatter) -> dict[str, Any]:
    due = item.commitment.due
    return {
        "entry": item.entry,
        "by": item.commitment.by.value,
        "what": item.commitment.what,
        "due": "" if due is None else formatter.date(due),
        "days_overdue": item.days_overdue,
    }


def render_report(
    source: NegotiationLog | Iterable[LogEntry],
    formatter: LocaleFormatter,
    *,
    format: ReportFormat = "markdown",  # noqa: A002
    as_of: dt.date | None = None,
    findings: Sequence[Finding | ReportFinding] = (),
    verification: VerifyResult | None = None,
    title: str = "Negotiation log",
    withheld: Mapping[int, Collection[str]] | None = None,
) -> str:
    """Render the corrected view of the log as a Markdown or HTML document.

    :param source: a log, or its entries (e.g. redacted copies).
    :param formatter: formats money, numbers and dates for the reader's locale.
    :param format: ``"markdown"`` or ``"html"``.
    :param as_of: date of the follow-up list; defaults to the date of the latest contact.
    :param findings: e.g. conduct findings from
        :func:`~debtnegotiation.negotiation_log.check_conduct`, listed in the report.
    :param verification: a verification result to state in the report.
    :param title: the document title.
    :param withheld: for a redacted copy, the paths of the values each entry (by sequence
        number) withholds; a withheld text shown with more than a pseudonym is marked
        as not covered by the entry's hash.
    """
    if format not in _TEMPLATES:
        raise ValidationError("format", "'markdown' or 'html'", format)
    if not isinstance(formatter, LocaleFormatter):
        raise ValidationError("formatter", "a LocaleFormatter", formatter)
    entries = source.entries() if isinstance(source, NegotiationLog) else tuple(source)
    if withheld:
        entries = tuple(_mark_unverifiable(e, withheld.get(e.seq, ())) for e in entries)
    if as_of is None and entries:
        as_of = max(e.contact.at.date() for e in entries)
    open_items = followups(entries, as_of) if as_of is not None else ()
    context = {
        "title": title,
        "locale": formatter.locale,
        "count": len(entries),
        "head": entries[-1].hash if entries else "",
        "as_of": "" if as_of is None else formatter.date(as_of),
        "verification": None if verification is None else verification.explanation,
        "entries": [_entry_context(item, formatter) for item in corrected_view(entries)],
        "followups": [_followup_context(item, formatter) for item in open_items],
        "findings": [{"code": f.code, "message": f.message} for f in findings],
    }
    return _environment().get_template(_TEMPLATES[format]).render(context)
