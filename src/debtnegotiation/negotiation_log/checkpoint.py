r"""Signed checkpoints: a short text that witnesses a log's head, to keep outside the log.

A checkpoint states the log's size and head hash at a moment, signed with the user's
Ed25519 key (RFC 8032). Its text follows the C2SP *signed note* and *tlog-checkpoint*
formats (the ones Certificate Transparency logs, Go's checksum database and Sigstore
publish their heads in), with the head in hex as everywhere in this library::

    debtnegotiation-log/3f1c…e2          origin: the log's first entry hash
    5                                    size: number of entries
    9a0b…77                              head: hash of entry 5
    time 2026-03-01T00:00:05Z            when it was signed (UTC)

    — debtneg-1a2b3c4d AbCd…==           key name, base64(key ID || signature)

The signature covers the four lines above the blank line (with their newlines). The key
ID is the first four bytes of ``SHA-256(name || "\n" || 0x01 || public key)`` and the
public key is shared as ``name+keyid+base64(0x01 || public key)``, both as in the C2SP
signed-note specification.

E-mail the checkpoint to yourself or to the lender, or keep it anywhere the log's owner
cannot rewrite later. :func:`verify_checkpoint` then proves that a log, a JSON Lines
export or a bundle *extends* it: its entry number *size* has that head hash, and since
every entry links to the one before, no entry up to it was changed, removed or inserted.

The key is made on first use and kept in the user's configuration directory
(``$XDG_CONFIG_HOME/debtnegotiation/checkpoint-key.pem`` on Linux, ``~/Library/
Application Support/debtnegotiation`` on macOS, ``%APPDATA%\debtnegotiation`` on Windows),
readable by the user only; the environment variable ``DEBTNEG_CHECKPOINT_KEY`` names
another file. Ed25519 comes from the ``cryptography`` package, imported only when a key
is used.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

import attrs

from debtnegotiation.errors import ValidationError
from debtnegotiation.negotiation_log.errors import LogError

if TYPE_CHECKING:
    from debtnegotiation.negotiation_log.verify import VerifyResult

__all__ = [
    "KEY_ENV",
    "Checkpoint",
    "CheckpointCheck",
    "SigningKey",
    "VerifierKey",
    "default_key_path",
    "make_checkpoint",
    "verify_checkpoint",
]

#: Environment variable naming the signing-key file (instead of the default location).
KEY_ENV: Final = "DEBTNEG_CHECKPOINT_KEY"
#: The origin line starts with this, followed by the log's first entry hash.
ORIGIN_PREFIX: Final = "debtnegotiation-log/"

_ED25519: Final = b"\x01"
_DASH: Final = "\u2014 "
_HEX64: Final = re.compile(r"[0-9a-f]{64}")
_NAME: Final = re.compile(r"[^\s+\u2014]+")
_TIME: Final = re.compile(r"time (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")
_MAX_TEXT: Final = 8192


def _config_dir() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "debtnegotiation"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "debtnegotiation"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "debtnegotiation"


def default_key_path() -> Path:
    """The signing-key file: ``$DEBTNEG_CHECKPOINT_KEY``, else the user's config directory."""
    named = os.environ.get(KEY_ENV)
    return Path(named) if named else _config_dir() / "checkpoint-key.pem"


def _key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + _ED25519 + public).digest()[:4]


@attrs.frozen(kw_only=True)
class VerifierKey:
    """A public key that checks checkpoint signatures.

    :param name: the key's name, as in the signature line.
    :param public: the 32-byte Ed25519 public key.
    """

    name: str
    public: bytes

    @property
    def key_id(self) -> bytes:
        """The four-byte key ID of the C2SP signed-note format."""
        return _key_id(self.name, self.public)

    def __str__(self) -> str:
        """The shareable form ``name+keyid+base64(0x01 || public key)``."""
        encoded = base64.b64encode(_ED25519 + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        """Read the shareable form.

        :raises ~debtnegotiation.errors.ValidationError: when it is not one, or its key
            ID does not match.
        """
        try:
            name, key_hex, encoded = text.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error):
            raise ValidationError("verifier key", "name+keyid+base64 key", text) from None
        if not _NAME.fullmatch(name) or raw[:1] != _ED25519 or len(raw) != 33:
            raise ValidationError("verifier key", "an Ed25519 verifier key", text)
        key = cls(name=name, public=raw[1:])
        if key.key_id.hex() != key_hex:
            raise ValidationError("verifier key", "a key ID that matches the key", text)
        return key

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether *signature* is this key's Ed25519 signature of *message*."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import (
            Ed25519PublicKey,
        )

        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


