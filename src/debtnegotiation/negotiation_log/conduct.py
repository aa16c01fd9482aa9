"""Collection-conduct checks: contact-rule data in, findings out.

Rules are data (:class:`ContactRules`), supplied by jurisdiction plugins; this module only
applies them to the inbound contacts of a log, in the zone the rules name. Examples from
../shared/domain.md: China's 2026 CBA collection guideline forbids collection contact
22:00–08:00 and more than 6 unanswered attempts a day (§1.7); US Regulation F presumes
contact before 8 a.m. or after 9 p.m. inconvenient (§2.6) and presumes a violation above
7 calls within 7 consecutive days, or for a call within 7 days after a telephone
conversation, the conversation's day counting as day 1 (§1006.14(b), §2.6).

The log holds what the borrower recorded, so a finding is a prompt to check and keep the
evidence, not a legal conclusion. Not checked here: consent exceptions (the log does not
record consent to a call; findings say "unless you had consented") and who is collecting
(the FDCPA covers third-party collectors, §2.6); the jurisdiction plugin names the rule
set accordingly.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from debtnegotiation._validate import positive_int
from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.negotiation_log.entry import Channel, Contact, LogEntry
from debtnegotiation.negotiation_log.log import NegotiationLog, corrected_view

__all__ = ["ContactRules", "check_conduct"]

_ALL_CHANNELS = frozenset(Channel)


def _zone(value: object) -> str:
    try:
        zoneinfo.ZoneInfo(str(value))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError("zone", "an IANA time zone such as 'Asia/Shanghai'", value) from None
    return str(value)


def _optional_time(field: str, value: object) -> dt.time | None:
    if value is not None and not isinstance(value, dt.time):
        raise ValidationError(field, "a datetime.time or None", value)
    return value


def _optional_limit(field: str, value: object) -> int | None:
    return None if value is None else positive_int(field, value)


def _to_channels(value: object) -> Any:  # noqa: ANN401
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value
    try:
        return frozenset(Channel(item) for item in value)
    except ValueError:
        return value


def _channels(field: str, value: object) -> None:
    allowed = ", ".join(repr(c.value) for c in Channel)
    if not isinstance(value, frozenset) or not all(isinstance(c, Channel) for c in value):
        raise ValidationError(field, f"a set of channels among {allowed}", value)


def _v(check: Callable[[str, Any], object], field: str) -> Callable[[object, object, Any], None]:
    def validate(_instance: object, _attribute: object, value: Any) -> None:  # noqa: ANN401
        check(field, value)

    return validate


@attrs.frozen(kw_only=True)
class ContactRules:
    """When and how often a lender or collector may contact the borrower.

    :param name: the rule set's name, quoted in findings.
    :param zone: the IANA zone the rules are judged in (the borrower's local time).
    :param earliest: start of the allowed window, local time; ``None``: no hours rule.
    :param latest: end of the allowed window (excluded unless *latest_inclusive*).
        A window past midnight (``earliest`` > ``latest``) is allowed.
    :param latest_inclusive: whether a contact exactly at *latest* is allowed
        (US: "after 9 p.m." is inconvenient, so 21:00 itself is allowed).
    :param max_per_day: most attempts on one local calendar day.
    :param max_per_7_days: most attempts within any 7 consecutive local days.
    :param hours_channels: channels the hours rule applies to.
    :param attempt_channels: channels counted as attempts.
    :param unanswered_only: count only attempts recorded as not answered
        (China counts unanswered calls, domain.md §1.7).
    :param quiet_days_after_conversation: no inbound attempt within this many local days
        after a conversation, the conversation's day counting as day 1 (US Regulation F
        §1006.14(b): 7, domain.md §2.6). A conversation is a contact on an attempt
        channel, in either direction, recorded as answered (``answered=True``).
    :param source: where the rules come from, quoted in findings.
    """

    name: str
    zone: str = attrs.field(converter=_zone)
    earliest: dt.time | None = attrs.field(default=None, validator=_v(_optional_time, "earliest"))
    latest: dt.time | None = attrs.field(default=None, validator=_v(_optional_time, "latest"))
    latest_inclusive: bool = False
    max_per_day: int | None = attrs.field(
        default=None, validator=_v(_optional_limit, "max_per_day")
    )
    max_per_7_days: int | None = attrs.field(
        default=None, validator=_v(_optional_limit, "max_per_7_days")
    )
    hours_channels: frozenset[Channel] = attrs.field(
        default=_ALL_CHANNELS, converter=_to_channels, validator=_v(_channels, "hours_channels")
    )
    attempt_channels: frozenset[Channel] = attrs.field(
        default=frozenset({Channel.PHONE}),
        converter=_to_channels,
        validator=_v(_channels, "attempt_channels"),
    )
    unanswered_only: bool = False
    quiet_days_after_conversation: int | None = attrs.field(
        default=None, validator=_v(_optional_limit, "quiet_days_after_conversation")
    )
    source: str = ""

    def __attrs_post_init__(self) -> None:
        """Check that the window has both ends or neither."""
        if (self.earliest is None) != (self.latest is None):
            raise ValidationError("latest", "both earliest and latest, or neither", self.latest)

    def allows(self, local: dt.time) -> bool:
        """Whether a contact at local time *local* is inside the allowed window."""
        if self.earliest is None or self.latest is None:
            return True
        moment = local.replace(tzinfo=None)
        if self.earliest <= self.latest:
            after_start = moment >= self.earliest
            before_end = moment <= self.latest if self.latest_inclusive else moment < self.latest
            return after_start and before_end
        return moment >= self.earliest or (
            moment <= self.latest if self.latest_inclusive else moment < self.latest
        )

    def cite(self) -> str:
        """The rules' name and source, for messages."""
        return f"{self.name} ({self.source})" if self.source else self.name


