"""Schedules held as integer columns, against a row-by-row reference (issue 11).

The rate builders keep a plan as integer columns and derive on first read what can be
derived: a level payment's principal parts, absent fees, monthly due dates (kept as their
rule), balances and totals. Their annuity loop checks its invariant twice instead of every
period, and they compute without entering the library's decimal context. Each test here
pins one of those against something computed another way:

* a reference that builds every row the way the builders did before (``Fraction``
  interest, every period checked, dates one by one from :func:`add_months` or
  :func:`due_dates`), in every rounding mode, at every frequency, with tiny principals
  that take the fallback paths and long terms that take the balloon search;
* the same plan rebuilt through the validated public constructors, before and after
  its installments are made, pickled, copied and evolved;
* the same calls under hostile decimal contexts, results and error messages alike.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import pickle
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debtnegotiation._exact import div_round
from debtnegotiation.errors import DebtNegotiationError, ValidationError
from debtnegotiation.money import Money, minor_units
from debtnegotiation.plan import Installment, Plan, UpfrontItem, UpfrontKind
from debtnegotiation.rates import DayCount, FlatMonthlyFee, InterestRate
from debtnegotiation.schedule_dates import Frequency, add_months, due_dates, monthly_dates
from debtnegotiation.schedules import equal_installment, equal_principal, flat_fee, interest_only

MANY = settings(max_examples=200, deadline=None)

ROUNDINGS = (
    decimal.ROUND_HALF_UP,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_DOWN,
    decimal.ROUND_UP,
    decimal.ROUND_FLOOR,
    decimal.ROUND_CEILING,
    decimal.ROUND_05UP,
)

#: The contexts of tests/test_decimal_context.py, plus exponents in lower case.
HOSTILE = (
    decimal.Context(prec=3),
    decimal.Context(prec=100),
    decimal.Context(rounding=decimal.ROUND_UP),
    decimal.Context(rounding=decimal.ROUND_FLOOR, capitals=0),
    decimal.Context(traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation]),
    decimal.Context(Emax=4, Emin=-4, traps=[decimal.Overflow]),
)

Row = tuple[dt.date, int, int, int, int]  # due, principal, interest, fee, balance after


# --- the reference: every row, every period checked -------------------------------------


def _interest(balance: int, r: Fraction, rounding: str) -> int:
    exact = balance * r
    return div_round(exact.numerator, exact.denominator, rounding)


def _level_rows(financed: int, r: Fraction, count: int, payment: int, rounding: str):
    """(principal, interest) rows for *payment*, or None if a part leaves [0, balance)."""
    rows = []
    balance = financed
    for _ in range(count - 1):
        interest = _interest(balance, r, rounding)
        part = payment - interest
        if not 0 <= part < balance:
            return None
        rows.append((part, interest))
        balance -= part
    rows.append((balance, _interest(balance, r, rounding)))
    return rows


def _balloon(rows, payment: int, count: int) -> bool:
    last = sum(rows[-1])
    return last > 2 * payment and last - payment > count


def _reference_level(financed: int, r: Fraction, count: int, rounding: str):
    """The level rows as equal_installment chose them, or the field of its error."""
    if r == 0:
        payment = div_round(financed, count, rounding)
    else:
        exact = financed * r / (1 - (1 + r) ** -count)
        payment = div_round(exact.numerator, exact.denominator, rounding)
    rows = _level_rows(financed, r, count, payment, rounding)
    if rows is None:
        rows = _level_rows(financed, r, count, payment - 1, rounding)
    if rows is None:
        return "principal"
    while _balloon(rows, payment, count) and payment < financed:
        higher = _level_rows(financed, r, count, payment + 1, rounding)
        if higher is None:
            break
        rows, payment = higher, payment + 1
    if _balloon(rows, payment, count):
        return "count"
    return rows


def _reference_dates(
    start: dt.date, first_due: dt.date | None, count: int, frequency: Frequency
) -> list[dt.date]:
    if frequency is Frequency.MONTHLY:
        anchor, skip = (start, 1) if first_due is None else (first_due, 0)
        return [add_months(anchor, skip + k) for k in range(count)]
    if first_due is None:
        return list(due_dates(start, count + 1, frequency)[1:])
    return list(due_dates(first_due, count, frequency))


def _with_balances(financed: int, dates: list[dt.date], parts) -> list[Row]:
    rows = []
    balance = financed
    for due, (principal, interest, fee) in zip(dates, parts, strict=True):
        balance -= principal
        rows.append((due, principal, interest, fee, balance))
    return rows


def _reference(builder: str, financed: int, r: Fraction, count: int, rounding: str):
    """The (principal, interest, fee) parts of *builder*, or the field of its error."""
    if builder == "equal_installment":
        level = _reference_level(financed, r, count, rounding)
        if isinstance(level, str):
            return level
        return [(p, i, 0) for p, i in level]
    if builder == "equal_principal":
        part = div_round(financed, count, rounding)
        if part * (count - 1) >= financed:
            part = financed // count
        parts = []
        balance = financed
        for k in range(count):
            this = balance if k == count - 1 else part
            parts.append((this, _interest(balance, r, rounding), 0))
            balance -= this
        return parts
    interest = _interest(financed, r, rounding)
    return [(0, interest, 0)] * (count - 1) + [(financed, interest, 0)]


def _rows_of(plan: Plan) -> list[Row]:
    places = minor_units(plan.currency)

    def units(money: Money) -> int:
        whole = money.amount.scaleb(places)
        assert whole == whole.to_integral_value()
        return int(whole)

    return [
        (
            i.due,
            units(i.principal),
            units(i.interest),
            units(i.fee),
            units(i.balance_after),
        )
        for i in plan.installments
    ]


# --- random loans ------------------------------------------------------------------------


@st.composite
def loans(draw: st.DrawFn) -> dict[str, object]:
    """Loans from a few minor units per installment (the fallback paths) upwards."""
    currency = draw(st.sampled_from(["JPY", "USD", "KWD"]))
    places = minor_units(currency)
    count = draw(st.integers(min_value=1, max_value=120))
    per_installment = draw(st.sampled_from([1, 2, 3, 10, 1000, 10**6]))
    units = draw(st.integers(min_value=count, max_value=count * per_installment + 5))
    paid = 0
    upfront: tuple[UpfrontItem, ...] = ()
    start = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)))
    if draw(st.booleans()) and units > count + 1:
        paid = draw(st.integers(min_value=1, max_value=units - count))
        upfront = (
            UpfrontItem(
                kind=UpfrontKind.PAYMENT, amount=Money(Decimal(paid).scaleb(-places), currency),
                on=start,
            ),
        )  # fmt: skip
    unit = draw(st.sampled_from(["annual", "monthly", "effective", "daily"]))
    bp = draw(st.integers(min_value=0, max_value=draw(st.sampled_from([50, 3600, 30000]))))
    value = Decimal(bp).scaleb(-4)
    rate = {
        "annual": lambda: InterestRate.annual(value),
        "monthly": lambda: InterestRate.per_month(value / 12),
        "effective": lambda: InterestRate.effective(value),
        "daily": lambda: InterestRate.daily(value / 365, DayCount.X365),
    }[unit]()
    first_due = None
    if draw(st.booleans()):
        first_due = start + dt.timedelta(days=draw(st.integers(min_value=0, max_value=45)))
    return {
        "principal": Money(Decimal(units).scaleb(-places), currency),
        "financed": units - paid,
        "count": count,
        "start": start,
        "first_due": first_due,
        "upfront": upfront,
        "rate": rate,
        "frequency": draw(st.sampled_from(list(Frequency))),
        "rounding": draw(st.sampled_from(ROUNDINGS)),
        "builder": draw(st.sampled_from(["equal_installment", "equal_principal", "interest_only"])),
    }


_BUILDERS: dict[str, Callable[..., Plan]] = {
    "equal_installment": equal_installment,
    "equal_principal": equal_principal,
    "interest_only": interest_only,
}


def _build(loan: dict[str, object]) -> Plan:
    return _BUILDERS[str(loan["builder"])](
        loan["principal"],
        loan["rate"],
        loan["count"],
        start=loan["start"],
        first_due=loan["first_due"],
        frequency=loan["frequency"],
        upfront=loan["upfront"],
        rounding=loan["rounding"],
    )


@MANY
@given(loan=loans())
def test_builders_match_the_row_by_row_reference(loan: dict[str, object]) -> None:
    frequency = loan["frequency"]
    assert isinstance(frequency, Frequency)
    rate = loan["rate"]
    assert isinstance(rate, InterestRate)
    r = rate.periodic(frequency.periods_per_year)
    count, financed = int(str(loan["count"])), int(str(loan["financed"]))
    expected = _reference(str(loan["builder"]), financed, r, count, str(loan["rounding"]))
    if isinstance(expected, str):  # the reference refuses, naming this field
        with pytest.raises(ValidationError) as refused:
            _build(loan)
        assert refused.value.field == expected
        return
    plan = _build(loan)
    dates = _reference_dates(loan["start"], loan["first_due"], count, frequency)  # type: ignore[arg-type]
    assert _rows_of(plan) == _with_balances(financed, dates, expected)


# --- derived columns: before and after the installments are made ------------------------


def _validated(plan: Plan) -> Plan:
    """The same plan through the public, validated constructors."""
    cur = plan.currency
    return Plan(
        principal=Money(str(plan.principal.amount), cur),
        start=plan.start,
        installments=[
            Installment(
                seq=i.seq,
                due=i.due,
                principal=Money(str(i.principal.amount), cur),
                interest=Money(str(i.interest.amount), cur),
                fee=Money(str(i.fee.amount), cur),
                balance_after=Money(str(i.balance_after.amount), cur),
            )
            for i in plan.installments
        ],
        upfront=plan.upfront,
        label=plan.label,
    )


_METRICS = (
    "total_paid",
    "total_interest",
    "total_fees",
    "cost_above_principal",
    "peak_installment",
    "cash_at_start",
    "typical_installment",
    "number_of_payments",
    "end",
    "months",
)


def _figures(plan: Plan) -> list[str]:
    figures = [repr(getattr(plan, name)) for name in _METRICS]
    figures.extend(f"{f.on} {f.amount}" for f in plan.cash_flows())
    return figures


def _fresh(loan: dict[str, object]) -> Plan | None:
    try:
        return _build(loan)
    except ValidationError:
        return None


@MANY
@given(loan=loans())
def test_metrics_of_the_columns_equal_those_of_the_made_installments(
    loan: dict[str, object],
) -> None:
    plan = _fresh(loan)
    if plan is None:
        return
    rows = plan._int_rows()
    assert rows is not None
    assert (rows._dates is None) is (loan["frequency"] is Frequency.MONTHLY)  # a rule
    # Immutable columns: a plugin handed the plan cannot change them in place.
    assert type(rows.interests) is tuple
    lazy = _figures(plan)  # from the columns: no Installment made yet
    assert {type(rows.principals), type(rows.fees), type(rows.totals)} == {tuple}
    assert "installments" not in vars(plan)
    reference = _validated(plan)
    assert lazy == _figures(reference)
    assert plan == reference
    assert repr(plan) == repr(reference)


@MANY
@given(loan=loans(), how=st.sampled_from(["pickle", "copy", "deepcopy", "evolve"]))
def test_a_plan_still_held_as_columns_copies_whole(loan: dict[str, object], how: str) -> None:
    plan = _fresh(loan)
    if plan is None:
        return
    copied = {
        "pickle": lambda: pickle.loads(pickle.dumps(plan)),  # noqa: S301 - our own plan
        "copy": lambda: copy.copy(plan),
        "deepcopy": lambda: copy.deepcopy(plan),
        "evolve": lambda: attrs.evolve(plan, label="copied"),
    }[how]()
    if how != "evolve":  # evolve reads the installments, the others copy the columns
        assert "installments" not in vars(copied)
        assert copied._int_rows() is not None
    expected = attrs.evolve(_validated(plan), label="copied") if how == "evolve" else plan
    assert copied == expected
    assert _figures(copied) == _figures(expected)
    assert copied.to_dict() == expected.to_dict()


@pytest.mark.parametrize("day", [1, 15, 28, 29, 30, 31])
@pytest.mark.parametrize("skip", [0, 1, 13])
def test_monthly_dates_are_add_months_one_by_one(day: int, skip: int) -> None:
    anchor = dt.date(2023, 1, day)
    assert list(monthly_dates(anchor, skip, 50)) == [
        add_months(anchor, skip + k) for k in range(50)
    ]


def test_an_installment_due_on_the_start_counts_in_the_cash_at_start() -> None:
    # first_due on the start: the first monthly date is the start itself, and a zero
    # installment (interest only at 0 %) still counts, as an amount in minor units.
    plan = interest_only(
        Money("100.00", "USD"), InterestRate.zero(), 3, start="2024-01-31", first_due="2024-01-31"
    )
    assert repr(plan.cash_at_start) == repr(_validated(plan).cash_at_start)
    assert str(plan.cash_at_start.amount) == "0.00"
    later = equal_installment(Money("100.00", "USD"), InterestRate.zero(), 3, start="2024-01-31")
    assert repr(later.cash_at_start) == repr(Money.zero("USD"))
    assert "installments" not in vars(later)
    assert later._int_rows()._dates is None  # type: ignore[union-attr] # answered by the rule


def test_a_flat_fee_plan_keeps_its_fee_column() -> None:
    plan = flat_fee(Money("12000.00", "CNY"), FlatMonthlyFee("0.006"), 12, start="2024-01-10")
    assert str(plan.total_fees.amount) == "864.00"
    assert _figures(plan) == _figures(_validated(plan))


# --- no decimal context needed ---------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(loan=loans())
def test_builders_give_the_same_plan_under_a_hostile_decimal_context(
    loan: dict[str, object],
) -> None:
    def outcome() -> object:
        try:
            plan = _build(loan)
        except DebtNegotiationError as error:
            return type(error), str(error)
        return plan.to_dict(), _figures(plan)

    expected = outcome()
    for context in HOSTILE:
        with decimal.localcontext(context):
            assert outcome() == expected


@pytest.mark.parametrize(
    "call",
    [
        # A principal too small for the term: its repr (with an exponent) is in the message.
        lambda: equal_installment(
            Money("1E+1", "JPY"), InterestRate.annual("0.1"), 12, start="2024-01-01"
        ),
        lambda: equal_principal(Money("0.005", "USD"), InterestRate.zero(), 1, start="2024-01-01"),
        # An upfront item in another currency: its amount's repr is in the message.
        lambda: interest_only(
            Money("1E+3", "USD"),
            InterestRate.zero(),
            3,
            start="2024-01-01",
            upfront=[
                UpfrontItem(kind=UpfrontKind.FEE, amount=Money("1E+1", "CNY"), on="2024-01-01")
            ],
        ),
        lambda: flat_fee(Money("-1E+2", "CNY"), FlatMonthlyFee("0.006"), 12, start="2024-01-01"),
    ],
)
def test_error_messages_do_not_depend_on_the_decimal_context(
    call: Callable[[], Plan],
) -> None:
    with pytest.raises(ValidationError) as expected:
        call()
    assert "E+" in str(expected.value) or "0.005" in str(expected.value)
    for context in HOSTILE:
        with decimal.localcontext(context), pytest.raises(ValidationError) as raised:
            call()
        assert str(raised.value) == str(expected.value)
