"""The borrower: income, essential spending, hardships, evidence, and affordability."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Final

import attrs

from debtnegotiation._exact import DIVISION
from debtnegotiation._validate import instance_of, to_date, tuple_of
from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.money import Money, currency_code, total
from debtnegotiation.text import Text

__all__ = [
    "REGION_PATTERN",
    "Affordability",
    "Borrower",
    "Evidence",
    "EvidenceKind",
    "Expense",
    "ExpenseCategory",
    "Hardship",
    "HardshipKind",
]


class ExpenseCategory(enum.Enum):
    """Essential spending categories (a subset of the UK Standard Financial Statement)."""

    HOUSING = "housing"
    FOOD = "food"
    UTILITIES = "utilities"
    TRANSPORT = "transport"
    HEALTH = "health"
    DEPENDANTS = "dependants"
    OTHER = "other"


class HardshipKind(enum.Enum):
    """Why the borrower cannot pay on schedule."""

    UNEMPLOYMENT = "unemployment"
    ILLNESS = "illness"
    INCOME_DROP = "income-drop"
    FAMILY_EVENT = "family-event"
    DISASTER = "disaster"
    OTHER = "other"


class EvidenceKind(enum.Enum):
    """Documents lenders ask for as proof (the kinds Chinese banks and US card issuers request)."""

    ID_DOCUMENT = "id-document"
    INCOME_PROOF = "income-proof"
    UNEMPLOYMENT_CERTIFICATE = "unemployment-certificate"
    TERMINATION_LETTER = "termination-letter"
    MEDICAL_DIAGNOSIS = "medical-diagnosis"
    MEDICAL_BILLS = "medical-bills"
    BANK_STATEMENTS = "bank-statements"
    SOCIAL_INSURANCE_RECORDS = "social-insurance-records"
    CREDIT_REPORT = "credit-report"
    HARDSHIP_STATEMENT = "hardship-statement"
    OTHER = "other"


_SHA256 = re.compile(r"[0-9a-f]{64}")


def money_field(field: str) -> Any:  # noqa: ANN401 - attrs validator
    """A validator: a non-negative ``Money``, in the instance's ``currency`` if it has one."""

    def check(instance: Any, _attribute: object, value: object) -> None:  # noqa: ANN401
        if isinstance(value, float):
            raise FloatNotAllowedError(field, value)
        if not isinstance(value, Money):
            raise ValidationError(field, "a Money amount", value)
        if value.amount < 0:
            raise ValidationError(field, "an amount of zero or more", value)
        currency = getattr(instance, "currency", value.currency)
        if value.currency != currency:
            raise ValidationError(field, f"an amount in {currency}", value)

    return check


def _hardship_expected_end(value: object) -> dt.date | None:
    return None if value is None else to_date("Hardship.expected_end", value)


def _hardship_start(value: object) -> dt.date:
    return to_date("Hardship.start", value)


def _evidence_issued(value: object) -> dt.date:
    return to_date("Evidence.issued", value)


def _borrower_currency(value: object) -> str:
    return currency_code("Borrower.currency", value)


@attrs.frozen(kw_only=True)
class Expense:
    """A monthly essential expense."""

    category: ExpenseCategory = attrs.field(
        validator=instance_of("Expense.category", ExpenseCategory, "an ExpenseCategory")
    )
    amount: Money = attrs.field(validator=money_field("Expense.amount"))


@attrs.frozen(kw_only=True)
class Hardship:
    """A hardship with its dates; ``expected_end`` is ``None`` when unknown."""

    kind: HardshipKind = attrs.field(
        validator=instance_of("Hardship.kind", HardshipKind, "a HardshipKind")
    )
    start: dt.date = attrs.field(converter=_hardship_start)
    expected_end: dt.date | None = attrs.field(
        default=None,
        converter=_hardship_expected_end,
    )

    def __attrs_post_init__(self) -> None:
        """The end cannot come before the start."""
        if self.expected_end is not None and self.expected_end < self.start:
            raise ValidationError(
                "Hardship.expected_end", f"a date on or after {self.start}", self.expected_end
            )


