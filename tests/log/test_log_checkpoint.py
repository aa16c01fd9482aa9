"""Signed checkpoints: a rewrite before one fails, an append after one passes."""

from __future__ import annotations

import base64
import datetime as dt
import os
import stat
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from debtnegotiation.cli import cli
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.negotiation_log import (
    Checkpoint,
    Contact,
    NegotiationLog,
    SigningKey,
    export_bundle,
    export_jsonl,
    make_checkpoint,
    verify_bundle,
    verify_checkpoint,
    verify_jsonl,
)
from debtnegotiation.negotiation_log.checkpoint import KEY_ENV, VerifierKey, default_key_path
from debtnegotiation.negotiation_log.log import row_of

NOON = dt.datetime(2026, 3, 9, 12, 0, 5, 123, tzinfo=dt.UTC)


@pytest.fixture
def key(tmp_path: Path) -> SigningKey:
    return SigningKey.load(tmp_path / "keys" / "mine.pem")


def _checkpoint(log: NegotiationLog, key: SigningKey) -> Checkpoint:
    result = log.verify()
    assert result.ok
    return make_checkpoint(result.hashes, key, clock=lambda: NOON)


def test_a_key_is_made_on_first_use_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = default_key_path()
    assert tmp_path in path.parents
    first = SigningKey.load()
    assert path.is_file()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert SigningKey.load().verifier == first.verifier  # kept, not made again
    assert "PRIVATE" not in repr(first)
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "other.pem"))
    assert default_key_path() == tmp_path / "other.pem"
    with pytest.raises(Exception, match="no checkpoint signing key"):
        SigningKey.load(create=False)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_key_readable_by_others_is_refused(key: SigningKey) -> None:
    key.path.chmod(0o644)
    with pytest.raises(Exception, match="readable by others"):
        SigningKey.load(key.path)


def test_the_checkpoint_is_a_short_signed_note(filled: NegotiationLog, key: SigningKey) -> None:
    note = _checkpoint(filled, key)
    text = note.text()
    lines = text.split("\n")
    first = filled.entries()[0].hash
    assert lines[:5] == [
        f"debtnegotiation-log/{first}",
        "5",
        filled.head,
        "time 2026-03-09T12:00:05Z",
        "",
    ]
    assert lines[5].startswith(f"\u2014 {key.verifier.name} ")
    assert len(text) < 400
    assert Checkpoint.parse(text) == note
    verifier = VerifierKey.parse(str(key.verifier))
    assert verifier == key.verifier
    assert verify_checkpoint(text, filled.verify(), verifier).ok


def test_appending_after_a_checkpoint_passes(
    filled: NegotiationLog, key: SigningKey, make_contact: Callable[..., Contact]
) -> None:
    text = _checkpoint(filled, key).text()
    filled.append(make_contact(day=9))
    check = verify_checkpoint(text, filled.verify(), key.verifier)
    assert check.ok, check.message
    assert "entries 1-5 unchanged, 1 added since" in check.message


def _rewritten(log: NegotiationLog, path: Path, seq: int, contact: Contact) -> NegotiationLog:
    """What a forger with the file does: keep entries before *seq*, rewrite from there."""
    forged = NegotiationLog.open(path)
    entries = log.entries()
    for entry in entries[: seq - 1]:
        for attachment in entry.attachments:
            copy = path.with_name(attachment.sha256)
            copy.write_bytes(log.read_attachment(attachment))
            forged.store.add_blob(copy)
    forged.store.extend([row_of(e) for e in entries[: seq - 1]])
    forged.append(contact)
    for entry in entries[seq:]:
        forged.append(entry.contact)
    return forged


def test_rewriting_history_before_a_checkpoint_fails(
    filled: NegotiationLog, key: SigningKey, tmp_path: Path
) -> None:
    text = _checkpoint(filled, key).text()
    original = filled.entries()[2].contact
    forged = _rewritten(
        filled, tmp_path / "forged.sqlite", 3, attrs.evolve(original, summary="nothing offered")
    )
    result = forged.verify()
    assert result.ok  # the forged log is self-consistent ...
    check = verify_checkpoint(text, result, key.verifier)
    assert not check.ok  # ... but does not extend the checkpoint
    assert "entry 5 differs from the one the checkpoint witnessed" in check.message
    truncated = _rewritten(filled, tmp_path / "short.sqlite", 3, original)
    check = verify_checkpoint(text, truncated.verify(expected_head=None), key.verifier)
    assert not check.ok
    cut = attrs.evolve(truncated.verify(), hashes=truncated.verify().hashes[:3])
    check = verify_checkpoint(text, cut, key.verifier)
    assert "only 3 are here: entries were removed" in check.message