def _window(rules: ContactRules) -> str:
    assert rules.earliest is not None  # noqa: S101  (only called with a window)
    assert rules.latest is not None  # noqa: S101
    return f"{rules.earliest:%H:%M}-{rules.latest:%H:%M}"


def check_conduct(
    source: NegotiationLog | Iterable[LogEntry], rules: ContactRules
) -> list[Finding]:
    """Check the log's inbound contacts against *rules*; return findings, oldest first.

    The corrected view is used (a corrected time replaces the original one). Codes:
    ``conduct.outside_hours``, ``conduct.too_many_attempts_day``,
    ``conduct.too_many_attempts_7_days`` and ``conduct.attempt_after_conversation``.
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
                    message=(
                        f"Entry {seq}: {contact.channel.value} contact at {local:%Y-%m-%d %H:%M}"
                        f" {rules.zone}, outside the allowed hours {_window(rules)} under "
                        f"{rules.cite()}."
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
                    message=(
                        f"Entry {seq}: {contact.channel.value} attempt on "
                        f"{local:%Y-%m-%d %H:%M} {rules.zone}, within the {days} days "
                        f"({last[0].date().isoformat()} to {until.isoformat()}) after the "
                        f"conversation of entry {last[1]} under {rules.cite()}, unless you "
                        "had consented to the call."
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
            message=(
                f"{len(seqs)} contact attempts on {day.isoformat()} ({rules.zone}), more than "
                f"the {rules.max_per_day} a day allowed under {rules.cite()}; entries "
                f"{', '.join(map(str, seqs))}."
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
                    message=(
                        f"Entry {seq}: attempt {len(window)} within the 7 days "
                        f"{first_day.isoformat()} to {local.date().isoformat()} ({rules.zone}), "
                        f"more than the {limit} allowed under {rules.cite()}; entries "
                        f"{', '.join(map(str, window))}."
                    ),
                )
            )
        in_breach = len(window) > limit
    return findings
