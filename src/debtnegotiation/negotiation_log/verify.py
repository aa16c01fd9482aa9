"""Verification of a hash chain: the first broken link and what is wrong with it.

The same walk checks a live SQLite log, a JSON Lines export and an evidence bundle: each
supplies its rows in storage order and a way to read attachments.

Each record is checked one of two ways with the same outcome. A record stored in
canonical form, as the log writes every record, takes the short way
(:func:`_parse_canonical`): parsed once by the C parser, rebuilt once, and proven equal
to what the model writes by one comparison of canonical texts. Any other record (other
bytes for the same data, duplicate keys, fractions, unknown fields) takes the long way,
which explains what is wrong. Either way every salted commitment and the entry hash are
recomputed (:func:`~debtnegotiation.negotiation_log.commitment.committed_hash`).
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, BinaryIO, Final

import attrs

from debtnegotiation.errors import DebtNegotiationError
from debtnegotiation.negotiation_log.canonical import (
    GENESIS_HASH,
    canonical_text,
    parse_strict,
    record_hash,
)
from debtnegotiation.negotiation_log.commitment import committed_hash
from debtnegotiation.negotiation_log.entry import Attachment, LogEntry
from debtnegotiation.negotiation_log.record_check import model_writes
from debtnegotiation.negotiation_log.store import StoredRow

__all__ = ["AbsentAttachment", "ChainProblem", "ProblemKind", "VerifyResult", "verify_rows"]

_PLAIN_KEYS: Final = frozenset(
    {"format", "seq", "prev_hash", "appended_at", "contact", "attachments"}
)

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
class AbsentAttachment:
    """An attachment whose file was not there to check (an export shipped without it).

    :param seq: the entry that records it.
    :param attachment: its recorded name, size and SHA-256.
    """

    seq: int
    attachment: Attachment

    def __str__(self) -> str:
        """Name the attachment, its entry and its hash."""
        a = self.attachment
        return f"{a.name!r} of entry {self.seq} (SHA-256 {a.sha256}, {a.size} bytes)"


@attrs.frozen(kw_only=True)
class VerifyResult:
    """The outcome of verifying a chain.

    :param entries: how many entries were checked before stopping.
    :param head: hash of the last entry that verified (:data:`GENESIS_HASH` if none).
    :param problem: the first broken link, or ``None`` when the chain is intact.
    :param absent: attachments that could not be checked because their files were not
        given; a result with absent attachments is not :attr:`ok` unless
        *absent_allowed*.
    :param absent_allowed: the caller accepted absent attachments (they are still listed).
    :param withheld: how many values a redacted export withholds; their salted digests
        are in the chain, their content is not shown.
    :param hashes: the hash of every entry that verified, in order (what a checkpoint
        is checked against).
    """

    entries: int
    head: str
    problem: ChainProblem | None = None
    absent: tuple[AbsentAttachment, ...] = ()
    absent_allowed: bool = False
    withheld: int = 0
    hashes: tuple[str, ...] = attrs.field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        """Whether the whole chain verified and every attachment was checked (or allowed absent)."""
        return self.problem is None and (self.absent_allowed or not self.absent)

    def __bool__(self) -> bool:
        """A result is true when the chain verified."""
        return self.ok

    @property
    def explanation(self) -> str:
        """The outcome in one sentence, naming the entry where the chain broke."""
        if self.problem is not None:
            return self.problem.message
        entries = "1 entry" if self.entries == 1 else f"{self.entries} entries"
        text = f"{entries} verified; head {self.head}"
        if self.withheld:
            count = self.withheld
            values = "1 redacted value" if count == 1 else f"{count} redacted values"
            text += f"; {values} withheld (only their salted digests are in the export)"
        if self.absent:
            listed = ", ".join(str(a) for a in self.absent)
            count = len(self.absent)
            files = "1 attachment" if count == 1 else f"{count} attachments"
            its = "its file is" if count == 1 else "their files are"
            text += f"; {files} NOT checked, {its} absent: {listed}"
        return text


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


def _subset(stored: Any, rebuilt: Any) -> bool:  # noqa: ANN401
    """Whether every value of *stored* is in *rebuilt*, the same (no unknown fields)."""
    if isinstance(stored, dict):
        return isinstance(rebuilt, dict) and all(
            k in rebuilt and _subset(v, rebuilt[k]) for k, v in stored.items()
        )
    if isinstance(stored, list):
        return (
            isinstance(rebuilt, list)
            and len(stored) == len(rebuilt)
            and all(_subset(a, b) for a, b in zip(stored, rebuilt, strict=True))
        )
    return bool(stored == rebuilt and type(stored) is type(rebuilt))


#: The bytes of lowercase hex digits (see :func:`_all_hex`).
_HEX_DIGITS: Final = b"0123456789abcdef"


def _all_hex(values: Iterable[object], width: int) -> bool:
    """Whether every value is a ``str`` of *width* lowercase hex digits (32 or 64).

    Checked on all the values at once instead of one match per value (this runs for the
    two dozen salts of every entry): joining them fails unless every value is a ``str``;
    the set of their lengths must be ``{width}``; the joined text must be ASCII and
    nothing may be left of it once the hex digits are deleted.
    """
    items: list[Any] = list(values)
    try:
        joined = "".join(items)  # a TypeError is the answer
    except TypeError:
        return False
    return (
        set(map(len, items)) <= {width}
        and joined.isascii()
        and not joined.encode("ascii").translate(None, _HEX_DIGITS)
    )


_MISMATCH: Final = "the salts and withheld digests do not match the record's values one to one"


def _hash_stored(data: Mapping[str, Any]) -> tuple[dict[str, Any], str, int]:
    """Split a stored record into its plain record; return it, its hash and the withheld count.

    *data* is parsed JSON (``dict``, ``list``, ``str``, ``int``, ``bool``, ``None``).

    :raises ValueError: naming what is malformed.
    """
    version = data.get("format")
    extra = set(data) - _PLAIN_KEYS
    if version == 1:
        if extra:
            raise ValueError(f"unknown fields {sorted(extra)}")
        return dict(data), record_hash(data), 0
    if version != 2:
        raise ValueError(f"unknown record format {version!r}")
    if not extra <= {"salts", "withheld"} or "salts" not in data:
        raise ValueError(f"unknown or missing fields {sorted(extra ^ {'salts'})}")
    record = {k: v for k, v in data.items() if k in _PLAIN_KEYS}
    if set(record) != _PLAIN_KEYS:
        raise ValueError(f"missing fields {sorted(_PLAIN_KEYS - set(record))}")
    salts, withheld = data["salts"], data.get("withheld", {})
    if not isinstance(salts, dict) or not _all_hex(salts.values(), 32):
        raise ValueError("salts are not a mapping of paths to 32 hex digits")
    if not isinstance(withheld, dict) or not _all_hex(withheld.values(), 64):
        raise ValueError("withheld values are not a mapping of paths to digests")
    # The salts and digests must name the record's value paths one to one. committed_hash
    # looks every path up (a KeyError when one has neither) and counts the paths, which
    # are distinct; with the two key sets disjoint, equal counts make the sets equal.
    if withheld and salts.keys() & withheld.keys():
        raise ValueError(_MISMATCH)
    try:
        computed, count = committed_hash(record, salts, withheld)
    except KeyError:
        raise ValueError(_MISMATCH) from None
    if count != len(salts) + len(withheld):
        raise ValueError(_MISMATCH)
    return record, computed, len(withheld)


_Parsed = tuple[dict[str, Any], str, int]


def _parse_canonical(row: StoredRow) -> _Parsed | None:
    """:func:`_parse` for a record stored in canonical form, or ``None`` to take the long way.

    As strong as the long way, and cheaper: the long way parses with duplicate-key and
    float checks in Python, rebuilds the entry and compares the record with the rebuilt
    one value by value (:func:`_subset`). Here the record is parsed by the C parser and
    shown to be what the model writes back (:func:`_written_back`); then the parsed data
    (the record, with the stored salts and digests, which :func:`_hash_stored` checked
    are mappings of ``str``) is written in canonical form and compared with the stored
    text. When the two texts are equal:

    * the stored text is the encoder's output for a ``dict``, so it names no key twice
      and, the record having no floats (the model refuses them), holds no fraction,
      exponent, ``NaN`` or ``Infinity``: :func:`parse_strict` accepts it and returns
      what :func:`json.loads` returned;
    * the model writes the record back type for type (``true`` is not ``1``), so the
      stored record equals the rebuilt one exactly and :func:`_subset` holds;
    * the hash and withheld count are those :func:`_hash_stored` computes on the long way.

    Any difference or error returns ``None``, and the long way decides and explains.
    """
    try:
        data = json.loads(row.record)
        if type(data) is not dict:
            return None
        record, computed, withheld = _hash_stored(data)
        if not _written_back(record, row.entry_hash):
            return None
    except (ValueError, TypeError, KeyError, RecursionError, DebtNegotiationError):
        return None
    if _CANONICAL.encode(data) != row.record:
        return None
    return record, computed, withheld


#: The canonical encoder (``canonical._ENCODER``) without the check for circular
#: references, which parsed JSON cannot hold.
_CANONICAL: Final = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False
)


def _written_back(record: dict[str, Any], entry_hash: str) -> bool:
    """Whether the entry model writes *record* back unchanged, type for type.

    :func:`~debtnegotiation.negotiation_log.record_check.model_writes` proves it by the
    record's structure for what the log writes; for anything it does not prove, the
    entry is rebuilt and written back, and the two canonical texts are compared.

    :raises ValueError: (or ``TypeError``, ``KeyError``, a ``DebtNegotiationError``)
        when the model refuses the record.
    """
    if model_writes(record):
        return True
    rebuilt = LogEntry.from_record(record, entry_hash, salts={}).to_record()
    return canonical_text(rebuilt) == canonical_text(record)


def _parse(row: StoredRow) -> _Parsed | str:
    """Return the plain record, its computed hash and withheld count, or what is wrong."""
    fast = _parse_canonical(row)
    if fast is not None:
        return fast
    try:
        data = parse_strict(row.record)
        if not isinstance(data, dict):
            return "its record is not a JSON object"
        record, computed, withheld = _hash_stored(data)
        rebuilt = LogEntry.from_record(record, row.entry_hash, salts={}).to_record()
    except (ValueError, TypeError, KeyError, DebtNegotiationError) as exc:
        return f"unreadable record ({exc})"
    if not _subset(record, rebuilt):
        return "its record has fields or values this library does not know"
    return record, computed, withheld


def verify_rows(  # noqa: PLR0911, PLR0912
    rows: Iterable[StoredRow],
    *,
    open_blob: BlobOpener | None,
    recorded_head: tuple[int, str] | None = None,
    expected_head: str | None = None,
    content: bool = True,
    absent_is_problem: bool = True,
    absent_allowed: bool = False,
) -> VerifyResult:
    """Walk *rows* in storage order and report the first broken link.

    :param rows: the stored rows, in the order the store keeps them.
    :param open_blob: opens an attachment by SHA-256 (``None`` when it is missing); pass
        ``None`` to skip attachment checks.
    :param recorded_head: the head the store recorded, to detect entries removed from or
        added at the end.
    :param expected_head: a hash published earlier; the chain must contain it.
    :param content: re-hash each record (``False`` only for format-1 redacted copies,
        whose content cannot be re-hashed; then only links and order are checked).
    :param absent_is_problem: an attachment *open_blob* cannot find is a broken link
        (a live log); when ``False`` it is listed in ``absent`` (an
        export shipped without it).
    :param absent_allowed: accept absent attachments (still listed).
    """
    stored = list(rows)
    position = {row.entry_hash: i for i, row in enumerate(stored)}
    # hash of each verified entry -> (its sequence number, its position + 1)
    seen: dict[str, tuple[int, int]] = {GENESIS_HASH: (0, 0)}
    prev, prev_seq, expected_seq = GENESIS_HASH, 0, 1
    absent: list[AbsentAttachment] = []
    withheld_total = 0
    hashes: list[str] = []

    def fail(kind: ProblemKind, seq: int | None, message: str) -> VerifyResult:
        return VerifyResult(
            entries=expected_seq - 1,
            head=prev,
            problem=ChainProblem(kind=kind, seq=seq, message=message),
            hashes=tuple(hashes),
        )

    for i, row in enumerate(stored):
        parsed = _parse(row)
        if isinstance(parsed, str):
            return fail(ProblemKind.EDITED, row.seq, f"entry {row.seq} was edited: {parsed}")
        record, computed, withheld = parsed
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
        attachments = record.get("attachments")
        if not isinstance(attachments, list):
            return fail(ProblemKind.EDITED, row.seq, f"entry {row.seq} was edited")
        for attachment in attachments:
            try:
                item = Attachment(**attachment)
            except (TypeError, DebtNegotiationError):
                return fail(ProblemKind.EDITED, row.seq, f"entry {row.seq} was edited")
            if open_blob is None:
                absent.append(AbsentAttachment(seq=rec_seq, attachment=item))
                continue
            kind = _check_attachment(item, open_blob)
            if kind is ProblemKind.ATTACHMENT_MISSING and not absent_is_problem:
                absent.append(AbsentAttachment(seq=rec_seq, attachment=item))
            elif kind is not None:
                what = "is missing" if kind is ProblemKind.ATTACHMENT_MISSING else "changed"
                return fail(
                    kind,
                    row.seq,
                    f"attachment {item.name!r} ({item.sha256}) of entry {row.seq} {what}",
                )
        withheld_total += withheld
        hashes.append(row.entry_hash)
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
    return VerifyResult(
        entries=last,
        head=prev,
        absent=tuple(absent),
        absent_allowed=absent_allowed,
        withheld=withheld_total,
        hashes=tuple(hashes),
    )
