"""Redaction of personal data in exports: names, phone numbers and ID numbers.

Redaction works on copies of the entries. Each redacted value is replaced by a marker
(``[redacted name]``, ``[redacted phone]``, ``[redacted id number]``) and listed in a
:class:`RedactionReport` with a *salted* digest ``SHA-256(salt || canonical_json(value))``
of the original value. The salt is random per export and is returned to the exporter only;
it is never written into the export, so the digests do not let anyone guess a phone
number by trying them all. Revealing the salt and one value later lets anyone check that
value against its digest.

A redacted entry keeps the hash of its *original* record, so its content no longer hashes
to it: a redacted export never verifies as the original chain. Only the links between the
original hashes (order, completeness) can be checked from it. The holder of the full log
can reproduce a redacted export byte for byte from the log, the same options and the salt.

Attachments (recordings, screenshots) are files and are never redacted; leave them out of
an export meant for a third party when they contain personal data.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Sequence
from typing import Final

import attrs

from debtnegotiation.errors import ValidationError
from debtnegotiation.negotiation_log.canonical import canonical_json
from debtnegotiation.negotiation_log.entry import Contact, Counterpart, LogEntry

__all__ = ["RedactedField", "Redaction", "RedactionReport", "redact_entries"]

NAME: Final = "name"
PHONE: Final = "phone"
ID_NUMBER: Final = "id number"

_PHONE_PATTERNS: Final = (
    re.compile(r"\+\d[\d\s\-().]{6,}\d"),  # international form
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),  # mainland China mobile, 11 digits
    re.compile(r"\(?\b\d{3}\)?[\s\-.]\d{3}[\s\-.]\d{4}\b"),  # North American form
)
_ID_PATTERNS: Final = (
    re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"),  # PRC resident ID, 18 chars
    re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),  # US SSN form
    re.compile(r"(?<!\d)\d{8,}(?!\d)"),  # card, account and other long numbers
)


@attrs.frozen(kw_only=True)
class Redaction:
    """What to remove from an export.

    :param names: counterpart names, also where they appear in free text.
    :param phones: phone numbers: the counterpart's, and phone-like numbers in free text.
    :param id_numbers: employee IDs, account references, ID-card, SSN-form and other long
        numbers in free text.
    """

    names: bool = True
    phones: bool = True
    id_numbers: bool = True


@attrs.frozen(kw_only=True)
class RedactedField:
    """One value removed from one entry.

    :param seq: the entry's sequence number.
    :param field: dotted path of the field, e.g. ``contact.counterpart.phone``.
    :param category: ``name``, ``phone`` or ``id number``.
    :param digest: ``SHA-256(salt || canonical_json(original value))``, hex.
    """

    seq: int
    field: str
    category: str
    digest: str


@attrs.frozen(kw_only=True)
class RedactionReport:
    """What a redaction removed, and the salt of its digests (keep the salt private).

    :param salt: hex salt of the digests; never written into the export.
    :param fields: every redacted value, by entry and field.
    """

    salt: str
    fields: tuple[RedactedField, ...]

    def counts(self) -> dict[str, int]:
        """Number of redacted fields per category."""
        result: dict[str, int] = {}
        for item in self.fields:
            result[item.category] = result.get(item.category, 0) + 1
        return dict(sorted(result.items()))


def _marker(category: str) -> str:
    return f"[redacted {category}]"


class _Redactor:
    def __init__(self, entries: Sequence[LogEntry], options: Redaction, salt: bytes) -> None:
        self.options = options
        self.salt = salt
        self.fields: list[RedactedField] = []
        counterparts = [e.contact.counterpart for e in entries]
        # Longest first, so "Li Wei" is replaced before "Li".
        self.names = sorted({c.name for c in counterparts if len(c.name) >= 2}, key=len)[::-1]
        self.phones = sorted({c.phone for c in counterparts if c.phone}, key=len)[::-1]
        ids = {c.employee_id for c in counterparts} | {e.contact.account_reference for e in entries}
        self.ids = sorted({i for i in ids if len(i) >= 3}, key=len)[::-1]

    def digest(self, value: object) -> str:
        return hashlib.sha256(self.salt + canonical_json(value)).hexdigest()

    def note(self, seq: int, field: str, category: str, value: object) -> None:
        self.fields.append(
            RedactedField(seq=seq, field=field, category=category, digest=self.digest(value))
        )

    def whole(self, seq: int, field: str, category: str, value: str, *, on: bool) -> str:
        if not on or not value:
            return value
        self.note(seq, field, category, value)
        return _marker(category)

    def text(self, seq: int, field: str, value: str) -> str:
        result = value
        steps: list[tuple[bool, str, Sequence[str], Sequence[re.Pattern[str]]]] = [
            (self.options.names, NAME, self.names, ()),
            (self.options.phones, PHONE, self.phones, _PHONE_PATTERNS),
            (self.options.id_numbers, ID_NUMBER, self.ids, _ID_PATTERNS),
        ]
        for enabled, category, known, patterns in steps:
            if not enabled:
                continue
            before = result
            for literal in known:
                result = result.replace(literal, _marker(category))
            for pattern in patterns:
                result = pattern.sub(_marker(category), result)
            if result != before:
                self.note(seq, f"{field}#{category}", category, value)
        return result

    def entry(self, entry: LogEntry) -> LogEntry:
        seq, contact, options = entry.seq, entry.contact, self.options
        who = contact.counterpart
        counterpart = Counterpart(
            name=self.whole(seq, "contact.counterpart.name", NAME, who.name, on=options.names),
            employee_id=self.whole(
                seq,
                "contact.counterpart.employee_id",
                ID_NUMBER,
                who.employee_id,
                on=options.id_numbers,
            ),
            organisation=who.organisation,
            phone=self.whole(seq, "contact.counterpart.phone", PHONE, who.phone, on=options.phones),
            role=who.role,
        )
        text: Callable[[str, str], str] = lambda field, value: self.text(seq, field, value)  # noqa: E731
        redacted = attrs.evolve(
            contact,
            counterpart=counterpart,
            account_reference=self.whole(
                seq,
                "contact.account_reference",
                ID_NUMBER,
                contact.account_reference,
                on=options.id_numbers,
            ),
            summary=text("contact.summary", contact.summary),
            key_points=[
                text(f"contact.key_points[{i}]", p) for i, p in enumerate(contact.key_points)
            ],
            offers=[
                attrs.evolve(o, summary=text(f"contact.offers[{i}].summary", o.summary))
                for i, o in enumerate(contact.offers)
            ],
            commitments=[
                attrs.evolve(c, what=text(f"contact.commitments[{i}].what", c.what))
                for i, c in enumerate(contact.commitments)
            ],
            commitment_updates=[
                attrs.evolve(u, note=text(f"contact.commitment_updates[{i}].note", u.note))
                for i, u in enumerate(contact.commitment_updates)
            ],
        )
        assert isinstance(redacted, Contact)  # noqa: S101  (evolve keeps the type)
        return attrs.evolve(entry, contact=redacted)


def redact_entries(
    entries: Sequence[LogEntry], redaction: Redaction, *, salt: str | None = None
) -> tuple[tuple[LogEntry, ...], RedactionReport]:
    """Return redacted copies of *entries* and the report of what was removed.

    The copies keep their original ``hash`` and ``prev_hash``; their content differs, so
    they do not verify as the original chain.

    :param salt: hex salt for the digests; random when omitted. Pass the salt of an
        earlier report to reproduce that export exactly.
    """
    if salt is None:
        salt = secrets.token_hex(16)
    try:
        salt_bytes = bytes.fromhex(salt)
    except ValueError:
        raise ValidationError("salt", "a hex string", salt) from None
    redactor = _Redactor(entries, redaction, salt_bytes)
    redacted = tuple(redactor.entry(e) for e in entries)
    return redacted, RedactionReport(salt=salt, fields=tuple(redactor.fields))
