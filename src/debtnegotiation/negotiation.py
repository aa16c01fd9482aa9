"""The negotiation engine: ranked options, the concession ladder and counter-offers.

It answers the borrower's real question — what do I ask for, in what order, and what do
I accept? — by running every strategy plugin on the case, every review plugin on each
proposal, and ranking the results (:mod:`debtnegotiation.ranking`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from debtnegotiation._context import in_library_context
from debtnegotiation.apr import AnnualRate, Regime
from debtnegotiation.case import Case
from debtnegotiation.debt import Debt, Projection
from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.money import total
from debtnegotiation.offers import LenderOffer
from debtnegotiation.plan import Plan
from debtnegotiation.plugins import PluginFailure, PluginHost
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.ranking import RankedOption, assess, rank
from debtnegotiation.schedule_dates import add_months
from debtnegotiation.text import Items, Label, Percent, Text

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


@attrs.frozen(kw_only=True)
class StatusQuo:
    """What doing nothing costs: the debt projected at several dates."""

    projections: tuple[Projection, ...]

    @in_library_context
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
    :param findings: findings about the case itself, whatever is agreed (hook
        ``debtneg_review_case``: an existing contract rate above a legal line, say),
        gravest first; shown with the status quo, once.
    """

    case: Case
    status_quo: StatusQuo
    ranked: tuple[RankedOption, ...]
    unranked: tuple[Proposal, ...]
    failures: tuple[PluginFailure, ...]
    findings: tuple[Finding, ...] = ()

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
    :param why_lender_may_accept: the lender's interest in saying yes, as the strategy
        states it (``Proposal.why_lender_may_accept``), in English.
    :param evidence_to_show: documents to bring (on hand or still to obtain).
    :param option: the ranked option behind the ask (``None`` for the walk-away step).
    :param walk_away: whether this is the walk-away point.
    :param bridge: whether the ask is a payment holiday offered as a bridge, for a
        hardship with no expected end: payments resume on a fixed date whether or not
        the income has recovered (the ask states that risk).

    A counter-offer step that is not on the ladder (the affordable variant of a lender's
    offer, :meth:`Negotiation.evaluate`) has order 0.
    """

    order: int
    ask: str
    why_lender_may_accept: str
    evidence_to_show: tuple[str, ...]
    option: RankedOption | None
    walk_away: bool = False
    bridge: bool = False


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
    :param counter: the step to counter with, when the decision is COUNTER: a ladder step
        not yet asked, or (order 0) the offer's closest affordable variant.
    """

    decision: Decision
    reasons: tuple[str, ...]
    offer: RankedOption
    counter: LadderStep | None = None

    @property
    def reply(self) -> str:
        """What to tell the lender.

        For a counter, the ask to make; otherwise the advice that ends the reasons
        (accept it in writing, or decline it and go to free debt counselling — never
        "stay in default").
        """
        if self.counter is not None:
            return self.counter.ask
        return self.reasons[-1] if self.reasons else ""

    @property
    def annual_rate(self) -> AnnualRate | None:
        """The offer's true annual rate."""
        return self.offer.annual_rate

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The review findings on the offer."""
        return self.offer.findings


def _default_discount(case: Case) -> Fraction:
    """No discounting: present values are the plain sum of the payments.

    The debt's contract (or penalty) rate would discount a long plan's payments heavily
    and make a short holiday look cheaper than an interest-free extension; a caller who
    wants present values passes a rate the borrower understands (a savings rate, say).
    """
    del case
    return Fraction(0)


class Negotiation:
    """Options, ladder and counter-offer evaluation for one :class:`~debtnegotiation.case.Case`.

    :param case: the case.
    :param regime: the annual-rate convention to report (required: they differ by up to
        19 points on short plans, :doc:`/concepts/annual-rates`).
    :param host: the plugin host, required: build one with
        :func:`~debtnegotiation.plugins.get_plugin_host` (it loads the installed plugins).
    :param discount_rate: monthly rate for present values (reported, never ranked on);
        0 — undiscounted — when omitted.
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
        found = self.host.policies(debt=case.debt)
        self._policy_failures: tuple[PluginFailure, ...] = found.failures
        assumed = _assumed_policy(found.items, case.debt)
        if case.policy is None:
            match = _matching_policy(found.items, case.debt.creditor.name)
            if match is None:
                match, assumed = assumed, None
            if match is not None:
                case = attrs.evolve(case, policy=match)
        elif case.policy.assumed:
            assumed = None
        #: Assumed terms to look for levers the stated policy lacks (asks beyond it).
        self._beyond: LenderPolicy | None = assumed
        self.case = case
        self.regime = regime
        self.discount_rate = discount_rate if discount_rate is not None else _default_discount(case)
        self._options: Options | None = None
        # The case on halved waiver caps and the proposals for it, per plugin (the ladder).
        self._halved: dict[str, tuple[Case, tuple[Proposal, ...]]] = {}

    # --- options ------------------------------------------------------------------------

    @in_library_context
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

    @in_library_context
    def options(self) -> Options:
        """Every proposal from every strategy, reviewed and ranked, with the status quo."""
        if self._options is not None:
            return self._options
        _fill_caches(self.case)
        proposed, propose_failures = self._proposals()
        assessed, unranked, failures = self._assess_all(self.case, proposed)
        ranked = rank(assessed, self.case.monthly_budget, self.case.payment_limit)
        ends = [o.plan.end for o in ranked]
        case_review = self.host.review_case(case=self.case)
        self._options = Options(
            case=self.case,
            status_quo=self.status_quo(ends),
            ranked=ranked,
            unranked=tuple(unranked),
            failures=self._policy_failures
            + propose_failures
            + tuple(failures)
            + case_review.failures,
            findings=case_review.items,
        )
        return self._options

    def _proposals(self) -> tuple[list[Proposal], tuple[PluginFailure, ...]]:
        """Every strategy's proposals, labelled by the terms they rest on.

        On assumed terms (the lender's own are unknown) every option that is not
        ineligible is :attr:`~Eligibility.ASSUMED_TERMS`. With a stated policy, the
        strategies also run on the assumed terms, and a lever only they offer is kept as
        :attr:`~Eligibility.BEYOND_STATED_TERMS`: an ask beyond the lender's terms, never
        plainly eligible.
        """
        policy = self.case.policy
        proposed = self.host.propose(case=self.case)
        items = list(proposed.items)
        declared, declare_failures = self.host.declared_strategies()
        failures = declare_failures + proposed.failures
        if policy is not None and policy.assumed:
            items = [_on_terms(p, Eligibility.ASSUMED_TERMS, policy) for p in items]
        elif self._beyond is not None:
            stated = {p.strategy for p in items}
            # A plugin held to strategies the stated terms already gave would only offer
            # proposals dropped below: it is not asked again.
            asked = [
                plugin
                for plugin in self.host.proposing_plugins()
                if not (plugin in declared and declared[plugin] <= stated)
            ]
            if not asked:
                return items, failures
            extra = self.host.propose(
                case=attrs.evolve(self.case, policy=self._beyond), plugins=asked
            )
            failures += extra.failures
            items += [
                _on_terms(p, Eligibility.BEYOND_STATED_TERMS, self._beyond)
                for p in extra.items
                if p.strategy not in stated and p.eligibility is not Eligibility.NOT_ELIGIBLE
            ]
        return items, failures

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
        # Only the plugin that made the option runs again, once per ladder.
        plugin = option.proposal.source
        if plugin not in self._halved:
            _fill_caches(case)
            proposed = self.host.propose(case=case, plugins=(plugin,) if plugin else None)
            self._halved[plugin] = (case, proposed.items)
        case, items = self._halved[plugin]
        same = [p for p in items if p.strategy == option.proposal.strategy and p.plan]
        assessed, _, _ = self._assess_all(case, same)
        variants = []
        for variant in assessed:
            # A fallback must itself be worth asking for: affordable, no serious finding,
            # and cheaper than doing nothing (a halved waiver can cost more than default).
            smaller = variant.plan.total_waived < option.plan.total_waived
            if (
                smaller
                and variant.affordable
                and not variant.has_danger
                and variant.saving.amount > 0
            ):
                title = Text("title", "{title} (partial waiver)", title=variant.proposal.title)
                variants.append(
                    attrs.evolve(variant, proposal=attrs.evolve(variant.proposal, title=title))
                )
        return variants[:1]

    @in_library_context
    def ladder(self) -> Ladder:
        """Asks from the best for the borrower down to the floor, then the walk-away point.

        Only affordable, non-ineligible options without a serious finding that cost less
        than doing nothing (the amount owed at their last payment if nothing is agreed)
        are asked for; waivers are followed by a partial-waiver fallback. The asks are
        ordered by what they cost the borrower — total paid, then the largest payment,
        then months — so each step concedes, never improves: the last one is the floor,
        the best plan still worth agreeing to. An ask that needs a missing document stays
        on the ladder ("get it, then ask"). The walk-away point is free debt counselling,
        never "stay in default".
        """
        options = self.options()
        items: list[RankedOption] = []
        seen: set[tuple[str, str]] = set()
        for option in options.ranked:
            if not self._worth_asking(option, options):
                continue
            for item in (option, *self._partial_variants(option)):
                key = (item.proposal.strategy, item.proposal.title)
                if key not in seen:
                    seen.add(key)
                    items.append(item)
        items.sort(key=_concession_key)
        steps = [self._step(index + 1, item) for index, item in enumerate(items)]
        affordable = any(o.affordable for o in options.ranked)
        steps.append(
            self._walk_away(
                len(steps) + 1, any_step=bool(steps), any_affordable=affordable, options=options
            )
        )
        return Ladder(steps=tuple(steps))

    def _worth_asking(self, option: RankedOption, options: Options) -> bool:
        del options
        if not option.affordable or option.proposal.eligibility is Eligibility.NOT_ELIGIBLE:
            return False
        if option.has_danger:
            return False
        # Only plans that beat doing nothing: below them the advice is counselling.
        return option.saving.amount > 0

    def _bridge(self, option: RankedOption) -> bool:
        """A payment holiday while a hardship has no expected end: a bridge, with a risk.

        A holiday is recognised by the plan itself, whichever strategy made it: its first
        installment falls due more than one month after the plan starts.
        """
        plan = option.plan
        dues = plan.due_dates
        if not dues or dues[0] <= add_months(plan.start, 1):
            return False
        return any(
            h.expected_end is None and h.start <= self.case.on for h in self.case.borrower.hardships
        )

    def _step(self, order: int, option: RankedOption) -> LadderStep:
        plan = option.plan
        ask: Text = Text(
            "ladder",
            "{title}: {count} payments of at most {peak}",
            title=option.proposal.title,
            count=plan.number_of_payments,
            peak=plan.peak_installment,
        )
        cash = [u.amount for u in plan.upfront if not u.withheld]
        upfront = total(cash, plan.currency) if cash else None
        if upfront:
            ask = _clause(ask, Text("ladder", "after {amount} upfront", amount=upfront))
        if plan.waivers:
            waived = Items(
                Text(
                    "ladder",
                    "{kind} {amount}",
                    kind=Label("waiver_kind", w.kind.value),
                    amount=w.amount,
                )
                for w in plan.waivers
            )
            ask = _clause(ask, Text("ladder", "with {waived} waived", waived=waived))
        if option.annual_rate is not None:
            rate = Percent(option.annual_rate.rate)
            ask = _note(ask, Text("ladder", "(true annual rate {rate})", rate=rate))
        if option.proposal.evidence_needed:
            needed = Items(Label("evidence_kind", k.value) for k in option.proposal.evidence_needed)
            ask = Text("ladder", "Get {needed}, then ask for {ask}", needed=needed, ask=ask)
        if option.proposal.eligibility is Eligibility.ASSUMED_TERMS:
            ask = _note(ask, Text("ladder", "— on assumed terms: ask the lender for its own"))
        elif option.proposal.eligibility is Eligibility.BEYOND_STATED_TERMS:
            ask = _note(ask, Text("ladder", "— beyond the lender's stated terms: an ask"))
        bridge = self._bridge(option)
        if bridge:
            first_due = plan.due_dates[0]
            warning = Text(
                "ladder",
                "— a bridge: payments of {amount} resume on {on}; if your income has not "
                "recovered by then, ask for the longer plan before they do",
                amount=plan.peak_installment,
                on=first_due,
            )
            ask = _note(ask, warning)
        evidence: list[str] = [e.kind.value for e in self.case.borrower.evidence]
        evidence += [
            Text("ladder", "{kind} (to obtain)", kind=Label("evidence_kind", k.value))
            for k in option.proposal.evidence_needed
        ]
        return LadderStep(
            order=order,
            ask=ask,
            why_lender_may_accept=option.proposal.why_lender_may_accept,
            evidence_to_show=tuple(evidence),
            option=option,
            bridge=bridge,
        )

    def _walk_away(
        self, order: int, *, any_step: bool, any_affordable: bool, options: Options
    ) -> LadderStep:
        last = options.status_quo.projections[-1]
        if any_step:
            ask = Text(
                "ladder",
                "Walk away: the last step is the floor. Do not agree to anything worse on the "
                "call, and do not stay in default either — doing nothing leaves {owed} owed by "
                "{on}; take the offer to a free debt counselling service, which can negotiate "
                "for you",
                owed=last.total,
                on=last.on,
            )
        elif any_affordable:
            ask = Text(
                "ladder",
                "Walk away: no affordable plan within the lender's terms costs less than "
                "doing nothing, but staying in default has costs this comparison does not "
                "show (collection, the credit record, court action); contact free debt "
                "counselling or legal aid before deciding, and never pay an upfront fee to a "
                "third party",
            )
        else:
            ask = Text(
                "ladder",
                "Walk away: no affordable plan exists within the lender's terms; contact free "
                "debt counselling or legal aid before agreeing to anything, and never pay an "
                "upfront fee to a third party",
            )
        return LadderStep(
            order=order,
            ask=ask,
            why_lender_may_accept=Text("ladder", "(walk-away point)"),
            evidence_to_show=(),
            option=None,
            walk_away=True,
        )

    # --- counter-offers -----------------------------------------------------------------

    @in_library_context
    def evaluate(
        self,
        offer: Plan | Proposal | LenderOffer,
        *,
        asked: Iterable[int | LadderStep] = (),
    ) -> Verdict:
        """Accept, counter or reject a lender's counter-offer, with reasons.

        :param offer: the lender's offer: its terms (:class:`~debtnegotiation.offers.LenderOffer`),
            or a plan or proposal already built.
        :param asked: the ladder steps (or their orders) already asked for and refused;
            they are never asked again.

        In order:

        * an unaffordable offer is countered with its closest affordable variant (a
          :class:`~debtnegotiation.offers.LenderOffer` only: same lever, the fee spread,
          a longer term), else with the next unasked step, else rejected;
        * an offer with another serious finding is countered with the next unasked step,
          else rejected;
        * an affordable offer that does not cost less than doing nothing (the amount owed
          on its last payment date) is countered with the next unasked step, else rejected;
        * an affordable offer that costs less than doing nothing is countered with the next
          unasked step only if that step is better for the borrower (a lower total paid,
          or the same total with a lower payment); otherwise it is accepted.

        A rejection always ends with the walk-away advice: free debt counselling, never
        "stay in default".
        """
        proposal = self._offer_proposal(offer)
        option = self._measure(proposal)
        ladder = self.ladder()
        refused = _orders(asked, ladder)
        unasked = [
            s
            for s in ladder.steps
            if not s.walk_away and s.option is not None and s.order not in refused
        ]
        reasons = list(option.reasons[:3])
        if refused:
            steps = Items(sorted(refused))
            reasons.append(
                Text(
                    "verdict", "already asked and refused: step(s) {steps} — not asked again",
                    steps=steps,
                )
            )  # fmt: skip
        budget = self.case.monthly_budget
        if not option.affordable:
            reasons.append(
                Text(
                    "verdict",
                    "the offer is not affordable: its largest payment {largest} exceeds the "
                    "monthly budget {budget}",
                    largest=option.largest_payment,
                    budget=budget,
                )
            )
            variant = self._variant(offer)
            if variant is not None:
                reasons.append(
                    Text(
                        "verdict", "counter with the same offer made affordable: {ask}",
                        ask=variant.ask,
                    )
                )  # fmt: skip
                return self._verdict(Decision.COUNTER, reasons, option, variant)
            return self._next_or_reject(reasons, option, unasked)
        if option.has_danger:
            serious = Items(f.message for f in option.findings if f.severity is Severity.DANGER)
            reasons.append(
                Text("verdict", "the offer has a serious finding: {findings}", findings=serious)
            )
            return self._next_or_reject(reasons, option, unasked)
        status_quo = option.plan.total_paid + option.saving
        if option.saving.amount <= 0:
            reasons.append(
                Text(
                    "verdict",
                    "it costs {total}, no less than doing nothing ({owed} owed by {on})",
                    total=option.plan.total_paid,
                    owed=status_quo,
                    on=option.plan.end,
                )
            )
            return self._next_or_reject(reasons, option, unasked)
        reasons.append(
            Text(
                "verdict",
                "it costs {total}, {saving} less than doing nothing ({owed} owed by {on})",
                total=option.plan.total_paid,
                saving=option.saving,
                owed=status_quo,
                on=option.plan.end,
            )
        )
        better = next((s for s in unasked if s.option and _better(s.option, option)), None)
        if better is not None:
            reasons.append(
                Text(
                    "verdict",
                    "a better ask remains: {ask} — ask for it first; if it is refused, this "
                    "offer is worth accepting",
                    ask=better.ask,
                )
            )
            return self._verdict(Decision.COUNTER, reasons, option, better)
        if not option.headroom:
            reasons.append(
                Text(
                    "verdict",
                    "its largest payment {largest} leaves little headroom in the budget of "
                    "{budget}: keep an emergency reserve",
                    largest=option.largest_payment,
                    budget=budget,
                )
            )
        reasons.append(
            Text(
                "verdict",
                "accept it: it is affordable, costs less than doing nothing, and no better ask "
                "remains on the ladder; get it in writing before paying",
            )
        )
        return self._verdict(Decision.ACCEPT, reasons, option, None)

    def _offer_proposal(self, offer: Plan | Proposal | LenderOffer) -> Proposal:
        if isinstance(offer, LenderOffer):
            proposal = offer.proposal(self.case)
        elif isinstance(offer, Plan):
            proposal = Proposal(
                strategy="counter-offer",
                title=Text("title", "lender's counter-offer"),
                plan=offer,
                eligibility=Eligibility.ELIGIBLE,
            )
        elif isinstance(offer, Proposal) and offer.plan is not None:
            proposal = offer
        else:
            raise ValidationError("offer", "a LenderOffer, a Plan or a Proposal with a plan", offer)
        if proposal.plan is not None and proposal.plan.currency != self.case.debt.currency:
            raise ValidationError("offer", f"a plan in {self.case.debt.currency}", offer)
        return proposal

    def _measure(self, proposal: Proposal) -> RankedOption:
        assessed, _, _ = self._assess_all(self.case, [proposal])
        return rank(assessed, self.case.monthly_budget, self.case.payment_limit)[0]

    def _variant(self, offer: Plan | Proposal | LenderOffer) -> LadderStep | None:
        """The offer's closest affordable variant, as a step, if it is worth asking for."""
        if not isinstance(offer, LenderOffer):
            return None
        variant = offer.affordable_variant(self.case)
        if variant is None:
            return None
        option = self._measure(variant.proposal(self.case))
        if not option.affordable or option.has_danger or option.saving.amount <= 0:
            return None
        return self._step(0, option)

    def _next_or_reject(
        self, reasons: list[str], option: RankedOption, unasked: Sequence[LadderStep]
    ) -> Verdict:
        if unasked:
            reasons.append(
                Text(
                    "verdict", "counter with the next step not yet asked: {ask}",
                    ask=unasked[0].ask,
                )
            )  # fmt: skip
            return self._verdict(Decision.COUNTER, reasons, option, unasked[0])
        reasons.append(
            Text(
                "verdict",
                "nothing better remains to ask: decline it, and do not stay in default — take "
                "it to a free debt counselling service (or legal aid), which can negotiate for "
                "you; never pay an upfront fee to a third party",
            )
        )
        return self._verdict(Decision.REJECT, reasons, option, None)

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


