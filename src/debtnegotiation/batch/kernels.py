"""Exact int64 kernels the batch strategies share: schedules, shares, dates, status quo, rates.

Each kernel reproduces, for many accounts at once, one step of the scalar path to the
minor unit, or says for which accounts it cannot (those then run through the scalar path):

* :func:`frozen_schedule`: :func:`~debtnegotiation.schedules.equal_installment` at a rate
  of zero;
* :func:`annuity`: the same at a running rate, its payment and rows in integers;
* :func:`share_half_up`: ``amount × fraction`` rounded half up (a fee, ``Money.rounded``);
* :func:`end_days`: the last due date of a monthly plan (``add_months``, clamped);
* :func:`costs_more`: the core review ``core.costs_more_than_status_quo``;
* :func:`annual_rates`: the annual rate each account's regime reports: certified, or
  else from the exact solver (:func:`~debtnegotiation.apr.annual_rate`) for that plan.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final

import numpy as np

from debtnegotiation.apr import Regime, annual_rate
from debtnegotiation.batch.block import AccountBlock, BoolArray, Int64Array
from debtnegotiation.batch.rates import periodic_rates
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.errors import NoUniqueRateError, ValidationError
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedule_dates import Frequency, due_dates

__all__ = [
    "annual_rates",
    "annuity",
    "costs_more",
    "end_days",
    "exact_rate",
    "frozen_schedule",
    "share_half_up",
]

#: Products of two integers below it, doubled and summed with a third, stay in int64.
_SAFE: Final = 2**61
#: Plans per call of the rate solver (its float matrices are a chunk × the longest term).
_CHUNK: Final = 2048
#: Regimes that annualise whole-month plans as ``12 × i`` (Reg Z unit periods, PBOC).
_SIMPLE: Final = frozenset({Regime.US_REG_Z.value, Regime.CN_PBOC.value})
#: Regimes that annualise whole-month plans as ``(1 + i)^12 - 1`` (EU Annex I).
_EFFECTIVE: Final = frozenset({Regime.EU_CCD.value})


def frozen_schedule(
    financed: Int64Array, count: Int64Array
) -> tuple[Int64Array, Int64Array, BoolArray]:
    """The level payment, the last installment and regularity of interest-free schedules.

    ``equal_installment`` at rate 0: the payment is ``financed ÷ count`` rounded half up,
    one unit less when it would repay the balance before the last installment. A schedule
    the builder would treat as a balloon (never at rate 0, checked as it checks) is
    marked irregular: the scalar path answers it.
    """
    payment = (2 * financed + count) // (2 * count)
    early = (count - 1) * payment >= financed
    payment = np.where(early, payment - 1, payment)
    last = financed - (count - 1) * payment
    regular = (last > 0) & (payment > 0) & ~((last > 2 * payment) & (last - payment > count))
    return payment, last, regular


def _split_product(value: Int64Array, num: Int64Array, den: Int64Array) -> Int64Array:
    """``value × num ÷ den`` rounded half up, for values ≥ 0, without leaving int64.

    With ``value = a·den + b`` the product is ``a·num + b·num ÷ den``; ``b·num`` is below
    ``den·num``, which the callers keep under :data:`_SAFE`.
    """
    a, b = np.divmod(value, den)
    result: Int64Array = a * num + (2 * b * num + den) // (2 * den)
    return result


def share_half_up(amount: Int64Array, fraction: Fraction) -> tuple[Int64Array, bool]:
    """``amount × fraction`` rounded half up to the unit, and whether int64 holds it exactly.

    For amounts ≥ 0 and a fraction ≥ 0 (``Money.rounded`` rounds half up by default).
    """
    num, den = fraction.numerator, fraction.denominator
    if num < 0 or den * max(num, 1) >= _SAFE or num >= 2**8 * den:
        return np.zeros_like(amount), False
    nums = np.full(len(amount), num, dtype=np.int64)
    dens = np.full(len(amount), den, dtype=np.int64)
    return _split_product(amount, nums, dens), True


def annuity(
    financed: Int64Array,
    count: Int64Array,
    payment: Int64Array,
    num: Int64Array,
    den: Int64Array,
) -> tuple[Int64Array, Int64Array, Int64Array, BoolArray]:
    """The rows of level-payment schedules at monthly rates ``num / den``, in int64.

    ``_annuity_rows`` of :mod:`debtnegotiation.schedules` for each series: interest on
    the rounded balance, rounded half up; the last installment takes the residue.
    Returns the last installment, the total interest, the interest due after the first
    12 installments, and whether every row repays part of the balance (``0 ≤ part <
    balance``; the builder rebuilds the others, which are left to the scalar path).
    """
    size = len(financed)
    balance = financed.copy()
    interest_total = np.zeros(size, dtype=np.int64)
    late = np.zeros(size, dtype=np.int64)
    ok = np.ones(size, dtype=np.bool_)
    steps = int(count.max()) if size else 0
    for k in range(1, steps):
        running = k < count
        interest = np.where(running, _split_product(balance, num, den), 0)
        part = payment - interest
        ok &= ~running | ((part >= 0) & (part < balance))
        balance = np.where(running, balance - part, balance)
        interest_total += interest
        if k > 12:
            late += interest
    interest = _split_product(balance, num, den)
    interest_total += interest
    late += np.where(count > 12, interest, 0)
    return balance + interest, interest_total, late, ok


_EPOCH: Final = np.datetime64("1970-01-01", "D")


def end_days(start: Int64Array, months: Int64Array) -> Int64Array:
    """``add_months(start, months)`` as days since 1970: the start's day, clamped."""
    dates = _EPOCH + start.astype("timedelta64[D]")
    month = dates.astype("datetime64[M]")
    offset = (dates - month.astype("datetime64[D]")).astype(np.int64)
    target = (month + months.astype("timedelta64[M]")).astype("datetime64[D]")
    after = (month + (months + 1).astype("timedelta64[M]")).astype("datetime64[D]")
    end = np.minimum(target + offset.astype("timedelta64[D]"), after - np.timedelta64(1, "D"))
    days: Int64Array = (end - _EPOCH).astype(np.int64)
    return days


