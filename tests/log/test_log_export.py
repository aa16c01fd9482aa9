"""JSON Lines round trip, evidence bundle verified offline, and redaction."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.negotiation_log import (
    ChainBrokenError,
    LogError,
    NegotiationLog,
    ProblemKind,
    Redaction,
    export_bundle,
    export_jsonl,
    import_jsonl,
    verify_bundle,
    verify_jsonl,
)
from debtnegotiation.negotiation_log.commitment import disclosure_digest
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
    # Without the attachment files the chain verifies but the result says what was not
    # checked, and is not ok unless absent attachments are accepted.
    partial = verify_jsonl(exported)
    assert partial.problem is None
    assert not partial.ok
    assert len(partial.absent) == 2
    assert "2 attachments NOT checked" in partial.explanation
    assert "call-0302.m4a" in partial.explanation
    assert verify_jsonl(exported, absent_allowed=True).ok
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
    assert not (tmp_path / "copy.sqlite").exists()


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
    assert "member 'attachments/forged.png' is not a member an evidence bundle has" in (
        verify_bundle(extra).problems
    )
    plausible = tmp_path / "plausible.zip"
    plausible.write_bytes(bundle.read_bytes())
    with zipfile.ZipFile(plausible, "a") as archive:
        archive.writestr("attachments/" + "ab" * 32, b"forged")
    assert f"attachments/{'ab' * 32} is in the archive but not in the manifest" in (
        verify_bundle(plausible).problems
    )
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(tmp_path / "less.zip", "w") as out:
        for info in src.infolist():
            if info.filename != "report.md":
                out.writestr(info, src.read(info))
    assert "report.md is listed in the manifest but missing" in (
        verify_bundle(tmp_path / "less.zip").problems
    )


def _without(bundle: Path, target: Path, member: str) -> object:
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            if info.filename != member:
                out.writestr(info, src.read(info))
    return verify_bundle(target)


def test_redacted_export_removes_what_it_reports(filled: NegotiationLog, tmp_path: Path) -> None:
    exported = tmp_path / "redacted.jsonl"
    report = export_jsonl(filled, exported, redaction=Redaction())
    assert report is not None
    text = exported.read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in text
    assert "[name 1]" in text
    assert "[phone 1]" in text
    assert "[employee id 1]" in text
    assert "[account 1]" in text
    fields = {(f.seq, f.field) for f in report.fields}
    assert (1, "/contact/counterpart/name") in fields
    assert (1, "/contact/counterpart/phone") in fields
    assert (1, "/contact/account_reference") in fields
    assert (1, "/contact/summary") in fields  # the name and the mobile number in it
    assert (2, "/attachments/0/name") in fields
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["header"]["redacted"] is True
    assert set(lines[1]["withheld"]) == {field for seq, field in fields if seq == 1}
    assert not set(lines[1]["withheld"]) & set(lines[1]["salts"])
    summary = lines[1]["entry"]["contact"]["summary"]
    assert summary.startswith("[name 1] offered a 24-month plan; call back from [phone ")
    # The organisation and the rest of the content stay, and still verify.
    assert "Example Bank card centre" in text
    assert "24 installments" in text


def test_redacted_export_verifies_every_value_it_shows(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    exported = tmp_path / "redacted.jsonl"
    report = export_jsonl(filled, exported, redaction=Redaction())
    assert report is not None
    result = verify_jsonl(exported, absent_allowed=True)
    assert result.ok, result.explanation
    assert result.head == filled.head
    assert result.withheld == len(report.fields)
    assert f"{len(report.fields)} redacted values withheld" in result.explanation
    with pytest.raises(LogError, match="redacted"):
        import_jsonl(exported, tmp_path / "copy.sqlite", attachments=tmp_path)
    lines = exported.read_text(encoding="utf-8").splitlines()
    # Editing a value that is still shown breaks its entry.
    edited = [lines[0], lines[1].replace("24 installments", "12 installments"), *lines[2:]]
    exported.write_text("\n".join(edited) + "\n", encoding="utf-8")
    forged = verify_jsonl(exported, absent_allowed=True)
    assert forged.problem is not None
    assert forged.problem.kind is ProblemKind.EDITED
    assert forged.problem.seq == 1
    # Claiming it is unredacted contradicts the entries.
    flipped = [lines[0].replace('"redacted":true', '"redacted":false'), *lines[1:]]
    exported.write_text("\n".join(flipped) + "\n", encoding="utf-8")
    claimed = verify_jsonl(exported, absent_allowed=True)
    assert claimed.problem is not None
    assert "redacted=False" in claimed.explanation
    # The holder of the full log reproduces the redacted export exactly from the seed.
    again = tmp_path / "again.jsonl"
    export_jsonl(filled, again, redaction=Redaction(), salt=report.salt)
    export_jsonl(filled, exported, redaction=Redaction(), salt=report.salt)
    assert again.read_bytes() == exported.read_bytes()


def test_a_withheld_value_is_disclosed_later_by_its_salt(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    report = export_jsonl(filled, tmp_path / "r.jsonl", redaction=Redaction())
    assert report is not None
    phone = next(f for f in report.fields if f.seq == 1 and f.field == "/contact/counterpart/phone")
    entry = filled.entries()[0]
    assert entry.salts is not None
    salt = entry.salts["/contact/counterpart/phone"]
    assert phone.digest == disclosure_digest(salt, phone.field, "+86 21 5555 0199")
    text = (tmp_path / "r.jsonl").read_text(encoding="utf-8")
    assert salt not in text
    assert phone.digest in text


def test_redacted_bundle_verifies_without_personal_data(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "r.zip", redaction=Redaction())
    result = verify_bundle(bundle)
    assert result.problems == ()
    assert result.redacted
    assert len(result.absent) == 2  # a redacted bundle never carries the files
    assert not result.ok
    assert verify_bundle(bundle, allow_absent_attachments=True).ok
    with zipfile.ZipFile(bundle) as archive:
        assert not [n for n in archive.namelist() if n.startswith("attachments/")]
        for name in archive.namelist():
            content = archive.read(name).decode("utf-8")
            for value in PERSONAL:
                assert value not in content, (name, value)
