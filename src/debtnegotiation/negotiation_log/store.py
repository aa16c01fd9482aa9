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
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

import attrs

from debtnegotiation.errors import ValidationError
from debtnegotiation.negotiation_log.canonical import GENESIS_HASH
from debtnegotiation.negotiation_log.errors import LogError

__all__ = ["LogStore", "SQLiteStore", "StoredRow"]

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
"""

_CHUNK = 1 << 16


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
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._conn.execute(statement)
            self._conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if hasattr(self, "_conn"):
                self._conn.close()  # a half-opened connection must not leak to the collector
            raise LogError(f"{self.path}: cannot open the log: {exc}") from exc

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
        handle, temp_name = tempfile.mkstemp(dir=self.blob_dir, prefix=".incoming-")
        temp = Path(temp_name)
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


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
