"""Settlement: a lump sum, or a short schedule, for less than the total owed.

Principal reduction by settlement (US practice: Dobbie 2020). The lender's
policy sets the largest discount (``settlement_discount_max``) and how many monthly
payments the settlement may take (``settlement_months``; 1, or 0, means a lump sum):

* the settlement amount is the total owed on the case date × (1 − the discount), rounded
  *up* to the minor unit so the discount never exceeds the cap;
* it is paid in equal monthly payments, the first one month after the case date (a lump
  sum is that single payment): time to gather the money;
* what is forgiven is recorded as waivers, charges first — penalty interest, fees, accrued
  interest — then principal (the lender gives up what it charged before what it lent).

Eligibility: the borrower has no savings balance in the model (only a monthly savings
buffer), so the settlement is ELIGIBLE only when it can be paid from the monthly budget
within ``settlement_months`` (each payment ≤ the budget); otherwise NOT_ELIGIBLE, with the
plan so it can still be shown. The reasons say, neutrally, that tax on forgiven debt
depends on the jurisdiction (a US plugin reviews it: IRS Publication 4681), that the
settlement must be in writing before paying, and that lenders seldom settle an account
that is not overdue (settlements usually concern seriously delinquent or charged-off
accounts). No policy or no discount: no proposal.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_UP, Decimal
from typing import Final

from debtnegotiation.plugin import (
    N_,
    Case,
    Eligibility,
    InterestRate,
    Money,
    Proposal,
    Waiver,
    WaiverKind,
    conditions,
    equal_installment,
    hookimpl,
    largest_payment,
    percent,
)

__all__ = [
    "LABEL",
    "STRATEGY",
    "WHY_LENDER_MAY_ACCEPT",
    "debtneg_propose_plans",
    "forgiven",
    "propose",
    "settlement_amount",
]

#: The strategy's stable name.
STRATEGY: Final = "settlement"
#: Its short label in documents, an English message id translated in context
#: ``strategy`` (``Proposal.label``).
LABEL: Final = N_("strategy", "Settlement").id
#: Why a lender may accept it (a lender's view, not a promise), for the ladder.
WHY_LENDER_MAY_ACCEPT: Final = N_(
    "why_lender_may_accept",
    "the lender recovers cash now, with no collection cost or litigation risk",
).id


def settlement_amount(owed: Money, discount: Decimal) -> Money:
    """``owed × (1 − discount)``, rounded up so the discount never exceeds *discount*."""
    return (owed * (1 - discount)).rounded(ROUND_UP)


def forgiven(case: Case, amount: Money) -> tuple[Waiver, ...]:
    """Split ``owed − amount`` into waivers: penalty, fees, interest, then principal."""
    owed = case.debt.project(case.on)
    left = owed.total - amount
    result = []
    for kind, part in (
        (WaiverKind.PENALTY, owed.penalty),
        (WaiverKind.FEES, owed.fees),
        (WaiverKind.INTEREST, owed.interest),
        (WaiverKind.PRINCIPAL, owed.principal),
    ):
        taken = min(part, left, key=lambda m: m.amount)
        if taken.amount > 0:
            result.append(Waiver(kind=kind, amount=taken))
            left = left - taken
    return tuple(result)


def propose(case: Case) -> Proposal | None:
    """The settlement proposal for *case*, or ``None`` when the policy offers no discount."""
    policy = case.policy
    if policy is None or not policy.settlement_discount_max:
        return None
    discount = policy.settlement_discount_max
    months = max(policy.settlement_months, 1)
    amount = settlement_amount(case.owed, discount)
    budget = case.monthly_budget
    waived = forgiven(case, amount)
    if amount.amount <= 0:
        return None  # a 100 % discount is a write-off, not a settlement to negotiate
    # One minor unit per installment at least (0.05 CNY is 5 installments at most).
    months = min(months, int(amount.amount.scaleb(amount.minor_units)))
    plan = equal_installment(
        amount,
        InterestRate.zero(),
        months,
        start=case.on,
        label=f"{STRATEGY} {months} months",
    )
    plan = plan._replace(
        waivers=waived,
        conditions=conditions(
            policy,
            "Get the settlement letter, stating that the rest is forgiven, before paying.",
        ),
    )
    fits = budget.amount > 0 and largest_payment(plan) <= budget
    how = "as a lump sum" if months == 1 else f"in {months} monthly payments"
    reasons = [
        (
            f"The lender's policy settles for up to {percent(discount)} off the total owed: "
            f"{amount} instead of {case.owed}, paid {how} (first due "
            f"{plan.installments[0].due.isoformat()})."
        ),
        "Forgiven: " + ", ".join(f"{w.kind.value} {w.amount}" for w in waived) + ".",
    ]
    if fits:
        reasons.append(
            f"Your monthly budget of {budget} covers each payment of up to {plan.peak_installment}."
        )
    else:
        reasons.append(
            f"Paying {amount} within {months} month(s) needs {plan.peak_installment} a month, "
            f"more than your monthly budget of {budget}; a settlement is possible only with "
            "savings or help the budget does not show."
        )
    if case.debt.days_overdue == 0:
        reasons.append(
            "Lenders seldom settle an account that is not overdue; expect a refusal until it is."
        )
    reasons.append(
        "A settlement can show on your credit report, and whether forgiven "
        "debt counts as taxable income depends on where you live; a jurisdiction plugin "
        "reviews it."
    )
    return Proposal(
        strategy=STRATEGY,
        label=LABEL,
        why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
        title=f"Settlement for {percent(1 - discount)} of the balance, {how}",
        plan=plan,
        eligibility=Eligibility.ELIGIBLE if fits else Eligibility.NOT_ELIGIBLE,
        reasons=reasons,
    )


@hookimpl
def debtneg_propose_plans(case: Case) -> Sequence[Proposal] | None:
    """Propose settling for the policy's largest discount."""
    proposal = propose(case)
    return None if proposal is None else (proposal,)
