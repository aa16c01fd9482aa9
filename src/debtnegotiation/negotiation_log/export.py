"""JSON Lines export and import of a negotiation log.

The file has one JSON object per line, each in the canonical form of
:mod:`~debtnegotiation.negotiation_log.canonical`:

* line 1, ``{"header": {...}}`` with exactly ``format`` (``debtnegotiation-log``),
  ``version`` (2), ``entries`` (count), ``head`` (hash of the last entry) and ``redacted``
  (``true`` when values are withheld);
* then one line per entry, in order: ``{"entry": <plain record>, "hash": <entry hash>}``
  for a format-1 entry; a format-2 entry adds ``"salts"`` (the salt of every value shown,
  by its path) and, in a redacted export, ``"withheld"`` (the digest of every value not
  shown, by its path; the record shows a pseudonym such as ``[phone 1]`` there).

Anyone can check a file without this library: for a format-1 line,
``SHA-256(canonical(entry)) == hash``; for a format-2 line, replace every value at path
*p* of ``entry.contact`` and ``entry.attachments`` by
``SHA-256(canonical([salts[p], p, value]))`` or by ``withheld[p]``, and hash the result
(see :mod:`~debtnegotiation.negotiation_log.commitment`). ``entry.prev_hash`` equals the
previous line's ``hash`` (64 zeros for the first) and ``entry.seq`` counts up from 1.

Verification is strict: a line not in canonical form, a key given twice, a field the
format does not define, or a value without its salt or digest is a broken entry, so
nothing can ride along unhashed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, BinaryIO, Final

import attrs

from debtnegotiation.errors import DebtNegotiationError, ValidationError
from debtnegotiation.negotiation_log.canonical import GENESIS_HASH, canonical_json, parse_strict
from debtnegotiation.negotiation_log.entry import LogEntry
from debtnegotiation.negotiation_log.errors import ChainBrokenError, LogError
from debtnegotiation.negotiation_log.log import NegotiationLog
from debtnegotiation.negotiation_log.redact import (
    RedactedEntry,
    Redaction,
    RedactionReport,
    redact_entries,
)
from debtnegotiation.negotiation_log.store import StoredRow
from debtnegotiation.negotiation_log.verify import (
    ChainProblem,
    ProblemKind,
    VerifyResult,
    verify_rows,
)

__all__ = [
    "EXPORT_FORMAT",
    "atomic_write",
    "copy_attachments",
    "export_jsonl",
    "import_jsonl",
    "jsonl_text",
    "parse_jsonl",
    "verify_jsonl",
    "verify_text",
]

#: The ``format`` value in the header line.
EXPORT_FORMAT: Final = "debtnegotiation-log"
_VERSION: Final = 2
_HEADER_KEYS: Final = frozenset({"format", "version", "entries", "head", "redacted"})
_LINE_KEYS: Final = frozenset({"entry", "hash", "salts", "withheld"})


def _entries_of(source: NegotiationLog | Iterable[LogEntry]) -> tuple[LogEntry, ...]:
    return source.entries() if isinstance(source, NegotiationLog) else tuple(source)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[Any]]:
    """Write *path* all at once: a temporary file in the same folder, fsync, rename.

    A crash or a kill while writing leaves the previous file untouched (and at most a
    ``.<name>.*.tmp`` file next to it).
    """
    target = Path(os.fspath(path))
    handle, temp_name = tempfile.mkstemp(
        dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp"
    )
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, mode) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        temp.replace(target)
        with contextlib.suppress(OSError):  # not every platform can fsync a directory
            fd = os.open(target.parent or ".", os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    finally:
        temp.unlink(missing_ok=True)


def _line(item: LogEntry | RedactedEntry) -> dict[str, object]:
    if isinstance(item, RedactedEntry):
        entry, withheld = item.entry, item.withheld
    else:
        entry, withheld = item, {}
    line: dict[str, object] = {"entry": entry.to_record(), "hash": entry.hash}
    if entry.format == 2:
        if entry.salts is None:
            raise LogError(f"entry {entry.seq}: its salts are not known; export the log itself")
        line["salts"] = dict(sorted(entry.salts.items()))
        if withheld:
            line["withheld"] = dict(sorted(withheld.items()))
    return line


def jsonl_text(
    entries: Sequence[LogEntry],
    *,
    redaction: Redaction | None = None,
    salt: str | None = None,
) -> tuple[str, RedactionReport | None]:
    """Return the JSON Lines text of *entries* and, when redacting, the redaction report.

    :param salt: hex seed of the redaction's pseudonym numbering (random when omitted);
        the same seed gives the same export.
    """
    report = None
    items: Sequence[LogEntry | RedactedEntry] = entries
    if redaction is not None:
        items, report = redact_entries(entries, redaction, salt=salt)
    head = entries[-1].hash if entries else GENESIS_HASH
    header = {
        "format": EXPORT_FORMAT,
        "version": _VERSION,
        "entries": len(entries),
        "head": head,
        "redacted": report is not None,
    }
    lines = [canonical_json({"header": header})]
    lines.extend(canonical_json(_line(item)) for item in items)
    return "".join(f"{line.decode('utf-8')}\n" for line in lines), report


def export_jsonl(
    source: NegotiationLog | Iterable[LogEntry],
    path: str | os.PathLike[str],
    *,
    redaction: Redaction | None = None,
    salt: str | None = None,
) -> RedactionReport | None:
    """Write the log (or the given entries) to *path* as JSON Lines, atomically.

    :param redaction: withhold personal data (see
        :mod:`~debtnegotiation.negotiation_log.redact`); the export still verifies: the
        chain and every value shown, while the withheld values stay secret.
    :param salt: hex seed of the pseudonym numbering; random when omitted.
    :return: the redaction report, or ``None`` when nothing was redacted.
    """
    text, report = jsonl_text(_entries_of(source), redaction=redaction, salt=salt)
    with atomic_write(path) as out:
        out.write(text.encode("utf-8"))
    return report


@attrs.frozen(kw_only=True)
class ParsedExport:
    """A JSON Lines export read strictly: its header and its rows in stored form.

    :param header: the header object.
    :param rows: one stored row per entry line.
    :param lines: the entry lines as parsed.
    """

    header: dict[str, Any]
    rows: tuple[StoredRow, ...]
    lines: tuple[dict[str, Any], ...]

    @property
    def redacted(self) -> bool:
        """Whether any entry line withholds a value."""
        return any("withheld" in line or "redactions" in line for line in self.lines)


def _bad(name: str, number: int, what: str, value: object) -> ValidationError:
    return ValidationError(f"{name}: line {number}", what, value)


def _stored_text(line: dict[str, Any], version: int) -> str:
    record = line["entry"]
    if not isinstance(record, dict):
        raise TypeError("entry")
    if version == 1 or record.get("format") == 1:
        return canonical_json(record).decode("utf-8")
    stored = dict(record)
    for key in ("salts", "withheld"):
        if key in line:
            if key in stored:
                raise TypeError(key)
            stored[key] = line[key]
    return canonical_json(stored).decode("utf-8")


def parse_jsonl(text: str, name: str) -> ParsedExport:
    """Read an export strictly (see the module documentation).

    :raises ~debtnegotiation.errors.ValidationError: naming the line and what is wrong.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        first = parse_strict(lines[0]) if lines else None
    except ValueError as exc:
        raise _bad(name, 1, f"a {EXPORT_FORMAT} header", str(exc)) from None
    header = first.get("header") if isinstance(first, dict) and set(first) == {"header"} else None
    if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
        raise ValidationError(name, f"a {EXPORT_FORMAT} JSON Lines file with a header", name)
    version = header.get("version")
    allowed = _HEADER_KEYS if version == _VERSION else _HEADER_KEYS | {"redactions"}
    if version not in (1, _VERSION) or not set(header) <= allowed or set(header) != _HEADER_KEYS:
        raise _bad(name, 1, f"a version 1 or 2 header with exactly {sorted(_HEADER_KEYS)}", header)
    rows, parsed = [], []
    line_keys = _LINE_KEYS if version == _VERSION else frozenset({"entry", "hash", "redactions"})
    for number, line in enumerate(lines, start=1):
        try:
            item = parse_strict(line)
        except ValueError as exc:
            raise _bad(name, number, "a JSON object without duplicate keys", str(exc)) from None
        if canonical_json(item).decode("utf-8") != line:
            raise _bad(name, number, "a line in canonical form (sorted keys, no spaces)", line[:80])
        if number == 1:
            continue
        if not isinstance(item, dict) or not {"entry", "hash"} <= set(item) <= line_keys:
            keys = sorted(item) if isinstance(item, dict) else item
            raise _bad(name, number, f"an entry line with keys among {sorted(line_keys)}", keys)
        try:
            record = item["entry"]
            rows.append(
                StoredRow(
                    seq=record["seq"],
                    prev_hash=record["prev_hash"],
                    entry_hash=item["hash"],
                    record=_stored_text(item, version),
                )
            )
        except (TypeError, KeyError, DebtNegotiationError):
            raise _bad(name, number, "an entry line", line[:80]) from None
        parsed.append(item)
    return ParsedExport(header=header, rows=tuple(rows), lines=tuple(parsed))


