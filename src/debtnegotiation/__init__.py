"""debtnegotiation: negotiate repayment of consumer debts in hardship.

Exact money, true annual rates under the conventions regulators use, strategy plugins and
an evidence-grade negotiation log. Everything an application uses is re-exported here;
plugin authors import from :mod:`debtnegotiation.plugin`.
"""

from __future__ import annotations

from debtnegotiation.allocation import AllocationMethod, Claim, allocate_budget
from debtnegotiation.apr import (
    AnnualRate,
    RateBasis,
    Regime,
    UnitPeriod,
    annual_rate,
    periodic_rate,
)
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
from debtnegotiation.case import Case, Goals
from debtnegotiation.casefile import CaseFile, CaseFileError, load_case
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.debt import Creditor, CreditorKind, Debt, Projection
from debtnegotiation.documents import DocumentKind, OutputFormat, render_document
from debtnegotiation.errors import (
    CurrencyMismatchError,
    DebtNegotiationError,
    FloatNotAllowedError,
    NoUniqueRateError,
    ValidationError,
)
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.formatting import BabelFormatter, LocaleFormatter
from debtnegotiation.i18n import CatalogNotFoundError, CatalogSource, translations
from debtnegotiation.money import Money, minor_units
from debtnegotiation.negotiation import (
    Decision,
    Ladder,
    LadderStep,
    Negotiation,
    Options,
    StatusQuo,
    Verdict,
)
from debtnegotiation.negotiation_log import (
    ChainBrokenError,
    Channel,
    Commitment,
    CommitmentStatus,
    Contact,
    ContactRules,
    Counterpart,
    Direction,
    LogEntry,
    LogError,
    NegotiationLog,
    Offer,
    Party,
    check_conduct,
    export_bundle,
    export_jsonl,
    import_jsonl,
    verify_bundle,
)
from debtnegotiation.plan import Installment, Plan, UpfrontItem, UpfrontKind, Waiver, WaiverKind
from debtnegotiation.plugins import (
    PluginError,
    PluginFailure,
    PluginHost,
    PluginInfo,
    get_plugin_host,
)
from debtnegotiation.policy import FeeTiming, LenderPolicy, PolicyFileError
from debtnegotiation.portfolio import CreditorResult, Portfolio
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.ranking import RankedOption
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
    "AllocationMethod",
    "AnnualRate",
    "BabelFormatter",
    "Borrower",
    "Case",
    "CaseFile",
    "CaseFileError",
    "CashFlow",
    "CatalogNotFoundError",
    "CatalogSource",
    "ChainBrokenError",
    "Channel",
    "Claim",
    "Commitment",
    "CommitmentStatus",
    "Contact",
    "ContactRules",
    "Counterpart",
    "Creditor",
    "CreditorKind",
    "CreditorResult",
    "CurrencyMismatchError",
    "DayCount",
    "Debt",
    "DebtNegotiationError",
    "Decision",
    "Direction",
    "DocumentKind",
    "Eligibility",
    "Evidence",
    "EvidenceKind",
    "Expense",
    "ExpenseCategory",
    "FeeTiming",
    "Finding",
    "FlatMonthlyFee",
    "FloatNotAllowedError",
    "Frequency",
    "Goals",
    "Hardship",
    "HardshipKind",
    "Installment",
    "InterestRate",
    "Ladder",
    "LadderStep",
    "LenderPolicy",
    "LocaleFormatter",
    "LogEntry",
    "LogError",
    "Money",
    "Negotiation",
    "NegotiationLog",
    "NoUniqueRateError",
    "Offer",
    "Options",
    "OutputFormat",
    "Party",
    "Plan",
    "PluginError",
    "PluginFailure",
    "PluginHost",
    "PluginInfo",
    "PolicyFileError",
    "Portfolio",
    "Projection",
    "Proposal",
    "RankedOption",
    "RateBasis",
    "RateUnit",
    "Regime",
    "Severity",
    "StatusQuo",
    "UnitPeriod",
    "UpfrontItem",
    "UpfrontKind",
    "ValidationError",
    "Verdict",
    "Waiver",
    "WaiverKind",
    "add_months",
    "allocate_budget",
    "annual_rate",
    "check_conduct",
    "custom",
    "due_dates",
    "equal_installment",
    "equal_principal",
    "export_bundle",
    "export_jsonl",
    "flat_fee",
    "get_plugin_host",
    "import_jsonl",
    "interest_only",
    "load_case",
    "minor_units",
    "periodic_rate",
    "render_document",
    "translations",
    "verify_bundle",
]


def __getattr__(name: str) -> str:
    """Serve ``__version__`` lazily from the installed distribution's metadata."""
    if name == "__version__":
        from importlib.metadata import version

        return version("debtnegotiation")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
