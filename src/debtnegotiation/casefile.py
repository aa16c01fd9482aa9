"""Case files: a borrower, their debts, lender policies and goals in TOML or JSON.

A case file is what people who do not write Python give the ``debtneg`` command. The
schema is documented key by key in ``docs/reference/case-file.rst``; ``examples/xian.toml``
is the built-in example (:mod:`debtnegotiation.example`) written as a case file.

Reading is strict, because a silently misread amount is a wrong number:

* money and rates are quoted decimal strings (``"18600.00"``) or whole numbers; a TOML or
  JSON *float* is refused with a message saying to quote it, because a binary float cannot
  hold most decimal amounts exactly (STYLE.md "Money and locale", DESIGN.md "The model");
* every key is checked: an unknown key (a typo such as ``principle``), a missing required
  key, a value of the wrong type, an unknown enum value or a negative amount is a
  :class:`CaseFileError` that names the file, the key path (``debts[0].principal``, as
  cattrs' ``transform_error`` spells paths) and what was expected;
* files larger than :data:`MAX_CASE_FILE_BYTES` are refused before they are parsed.

>>> from debtnegotiation.casefile import loads_case
>>> case = loads_case('''
... regime = "CN-PBOC"
... [borrower]
... currency = "CNY"
... monthly_income = "4200.00"
... [[debts]]
... creditor = { name = "Example Bank", kind = "credit-card" }
... currency = "CNY"
... principal = 12000.00
... contract_rate = { value = "0.0005", unit = "daily", day_count = 365 }
... as_of = 2026-11-02
... ''', suffix=".toml", origin="case.toml")
Traceback (most recent call last):
...
debtnegotiation.casefile.CaseFileError: case.toml: debts[0].principal: expected a quoted ...
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import re
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from debtnegotiation._exact import EXACT
from debtnegotiation._validate import to_decimal
from debtnegotiation.allocation import AllocationMethod, Claim
from debtnegotiation.apr import Regime
from debtnegotiation.borrower import (
    Borrower,
    Evidence,
    EvidenceKind,
    ExpenseCategory,
    Hardship,
    HardshipKind,
)
from debtnegotiation.case import Goals
from debtnegotiation.debt import Creditor, CreditorKind, Debt
from debtnegotiation.errors import DebtNegotiationError, ValidationError
from debtnegotiation.money import Money, currency_code, minor_units
from debtnegotiation.plan import WaiverKind
from debtnegotiation.plugins import PluginHost
from debtnegotiation.policy import LenderPolicy, PolicyFileError
from debtnegotiation.portfolio import Portfolio
from debtnegotiation.rates import DayCount, InterestRate, RateUnit

__all__ = [
    "CASE_FILE_SUFFIXES",
    "FORMAT_VERSION",
    "MAX_CASE_FILE_BYTES",
    "CaseFile",
    "CaseFileError",
    "case_from_mapping",
    "load_case",
    "loads_case",
    "parse_regime",
]

#: The largest case file read, in bytes (1 MiB). A case with a dozen debts and their
#: policies is a few kilobytes; anything near this size is not a case file, and refusing it
#: before parsing keeps a mistaken path (a log, a disk image) from exhausting memory.
MAX_CASE_FILE_BYTES: Final = 1024 * 1024

#: File suffixes understood, and the syntax each one selects.
CASE_FILE_SUFFIXES: Final = {".toml": "TOML", ".json": "JSON"}

#: The schema version this module reads (the optional top-level ``version`` key).
FORMAT_VERSION: Final = 1

_E = TypeVar("_E", bound=enum.Enum)
_T = TypeVar("_T")

_QUOTE_IT = 'a quoted decimal string such as "{text}" (floats are binary and inexact)'


class CaseFileError(DebtNegotiationError, ValueError):
    """A case file cannot be read; the message names the file, the key path and the problem.

    :param path: the file (or the origin given for text that was not read from a file).
    :param key: the key path, e.g. ``debts[0].principal``; ``(file)`` for the file itself.
    :param problem: what is wrong, usually "expected ..., got ...".
    """

    def __init__(self, path: str, key: str, problem: str) -> None:
        """Keep the parts and build the one-line message ``path: key: problem``."""
        self.path = path
        self.key = key
        self.problem = problem
        super().__init__(f"{path}: {key}: {problem}")


@attrs.frozen
class _FloatLiteral:
    """A float as written in the file, kept as text so the error can say how to quote it."""

    text: str


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number a case file may contain")


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _describe(value: object) -> str:
    if isinstance(value, _FloatLiteral):
        return f"the float {value.text}"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _regime_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


#: Accepted spellings of each regime, without case or punctuation: the enum value
#: (``CN-PBOC``, ``US-RegZ``), the command-line names (``cn-pboc``, ``us-reg-z``) and the
#: member name (``CN_PBOC``) all work.
_REGIMES: Final = {_regime_key(r.value): r for r in Regime} | {
    _regime_key(r.name): r for r in Regime
}


def parse_regime(value: object, *, field: str = "regime") -> Regime:
    """Return the :class:`~debtnegotiation.apr.Regime` named by *value*, in any spelling.

    Case and punctuation are ignored, so ``CN-PBOC``, ``cn-pboc`` and ``cn_pboc`` are the
    same regime.

    >>> parse_regime("us-reg-z"), parse_regime("EU-CCD")
    (<Regime.US_REG_Z: 'US-RegZ'>, <Regime.EU_CCD: 'EU-CCD'>)
    >>> parse_regime("apr")
    Traceback (most recent call last):
    ...
    debtnegotiation.errors.ValidationError: regime: expected one of CN-PBOC, EU-CCD, ...
    """
    if isinstance(value, Regime):
        return value
    if isinstance(value, str) and _regime_key(value) in _REGIMES:
        return _REGIMES[_regime_key(value)]
    names = ", ".join(sorted(r.value for r in Regime))
    raise ValidationError(field, f"one of {names}", value)


class _Reader:
    """Typed access to one table of the parsed document, with key paths for errors."""

    def __init__(self, origin: str, path: str, data: object) -> None:
        self.origin = origin
        self.path = path
        if not isinstance(data, Mapping):
            raise self.error(path or "(document)", "a table", data)
        self.data: Mapping[str, Any] = data

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def error(self, key: str, expected: str, value: object) -> CaseFileError:
        return CaseFileError(self.origin, key, f"expected {expected}, got {_describe(value)}")

    def missing(self, name: str, expected: str) -> CaseFileError:
        return CaseFileError(
            self.origin, self.key(name), f"required key missing; expected {expected}"
        )

    def allow(self, *names: str) -> None:
        for name in self.data:
            if name not in names:
                known = ", ".join(sorted(names))
                raise CaseFileError(
                    self.origin, self.key(name), f"unknown key; expected one of {known}"
                )

    def raw(self, name: str, expected: str, *, required: bool, floats: bool = False) -> object:
        """The value at *name*; a float is refused unless *floats* (decimals say why)."""
        if name not in self.data:
            if required:
                raise self.missing(name, expected)
            return None
        value = self.data[name]
        if isinstance(value, _FloatLiteral) and not floats:
            raise self.error(self.key(name), expected, value)
        return value

    def table(self, name: str, *, required: bool) -> _Reader | None:
        value = self.raw(name, "a table", required=required)
        return None if value is None else _Reader(self.origin, self.key(name), value)

    def tables(self, name: str, *, required: bool) -> list[_Reader]:
        value = self.raw(name, "a list of tables", required=required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(self.key(name), "a list of tables", value)
        return [_Reader(self.origin, f"{self.key(name)}[{i}]", v) for i, v in enumerate(value)]

    def text(self, name: str, *, required: bool, default: str = "") -> str:
        value = self.raw(name, "a string", required=required)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.error(self.key(name), "a string", value)
        return value

    def name(self, name: str) -> str:
        value = self.text(name, required=True)
        if not value.strip():
            raise self.error(self.key(name), "a non-empty string", value)
        return value

    def boolean(self, name: str, *, default: bool) -> bool:
        value = self.raw(name, "true or false", required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(self.key(name), "true or false", value)
        return value

    def integer(
        self, name: str, *, minimum: int, required: bool, expected: str | None = None
    ) -> int | None:
        expected = expected or f"a whole number of {minimum} or more"
        value = self.raw(name, expected, required=required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(self.key(name), expected, value)
        return value

    def date(self, name: str, *, required: bool) -> dt.date | None:
        expected = "a date YYYY-MM-DD (a TOML date or a string)"
        value = self.raw(name, expected, required=required)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            raise self.error(self.key(name), "a date without a time", value)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(self.key(name), expected, value)

    def choice(self, kind: type[_E], name: str, *, required: bool) -> _E | None:
        allowed = ", ".join(str(m.value) for m in kind)
        value = self.raw(name, f"one of {allowed}", required=required)
        return None if value is None else _member(self, self.key(name), kind, value)

    def choices(self, kind: type[_E], name: str) -> list[_E]:
        allowed = ", ".join(str(m.value) for m in kind)
        value = self.raw(name, f"a list of: {allowed}", required=False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(self.key(name), f"a list of: {allowed}", value)
        return [_member(self, f"{self.key(name)}[{i}]", kind, v) for i, v in enumerate(value)]

    def decimal(self, name: str, *, required: bool, what: str = "number") -> Decimal | None:
        expected = f'{_a(what)} as a quoted decimal string such as "120.50"'
        value = self.raw(name, expected, required=required, floats=True)
        if value is None:
            return None
        return _decimal(self, self.key(name), value, what)

    def amount(self, name: str, currency: str, *, required: bool) -> Money | None:
        value = self.decimal(name, required=required, what="amount")
        if value is None:
            return None
        return _money(self, self.key(name), value, currency)

    def rate(self, name: str, *, required: bool) -> InterestRate | None:
        table = self.table(name, required=required)
        if table is None:
            return None
        table.allow("value", "unit", "day_count")
        value = _need(table.decimal("value", required=True, what="rate"))
        unit = _need(table.choice(RateUnit, "unit", required=True))
        days = table.integer(
            "day_count",
            minimum=1,
            required=unit is RateUnit.DAILY,
            expected="360 or 365 (the day count a daily rate is stated with)",
        )
        day_count = None
        if days is not None:
            if days not in {d.value for d in DayCount}:
                raise table.error(table.key("day_count"), "360 or 365", days)
            day_count = DayCount(days)
        return _build(table, lambda: InterestRate(value=value, unit=unit, day_count=day_count))


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in {"a", "e", "i", "o", "u"} else f"a {noun}"


def _member(reader: _Reader, key: str, kind: type[_E], value: object) -> _E:
    allowed = ", ".join(str(m.value) for m in kind)
    try:
        return kind(value)
    except ValueError:
        raise reader.error(key, f"one of {allowed}", value) from None


def _decimal(reader: _Reader, key: str, value: object, what: str) -> Decimal:
    if isinstance(value, _FloatLiteral):
        raise reader.error(key, _QUOTE_IT.format(text=value.text), value)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise reader.error(key, f'{_a(what)} as a quoted decimal string such as "120.50"', value)
    try:
        result = to_decimal(key, value)
    except ValidationError:
        raise reader.error(key, f'{_a(what)} as a decimal number such as "120.50"', value) from None
    if result < 0:
        raise reader.error(key, f"{_a(what)} of zero or more", value)
    return result


def _money(reader: _Reader, key: str, value: Decimal, currency: str) -> Money:
    places = minor_units(currency)
    if value != value.quantize(Decimal(1).scaleb(-places), context=EXACT):
        raise reader.error(
            key, f"an amount in whole {currency} minor units ({places} decimal places)", str(value)
        )
    return Money(value, currency)


def _need(value: _T | None) -> _T:
    """Narrow the result of a ``required=True`` read, which is never ``None``."""
    if value is None:  # pragma: no cover - the reader raises for a missing key first
        raise AssertionError("a required value was not read")
    return value


def _build(reader: _Reader, make: Callable[[], _T]) -> _T:
    """Run a model constructor; turn its ``ValidationError`` into a :class:`CaseFileError`.

    The model names its field as ``Class.attribute``; the error names the file's key path.
    """
    try:
        return make()
    except ValidationError as error:
        attribute = error.field.partition(".")[2] or error.field
        key = reader.key(attribute)
        raise CaseFileError(
            reader.origin, key, f"expected {error.expected}, got {_describe(error.value)}"
        ) from error


def _currency(reader: _Reader, name: str) -> str:
    value = reader.text(name, required=True)
    try:
        return currency_code(reader.key(name), value)
    except ValidationError:
        raise reader.error(
            reader.key(name), "an ISO 4217 currency code such as CNY", value
        ) from None


# --- borrower ---------------------------------------------------------------------------


def _borrower(doc: _Reader) -> Borrower:
    reader = _need(doc.table("borrower", required=True))
    reader.allow(
        "name",
        "currency",
        "monthly_income",
        "expenses",
        "other_debt_payments",
        "savings_buffer",
        "hardships",
        "evidence",
        "timezone",
    )
    currency = _currency(reader, "currency")
    income = _need(reader.amount("monthly_income", currency, required=True))
    expenses: dict[ExpenseCategory, Money] = {}
    table = reader.table("expenses", required=False)
    if table is not None:
        table.allow(*(c.value for c in ExpenseCategory))
        for category in ExpenseCategory:
            amount = table.amount(category.value, currency, required=False)
            if amount is not None:
                expenses[category] = amount
    hardships = []
    for item in reader.tables("hardships", required=False):
        item.allow("kind", "start", "expected_end")
        kind = _need(item.choice(HardshipKind, "kind", required=True))
        start = _need(item.date("start", required=True))
        end = item.date("expected_end", required=False)
        hardships.append(
            _build(item, functools.partial(Hardship, kind=kind, start=start, expected_end=end))
        )
    evidence = []
    for item in reader.tables("evidence", required=False):
        item.allow("kind", "issued", "sha256", "description")
        kind_e = _need(item.choice(EvidenceKind, "kind", required=True))
        issued = _need(item.date("issued", required=True))
        sha = item.text("sha256", required=False) or None
        description = item.text("description", required=False)
        evidence.append(
            _build(
                item,
                functools.partial(
                    Evidence, kind=kind_e, issued=issued, sha256=sha, description=description
                ),
            )
        )
    zero = Money.zero(currency)
    other = reader.amount("other_debt_payments", currency, required=False) or zero
    buffer = reader.amount("savings_buffer", currency, required=False) or zero
    name = reader.text("name", required=False)
    timezone = reader.text("timezone", required=False) or None
    return _build(
        reader,
        lambda: Borrower(
            name=name,
            timezone=timezone,
            currency=currency,
            monthly_income=income,
            expenses=expenses,
            other_debt_payments=other,
            savings_buffer=buffer,
            hardships=hardships,
            evidence=evidence,
        ),
    )


# --- debts, policies, goals ---------------------------------------------------------------

#: What each key of a policy table must be before :meth:`LenderPolicy.from_mapping` sees
#: it; that method converts values but does not check every type.
_POLICY_TYPES: Final = {
    "lender": "text",
    "source": "text",
    "effective_from": "date",
    "fee_rate": "decimal",
    "fee_timing": "text",
    "max_months": "int",
    "plan_rate": "rate",
    "interest_waiver_max": "decimal",
    "penalty_waiver_max": "decimal",
    "principal_waiver_max": "decimal",
    "accepted_hardships": "texts",
    "documents": "documents",
    "min_first_payment": "decimal",
    "settlement_discount_max": "decimal",
    "settlement_months": "int",
    "deferral_max_months": "int",
    "deferral_interest": "bool",
    "lapses_on_missed_payment": "bool",
    "acceptance_prior": "decimal",
}


def _check_policy_value(reader: _Reader, name: str, kind: str) -> object:  # noqa: PLR0911
    if kind == "text":
        return reader.text(name, required=False)
    if kind == "date":
        return reader.date(name, required=False)
    if kind == "decimal":
        fraction = reader.decimal(name, required=False, what="fraction")
        if fraction is not None and fraction > 1:
            raise reader.error(reader.key(name), "a fraction between 0 and 1", reader.data[name])
        return fraction
    if kind == "int":
        return reader.integer(name, minimum=0, required=False)
    if kind == "bool":
        return reader.boolean(name, default=True)
    if kind == "rate":
        reader.rate(name, required=False)  # checked here; from_mapping builds its own
        return reader.data[name]
    value = reader.raw(name, "a list", required=False)
    if kind == "texts":
        _strings(reader, reader.key(name), value)
        return value
    documents = reader.table(name, required=False)
    assert documents is not None  # noqa: S101 - only called for keys present
    for hardship, kinds in documents.data.items():
        _strings(documents, documents.key(hardship), kinds)
    return value


def _strings(reader: _Reader, key: str, value: object) -> None:
    if not isinstance(value, list):
        raise reader.error(key, "a list of strings", value)
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise reader.error(f"{key}[{i}]", "a string", item)


def _policy(debt_reader: _Reader, creditor: str) -> LenderPolicy | None:
    reader = debt_reader.table("policy", required=False)
    if reader is None:
        return None
    reader.allow(*_POLICY_TYPES)
    values: dict[str, Any] = {}
    for name in reader.data:
        values[name] = _check_policy_value(reader, name, _POLICY_TYPES[name])
    lender = values.setdefault("lender", creditor)
    if not isinstance(lender, str) or lender.casefold() != creditor.casefold():
        raise reader.error(reader.key("lender"), f"the debt's creditor name {creditor!r}", lender)
    values.setdefault("source", "user-entered")
    origin = f"{reader.origin}: {reader.path}"
    try:
        return LenderPolicy.from_mapping(values, origin=origin)
    except PolicyFileError as error:
        prefix = f"{origin}: {error.key}: "
        message = str(error)
        problem = message[len(prefix) :] if message.startswith(prefix) else message
        # The policy names its own fields "LenderPolicy.<name>"; the file says "<name>".
        name = error.key.removeprefix("LenderPolicy.")
        key = reader.path if name.startswith("(") or " " in name else reader.key(name)
        raise CaseFileError(reader.origin, key, problem) from error


_GOAL_KEYS: Final = ("max_monthly_payment", "max_months", "waive", "deadline")


def _goal_values(reader: _Reader | None, currency: str) -> dict[str, Any]:
    if reader is None:
        return {}
    reader.allow(*_GOAL_KEYS)
    values: dict[str, Any] = {}
    if "max_monthly_payment" in reader.data:
        values["max_monthly_payment"] = reader.amount(
            "max_monthly_payment", currency, required=True
        )
    if "max_months" in reader.data:
        values["max_months"] = reader.integer("max_months", minimum=1, required=True)
    if "waive" in reader.data:
        values["waive"] = frozenset(reader.choices(WaiverKind, "waive"))
    if "deadline" in reader.data:
        values["deadline"] = reader.date("deadline", required=True)
    return values


def _debt(reader: _Reader, borrower_currency: str) -> tuple[Claim, LenderPolicy | None, _Reader]:
    reader.allow(
        "creditor",
        "currency",
        "principal",
        "accrued_interest",
        "penalty_interest",
        "fees",
        "days_overdue",
        "contract_rate",
        "penalty_rate",
        "compounds",
        "as_of",
        "opened",
        "account",
        "priority",
        "minimum_payment",
        "policy",
        "goals",
    )
    creditor_reader = _need(reader.table("creditor", required=True))
    creditor_reader.allow("name", "kind")
    name = creditor_reader.name("name")
    kind = _need(creditor_reader.choice(CreditorKind, "kind", required=True))
    creditor = _build(creditor_reader, lambda: Creditor(name=name, kind=kind))
    currency = _currency(reader, "currency")
    if currency != borrower_currency:
        raise reader.error(
            reader.key("currency"), f"the borrower's currency {borrower_currency}", currency
        )
    zero = Money.zero(currency)
    principal = _need(reader.amount("principal", currency, required=True))
    interest = reader.amount("accrued_interest", currency, required=False) or zero
    penalty = reader.amount("penalty_interest", currency, required=False) or zero
    fees = reader.amount("fees", currency, required=False) or zero
    overdue = reader.integer("days_overdue", minimum=0, required=False) or 0
    contract_rate = _need(reader.rate("contract_rate", required=True))
    penalty_rate = reader.rate("penalty_rate", required=False)
    compounds = reader.boolean("compounds", default=False)
    as_of = _need(reader.date("as_of", required=True))
    opened = reader.date("opened", required=False)
    account = reader.text("account", required=False)
    debt = _build(
        reader,
        lambda: Debt(
            creditor=creditor,
            currency=currency,
            principal=principal,
            accrued_interest=interest,
            penalty_interest=penalty,
            fees=fees,
            days_overdue=overdue,
            contract_rate=contract_rate,
            penalty_rate=penalty_rate,
            compounds=compounds,
            as_of=as_of,
            opened=opened,
            account=account,
        ),
    )
    priority = reader.boolean("priority", default=False)
    minimum = reader.amount("minimum_payment", currency, required=False)
    if minimum is not None and not priority:
        raise reader.error(
            reader.key("minimum_payment"), "no minimum_payment unless priority = true", minimum
        )
    claim = _build(reader, lambda: Claim(debt=debt, priority=priority, minimum=minimum))
    return claim, _policy(reader, name), reader


# --- the whole file ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CaseFile:
    """A case file read into domain objects.

    :param path: where it was read from (the origin named in errors).
    :param borrower: the borrower.
    :param claims: the debts in file order, with their priority flags.
    :param on: the case date: the ``on`` key, or the latest ``as_of`` of the debts.
    :param regime: the annual-rate convention to report.
    :param goals: goals per creditor name (the global ``[goals]`` merged into each debt's).
    :param policies: lender policies per creditor name, for debts that have one.
    :param method: how the borrower's budget is shared among the debts.
    """

    path: str
    borrower: Borrower
    claims: tuple[Claim, ...]
    on: dt.date
    regime: Regime
    goals: Mapping[str, Goals] = attrs.field(factory=dict, hash=False)
    policies: Mapping[str, LenderPolicy] = attrs.field(factory=dict, hash=False)
    method: AllocationMethod = AllocationMethod.PRIORITY_THEN_PRO_RATA

    @property
    def debts(self) -> tuple[Debt, ...]:
        """The debts, in file order."""
        return tuple(c.debt for c in self.claims)

    @property
    def creditors(self) -> tuple[str, ...]:
        """The creditor names, in file order."""
        return tuple(c.debt.creditor.name for c in self.claims)

    def index(self, creditor: str) -> int:
        """The position of the debt owed to *creditor* (matched case-insensitively).

        :raises ~debtnegotiation.errors.ValidationError: naming the creditors in the file.
        """
        for i, name in enumerate(self.creditors):
            if name.casefold() == creditor.casefold():
                return i
        names = ", ".join(repr(n) for n in self.creditors)
        raise ValidationError("creditor", f"one of the creditors in {self.path}: {names}", creditor)

    def portfolio(self, *, host: PluginHost) -> Portfolio:
        """A :class:`~debtnegotiation.portfolio.Portfolio` of every debt, sharing one budget."""
        return Portfolio(
            self.borrower,
            self.claims,
            on=self.on,
            regime=self.regime,
            goals=self.goals,
            policies=self.policies,
            method=self.method,
            host=host,
        )


def case_from_mapping(data: Mapping[str, Any], *, origin: str = "<case>") -> CaseFile:
    """Build a :class:`CaseFile` from parsed TOML or JSON data.

    :param data: the document's top-level table.
    :param origin: how errors name the source, normally the file path.
    :raises CaseFileError: for any key that is missing, unknown, mistyped or out of range.
    """
    doc = _Reader(origin, "", data)
    doc.allow("version", "on", "regime", "allocation", "borrower", "debts", "goals")
    version = doc.integer("version", minimum=1, required=False)
    if version is not None and version != FORMAT_VERSION:
        raise doc.error(
            "version", f"{FORMAT_VERSION} (the only version this release reads)", version
        )
    regime_text = doc.text("regime", required=True)
    try:
        regime = parse_regime(regime_text)
    except ValidationError as error:
        raise doc.error("regime", error.expected, regime_text) from None
    method = doc.choice(AllocationMethod, "allocation", required=False)
    borrower = _borrower(doc)
    debt_readers = doc.tables("debts", required=True)
    if not debt_readers:
        raise doc.error("debts", "at least one [[debts]] table", [])
    claims: list[Claim] = []
    policies: dict[str, LenderPolicy] = {}
    goals: dict[str, Goals] = {}
    common = _goal_values(doc.table("goals", required=False), borrower.currency)
    seen: set[str] = set()
    for reader in debt_readers:
        claim, policy, debt_reader = _debt(reader, borrower.currency)
        name = claim.debt.creditor.name
        if name.casefold() in seen:
            raise reader.error(
                reader.key("creditor.name"), "a creditor name no other debt uses", name
            )
        seen.add(name.casefold())
        claims.append(claim)
        if policy is not None:
            policies[name] = policy
        own = _goal_values(debt_reader.table("goals", required=False), borrower.currency)
        merged = common | own
        if merged:
            goals[name] = _build(debt_reader, functools.partial(Goals, **merged))
    latest = max(c.debt.as_of for c in claims)
    on = doc.date("on", required=False) or latest
    for i, claim in enumerate(claims):
        if on < claim.debt.as_of:
            raise doc.error(
                "on", f"a date on or after debts[{i}].as_of {claim.debt.as_of}", on.isoformat()
            )
        owed = claim.debt.project(on).total
        if owed.amount <= 0:
            raise doc.error(
                f"debts[{i}].principal",
                f"a debt with something owed on {on} (nothing to negotiate otherwise)",
                str(owed.amount),
            )
    return CaseFile(
        path=origin,
        borrower=borrower,
        claims=tuple(claims),
        on=on,
        regime=regime,
        goals=goals,
        policies=policies,
        method=method or AllocationMethod.PRIORITY_THEN_PRO_RATA,
    )


def loads_case(text: str, *, suffix: str, origin: str = "<case>") -> CaseFile:
    """Parse case-file *text* in the syntax *suffix* names (``.toml`` or ``.json``).

    :raises CaseFileError: for a syntax error (with the parser's line and column) or any
        problem :func:`case_from_mapping` finds.
    """
    syntax = CASE_FILE_SUFFIXES.get(suffix.lower())
    if syntax is None:
        raise CaseFileError(
            origin,
            "(file)",
            f"expected a file name ending in {' or '.join(CASE_FILE_SUFFIXES)}, got {suffix!r}",
        )
    data: object
    try:
        if syntax == "TOML":
            data = tomllib.loads(text, parse_float=_FloatLiteral)
        else:
            data = json.loads(
                text,
                parse_float=_FloatLiteral,
                parse_constant=_reject_constant,
                object_pairs_hook=_no_duplicates,
            )
    except (tomllib.TOMLDecodeError, ValueError) as error:
        raise CaseFileError(origin, "(file)", f"not valid {syntax}: {error}") from None
    if not isinstance(data, Mapping):
        raise CaseFileError(origin, "(file)", f"expected a {syntax} object at the top level")
    return case_from_mapping(data, origin=origin)


def load_case(path: str | Path) -> CaseFile:
    """Read the case file at *path* (TOML or JSON, chosen by its suffix).

    Files larger than :data:`MAX_CASE_FILE_BYTES` are refused before parsing; the text
    must be UTF-8.

    :raises CaseFileError: naming the file, the key path and what was expected.
    """
    file = Path(path)
    origin = str(file)
    if file.suffix.lower() not in CASE_FILE_SUFFIXES:
        return loads_case("", suffix=file.suffix or "(none)", origin=origin)
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_CASE_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CaseFileError(origin, "(file)", f"cannot be read: {reason}") from None
    if len(raw) > MAX_CASE_FILE_BYTES:
        raise CaseFileError(
            origin,
            "(file)",
            f"larger than the {MAX_CASE_FILE_BYTES} bytes (1 MiB) a case file may have; "
            "is this the right file?",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CaseFileError(
            origin, "(file)", f"expected UTF-8 text, found an invalid byte at offset {error.start}"
        ) from None
    return loads_case(text.removeprefix("\ufeff"), suffix=file.suffix, origin=origin)
