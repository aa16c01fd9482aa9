"""Where a log keeps its entries: a small storage protocol and its SQLite implementation.

:class:`LogStore` is everything :class:`~debtnegotiation.negotiation_log.NegotiationLog`
needs from a backend, so another one (a server database, an object store) can be added
later without touching the log. :class:`SQLiteStore` is the default: one SQLite file per
log (stdlib ``sqlite3``) in WAL mode with ``synchronous=FULL``, and a directory of
attachments named ``<file>.attachments`` next to it, each stored under its SHA-256.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar, runtime_checkable

import attrs

from debtnegotiation.errors import ValidationError
from debtnegotiation.negotiation_log.canonical import GENESIS_HASH
from debtnegotiation.negotiation_log.errors import LogError

__all__ = ["EntryVersion", "IndexedLogStore", "LogStore", "SQLiteStore", "StoredRow", "index_facts"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS log_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS log_entries (
    seq        INTEGER PRIMARY KEY,
    prev_hash  TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    record     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS log_index (
    seq  INTEGER PRIMARY KEY,
    root INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS log_versions (
    root        INTEGER PRIMARY KEY,
    latest      INTEGER NOT NULL,
    commitments INTEGER NOT NULL
);
"""

#: Prefix of the temporary files an attachment is written to before its rename.
_INCOMING = ".incoming-"
#: Without ``fcntl`` (Windows) a temporary file is taken as abandoned only after this long.
_STALE_AFTER = 24 * 3600.0

_CHUNK = 1 << 16

_T = TypeVar("_T")

if sys.platform != "win32":  # without flock, abandoned temp files are known by age alone
    import fcntl


@attrs.frozen(kw_only=True)
class StoredRow:
    """An entry as a backend keeps it: the canonical record text and two chain columns.

    ``record`` is authoritative; ``seq`` and ``prev_hash`` repeat fields of it so a
    backend can index them, and verification checks that they agree.

    :param seq: sequence number.
    :param prev_hash: hash of the previous entry.
    :param entry_hash: this entry's hash.
    :param record: the canonical JSON of the record (UTF-8 text).
    """

    seq: int
    prev_hash: str
    entry_hash: str
    record: str


@attrs.frozen(kw_only=True)
class EntryVersion:
    """Where an entry stands in the corrected view, from a store's index.

    :param root: the original entry (an entry that corrects nothing is its own root).
    :param latest: the latest version of the root: itself or its last correction.
    :param commitments: how many commitments the latest version records.
    """

    root: int
    latest: int
    commitments: int


@runtime_checkable
class LogStore(Protocol):
    """The storage a negotiation log needs; implement it to add a backend.

    Contract:

    * :meth:`append` is atomic and serialized across processes: it reads the recorded
      head, calls ``build(next_seq, head_hash)``, stores the row and moves the head, all
      in one transaction; when it returns the row is durable, and when it raises nothing
      was stored.
    * Rows are never updated or deleted.
    * Attachments are content-addressed: :meth:`add_blob` stores a file under its SHA-256.
    """

    def append(self, build: Callable[[int, str], StoredRow]) -> StoredRow:
        """Store the row made by *build* from the next sequence number and head hash."""

    def extend(self, rows: Sequence[StoredRow]) -> None:
        """Store already-built rows verbatim, atomically, after the current head."""

    def rows(self) -> Iterator[StoredRow]:
        """Yield every stored row in sequence-number order."""

    def recorded_head(self) -> tuple[int, str]:
        """Return the sequence number and hash of the head (``(0, GENESIS_HASH)`` if empty)."""

    def add_blob(self, source: Path) -> tuple[str, int]:
        """Copy *source* into the store; return its SHA-256 and size."""

    def open_blob(self, sha256: str) -> BinaryIO | None:
        """Open a stored attachment for reading, or return ``None`` if it is missing."""

    def close(self) -> None:
        """Release the backend's resources."""


@runtime_checkable
class IndexedLogStore(LogStore, Protocol):
    """A :class:`LogStore` that also keeps an index, so an append never re-reads the log.

    The index is derived from the rows (and rebuilt from them when missing); it is not
    evidence and is not hashed. The log uses it when the store provides it.
    """

    def version(self, seq: int) -> EntryVersion | None:
        """Return where entry *seq* stands, or ``None`` when there is no such entry."""

    def row(self, seq: int) -> StoredRow | None:
        """Return the stored row *seq*, or ``None``."""


