"""verify()'s shortcuts catch what the long way catches, and give the same answers.

Verification takes a shortcut for a record stored in canonical form (C parser, one
rebuild, one text comparison; see ``verify._parse_canonical``) and computes commitments
without the generic conversion walk (``commitment.committed_hash``). These tests show
that each shortcut is taken for what the log writes, that every record it does not
prove canonical goes the long way, and that tampering of the kinds the shortcuts handle
differently (bytes that parse to the same data, duplicate keys, fractions, ``true`` for
``1``, a re-hashed record the model does not write) is still caught, with the same
result as with the shortcut turned off.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    Agreement,
    Attachment,
    Commitment,
    CommitmentUpdate,
    Contact,
    Counterpart,
    NegotiationLog,
    Party,
    Payment,
    ProblemKind,
    Redaction,
    ScheduledPayment,
    VerifyResult,
    canonical_json,
    export_jsonl,
    record_hash,
    verify_jsonl,
)
from debtnegotiation.negotiation_log import verify as verify_module
from debtnegotiation.negotiation_log.canonical import canonical_text
from debtnegotiation.negotiation_log.commitment import (
    committed_hash,
    committed_record,
    is_salt,
    record_leaves,
)
from debtnegotiation.negotiation_log.entry import _shallow
from debtnegotiation.negotiation_log.store import StoredRow


@pytest.fixture
def rich(filled: NegotiationLog, make_contact: Callable[..., Contact]) -> NegotiationLog:
    """The five-entry log plus a correction, a commitment update, an agreement, a payment."""
    filled.correct(3, summary="corrected: “24 installments”, not 12", key_points=[])
    filled.append(
        make_contact(
            day=7,
            commitments=(),
            commitment_updates=[CommitmentUpdate(entry=1, index=0, status="fulfilled")],
        )
    )
    agreement = Agreement(
        lender="Example Bank",
        schedule=[
            ScheduledPayment(due=dt.date(2026, 4, 1), amount=Money("500.00", "CNY")),
            ScheduledPayment(due=dt.date(2026, 5, 1), amount=Money("500.00", "CNY")),
        ],
        plan={"months": 2, "rate": "0.05", "notes": ["a", {"Key With Spaces": None}]},
        grace_days=3,
        if_late="a fee of 50",
    )
    filled.append(make_contact(day=8, agreement=agreement))
    filled.append(
        make_contact(
            day=9, payment=Payment(amount=Money("500.00", "CNY"), paid_on=dt.date(2026, 4, 1))
        )
    )
    return filled


def _rows(log: NegotiationLog) -> list[StoredRow]:
    return list(log.store.rows())


@attrs.frozen
class Ways:
    """Switches for the ways a record is checked (the log tests' conftest runs all three)."""

    monkeypatch: pytest.MonkeyPatch

    def rebuild(self) -> None:
        """Turn the direct structural check off: records are rebuilt by the model."""
        self.monkeypatch.setattr(verify_module, "model_writes", lambda _record: False)

    def __call__(self) -> None:
        """Turn the canonical shortcut off (every record then goes the long way)."""
        self.monkeypatch.setattr(verify_module, "_parse_canonical", lambda _row: None)


@pytest.fixture
def long_way(monkeypatch: pytest.MonkeyPatch) -> Ways:
    """Switches to turn the shortcuts off, one after the other."""
    return Ways(monkeypatch)


def _both(log: NegotiationLog, long_way: Ways) -> VerifyResult:
    """Verify with every shortcut, then without the direct check, then the long way."""
    fast = log.verify()
    long_way.rebuild()
    rebuilt = log.verify()
    long_way()
    slow = log.verify()
    assert fast == rebuilt == slow
    return fast


def _sql(log: NegotiationLog, statement: str, params: tuple[object, ...]) -> None:
    conn = sqlite3.connect(log.store.path, isolation_level=None)  # type: ignore[attr-defined]
    try:
        conn.execute(statement, params)
    finally:
        conn.close()


def _record(log: NegotiationLog, seq: int) -> str:
    row = log.store.row(seq)  # type: ignore[attr-defined]
    assert row is not None
    return str(row.record)


def _store(log: NegotiationLog, seq: int, record: str) -> None:
    _sql(log, "UPDATE log_entries SET record = ? WHERE seq = ?", (record, seq))


# --- the shortcut is taken, and agrees with the long way -------------------------------


def test_the_shortcut_takes_every_record_the_log_writes(rich: NegotiationLog) -> None:
    rows = _rows(rich)
    assert len(rows) == 9
    for row in rows:
        fast = verify_module._parse_canonical(row)
        assert fast is not None, row.seq
        # The long way, on the same data written with spaces (not canonical): same answer.
        spaced = attrs.evolve(row, record=json.dumps(json.loads(row.record), indent=1))
        assert verify_module._parse_canonical(spaced) is None
        assert verify_module._parse(spaced) == fast


def test_an_intact_log_verifies_the_same_both_ways(rich: NegotiationLog, long_way: Ways) -> None:
    result = _both(rich, long_way)
    assert result.ok
    assert result.entries == 9


# --- bytes that parse to the same data ------------------------------------------------


@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda text: json.dumps(json.loads(text), indent=2), id="whitespace"),
        pytest.param(lambda text: json.dumps(json.loads(text)), id="ascii-escapes"),
        pytest.param(
            lambda text: json.dumps(
                dict(reversed(json.loads(text).items())), ensure_ascii=False, separators=(",", ":")
            ),
            id="key-order",
        ),
        pytest.param(lambda text: text.replace("Li Wei", "Li\\u0020Wei"), id="escaped-char"),
    ],
)
def test_a_non_canonical_encoding_of_the_same_data_goes_the_long_way(
    rich: NegotiationLog, long_way: Ways, rewrite: Callable[[str], str]
) -> None:
    original = _record(rich, 3)
    text = rewrite(original)
    assert text != original
    assert json.loads(text) == json.loads(original)
    _store(rich, 3, text)
    row = rich.store.row(3)  # type: ignore[attr-defined]
    assert verify_module._parse_canonical(row) is None
    # Exactly what the log has always answered for the same data in other bytes.
    assert _both(rich, long_way).ok


