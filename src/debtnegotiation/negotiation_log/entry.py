"""What one log entry records: the contact, its offers, commitments and attachments.

The fields are the union of what the source article says to record (time, agent name, key
points, screenshots and emails) and the call logs US legal-aid services recommend (Montana
Legal Services, "Debt Collector Phone Call Checklist"). :class:`Contact` is what the user
writes; :class:`LogEntry` is what the log stored: the contact plus its sequence number,
the attachment records and the hash chain.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import os
import re
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from debtnegotiation._validate import non_negative_int, positive_int, to_date
from debtnegotiation.contact_rules import Channel
from debtnegotiation.errors import ValidationError
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log.canonical import record_hash, to_json_value
from debtnegotiation.negotiation_log.commitment import (
    committed_record,
    draw_salts,
    is_salt,
    record_leaves,
)

__all__ = [
    "RECORD_FORMAT",
    "RECORD_FORMATS",
    "Agreement",
    "Attachment",
    "AttachmentFile",
    "Channel",
    "Commitment",
    "CommitmentStatus",
    "CommitmentUpdate",
    "Contact",
    "Counterpart",
    "Direction",
    "LogEntry",
    "Offer",
    "Party",
    "Payment",
    "ScheduledPayment",
]

#: Version of the record layout of new entries; part of every hashed record. Format 1
#: hashed the values themselves; format 2 hashes salted commitments to them (see
#: :mod:`~debtnegotiation.negotiation_log.commitment`). Logs keep and verify both.
RECORD_FORMAT = 2

#: Every record format this version reads and verifies.
RECORD_FORMATS = (1, 2)

_SHA256 = re.compile(r"[0-9a-f]{64}")

_E = TypeVar("_E", bound=enum.Enum)
_T = TypeVar("_T")


def _enum_converter(kind: type[_E], field: str, value: object) -> _E:
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in kind)
        raise ValidationError(field, f"one of {allowed}", value) from None


def _v(check: Callable[[str, Any], object], field: str) -> Callable[[object, object, Any], None]:
    """Make an attrs validator that runs ``check(field, value)``, which raises on failure."""

    def validate(_instance: object, _attribute: object, value: Any) -> None:  # noqa: ANN401
        check(field, value)

    return validate


def _as_tuple(value: object) -> Any:  # noqa: ANN401
    """Turn a list into a tuple; anything else is left for the validator to refuse."""
    return tuple(value) if isinstance(value, list | tuple) else value


def _lenient(kind: type[_E], value: object) -> object:
    try:
        return kind(value)
    except ValueError:
        return value  # the validator names the field and the allowed values


def _to_path(value: object) -> Any:  # noqa: ANN401
    return Path(value) if isinstance(value, str | os.PathLike) else value


class Direction(enum.Enum):
    """Who started the contact: the counterpart (inbound) or the borrower (outbound)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Party(enum.Enum):
    """A side of the negotiation: the borrower or the counterpart (lender, collector)."""

    BORROWER = "borrower"
    COUNTERPART = "counterpart"


class CommitmentStatus(enum.Enum):
    """Where a commitment stands; changed only by later entries (:class:`CommitmentUpdate`)."""

    OPEN = "open"
    FULFILLED = "fulfilled"
    BROKEN = "broken"
    CANCELLED = "cancelled"


def _to_channel(value: object) -> Any:  # noqa: ANN401
    return _lenient(Channel, value)


def _to_direction(value: object) -> Any:  # noqa: ANN401
    return _lenient(Direction, value)


def _to_party(value: object) -> Any:  # noqa: ANN401
    return _lenient(Party, value)


def _to_status(value: object) -> Any:  # noqa: ANN401
    return _lenient(CommitmentStatus, value)


def _text(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, "a str", value)
    return value


