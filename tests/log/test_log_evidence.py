"""Forged bundles and exports fail verification, through the API and `debtneg log verify`.

Each test is one attack from issue 10, done as an attacker would: change what they want,
then recompute every hash the archive states about itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation.cli import cli
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.negotiation_log import (
    NegotiationLog,
    Redaction,
    export_bundle,
    export_jsonl,
    verify_bundle,
    verify_jsonl,
)
from debtnegotiation.negotiation_log.canonical import canonical_json, record_hash
from debtnegotiation.negotiation_log.commitment import committed_record

ISOLATED = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1", "DEBTNEG_DISABLE_PLUGINS": ""}


def _verify_cli(*args: object) -> tuple[int, str]:
    runner = CliRunner(env=ISOLATED)
    result = runner.invoke(cli, ["log", "verify", *map(str, args)], catch_exceptions=False)
    return result.exit_code, result.output


def _bundle(log: NegotiationLog, path: Path, **options: object) -> Path:
    export_bundle(log, path, formatter=BabelFormatter("en"), **options)  # type: ignore[arg-type]
    return path


def _members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _forge(
    bundle: Path,
    target: Path,
    change: Callable[[dict[str, bytes], dict[str, object]], None],
) -> Path:
    """Rewrite members and the manifest with *change*, then recompute every manifest hash."""
    members = _members(bundle)
    manifest = json.loads(members.pop("manifest.json"))
    change(members, manifest)
    manifest["files"] = {n: hashlib.sha256(d).hexdigest() for n, d in sorted(members.items())}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("manifest.json", canonical_json(manifest))
        for name, data in sorted(members.items()):
            out.writestr(name, data)
    return target


def _assert_fails(bundle: Path, fragment: str, head: str) -> None:
    result = verify_bundle(bundle, expected_head=head)
    assert not result.ok
    assert any(fragment in p for p in result.problems), result.problems
    code, output = _verify_cli(bundle, "--expected-head", head)
    assert code == 1, output
    assert not output.startswith("OK")
    assert fragment in output


def test_the_genuine_bundle_passes(filled: NegotiationLog, tmp_path: Path) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")
    assert verify_bundle(bundle, expected_head=filled.head).ok
    code, output = _verify_cli(bundle, "--expected-head", filled.head)
    assert code == 0, output
    assert output.startswith("OK: 5 entries verified")


def test_a_chinese_bundle_verifies_through_the_api_and_the_cli(
    filled: NegotiationLog, log_path: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "zh.zip"
    export_bundle(filled, bundle, formatter=BabelFormatter("zh_Hans_CN"))
    members = _members(bundle)
    report = members["report.md"].decode("utf-8")
    assert report.startswith("# 协商记录\n\n共 5 条记录；链头哈希 ")
    assert "<h2>第 1 条记录：2026年3月2日" in members["report.html"].decode("utf-8")
    settings = json.loads(members["manifest.json"])["report"]
    assert (settings["locale"], settings["title"]) == ("zh_Hans_CN", "协商记录")
    assert verify_bundle(bundle, expected_head=filled.head).ok
    code, output = _verify_cli(bundle, "--expected-head", filled.head, "--locale", "zh_Hans_CN")
    assert code == 0, output
    assert output.startswith("完好：已核验 5 条记录；链头 ")
    # Made by the CLI in Chinese, verified by the CLI in English.
    made = tmp_path / "cli.zip"
    result = CliRunner(env=ISOLATED).invoke(
        cli,
        ["log", "export", str(log_path), "--to", "bundle", "-o", str(made),
         "--locale", "zh_Hans_CN"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _members(made)["report.md"].decode("utf-8").startswith("# 协商记录\n")
    code, output = _verify_cli(made)
    assert code == 0, output


def test_a_chinese_bundle_relabelled_as_english_fails(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = tmp_path / "zh.zip"
    export_bundle(filled, bundle, formatter=BabelFormatter("zh_Hans_CN"))

    def relabel(_members: dict[str, bytes], manifest: dict[str, object]) -> None:
        settings = manifest["report"]
        assert isinstance(settings, dict)
        settings["locale"] = "en"

    forged = _forge(bundle, tmp_path / "forged.zip", relabel)
    _assert_fails(forged, "report.md differs from the report rendered again", filled.head)


def test_an_edited_report_with_a_recomputed_manifest_fails(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")

    def edit(members: dict[str, bytes], _manifest: dict[str, object]) -> None:
        members["report.html"] = members["report.html"].replace(b"24 installments", b"no offer")

    forged = _forge(bundle, tmp_path / "forged.zip", edit)
    _assert_fails(forged, "report.html differs from the report rendered again", filled.head)


def test_a_redacted_flag_does_not_switch_content_checks_off(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")

    def edit(members: dict[str, bytes], manifest: dict[str, object]) -> None:
        manifest["redacted"] = True
        members["entries.jsonl"] = (
            members["entries.jsonl"]
            .replace(b'"redacted":false', b'"redacted":true')
            .replace(b"24 installments", b"12 installments")
        )

    forged = _forge(bundle, tmp_path / "forged.zip", edit)
    _assert_fails(forged, "entry 1 was edited", filled.head)


def test_deleted_attachments_are_reported_absent_with_their_hashes(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")

    def edit(members: dict[str, bytes], manifest: dict[str, object]) -> None:
        manifest["attachments_included"] = False
        for name in [n for n in members if n.startswith("attachments/")]:
            del members[name]

    forged = _forge(bundle, tmp_path / "forged.zip", edit)
    result = verify_bundle(forged, expected_head=filled.head)
    assert not result.ok
    hashes = {a.sha256 for e in filled.entries() for a in e.attachments}
    assert {a.attachment.sha256 for a in result.absent} == hashes
    code, output = _verify_cli(forged, "--expected-head", filled.head)
    assert code == 1
    assert output.startswith("INCOMPLETE:")
    for sha in hashes:
        assert f"SHA-256 {sha}" in output
    assert "NOT CHECKED: attachment 'call-0302.m4a' of entry 2" in output
    # Accepting absent files is explicit, and they are still named.
    code, output = _verify_cli(forged, "--allow-absent-attachments")
    assert code == 0
    assert "2 attachments NOT checked" in output


def test_a_changed_attachment_with_recomputed_manifest_fails(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")
    sha = filled.entries()[1].attachments[0].sha256

    def edit(members: dict[str, bytes], _manifest: dict[str, object]) -> None:
        members[f"attachments/{sha}"] = b"another recording"

    forged = _forge(bundle, tmp_path / "forged.zip", edit)
    _assert_fails(forged, "no longer has its recorded size and SHA-256", filled.head)


def test_duplicate_keys_are_refused(filled: NegotiationLog, tmp_path: Path) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")

    def edit(members: dict[str, bytes], _manifest: dict[str, object]) -> None:
        # A forged summary first, the genuine one last: last-wins parsing would hide it.
        members["entries.jsonl"] = members["entries.jsonl"].replace(
            b'"summary":"Li Wei', b'"summary":"Nothing was offered","summary":"Li Wei', 1
        )

    forged = _forge(bundle, tmp_path / "forged.zip", edit)
    _assert_fails(forged, "duplicate key 'summary'", filled.head)
    exported = tmp_path / "log.jsonl"
    export_jsonl(filled, exported)
    text = exported.read_text(encoding="utf-8")
    exported.write_text(
        text.replace('"head":', '"head":"' + "0" * 64 + '","head":', 1), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="duplicate key 'head'"):
        verify_jsonl(exported)
    members = _members(bundle)
    manifest = members["manifest.json"].replace(b'"entries":5', b'"entries":4,"entries":5')
    target = tmp_path / "dup-manifest.zip"
    with zipfile.ZipFile(target, "w") as out:
        out.writestr("manifest.json", manifest)
        for name, data in members.items():
            if name != "manifest.json":
                out.writestr(name, data)
    assert any("duplicate key 'entries'" in p for p in verify_bundle(target).problems)


def test_unhashed_extra_fields_are_refused(filled: NegotiationLog, tmp_path: Path) -> None:
    exported = tmp_path / "log.jsonl"
    export_jsonl(filled, exported)
    lines = exported.read_text(encoding="utf-8").splitlines()
    line = json.loads(lines[1])
    line["note"] = "the bank waived everything"
    lines[1] = canonical_json(line).decode("utf-8")
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="an entry line with keys among"):
        verify_jsonl(exported)
    # An unknown field inside the last record, with its digest and every hash recomputed.
    export_jsonl(filled, exported)
    lines = exported.read_text(encoding="utf-8").splitlines()
    line = json.loads(lines[-1])
    line["entry"]["contact"]["waived"] = True
    line["salts"]["/contact/waived"] = "0" * 32
    line["hash"] = record_hash(committed_record(line["entry"], line["salts"]))
    lines[-1] = canonical_json(line).decode("utf-8")
    header = json.loads(lines[0])
    header["header"]["head"] = line["hash"]
    lines[0] = canonical_json(header).decode("utf-8")
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = verify_jsonl(exported, absent_allowed=True)
    assert result.problem is not None
    assert result.problem.seq == 5
    assert "fields or values this library does not know" in result.explanation


def _zip_with(target: Path, bundle: Path, extra: zipfile.ZipInfo, data: bytes) -> Path:
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr(extra, data)
    return target


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("../evil.sh", "absolute or climbing path"),
        ("attachments/../../evil.sh", "absolute or climbing path"),
        ("/etc/cron.d/evil", "absolute or climbing path"),
        ("report.md", "appears twice"),
        ("attachments/", "not a member an evidence bundle has"),
    ],
)
def test_hostile_member_names_are_refused(
    filled: NegotiationLog, tmp_path: Path, name: str, fragment: str
) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")
    with pytest.warns(UserWarning, match="Duplicate name") if name == "report.md" else _nothing():
        forged = _zip_with(tmp_path / "forged.zip", bundle, zipfile.ZipInfo(name), b"x")
    _assert_fails(forged, fragment, filled.head)


class _nothing:  # noqa: N801
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def test_a_symlink_member_is_refused(filled: NegotiationLog, tmp_path: Path) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")
    sha = "cd" * 32
    link = zipfile.ZipInfo(f"attachments/{sha}")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    forged = _zip_with(tmp_path / "forged.zip", bundle, link, b"/etc/passwd")
    _assert_fails(forged, "is a symbolic link", filled.head)


def test_a_zip_bomb_is_refused_before_it_is_decompressed(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        member = zipfile.ZipInfo("attachments/" + "ef" * 32)
        member.compress_type = zipfile.ZIP_DEFLATED
        with out.open(member, "w", force_zip64=True) as big:
            zeros = bytes(1 << 20)
            for _ in range(64):
                big.write(zeros)
    assert bomb.stat().st_size < 2_000_000
    tracemalloc.start()
    result = verify_bundle(bomb, max_bytes=16 << 20)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not result.ok
    assert any("declare" in p and "at most 16777216" in p for p in result.problems)
    assert peak < 8 << 20


def test_a_bomb_that_lies_about_its_size_stops_at_the_limit(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")
    bomb = tmp_path / "liar.zip"
    name = "attachments/" + "ef" * 32
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr(name, bytes(32 << 20))
    raw = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo(name)
    # Declare 1,000 bytes in the local header and the central directory.
    size = (32 << 20).to_bytes(4, "little")
    for at in [i for i in range(len(raw) - 4) if raw[i : i + 4] == size]:
        raw[at : at + 4] = (1000).to_bytes(4, "little")
    bomb.write_bytes(bytes(raw))
    assert info.file_size == 32 << 20
    tracemalloc.start()
    result = verify_bundle(bomb, max_bytes=4 << 20)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not result.ok
    assert peak < 8 << 20


def test_too_many_members_are_refused(filled: NegotiationLog, tmp_path: Path) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")
    result = verify_bundle(bundle, max_members=3)
    assert not result.ok
    assert "at most 3 are accepted" in result.problems[0]


def test_a_jsonl_export_without_its_attachments_is_not_plain_ok(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    exported = tmp_path / "log.jsonl"
    export_jsonl(filled, exported)
    code, output = _verify_cli(exported)
    assert code == 1
    assert output.startswith("INCOMPLETE: 5 entries verified")
    assert "NOT CHECKED: attachment 'chat.png' of entry 2" in output
    code, output = _verify_cli(exported, "--allow-absent-attachments")
    assert code == 0
    assert "NOT checked" in output


def test_exports_replace_the_previous_file_atomically(
    filled: NegotiationLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = _bundle(filled, tmp_path / "b.zip")
    good = bundle.read_bytes()
    exported = tmp_path / "log.jsonl"
    export_jsonl(filled, exported)
    good_jsonl = exported.read_bytes()

    def killed(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # the process is stopped half way through writing

    monkeypatch.setattr(zipfile.ZipFile, "writestr", killed)
    with pytest.raises(KeyboardInterrupt):
        _bundle(filled, bundle)
    monkeypatch.undo()
    assert bundle.read_bytes() == good
    monkeypatch.setattr("os.fsync", killed)
    with pytest.raises(KeyboardInterrupt):
        export_jsonl(filled, exported, redaction=Redaction())
    monkeypatch.undo()
    assert exported.read_bytes() == good_jsonl
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_redacted_text_is_marked_as_not_covered_by_the_hash(
    filled: NegotiationLog, tmp_path: Path
) -> None:
    bundle = _bundle(filled, tmp_path / "r.zip", redaction=Redaction())
    members = _members(bundle)
    report = members["report.md"].decode("utf-8")
    # The summary had a name and a phone in it: what is shown of it is not hashed.
    assert "offered a 24-month plan" in report
    assert "not covered by the entry hash" in report
    assert "- Name: \\[name 1\\]\n" in report  # a pseudonym alone needs no mark

    def unmark(members: dict[str, bytes], _manifest: dict[str, object]) -> None:
        for name in ("report.md", "report.html"):
            members[name] = re.sub(rb" \\?\[redacted text: [^\]]*\]", b"", members[name])

    forged = _forge(bundle, tmp_path / "forged.zip", unmark)
    result = verify_bundle(forged, allow_absent_attachments=True)
    assert any("report.md differs" in p for p in result.problems)
