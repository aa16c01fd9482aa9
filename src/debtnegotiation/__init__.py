"""debtnegotiation: negotiate repayment of consumer debts in hardship.

Exact money, true annual rates under the conventions regulators use, strategy plugins and
an evidence-grade negotiation log. Everything an application uses is re-exported here;
plugin authors import from :mod:`debtnegotiation.plugin`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # the names as type checkers and readers see them; loaded on first use
    from debtnegotiation.allocation import AllocationMethod, Claim, allocate_budget
    from debtnegotiation.apr import (
        AnnualRate,
        RateBasis,
        Regime,
        RootRule,
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
    "RootRule",
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


#: Where each public name lives. ``import debtnegotiation`` loads none of these modules;
#: the first use of a name imports its module (PEP 562), so an application that only
#: computes a schedule never loads Jinja2, the log or the plugin machinery.
_SOURCES: Final[dict[str, str]] = {
    "AllocationMethod": "debtnegotiation.allocation",
    "Claim": "debtnegotiation.allocation",
    "allocate_budget": "debtnegotiation.allocation",
    "AnnualRate": "debtnegotiation.apr",
    "RateBasis": "debtnegotiation.apr",
    "Regime": "debtnegotiation.apr",
    "RootRule": "debtnegotiation.apr",
    "UnitPeriod": "debtnegotiation.apr",
    "annual_rate": "debtnegotiation.apr",
    "periodic_rate": "debtnegotiation.apr",
    "Affordability": "debtnegotiation.borrower",
    "Borrower": "debtnegotiation.borrower",
    "Evidence": "debtnegotiation.borrower",
    "EvidenceKind": "debtnegotiation.borrower",
    "Expense": "debtnegotiation.borrower",
    "ExpenseCategory": "debtnegotiation.borrower",
    "Hardship": "debtnegotiation.borrower",
    "HardshipKind": "debtnegotiation.borrower",
    "Case": "debtnegotiation.case",
    "Goals": "debtnegotiation.case",
    "CaseFile": "debtnegotiation.casefile",
    "CaseFileError": "debtnegotiation.casefile",
    "load_case": "debtnegotiation.casefile",
    "CashFlow": "debtnegotiation.cashflow",
    "Creditor": "debtnegotiation.debt",
    "CreditorKind": "debtnegotiation.debt",
    "Debt": "debtnegotiation.debt",
    "Projection": "debtnegotiation.debt",
    "DocumentKind": "debtnegotiation.documents",
    "OutputFormat": "debtnegotiation.documents",
    "render_document": "debtnegotiation.documents",
    "CurrencyMismatchError": "debtnegotiation.errors",
    "DebtNegotiationError": "debtnegotiation.errors",
    "FloatNotAllowedError": "debtnegotiation.errors",
    "NoUniqueRateError": "debtnegotiation.errors",
    "ValidationError": "debtnegotiation.errors",
    "Finding": "debtnegotiation.findings",
    "Severity": "debtnegotiation.findings",
    "BabelFormatter": "debtnegotiation.formatting",
    "LocaleFormatter": "debtnegotiation.formatting",
    "CatalogNotFoundError": "debtnegotiation.i18n",
    "CatalogSource": "debtnegotiation.i18n",
    "translations": "debtnegotiation.i18n",
    "Money": "debtnegotiation.money",
    "minor_units": "debtnegotiation.money",
    "Decision": "debtnegotiation.negotiation",
    "Ladder": "debtnegotiation.negotiation",
    "LadderStep": "debtnegotiation.negotiation",
    "Negotiation": "debtnegotiation.negotiation",
    "Options": "debtnegotiation.negotiation",
    "StatusQuo": "debtnegotiation.negotiation",
    "Verdict": "debtnegotiation.negotiation",
    "ChainBrokenError": "debtnegotiation.negotiation_log",
    "Channel": "debtnegotiation.negotiation_log",
    "Commitment": "debtnegotiation.negotiation_log",
    "CommitmentStatus": "debtnegotiation.negotiation_log",
    "Contact": "debtnegotiation.negotiation_log",
    "ContactRules": "debtnegotiation.negotiation_log",
    "Counterpart": "debtnegotiation.negotiation_log",
    "Direction": "debtnegotiation.negotiation_log",
    "LogEntry": "debtnegotiation.negotiation_log",
    "LogError": "debtnegotiation.negotiation_log",
    "NegotiationLog": "debtnegotiation.negotiation_log",
    "Offer": "debtnegotiation.negotiation_log",
    "Party": "debtnegotiation.negotiation_log",
    "check_conduct": "debtnegotiation.negotiation_log",
    "export_bundle": "debtnegotiation.negotiation_log",
    "export_jsonl": "debtnegotiation.negotiation_log",
    "import_jsonl": "debtnegotiation.negotiation_log",
    "verify_bundle": "debtnegotiation.negotiation_log",
    "Installment": "debtnegotiation.plan",
    "Plan": "debtnegotiation.plan",
    "UpfrontItem": "debtnegotiation.plan",
    "UpfrontKind": "debtnegotiation.plan",
    "Waiver": "debtnegotiation.plan",
    "WaiverKind": "debtnegotiation.plan",
    "PluginError": "debtnegotiation.plugins",
    "PluginFailure": "debtnegotiation.plugins",
    "PluginHost": "debtnegotiation.plugins",
    "PluginInfo": "debtnegotiation.plugins",
    "get_plugin_host": "debtnegotiation.plugins",
    "FeeTiming": "debtnegotiation.policy",
    "LenderPolicy": "debtnegotiation.policy",
    "PolicyFileError": "debtnegotiation.policy",
    "CreditorResult": "debtnegotiation.portfolio",
    "Portfolio": "debtnegotiation.portfolio",
    "Eligibility": "debtnegotiation.proposal",
    "Proposal": "debtnegotiation.proposal",
    "RankedOption": "debtnegotiation.ranking",
    "DayCount": "debtnegotiation.rates",
    "FlatMonthlyFee": "debtnegotiation.rates",
    "InterestRate": "debtnegotiation.rates",
    "RateUnit": "debtnegotiation.rates",
    "Frequency": "debtnegotiation.schedule_dates",
    "add_months": "debtnegotiation.schedule_dates",
    "due_dates": "debtnegotiation.schedule_dates",
    "custom": "debtnegotiation.schedules",
    "equal_installment": "debtnegotiation.schedules",
    "equal_principal": "debtnegotiation.schedules",
    "flat_fee": "debtnegotiation.schedules",
    "interest_only": "debtnegotiation.schedules",
}


def __getattr__(name: str) -> object:
    """Import a public name's module on first use; serve ``__version__`` from metadata."""
    module = _SOURCES.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # later lookups do not come here again
        return value
    if name == "__version__":
        from importlib.metadata import version

        return version("debtnegotiation")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, loaded or not, with the module's own attributes."""
    return sorted({*globals(), *__all__})
