"""Subsidy (hardship relief): interest, penalty and possibly principal waived for hardship.

The source article's second lever: for a
qualifying hardship such as unemployment or serious illness, backed by documents, the
lender waives accrued interest, penalty interest and fees, and rarely part of the
principal (principal reduction is uncommon in practice). What the lender may waive
and for whom comes from its policy:

* waivers, each rounded *down* to the minor unit so it never exceeds the cap: accrued
  interest × ``interest_waiver_max``; penalty interest × ``penalty_waiver_max``; fees ×
  ``penalty_waiver_max`` (the policy's cap covers "penalty interest and fees");
  principal × ``principal_waiver_max``; amounts as projected on the case date;
* who qualifies: a hardship of the borrower, ongoing on the case date, among the
  policy's ``accepted_hardships`` (any ongoing hardship when the policy names none);
* evidence: ``documents_for`` that hardship; with several qualifying hardships the one
  with the fewest documents missing is put forward;
* the plan: what remains after the waivers, repaid in equal installments at
  ``plan_rate`` (frozen when ``None``) over the term up to ``max_months`` that
  ``choose_term``'s rule picks (a single payment
  when the policy offers no re-split). No
  handling fee: that is the fee-advance strategy's lever.

Proposals: the full ask at the policy's caps, and, when the borrower's goals ask to waive
fewer kinds of charge than the policy allows, that narrower ask too. Verdicts: NOT_ELIGIBLE
without a qualifying hardship (no plan) or when even the longest term is unaffordable;
NEEDS_EVIDENCE when documents are missing, listing exactly those; otherwise ELIGIBLE.
No policy, or a policy with no waiver cap above zero: no proposal.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from decimal import ROUND_DOWN
from typing import Final

import attrs

from debtnegotiation.plugin import (
    N_,
    Case,
    Eligibility,
    EvidenceKind,
    Hardship,
    LenderPolicy,
    Money,
    Plan,
    Proposal,
    ValidationError,
    Waiver,
    WaiverKind,
    choose_term,
    conditions,
    current_hardships,
    equal_installment,
    hookimpl,
    interest_sentence,
    percent,
    plan_rate,
    rate_sentence,
    share,
    total,
)

__all__ = [
    "LABEL",
    "STRATEGY",
    "WHY_LENDER_MAY_ACCEPT",
    "debtneg_propose_plans",
    "missing_evidence",
    "propose",
    "waivers",
]

#: The strategy's stable name.
STRATEGY: Final = "subsidy"
#: Its short label in documents, an English message id translated in context
#: ``strategy`` (``Proposal.label``).
LABEL: Final = N_("strategy", "Hardship relief").id
#: Why a lender may accept it (a lender's view, not a promise), for the ladder.
WHY_LENDER_MAY_ACCEPT: Final = N_(
    "why_lender_may_accept",
    "documented hardship makes the shortfall credible, and the lender recovers "
    "the principal instead of writing it off",
).id

#: The order waivers are listed and named in.
_ORDER: Final = (WaiverKind.INTEREST, WaiverKind.PENALTY, WaiverKind.FEES, WaiverKind.PRINCIPAL)


def waivers(case: Case, policy: LenderPolicy) -> tuple[Waiver, ...]:
    """The most the policy lets the lender waive on the case date, largest kinds first.

    Zero amounts are left out.
    """
    owed = case.debt.project(case.on)
    amounts = {
        WaiverKind.INTEREST: share(owed.interest, policy.interest_waiver_max, ROUND_DOWN),
        WaiverKind.PENALTY: share(owed.penalty, policy.penalty_waiver_max, ROUND_DOWN),
        WaiverKind.FEES: share(owed.fees, policy.penalty_waiver_max, ROUND_DOWN),
        WaiverKind.PRINCIPAL: share(owed.principal, policy.principal_waiver_max, ROUND_DOWN),
    }
    return tuple(Waiver(kind=k, amount=amounts[k]) for k in _ORDER if amounts[k].amount > 0)


def missing_evidence(
    case: Case, policy: LenderPolicy, hardships: Sequence[Hardship]
) -> tuple[Hardship, tuple[EvidenceKind, ...]]:
    """The hardship to put forward and the documents still missing for it.

    The hardship with the fewest missing documents wins (ties: the borrower's order);
    documents keep the policy's order.
    """
    best: tuple[Hardship, tuple[EvidenceKind, ...]] | None = None
    for hardship in hardships:
        missing = tuple(
            kind
            for kind in policy.documents_for(hardship.kind)
            if not case.borrower.has_evidence(kind)
        )
        if best is None or len(missing) < len(best[1]):
            best = (hardship, missing)
    if best is None:
        raise ValidationError("hardships", "at least one qualifying hardship", hardships)
    return best


def _names(kinds: Collection[WaiverKind]) -> str:
    words = [str(k.value) for k in _ORDER if k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _builder(case: Case, policy: LenderPolicy, balance: Money) -> Callable[[int], Plan]:
    rate = plan_rate(policy)

    def build(count: int) -> Plan:
        return equal_installment(
            balance, rate, count, start=case.on, label=f"{STRATEGY} {count} months"
        )

    return build


def _proposal(
    case: Case,
    policy: LenderPolicy,
    *,
    granted: tuple[Waiver, ...],
    hardship: Hardship,
    missing: tuple[EvidenceKind, ...],
    title: str,
    intro: str,
) -> Proposal:
    currency = case.debt.currency
    waived = total((w.amount for w in granted), currency)
    balance = case.owed - waived
    reasons = [
        intro,
        (
            f"Your {hardship.kind.value} since {hardship.start.isoformat()} is a hardship the "
            "lender's policy accepts for relief."
        ),
        "Waived: "
        + ", ".join(f"{w.kind.value} {w.amount}" for w in granted)
        + f" ({waived} in all); {balance} remains to repay.",
    ]
    plan_conditions = conditions(
        policy, "The waivers are granted for documented hardship; keep the documents on file."
    )
    if balance.amount <= 0:
        plan = Plan(
            principal=balance,
            start=case.on,
            installments=(),
            waivers=granted,
            conditions=plan_conditions,
            label=f"{STRATEGY} nothing left to repay",
        )
        fits = True
        reasons.append("Nothing remains to repay after the waivers.")
    else:
        cap = policy.max_months if policy.max_months > 0 else 1
        term = choose_term(case, _builder(case, policy, balance), policy_cap=cap)
        plan = term.plan._replace(waivers=granted, conditions=plan_conditions)
        fits = term.fits
        if policy.max_months <= 0:
            reasons.append("The policy offers no re-split, so the rest is due in one payment.")
        else:
            reasons.append(
                f"{term.count} monthly installments of up to {plan.peak_installment}, "
                f"within the lender's {policy.max_months} months. {term.rule}"
                if term.fits
                else f"{term.count} monthly installments, the longest the lender offers."
            )
        reasons.append(interest_sentence(policy))
        reasons.append(rate_sentence(plan))
        reasons.extend(term.notes)
    if missing:
        reasons.append(
            "Still to provide for the lender: " + ", ".join(k.value for k in missing) + "."
        )
    elif not policy.documents_for(hardship.kind):
        reasons.append(
            "The policy lists no documents for this hardship; expect the lender to ask for "
            "proof such as income proof and bank statements."
        )
    if not fits:
        verdict = Eligibility.NOT_ELIGIBLE
    elif missing:
        verdict = Eligibility.NEEDS_EVIDENCE
    else:
        verdict = Eligibility.ELIGIBLE
    return Proposal(
        strategy=STRATEGY,
        label=LABEL,
        why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
        title=f"{title}, {plan.number_of_payments} payments" if plan.installments else title,
        plan=plan,
        eligibility=verdict,
        reasons=reasons,
        evidence_needed=missing,
    )


def _caps(policy: LenderPolicy) -> str:
    parts = [
        f"{name} up to {percent(cap)}"
        for name, cap in (
            ("accrued interest", policy.interest_waiver_max),
            ("penalty interest and fees", policy.penalty_waiver_max),
            ("principal", policy.principal_waiver_max),
        )
        if cap
    ]
    return "; ".join(parts)


def propose(case: Case) -> tuple[Proposal, ...] | None:
    """Hardship-relief proposals for *case*, or ``None`` when the policy offers no waiver."""
    policy = case.policy
    if policy is None or not any(
        (policy.interest_waiver_max, policy.penalty_waiver_max, policy.principal_waiver_max)
    ):
        return None
    hardships = current_hardships(case, policy)
    if not hardships:
        accepted = ", ".join(sorted(k.value for k in policy.accepted_hardships)) or "any"
        reason = (
            f"The lender waives charges only for a documented hardship ({accepted}); none is "
            f"recorded as ongoing for you on {case.on.isoformat()}."
        )
        return (
            Proposal(
                strategy=STRATEGY,
                label=LABEL,
                why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
                title="Hardship relief",
                plan=None,
                eligibility=Eligibility.NOT_ELIGIBLE,
                reasons=(reason,),
            ),
        )
    hardship, missing = missing_evidence(case, policy, hardships)
    granted = waivers(case, policy)
    if not granted:
        return None  # the caps apply to charges this debt does not carry
    offered = {w.kind for w in granted}
    full = _proposal(
        case,
        policy,
        granted=granted,
        hardship=hardship,
        missing=missing,
        title=f"Hardship relief: {_names(offered)} waived",
        intro=f"The full ask at the lender's caps ({_caps(policy)}).",
    )
    proposals = [full]
    asked = set(case.goals.waive)
    caps = {
        WaiverKind.INTEREST: policy.interest_waiver_max,
        WaiverKind.PENALTY: policy.penalty_waiver_max,
        WaiverKind.FEES: policy.penalty_waiver_max,
        WaiverKind.PRINCIPAL: policy.principal_waiver_max,
    }
    not_offered = {k for k in asked - offered if not caps[k]}
    not_owed = asked - offered - not_offered
    notes = []
    if not_offered:
        notes.append(f"The lender's policy does not offer to waive {_names(not_offered)}.")
    if not_owed:
        notes.append(f"No {_names(not_owed)} is owed, so there is none to waive.")
    if notes:
        proposals[0] = attrs.evolve(full, reasons=(*full.reasons, *notes))
    narrower = asked & offered
    if narrower and narrower != offered:
        proposals.append(
            _proposal(
                case,
                policy,
                granted=tuple(w for w in granted if w.kind in narrower),
                hardship=hardship,
                missing=missing,
                title=f"Hardship relief as you asked: {_names(narrower)} waived",
                intro="Your own goal: waive only the charges you asked to have waived.",
            )
        )
    return tuple(proposals)


@hookimpl
def debtneg_propose_plans(case: Case) -> Sequence[Proposal] | None:
    """Propose waivers for documented hardship within the policy's caps."""
    return propose(case)
