"""The evidence bundle: one zip archive that can be checked offline, from itself alone.

Layout of the archive (all names fixed, timestamps fixed to 1980-01-01 so the same log
gives the same bytes)::

    manifest.json          what is inside, the chain head, and the SHA-256 of every member
    entries.jsonl          the JSON Lines export (see export)
    report.md              the readable report, Markdown
    report.html            the same, HTML
    attachments/<sha256>   each attachment included, named by its SHA-256

``manifest.json`` holds exactly ``format`` (``debtnegotiation-evidence-bundle``),
``version`` (2), ``entries`` and ``head`` (the chain's length and last hash), ``redacted``,
``attachments_included``, ``report`` (locale, date, title and findings the reports were
rendered with) and ``files`` (member name → SHA-256 of every other member). The reports'
headings and labels are in the catalog of the recorded locale (the library's own by
default, see :func:`~debtnegotiation.negotiation_log.report.default_translations`), and
the title is recorded as rendered, so a verifier renders the same bytes again.

:func:`~debtnegotiation.negotiation_log.verify_bundle` trusts nothing the archive says
about itself:

* the archive is refused before anything is decompressed when a member name is not one
  of the names above, appears twice, is absolute, climbs out with ``..``, is a
  directory or a symbolic link, is encrypted, or when the members are too many or
  declare more bytes than the limit; reading stops at the limit whatever the headers
  declare, so a zip bomb costs no memory;
* every member must be listed in the manifest with its SHA-256, and every listed one
  present; every JSON document is parsed strictly (no duplicate keys, canonical form,
  no field the format does not define);
* the chain in ``entries.jsonl`` is verified value by value (a redacted bundle too:
  its withheld values are checked by their digests in the chain, the rest in full), and
  it must end at the manifest's head;
* both reports are rendered again from the entries and must be identical byte for byte,
  so a report cannot say what the entries do not;
* every attachment an entry records must be in the archive with its size and SHA-256;
  one that is not is listed as *absent* with its hash, and the bundle is not ``ok``
  unless the caller accepts absent attachments. The manifest's ``redacted`` and
  ``attachments_included`` flags switch no check off.

What it proves: the archive is consistent with one hash chain, end to end. It does not
prove who made it or when: someone who rewrites the whole log can build a new consistent
bundle. A signed checkpoint held outside the log (see
:mod:`~debtnegotiation.negotiation_log.checkpoint`) rules that out for everything up to
the checkpoint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
from babel.support import NullTranslations

from debtnegotiation.errors import DebtNegotiationError
from debtnegotiation.findings import Finding
from debtnegotiation.formatting import BabelFormatter, LocaleFormatter
from debtnegotiation.negotiation_log.canonical import GENESIS_HASH, canonical_json, parse_strict
from debtnegotiation.negotiation_log.entry import LogEntry
from debtnegotiation.negotiation_log.errors import LogError
from debtnegotiation.negotiation_log.export import (
    ParsedExport,
    atomic_write,
    jsonl_text,
    parse_jsonl,
    verify_parsed,
)
from debtnegotiation.negotiation_log.log import NegotiationLog
from debtnegotiation.negotiation_log.redact import Redaction, RedactionReport, redact_texts
from debtnegotiation.negotiation_log.report import (
    ReportFinding,
    default_translations,
    render_report,
    report_title,
)
from debtnegotiation.negotiation_log.verify import AbsentAttachment, VerifyResult

__all__ = [
    "BUNDLE_FORMAT",
    "MAX_BUNDLE_BYTES",
    "MAX_BUNDLE_MEMBERS",
    "MAX_TEXT_MEMBER_BYTES",
    "BundleVerification",
    "export_bundle",
    "verify_bundle",
]

#: The ``format`` value in ``manifest.json``.
BUNDLE_FORMAT: Final = "debtnegotiation-evidence-bundle"
#: Default limit of the bytes :func:`verify_bundle` decompresses, all members together.
MAX_BUNDLE_BYTES: Final = 1 << 30
#: The most bytes a text member (manifest, entries, report) may have; attachments are
#: streamed and only bounded by the total.
MAX_TEXT_MEMBER_BYTES: Final = 32 << 20
#: Default limit of the number of members :func:`verify_bundle` accepts.
MAX_BUNDLE_MEMBERS: Final = 10_000

_VERSION: Final = 2
_MANIFEST: Final = "manifest.json"
_ENTRIES: Final = "entries.jsonl"
_REPORTS: Final = (("markdown", "report.md"), ("html", "report.html"))
_EPOCH: Final = (1980, 1, 1, 0, 0, 0)
_MEMBER: Final = re.compile(
    r"manifest\.json|entries\.jsonl|report\.md|report\.html|attachments/[0-9a-f]{64}"
)
_MANIFEST_KEYS: Final = frozenset(
    {"format", "version", "entries", "head", "redacted", "attachments_included", "report", "files"}
)
_REPORT_KEYS: Final = frozenset({"locale", "as_of", "title", "findings"})
_CHUNK: Final = 1 << 16


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shown_entries(parsed: ParsedExport) -> tuple[LogEntry, ...]:
    return tuple(
        LogEntry.from_record(line["entry"], line["hash"], salts=line.get("salts"))
        for line in parsed.lines
    )


def _withheld(parsed: ParsedExport) -> dict[int, list[str]]:
    return {line["entry"]["seq"]: sorted(line.get("withheld", {})) for line in parsed.lines}


def _reports(
    entries: Sequence[LogEntry],
    formatter: LocaleFormatter,
    translations: NullTranslations,
    settings: dict[str, Any],
    withheld: dict[int, list[str]],
) -> dict[str, bytes]:
    as_of = settings["as_of"]
    findings = [ReportFinding(code=f["code"], message=f["message"]) for f in settings["findings"]]
    return {
        name: render_report(
            entries,
            formatter,
            format=fmt,  # type: ignore[arg-type]
            as_of=None if as_of is None else dt.date.fromisoformat(as_of),
            findings=findings,
            title=settings["title"],
            withheld=withheld,
            translations=translations,
        ).encode("utf-8")
        for fmt, name in _REPORTS
    }


def export_bundle(
    log: NegotiationLog,
    path: str | os.PathLike[str],
    *,
    formatter: LocaleFormatter,
    translations: NullTranslations | None = None,
    as_of: dt.date | None = None,
    findings: Sequence[Finding] = (),
    redaction: Redaction | None = None,
    salt: str | None = None,
    include_attachments: bool = True,
) -> RedactionReport | None:
    """Write the evidence bundle of *log* to *path* (a zip file), atomically.

    The log is verified first; a log that does not verify is not bundled.

    :param formatter: locale of the reports (a verifier renders them again in it).
    :param translations: the catalog of the reports' headings and labels, e.g. with plugin
        catalogs merged in; by default the library's own for the formatter's locale. A
        verifier needs the same catalog (``verify_bundle(catalog_for=...)``).
    :param as_of: date of the follow-up list in the reports.
    :param findings: findings to list in the reports (e.g. conduct checks); redacted
        with the entries when redacting.
    :param redaction: withhold personal data from entries, reports and findings (see
        :mod:`~debtnegotiation.negotiation_log.redact`); the bundle still verifies.
    :param salt: hex seed of the pseudonym numbering; random when omitted.
    :param include_attachments: put the attachment files in the bundle. A redacted
        bundle never includes them (files cannot be redacted); without them the
        attachments are listed as absent when the bundle is verified.
    :return: the redaction report, or ``None`` when nothing was redacted.
    :raises ~debtnegotiation.negotiation_log.LogError: when the log does not verify.
    """
    verification = log.verify()
    if not verification.ok:
        raise LogError(f"the log does not verify: {verification.explanation}")
    entries = log.entries()
    text, report = jsonl_text(entries, redaction=redaction, salt=salt)
    messages = [f.message for f in findings]
    if redaction is not None:
        assert report is not None  # noqa: S101  (a redaction always reports)
        messages = list(redact_texts(entries, redaction, messages, salt=report.salt))
        include_attachments = False
    parsed = parse_jsonl(text, _ENTRIES)
    locale = str(formatter.locale)
    if translations is None:
        translations = default_translations(locale)
    settings = {
        "locale": locale,
        "as_of": None if as_of is None else as_of.isoformat(),
        "title": report_title(translations),
        "findings": [
            {"code": f.code, "message": m} for f, m in zip(findings, messages, strict=True)
        ],
    }
    members: dict[str, bytes] = {_ENTRIES: text.encode("utf-8")}
    members.update(
        _reports(_shown_entries(parsed), formatter, translations, settings, _withheld(parsed))
    )
    if include_attachments:
        for entry in entries:
            for attachment in entry.attachments:
                members[f"attachments/{attachment.sha256}"] = log.read_attachment(attachment)
    manifest = {
        "format": BUNDLE_FORMAT,
        "version": _VERSION,
        "entries": len(entries),
        "head": entries[-1].hash if entries else GENESIS_HASH,
        "redacted": redaction is not None,
        "attachments_included": include_attachments,
        "report": settings,
        "files": {name: _sha256(data) for name, data in sorted(members.items())},
    }
    with atomic_write(path) as out, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [(_MANIFEST, canonical_json(manifest)), *sorted(members.items())]:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return report


@attrs.frozen(kw_only=True)
class BundleVerification:
    """The outcome of :func:`verify_bundle`.

    :param problems: what is wrong, one sentence each; empty when the bundle verifies.
    :param chain: the hash-chain result for ``entries.jsonl`` (``None`` if unreadable).
    :param redacted: whether the bundle withholds values (they are checked by digest).
    :param absent: attachments the entries record whose files are not in the archive.
    :param absent_allowed: the caller accepted absent attachments (they are still listed).
    """

    problems: tuple[str, ...]
    chain: VerifyResult | None
    redacted: bool
    absent: tuple[AbsentAttachment, ...] = ()
    absent_allowed: bool = False

    @property
    def ok(self) -> bool:
        """Whether every member, value, link, report and attachment checked out."""
        return not self.problems and (self.absent_allowed or not self.absent)

    def __bool__(self) -> bool:
        """A verification is true when the bundle verified."""
        return self.ok

    @property
    def explanation(self) -> str:
        """The outcome in one paragraph."""
        if self.problems:
            return "; ".join(self.problems)
        assert self.chain is not None  # noqa: S101  (no problems means a chain was read)
        return self.chain.explanation


def _check_names(infos: Sequence[zipfile.ZipInfo], max_bytes: int, max_members: int) -> list[str]:
    problems: list[str] = []
    if len(infos) > max_members:
        return [f"the archive has {len(infos)} members; at most {max_members} are accepted"]
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        mode = info.external_attr >> 16
        if name in seen:
            problems.append(f"member {name!r} appears twice")
        seen.add(name)
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name:
            problems.append(f"member {name!r} has an absolute or climbing path")
        elif stat.S_ISLNK(mode):
            problems.append(f"member {name!r} is a symbolic link")
        elif info.is_dir() or not _MEMBER.fullmatch(name):
            problems.append(f"member {name!r} is not a member an evidence bundle has")
        if info.flag_bits & 0x1:
            problems.append(f"member {name!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            problems.append(f"member {name!r} uses an unsupported compression method")
    for info in infos:
        if not info.filename.startswith("attachments/") and info.file_size > MAX_TEXT_MEMBER_BYTES:
            problems.append(
                f"member {info.filename!r} declares {info.file_size} bytes; a bundle's text "
                f"members have at most {MAX_TEXT_MEMBER_BYTES}"
            )
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        problems.append(f"the members declare {declared} bytes; at most {max_bytes} are read")
    return problems


class _Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit


def _read(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, *, keep: bool
) -> tuple[str, int, bytes]:
    """Stream one member: its SHA-256, its size, and its bytes when *keep*.

    :raises ValueError: when the member decompresses beyond its declared size or the budget.
    """
    digest = hashlib.sha256()
    size = 0
    kept = bytearray()
    with archive.open(info) as handle:
        while chunk := handle.read(_CHUNK):
            size += len(chunk)
            budget.left -= len(chunk)
            if size > info.file_size or budget.left < 0 or (keep and size > MAX_TEXT_MEMBER_BYTES):
                msg = "it decompresses beyond its declared size or the size limit"
                raise ValueError(msg)
            digest.update(chunk)
            if keep:
                kept.extend(chunk)
    return digest.hexdigest(), size, bytes(kept)


def _strict_document(data: bytes, name: str) -> Any:  # noqa: ANN401
    value = parse_strict(data.decode("utf-8"))
    if canonical_json(value) != data:
        msg = f"{name} is not in canonical form"
        raise ValueError(msg)
    return value


def _manifest_problems(manifest: Any) -> list[str]:  # noqa: ANN401
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        return [f"{_MANIFEST} is not a {BUNDLE_FORMAT} manifest"]
    if manifest.get("version") != _VERSION or set(manifest) != _MANIFEST_KEYS:
        keys = sorted(_MANIFEST_KEYS)
        return [f"{_MANIFEST} is not a version {_VERSION} manifest with exactly {keys}"]
    report, files = manifest["report"], manifest["files"]
    if (
        not isinstance(report, dict)
        or set(report) != _REPORT_KEYS
        or not isinstance(report["findings"], list)
        or not all(
            isinstance(f, dict) and set(f) == {"code", "message"} for f in report["findings"]
        )
    ):
        return [f"{_MANIFEST}: its report settings are malformed"]
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return [f"{_MANIFEST}: its file list is malformed"]
    return []


def verify_bundle(  # noqa: PLR0911, PLR0912, PLR0915
    path: str | os.PathLike[str],
    *,
    expected_head: str | None = None,
    formatter: LocaleFormatter | None = None,
    catalog_for: Callable[[str], NullTranslations] | None = None,
    allow_absent_attachments: bool = False,
    max_bytes: int = MAX_BUNDLE_BYTES,
    max_members: int = MAX_BUNDLE_MEMBERS,
) -> BundleVerification:
    """Check an evidence bundle offline, from the archive alone (see the module docs).

    :param expected_head: a head hash published earlier; it must be in the chain.
    :param formatter: renders the reports again for comparison; a
        :class:`~debtnegotiation.formatting.BabelFormatter` in the manifest's locale
        when omitted (pass the formatter the bundle was made with if a plugin made it).
    :param catalog_for: called with the manifest's locale, returns the catalog the reports
        are rendered again with; the library's own catalog for that locale
        (:func:`~debtnegotiation.negotiation_log.report.default_translations`) when
        omitted. Pass one that merges the same plugin catalogs as the bundle was made with.
    :param allow_absent_attachments: accept attachments missing from the archive (they
        are still listed in ``absent``).
    :param max_bytes: the most bytes decompressed, all members together.
    :param max_members: the most members accepted.
    """

    def failed(*problems: str, chain: VerifyResult | None = None) -> BundleVerification:
        return BundleVerification(problems=problems, chain=chain, redacted=False)

    try:
        archive = zipfile.ZipFile(Path(os.fspath(path)))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return failed(f"{path} is not a readable zip archive: {exc}")
    with archive:
        infos = archive.infolist()
        problems = _check_names(infos, max_bytes, max_members)
        if problems:
            return failed(*problems)
        budget = _Budget(max_bytes)
        members: dict[str, bytes] = {}
        blobs: dict[str, tuple[str, int]] = {}
        for info in infos:
            try:
                digest, size, data = _read(
                    archive, info, budget, keep=not info.filename.startswith("attachments/")
                )
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
                return failed(f"member {info.filename!r} is damaged: {exc}")
            blobs[info.filename] = (digest, size)
            if not info.filename.startswith("attachments/"):
                members[info.filename] = data
    try:
        manifest = _strict_document(members[_MANIFEST], _MANIFEST)
    except KeyError:
        return failed(f"{_MANIFEST} is missing")
    except (ValueError, UnicodeDecodeError) as exc:
        return failed(f"{_MANIFEST} is unreadable: {exc}")
    problems = _manifest_problems(manifest)
    if problems:
        return failed(*problems)
    files: dict[str, str] = manifest["files"]
    for name, digest in sorted(files.items()):
        if name == _MANIFEST or not _MEMBER.fullmatch(name):
            problems.append(f"{_MANIFEST} lists {name!r}, which is not a member a bundle has")
        elif name not in blobs:
            problems.append(f"{name} is listed in the manifest but missing")
        elif blobs[name][0] != digest:
            problems.append(f"{name} changed: its SHA-256 differs from the manifest")
    for name in sorted(set(blobs) - set(files) - {_MANIFEST}):
        problems.append(f"{name} is in the archive but not in the manifest")
    if _ENTRIES not in members:
        return failed(*problems, f"{_ENTRIES} is missing")
    try:
        parsed = parse_jsonl(members[_ENTRIES].decode("utf-8"), _ENTRIES)
    except (UnicodeDecodeError, DebtNegotiationError) as exc:
        return failed(*problems, f"{_ENTRIES} is unreadable: {exc}")
    chain = verify_parsed(parsed, open_blob=None, expected_head=expected_head, absent_allowed=True)
    if chain.problem is not None:
        problems.append(f"{_ENTRIES}: {chain.explanation}")
    if chain.head != manifest["head"] or chain.entries != manifest["entries"]:
        problems.append(f"{_ENTRIES} does not end at the head the manifest names")
    if manifest["redacted"] is not parsed.redacted:
        problems.append(
            f"{_MANIFEST} says redacted={manifest['redacted']!r}, which the entries contradict"
        )
    absent: list[AbsentAttachment] = []
    for item in chain.absent:
        member = f"attachments/{item.attachment.sha256}"
        if member not in blobs:
            absent.append(item)
        elif blobs[member] != (item.attachment.sha256, item.attachment.size):
            problems.append(
                f"{member} changed: attachment {item.attachment.name!r} of entry {item.seq} "
                "no longer has its recorded size and SHA-256"
            )
    if chain.problem is None:
        settings = manifest["report"]
        try:
            fmt = formatter or BabelFormatter(settings["locale"])
            catalog = (catalog_for or default_translations)(str(settings["locale"]))
            expected = _reports(_shown_entries(parsed), fmt, catalog, settings, _withheld(parsed))
        except (DebtNegotiationError, ValueError, TypeError, KeyError) as exc:
            problems.append(f"the reports cannot be rendered again from {_ENTRIES}: {exc}")
        else:
            for name, data in expected.items():
                if members.get(name) != data:
                    problems.append(
                        f"{name} differs from the report rendered again from {_ENTRIES}: "
                        "it says something the entries do not"
                    )
    chain = attrs.evolve(chain, absent=tuple(absent), absent_allowed=allow_absent_attachments)
    return BundleVerification(
        problems=tuple(problems),
        chain=chain,
        redacted=parsed.redacted,
        absent=tuple(absent),
        absent_allowed=allow_absent_attachments,
    )
