"""Ranking proposals transparently (``docs/concepts/strategies.rst``, "How options are ranked").

The order is lexicographic on criteria a borrower can check, each stated in the option's
reasons:

1. affordability is a hard gate: the largest payment — every installment, and the cash
   paid at the start — fits the monthly budget;
2. no finding of severity DANGER (a legal-cap breach, negative amortisation…);
3. ready to ask: eligible, then eligible once evidence is provided, then not eligible;
   then evidence readiness, higher first;
4. headroom: the largest payment within
   :attr:`Case.payment_limit <debtnegotiation.case.Case.payment_limit>` (by default 90 %
   of the budget) first;
5. total paid, lower first — the same order as the saving against doing nothing, compared
   at a common horizon (each plan's own-horizon saving is shown, not ranked on: a longer
   plan is compared with a status quo that has grown longer);
6. the largest payment, lower first;
7. months to debt-free, fewer first;
8. strategy name and title, so ties are stable.

Present value is reported, not ranked on; its discount rate is the caller's
(:class:`~debtnegotiation.negotiation.Negotiation` discounts at 0 unless told otherwise).

No acceptance probability is invented: ``likelihood`` is copied from the lender policy
only when it supplies a sourced one.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from debtnegotiation._context import in_library_context
from debtnegotiation.apr import AnnualRate, Regime, annual_rate
from debtnegotiation.case import Case
from debtnegotiation.errors import NoUniqueRateError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.money import Money
from debtnegotiation.plan import Plan
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.schedule_dates import whole_months_between
from debtnegotiation.text import Items, Label, Percent, Text

__all__ = ["RankedOption", "assess", "rank"]

_ELIGIBILITY_ORDER = {
    Eligibility.ELIGIBLE: 0,
    Eligibility.NEEDS_EVIDENCE: 1,
    Eligibility.ASSUMED_TERMS: 2,
    Eligibility.BEYOND_STATED_TERMS: 3,
    Eligibility.NOT_ELIGIBLE: 4,
}


@attrs.frozen(kw_only=True)
class RankedOption:
    """A proposal with its review findings, metrics and the reasons for its rank.

    :param rank: 1 for the best option.
    :param proposal: the strategy's proposal.
    :param findings: every review plugin's findings, gravest first.
    :param affordable: whether it passes the affordability gate.
    :param first_outlay: cash due at the start (upfront items not withheld, plus any
        installment due on the start date).
    :param cost_above_principal: total paid less the debt's contract principal
        (``Debt.principal``), the same basis as
        the status quo's.
    :param saving: what would be owed on the plan's last payment date if nothing were
        agreed, less the total paid (negative when the plan costs more).
    :param headroom: whether the largest payment is within the headroom limit
        (:attr:`Case.payment_limit <debtnegotiation.case.Case.payment_limit>`).
    :param annual_rate: the true annual rate under the negotiation's regime, or ``None``
        when the cash flows have no unique rate (a finding says so).
    :param present_value: payments discounted at the negotiation's discount rate (0,
        undiscounted, unless the caller sets one).
    :param goals_met: the borrower's goals this option meets, in words.
    :param goals_missed: the goals it misses, in words.
    :param evidence_readiness: share of required documents on hand, 0 to 1.
    :param likelihood: a sourced acceptance likelihood from the lender policy, if any.
    :param reasons: why it sits where it does, in plain sentences.
    """

    rank: int
    proposal: Proposal
    findings: tuple[Finding, ...]
    affordable: bool
    first_outlay: Money
    cost_above_principal: Money
    saving: Money
    headroom: bool
    annual_rate: AnnualRate | None
    present_value: Money
    goals_met: tuple[str, ...]
    goals_missed: tuple[str, ...]
    evidence_readiness: Decimal
    likelihood: Decimal | None
    reasons: tuple[str, ...]

    @property
    def plan(self) -> Plan:
        """The proposal's plan (ranked options always have one)."""
        assert self.proposal.plan is not None  # noqa: S101 - assess() only keeps plans
        return self.proposal.plan

    @property
    def has_danger(self) -> bool:
        """Whether a review found something dangerous (legal cap, advance fee, …)."""
        return any(f.severity is Severity.DANGER for f in self.findings)

    @property
    def largest_payment(self) -> Money:
        """The most paid in one go, the peak installment or the cash due at the start."""
        return max(self.plan.peak_installment, self.first_outlay, key=lambda m: m.amount)

    def sort_key(self) -> tuple[object, ...]:
        """The documented ranking key (see the module docstring)."""
        return (
            not self.affordable,
            self.has_danger,
            _ELIGIBILITY_ORDER[self.proposal.eligibility],
            -self.evidence_readiness,
            not self.headroom,
            self.plan.total_paid.amount,
            self.largest_payment.amount,
            self.plan.months,
            self.proposal.strategy,
            self.proposal.title,
        )


