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
    Items,
    Label,
    Money,
    Proposal,
    Text,
    Waiver,
    WaiverKind,
    conditions,
    equal_installment,
    hookimpl,
    largest_payment,
    percent_value,
)

__all__ = [
    "LABEL",
    "STRATEGY",
    "WHY_LENDER_MAY_ACCEPT",
    "debtneg_propose_plans",
    "debtneg_strategy_names",
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
        label=Text("plan", "settlement {months} months", months=months),
    )
    plan = plan._replace(
        waivers=waived,
        conditions=conditions(
            policy,
            Text(
                "condition",
                "Get the settlement letter, stating that the rest is forgiven, before paying.",
            ),
        ),
    )
    fits = budget.amount > 0 and largest_payment(plan) <= budget
    how = (
        Text("title", "as a lump sum")
        if months == 1
        else Text("title", "in {months} monthly payments", months=months)
    )
    forgiven_items = [
        Text("reason", "{kind} {amount}", kind=Label("waiver_kind", w.kind.value), amount=w.amount)
        for w in waived
    ]
    reasons: list[str] = [
        Text(
            "reason",
            "The lender's policy settles for up to {discount} off the total owed: {amount} "
            "instead of {owed}, paid {how} (first due {first}).",
            discount=percent_value(discount),
            amount=amount,
            owed=case.owed,
            how=how,
            first=plan.installments[0].due,
        ),
        Text("reason", "Forgiven: {items}.", items=Items(forgiven_items)),
    ]
    if fits:
        reasons.append(
            Text(
                "reason",
                "Your monthly budget of {budget} covers each payment of up to {peak}.",
                budget=budget,
                peak=plan.peak_installment,
            )
        )
    else:
        reasons.append(
            Text(
                "reason",
                "Paying {amount} within {months} month(s) needs {peak} a month, more than "
                "your monthly budget of {budget}; a settlement is possible only with savings "
                "or help the budget does not show.",
                amount=amount,
                months=months,
                peak=plan.peak_installment,
                budget=budget,
            )
        )
    if case.debt.days_overdue == 0:
        reasons.append(
            Text(
                "reason",
                "Lenders seldom settle an account that is not overdue; expect a refusal until "
                "it is.",
            )
        )
    reasons.append(
        Text(
            "reason",
            "A settlement can show on your credit report, and whether forgiven debt counts as "
            "taxable income depends on where you live; a jurisdiction plugin reviews it.",
        )
    )
    return Proposal(
        strategy=STRATEGY,
        label=LABEL,
        why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
        title=Text(
            "title",
            "Settlement for {share} of the balance, {how}",
            share=percent_value(1 - discount),
            how=how,
        ),
        plan=plan,
        eligibility=Eligibility.ELIGIBLE if fits else Eligibility.NOT_ELIGIBLE,
        reasons=reasons,
    )


@hookimpl
def debtneg_propose_plans(case: Case) -> Sequence[Proposal] | None:
    """Propose settling for the policy's largest discount."""
    proposal = propose(case)
    return None if proposal is None else (proposal,)


@hookimpl
def debtneg_strategy_names() -> Sequence[str]:
    """Declare the one strategy this plugin proposes."""
    return (STRATEGY,)