class SigningKey:
    """The user's Ed25519 signing key, kept in a file readable by the user only.

    :param seed: the 32-byte private key.
    :param path: where it is kept.
    """

    def __init__(self, seed: bytes, path: Path) -> None:
        """Hold the key; use :meth:`load` to read or create the key file."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import (
            Ed25519PrivateKey,
        )

        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.path = path

    def __repr__(self) -> str:
        """Name the key and its file, never the private bytes."""
        return f"SigningKey({self.verifier.name!r}, path={str(self.path)!r})"

    @property
    def verifier(self) -> VerifierKey:
        """The public half, to share with whoever checks your checkpoints."""
        from cryptography.hazmat.primitives import serialization

        public = self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return VerifierKey(name=f"debtneg-{hashlib.sha256(public).hexdigest()[:8]}", public=public)

    def sign(self, message: bytes) -> bytes:
        """Return the Ed25519 signature of *message*."""
        return self._key.sign(message)

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> SigningKey:
        """Read the key file (default: :func:`default_key_path`), making it if missing.

        :param create: make a new key when the file does not exist.
        :raises ~debtnegotiation.negotiation_log.LogError: when the file is missing and
            *create* is false, is readable by others, or is not an Ed25519 key.
        """
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import (
            Ed25519PrivateKey,
        )

        file = Path(os.fspath(path)) if path is not None else default_key_path()
        if not file.exists():
            if not create:
                raise LogError(f"no checkpoint signing key at {file}")
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
                out.flush()
                os.fsync(out.fileno())
        if os.name == "posix" and stat.S_IMODE(file.stat().st_mode) & 0o077:
            raise LogError(
                f"{file}: the checkpoint signing key is readable by others; run chmod 600 {file}"
            )
        try:
            loaded = serialization.load_pem_private_key(file.read_bytes(), password=None)
        except ValueError as exc:
            raise LogError(f"{file}: not a PEM private key ({exc})") from None
        if not isinstance(loaded, Ed25519PrivateKey):
            raise LogError(f"{file}: not an Ed25519 private key")
        seed = loaded.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return cls(seed, file)


@attrs.frozen(kw_only=True)
class Checkpoint:
    """A signed statement of a log's size and head at a time.

    :param origin: ``debtnegotiation-log/`` followed by the log's first entry hash.
    :param size: the number of entries.
    :param head: the hash of entry *size*.
    :param time: when it was signed (UTC, whole seconds).
    :param signatures: ``(key name, key ID, signature)`` of each signature line.
    """

    origin: str
    size: int
    head: str
    time: dt.datetime
    signatures: tuple[tuple[str, bytes, bytes], ...] = ()

    def body(self) -> bytes:
        """The signed text: origin, size, head and time lines, each ending in a newline."""
        stamp = self.time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"{self.origin}\n{self.size}\n{self.head}\ntime {stamp}\n".encode()

    def text(self) -> str:
        """The whole note: the body, a blank line and one line per signature."""
        lines = [
            f"{_DASH}{name} {base64.b64encode(key_id + signature).decode()}\n"
            for name, key_id, signature in self.signatures
        ]
        return self.body().decode() + "\n" + "".join(lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Read a checkpoint note strictly.

        :raises ~debtnegotiation.errors.ValidationError: naming the line that is wrong.
        """
        if len(text) > _MAX_TEXT:
            raise ValidationError("checkpoint", f"at most {_MAX_TEXT} characters", len(text))
        body, sep, tail = text.partition("\n\n")
        lines = body.split("\n")
        if not sep or len(lines) != 4:
            raise ValidationError("checkpoint", "4 lines, a blank line and signatures", text[:200])
        origin, size_text, head, time_line = lines
        if not origin.startswith(ORIGIN_PREFIX) or not _HEX64.fullmatch(
            origin[len(ORIGIN_PREFIX) :]
        ):
            raise ValidationError("checkpoint line 1", f"{ORIGIN_PREFIX}<first entry hash>", origin)
        if not size_text.isascii() or not size_text.isdigit() or size_text != str(int(size_text)):
            raise ValidationError("checkpoint line 2", "the number of entries", size_text)
        if not _HEX64.fullmatch(head):
            raise ValidationError("checkpoint line 3", "the head hash (64 hex digits)", head)
        matched = _TIME.fullmatch(time_line)
        if matched is None:
            raise ValidationError("checkpoint line 4", "time YYYY-MM-DDTHH:MM:SSZ", time_line)
        moment = dt.datetime.strptime(matched.group(1), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        signatures = []
        for line in tail.split("\n"):
            if line == "":
                continue
            parts = line.removeprefix(_DASH).split(" ")
            if not line.startswith(_DASH) or len(parts) != 2 or not _NAME.fullmatch(parts[0]):
                raise ValidationError("checkpoint signature", "— NAME BASE64", line)
            try:
                raw = base64.b64decode(parts[1], validate=True)
            except binascii.Error:
                raise ValidationError("checkpoint signature", "base64", line) from None
            if len(raw) != 68:
                raise ValidationError(
                    "checkpoint signature", "a key ID and an Ed25519 signature", line
                )
            signatures.append((parts[0], raw[:4], raw[4:]))
        if not signatures:
            raise ValidationError("checkpoint", "at least one signature line", text[:200])
        return cls(
            origin=origin, size=int(size_text), head=head, time=moment, signatures=tuple(signatures)
        )


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_checkpoint(
    hashes: tuple[str, ...] | list[str],
    key: SigningKey,
    *,
    clock: Callable[[], dt.datetime] = _utc_now,
) -> Checkpoint:
    """Sign a checkpoint of the chain whose entry hashes are *hashes*, in order.

    Verify the log first (``NegotiationLog.checkpoint`` does): a checkpoint of a
    broken chain witnesses nothing.

    :raises ~debtnegotiation.errors.ValidationError: for an empty chain.
    """
    if not hashes:
        raise ValidationError("log", "a log with at least one entry", 0)
    moment = clock().astimezone(dt.UTC).replace(microsecond=0)
    unsigned = Checkpoint(
        origin=ORIGIN_PREFIX + hashes[0], size=len(hashes), head=hashes[-1], time=moment
    )
    verifier = key.verifier
    signature = key.sign(unsigned.body())
    return attrs.evolve(unsigned, signatures=((verifier.name, verifier.key_id, signature),))


@attrs.frozen(kw_only=True)
class CheckpointCheck:
    """The outcome of :func:`verify_checkpoint`.

    :param ok: whether the chain extends the checkpoint and its signature is valid.
    :param message: one sentence saying what was proved, or what failed.
    """

    ok: bool
    message: str

    def __bool__(self) -> bool:
        """True when the checkpoint verified."""
        return self.ok


def verify_checkpoint(  # noqa: PLR0911
    checkpoint: Checkpoint | str, chain: VerifyResult, verifier: VerifierKey
) -> CheckpointCheck:
    """Check that a verified *chain* extends *checkpoint*, signed by *verifier*.

    :param checkpoint: the checkpoint or its text.
    :param chain: the result of verifying the log, export or bundle; its chain must be
        intact (its attachments may be absent).
    :param verifier: the public key the checkpoint must be signed with.
    """
    try:
        note = checkpoint if isinstance(checkpoint, Checkpoint) else Checkpoint.parse(checkpoint)
    except ValidationError as exc:
        return CheckpointCheck(ok=False, message=f"the checkpoint is unreadable: {exc}")
    signed = [
        sig
        for name, key_id, sig in note.signatures
        if name == verifier.name and key_id == verifier.key_id
    ]
    if not signed:
        return CheckpointCheck(
            ok=False, message=f"the checkpoint has no signature by the key {verifier.name}"
        )
    if not any(verifier.verify(note.body(), sig) for sig in signed):
        return CheckpointCheck(
            ok=False,
            message=f"the checkpoint's signature by {verifier.name} is not valid: it was altered",
        )
    if chain.problem is not None:
        return CheckpointCheck(ok=False, message=f"the chain does not verify: {chain.explanation}")
    hashes = chain.hashes
    if not hashes or ORIGIN_PREFIX + hashes[0] != note.origin:
        return CheckpointCheck(
            ok=False, message="the checkpoint is of another log (its first entry differs)"
        )
    if len(hashes) < note.size:
        return CheckpointCheck(
            ok=False,
            message=(
                f"the checkpoint witnessed {note.size} entries; only {len(hashes)} are "
                "here: entries were removed"
            ),
        )
    if hashes[note.size - 1] != note.head:
        return CheckpointCheck(
            ok=False,
            message=(
                f"entry {note.size} differs from the one the checkpoint witnessed: history "
                "up to it was rewritten"
            ),
        )
    stamp = note.time.strftime("%Y-%m-%d %H:%M:%SZ")
    kept = "entry 1 unchanged" if note.size == 1 else f"entries 1-{note.size} unchanged"
    return CheckpointCheck(
        ok=True,
        message=(
            f"extends the checkpoint of {stamp} signed by {verifier.name}: {kept}, "
            f"{len(hashes) - note.size} added since"
        ),
    )
