"""The Example Installment Platform's hardship policy, as a debtnegotiation plugin.

This is the plugin the "Writing a plugin" tutorial builds. A *lender plugin* tells the
engine which levers one lender offers borrowers in hardship; the built-in strategies
(fee-advance, subsidy, extension, ...) then turn those levers into proposals.

The terms are those of the project's source article, a Chinese article on negotiating with
a consumer-finance installment-shopping platform:

* a one-off handling fee of about 5 % of the total owed buys an installment re-split
  (its true annual rate under PBOC Announcement [2021] No. 3: about 5 % over 24 months);
* the borrower can ask to stretch the plan to 24 months;
* a "subsidy" (interest or penalty waived) is granted for unemployment or illness, on
  proof: a termination letter (or unemployment certificate) and bank statements, or a
  medical diagnosis and medical bills (what Chinese banks and platforms typically ask for).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal  # money and rates are Decimal, never float
from typing import Final

# Import the hook marker and the value types from debtnegotiation's public modules.
from debtnegotiation.plugin import (
    Debt,
    EvidenceKind,
    FeeTiming,
    HardshipKind,
    LenderPolicy,
    hookimpl,
)

__all__ = ["LENDER", "POLICY", "debtneg_lender_policies"]

#: The creditor name this plugin answers for (matched case-insensitively).
LENDER: Final = "Example Installment Platform"

# The policy is plain, frozen data: build it once. Every number cites its source.
POLICY: Final = LenderPolicy(
    lender=LENDER,
    source="the source article (installment-platform negotiation)",
    # "Pay a ~5% handling fee to get an installment arrangement", paid up front.
    fee_rate=Decimal("0.05"),
    fee_timing=FeeTiming.UPFRONT,
    # "Set a concrete goal, for example stretch to 24 months".
    max_months=24,
    # plan_rate=None: interest is frozen during the plan (停息).
    plan_rate=None,
    # The "subsidy": interest and penalty interest may be waived in full ...
    interest_waiver_max=Decimal(1),
    penalty_waiver_max=Decimal(1),
    # ... for these hardships, each with the documents the platform asks for. A document
    # list means "all of these"; we list the termination letter (离职证明), which a
    # laid-off borrower can always get, rather than the unemployment certificate.
    accepted_hardships=frozenset({HardshipKind.UNEMPLOYMENT, HardshipKind.ILLNESS}),
    documents={
        HardshipKind.UNEMPLOYMENT: (
            EvidenceKind.TERMINATION_LETTER,
            EvidenceKind.BANK_STATEMENTS,
        ),
        HardshipKind.ILLNESS: (
            EvidenceKind.MEDICAL_DIAGNOSIS,
            EvidenceKind.MEDICAL_BILLS,
        ),
    },
)


# @hookimpl marks the function as an implementation of the hook with the same name
# (see the hook reference). Take only the arguments you need, by their exact names, and
# give them no default value: the host passes arguments by keyword.
@hookimpl
def debtneg_lender_policies(debt: Debt) -> Sequence[LenderPolicy] | None:
    """Return the platform's policy for its own debts; ``None`` for anybody else's.

    Returning ``None`` means "nothing to add": every lender plugin is asked about every
    debt, so answer only for your lender.
    """
    if not POLICY.applies_to(debt.creditor.name):
        return None
    return (POLICY,)