@functools.lru_cache(maxsize=65536)
def _accrual(rate: InterestRate, days: int) -> Fraction:
    return rate.for_days(days)


def _accruals(
    rates: Sequence[InterestRate | None], rate: Int64Array, days: Int64Array
) -> tuple[Int64Array, Int64Array, BoolArray]:
    """``rate.for_days(days)`` as numerators and denominators, and where int64 holds them."""
    pairs = rate * 2**20 + days
    unique, inverse = np.unique(pairs, return_inverse=True)
    nums, dens, fine = [], [], []
    for pair in unique.tolist():
        found = rates[pair >> 20]
        assert found is not None  # noqa: S101 - vector rows have a rate
        f = _accrual(found, pair & (2**20 - 1))
        ok = f.numerator * f.denominator < _SAFE
        nums.append(f.numerator if ok else 0)
        dens.append(f.denominator if ok else 1)
        fine.append(ok)
    where = inverse.reshape(-1)
    return (
        np.asarray(nums, dtype=np.int64)[where],
        np.asarray(dens, dtype=np.int64)[where],
        np.asarray(fine, dtype=np.bool_)[where],
    )


def costs_more(
    block: AccountBlock, index: Int64Array, total: Int64Array, months: Int64Array
) -> BoolArray:
    """``core.costs_more_than_status_quo`` for plans of *months* months of accounts *index*.

    The status quo is what the debt would amount to at the plan's end (a vector row's
    debt has no penalty rate and does not compound): what is owed plus simple interest
    on the principal at the contract rate, rounded half up. A plan paying no more than is
    owed today never costs more; the others are checked in int64 where the product fits
    (``_split_product``), in Python integers otherwise.
    """
    result = np.zeros(len(index), dtype=np.bool_)
    above = np.flatnonzero(total > block.owed[index])
    if not len(above):
        return result
    accounts = index[above]
    start = block.start[accounts]
    days = end_days(start, months[above]) - start
    num, den, fine = _accruals(block.rates, block.rate_index[accounts], days)
    principal = block.principal[accounts]
    # The interest stays below 2**62: the principal (< 2**56) times a factor below 64.
    fine &= num < 64 * den
    interest = _split_product(principal, num, np.maximum(den, 1))
    status_quo = block.owed[accounts] + interest
    flags = total[above] > status_quo
    for i in np.flatnonzero(~fine).tolist():
        account = int(accounts[i])
        rate = block.rates[int(block.rate_index[account])]
        assert rate is not None  # noqa: S101 - vector rows have a rate
        f = _accrual(rate, int(days[i]))
        p = int(principal[i])
        quo = int(block.owed[account]) + (2 * p * f.numerator + f.denominator) // (
            2 * f.denominator
        )
        flags[i] = int(total[above][i]) > quo
    result[above] = flags
    return result


