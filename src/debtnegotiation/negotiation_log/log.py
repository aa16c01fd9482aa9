"""The negotiation log: append-only, hash-chained, with a corrected view and follow-ups."""

from __future__ import annotations

import datetime
import json
import mimetypes
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import attrs

from debtnegotiation._validate import positive_int
from debtnegotiation.errors import ValidationError
from debtnegotiation.negotiation_log.canonical import canonical_json
from debtnegotiation.negotiation_log.entry import (
    Attachment,
    AttachmentFile,
    Commitment,
    CommitmentStatus,
    Contact,
    Counterpart,
    LogEntry,
)
from debtnegotiation.negotiation_log.errors import LogError
from debtnegotiation.negotiation_log.store import (
    EntryVersion,
    IndexedLogStore,
    LogStore,
    SQLiteStore,
    StoredRow,
)
from debtnegotiation.negotiation_log.verify import VerifyResult, verify_rows

__all__ = ["AttachmentSource", "CorrectedEntry", "FollowUp", "NegotiationLog"]

#: What :meth:`NegotiationLog.append` accepts as an attachment.
AttachmentSource = str | os.PathLike[str] | AttachmentFile

_DEFAULT_MEDIA_TYPE = "application/octet-stream"


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


@attrs.frozen(kw_only=True)
class CorrectedEntry:
    """An entry as readers should see it: its latest correction, with the history kept.

    :param seq: sequence number of the original entry.
    :param history: the original followed by every correction, in log order.
    """

    seq: int
    history: tuple[LogEntry, ...]

    @property
    def current(self) -> LogEntry:
        """The latest version (the original when it was never corrected)."""
        return self.history[-1]

    @property
    def contact(self) -> Contact:
        """The latest version's contact."""
        return self.current.contact

    @property
    def corrected(self) -> bool:
        """Whether any later entry corrected this one."""
        return len(self.history) > 1


@attrs.frozen(kw_only=True)
class FollowUp:
    """A commitment that is still open as of a date.

    :param entry: sequence number of the (original) entry that recorded it.
    :param index: its position in that entry's current commitment list.
    :param commitment: the commitment as currently recorded.
    :param as_of: the date the follow-up was computed for.
    """

    entry: int
    index: int
    commitment: Commitment
    as_of: datetime.date

    @property
    def overdue(self) -> bool:
        """Whether the due date has passed (a commitment due today is not overdue)."""
        return self.commitment.due is not None and self.commitment.due < self.as_of

    @property
    def days_overdue(self) -> int:
        """Days since the due date, or 0 when not overdue."""
        if self.commitment.due is None or not self.overdue:
            return 0
        return (self.as_of - self.commitment.due).days


def corrected_view(entries: Sequence[LogEntry]) -> tuple[CorrectedEntry, ...]:
    """Fold corrections into the entries they correct, keeping every version.

    A correction of a correction belongs to the same original. Corrections do not appear
    as items of their own; the result is ordered by the originals' sequence numbers.
    """
    root: dict[int, int] = {}
    versions: dict[int, list[LogEntry]] = {}
    for entry in entries:
        target = entry.corrects
        if target is not None and target in root:
            origin = root[target]
            root[entry.seq] = origin
            versions[origin].append(entry)
        else:
            root[entry.seq] = entry.seq
            versions[entry.seq] = [entry]
    return tuple(CorrectedEntry(seq=s, history=tuple(v)) for s, v in sorted(versions.items()))


