"""Collection-conduct checks: contact-rule data in, findings out.

Rules are data (:class:`~debtnegotiation.negotiation_log.ContactRules`), supplied by
jurisdiction plugins; this module only applies them to the inbound contacts of a log, in
the zone the rules name. Examples: the China Banking Association collection guideline
(30 Jan 2026) forbids collection contact 22:00–08:00 and more than 6 unanswered attempts
a day; in the US, contact before 8 a.m. or after 9 p.m. is presumed inconvenient (FDCPA,
15 U.S.C. §1692c(a)(1)) and Regulation F presumes a violation above 7 calls within 7
consecutive days, or for a call within 7 days after a telephone conversation, the
conversation's day counting as day 1 (12 CFR 1006.14(b)).

A rule set may also say that recording a call needs every party's consent
(``ContactRules.all_party_recording_consent``, e.g. California Penal Code §632): then a
contact in either direction recorded without announcing it is a finding — about the
borrower's own recording, so that it is announced next time and the recording is not
relied on unlawfully.

The log holds what the borrower recorded, so a finding is a prompt to check and keep the
evidence, not a legal conclusion. Not checked here: consent exceptions (the log does not
record consent to a call; findings say "unless you had consented") and who is collecting
(the FDCPA covers third-party collectors, 15 U.S.C. §1692a(6)); the jurisdiction plugin
names the rule set accordingly.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable

import attrs

from debtnegotiation.contact_rules import ContactRules
from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.negotiation_log.entry import Contact, LogEntry
from debtnegotiation.negotiation_log.log import NegotiationLog, corrected_view
from debtnegotiation.plugins import Collected
from debtnegotiation.text import Items, Label, Text, TextValue

__all__ = ["ContactRules", "check_conduct", "conduct_findings", "latest_conduct_findings"]


def _window(rules: ContactRules) -> str:
    assert rules.earliest is not None  # noqa: S101  (only called with a window)
    assert rules.latest is not None  # noqa: S101
    return f"{rules.earliest:%H:%M}-{rules.latest:%H:%M}"


def _cite(rules: ContactRules) -> Text | str:
    """The rules' name and source (:meth:`ContactRules.cite`), a plugin's Text kept as one.

    The same words as ``rules.cite()``; a name or source a plugin gives as a
    :class:`~debtnegotiation.text.Text` is said in the reader's language with the rest.
    """
    if not rules.source:
        return rules.name
    return Text("conduct", "{name} ({source})", name=rules.name, source=rules.source)


def _at(local: dt.datetime) -> dict[str, dt.date | str]:
    """A contact's local date and time (to the minute) as a finding's values.

    The date is a value the reader's locale formats; the time, ``23:15``, reads the same
    in every language the library speaks.
    """
    return {"day": local.date(), "time": f"{local:%H:%M}"}


def _channel(contact: Contact) -> Label:
    return Label("channel", contact.channel.value)


def _entries(seqs: Iterable[int]) -> Items:
    return Items(seqs)


def check_conduct(
    source: NegotiationLog | Iterable[LogEntry], rules: ContactRules
) -> list[Finding]:
    """Check the log's inbound contacts against *rules*; return findings, oldest first.

    The corrected view is used (a corrected time replaces the original one). Codes:
    ``conduct.outside_hours``, ``conduct.too_many_attempts_day``,
    ``conduct.too_many_attempts_7_days``, ``conduct.attempt_after_conversation`` and,
    for every contact under all-party recording consent, ``conduct.recording_without_consent``.
    """
    if not isinstance(rules, ContactRules):
        raise ValidationError("rules", "a ContactRules", rules)
    entries = source.entries() if isinstance(source, NegotiationLog) else tuple(source)
    zone = zoneinfo.ZoneInfo(rules.zone)
    every_contact = sorted(
        (
            (item.contact.at.astimezone(zone), item.seq, item.contact)
            for item in corrected_view(entries)
        ),
        key=lambda c: (c[0], c[1]),
    )
    contacts = [c for c in every_contact if c[2].direction.value == "inbound"]
    findings: list[Finding] = []
    for local, seq, contact in contacts:
        if contact.channel in rules.hours_channels and not rules.allows(local.timetz()):
            findings.append(
                Finding(
                    code="conduct.outside_hours",
                    severity=Severity.WARNING,
                    message=Text(
                        "conduct",
                        "Entry {seq}: {channel} contact at {day} {time} {zone}, outside the "
                        "allowed hours {window} under {rules}.",
                        seq=seq,
                        channel=_channel(contact),
                        **_at(local),
                        zone=rules.zone,
                        window=_window(rules),
                        rules=_cite(rules),
                    ),
                )
            )
    attempts = [
        (local, seq)
        for local, seq, contact in contacts
        if contact.channel in rules.attempt_channels
        and not (rules.unanswered_only and contact.answered is not False)
    ]
    findings.extend(_per_day(attempts, rules))
    findings.extend(_per_week(attempts, rules))
    findings.extend(_after_conversation(every_contact, rules))
    findings.extend(_recordings(every_contact, rules))
    return findings


def _recordings(
    contacts: list[tuple[dt.datetime, int, Contact]], rules: ContactRules
) -> list[Finding]:
    """Contacts recorded without the recording announced, where every party must consent."""
    if not rules.all_party_recording_consent:
        return []
    findings = []
    for local, seq, contact in contacts:
        if contact.recorded is not True or contact.consent_announced is True:
            continue
        values: dict[str, TextValue] = {
            "seq": seq,
            "channel": _channel(contact),
            **_at(local),
            "zone": rules.zone,
            "rules": _cite(rules),
        }
        if contact.consent_announced is False:
            message = Text(
                "conduct",
                "Entry {seq}: the {channel} contact on {day} {time} {zone} was recorded without "
                "announcing the recording. Under {rules}, recording a call needs the consent "
                "of everyone on it: recording without announcing it can be an offence, and "
                "the recording may not be usable. Say at the start of every call that you are "
                "recording it.",
                **values,
            )
        else:
            message = Text(
                "conduct",
                "Entry {seq}: the {channel} contact on {day} {time} {zone} was recorded, and the "
                "log does not say whether the recording was announced. Under {rules}, recording "
                "a call needs the consent of everyone on it: recording without announcing it can "
                "be an offence, and the recording may not be usable. Say at the start of every "
                "call that you are recording it.",
                **values,
            )
        findings.append(
            Finding(
                code="conduct.recording_without_consent",
                severity=Severity.WARNING,
                message=message,
            )
        )
    return findings


def _after_conversation(
    contacts: list[tuple[dt.datetime, int, Contact]], rules: ContactRules
) -> list[Finding]:
    """Inbound attempts within the quiet days that follow a conversation.

    Every attempt after the conversation (not the conversation itself) counts, answered
    or not: §1006.14(b) presumes a violation for any call placed in that period.
    """
    days = rules.quiet_days_after_conversation
    if days is None:
        return []
    findings = []
    last: tuple[dt.datetime, int] | None = None
    for local, seq, contact in contacts:
        if contact.channel not in rules.attempt_channels:
            continue
        inbound = contact.direction.value == "inbound"
        if inbound and last is not None and (local.date() - last[0].date()).days < days:
            until = last[0].date() + dt.timedelta(days=days - 1)
            findings.append(
                Finding(
                    code="conduct.attempt_after_conversation",
                    severity=Severity.WARNING,
                    message=Text(
                        "conduct",
                        "Entry {seq}: {channel} attempt on {day} {time} {zone}, within the "
                        "{days} days ({first} to {until}) after the conversation of entry "
                        "{conversation} under {rules}, unless you had consented to the call.",
                        seq=seq,
                        channel=_channel(contact),
                        **_at(local),
                        zone=rules.zone,
                        days=days,
                        first=last[0].date(),
                        until=until,
                        conversation=last[1],
                        rules=_cite(rules),
                    ),
                )
            )
        if contact.answered is True:
            last = (local, seq)
    return findings


def _per_day(attempts: list[tuple[dt.datetime, int]], rules: ContactRules) -> list[Finding]:
    if rules.max_per_day is None:
        return []
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for local, seq in attempts:
        by_day[local.date()].append(seq)
    return [
        Finding(
            code="conduct.too_many_attempts_day",
            severity=Severity.WARNING,
            message=Text(
                "conduct",
                "{count} contact attempts on {day} ({zone}), more than the {limit} a day "
                "allowed under {rules}; entries {entries}.",
                count=len(seqs),
                day=day,
                zone=rules.zone,
                limit=rules.max_per_day,
                rules=_cite(rules),
                entries=_entries(seqs),
            ),
        )
        for day, seqs in sorted(by_day.items())
        if len(seqs) > rules.max_per_day
    ]


def _per_week(attempts: list[tuple[dt.datetime, int]], rules: ContactRules) -> list[Finding]:
    limit = rules.max_per_7_days
    if limit is None:
        return []
    findings = []
    in_breach = False
    for i, (local, seq) in enumerate(attempts):
        first_day = local.date() - dt.timedelta(days=6)
        window = [s for when, s in attempts[: i + 1] if when.date() >= first_day]
        if len(window) > limit and not in_breach:
            findings.append(
                Finding(
                    code="conduct.too_many_attempts_7_days",
                    severity=Severity.WARNING,
                    message=Text(
                        "conduct",
                        "Entry {seq}: attempt {count} within the 7 days {first} to {last} "
                        "({zone}), more than the {limit} allowed under {rules}; entries "
                        "{entries}.",
                        seq=seq,
                        count=len(window),
                        first=first_day,
                        last=local.date(),
                        zone=rules.zone,
                        limit=limit,
                        rules=_cite(rules),
                        entries=_entries(window),
                    ),
                )
            )
        in_breach = len(window) > limit
    return findings


def conduct_findings(
    log: NegotiationLog | Iterable[LogEntry], rules: Collected[ContactRules]
) -> Collected[Finding]:
    """Check *log* against every rule set plugins hold, as collected by the plugin host.

    Pass what :meth:`PluginHost.contact_rules
    <debtnegotiation.plugins.PluginHost.contact_rules>` returned: rule sets are applied in
    its order (by name, then plugin), each finding carries the plugin that holds the rule
    set as its ``source``, and the plugins that failed to answer are passed through as
    ``failures``::

        rules = host.contact_rules(debt=debt, borrower=borrower)
        found = conduct_findings(log, rules)
    """
    if len(rules.plugins) != len(rules.items):
        raise ValidationError(
            "rules", "a Collected from PluginHost.contact_rules (with its plugins)", rules
        )
    entries = log.entries() if isinstance(log, NegotiationLog) else tuple(log)
    findings: list[Finding] = []
    for plugin, rule_set in zip(rules.plugins, rules.items, strict=True):
        findings.extend(attrs.evolve(f, source=plugin) for f in check_conduct(entries, rule_set))
    return Collected(tuple(findings), rules.failures, tuple(f.source for f in findings))


def latest_conduct_findings(
    log: NegotiationLog | Iterable[LogEntry], rules: Collected[ContactRules]
) -> Collected[Finding]:
    """The conduct findings the log's latest entry adds, to say when a contact is logged.

    :func:`conduct_findings` of the whole log, less those of the log without its latest
    entry: a recording without consent, a call outside the hours, the attempt that goes
    over a limit. Empty for an empty log.
    """
    entries = log.entries() if isinstance(log, NegotiationLog) else tuple(log)
    found = conduct_findings(entries, rules)
    before = conduct_findings(entries[:-1], rules).items
    new = tuple(f for f in found.items if f not in before)
    return Collected(new, found.failures, tuple(f.source for f in new))