@functools.lru_cache(maxsize=4096)
def _due_days(start: int, count: int) -> tuple[dt.date, ...]:
    """The start date and *count* monthly due dates after it (``due_dates``, as plans do)."""
    return due_dates(dt.date.fromordinal(_ORDINAL + start), count + 1, Frequency.MONTHLY)


_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()


def exact_rate(flows: Sequence[int], places: int, start: int, regime: str) -> str | None:
    """The annual rate text of one plan from the exact solver, as the scalar path reports it.

    *flows* are the plan's monthly flows in minor units (the advance, then minus each
    installment, zeros after the end), *start* the case date in days since 1970. The
    flows are those of the plan's ``cash_flows()`` (netted on the start date), so
    :func:`~debtnegotiation.apr.annual_rate` gives the scalar path's figure: ``""`` when
    no unique rate exists, ``None`` when the solver refuses the flows (the scalar path
    then reports why).
    """
    dates = _due_days(start, len(flows) - 1)
    cash = [
        CashFlow(on, Decimal(units).scaleb(-places))
        for on, units in zip(dates, flows, strict=True)
        if units
    ]
    try:
        rate = annual_rate(cash, regime=Regime(regime))
    except NoUniqueRateError:
        return ""
    except ValidationError:
        return None
    return str(rate.rounded_percent(2))


def annual_rates(
    block: AccountBlock, index: Int64Array, flows: Sequence[Int64Array]
) -> tuple[tuple[str, ...], BoolArray]:
    """The annual rate in percent (2 places) of each plan, and whether it is exact.

    *flows* are the columns of the plans' regular monthly cash flows (the advance, then
    one per installment, zero-padded). Plans start on the case date and fall due on its
    day of the month, clamped to short months' ends (``add_months``), which every regime
    counts as whole months (``is_whole_months_apart``; Appendix J (b)(5)(ii)). So Reg Z
    (unit period a month) and the PBOC method report ``12 × i``, EU Annex I
    ``(1 + i)^12 - 1``, certified by :func:`~debtnegotiation.batch.rates.periodic_rates`.
    Another regime (XIRR counts days), or a rate the certificate does not prove (a root
    within a hair of a rounding boundary), is solved exactly, plan by plan, by
    :func:`exact_rate`; only a plan the exact solver refuses is not exact (the scalar
    path answers it). An empty text: no unique rate.
    """
    size = len(index)
    if not size:
        return (), np.zeros(0, dtype=np.bool_)
    names = np.asarray(block.regimes, dtype=object)[block.regime_index[index]]
    simple = np.isin(names, list(_SIMPLE))
    effective = np.isin(names, list(_EFFECTIVE))
    solved = np.zeros(size, dtype=np.bool_)
    shown: list[str] = []
    # In chunks, so the solver's float matrices stay small whatever the block's size.
    for low in range(0, size, _CHUNK):
        high = min(low + _CHUNK, size)
        matrix = np.stack([f[low:high] for f in flows], axis=1)
        check = periodic_rates(matrix, effective=effective[low:high])
        solved[low:high] = check.certified
        shown.extend(check.annual_percent)
    certified = solved & (simple | effective)
    texts = [t if ok else "" for t, ok in zip(shown, certified.tolist(), strict=True)]
    for i in np.flatnonzero(~certified).tolist():
        account = int(index[i])
        found = exact_rate(
            [int(f[i]) for f in flows],
            int(block.places[account]),
            int(block.start[account]),
            str(names[i]),
        )
        if found is not None:
            texts[i] = found
            certified[i] = True
    return tuple(texts), certified
