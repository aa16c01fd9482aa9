"""The strategy toolkit: budgets, the term search and plain-sentence reasons.

A supported part of the plugin surface, re-exported by :mod:`debtnegotiation.plugin`:
the built-in strategies are written with it, and so may any third-party strategy.
Everything here works on the public model only (:class:`~debtnegotiation.case.Case`,
:class:`~debtnegotiation.plan.Plan`, :func:`~debtnegotiation.apr.annual_rate`, the
schedule builders); names and behaviour change only with a changelog entry.

Conventions the built-in strategies follow (:doc:`/concepts/strategies`), and that these
helpers make easy:

* **No policy, or a policy without the lever → no proposal** (``None``): a strategy never
  invents a lever the lender's policy lacks (:mod:`debtnegotiation.policy`).
* **The lever is offered but the borrower misses a precondition → NOT_ELIGIBLE**, with the
  reason, and with the plan whenever one can be built so it can still be shown.
* **Affordability is a precondition**: a plan whose largest payment
  (:func:`largest_payment`) exceeds the monthly budget even at the longest term the lender
  offers is NOT_ELIGIBLE (:func:`choose_term` says so in ``Term.fits``), as the engine's
  affordability gate ranks it.

Every sentence made here (:func:`rate_text`, :func:`interest_sentence`,
:func:`rate_sentence`, :func:`conditions`, a :class:`Term`'s ``rule`` and ``notes``) is a
translatable :class:`~debtnegotiation.text.Text`: a ``str`` with its English wording, which
the reader's catalog says again in their language (:doc:`/concepts/strategies`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Final

import attrs

from debtnegotiation._exact import to_units
from debtnegotiation.apr import Regime, annual_rate
from debtnegotiation.borrower import Hardship, HardshipKind
from debtnegotiation.case import Case
from debtnegotiation.errors import CurrencyMismatchError, NoUniqueRateError
from debtnegotiation.money import Money
from debtnegotiation.plan import Plan, UpfrontKind
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.rates import InterestRate, RateUnit
from debtnegotiation.text import Label, Percent, Text

__all__ = [
    "FALLBACK_REGIME",
    "REGIMES",
    "Term",
    "choose_term",
    "conditions",
    "current_hardships",
    "interest_sentence",
    "largest_payment",
    "most_installments",
    "percent",
    "percent_value",
    "plan_rate",
    "rate_sentence",
    "rate_text",
    "regime_for",
    "series",
    "share",
    "target_payment",
]

#: The annual-rate convention a strategy states in its reasons, for each currency. China's
#: PBOC Announcement [2021] No. 3 IRR method for CNY, the EU Consumer Credit Directive
#: (2008/48/EC) Annex I for EUR, and US Regulation Z (12 CFR 1026) Appendix J for every
#: other currency. The negotiation engine reports whichever regime its caller names.
REGIMES: Final = MappingProxyType({"CNY": Regime.CN_PBOC, "EUR": Regime.EU_CCD})

#: The fallback convention for currencies not in :data:`REGIMES`.
FALLBACK_REGIME: Final = Regime.US_REG_Z


def regime_for(currency: str) -> Regime:
    """The annual-rate convention stated for plans in *currency* (see :data:`REGIMES`)."""
    return REGIMES.get(currency, FALLBACK_REGIME)


def percent(fraction: Decimal) -> str:
    """A fraction as a percentage without trailing zeros: ``0.05`` → ``"5%"``.

    A plain string, for data; a sentence takes :func:`percent_value` instead, so the
    reader's locale formats the figure.
    """
    value = (fraction * 100).normalize()
    text = f"{value:f}"
    return f"{text}%"


def percent_value(fraction: Decimal) -> Percent:
    """*fraction* as a :class:`~debtnegotiation.text.Percent` with exactly its own decimals.

    A policy's rate is shown as it was stated: ``0.05`` is ``5%`` and ``0.0005`` is
    ``0.05%``, in English as :func:`percent` says it, and by the locale's percent pattern
    elsewhere. The figure is never rounded.

    >>> from decimal import Decimal
    >>> print(Text("note", "a fee of {rate}", rate=percent_value(Decimal("0.0500"))))
    a fee of 5%
    >>> percent_value(Decimal("0.00049")).english()
    '0.049%'
    """
    exponent = (fraction * 100).normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # noqa: S101 - a finite Decimal has an int exponent
    return Percent(fraction, decimals=max(0, -exponent))


def rate_text(rate: InterestRate) -> Text:
    """A quoted rate in words, e.g. ``"6% a year"`` or ``"0.05% a day on a 365-day year"``."""
    value = percent_value(rate.value)
    if rate.unit is RateUnit.DAILY:
        assert rate.day_count is not None  # noqa: S101 - InterestRate guarantees it
        days = rate.day_count.days
        return Text("rate", "{percent} a day on a {days}-day year", percent=value, days=days)
    if rate.unit is RateUnit.ANNUAL_NOMINAL:
        return Text("rate", "{percent} a year", percent=value)
    if rate.unit is RateUnit.ANNUAL_EFFECTIVE:
        return Text("rate", "{percent} a year (effective)", percent=value)
    return Text("rate", "{percent} a month", percent=value)


def series(
    values: Sequence[Text | Label | str], *, final_and: bool = False, empty: Text | str = ""
) -> Text | Label | str:
    """*values* said as one list: ``a, b, c``, or ``a, b and c`` with *final_and*.

    In Chinese ``a、b、c`` and ``a、b和c``; *empty* when there are none. Unlike
    :class:`~debtnegotiation.text.Items` (the locale's list pattern, ``a, b, and c`` in
    English), this keeps the built-in strategies' English wording.

    >>> print(series(["illness", "unemployment"]), "|", series("abc", final_and=True))
    illness, unemployment | a, b and c
    """
    if not values:
        return empty
    head: Text | Label | str = values[0]
    last = len(values) - 1
    for i, value in enumerate(values[1:], 1):
        if final_and and i == last:
            head = Text("list", "{items} and {last}", items=head, last=value)
        else:
            head = Text("list", "{items}, {item}", items=head, item=value)
    return head


def plan_rate(policy: LenderPolicy | None) -> InterestRate:
    """The rate during the plan: the policy's, or zero when it freezes interest (停息).

    Without a policy the lender's terms are unknown, and the plan is shown interest-free.
    """
    if policy is None or policy.plan_rate is None:
        return InterestRate.zero()
    return policy.plan_rate


def share(amount: Money, fraction: Decimal | None, rounding: str = ROUND_HALF_UP) -> Money:
    """*fraction* of *amount*, rounded to the minor unit; zero when *fraction* is unset.

    Use ``ROUND_DOWN`` for a waiver, so it never exceeds the policy's cap, and the default
    half-up for a fee.

    >>> from decimal import ROUND_DOWN
    >>> print(share(Money("1000.10", "CNY"), Decimal("0.05")), share(Money(10, "CNY"), None))
    50.01 CNY 0 CNY
    >>> print(share(Money("0.99", "CNY"), Decimal("0.5"), ROUND_DOWN))
    0.49 CNY
    """
    if not fraction:
        return Money.zero(amount.currency)
    return (amount * fraction).rounded(rounding)


def interest_sentence(policy: LenderPolicy) -> Text:
    """Say how interest runs during the plan, as the policy sets it."""
    rate = plan_rate(policy)
    if rate.value == 0:
        return Text(
            "reason", "Interest is frozen during the plan (停息), as the lender's policy offers."
        )
    return Text(
        "reason",
        "Interest continues during the plan at {rate}, the lender's plan rate.",
        rate=rate_text(rate),
    )


def rate_sentence(plan: Plan) -> Text:
    """The plan's true annual rate as a sentence, percent with 2 decimals and its label.

    The regime is :func:`regime_for` the plan's currency. A plan whose cash flows have no
    single rate says so instead (the core review ``core.no_unique_rate`` flags it too).
    """
    regime = regime_for(plan.currency)
    try:
        rate = annual_rate(plan, regime=regime)
    except NoUniqueRateError:
        return Text(
            "reason",
            "No single annual rate describes this plan's payments; ask the lender for its "
            "annualised rate disclosure.",
        )
    return Text(
        "reason",
        "Its true annual rate is {percent} ({label}, {regime} convention).",
        percent=Percent(rate.rate, decimals=2),
        label=Label("rate_label", regime.value, english=rate.label),
        regime=regime.value,
    )


def target_payment(case: Case) -> Money:
    """The monthly payment to aim for: the budget, or the borrower's goal if lower.

    A goal stated in another currency than the budget's is not comparable and is ignored.
    """
    budget = case.monthly_budget
    goal = case.goals.max_monthly_payment
    if goal is not None and goal.currency == budget.currency and goal < budget:
        return goal
    return budget


def largest_payment(plan: Plan) -> Money:
    """The most the borrower pays in one go: an installment, or the cash due at the start.

    Cash at the start is every upfront item paid in cash (not withheld) plus any
    installment due on the start date; this mirrors the engine's affordability gate.
    """
    return max(plan.peak_installment, plan.cash_at_start, key=lambda m: m.amount)


def _repaid(plan: Plan) -> Money:
    """What the installments must repay at least: the principal less upfront payments."""
    payments = [u.amount for u in plan.upfront if u.kind is UpfrontKind.PAYMENT]
    if not payments:
        return plan.principal  # less nothing: the same amount
    return plan.principal - sum(payments, Money.zero(plan.currency))


def most_installments(case: Case) -> int:
    """The most installments the amount owed can fill: one minor unit each at least.

    The schedule builders refuse empty installments, so 0.05 CNY can be split into 5 at
    most.
    """
    owed = case.owed
    return int(owed.amount.scaleb(owed.minor_units))


@attrs.frozen(kw_only=True)
class Term:
    """The term :func:`choose_term` settled on.

    :param count: the number passed to the plan builder.
    :param plan: the plan built for it.
    :param fits: whether its largest payment fits the monthly budget.
    :param notes: sentences on goals it misses, or why it does not fit (each a
        :class:`~debtnegotiation.text.Text` when :func:`choose_term` made it).
    :param rule: the rule that chose it, as a sentence for the proposal's reasons (a
        :class:`~debtnegotiation.text.Text` when :func:`choose_term` made it).
    :param headroom: whether its largest payment is within the headroom limit
        (:attr:`Case.payment_limit <debtnegotiation.case.Case.payment_limit>`).
    """

    count: int
    plan: Plan
    fits: bool
    notes: tuple[str, ...] = ()
    rule: str = ""
    headroom: bool = False


def _largest_units(plan: Plan, limit: Money) -> int:
    """:func:`largest_payment` of *plan* in whole minor units of *limit*'s currency.

    A plan built by the schedule builders is measured on its integer rows, without
    making its installments.
    """
    if plan.currency != limit.currency:
        raise CurrencyMismatchError(plan.currency, limit.currency, "compare")
    rows = plan._int_rows()
    places = limit.minor_units
    if rows is None or rows.places != places:
        return to_units(largest_payment(plan).amount, places)
    start = plan.start
    cash = rows.due_by(start) or 0
    cash += sum(
        to_units(u.amount.amount, places) for u in plan.upfront if not u.withheld and u.on <= start
    )
    return max(max(rows.totals, default=0), cash)


def _first_fit(
    build: Callable[[int], Plan], low: int, high: int, limit: Money
) -> tuple[int, Plan] | None:
    """The smallest count in ``low..high`` whose plan's largest payment is within *limit*.

    The payments are compared in whole minor units: an integer payment is within a limit
    of fractional units exactly when it is within the limit's whole units.
    """
    if limit.amount <= 0 or high < low:
        return None
    ceiling = to_units(limit.amount, limit.minor_units)
    probe = build(high)
    if _largest_units(probe, limit) > ceiling:
        return None  # the longest term has the smallest payments: nothing fits
    # Each installment repays at least its principal part, so fewer than
    # repaid / limit installments can never fit.
    floor = max(low, math.ceil(_repaid(probe).amount / limit.amount))
    for count in range(floor, high + 1):
        plan = probe if count == high else build(count)
        if _largest_units(plan, limit) <= ceiling:
            return count, plan
    return None  # pragma: no cover - the probe at *high* fits


def _least_cost(
    build: Callable[[int], Plan], low: int, high: int, limit: Money
) -> tuple[int, Plan, bool] | None:
    """The least-cost count in ``low..high`` within *limit*; at equal cost, the longest.

    The built-in builders never cost less over a longer term (interest at a rate of zero
    or more, a flat fee), so the least cost is the shortest count that fits; when the
    longest count costs exactly as much, every count between does too, and the longest
    has the lowest payment. The third value says whether the longest was taken.
    """
    found = _first_fit(build, low, high, limit)
    if found is None:
        return None
    count, plan = found
    if count < high:
        longest = build(high)
        if longest.total_paid == plan.total_paid:
            return high, longest, True
    return count, plan, False


def _remembered(build: Callable[[int], Plan]) -> Callable[[int], Plan]:
    """*build* called at most once per count: the search steps probe the same terms again.

    Plans are frozen, so handing out the same plan for the same count is safe.
    """
    built: dict[int, Plan] = {}

    def remembered(count: int) -> Plan:
        plan = built.get(count)
        if plan is None:
            plan = built[count] = build(count)
        return plan

    return remembered


def _share_text(case: Case) -> Percent:
    return percent_value(case.goals.payment_share)


def choose_term(
    case: Case,
    build: Callable[[int], Plan],
    *,
    policy_cap: int,
    goal_cap: int | None = None,
    low: int = 1,
    target: int | None = None,
) -> Term:
    """Pick the term by the stated rule, within the lender's limits and the goal's cap.

    The *headroom limit* is :attr:`Case.payment_limit
    <debtnegotiation.case.Case.payment_limit>` (``goals.payment_share`` of the monthly
    budget, 90 % by default), or the borrower's ``goals.max_monthly_payment`` if lower.

    1. a target term (``goals.target_months``, or *target*): the target when its largest
       payment is within the headroom limit, else the nearest longer term that is;
    2. else, among the terms up to ``goal_cap`` within the headroom limit, the one with
       the lowest total paid; at equal total paid, the lowest payment (the longest term);
    3. else the shortest term beyond ``goal_cap``, up to ``policy_cap``, within the
       headroom limit (the goal relaxed as little as possible), with a note on it;
    4. else the least-cost term up to ``policy_cap`` that fits the whole budget, with a
       note that it leaves no headroom;
    5. else ``policy_cap``, marked as not fitting (the longest term has the lowest
       payments, so nothing shorter fits either).

    :param build: makes the plan for a count (installments, or resumption months).
    :param policy_cap: the largest count the lender's policy allows.
    :param goal_cap: the largest count the borrower's goal allows, if it differs from
        ``goals.max_months`` (e.g. a deferral subtracts its holiday).
    :param low: the smallest count to consider.
    :param target: the count aimed for, if it differs from ``goals.target_months``.
    """
    budget = case.monthly_budget
    goals = case.goals
    build = _remembered(build)
    if goal_cap is None:
        goal_cap = goals.max_months if goals.max_months is not None else policy_cap
    if target is None:
        target = goals.target_months
    # A balance of a few minor units cannot fill more installments than it has units.
    policy_cap = max(min(policy_cap, most_installments(case)), low)
    goal_cap = max(min(goal_cap, policy_cap), low)
    limit = min(case.payment_limit, target_payment(case), key=lambda m: m.amount)
    share = _share_text(case)
    if target is not None and target >= low:
        found = _first_fit(build, min(target, goal_cap), goal_cap, limit)
        if found is not None:
            count, plan = found
            largest = largest_payment(plan)
            rule = (
                Text(
                    "rule",
                    "Your target of {target} months, with the largest payment {largest} at "
                    "most {share} of your monthly budget ({limit}).",
                    target=target,
                    largest=largest,
                    share=share,
                    limit=limit,
                )
                if count == target
                else Text(
                    "rule",
                    "The nearest term to your target of {target} months whose largest "
                    "payment, {largest}, is at most {share} of your monthly budget ({limit}).",
                    target=target,
                    largest=largest,
                    share=share,
                    limit=limit,
                )
            )
            return Term(count=count, plan=plan, fits=True, rule=rule, headroom=True)
    least = _least_cost(build, low, goal_cap, limit)
    if least is not None:
        count, plan, longest = least
        rule = (
            Text(
                "rule",
                "The same total cost as any shorter term that fits, with the lowest payment: "
                "{largest}, at most {share} of your monthly budget ({limit}).",
                largest=largest_payment(plan),
                share=share,
                limit=limit,
            )
            if longest
            else Text(
                "rule",
                "The lowest total cost with the largest payment, {largest}, at most {share} "
                "of your monthly budget ({limit}).",
                largest=largest_payment(plan),
                share=share,
                limit=limit,
            )
        )
        notes = _goal_notes(case, plan)
        return Term(count=count, plan=plan, fits=True, notes=notes, rule=rule, headroom=True)
    # Nothing within the goal's cap leaves headroom: relax the goal as little as possible.
    found = _first_fit(build, goal_cap + 1, policy_cap, limit)
    if found is not None:
        count, plan = found
        rule = Text(
            "rule",
            "The nearest term to your goal of {goal} months whose largest payment, "
            "{largest}, is at most {share} of your monthly budget ({limit}).",
            # A caller's own goal_cap may stand without goals.max_months.
            goal=goals.max_months if goals.max_months is not None else goal_cap,
            largest=largest_payment(plan),
            share=share,
            limit=limit,
        )
        notes = _goal_notes(case, plan)
        return Term(count=count, plan=plan, fits=True, notes=notes, rule=rule, headroom=True)
    least = _least_cost(build, low, policy_cap, budget)
    if least is not None:
        count, plan, _longest = least
        rule = Text(
            "rule",
            "The lowest total cost that fits your monthly budget of {budget}: no term the "
            "lender offers keeps the largest payment within {share} of it ({limit}).",
            budget=budget,
            share=share,
            limit=limit,
        )
        warning = Text(
            "note",
            "It leaves no headroom: its largest payment of {largest} takes more than "
            "{share} of your monthly budget, so an unexpected expense could make you miss "
            "a payment.",
            largest=largest_payment(plan),
            share=share,
        )
        notes = (warning, *_goal_notes(case, plan))
        return Term(count=count, plan=plan, fits=True, notes=notes, rule=rule)
    plan = build(policy_cap)
    note = Text(
        "note",
        "Even at the longest term the lender offers ({months} months) the largest payment "
        "of {largest} exceeds your monthly budget of {budget}, so you could not keep to "
        "this plan; ask for waivers or a payment holiday, or get free debt advice.",
        months=plan.months,
        largest=largest_payment(plan),
        budget=budget,
    )
    rule = Text(
        "rule",
        "The longest term the lender offers ({count}); none fits your budget.",
        count=policy_cap,
    )
    return Term(count=policy_cap, plan=plan, fits=False, notes=(note,), rule=rule)


def _goal_notes(case: Case, plan: Plan) -> tuple[Text, ...]:
    """Sentences on the borrower's goals *plan* misses."""
    goals = case.goals
    notes = []
    if goals.max_months is not None and plan.months > goals.max_months:
        notes.append(
            Text(
                "note",
                "It runs {months} months, longer than your goal of {goal}: no shorter term "
                "fits your monthly budget with headroom.",
                months=plan.months,
                goal=goals.max_months,
            )
        )
    goal = goals.max_monthly_payment
    if goal is not None and largest_payment(plan) > goal:
        notes.append(
            Text(
                "note",
                "Its largest payment of {largest} is above your goal of {goal} a month, "
                "though within your budget of {budget}.",
                largest=largest_payment(plan),
                goal=goal,
                budget=case.monthly_budget,
            )
        )
    return tuple(notes)