def _fill_caches(case: Case) -> None:
    """Compute the case's cached figures that every strategy and the ranking read.

    The plugin guard records the case before the first plugin runs and walks it again
    whenever a call has filled one of its caches since: filled first, it is recorded
    once. The engine reads both figures itself for the ranking, so nothing is asked here
    that the options would not ask anyway.
    """
    _ = case.monthly_budget, case.payment_limit


def _clause(ask: Text, clause: Text) -> Text:
    """*ask* followed by a clause ("after 500.00 CNY upfront", "with ... waived")."""
    return Text("ladder", "{ask} {clause}", ask=ask, clause=clause)


def _note(ask: Text, note: Text) -> Text:
    """*ask* followed by a note in brackets or after a dash."""
    return Text("ladder", "{ask} {note}", ask=ask, note=note)


def _concession_key(option: RankedOption) -> tuple[object, ...]:
    """Ladder order: what the plan costs the borrower, least first."""
    return (
        option.plan.total_paid.amount,
        option.largest_payment.amount,
        option.plan.months,
        option.proposal.strategy,
        option.proposal.title,
    )


def _better(step: RankedOption, offer: RankedOption) -> bool:
    """Whether *step* is better for the borrower than *offer*.

    Better means it costs less in total, or the same with a lower largest payment.
    """
    if step.plan.total_paid != offer.plan.total_paid:
        return step.plan.total_paid < offer.plan.total_paid
    return step.largest_payment < offer.largest_payment


