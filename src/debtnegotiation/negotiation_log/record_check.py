"""Whether the entry model writes a parsed record back unchanged, without rebuilding it.

Verification must know that a stored record is one this library writes: that
``LogEntry.from_record(record, ...).to_record()`` succeeds and equals *record* type for
type (no unknown field, no missing one, no value the model would refuse or rewrite).
Rebuilding the attrs model and writing it back proves it, at about 90 µs an entry.
:func:`model_writes` answers the same question by checking the record's structure
directly, field by field, with the model's own rules:

* every mapping of the model has exactly the keys the model writes (a missing key would
  be filled with a default, an extra one dropped, so either makes the texts differ);
* strings, whole numbers and booleans have their exact JSON types (``true`` is not
  ``1``; a float is never accepted, the model refuses floats);
* enumerations are one of their values; dates and timestamps are the text the model
  writes back for them (``date.fromisoformat(text).isoformat() == text``, and the
  timestamp converted to the recorded zone);
* money is checked by the model itself (``Money(amount, currency)`` written back),
  remembered by its pair of strings: a pure function of them;
* a plan snapshot is plain JSON data without floats (the model's ``to_json_value``
  copies such data unchanged).

It answers ``True`` only when it can prove the model writes the record back unchanged;
``False`` means "not proven", and the caller then asks the model itself. Records with
an agreement or a payment (rare: one per agreement and per payment) are always left to
the model. Nothing is cached about a record: each call re-derives the answer from the
data. tests/log/test_log_verify_fast.py checks the equivalence on records written by the
model and on random edits of them.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any, Final

from debtnegotiation.contact_rules import Channel
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log.entry import (
    RECORD_FORMATS,
    CommitmentStatus,
    Direction,
    Party,
)

__all__ = ["model_writes"]

_RECORD_KEYS: Final = frozenset(
    {"format", "seq", "prev_hash", "appended_at", "contact", "attachments"}
)
_CONTACT_KEYS: Final = frozenset(
    {
        "at",
        "zone",
        "channel",
        "direction",
        "counterpart",
        "account_reference",
        "summary",
        "key_points",
        "offers",
        "commitments",
        "commitment_updates",
        "recorded",
        "consent_announced",
        "answered",
        "corrects",
    }
)
_COUNTERPART_KEYS: Final = frozenset({"name", "employee_id", "organisation", "phone", "role"})
_ATTACHMENT_KEYS: Final = frozenset({"name", "media_type", "size", "sha256"})
_OFFER_KEYS: Final = frozenset({"by", "summary", "monthly_payment", "months", "total", "plan"})
_COMMITMENT_KEYS: Final = frozenset({"by", "what", "due", "status"})
_UPDATE_KEYS: Final = frozenset({"entry", "index", "status", "note"})
_MONEY_KEYS: Final = frozenset({"amount", "currency"})

_CHANNELS: Final = frozenset(m.value for m in Channel)
_DIRECTIONS: Final = frozenset(m.value for m in Direction)
_PARTIES: Final = frozenset(m.value for m in Party)
_STATUSES: Final = frozenset(m.value for m in CommitmentStatus)
_FORMATS: Final = frozenset(RECORD_FORMATS)

#: What ``Attachment``'s converter accepts for a SHA-256 (``entry._SHA256``).
_SHA256: Final = re.compile(r"[0-9a-f]{64}")

#: ``(amount, currency)`` -> whether ``Money`` writes the pair back unchanged. A pure
#: function of the two strings (the model's answer), bounded; never about a record.
_MONEY: dict[tuple[str, str], bool] = {}
_MONEY_MAX: Final = 4096


def _money(value: Any) -> bool:  # noqa: ANN401
    """Whether *value* is a money record ``Money`` reads and writes back unchanged."""
    if type(value) is not dict or value.keys() != _MONEY_KEYS:
        return False
    amount, currency = value["amount"], value["currency"]
    if type(amount) is not str or type(currency) is not str:
        return False
    key = (amount, currency)
    known = _MONEY.get(key)
    if known is None:
        try:
            money = Money(amount, currency)
            known = str(money.amount) == amount and money.currency == currency
        except Exception:  # noqa: BLE001 - any refusal means "not proven"
            known = False
        if len(_MONEY) >= _MONEY_MAX:
            _MONEY.clear()
        _MONEY[key] = known
    return known


def _optional_money(value: Any) -> bool:  # noqa: ANN401
    return value is None or _money(value)


def _date(value: Any) -> bool:  # noqa: ANN401
    """Whether *value* is the text ``to_date`` reads and ``isoformat`` writes back."""
    if type(value) is not str:
        return False
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _timestamp(value: Any, zone: Any) -> bool:  # noqa: ANN401
    """Whether *value* is an aware timestamp written back unchanged, in *zone* if given."""
    if type(value) is not str:
        return False
    try:
        at = dt.datetime.fromisoformat(value)
        if zone is not None:
            if type(zone) is not str:
                return False
            at = at.astimezone(zoneinfo.ZoneInfo(zone))
    except Exception:  # noqa: BLE001 - any refusal means "not proven"
        return False
    return at.utcoffset() is not None and at.isoformat() == value


def _plain_json(value: Any) -> bool:  # noqa: ANN401
    """Whether *value* holds only what ``to_json_value`` copies unchanged (no float)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is list:
        return all(_plain_json(item) for item in value)
    if kind is dict:
        return all(_plain_json(item) for item in value.values())
    return False


