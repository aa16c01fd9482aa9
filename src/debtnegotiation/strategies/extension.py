"""Extension: a longer term up to the policy maximum, interest frozen or reduced.

Term extension or re-amortisation (the maximum is typically 24, 36 or 60 months — 60
being the legal maximum for a Chinese card personalised installment, CBRC Order [2011]
No. 2, Art. 70 — and it always comes from the lender's policy). The
whole amount owed on the case date is repaid in equal installments
(:func:`~debtnegotiation.schedules.equal_installment`) at the policy's ``plan_rate``
(``None`` freezes interest, 停息). Up to two term choices:

* the term ``choose_term`` picks: the lowest total
  cost with the largest payment within the headroom limit (the longest such term when
  interest is frozen, since every term then costs the same), or the borrower's target;
* the longest term allowed — ``max_months``, or the borrower's ``goals.max_months`` if
  shorter — when it is longer: the lowest installment, leaving room in the budget; its
  reasons state what the extra months cost.

It asks for the extension *without* the policy's handling fee; when the policy has one,
the reasons say so and point to the fee-advance proposal as the fallback. No policy or
``max_months`` 0: no proposal. Not affordable even at the maximum: one NOT_ELIGIBLE
proposal with that plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from debtnegotiation.plugin import (
    N_,
    Case,
    Eligibility,
    LenderPolicy,
    Plan,
    Proposal,
    Term,
    Text,
    choose_term,
    conditions,
    equal_installment,
    hookimpl,
    interest_sentence,
    most_installments,
    percent_value,
    plan_rate,
    rate_sentence,
)

__all__ = [
    "LABEL",
    "STRATEGY",
    "WHY_LENDER_MAY_ACCEPT",
    "debtneg_propose_plans",
    "debtneg_strategy_names",
    "propose",
]

#: The strategy's stable name.
STRATEGY: Final = "extension"
#: Its short label in documents, an English message id translated in context
#: ``strategy`` (``Proposal.label``).
LABEL: Final = N_("strategy", "Longer repayment term").id
#: Why a lender may accept it (a lender's view, not a promise), for the ladder.
WHY_LENDER_MAY_ACCEPT: Final = N_(
    "why_lender_may_accept",
    "the lender keeps the account performing and is repaid in full, only later",
).id


def _builder(case: Case, policy: LenderPolicy) -> Callable[[int], Plan]:
    rate = plan_rate(policy)

    def build(count: int) -> Plan:
        label = Text("plan", "extension {count} months", count=count)
        return equal_installment(case.owed, rate, count, start=case.on, label=label)

    return build


def _frozen(case: Case, policy: LenderPolicy) -> Text:
    rate = plan_rate(policy)
    if rate.value == 0:
        return Text("title", "interest frozen")
    if rate == case.debt.contract_rate:
        return Text("title", "interest at the contract rate")
    return Text("title", "reduced interest")


def _proposal(
    case: Case, policy: LenderPolicy, term: Term, why: str, extra: Sequence[str] = ()
) -> Proposal:
    plan = term.plan._replace(conditions=conditions(policy))
    reasons = [
        Text(
            "reason",
            "The lender's policy allows terms of up to {most} months; the whole {owed} owed "
            "is repaid in {count} equal monthly installments of up to {peak}.",
            most=policy.max_months,
            owed=case.owed,
            count=term.count,
            peak=plan.peak_installment,
        ),
        why,
        interest_sentence(policy),
        rate_sentence(plan),
        *extra,
        *term.notes,
    ]
    eligibility = Eligibility.ELIGIBLE if term.fits else Eligibility.NOT_ELIGIBLE
    if policy.fee_rate:
        # The lender's only re-split costs a fee: a free one is not among its stated terms.
        reasons.append(
            Text(
                "reason",
                "The lender's policy re-splits only for a {fee} handling fee, so a longer term "
                "without the fee is an ask beyond its stated terms; if the lender insists on "
                "the fee, the fee-advance proposal shows those terms.",
                fee=percent_value(policy.fee_rate),
            )
        )
        if term.fits:
            eligibility = Eligibility.BEYOND_STATED_TERMS
    return Proposal(
        strategy=STRATEGY,
        label=LABEL,
        why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
        title=Text(
            "title",
            "Longer term: {count} months, {interest}",
            count=term.count,
            interest=_frozen(case, policy),
        ),
        plan=plan,
        eligibility=eligibility,
        reasons=reasons,
    )


def propose(case: Case) -> tuple[Proposal, ...] | None:
    """Extension proposals for *case*, or ``None`` when the policy offers no longer term."""
    policy = case.policy
    if policy is None or policy.max_months <= 0:
        return None
    build = _builder(case, policy)
    chosen = choose_term(case, build, policy_cap=policy.max_months)
    if not chosen.fits:
        why = Text("reason", "No term the lender offers fits your budget.")
        return (_proposal(case, policy, chosen, why),)
    proposals = [_proposal(case, policy, chosen, chosen.rule)]
    goal = case.goals.max_months
    longest = policy.max_months if goal is None else min(goal, policy.max_months)
    longest = min(longest, most_installments(case))
    if longest > chosen.count:
        # Interest runs, so the longest term costs more: offered for its lower payment.
        plan = build(longest)
        extra = plan.total_paid - chosen.plan.total_paid
        cost = (
            Text(
                "reason",
                "The {count} extra months cost {extra} more in interest.",
                count=longest - chosen.count,
                extra=extra,
            )
            if extra.amount > 0
            else Text("reason", "The extra months cost nothing more.")
        )
        term = Term(count=longest, plan=plan, fits=True)
        proposals.append(
            _proposal(
                case,
                policy,
                term,
                Text(
                    "reason",
                    "The longest term allowed: the lowest installment, leaving room in your "
                    "budget for the unexpected, at a higher total cost.",
                ),
                [cost],
            )
        )
    return tuple(proposals)


@hookimpl
def debtneg_propose_plans(case: Case) -> Sequence[Proposal] | None:
    """Propose the term the stated rule picks and the longest term the policy allows."""
    return propose(case)


@hookimpl
def debtneg_strategy_names() -> Sequence[str]:
    """Declare the one strategy this plugin proposes."""
    return (STRATEGY,)
