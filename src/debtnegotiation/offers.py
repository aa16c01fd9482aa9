"""A lender's counter-offer described by its terms, and its closest affordable variant.

Lenders answer in terms — "24 months, a 5 % fee paid upfront, interest waived" — not in
schedules. :class:`LenderOffer` holds those terms, builds the plan they mean on a case
(:meth:`LenderOffer.plan`), and finds the nearest offer on the same lever the borrower
could keep (:meth:`LenderOffer.affordable_variant`), so that
:meth:`Negotiation.evaluate <debtnegotiation.negotiation.Negotiation.evaluate>` can counter
an unaffordable offer with something concrete instead of a refusal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

import attrs

from debtnegotiation._context import in_library_context
from debtnegotiation._validate import positive_int
from debtnegotiation.case import Case
from debtnegotiation.errors import ValidationError
from debtnegotiation.money import Money
from debtnegotiation.plan import Plan, UpfrontItem, UpfrontKind, Waiver, WaiverKind
from debtnegotiation.policy import MAX_TERM_MONTHS, FeeTiming
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import custom, equal_installment
from debtnegotiation.text import Items, Label, Percent, Text
from debtnegotiation.toolkit import choose_term

__all__ = ["DEFAULT_TITLE", "VARIANT_MAX_MONTHS", "LenderOffer"]

#: The longest term an affordable variant asks for when the lender's policy states none:
#: 60 months, the longest personalised installment Chinese card rules allow (CBRC Order
#: [2011] No. 2, Art. 70) and a common ceiling of consumer hardship plans elsewhere.
VARIANT_MAX_MONTHS: Final = 60

_WAIVABLE: Final = (WaiverKind.INTEREST, WaiverKind.PENALTY, WaiverKind.FEES)

#: How an offer is named when its title is not given.
DEFAULT_TITLE: Final = Text("title", "lender's counter-offer")


def _percent(fraction: Decimal) -> Percent:
    """*fraction* in percent with as many places as it has: ``0.05`` is ``5%``."""
    exponent = (fraction * 100).normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Percent(fraction, decimals=places)


def _months(_instance: object, _attribute: object, value: int) -> None:
    positive_int("LenderOffer.months", value)
    if value > MAX_TERM_MONTHS:
        raise ValidationError("LenderOffer.months", f"at most {MAX_TERM_MONTHS}", value)


def _waive(value: object) -> frozenset[WaiverKind]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValidationError("LenderOffer.waive", "a set of WaiverKind", value)
    kinds = frozenset(WaiverKind(v) if isinstance(v, str) else v for v in value)
    for kind in kinds:
        if kind not in _WAIVABLE:
            raise ValidationError(
                "LenderOffer.waive", "interest, penalty or fees (waived in full)", kind
            )
    return kinds


def _fee_rate(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValidationError("LenderOffer.fee_rate", "a Decimal from 0 to 1", value)
    rate = Decimal(value)
    if not rate.is_finite() or not 0 <= rate <= 1:
        raise ValidationError("LenderOffer.fee_rate", "a Decimal from 0 to 1", value)
    return rate


@attrs.frozen(kw_only=True)
class LenderOffer:
    """A lender's offer by its terms: the amount owed on the case date, re-split.

    :param lever: the strategy it corresponds to (``"extension"``, ``"fee-advance"``,
        ``"subsidy"``…), used as the proposal's strategy name.
    :param months: the number of monthly installments, the first one month after the
        case date.
    :param fee: a one-off handling fee as an amount, or
    :param fee_rate: the fee as a share of the amount owed (rounded half up); not both.
    :param fee_timing: when the fee is paid: upfront in cash, withheld (added to the
        balance) or spread over the installments.
    :param rate: the interest rate during the plan; ``None`` freezes interest (停息).
    :param waive: charges waived in full, as owed on the case date (interest, penalty
        interest, fees).
    :param title: how the offer is named in reasons and documents.
    """

    lever: str = attrs.field(validator=attrs.validators.instance_of(str))
    months: int = attrs.field(validator=_months)
    fee: Money | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Money))
    )
    fee_rate: Decimal | None = attrs.field(default=None, converter=_fee_rate)
    fee_timing: FeeTiming = attrs.field(
        default=FeeTiming.UPFRONT, validator=attrs.validators.instance_of(FeeTiming)
    )
    rate: InterestRate | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(InterestRate)),
    )
    waive: frozenset[WaiverKind] = attrs.field(default=frozenset(), converter=_waive)
    title: str = DEFAULT_TITLE

    def __attrs_post_init__(self) -> None:
        """A fee is an amount or a share, never both; an amount is never negative."""
        if self.fee is not None and self.fee_rate is not None:
            raise ValidationError(
                "LenderOffer.fee", "a fee amount or a fee_rate, not both", self.fee
            )
        if self.fee is not None and self.fee.amount < 0:
            raise ValidationError("LenderOffer.fee", "an amount of zero or more", self.fee)

    def terms(self, *, lever_name: Text | str | None = None) -> Text:
        """The offer's terms in one line, e.g. ``extension, 24 months; interest frozen``.

        Lever and term; the fee (an amount or a share of the amount owed) and when it is
        paid; the rate; the charges waived.

        :param lever_name: how to name the lever, e.g. its strategy's ``Proposal.label``;
            the lever's code when omitted.
        """
        parts = [
            Text(
                "terms",
                "{lever}, {months} months",
                lever=self.lever if lever_name is None else lever_name,
                months=self.months,
            )
        ]
        timing = Label("fee_timing", self.fee_timing.value)
        if self.fee is not None:
            parts.append(Text("terms", "fee {fee} {timing}", fee=self.fee, timing=timing))
        elif self.fee_rate:
            parts.append(
                Text(
                    "terms",
                    "fee {share} of the amount owed, {timing}",
                    share=_percent(self.fee_rate),
                    timing=timing,
                )
            )
        parts.append(
            Text("terms", "interest at {rate} a year", rate=_percent(self.rate.value))
            if self.rate is not None
            else Text("terms", "interest frozen")
        )
        if self.waive:
            kinds = sorted(k.value for k in self.waive)
            parts.append(
                Text(
                    "terms",
                    "waived: {kinds}",
                    kinds=Items(Label("waiver_kind", kind) for kind in kinds),
                )
            )
        line = parts[0]
        for part in parts[1:]:
            line = Text("terms", "{terms}; {more}", terms=line, more=part)
        return line

    @in_library_context
    def fee_amount(self, case: Case) -> Money:
        """The fee on *case*: the amount given, or ``fee_rate`` × the amount owed."""
        currency = case.debt.currency
        if self.fee is not None:
            if self.fee.currency != currency:
                raise ValidationError("LenderOffer.fee", f"an amount in {currency}", self.fee)
            return self.fee
        if self.fee_rate:
            return (case.owed * self.fee_rate).rounded()
        return Money.zero(currency)

    @in_library_context
    def waivers(self, case: Case) -> tuple[Waiver, ...]:
        """The charges waived, as projected on the case date (zero ones left out)."""
        owed = case.debt.project(case.on)
        amounts = {
            WaiverKind.INTEREST: owed.interest,
            WaiverKind.PENALTY: owed.penalty,
            WaiverKind.FEES: owed.fees,
        }
        return tuple(
            Waiver(kind=kind, amount=amounts[kind])
            for kind in _WAIVABLE
            if kind in self.waive and amounts[kind].amount > 0
        )

    def _build(self, case: Case, months: int, timing: FeeTiming) -> Plan:
        waivers = self.waivers(case)
        balance = case.owed
        for waiver in waivers:
            balance = balance - waiver.amount
        fee = self.fee_amount(case)
        rate = self.rate if self.rate is not None else InterestRate.zero()
        label = Text(
            "title",
            "{lever} {months} months (lender's offer)",
            lever=self.lever,  # the strategy's name: a code, shown as it is
            months=months,
        )
        handling_fee = Text("upfront", "handling fee")
        if not fee.amount:
            plan = equal_installment(balance, rate, months, start=case.on, label=label)
        elif timing is FeeTiming.UPFRONT:
            item = UpfrontItem(kind=UpfrontKind.FEE, amount=fee, on=case.on, label=handling_fee)
            plan = equal_installment(
                balance, rate, months, start=case.on, upfront=[item], label=label
            )
        elif timing is FeeTiming.WITHHELD:
            item = UpfrontItem(
                kind=UpfrontKind.FEE,
                amount=fee,
                on=case.on,
                withheld=True,
                label=handling_fee,
            )
            plan = equal_installment(
                balance + fee, rate, months, start=case.on, upfront=[item], label=label
            )
        else:
            base = equal_installment(balance, rate, months, start=case.on)
            rows = [
                (i.due, i.principal, i.interest, part)
                for i, part in zip(base.installments, fee.allocate(months), strict=True)
            ]
            plan = custom(balance, rows, start=case.on, label=label)
        return attrs.evolve(plan, waivers=waivers) if waivers else plan

    @in_library_context
    def plan(self, case: Case) -> Plan:
        """The plan these terms mean on *case*: equal monthly installments from ``case.on``."""
        return self._build(case, self.months, self.fee_timing)

    @in_library_context
    def proposal(self, case: Case) -> Proposal:
        """The offer as a proposal (eligible: the lender made it) for the engine to assess."""
        return Proposal(
            strategy=self.lever,
            title=self.title,
            plan=self.plan(case),
            eligibility=Eligibility.ELIGIBLE,
            reasons=(
                Text(
                    "reason",
                    "The lender's offer: {count} monthly installments.",
                    count=self.months,
                ),
            ),
        )

    @in_library_context
    def affordable_variant(self, case: Case) -> LenderOffer | None:
        """The closest offer on the same lever the borrower could keep, or ``None``.

        Same lever, rate and waivers; an upfront fee is spread over the installments (it
        is the cash at the start that most often breaks the budget); and the term is the
        offer's own when that now fits, else the nearest longer one, up to the lender's
        policy maximum (or :data:`VARIANT_MAX_MONTHS` without a policy). The term follows
        the library's rule (``choose_term``, with
        the offer's term as the target): within the headroom limit when possible, else
        within the budget. ``None`` when nothing up to the cap fits, or when the offer
        fits as it is.
        """
        timing = FeeTiming.SPREAD if self.fee_timing is FeeTiming.UPFRONT else self.fee_timing
        policy_max = case.policy.max_months if case.policy is not None else 0
        cap = max(policy_max if policy_max > 0 else VARIANT_MAX_MONTHS, self.months)
        term = choose_term(
            case,
            lambda count: self._build(case, count, timing),
            policy_cap=cap,
            goal_cap=cap,
            low=self.months,
            target=self.months,
        )
        if not term.fits:
            return None
        variant = attrs.evolve(
            self,
            months=term.count,
            fee_timing=timing,
            title=Text("title", "{title}, made affordable", title=self.title),
        )
        return None if variant == attrs.evolve(self, title=variant.title) else variant