def _optional_positive(value: Any) -> bool:  # noqa: ANN401
    return value is None or (type(value) is int and value > 0)


def _optional_bool(value: Any) -> bool:  # noqa: ANN401
    return value is None or type(value) is bool


def _all_str(values: Any) -> bool:  # noqa: ANN401
    return all(type(v) is str for v in values)


def _attachment(item: Any) -> bool:  # noqa: ANN401
    if type(item) is not dict or item.keys() != _ATTACHMENT_KEYS:
        return False
    size, sha = item["size"], item["sha256"]
    return (
        type(item["name"]) is str
        and type(item["media_type"]) is str
        and type(size) is int
        and size >= 0
        and type(sha) is str
        and _SHA256.fullmatch(sha) is not None
    )


def _offer(item: Any) -> bool:  # noqa: ANN401
    if type(item) is not dict or item.keys() != _OFFER_KEYS:
        return False
    by, plan = item["by"], item["plan"]
    return (
        type(by) is str
        and by in _PARTIES
        and type(item["summary"]) is str
        and _optional_money(item["monthly_payment"])
        and _optional_positive(item["months"])
        and _optional_money(item["total"])
        and (plan is None or (type(plan) is dict and _plain_json(plan)))
    )


def _commitment(item: Any) -> bool:  # noqa: ANN401
    if type(item) is not dict or item.keys() != _COMMITMENT_KEYS:
        return False
    by, due, status = item["by"], item["due"], item["status"]
    return (
        type(by) is str
        and by in _PARTIES
        and type(item["what"]) is str
        and (due is None or _date(due))
        and type(status) is str
        and status in _STATUSES
    )


def _update(item: Any) -> bool:  # noqa: ANN401
    if type(item) is not dict or item.keys() != _UPDATE_KEYS:
        return False
    entry, index, status = item["entry"], item["index"], item["status"]
    return (
        type(entry) is int
        and entry > 0
        and type(index) is int
        and index >= 0
        and type(status) is str
        and status in _STATUSES
        and type(item["note"]) is str
    )


def _list_of(value: Any, check: Any) -> bool:  # noqa: ANN401
    return type(value) is list and all(check(item) for item in value)


def _contact(data: Any) -> bool:  # noqa: ANN401
    if type(data) is not dict or data.keys() != _CONTACT_KEYS:
        return False  # (also every contact with an agreement or a payment: the model decides)
    counterpart = data["counterpart"]
    channel, direction = data["channel"], data["direction"]
    return (
        _timestamp(data["at"], data["zone"])
        and type(channel) is str
        and channel in _CHANNELS
        and type(direction) is str
        and direction in _DIRECTIONS
        and type(counterpart) is dict
        and counterpart.keys() == _COUNTERPART_KEYS
        and _all_str(counterpart.values())
        and type(data["account_reference"]) is str
        and type(data["summary"]) is str
        and type(data["key_points"]) is list
        and _all_str(data["key_points"])
        and _list_of(data["offers"], _offer)
        and _list_of(data["commitments"], _commitment)
        and _list_of(data["commitment_updates"], _update)
        and _optional_bool(data["recorded"])
        and _optional_bool(data["consent_announced"])
        and _optional_bool(data["answered"])
        and _optional_positive(data["corrects"])
    )


def model_writes(record: Any) -> bool:  # noqa: ANN401
    """Whether ``LogEntry.from_record(record, h).to_record()`` is *record*, type for type.

    *record* is a plain record (no ``salts`` or ``withheld``) as ``json.loads``
    returns it. ``True`` is a proof; ``False`` means only "not proven here" (see the
    module documentation).
    """
    if type(record) is not dict or record.keys() != _RECORD_KEYS:
        return False
    version, seq = record["format"], record["seq"]
    return (
        type(version) is int
        and version in _FORMATS
        and type(seq) is int
        and seq > 0
        and type(record["prev_hash"]) is str
        and _timestamp(record["appended_at"], None)
        and _list_of(record["attachments"], _attachment)
        and _contact(record["contact"])
    )
