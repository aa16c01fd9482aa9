"""The SQLite store: creating a log from several processes at once, abandoned temp files,
and the index that lets an append run without re-reading the log."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from debtnegotiation.errors import ValidationError
from debtnegotiation.negotiation_log import (
    Channel,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Contact,
    Direction,
    LogError,
    NegotiationLog,
    SQLiteStore,
)
from debtnegotiation.negotiation_log.log import corrected_view

SRC = Path(__file__).resolve().parents[2] / "src"

#: Waits for a common start time, then creates (or opens) the log and appends one entry.
CREATOR = """
import datetime as dt, sys, time
from debtnegotiation.negotiation_log import Contact, NegotiationLog
path, start, tag = sys.argv[1], float(sys.argv[2]), sys.argv[3]
while time.time() < start:
    pass
with NegotiationLog.open(path) as log:
    entry = log.append(Contact(at=dt.datetime.now(dt.UTC), channel="phone",
                               direction="inbound", summary=tag))
print("ACK", entry.seq, flush=True)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def test_processes_creating_a_new_log_at_once_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    start = time.time() + 1.5  # every process is started and waiting by then
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", CREATOR, str(path), repr(start), f"w{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for i in range(4)
    ]
    outputs = [w.communicate(timeout=120) for w in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert out.startswith("ACK ")
    with NegotiationLog.open(path) as log:
        assert len(log) == 4
        assert sorted(e.contact.summary for e in log.entries()) == ["w0", "w1", "w2", "w3"]
        assert log.verify().ok


#: Holds the write lock of a new, empty file for a moment, as a process that is still
#: creating the log does; SQLite then refuses the switch to WAL at once, busy timeout or not.
HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("LOCKED", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def test_opening_waits_for_a_process_holding_a_new_logs_lock(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), "1.0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "LOCKED\n"
        with NegotiationLog.open(path, busy_timeout=30) as log:
            log.append(_contact())
            assert len(log) == 1
    finally:
        holder.communicate(timeout=60)
    assert holder.returncode == 0


def test_the_busy_timeout_still_bounds_the_wait(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), "30"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "LOCKED\n"
        with pytest.raises(LogError, match="cannot open the log: database is locked"):
            NegotiationLog.open(path, busy_timeout=0.2)
    finally:
        holder.kill()
        holder.communicate(timeout=60)


def _contact(**changes: object) -> Contact:
    fields: dict[str, object] = {
        "at": dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
        "channel": Channel.PHONE,
        "direction": Direction.INBOUND,
    }
    fields.update(changes)
    return Contact(**fields)  # type: ignore[arg-type]


def test_a_killed_writers_temp_file_is_removed_on_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    attachment = tmp_path / "letter.pdf"
    attachment.write_bytes(b"%PDF letter")
    with NegotiationLog.open(path) as log:
        log.append(_contact(), attachments=[attachment])
        blob_dir = log.store.blob_dir  # type: ignore[attr-defined]
    # What a writer killed between writing its temp file and the rename leaves behind.
    leftover = blob_dir / ".incoming-k1ll3d"
    leftover.write_bytes(b"half an attachment")
    other = tmp_path / "unrelated.txt"
    other.write_text("not the log's")
    before = {p.name: p.read_bytes() for p in blob_dir.iterdir() if p != leftover}
    with NegotiationLog.open(path) as log:
        assert not leftover.exists()
        assert {p.name: p.read_bytes() for p in blob_dir.iterdir()} == before
        assert log.verify().ok
    assert other.read_text() == "not the log's"


def test_a_temp_file_in_use_by_a_live_writer_is_left_alone(tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    path = tmp_path / "log.sqlite"
    with NegotiationLog.open(path):
        pass
    blob_dir = path.with_name(path.name + ".attachments")
    blob_dir.mkdir()
    busy = blob_dir / ".incoming-busy"
    with busy.open("wb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # as add_blob holds it until the rename
        with NegotiationLog.open(path):
            assert busy.exists()


def _index_matches_the_view(log: NegotiationLog) -> None:
    store = log.store
    assert isinstance(store, SQLiteStore)
    view = corrected_view(log.entries())
    for item in view:
        for version in item.history:
            found = store.version(version.seq)
            assert found is not None
            assert (found.root, found.latest, found.commitments) == (
                item.seq,
                item.current.seq,
                len(item.contact.commitments),
            )
    assert store.version(len(log) + 1) is None


def test_the_index_follows_corrections_and_is_rebuilt_for_an_older_log(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    promise = Commitment(by="borrower", what="send payslip")
    with NegotiationLog.open(path) as log:
        log.append(_contact(commitments=[promise, promise]))
        log.append(_contact())
        log.correct(1, commitments=[promise])
        log.correct(3, summary="again")
        log.correct(2, commitments=[promise, promise, promise])
        _index_matches_the_view(log)
    # A log written before the index existed: drop the index, as an old file would lack it.
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP TABLE log_index; DROP TABLE log_versions; "
        "DELETE FROM log_meta WHERE key = 'index_seq';"
    )
    conn.close()
    with NegotiationLog.open(path) as log:
        _index_matches_the_view(log)
        # The rebuilt index checks references: entry 1 now has one commitment.
        expected = r"^commitment_updates\[0\]\.index: expected an index below 1"
        with pytest.raises(ValidationError, match=expected):
            log.append(
                _contact(
                    commitment_updates=[
                        CommitmentUpdate(entry=1, index=1, status=CommitmentStatus.FULFILLED)
                    ]
                )
            )
        broken = CommitmentUpdate(entry=2, index=2, status="broken")
        log.append(_contact(commitment_updates=[broken]))
        assert log.verify().ok


def test_an_append_reads_only_the_rows_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    with NegotiationLog.open(path) as log:
        for _ in range(30):
            log.append(_contact(commitments=[Commitment(by="borrower", what="call")]))
        statements: list[str] = []
        log.store._conn.set_trace_callback(statements.append)  # type: ignore[attr-defined]
        log.correct(7, summary="fixed")
        broken = CommitmentUpdate(entry=7, index=0, status="broken")
        log.append(_contact(commitment_updates=[broken]))
        log.store._conn.set_trace_callback(None)  # type: ignore[attr-defined]
    full_reads = [s for s in statements if "FROM log_entries" in s and "WHERE" not in s]
    # Only the tail check (ORDER BY seq DESC LIMIT 1) may look at the table as a whole.
    assert all("LIMIT 1" in s for s in full_reads), full_reads
