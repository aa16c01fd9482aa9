"""Columnar parsing of an accounts table into an :class:`~debtnegotiation.batch.block.AccountBlock`.

The rules are those of :mod:`debtnegotiation.batch.block`, applied column by column with
pyarrow compute (amounts) and once per distinct value (codes, dates, rates, policy
names), which is what makes the batch path fast. A cell the rules refuse sends its
account to the scalar path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Final, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from debtnegotiation.batch.block import (
    GUARD,
    AccountBlock,
    BoolArray,
    Int64Array,
    RefusedError,
    check_evidence,
    check_kind,
    check_rate,
    check_regime,
    intern,
    parse_date,
    places_of,
)
from debtnegotiation.casefile import parse_regime
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.rates import InterestRate

__all__ = ["block_from_table"]

T = TypeVar("T")

_AMOUNT: Final = r"^[0-9]{1,15}(\.[0-9]{1,3})?$"
_EPOCH: Final = dt.date(1970, 1, 1)
_NO: Final = pa.scalar(value=False)


def _column(table: pa.Table, name: str) -> pa.Array | None:
    if name not in table.column_names:
        return None
    array = table.column(name).combine_chunks()
    if pa.types.is_large_string(array.type) or pa.types.is_string_view(array.type):
        return array.cast(pa.string())  # pandas' string columns arrive as large strings
    return array


def _distinct(
    array: pa.Array | None, size: int, check: Callable[[object], T], *, required: bool
) -> tuple[list[T | None], Int64Array, BoolArray]:
    """Check each distinct value once: the results, each row's index into them, and ok.

    A null cell has index -1 and is ok only when not *required*. A value *check* refuses
    (:class:`RefusedError`) is ``None`` in the results and not ok.
    """
    if array is None:
        return [], np.full(size, -1, dtype=np.int64), np.full(size, not required)
    encoded = array.dictionary_encode() if not pa.types.is_dictionary(array.type) else array
    values: list[T | None] = []
    fine: list[bool] = []
    for value in encoded.dictionary.to_pylist():
        try:
            values.append(check(value))
            fine.append(True)
        except RefusedError:
            values.append(None)
            fine.append(False)
    index = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    good = np.asarray([*fine, not required], dtype=np.bool_)[index]
    return values, index, good


def _amounts(
    array: pa.Array | None, places: Int64Array, *, required: bool
) -> tuple[Int64Array, BoolArray]:
    """Minor units of an amount column, and which cells parse (empty: 0, ok if optional)."""
    size = len(places)
    if array is None:
        return np.zeros(size, dtype=np.int64), np.full(size, not required)
    present = array.is_valid().to_numpy(zero_copy_only=False)
    if pa.types.is_integer(array.type):
        whole = array.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        ok = (whole >= 0) & (whole < 10**15)
        units = np.where(ok, whole, 0) * 10**places
    elif pa.types.is_string(array.type) or pa.types.is_decimal(array.type):
        text = pc.utf8_trim_whitespace(array.cast(pa.string()))
        matched = pc.fill_null(pc.match_substring_regex(text, _AMOUNT), _NO)
        ok = matched.to_numpy(zero_copy_only=False)
        dot = pc.find_substring(text, ".").fill_null(-1).to_numpy(zero_copy_only=False)
        length = pc.utf8_length(text).fill_null(0).to_numpy(zero_copy_only=False)
        fraction = np.where(dot < 0, 0, length - dot - 1).astype(np.int64)
        ok &= fraction <= places
        digits = pc.if_else(pa.array(ok), pc.replace_substring(text, ".", ""), "0")
        whole = digits.cast(pa.int64()).to_numpy(zero_copy_only=False)
        units = whole * 10 ** np.where(ok, places - fraction, 0)
    else:
        ok = np.zeros(size, dtype=np.bool_)  # floats and the rest: the scalar path says why
        units = np.zeros(size, dtype=np.int64)
    ok &= units < GUARD
    ok = np.where(present, ok, not required)
    return np.where(present & ok, units, 0).astype(np.int64), ok.astype(np.bool_)


def _blank(array: pa.Array | None, size: int) -> BoolArray:
    """Cells that are null or empty text."""
    if array is None:
        return np.ones(size, dtype=np.bool_)
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        trimmed = pc.utf8_length(pc.utf8_trim_whitespace(array)).fill_null(0)
        empty: BoolArray = (trimmed.to_numpy(zero_copy_only=False) == 0).astype(np.bool_)
        return empty
    missing: BoolArray = (~array.is_valid().to_numpy(zero_copy_only=False)).astype(np.bool_)
    return missing


def _days(array: pa.Array | None, size: int, *, required: bool) -> tuple[Int64Array, BoolArray]:
    """Dates as days since 1970 (-1 when empty), and which cells parse."""
    if array is not None and pa.types.is_date32(array.type):
        days = array.cast(pa.int32()).fill_null(-1).to_numpy(zero_copy_only=False)
        present = array.is_valid().to_numpy(zero_copy_only=False)
        return days.astype(np.int64), present | (not required)
    values, index, ok = _distinct(
        array, size, lambda v: (parse_date(v) - _EPOCH).days, required=required
    )
    table = np.asarray([*(v if v is not None else -1 for v in values), -1], dtype=np.int64)
    return table[index], ok


def _text_present(array: pa.Array | None, size: int) -> BoolArray:
    return ~_blank(array, size)


def _as_text(array: pa.Array | None) -> pa.Array | None:
    """A column as text (integers and decimals as written), or ``None`` when absent."""
    if array is None or pa.types.is_string(array.type):
        return array
    if pa.types.is_floating(array.type) or pa.types.is_boolean(array.type):
        # Refused cell by cell (a marker no check accepts), as the case-file reader would.
        return pc.if_else(array.is_valid(), "\x02float", pa.scalar(None, pa.string()))
    return array.cast(pa.string())


def _overdue(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 6:
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100_000:
        return value
    raise RefusedError


def _rate_key(value: object) -> InterestRate:
    parts = [None if p == "\x00" else p for p in str(value).split("\x01")]
    return check_rate(*parts)


def _policy(value: object, policies: Mapping[str, LenderPolicy]) -> tuple[str, LenderPolicy | None]:
    text = str(value).strip()
    if not text:
        return "", None
    policy = policies.get(text)
    if policy is None:
        raise RefusedError  # the scalar path names the unknown policy
    return text, policy


def block_from_table(table: pa.Table, policies: Mapping[str, LenderPolicy]) -> AccountBlock:
    """Parse an accounts table into a block; refused accounts have ``vector`` false."""
    size = table.num_rows

    def col(name: str) -> pa.Array | None:
        return _column(table, name)

    ok = np.ones(size, dtype=np.bool_)
    for name in ("hardship", "hardship_start", "hardship_end"):
        ok &= _blank(col(name), size)  # hardships are read by the case-file reader
    ok &= _text_present(col("account"), size) & _text_present(col("creditor"), size)
    currencies, cur_index, cur_ok = _distinct(
        _as_text(col("currency")), size, places_of, required=True
    )
    ok &= cur_ok
    places_table = np.asarray(
        [*(p[1] if p is not None else 0 for p in currencies), 0], dtype=np.int64
    )
    places = places_table[cur_index]
    codes = [*(p[0] if p is not None else "" for p in currencies), ""]
    _, _, kind_ok = _distinct(col("creditor_kind"), size, check_kind, required=True)
    regimes, regime_index, regime_ok = _distinct(
        col("regime"), size, lambda v: parse_regime(check_regime(v)).value, required=True
    )
    _, _, evidence_ok = _distinct(col("evidence"), size, check_evidence, required=False)
    ok &= kind_ok & regime_ok & evidence_ok
    as_of, as_of_ok = _days(col("as_of"), size, required=True)
    on, on_ok = _days(col("on"), size, required=False)
    ok &= as_of_ok & on_ok & ((on == -1) | (on == as_of))
    overdue = col("days_overdue")
    if overdue is not None:
        _, _, overdue_ok = _distinct(overdue, size, _overdue, required=False)
        ok &= overdue_ok
    parts = []
    for name in ("contract_rate", "contract_rate_unit", "contract_rate_day_count"):
        text = _as_text(col(name))
        parts.append(pc.fill_null(pa.nulls(size, pa.string()) if text is None else text, "\x00"))
    joined = pc.binary_join_element_wise(*parts, "\x01")
    rates, rate_index, rate_ok = _distinct(joined, size, _rate_key, required=True)
    ok &= rate_ok
    names, policy_index, policy_ok = _distinct(
        _as_text(col("policy")), size, lambda v: _policy(v, policies), required=False
    )
    ok &= policy_ok
    principal, good = _amounts(col("principal"), places, required=True)
    ok &= good
    owed = principal.copy()
    for name in ("accrued_interest", "penalty_interest", "fees"):
        units, good = _amounts(col(name), places, required=False)
        owed += units
        ok &= good
    ok &= (owed > 0) & (owed < GUARD)
    income, good = _amounts(col("monthly_income"), places, required=True)
    ok &= good
    spent = np.zeros(size, dtype=np.int64)
    for name in ("expenses", "other_debt_payments", "savings_buffer"):
        units, good = _amounts(col(name), places, required=False)
        spent += units
        ok &= good
    budget = np.where(ok, np.maximum(income - spent, 0), 0).astype(np.int64)
    chosen = [*(p[1] if p is not None else None for p in names), None]
    policy_table, policy_map = intern(chosen)
    return AccountBlock(
        size=size,
        vector=ok,
        currency=tuple(codes[i] if ok[k] else "" for k, i in enumerate(cur_index.tolist())),
        rate_index=np.where(ok, rate_index, len(rates)).astype(np.int64),
        rates=(*rates, None),
        places=np.where(ok, places, 0).astype(np.int64),
        owed=np.where(ok, owed, 0).astype(np.int64),
        principal=np.where(ok, principal, 0).astype(np.int64),
        budget=budget,
        limit=budget * 9 // 10,
        policy_index=np.where(ok, policy_map[policy_index], policy_map[-1]).astype(np.int64),
        policies=policy_table,
        start=np.where(ok, as_of, 0).astype(np.int64),
        regime_index=np.where(ok, regime_index, len(regimes)).astype(np.int64),
        regimes=(*(r or "" for r in regimes), ""),
    )
