"""Schedule builders: annuity, equal principal, flat monthly fee, interest-only, custom.

Every builder works in whole minor units of the currency (Python ``int``):

* interest each period is ``balance × annual ÷ periods`` on the *rounded* balance,
  computed exactly (the periodic rate is an exact fraction, divided last) and rounded once,
  half-up unless told otherwise;
* the last installment absorbs whatever residue rounding left, so principal parts sum to
  the principal to the minor unit and the final balance is exactly zero;
* upfront payments reduce the balance the installments repay; upfront fees do not (a fee
  withheld at drawdown reduces the amount financed in
  :meth:`~debtnegotiation.plan.Plan.cash_flows`).

The inputs are validated here, at the public boundary, and every failure names the field.
The plan is then assembled without repeating those checks, from integer columns it turns
into ``Installment`` and ``Money`` objects only when they are read, which keeps a 24-month
schedule cheap (``benchmarks/bench_issue11.py``).

The four rate builders do not switch to the library's own decimal context (as the other
entry points do), a switch that costs as much as a sixth of a 24-month schedule: they
compute in ``int`` and :class:`~fractions.Fraction` only, and every ``Decimal`` they (or
the plan, later) make is made in an exact context of its own, so the caller's context
cannot change a result; their error messages format amounts in the library's context
(:class:`~debtnegotiation.errors.ValidationError`). ``tests/test_schedule_columns.py``
builds them under hostile contexts. :func:`custom` reads ``Money`` amounts with
``Decimal`` arithmetic and switches as usual.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from fractions import Fraction

from debtnegotiation._context import in_library_context
from debtnegotiation._exact import (
    EXACT,
    div_round,
    from_units,
    non_negative_rounder,
    to_units,
)
from debtnegotiation._validate import positive_int, to_date
from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.money import DEFAULT_ROUNDING, Money, check_rounding, minor_units
from debtnegotiation.plan import Installment, Plan, UpfrontItem, UpfrontKind, _Rows
from debtnegotiation.rates import FlatMonthlyFee, InterestRate
from debtnegotiation.schedule_dates import (
    Frequency,
    check_frequency,
    due_dates,
    months_fit_the_calendar,
)

__all__ = [
    "custom",
    "equal_installment",
    "equal_principal",
    "flat_fee",
    "interest_only",
]

#: The half-up rounder of a schedule in the default mode, inlined in the annuity loop.
_HALF_UP = non_negative_rounder(DEFAULT_ROUNDING)


def _check_money(field: str, value: object) -> Money:
    if isinstance(value, float):
        raise FloatNotAllowedError(field, value)
    if not isinstance(value, Money):
        raise ValidationError(field, "a Money amount", value)
    return value


def _check_rate(value: object) -> InterestRate:
    if not isinstance(value, InterestRate):
        raise ValidationError("rate", "an InterestRate such as InterestRate.annual('0.08')", value)
    return value


def _check_label(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError("label", "text", value)
    return value


class _Units:
    """Minor-unit arithmetic for one schedule (ints, so sums are exact and fast)."""

    __slots__ = (
        "currency",
        "div_non_negative",
        "financed",
        "places",
        "principal",
        "principal_money",
        "rounding",
        "upfront",
    )

    def __init__(
        self, principal: object, upfront: object, rounding: object, *, minimum: int
    ) -> None:
        money = _check_money("principal", principal)
        # The amount as an exact ratio (cheaper than Decimal arithmetic): its sign, and
        # whether it is a whole number of minor units (Money.is_rounded).
        numerator, denominator = money.amount.as_integer_ratio()
        if numerator <= 0:
            raise ValidationError("principal", "an amount greater than zero", money)
        currency = money.currency
        places = minor_units(currency)
        self.principal, rest = divmod(numerator * 10**places, denominator)
        if rest:
            raise ValidationError(
                "principal", f"an amount in whole {money.currency} minor units", money
            )
        if rounding is DEFAULT_ROUNDING:  # the default argument itself: known to be valid
            self.rounding: str = rounding
            self.div_non_negative = _HALF_UP
        else:
            self.rounding = check_rounding(rounding)
            #: div() for numerators of zero or more (balances, interest), fewer branches.
            self.div_non_negative = non_negative_rounder(self.rounding)
        self.currency = currency
        self.places = places
        self.principal_money = money
        if type(upfront) is tuple and not upfront:  # the default: nothing upfront
            self.upfront: tuple[UpfrontItem, ...] = ()
            paid = 0
        else:
            self.upfront = _check_upfront(upfront, currency)
            paid = sum(
                to_units(u.amount.amount, places)
                for u in self.upfront
                if u.kind is UpfrontKind.PAYMENT
            )
        #: The balance the installments repay: the principal less upfront payments.
        self.financed = self.principal - paid
        if self.financed < minimum:
            if paid:
                raise ValidationError(
                    "upfront",
                    f"upfront payments leaving at least {minimum} minor unit(s) of {money} "
                    "for the installments",
                    self.upfront,
                )
            raise ValidationError(
                "principal",
                f"at least {minimum} minor units, one for each installment",
                money,
            )

    def div(self, numerator: int, denominator: int) -> int:
        return div_round(numerator, denominator, self.rounding)

    def money(self, units: int) -> Money:
        return Money._trusted(from_units(units, self.places), self.currency)


def _check_upfront(value: object, currency: str) -> tuple[UpfrontItem, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ValidationError("upfront", "a list of UpfrontItem", value)
    for i, item in enumerate(value):
        if not isinstance(item, UpfrontItem) or item.amount.currency != currency:
            raise ValidationError(f"upfront[{i}]", f"an UpfrontItem in {currency}", item)
    return tuple(value)


#: Due dates: ``(dates, None)``, or ``(None, (anchor, skip))`` for monthly dates kept as
#: their rule (see :class:`~debtnegotiation.plan._Rows`).
_Dates = tuple[tuple[dt.date, ...] | None, tuple[dt.date, int] | None]


def _dates(
    start: dt.date, first_due: dt.date | str | None, count: int, frequency: Frequency
) -> _Dates:
    """Due dates: from *first_due* when given, else one period after *start*.

    Without an explicit first due date, the dates are anchored on the start: monthly dates
    keep the start's day of month, so a plan starting on Jan 31 falls due Feb 29, Mar 31,
    Apr 30 in 2024; semimonthly ones pair the start day with the day 15 days off it.

    Monthly dates are returned as their rule ``(anchor, skip)``, checked to end within
    the calendar: the plan makes them when they are first read.
    """
    if first_due is None:
        anchor, skip = start, 1
    else:
        anchor, skip = to_date("first_due", first_due), 0
        if anchor < start:
            raise ValidationError("first_due", f"a date on or after the start {start}", anchor)
    if frequency is _MONTHLY:
        if not months_fit_the_calendar(anchor, skip + count - 1):
            # The error due_dates raises for the same term.
            raise ValidationError(
                "count", f"a term whose due dates end by the year {dt.MAXYEAR}", count
            )
        return None, (anchor, skip)
    if skip == 0:
        return due_dates(anchor, count, frequency), None
    # The dates anchored on the start day, without the start itself.
    try:
        return due_dates(anchor, count + 1, frequency)[1:], None
    except ValidationError as error:
        if error.field != "count":
            raise
        # due_dates counted the start too; name the term the caller asked for.
        raise ValidationError("count", error.expected, count) from None


_MONTHLY = Frequency.MONTHLY


def _plan(  # noqa: PLR0917 - private helper, called positionally in this module only
    units: _Units,
    start: dt.date,
    label: str,
    dates: _Dates,
    interests: tuple[int, ...],
    principals: tuple[int, ...] | None,
    level: tuple[int, int] | None = None,
    fees: tuple[int, ...] | None = None,
) -> Plan:
    # The amounts are whole minor units of a currency validated above, so the plan is
    # built from the integer columns without checking them again; its Installment and
    # Money objects (and what _Rows derives) are made only if someone asks for them.
    listed, monthly = dates
    rows = _Rows(
        units.currency,
        units.places,
        units.financed,
        interests,
        principals,
        level,
        fees,
        listed,
        monthly,
    )
    return Plan._from_rows(units.principal_money, start, rows, units.upfront, label)


def _common(  # noqa: PLR0917 - private helper, called positionally in this module only
    principal: object,
    count: object,
    start: object,
    upfront: object,
    rounding: object,
    label: object,
    *,
    amortizing: bool = True,
) -> tuple[_Units, int, dt.date, str]:
    n = positive_int("count", count)
    begin = to_date("start", start)
    # An amortizing schedule needs at least one minor unit of principal per installment:
    # otherwise some installments would be empty (0.05 CNY in 12 installments).
    units = _Units(principal, upfront, rounding, minimum=n if amortizing else 1)
    return units, n, begin, _check_label(label)


def _equal_parts(units: _Units, count: int) -> int:
    """``P ÷ n`` rounded; rounded down instead if rounding up would leave nothing last.

    With half-up rounding, 15 units in 10 parts would be 2 each and run out after 7½
    parts; the floor (1 each, the last 6) keeps every part positive. Since ``P ≥ n``,
    ``⌊P ÷ n⌋ × (n − 1) < P``, so the last part is positive too.
    """
    part = units.div(units.financed, count)
    if part * (count - 1) >= units.financed:
        part = units.financed // count
    return part


def _annuity_rows(units: _Units, num: int, den: int, count: int, payment: int) -> _Level | None:
    """The interest column and the last principal for a level *payment*, or ``None``.

    ``None`` when the payment would repay the whole balance before the last installment
    (leaving an empty last one), or fall below a period's interest (possible only for a
    payment rounded down): some principal part outside ``0 ≤ part < balance``. Every
    principal part but the last is the payment less the interest.

    Checked twice, not every period: the rate is zero or more and every rounding mode is
    monotone, so while the parts are zero or more the balance never rises, nor does the
    interest, and the parts never fall. The first part being zero or more makes them
    all so; the balance then only falls, and a part reaches the balance before the last
    installment exactly when the balance left for it is zero or less.
    """
    balance = units.financed
    rounded = units.div_non_negative
    if count > 1 and rounded(balance * num, den) > payment:
        return None  # the first part would be negative
    interests: list[int] = []
    append = interests.append  # locals: fewer lookups per period in this hot loop
    if rounded is _HALF_UP and num:
        # The default mode, inlined: ⌊(2n + d) ÷ 2d⌋ is n ÷ d rounded half up. The loop
        # carries y = 2·num·balance + den, whose floor quotient by 2·den is the interest.
        twice_num, twice_den = 2 * num, 2 * den
        scaled = balance * twice_num + den
        step = twice_num * payment
        for _ in range(count - 1):
            interest = scaled // twice_den
            scaled += twice_num * interest - step
            append(interest)
        balance = (scaled - den) // twice_num  # exact: scaled - den is a multiple
    else:
        for _ in range(count - 1):
            interest = rounded(balance * num, den)
            balance -= payment - interest
            append(interest)
    if balance <= 0:
        return None  # repaid before the last installment
    append(rounded(balance * num, den))
    return tuple(interests), balance  # columns are tuples: nobody changes them in place


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
    periodic rate and ``P`` the principal less upfront payments; each period's interest is
    on the rounded balance. If the rounded-up payment would repay the balance before the
    last installment (only for principals of a few minor units per installment), the
    payment is rounded down instead.

    The last installment differs from the others by the accumulated rounding. With
    ``e`` the payment's own rounding (``|e| ≤ ½`` unit, or below 1½ when rounded down)
    and each interest rounding at most ½, the difference is at most
    ``(½ + |e|) × ((1 + r)^n − 1) / r`` minor units: under 27 units for 24 months at 1 %
    a month, but it grows with the term and the rate (JPY at 3 % a month over 120 months
    can end several hundred yen away from the level payment). When the rounded payment
    would leave a last installment more than twice the level payment (a balloon: over
    long terms at high rates the exact payment needs sub-unit precision), one unit more
    is tried, and if no level payment lasts the term without a balloon a
    ``ValidationError`` on ``count`` says so.

    >>> plan = equal_installment(Money("1800.00", "USD"), InterestRate.annual("0.0565"), 12,
    ...                          start="2024-01-15")
    >>> plan.installments[0].interest.amount, plan.installments[0].total.amount
    (Decimal('8.48'), Decimal('154.63'))
    """
    units, n, begin, name = _common(principal, count, start, upfront, rounding, label)
    checked = _check_rate(rate)
    num, den = _periodic_ratio(checked, check_frequency("frequency", frequency).periods_per_year)
    if num == 0:
        payment = units.div_non_negative(units.financed, n)
    else:
        # P·r·(1+r)^n / ((1+r)^n − 1) with r = num/den, in integers: one rounding only.
        factor, divisor = _annuity_factor(num, den, n)
        payment = units.div_non_negative(units.financed * factor, divisor)
    # The rounded payment never falls below a period's interest (both round the same way
    # and the balance only falls), but it may repay a tiny balance early; then one unit less.
    level = payment  # the payment of the rows
    rows = _annuity_rows(units, num, den, n, payment)
    if rows is None:
        level = payment - 1
        rows = _annuity_rows(units, num, den, n, level)
    if rows is None:
        raise ValidationError(
            "principal",
            f"an amount that {n} level installments can repay at this rate without "
            "running out early (a few minor units per installment is too little)",
            principal,
        )
    if _balloon(rows, payment, n):
        rows, level = _without_balloon(units, num, den, n, payment, rows, level)
    interests, last = rows
    dates = _dates(begin, first_due, n, frequency)
    return _plan(units, begin, name, dates, interests, None, (level, last))


