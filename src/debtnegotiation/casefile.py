"""Case files: a borrower, their debts, lender policies and goals in TOML or JSON.

A case file is what people who do not write Python give the ``debtneg`` command. The
schema is documented key by key in ``docs/reference/case-file.rst`` and shipped as a JSON
Schema (:func:`case_file_schema`) that editors use; ``examples/xian.toml`` is the built-in
example (:mod:`debtnegotiation.example`) written as a case file.

Reading is strict, because a silently misread amount is a wrong number, and reports
everything wrong in the file at once (:mod:`debtnegotiation.filereader` does the walking):

* money and rates are quoted decimal strings (``"18600.00"``) or whole numbers; a TOML or
  JSON *float* is refused with a message saying to quote it, because a binary float cannot
  hold most decimal amounts exactly;
* every key is checked: an unknown key (a typo such as ``principle``), a missing required
  key, a value of the wrong type, an unknown enum value or a negative amount is a problem
  named by its key path (``debts[0].principal``, as cattrs' ``transform_error`` spells
  paths); one :class:`CaseFileError` lists every problem of the file;
* files larger than :data:`MAX_CASE_FILE_BYTES` are refused before they are parsed.

>>> from debtnegotiation.casefile import loads_case
>>> case = loads_case('''
... regime = "CN-PBOC"
... [borrower]
... currency = "CNY"
... monthly_income = "4200.00"
... [[debts]]
... creditor = { name = "Example Bank", kind = "credit-cards" }
... currency = "CNY"
... principal = 12000.00
... contract_rate = { value = "0.0005", unit = "daily", day_count = 365 }
... ''', suffix=".toml", origin="case.toml")
Traceback (most recent call last):
...
debtnegotiation.casefile.CaseFileError: case.toml: debts[0].creditor.kind: expected one of ...
case.toml: debts[0].principal: expected a quoted decimal string such as "12000.00" ...
case.toml: debts[0].as_of: required key missing; expected a date YYYY-MM-DD ...
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import attrs

from debtnegotiation._bounds import check_amount
from debtnegotiation._exact import EXACT
from debtnegotiation.allocation import AllocationMethod, Claim
from debtnegotiation.apr import Regime
from debtnegotiation.borrower import (
    REGION_PATTERN,
    Borrower,
    Evidence,
    EvidenceKind,
    ExpenseCategory,
    Hardship,
    HardshipKind,
)
from debtnegotiation.budget import (
    DEFAULT_HEADROOM,
    Budget,
    IncomeKind,
    IncomeLine,
    PriorityDebt,
    PriorityKind,
    SpendingCategory,
    SpendingLine,
)
from debtnegotiation.case import Goals
from debtnegotiation.debt import Creditor, CreditorKind, Debt
from debtnegotiation.errors import ValidationError
from debtnegotiation.filereader import (
    FILE_KEY,
    MAX_FILE_BYTES,
    Boolean,
    Choice,
    Date,
    Field,
    InputFileError,
    Integer,
    Kind,
    ListOf,
    Number,
    Problem,
    Reader,
    Table,
    Text,
    Values,
    case_insensitive_pattern,
    need,
    parse,
    read_text,
    table_of_enum,
)
from debtnegotiation.money import Money, currency_code, minor_units
from debtnegotiation.payoff import DEFAULT_MAX_MONTHS, PayoffMethod
from debtnegotiation.plan import WaiverKind
from debtnegotiation.plugins import PluginHost
from debtnegotiation.policy import MAX_TERM_MONTHS, POLICY_TABLE, RATE_TABLE, LenderPolicy
from debtnegotiation.portfolio import Portfolio
from debtnegotiation.schedule_dates import add_months

__all__ = [
    "CASE_FILE_SUFFIXES",
    "FORMAT_VERSION",
    "LATEST_CASE_DATE",
    "MAX_CASE_FILE_BYTES",
    "CaseFile",
    "CaseFileError",
    "PayoffSettings",
    "case_file_schema",
    "case_from_mapping",
    "load_case",
    "loads_case",
    "parse_regime",
]

#: The largest case file read, in bytes (1 MiB), as for every file the reader reads
#: (:data:`~debtnegotiation.filereader.MAX_FILE_BYTES`).
MAX_CASE_FILE_BYTES: Final = MAX_FILE_BYTES

#: The latest case date (``on``, or the latest ``as_of``): a plan with a deferral, each up
#: to :data:`~debtnegotiation.policy.MAX_TERM_MONTHS` months, must end by 9999-12-31.
LATEST_CASE_DATE: Final = dt.date(9899, 12, 31)

#: File suffixes understood, and the syntax each one selects.
CASE_FILE_SUFFIXES: Final = {".toml": "TOML", ".json": "JSON"}

#: The schema version this module reads (the optional top-level ``version`` key).
FORMAT_VERSION: Final = 1

#: The JSON Schema dialect of :func:`case_file_schema`: draft 7, which VS Code's JSON
#: support and taplo (Even Better TOML) both read.
_SCHEMA_DIALECT: Final = "http://json-schema.org/draft-07/schema#"


class CaseFileError(InputFileError):
    """A case file has problems; the message lists each on its own line.

    An :class:`~debtnegotiation.filereader.InputFileError`: each line is
    ``file: key path: problem``, and the parts are in its ``file`` and ``problems``
    (:class:`~debtnegotiation.filereader.Problem`: ``key``, ``expected``, ``value``).
    ``key`` and ``problem`` are the first problem's, for callers that show one. A problem
    with the file as a whole (unreadable, not TOML) has the key ``(file)``.
    """


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


class _RegimeKind(Kind):
    """A regime name in any spelling (:func:`parse_regime`)."""

    names = sorted(r.value for r in Regime)

    @property
    def expected(self) -> str:
        """``one of CN-PBOC, EU-CCD, US-RegZ, XIRR``."""
        return f"one of {', '.join(self.names)}"

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The :class:`~debtnegotiation.apr.Regime`, or a problem."""
        try:
            return parse_regime(value, field=key)
        except ValidationError:
            return reader.refuse(key, self.expected, value)

    def schema(self) -> dict[str, Any]:
        """A string matching a regime name, ignoring case and punctuation."""
        spellings = [*(r.value for r in Regime), *(r.name for r in Regime)]
        return {
            "type": "string",
            "pattern": case_insensitive_pattern(spellings),
            "examples": self.names,
        }


