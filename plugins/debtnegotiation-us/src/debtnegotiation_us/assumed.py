"""Assumed market-typical terms for US credit cards whose issuer's terms are unknown.

Entry point ``us-assumed-terms``. Card issuers run hardship programs they do not
advertise: the borrower has to call and ask. Typical terms reported by consumer guides
(CreditCardCalcs, "Credit Card Hardship Programs: How to Ask, What to Expect"; Resolve,
"What are credit card hardship programs"): the APR cut to about 0-10 % (against a
standard 22-28 %), fees waived, usually for 3 to 12 months, some long-term plans up to 5
years, the card closed during the program.

The assumed policy (``LenderPolicy.assumed``) keeps the cautious end of each range: a
reduced rate of 10 % a year, late and penalty fees waived, and a repayment term of up to
60 months. The engine uses it only when no policy of the issuer's own is known, and
labels every option built on it "assumed terms — ask the lender for its own"; a reduced
rate that lasts only 12 months in the issuer's real program makes the later months
dearer than shown here, so the borrower must ask for the program's terms in writing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from debtnegotiation.plugin import CreditorKind, Debt, InterestRate, LenderPolicy, hookimpl

__all__ = ["CARD_HARDSHIP", "debtneg_lender_policies"]

#: Assumed terms of a US card issuer's hardship program.
CARD_HARDSHIP: Final = LenderPolicy(
    lender="Assumed terms: US credit-card hardship program",
    source=(
        "assumed terms, not the issuer's: card hardship programs typically cut the APR to "
        "about 0-10 % and waive fees, for 3-12 months, some up to 5 years "
        "(CreditCardCalcs; Resolve: consumer guides on card hardship programs)"
    ),
    assumed=True,
    creditor_kinds=frozenset({CreditorKind.CREDIT_CARD}),
    max_months=60,
    plan_rate=InterestRate.annual("0.10"),
    penalty_waiver_max=Decimal(1),
)


@hookimpl
def debtneg_lender_policies(debt: Debt) -> Sequence[LenderPolicy] | None:
    """Assumed hardship-program terms for a USD credit-card debt; ``None`` otherwise."""
    if debt.currency != "USD" or not CARD_HARDSHIP.describes(debt.creditor.kind):
        return None
    return (CARD_HARDSHIP,)