def followups(entries: Sequence[LogEntry], as_of: datetime.date) -> tuple[FollowUp, ...]:
    """Return the commitments still open at the end of *as_of*, earliest due first.

    Only entries whose contact happened on or before *as_of* (in the contact's own zone)
    count, so a past date gives the state as it was then. Status changes come from the
    :class:`~debtnegotiation.negotiation_log.CommitmentUpdate` items of later entries;
    the last one wins.
    """
    if isinstance(as_of, datetime.datetime) or not isinstance(as_of, datetime.date):
        raise ValidationError("as_of", "a date", as_of)
    known = [e for e in entries if e.contact.at.date() <= as_of]
    view = corrected_view(known)
    root = {e.seq: item.seq for item in view for e in item.history}
    status: dict[tuple[int, int], CommitmentStatus] = {}
    for item in view:
        for index, commitment in enumerate(item.contact.commitments):
            status[item.seq, index] = commitment.status
    # A superseded version's updates no longer count: a correction carries them over (or
    # drops them), and applying both would replay an old status over a later one.
    for item in view:
        for update in item.contact.commitment_updates:
            key = (root.get(update.entry, update.entry), update.index)
            if key in status:
                status[key] = update.status
    result = [
        FollowUp(entry=item.seq, index=index, commitment=commitment, as_of=as_of)
        for item in view
        for index, commitment in enumerate(item.contact.commitments)
        if status[item.seq, index] is CommitmentStatus.OPEN
    ]
    return tuple(sorted(result, key=lambda f: (f.commitment.due or datetime.date.max, f.entry)))