def _orders(asked: Iterable[int | LadderStep], ladder: Ladder) -> frozenset[int]:
    if isinstance(asked, str | bytes) or not isinstance(asked, Iterable):
        raise ValidationError("asked", "ladder steps or their orders", asked)
    orders = set()
    for item in asked:
        order = item.order if isinstance(item, LadderStep) else item
        if isinstance(order, bool) or not isinstance(order, int):
            raise ValidationError("asked", "ladder steps or their orders (int)", item)
        if not 1 <= order < len(ladder.steps):
            raise ValidationError("asked", f"a step order from 1 to {len(ladder.steps) - 1}", order)
        orders.add(order)
    return frozenset(orders)


def _half(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / 2


def _terms_reason(terms: Eligibility, source: str) -> Text:
    """What an option on assumed terms, or beyond the stated ones, says in its reasons."""
    if terms is Eligibility.ASSUMED_TERMS:
        return Text(
            "reason",
            "The lender's own terms are not known: this option rests on assumed terms "
            "({source}). Ask the lender for its own terms, in writing, before relying on it.",
            source=source,
        )
    return Text(
        "reason",
        "The lender's stated policy does not offer this: it rests on assumed terms ({source}), "
        "so it is an ask beyond the stated terms, which the lender may refuse.",
        source=source,
    )


def _on_terms(proposal: Proposal, terms: Eligibility, policy: LenderPolicy) -> Proposal:
    """*proposal* relabelled as resting on assumed terms (ineligible ones stay as they are)."""
    if proposal.eligibility in (Eligibility.NOT_ELIGIBLE, Eligibility.BEYOND_STATED_TERMS):
        return proposal  # ineligible, or already an ask beyond even the assumed terms
    reason = _terms_reason(terms, policy.source)
    return attrs.evolve(proposal, eligibility=terms, reasons=(*proposal.reasons, reason))


def _assumed_policy(policies: Sequence[LenderPolicy], debt: Debt) -> LenderPolicy | None:
    """The assumed policy for *debt*'s kind of creditor; a kind-specific one before a generic."""
    fitting = [p for p in policies if p.describes(debt.creditor.kind)]
    fitting.sort(key=lambda p: (not p.creditor_kinds, p.lender.casefold()))
    return fitting[0] if fitting else None


def _matching_policy(policies: Sequence[LenderPolicy], creditor: str) -> LenderPolicy | None:
    for policy in policies:
        if policy.applies_to(creditor):
            return policy
    return None
