"""Contact rules: when and how often a lender or collector may contact the borrower.

A model a hook returns (:func:`~debtnegotiation.hookspecs.debtneg_contact_rules`), so it
lives below the plugin host; the negotiation log applies it
(:func:`debtnegotiation.negotiation_log.check_conduct`). Both classes are re-exported by
:mod:`debtnegotiation.negotiation_log`, where they are documented.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from debtnegotiation._validate import positive_int
from debtnegotiation.errors import ValidationError

__all__ = ["Channel", "ContactRules"]


class Channel(enum.Enum):
    """How a contact happened: what a log entry records and what contact rules name."""

    PHONE = "phone"
    APP_CHAT = "app_chat"
    EMAIL = "email"
    LETTER = "letter"
    SMS = "sms"
    IN_PERSON = "in_person"


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


def _text(field: str, value: object) -> None:
    if not isinstance(value, str):
        raise ValidationError(field, "text", value)


def _flag(field: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(field, "True or False", value)


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
        (the China Banking Association's 2026 collection guideline counts unanswered
        calls).
    :param quiet_days_after_conversation: no inbound attempt within this many local days
        after a conversation, the conversation's day counting as day 1 (US Regulation F,
        12 CFR 1006.14(b)(2)(i)(B): 7). A conversation is a contact on an attempt
        channel, in either direction, recorded as answered (``answered=True``).
    :param all_party_recording_consent: recording a call needs the consent of every
        party (an all-party-consent law, e.g. California Penal Code §632): a contact, in
        either direction, recorded (``recorded=True``) without the recording announced
        (``consent_announced`` not ``True``) is a ``conduct.recording_without_consent``
        finding. The borrower's own conduct, unlike the other rules: say so, and announce
        recording at the start of the call. Federal law alone is one-party consent
        (18 U.S.C. §2511(2)(d)), so a rule set sets this only where a state's law asks more.
    :param source: where the rules come from, quoted in findings.

    .. versionadded:: Unreleased *all_party_recording_consent*.
    """

    name: str = attrs.field(validator=_v(_text, "name"))
    zone: str = attrs.field(converter=_zone)
    earliest: dt.time | None = attrs.field(default=None, validator=_v(_optional_time, "earliest"))
    latest: dt.time | None = attrs.field(default=None, validator=_v(_optional_time, "latest"))
    latest_inclusive: bool = attrs.field(default=False, validator=_v(_flag, "latest_inclusive"))
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
    unanswered_only: bool = attrs.field(default=False, validator=_v(_flag, "unanswered_only"))
    quiet_days_after_conversation: int | None = attrs.field(
        default=None, validator=_v(_optional_limit, "quiet_days_after_conversation")
    )
    all_party_recording_consent: bool = attrs.field(
        default=False, validator=_v(_flag, "all_party_recording_consent")
    )
    source: str = attrs.field(default="", validator=_v(_text, "source"))

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
