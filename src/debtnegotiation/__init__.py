"""debtnegotiation: negotiate repayment of consumer debts in hardship.

Exact money, true annual rates under the conventions regulators use, strategy plugins and
an evidence-grade negotiation log. Everything public is re-exported here.
"""

from __future__ import annotations

from debtnegotiation.borrower import (
    Affordability,
    Borrower,
    Evidence,
    EvidenceKind,
    Expense,
    ExpenseCategory,
    Hardship,
    HardshipKind,
)
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.debt import Creditor, CreditorKind, Debt, Projection
from debtnegotiation.errors import (
    CurrencyMismatchError,
    DebtNegotiationError,
    FloatNotAllowedError,
    NoUniqueRateError,
    ValidationError,
)
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.formatting import BabelFormatter, LocaleFormatter
from debtnegotiation.money import Money, minor_units
from debtnegotiation.plan import Installment, Plan, UpfrontItem, UpfrontKind, Waiver, WaiverKind
from debtnegotiation.rates import DayCount, FlatMonthlyFee, InterestRate, RateUnit
from debtnegotiation.schedule_dates import Frequency, add_months, due_dates
from debtnegotiation.schedules import (
    custom,
    equal_installment,
    equal_principal,
    flat_fee,
    interest_only,
)

__all__ = [
    "Affordability",
    "BabelFormatter",
    "Borrower",
    "CashFlow",
    "Creditor",
    "CreditorKind",
    "CurrencyMismatchError",
    "DayCount",
    "Debt",
    "DebtNegotiationError",
    "Evidence",
    "EvidenceKind",
    "Expense",
    "ExpenseCategory",
    "Finding",
    "FlatMonthlyFee",
    "FloatNotAllowedError",
    "Frequency",
    "Hardship",
    "HardshipKind",
    "Installment",
    "InterestRate",
    "LocaleFormatter",
    "Money",
    "NoUniqueRateError",
    "Plan",
    "Projection",
    "RateUnit",
    "Severity",
    "UpfrontItem",
    "UpfrontKind",
    "ValidationError",
    "Waiver",
    "WaiverKind",
    "add_months",
    "custom",
    "due_dates",
    "equal_installment",
    "equal_principal",
    "flat_fee",
    "interest_only",
    "minor_units",
]


def __getattr__(name: str) -> str:
    """Serve ``__version__`` lazily from the installed distribution's metadata."""
    if name == "__version__":
        from importlib.metadata import version

        return version("debtnegotiation")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
