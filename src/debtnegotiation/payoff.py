"""A plan across every debt, month by month, in exact minor units.

Payoff planners (snowball, avalanche) and debt management plans answer one question: with
one monthly amount for all the non-priority debts, in what order are they paid, when is
the last one paid off, and what does it cost? :func:`plan_payoff` answers it exactly:

* balances, interest, fees and payments are whole minor units (``int``); a month's
  interest is ``balance × monthly rate`` computed as a :class:`~fractions.Fraction` and
  rounded half-up once, so nothing drifts;
* every month, interest and the monthly fee are added to each open balance first; then
  the fixed payments of negotiated plans are made, then every contract minimum, then what
  is left of the budget goes where the method says. A debt that is paid off stops taking
  its minimum, so its payment rolls into the next debt (the budget is the same each month);
* the payments of a month never add up to more than the budget; a month whose fixed
  payments and minimums the budget cannot cover records the ``shortfall``;
* a set of debts that grows faster than the budget pays it (twelve months in a row without
  the total owed falling, and no negotiated plan still running), or that is not repaid
  within ``max_months``, stops the plan with ``repaid`` false and the open debts named in
  ``growing`` — it is reported, never hidden.

Methods (:class:`PayoffMethod`): avalanche (highest monthly rate first), snowball
(smallest balance first), pro rata (what is left after the minimums shared in proportion
to the balances, the debt-management-plan split), an explicit order, and "negotiated
first" (the negotiated plans' fixed payments, the rest by avalanche).

>>> from debtnegotiation.money import Money
>>> card = PayoffDebt(name="card", balance=Money("1000.00", "CNY"),
...                   monthly_rate=Fraction(1, 100), minimum=Money("50.00", "CNY"))
>>> loan = PayoffDebt(name="loan", balance=Money("500.00", "CNY"),
...                   monthly_rate=Fraction(1, 200), minimum=Money("30.00", "CNY"))
>>> result = plan_payoff([card, loan], Money("200.00", "CNY"),
...                      method=PayoffMethod.AVALANCHE, on=dt.date(2026, 1, 1))
>>> result.months_to_repay, result.debt_free, str(result.total_interest)
(8, datetime.date(2026, 9, 1), '51.17 CNY')
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from debtnegotiation._exact import from_units, to_units
from debtnegotiation.debt import Debt
from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.money import Money, minor_units
from debtnegotiation.plan import Plan, UpfrontKind
from debtnegotiation.schedule_dates import add_months, months_rounded_up

__all__ = [
    "DEFAULT_MAX_MONTHS",
    "GROWTH_MONTHS",
    "PayoffComparison",
    "PayoffDebt",
    "PayoffMethod",
    "PayoffMonth",
    "PayoffResult",
    "compare_payoffs",
    "plan_payoff",
]

#: The longest plan worked out, 600 months (50 years); beyond it a debt is "not repaid".
DEFAULT_MAX_MONTHS: Final = 600

#: Months in a row without the total owed falling after which the debts count as growing
#: faster than the budget can pay them.
GROWTH_MONTHS: Final = 12


class PayoffMethod(enum.Enum):
    """Where the money left after the fixed payments and minimums goes each month."""

    AVALANCHE = "avalanche"
    """Highest monthly rate first (ties go to the smaller balance, then the order given)."""
    SNOWBALL = "snowball"
    """Smallest balance first, as it stands that month (ties go to the higher rate)."""
    PRO_RATA = "pro-rata"
    """Shared in proportion to the balances, as a debt management plan shares its payment."""
    ORDER = "order"
    """In the order given (``order=`` names the debts)."""
    NEGOTIATED = "negotiated"
    """Negotiated plans' fixed payments first, the other debts by avalanche."""


def _money(field: str, value: object, currency: str | None = None) -> Money:
    if isinstance(value, float):
        raise FloatNotAllowedError(field, value)
    if not isinstance(value, Money):
        raise ValidationError(field, "a Money amount", value)
    if value.amount < 0:
        raise ValidationError(field, "an amount of zero or more", value)
    if not value.is_rounded():
        raise ValidationError(field, f"whole {value.currency} minor units", value)
    if currency is not None and value.currency != currency:
        raise ValidationError(field, f"an amount in {currency}", value)
    return value


