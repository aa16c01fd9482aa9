"""Deferral: a payment holiday of some months, then repayment resumes.

Temporary forbearance (a payment holiday; CCD2 Art. 35 lists it): no payment falls due
for the holiday, then the balance is repaid in equal installments. From the lender's policy:

* the holiday: ``deferral_max_months``, shortened when the borrower's hardship is
  expected to end sooner — it then lasts until the first monthly date on or after that
  end (a temporary hardship with an expected end is the usual precondition)
  — and shortened to leave at least one month of repayment inside the term;
* interest during the holiday (``deferral_interest``): either it accrues on the balance
  restructured (the total owed on the case date) at the debt's contract rate, simple,
  over the holiday's days, and is capitalised when payments resume — the usual lender
  practice — or it is frozen. The reasons state which, and the amount capitalised;
* resumption: equal installments at ``plan_rate`` (``None`` freezes interest) from the
  month after the holiday, over the term the stated rule picks
  (``choose_term``), with the
  holiday plus the repayment within ``max_months`` and the borrower's ``goals.max_months``.
  A policy without a re-split (``max_months`` 0) leaves the whole balance due in one
  payment after the holiday.

In the plan, the capitalised holiday interest is paid first: it appears as interest in
the first installments after the holiday, so the plan's principal stays the amount owed
and its cost above principal includes what the holiday cost.

Verdicts: NOT_ELIGIBLE without an ongoing hardship the policy accepts (no plan), or when
the resumption is unaffordable even over the longest term (with the plan); otherwise
ELIGIBLE. No policy, or ``deferral_max_months`` 0: no proposal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Final

from debtnegotiation.plugin import (
    N_,
    Case,
    Eligibility,
    InterestRate,
    Label,
    LenderPolicy,
    Money,
    Plan,
    Proposal,
    Text,
    ValidationError,
    add_months,
    choose_term,
    conditions,
    current_hardships,
    custom,
    equal_installment,
    hookimpl,
    plan_rate,
    rate_sentence,
    rate_text,
    series,
)

__all__ = [
    "LABEL",
    "STRATEGY",
    "WHY_LENDER_MAY_ACCEPT",
    "debtneg_propose_plans",
    "debtneg_strategy_names",
    "holiday_interest",
    "holiday_months",
    "propose",
]

#: The strategy's stable name.
STRATEGY: Final = "deferral"
#: Its short label in documents, an English message id translated in context
#: ``strategy`` (``Proposal.label``).
LABEL: Final = N_("strategy", "Payment deferral").id
#: Why a lender may accept it (a lender's view, not a promise), for the ladder.
WHY_LENDER_MAY_ACCEPT: Final = N_(
    "why_lender_may_accept",
    "a short holiday with a known end costs the lender little and avoids default",
).id


def holiday_months(case: Case, policy: LenderPolicy) -> int:
    """Months without payment: the policy's maximum, cut to the hardship's expected end.

    When every qualifying hardship has an expected end, the holiday lasts until the first
    monthly date (counted from the case date) on or after the latest of them, at least one
    month; a hardship without an expected end leaves the policy's maximum. Returns 0 when
    the policy offers no holiday.
    """
    months = policy.deferral_max_months
    hardships = current_hardships(case, policy)
    ends = [h.expected_end for h in hardships]
    if hardships and None not in ends:
        latest = max(e for e in ends if e is not None)
        needed = 1
        while add_months(case.on, needed) < latest:
            needed += 1
        months = min(months, needed)
    return months


def holiday_interest(case: Case, policy: LenderPolicy, months: int) -> Money:
    """Interest accruing over a holiday of *months* (zero when the policy freezes it).

    Simple interest on the total owed on the case date at the debt's contract rate, for
    the days from the case date to the holiday's end, rounded half up.
    """
    if not policy.deferral_interest or months == 0:
        return Money.zero(case.debt.currency)
    days = (add_months(case.on, months) - case.on).days
    factor = case.debt.contract_rate.for_days(days)
    exact = case.owed.amount * factor.numerator / factor.denominator
    return Money(exact, case.debt.currency).rounded()


def _builder(
    case: Case, policy: LenderPolicy, holiday: int, capitalised: Money
) -> Callable[[int], Plan]:
    owed = case.owed
    balance = owed + capitalised
    rate = plan_rate(policy)
    first = add_months(case.on, holiday + 1)
    # With nothing capitalised the rows are the equal-installment rows themselves, due
    # from the month after the holiday: when that first date keeps the case date's day
    # (not clamped to a month end), the builder's own monthly dates from it are the
    # dates below, so the schedule is built once, in minor units, without the rows.
    level = capitalised.amount == 0 and first.day == case.on.day

    def build(count: int) -> Plan:
        label = Text("plan", "deferral {holiday} + {count} months", holiday=holiday, count=count)
        if level:
            try:
                return equal_installment(
                    owed, rate, count, start=case.on, first_due=first, label=label
                )
            except ValidationError:
                pass  # the rows below raise the error they raise, or build the plan
        return _resumed(case, balance, rate, holiday, capitalised, count, label)

    return build


def _resumed(  # noqa: PLR0917 - private builder, called in this module only
    case: Case,
    balance: Money,
    rate: InterestRate,
    holiday: int,
    capitalised: Money,
    count: int,
    label: str,
) -> Plan:
    """The plan row by row: *count* equal installments from the month after the holiday."""
    base = equal_installment(balance, rate, count, start=case.on)
    rows: list[tuple[dt.date, Money, Money, Money]] = []
    left = capitalised
    for k, item in enumerate(base.installments, 1):
        # The capitalised holiday interest is repaid first, as interest.
        moved = min(left, item.principal, key=lambda m: m.amount)
        left = left - moved
        due = add_months(case.on, holiday + k)
        rows.append((due, item.principal - moved, item.interest + moved, item.fee))
    return custom(case.owed, rows, start=case.on, label=label)


def _not_eligible(reason: Text) -> Proposal:
    return Proposal(
        strategy=STRATEGY,
        label=LABEL,
        why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
        title=Text("title", "Payment holiday"),
        plan=None,
        eligibility=Eligibility.NOT_ELIGIBLE,
        reasons=(reason,),
    )


def propose(case: Case) -> Proposal | None:
    """The deferral proposal for *case*, or ``None`` when the policy offers no holiday."""
    policy = case.policy
    if policy is None or policy.deferral_max_months <= 0:
        return None
    if not current_hardships(case, policy):
        accepted = series(
            [Label("hardship_kind", k) for k in sorted(k.value for k in policy.accepted_hardships)],
            empty=Text("reason", "any"),
        )
        return _not_eligible(
            Text(
                "reason",
                "A payment holiday is for a temporary hardship the lender accepts ({accepted}); "
                "none is recorded as ongoing for you on {date}.",
                accepted=accepted,
                date=case.on,
            )
        )
    limit = policy.max_months if policy.max_months > 0 else None
    if case.goals.max_months is not None:
        limit = case.goals.max_months if limit is None else min(limit, case.goals.max_months)
    holiday = holiday_months(case, policy)
    if limit is not None:
        holiday = min(holiday, limit - 1)
    if holiday <= 0:
        return _not_eligible(
            Text(
                "reason",
                "A term of at most {limit} month(s) leaves no room for a payment holiday.",
                limit=limit if limit is not None else 0,
            )
        )
    capitalised = holiday_interest(case, policy, holiday)
    build = _builder(case, policy, holiday, capitalised)
    if policy.max_months > 0:
        policy_cap = policy.max_months - holiday
        goal_cap = None if case.goals.max_months is None else case.goals.max_months - holiday
    else:
        policy_cap, goal_cap = 1, None
    target = case.goals.target_months
    target = None if target is None or policy.max_months <= 0 else max(target - holiday, 1)
    term = choose_term(case, build, policy_cap=policy_cap, goal_cap=goal_cap, target=target)
    plan = term.plan._replace(conditions=conditions(policy))
    first = plan.due_dates[0]  # the dates alone: the installments are not made
    if capitalised.amount > 0:
        during = Text(
            "reason",
            "Interest keeps accruing during the holiday at the contract rate ({rate}): "
            "{capitalised}, capitalised when payments resume and repaid first.",
            rate=rate_text(case.debt.contract_rate),
            capitalised=capitalised,
        )
    else:
        during = Text(
            "reason", "Interest is frozen during the holiday, as the lender's policy offers."
        )
    after = plan_rate(policy)
    reasons: list[str] = [
        Text(
            "reason",
            "No payment is due for {holiday} month(s) (the lender allows up to {most}); "
            "payments resume on {first}.",
            holiday=holiday,
            most=policy.deferral_max_months,
            first=first,
        ),
        during,
        Text("reason", "After the holiday interest is frozen (停息).")
        if after.value == 0
        else Text(
            "reason",
            "After the holiday interest runs at {rate}, the lender's plan rate.",
            rate=rate_text(after),
        ),
    ]
    if policy.max_months > 0:
        reasons.append(
            Text(
                "reason",
                "{count} monthly installments of up to {peak}, {months} months in all (the "
                "lender's maximum is {most}). {rule}",
                count=term.count,
                peak=plan.peak_installment,
                months=holiday + term.count,
                most=policy.max_months,
                rule=term.rule,
            )
        )
    else:
        reasons.append(
            Text(
                "reason",
                "The policy offers no re-split, so the whole balance falls due in one payment "
                "after the holiday.",
            )
        )
    reasons.append(rate_sentence(plan))
    reasons.extend(term.notes)
    return Proposal(
        strategy=STRATEGY,
        label=LABEL,
        why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
        title=Text(
            "title",
            "Payment holiday of {holiday} months, then {count} monthly payments",
            holiday=holiday,
            count=term.count,
        ),
        plan=plan,
        eligibility=Eligibility.ELIGIBLE if term.fits else Eligibility.NOT_ELIGIBLE,
        reasons=reasons,
    )


@hookimpl
def debtneg_propose_plans(case: Case) -> Sequence[Proposal] | None:
    """Propose a payment holiday, then resumption, within the policy's limits."""
    proposal = propose(case)
    return None if proposal is None else (proposal,)


@hookimpl
def debtneg_strategy_names() -> Sequence[str]:
    """Declare the one strategy this plugin proposes."""
    return (STRATEGY,)