class _CurrencyKind(Kind):
    """An ISO 4217 currency code known to CLDR, read in upper case."""

    expected = "an ISO 4217 currency code such as CNY"

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The upper-case code, or a problem."""
        if not isinstance(value, str):
            return reader.refuse(key, "a string", value)
        try:
            return currency_code(key, value)
        except ValidationError:
            return reader.refuse(key, self.expected, value)

    def schema(self) -> dict[str, Any]:
        """Three letters."""
        return {"type": "string", "pattern": "^[A-Za-z]{3}$"}


class _RegionKind(Kind):
    """An ISO 3166-2 subdivision code such as US-CA, read in upper case."""

    expected = "an ISO 3166-2 subdivision code such as US-CA"

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The upper-case code, or a problem."""
        if not isinstance(value, str) or not REGION_PATTERN.fullmatch(value.strip().upper()):
            return reader.refuse(key, self.expected, value)
        return value.strip().upper()

    def schema(self) -> dict[str, Any]:
        """Two letters, a hyphen, one to three letters or digits."""
        return {"type": "string", "pattern": "^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$"}


def _money(currency: str) -> Callable[[Decimal], Money]:
    """Turn an amount read as a ``Decimal`` into *currency*, in whole minor units."""
    places = minor_units(currency)
    quantum = Decimal(1).scaleb(-places)

    def convert(value: Decimal) -> Money:
        if value != value.quantize(quantum, context=EXACT):
            expected = f"an amount in whole {currency} minor units ({places} decimal places)"
            raise ValidationError("amount", expected, str(value))
        return Money(check_amount("amount", value, places), currency)

    return convert


def _amounts(values: Values | None, currency: str) -> None:
    """Turn every amount of the table *values* into Money in *currency*."""
    if values is None:
        return
    for field in values.table.fields:
        if field.kind is _AMOUNT:
            values.refine(field.name, _money(currency))


# --- definitions: every key of a case file ------------------------------------------------

_AMOUNT: Final = Number("amount")
_ZERO: Final = "0"

_CREDITOR: Final = Table(
    fields=[
        Field("name", Text(non_empty=True), required=True, doc="The creditor's name."),
        Field("kind", Choice(CreditorKind), required=True, doc="What kind of lender it is."),
    ],
    doc="Who is owed.",
    make=lambda v: v.build(lambda: Creditor(name=v["name"], kind=v["kind"])),
)