def _sha(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _SHA256.fullmatch(value.lower()):
        raise ValidationError("Evidence.sha256", "64 hexadecimal characters", value)
    return value.lower()


@attrs.frozen(kw_only=True)
class Evidence:
    """A document on hand; ``sha256`` fingerprints the file without storing its path."""

    kind: EvidenceKind = attrs.field(
        validator=instance_of("Evidence.kind", EvidenceKind, "an EvidenceKind")
    )
    issued: dt.date = attrs.field(converter=_evidence_issued)
    sha256: str | None = attrs.field(default=None, converter=_sha)
    description: str = ""


@attrs.frozen(kw_only=True)
class Affordability:
    """A sustainable monthly payment and how it was worked out.

    :param method: the method in words, so a counsellor can check it.
    :param surplus: income minus essentials, other debt payments and the savings buffer;
        negative when the budget does not balance.
    :param sustainable_payment: the most the borrower can commit to each month: the
        surplus rounded *down* to the minor unit, never below zero and never above the
        surplus.
    :param debt_to_income: payments on other debts over net income, a screening signal
        only (the CFPB's debt-to-income guide); ``None`` when income is zero.
    """

    method: str
    income: Money
    essentials: Money
    other_debt_payments: Money
    savings_buffer: Money
    surplus: Money
    sustainable_payment: Money
    debt_to_income: Decimal | None

    def covers(self, payment: Money) -> bool:
        """Whether *payment* fits within the sustainable payment."""
        return payment <= self.sustainable_payment


SURPLUS_METHOD = Text(
    "budget",
    "surplus method (as debt counsellors and the UK Standard Financial Statement use it): "
    "net monthly income − essential expenses − payments on other debts − savings buffer; "
    "the savings buffer keeps the plan from taking the whole surplus",
)


def _expenses(value: object) -> tuple[Expense, ...]:
    if isinstance(value, Mapping):
        items = [Expense(category=k, amount=v) for k, v in value.items()]
    elif isinstance(value, Sequence) and not isinstance(value, str):
        items = list(value)
    else:
        raise ValidationError("Borrower.expenses", "a mapping of category to Money", value)
    for i, item in enumerate(items):
        if not isinstance(item, Expense):
            raise ValidationError(f"Borrower.expenses[{i}]", "an Expense", item)
    return tuple(sorted(items, key=lambda e: e.category.value))


def _hardships(value: object) -> tuple[Hardship, ...]:
    return tuple_of(Hardship, "Borrower.hardships")(value)  # type: ignore[no-any-return]


def _evidence(value: object) -> tuple[Evidence, ...]:
    return tuple_of(Evidence, "Borrower.evidence")(value)  # type: ignore[no-any-return]


def _check_timezone(_instance: object, _attribute: object, value: str | None) -> None:
    if value is None:
        return
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            "Borrower.timezone", "an IANA time zone such as 'Asia/Shanghai'", value
        ) from None


#: The shape of an ISO 3166-2 subdivision code ("US-CA", "CN-SN"), the
#: country's alpha-2 code, a hyphen, and one to three letters or digits.
REGION_PATTERN: Final = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")


