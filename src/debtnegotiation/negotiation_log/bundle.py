"""The evidence bundle: one zip archive that can be checked offline, from itself alone.

Layout of the archive (all names fixed, timestamps fixed to 1980-01-01 so the same log
gives the same bytes)::

    manifest.json          what is inside and the SHA-256 of every other member
    entries.jsonl          the JSON Lines export (see export)
    report.md              the readable report, Markdown
    report.html            the same, HTML
    attachments/<sha256>   each attachment, named by its SHA-256

``manifest.json`` holds ``format`` (``debtnegotiation-evidence-bundle``), ``version``,
``entries``, ``head`` (hash of the last entry), ``redacted`` and ``files`` (member name →
SHA-256). :func:`~debtnegotiation.negotiation_log.verify_bundle` checks every member
against the manifest, that no member is missing or extra, the hash chain in
``entries.jsonl`` (every entry re-hashed, every link followed), every attachment against
its entry, and the head against the manifest.

What it proves: the archive is internally consistent and the entries were not altered
after they were chained. The manifest is not signed, so someone who rewrites the whole
log can build a new consistent bundle; compare the head with one published earlier
(``expected_head``) to rule that out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, Final

import attrs

from debtnegotiation.findings import Finding
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.negotiation_log.canonical import GENESIS_HASH, canonical_json
from debtnegotiation.negotiation_log.errors import LogError
from debtnegotiation.negotiation_log.export import jsonl_text, verify_text
from debtnegotiation.negotiation_log.log import NegotiationLog
from debtnegotiation.negotiation_log.redact import Redaction, RedactionReport, redact_entries
from debtnegotiation.negotiation_log.report import render_report
from debtnegotiation.negotiation_log.verify import ProblemKind, VerifyResult

__all__ = ["BUNDLE_FORMAT", "BundleVerification", "export_bundle", "verify_bundle"]

#: The ``format`` value in ``manifest.json``.
BUNDLE_FORMAT: Final = "debtnegotiation-evidence-bundle"
_VERSION: Final = 1
_MANIFEST: Final = "manifest.json"
_EPOCH: Final = (1980, 1, 1, 0, 0, 0)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def export_bundle(
    log: NegotiationLog,
    path: str | os.PathLike[str],
    *,
    formatter: LocaleFormatter,
    as_of: dt.date | None = None,
    findings: Sequence[Finding] = (),
    redaction: Redaction | None = None,
    salt: str | None = None,
    include_attachments: bool = True,
) -> RedactionReport | None:
    """Write the evidence bundle of *log* to *path* (a zip file).

    The log is verified first; a log that does not verify is not bundled.

    :param formatter: locale of the reports.
    :param as_of: date of the follow-up list in the reports.
    :param findings: findings to list in the reports (e.g. conduct checks).
    :param redaction: remove personal data from entries and reports; such a bundle no
        longer verifies as the original chain (see
        :mod:`~debtnegotiation.negotiation_log.redact`).
    :param salt: hex salt of the redaction digests; random when omitted.
    :param include_attachments: put the attachment files in the bundle. Attachments are
        never redacted: leave them out of a redacted bundle that contains personal data.
    :return: the redaction report, or ``None`` when nothing was redacted.
    :raises ~debtnegotiation.negotiation_log.LogError: when the log does not verify.
    """
    verification = log.verify()
    if not verification.ok:
        raise LogError(f"the log does not verify: {verification.explanation}")
    entries = log.entries()
    text, report = jsonl_text(entries, redaction=redaction, salt=salt)
    shown = entries
    if redaction is not None:
        assert report is not None  # noqa: S101  (a redaction always reports)
        shown, _ = redact_entries(entries, redaction, salt=report.salt)
    members: dict[str, bytes] = {"entries.jsonl": text.encode("utf-8")}
    for fmt, name in (("markdown", "report.md"), ("html", "report.html")):
        members[name] = render_report(
            shown,
            formatter,
            format=fmt,  # type: ignore[arg-type]
            as_of=as_of,
            findings=findings,
            verification=None if redaction is not None else verification,
        ).encode("utf-8")
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
        "files": {name: _sha256(data) for name, data in sorted(members.items())},
    }
    with zipfile.ZipFile(Path(os.fspath(path)), "w", zipfile.ZIP_DEFLATED) as archive:
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
    :param redacted: whether the bundle is a redacted copy, whose entries cannot be
        re-hashed: its files and links can be checked, not its content.
    """

    problems: tuple[str, ...]
    chain: VerifyResult | None
    redacted: bool

    @property
    def ok(self) -> bool:
        """Whether every member, link and attachment checked out.

        For a redacted bundle this means its files and links are intact; it never means
        the redacted content matches the original hashes.
        """
        return not self.problems

    def __bool__(self) -> bool:
        """A verification is true when the bundle verified."""
        return self.ok


