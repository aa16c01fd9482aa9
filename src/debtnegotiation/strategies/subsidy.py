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
    Items,
    Label,
    LenderPolicy,
    Money,
    Plan,
    Proposal,
    Text,
    ValidationError,
    Waiver,
    WaiverKind,
    choose_term,
    conditions,
    current_hardships,
    equal_installment,
    hookimpl,
    interest_sentence,
    percent_value,
    plan_rate,
    rate_sentence,
    series,
    share,
    total,
)

__all__ = [
    "LABEL",
    "STRATEGY",
    "WHY_LENDER_MAY_ACCEPT",
    "debtneg_propose_plans",
    "debtneg_strategy_names",
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


def _names(kinds: Collection[WaiverKind]) -> Text | Label | str:
    """The kinds of charge, in :data:`_ORDER`: ``interest, penalty and fees``."""
    return series([Label("waiver_kind", k.value) for k in _ORDER if k in kinds], final_and=True)


def _builder(case: Case, policy: LenderPolicy, balance: Money) -> Callable[[int], Plan]:
    rate = plan_rate(policy)

    def build(count: int) -> Plan:
        label = Text("plan", "subsidy {count} months", count=count)
        return equal_installment(balance, rate, count, start=case.on, label=label)

    return build


def _proposal(
    case: Case,
    policy: LenderPolicy,
    *,
    granted: tuple[Waiver, ...],
    hardship: Hardship,
    missing: tuple[EvidenceKind, ...],
    title: Text,
    intro: Text,
) -> Proposal:
    currency = case.debt.currency
    waived = total((w.amount for w in granted), currency)
    balance = case.owed - waived
    reasons: list[str] = [
        intro,
        Text(
            "reason",
            "Your {hardship} since {start} is a hardship the lender's policy accepts for relief.",
            hardship=Label("hardship_kind", hardship.kind.value),
            start=hardship.start,
        ),
        Text(
            "reason",
            "Waived: {items} ({waived} in all); {balance} remains to repay.",
            items=Items(_amounts(granted)),
            waived=waived,
            balance=balance,
        ),
    ]
    plan_conditions = conditions(
        policy,
        Text(
            "condition",
            "The waivers are granted for documented hardship; keep the documents on file.",
        ),
    )
    if balance.amount <= 0:
        plan = Plan(
            principal=balance,
            start=case.on,
            installments=(),
            waivers=granted,
            conditions=plan_conditions,
            label=Text("plan", "subsidy nothing left to repay"),
        )
        fits = True
        reasons.append(Text("reason", "Nothing remains to repay after the waivers."))
    else:
        cap = policy.max_months if policy.max_months > 0 else 1
        term = choose_term(case, _builder(case, policy, balance), policy_cap=cap)
        plan = term.plan._replace(waivers=granted, conditions=plan_conditions)
        fits = term.fits
        if policy.max_months <= 0:
            reasons.append(
                Text("reason", "The policy offers no re-split, so the rest is due in one payment.")
            )
        else:
            reasons.append(
                Text(
                    "reason",
                    "{count} monthly installments of up to {peak}, within the lender's "
                    "{months} months. {rule}",
                    count=term.count,
                    peak=plan.peak_installment,
                    months=policy.max_months,
                    rule=term.rule,
                )
                if term.fits
                else Text(
                    "reason",
                    "{count} monthly installments, the longest the lender offers.",
                    count=term.count,
                )
            )
        reasons.append(interest_sentence(policy))
        reasons.append(rate_sentence(plan))
        reasons.extend(term.notes)
    if missing:
        reasons.append(
            Text(
                "reason",
                "Still to provide for the lender: {documents}.",
                documents=Items(Label("evidence_kind", k.value) for k in missing),
            )
        )
    elif not policy.documents_for(hardship.kind):
        reasons.append(
            Text(
                "reason",
                "The policy lists no documents for this hardship; expect the lender to ask for "
                "proof such as income proof and bank statements.",
            )
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
        title=(
            Text("title", "{title}, {count} payments", title=title, count=plan.number_of_payments)
            if plan.number_of_payments
            else title
        ),
        plan=plan,
        eligibility=verdict,
        reasons=reasons,
        evidence_needed=missing,
    )


def _amounts(granted: Sequence[Waiver]) -> list[Text]:
    """Each waiver as its kind and amount: ``interest 120.00 CNY``."""
    return [
        Text("reason", "{kind} {amount}", kind=Label("waiver_kind", w.kind.value), amount=w.amount)
        for w in granted
    ]


def _caps(policy: LenderPolicy) -> Text:
    """The policy's caps, ``"; "``-separated: ``accrued interest up to 100%; ...``."""
    parts = []
    if policy.interest_waiver_max:
        cap = percent_value(policy.interest_waiver_max)
        parts.append(Text("reason", "accrued interest up to {cap}", cap=cap))
    if policy.penalty_waiver_max:
        cap = percent_value(policy.penalty_waiver_max)
        parts.append(Text("reason", "penalty interest and fees up to {cap}", cap=cap))
    if policy.principal_waiver_max:
        cap = percent_value(policy.principal_waiver_max)
        parts.append(Text("reason", "principal up to {cap}", cap=cap))
    caps = parts[0]  # propose() asks only when one cap is set
    for part in parts[1:]:
        caps = Text("reason", "{caps}; {cap}", caps=caps, cap=part)
    return caps


def propose(case: Case) -> tuple[Proposal, ...] | None:
    """Hardship-relief proposals for *case*, or ``None`` when the policy offers no waiver."""
    policy = case.policy
    if policy is None or not any(
        (policy.interest_waiver_max, policy.penalty_waiver_max, policy.principal_waiver_max)
    ):
        return None
    hardships = current_hardships(case, policy)
    if not hardships:
        accepted = series(
            [Label("hardship_kind", k) for k in sorted(k.value for k in policy.accepted_hardships)],
            empty=Text("reason", "any"),
        )
        reason = Text(
            "reason",
            "The lender waives charges only for a documented hardship ({accepted}); none is "
            "recorded as ongoing for you on {date}.",
            accepted=accepted,
            date=case.on,
        )
        return (
            Proposal(
                strategy=STRATEGY,
                label=LABEL,
                why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
                title=Text("title", "Hardship relief"),
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
        title=Text("title", "Hardship relief: {kinds} waived", kinds=_names(offered)),
        intro=Text("reason", "The full ask at the lender's caps ({caps}).", caps=_caps(policy)),
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
        notes.append(
            Text(
                "reason",
                "The lender's policy does not offer to waive {kinds}.",
                kinds=_names(not_offered),
            )
        )
    if not_owed:
        notes.append(
            Text("reason", "No {kinds} is owed, so there is none to waive.", kinds=_names(not_owed))
        )
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
                title=Text(
                    "title", "Hardship relief as you asked: {kinds} waived", kinds=_names(narrower)
                ),
                intro=Text(
                    "reason", "Your own goal: waive only the charges you asked to have waived."
                ),
            )
        )
    return tuple(proposals)


@hookimpl
def debtneg_propose_plans(case: Case) -> Sequence[Proposal] | None:
    """Propose waivers for documented hardship within the policy's caps."""
    return propose(case)


@hookimpl
def debtneg_strategy_names() -> Sequence[str]:
    """Declare the one strategy this plugin proposes."""
    return (STRATEGY,)
