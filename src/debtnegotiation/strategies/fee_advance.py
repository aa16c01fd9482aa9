"""Fee-advance: the balance re-split into installments for a one-off handling fee.

The source article's first lever: pay a
handling fee of about 5 % of the total owed and the platform re-splits the balance into
installments. The fee's rate and timing, the longest term and the rate during the plan
all come from the lender's policy:

* ``fee_rate`` × the total owed on the case date, rounded half up to the minor unit;
* ``fee_timing``: ``UPFRONT`` — paid in cash on the start date; ``WITHHELD`` — added to
  the balance repaid (the plan's principal is owed + fee and the advance is the amount
  owed, so the fee enters the annual rate as a withheld fee); ``SPREAD`` — split evenly
  over the installments as installment fees;
* the term: by ``choose_term``'s rule, up to
  ``max_months`` (and the borrower's goal): the lowest total cost with the largest
  payment — the upfront fee included — within the headroom limit, and at equal cost the
  lowest payment (a flat fee costs the same over any term, so the longest is taken);
* interest during the plan at ``plan_rate`` (``None`` freezes it, 停息), as equal
  installments (:func:`~debtnegotiation.schedules.equal_installment`).

Its true annual rate is always stated in the reasons (PBOC Announcement [2021] No. 3
requires the annualised rate to count every cost; 5 % over 24 months is about 5 %, over
12 months about 9.6 %), under the PBOC convention for CNY plans, EU Annex I for EUR and
Regulation Z otherwise.

An upfront fee larger than one month's budget: when the cash due at the start (the fee
plus anything due that day) exceeds ``case.monthly_budget``, a second proposal asks the
lender to spread the fee evenly over the installments instead — the same re-split, its
term chosen by the same rule — with eligibility ``BEYOND_STATED_TERMS`` (the policy says
upfront, so spreading is an ask, not an entitlement). It is proposed only when it fits the
budget; it then ranks above the upfront plan, which the budget cannot carry.

No policy, a policy without a fee (``fee_rate`` ``None`` or 0) or without a re-split
(``max_months`` 0): no proposal. Not affordable even at the longest term: NOT_ELIGIBLE,
with the plan (the borrower must be able to pay the fee plus the installments from the
surplus).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Final

from debtnegotiation.plugin import (
    N_,
    Case,
    Eligibility,
    FeeTiming,
    LenderPolicy,
    Money,
    Plan,
    Proposal,
    Text,
    UpfrontItem,
    UpfrontKind,
    choose_term,
    conditions,
    custom,
    equal_installment,
    hookimpl,
    interest_sentence,
    largest_payment,
    percent_value,
    plan_rate,
    rate_sentence,
)

__all__ = [
    "LABEL",
    "SPREAD_LABEL",
    "STRATEGY",
    "WHY_LENDER_MAY_ACCEPT",
    "debtneg_propose_plans",
    "debtneg_strategy_names",
    "handling_fee",
    "propose",
    "propose_spread",
]

#: The strategy's stable name.
STRATEGY: Final = "fee-advance"
#: Its short label in documents, an English message id translated in context
#: ``strategy`` (``Proposal.label``).
LABEL: Final = N_("strategy", "Installments for a handling fee").id
#: The label of the variant that asks for an upfront fee to be spread over the installments.
SPREAD_LABEL: Final = N_("strategy", "Installments with the handling fee spread").id
#: Why a lender may accept it (a lender's view, not a promise), for the ladder.
WHY_LENDER_MAY_ACCEPT: Final = N_(
    "why_lender_may_accept",
    "the lender earns a handling fee and turns an overdue account into a performing one",
).id

_ADVANCE_FEE_WARNING: Final = Text(
    "reason",
    "Pay the fee only to the lender itself, and only once the agreement is in writing: a "
    "fee asked up front by anyone else before a debt is resolved is the advance-fee pattern "
    "of debt-relief scams (NFRA risk warning, May 2024; FTC Telemarketing Sales Rule, "
    "16 CFR 310.4(a)(5)).",
)


def handling_fee(case: Case, policy: LenderPolicy) -> Money:
    """The one-off fee: ``policy.fee_rate`` × the total owed on the case date, half up."""
    rate = policy.fee_rate or Decimal(0)
    return (case.owed * rate).rounded()


def _builder(
    case: Case, policy: LenderPolicy, fee: Money, timing: FeeTiming | None = None
) -> Callable[[int], Plan]:
    owed = case.owed
    rate = plan_rate(policy)
    timing = policy.fee_timing if timing is None else timing

    def build(count: int) -> Plan:
        label = Text("plan", "fee-advance {count} months", count=count)
        fee_label = Text("upfront", "handling fee")
        if timing is FeeTiming.UPFRONT:
            item = UpfrontItem(kind=UpfrontKind.FEE, amount=fee, on=case.on, label=fee_label)
            return equal_installment(owed, rate, count, start=case.on, upfront=[item], label=label)
        if timing is FeeTiming.WITHHELD:
            item = UpfrontItem(
                kind=UpfrontKind.FEE, amount=fee, on=case.on, withheld=True, label=fee_label
            )
            return equal_installment(
                owed + fee, rate, count, start=case.on, upfront=[item], label=label
            )
        base = equal_installment(owed, rate, count, start=case.on)
        rows = [
            (i.due, i.principal, i.interest, part)
            for i, part in zip(base.installments, fee.allocate(count), strict=True)
        ]
        return custom(owed, rows, start=case.on, label=label)

    return build


def _timing_sentence(policy: LenderPolicy, fee: Money, case: Case) -> Text:
    share = percent_value(policy.fee_rate or Decimal(0))
    head = Text(
        "reason",
        "A one-off handling fee of {share} of the {owed} owed ({fee})",
        share=share,
        owed=case.owed,
        fee=fee,
    )
    if policy.fee_timing is FeeTiming.UPFRONT:
        return Text(
            "reason",
            "{fee} is paid upfront on {date}, when the plan starts.",
            fee=head,
            date=case.on,
        )
    if policy.fee_timing is FeeTiming.WITHHELD:
        return Text(
            "reason",
            "{fee} is added to the balance repaid (withheld, never paid in cash), so the "
            "installments repay {repaid}.",
            fee=head,
            repaid=case.owed + fee,
        )
    return Text("reason", "{fee} is spread evenly over the installments.", fee=head)


def propose(case: Case) -> Proposal | None:
    """The fee-advance proposal for *case*, or ``None`` when the policy does not offer it."""
    policy = case.policy
    if policy is None or not policy.fee_rate or policy.max_months <= 0:
        return None
    fee = handling_fee(case, policy)
    term = choose_term(case, _builder(case, policy, fee), policy_cap=policy.max_months)
    plan = term.plan._replace(conditions=conditions(policy))
    reasons: list[str] = [
        Text(
            "reason",
            "The lender's policy re-splits the balance into installments for a handling fee "
            "(up to {most} months).",
            most=policy.max_months,
        ),
        _timing_sentence(policy, fee, case),
    ]
    if term.fits:
        reasons.append(
            Text(
                "reason",
                "{count} monthly installments, the largest payment {largest}. {rule}",
                count=term.count,
                largest=largest_payment(plan),
                rule=term.rule,
            )
        )
    else:
        reasons.append(
            Text(
                "reason",
                "{count} monthly installments, the longest the lender offers.",
                count=term.count,
            )
        )
    reasons.append(interest_sentence(policy))
    reasons.append(rate_sentence(plan))
    reasons.extend(term.notes)
    if policy.fee_timing is FeeTiming.UPFRONT:
        reasons.append(_ADVANCE_FEE_WARNING)
    return Proposal(
        strategy=STRATEGY,
        label=LABEL,
        why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
        title=Text(
            "title",
            "Re-split over {count} months for a {fee} handling fee",
            count=term.count,
            fee=percent_value(policy.fee_rate),
        ),
        plan=plan,
        eligibility=Eligibility.ELIGIBLE if term.fits else Eligibility.NOT_ELIGIBLE,
        reasons=reasons,
    )


def propose_spread(case: Case) -> Proposal | None:
    """The ask to spread an upfront fee the budget cannot carry, or ``None``.

    Proposed when the policy's fee is paid upfront, the upfront plan's cash at the start
    (``Plan.cash_at_start``) exceeds ``case.monthly_budget``, and the same re-split with
    the fee spread evenly over the installments fits the budget.
    """
    return _spread(case, propose(case))


def _spread(case: Case, upfront: Proposal | None) -> Proposal | None:
    """:func:`propose_spread`, given the upfront proposal :func:`propose` made for *case*."""
    policy = case.policy
    if upfront is None or upfront.plan is None or policy is None:
        return None
    if policy.fee_timing is not FeeTiming.UPFRONT:
        return None
    budget = case.monthly_budget
    start_cash = upfront.plan.cash_at_start
    if start_cash <= budget:
        return None
    fee = handling_fee(case, policy)
    build = _builder(case, policy, fee, FeeTiming.SPREAD)
    term = choose_term(case, build, policy_cap=policy.max_months)
    if not term.fits:
        return None
    plan = term.plan._replace(conditions=conditions(policy))
    share = percent_value(policy.fee_rate or Decimal(0))
    reasons = [
        Text(
            "reason",
            "The lender's policy asks for the handling fee of {share} ({fee}) upfront, but "
            "the {cash} due on {date} exceeds the monthly budget of {budget}: ask the lender "
            "to spread the fee evenly over the installments instead. This is beyond the "
            "lender's stated terms, so it is an ask, not an entitlement.",
            share=share,
            fee=fee,
            cash=start_cash,
            date=case.on,
            budget=budget,
        ),
        Text(
            "reason",
            "{count} monthly installments, the largest payment {largest}, the fee included. {rule}",
            count=term.count,
            largest=largest_payment(plan),
            rule=term.rule,
        ),
        interest_sentence(policy),
        rate_sentence(plan),
        *term.notes,
    ]
    return Proposal(
        strategy=STRATEGY,
        label=SPREAD_LABEL,
        why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
        title=Text(
            "title",
            "Ask the lender to spread the fee: re-split over {count} months with the {fee} "
            "handling fee spread over the installments",
            count=term.count,
            fee=share,
        ),
        plan=plan,
        eligibility=Eligibility.BEYOND_STATED_TERMS,
        reasons=reasons,
    )


@hookimpl
def debtneg_propose_plans(case: Case) -> Sequence[Proposal] | None:
    """Propose re-splitting the balance for the policy's handling fee.

    With an upfront fee the budget cannot carry, also the ask to spread it
    (:func:`propose_spread`).
    """
    proposal = propose(case)
    if proposal is None:
        return None
    # The upfront proposal is what propose_spread would build again: pass it on.
    spread = _spread(case, proposal)
    return (proposal,) if spread is None else (proposal, spread)


@hookimpl
def debtneg_strategy_names() -> Sequence[str]:
    """Declare the one strategy this plugin proposes."""
    return (STRATEGY,)
