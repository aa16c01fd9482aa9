"""Logs written in record format 1 (before salted commitments) still open and verify."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.negotiation_log import (
    GENESIS_HASH,
    Channel,
    Contact,
    Counterpart,
    Direction,
    LogEntry,
    LogError,
    NegotiationLog,
    Redaction,
    canonical_json,
    export_bundle,
    export_jsonl,
    import_jsonl,
    record_hash,
    verify_bundle,
    verify_jsonl,
)
from debtnegotiation.negotiation_log.store import StoredRow

SHANGHAI = ZoneInfo("Asia/Shanghai")


def format_1_log(folder: Path) -> NegotiationLog:
    """A log of two entries stored exactly as version 1 of the log stored them."""
    ticks = itertools.count()
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    log = NegotiationLog.open(
        folder / "old.sqlite", clock=lambda: start + dt.timedelta(seconds=next(ticks))
    )
    prev = GENESIS_HASH
    rows = []
    for seq in (1, 2):
        contact = Contact(
            at=dt.datetime(2026, 3, seq, 10, 0, tzinfo=SHANGHAI),
            channel=Channel.PHONE,
            direction=Direction.INBOUND,
            counterpart=Counterpart(name="Li Wei", phone="+86 21 5555 0199"),
            summary=f"call {seq}",
        )
        draft = LogEntry(
            seq=seq,
            prev_hash=prev,
            hash="",
            appended_at=start,
            contact=contact,
            format=1,
        )
        record = draft.to_record()
        assert record["format"] == 1
        entry_hash = record_hash(record)
        rows.append(
            StoredRow(
                seq=seq,
                prev_hash=prev,
                entry_hash=entry_hash,
                record=canonical_json(record).decode("utf-8"),
            )
        )
        prev = entry_hash
    log.store.extend(rows)
    return log


def test_a_format_1_log_opens_verifies_and_grows_in_format_2(tmp_path: Path) -> None:
    log = format_1_log(tmp_path)
    assert log.verify().ok
    assert [e.format for e in log.entries()] == [1, 1]
    entry = log.append(log.entries()[0].contact)
    assert entry.format == 2
    assert entry.salts
    assert log.verify().ok
    assert [e.format for e in log.entries()] == [1, 1, 2]
    exported = tmp_path / "mixed.jsonl"
    export_jsonl(log, exported)
    assert verify_jsonl(exported).ok
    with import_jsonl(exported, tmp_path / "copy.sqlite") as copy:
        assert copy.head == log.head
        assert copy.entries() == log.entries()
    export_bundle(log, tmp_path / "b.zip", formatter=BabelFormatter("en"))
    assert verify_bundle(tmp_path / "b.zip").ok


def test_an_edited_format_1_entry_is_caught(tmp_path: Path) -> None:
    log = format_1_log(tmp_path)
    exported = tmp_path / "old.jsonl"
    export_jsonl(log, exported)
    text = exported.read_text(encoding="utf-8")
    exported.write_text(text.replace("call 1", "call 9"), encoding="utf-8")
    result = verify_jsonl(exported)
    assert result.problem is not None
    assert result.problem.seq == 1


def test_a_format_1_log_is_not_redacted(tmp_path: Path) -> None:
    log = format_1_log(tmp_path)
    with pytest.raises(LogError, match="record format 1"):
        export_jsonl(log, tmp_path / "r.jsonl", redaction=Redaction())
    assert not (tmp_path / "r.jsonl").exists()
