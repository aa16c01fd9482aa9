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
from debtnegotiation.budget import (
    Budget,
    BudgetStatement,
    GuidelineFlag,
    IncomeKind,
    IncomeLine,
    PriorityDebt,
    PriorityKind,
    SpendingCategory,
    SpendingGuideline,
    SpendingLine,
)
from debtnegotiation.case import Case, Goals
from debtnegotiation.casefile import CaseFile, CaseFileError, load_case
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.debt import Creditor, CreditorKind, Debt, Projection
from debtnegotiation.dmp import DmpProposal, DmpShare, propose_dmp, render_dmp_letter
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
from debtnegotiation.payoff import (
    PayoffComparison,
    PayoffDebt,
    PayoffMethod,
    PayoffMonth,
    PayoffResult,
    compare_payoffs,
    plan_payoff,
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
from debtnegotiation.portfolio import CreditorResult, OptionImpact, Portfolio
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
    "Budget",
    "BudgetStatement",
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
    "DmpProposal",
    "DmpShare",
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
    "GuidelineFlag",
    "Hardship",
    "HardshipKind",
    "IncomeKind",
    "IncomeLine",
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
    "OptionImpact",
    "Options",
    "OutputFormat",
    "Party",
    "PayoffComparison",
    "PayoffDebt",
    "PayoffMethod",
    "PayoffMonth",
    "PayoffResult",
    "Plan",
    "PluginError",
    "PluginFailure",
    "PluginHost",
    "PluginInfo",
    "PolicyFileError",
    "Portfolio",
    "PriorityDebt",
    "PriorityKind",
    "Projection",
    "Proposal",
    "RankedOption",
    "RateBasis",
    "RateUnit",
    "Regime",
    "Severity",
    "SpendingCategory",
    "SpendingGuideline",
    "SpendingLine",
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
    "compare_payoffs",
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
    "plan_payoff",
    "propose_dmp",
    "render_dmp_letter",
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
