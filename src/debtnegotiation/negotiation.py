"""The negotiation engine: ranked options, the concession ladder and counter-offers.

It answers the borrower's real question — what do I ask for, in what order, and what do
I accept? — by running every strategy plugin on the case, every review plugin on each
proposal, and ranking the results (:mod:`debtnegotiation.ranking`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from debtnegotiation.apr import AnnualRate, Regime
from debtnegotiation.case import Case
from debtnegotiation.debt import Projection
from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.money import total
from debtnegotiation.plan import Plan
from debtnegotiation.plugins import PluginFailure, PluginHost
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.ranking import RankedOption, assess, rank
from debtnegotiation.schedule_dates import add_months

__all__ = [
    "Decision",
    "Ladder",
    "LadderStep",
    "Negotiation",
    "Options",
    "StatusQuo",
    "Verdict",
]

#: Horizons, in months from the case date, at which the status quo is shown.
STATUS_QUO_HORIZONS = (0, 6, 12, 24)

#: Why a lender may accept each built-in strategy (a lender's view, not a promise).
_WHY_LENDER_ACCEPTS = {
    "fee-advance": "the lender earns a handling fee and turns an overdue account into a "
    "performing one",
    "subsidy": "documented hardship makes the shortfall credible, and the lender recovers "
    "the principal instead of writing it off",
    "extension": "the lender keeps the account performing and is repaid in full, only later",
    "settlement": "the lender recovers cash now, with no collection cost or litigation risk",
    "deferral": "a short holiday with a known end costs the lender little and avoids default",
}


@attrs.frozen(kw_only=True)
class StatusQuo:
    """What doing nothing costs: the debt projected at several dates."""

    projections: tuple[Projection, ...]

    def by(self, on: dt.date) -> Projection:
        """The latest projection on or before *on* (the first one if none is)."""
        chosen = self.projections[0]
        for projection in self.projections:
            if projection.on <= on:
                chosen = projection
        return chosen


@attrs.frozen(kw_only=True)
class Options:
    """The result of :meth:`Negotiation.options`.

    :param case: the case.
    :param status_quo: the baseline, always shown.
    :param ranked: options with plans, best first.
    :param unranked: proposals with no plan (not eligible, nothing to measure).
    :param failures: plugins that failed while proposing or reviewing.
    """

    case: Case
    status_quo: StatusQuo
    ranked: tuple[RankedOption, ...]
    unranked: tuple[Proposal, ...]
    failures: tuple[PluginFailure, ...]

    @property
    def best(self) -> RankedOption | None:
        """The top option that is affordable and not ineligible, if any."""
        for option in self.ranked:
            if option.affordable and option.proposal.eligibility is not Eligibility.NOT_ELIGIBLE:
                return option
        return None


@attrs.frozen(kw_only=True)
class LadderStep:
    """One ask on the concession ladder.

    :param order: 1 for the opening ask.
    :param ask: what to ask for, concretely.
    :param why_lender_may_accept: the lender's interest in saying yes.
    :param evidence_to_show: documents to bring (on hand or still to obtain).
    :param option: the ranked option behind the ask (``None`` for the walk-away step).
    :param walk_away: whether this is the walk-away point.
    """

    order: int
    ask: str
    why_lender_may_accept: str
    evidence_to_show: tuple[str, ...]
    option: RankedOption | None
    walk_away: bool = False


@attrs.frozen(kw_only=True)
class Ladder:
    """Asks from the opening one down to the walk-away point."""

    steps: tuple[LadderStep, ...]

    @property
    def walk_away(self) -> LadderStep:
        """The last step, what to do when nothing better is agreed."""
        return self.steps[-1]


class Decision(enum.Enum):
    """What to do with a lender's counter-offer."""

    ACCEPT = "accept"
    COUNTER = "counter"
    REJECT = "reject"