class SQLiteStore:
    """The default :class:`LogStore`: one SQLite file, WAL, one transaction per append.

    Each append runs in ``BEGIN IMMEDIATE``, which takes the write lock before the head is
    read, so two processes appending at once are serialized and never fork the chain; a
    writer waits up to *busy_timeout* seconds for the lock. ``synchronous=FULL`` makes a
    committed append survive a crash or power loss; an append interrupted before its
    commit leaves nothing behind (SQLite's journal rolls it back on the next open).

    :param path: the log file; created when missing.
    :param busy_timeout: seconds to wait for another writer.
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 30.0) -> None:
        """Open or create the log file and its attachment directory."""
        self.path = Path(os.fspath(path))
        #: Directory of attachments, next to the SQLite file.
        self.blob_dir = self.path.with_name(self.path.name + ".attachments")
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=True
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            # Switching a new file to WAL needs the exclusive lock, and SQLite reports
            # "database is locked" at once instead of calling the busy handler; retry.
            _retry_busy(lambda: self._conn.execute("PRAGMA journal_mode = WAL"), busy_timeout)
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._conn.execute(statement)
                self._catch_up_index()
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if hasattr(self, "_conn"):
                self._conn.close()  # a half-opened connection must not leak to the collector
            raise LogError(f"{self.path}: cannot open the log: {exc}") from exc
        self._clean_incoming()

    def __repr__(self) -> str:
        """Show the file."""
        return f"SQLiteStore({str(self.path)!r})"

    def recorded_head(self) -> tuple[int, str]:
        """Return the head the log recorded at its last append."""
        return self._head(self._conn)

    @staticmethod
    def _head(conn: sqlite3.Connection) -> tuple[int, str]:
        meta = dict(conn.execute("SELECT key, value FROM log_meta").fetchall())
        return int(meta.get("head_seq", "0")), meta.get("head_hash", GENESIS_HASH)

    def _check_tail(self, head: tuple[int, str]) -> None:
        last = self._conn.execute(
            "SELECT seq, entry_hash FROM log_entries ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        if (last or (0, GENESIS_HASH)) != head:
            raise LogError(
                f"{self.path}: the last stored entry {last!r} is not the recorded head "
                f"{head!r}; the file was changed outside the log, run verify()"
            )

    def _insert(self, row: StoredRow, head: tuple[int, str]) -> None:
        if row.seq != head[0] + 1 or row.prev_hash != head[1]:
            raise LogError(f"entry {row.seq} does not follow the head (entry {head[0]}, {head[1]})")
        self._conn.execute(
            "INSERT INTO log_entries (seq, prev_hash, entry_hash, record) VALUES (?, ?, ?, ?)",
            (row.seq, row.prev_hash, row.entry_hash, row.record),
        )
        self._index(row.seq, row.record)

    def _index(self, seq: int, record: str) -> None:
        """Add entry *seq* to the index, in the transaction that stores it."""
        corrects, commitments = index_facts(record)
        target = None if corrects is None else self.version(corrects)
        root = seq if target is None else target.root
        self._conn.execute("INSERT INTO log_index (seq, root) VALUES (?, ?)", (seq, root))
        self._conn.execute(
            "INSERT OR REPLACE INTO log_versions (root, latest, commitments) VALUES (?, ?, ?)",
            (root, seq, commitments),
        )
        self._conn.execute(
            "INSERT OR REPLACE INTO log_meta (key, value) VALUES ('index_seq', ?)", (str(seq),)
        )

    def _catch_up_index(self) -> None:
        """Index the rows stored before the index existed (a log from an older version)."""
        meta = dict(self._conn.execute("SELECT key, value FROM log_meta").fetchall())
        done = int(meta.get("index_seq", "0"))
        cursor = self._conn.execute(
            "SELECT seq, record FROM log_entries WHERE seq > ? ORDER BY seq", (done,)
        )
        for seq, record in cursor.fetchall():
            self._index(seq, record)

    def version(self, seq: int) -> EntryVersion | None:
        """Return the root, latest version and commitment count of entry *seq*, from the index."""
        found = self._conn.execute(
            "SELECT v.root, v.latest, v.commitments FROM log_index AS i "
            "JOIN log_versions AS v ON v.root = i.root WHERE i.seq = ?",
            (seq,),
        ).fetchone()
        if found is None:
            return None
        return EntryVersion(root=found[0], latest=found[1], commitments=found[2])

    def row(self, seq: int) -> StoredRow | None:
        """Return the stored row *seq*, or ``None``."""
        found = self._conn.execute(
            "SELECT seq, prev_hash, entry_hash, record FROM log_entries WHERE seq = ?", (seq,)
        ).fetchone()
        if found is None:
            return None
        return StoredRow(seq=found[0], prev_hash=found[1], entry_hash=found[2], record=found[3])

    def _set_head(self, row: StoredRow) -> None:
        self._conn.executemany(
            "INSERT OR REPLACE INTO log_meta (key, value) VALUES (?, ?)",
            [("head_seq", str(row.seq)), ("head_hash", row.entry_hash)],
        )

    @contextlib.contextmanager
    def _write(self) -> Iterator[tuple[int, str]]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            head = self._head(self._conn)
            self._check_tail(head)
            yield head
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def append(self, build: Callable[[int, str], StoredRow]) -> StoredRow:
        """Build and store the next row in one ``BEGIN IMMEDIATE`` transaction."""
        with self._write() as head:
            row = build(head[0] + 1, head[1])
            self._insert(row, head)
            self._set_head(row)
        return row

    def extend(self, rows: Sequence[StoredRow]) -> None:
        """Store *rows* verbatim in one transaction; each must follow the one before."""
        if not rows:
            return
        with self._write() as start:
            head = start
            for row in rows:
                self._insert(row, head)
                head = (row.seq, row.entry_hash)
            self._set_head(rows[-1])

    def rows(self) -> Iterator[StoredRow]:
        """Yield the stored rows ordered by sequence number, from one consistent snapshot."""
        cursor = self._conn.execute(
            "SELECT seq, prev_hash, entry_hash, record FROM log_entries ORDER BY seq"
        )
        for seq, prev_hash, entry_hash, record in cursor.fetchall():
            yield StoredRow(seq=seq, prev_hash=prev_hash, entry_hash=entry_hash, record=record)

    def add_blob(self, source: Path) -> tuple[str, int]:
        """Copy *source* into the attachment directory under its SHA-256, durably."""
        self.blob_dir.mkdir(exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, temp = _claimed_temp(self.blob_dir)
        try:
            with os.fdopen(handle, "wb") as out, source.open("rb") as src:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            temp.replace(self.blob_dir / sha)
            _fsync_dir(self.blob_dir)
        finally:
            temp.unlink(missing_ok=True)
        return sha, size

    def open_blob(self, sha256: str) -> BinaryIO | None:
        """Open the stored attachment, or return ``None`` when its file is missing."""
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValidationError("sha256", "64 lowercase hex digits", sha256)
        try:
            return (self.blob_dir / sha256).open("rb")
        except FileNotFoundError:
            return None

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def _clean_incoming(self) -> None:
        """Remove attachment temp files a killed writer left behind (none in use is touched).

        A writer holds an exclusive ``flock`` on its temp file until the rename, so a file
        whose lock can be taken belongs to no live writer.
        """
        if not self.blob_dir.is_dir():
            return
        for temp in self.blob_dir.glob(_INCOMING + "*"):
            with contextlib.suppress(OSError):
                _remove_if_abandoned(temp)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def index_facts(record: str) -> tuple[int | None, int]:
    """Return what the index needs from a stored record: what it corrects, its commitments.

    A record that cannot be read is indexed as an original without commitments; reading
    it later fails and :meth:`~debtnegotiation.negotiation_log.NegotiationLog.verify`
    reports it, so the index never stops a damaged log from being opened.
    """
    try:
        contact: Any = json.loads(record)["contact"]
        corrects = contact.get("corrects")
        commitments = contact.get("commitments", ())
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, 0
    if not isinstance(corrects, int) or isinstance(corrects, bool):
        corrects = None
    return corrects, len(commitments) if isinstance(commitments, list) else 0


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _retry_busy(action: Callable[[], _T], timeout: float) -> _T:
    """Run *action*, retrying while SQLite reports the file busy, for up to *timeout* s."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _claimed_temp(directory: Path) -> tuple[int, Path]:
    """Create a temp file in *directory* and hold its lock, so no cleaner removes it."""
    while True:
        handle, name = tempfile.mkstemp(dir=directory, prefix=_INCOMING)
        if sys.platform == "win32":  # pragma: no cover
            return handle, Path(name)
        fcntl.flock(handle, fcntl.LOCK_EX)
        # A cleaner may have removed the file between its creation and the lock.
        try:
            if Path(name).stat().st_ino == os.fstat(handle).st_ino:
                return handle, Path(name)
        except FileNotFoundError:
            pass
        os.close(handle)


def _remove_if_abandoned(temp: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover
        if time.time() - temp.stat().st_mtime > _STALE_AFTER:
            temp.unlink()
        return
    handle = os.open(temp, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # a live writer holds it
        temp.unlink()
    finally:
        os.close(handle)