@functools.lru_cache(maxsize=256)
def _periodic_ratio(rate: InterestRate, periods_per_year: int) -> tuple[int, int]:
    """The periodic rate as ``(numerator, denominator)``, cached like the rate itself."""
    return rate.periodic(periods_per_year).as_integer_ratio()


@functools.lru_cache(maxsize=1024)
def _annuity_factor(num: int, den: int, count: int) -> tuple[int, int]:
    """``(num·(den + num)^n, den·((den + num)^n − den^n))``: the payment per unit financed.

    Cached: strategies build schedules at the same rates and terms again and again, and
    the powers are the dearest part of the payment (``count`` multiplications of
    growing integers).
    """
    grown, base = (den + num) ** count, den**count
    return num * grown, den * (grown - base)


#: A level schedule: the interest column, and the principal of the last installment.
_Level = tuple[tuple[int, ...], int]


def _last_total(rows: _Level) -> int:
    interests, last = rows
    return last + interests[-1]


def _balloon(rows: _Level, payment: int, count: int) -> bool:
    """Say whether the last installment is a balloon.

    That is twice the level payment, and beyond what whole-unit granularity explains
    (7 JPY in 5 installments is 1, 1, 1, 1, 3: no balloon).
    """
    last = _last_total(rows)
    return last > 2 * payment and last - payment > count


