"""The term rule of ``choose_term`` for level-payment plans at a running rate, in int64.

For accounts without goals (a vector row states none), :func:`~debtnegotiation.toolkit.choose_term`
with a builder of equal installments at a monthly rate ``r > 0`` comes down to:

1. the headroom limit ``L`` (90 % of the budget): when the longest term's largest
   payment is within it, the shortest term from ``⌈balance ÷ L⌉`` whose largest payment
   is within it — or the longest, when it costs exactly as much;
2. else the same within the whole budget;
3. else the longest term, not fitting.

The level payment ``P·r / (1 − (1 + r)^−n)`` falls with the term, and so does its
rounding, so the first fitting term is the first whose payment is within the ceiling:
found on float estimates, then proven on exact payments (that term's within, the one
before it two units above, so even the builder's one-unit-lower retry could not fit).
Payments are exact: an estimate far from a half unit rounds as the exact value does,
and the others are computed in Python integers. The schedules of the chosen and the
longest terms are then built row by row (:func:`~debtnegotiation.batch.kernels.annuity`).
An account any step cannot settle exactly is marked not exact: the scalar path answers.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from fractions import Fraction
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from debtnegotiation.batch.block import BoolArray, Int64Array
from debtnegotiation.batch.kernels import annuity

__all__ = ["Schedules", "Search", "level_payments", "search_terms"]

#: Payments below it are resolved to the half unit by float estimates (ulp ≤ 2**-12).
_FLOAT_EXACT: Final = 2.0**40
#: How far from a half unit an estimate must be: far above its error (≤ 2**-11).
_TOLERANCE: Final = 1e-3
#: Balances converted to float exactly.
_BALANCE_EXACT: Final = 2**53
#: Terms tried after the first whose level payment fits, when its last installment does not.
_NEXT_TERMS: Final = 4


def _put(
    column: npt.NDArray[np.generic], where: Int64Array, values: npt.NDArray[np.generic]
) -> npt.NDArray[np.generic]:
    out = column.copy()
    out[where] = values
    return out


@functools.lru_cache(maxsize=65536)
def _factor(rate: Fraction, count: int) -> tuple[int, int]:
    """``(K, M)`` with the level payment ``balance × K ÷ M`` (``equal_installment``)."""
    num, den = rate.numerator, rate.denominator
    grown, base = (den + num) ** count, den**count
    return num * grown, den * (grown - base)


@functools.lru_cache(maxsize=65536)
def _estimate(rate: Fraction, count: int) -> float:
    k, m = _factor(rate, count)
    return float(Fraction(k, m))


@functools.lru_cache(maxsize=1024)
def _estimate_row(rate: Fraction, width: int) -> npt.NDArray[np.float64]:
    """``_estimate(rate, n)`` for n = 1 … *width*: one cache look-up (one hash of the rate)."""
    row = np.array([_estimate(rate, n) for n in range(1, width + 1)], dtype=np.float64)
    row.flags.writeable = False
    return row


def _estimates(rates: Sequence[Fraction], width: int) -> npt.NDArray[np.float64]:
    """The factor table: row r, column n - 1 is ``_estimate(rates[r], n)``."""
    # Widths rounded up to a multiple of 64, so a few cached rows serve every block.
    wide = -(-max(width, 1) // 64) * 64
    if not rates:
        return np.zeros((0, wide), dtype=np.float64)
    return np.stack([_estimate_row(r, wide) for r in rates])


def level_payments(
    financed: Int64Array, count: Int64Array, rate: Int64Array, rates: Sequence[Fraction]
) -> tuple[Int64Array, BoolArray]:
    """The level payments of ``equal_installment`` (half up), and which are exact.

    *rate* indexes *rates*, the monthly rates (each > 0).
    """
    width = int(count.max()) if len(count) else 1
    factors = _estimates(rates, width)[rate, count - 1] if len(count) else np.zeros(0)
    estimate = financed.astype(np.float64) * factors
    fraction = estimate - np.floor(estimate)
    clear = (np.abs(fraction - 0.5) > _TOLERANCE) & (estimate < _FLOAT_EXACT)
    payment = np.floor(estimate + 0.5).astype(np.int64)
    exact = financed < _BALANCE_EXACT
    for i in np.flatnonzero(~clear & exact).tolist():
        k, m = _factor(rates[int(rate[i])], int(count[i]))
        payment[i] = (2 * int(financed[i]) * k + m) // (2 * m)
    return payment, exact


class Schedules(NamedTuple):
    """Level-payment schedules, one per account, in minor units."""

    term: Int64Array
    payment: Int64Array
    last: Int64Array
    total: Int64Array
    peak: Int64Array
    late_interest: Int64Array
    exact: BoolArray


def schedules(  # noqa: PLR0917 - private helper, called positionally here
    financed: Int64Array,
    count: Int64Array,
    rate: Int64Array,
    rates: Sequence[Fraction],
    num: Int64Array,
    den: Int64Array,
    spread: Int64Array,
) -> Schedules:
    """The schedules of *count* installments; ``exact`` false where the builder would retry.

    The builder retries a payment one unit lower when a row would not repay part of the
    balance (done here too), and one unit higher for a balloon last installment: those
    are left alone.
    *spread* is a fee split over the installments (``Money.allocate``: the leftover units
    to the first ones), in the peak and the total; ``payment`` and ``last`` exclude it.
    """
    level, exact = level_payments(financed, count, rate, rates)
    last, interest, late, rows_ok = annuity(financed, count, level, num, den)
    payment = level
    retry = np.flatnonzero(~rows_ok)
    if len(retry):
        # The builder's retry: one unit less when a row would not repay part of the balance.
        lower = level[retry] - 1
        again = annuity(financed[retry], count[retry], lower, num[retry], den[retry])
        payment = level.copy()
        payment[retry] = lower
        last, interest, late, rows_ok = (last.copy(), interest.copy(), late.copy(), rows_ok.copy())
        last[retry], interest[retry], late[retry], rows_ok[retry] = again
    # The balloon test compares with the level payment before any retry, as the builder does.
    balloon = (last > 2 * level) & (last - level > count)
    first_part = -(-spread // count)
    peak = np.where(
        count > 1, np.maximum(payment + first_part, last + spread // count), last + spread
    )
    total = financed + interest + spread
    return Schedules(count, payment, last, total, peak, late, exact & rows_ok & ~balloon)


class Search(NamedTuple):
    """What the term rule chose, and the longest term's schedule."""

    chosen: Schedules
    longest: Schedules
    fits: BoolArray
    exact: BoolArray


