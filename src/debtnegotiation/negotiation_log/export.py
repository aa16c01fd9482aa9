"""JSON Lines export and import of a negotiation log.

The file has one JSON object per line, each in the canonical form of
:mod:`~debtnegotiation.negotiation_log.canonical`:

* line 1, ``{"header": {...}}`` with ``format`` (``debtnegotiation-log``), ``version``,
  ``entries`` (count), ``head`` (hash of the last entry) and ``redacted`` (``true`` when
  personal data was removed);
* then one line per entry, ``{"entry": <record>, "hash": <entry hash>}``, in order; a
  redacted export adds ``"redactions"``, the list of what was removed from that entry.

Anyone can check an unredacted file without this library: for each entry line,
``SHA-256(canonical(entry))`` equals ``hash``, ``entry.prev_hash`` equals the previous
line's ``hash`` (64 zeros for the first) and ``entry.seq`` counts up from 1.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Final

import attrs

from debtnegotiation.errors import DebtNegotiationError, ValidationError
from debtnegotiation.negotiation_log.canonical import GENESIS_HASH, canonical_json
from debtnegotiation.negotiation_log.entry import LogEntry
from debtnegotiation.negotiation_log.errors import ChainBrokenError, LogError
from debtnegotiation.negotiation_log.log import NegotiationLog
from debtnegotiation.negotiation_log.redact import Redaction, RedactionReport, redact_entries
from debtnegotiation.negotiation_log.store import StoredRow
from debtnegotiation.negotiation_log.verify import (
    ChainProblem,
    ProblemKind,
    VerifyResult,
    verify_rows,
)

__all__ = [
    "EXPORT_FORMAT",
    "copy_attachments",
    "export_jsonl",
    "import_jsonl",
    "jsonl_text",
    "verify_jsonl",
    "verify_text",
]

#: The ``format`` value in the header line.
EXPORT_FORMAT: Final = "debtnegotiation-log"
_VERSION: Final = 1


def _entries_of(source: NegotiationLog | Iterable[LogEntry]) -> tuple[LogEntry, ...]:
    return source.entries() if isinstance(source, NegotiationLog) else tuple(source)


def jsonl_text(
    entries: Sequence[LogEntry],
    *,
    redaction: Redaction | None = None,
    salt: str | None = None,
) -> tuple[str, RedactionReport | None]:
    """Return the JSON Lines text of *entries* and, when redacting, the redaction report."""
    report = None
    if redaction is not None:
        entries, report = redact_entries(entries, redaction, salt=salt)
    head = entries[-1].hash if entries else GENESIS_HASH
    header = {
        "format": EXPORT_FORMAT,
        "version": _VERSION,
        "entries": len(entries),
        "head": head,
        "redacted": report is not None,
    }
    lines = [canonical_json({"header": header})]
    for entry in entries:
        line: dict[str, object] = {"entry": entry.to_record(), "hash": entry.hash}
        if report is not None:
            line["redactions"] = [
                {"field": f.field, "category": f.category, "digest": f.digest}
                for f in report.fields
                if f.seq == entry.seq
            ]
        lines.append(canonical_json(line))
    return "".join(f"{line.decode('utf-8')}\n" for line in lines), report


def export_jsonl(
    source: NegotiationLog | Iterable[LogEntry],
    path: str | os.PathLike[str],
    *,
    redaction: Redaction | None = None,
    salt: str | None = None,
) -> RedactionReport | None:
    """Write the log (or the given entries) to *path* as JSON Lines.

    :param redaction: remove personal data (see
        :mod:`~debtnegotiation.negotiation_log.redact`); the export then no longer
        verifies as the original chain.
    :param salt: hex salt of the redaction digests; random when omitted.
    :return: the redaction report, or ``None`` when nothing was redacted.
    """
    text, report = jsonl_text(_entries_of(source), redaction=redaction, salt=salt)
    Path(os.fspath(path)).write_text(text, encoding="utf-8", newline="\n")
    return report


@attrs.frozen(kw_only=True)
class _Parsed:
    header: dict[str, Any]
    rows: tuple[StoredRow, ...]


def _parse_jsonl(text: str, name: str) -> _Parsed:
    lines = [line for line in text.split("\n") if line.strip()]
    try:
        first = json.loads(lines[0]) if lines else None
    except ValueError:
        first = None
    header = first.get("header") if isinstance(first, dict) else None
    if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
        raise ValidationError(name, f"a {EXPORT_FORMAT} JSON Lines file with a header", name)
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        try:
            item = json.loads(line)
            record = item["entry"]
            entry_hash = item["hash"]
            seq = record["seq"]
            prev = record["prev_hash"]
        except (ValueError, TypeError, KeyError):
            raise ValidationError(f"{name}: line {number}", "an entry line", line) from None
        try:
            text_record = canonical_json(record).decode("utf-8")
        except DebtNegotiationError:
            text_record = json.dumps(record)
        rows.append(StoredRow(seq=seq, prev_hash=prev, entry_hash=entry_hash, record=text_record))
    return _Parsed(header=header, rows=tuple(rows))


def _recorded_head(header: dict[str, Any]) -> tuple[int, str] | None:
    count, head = header.get("entries"), header.get("head")
    if isinstance(count, int) and isinstance(head, str):
        return count, head
    return None


def verify_text(
    text: str,
    *,
    name: str = "entries",
    open_blob: Callable[[str], BinaryIO | None] | None = None,
    expected_head: str | None = None,
) -> VerifyResult:
    """Verify JSON Lines *text*; a redacted export fails with :attr:`ProblemKind.REDACTED`."""
    parsed = _parse_jsonl(text, name)
    redacted = parsed.header.get("redacted") is True
    result = verify_rows(
        parsed.rows,
        open_blob=open_blob,
        recorded_head=_recorded_head(parsed.header),
        expected_head=expected_head,
        content=not redacted,
    )
    if result.ok and redacted:
        return VerifyResult(
            entries=result.entries,
            head=result.head,
            problem=ChainProblem(
                kind=ProblemKind.REDACTED,
                seq=None,
                message=(
                    f"the export is redacted: the links between its {result.entries} "
                    "original hashes are intact, but the entries' content cannot be "
                    "re-hashed; verify the full log instead"
                ),
            ),
        )
    return result


def _dir_opener(directory: Path | None) -> Callable[[str], BinaryIO | None] | None:
    if directory is None:
        return None

    def open_blob(sha256: str) -> BinaryIO | None:
        try:
            return (directory / sha256).open("rb")
        except FileNotFoundError:
            return None

    return open_blob


def verify_jsonl(
    path: str | os.PathLike[str],
    *,
    attachments: str | os.PathLike[str] | None = None,
    expected_head: str | None = None,
) -> VerifyResult:
    """Verify a JSON Lines export on its own.

    :param attachments: a directory holding the attachment files named by their SHA-256
        (as in an evidence bundle); when omitted attachments are not checked.
    :param expected_head: a head hash published earlier that must be in the chain.
    """
    file = Path(os.fspath(path))
    directory = None if attachments is None else Path(os.fspath(attachments))
    return verify_text(
        file.read_text(encoding="utf-8"),
        name=str(file),
        open_blob=_dir_opener(directory),
        expected_head=expected_head,
    )


def import_jsonl(
    source: str | os.PathLike[str],
    destination: str | os.PathLike[str],
    *,
    attachments: str | os.PathLike[str] | None = None,
) -> NegotiationLog:
    """Create a new log at *destination* from a JSON Lines export, after verifying it.

    The entries are stored verbatim (same numbers, same hashes), so the new log's head
    equals the export's.

    :param attachments: directory of the attachment files named by SHA-256; required
        when any entry has attachments.
    :raises ~debtnegotiation.negotiation_log.ChainBrokenError: when the export does not
        verify (a redacted export never does).
    :raises ~debtnegotiation.negotiation_log.LogError: when *destination* already holds entries.
    """
    file = Path(os.fspath(source))
    directory = None if attachments is None else Path(os.fspath(attachments))
    text = file.read_text(encoding="utf-8")
    parsed = _parse_jsonl(text, str(file))
    needed = {
        a["sha256"] for row in parsed.rows for a in json.loads(row.record).get("attachments", [])
    }
    if needed and directory is None:
        raise ValidationError("attachments", "the directory of the export's attachment files", None)
    result = verify_text(text, name=str(file), open_blob=_dir_opener(directory))
    if not result.ok:
        raise ChainBrokenError(result)
    log = NegotiationLog.open(destination)
    try:
        if len(log):
            raise LogError(f"{destination}: the destination log already has entries")
        entries = [LogEntry.from_record(json.loads(r.record), r.entry_hash) for r in parsed.rows]
        for entry in entries:
            for attachment in entry.attachments:
                assert directory is not None  # noqa: S101  (checked above)
                log.store.add_blob(directory / attachment.sha256)
        log.store.extend(parsed.rows)
    except BaseException:
        log.close()
        raise
    return log


def copy_attachments(log: NegotiationLog, directory: str | os.PathLike[str]) -> int:
    """Copy every attachment of *log* into *directory*, named by SHA-256; return the count."""
    target = Path(os.fspath(directory))
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    for entry in log.entries():
        for attachment in entry.attachments:
            handle = log.store.open_blob(attachment.sha256)
            if handle is None:
                raise LogError(f"attachment {attachment.sha256} of entry {entry.seq} is missing")
            with handle, (target / attachment.sha256).open("wb") as out:
                shutil.copyfileobj(handle, out)
            copied += 1
    return copied