@attrs.frozen(kw_only=True)
class Verdict:
    """The evaluation of a counter-offer.

    :param decision: accept, counter or reject.
    :param reasons: why, in plain sentences.
    :param offer: the offer as assessed (affordability, rate, findings).
    :param counter: the ladder step to counter with, when the decision is COUNTER.
    """

    decision: Decision
    reasons: tuple[str, ...]
    offer: RankedOption
    counter: LadderStep | None = None

    @property
    def annual_rate(self) -> AnnualRate | None:
        """The offer's true annual rate."""
        return self.offer.annual_rate

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The review findings on the offer."""
        return self.offer.findings


def _default_discount(case: Case) -> Fraction:
    return case.debt.contract_rate.monthly()


class Negotiation:
    """Options, ladder and counter-offer evaluation for one :class:`~debtnegotiation.case.Case`.

    :param case: the case.
    :param regime: the annual-rate convention to report (required: they differ by up to
        19 points on short plans, vectors README).
    :param host: the plugin host, required: build one with
        :func:`~debtnegotiation.plugins.get_plugin_host` (it loads the installed plugins).
    :param discount_rate: monthly rate for present values; the debt's contract rate
        (monthly, exact) when omitted, i.e. what the money would cost the borrower.
    """

    def __init__(
        self,
        case: Case,
        *,
        regime: Regime,
        host: PluginHost,
        discount_rate: Fraction | None = None,
    ) -> None:
        """Resolve the lender policy from plugins when the case names none."""
        if not isinstance(regime, Regime):
            raise ValidationError("regime", "a debtnegotiation.apr.Regime", regime)
        if not isinstance(host, PluginHost):
            raise ValidationError("host", "a debtnegotiation.plugins.PluginHost", host)
        self.host = host
        self._policy_failures: tuple[PluginFailure, ...] = ()
        if case.policy is None:
            found = self.host.policies(debt=case.debt)
            self._policy_failures = found.failures
            match = _matching_policy(found.items, case.debt.creditor.name)
            if match is not None:
                case = attrs.evolve(case, policy=match)
        self.case = case
        self.regime = regime
        self.discount_rate = discount_rate if discount_rate is not None else _default_discount(case)
        self._options: Options | None = None

    # --- options ------------------------------------------------------------------------

    def status_quo(self, extra: Sequence[dt.date] = ()) -> StatusQuo:
        """The debt projected at the standard horizons and at *extra* dates."""
        dates = {add_months(self.case.on, m) for m in STATUS_QUO_HORIZONS} | set(extra)
        return StatusQuo(projections=tuple(self.case.debt.project(d) for d in sorted(dates)))

    def _assess_all(
        self, case: Case, proposals: Sequence[Proposal]
    ) -> tuple[list[RankedOption], list[Proposal], list[PluginFailure]]:
        assessed: list[RankedOption] = []
        unranked: list[Proposal] = []
        failures: list[PluginFailure] = []
        for proposal in proposals:
            review = self.host.review(case=case, proposal=proposal)
            failures.extend(review.failures)
            option = assess(
                case, proposal, review.items, regime=self.regime, discount_rate=self.discount_rate
            )
            if option is None:
                unranked.append(proposal)
            else:
                assessed.append(option)
        return assessed, unranked, failures

    def options(self) -> Options:
        """Every proposal from every strategy, reviewed and ranked, with the status quo."""
        if self._options is not None:
            return self._options
        proposed = self.host.propose(case=self.case)
        assessed, unranked, failures = self._assess_all(self.case, proposed.items)
        ranked = rank(assessed, self.case.monthly_budget)
        ends = [o.plan.end for o in ranked]
        self._options = Options(
            case=self.case,
            status_quo=self.status_quo(ends),
            ranked=ranked,
            unranked=tuple(unranked),
            failures=self._policy_failures + proposed.failures + tuple(failures),
        )
        return self._options

    # --- ladder -------------------------------------------------------------------------

    def _partial_variants(self, option: RankedOption) -> list[RankedOption]:
        """Re-run the option's strategy with half the policy's waiver caps.

        This is the source article's fallback made mechanical: if the lender will not
        waive everything, ask for part of it.
        """
        policy = self.case.policy
        if policy is None or not option.plan.waivers:
            return []
        halved = attrs.evolve(
            policy,
            interest_waiver_max=_half(policy.interest_waiver_max),
            penalty_waiver_max=_half(policy.penalty_waiver_max),
            principal_waiver_max=_half(policy.principal_waiver_max),
        )
        case = attrs.evolve(self.case, policy=halved)
        proposed = self.host.propose(case=case)
        same = [p for p in proposed.items if p.strategy == option.proposal.strategy and p.plan]
        assessed, _, _ = self._assess_all(case, same)
        variants = []
        for variant in assessed:
            if variant.plan.total_waived < option.plan.total_waived and variant.affordable:
                title = f"{variant.proposal.title} (partial waiver)"
                variants.append(
                    attrs.evolve(variant, proposal=attrs.evolve(variant.proposal, title=title))
                )
        return variants[:1]

    def ladder(self) -> Ladder:
        """Asks from the best plausible option down to the walk-away point.

        Only affordable, non-ineligible options that cost no more than the status quo at
        their end date are asked for; waivers are followed by a partial-waiver fallback.
        The walk-away point is the status quo when some plan is affordable, else a
        referral to free counselling or legal aid.
        """
        options = self.options()
        candidates = [o for o in options.ranked if self._worth_asking(o, options)]
        steps: list[LadderStep] = []
        seen: set[tuple[str, str]] = set()
        for option in candidates:
            for item in (option, *self._partial_variants(option)):
                key = (item.proposal.strategy, item.proposal.title)
                if key in seen:
                    continue
                seen.add(key)
                steps.append(self._step(len(steps) + 1, item))
        steps.append(self._walk_away(len(steps) + 1, any_affordable=bool(steps), options=options))
        return Ladder(steps=tuple(steps))

    def _worth_asking(self, option: RankedOption, options: Options) -> bool:
        if not option.affordable or option.proposal.eligibility is Eligibility.NOT_ELIGIBLE:
            return False
        if option.has_danger:
            return False
        # Never ask for something worse than the walk-away point (doing nothing).
        return option.plan.total_paid <= self.case.debt.project(option.plan.end).total

    def _step(self, order: int, option: RankedOption) -> LadderStep:
        plan = option.plan
        parts = [f"{option.proposal.title}: {plan.number_of_payments} payments"]
        parts.append(f"of at most {plan.peak_installment}")
        upfront = total((u.amount for u in plan.upfront if not u.withheld), plan.currency)
        if upfront:
            parts.append(f"after {upfront} upfront")
        if plan.waivers:
            waived = ", ".join(f"{w.kind.value} {w.amount}" for w in plan.waivers)
            parts.append(f"with {waived} waived")
        if option.annual_rate is not None:
            parts.append(f"(true annual rate {option.annual_rate.rounded_percent()}%)")
        evidence = [e.kind.value for e in self.case.borrower.evidence]
        evidence += [f"{k.value} (to obtain)" for k in option.proposal.evidence_needed]
        why = _WHY_LENDER_ACCEPTS.get(
            option.proposal.strategy, "it is within the terms the lender's policy offers"
        )
        return LadderStep(
            order=order,
            ask=" ".join(parts),
            why_lender_may_accept=why,
            evidence_to_show=tuple(evidence),
            option=option,
        )

    def _walk_away(self, order: int, *, any_affordable: bool, options: Options) -> LadderStep:
        if any_affordable:
            last = options.status_quo.projections[-1]
            ask = (
                "Walk away: decline anything worse than the last step; the status quo is "
                f"{last.total} owed by {last.on.isoformat()} — seek free counselling before "
                "accepting more"
            )
        else:
            ask = (
                "Walk away: no affordable plan exists within the lender's terms; contact free "
                "debt counselling or legal aid before agreeing to anything, and never pay an "
                "upfront fee to a third party"
            )
        return LadderStep(
            order=order,
            ask=ask,
            why_lender_may_accept="(walk-away point)",
            evidence_to_show=(),
            option=None,
            walk_away=True,
        )

    # --- counter-offers -----------------------------------------------------------------

    def evaluate(self, offer: Plan | Proposal) -> Verdict:
        """Accept, counter or reject a lender's counter-offer, with reasons.

        * Reject an offer with a serious finding, or one that costs more than the status
          quo; counter when a better affordable ask remains.
        * Counter an unaffordable offer with the next affordable ladder step.
        * Counter an affordable offer when a ladder step costs less in total and is
          affordable: the closest such step (the source article's "ask for a partial
          waiver or a longer term"); otherwise accept.
        """
        if isinstance(offer, Plan):
            proposal = Proposal(
                strategy="counter-offer",
                title="lender's counter-offer",
                plan=offer,
                eligibility=Eligibility.ELIGIBLE,
            )
        elif isinstance(offer, Proposal) and offer.plan is not None:
            proposal = offer
        else:
            raise ValidationError("offer", "a Plan or a Proposal with a plan", offer)
        if proposal.plan is not None and proposal.plan.currency != self.case.debt.currency:
            raise ValidationError("offer", f"a plan in {self.case.debt.currency}", offer)
        assessed, _, _ = self._assess_all(self.case, [proposal])
        option = rank(assessed, self.case.monthly_budget)[0]
        plan = option.plan
        reasons = list(option.reasons[:3])
        ladder = self.ladder()
        better = [
            s
            for s in ladder.steps
            if s.option is not None and s.option.plan.total_paid < plan.total_paid
        ]
        counter = better[-1] if better else None
        status_quo = self.case.debt.project(max(plan.end, self.case.on)).total
        if option.has_danger:
            reasons.append(
                "the offer has a serious finding: "
                + ", ".join(f.message for f in option.findings if f.severity is Severity.DANGER)
            )
            return self._verdict(
                Decision.COUNTER if counter else Decision.REJECT, reasons, option, counter
            )
        if not option.affordable:
            reasons.append("the offer is not affordable on the monthly budget")
            return self._verdict(
                Decision.COUNTER if counter else Decision.REJECT, reasons, option, counter
            )
        if plan.total_paid > status_quo:
            reasons.append(f"it costs more ({plan.total_paid}) than doing nothing ({status_quo})")
            return self._verdict(
                Decision.COUNTER if counter else Decision.REJECT, reasons, option, counter
            )
        if counter is not None:
            reasons.append(f"a better ask remains: {counter.ask} — ask for it before accepting")
            return self._verdict(Decision.COUNTER, reasons, option, counter)
        reasons.append("it is affordable and no better ask remains on the ladder")
        return self._verdict(Decision.ACCEPT, reasons, option, None)

    @staticmethod
    def _verdict(
        decision: Decision, reasons: list[str], option: RankedOption, counter: LadderStep | None
    ) -> Verdict:
        return Verdict(
            decision=decision,
            reasons=tuple(reasons),
            offer=option,
            counter=counter if decision is Decision.COUNTER else None,
        )


def _half(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / 2


def _matching_policy(policies: Sequence[LenderPolicy], creditor: str) -> LenderPolicy | None:
    for policy in policies:
        if policy.applies_to(creditor):
            return policy
    return None
