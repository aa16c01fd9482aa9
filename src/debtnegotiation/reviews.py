"""The core review plugin: red flags any proposal can raise, whatever the jurisdiction.

Registered from :data:`~debtnegotiation.plugins.DEFAULT_PLUGINS` like any plugin, so it
can be blocked by name (``debtnegotiation.reviews``). Each check looks at the case and the
proposal's plan only, and returns at most one :class:`~debtnegotiation.findings.Finding`
with a stable code. These are the generic red flags, true in every jurisdiction; the legal
side belongs to jurisdiction plugins:

``core.unaffordable`` (DANGER)
    The largest payment — the peak installment, or the cash due on the start date
    (upfront items not withheld plus installments due that day) — exceeds the case's
    monthly budget (:attr:`~debtnegotiation.case.Case.monthly_budget`). A plan the
    borrower cannot keep re-defaults (the surplus test debt counsellors apply, as in the
    UK Standard Financial Statement).
``core.costs_more_than_status_quo`` (WARNING)
    Everything the plan has the borrower pay (:attr:`~debtnegotiation.plan.Plan.total_paid`)
    exceeds what the debt would amount to — be *owed* — on the plan's last due date if
    nothing were agreed (:meth:`~debtnegotiation.debt.Debt.project`). The status quo is an
    amount owed, not paid: a plan that costs more than the debt would amount to by its
    end saves nothing against doing nothing. It does not mean default is better (default
    has costs the figures do not show); the engine then advises free debt counselling.
``core.advance_fee`` (WARNING)
    A fee is paid in cash before the first payment that reduces the debt: an upfront fee
    item (not withheld) dated on or before that payment, or installment fees due before
    it. This is the shape of the advance-fee pattern of debt-relief scams (NFRA risk
    warning of May 2024; FTC Telemarketing Sales Rule, 16 CFR 310.4(a)(5)). A lender's
    own handling fee, agreed in writing, is legitimate, so the finding is a warning: pay
    it only to the lender, after the agreement. Jurisdiction plugins judge the legal side
    (the US plugin applies the Telemarketing Sales Rule).
``core.longer_term_costs_more`` (INFO)
    The plan runs more than 12 months and charges interest on installments due after
    its first 12 months: that interest is the cost of the longer term, stated as an
    amount. Twelve months is the horizon of the typical card hardship program (3 to 12
    months in US card issuers' practice). Installment fees are not counted: from the plan
    alone, a one-off fee spread over the term looks the same as a recurring monthly fee.
``core.negative_amortization`` (DANGER)
    An installment leaves a larger balance than the one before it (the plan's principal
    before the first): the payments do not cover the interest and the debt grows
    (a sustainable plan must amortise). The model's installments cannot have a negative
    principal part, so a rising ``balance_after`` is how it shows; the built-in schedule
    builders never produce it, a hand-made or counter-offered plan can.
``core.no_unique_rate`` (WARNING)
    The plan's cash flows have no annual rate, or several, under at least one of the
    conventions of :class:`~debtnegotiation.apr.Regime`
    (:class:`~debtnegotiation.errors.NoUniqueRateError`), so its true cost cannot be
    stated (PBOC Announcement [2021] No. 3 requires an annualised rate for every loan). A
    plan whose flows all fall on one date finances nothing over time and is not flagged.

A proposal without a plan has nothing to review. Checks comparing the plan with the debt
(affordability, status quo) are skipped for a plan in another currency than the debt.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from debtnegotiation.plugin import (
    Case,
    CashFlow,
    Finding,
    Items,
    Label,
    Money,
    NoUniqueRateError,
    Plan,
    Proposal,
    Regime,
    Severity,
    Text,
    UpfrontKind,
    ValidationError,
    add_months,
    annual_rate,
    hookimpl,
    total,
)

__all__ = [
    "ADVANCE_FEE",
    "CODES",
    "COSTS_MORE_THAN_STATUS_QUO",
    "LONGER_TERM_COSTS_MORE",
    "LONGER_TERM_MONTHS",
    "NEGATIVE_AMORTIZATION",
    "NO_UNIQUE_RATE",
    "UNAFFORDABLE",
    "advance_fee",
    "costs_more_than_status_quo",
    "debtneg_review_proposal",
    "longer_term_costs_more",
    "negative_amortization",
    "no_unique_rate",
    "review",
    "unaffordable",
]

# Stable finding codes: never renamed once released.
#: The largest payment exceeds the monthly budget.
UNAFFORDABLE: Final = "core.unaffordable"
#: The plan costs more than the debt would amount to by its end if nothing were agreed.
COSTS_MORE_THAN_STATUS_QUO: Final = "core.costs_more_than_status_quo"
#: A fee is paid before any payment reduces the debt.
ADVANCE_FEE: Final = "core.advance_fee"
#: Interest falls due after the first 12 months.
LONGER_TERM_COSTS_MORE: Final = "core.longer_term_costs_more"
#: The balance grows after an installment.
NEGATIVE_AMORTIZATION: Final = "core.negative_amortization"
#: The cash flows have no annual rate, or several.
NO_UNIQUE_RATE: Final = "core.no_unique_rate"

#: Every code this plugin can return.
CODES: Final = (
    ADVANCE_FEE,
    COSTS_MORE_THAN_STATUS_QUO,
    LONGER_TERM_COSTS_MORE,
    NEGATIVE_AMORTIZATION,
    NO_UNIQUE_RATE,
    UNAFFORDABLE,
)

#: Months after which interest counts as the cost of a longer term. Twelve is the length
#: of the typical card hardship program, 3 to 12 months (US card-issuer practice).
LONGER_TERM_MONTHS: Final = 12


def unaffordable(case: Case, plan: Plan) -> Finding | None:
    """``core.unaffordable``: the largest payment exceeds the monthly budget."""
    budget = case.monthly_budget
    if plan.currency != budget.currency:
        return None
    start = plan.cash_at_start
    largest = max(plan.peak_installment, start, key=lambda m: m.amount)
    if largest <= budget:
        return None
    values = {"largest": largest, "budget": budget, "excess": largest - budget}
    if largest == plan.peak_installment:
        message = Text(
            "finding",
            "The largest installment, {largest}, exceeds your monthly budget of {budget} by "
            "{excess}: a plan you cannot keep fails at the first missed payment.",
            **values,
        )
    else:
        message = Text(
            "finding",
            "The largest payment due at the start, {largest}, exceeds your monthly budget of "
            "{budget} by {excess}: a plan you cannot keep fails at the first missed payment.",
            **values,
        )
    return Finding(code=UNAFFORDABLE, severity=Severity.DANGER, message=message)


def costs_more_than_status_quo(case: Case, plan: Plan) -> Finding | None:
    """``core.costs_more_than_status_quo``: total paid above what would be owed at the end."""
    if plan.currency != case.debt.currency:
        return None
    end = max(plan.end, case.on)
    status_quo = case.debt.project(end).total
    if plan.total_paid <= status_quo:
        return None
    return Finding(
        code=COSTS_MORE_THAN_STATUS_QUO,
        severity=Severity.WARNING,
        message=Text(
            "finding",
            "Over the plan you would pay {total}, which is {extra} more than the {status_quo} "
            "the debt would amount to by {end} if nothing were agreed.",
            total=plan.total_paid,
            extra=plan.total_paid - status_quo,
            status_quo=status_quo,
            end=end,
        ),
    )


def _reducing_and_early_fees(plan: Plan) -> tuple[dt.date | None, list[tuple[dt.date, Money]]]:
    """The first payment that reduces the debt, and the installment fees due before it.

    A plan built from integer rows is read on its rows, without making its installments:
    they are in due-date order, so the first reducing row is the earliest.
    """
    dates = [u.on for u in plan.upfront if u.kind is UpfrontKind.PAYMENT and u.amount]
    rows = plan._int_rows()
    if rows is None:
        # principal + interest > 0, compared exactly (copy_negate never rounds) without a sum.
        dates += [
            i.due
            for i in plan.installments
            if i.principal.amount > i.interest.amount.copy_negate()
        ]
        first = min(dates, default=None)
        return first, [
            (i.due, i.fee) for i in plan.installments if i.fee and (first is None or i.due < first)
        ]
    due = rows.dates
    pairs = zip(rows.principals, rows.interests, strict=True)
    reducing = next((k for k, (p, i) in enumerate(pairs) if p + i > 0), None)
    if reducing is not None:
        dates.append(due[reducing])
    first = min(dates, default=None)
    if not rows.has_fees:
        return first, []
    return first, [
        (on, rows.money(fee))
        for on, fee in zip(due, rows.fees, strict=True)
        if fee and (first is None or on < first)
    ]


def advance_fee(plan: Plan) -> Finding | None:
    """``core.advance_fee``: fees paid in cash before the first payment reducing the debt."""
    first, early = _reducing_and_early_fees(plan)
    fees = [
        u
        for u in plan.upfront
        if u.kind is UpfrontKind.FEE and not u.withheld and (first is None or u.on <= first)
    ]
    amounts = [u.amount for u in fees] + [fee for _, fee in early]
    if not amounts:
        return None  # what their total, zero, would say
    amount = total(amounts, plan.currency)
    if not amount:
        return None
    due = min([u.on for u in fees] + [on for on, _ in early])
    return Finding(
        code=ADVANCE_FEE,
        severity=Severity.WARNING,
        message=Text(
            "finding",
            "A fee of {amount} is due on {due}, before any payment reduces the debt. Pay a fee "
            "only to the lender itself and only once the agreement is in writing: a fee "
            "demanded up front by anyone else, especially a share of the debt, is the "
            "advance-fee pattern of debt-relief scams.",
            amount=amount,
            due=due,
        ),
    )


def longer_term_costs_more(plan: Plan) -> Finding | None:
    """``core.longer_term_costs_more``: interest due after the first 12 months."""
    if plan.months <= LONGER_TERM_MONTHS:
        return None
    cutoff = add_months(plan.start, LONGER_TERM_MONTHS)
    rows = plan._int_rows()
    if rows is None:
        extra = total((i.interest for i in plan.installments if i.due > cutoff), plan.currency)
    else:
        late = [i for i, on in zip(rows.interests, rows.dates, strict=True) if on > cutoff]
        extra = rows.money(sum(late)) if late else Money.zero(plan.currency)
    if not extra:
        return None
    return Finding(
        code=LONGER_TERM_COSTS_MORE,
        severity=Severity.INFO,
        message=Text(
            "finding",
            "The plan runs {months} months, and {extra} of interest falls due after its first "
            "{first}: that is what the longer term costs. A shorter term at the same rate, if "
            "you can afford it, avoids most of it.",
            months=plan.months,
            extra=extra,
            first=LONGER_TERM_MONTHS,
        ),
    )


def negative_amortization(plan: Plan) -> Finding | None:
    """``core.negative_amortization``: an installment after which the balance is larger."""
    before = plan.principal
    rows = plan._int_rows()
    if rows is not None:
        # On the integer balances: no rise means no finding; a rise is named the slow way.
        balances = rows.balances()
        if not balances or (
            rows.money(balances[0]) <= before
            and all(map(operator.le, balances[1:], balances))
        ):
            return None
    for item in plan.installments:
        if item.balance_after > before:
            return Finding(
                code=NEGATIVE_AMORTIZATION,
                severity=Severity.DANGER,
                message=Text(
                    "finding",
                    "After installment {seq} (due {due}) you would owe {balance}, more than "
                    "the {before} before it: the payments do not cover the interest, so the "
                    "debt grows. Ask for an interest freeze or a lower rate.",
                    seq=item.seq,
                    due=item.due,
                    balance=item.balance_after,
                    before=before,
                ),
            )
        before = item.balance_after
    return None


def _sign_changes(flows: Sequence[CashFlow]) -> int:
    """Sign changes of the flows netted per date, in date order, zero nets skipped."""
    dates = [f.on for f in flows]
    if all(map(operator.lt, dates, dates[1:])):
        # One flow a date (a plan's usual flows): nothing to net or sort. A sum with zero
        # in any context has the sign of the amount, so the signs are the amounts' own.
        inflows = [f.amount > 0 for f in flows if f.amount]
        return sum(map(operator.ne, inflows, inflows[1:]))
    netted: dict[dt.date, Decimal] = {}
    for flow in flows:
        netted[flow.on] = netted.get(flow.on, Decimal(0)) + flow.amount
    signs = [amount > 0 for _, amount in sorted(netted.items()) if amount != 0]
    return sum(1 for a, b in itertools.pairwise(signs) if a != b)


def _solvable(plan: Plan, regime: Regime) -> bool:
    try:
        annual_rate(plan, regime=regime)
    except (NoUniqueRateError, ValidationError):
        return False
    return True


def no_unique_rate(plan: Plan) -> Finding | None:
    """``core.no_unique_rate``: no annual rate, or several, under some convention."""
    flows = plan.cash_flows()
    if len({f.on for f in flows}) < 2:
        return None  # nothing is financed over time: there is no rate to state
    # Descartes' rule of signs, generalised to real exponents: flows ordered in time with
    # one sign change have exactly one rate under every convention (each measures time
    # increasingly with the date). Only whether it lies inside the solver's bracket is left,
    # and XIRR, effective on days/365, gives the largest figure of the four, so checking it
    # alone suffices.
    if _sign_changes(flows) == 1 and _solvable(plan, Regime.XIRR):
        return None
    failed: list[str] = []
    detail = ""
    for regime in Regime:
        try:
            annual_rate(plan, regime=regime)
        except (NoUniqueRateError, ValidationError) as error:
            failed.append(regime.value)
            detail = detail or str(error)
    if not failed:
        return None
    return Finding(
        code=NO_UNIQUE_RATE,
        severity=Severity.WARNING,
        # The solver's own explanation (detail) is the rate module's English, kept as data.
        message=Text(
            "finding",
            "No single annual rate describes this plan's payments ({regimes}: {detail}), so "
            "its true cost cannot be stated; ask the lender for its annualised rate and treat "
            "an offer without one with caution.",
            regimes=Items(Label("rate_label", code) for code in failed),
            detail=detail,
        ),
    )


def review(case: Case, proposal: Proposal) -> tuple[Finding, ...]:
    """Every core finding on *proposal*, in :data:`CODES` order."""
    plan = proposal.plan
    if plan is None:
        return ()
    found = (
        advance_fee(plan),
        costs_more_than_status_quo(case, plan),
        longer_term_costs_more(plan),
        negative_amortization(plan),
        no_unique_rate(plan),
        unaffordable(case, plan),
    )
    return tuple(f for f in found if f is not None)


@hookimpl
def debtneg_review_proposal(case: Case, proposal: Proposal) -> Sequence[Finding] | None:
    """Review *proposal* for the core red flags (see the module documentation)."""
    return review(case, proposal) or None
