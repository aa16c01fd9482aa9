"""The advance-fee ban for debt relief services, as a review of USD proposals.

Entry point ``us-debt-relief-fees``. The FTC Telemarketing Sales Rule, 16 CFR
310.4(a)(5) (amendments of 10 Aug 2010, 75 FR 48458; fee ban in force since
27 Oct 2010; the FTC's "Debt Relief Services & the Telemarketing Sales Rule: A Guide for
Business"): a seller of debt relief services may not request or receive any fee until

1. at least one debt has been renegotiated, settled, reduced or otherwise changed under
   an agreement **executed by the customer**;
2. the customer has made **at least one payment** to the creditor under that agreement;
3. the fee is proportional to that debt's share of the enrolled debt, or a fixed
   percentage of the amount saved.

A proposal is not yet an agreement, and nothing has been paid under it, so every fee
the plan puts before its first payment is a fee "before a settlement is agreed and a
payment made". The review flags it as :attr:`~debtnegotiation.findings.Severity.DANGER`
(code ``us.tsr-advance-fee``), with a message that says when the rule applies: the
rule binds debt relief sellers, not a creditor charging its own fee.

What counts as before the first payment: an upfront fee paid in cash dated on or before
the first payment (an upfront item is paid before the plan's installments), and an
installment fee due before the first installment that repays principal or interest.
Fees withheld into the balance are never paid in cash and are not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from debtnegotiation.plugin import (
    Case,
    Finding,
    Money,
    Plan,
    Proposal,
    Severity,
    Text,
    UpfrontKind,
    hookimpl,
    total,
)

__all__ = [
    "CODE",
    "TSR_ADVANCE_FEE_BAN_FROM",
    "advance_fees",
    "debtneg_review_proposal",
    "first_payment_date",
]

#: The date the TSR debt-relief fee ban took effect (75 FR 48458, 10 Aug 2010).
TSR_ADVANCE_FEE_BAN_FROM: Final = dt.date(2010, 10, 27)

#: The finding's stable code.
CODE: Final = "us.tsr-advance-fee"


def first_payment_date(plan: Plan) -> dt.date | None:
    """The date of the first payment to the creditor under *plan* (``None``: none)."""
    dates = [u.on for u in plan.upfront if u.kind is UpfrontKind.PAYMENT and u.amount]
    dates += [i.due for i in plan.installments if (i.principal + i.interest).amount > 0]
    return min(dates, default=None)


def advance_fees(plan: Plan) -> Money:
    """The fees *plan* asks for before its first payment (zero when there are none)."""
    first = first_payment_date(plan)
    fees = [
        u.amount
        for u in plan.upfront
        if u.kind is UpfrontKind.FEE and not u.withheld and (first is None or u.on <= first)
    ]
    fees += [i.fee for i in plan.installments if first is None or i.due < first]
    return total(fees, plan.currency)


@hookimpl
def debtneg_review_proposal(case: Case, proposal: Proposal) -> Sequence[Finding] | None:
    """Flag a USD plan that charges a fee before any payment under it (TSR)."""
    del case  # the rule looks at the plan only
    plan = proposal.plan
    if plan is None or plan.currency != "USD" or plan.start < TSR_ADVANCE_FEE_BAN_FROM:
        return None
    fees = advance_fees(plan)
    if not fees:
        return None
    first = first_payment_date(plan)
    when = (
        Text("rule", "the first payment under it on {date}", date=first)
        if first
        else Text("rule", "any payment")
    )
    return (
        Finding(
            code=CODE,
            severity=Severity.DANGER,
            message=Text(
                "finding",
                "This plan asks for {fees} in fees before {when}. If a debt relief company "
                "rather than the creditor charges it, the FTC Telemarketing Sales Rule "
                "(16 CFR 310.4(a)(5), since 27 Oct 2010) forbids requesting or receiving "
                "any fee until a debt has been settled or changed under an agreement you "
                "signed and you have made at least one payment under it; the fee must then "
                "be proportional to that debt or a percentage of the amount saved. Do not "
                "pay it up front.",
                fees=fees,
                when=when,
            ),
        ),
    )
