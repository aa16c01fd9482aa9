"""The direct structural check says what rebuilding the entry model says.

``record_check.model_writes`` stands in for rebuilding a record with the attrs model and
writing it back (``LogEntry.from_record(...).to_record()``) during verification. It must
never accept what the model would refuse or rewrite, and it must accept what the log
writes (or the shortcut would never be taken). These tests compare it with the model on
records the model writes, and on random edits of them of the kinds a forger would try.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    GENESIS_HASH,
    Agreement,
    Attachment,
    Channel,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Contact,
    Counterpart,
    Direction,
    LogEntry,
    NegotiationLog,
    Offer,
    Party,
    Payment,
    ScheduledPayment,
    record_check,
)
from debtnegotiation.negotiation_log import verify as verify_module
from debtnegotiation.negotiation_log.canonical import canonical_text
from debtnegotiation.negotiation_log.record_check import model_writes

_ZONES = [
    ZoneInfo("Asia/Shanghai"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Europe/London"),
    dt.UTC,
    dt.timezone(dt.timedelta(hours=5, minutes=30)),
    dt.timezone(dt.timedelta(hours=-3)),
]
_TIMES = st.datetimes(
    min_value=dt.datetime(1990, 1, 1),  # noqa: DTZ001 - naive bounds, zones drawn
    max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from(_ZONES),
    allow_imaginary=False,
)
_TEXT = st.text(max_size=12)
_MONEY = st.builds(
    Money,
    st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False),
    st.sampled_from(["CNY", "USD", "EUR"]),
)
_PLAIN = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _TEXT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)
_OFFERS = st.builds(
    Offer,
    by=st.sampled_from(Party),
    summary=_TEXT,
    monthly_payment=st.none() | _MONEY,
    months=st.none() | st.integers(min_value=1, max_value=600),
    total=st.none() | _MONEY,
    plan=st.none() | st.dictionaries(_TEXT, _PLAIN, max_size=3),
)
_COMMITMENTS = st.builds(
    Commitment,
    by=st.sampled_from(Party),
    what=_TEXT,
    due=st.none() | st.dates(),
    status=st.sampled_from(CommitmentStatus),
)
_UPDATES = st.builds(
    CommitmentUpdate,
    entry=st.integers(min_value=1, max_value=10**6),
    index=st.integers(min_value=0, max_value=50),
    status=st.sampled_from(CommitmentStatus),
    note=_TEXT,
)
_CONTACTS = st.builds(
    Contact,
    at=_TIMES,
    channel=st.sampled_from(Channel),
    direction=st.sampled_from(Direction),
    counterpart=st.builds(
        Counterpart, name=_TEXT, employee_id=_TEXT, organisation=_TEXT, phone=_TEXT, role=_TEXT
    ),
    account_reference=_TEXT,
    summary=_TEXT,
    key_points=st.lists(_TEXT, max_size=3),
    offers=st.lists(_OFFERS, max_size=2),
    commitments=st.lists(_COMMITMENTS, max_size=2),
    commitment_updates=st.lists(_UPDATES, max_size=2),
    recorded=st.none() | st.booleans(),
    consent_announced=st.none() | st.booleans(),
    answered=st.none() | st.booleans(),
    corrects=st.none() | st.integers(min_value=1, max_value=10**6),
)
_ATTACHMENTS = st.builds(
    Attachment,
    name=_TEXT,
    media_type=_TEXT,
    size=st.integers(min_value=0, max_value=2**40),
    sha256=st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
)
_ENTRIES = st.builds(
    LogEntry.build,
    seq=st.integers(min_value=1, max_value=10**9),
    prev_hash=st.just(GENESIS_HASH) | st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
    appended_at=_TIMES,
    contact=_CONTACTS,
    attachments=st.lists(_ATTACHMENTS, max_size=2),
)


def _model_writes_back(record: dict[str, Any]) -> bool:
    """The model's own answer: rebuilt and written back, the same canonical text."""
    try:
        rebuilt = LogEntry.from_record(record, "h", salts={}).to_record()
    except Exception:  # noqa: BLE001 - any refusal of the model is a "no"
        return False
    return canonical_text(rebuilt) == canonical_text(record)


def _plain(entry: LogEntry) -> dict[str, Any]:
    """The record as verification sees it: parsed back from its canonical JSON."""
    record: dict[str, Any] = json.loads(canonical_text(entry.to_record()))
    return record


@given(_ENTRIES)
def test_every_record_the_log_writes_is_proven_directly(entry: LogEntry) -> None:
    record = _plain(entry)
    assert model_writes(record) == _model_writes_back(record)
    assert model_writes(record)