def test_a_tampered_checkpoint_fails(filled: NegotiationLog, key: SigningKey) -> None:
    text = _checkpoint(filled, key).text()
    chain = filled.verify()
    # Claim fewer entries, to hide the later ones: the signature no longer matches.
    fewer = text.replace("\n5\n", "\n3\n", 1).replace(filled.head, filled.entries()[2].hash)
    check = verify_checkpoint(fewer, chain, key.verifier)
    assert not check.ok
    assert "signature" in check.message
    assert "not valid" in check.message
    body, _, signature_line = text.rpartition("\u2014 ")
    name, encoded = signature_line.split()
    raw = bytearray(base64.b64decode(encoded))
    raw[10] ^= 0x01
    flipped = f"{body}\u2014 {name} {base64.b64encode(bytes(raw)).decode()}\n"
    assert not verify_checkpoint(flipped, chain, key.verifier).ok
    assert not verify_checkpoint("garbage", chain, key.verifier).ok


def test_a_checkpoint_signed_by_another_key_fails(
    filled: NegotiationLog, key: SigningKey, tmp_path: Path
) -> None:
    other = SigningKey.load(tmp_path / "other.pem")
    text = _checkpoint(filled, other).text()
    check = verify_checkpoint(text, filled.verify(), key.verifier)
    assert not check.ok
    assert f"no signature by the key {key.verifier.name}" in check.message
    # A forger who renames their key to look like yours is caught by the key ID.
    impostor = VerifierKey(name=key.verifier.name, public=other.verifier.public)
    assert not verify_checkpoint(text, filled.verify(), impostor).ok or (
        impostor.key_id != key.verifier.key_id
    )


def test_exports_and_bundles_extend_the_checkpoint(
    filled: NegotiationLog, key: SigningKey, tmp_path: Path
) -> None:
    text = _checkpoint(filled, key).text()
    export_jsonl(filled, tmp_path / "log.jsonl")
    assert verify_checkpoint(text, verify_jsonl(tmp_path / "log.jsonl"), key.verifier).ok
    export_bundle(filled, tmp_path / "b.zip", formatter=BabelFormatter("en"))
    chain = verify_bundle(tmp_path / "b.zip").chain
    assert chain is not None
    assert verify_checkpoint(text, chain, key.verifier).ok


def test_checkpoint_and_verify_from_the_cli(
    filled: NegotiationLog, tmp_path: Path, make_contact: Callable[..., Contact]
) -> None:
    runner = CliRunner(env={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1"})
    key_file = tmp_path / "cli-key.pem"
    log_file = str(filled.store.path)  # type: ignore[attr-defined]
    saved = tmp_path / "checkpoint.txt"

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, ["log", *args], catch_exceptions=False)
        return result.exit_code, result.output

    code, output = run("checkpoint", log_file, "--key", str(key_file), "-o", str(saved))
    assert code == 0, output
    assert output == saved.read_text(encoding="utf-8")
    assert output.splitlines()[1] == "5"
    filled.append(make_contact(day=9))
    code, output = run("verify", log_file, "--checkpoint", str(saved), "--key", str(key_file))
    assert code == 0, output
    assert "CHECKPOINT OK: extends the checkpoint" in output
    code, public = run("checkpoint", log_file, "--key", str(key_file), "--public-key")
    assert code == 0
    code, output = run("verify", log_file, "--checkpoint", str(saved), "--verifier-key", public)
    assert code == 0, output
    forged = _rewritten(filled, tmp_path / "forged.sqlite", 2, make_contact(day=2, summary="x"))
    forged.close()
    args = ("--checkpoint", str(saved), "--key", str(key_file))
    code, output = run("verify", str(tmp_path / "forged.sqlite"), *args)
    assert code == 1
    assert output.startswith("OK: ")  # the forged chain is consistent in itself ...
    assert "CHECKPOINT FAILED: entry 5 differs" in output  # ... but rewrote history
    other = tmp_path / "other-key.pem"
    SigningKey.load(other)
    code, output = run("verify", log_file, "--checkpoint", str(saved), "--key", str(other))
    assert code == 1
    assert "CHECKPOINT FAILED: the checkpoint has no signature by the key" in output


def test_importing_the_library_does_not_import_cryptography() -> None:
    import subprocess
    import sys

    code = (
        "import sys, debtnegotiation, debtnegotiation.negotiation_log; "
        "print('cryptography' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "False"
