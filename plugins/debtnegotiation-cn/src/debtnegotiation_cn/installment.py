"""The credit-card personalised installment (个性化分期还款) as a strategy plugin.

Entry point ``cn-personalised-installment``. Article 70 of the CBRC credit-card measures
(商业银行信用卡业务监督管理办法, CBRC Order [2011] No. 2) says that under special
circumstances, where it is *confirmed* that the card debt exceeds the cardholder's ability
to repay **and** the cardholder is still willing to repay, the issuer **may** (可以) agree
a personalised installment plan of **at most 5 years (60 months)**. It is not an
entitlement: the bank decides, and this strategy phrases its proposal accordingly.

What the strategy checks, and how (the bank confirms; the library can only prepare):

* the debt is a CNY credit-card debt (otherwise the strategy does not apply);
* *inability to repay*: the borrower has a recorded hardship the lender's policy accepts
  (every hardship when there is no policy), and the monthly budget cannot clear the debt
  at once;
* *willingness to repay*: a written hardship statement (困难情况说明) with the monthly
  amount the borrower can pay (Art. 70 needs a willingness statement);
* evidence: the policy's documents for the hardship, or else what Chinese banks usually
  ask for (hardship proof, income proof, bank statements; indicative).

The plan: interest stopped (停息) unless the policy names a rate during the plan, the
penalty and fee waivers and the handling fee the policy offers, a first payment if the
policy requires one, and the term the library's rule picks (the lowest total cost with
the largest payment within the headroom share of the budget; at equal cost, the lowest
payment), capped at 60 months, the policy's maximum and the borrower's goal. Its
conditions carry Article 70's consequences and the six items the agreement must contain.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from typing import Final

import attrs

from debtnegotiation.plugin import (
    DOMAIN,
    N_,
    Case,
    CatalogSource,
    CreditorKind,
    Eligibility,
    EvidenceKind,
    FeeTiming,
    HardshipKind,
    Items,
    Label,
    LenderPolicy,
    Money,
    Plan,
    Proposal,
    Text,
    UpfrontItem,
    UpfrontKind,
    Waiver,
    WaiverKind,
    choose_term,
    equal_installment,
    hookimpl,
    plan_rate,
    share,
    target_payment,
)

__all__ = [
    "AGREEMENT_CONTENTS",
    "COMMON_EVIDENCE",
    "HARDSHIP_PROOF",
    "MAX_MONTHS",
    "STRATEGY",
    "TITLE",
    "WHY_LENDER_MAY_ACCEPT",
    "debtneg_propose_plans",
    "debtneg_strategy_names",
    "propose",
]

#: The strategy's stable name.
STRATEGY: Final = "personalised-installment"
#: The proposal's title; also the message id the plugin's catalog translates (context
#: ``strategy``), so documents in Chinese name it 个性化分期还款.
TITLE: Final = N_(
    "strategy",
    "Personalised installment (个性化分期)",
).id
#: Why the bank may agree (the ladder's reason); the plugin's catalog translates it
#: (context ``why_lender_may_accept``) like the title.
WHY_LENDER_MAY_ACCEPT: Final = N_(
    "why_lender_may_accept",
    "the bank stops paying for collection and recovers the card debt from a cardholder "
    "who is willing to repay",
).id

#: The longest personalised installment agreement: 5 years (CBRC Order [2011] No. 2,
#: Art. 70; also the installment limit of the CBIRC and PBOC credit-card notice, July 2022).
MAX_MONTHS: Final = 60

#: What an Art. 70 agreement must contain, at least (CBRC Order [2011] No. 2, Art. 70).
AGREEMENT_CONTENTS: Final = (
    Text("condition", "the arrears balance, its structure and currency"),
    Text(
        "condition",
        "the repayment period, method, currency, dates and the amount of each installment",
    ),
    Text("condition", "whether annual fees, interest and other fees are charged during the plan"),
    Text(
        "condition",
        "the cardholder's undertaking not to apply for a credit card at any bank until the "
        "plan is fully paid",
    ),
    Text("condition", "both parties' rights, obligations and liability for breach"),
    Text("condition", "other repayment matters"),
)

#: Documents asked for whatever the hardship (what Chinese banks ask for; indicative):
#: income proof, bank statements (commonly the last 6-12 months) and the written hardship
#: statement, which is also the willingness-to-repay statement Art. 70 needs.
COMMON_EVIDENCE: Final = (
    EvidenceKind.INCOME_PROOF,
    EvidenceKind.BANK_STATEMENTS,
    EvidenceKind.HARDSHIP_STATEMENT,
)

#: Proof of each hardship when the lender's policy lists none (what Chinese banks ask for;
#: indicative). Each inner tuple is a set of alternatives, any one of which will do.
HARDSHIP_PROOF: Final[dict[HardshipKind, tuple[tuple[EvidenceKind, ...], ...]]] = {
    HardshipKind.UNEMPLOYMENT: (
        (EvidenceKind.UNEMPLOYMENT_CERTIFICATE, EvidenceKind.TERMINATION_LETTER),
    ),
    HardshipKind.ILLNESS: ((EvidenceKind.MEDICAL_DIAGNOSIS,), (EvidenceKind.MEDICAL_BILLS,)),
    HardshipKind.INCOME_DROP: ((EvidenceKind.INCOME_PROOF,),),
    HardshipKind.FAMILY_EVENT: ((EvidenceKind.OTHER,),),
    HardshipKind.DISASTER: ((EvidenceKind.OTHER,),),
    HardshipKind.OTHER: ((EvidenceKind.OTHER,),),
}

_ARTICLE_70: Final = Text(
    "reason",
    "Article 70 of the CBRC credit-card measures lets the bank agree (可以, 'may') a "
    "personalised installment when it confirms the card debt exceeds your ability to "
    "repay and you remain willing to repay; it is not an entitlement (Art. 70 of the "
    "credit-card measures).",
)


def _requirements(case: Case, hardships: Sequence[HardshipKind]) -> list[tuple[EvidenceKind, ...]]:
    """Groups of alternative documents, each group needed once."""
    groups: list[tuple[EvidenceKind, ...]] = []
    policy = case.policy
    for hardship in hardships:
        listed = policy.documents_for(hardship) if policy is not None else ()
        if listed:
            groups.extend((kind,) for kind in listed)
        else:
            groups.extend(HARDSHIP_PROOF[hardship])
    groups.extend((kind,) for kind in COMMON_EVIDENCE)
    unique: list[tuple[EvidenceKind, ...]] = []
    for group in groups:
        if group not in unique:
            unique.append(group)
    return unique


def _missing(case: Case, groups: Sequence[tuple[EvidenceKind, ...]]) -> tuple[EvidenceKind, ...]:
    missing: list[EvidenceKind] = []
    for group in groups:
        held = any(case.borrower.has_evidence(kind) for kind in group)
        if not held and group[0] not in missing:
            missing.append(group[0])
    return tuple(missing)


def _not_eligible(reason: Text) -> Proposal:
    return Proposal(
        strategy=STRATEGY,
        title=TITLE,
        label=TITLE,
        why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
        plan=None,
        eligibility=Eligibility.NOT_ELIGIBLE,
        reasons=(_ARTICLE_70, reason),
    )


def _max_months(case: Case) -> int:
    cap = MAX_MONTHS
    if case.policy is not None and case.policy.max_months:
        cap = min(cap, case.policy.max_months)
    if case.goals.max_months is not None:
        cap = min(cap, case.goals.max_months)
    return cap


def _contents() -> Text:
    """:data:`AGREEMENT_CONTENTS` as one list, each item after a semicolon."""
    first, *rest = AGREEMENT_CONTENTS
    listed = first
    for item in rest:
        listed = Text("condition", "{items}; {item}", items=listed, item=item)
    return listed


def _conditions(policy: LenderPolicy | None) -> tuple[str, ...]:
    conditions = [
        Text(
            "condition",
            "No new credit card may be applied for at any bank until the plan is fully paid "
            "(Art. 70 agreement item 4).",
        ),
        Text(
            "condition",
            "Once the agreement is signed, the bank and its collection agents must stop "
            "collection unless the plan is not performed (Art. 70).",
        ),
        Text(
            "condition",
            "Get the agreement in writing; for an oral agreement the bank must keep the call "
            "recording at least until the debt is settled (Art. 70).",
        ),
        Text("condition", "The agreement must state: {contents} (Art. 70).", contents=_contents()),
    ]
    if policy is None or policy.lapses_on_missed_payment:
        conditions.append(
            Text(
                "condition",
                "One further missed payment typically voids the plan, and collection or a "
                "lawsuit may resume.",
            )
        )
    return tuple(conditions)


def propose(case: Case) -> Proposal | None:
    """The personalised-installment proposal for *case*, or ``None`` if it cannot apply."""
    debt = case.debt
    if debt.creditor.kind is not CreditorKind.CREDIT_CARD or debt.currency != "CNY":
        return None
    policy = case.policy
    hardships = [h.kind for h in case.borrower.hardships]
    if policy is not None and policy.accepted_hardships:
        hardships = [h for h in hardships if h in policy.accepted_hardships]
    if not hardships:
        return _not_eligible(
            Text(
                "reason",
                "No hardship the lender accepts is recorded, so nothing shows the debt exceeds "
                "your ability to repay; record the hardship and its proof first.",
            )
        )
    budget = target_payment(case)
    owed = debt.project(case.on)
    if budget.amount <= 0:
        return _not_eligible(
            Text(
                "reason",
                "There is no monthly surplus to pay installments from; consider free debt "
                "counselling or a payment holiday first.",
            )
        )
    if budget >= owed.total:
        return _not_eligible(
            Text(
                "reason",
                "Your monthly budget of {budget} covers the whole {owed} owed, so the debt does "
                "not exceed your ability to repay.",
                budget=budget,
                owed=owed.total,
            )
        )
    plan, reasons = _plan(case, budget)
    missing = _missing(case, _requirements(case, hardships))
    if missing:
        reasons.append(
            Text(
                "reason",
                "Still to provide: {documents} (the hardship statement states the monthly "
                "amount you can pay and your willingness to repay).",
                documents=Items(Label("evidence_kind", kind.value) for kind in missing),
            )
        )
    return Proposal(
        strategy=STRATEGY,
        title=TITLE,
        label=TITLE,
        why_lender_may_accept=WHY_LENDER_MAY_ACCEPT,
        plan=plan,
        eligibility=Eligibility.NEEDS_EVIDENCE if missing else Eligibility.ELIGIBLE,
        reasons=(_ARTICLE_70, *reasons),
        evidence_needed=missing,
    )


def _plan(case: Case, budget: Money) -> tuple[Plan, list[str]]:
    policy = case.policy
    owed = case.debt.project(case.on)
    cur = owed.total.currency
    # Without a policy the lender's levers are unknown: no waiver, fee or first payment.
    interest_share = policy.interest_waiver_max if policy is not None else None
    penalty_share = policy.penalty_waiver_max if policy is not None else None
    waivers = [
        Waiver(kind=kind, amount=amount)
        for kind, amount in (
            (WaiverKind.INTEREST, share(owed.interest, interest_share)),
            (WaiverKind.PENALTY, share(owed.penalty, penalty_share)),
            (WaiverKind.FEES, share(owed.fees, penalty_share)),
        )
        if amount.amount > 0
    ]
    balance = owed.total - sum((w.amount for w in waivers), Money.zero(cur))
    fee = share(owed.total, policy.fee_rate if policy is not None else None)
    timing = policy.fee_timing if policy is not None else FeeTiming.UPFRONT
    first = share(owed.total, policy.min_first_payment if policy is not None else None)
    upfront: list[UpfrontItem] = []
    if first.amount > 0:
        upfront.append(UpfrontItem(kind=UpfrontKind.PAYMENT, amount=first, on=case.on))
    if fee.amount > 0 and timing is not FeeTiming.SPREAD:
        upfront.append(
            UpfrontItem(
                kind=UpfrontKind.FEE,
                amount=fee,
                on=case.on,
                withheld=timing is FeeTiming.WITHHELD,
                label=Text("upfront", "handling fee"),
            )
        )
    financed = balance + (fee if timing is FeeTiming.WITHHELD else Money.zero(cur))
    remaining = financed - first
    spread = fee if timing is FeeTiming.SPREAD else Money.zero(cur)
    rate = plan_rate(policy)

    def build(months: int) -> Plan:
        schedule = equal_installment(remaining, rate, months, start=case.on)
        installments = schedule.installments
        if spread.amount > 0:
            installments = tuple(
                attrs.evolve(item, fee=part)
                for item, part in zip(installments, spread.allocate(months), strict=True)
            )
        return Plan(
            principal=financed,
            start=case.on,
            installments=installments,
            upfront=upfront,
            waivers=waivers,
            conditions=_conditions(policy),
            label=f"{STRATEGY} {months} months",
        )

    # The library's term rule: within the caps, the lowest total cost with the largest
    # payment inside the headroom limit, and at equal cost the lowest payment — a flat
    # fee costs the same over any term, so the longest allowed is taken.
    cap = _max_months(case)
    term = choose_term(case, build, policy_cap=cap, goal_cap=cap)
    reasons: list[str] = [
        # The term rule's sentence is the library's (a Text when it is translatable).
        Text(
            "reason",
            "{count} monthly installments (the legal maximum is {maximum}; this plan's cap is "
            "{cap}). {rule}",
            count=term.count,
            maximum=MAX_MONTHS,
            cap=cap,
            rule=term.rule,
        ),
        Text("reason", "Interest stopped during the plan (停息).")
        if rate.value == 0
        else Text("reason", "Interest continues at the lender's plan rate."),
    ]
    if not term.fits:
        reasons.append(
            Text(
                "reason",
                "Even over {cap} months the installments exceed your monthly budget of "
                "{budget}; ask for a lower first payment, more waivers, or get free debt "
                "advice.",
                cap=cap,
                budget=budget,
            )
        )
    else:
        reasons.extend(term.notes)
    return term.plan, reasons


@hookimpl
def debtneg_propose_plans(case: Case) -> Sequence[Proposal] | None:
    """Propose a personalised installment for a CNY credit-card debt in hardship."""
    proposal = propose(case)
    return None if proposal is None else (proposal,)


@hookimpl
def debtneg_strategy_names() -> Sequence[str]:
    """Declare the one strategy this plugin proposes."""
    return (STRATEGY,)


@hookimpl
def debtneg_catalogs() -> Sequence[CatalogSource]:
    """The plugin's translations of its label and reason, merged into the library's domain."""
    return (CatalogSource(files("debtnegotiation_cn") / "locales", DOMAIN),)