def _present_value(plan: Plan, monthly_rate: Fraction) -> Money:
    """Payments discounted monthly at *monthly_rate*, whole months from the start.

    Computed in ``Decimal`` at 28 digits and rounded once to the minor unit.
    """
    total = Decimal(0)
    if monthly_rate == 0:
        # Undiscounted (the engine's default): each term below is -amount / 1 ** months,
        # which is -amount itself (the power of 1 is exactly 1, the division exact).
        for flow in plan.cash_flows():
            if flow.amount < 0:
                total += -flow.amount
        return Money(total, plan.currency).rounded()
    factor = 1 + Decimal(monthly_rate.numerator) / Decimal(monthly_rate.denominator)
    for flow in plan.cash_flows():
        if flow.amount < 0:
            total += -flow.amount / factor ** whole_months_between(plan.start, flow.on)
    return Money(total, plan.currency).rounded()


def _goals(case: Case, plan: Plan) -> tuple[list[str], list[str]]:
    met: list[str] = []
    missed: list[str] = []
    goals = case.goals
    if goals.max_monthly_payment is not None:
        text = Text("goal", "installments at most {amount}", amount=goals.max_monthly_payment)
        (met if plan.peak_installment <= goals.max_monthly_payment else missed).append(text)
    if goals.max_months is not None:
        text = Text("goal", "debt-free within {count} months", count=goals.max_months)
        (met if plan.months <= goals.max_months else missed).append(text)
    waived = {w.kind for w in plan.waivers if w.amount.amount > 0}
    for kind in sorted(goals.waive, key=lambda k: k.value):
        text = Text("goal", "{kind} waived", kind=Label("waiver_kind", kind.value))
        (met if kind in waived else missed).append(text)
    if goals.deadline is not None:
        text = Text("goal", "agreed by {date}", date=goals.deadline)
        (met if case.on <= goals.deadline else missed).append(text)
    return met, missed


def _readiness(case: Case, proposal: Proposal) -> Decimal:
    required: set[object] = set(proposal.evidence_needed)
    if case.policy is not None:
        for hardship in case.borrower.hardships:
            required.update(case.policy.documents_for(hardship.kind))
    if not required:
        return Decimal(1)
    missing = set(proposal.evidence_needed)
    on_hand = len(required - missing)
    return (Decimal(on_hand) / Decimal(len(required))).quantize(Decimal("0.01"))


@in_library_context
def assess(
    case: Case,
    proposal: Proposal,
    findings: Sequence[Finding],
    *,
    regime: Regime,
    discount_rate: Fraction,
) -> RankedOption | None:
    """Measure one proposal against the case (rank 0 until :func:`rank` orders them).

    Proposals without a plan cannot be ranked and give ``None``.
    """
    plan = proposal.plan
    if plan is None:
        return None
    budget = case.monthly_budget
    first = plan.cash_at_start
    affordable = plan.peak_installment <= budget and first <= budget
    largest = max(plan.peak_installment, first, key=lambda m: m.amount)
    # Plans start on the case date or later, never before what the debt is stated at.
    status_quo = case.debt.project(max(plan.end, case.on)).total
    try:
        rate: AnnualRate | None = annual_rate(plan, regime=regime)
    except NoUniqueRateError:
        rate = None
    met, missed = _goals(case, plan)
    likelihood = case.policy.acceptance_prior if case.policy is not None else None
    return RankedOption(
        rank=0,
        proposal=proposal,
        findings=tuple(findings),
        affordable=affordable,
        first_outlay=first,
        cost_above_principal=plan.total_paid - case.debt.principal,
        saving=status_quo - plan.total_paid,
        headroom=largest <= case.payment_limit,
        annual_rate=rate,
        present_value=_present_value(plan, discount_rate),
        goals_met=tuple(met),
        goals_missed=tuple(missed),
        evidence_readiness=_readiness(case, proposal),
        likelihood=likelihood,
        reasons=(),
    )


