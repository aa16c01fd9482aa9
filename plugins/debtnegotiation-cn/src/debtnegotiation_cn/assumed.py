"""Assumed market-typical terms for Chinese consumer debts whose lender's terms are unknown.

Entry point ``cn-assumed-terms``. It answers
:func:`~debtnegotiation.hookspecs.debtneg_lender_policies` for CNY debts with an *assumed*
policy per kind of creditor (``LenderPolicy.assumed``), which the engine uses only when no
policy of the lender's own is known, and labels "assumed terms — ask the lender for its
own":

* **credit card**: the personalised installment (个性化分期还款) of Article 70 of the
  CBRC credit-card measures (商业银行信用卡业务监督管理办法, CBRC Order [2011] No. 2), at
  most 60 months, with interest stopped (停息), the usual outcome of such agreements
  (practitioner reports; the bank decides, Article 70 says it *may* agree);
* **installment platform, consumer-finance company or online lender**: a re-split of the
  balance over up to 24 months for a one-off handling fee of about 5 % of the amount
  owed, paid up front — the terms of the source article on negotiating with an
  installment-shopping platform ("pay a handling fee of about 5 % to get an installment
  arrangement"; "stretch to 24 months or more"); and the hardship "subsidy" the article
  describes, penalty interest waived on proof of unemployment or illness.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from debtnegotiation.plugin import (
    CreditorKind,
    Debt,
    FeeTiming,
    HardshipKind,
    LenderPolicy,
    hookimpl,
)

__all__ = ["CARD", "PLATFORM", "debtneg_lender_policies"]

#: Assumed terms for a Chinese credit card: Article 70's personalised installment.
CARD: Final = LenderPolicy(
    lender="Assumed terms: Chinese credit card (Art. 70 personalised installment)",
    source=(
        "assumed terms, not the bank's: Article 70, 商业银行信用卡业务监督管理办法 (CBRC Order "
        "[2011] No. 2): a personalised installment of at most 60 months at the bank's "
        "discretion; interest stopped (停息) is the usual outcome"
    ),
    assumed=True,
    creditor_kinds=frozenset({CreditorKind.CREDIT_CARD}),
    max_months=60,
    plan_rate=None,
)

#: Assumed terms for a Chinese installment platform or consumer-finance lender.
PLATFORM: Final = LenderPolicy(
    lender="Assumed terms: Chinese installment platform or consumer-finance lender",
    source=(
        "assumed terms, not the lender's: the source article on negotiating with an "
        "installment-shopping platform (a handling fee of about 5 % for a re-split of up "
        "to 24 months; penalty interest waived for unemployment or illness, on proof)"
    ),
    assumed=True,
    creditor_kinds=frozenset(
        {
            CreditorKind.INSTALLMENT_PLATFORM,
            CreditorKind.CONSUMER_FINANCE,
            CreditorKind.ONLINE_LENDER,
        }
    ),
    fee_rate=Decimal("0.05"),
    fee_timing=FeeTiming.UPFRONT,
    max_months=24,
    plan_rate=None,
    penalty_waiver_max=Decimal(1),
    accepted_hardships=frozenset({HardshipKind.UNEMPLOYMENT, HardshipKind.ILLNESS}),
)


@hookimpl
def debtneg_lender_policies(debt: Debt) -> Sequence[LenderPolicy] | None:
    """Assumed terms for a CNY debt of a kind this pack knows; ``None`` otherwise."""
    if debt.currency != "CNY":
        return None
    found = tuple(p for p in (CARD, PLATFORM) if p.describes(debt.creditor.kind))
    return found or None