def _first_fit(  # noqa: PLR0917 - private helper of search_terms
    financed: Int64Array,
    cap: Int64Array,
    ceiling: Int64Array,
    rate: Int64Array,
    rates: Sequence[Fraction],
    factors: npt.NDArray[np.float64],
    spread: Int64Array,
) -> tuple[Int64Array, BoolArray, BoolArray]:
    """The first term from ``⌈financed ÷ ceiling⌉`` whose first installment is within *ceiling*.

    The first installment is the level payment plus the first share of a *spread* fee;
    both fall with the term. A bisection on the estimates, then proven on exact payments;
    ``False`` where the proof fails (the scalar path decides). The third result marks
    the terms whose proof failed only because the term before pays one unit above the
    ceiling (the builder's one-unit-lower retry could then fit): the caller settles
    those on the exact schedule of the term before.
    """
    floor = np.minimum(np.maximum(1, -(-financed // np.maximum(ceiling, 1))), cap)
    balance = financed.astype(np.float64)
    low, high = floor.copy(), cap.copy()
    while True:
        open_ = low < high
        if not open_.any():
            break
        middle = (low + high) // 2
        bound = (ceiling - (-(-spread // middle))).astype(np.float64) + 0.5
        within = balance * factors[rate, middle - 1] < bound
        high = np.where(open_ & within, middle, high)
        low = np.where(open_ & ~within, middle + 1, low)
    first = low
    pay, exact = level_payments(financed, first, rate, rates)
    ok = exact & (pay + (-(-spread // first)) <= ceiling)
    before = np.maximum(first - 1, 1)
    pay_before, exact_before = level_payments(financed, before, rate, rates)
    pay_before += -(-spread // before)
    above = pay_before >= ceiling + 2
    proven = (first == floor) | (exact_before & above)
    # One unit above: the term before is settled by its schedule; every earlier term
    # must still pay two units above (payments fall with the term).
    close = np.flatnonzero(ok & ~proven & exact_before & (pay_before == ceiling + 1))
    prior = np.maximum(before[close] - 1, 1)
    pay_prior, exact_prior = level_payments(financed[close], prior, rate[close], rates)
    clear = (before[close] - 1 < floor[close]) | (
        exact_prior & (pay_prior + (-(-spread[close] // prior)) >= ceiling[close] + 2)
    )
    near = np.zeros(len(first), dtype=np.bool_)
    near[close[clear]] = True
    return first, ok & proven, near


def search_terms(  # noqa: PLR0917 - the rule's inputs, one call per strategy
    financed: Int64Array,
    cash: Int64Array,
    cap: Int64Array,
    limit: Int64Array,
    budget: Int64Array,
    rate: Int64Array,
    rates: Sequence[Fraction],
    spread: Int64Array | None = None,
) -> Search:
    """``choose_term`` for level-payment plans of *financed* at monthly ``rates[rate]``.

    *cash* is paid on the start date besides (an upfront fee), counted in the largest
    payment. *cap* is the policy's longest term, already capped at one unit an installment.
    *spread*: a fee split over the installments, if any.
    """
    spread = np.zeros(len(financed), dtype=np.int64) if spread is None else spread
    num = np.array([r.numerator for r in rates], dtype=np.int64)[rate]
    den = np.array([r.denominator for r in rates], dtype=np.int64)[rate]
    longest = schedules(financed, cap, rate, rates, num, den, spread)
    largest_cap = np.maximum(longest.peak, cash)
    width = int(cap.max()) if len(cap) else 1
    factors = _estimates(rates, width)
    headroom = (limit > 0) & (largest_cap <= limit)
    whole = ~headroom & (budget > 0) & (largest_cap <= budget)
    ceiling = np.where(headroom, limit, budget)
    first, ok, near = _first_fit(financed, cap, ceiling, rate, rates, factors, spread)
    settle = np.flatnonzero(near & (headroom | whole))
    if len(settle):
        # The term before fits only if its exact schedule does (the builder's retry).
        b = first[settle] - 1
        prior = schedules(
            financed[settle], b, rate[settle], rates, num[settle], den[settle], spread[settle]
        )
        ok[settle] = prior.exact & (prior.peak > ceiling[settle])
    searched = headroom | whole
    first = np.where(searched, first, cap)
    chosen = schedules(financed, first, rate, rates, num, den, spread)
    # The level payment fits but the last installment (the rounding residue) may not:
    # the rule moves on to the next term, as here for a few steps.
    for _ in range(_NEXT_TERMS):
        over = np.flatnonzero(
            searched & ok & (np.maximum(chosen.peak, cash) > ceiling) & (first < cap)
        )
        if not len(over):
            break
        first[over] += 1
        moved = schedules(
            financed[over], first[over], rate[over], rates, num[over], den[over], spread[over]
        )
        chosen = Schedules._make(_put(a, over, b) for a, b in zip(chosen, moved, strict=True))
    ok = ~searched | (ok & (np.maximum(chosen.peak, cash) <= ceiling))
    # At equal cost the longest term, with the lowest payment.
    same = searched & (first < cap) & (chosen.total == longest.total)
    pick = [np.where(same, b, a) for a, b in zip(chosen, longest, strict=True)]
    chosen = Schedules(*pick)
    exact = ok & chosen.exact & longest.exact
    return Search(chosen=chosen, longest=longest, fits=searched, exact=exact)