def _describe(option: RankedOption, budget: Money, limit: Money) -> list[str]:
    plan = option.plan
    reasons: list[str] = []
    largest = option.largest_payment
    if option.affordable and option.headroom:
        reasons.append(
            Text(
                "reason",
                "affordable with headroom: the largest payment {largest} is within {limit}, "
                "the share of the monthly budget {budget} a plan may take",
                largest=largest,
                limit=limit,
                budget=budget,
            )
        )
    elif option.affordable:
        reasons.append(
            Text(
                "reason",
                "affordable but with no headroom: the largest payment {largest} fits the "
                "monthly budget {budget} but is above {limit}",
                largest=largest,
                budget=budget,
                limit=limit,
            )
        )
    else:
        reasons.append(
            Text(
                "reason",
                "not affordable: the largest payment {largest} exceeds the monthly budget {budget}",
                largest=largest,
                budget=budget,
            )
        )
    verdict = Label("verdict", option.proposal.eligibility.value)
    reasons.append(Text("reason", "eligibility: {verdict}", verdict=verdict))
    if option.has_danger:
        codes = ", ".join(f.code for f in option.findings if f.severity is Severity.DANGER)
        reasons.append(Text("reason", "ranked down by serious findings: {codes}", codes=codes))
    rate: Text | str
    if option.annual_rate is not None:
        regime = option.annual_rate.regime
        rate = Text(
            "reason",
            "{percent} ({label})",
            percent=Percent(option.annual_rate.rate),
            label=Label("rate_label", regime.value, english=option.annual_rate.label),
        )
    else:
        rate = Text("reason", "no unique annual rate")
    if option.saving.amount >= 0:
        versus = Text("reason", "{saving} less than doing nothing", saving=option.saving)
    else:
        versus = Text("reason", "{extra} more than doing nothing", extra=-option.saving)
    reasons.append(
        Text(
            "reason",
            "total paid {total}, {cost} above the contract principal and {versus} (the "
            "amount owed on {end} if nothing is agreed); true annual rate {rate}, {months} "
            "months",
            total=plan.total_paid,
            cost=option.cost_above_principal,
            versus=versus,
            end=plan.end,
            rate=rate,
            months=plan.months,
        )
    )
    if option.goals_met or option.goals_missed:
        none = Text("goal", "none")
        reasons.append(
            Text(
                "reason",
                "goals met: {met}; missed: {missed}",
                met=Items(option.goals_met, empty=none),
                missed=Items(option.goals_missed, empty=none),
            )
        )
    readiness = Percent(option.evidence_readiness, decimals=0)
    reasons.append(Text("reason", "evidence readiness {readiness}", readiness=readiness))
    return reasons


#: What each term of :meth:`RankedOption.sort_key` says when it decides, in its order
#: (made once: a text without values is immutable, and is the same in every ranking).
_CRITERIA: Final = (
    Text("ranking", "it is affordable and the other is not"),
    Text("ranking", "it has no serious finding"),
    Text("ranking", "it is readier to ask for (eligibility)"),
    Text("ranking", "more of its evidence is ready"),
    Text("ranking", "its largest payment leaves headroom in the budget"),
    Text("ranking", "it costs less in total (a larger saving against doing nothing)"),
    Text("ranking", "its largest payment is lower at the same total cost"),
    Text("ranking", "it is shorter at the same cost and payment"),
    Text("ranking", "strategy name (tie)"),
    Text("ranking", "title (tie)"),
)


def _versus(
    worse: RankedOption, keys: tuple[tuple[object, ...], tuple[object, ...]]
) -> str:
    """Name the first criterion on which the better option beats *worse*.

    :param keys: the sort keys of the better option and of *worse*.
    """
    labels = _CRITERIA
    title = worse.proposal.title
    ours, theirs = keys
    for label, a, b in zip(labels, ours, theirs, strict=True):
        if a != b:
            return Text("reason", "ranked above '{title}' because {why}", title=title, why=label)
    return Text("reason", "tied with '{title}'", title=title)


@in_library_context
def rank(
    options: Sequence[RankedOption], budget: Money, limit: Money | None = None
) -> tuple[RankedOption, ...]:
    """Order *options* by the documented key and write each one's reasons.

    :param budget: the monthly budget, named in the reasons.
    :param limit: the headroom limit named in the reasons (the budget when omitted).
    """
    # Each key computed once, for the order and for the reasons (a stable sort of the
    # positions by key is the stable sort of the options by key).
    keys = [option.sort_key() for option in options]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ordered = [options[k] for k in order]
    limit = budget if limit is None else limit
    ranked = []
    for index, option in enumerate(ordered):
        reasons = _describe(option, budget, limit)
        if index + 1 < len(ordered):
            pair = (keys[order[index]], keys[order[index + 1]])
            reasons.append(_versus(ordered[index + 1], pair))
        ranked.append(attrs.evolve(option, rank=index + 1, reasons=tuple(reasons)))
    return tuple(ranked)
