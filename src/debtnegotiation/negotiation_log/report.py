"""A readable report of the log, in Markdown or HTML, in the reader's locale.

Values (money, dates, times, counts, sizes) are formatted by a
:class:`~debtnegotiation.formatting.LocaleFormatter`, e.g. ``BabelFormatter("zh_Hans_CN")``;
headings, labels and sentences come from a gettext catalog
(:func:`debtnegotiation.i18n.translations`), the channel, direction, party, commitment
status and counterpart fields from the label registry (:mod:`debtnegotiation.messages`).
The layout comes from Jinja2 templates shipped in the package, with ``jinja2.ext.i18n``
(new-style gettext, trimmed ``{% trans %}`` blocks, as the documents use), HTML with
autoescaping on and Markdown with its punctuation escaped, so text typed into the log can
never inject markup.
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
from babel.support import NullTranslations, Translations
from markupsafe import Markup

from debtnegotiation._template_cache import bytecode_cache
from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.i18n import CatalogNotFoundError
from debtnegotiation.i18n import translations as load_translations
from debtnegotiation.messages import label
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

__all__ = [
    "ReportFinding",
    "ReportFormat",
    "default_translations",
    "render_report",
    "report_title",
    "verification_text",
]

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


def _markdown_escape(value: object) -> str:
    # Line breaks would end a list item or start a heading; other spaces (CLDR's
    # no-break spaces) are kept as they are.
    text = _LINE_BREAKS.sub(" ", str(value))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _code(value: object) -> str:
    # A hash as inline code; HTML gets an element (the template escapes nothing inside).
    return f"`{value}`"


def _html_code(value: object) -> Markup:
    return Markup("<code>{}</code>").format(value)


@functools.lru_cache(maxsize=16)
def _environment(catalog: NullTranslations, html: bool) -> jinja2.Environment:  # noqa: FBT001
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("debtnegotiation.negotiation_log", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=bytecode_cache("log-report"),
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    env.filters["md"] = _markdown_escape
    env.globals.update(
        label=lambda group, code: label(catalog, group, code),
        code=_html_code if html else _code,
        join_numbers=lambda items: _join_numbers(items, catalog),
    )
    return env


def _join_numbers(items: Iterable[object], catalog: NullTranslations) -> str:
    # A list of entry numbers ("4, 5"; "4、5"). Not CLDR's list patterns: Babel lacks the
    # narrow one for some locales, and a report in English labels would get a German "und".
    # TRANSLATORS: the separator between entry numbers, as in "Corrected by entries 4, 5".
    separator = str(catalog.pgettext("log_report_list", ", "))
    return separator.join(str(i) for i in items)


@functools.cache
def default_translations(locale: str) -> Translations:
    """The library's own catalog for *locale*, or its English one where none serves it.

    What :func:`~debtnegotiation.negotiation_log.render_report` and the evidence bundles
    use when given no catalog: a formatter can format any CLDR locale (``de_DE``), while
    the library ships catalogs for a few; for the others the labels stay in English, the
    messages' source language, and the values follow the formatter. Pass
    ``translations`` to use plugin catalogs.
    """
    try:
        return load_translations(locale)
    except CatalogNotFoundError:
        return load_translations("en")


def report_title(translations: NullTranslations) -> str:
    """The report's default title ("Negotiation log") in the catalog's language."""
    return str(translations.pgettext("log_report", "Negotiation log"))


def verification_text(result: VerifyResult, translations: NullTranslations) -> str:
    """A verification result in the catalog's language, with plural-correct counts.

    A broken chain is stated in the verifier's words (:attr:`VerifyResult.explanation`):
    its message names the entry and the field, which a reader quotes as it is.
    """
    if result.problem is not None:
        return result.explanation
    text = str(
        translations.ngettext(
            "%(count)s entry verified; head %(head)s",
            "%(count)s entries verified; head %(head)s",
            result.entries,
        )
    ) % {"count": result.entries, "head": result.head}
    if result.withheld:
        text += str(
            translations.ngettext(
                "; %(count)s redacted value withheld (only its salted digest is in the export)",
                "; %(count)s redacted values withheld (only their salted digests are in the "
                "export)",
                result.withheld,
            )
        ) % {"count": result.withheld}
    if result.absent:
        text += str(
            translations.ngettext(
                "; %(count)s attachment NOT checked, its file is absent: %(listed)s",
                "; %(count)s attachments NOT checked, their files are absent: %(listed)s",
                len(result.absent),
            )
        ) % {"count": len(result.absent), "listed": ", ".join(str(a) for a in result.absent)}
    return text


def _yes_no(value: bool | None, catalog: NullTranslations) -> str:  # noqa: FBT001
    if value is None:
        return str(catalog.pgettext("log_report", "not stated"))
    if value:
        return str(catalog.pgettext("log_report", "yes"))
    return str(catalog.pgettext("log_report", "no"))


def _money(formatter: LocaleFormatter, value: Money | None) -> str:
    return "" if value is None else formatter.money(value)


def _number(formatter: LocaleFormatter, value: int) -> str:
    return formatter.number(Decimal(value))


def _entry_context(
    item: CorrectedEntry, formatter: LocaleFormatter, catalog: NullTranslations
) -> dict[str, Any]:
    entry = item.current
    contact = entry.contact
    who = contact.counterpart
    # A correction carries the attachments of the version it corrects: list each file once.
    attachments = {a.sha256: a for e in item.history for a in e.attachments}
    return {
        "seq": item.seq,
        "hash": entry.hash,
        "corrected_by": [e.seq for e in item.history[1:]],
        "when": formatter.datetime(contact.at),
        "zone": str(contact.at.tzinfo),
        "channel": contact.channel.value,
        "direction": contact.direction.value,
        "counterpart": [
            (field, value)
            for field, value in (
                ("name", who.name),
                ("employee_id", who.employee_id),
                ("organisation", who.organisation),
                ("role", who.role),
                ("phone", who.phone),
                ("account_reference", contact.account_reference),
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
                "months": offer.months,
                "months_shown": "" if offer.months is None else _number(formatter, offer.months),
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
        "recorded": _yes_no(contact.recorded, catalog),
        "consent_announced": _yes_no(contact.consent_announced, catalog),
        "attachments": [
            {
                "name": a.name,
                "media_type": a.media_type,
                "size": a.size,
                "size_shown": _number(formatter, a.size),
                "sha256": a.sha256,
            }
            for a in attachments.values()
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
        "days_overdue_shown": _number(formatter, item.days_overdue),
    }


def render_report(
    source: NegotiationLog | Iterable[LogEntry],
    formatter: LocaleFormatter,
    *,
    format: ReportFormat = "markdown",  # noqa: A002
    as_of: dt.date | None = None,
    findings: Sequence[Finding | ReportFinding] = (),
    verification: VerifyResult | None = None,
    title: str | None = None,
    withheld: Mapping[int, Collection[str]] | None = None,
    translations: NullTranslations | None = None,
) -> str:
    """Render the corrected view of the log as a Markdown or HTML document.

    :param source: a log, or its entries (e.g. redacted copies).
    :param formatter: formats money, numbers and dates for the reader's locale.
    :param format: ``"markdown"`` or ``"html"``.
    :param as_of: date of the follow-up list; defaults to the date of the latest contact.
    :param findings: e.g. conduct findings from
        :func:`~debtnegotiation.negotiation_log.check_conduct`, listed in the report.
    :param verification: a verification result to state in the report.
    :param title: the document title; by default "Negotiation log" in the catalog's
        language (:func:`~debtnegotiation.negotiation_log.report.report_title`).
    :param withheld: for a redacted copy, the paths of the values each entry (by sequence
        number) withholds; a withheld text shown with more than a pseudonym is marked
        as not covered by the entry's hash.
    :param translations: the catalog of the headings, labels and sentences, e.g.
        ``debtnegotiation.i18n.translations("zh_Hans_CN", extra=plugin_sources)``; by
        default :func:`~debtnegotiation.negotiation_log.report.default_translations` for the
        formatter's locale.
    """
    if format not in _TEMPLATES:
        raise ValidationError("format", "'markdown' or 'html'", format)
    if not isinstance(formatter, LocaleFormatter):
        raise ValidationError("formatter", "a LocaleFormatter", formatter)
    if translations is None:
        translations = default_translations(str(formatter.locale))
    elif not isinstance(translations, NullTranslations):
        raise ValidationError(
            "translations", "a gettext catalog (babel.support.Translations)", translations
        )
    entries = source.entries() if isinstance(source, NegotiationLog) else tuple(source)
    if withheld:
        entries = tuple(_mark_unverifiable(e, withheld.get(e.seq, ())) for e in entries)
    if as_of is None and entries:
        as_of = max(e.contact.at.date() for e in entries)
    open_items = followups(entries, as_of) if as_of is not None else ()
    context = {
        "title": report_title(translations) if title is None else title,
        "locale": formatter.locale,
        "count": len(entries),
        "count_shown": _number(formatter, len(entries)),
        "head": entries[-1].hash if entries else "",
        "as_of": "" if as_of is None else formatter.date(as_of),
        "verification": (
            None if verification is None else verification_text(verification, translations)
        ),
        "entries": [
            _entry_context(item, formatter, translations) for item in corrected_view(entries)
        ],
        "followups": [_followup_context(item, formatter) for item in open_items],
        "findings": [{"code": f.code, "message": f.message} for f in findings],
    }
    env = _environment(translations, format == "html")
    return env.get_template(_TEMPLATES[format]).render(context)
