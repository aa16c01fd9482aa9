"""Verification of a hash chain: the first broken link and what is wrong with it.

The same walk checks a live SQLite log, a JSON Lines export and an evidence bundle: each
supplies its rows in storage order and a way to read attachments.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import BinaryIO

import attrs

from debtnegotiation.errors import DebtNegotiationError
from debtnegotiation.negotiation_log.canonical import GENESIS_HASH
from debtnegotiation.negotiation_log.entry import Attachment
from debtnegotiation.negotiation_log.store import StoredRow

__all__ = ["ChainProblem", "ProblemKind", "VerifyResult", "verify_rows"]

_CHUNK = 1 << 16


class ProblemKind(enum.Enum):
    """What is wrong at the first broken link."""

    #: An entry's content no longer matches its hash, or a later link no longer matches it.
    EDITED = "edited"
    #: One or more entries are missing (from the middle, or from the end of the log).
    DELETED = "deleted"
    #: An entry was added that the chain does not account for.
    INSERTED = "inserted"
    #: Entries are stored in a different order from the one they were chained in.
    REORDERED = "reordered"
    #: An attachment's file no longer has the recorded size and SHA-256.
    ATTACHMENT_CHANGED = "attachment_changed"
    #: An attachment's file is gone.
    ATTACHMENT_MISSING = "attachment_missing"
    #: A hash published earlier (e.g. e-mailed to oneself) is not in the chain.
    ANCHOR_MISSING = "anchor_missing"
    #: The entries are a redacted copy, whose content cannot be re-hashed.
    REDACTED = "redacted"


@attrs.frozen(kw_only=True)
class ChainProblem:
    """The first broken link found.

    :param kind: what is wrong.
    :param seq: sequence number of the entry concerned (the stored one), if any.
    :param message: an explanation naming the entries involved.
    """

    kind: ProblemKind
    seq: int | None
    message: str


@attrs.frozen(kw_only=True)
class VerifyResult:
    """The outcome of verifying a chain.

    :param entries: how many entries were checked before stopping.
    :param head: hash of the last entry that verified (:data:`GENESIS_HASH` if none).
    :param problem: the first broken link, or ``None`` when the chain is intact.
    """

    entries: int
    head: str
    problem: ChainProblem | None = None

    @property
    def ok(self) -> bool:
        """Whether the whole chain verified."""
        return self.problem is None

    def __bool__(self) -> bool:
        """A result is true when the chain verified."""
        return self.ok

    @property
    def explanation(self) -> str:
        """The outcome in one sentence, naming the entry where the chain broke."""
        if self.problem is None:
            return f"{self.entries} entries verified; head {self.head}"
        return self.problem.message


BlobOpener = Callable[[str], BinaryIO | None]


def _check_attachment(attachment: Attachment, open_blob: BlobOpener) -> ProblemKind | None:
    handle = open_blob(attachment.sha256)
    if handle is None:
        return ProblemKind.ATTACHMENT_MISSING
    digest = hashlib.sha256()
    size = 0
    with handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    if size != attachment.size or digest.hexdigest() != attachment.sha256:
        return ProblemKind.ATTACHMENT_CHANGED
    return None


def _no_float(text: str) -> object:
    raise ValueError(f"a binary float in a record: {text}")


def _parse(row: StoredRow) -> tuple[dict[str, object], str] | None:
    try:
        # Refusing floats (and NaN/Infinity) while parsing leaves only str, int, bool,
        # None, lists and str-keyed objects, which to_json_value() returns unchanged; so
        # the canonical form is json.dumps with the canonical options, without the walk
        # (most of verify()'s time on a large log).
        record = json.loads(row.record, parse_float=_no_float, parse_constant=_no_float)
        if not isinstance(record, dict):
            return None
        text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return record, hashlib.sha256(text.encode("utf-8")).hexdigest()
    except (ValueError, DebtNegotiationError):
        return None


def verify_rows(  # noqa: PLR0911, PLR0912
    rows: Iterable[StoredRow],
    *,
    open_blob: BlobOpener | None,
    recorded_head: tuple[int, str] | None = None,
    expected_head: str | None = None,
    content: bool = True,
) -> VerifyResult:
    """Walk *rows* in storage order and report the first broken link.

    :param rows: the stored rows, in the order the store keeps them.
    :param open_blob: opens an attachment by SHA-256 (``None`` when it is missing); pass
        ``None`` to skip attachment checks.
    :param recorded_head: the head the store recorded, to detect entries removed from or
        added at the end.
    :param expected_head: a hash published earlier; the chain must contain it.
    :param content: re-hash each record (``False`` only for redacted copies, whose
        content cannot be re-hashed; then only links and order are checked).
    """
    stored = list(rows)
    position = {row.entry_hash: i for i, row in enumerate(stored)}
    # hash of each verified entry -> (its sequence number, its position + 1)
    seen: dict[str, tuple[int, int]] = {GENESIS_HASH: (0, 0)}
    prev, prev_seq, expected_seq = GENESIS_HASH, 0, 1

    def fail(kind: ProblemKind, seq: int | None, message: str) -> VerifyResult:
        return VerifyResult(
            entries=expected_seq - 1,
            head=prev,
            problem=ChainProblem(kind=kind, seq=seq, message=message),
        )

    for i, row in enumerate(stored):
        parsed = _parse(row)
        if parsed is None:
            return fail(
                ProblemKind.EDITED, row.seq, f"entry {row.seq} was edited: unreadable record"
            )
        record, computed = parsed
        if content and computed != row.entry_hash:
            return fail(
                ProblemKind.EDITED,
                row.seq,
                f"entry {row.seq} was edited: its content no longer matches its hash",
            )
        rec_seq, rec_prev = record.get("seq"), record.get("prev_hash")
        if not isinstance(rec_seq, int) or not isinstance(rec_prev, str):
            return fail(ProblemKind.EDITED, row.seq, f"entry {row.seq} has no valid link")
        if rec_prev != prev or rec_seq != expected_seq:
            if rec_prev in seen and rec_prev != prev:
                linked_seq, linked_pos = seen[rec_prev]
                inserted = stored[linked_pos].seq
                return fail(
                    ProblemKind.INSERTED,
                    inserted,
                    f"entry {inserted} was inserted: entry {rec_seq} links to entry "
                    f"{linked_seq}, not to the entry stored before it",
                )
            if position.get(rec_prev, -1) > i or rec_seq < expected_seq:
                return fail(
                    ProblemKind.REORDERED,
                    rec_seq,
                    f"entries were reordered: entry {rec_seq} is stored where entry "
                    f"{expected_seq} belongs",
                )
            if rec_seq > expected_seq:
                missing = (
                    f"entry {expected_seq} is"
                    if rec_seq == expected_seq + 1
                    else f"entries {expected_seq}-{rec_seq - 1} are"
                )
                return fail(
                    ProblemKind.DELETED,
                    expected_seq,
                    f"{missing} missing: entry {rec_seq} follows entry {prev_seq}",
                )
            return fail(
                ProblemKind.EDITED,
                prev_seq,
                f"entry {prev_seq} was edited and re-hashed: entry {rec_seq} links to a "
                "different hash",
            )
        if row.seq != rec_seq or row.prev_hash != rec_prev:
            return fail(
                ProblemKind.EDITED,
                row.seq,
                f"entry {row.seq} was edited: its stored number or link differs from its "
                "hashed record",
            )
        if open_blob is not None:
            attachments = record.get("attachments")
            if not isinstance(attachments, list):
                return fail(ProblemKind.EDITED, row.seq, f"entry {row.seq} was edited")
            for attachment in attachments:
                try:
                    item = Attachment(**attachment)
                except (TypeError, DebtNegotiationError):
                    return fail(ProblemKind.EDITED, row.seq, f"entry {row.seq} was edited")
                kind = _check_attachment(item, open_blob)
                if kind is not None:
                    what = "is missing" if kind is ProblemKind.ATTACHMENT_MISSING else "changed"
                    return fail(
                        kind,
                        row.seq,
                        f"attachment {item.name!r} ({item.sha256}) of entry {row.seq} {what}",
                    )
        prev, prev_seq = row.entry_hash, rec_seq
        seen[prev] = (rec_seq, i + 1)
        expected_seq += 1

    last = expected_seq - 1
    if recorded_head is not None:
        head_seq, head_hash = recorded_head
        if head_seq > last:
            return fail(
                ProblemKind.DELETED,
                last + 1,
                f"entries {last + 1}-{head_seq} are missing from the end: the log recorded "
                f"entry {head_seq} as its head",
            )
        if head_seq < last:
            return fail(
                ProblemKind.INSERTED,
                head_seq + 1,
                f"entry {head_seq + 1} was inserted: the log recorded entry {head_seq} as its head",
            )
        if head_hash != prev:
            return fail(
                ProblemKind.EDITED,
                last,
                f"entry {last} was edited: it differs from the recorded head",
            )
    if expected_head is not None and expected_head not in seen:
        return fail(
            ProblemKind.ANCHOR_MISSING,
            None,
            f"the published hash {expected_head} is not in the chain: the log was "
            "rewritten or truncated after it was published",
        )
    return VerifyResult(entries=last, head=prev)