def _without_balloon(  # noqa: PLR0917 - private helper of equal_installment
    units: _Units, num: int, den: int, count: int, payment: int, rows: _Level, level: int
) -> tuple[_Level, int]:
    """Refuse a "level" schedule whose last installment is a balloon.

    Over long terms at high rates the exact level payment can need sub-unit precision
    (1,000.00 at 2.5 % a month over 360 months needs 25.0000037): rounded, it repays
    nothing and the last installment carries the whole balance. A payment one unit
    higher is tried while it still lasts the term; if the last installment would still be
    more than twice the level payment (and more than one unit per installment above
    it), no level schedule in whole minor units exists and a ``ValidationError`` says so
    rather than hiding a balloon.

    *rows* are those of the payment *level* (*payment*, or one unit less); the rows
    chosen are returned with their payment.
    """
    best = rows
    while _balloon(best, payment, count) and payment < units.financed:
        higher = _annuity_rows(units, num, den, count, payment + 1)
        if higher is None:
            break
        best, payment = higher, payment + 1
        level = payment
    if _balloon(best, payment, count):
        shown, last = units.money(payment), units.money(_last_total(best))
        raise ValidationError(
            "count",
            f"a term over which level installments in whole {units.currency} minor units "
            f"can repay {units.principal_money} at this rate: the payment {shown} would "
            f"leave a last installment of {last} (a balloon); shorten the term, or use "
            "interest_only() for an explicit balloon",
            count,
        )
    return best, level


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

    Each principal part is ``P ÷ n`` rounded (down, if rounding up would overpay before
    the last part); the last takes the residue.

    >>> plan = equal_principal(Money("1000.00", "CNY"), InterestRate.annual("0.12"), 3,
    ...                        start="2024-01-31")
    >>> for i in plan.installments:
    ...     print(i.due, i.principal.amount, i.interest.amount, i.total.amount)
    2024-02-29 333.33 10.00 343.33
    2024-03-31 333.33 6.67 340.00
    2024-04-30 333.34 3.33 336.67
    """
    units, n, begin, name = _common(principal, count, start, upfront, rounding, label)
    r = _check_rate(rate).periodic(check_frequency("frequency", frequency).periods_per_year)
    num, den = r.numerator, r.denominator
    part = _equal_parts(units, n)
    principals = (part,) * (n - 1) + (units.financed - part * (n - 1),)
    rounded = units.div_non_negative
    # Interest on the balance before each installment.
    interests = tuple([rounded((units.financed - part * k) * num, den) for k in range(n)])
    return _plan(units, begin, name, _dates(begin, first_due, n, frequency), interests, principals)


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
    rate is nearly twice ``rate × 12`` (computed under PBOC Announcement [2021] No. 3;
    vector ``CN-ICBC-12x0.60``: 0.60 % × 12 is 13.03 % a year, not 7.2 %).

    >>> plan = flat_fee(Money("12000.00", "CNY"), FlatMonthlyFee("0.006"), 12,
    ...                 start="2024-01-10")
    >>> plan.installments[0].fee.amount, plan.total_fees.amount
    (Decimal('72.00'), Decimal('864.00'))
    """
    if not isinstance(fee, FlatMonthlyFee):
        raise ValidationError("fee", "a FlatMonthlyFee such as FlatMonthlyFee('0.006')", fee)
    units, n, begin, name = _common(principal, count, start, upfront, rounding, label)
    part = _equal_parts(units, n)
    rate = Fraction(fee.rate)
    monthly_fee = units.div(units.financed * rate.numerator, rate.denominator)
    principals = (part,) * (n - 1) + (units.financed - part * (n - 1),)
    dates = _dates(begin, first_due, n, Frequency.MONTHLY)
    return _plan(units, begin, name, dates, (0,) * n, principals, None, (monthly_fee,) * n)


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
    """Interest every period and the whole principal as a balloon with the last payment.

    >>> plan = interest_only(Money("5000.00", "USD"), InterestRate.annual("0.06"), 3,
    ...                      start="2024-01-15")
    >>> [str(i.total.amount) for i in plan.installments]
    ['25.00', '25.00', '5025.00']
    """
    units, n, begin, name = _common(
        principal, count, start, upfront, rounding, label, amortizing=False
    )
    r = _check_rate(rate).periodic(check_frequency("frequency", frequency).periods_per_year)
    interest = units.div(units.financed * r.numerator, r.denominator)
    principals = (0,) * (n - 1) + (units.financed,)
    dates = _dates(begin, first_due, n, frequency)
    return _plan(units, begin, name, dates, (interest,) * n, principals)


