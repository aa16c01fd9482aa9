"""Contact-rule checks with the China and US rule sets as data (CBA guideline 2026; Reg F)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest

from debtnegotiation.errors import ValidationError
from debtnegotiation.example import example_debts
from debtnegotiation.findings import Severity
from debtnegotiation.negotiation_log import (
    Channel,
    Contact,
    ContactRules,
    Direction,
    NegotiationLog,
    check_conduct,
    conduct_findings,
    latest_conduct_findings,
)
from debtnegotiation.plugin import hookimpl
from debtnegotiation.plugins import get_plugin_host

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")

#: China Banking Association collection guideline (30 Jan 2026): no collection contact
#: 22:00-08:00; at most 6 unanswered call attempts a day.
CHINA = ContactRules(
    name="CBA collection guideline 2026",
    zone="Asia/Shanghai",
    earliest=dt.time(8),
    latest=dt.time(22),
    max_per_day=6,
    attempt_channels={Channel.PHONE},
    unanswered_only=True,
    source="CBA guideline, 30 Jan 2026",
)

#: US Regulation F: before 8 a.m. or after 9 p.m. presumed inconvenient; more than 7
#: calls within 7 consecutive days presumed a violation, 12 CFR 1006.14(b).
US_REG_F = ContactRules(
    name="Regulation F",
    zone="America/New_York",
    earliest=dt.time(8),
    latest=dt.time(21),
    latest_inclusive=True,
    max_per_7_days=7,
    hours_channels={Channel.PHONE, Channel.SMS, Channel.EMAIL, Channel.IN_PERSON},
    attempt_channels={Channel.PHONE},
    source="12 CFR 1006.14(b)",
)


def _call(at: dt.datetime, **changes: object) -> Contact:
    fields: dict[str, object] = {
        "at": at,
        "channel": Channel.PHONE,
        "direction": Direction.INBOUND,
        "answered": False,
    }
    fields.update(changes)
    return Contact(**fields)  # type: ignore[arg-type]


def _codes(log: NegotiationLog, rules: ContactRules) -> list[str]:
    return [f.code for f in check_conduct(log, rules)]


@pytest.mark.parametrize(
    ("hour", "minute", "flagged"),
    [(7, 59, True), (8, 0, False), (21, 59, False), (22, 0, True), (23, 30, True), (2, 0, True)],
)
def test_china_hours(log: NegotiationLog, hour: int, minute: int, flagged: bool) -> None:
    log.append(_call(dt.datetime(2026, 3, 2, hour, minute, tzinfo=SHANGHAI)))
    assert _codes(log, CHINA) == (["conduct.outside_hours"] if flagged else [])


def test_china_hours_judged_in_the_rules_zone(log: NegotiationLog) -> None:
    # 15:00 UTC is 23:00 in Shanghai.
    log.append(_call(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)))
    (finding,) = check_conduct(log, CHINA)
    assert finding.code == "conduct.outside_hours"
    assert finding.severity is Severity.WARNING
    assert "Entry 1" in finding.message
    assert "2026-03-02 23:00 Asia/Shanghai" in finding.message
    assert "CBA guideline, 30 Jan 2026" in finding.message


def test_china_seven_unanswered_calls_a_day(log: NegotiationLog) -> None:
    for hour in range(9, 16):
        log.append(_call(dt.datetime(2026, 3, 2, hour, tzinfo=SHANGHAI)))
    findings = check_conduct(log, CHINA)
    assert [f.code for f in findings] == ["conduct.too_many_attempts_day"]
    assert "7 contact attempts on 2026-03-02" in findings[0].message
    assert "entries 1, 2, 3, 4, 5, 6, 7" in findings[0].message


def test_china_six_calls_or_answered_calls_are_within_the_rule(log: NegotiationLog) -> None:
    for hour in range(9, 15):
        log.append(_call(dt.datetime(2026, 3, 2, hour, tzinfo=SHANGHAI)))
    log.append(_call(dt.datetime(2026, 3, 2, 16, tzinfo=SHANGHAI), answered=True))
    log.append(_call(dt.datetime(2026, 3, 2, 17, tzinfo=SHANGHAI), direction="outbound"))
    log.append(_call(dt.datetime(2026, 3, 2, 18, tzinfo=SHANGHAI), channel="letter"))
    assert _codes(log, CHINA) == []


def test_us_9pm_is_allowed_and_after_is_not(log: NegotiationLog) -> None:
    log.append(_call(dt.datetime(2026, 3, 2, 21, 0, tzinfo=NEW_YORK)))
    assert _codes(log, US_REG_F) == []
    log.append(_call(dt.datetime(2026, 3, 2, 21, 1, tzinfo=NEW_YORK)))
    log.append(_call(dt.datetime(2026, 3, 3, 7, 30, tzinfo=NEW_YORK), channel="sms"))
    log.append(_call(dt.datetime(2026, 3, 3, 23, 0, tzinfo=NEW_YORK), channel="letter"))
    findings = check_conduct(log, US_REG_F)
    assert [f.code for f in findings] == ["conduct.outside_hours"] * 2
    assert "Entry 2" in findings[0].message
    assert "Entry 3" in findings[1].message


def test_us_eight_calls_in_seven_days(log: NegotiationLog) -> None:
    days = [2, 3, 3, 4, 5, 6, 7, 8]  # 8 calls from 2 to 8 March: 7 consecutive days
    for day in days:
        log.append(_call(dt.datetime(2026, 3, day, 10, tzinfo=NEW_YORK)))
    findings = check_conduct(log, US_REG_F)
    assert [f.code for f in findings] == ["conduct.too_many_attempts_7_days"]
    assert findings[0].message.startswith("Entry 8: attempt 8 within the 7 days 2026-03-02")


def test_us_eight_calls_in_eight_days_are_within_the_rule(log: NegotiationLog) -> None:
    for day in range(2, 10):
        log.append(_call(dt.datetime(2026, 3, day, 10, tzinfo=NEW_YORK)))
    assert _codes(log, US_REG_F) == []


#: Regulation F with its second presumption: no call within 7 days after a telephone
#: conversation, the conversation's day counting as day 1 (12 CFR 1006.14(b)).
US_REG_F_QUIET = attrs.evolve(US_REG_F, quiet_days_after_conversation=7)


@pytest.mark.parametrize(
    ("day", "hour", "flagged"),
    [
        (2, 15, True),  # the same afternoon: day 1
        (8, 10, True),  # day 7
        (9, 9, False),  # day 8
        (20, 10, False),
    ],
)
def test_us_call_within_7_days_after_a_conversation(
    log: NegotiationLog, day: int, hour: int, flagged: bool
) -> None:
    log.append(_call(dt.datetime(2026, 3, 2, 11, tzinfo=NEW_YORK), answered=True))
    log.append(_call(dt.datetime(2026, 3, day, hour, tzinfo=NEW_YORK)))
    findings = check_conduct(log, US_REG_F_QUIET)
    assert [f.code for f in findings] == (["conduct.attempt_after_conversation"] if flagged else [])
    if flagged:
        assert findings[0].message.startswith(f"Entry 2: phone attempt on 2026-03-{day:02d}")
        assert "(2026-03-02 to 2026-03-08) after the conversation of entry 1" in findings[0].message
        assert "unless you had consented" in findings[0].message
    # Without the rule configured nothing is flagged.
    assert _codes(log, US_REG_F) == []


def test_us_a_conversation_the_borrower_started_counts_too(log: NegotiationLog) -> None:
    log.append(
        _call(dt.datetime(2026, 3, 2, 11, tzinfo=NEW_YORK), direction="outbound", answered=True)
    )
    log.append(_call(dt.datetime(2026, 3, 4, 10, tzinfo=NEW_YORK)))
    assert _codes(log, US_REG_F_QUIET) == ["conduct.attempt_after_conversation"]


def test_us_unanswered_calls_or_other_channels_are_no_conversation(log: NegotiationLog) -> None:
    log.append(_call(dt.datetime(2026, 3, 2, 11, tzinfo=NEW_YORK), answered=False))
    log.append(_call(dt.datetime(2026, 3, 2, 12, tzinfo=NEW_YORK), answered=None))
    log.append(_call(dt.datetime(2026, 3, 2, 13, tzinfo=NEW_YORK), channel="email", answered=True))
    log.append(_call(dt.datetime(2026, 3, 3, 10, tzinfo=NEW_YORK)))
    # The borrower calling back after a conversation is not an attempt against them.
    log.append(_call(dt.datetime(2026, 3, 3, 11, tzinfo=NEW_YORK), answered=True))
    log.append(_call(dt.datetime(2026, 3, 3, 12, tzinfo=NEW_YORK), direction="outbound"))
    assert _codes(log, US_REG_F_QUIET) == []


def test_us_each_conversation_restarts_the_quiet_days(log: NegotiationLog) -> None:
    log.append(_call(dt.datetime(2026, 3, 2, 11, tzinfo=NEW_YORK), answered=True))
    log.append(_call(dt.datetime(2026, 3, 5, 11, tzinfo=NEW_YORK), answered=True))
    log.append(_call(dt.datetime(2026, 3, 10, 11, tzinfo=NEW_YORK)))
    findings = check_conduct(log, US_REG_F_QUIET)
    assert [f.code for f in findings] == ["conduct.attempt_after_conversation"] * 2
    assert "after the conversation of entry 1" in findings[0].message
    assert "after the conversation of entry 2" in findings[1].message


def test_corrected_time_replaces_the_original(log: NegotiationLog) -> None:
    log.append(_call(dt.datetime(2026, 3, 2, 23, 0, tzinfo=SHANGHAI)))
    assert _codes(log, CHINA) == ["conduct.outside_hours"]
    log.correct(1, at=dt.datetime(2026, 3, 2, 11, 0, tzinfo=SHANGHAI))
    assert _codes(log, CHINA) == []


def test_rules_are_validated() -> None:
    with pytest.raises(ValidationError, match=r"^zone: expected an IANA time zone"):
        ContactRules(name="x", zone="Mars/Olympus")
    with pytest.raises(ValidationError, match=r"^max_per_day: expected"):
        ContactRules(name="x", zone="UTC", max_per_day=0)
    with pytest.raises(ValidationError, match=r"^attempt_channels: expected"):
        ContactRules(name="x", zone="UTC", attempt_channels={"fax"})
    with pytest.raises(ValidationError, match=r"^quiet_days_after_conversation: expected"):
        ContactRules(name="x", zone="UTC", quiet_days_after_conversation=0)
    with pytest.raises(ValidationError, match=r"^latest: expected both"):
        ContactRules(name="x", zone="UTC", earliest=dt.time(8))


def test_window_past_midnight() -> None:
    night_shift = ContactRules(name="x", zone="UTC", earliest=dt.time(20), latest=dt.time(2))
    assert night_shift.allows(dt.time(23))
    assert night_shift.allows(dt.time(1, 59))
    assert not night_shift.allows(dt.time(2))
    assert not night_shift.allows(dt.time(12))


# --- recording consent --------------------------------------------------------------------

LOS_ANGELES = ZoneInfo("America/Los_Angeles")

#: An all-party-consent rule as a jurisdiction pack would give it (California Penal Code
#: §632 requires the consent of every party to record a confidential call).
ALL_PARTY = ContactRules(
    name="California recording consent",
    zone="America/Los_Angeles",
    all_party_recording_consent=True,
    source="Cal. Penal Code §632",
)


@pytest.mark.parametrize(
    ("recorded", "announced", "found"),
    [
        (True, False, "was recorded without announcing the recording"),
        (True, None, "does not say whether the recording was announced"),
        (True, True, None),
        (False, False, None),
        (None, None, None),
    ],
)
def test_recording_without_consent_under_an_all_party_rule(
    log: NegotiationLog, recorded: bool | None, announced: bool | None, found: str | None
) -> None:
    # Outbound too: the recording is the borrower's own, whoever placed the call.
    log.append(
        _call(
            dt.datetime(2026, 3, 5, 10, 0, tzinfo=LOS_ANGELES),
            direction=Direction.OUTBOUND,
            recorded=recorded,
            consent_announced=announced,
        )
    )
    findings = check_conduct(log, ALL_PARTY)
    if found is None:
        assert findings == []
        return
    (finding,) = findings
    assert finding.code == "conduct.recording_without_consent"
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("Entry 1: the phone contact on 2026-03-05 10:00")
    assert found in finding.message
    assert "California recording consent (Cal. Penal Code §632)" in finding.message


def test_a_rule_set_without_the_recording_rule_ignores_recordings(log: NegotiationLog) -> None:
    log.append(
        _call(
            dt.datetime(2026, 3, 5, 10, 0, tzinfo=NEW_YORK), recorded=True, consent_announced=False
        )
    )
    assert check_conduct(log, US_REG_F) == []


def test_all_party_recording_consent_is_a_flag() -> None:
    with pytest.raises(ValidationError, match="all_party_recording_consent"):
        attrs.evolve(ALL_PARTY, all_party_recording_consent="yes")


class _RecordingRules:
    __name__ = "recording-rules"

    @hookimpl
    def debtneg_contact_rules(self, debt: object) -> list[ContactRules]:
        del debt
        return [ALL_PARTY]


def test_latest_conduct_findings_are_only_those_the_last_entry_adds(log: NegotiationLog) -> None:
    host = get_plugin_host(load_entry_points=False, plugins=[_RecordingRules()])
    rules = host.contact_rules(debt=example_debts()[0])
    assert latest_conduct_findings(log, rules).items == ()
    recorded = {"recorded": True, "direction": Direction.OUTBOUND}
    log.append(
        _call(dt.datetime(2026, 3, 5, 10, tzinfo=LOS_ANGELES), consent_announced=False, **recorded)
    )
    first = latest_conduct_findings(log, rules)
    log.append(
        _call(dt.datetime(2026, 3, 6, 10, tzinfo=LOS_ANGELES), consent_announced=True, **recorded)
    )
    second = latest_conduct_findings(log, rules)
    assert [f.message.split(":")[0] for f in first.items] == ["Entry 1"]
    assert first.plugins == ("recording-rules",)
    assert first.items[0].source == "recording-rules"
    assert second.items == ()
    assert len(conduct_findings(log, rules).items) == 1