def _rate(value: object) -> Fraction:
    if isinstance(value, float):
        raise FloatNotAllowedError("PayoffDebt.monthly_rate", value)
    if isinstance(value, bool) or not isinstance(value, Fraction | Decimal | int | str):
        raise ValidationError("PayoffDebt.monthly_rate", "a Fraction, Decimal or str", value)
    rate = Fraction(value)
    if rate < 0:
        raise ValidationError("PayoffDebt.monthly_rate", "a rate of zero or more", value)
    return rate


def _payments(value: object) -> tuple[Money, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValidationError("PayoffDebt.scheduled", "a list of Money amounts", value)
    return tuple(_money(f"PayoffDebt.scheduled[{i}]", v) for i, v in enumerate(value))


@attrs.frozen(kw_only=True)
class PayoffDebt:
    """One debt as the payoff planner sees it: a balance and how it grows, or a fixed plan.

    :param name: the creditor's name, unique within a plan.
    :param balance: owed at the start. For a negotiated plan, the principal its
        payments repay (the payments less the plan's interest and fees).
    :param monthly_rate: interest a month on the balance, exact (zero for a plan).
    :param minimum: the contract's minimum payment a month (zero: none).
    :param monthly_fee: a fee charged each month the debt is open (an account fee).
    :param scheduled: for a negotiated plan, the fixed payment of each month, month 1
        first (months without a payment are zero); empty for a contract debt.
    :param scheduled_interest: the plan's interest, month by month (as ``scheduled``).
    :param scheduled_fees: the plan's fees, month by month (upfront fees in month 1).
    :param waived: what the lender forgives under the negotiated plan.
    :param label: what the terms are, e.g. the negotiated option's name.
    """

    name: str = attrs.field()
    balance: Money = attrs.field()
    monthly_rate: Fraction = attrs.field(default=Fraction(0), converter=_rate)
    minimum: Money | None = None
    monthly_fee: Money | None = None
    scheduled: tuple[Money, ...] = attrs.field(default=(), converter=_payments)
    scheduled_interest: tuple[Money, ...] = attrs.field(default=(), converter=_payments)
    scheduled_fees: tuple[Money, ...] = attrs.field(default=(), converter=_payments)
    waived: Money | None = None
    label: str = ""

    @name.validator
    def _check_name(self, _attribute: object, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError("PayoffDebt.name", "a non-empty text", value)

    @balance.validator
    def _check_balance(self, _attribute: object, value: object) -> None:
        _money("PayoffDebt.balance", value)

    def __attrs_post_init__(self) -> None:
        """Amounts share the balance's currency; a plan's three lists have one length."""
        currency = self.balance.currency
        for field in ("minimum", "monthly_fee", "waived"):
            value = getattr(self, field)
            if value is not None:
                _money(f"PayoffDebt.{field}", value, currency)
        for field in ("scheduled", "scheduled_interest", "scheduled_fees"):
            for i, value in enumerate(getattr(self, field)):
                _money(f"PayoffDebt.{field}[{i}]", value, currency)
        lengths = {len(self.scheduled), len(self.scheduled_interest), len(self.scheduled_fees)}
        if (self.scheduled_interest or self.scheduled_fees) and len(lengths) != 1:
            raise ValidationError(
                "PayoffDebt.scheduled_interest",
                f"one amount per scheduled month ({len(self.scheduled)})",
                len(self.scheduled_interest),
            )
        if self.scheduled and (self.monthly_rate or self.minimum or self.monthly_fee):
            raise ValidationError(
                "PayoffDebt.monthly_rate",
                "no rate, minimum or fee on a negotiated plan",
                self.monthly_rate,
            )
        if self.scheduled:
            cost = sum(
                (a.amount for a in self.scheduled_interest + self.scheduled_fees), Decimal(0)
            )
            repaid = sum((a.amount for a in self.scheduled), Decimal(0)) - cost
            if repaid != self.balance.amount:
                raise ValidationError(
                    "PayoffDebt.balance",
                    f"the plan's payments less its interest and fees ({repaid})",
                    self.balance,
                )

    @property
    def currency(self) -> str:
        """The debt's currency."""
        return self.balance.currency

    @property
    def negotiated(self) -> bool:
        """Whether the debt follows a negotiated plan's fixed payments."""
        return bool(self.scheduled)

    @classmethod
    def from_debt(
        cls,
        debt: Debt,
        *,
        on: dt.date,
        minimum: Money | None = None,
        monthly_fee: Money | None = None,
    ) -> PayoffDebt:
        """The debt on its contract terms from *on*: what is owed then, at the contract rate.

        The monthly rate is the contract rate's exact monthly equivalent
        (:meth:`~debtnegotiation.rates.InterestRate.monthly`), plus the penalty rate's
        while the debt is overdue, charged on the whole balance each month (payoff
        planners compound monthly, whatever the contract's day count).
        """
        rate = debt.contract_rate.monthly()
        if debt.days_overdue > 0 and debt.penalty_rate is not None:
            rate += debt.penalty_rate.monthly()
        return cls(
            name=debt.creditor.name,
            balance=debt.project(on).total,
            monthly_rate=rate,
            minimum=minimum,
            monthly_fee=monthly_fee,
            label="contract",
        )

    @classmethod
    def from_plan(cls, debt: Debt, plan: Plan, *, label: str = "") -> PayoffDebt:
        """The debt on a negotiated *plan*: its payments month by month from its start.

        Month 1 holds the cash due at the start and the installments due within the first
        month after it; installment *k* falls in the month of its due date, counted from
        the plan's start.
        """
        if plan.currency != debt.currency:
            raise ValidationError("plan", f"a plan in {debt.currency}", plan.currency)
        places = minor_units(plan.currency)
        upfront = [u for u in plan.upfront if not u.withheld]
        months = max([1, *(months_rounded_up(plan.start, i.due) for i in plan.installments)])
        paid, interest, fees = [0] * months, [0] * months, [0] * months
        for item in upfront:
            paid[0] += to_units(item.amount.amount, places)
        for item in plan.upfront:
            if item.kind is UpfrontKind.FEE:
                fees[0] += to_units(item.amount.amount, places)
        for inst in plan.installments:
            k = max(1, months_rounded_up(plan.start, inst.due)) - 1
            paid[k] += to_units(inst.total.amount, places)
            interest[k] += to_units(inst.interest.amount, places)
            fees[k] += to_units(inst.fee.amount, places)
        principal = sum(paid) - sum(interest) - sum(fees)

        def money(units: int) -> Money:
            return Money(from_units(units, places), plan.currency)

        return cls(
            name=debt.creditor.name,
            balance=money(principal),
            scheduled=[money(u) for u in paid],
            scheduled_interest=[money(u) for u in interest],
            scheduled_fees=[money(u) for u in fees],
            waived=plan.total_waived,
            label=label or plan.label,
        )


def _tuple_money(units: tuple[int, ...], places: int, currency: str) -> tuple[Money, ...]:
    return tuple(Money._trusted(from_units(u, places), currency) for u in units)


@attrs.frozen(kw_only=True)
class PayoffMonth:
    """One month of a payoff plan; tuples follow the order of the debts.

    Amounts are kept in whole minor units (``*_units``); the properties give Money.

    :param month: 1 for the first month.
    :param due: the payment date, *month* months after the start.
    """

    month: int
    due: dt.date
    currency: str
    places: int
    paid_units: tuple[int, ...]
    interest_units: tuple[int, ...]
    fee_units: tuple[int, ...]
    balance_units: tuple[int, ...]
    shortfall_units: int = 0
    unspent_units: int = 0

    @property
    def payments(self) -> tuple[Money, ...]:
        """What each debt is paid this month."""
        return _tuple_money(self.paid_units, self.places, self.currency)

    @property
    def interest(self) -> tuple[Money, ...]:
        """Interest charged on each debt this month."""
        return _tuple_money(self.interest_units, self.places, self.currency)

    @property
    def fees(self) -> tuple[Money, ...]:
        """Fees charged on each debt this month."""
        return _tuple_money(self.fee_units, self.places, self.currency)

    @property
    def balances(self) -> tuple[Money, ...]:
        """What each debt owes after this month's payment."""
        return _tuple_money(self.balance_units, self.places, self.currency)

    @property
    def paid(self) -> Money:
        """Everything paid this month (never more than the budget)."""
        return Money._trusted(from_units(sum(self.paid_units), self.places), self.currency)

    @property
    def shortfall(self) -> Money:
        """Fixed payments and minimums the budget could not cover this month."""
        return Money._trusted(from_units(self.shortfall_units, self.places), self.currency)

    @property
    def unspent(self) -> Money:
        """Budget left over this month (nothing more could be paid)."""
        return Money._trusted(from_units(self.unspent_units, self.places), self.currency)


@attrs.frozen(kw_only=True)
class PayoffResult:
    """A payoff plan: the schedule across the debts and what it adds up to.

    :param method: the method used.
    :param debts: the debts, in the order given.
    :param budget: the monthly amount for these debts.
    :param on: the start; month *k* is paid *k* months after it.
    :param months: the schedule, month 1 first.
    :param repaid: whether every debt is paid off.
    :param growing: names of the debts still open when the plan stopped because the
        budget could not pay them down (empty when ``repaid``).
    :param paid_off: for each debt, the month it was paid off (``None``: not paid off).
    """

    method: PayoffMethod
    debts: tuple[PayoffDebt, ...]
    budget: Money
    on: dt.date
    months: tuple[PayoffMonth, ...]
    repaid: bool
    growing: tuple[str, ...]
    paid_off: tuple[int | None, ...]

    @property
    def currency(self) -> str:
        """The plan's currency."""
        return self.budget.currency

    def _sum(self, attribute: str) -> Money:
        places = minor_units(self.currency)
        units = sum(sum(getattr(m, attribute)) for m in self.months)
        return Money._trusted(from_units(units, places), self.currency)

    @functools.cached_property
    def total_paid(self) -> Money:
        """Every payment of the plan."""
        return self._sum("paid_units")

    @functools.cached_property
    def total_interest(self) -> Money:
        """All interest charged (negotiated plans' interest included)."""
        return self._sum("interest_units")

    @functools.cached_property
    def total_fees(self) -> Money:
        """All fees charged (negotiated plans' fees included)."""
        return self._sum("fee_units")

    @functools.cached_property
    def total_shortfall(self) -> Money:
        """Fixed payments and minimums the budget could not cover, over the plan."""
        places = minor_units(self.currency)
        units = sum(m.shortfall_units for m in self.months)
        return Money._trusted(from_units(units, places), self.currency)

    @property
    def total_cost(self) -> Money:
        """Interest and fees, what the plan costs above the balances."""
        return self.total_interest + self.total_fees

    @property
    def months_to_repay(self) -> int | None:
        """Months until the last debt is paid off; ``None`` when not repaid."""
        return len(self.months) if self.repaid else None

    @property
    def debt_free(self) -> dt.date | None:
        """The date of the last payment; ``None`` when the debts are not repaid."""
        if not self.repaid:
            return None
        return self.months[-1].due if self.months else self.on

    @property
    def final_balances(self) -> tuple[Money, ...]:
        """What each debt owes when the plan ends."""
        if self.months:
            return self.months[-1].balances
        return tuple(d.balance for d in self.debts)


@attrs.frozen(kw_only=True)
class PayoffComparison:
    """The same debts and budget planned by several methods, side by side."""

    results: tuple[PayoffResult, ...]

    def result(self, method: PayoffMethod) -> PayoffResult:
        """The plan made with *method*."""
        for result in self.results:
            if result.method is method:
                return result
        raise ValidationError("method", "a method in this comparison", method.value)


# --- the engine ---------------------------------------------------------------------------


@attrs.define
class _Account:
    """Mutable state of one debt while the plan runs."""

    index: int
    balance: int
    numerator: int
    denominator: int
    minimum: int
    fee: int
    scheduled: tuple[int, ...]
    scheduled_interest: tuple[int, ...]
    scheduled_fees: tuple[int, ...]
    rate: Fraction


def _accounts(debts: Sequence[PayoffDebt], places: int) -> list[_Account]:
    accounts = []
    for i, debt in enumerate(debts):
        sched = tuple(to_units(m.amount, places) for m in debt.scheduled)
        accounts.append(
            _Account(
                index=i,
                balance=to_units(debt.balance.amount, places),
                numerator=debt.monthly_rate.numerator,
                denominator=debt.monthly_rate.denominator,
                minimum=to_units(debt.minimum.amount, places) if debt.minimum else 0,
                fee=to_units(debt.monthly_fee.amount, places) if debt.monthly_fee else 0,
                scheduled=sched,
                scheduled_interest=tuple(
                    to_units(m.amount, places) for m in debt.scheduled_interest
                )
                or (0,) * len(sched),
                scheduled_fees=tuple(to_units(m.amount, places) for m in debt.scheduled_fees)
                or (0,) * len(sched),
                rate=debt.monthly_rate,
            )
        )
    return accounts


def _pro_rata(extra: int, weights: Sequence[int]) -> list[int]:
    """Largest-remainder split of *extra* by *weights*: exact, ties to the earliest."""
    whole = sum(weights)
    shares = [extra * w // whole for w in weights]
    left = extra - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(extra * weights[i] % whole), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def _check_inputs(  # noqa: PLR0912 - one check per argument, each with its own message
    debts: object, budget: object, method: object, order: Sequence[str] | None
) -> tuple[int, ...]:
    if isinstance(budget, float):
        raise FloatNotAllowedError("budget", budget)
    if not isinstance(budget, Money):
        raise ValidationError("budget", "a Money amount", budget)
    if budget.amount < 0 or not budget.is_rounded():
        raise ValidationError("budget", "an amount of zero or more in whole minor units", budget)
    if not isinstance(method, PayoffMethod):
        raise ValidationError("method", "a PayoffMethod", method)
    if isinstance(debts, str) or not isinstance(debts, Sequence) or not debts:
        raise ValidationError("debts", "a non-empty list of PayoffDebt", debts)
    names: dict[str, int] = {}
    for i, debt in enumerate(debts):
        if not isinstance(debt, PayoffDebt):
            raise ValidationError(f"debts[{i}]", "a PayoffDebt", debt)
        if debt.currency != budget.currency:
            raise ValidationError(f"debts[{i}]", f"a debt in {budget.currency}", debt.currency)
        if debt.name.casefold() in names:
            raise ValidationError(f"debts[{i}].name", "a name no other debt uses", debt.name)
        names[debt.name.casefold()] = i
        if debt.negotiated and method is not PayoffMethod.NEGOTIATED:
            raise ValidationError(
                f"debts[{i}]",
                "contract terms (negotiated plans need method 'negotiated')",
                debt.label,
            )
    if method is not PayoffMethod.ORDER:
        if order is not None:
            raise ValidationError("order", "no order unless method is 'order'", order)
        return tuple(range(len(debts)))
    if order is None or isinstance(order, str):
        raise ValidationError("order", "the debts' names, in the order to pay them", order)
    ranks = []
    for name in order:
        if not isinstance(name, str) or name.casefold() not in names:
            raise ValidationError("order", f"names of the debts: {sorted(names)}", name)
        ranks.append(names[name.casefold()])
    if sorted(ranks) != list(range(len(debts))):
        raise ValidationError("order", "every debt named exactly once", list(order))
    return tuple(ranks)


def plan_payoff(  # noqa: PLR0912, PLR0915 - one month loop, kept in one place for speed
    debts: Sequence[PayoffDebt],
    budget: Money,
    *,
    method: PayoffMethod,
    on: dt.date,
    order: Sequence[str] | None = None,
    max_months: int = DEFAULT_MAX_MONTHS,
) -> PayoffResult:
    """Plan *debts* month by month with *budget* a month, the method deciding the order.

    :param debts: the debts (contract terms; negotiated plans with method ``negotiated``).
    :param budget: the monthly amount for these debts, in whole minor units.
    :param method: where the money after the fixed payments and minimums goes.
    :param on: the start; the first payment is one month later.
    :param order: for :attr:`PayoffMethod.ORDER`, every debt's name, first to pay first.
    :param max_months: the longest plan worked out.
    :raises ~debtnegotiation.errors.ValidationError: naming the argument at fault.
    """
    ranks = _check_inputs(debts, budget, method, order)
    if isinstance(max_months, bool) or not isinstance(max_months, int) or max_months < 1:
        raise ValidationError("max_months", "a whole number of months, 1 or more", max_months)
    currency = budget.currency
    places = minor_units(currency)
    accounts = _accounts(debts, places)
    contract = [a for a in accounts if not a.scheduled]
    scheduled = [a for a in accounts if a.scheduled]
    last_scheduled = max((len(a.scheduled) for a in scheduled), default=0)
    cash = to_units(budget.amount, places)
    count = len(accounts)
    paid_off: list[int | None] = [None] * count
    for a in accounts:
        if a.balance == 0 and not a.scheduled:
            paid_off[a.index] = 0
    months: list[PayoffMonth] = []
    previous_total = sum(a.balance for a in contract)
    stalled = 0
    if method is PayoffMethod.ORDER:
        position = {index: rank for rank, index in enumerate(ranks)}
        fixed_order = sorted(contract, key=lambda a: position[a.index])
    elif method is PayoffMethod.PRO_RATA:
        fixed_order = contract
    else:
        fixed_order = []
    repaid = False
    for month in range(1, max_months + 1):
        paid = [0] * count
        interest = [0] * count
        fees = [0] * count
        left = cash
        short = 0
        # Fixed payments of negotiated plans come first: a missed one can end the plan.
        for a in scheduled:
            k = month - 1
            if k < len(a.scheduled):
                due = a.scheduled[k]
                pay = min(due, left)
                short += due - pay
                left -= pay
                paid[a.index] = pay
                interest[a.index] = a.scheduled_interest[k]
                fees[a.index] = a.scheduled_fees[k]
                a.balance += a.scheduled_interest[k] + a.scheduled_fees[k] - pay
        open_accounts = []
        for a in contract:
            if a.balance > 0:
                # Half-up rounding of balance × rate, in integers.
                charge = (2 * a.balance * a.numerator + a.denominator) // (2 * a.denominator)
                interest[a.index] = charge
                fees[a.index] = a.fee
                a.balance += charge + a.fee
                open_accounts.append(a)
        if method is PayoffMethod.SNOWBALL:
            ranked = sorted(open_accounts, key=lambda a: (a.balance, -a.rate, a.index))
        elif method in {PayoffMethod.AVALANCHE, PayoffMethod.NEGOTIATED}:
            ranked = sorted(open_accounts, key=lambda a: (-a.rate, a.balance, a.index))
        else:
            ranked = [a for a in fixed_order if a.balance > 0]
        for a in ranked:
            due = min(a.minimum, a.balance)
            pay = min(due, left)
            short += due - pay
            left -= pay
            paid[a.index] += pay
            a.balance -= pay
        if left and ranked:
            if method is PayoffMethod.PRO_RATA:
                weights = [a.balance for a in ranked]
                shares = weights if left >= sum(weights) else _pro_rata(left, weights)
                for a, share in zip(ranked, shares, strict=True):
                    paid[a.index] += share
                    a.balance -= share
                    left -= share
            else:
                for a in ranked:
                    if not left:
                        break
                    pay = min(a.balance, left)
                    paid[a.index] += pay
                    a.balance -= pay
                    left -= pay
        for a in accounts:
            finished = not a.scheduled or month >= len(a.scheduled)
            if paid_off[a.index] is None and a.balance == 0 and finished:
                paid_off[a.index] = month
        months.append(
            PayoffMonth(
                month=month,
                due=add_months(on, month),
                currency=currency,
                places=places,
                paid_units=tuple(paid),
                interest_units=tuple(interest),
                fee_units=tuple(fees),
                balance_units=tuple(a.balance for a in accounts),
                shortfall_units=short,
                unspent_units=left,
            )
        )
        if all(p is not None for p in paid_off):
            repaid = True
            break
        total = sum(a.balance for a in contract)
        stalled = stalled + 1 if total >= previous_total and month >= last_scheduled else 0
        previous_total = total
        if stalled >= GROWTH_MONTHS:
            break
    growing = tuple(debts[i].name for i, p in enumerate(paid_off) if p is None)
    return PayoffResult(
        method=method,
        debts=tuple(debts),
        budget=budget,
        on=on,
        months=tuple(months),
        repaid=repaid,
        growing=growing,
        paid_off=tuple(paid_off),
    )


def compare_payoffs(
    debts: Sequence[PayoffDebt],
    budget: Money,
    *,
    on: dt.date,
    methods: Sequence[PayoffMethod] | None = None,
    order: Sequence[str] | None = None,
    negotiated: Mapping[str, PayoffDebt] | None = None,
    max_months: int = DEFAULT_MAX_MONTHS,
) -> PayoffComparison:
    """Plan the same *debts* and *budget* with each method, for a side-by-side comparison.

    :param debts: the debts on their contract terms.
    :param methods: the methods (default: avalanche, snowball, pro rata, then order when
        *order* is given, then negotiated when *negotiated* is given).
    :param order: the explicit order, for :attr:`PayoffMethod.ORDER`.
    :param negotiated: negotiated plans by debt name, replacing those debts' contract
        terms under :attr:`PayoffMethod.NEGOTIATED`.
    """
    chosen = (
        list(methods)
        if methods is not None
        else [
            PayoffMethod.AVALANCHE,
            PayoffMethod.SNOWBALL,
            PayoffMethod.PRO_RATA,
            *([PayoffMethod.ORDER] if order is not None else []),
            *([PayoffMethod.NEGOTIATED] if negotiated else []),
        ]
    )
    results = []
    swaps = {k.casefold(): v for k, v in (negotiated or {}).items()}
    for method in chosen:
        these = (
            [swaps.get(d.name.casefold(), d) for d in debts]
            if method is PayoffMethod.NEGOTIATED
            else list(debts)
        )
        results.append(
            plan_payoff(
                these,
                budget,
                method=method,
                on=on,
                order=order if method is PayoffMethod.ORDER else None,
                max_months=max_months,
            )
        )
    return PayoffComparison(results=tuple(results))
