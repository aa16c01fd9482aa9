"""JSON Lines round trip, evidence bundle verified offline, and redaction."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.negotiation_log import (
    ChainBrokenError,
    NegotiationLog,
    ProblemKind,
    Redaction,
    export_bundle,
    export_jsonl,
    import_jsonl,
    verify_bundle,
    verify_jsonl,
)
from debtnegotiation.negotiation_log.export import copy_attachments

PERSONAL = ("Li Wei", "CS-20931", "+86 21 5555 0199", "6222020200112233", "13800138000")


def test_jsonl_round_trip_keeps_every_entry_and_hash(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    exported = tmp_path / "log.jsonl"
    assert export_jsonl(filled, exported) is None
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6
    assert json.loads(lines[0])["header"]["head"] == filled.head
    assert verify_jsonl(exported).ok
    blobs = tmp_path / "blobs"
    assert copy_attachments(filled, blobs) == 2
    assert verify_jsonl(exported, attachments=blobs).ok
    with import_jsonl(exported, tmp_path / "copy.sqlite", attachments=blobs) as copy:
        assert copy.entries() == filled.entries()
        assert copy.head == filled.head
        assert copy.verify().ok
        export_jsonl(copy, tmp_path / "again.jsonl")
    assert (tmp_path / "again.jsonl").read_bytes() == exported.read_bytes()


def test_import_refuses_a_broken_chain(filled: NegotiationLog, tmp_path: Path) -> None:
    exported = tmp_path / "log.jsonl"
    export_jsonl(filled, exported)
    lines = exported.read_text(encoding="utf-8").splitlines()
    del lines[3]  # drop entry 3
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    copy_attachments(filled, tmp_path / "blobs")
    with pytest.raises(ChainBrokenError, match="entry 3 is missing") as caught:
        import_jsonl(exported, tmp_path / "copy.sqlite", attachments=tmp_path / "blobs")
    assert caught.value.result.problem is not None
    assert caught.value.result.problem.kind is ProblemKind.DELETED


def test_import_needs_the_attachments(filled: NegotiationLog, tmp_path: Path) -> None:
    exported = tmp_path / "log.jsonl"
    export_jsonl(filled, exported)
    with pytest.raises(ValueError, match="attachments"):
        import_jsonl(exported, tmp_path / "copy.sqlite")


def _bundle(log: NegotiationLog, path: Path, **options: object) -> Path:
    export_bundle(log, path, formatter=BabelFormatter("zh_Hans_CN"), **options)  # type: ignore[arg-type]
    return path


def test_bundle_verifies_offline_and_is_reproducible(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "evidence.zip")
    result = verify_bundle(bundle)
    assert result.ok, result.problems
    assert result.chain is not None
    assert result.chain.head == filled.head
    assert verify_bundle(bundle, expected_head=filled.entries()[0].hash).ok
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    attachments = {a.sha256 for e in filled.entries() for a in e.attachments}
    assert names == {"manifest.json", "entries.jsonl", "report.md", "report.html"} | {
        f"attachments/{sha}" for sha in attachments
    }
    assert manifest["head"] == filled.head
    assert manifest["entries"] == 5
    again = _bundle(filled, tmp_path / "again.zip")
    assert again.read_bytes() == bundle.read_bytes()


def _rewrite(bundle: Path, target: Path, member: str, change: object) -> Path:
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == member:
                data = change(data)  # type: ignore[operator]
            out.writestr(info, data)
    return target


def _flip(data: bytes, at: int = 40) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_bundle_fails_when_an_attachment_byte_changes(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "evidence.zip")
    sha = filled.entries()[1].attachments[0].sha256
    changed = _rewrite(bundle, tmp_path / "bad.zip", f"attachments/{sha}", _flip)
    result = verify_bundle(changed)
    assert not result.ok
    assert any(f"attachments/{sha} changed" in p for p in result.problems)
    assert any("entry 2" in p for p in result.problems)


def test_bundle_fails_when_an_entries_byte_changes(filled: NegotiationLog, tmp_path: Path) -> None:
    bundle = _bundle(filled, tmp_path / "evidence.zip")

    def edit(data: bytes) -> bytes:
        return data.replace(b"24 installments", b"12 installments", 1)

    changed = _rewrite(bundle, tmp_path / "bad.zip", "entries.jsonl", edit)
    result = verify_bundle(changed)
    assert not result.ok
    assert "entries.jsonl changed: its SHA-256 differs from the manifest" in result.problems
    assert any("entry 1 was edited" in p for p in result.problems)


def test_bundle_fails_when_a_raw_archive_byte_changes(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "evidence.zip")
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("entries.jsonl")
    # Flip a byte inside the compressed data of entries.jsonl (after its local header).
    raw[info.header_offset + 30 + len(info.filename) + 10] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    result = verify_bundle(damaged)
    assert not result.ok
    assert any("entries.jsonl" in p for p in result.problems)


def test_bundle_fails_with_an_extra_or_missing_member(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "evidence.zip")
    extra = tmp_path / "extra.zip"
    extra.write_bytes(bundle.read_bytes())
    with zipfile.ZipFile(extra, "a") as archive:
        archive.writestr("attachments/forged.png", b"forged")
    assert "attachments/forged.png is in the archive but not in the manifest" in (
        verify_bundle(extra).problems
    )
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(tmp_path / "less.zip", "w") as out:
        for info in src.infolist():
            if info.filename != "report.md":
                out.writestr(info, src.read(info))
    assert "report.md is listed in the manifest but missing" in (
        verify_bundle(tmp_path / "less.zip").problems
    )


def test_redacted_export_removes_what_it_reports(filled: NegotiationLog, tmp_path: Path) -> None:
    exported = tmp_path / "redacted.jsonl"
    report = export_jsonl(filled, exported, redaction=Redaction())
    assert report is not None
    text = exported.read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in text
    assert report.salt not in text
    assert "[redacted name]" in text
    assert "[redacted phone]" in text
    assert "[redacted id number]" in text
    # Per entry (5): name, employee ID, account reference and phone as whole fields,
    # plus the name and the mobile number inside the summary.
    assert report.counts() == {"id number": 10, "name": 10, "phone": 10}
    fields = {(f.seq, f.field) for f in report.fields}
    assert (1, "contact.counterpart.name") in fields
    assert (1, "contact.counterpart.phone") in fields
    assert (1, "contact.account_reference") in fields
    assert (1, "contact.summary#phone") in fields  # the mobile number in the summary
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["header"]["redacted"] is True
    listed = {(1, r["field"]) for r in lines[1]["redactions"]}
    assert listed == {(seq, field) for seq, field in fields if seq == 1}
    # The organisation and the rest of the content stay.
    assert "Example Bank card centre" in text
    assert "24 installments" in text


def test_redacted_export_does_not_verify_as_the_original_chain(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    exported = tmp_path / "redacted.jsonl"
    report = export_jsonl(filled, exported, redaction=Redaction())
    assert report is not None
    result = verify_jsonl(exported)
    assert not result.ok
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.REDACTED
    with pytest.raises(ChainBrokenError):
        import_jsonl(exported, tmp_path / "copy.sqlite", attachments=tmp_path)
    # Claiming it is unredacted does not help: the content no longer matches the hashes.
    lines = exported.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace('"redacted":true', '"redacted":false')
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    forged = verify_jsonl(exported)
    assert forged.problem is not None
    assert forged.problem.kind is ProblemKind.EDITED
    assert forged.problem.seq == 1
    # The holder of the full log reproduces the redacted export exactly from the salt.
    again = tmp_path / "again.jsonl"
    export_jsonl(filled, again, redaction=Redaction(), salt=report.salt)
    export_jsonl(filled, exported, redaction=Redaction(), salt=report.salt)
    assert again.read_bytes() == exported.read_bytes()


def test_redaction_digest_discloses_a_value_only_with_the_salt(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    import hashlib

    from debtnegotiation.negotiation_log import canonical_json

    report = export_jsonl(filled, tmp_path / "r.jsonl", redaction=Redaction(names=False))
    assert report is not None
    assert "name" not in report.counts()
    phone = next(f for f in report.fields if f.field == "contact.counterpart.phone")
    salt = bytes.fromhex(report.salt)
    assert phone.digest == hashlib.sha256(salt + canonical_json("+86 21 5555 0199")).hexdigest()
    assert phone.digest != hashlib.sha256(canonical_json("+86 21 5555 0199")).hexdigest()
    assert "Li Wei" in (tmp_path / "r.jsonl").read_text(encoding="utf-8")


def test_redacted_bundle_checks_files_and_links_only(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "r.zip", redaction=Redaction(), include_attachments=False)
    result = verify_bundle(bundle)
    assert result.ok, result.problems
    assert result.redacted
    assert result.chain is not None
    assert result.chain.problem is not None
    assert result.chain.problem.kind is ProblemKind.REDACTED
    with zipfile.ZipFile(bundle) as archive:
        assert not [n for n in archive.namelist() if n.startswith("attachments/")]
        for name in archive.namelist():
            content = archive.read(name).decode("utf-8")
            for value in PERSONAL:
                assert value not in content, (name, value)
