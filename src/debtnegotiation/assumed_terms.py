"""Built-in plugin: generic assumed terms for when the lender's own are unknown.

Most borrowers do not know their lender's hardship policy; with no terms at all the engine
could only say "no strategy produced a plan". This plugin answers
:func:`~debtnegotiation.hookspecs.debtneg_lender_policies` for every debt with one
*assumed* policy (``LenderPolicy.assumed``): the two forms of forbearance that lenders are
generally expected to consider,

* **longer to repay**: the amount owed re-spread over at most 36 months, with interest
  continuing at the contract rate (no freeze is assumed);
* **hardship relief**: penalty interest and fees waived in full for a documented
  hardship (the interest itself is not assumed to be waived).

These are the forbearance examples of the UK FCA Handbook, CONC 7.3.5G ("allowing the
customer longer to pay"; "considering suspending, reducing, waiving or cancelling any
further interest or charges"), used here as a statement of common practice, not as a
rule that binds the lender. The 36-month term is the short end of the 36 to 60 months a
nonprofit debt management plan typically takes (NFCC, "Debt Management Plans &
Programs").

Jurisdiction packs answer with kind-specific assumed terms (a Chinese card's Article 70
personalised installment, a US card hardship program), which the engine prefers to these;
a lender's stated policy always comes first. Every option built on assumed terms is
labelled "assumed terms — ask the lender for its own".
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from debtnegotiation.plugin import Debt, LenderPolicy, hookimpl

__all__ = ["GENERIC_MONTHS", "SOURCE", "debtneg_lender_policies", "generic_policy"]

#: The longest assumed extension, in months (NFCC: DMPs typically take 36 to 60 months).
GENERIC_MONTHS: Final = 36

#: The citation every generic assumed policy carries.
SOURCE: Final = (
    "assumed terms, not the lender's: common forbearance (FCA Handbook CONC 7.3.5G: longer "
    "to pay; waiving further interest or charges) over at most 36 months (NFCC, Debt "
    "Management Plans & Programs: 36-60 months)"
)


def generic_policy(debt: Debt) -> LenderPolicy:
    """The generic assumed policy for *debt*: a longer term and penalty relief."""
    return LenderPolicy(
        lender="Assumed terms (generic)",
        source=SOURCE,
        assumed=True,
        max_months=GENERIC_MONTHS,
        plan_rate=debt.contract_rate,
        penalty_waiver_max=Decimal(1),
    )


@hookimpl(trylast=True)
def debtneg_lender_policies(debt: Debt) -> Sequence[LenderPolicy] | None:
    """Offer the generic assumed policy for every debt."""
    return (generic_policy(debt),)