def test_a_duplicate_key_whose_last_value_is_the_genuine_one_is_caught(
    rich: NegotiationLog, long_way: Ways
) -> None:
    original = _record(rich, 2)
    # A forged summary first, the genuine one after it: a last-wins parser (json.loads)
    # returns the genuine record, so every hash still matches.
    forged = original.replace('"summary":', '"summary":"we owe nothing","summary":', 1)
    assert json.loads(forged) == json.loads(original)
    _store(rich, 2, forged)
    result = _both(rich, long_way)
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.EDITED
    assert result.problem.seq == 2
    assert "duplicate key 'summary'" in result.explanation


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param('"format":2', '"format":2.0', id="fraction"),
        pytest.param('"format":2', '"format":2e0', id="exponent"),
        pytest.param('"recorded":true', '"recorded":1', id="one-for-true"),
        pytest.param('"index":0', '"index":false', id="false-for-zero"),
        pytest.param('"months":24', '"months":24.0', id="fraction-in-a-value"),
    ],
)
def test_numbers_and_booleans_are_taken_exactly(
    rich: NegotiationLog, long_way: Ways, old: str, new: str
) -> None:
    seq = next(s for s in range(1, 10) if old in _record(rich, s))
    original = _record(rich, seq)
    edited = original.replace(old, new, 1)
    assert json.loads(edited) == json.loads(original)  # equal to Python's ==
    _store(rich, seq, edited)
    result = _both(rich, long_way)
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.EDITED
    assert result.problem.seq == seq


def _forge(log: NegotiationLog, seq: int, edit: Callable[[dict[str, Any]], None]) -> None:
    """Edit the stored record of the last entry and re-hash it as a forger would.

    The salts are re-drawn for the paths the edit adds, the entry hash and the recorded
    head are recomputed: every hash is consistent, only the content is not what this
    library writes.
    """
    assert seq == len(log)
    data = json.loads(_record(log, seq))
    edit(data)
    plain = {k: v for k, v in data.items() if k != "salts"}
    salts = {p: data["salts"].get(p, "0" * 32) for p in record_leaves(plain)}
    data["salts"] = salts
    entry_hash = record_hash(committed_record(plain, salts))
    conn = sqlite3.connect(log.store.path, isolation_level=None)  # type: ignore[attr-defined]
    try:
        conn.execute("BEGIN")
        conn.execute(
            "UPDATE log_entries SET record = ?, entry_hash = ? WHERE seq = ?",
            (canonical_json(data).decode("utf-8"), entry_hash, seq),
        )
        conn.execute("UPDATE log_meta SET value = ? WHERE key = 'head_hash'", (entry_hash,))
        conn.execute("COMMIT")
    finally:
        conn.close()


