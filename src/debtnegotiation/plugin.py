"""Everything a plugin needs, in one import: ``from debtnegotiation.plugin import ...``.

The supported surface for plugin authors, as ``debtnegotiation`` is for applications:
the ``@hookimpl`` marker, the values hooks receive and return, the money and schedule
helpers, the gettext :data:`~debtnegotiation.i18n.DOMAIN` for catalogs, and the strategy toolkit
(:mod:`debtnegotiation.toolkit`) the built-in strategies are written with. The built-in
strategies, reviews and formatter, and the plugins shipped in ``plugins/``, import from
this module and ``debtnegotiation`` only; a plugin that does the same keeps working
when the library rearranges its internals.

The hooks themselves are specified in :mod:`debtnegotiation.hookspecs`.
"""

from __future__ import annotations

from debtnegotiation._markers import hookimpl
from debtnegotiation.apr import AnnualRate, Regime, annual_rate
from debtnegotiation.borrower import Borrower, Evidence, EvidenceKind, Hardship, HardshipKind
from debtnegotiation.budget import SpendingCategory, SpendingGuideline
from debtnegotiation.case import Case, Goals
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.contact_rules import Channel, ContactRules
from debtnegotiation.debt import Creditor, CreditorKind, Debt
from debtnegotiation.errors import NoUniqueRateError, ValidationError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.formatting import BabelFormatter, LocaleFormatter
from debtnegotiation.i18n import DOMAIN, CatalogSource
from debtnegotiation.messages import N_
from debtnegotiation.money import Money, minor_units, total
from debtnegotiation.plan import Installment, Plan, UpfrontItem, UpfrontKind, Waiver, WaiverKind
from debtnegotiation.policy import FeeTiming, LenderPolicy
from debtnegotiation.proposal import (
    DEFAULT_WHY_LENDER_MAY_ACCEPT,
    LABEL_CONTEXT,
    WHY_CONTEXT,
    Eligibility,
    Proposal,
)
from debtnegotiation.rates import DayCount, InterestRate, RateUnit
from debtnegotiation.schedule_dates import add_months
from debtnegotiation.schedules import (
    custom,
    equal_installment,
    equal_principal,
    flat_fee,
    interest_only,
)
from debtnegotiation.text import Items, Label, Percent, Text
from debtnegotiation.toolkit import (
    FALLBACK_REGIME,
    REGIMES,
    Term,
    choose_term,
    conditions,
    current_hardships,
    interest_sentence,
    largest_payment,
    most_installments,
    percent,
    percent_value,
    plan_rate,
    rate_sentence,
    rate_text,
    regime_for,
    series,
    share,
    target_payment,
)

__all__ = [
    "DEFAULT_WHY_LENDER_MAY_ACCEPT",
    "DOMAIN",
    "FALLBACK_REGIME",
    "LABEL_CONTEXT",
    "N_",
    "REGIMES",
    "WHY_CONTEXT",
    "AnnualRate",
    "BabelFormatter",
    "Borrower",
    "Case",
    "CashFlow",
    "CatalogSource",
    "Channel",
    "ContactRules",
    "Creditor",
    "CreditorKind",
    "DayCount",
    "Debt",
    "Eligibility",
    "Evidence",
    "EvidenceKind",
    "FeeTiming",
    "Finding",
    "Goals",
    "Hardship",
    "HardshipKind",
    "Installment",
    "InterestRate",
    "Items",
    "Label",
    "LenderPolicy",
    "LocaleFormatter",
    "Money",
    "NoUniqueRateError",
    "Percent",
    "Plan",
    "Proposal",
    "RateUnit",
    "Regime",
    "Severity",
    "SpendingCategory",
    "SpendingGuideline",
    "Term",
    "Text",
    "UpfrontItem",
    "UpfrontKind",
    "ValidationError",
    "Waiver",
    "WaiverKind",
    "add_months",
    "annual_rate",
    "choose_term",
    "conditions",
    "current_hardships",
    "custom",
    "equal_installment",
    "equal_principal",
    "flat_fee",
    "hookimpl",
    "interest_only",
    "interest_sentence",
    "largest_payment",
    "minor_units",
    "most_installments",
    "percent",
    "percent_value",
    "plan_rate",
    "rate_sentence",
    "rate_text",
    "regime_for",
    "series",
    "share",
    "target_payment",
    "total",
]