def _region(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not REGION_PATTERN.fullmatch(value.strip().upper()):
        raise ValidationError(
            "Borrower.region", "an ISO 3166-2 subdivision code such as 'US-CA'", value
        )
    return value.strip().upper()


def _address(value: object) -> tuple[str, ...]:
    """Postal address lines: a sequence of one-line strings, blanks dropped."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValidationError("Borrower.address", "a list of address lines (strings)", value)
    lines: list[str] = []
    for i, line in enumerate(value):
        if not isinstance(line, str) or "\n" in line or "\r" in line:
            raise ValidationError(f"Borrower.address[{i}]", "one line of text", line)
        if line.strip():
            lines.append(line.strip())
    return tuple(lines)


@attrs.frozen(kw_only=True)
class Borrower:
    """The person who owes: their monthly budget, hardships and evidence on hand.

    Amounts are monthly and net (take-home), in one currency.
    """

    currency: str = attrs.field(converter=_borrower_currency)
    monthly_income: Money = attrs.field(validator=money_field("Borrower.monthly_income"))
    expenses: tuple[Expense, ...] = attrs.field(default=(), converter=_expenses)
    other_debt_payments: Money = attrs.field(
        default=attrs.Factory(lambda self: Money.zero(self.currency), takes_self=True),
        validator=money_field("Borrower.other_debt_payments"),
    )
    savings_buffer: Money = attrs.field(
        default=attrs.Factory(lambda self: Money.zero(self.currency), takes_self=True),
        validator=money_field("Borrower.savings_buffer"),
    )
    hardships: tuple[Hardship, ...] = attrs.field(default=(), converter=_hardships)
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=_evidence)
    name: str = attrs.field(default="", validator=instance_of("Borrower.name", str, "text"))
    timezone: str | None = attrs.field(default=None, validator=_check_timezone)
    """The borrower's IANA time zone (e.g. ``America/Chicago``), for contact-hour rules."""
    region: str | None = attrs.field(default=None, converter=_region)
    """Where the borrower lives, as an ISO 3166-2 code (``US-CA``, ``CN-SN``), for rules
    that differ by state or province, such as the consent needed to record a call. A time
    zone is not a state, so the library never infers one from the other.

    .. versionadded:: Unreleased
    """
    address: tuple[str, ...] = attrs.field(default=(), converter=_address)
    """The borrower's postal address, one line each, for the sender block of a letter.

    .. versionadded:: Unreleased
    """
    phone: str = attrs.field(default="", validator=instance_of("Borrower.phone", str, "text"))
    """A telephone number for the letter's sender block (optional)."""
    email: str = attrs.field(default="", validator=instance_of("Borrower.email", str, "text"))
    """An e-mail address for the letter's sender block (optional)."""

    def __attrs_post_init__(self) -> None:
        """Every expense is in the borrower's currency."""
        for i, item in enumerate(self.expenses):
            if item.amount.currency != self.currency:
                raise ValidationError(
                    f"Borrower.expenses[{i}]", f"an amount in {self.currency}", item.amount
                )

    @property
    def essentials(self) -> Money:
        """Total essential spending a month."""
        return total((e.amount for e in self.expenses), self.currency)

    def has_evidence(self, kind: EvidenceKind) -> bool:
        """Whether a document of *kind* is on hand."""
        return any(e.kind is kind for e in self.evidence)

    def has_hardship(self, kind: HardshipKind) -> bool:
        """Whether the borrower reports a hardship of *kind*."""
        return any(h.kind is kind for h in self.hardships)

    def affordability(self) -> Affordability:
        """The monthly surplus and a sustainable payment (the counsellors' surplus method)."""
        return self._affordability

    @functools.cached_property
    def _affordability(self) -> Affordability:
        """The monthly surplus and a sustainable payment (the counsellors' surplus method)."""
        surplus = (
            self.monthly_income - self.essentials - self.other_debt_payments - self.savings_buffer
        )
        sustainable = surplus if surplus.amount > 0 else Money.zero(self.currency)
        dti = (
            DIVISION.divide(self.other_debt_payments.amount, self.monthly_income.amount).quantize(
                Decimal("0.0001"), context=DIVISION
            )
            if self.monthly_income.amount
            else None
        )
        return Affordability(
            method=SURPLUS_METHOD,
            income=self.monthly_income,
            essentials=self.essentials,
            other_debt_payments=self.other_debt_payments,
            savings_buffer=self.savings_buffer,
            surplus=surplus,
            # Rounded down: a payment rounded up could exceed the surplus by half a unit.
            sustainable_payment=sustainable.rounded(ROUND_FLOOR),
            debt_to_income=dti,
        )
