"""Corrections change only what they say (issue 10, item 4), through the API and the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from debtnegotiation.cli import cli
from debtnegotiation.errors import ValidationError
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    Channel,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Contact,
    ContactRules,
    Counterpart,
    Direction,
    NegotiationLog,
    Offer,
    Party,
    check_conduct,
)

from .conftest import SHANGHAI

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

#: The issue's case: an inbound collector call at 23:15, outside the allowed hours.
LATE_CALL = Contact(
    at=dt.datetime(2026, 3, 2, 23, 15, tzinfo=SHANGHAI),
    channel=Channel.PHONE,
    direction=Direction.INBOUND,
    counterpart=Counterpart(
        name="Zhang San", employee_id="C-1", organisation="Example Collections", phone="95555"
    ),
    account_reference="ACC-1",
    summary="They demanded full payment tonight.",
    key_points=("“Pay by midnight.”",),
    offers=(Offer(by=Party.COUNTERPART, summary="pay in full"),),
    commitments=(Commitment(by=Party.BORROWER, what="send payslip", due=dt.date(2026, 3, 9)),),
    recorded=True,
    consent_announced=False,
    answered=True,
)

#: One new value for every field a correction may change.
NEW_VALUES: dict[str, object] = {
    "at": dt.datetime(2026, 3, 2, 23, 45, tzinfo=SHANGHAI),
    "channel": Channel.APP_CHAT,
    "direction": Direction.OUTBOUND,
    "counterpart": Counterpart(name="Li Si"),
    "account_reference": "ACC-2",
    "summary": "They asked for a payment date.",
    "key_points": ("“When can you pay?”",),
    "offers": (Offer(by=Party.BORROWER, summary="12 months", monthly_payment=Money(100, "CNY")),),
    "commitments": (),
    "commitment_updates": (CommitmentUpdate(entry=1, index=0, status=CommitmentStatus.FULFILLED),),
    "recorded": False,
    "consent_announced": True,
    "answered": False,
}


def _effective(log: NegotiationLog) -> Contact:
    (item,) = log.current()
    return item.contact


def _fields(contact: Contact) -> dict[str, object]:
    return {k: v for k, v in attrs.asdict(contact, recurse=False).items() if k != "corrects"}


def test_every_correctable_field_is_listed() -> None:
    names = {a.name for a in attrs.fields(Contact)} - {"corrects", "agreement", "payment"}
    assert set(NEW_VALUES) == names


@pytest.mark.parametrize("field", sorted(NEW_VALUES))
def test_correcting_one_field_changes_only_that_field(log: NegotiationLog, field: str) -> None:
    log.append(LATE_CALL)
    before = _fields(_effective(log))
    fix = log.correct(1, **{field: NEW_VALUES[field]})
    assert fix.corrects == 1
    after = _fields(_effective(log))
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {field}
    assert after[field] == NEW_VALUES[field]
    assert log.verify().ok


@pytest.mark.parametrize("field", ["name", "employee_id", "organisation", "phone", "role"])
def test_correcting_one_counterpart_field_keeps_the_others(log: NegotiationLog, field: str) -> None:
    log.append(LATE_CALL)
    log.correct(1, counterpart={field: "new"})
    people = _effective(log).counterpart
    expected = attrs.evolve(LATE_CALL.counterpart, **{field: "new"})
    assert people == expected


def test_summary_correction_keeps_the_outside_hours_finding(log: NegotiationLog) -> None:
    log.append(LATE_CALL)
    found = [(f.code, f.message) for f in check_conduct(log, CHINA)]
    assert [code for code, _ in found] == ["conduct.outside_hours"]
    log.correct(1, summary="They demanded full payment; I asked for a plan.")
    assert [(f.code, f.message) for f in check_conduct(log, CHINA)] == found
    contact = _effective(log)
    assert contact.direction is Direction.INBOUND
    assert contact.at == LATE_CALL.at
    assert contact.counterpart.organisation == "Example Collections"


def test_a_correction_of_a_correction_starts_from_the_latest_version(
    log: NegotiationLog,
) -> None:
    log.append(LATE_CALL)
    log.correct(1, summary="second")
    log.correct(2, account_reference="ACC-9")
    contact = _effective(log)
    assert (contact.summary, contact.account_reference) == ("second", "ACC-9")
    assert log.entry(3).corrects == 2


def test_attachments_are_carried_over_unless_given(log: NegotiationLog, tmp_path: Path) -> None:
    first, second = tmp_path / "a.png", tmp_path / "b.txt"
    first.write_bytes(b"png")
    second.write_bytes(b"text")
    log.append(LATE_CALL, attachments=[first])
    kept = log.correct(1, summary="x")
    assert [a.name for a in kept.attachments] == ["a.png"]
    replaced = log.correct(1, summary="y", attachments=[second])
    assert [a.name for a in replaced.attachments] == ["b.txt"]
    assert log.verify().ok


def test_unknown_fields_and_values_are_refused_by_name(log: NegotiationLog) -> None:
    log.append(LATE_CALL)
    with pytest.raises(ValidationError, match=r"^correct\(\): expected Contact fields .*'colour'"):
        log.correct(1, colour="red")
    with pytest.raises(ValidationError, match=r"^counterpart: expected Counterpart fields"):
        log.correct(1, counterpart={"nickname": "x"})
    with pytest.raises(ValidationError, match=r"^channel: expected one of"):
        log.correct(1, channel="fax")
    with pytest.raises(ValidationError, match=r"^corrects: expected the number of an existing"):
        log.correct(9, summary="x")
    assert len(log) == 1


def test_a_corrected_update_is_not_replayed_over_a_later_one(log: NegotiationLog) -> None:
    log.append(LATE_CALL)  # 1: commitment 0 open
    done = CommitmentUpdate(entry=1, index=0, status=CommitmentStatus.FULFILLED)
    broken = CommitmentUpdate(entry=1, index=0, status=CommitmentStatus.BROKEN)
    log.append(attrs.evolve(LATE_CALL, commitments=(), commitment_updates=(done,)))  # 2
    log.append(attrs.evolve(LATE_CALL, commitments=(), commitment_updates=(broken,)))  # 3
    assert log.followups(dt.date(2026, 3, 20)) == ()
    # Re-wording entry 2 keeps its update in place (entry 2's turn), not as the latest word.
    log.correct(2, summary="They confirmed the payslip arrived.")
    reopen = CommitmentUpdate(entry=1, index=0, status=CommitmentStatus.OPEN)
    log.correct(3, commitment_updates=(reopen,))
    (item,) = log.followups(dt.date(2026, 3, 20))
    assert (item.entry, item.index) == (1, 0)


def _cli(*args: object) -> str:
    runner = CliRunner(env={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1"})
    result = runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_correction_carries_over_every_field_not_given(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    _cli(
        "log", "add", path, "--at", "2026-03-02T23:15+08:00", "--channel", "phone",
        "--direction", "inbound", "--counterpart", "Zhang San", "--organisation",
        "Example Collections", "--summary", "They demanded full payment tonight.",
        "--commitment", "borrower", "send payslip", "2026-03-09", "--unanswered",
    )  # fmt: skip
    with NegotiationLog.open(path) as log:
        before = _fields(_effective(log))
        found = [(f.code, f.message) for f in check_conduct(log, CHINA)]
    assert [code for code, _ in found] == ["conduct.outside_hours"]
    _cli("log", "add", path, "--corrects", "1", "--summary", "I asked for a plan.")
    _cli("log", "add", path, "--corrects", "1", "--phone", "95555")
    with NegotiationLog.open(path) as log:
        after = _fields(_effective(log))
        assert [(f.code, f.message) for f in check_conduct(log, CHINA)] == found
    assert after["summary"] == "I asked for a plan."
    assert after["counterpart"] == attrs.evolve(before["counterpart"], phone="95555")  # type: ignore[misc]
    assert {k for k in before if before[k] != after[k]} == {"summary", "counterpart"}


def test_cli_help_says_fields_are_carried_over() -> None:
    text = " ".join(_cli("log", "add", "--help").split())
    assert "every field not given" in text
    assert "carried over" in text


def test_cli_new_entry_still_needs_at_and_channel(tmp_path: Path) -> None:
    runner = CliRunner(env={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1"})
    result = runner.invoke(cli, ["log", "add", str(tmp_path / "l.sqlite"), "--channel", "phone"])
    assert result.exit_code == 2
    assert "--at" in result.output