def _texts(field: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValidationError(field, "a list of str", value)
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ValidationError(f"{field}[{i}]", "a str", item)
    return tuple(value)


def _items(kind: type[_T], field: str, value: object) -> tuple[_T, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValidationError(field, f"a list of {kind.__name__}", value)
    for i, item in enumerate(value):
        if not isinstance(item, kind):
            raise ValidationError(f"{field}[{i}]", f"a {kind.__name__}", item)
    return tuple(value)


def _optional_bool(field: str, value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise ValidationError(field, "True, False or None (not known)", value)
    return value


def _optional_money(field: str, value: object) -> Money | None:
    if value is not None and not isinstance(value, Money):
        raise ValidationError(field, "a Money or None", value)
    return value


def _aware(field: str, value: object) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise ValidationError(field, "a datetime with a time zone", value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            field,
            "a timestamp with its time zone, e.g. datetime(..., tzinfo=ZoneInfo("
            "'Asia/Shanghai')); naive datetimes are ambiguous",
            value,
        )
    return value


#: Field names of each value class, in definition order (what attrs.asdict iterates).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(a.name for a in attrs.fields(kind))
    return names


def _shallow(instance: Any) -> dict[str, Any]:  # noqa: ANN401
    """``attrs.asdict(instance, recurse=False)``, without its generic machinery.

    For the value classes of a record (Counterpart, Commitment, CommitmentUpdate,
    Attachment), whose fields hold no attrs instance or collection, this is also
    ``attrs.asdict(instance)``; the record's to_json_value converts the values either
    way (tests/log/test_log_verify_fast.py checks the equality for every such class).
    """
    return {name: getattr(instance, name) for name in _field_names(type(instance))}


@attrs.frozen(kw_only=True)
class Counterpart:
    """The person and organisation on the other side.

    :param name: the agent's name as they gave it.
    :param employee_id: the agent's employee or badge number.
    :param organisation: the bank, platform, collection agency or law firm.
    :param phone: the number (or address) used for the contact.
    :param role: the organisation's role: creditor, collector, agency, …
    """

    name: str = attrs.field(default="", validator=_v(_text, "counterpart.name"))
    employee_id: str = attrs.field(default="", validator=_v(_text, "counterpart.employee_id"))
    organisation: str = attrs.field(default="", validator=_v(_text, "counterpart.organisation"))
    phone: str = attrs.field(default="", validator=_v(_text, "counterpart.phone"))
    role: str = attrs.field(default="", validator=_v(_text, "counterpart.role"))


def _json_mapping(field: str, value: object) -> dict[str, Any] | None:
    """An optional plan snapshot: a mapping of JSON-ready data, or None."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError(field, "a mapping of JSON-ready data or None", value)
    converted = to_json_value(value, field)
    assert isinstance(converted, dict)  # noqa: S101  (a Mapping converts to a dict)
    return converted


def _plan(value: object) -> dict[str, Any] | None:
    return _json_mapping("offer.plan", value)


def _optional_months(value: object) -> int | None:
    return None if value is None else positive_int("offer.months", value)


@attrs.frozen(kw_only=True)
class Offer:
    """An offer made or received during the contact.

    :param by: who made the offer.
    :param summary: the offer in the words used.
    :param monthly_payment: the installment offered, if stated.
    :param months: the number of installments, if stated.
    :param total: the total to be paid, if stated.
    :param plan: a JSON-ready snapshot of a computed plan (``Plan.to_dict()``); stored as
        plain JSON data (decimals become strings) and hashed with the entry.
    """

    by: Party = attrs.field(
        converter=_to_party, validator=_v(functools.partial(_enum_converter, Party), "offer.by")
    )
    summary: str = attrs.field(default="", validator=_v(_text, "offer.summary"))
    monthly_payment: Money | None = attrs.field(
        default=None, validator=_v(_optional_money, "offer.monthly_payment")
    )
    months: int | None = attrs.field(default=None, converter=_optional_months)
    total: Money | None = attrs.field(default=None, validator=_v(_optional_money, "offer.total"))
    plan: dict[str, Any] | None = attrs.field(default=None, converter=_plan, hash=False)


def _optional_due(value: object) -> dt.date | None:
    return None if value is None else to_date("commitment.due", value)


@attrs.frozen(kw_only=True)
class Commitment:
    """A promise made during the contact: "we will call you back by Friday".

    :param by: who promised.
    :param what: what was promised.
    :param due: by when, if a date was given.
    :param status: its status when recorded; later changes come from
        :class:`CommitmentUpdate` in later entries.
    """

    by: Party = attrs.field(
        converter=_to_party,
        validator=_v(functools.partial(_enum_converter, Party), "commitment.by"),
    )
    what: str = attrs.field(validator=_v(_text, "commitment.what"))
    due: dt.date | None = attrs.field(default=None, converter=_optional_due)
    status: CommitmentStatus = attrs.field(
        default=CommitmentStatus.OPEN,
        converter=_to_status,
        validator=_v(functools.partial(_enum_converter, CommitmentStatus), "commitment.status"),
    )


@attrs.frozen(kw_only=True)
class CommitmentUpdate:
    """A later entry's statement that a commitment's status changed.

    :param entry: sequence number of the entry that recorded the commitment (if that
        entry was corrected, the original's number; the corrected list is used).
    :param index: position of the commitment in that entry's list, from 0.
    :param status: the new status.
    :param note: how it was met or broken.
    """

    entry: int = attrs.field(validator=_v(positive_int, "commitment_update.entry"))
    index: int = attrs.field(validator=_v(non_negative_int, "commitment_update.index"))
    status: CommitmentStatus = attrs.field(
        converter=_to_status,
        validator=_v(
            functools.partial(_enum_converter, CommitmentStatus), "commitment_update.status"
        ),
    )
    note: str = attrs.field(default="", validator=_v(_text, "commitment_update.note"))


@attrs.frozen(kw_only=True)
class AttachmentFile:
    """A file to attach when appending, with an optional media type.

    Plain paths are accepted too; this class only lets you state the media type when it
    cannot be guessed from the file name.

    :param path: the file to copy into the log's store.
    :param media_type: e.g. ``audio/mp4``; guessed from the name when empty.
    """

    path: Path = attrs.field(converter=_to_path)
    media_type: str = attrs.field(default="", validator=_v(_text, "attachment.media_type"))


def _sha256(value: object) -> str:
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        raise ValidationError("attachment.sha256", "64 lowercase hex digits", value)
    return value


@attrs.frozen(kw_only=True)
class Attachment:
    """A file stored with an entry, identified by its SHA-256.

    Only the file's base name is kept, never its original path.

    :param name: the original file name.
    :param media_type: the file's media type.
    :param size: size in bytes.
    :param sha256: SHA-256 of the content, lowercase hex.
    """

    name: str = attrs.field(validator=_v(_text, "attachment.name"))
    media_type: str = attrs.field(validator=_v(_text, "attachment.media_type"))
    size: int = attrs.field(validator=_v(non_negative_int, "attachment.size"))
    sha256: str = attrs.field(converter=_sha256)


def _optional_seq(value: object) -> int | None:
    return None if value is None else positive_int("corrects", value)


@attrs.frozen(kw_only=True)
class Contact:
    """One contact with a lender or collector, as the borrower records it.

    :param at: when it happened, with its time zone (naive datetimes are refused).
    :param channel: phone, app chat, email, letter, SMS or in person.
    :param direction: inbound (they contacted you) or outbound.
    :param counterpart: who was on the other side.
    :param account_reference: the account or case number they used.
    :param summary: what was said, in short.
    :param key_points: key statements, quoted verbatim where possible.
    :param offers: offers made and received.
    :param commitments: promises made by either side.
    :param commitment_updates: status changes of commitments recorded earlier.
    :param recorded: whether the call was recorded (``None``: not stated).
    :param consent_announced: whether recording was announced or consented to
        (US states differ on one-party and all-party consent, 18 U.S.C. §2511(2)(d) being
        the federal one-party rule; a Chinese court weighs a covert recording under SPC
        Civil Procedure Interpretation Art. 106).
    :param answered: for attempts, whether the call was answered (the China frequency
        guideline of the China Banking Association counts unanswered attempts).
    :param corrects: sequence number of the entry this one corrects, if any.
    :param agreement: an agreed repayment plan this contact records (see :class:`Agreement`).
    :param payment: a payment made under an agreed plan (see :class:`Payment`).
    """

    at: dt.datetime = attrs.field(validator=_v(_aware, "at"))
    channel: Channel = attrs.field(
        converter=_to_channel, validator=_v(functools.partial(_enum_converter, Channel), "channel")
    )
    direction: Direction = attrs.field(
        converter=_to_direction,
        validator=_v(functools.partial(_enum_converter, Direction), "direction"),
    )
    counterpart: Counterpart = attrs.field(factory=Counterpart)
    account_reference: str = attrs.field(default="", validator=_v(_text, "account_reference"))
    summary: str = attrs.field(default="", validator=_v(_text, "summary"))
    key_points: tuple[str, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_v(_texts, "key_points")
    )
    offers: tuple[Offer, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_v(functools.partial(_items, Offer), "offers")
    )
    commitments: tuple[Commitment, ...] = attrs.field(
        default=(),
        converter=_as_tuple,
        validator=_v(functools.partial(_items, Commitment), "commitments"),
    )
    commitment_updates: tuple[CommitmentUpdate, ...] = attrs.field(
        default=(),
        converter=_as_tuple,
        validator=_v(functools.partial(_items, CommitmentUpdate), "commitment_updates"),
    )
    recorded: bool | None = attrs.field(default=None, validator=_v(_optional_bool, "recorded"))
    consent_announced: bool | None = attrs.field(
        default=None, validator=_v(_optional_bool, "consent_announced")
    )
    answered: bool | None = attrs.field(default=None, validator=_v(_optional_bool, "answered"))
    corrects: int | None = attrs.field(default=None, converter=_optional_seq)
    agreement: Agreement | None = attrs.field(default=None)
    payment: Payment | None = attrs.field(default=None)

    @agreement.validator
    def _check_agreement(self, _attribute: object, value: object) -> None:
        if value is not None and not isinstance(value, Agreement):
            raise ValidationError("agreement", "an Agreement or None", value)

    @payment.validator
    def _check_payment(self, _attribute: object, value: object) -> None:
        if value is not None and not isinstance(value, Payment):
            raise ValidationError("payment", "a Payment or None", value)

    @counterpart.validator
    def _check_counterpart(self, _attribute: object, value: object) -> None:
        if not isinstance(value, Counterpart):
            raise ValidationError("counterpart", "a Counterpart", value)

    def to_record(self) -> dict[str, Any]:
        """Return the contact as plain JSON data (the ``contact`` part of a record)."""
        zone = self.at.tzinfo.key if isinstance(self.at.tzinfo, zoneinfo.ZoneInfo) else None
        data = {
            "at": self.at,
            "zone": zone,
            "channel": self.channel,
            "direction": self.direction,
            "counterpart": _shallow(self.counterpart),
            "account_reference": self.account_reference,
            "summary": self.summary,
            "key_points": self.key_points,
            "offers": [_shallow(o) for o in self.offers],
            "commitments": [_shallow(c) for c in self.commitments],
            "commitment_updates": [_shallow(u) for u in self.commitment_updates],
            "recorded": self.recorded,
            "consent_announced": self.consent_announced,
            "answered": self.answered,
            "corrects": self.corrects,
        }
        # Only when set, so that the records (and hashes) of existing logs are unchanged.
        if self.agreement is not None:
            data["agreement"] = self.agreement.to_record()
        if self.payment is not None:
            data["payment"] = _shallow(self.payment)
        result = to_json_value(data, "contact")
        assert isinstance(result, dict)  # noqa: S101  (a dict converts to a dict)
        return result

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> Contact:
        """Rebuild a contact from :meth:`to_record` output.

        :raises ~debtnegotiation.errors.ValidationError: when a field is missing or malformed.
        """
        try:
            at = dt.datetime.fromisoformat(data["at"])
            if data["zone"] is not None:
                at = at.astimezone(zoneinfo.ZoneInfo(data["zone"]))
            return cls(
                at=at,
                channel=data["channel"],
                direction=data["direction"],
                counterpart=Counterpart(**data["counterpart"]),
                account_reference=data["account_reference"],
                summary=data["summary"],
                key_points=data["key_points"],
                offers=[
                    Offer(
                        by=o["by"],
                        summary=o["summary"],
                        monthly_payment=_money(o["monthly_payment"]),
                        months=o["months"],
                        total=_money(o["total"]),
                        plan=o["plan"],
                    )
                    for o in data["offers"]
                ],
                commitments=[Commitment(**c) for c in data["commitments"]],
                commitment_updates=[CommitmentUpdate(**u) for u in data["commitment_updates"]],
                recorded=data["recorded"],
                consent_announced=data["consent_announced"],
                answered=data["answered"],
                corrects=data["corrects"],
                agreement=_agreement_of(data.get("agreement")),
                payment=_payment_of(data.get("payment")),
            )
        except (KeyError, TypeError, ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
            if isinstance(exc, ValidationError):
                raise
            raise ValidationError("contact", "a contact record", exc) from exc


def _money(value: Mapping[str, str] | None) -> Money | None:
    return None if value is None else Money(value["amount"], value["currency"])


def _salt_map(value: object) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and is_salt(v) for k, v in value.items()
    ):
        raise ValidationError("salts", "a mapping of value paths to 32 hex digits", value)
    return dict(value)


@attrs.frozen(kw_only=True)
class LogEntry:
    """An entry as stored: the contact, its attachments, and its place in the chain.

    :param seq: sequence number, from 1, gap-free.
    :param prev_hash: hash of the previous entry (:data:`GENESIS_HASH` for the first).
    :param hash: this entry's hash, ``SHA-256`` of the canonical hashed record.
    :param appended_at: when the log stored the entry (UTC, from the log's clock).
    :param contact: what the borrower recorded.
    :param attachments: files stored with the entry.
    :param format: the record format (1: values hashed directly; 2: salted commitments).
    :param salts: for format 2, the secret salt of each committed value by its path
        (``None`` when not known, e.g. an entry read from a redacted export). Salts are
        never shown in ``repr`` and leave the log only in a full export.
    """

    seq: int
    prev_hash: str
    hash: str
    appended_at: dt.datetime
    contact: Contact
    attachments: tuple[Attachment, ...] = ()
    format: int = RECORD_FORMAT
    salts: dict[str, str] | None = attrs.field(
        default=None, converter=_salt_map, repr=False, hash=False
    )

    @property
    def corrects(self) -> int | None:
        """The sequence number this entry corrects, or ``None``."""
        return self.contact.corrects

    def to_record(self) -> dict[str, Any]:
        """Return the plain record: the entry's values, everything but its hash and salts.

        For format 1 this is also the hashed record; for format 2 the hash covers
        :meth:`hashed_record`.
        """
        # The contact's record is already plain JSON data, which to_json_value would only
        # copy (it is the identity on such data): only the other fields are converted.
        contact = self.contact.to_record()
        result = to_json_value(
            {
                "format": self.format,
                "seq": self.seq,
                "prev_hash": self.prev_hash,
                "appended_at": self.appended_at,
                "contact": None,
                "attachments": [_shallow(a) for a in self.attachments],
            },
            "record",
        )
        assert isinstance(result, dict)  # noqa: S101  (a dict converts to a dict)
        result["contact"] = contact
        return result

    def hashed_record(self) -> dict[str, Any]:
        """Return the record the entry's hash covers.

        :raises ~debtnegotiation.errors.ValidationError: for a format-2 entry whose salts
            are not known.
        """
        record = self.to_record()
        if self.format == 1:
            return record
        if self.salts is None:
            raise ValidationError("salts", "the salts of a format-2 entry", None)
        try:
            return committed_record(record, self.salts)
        except KeyError as exc:
            raise ValidationError("salts", "a salt for every value", str(exc)) from None

    def to_stored(self) -> dict[str, Any]:
        """Return what the log stores: the plain record and, for format 2, its salts."""
        record = self.to_record()
        if self.format == 2:
            record["salts"] = dict(sorted((self.salts or {}).items()))
        return record

    @classmethod
    def build(
        cls,
        *,
        seq: int,
        prev_hash: str,
        appended_at: dt.datetime,
        contact: Contact,
        attachments: Sequence[Attachment] = (),
    ) -> LogEntry:
        """Create a format-2 entry: draw a salt per value and hash the committed record."""
        draft = cls(
            seq=seq,
            prev_hash=prev_hash,
            hash="",
            appended_at=appended_at,
            contact=contact,
            attachments=tuple(attachments),
        )
        draft = attrs.evolve(draft, salts=draw_salts(draft.to_record()))
        return attrs.evolve(draft, hash=record_hash(draft.hashed_record()))

    @classmethod
    def from_record(
        cls,
        record: Mapping[str, Any],
        entry_hash: str,
        salts: Mapping[str, str] | None = None,
    ) -> LogEntry:
        """Rebuild an entry from its plain (or stored) record; the hash is not checked here.

        :param salts: the salts of a format-2 entry; taken from the record's ``salts``
            key (the stored form) when not given.
        :raises ~debtnegotiation.errors.ValidationError: when the record is malformed.
        """
        try:
            version = record["format"]
            if version not in RECORD_FORMATS or isinstance(version, bool):
                raise ValidationError("record.format", "1 or 2", version)
            if salts is None and version == 2:
                salts = record.get("salts")
            return cls(
                seq=positive_int("record.seq", record["seq"]),
                prev_hash=record["prev_hash"],
                hash=entry_hash,
                appended_at=dt.datetime.fromisoformat(record["appended_at"]),
                contact=Contact.from_record(record["contact"]),
                attachments=tuple(Attachment(**a) for a in record["attachments"]),
                format=version,
                salts=None if version == 1 else salts,
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                raise
            raise ValidationError("record", "a log entry record", exc) from exc

    def leaf_values(self) -> dict[str, Any]:
        """Every committed value of the entry by its path (see ``commitment``)."""
        return record_leaves(self.to_record())


# --- keeping an agreed plan -----------------------------------------------------------


def _positive_money(field: str, value: object) -> Money:
    if not isinstance(value, Money):
        raise ValidationError(field, "a Money", value)
    if value.amount <= 0 or not value.is_rounded():
        raise ValidationError(field, "a positive amount in whole minor units", value)
    return value


def _schedule_due(value: object) -> dt.date:
    return to_date("agreement.schedule.due", value)


def _paid_on(value: object) -> dt.date:
    return to_date("payment.paid_on", value)


@attrs.frozen(kw_only=True)
class ScheduledPayment:
    """One payment an agreement says is due.

    :param due: the due date.
    :param amount: what is due on it, in whole minor units.
    """

    due: dt.date = attrs.field(converter=_schedule_due)
    amount: Money = attrs.field(validator=_v(_positive_money, "agreement.schedule.amount"))


def _schedule(value: object) -> tuple[ScheduledPayment, ...]:
    items = _items(ScheduledPayment, "agreement.schedule", _as_tuple(value))
    if not items:
        raise ValidationError("agreement.schedule", "at least one scheduled payment", value)
    for i, (before, after) in enumerate(itertools.pairwise(items), start=1):
        if after.due <= before.due:
            raise ValidationError(
                f"agreement.schedule[{i}].due", f"a date after {before.due}", after.due
            )
        if after.amount.currency != items[0].amount.currency:
            raise ValidationError(
                f"agreement.schedule[{i}].amount",
                f"an amount in {items[0].amount.currency}",
                after.amount,
            )
    return items


def _agreement_plan(value: object) -> dict[str, Any] | None:
    return _json_mapping("agreement.plan", value)


def _optional_lapse(value: object) -> int | None:
    return None if value is None else positive_int("agreement.lapses_after_missed", value)


def _lender(field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, "the lender's name (non-empty text)", value)
    return value


@attrs.frozen(kw_only=True)
class Agreement:
    """A repayment plan agreed with a lender, and what the agreement says about lapses.

    Recorded in a log entry (the ``agreement`` field of a :class:`Contact`), so it is
    hash-chained like any other contact; :func:`~debtnegotiation.negotiation_log.track`
    reads it back.

    :param lender: who the plan was agreed with.
    :param schedule: the payments due, in due-date order, one currency.
    :param plan: a JSON-ready snapshot of the agreed plan
        (``debtnegotiation.serialize.to_data(plan)``), kept as evidence of what was agreed.
    :param grace_days: days after a due date a payment still counts as on time.
    :param lapses_after_missed: the agreement lapses once this many payments are missed
        (``None``: the agreement does not say).
    :param if_late: what the agreement says happens when a payment is late, in its words.
    :param if_missed: what it says happens when a payment is missed.
    """

    lender: str = attrs.field(validator=_v(_lender, "agreement.lender"))
    schedule: tuple[ScheduledPayment, ...] = attrs.field(converter=_schedule)
    plan: dict[str, Any] | None = attrs.field(default=None, converter=_agreement_plan, hash=False)
    grace_days: int = attrs.field(default=0, validator=_v(non_negative_int, "agreement.grace_days"))
    lapses_after_missed: int | None = attrs.field(default=None, converter=_optional_lapse)
    if_late: str = attrs.field(default="", validator=_v(_text, "agreement.if_late"))
    if_missed: str = attrs.field(default="", validator=_v(_text, "agreement.if_missed"))

    @property
    def currency(self) -> str:
        """The currency of the schedule."""
        return self.schedule[0].amount.currency

    def to_record(self) -> dict[str, Any]:
        """Return the agreement as plain JSON data (the ``agreement`` part of a contact)."""
        data = attrs.asdict(self, recurse=False)
        data["schedule"] = [attrs.asdict(p, recurse=False) for p in self.schedule]
        result = to_json_value(data, "agreement")
        assert isinstance(result, dict)  # noqa: S101  (a dict converts to a dict)
        return result


@attrs.frozen(kw_only=True)
class Payment:
    """A payment made under an agreed plan.

    :param amount: what was paid, in whole minor units.
    :param paid_on: the day it was paid (the day the lender received it, if known).
    :param agreement: sequence number of the entry recording the agreement it pays
        (``None``: the latest agreement in the log).
    :param reference: the payment or transfer reference.
    """

    amount: Money = attrs.field(validator=_v(_positive_money, "payment.amount"))
    paid_on: dt.date = attrs.field(converter=_paid_on)
    agreement: int | None = attrs.field(default=None)
    reference: str = attrs.field(default="", validator=_v(_text, "payment.reference"))

    @agreement.validator
    def _check_agreement(self, _attribute: object, value: object) -> None:
        if value is not None:
            positive_int("payment.agreement", value)


def _agreement_of(data: Mapping[str, Any] | None) -> Agreement | None:
    if data is None:
        return None
    fields = dict(data)
    fields["schedule"] = [
        ScheduledPayment(due=p["due"], amount=Money(p["amount"]["amount"], p["amount"]["currency"]))
        for p in data["schedule"]
    ]
    return Agreement(**fields)


def _payment_of(data: Mapping[str, Any] | None) -> Payment | None:
    if data is None:
        return None
    fields = dict(data)
    fields["amount"] = Money(data["amount"]["amount"], data["amount"]["currency"])
    return Payment(**fields)