_HARDSHIP: Final = Table(
    fields=[
        Field("kind", Choice(HardshipKind), required=True, doc="What happened."),
        Field("start", Date(), required=True, doc="When it started."),
        Field("expected_end", Date(), doc="When it is expected to end, not before start."),
    ],
    doc="A hardship the borrower is in.",
    make=lambda v: v.build(
        lambda: Hardship(kind=v["kind"], start=v["start"], expected_end=v["expected_end"])
    ),
)

_EVIDENCE: Final = Table(
    fields=[
        Field("kind", Choice(EvidenceKind), required=True, doc="What the document is."),
        Field("issued", Date(), required=True, doc="When it was issued."),
        Field("sha256", Text(), doc="64 hexadecimal characters fingerprinting the file."),
        Field("description", Text(), default="", doc="What it shows."),
    ],
    doc="A document the borrower has on hand.",
    make=lambda v: v.build(
        lambda: Evidence(
            kind=v["kind"],
            issued=v["issued"],
            sha256=v["sha256"] or None,
            description=v["description"],
        )
    ),
)


def _expenses(values: Values | None) -> dict[ExpenseCategory, Money]:
    return {} if values is None else {ExpenseCategory(k): values[k] for k in values}


def _borrower(v: Values) -> Borrower | None:
    if v.ok("currency"):
        _amounts(v, v["currency"])
        _amounts(v["expenses"] if v.ok("expenses") else None, v["currency"])
    expenses = v["expenses"]
    return v.build(
        lambda: Borrower(
            name=v["name"],
            timezone=v["timezone"] or None,
            region=v["region"],
            address=v["address"] or (),
            phone=v["phone"],
            email=v["email"],
            currency=v["currency"],
            monthly_income=v["monthly_income"],
            expenses=_expenses(expenses),
            other_debt_payments=v["other_debt_payments"],
            savings_buffer=v["savings_buffer"],
            hardships=v["hardships"] or [],
            evidence=v["evidence"] or [],
        )
    )


_BORROWER: Final = Table(
    fields=[
        Field("name", Text(), default="", doc="The borrower's name, for letters and scripts."),
        Field(
            "currency",
            _CurrencyKind(),
            required=True,
            doc="ISO 4217 code, e.g. CNY; every debt is in it.",
        ),
        Field("monthly_income", _AMOUNT, required=True, doc="Net monthly income."),
        Field(
            "expenses",
            table_of_enum(ExpenseCategory, _AMOUNT, doc="Essential monthly spending by category."),
            doc="Essential monthly spending by category.",
        ),
        Field(
            "other_debt_payments",
            _AMOUNT,
            default=_ZERO,
            doc="Monthly payments on debts not in this file.",
        ),
        Field(
            "savings_buffer",
            _AMOUNT,
            default=_ZERO,
            doc="Kept aside each month for emergencies.",
        ),
        Field("hardships", ListOf(_HARDSHIP), doc="The hardships the borrower is in."),
        Field("evidence", ListOf(_EVIDENCE), doc="The documents on hand."),
        Field(
            "timezone",
            Text(),
            doc="The borrower's IANA time zone (Asia/Shanghai), for contact-hour rules.",
        ),
        Field(
            "region",
            _RegionKind(),
            doc="Where the borrower lives, an ISO 3166-2 code (US-CA), for rules that differ "
            "by state, such as consent to record a call.",
        ),
        Field(
            "address",
            ListOf(Text(non_empty=True)),
            doc="The borrower's postal address, one line each, for the letter's sender block.",
        ),
        Field("phone", Text(), default="", doc="A telephone number for the letter."),
        Field("email", Text(), default="", doc="An e-mail address for the letter."),
    ],
    doc="The borrower: monthly net amounts in one currency.",
    make=_borrower,
)