def _nodes(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every position in *tree*: the root, each mapping value and each list item."""
    found = [path]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _nodes(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            found += _nodes(value, (*path, i))
    return found


#: Values a forger would try in place of a genuine one: other types that compare equal
#: (1 for true, 2.0 for 2), texts the model reads but writes differently (another date
#: syntax, another offset for the same instant, a lower-case currency, an exponent), and
#: values the model refuses.
_TRICKY: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2,
    2.0,
    0.5,
    "",
    "x",
    "phone",
    "Phone",
    "borrower",
    "BORROWER",
    "open",
    "fulfilled",
    "inbound",
    "2026-02-01",
    "20260201",
    "2026-2-1",
    "2026-02-30",
    "2026-01-01T10:01:00+08:00",
    "2026-01-01T02:01:00+00:00",
    "2026-01-01T10:01:00",
    "2026-01-01 10:01:00+08:00",
    "2026-01-01T10:01:00.000000+08:00",
    "Asia/Shanghai",
    "UTC",
    "Nowhere/Nothing",
    "a" * 64,
    "A" * 64,
    [],
    {},
    ["x"],
    [1.5],
    {"a": 1.5},
    {"amount": "1.00", "currency": "CNY"},
    {"amount": "1.00", "currency": "cny"},
    {"amount": "1.0", "currency": "CNY"},
    {"amount": "1E+2", "currency": "CNY"},
    {"amount": "1.00", "currency": "CNY", "note": "x"},
    {"amount": 1, "currency": "CNY"},
]
_VALUES = st.one_of(st.sampled_from(_TRICKY), _PLAIN)


@st.composite
def _edited(draw: st.DrawFn) -> dict[str, Any]:
    """A record the log wrote, with one to three positions replaced, removed or added to."""
    record = copy.deepcopy(_plain(draw(_ENTRIES)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_nodes(record)))
        if not path:
            continue
        *parents, last = path
        parent: Any = record
        for key in parents:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            parent[last] = draw(_VALUES)
        elif action == "remove":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "agreement", "payment", "zone", "x"]))] = draw(
                _VALUES
            )
        else:
            parent.append(draw(_VALUES))
    return record


@given(_edited())
def test_an_edited_record_is_proven_only_when_the_model_writes_it_back(
    record: dict[str, Any],
) -> None:
    if model_writes(record):
        assert _model_writes_back(record)


@pytest.mark.parametrize(
    ("old", "new", "written_back"),
    [
        pytest.param('"format":2', '"format":2.0', False, id="float-format"),
        pytest.param('"months":24', '"months":0', False, id="zero-months"),
        pytest.param('"seq":1', '"seq":true', False, id="true-for-one"),
        pytest.param('"recorded":true', '"recorded":1', False, id="one-for-true"),
        pytest.param('"months":24', '"months":24.0', False, id="float-months"),
        pytest.param('"due":"2026-03-06"', '"due":"20260306"', False, id="basic-date"),
        pytest.param('"currency":"CNY"', '"currency":"cny"', False, id="lower-case-currency"),
        pytest.param('"amount":"1312.50"', '"amount":"1.3125E+3"', False, id="amount-exponent"),
        pytest.param('"channel":"phone"', '"channel":"PHONE"', False, id="enum-name"),
        pytest.param('"zone":"Asia/Shanghai"', '"zone":"UTC"', False, id="other-zone"),
        pytest.param("+08:00", "+0800", False, id="offset-syntax"),
        pytest.param('"role":"creditor"', '"role":null', False, id="null-for-text"),
        pytest.param('"answered":null', '"answered":null,"mood":"calm"', False, id="extra-field"),
        pytest.param('"plan":null', '"plan":{"rate":0.05}', False, id="float-in-a-plan"),
        pytest.param('"plan":null', '"plan":{"r":[1,{"x":1e2}]}', False, id="deep-float-plan"),
        pytest.param('"plan":null', '"plan":[]', False, id="plan-not-a-mapping"),
        # Edits the model does write back (the hash, not the check, catches them):
        pytest.param('"amount":"1312.50"', '"amount":"1312.5"', True, id="amount-places"),
        pytest.param('"zone":"Asia/Shanghai"', '"zone":null', True, id="zone-dropped"),
        pytest.param('"key_points":[', '"key_points":["",', True, id="key-point-added"),
        pytest.param('"plan":null', '"plan":{"r":[1,{"x":"0.05"}]}', True, id="plan-added"),
    ],
)
def test_each_kind_of_edit_is_proven_exactly_when_the_model_writes_it_back(
    filled: NegotiationLog, old: str, new: str, written_back: bool
) -> None:
    record = filled.store.row(1).record  # type: ignore[attr-defined]
    assert old in record
    data = json.loads(record.replace(old, new, 1))
    data.pop("salts")
    assert _model_writes_back(data) is written_back
    assert model_writes(data) is written_back


def test_agreements_and_payments_are_left_to_the_model(filled: NegotiationLog) -> None:
    agreement = Agreement(
        lender="Example Bank",
        schedule=[ScheduledPayment(due=dt.date(2026, 4, 1), amount=Money("500.00", "CNY"))],
    )
    payment = Payment(amount=Money("500.00", "CNY"), paid_on=dt.date(2026, 4, 1))
    for day, extra in ((9, {"agreement": agreement}), (10, {"payment": payment})):
        at = dt.datetime(2026, 3, day, tzinfo=dt.UTC)
        filled.append(Contact(at=at, channel=Channel.PHONE, direction=Direction.INBOUND, **extra))
    for row in filled.store.rows():  # type: ignore[attr-defined]
        data = json.loads(row.record)
        data.pop("salts")
        special = "agreement" in data["contact"] or "payment" in data["contact"]
        assert model_writes(data) is not special
        assert _model_writes_back(data)
        assert verify_module._parse_canonical(row) is not None  # the model rebuild decides
    assert filled.verify().ok


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1.00", "CNY", True),
        ("1.0", "CNY", True),  # Money keeps the places it is given
        ("1", "JPY", True),
        ("1.00", "cny", False),  # written back as "CNY"
        ("1e2", "CNY", False),
        ("one", "CNY", False),
    ],
)
def test_a_money_check_is_the_models_answer(amount: str, currency: str, expected: bool) -> None:
    money = {"amount": amount, "currency": currency}
    try:
        built = Money(amount, currency)
        model = str(built.amount) == amount and built.currency == currency
    except ValueError:
        model = False
    assert model is expected
    assert record_check._money(money) is expected
    assert record_check._money(money) is expected  # remembered: the same answer
