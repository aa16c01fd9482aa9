"""Tampering with the SQLite file or the attachments is detected and located."""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path

import pytest

from debtnegotiation.negotiation_log import (
    GENESIS_HASH,
    LogEntry,
    LogError,
    NegotiationLog,
    ProblemKind,
    record_hash,
)


def _rehash(stored: dict[str, object]) -> str:
    """The hash a forger who can run this library computes for an edited stored record."""
    return record_hash(LogEntry.from_record(stored, "").hashed_record())


def _sql(log: NegotiationLog, *statements: tuple[str, tuple[object, ...]]) -> None:
    path = log.store.path  # type: ignore[attr-defined]
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for statement, params in statements:
            conn.execute(statement, params)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _row(log: NegotiationLog, seq: int) -> tuple[str, str, str]:
    conn = sqlite3.connect(log.store.path)  # type: ignore[attr-defined]
    try:
        return conn.execute(
            "SELECT prev_hash, entry_hash, record FROM log_entries WHERE seq = ?", (seq,)
        ).fetchone()
    finally:
        conn.close()


def test_intact_log_verifies(filled: NegotiationLog) -> None:
    result = filled.verify()
    assert result.ok
    assert result.entries == 5
    assert result.head == filled.head == filled.entries()[-1].hash
    assert filled.verify(expected_head=filled.entries()[2].hash).ok


def test_every_entry_links_to_the_previous_hash(filled: NegotiationLog) -> None:
    entries = filled.entries()
    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert record_hash(after.hashed_record()) == after.hash


def test_edited_row_is_named(filled: NegotiationLog) -> None:
    _, _, record = _row(filled, 3)
    edited = record.replace("24 installments", "12 installments")
    assert edited != record
    _sql(filled, ("UPDATE log_entries SET record = ? WHERE seq = 3", (edited,)))
    result = filled.verify()
    assert not result.ok
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.EDITED
    assert result.problem.seq == 3
    assert "entry 3" in result.explanation


def test_edited_and_rehashed_row_is_named(filled: NegotiationLog) -> None:
    _, _, record = _row(filled, 2)
    data = json.loads(record)
    data["contact"]["summary"] = "Nothing was offered."
    forged = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    _sql(
        filled,
        (
            "UPDATE log_entries SET record = ?, entry_hash = ? WHERE seq = 2",
            (forged, _rehash(data)),
        ),
    )
    result = filled.verify()
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.EDITED
    assert result.problem.seq == 2
    assert result.entries == 2  # entries 1 and 2 are self-consistent; 3 no longer links


def test_deleted_row_is_named(filled: NegotiationLog) -> None:
    _sql(filled, ("DELETE FROM log_entries WHERE seq = 3", ()))
    result = filled.verify()
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.DELETED
    assert result.problem.seq == 3
    assert "entry 3 is missing" in result.explanation


def test_deleted_last_row_is_caught_by_the_recorded_head(filled: NegotiationLog) -> None:
    _sql(filled, ("DELETE FROM log_entries WHERE seq = 5", ()))
    result = filled.verify()
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.DELETED
    assert result.problem.seq == 5


def test_tail_truncation_with_forged_head_is_caught_by_a_published_hash(
    filled: NegotiationLog,
) -> None:
    published = filled.head
    prev_hash, _, _ = _row(filled, 5)
    _sql(
        filled,
        ("DELETE FROM log_entries WHERE seq = 5", ()),
        ("UPDATE log_meta SET value = '4' WHERE key = 'head_seq'", ()),
        ("UPDATE log_meta SET value = ? WHERE key = 'head_hash'", (prev_hash,)),
    )
    assert filled.verify().ok  # consistent on its own ...
    result = filled.verify(expected_head=published)  # ... but not with what was published
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.ANCHOR_MISSING


def test_inserted_row_is_named(filled: NegotiationLog) -> None:
    # Make room at 3 and insert a well-formed entry that links correctly to entry 2.
    prev_hash, entry_hash_2, record_2 = _row(filled, 2)
    forged = json.loads(record_2)
    forged["seq"] = 3
    forged["prev_hash"] = entry_hash_2
    forged["contact"]["summary"] = "The bank agreed to waive everything."
    text = json.dumps(forged, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    shifts = [("UPDATE log_entries SET seq = ? WHERE seq = ?", (seq + 1, seq)) for seq in (5, 4, 3)]
    _sql(
        filled,
        *shifts,
        (
            "INSERT INTO log_entries (seq, prev_hash, entry_hash, record) VALUES (3, ?, ?, ?)",
            (entry_hash_2, _rehash(forged), text),
        ),
    )
    assert prev_hash
    result = filled.verify()
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.INSERTED
    assert result.problem.seq == 3
    assert "entry 3 was inserted" in result.explanation


def test_row_appended_behind_the_logs_back_is_named(filled: NegotiationLog) -> None:
    _, head_hash, record_5 = _row(filled, 5)
    forged = json.loads(record_5)
    forged["seq"] = 6
    forged["prev_hash"] = head_hash
    text = json.dumps(forged, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    _sql(
        filled,
        (
            "INSERT INTO log_entries (seq, prev_hash, entry_hash, record) VALUES (6, ?, ?, ?)",
            (head_hash, _rehash(forged), text),
        ),
    )
    result = filled.verify()
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.INSERTED
    assert result.problem.seq == 6
    with pytest.raises(LogError, match="recorded head"):
        filled.append(filled.entries()[0].contact)


def test_swapped_rows_are_named(filled: NegotiationLog) -> None:
    _sql(
        filled,
        ("UPDATE log_entries SET seq = -1 WHERE seq = 2", ()),
        ("UPDATE log_entries SET seq = 2 WHERE seq = 3", ()),
        ("UPDATE log_entries SET seq = 3 WHERE seq = -1", ()),
    )
    result = filled.verify()
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.REORDERED
    assert result.problem.seq == 3
    assert "entry 3 is stored where entry 2 belongs" in result.explanation


def test_swapped_contents_are_named(filled: NegotiationLog) -> None:
    row_2, row_4 = _row(filled, 2), _row(filled, 4)
    update = "UPDATE log_entries SET prev_hash = ?, entry_hash = ?, record = ? WHERE seq = ?"
    _sql(filled, (update, (*row_4, 2)), (update, (*row_2, 4)))
    result = filled.verify()
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.REORDERED
    assert result.problem.seq == 4


def _blob(log: NegotiationLog) -> Path:
    attachment = log.entries()[1].attachments[0]
    return log.store.blob_dir / attachment.sha256  # type: ignore[attr-defined,no-any-return]


def test_altered_attachment_is_named(filled: NegotiationLog) -> None:
    blob = _blob(filled)
    data = bytearray(blob.read_bytes())
    data[5] ^= 0x01
    blob.write_bytes(bytes(data))
    result = filled.verify()
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.ATTACHMENT_CHANGED
    assert result.problem.seq == 2
    assert "call-0302.m4a" in result.explanation


def test_removed_attachment_is_named(filled: NegotiationLog) -> None:
    _blob(filled).unlink()
    result = filled.verify()
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.ATTACHMENT_MISSING
    assert result.problem.seq == 2


def test_garbage_record_is_named_and_reading_fails_clearly(filled: NegotiationLog) -> None:
    _sql(filled, ("UPDATE log_entries SET record = '{not json' WHERE seq = 4", ()))
    result = filled.verify()
    assert result.problem is not None
    assert (result.problem.kind, result.problem.seq) == (ProblemKind.EDITED, 4)
    with pytest.raises(LogError, match="entry 4 cannot be read"):
        filled.entries()