class NegotiationLog:
    """An append-only, hash-chained record of every contact with a lender.

    Entries are never updated or deleted: :meth:`correct` appends a new entry pointing at
    the one it corrects, and :meth:`current` shows the corrected view with the history
    kept. Each entry stores the hash of the previous one, so :meth:`verify` detects an
    entry edited, deleted, inserted or reordered, or an attachment changed or removed.

    :param store: the storage backend (see :class:`~debtnegotiation.negotiation_log.LogStore`).
    :param clock: returns the current time, timezone-aware; it stamps ``appended_at``.
    """

    def __init__(
        self, store: LogStore, *, clock: Callable[[], datetime.datetime] = _utc_now
    ) -> None:
        """Wrap *store*; use :meth:`open` for the default SQLite file."""
        self.store = store
        self._clock = clock

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], datetime.datetime] = _utc_now,
        busy_timeout: float = 30.0,
    ) -> NegotiationLog:
        """Open the SQLite log at *path*, creating it (and its attachment folder) if needed.

        :param busy_timeout: seconds to wait while another process appends.
        """
        return cls(SQLiteStore(path, busy_timeout=busy_timeout), clock=clock)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> NegotiationLog:
        """Use the log as a context manager that closes it."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the store."""
        self.close()

    # --- writing -------------------------------------------------------------------

    def append(self, contact: Contact, *, attachments: Sequence[AttachmentSource] = ()) -> LogEntry:
        """Append *contact* as a new entry and return it once it is durably stored.

        Attachment files are copied into the log's store first (content-addressed by
        SHA-256), then the entry is chained and committed in one transaction.

        :raises ~debtnegotiation.errors.ValidationError: for a missing attachment file
            (naming it), or a correction or commitment update pointing at an entry that
            does not exist.
        """
        if not isinstance(contact, Contact):
            raise ValidationError("contact", "a Contact", contact)
        sources = [_source(i, a) for i, a in enumerate(attachments)]
        stored = tuple(self._store_attachment(path, media) for path, media in sources)
        return self._append(lambda _versions: (contact, stored))

    def correct(
        self,
        seq: int,
        *,
        attachments: Sequence[AttachmentSource] | None = None,
        **changes: object,
    ) -> LogEntry:
        """Append a correction of entry *seq* that changes only the fields given.

        The correction starts from the entry's current version (its latest correction, if
        any) and applies *changes*, which are :class:`Contact` fields by name; every field
        not given is carried over, and so are the attachments unless *attachments* is
        given. ``counterpart`` may be a :class:`Counterpart` or a mapping of only the
        counterpart fields that change, e.g. ``counterpart={"name": "Wang Fang"}``.

        :raises ~debtnegotiation.errors.ValidationError: for an unknown field, a value a
            :class:`Contact` refuses, or a *seq* that is not an entry.
        """
        unknown = sorted(set(changes) - _CORRECTABLE)
        if unknown:
            raise ValidationError(
                "correct()", f"Contact fields ({', '.join(sorted(_CORRECTABLE))})", unknown[0]
            )
        positive_int("seq", seq)
        sources = (
            None if attachments is None else [_source(i, a) for i, a in enumerate(attachments)]
        )
        new_files = (
            None
            if sources is None
            else tuple(self._store_attachment(path, media) for path, media in sources)
        )

        def corrected(versions: _Versions) -> tuple[Contact, tuple[Attachment, ...]]:
            previous = versions.current(seq)
            if previous is None:
                raise ValidationError("corrects", "the number of an existing entry", seq)
            return (
                _carry_over(previous.contact, seq, changes),
                previous.attachments if new_files is None else new_files,
            )

        return self._append(corrected)

    def _append(
        self, make: Callable[[_Versions], tuple[Contact, tuple[Attachment, ...]]]
    ) -> LogEntry:
        """Chain the contact *make* returns; *make* runs inside the append's transaction."""
        appended_at = self._clock()
        if appended_at.tzinfo is None:
            raise ValidationError("clock()", "a timezone-aware datetime", appended_at)
        built: list[LogEntry] = []

        def build(seq: int, prev_hash: str) -> StoredRow:
            versions = _Versions(self)
            contact, stored = make(versions)
            versions.check_references(contact)
            entry = LogEntry.build(
                seq=seq,
                prev_hash=prev_hash,
                appended_at=appended_at,
                contact=contact,
                attachments=stored,
            )
            built.append(entry)
            return row_of(entry)

        self.store.append(build)
        return built[-1]

    def _store_attachment(self, path: Path, media_type: str) -> Attachment:
        try:
            sha, size = self.store.add_blob(path)
        except FileNotFoundError:
            raise ValidationError("attachments", "an existing file", str(path)) from None
        guessed = media_type or mimetypes.guess_type(path.name)[0] or _DEFAULT_MEDIA_TYPE
        return Attachment(name=path.name, media_type=guessed, size=size, sha256=sha)

    # --- reading -------------------------------------------------------------------

    def entries(self) -> tuple[LogEntry, ...]:
        """Every entry, in order, corrections included.

        :raises ~debtnegotiation.negotiation_log.LogError: when a stored record cannot be
            read (run :meth:`verify`).
        """
        return tuple(_entry_of(row) for row in self.store.rows())

    def __len__(self) -> int:
        """The number of entries, corrections included."""
        return self.store.recorded_head()[0]

    def entry(self, seq: int) -> LogEntry:
        """Return entry *seq* (read alone when the store keeps an index)."""
        if isinstance(self.store, IndexedLogStore):
            row = self.store.row(seq) if isinstance(seq, int) else None
            if row is None:
                raise ValidationError("seq", "the number of an existing entry", seq)
            return _entry_of(row)
        for entry in self.entries():
            if entry.seq == seq:
                return entry
        raise ValidationError("seq", "the number of an existing entry", seq)

    @property
    def head(self) -> str:
        """Hash of the latest entry (:data:`GENESIS_HASH` for an empty log).

        Send it somewhere outside your control (e-mail it to yourself): a later rewrite
        of the whole log is then detectable with ``verify(expected_head=...)``.
        """
        return self.store.recorded_head()[1]

    def current(self) -> tuple[CorrectedEntry, ...]:
        """The corrected view: one item per original entry, latest version first-class."""
        return corrected_view(self.entries())

    def followups(self, as_of: datetime.date) -> tuple[FollowUp, ...]:
        """Commitments still open as of *as_of*; see :attr:`FollowUp.overdue`."""
        return followups(self.entries(), as_of)

    def verify(self, *, expected_head: str | None = None) -> VerifyResult:
        """Check the hash chain and every attachment; report the first broken link.

        :param expected_head: a head hash published earlier; it must still be in the
            chain, which catches a rewrite of the whole log.
        """
        return verify_rows(
            self.store.rows(),
            open_blob=self.store.open_blob,
            recorded_head=self.store.recorded_head(),
            expected_head=expected_head,
        )

    def read_attachment(self, attachment: Attachment) -> bytes:
        """Return the stored content of *attachment*."""
        handle = self.store.open_blob(attachment.sha256)
        if handle is None:
            raise LogError(f"attachment {attachment.name!r} ({attachment.sha256}) is missing")
        with handle:
            return handle.read()