@in_library_context
def custom(
    principal: Money,
    rows: Sequence[tuple[dt.date | str, Money, Money, Money]],
    *,
    start: dt.date | str,
    upfront: Sequence[UpfrontItem] = (),
    label: str = "custom",
) -> Plan:
    """An explicit schedule of ``(due, principal, interest, fee)`` rows.

    The principal parts plus upfront payments must sum exactly to *principal*; a
    lender's counter-offer is usually entered this way. Errors name the row and column.

    >>> from debtnegotiation.money import Money as M
    >>> plan = custom(M("300.00", "USD"), [("2024-02-01", M("100.00", "USD"), M("2.00", "USD"),
    ...               M("0.00", "USD")), ("2024-03-01", M("200.00", "USD"), M("1.00", "USD"),
    ...               M("0.00", "USD"))], start="2024-01-01")
    >>> [str(i.balance_after.amount) for i in plan.installments]
    ['200.00', '0.00']
    """
    money = _check_money("principal", principal)
    if money.amount < 0 or not money.is_rounded():
        raise ValidationError(
            "principal", f"an amount of zero or more in whole {money.currency} minor units", money
        )
    begin = to_date("start", start)
    items = _check_upfront(upfront, money.currency)
    given: object = rows
    if isinstance(given, (str, bytes)) or not isinstance(given, Sequence):
        raise ValidationError("rows", "a list of (due, principal, interest, fee) rows", given)
    fast = _custom_rows(money, begin, items, given)
    if fast is not None:
        return Plan._from_rows(money, begin, fast, items, _check_label(label))
    balance = money.amount
    for item in items:
        if item.kind is UpfrontKind.PAYMENT:
            balance = EXACT.subtract(balance, item.amount.amount)
    installments = []
    for index, row in enumerate(given):
        due, parts = _custom_row(index, row, money.currency)
        balance = EXACT.subtract(balance, parts[0].amount)
        if balance < 0:
            raise ValidationError(
                f"rows[{index}].principal",
                f"principal parts plus upfront payments not above {money}",
                parts[0],
            )
        installments.append(  # fails, naming the installment's field
            Installment(
                seq=index + 1,
                due=due,
                principal=parts[0],
                interest=parts[1],
                fee=parts[2],
                balance_after=Money(balance, money.currency),
            )
        )
    if balance != 0:
        raise ValidationError(
            "rows",
            f"principal parts plus upfront payments summing to {money}",
            f"{EXACT.subtract(money.amount, balance)} {money.currency}",
        )
    return Plan(
        principal=money,
        start=begin,
        installments=installments,
        upfront=items,
        label=_check_label(label),
    )


