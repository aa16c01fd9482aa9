"""Entries: validation errors that name the field, corrections, follow-ups, canonical form."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    AttachmentFile,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Contact,
    LogEntry,
    NegotiationLog,
    Offer,
    Party,
    canonical_json,
)

MakeContact = Callable[..., Contact]


def test_naive_datetime_is_refused_naming_the_field(make_contact: MakeContact) -> None:
    with pytest.raises(ValidationError, match=r"^at: expected a timestamp with its time zone"):
        make_contact(at=dt.datetime(2026, 3, 2, 10, 15))  # noqa: DTZ001


def test_unknown_channel_is_refused_listing_the_known_ones(make_contact: MakeContact) -> None:
    with pytest.raises(ValidationError, match=r"^channel: expected one of 'phone'.*got 'fax'"):
        make_contact(channel="fax")


def test_channel_and_direction_accept_their_values(make_contact: MakeContact) -> None:
    contact = make_contact(channel="app_chat", direction="outbound")
    assert contact.channel.value == "app_chat"
    assert contact.direction.value == "outbound"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"summary": 12}, "summary"),
        ({"key_points": "one string"}, "key_points"),
        ({"recorded": "yes"}, "recorded"),
        ({"offers": [object()]}, r"offers\[0\]"),
        ({"corrects": 0}, "corrects"),
    ],
)
def test_bad_fields_are_named(
    changes: dict[str, object], field: str, make_contact: MakeContact
) -> None:
    with pytest.raises(ValidationError, match=rf"^{field}: expected"):
        make_contact(**changes)


def test_money_fields_refuse_floats_and_plans_refuse_floats() -> None:
    with pytest.raises(ValidationError, match=r"offer.monthly_payment"):
        Offer(by=Party.BORROWER, monthly_payment=1200.0)  # type: ignore[arg-type]
    with pytest.raises(FloatNotAllowedError, match=r"offer\.plan\.rate"):
        Offer(by=Party.BORROWER, plan={"rate": 0.05})
    with pytest.raises(ValidationError, match=r"offer.months"):
        Offer(by=Party.BORROWER, months=0)


def test_missing_attachment_is_refused_naming_the_path(
    log: NegotiationLog,
    tmp_path: Path,
    make_contact: MakeContact,
) -> None:
    missing = tmp_path / "no-such-recording.m4a"
    with pytest.raises(ValidationError, match=r"attachments\[0\].*no-such-recording\.m4a"):
        log.append(make_contact(), attachments=[missing])
    assert len(log) == 0


def test_attachment_is_copied_with_size_type_and_hash(
    log: NegotiationLog,
    tmp_path: Path,
    make_contact: MakeContact,
) -> None:
    original = tmp_path / "letter.pdf"
    original.write_bytes(b"%PDF-1.4 letter")
    scan = tmp_path / "scan"
    scan.write_bytes(b"raw scan")
    entry = log.append(
        make_contact(), attachments=[original, AttachmentFile(path=scan, media_type="image/tiff")]
    )
    pdf, tiff = entry.attachments
    assert (pdf.name, pdf.media_type, pdf.size) == ("letter.pdf", "application/pdf", 15)
    assert tiff.media_type == "image/tiff"
    original.write_bytes(b"changed later")  # the log keeps its own copy
    assert log.read_attachment(pdf) == b"%PDF-1.4 letter"
    assert log.verify().ok


def test_entries_round_trip_through_their_records(
    log: NegotiationLog, make_contact: MakeContact
) -> None:
    contact = make_contact(
        offers=(
            Offer(
                by=Party.BORROWER,
                summary="pay 800 a month",
                monthly_payment=Money("800", "CNY"),
                plan={"rate": Decimal("0.0500"), "first_due": dt.date(2026, 4, 1)},
            ),
        )
    )
    entry = log.append(contact)
    assert entry.contact == contact
    assert entry.contact.offers[0].plan == {"rate": "0.0500", "first_due": "2026-04-01"}
    stored = log.entries()[0]
    assert stored == entry
    assert stored.contact.at.tzinfo == ZoneInfo("Asia/Shanghai")
    assert LogEntry.from_record(json.loads(canonical_json(entry.to_stored())), entry.hash) == entry


def test_canonical_json_is_sorted_compact_utf8_and_exact() -> None:
    value = {
        "b": Decimal("1200.00"),
        "a": dt.datetime(2026, 3, 2, 10, 15, tzinfo=ZoneInfo("Asia/Shanghai")),
        "c": ["还款", None, True],
    }
    assert canonical_json(value) == (
        '{"a":"2026-03-02T10:15:00+08:00","b":"1200.00","c":["还款",null,true]}'.encode()
    )
    with pytest.raises(FloatNotAllowedError):
        canonical_json({"x": 0.1})


def test_log_has_no_update_or_delete() -> None:
    public = {name for name in dir(NegotiationLog) if not name.startswith("_")}
    assert not {n for n in public if n.startswith(("update", "delete", "remove", "edit"))}


def test_correction_is_a_new_entry_and_the_view_keeps_history(
    log: NegotiationLog, make_contact: MakeContact
) -> None:
    log.append(make_contact(day=2))
    log.append(make_contact(day=3))
    fix = log.correct(1, summary="They offered 36 months, not 24.")
    fix_again = log.correct(fix.seq, summary="36 months, fee 3%.")
    assert len(log) == 4
    view = log.current()
    assert [item.seq for item in view] == [1, 2]
    first = view[0]
    assert first.corrected
    assert [e.seq for e in first.history] == [1, 3, 4]
    assert first.contact.summary == "36 months, fee 3%."
    assert first.history[0].contact.summary.startswith("Li Wei offered a 24-month plan")
    assert fix_again.corrects == 3
    assert not view[1].corrected
    assert log.verify().ok


def test_correction_of_a_missing_entry_is_refused(
    log: NegotiationLog, make_contact: MakeContact
) -> None:
    log.append(make_contact())
    with pytest.raises(ValidationError, match=r"^corrects: expected the number of an existing"):
        log.correct(7, summary="x")


def test_followups_open_and_overdue_as_of_a_date(
    log: NegotiationLog, make_contact: MakeContact
) -> None:
    log.append(make_contact(day=2))  # call back due 6 March; letter, no date
    on_5th = log.followups(dt.date(2026, 3, 5))
    assert [(f.entry, f.index, f.overdue) for f in on_5th] == [(1, 0, False), (1, 1, False)]
    on_9th = log.followups(dt.date(2026, 3, 9))
    assert on_9th[0].commitment.what == "call back"
    assert on_9th[0].overdue
    assert on_9th[0].days_overdue == 3
    assert not on_9th[1].overdue
    # The lender called back on the 10th: a new entry marks commitment 0 of entry 1 done.
    log.append(
        make_contact(
            day=10,
            commitments=(),
            commitment_updates=(
                CommitmentUpdate(entry=1, index=0, status=CommitmentStatus.FULFILLED),
            ),
        )
    )
    assert [f.index for f in log.followups(dt.date(2026, 3, 11))] == [1]
    # As of the 9th, the later call had not happened yet.
    assert [f.index for f in log.followups(dt.date(2026, 3, 9))] == [0, 1]


def test_followups_use_the_corrected_commitments(
    log: NegotiationLog, make_contact: MakeContact
) -> None:
    log.append(make_contact(day=2))
    log.correct(
        1,
        commitments=(Commitment(by=Party.COUNTERPART, what="call back", due=dt.date(2026, 3, 4)),),
    )
    items = log.followups(dt.date(2026, 3, 5))
    assert [(f.entry, f.commitment.due, f.days_overdue) for f in items] == [
        (1, dt.date(2026, 3, 4), 1)
    ]


def test_commitment_update_must_point_at_a_commitment(
    log: NegotiationLog, make_contact: MakeContact
) -> None:
    log.append(make_contact())
    bad = make_contact(commitment_updates=(CommitmentUpdate(entry=1, index=5, status="fulfilled"),))
    with pytest.raises(ValidationError, match=r"^commitment_updates\[0\]\.index"):
        log.append(bad)
    with pytest.raises(ValidationError, match=r"^commitment_updates\[0\]\.entry"):
        log.append(
            make_contact(
                commitment_updates=(CommitmentUpdate(entry=9, index=0, status="fulfilled"),)
            )
        )


def test_contact_requires_a_contact(log: NegotiationLog, make_contact: MakeContact) -> None:
    with pytest.raises(ValidationError, match=r"^contact: expected a Contact"):
        log.append("called the bank")  # type: ignore[arg-type]
    assert isinstance(make_contact(), Contact)