@pytest.mark.parametrize(
    "edit",
    [
        # Stored bytes canonical and hash-consistent, but not what the model writes back.
        pytest.param(
            lambda d: d["contact"].update(at="2026-03-09T02:15:00+00:00"), id="same-instant"
        ),
        pytest.param(lambda d: d["contact"].update(mood="calm"), id="unknown-field"),
        pytest.param(
            lambda d: d["contact"]["counterpart"].update(badge="7"), id="unknown-nested-field"
        ),
        pytest.param(lambda d: d["contact"].update(channel="Phone"), id="unknown-value"),
        pytest.param(lambda d: d["contact"].pop("summary"), id="missing-field"),
        pytest.param(lambda d: d["contact"].update(key_points="not a list"), id="wrong-type"),
    ],
)
def test_a_rehashed_record_the_model_does_not_write_is_caught(
    rich: NegotiationLog, long_way: Ways, edit: Callable[[dict[str, Any]], None]
) -> None:
    _forge(rich, 9, edit)
    row = rich.store.row(9)  # type: ignore[attr-defined]
    assert verify_module._parse_canonical(row) is None
    result = _both(rich, long_way)
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.EDITED
    assert result.problem.seq == 9


def test_a_forged_record_the_model_does_write_verifies_both_ways(
    rich: NegotiationLog, long_way: Ways
) -> None:
    # The control for the test above: the same forging, with a value the model accepts,
    # is (as always) only caught by a published head, not by the content checks.
    published = rich.head
    _forge(rich, 9, lambda d: d["contact"].update(summary="rewritten"))
    assert _both(rich, long_way).ok
    anchored = rich.verify(expected_head=published)
    assert anchored.problem is not None
    assert anchored.problem.kind is ProblemKind.ANCHOR_MISSING


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda d: d["salts"].popitem(), id="salt-missing"),
        pytest.param(lambda d: d["salts"].update({"/contact/nowhere": "0" * 32}), id="salt-extra"),
        pytest.param(
            lambda d: d["salts"].update({"/contact/summary": "0" * 31 + "G"}), id="salt-not-hex"
        ),
        pytest.param(lambda d: d["salts"].update({"/contact/summary": 7}), id="salt-not-text"),
        pytest.param(
            lambda d: d.update(withheld={"/contact/summary": "0" * 64}), id="salt-and-digest"
        ),
    ],
)
def test_salts_that_do_not_match_the_values_one_to_one_are_caught(
    rich: NegotiationLog, long_way: Ways, edit: Callable[[dict[str, Any]], None]
) -> None:
    data = json.loads(_record(rich, 4))
    edit(data)
    _store(rich, 4, canonical_json(data).decode("utf-8"))
    result = _both(rich, long_way)
    assert result.problem is not None
    assert result.problem.kind is ProblemKind.EDITED
    assert result.problem.seq == 4
    assert "unreadable record" in result.explanation


def test_redacted_and_full_exports_verify_the_same_both_ways(
    rich: NegotiationLog, tmp_path: Path, long_way: Ways
) -> None:
    full, redacted = tmp_path / "full.jsonl", tmp_path / "redacted.jsonl"
    export_jsonl(rich, full)
    export_jsonl(rich, redacted, redaction=Redaction(names=("Li Wei",)))
    fast = verify_jsonl(full), verify_jsonl(redacted)
    long_way()
    assert (verify_jsonl(full), verify_jsonl(redacted)) == fast
    assert fast[0].problem is None  # (its attachments are absent: files not shipped)
    assert fast[1].problem is None
    assert fast[1].withheld > 0


# --- the commitment and canonical-text shortcuts equal the generic functions ------------