def _read_members(archive: zipfile.ZipFile, problems: list[str]) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    for info in archive.infolist():
        try:
            members[info.filename] = archive.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, zlib.error) as exc:
            problems.append(f"member {info.filename!r} is damaged: {exc}")
    return members


def _check_manifest(
    manifest: dict[str, Any], members: dict[str, bytes], problems: list[str]
) -> None:
    files = manifest.get("files")
    if manifest.get("format") != BUNDLE_FORMAT or not isinstance(files, dict):
        problems.append(f"{_MANIFEST} is not a {BUNDLE_FORMAT} manifest")
        return
    for name, digest in sorted(files.items()):
        if name not in members:
            problems.append(f"{name} is listed in the manifest but missing")
        elif _sha256(members[name]) != digest:
            problems.append(f"{name} changed: its SHA-256 differs from the manifest")
    for name in sorted(set(members) - set(files) - {_MANIFEST}):
        problems.append(f"{name} is in the archive but not in the manifest")


def verify_bundle(
    path: str | os.PathLike[str], *, expected_head: str | None = None
) -> BundleVerification:
    """Check an evidence bundle offline, from the archive alone.

    :param expected_head: a head hash published earlier; it must be in the chain.
    """
    problems: list[str] = []
    try:
        with zipfile.ZipFile(Path(os.fspath(path))) as archive:
            members = _read_members(archive, problems)
    except (zipfile.BadZipFile, OSError) as exc:
        return BundleVerification(
            problems=(f"{path} is not a readable zip archive: {exc}",), chain=None, redacted=False
        )
    try:
        manifest = json.loads(members[_MANIFEST])
        if not isinstance(manifest, dict):
            raise TypeError(_MANIFEST)
    except (KeyError, ValueError, TypeError):
        problems.append(f"{_MANIFEST} is missing or unreadable")
        return BundleVerification(problems=tuple(problems), chain=None, redacted=False)
    _check_manifest(manifest, members, problems)
    redacted = manifest.get("redacted") is True
    include = manifest.get("attachments_included") is not False

    def open_blob(sha256: str) -> BinaryIO | None:
        data = members.get(f"attachments/{sha256}")
        return None if data is None else io.BytesIO(data)

    chain = None
    if "entries.jsonl" in members:
        try:
            chain = verify_text(
                members["entries.jsonl"].decode("utf-8"),
                name="entries.jsonl",
                open_blob=open_blob if include else None,
                expected_head=expected_head,
            )
        except (UnicodeDecodeError, ValueError) as exc:
            problems.append(f"entries.jsonl is unreadable: {exc}")
    if chain is not None:
        if chain.problem is not None and not (
            redacted and chain.problem.kind is ProblemKind.REDACTED
        ):
            problems.append(f"entries.jsonl: {chain.explanation}")
        if chain.head != manifest.get("head") or chain.entries != manifest.get("entries"):
            problems.append("entries.jsonl does not end at the head the manifest names")
    return BundleVerification(problems=tuple(problems), chain=chain, redacted=redacted)