_GOALS: Final = Table(
    fields=[
        Field(
            "max_monthly_payment",
            _AMOUNT,
            doc="The most the borrower will commit to each month for a debt.",
        ),
        Field(
            "max_months",
            Integer(minimum=1, maximum=600, unit="months"),
            doc="The longest plan they accept (a cap).",
        ),
        Field(
            "target_months",
            Integer(minimum=1, maximum=600, unit="months"),
            doc="The term they aim for (a target, e.g. 24), distinct from the cap.",
        ),
        Field(
            "payment_share",
            Number("share", example="0.80", fraction=True),
            doc=(
                "The most of the monthly budget a plan's largest payment may take, leaving "
                "headroom (default 0.90)."
            ),
        ),
        Field("waive", ListOf(Choice(WaiverKind)), doc="Charges to ask to waive."),
        Field("deadline", Date(), doc="The date by which they want an agreement."),
    ],
    doc="What the borrower wants; a debt's own goals win over the top-level ones, key by key.",
)

# In a case file the policy belongs to its debt: the lender defaults to the creditor.
_CASE_POLICY: Final = POLICY_TABLE.replacing(
    Field("lender", Text(), doc="The debt's creditor name (the default), case-insensitive."),
    Field(
        "source",
        Text(),
        default="user-entered",
        doc="Where the terms come from (a URL, a document).",
    ),
    make=None,
)

_DEBT_PAYOFF: Final = Table(
    fields=[
        Field("minimum", _AMOUNT, doc="The contract's minimum payment a month."),
        Field("monthly_fee", _AMOUNT, doc="A fee charged each month the debt is open."),
        Field(
            "option",
            Text(non_empty=True),
            doc="The negotiated option to plan with under method 'negotiated': its label or "
            "strategy name, case-insensitive.",
        ),
    ],
    doc="How the debt enters the plan across every debt (debtneg payoff).",
)

_INCOME_LINE: Final = Table(
    fields=[
        Field("kind", Choice(IncomeKind), required=True, doc="Where the income comes from."),
        Field("amount", _AMOUNT, required=True, doc="Net amount a month."),
        Field("label", Text(), default="", doc="What it is, in words."),
    ],
    doc="One line of net monthly income.",
)

_PRIORITY_LINE: Final = Table(
    fields=[
        Field("kind", Choice(PriorityKind), required=True, doc="What kind of priority debt."),
        Field("creditor", Text(), default="", doc="Who is owed."),
        Field("payment", _AMOUNT, required=True, doc="The payment it needs each month."),
        Field("owed", _AMOUNT, doc="The balance owed, when known (shown, not summed)."),
    ],
    doc="A priority debt outside [[debts]]: paid before the non-priority debts.",
)

_BUDGET: Final = Table(
    fields=[
        Field(
            "household_size",
            Integer(minimum=1, maximum=50, unit="people"),
            default=1,
            doc="People the income supports (for spending guidelines).",
        ),
        Field(
            "income",
            ListOf(_INCOME_LINE),
            doc="Net income lines; they must add up to borrower.monthly_income.",
        ),
        Field(
            "expenses",
            table_of_enum(SpendingCategory, _AMOUNT, doc="Monthly spending by category."),
            doc="Monthly spending by category, instead of borrower.expenses.",
        ),
        Field("priority", ListOf(_PRIORITY_LINE), doc="Priority debts and their payments."),
    ],
    doc="The household budget: income lines, spending and priority debts.",
)

_PAYOFF: Final = Table(
    fields=[
        Field(
            "method",
            Choice(PayoffMethod),
            default=PayoffMethod.AVALANCHE.value,
            doc="Where money beyond the minimums goes: avalanche, snowball, pro-rata, order "
            "or negotiated.",
        ),
        Field(
            "order",
            ListOf(Text(non_empty=True)),
            doc="For method 'order': every non-priority creditor's name, first paid first.",
        ),
        Field(
            "max_months",
            Integer(minimum=1, maximum=1200, unit="months"),
            default=DEFAULT_MAX_MONTHS,
            doc="The longest plan worked out.",
        ),
    ],
    doc="The plan across every debt (debtneg payoff).",
)