def current_hardships(case: Case, policy: LenderPolicy) -> tuple[Hardship, ...]:
    """The borrower's hardships ongoing on the case date that the policy accepts.

    A policy that names no accepted hardship restricts nothing: every ongoing hardship
    may be put forward (the lender still decides).
    """
    accepted: Iterable[HardshipKind] = policy.accepted_hardships
    return tuple(
        h
        for h in case.borrower.hardships
        if h.start <= case.on
        and (h.expected_end is None or h.expected_end >= case.on)
        and (not policy.accepted_hardships or h.kind in accepted)
    )


def conditions(policy: LenderPolicy, *extra: str) -> tuple[str, ...]:
    """The plain-language conditions every built-in plan carries, then *extra* ones.

    The built-in conditions are :class:`~debtnegotiation.text.Text`; pass *extra* ones as
    ``Text`` too, so they are said in the reader's language.
    """
    items: list[str] = [
        Text(
            "condition",
            "Get the agreement in writing (or confirmed in the lender's app) before paying "
            "anything under it, with the amounts, due dates, rate and fees.",
        ),
    ]
    if policy.lapses_on_missed_payment:
        items.append(
            Text(
                "condition",
                "The plan lapses if a payment is missed, and collection may resume (the "
                "lender's policy).",
            )
        )
    items.extend(extra)
    return tuple(items)
