"""Redaction of personal data: one pass, used by every export (JSON Lines, bundle, report).

The pass looks at every value of every entry (``contact`` and ``attachments``, including
offers' plan snapshots and any field added later) and withholds:

* *by field*: the counterpart's name, employee ID, phone and role, the account
  reference, attachment file names, and any value under a key such as ``account``,
  ``card_number``, ``email``, ``phone`` or ``name`` inside a plan snapshot;
* *by value*: each of those values, and every name the caller lists
  (``Redaction.names``, e.g. the borrower's), wherever it appears in free text, in
  other spellings too (any case, with or without spaces, dashes or dots between its
  parts, given and family name swapped);
* *by pattern*: phone numbers in any spacing, dashes, dots or parentheses; ID numbers
  (PRC resident ID, 18 characters; US SSN form); card and account numbers, grouped or
  not (``6222 0202 0011 2233``); e-mail addresses; any run of seven or more digits
  that is not a date or a decimal amount; codes that mix letters with four or more
  digits (employee and case numbers such as ``EMP77812``).

Each value found is replaced by a pseudonym, ``[phone 1]``, ``[name 2]``: the same value
gives the same pseudonym everywhere in one export, and the numbering is shuffled by a
random seed per export, so pseudonyms do not link two exports.

A value is withheld, not rewritten: the entry's hash covers a salted commitment to each
value (record format 2, :mod:`~debtnegotiation.negotiation_log.commitment`), so the
redacted export keeps that commitment's digest in place of the value's salt. The chain
and every value still shown verify; a withheld value cannot be recovered by guessing,
because its 128-bit salt never leaves the log. Entries of record format 1 hash their
values directly and cannot be redacted safely: redacting them is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from debtnegotiation.errors import ValidationError
from debtnegotiation.negotiation_log.canonical import canonical_json
from debtnegotiation.negotiation_log.commitment import disclosure_digest
from debtnegotiation.negotiation_log.entry import LogEntry
from debtnegotiation.negotiation_log.errors import LogError

__all__ = [
    "RedactedEntry",
    "RedactedField",
    "Redaction",
    "RedactionReport",
    "redact_entries",
    "redact_texts",
]

NAME: Final = "name"
PHONE: Final = "phone"
ID_NUMBER: Final = "id number"
CARD: Final = "card number"
EMAIL: Final = "e-mail"
EMPLOYEE_ID: Final = "employee id"
ROLE: Final = "role"
ACCOUNT: Final = "account"
FILE: Final = "file"
NUMBER: Final = "number"
REFERENCE: Final = "reference"
VALUE: Final = "value"

# Whole fields, by path: always withheld.
_FIELDS: Final = {
    "/contact/counterpart/name": NAME,
    "/contact/counterpart/employee_id": EMPLOYEE_ID,
    "/contact/counterpart/phone": PHONE,
    "/contact/counterpart/role": ROLE,
    "/contact/account_reference": ACCOUNT,
}
_ATTACHMENT_NAME: Final = re.compile(r"/attachments/\d+/name")
# Keys that hold personal data wherever they appear (plan snapshots, later fields).
_KEYS: Final = {
    "name": NAME,
    "borrower": NAME,
    "payer": NAME,
    "payee": NAME,
    "creditor": NAME,
    "phone": PHONE,
    "mobile": PHONE,
    "email": EMAIL,
    "e_mail": EMAIL,
    "employee_id": EMPLOYEE_ID,
    "role": ROLE,
    "id_number": ID_NUMBER,
    "account": ACCOUNT,
    "account_number": ACCOUNT,
    "account_reference": ACCOUNT,
    "reference": ACCOUNT,
    "card": CARD,
    "card_number": CARD,
    "iban": ACCOUNT,
}
# Fixed vocabularies and validated shapes: never personal, and must stay readable.
_EXEMPT: Final = re.compile(
    r"/contact/(at|zone|channel|direction)"
    r"|/contact/(offers|commitments)/\d+/by"
    r"|/contact/commitments/\d+/(status|due)"
    r"|/contact/commitment_updates/\d+/status"
    r"|/contact/.*/currency"
    r"|/attachments/\d+/(sha256|media_type)"
)

# Money amounts anywhere (offers, plans, fields added later) stay readable, unless the
# "amount" is shaped like something else.
_MONEY_PATH: Final = re.compile(r"/contact/.*/amount")
_MONEY_VALUE: Final = re.compile(r"-?\d{1,6}(?:\.\d+)?|-?\d+\.\d{1,4}")
_SEPARATORS: Final = r"[\s\-_.·・,/()]*"
_DIGIT_RUN: Final = re.compile(
    r"(?<![0-9A-Za-z])\+?\(?\d(?:[\s\-./()]{0,3}\d){6,}(?:[\s\-]?[Xx](?![0-9A-Za-z]))?"
    r"(?![0-9A-Za-z])"
)
_CODE: Final = re.compile(r"(?<![0-9A-Za-z])[A-Za-z0-9]+(?:[\-_/][A-Za-z0-9]+)*(?![0-9A-Za-z])")
_MIN_CODE_DIGITS: Final = 4
_EMAIL: Final = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_AMOUNT: Final = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{1,2}|-?\d+\.\d{1,2}")
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_SSN: Final = re.compile(r"\d{3}-\d{2}-\d{4}")
_CJK: Final = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_MIN_DIGITS: Final = 7


def _strings(value: object) -> Any:  # noqa: ANN401
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, Iterable) else value


@attrs.frozen(kw_only=True)
class Redaction:
    """What a redacted export withholds beyond what the pass finds by itself.

    Every category the module lists is always redacted; these add the names and values
    only the caller knows.

    :param names: further names to withhold wherever they appear, e.g. the borrower's
        and family members' (each in any spelling the module describes).
    :param values: further literal values to withhold (an address, a case number).
    """

    names: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    values: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    @names.validator
    @values.validator
    def _check(self, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
        if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
            raise ValidationError(f"redaction.{attribute.name}", "a list of str", value)


@attrs.frozen(kw_only=True)
class RedactedField:
    """One value withheld from one entry.

    :param seq: the entry's sequence number.
    :param field: the value's path in the record, e.g. ``/contact/counterpart/phone``.
    :param category: what was found in it first (``name``, ``phone``, ``id number``…).
    :param shown: what the export shows instead (the text with pseudonyms).
    :param digest: the salted commitment digest kept in the export for it.
    """

    seq: int
    field: str
    category: str
    shown: str
    digest: str


@attrs.frozen(kw_only=True)
class RedactionReport:
    """What a redaction withheld, and the seed of its pseudonym numbering.

    :param salt: hex seed of the pseudonym numbering (the same seed reproduces the same
        export); it reveals nothing about the withheld values.
    :param fields: every withheld value, by entry and path.
    """

    salt: str
    fields: tuple[RedactedField, ...]

    def counts(self) -> dict[str, int]:
        """Number of withheld values per category."""
        result: dict[str, int] = {}
        for item in self.fields:
            result[item.category] = result.get(item.category, 0) + 1
        return dict(sorted(result.items()))


@attrs.frozen(kw_only=True)
class RedactedEntry:
    """An entry as a redacted export shows it.

    :param entry: the entry with pseudonyms in place of withheld values, its original
        hash, and the salts of the values still shown.
    :param withheld: the commitment digest of each withheld value, by path.
    """

    entry: LogEntry
    withheld: dict[str, str] = attrs.field(hash=False)


def _alnum(value: str) -> str:
    return "".join(c for c in value.casefold() if c.isalnum())


def _name_pattern(name: str) -> re.Pattern[str] | None:
    parts = [p for p in re.split(r"[\s\-_.·・,]+", name.strip()) if p]
    if len(parts) == 1 and _CJK.search(parts[0]):
        parts = list(parts[0])
    if sum(len(p) for p in parts) < 2:
        return None
    orders = [parts] if len(parts) == 1 else [parts, parts[::-1]]
    body = "|".join(_SEPARATORS.join(re.escape(p) for p in order) for order in orders)
    if _CJK.search(name):
        return re.compile(f"(?:{body})", re.IGNORECASE)
    return re.compile(f"(?<![^\\W\\d_])(?:{body})(?![^\\W\\d_])", re.IGNORECASE)


def _value_pattern(value: str) -> re.Pattern[str] | None:
    chars = [c for c in value if c.isalnum()]
    if len(chars) < 3:
        return None
    return re.compile(_SEPARATORS.join(re.escape(c) for c in chars), re.IGNORECASE)


def _digit_category(text: str) -> str:
    digits = "".join(c for c in text if c.isdigit())
    if text.rstrip()[-1:] in "Xx" or len(digits) == 18 or _SSN.fullmatch(text.strip()):
        return ID_NUMBER
    if text.lstrip().startswith(("+", "(")) or len(digits) <= 12:
        return PHONE
    return CARD


def _path_category(path: str) -> str | None:
    if path in _FIELDS:
        return _FIELDS[path]
    if _ATTACHMENT_NAME.fullmatch(path):
        return FILE
    key = path.rsplit("/", 1)[-1]
    return _KEYS.get(key)


class _Finder:
    """Finds personal data in a value and names each finding by a (category, key) pair."""

    def __init__(self, entries: Sequence[LogEntry], options: Redaction) -> None:
        names: list[str] = list(options.names)
        literals: list[tuple[str, str]] = [(VALUE, v) for v in options.values]
        for entry in entries:
            for path, value in entry.leaf_values().items():
                category = _path_category(path)
                if category is None or not isinstance(value, str) or not value.strip():
                    continue
                if category == NAME:
                    names.append(value)
                elif category != FILE:
                    literals.append((category, value))
        self.names: list[tuple[str, re.Pattern[str]]] = []
        for name in sorted(set(names), key=len, reverse=True):
            pattern = _name_pattern(name)
            if pattern is not None:
                self.names.append((_alnum(name), pattern))
        self.literals: list[tuple[str, str, re.Pattern[str]]] = []
        for category, value in sorted(set(literals), key=lambda cv: len(cv[1]), reverse=True):
            pattern = _value_pattern(value)
            if pattern is not None:
                self.literals.append((category, _alnum(value), pattern))
        self.known_digits = {key: c for c, key, _ in self.literals if key.isdigit()}

    def spans(self, text: str) -> list[tuple[int, int, str, str]]:
        """Every finding in *text* as ``(start, end, category, key)``, overlaps merged."""
        found: list[tuple[int, int, str, str]] = []
        for key, pattern in self.names:
            found.extend((m.start(), m.end(), NAME, key) for m in pattern.finditer(text))
        for category, key, pattern in self.literals:
            found.extend((m.start(), m.end(), category, key) for m in pattern.finditer(text))
        found.extend(
            (m.start(), m.end(), EMAIL, m.group().casefold()) for m in _EMAIL.finditer(text)
        )
        for m in _DIGIT_RUN.finditer(text):
            run = m.group()
            digits = _alnum(run)
            if sum(c.isdigit() for c in digits) < _MIN_DIGITS:
                continue
            if _AMOUNT.fullmatch(run) or _DATE.fullmatch(run):
                continue
            category = self.known_digits.get(digits, _digit_category(run))
            found.append((m.start(), m.end(), category, digits))
        for m in _CODE.finditer(text):
            code = m.group()
            if (
                sum(c.isdigit() for c in code) >= _MIN_CODE_DIGITS
                and any(c.isalpha() for c in code)
                and not _DATE.fullmatch(code)
            ):
                found.append((m.start(), m.end(), REFERENCE, _alnum(code)))
        # Earliest first, longest first at the same start; drop what overlaps a kept span.
        merged: list[tuple[int, int, str, str]] = []
        for span in sorted(found, key=lambda s: (s[0], -s[1])):
            if merged and span[0] < merged[-1][1]:
                if span[1] > merged[-1][1]:
                    last = merged[-1]
                    merged[-1] = (last[0], span[1], last[2], last[3])
                continue
            merged.append(span)
        return merged


@attrs.frozen
class _Plan:
    """What to withhold from one value: ``None`` (nothing), or the category and pieces."""

    category: str
    pieces: tuple[str | tuple[str, str], ...]  # literal text, or (category, key) to replace


class _Redactor:
    def __init__(self, entries: Sequence[LogEntry], options: Redaction, seed: bytes) -> None:
        self.finder = _Finder(entries, options)
        self.seed = seed
        self.labels: dict[tuple[str, str], str] = {}

    def plan(self, path: str, value: object) -> _Plan | None:  # noqa: PLR0911
        category = _path_category(path)
        if isinstance(value, str):
            if category is not None and value.strip():
                key = _alnum(value) if category != FILE else value
                if category == NAME:
                    key = next((k for k, p in self.finder.names if p.fullmatch(value)), key)
                return _Plan(category, ((category, key),))
            if _EXEMPT.fullmatch(path) or (
                _MONEY_PATH.fullmatch(path) and _MONEY_VALUE.fullmatch(value)
            ):
                return None
            return self.text_plan(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if "/plan/" in path and len(str(abs(value))) >= _MIN_DIGITS:
                return _Plan(NUMBER, ((NUMBER, str(abs(value))),))
            return None
        if isinstance(value, dict | list) and value:
            # A mapping with free-form keys is one committed value: withhold it whole.
            text = canonical_json(value).decode("utf-8")
            return _Plan(VALUE, ((VALUE, hashlib.sha256(text.encode()).hexdigest()),))
        return None

    def number(self, wanted: Iterable[tuple[str, str]]) -> None:
        """Give each new (category, key) its pseudonym, in a seed-shuffled order."""
        by_category: dict[str, set[str]] = {}
        for category, key in wanted:
            if (category, key) not in self.labels:
                by_category.setdefault(category, set()).add(key)
        for category, keys in by_category.items():
            order = sorted(
                keys,
                key=lambda k: hmac.new(self.seed, f"{category}\0{k}".encode(), "sha256").digest(),
            )
            start = 1 + sum(1 for c, _ in self.labels if c == category)
            for i, key in enumerate(order, start=start):
                self.labels[category, key] = f"[{category} {i}]"

    def text_plan(self, value: str) -> _Plan | None:
        spans = self.finder.spans(value)
        if not spans:
            return None
        pieces: list[str | tuple[str, str]] = []
        at = 0
        for start, end, cat, key in spans:
            pieces.extend([value[at:start], (cat, key)])
            at = end
        pieces.append(value[at:])
        return _Plan(spans[0][2], tuple(p for p in pieces if p != ""))

    def render(self, plan: _Plan) -> str:
        return "".join(p if isinstance(p, str) else self.labels[p] for p in plan.pieces)


def _set(tree: Any, path: str, value: object) -> None:  # noqa: ANN401
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
    node = tree
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _prepare(
    entries: Sequence[LogEntry], redaction: Redaction, salt: str | None
) -> tuple[_Redactor, list[dict[str, _Plan]], str]:
    if not isinstance(redaction, Redaction):
        raise ValidationError("redaction", "a Redaction", redaction)
    if salt is None:
        salt = secrets.token_hex(16)
    try:
        seed = bytes.fromhex(salt)
    except ValueError:
        raise ValidationError("salt", "a hex string", salt) from None
    for entry in entries:
        if entry.format == 1 or entry.salts is None:
            raise LogError(
                f"entry {entry.seq} uses record format 1, whose hash covers its values "
                "directly: a redacted copy would expose them to guessing, so it is not "
                "redacted; share a full export only with whom may see it"
            )
    redactor = _Redactor(entries, redaction, seed)
    plans: list[dict[str, _Plan]] = []
    for entry in entries:
        found = {}
        for path, value in entry.leaf_values().items():
            plan = redactor.plan(path, value)
            if plan is not None:
                found[path] = plan
        plans.append(found)
    redactor.number(
        p
        for found in plans
        for plan in found.values()
        for p in plan.pieces
        if not isinstance(p, str)
    )
    return redactor, plans, salt


def redact_texts(
    entries: Sequence[LogEntry],
    redaction: Redaction,
    texts: Sequence[str],
    *,
    salt: str,
) -> tuple[str, ...]:
    """Redact further *texts* (findings' messages) with the pseudonyms of *entries*.

    The same *salt* as the export's gives the same pseudonyms for the same values.
    """
    redactor, _, _ = _prepare(entries, redaction, salt)
    plans = [redactor.text_plan(text) for text in texts]
    redactor.number(p for plan in plans if plan for p in plan.pieces if not isinstance(p, str))
    return tuple(
        text if plan is None else redactor.render(plan)
        for text, plan in zip(texts, plans, strict=True)
    )


def redact_entries(
    entries: Sequence[LogEntry], redaction: Redaction, *, salt: str | None = None
) -> tuple[tuple[RedactedEntry, ...], RedactionReport]:
    """Return the entries as a redacted export shows them, and the report of what was withheld.

    :param salt: hex seed of the pseudonym numbering; random when omitted. The same
        seed, entries and options give the same result.
    :raises ~debtnegotiation.negotiation_log.LogError: for an entry of record format 1,
        or one whose salts are not known.
    """
    redactor, plans, salt = _prepare(entries, redaction, salt)
    result: list[RedactedEntry] = []
    fields: list[RedactedField] = []
    for entry, found in zip(entries, plans, strict=True):
        record = entry.to_record()
        values = entry.leaf_values()
        salts: Mapping[str, str] = entry.salts or {}
        withheld: dict[str, str] = {}
        for path, plan in found.items():
            shown = redactor.render(plan)
            digest = disclosure_digest(salts[path], path, values[path])
            withheld[path] = digest
            _set(record, path, shown)
            fields.append(
                RedactedField(
                    seq=entry.seq, field=path, category=plan.category, shown=shown, digest=digest
                )
            )
        disclosed = {p: s for p, s in salts.items() if p not in withheld}
        shown_entry = LogEntry.from_record(record, entry.hash, salts=disclosed)
        if shown_entry.to_record() != record:
            raise LogError(f"entry {entry.seq}: its redacted form does not read back")
        result.append(RedactedEntry(entry=shown_entry, withheld=withheld))
    return tuple(result), RedactionReport(salt=salt, fields=tuple(fields))