_DEBT: Final = Table(
    fields=[
        Field("creditor", _CREDITOR, required=True, doc="Who is owed."),
        Field("currency", _CurrencyKind(), required=True, doc="The borrower's currency."),
        Field("principal", _AMOUNT, required=True, doc="Outstanding principal on as_of."),
        Field(
            "accrued_interest",
            _AMOUNT,
            default=_ZERO,
            doc="Contract interest due and unpaid.",
        ),
        Field(
            "penalty_interest",
            _AMOUNT,
            default=_ZERO,
            doc="Penalty (default) interest due and unpaid.",
        ),
        Field("fees", _AMOUNT, default=_ZERO, doc="Late fees and other charges due and unpaid."),
        Field(
            "days_overdue",
            Integer(minimum=0),
            default=0,
            doc="Days since the first missed payment; 0 when current.",
        ),
        Field("contract_rate", RATE_TABLE, required=True, doc="The contract rate as quoted."),
        Field("penalty_rate", RATE_TABLE, doc="The extra rate charged on principal while overdue."),
        Field(
            "compounds",
            Boolean(),
            default=False,
            doc="Whether unpaid interest joins the interest base monthly.",
        ),
        Field("as_of", Date(), required=True, doc="The date the balances are stated at."),
        Field("opened", Date(), doc="The contract date, not after as_of."),
        Field("account", Text(), default="", doc="An account reference for letters and the log."),
        Field(
            "priority",
            Boolean(),
            default=False,
            doc="A priority debt (housing, tax, utilities, secured) is paid first.",
        ),
        Field(
            "minimum_payment",
            _AMOUNT,
            doc="For a priority debt only: the payment it needs each month.",
        ),
        Field("policy", _CASE_POLICY, doc="What this lender offers."),
        Field("goals", _GOALS, doc="Goals for this debt."),
        Field("payoff", _DEBT_PAYOFF, doc="How the debt enters the plan across every debt."),
    ],
    doc="One debt.",
)

_CASE: Final = Table(
    fields=[
        Field(
            "$schema",
            Text(),
            doc="The JSON Schema this file follows, for editors; not read otherwise.",
        ),
        Field(
            "version",
            Integer(minimum=1, choices=(1,), expected="1 (the only version this release reads)"),
            doc="The case-file format version.",
        ),
        Field("on", Date(), doc="The case date; default: the latest as_of of the debts."),
        Field(
            "regime",
            _RegimeKind(),
            required=True,
            doc="The annual-rate convention: CN-PBOC, EU-CCD, US-RegZ or XIRR.",
        ),
        Field(
            "allocation",
            Choice(AllocationMethod),
            default=AllocationMethod.PRIORITY_THEN_PRO_RATA.value,
            doc="How the borrower's sustainable payment is shared among the debts.",
        ),
        Field("borrower", _BORROWER, required=True, doc="The borrower."),
        Field(
            "debts",
            ListOf(_DEBT, non_empty="at least one [[debts]] table"),
            required=True,
            doc="One table per debt, at least one.",
        ),
        Field("goals", _GOALS, doc="Goals for every debt."),
        Field("budget", _BUDGET, doc="The household budget, in the borrower's currency."),
        Field("payoff", _PAYOFF, doc="The plan across every debt."),
    ],
    doc="A debtnegotiation case file: a borrower, their debts, lender policies and goals.",
)


# --- building the objects -----------------------------------------------------------------


def _policy(v: Values, creditor: str | None) -> LenderPolicy | None:
    lender = v["lender"] if v.ok("lender") else None
    if lender is not None and creditor is not None and lender.casefold() != creditor.casefold():
        v.refuse("lender", f"the debt's creditor name {creditor!r}", lender)
    return v.build(
        lambda: LenderPolicy(**({"lender": need(creditor)} | v.given() | {"source": v["source"]}))
    )


@attrs.frozen
class _Debt:
    """What one [[debts]] table gives: the claim, its policy and its own goals."""

    claim: Claim | None
    policy: LenderPolicy | None
    goals: Values | None
    payoff: Values | None = None


