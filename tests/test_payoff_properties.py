"""The payoff planner against an independent exact re-implementation, on random debts.

The reference below is written from the rules in :mod:`debtnegotiation.payoff`'s
docstring, in :class:`fractions.Fraction` amounts of the currency (not minor units), with
its own rounding and its own ordering code, so a shared mistake is unlikely.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from debtnegotiation.money import Money
from debtnegotiation.payoff import GROWTH_MONTHS, PayoffDebt, PayoffMethod, plan_payoff

START = dt.date(2026, 1, 31)
CENT = Fraction(1, 100)


def _half_up_cents(value: Fraction) -> Fraction:
    """Round a non-negative amount to the cent, halves up, by a route of its own."""
    cents = value / CENT
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return whole * CENT


def _reference(  # noqa: PLR0912, PLR0915 - a plain transcription of the rules
    debts: list[tuple[Fraction, Fraction, Fraction]],
    budget: Fraction,
    method: str,
    max_months: int,
) -> tuple[list[list[Fraction]], list[list[Fraction]], list[Fraction], bool]:
    """(payments per month, interest per month, final balances, repaid)."""
    balances = [b for b, _r, _m in debts]
    rates = [r for _b, r, _m in debts]
    minimums = [m for _b, _r, m in debts]
    payments: list[list[Fraction]] = []
    interests: list[list[Fraction]] = []
    previous = sum(balances)
    stalled = 0
    for _month in range(max_months):
        charge = [Fraction(0)] * len(debts)
        for i, b in enumerate(balances):
            if b > 0:
                charge[i] = _half_up_cents(b * rates[i])
                balances[i] = b + charge[i]
        opened = [i for i, b in enumerate(balances) if b > 0]
        if method == "avalanche":
            opened.sort(key=lambda i: (-rates[i], balances[i], i))
        elif method == "snowball":
            opened.sort(key=lambda i: (balances[i], -rates[i], i))
        paid = [Fraction(0)] * len(debts)
        left = budget
        for i in opened:
            pay = min(minimums[i], balances[i], left)
            paid[i] += pay
            balances[i] -= pay
            left -= pay
        if method == "pro-rata":
            owed = sum(balances[i] for i in opened)
            if left >= owed:
                for i in opened:
                    paid[i] += balances[i]
                    left -= balances[i]
                    balances[i] = Fraction(0)
            elif owed > 0:
                cents = left / CENT
                exact = {i: cents * balances[i] / owed for i in opened}
                floors = {i: exact[i].numerator // exact[i].denominator for i in opened}
                rest = int(cents) - sum(floors.values())
                by_remainder = sorted(opened, key=lambda i: (-(exact[i] - floors[i]), i))
                for i in by_remainder[:rest]:
                    floors[i] += 1
                for i in opened:
                    share = floors[i] * CENT
                    paid[i] += share
                    balances[i] -= share
                    left -= share
        else:
            for i in opened:
                pay = min(balances[i], left)
                paid[i] += pay
                balances[i] -= pay
                left -= pay
        payments.append(paid)
        interests.append(charge)
        if all(b == 0 for b in balances):
            return payments, interests, balances, True
        total = sum(balances)
        stalled = stalled + 1 if total >= previous else 0
        previous = total
        if stalled >= GROWTH_MONTHS:
            break
    return payments, interests, balances, False


_cents = st.integers(min_value=0, max_value=5_000_000)
_debt = st.tuples(
    st.integers(min_value=1, max_value=3_000_000),  # balance in cents
    st.integers(min_value=0, max_value=400),  # monthly rate in basis points of a percent
    st.integers(min_value=0, max_value=50_000),  # minimum in cents
)


def _build(
    raw: list[tuple[int, int, int]],
) -> tuple[list[PayoffDebt], list[tuple[Fraction, Fraction, Fraction]]]:
    debts, plain = [], []
    for i, (balance, rate, minimum) in enumerate(raw):
        monthly = Fraction(rate, 10_000)
        debts.append(
            PayoffDebt(
                name=f"debt {i}",
                balance=Money(Decimal(balance) / 100, "USD"),
                monthly_rate=monthly,
                minimum=Money(Decimal(minimum) / 100, "USD"),
            )
        )
        plain.append((balance * CENT, monthly, minimum * CENT))
    return debts, plain


def _fraction(money: Money) -> Fraction:
    return Fraction(money.amount)


@settings(max_examples=60, deadline=None)
@given(
    raw=st.lists(_debt, min_size=1, max_size=20),
    budget=_cents,
    method=st.sampled_from(["avalanche", "snowball", "pro-rata"]),
)
def test_schedule_matches_the_exact_reference(
    raw: list[tuple[int, int, int]], budget: int, method: str
) -> None:
    debts, plain = _build(raw)
    result = plan_payoff(
        debts,
        Money(Decimal(budget) / 100, "USD"),
        method=PayoffMethod(method),
        on=START,
        max_months=120,
    )
    payments, interests, balances, repaid = _reference(plain, budget * CENT, method, 120)
    assert result.repaid is repaid
    assert len(result.months) == len(payments)
    for month, paid, charged in zip(result.months, payments, interests, strict=True):
        assert [_fraction(m) for m in month.payments] == paid
        assert [_fraction(m) for m in month.interest] == charged
    assert [_fraction(m) for m in result.final_balances] == balances
    if not repaid:
        assert result.growing
        assert result.debt_free is None


@settings(max_examples=60, deadline=None)
@given(
    raw=st.lists(_debt, min_size=1, max_size=20),
    budget=_cents,
    method=st.sampled_from(list(PayoffMethod)),
)
def test_budget_balances_and_totals(
    raw: list[tuple[int, int, int]], budget: int, method: PayoffMethod
) -> None:
    debts, _plain = _build(raw)
    limit = Money(Decimal(budget) / 100, "USD")
    order = [d.name for d in reversed(debts)] if method is PayoffMethod.ORDER else None
    result = plan_payoff(debts, limit, method=method, on=START, order=order, max_months=120)
    for month in result.months:
        assert month.paid <= limit
        assert all(b.amount >= 0 for b in month.balances)
        assert all(p.amount >= 0 for p in month.payments)
    opening = sum((_fraction(d.balance) for d in debts), Fraction(0))
    closing = sum((_fraction(b) for b in result.final_balances), Fraction(0))
    # Everything repaid is the principal plus the interest and fees, to the cent.
    assert _fraction(result.total_paid) == (
        opening + _fraction(result.total_interest) + _fraction(result.total_fees) - closing
    )


@settings(max_examples=80, deadline=None)
@given(raw=st.lists(_debt, min_size=1, max_size=20), budget=_cents)
def test_avalanche_never_pays_more_interest_than_snowball(
    raw: list[tuple[int, int, int]], budget: int
) -> None:
    debts, _plain = _build(raw)
    limit = Money(Decimal(budget) / 100, "USD")
    avalanche = plan_payoff(debts, limit, method=PayoffMethod.AVALANCHE, on=START)
    snowball = plan_payoff(debts, limit, method=PayoffMethod.SNOWBALL, on=START)
    if avalanche.repaid and snowball.repaid:
        assert avalanche.total_interest <= snowball.total_interest