def _recorded_head(header: dict[str, Any]) -> tuple[int, str] | None:
    count, head = header.get("entries"), header.get("head")
    if isinstance(count, int) and not isinstance(count, bool) and isinstance(head, str):
        return count, head
    return (-1, "")  # a header that names no head never matches the chain


def verify_parsed(
    parsed: ParsedExport,
    *,
    open_blob: Callable[[str], BinaryIO | None] | None = None,
    expected_head: str | None = None,
    absent_is_problem: bool = True,
    absent_allowed: bool = False,
) -> VerifyResult:
    """Verify a parsed export (see :func:`verify_text`)."""
    version1_redacted = parsed.header.get("version") == 1 and parsed.redacted
    result = verify_rows(
        parsed.rows,
        open_blob=open_blob,
        recorded_head=_recorded_head(parsed.header),
        expected_head=expected_head,
        content=not version1_redacted,
        absent_is_problem=absent_is_problem,
        absent_allowed=absent_allowed,
    )
    if result.problem is None and parsed.header.get("redacted") is not parsed.redacted:
        return attrs.evolve(
            result,
            problem=ChainProblem(
                kind=ProblemKind.EDITED,
                seq=None,
                message=(
                    f"the header says redacted={parsed.header.get('redacted')!r} but "
                    f"{'some' if parsed.redacted else 'no'} entry withholds values"
                ),
            ),
        )
    if result.problem is None and version1_redacted:
        return attrs.evolve(
            result,
            problem=ChainProblem(
                kind=ProblemKind.REDACTED,
                seq=None,
                message=(
                    f"the export is a version-1 redacted copy: the links between its "
                    f"{result.entries} original hashes are intact, but its content cannot "
                    "be re-hashed; verify the full log instead"
                ),
            ),
        )
    return result