def _debt(v: Values, borrower_currency: str | None) -> _Debt:
    currency = v["currency"] if v.ok("currency") else None
    if currency is not None and borrower_currency is not None and currency != borrower_currency:
        v.refuse("currency", f"the borrower's currency {borrower_currency}", currency)
    if currency is not None:
        _amounts(v, currency)
    creditor = v["creditor"] if v.ok("creditor") else None
    policy_values = v["policy"] if v.ok("policy") else None
    policy = None
    if policy_values is not None:
        policy = _policy(policy_values, None if creditor is None else creditor.name)
    goals = v["goals"] if v.ok("goals") else None
    if goals is not None and currency is not None:
        _amounts(goals, currency)
    payoff = v["payoff"] if v.ok("payoff") else None
    if payoff is not None and currency is not None:
        _amounts(payoff, currency)
    if v.ok("minimum_payment") and v["minimum_payment"] is not None and not v["priority"]:
        v.refuse(
            "minimum_payment", "no minimum_payment unless priority = true", v["minimum_payment"]
        )
    debt = v.build(
        lambda: Debt(
            creditor=v["creditor"],
            currency=v["currency"],
            principal=v["principal"],
            accrued_interest=v["accrued_interest"],
            penalty_interest=v["penalty_interest"],
            fees=v["fees"],
            days_overdue=v["days_overdue"],
            contract_rate=v["contract_rate"],
            penalty_rate=v["penalty_rate"],
            compounds=v["compounds"],
            as_of=v["as_of"],
            opened=v["opened"],
            account=v["account"],
        )
    )
    claim = v.build(
        lambda: Claim(debt=need(debt), priority=v["priority"], minimum=v["minimum_payment"])
    )
    return _Debt(claim, policy, goals, payoff)


def _case(doc: Values, origin: str) -> CaseFile:
    borrower: Borrower | None = doc["borrower"] if doc.ok("borrower") else None
    currency = None if borrower is None else borrower.currency
    common = doc["goals"] if doc.ok("goals") else None
    if common is not None and currency is not None:
        _amounts(common, currency)
    claims: dict[int, Claim] = {}  # by position in the file; a debt with problems is absent
    policies: dict[str, LenderPolicy] = {}
    goals: dict[str, Goals] = {}
    seen: set[str] = set()
    payoff_values: dict[str, Values] = {}
    for i, item in enumerate(doc["debts"]):
        read = item.build(functools.partial(_debt, item, currency))
        if read is None or read.claim is None:
            continue
        name = read.claim.debt.creditor.name
        if name.casefold() in seen:
            expected = "a creditor name no other debt uses"
            item.reader.refuse(item.key("creditor.name"), expected, name)
        seen.add(name.casefold())
        claims[i] = read.claim
        if read.policy is not None:
            policies[name] = read.policy
        if read.payoff is not None:
            payoff_values[name] = read.payoff
        built = item.build(functools.partial(_goals, common, read.goals))
        if built is not None:
            goals[name] = built
    on = doc["on"] if doc.ok("on") else None
    if claims:
        on = on or max(c.debt.as_of for c in claims.values())
        _check_case_date(doc, claims, on)
    budget = None
    if doc.ok("budget") and doc["budget"] is not None and borrower is not None:
        budget = doc.build(functools.partial(_budget, doc["budget"], borrower, common))
        if budget is not None:
            borrower = budget.borrower(borrower)
    payoff = _payoff(doc, payoff_values, claims)
    return CaseFile(
        path=origin,
        borrower=need(borrower),
        budget=budget,
        payoff=payoff,
        claims=tuple(claims.values()),
        on=need(on),
        regime=doc["regime"],
        goals=goals,
        policies=policies,
        method=doc["allocation"],
    )


def _budget(v: Values, borrower: Borrower, common: Values | None) -> Budget | None:
    """The [budget] table over the borrower's figures; they must agree where both speak."""
    currency = borrower.currency
    items = v["income"] or []
    for item in items:
        _amounts(item, currency)
    lines = [
        IncomeLine(kind=i["kind"], amount=i["amount"], label=i["label"])
        for i in items
        if i.ok("kind") and i.ok("amount")
    ]
    if lines and len(lines) == len(items):
        income = sum((x.amount for x in lines[1:]), lines[0].amount)
        if income != borrower.monthly_income:
            stated = borrower.monthly_income.amount
            expected = f"lines adding up to borrower.monthly_income {stated}"
            v.refuse("income", expected, str(income.amount))
    spending = v["expenses"] if v.ok("expenses") else None
    _amounts(spending, currency)
    if spending is not None and borrower.expenses:
        v.refuse("expenses", "no borrower.expenses when budget.expenses is given", "both")
    priority_items = v["priority"] or []
    for item in priority_items:
        _amounts(item, currency)
    priority = [
        PriorityDebt(kind=p["kind"], creditor=p["creditor"], payment=p["payment"], owed=p["owed"])
        for p in priority_items
        if p.ok("kind") and p.ok("payment")
    ]
    if borrower.other_debt_payments.amount > 0:
        priority.append(
            PriorityDebt(
                kind=PriorityKind.OTHER,
                creditor="",
                payment=borrower.other_debt_payments,
            )
        )
    headroom = DEFAULT_HEADROOM
    if common is not None and common.ok("payment_share") and "payment_share" in common.given():
        headroom = common["payment_share"]
    expenses = (
        [SpendingLine(category=SpendingCategory(k), amount=spending[k]) for k in spending]
        if spending is not None
        else [
            SpendingLine(category=SpendingCategory(e.category.value), amount=e.amount)
            for e in borrower.expenses
        ]
    )
    return v.build(
        lambda: Budget(
            currency=currency,
            household_size=v["household_size"],
            income=lines or [IncomeLine(kind=IncomeKind.OTHER, amount=borrower.monthly_income)],
            expenses=expenses,
            priority=priority,
            savings=borrower.savings_buffer,
            headroom=headroom,
            region=borrower.region,
        )
    )