_KEYS = st.one_of(
    st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
    st.text(max_size=6),  # keys that are not field names make a mapping one value
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


@given(_JSON)
def test_canonical_text_is_canonical_json(value: Any) -> None:
    assert canonical_text(value) == canonical_json(value).decode("utf-8")


@given(contact=_JSON, attachments=_JSON, data=st.data())
def test_committed_hash_is_the_hash_of_the_committed_record(
    contact: Any,
    attachments: Any,
    data: st.DataObject,
) -> None:
    record = {"format": 2, "seq": 1, "prev_hash": "0" * 64, "contact": contact}
    record["attachments"] = attachments
    paths = sorted(record_leaves(record))
    hidden = set(data.draw(st.lists(st.sampled_from(paths), unique=True))) if paths else set()
    salt = st.from_regex(r"[0-9a-f]{32}", fullmatch=True)
    salts = {p: data.draw(salt) for p in paths if p not in hidden}
    withheld = {p: data.draw(st.from_regex(r"[0-9a-f]{64}", fullmatch=True)) for p in hidden}
    computed, count = committed_hash(record, salts, withheld)
    assert computed == record_hash(committed_record(record, salts, withheld))
    assert count == len(paths)


@given(st.lists(st.one_of(st.text(max_size=40), st.integers(), st.none()), max_size=5))
def test_the_joined_salt_check_is_is_salt_for_each(values: list[object]) -> None:
    salts = [*values, "0123456789abcdef" * 2]
    assert verify_module._all_hex(salts, 32) == all(is_salt(v) for v in salts)


_NEAR_HEX = st.text(alphabet="0123456789abcdefA,", min_size=28, max_size=70)


@given(st.lists(st.one_of(_NEAR_HEX, st.from_regex(r"[0-9a-f]{32}", fullmatch=True)), max_size=4))
def test_the_joined_salt_check_counts_every_length_and_comma(values: list[str]) -> None:
    assert verify_module._all_hex(values, 32) == all(is_salt(v) for v in values)


@given(st.lists(st.one_of(_NEAR_HEX, st.from_regex(r"[0-9a-f]{64}", fullmatch=True)), max_size=4))
def test_the_joined_digest_check_is_a_match_for_each(values: list[str]) -> None:
    expected = all(re.fullmatch(r"[0-9a-f]{64}", v) for v in values)
    assert verify_module._all_hex(values, 64) == expected
    # A value holding a comma between two valid blocks is not two values.
    assert not verify_module._all_hex([f"{'a' * 64},{'b' * 64}"], 64)


def test_records_are_built_as_attrs_asdict_builds_them(rich: NegotiationLog) -> None:
    # _shallow stands for attrs.asdict(...) in Contact.to_record and LogEntry.to_record
    # (recursive for these value classes: right only while they hold no attrs instance or
    # collection) and for attrs.asdict(..., recurse=False) (offers, the payment).
    values: list[Any] = [
        Counterpart(name="Li Wei", phone="1"),
        Commitment(by=Party.BORROWER, what="pay", due=dt.date(2026, 4, 1)),
        CommitmentUpdate(entry=1, index=0, status="broken", note="late"),
        Attachment(name="a.png", media_type="image/png", size=3, sha256="a" * 64),
    ]
    shallow: list[Any] = []
    for entry in rich.entries():
        values.append(entry.contact.counterpart)
        values.extend(entry.contact.commitments + entry.contact.commitment_updates)
        values.extend(entry.attachments)
        shallow.extend(entry.contact.offers)
        if entry.contact.payment is not None:
            shallow.append(entry.contact.payment)
    assert shallow
    for instance in values:
        assert _shallow(instance) == attrs.asdict(instance), type(instance)
    for instance in values + shallow:
        assert _shallow(instance) == attrs.asdict(instance, recurse=False), type(instance)


# --- the comparison of the ways is in force --------------------------------------------


def test_a_direct_check_that_accepts_too_much_is_caught(
    rich: NegotiationLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The log tests' conftest runs every verification the direct way, the rebuild way
    # and the long way, and requires one result. A direct check that proves too much
    # (here: everything) makes the ways disagree on a record the model does not write.
    _forge(rich, 9, lambda d: d["contact"].update(mood="calm"))
    monkeypatch.setattr(verify_module, "model_writes", lambda _record: True)
    with pytest.raises(AssertionError):
        rich.verify()
    row = rich.store.row(9)  # type: ignore[attr-defined]
    assert verify_module._parse_canonical(row) is not None  # the broken shortcut accepts it
    assert verify_module.parse_strict(row.record)  # (the record is well-formed JSON)


def test_the_direct_check_decides_every_record_the_log_writes(rich: NegotiationLog) -> None:
    # Every record but the agreement's and the payment's (left to the model) is proven
    # by the direct check alone: the model is not rebuilt for it.
    decided = []
    for row in _rows(rich):
        data = json.loads(row.record)
        plain = {k: v for k, v in data.items() if k not in ("salts", "withheld")}
        decided.append(verify_module.model_writes(plain))
    assert decided == [True] * 7 + [False, False]