def verify_text(
    text: str,
    *,
    name: str = "entries",
    open_blob: Callable[[str], BinaryIO | None] | None = None,
    expected_head: str | None = None,
    absent_allowed: bool = False,
) -> VerifyResult:
    """Verify JSON Lines *text*: every line strictly, every value, every link.

    A redacted (version 2) export verifies: the chain and every value shown; the count of
    withheld values is in ``withheld``. Without *open_blob*, attachments
    are listed in ``absent`` and the result is not ``ok`` unless
    *absent_allowed*.

    :raises ~debtnegotiation.errors.ValidationError: when the text is not an export.
    """
    return verify_parsed(
        parse_jsonl(text, name),
        open_blob=open_blob,
        expected_head=expected_head,
        absent_allowed=absent_allowed,
    )


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
    absent_allowed: bool = False,
) -> VerifyResult:
    """Verify a JSON Lines export on its own.

    :param attachments: a directory holding the attachment files named by their SHA-256
        (as in an evidence bundle); when omitted, the attachments are listed as not
        checked (``absent``) and the result is not ``ok``.
    :param expected_head: a head hash published earlier that must be in the chain.
    :param absent_allowed: accept attachments that could not be checked (still listed).
    """
    file = Path(os.fspath(path))
    directory = None if attachments is None else Path(os.fspath(attachments))
    return verify_text(
        file.read_text(encoding="utf-8"),
        name=str(file),
        open_blob=_dir_opener(directory),
        expected_head=expected_head,
        absent_allowed=absent_allowed,
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
    parsed = parse_jsonl(text, str(file))
    needed = {a["sha256"] for line in parsed.lines for a in line["entry"].get("attachments", [])}
    if needed and directory is None:
        raise ValidationError("attachments", "the directory of the export's attachment files", None)
    if parsed.redacted:
        raise LogError(f"{file}: a redacted export withholds values and cannot be imported")
    result = verify_parsed(parsed, open_blob=_dir_opener(directory))
    if not result.ok:
        raise ChainBrokenError(result)
    log = NegotiationLog.open(destination)
    try:
        if len(log):
            raise LogError(f"{destination}: the destination log already has entries")
        entries = [LogEntry.from_record(parse_strict(r.record), r.entry_hash) for r in parsed.rows]
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