def _payoff(
    doc: Values, debts: Mapping[str, Values], claims: Mapping[int, Claim]
) -> PayoffSettings:
    """The [payoff] table and each debt's payoff keys, checked against the creditors."""
    names = {c.debt.creditor.name.casefold(): c.debt.creditor.name for c in claims.values()}
    values = doc["payoff"] if doc.ok("payoff") else None
    method = PayoffMethod.AVALANCHE
    order: tuple[str, ...] | None = None
    max_months = DEFAULT_MAX_MONTHS
    if values is not None:
        method = values["method"] if values.ok("method") else method
        max_months = values["max_months"] if values.ok("max_months") else max_months
        given = values["order"] if values.ok("order") else None
        if given is not None:
            unknown = [n for n in given if n.casefold() not in names]
            if unknown:
                known = f"creditor names in this file: {sorted(names.values())}"
                values.refuse("order", known, unknown[0])
            order = tuple(names.get(n.casefold(), n) for n in given)
        if method is PayoffMethod.ORDER and order is None:
            values.missing("order", "every non-priority creditor's name, first paid first")
    minimums: dict[str, Money] = {}
    fees: dict[str, Money] = {}
    options: dict[str, str] = {}
    for name, v in debts.items():
        if v.ok("minimum") and v["minimum"] is not None:
            minimums[name] = v["minimum"]
        if v.ok("monthly_fee") and v["monthly_fee"] is not None:
            fees[name] = v["monthly_fee"]
        if v.ok("option") and v["option"]:
            options[name] = v["option"]
    return PayoffSettings(
        method=method,
        order=order,
        max_months=max_months,
        minimums=minimums,
        monthly_fees=fees,
        options=options,
    )


def _goals(common: Values | None, own: Values | None) -> Goals | None:
    """The top-level goals with the debt's own over them, key by key; None if neither."""
    merged = (common.given() if common is not None else {}) | (
        own.given() if own is not None else {}
    )
    return Goals(**merged) if merged else None


def _check_case_date(doc: Values, claims: Mapping[int, Claim], on: dt.date) -> None:
    # The key that set the case date: "on", or the latest as_of when "on" is absent.
    latest = next(i for i, c in claims.items() if c.debt.as_of == on) if "on" not in doc else -1
    key = "on" if latest < 0 else f"debts[{latest}].as_of"
    for i, claim in claims.items():
        if on < claim.debt.as_of:
            expected = f"a date on or after debts[{i}].as_of {claim.debt.as_of}"
            doc.refuse("on", expected, on.isoformat())
            return
        if on > LATEST_CASE_DATE:
            expected = (
                f"a date no later than {LATEST_CASE_DATE} (a plan of up to "
                f"{2 * MAX_TERM_MONTHS} months from it must end within the calendar)"
            )
            doc.reader.refuse(doc.key(key), expected, on.isoformat())
            return
        if on > add_months(claim.debt.as_of, MAX_TERM_MONTHS):
            expected = (
                f"a date at most {MAX_TERM_MONTHS} months after debts[{i}].as_of "
                f"{claim.debt.as_of} (balances are stated at as_of)"
            )
            doc.reader.refuse(doc.key(key), expected, on.isoformat())
            return
        owed = claim.debt.project(on).total
        if owed.amount <= 0:
            doc.reader.refuse(
                f"debts[{i}].principal",
                f"a debt with something owed on {on} (nothing to negotiate otherwise)",
                str(owed.amount),
            )


