"""Schedule builders: annuity, equal principal, flat monthly fee, interest-only, custom.

Every builder works in whole minor units of the currency:

* interest each period is ``balance × annual ÷ periods`` on the *rounded* balance,
  computed exactly and rounded once (half-up unless told otherwise);
* the last installment absorbs whatever residue rounding left, so principal parts sum to
  the principal to the minor unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from debtnegotiation._exact import round_units
from debtnegotiation._validate import positive_int, to_date
from debtnegotiation.errors import ValidationError
from debtnegotiation.money import DEFAULT_ROUNDING, Money
from debtnegotiation.plan import Installment, Plan, UpfrontItem
from debtnegotiation.rates import FlatMonthlyFee, InterestRate
from debtnegotiation.schedule_dates import Frequency, add_months, due_dates

__all__ = [
    "custom",
    "equal_installment",
    "equal_principal",
    "flat_fee",
    "interest_only",
]


class _Units:
    """Minor-unit arithmetic for one currency (ints, so sums are exact and fast)."""

    def __init__(self, principal: Money, rounding: str) -> None:
        if principal.amount <= 0:
            raise ValidationError("principal", "an amount greater than zero", principal)
        if not principal.is_rounded():
            raise ValidationError(
                "principal", f"an amount in whole {principal.currency} minor units", principal
            )
        self.currency = principal.currency
        self.places = principal.minor_units
        self.rounding = rounding
        self.principal = int(principal.amount.scaleb(self.places))

    def round(self, value: Fraction) -> int:
        return round_units(value, 0, self.rounding)

    def money(self, units: int) -> Money:
        return Money(Decimal(units).scaleb(-self.places), self.currency)


def _dates(
    start: dt.date, first_due: dt.date | str | None, count: int, frequency: Frequency
) -> tuple[dt.date, ...]:
    """Due dates: from *first_due* when given, else one period after *start*.

    Without an explicit first due date, monthly dates keep the start's day of month, so a
    plan starting on Jan 31 falls due Feb 29, Mar 31, Apr 30 in 2024.
    """
    if first_due is not None:
        due = to_date("first_due", first_due)
        if due < start:
            raise ValidationError("first_due", f"a date on or after the start {start}", due)
        return due_dates(due, count, frequency)
    if frequency is Frequency.MONTHLY:
        return tuple(add_months(start, k) for k in range(1, count + 1))
    if frequency is Frequency.SEMIMONTHLY:
        return due_dates(start + dt.timedelta(days=15), count, frequency)
    step = dt.timedelta(days=7 if frequency is Frequency.WEEKLY else 14)
    return due_dates(start + step, count, frequency)


def _plan(  # noqa: PLR0917 - private helper, called positionally in this module only
    units: _Units,
    start: dt.date,
    dates: Sequence[dt.date],
    rows: Sequence[tuple[int, int, int]],
    upfront: Sequence[UpfrontItem],
    label: str,
) -> Plan:
    balance = units.principal
    installments = []
    for seq, (due, (principal, interest, fee)) in enumerate(zip(dates, rows, strict=True), 1):
        balance -= principal
        installments.append(
            Installment(
                seq=seq,
                due=due,
                principal=units.money(principal),
                interest=units.money(interest),
                fee=units.money(fee),
                balance_after=units.money(balance),
            )
        )
    return Plan(
        principal=units.money(units.principal),
        start=start,
        installments=installments,
        upfront=tuple(upfront),
        label=label,
    )


def _common(
    principal: Money, count: int, start: dt.date | str, rounding: str
) -> tuple[_Units, dt.date]:
    positive_int("count", count)
    return _Units(principal, rounding), to_date("start", start)


def equal_installment(
    principal: Money,
    rate: InterestRate,
    count: int,
    *,
    start: dt.date | str,
    first_due: dt.date | str | None = None,
    frequency: Frequency = Frequency.MONTHLY,
    upfront: Sequence[UpfrontItem] = (),
    rounding: str = DEFAULT_ROUNDING,
    label: str = "equal installment",
) -> Plan:
    """Equal total payments (annuity, 等额本息); the last one absorbs the rounding residue.

    The payment is ``P·r / (1 − (1 + r)^−n)`` rounded to the minor unit, with ``r`` the exact
    periodic rate; each period's interest is on the rounded balance.

    >>> plan = equal_installment(Money("1800.00", "USD"), InterestRate.annual("0.0565"), 12,
    ...                          start="2024-01-15")
    >>> plan.installments[0].interest.amount, plan.installments[0].total.amount
    (Decimal('8.48'), Decimal('154.63'))
    """
    units, begin = _common(principal, count, start, rounding)
    r = rate.periodic(frequency.periods_per_year)
    if r == 0:
        payment = units.round(Fraction(units.principal, count))
    else:
        growth = (1 + r) ** count
        payment = units.round(units.principal * r * growth / (growth - 1))
    rows = []
    balance = units.principal
    for k in range(count):
        interest = units.round(balance * r)
        part = balance if k == count - 1 else min(payment - interest, balance)
        if part < 0:
            raise ValidationError("rate", "a payment that covers each period's interest", rate)
        rows.append((part, interest, 0))
        balance -= part
    dates = _dates(begin, first_due, count, frequency)
    return _plan(units, begin, dates, rows, upfront, label)


def equal_principal(
    principal: Money,
    rate: InterestRate,
    count: int,
    *,
    start: dt.date | str,
    first_due: dt.date | str | None = None,
    frequency: Frequency = Frequency.MONTHLY,
    upfront: Sequence[UpfrontItem] = (),
    rounding: str = DEFAULT_ROUNDING,
    label: str = "equal principal",
) -> Plan:
    """Equal principal parts (等额本金) plus interest on the falling balance.

    Each principal part is ``P ÷ n`` rounded; the last takes the residue.
    """
    units, begin = _common(principal, count, start, rounding)
    r = rate.periodic(frequency.periods_per_year)
    part = units.round(Fraction(units.principal, count))
    rows = []
    balance = units.principal
    for k in range(count):
        this = balance if k == count - 1 else min(part, balance)
        rows.append((this, units.round(balance * r), 0))
        balance -= this
    dates = _dates(begin, first_due, count, frequency)
    return _plan(units, begin, dates, rows, upfront, label)


def flat_fee(
    principal: Money,
    fee: FlatMonthlyFee,
    count: int,
    *,
    start: dt.date | str,
    first_due: dt.date | str | None = None,
    upfront: Sequence[UpfrontItem] = (),
    rounding: str = DEFAULT_ROUNDING,
    label: str = "flat monthly fee",
) -> Plan:
    """Chinese card installments (分期): ``P ÷ n`` principal plus ``P × rate`` fee each month.

    The fee is on the *original* principal every month, which is why its true annual
    rate is nearly twice ``rate × 12`` (domain.md §1.11).
    """
    units, begin = _common(principal, count, start, rounding)
    part = units.round(Fraction(units.principal, count))
    monthly_fee = units.round(units.principal * Fraction(fee.rate))
    rows = []
    balance = units.principal
    for k in range(count):
        this = balance if k == count - 1 else min(part, balance)
        rows.append((this, 0, monthly_fee))
        balance -= this
    dates = _dates(begin, first_due, count, Frequency.MONTHLY)
    return _plan(units, begin, dates, rows, upfront, label)


def interest_only(
    principal: Money,
    rate: InterestRate,
    count: int,
    *,
    start: dt.date | str,
    first_due: dt.date | str | None = None,
    frequency: Frequency = Frequency.MONTHLY,
    upfront: Sequence[UpfrontItem] = (),
    rounding: str = DEFAULT_ROUNDING,
    label: str = "interest only",
) -> Plan:
    """Interest every period and the whole principal as a balloon with the last payment."""
    units, begin = _common(principal, count, start, rounding)
    interest = units.round(units.principal * rate.periodic(frequency.periods_per_year))
    rows = [(0, interest, 0)] * (count - 1) + [(units.principal, interest, 0)]
    dates = _dates(begin, first_due, count, frequency)
    return _plan(units, begin, dates, rows, upfront, label)


def custom(
    principal: Money,
    rows: Sequence[tuple[dt.date | str, Money, Money, Money]],
    *,
    start: dt.date | str,
    upfront: Sequence[UpfrontItem] = (),
    label: str = "custom",
) -> Plan:
    """An explicit schedule of ``(due, principal, interest, fee)`` rows.

    The principal parts (plus upfront payments) must sum exactly to *principal*; a
    lender's counter-offer is usually entered this way.
    """
    begin = to_date("start", start)
    installments = []
    balance = principal
    for seq, row in enumerate(rows, 1):
        if len(row) != 4:
            raise ValidationError(f"rows[{seq - 1}]", "(due, principal, interest, fee)", row)
        due, part, interest, fee = row
        balance = balance - part
        installments.append(
            Installment(
                seq=seq,
                due=due,
                principal=part,
                interest=interest,
                fee=fee,
                balance_after=abs(balance) if balance.amount == 0 else balance,
            )
        )
    return Plan(
        principal=principal,
        start=begin,
        installments=installments,
        upfront=tuple(upfront),
        label=label,
    )
