"""A block of accounts in numpy int64 minor units: what batch strategy plugins receive.

Cells are read conservatively (:mod:`debtnegotiation.batch.columnar` applies the checks
below): an account with a cell the checks do not fully accept (a float amount, more
decimals than the currency has, an amount near the int64 guard, a case date after the
amounts' date, a hardship, …) is marked ``vector=False`` and runs through the scalar
path, where the case-file reader validates it and names any bad key.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from debtnegotiation.batch.accounts import blank
from debtnegotiation.borrower import EvidenceKind
from debtnegotiation.casefile import parse_regime
from debtnegotiation.debt import CreditorKind
from debtnegotiation.errors import ValidationError
from debtnegotiation.money import currency_code, minor_units
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.rates import DayCount, InterestRate, RateUnit

__all__ = [
    "GUARD",
    "AccountBlock",
    "BoolArray",
    "Int64Array",
    "RefusedError",
    "check_evidence",
    "check_kind",
    "check_rate",
    "check_regime",
    "intern",
    "parse_date",
    "places_of",
]

_T = TypeVar("_T")

#: Arrays of int64 minor units.
Int64Array = npt.NDArray[np.int64]
#: Arrays of flags.
BoolArray = npt.NDArray[np.bool_]

#: The overflow guard. Every amount of a vector row stays below 2**56 minor units, so
#: sums of a few hundred amounts and products by small factors (×9 for the headroom
#: limit, × a term of at most 600 months) stay far inside int64. A row beyond it runs
#: through the scalar path (exact Python integers) instead of being refused.
GUARD: Final = 2**56

_AMOUNT: Final = re.compile(r"\A[0-9]{1,20}(?:\.([0-9]{1,20}))?\Z")
_RATE: Final = re.compile(r"\A[0-9]{1,3}(?:\.[0-9]{1,20})?\Z")
_UNITS: Final = frozenset(u.value for u in RateUnit)
_KINDS: Final = frozenset(k.value for k in CreditorKind)


@attrs.frozen(kw_only=True, eq=False)
class AccountBlock:
    """Accounts as columns, in int64 minor units of each account's currency.

    Arrays have one entry per account, in table order. Amounts are meaningful only where
    ``vector`` is true; a batch strategy must leave the other accounts unhandled. A vector
    row records no hardship, and its amounts are stated on the case date (so ``owed`` is
    their sum: no interest has yet to be projected).

    :param size: the number of accounts.
    :param vector: whether the account's row was parsed for the vector path.
    :param currency: ISO 4217 codes.
    :param rate_index: index of the account's contract rate in ``rates``.
    :param rates: the distinct contract rates of the block (``None``: row not parsed).
    :param places: decimal places of each currency (CLDR).
    :param owed: the total owed on the case date (the case's ``owed``).
    :param principal: the contract principal (``Debt.principal``).
    :param budget: the monthly budget (the borrower's sustainable payment).
    :param limit: the headroom limit, 90 % of the budget rounded down.
    :param policy_index: index of the account's policy in ``policies``.
    :param policies: the distinct policies of the block (``None``: no policy).
    :param start: the case date (also the amounts' date), as days since 1970-01-01.
    :param regime_index: index of the account's annual-rate regime in ``regimes``.
    :param regimes: the distinct regimes of the block, as
        :class:`~debtnegotiation.apr.Regime` values (``""``: row not parsed).
    :param unused: per strategy name, accounts whose proposals of that strategy the
        engine will not use (it already has them from the stated policy); a batch
        strategy may answer them as handled with no proposal, and save the work.
    """

    size: int
    vector: BoolArray
    currency: tuple[str, ...]
    rate_index: Int64Array
    rates: tuple[InterestRate | None, ...]
    places: Int64Array
    owed: Int64Array
    principal: Int64Array
    budget: Int64Array
    limit: Int64Array
    policy_index: Int64Array
    policies: tuple[LenderPolicy | None, ...]
    start: Int64Array
    regime_index: Int64Array
    regimes: tuple[str, ...]
    unused: Mapping[str, BoolArray] = attrs.field(factory=dict)

    def needed(self, strategy: str) -> BoolArray:
        """The vector accounts whose proposals of *strategy* the engine will use."""
        skip = self.unused.get(strategy)
        return self.vector.copy() if skip is None else self.vector & ~skip

    def flags(self, values: Sequence[bool]) -> BoolArray:
        """A column of flags from one per distinct policy (``values[i]`` for ``policies[i]``)."""
        column: BoolArray = np.asarray(values, dtype=np.bool_)[self.policy_index]
        return column

    def counts(self, values: Sequence[int]) -> Int64Array:
        """A column of integers from one per distinct policy, like :meth:`flags`."""
        column: Int64Array = np.asarray(values, dtype=np.int64)[self.policy_index]
        return column

    def policy_list(self) -> list[LenderPolicy | None]:
        """The policy of each account, in table order."""
        return [self.policies[i] for i in self.policy_index.tolist()]

    def with_policy_table(
        self, policies: Sequence[LenderPolicy | None], index: Int64Array
    ) -> AccountBlock:
        """The same accounts under other policies: ``policies[index[i]]`` for account i."""
        return attrs.evolve(self, policy_index=index, policies=tuple(policies))

    def with_policies(self, policies: Sequence[LenderPolicy | None]) -> AccountBlock:
        """The same accounts under other policies, one per account (the assumed terms)."""
        table, index = intern(policies)
        return attrs.evolve(self, policy_index=index, policies=table)


def intern(items: Sequence[_T]) -> tuple[tuple[_T, ...], Int64Array]:
    """The distinct objects of *items* (by identity) and each item's index among them."""
    seen: dict[int, int] = {}
    table: list[_T] = []
    index = np.empty(len(items), dtype=np.int64)
    for i, policy in enumerate(items):
        key = id(policy)
        position = seen.get(key)
        if position is None:
            position = seen[key] = len(table)
            table.append(policy)
        index[i] = position
    return tuple(table), index


_DATE: Final = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_EVIDENCE: Final = frozenset(k.value for k in EvidenceKind)
_DAY_COUNTS: Final = frozenset({"360", "365"})


class RefusedError(Exception):
    """A cell the vector parser leaves to the scalar path."""


def check_kind(value: object) -> str:
    """A creditor kind, or refused."""
    if value not in _KINDS:
        raise RefusedError
    return str(value)


def check_regime(value: object) -> str:
    """A regime the case-file reader accepts, or refused."""
    text = _text(value)
    _regime_ok(text)
    return text


def check_evidence(value: object) -> str:
    """Evidence kinds separated by ``;``, all known, or refused."""
    text = _text(value)
    if not {k.strip() for k in text.split(";") if k.strip()} <= _EVIDENCE:
        raise RefusedError
    return text


def places_of(value: object) -> tuple[str, int]:
    """A currency code in upper case and its decimal places, or refused."""
    code = _text(value).upper()
    return code, _places(code)


def check_rate(value: object, unit: object, days: object) -> InterestRate:
    """The contract rate of a row's three rate cells, or refused."""
    cells = {"contract_rate": value, "contract_rate_unit": unit, "contract_rate_day_count": days}
    return _rate(cells)


def _amount(value: object, places: int, *, optional: bool = True) -> int:
    if blank(value):
        if optional:
            return 0
        raise RefusedError
    if isinstance(value, bool):
        raise RefusedError
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise RefusedError  # floats and anything else: the case-file reader says why
    match = _AMOUNT.match(text)
    if match is None:
        raise RefusedError
    fraction = match.group(1) or ""
    if len(fraction) > places:
        raise RefusedError
    units: int = int(text.replace(".", "")) * 10 ** (places - len(fraction))
    if units >= GUARD:
        raise RefusedError
    return units


def parse_date(value: object) -> dt.date:
    """A date cell (a date, a midnight datetime or ``YYYY-MM-DD``), or refused."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise RefusedError
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise RefusedError from None
    raise RefusedError


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RefusedError
    return value.strip()


@functools.cache
def _places(code: str) -> int:
    try:
        return minor_units(currency_code("currency", code))
    except ValidationError:
        raise RefusedError from None


@functools.cache
def _regime_ok(text: str) -> None:
    try:
        parse_regime(text)
    except ValidationError:
        raise RefusedError from None


@functools.cache
def _interest_rate(text: str, unit: str, days: str) -> InterestRate:
    try:
        day_count = DayCount(int(days)) if days else None
        return InterestRate(value=Decimal(text), unit=RateUnit(unit), day_count=day_count)
    except ValidationError:
        raise RefusedError from None


def _rate(row: Mapping[str, object]) -> InterestRate:
    value = row.get("contract_rate")
    text = format(value, "f") if isinstance(value, Decimal) else value
    if not isinstance(text, str) or not _RATE.match(text.strip()) or Decimal(text) > 1:
        raise RefusedError
    unit = row.get("contract_rate_unit")
    if unit not in _UNITS:
        raise RefusedError
    days = row.get("contract_rate_day_count")
    if unit == RateUnit.DAILY.value:
        if str(days).strip() not in _DAY_COUNTS:
            raise RefusedError
        return _interest_rate(text.strip(), str(unit), str(days).strip())
    if not blank(days):
        raise RefusedError
    return _interest_rate(text.strip(), str(unit), "")