_COLUMNS = ("principal", "interest", "fee")


def _custom_row(index: int, row: object, currency: str) -> tuple[dt.date, list[Money]]:
    """One ``(due, principal, interest, fee)`` row of :func:`custom`, checked but for signs."""
    if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or len(row) != 4:
        raise ValidationError(f"rows[{index}]", "(due, principal, interest, fee)", row)
    due = to_date(f"rows[{index}].due", row[0])
    parts = [
        _check_money(f"rows[{index}].{column}", value)
        for column, value in zip(_COLUMNS, row[1:], strict=True)
    ]
    for column, part in zip(_COLUMNS, parts, strict=True):
        if part.currency != currency:
            raise ValidationError(f"rows[{index}].{column}", f"an amount in {currency}", part)
    return due, parts


def _financed_units(money: Money, begin: dt.date, items: Sequence[UpfrontItem]) -> int | None:
    """The units the rows of :func:`custom` repay, or ``None`` to take the validated path."""
    step, places = money.quantum, money.minor_units
    if not money.amount.same_quantum(step):
        return None
    principal = to_units(money.amount, places)
    withheld = 0
    balance = principal
    for item in items:
        amount = item.amount.amount
        if not amount.same_quantum(step) or item.on < begin:
            return None
        if item.kind is UpfrontKind.PAYMENT:
            balance -= to_units(amount, places)
        elif item.withheld:
            withheld += to_units(amount, places)
    return None if withheld > principal else balance


def _custom_rows(
    money: Money, begin: dt.date, items: Sequence[UpfrontItem], given: Sequence[object]
) -> _Rows | None:
    """The rows of :func:`custom` as ints when every check passes, else ``None``.

    ``None`` also when an amount is written with another number of decimals than the
    currency's (``100`` for ``100.00 USD``): the validated path then keeps each amount as
    written. The caller's slow path raises the error naming the field.
    """
    step, places = money.quantum, money.minor_units
    balance = _financed_units(money, begin, items)
    if balance is None:
        return None
    financed = balance
    dates: list[dt.date] = []
    columns: tuple[list[int], list[int], list[int]] = ([], [], [])
    last = begin
    for index, row in enumerate(given):
        due, parts = _custom_row(index, row, money.currency)
        if due < last:
            return None
        last = due
        for part, column in zip(parts, columns, strict=True):
            amount = part.amount
            if not amount.same_quantum(step) or amount < 0:
                return None
            column.append(to_units(amount, places))
        balance -= columns[0][-1]
        if balance < 0:
            return None
        dates.append(due)
    if balance != 0:
        return None
    principals, interests, fees = map(tuple, columns)
    return _Rows(
        money.currency, places, financed, interests, principals, None, fees, tuple(dates), None
    )