# --- the whole file -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PayoffSettings:
    """A case file's settings for the plan across every debt (``debtneg payoff``).

    :param method: the method the ``[payoff]`` table names (default avalanche).
    :param order: for the method ``order``, the creditors first paid first.
    :param max_months: the longest plan worked out.
    :param minimums: each debt's contract minimum payment, by creditor name.
    :param monthly_fees: each debt's monthly account fee, by creditor name.
    :param options: the negotiated option chosen for each debt, by creditor name.
    """

    method: PayoffMethod = PayoffMethod.AVALANCHE
    order: tuple[str, ...] | None = None
    max_months: int = DEFAULT_MAX_MONTHS
    minimums: Mapping[str, Money] = attrs.field(factory=dict, hash=False)
    monthly_fees: Mapping[str, Money] = attrs.field(factory=dict, hash=False)
    options: Mapping[str, str] = attrs.field(factory=dict, hash=False)


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
    :param budget: the ``[budget]`` table, when the file has one (the borrower's figures
        are then the budget's); :meth:`household_budget` gives one either way.
    :param payoff: the settings for the plan across every debt.
    """

    path: str
    borrower: Borrower
    claims: tuple[Claim, ...]
    on: dt.date
    regime: Regime
    goals: Mapping[str, Goals] = attrs.field(factory=dict, hash=False)
    policies: Mapping[str, LenderPolicy] = attrs.field(factory=dict, hash=False)
    method: AllocationMethod = AllocationMethod.PRIORITY_THEN_PRO_RATA
    budget: Budget | None = None
    payoff: PayoffSettings = attrs.field(factory=PayoffSettings)

    def household_budget(self) -> Budget:
        """The ``[budget]`` table, or the budget the borrower's own figures state."""
        if self.budget is not None:
            return self.budget
        shares = [g.payment_share for g in self.goals.values()]
        headroom = min(shares) if shares else DEFAULT_HEADROOM
        return Budget.from_borrower(self.borrower, headroom=headroom)

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
    :raises CaseFileError: listing every key that is missing, unknown, mistyped or out of
        range.
    """
    reader = Reader(origin)
    doc = reader.read(data, _CASE)
    case = None if not isinstance(doc, Values) else doc.build(lambda: _case(doc, origin))
    reader.raise_problems(CaseFileError)
    if case is None:  # pragma: no cover - a build is only skipped after a problem
        raise AssertionError("a case file without problems was not read")
    return case


def loads_case(text: str, *, suffix: str, origin: str = "<case>") -> CaseFile:
    """Parse case-file *text* in the syntax *suffix* names (``.toml`` or ``.json``).

    :raises CaseFileError: for a syntax error (with the parser's line and column) or the
        problems :func:`case_from_mapping` finds.
    """
    syntax = CASE_FILE_SUFFIXES.get(suffix.lower())
    if syntax is None:
        expected = f"a file name ending in {' or '.join(CASE_FILE_SUFFIXES)}"
        raise CaseFileError(origin, [Problem(FILE_KEY, expected, suffix)])
    data = parse(text, syntax, origin, error=CaseFileError)
    return case_from_mapping(data, origin=origin)


def load_case(path: str | Path) -> CaseFile:
    """Read the case file at *path* (TOML or JSON, chosen by its suffix).

    Files larger than :data:`MAX_CASE_FILE_BYTES` are refused before parsing; the text
    must be UTF-8.

    :raises CaseFileError: naming the file and listing every problem by key path.
    """
    file = Path(path)
    if file.suffix.lower() not in CASE_FILE_SUFFIXES:
        return loads_case("", suffix=file.suffix or "(none)", origin=str(file))
    text = read_text(file, error=CaseFileError)
    return loads_case(text, suffix=file.suffix, origin=str(file))


def case_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of a case file, generated from the reader's definitions.

    The package ships it as ``schemas/case-file.schema.json`` for editors
    (``docs/reference/case-file.rst`` says how to use it). The schema checks keys, types,
    enum values and ranges; rules across keys (a debt's currency is the borrower's, a
    daily rate names its day count, dates in order) are the reader's alone.

    >>> schema = case_file_schema()
    >>> schema["required"], schema["properties"]["debts"]["minItems"]
    (['regime', 'borrower', 'debts'], 1)
    """
    return {"$schema": _SCHEMA_DIALECT, "title": "debtnegotiation case file", **_CASE.schema()}