def _entry_of(row: StoredRow) -> LogEntry:
    try:
        return LogEntry.from_record(json.loads(row.record), row.entry_hash)
    except (ValueError, ValidationError) as exc:
        raise LogError(f"entry {row.seq} cannot be read ({exc}); run verify()") from exc


#: The :class:`Contact` fields a correction may change (``corrects`` is set by the log).
_CORRECTABLE = frozenset(a.name for a in attrs.fields(Contact)) - {"corrects"}


def _carry_over(previous: Contact, seq: int, changes: Mapping[str, object]) -> Contact:
    """The previous version with *changes* applied and ``corrects`` set to *seq*."""
    fields = dict(changes)
    counterpart = fields.get("counterpart")
    if isinstance(counterpart, Mapping):
        names = {a.name for a in attrs.fields(Counterpart)}
        unknown = sorted(set(counterpart) - names)
        if unknown:
            raise ValidationError(
                "counterpart", f"Counterpart fields ({', '.join(sorted(names))})", unknown[0]
            )
        fields["counterpart"] = attrs.evolve(previous.counterpart, **counterpart)
    return attrs.evolve(previous, corrects=seq, **cast("dict[str, Any]", fields))


class _Versions:
    """Answers "what is the current version of entry N" during an append.

    Uses the store's index when it keeps one (no re-read of the log); otherwise reads the
    corrected view once, on the first question.
    """

    def __init__(self, log: NegotiationLog) -> None:
        self._log = log
        self._indexed = log.store if isinstance(log.store, IndexedLogStore) else None
        self._view: dict[int, CorrectedEntry] | None = None
        self._root: dict[int, int] = {}

    def _full_view(self) -> dict[int, CorrectedEntry]:
        if self._view is None:
            self._view = {item.seq: item for item in self._log.current()}
            self._root = {e.seq: item.seq for item in self._view.values() for e in item.history}
        return self._view

    def _version(self, seq: int) -> EntryVersion | None:
        if self._indexed is not None:
            return self._indexed.version(seq)
        view = self._full_view()
        root = self._root.get(seq)
        if root is None:
            return None
        item = view[root]
        return EntryVersion(
            root=root, latest=item.current.seq, commitments=len(item.contact.commitments)
        )

    def current(self, seq: int) -> LogEntry | None:
        """The current version of the entry *seq* belongs to, or ``None``."""
        version = self._version(seq)
        if version is None:
            return None
        if self._indexed is not None:
            row = self._indexed.row(version.latest)
            return None if row is None else _entry_of(row)
        return self._full_view()[version.root].current

    def check_references(self, contact: Contact) -> None:
        """Refuse a correction or commitment update pointing at no entry or commitment."""
        if contact.corrects is not None and self._version(contact.corrects) is None:
            raise ValidationError("corrects", "the number of an existing entry", contact.corrects)
        for i, update in enumerate(contact.commitment_updates):
            field = f"commitment_updates[{i}]"
            version = self._version(update.entry)
            if version is None:
                raise ValidationError(f"{field}.entry", "an existing entry", update.entry)
            if update.index >= version.commitments:
                raise ValidationError(
                    f"{field}.index",
                    f"an index below {version.commitments} (commitments of entry {update.entry})",
                    update.index,
                )


def _source(index: int, value: object) -> tuple[Path, str]:
    field = f"attachments[{index}]"
    if isinstance(value, AttachmentFile):
        path, media = value.path, value.media_type
    elif isinstance(value, str | os.PathLike):
        path, media = Path(os.fspath(value)), ""
    else:
        raise ValidationError(field, "a path or an AttachmentFile", value)
    if not path.is_file():
        raise ValidationError(field, "an existing file to attach", str(path))
    return path, media


def row_of(entry: LogEntry) -> StoredRow:
    """Return the stored form of *entry* (its canonical record text and chain columns)."""
    return StoredRow(
        seq=entry.seq,
        prev_hash=entry.prev_hash,
        entry_hash=entry.hash,
        record=canonical_json(entry.to_stored()).decode("utf-8"),
    )
