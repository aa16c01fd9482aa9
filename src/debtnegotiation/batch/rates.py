"""Vectorised annual rates of regular monthly plans, with a certified rounding check.

For many plans at once, each a series of cash flows one period apart (the first the
advance, negative seen from the lender… or any sign convention with one change), a
Newton iteration in float64 finds each periodic rate; the annual rate is that rate times
the periods per year (the simple annualisation of PBOC Announcement [2021] No. 3 for
monthly plans). A float is not a proof, so each answer is **certified** for the rounding
it is reported at: the net present value is evaluated at both ends of the rounding
interval around the reported figure, with a rigorous bound on float64's evaluation error
(Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., §5.1, Horner's
rule). When both signs are certain and opposite, the exact root lies strictly inside and
the reported figure is the exact rate rounded half up; otherwise the series is marked
uncertified and the caller falls back to the exact scalar solver
(:func:`~debtnegotiation.apr.annual_rate`).

The interval is shrunk by :data:`MARGIN` of a unit in the last place on each side: the
scalar solver reports a rate rounded to 10 significant digits before its percent is
rounded, so a root that close to a rounding boundary could round the other way there,
and is left to it. Series of whole months can also be annualised *effectively*,
``(1 + i)^12 - 1``, as EU Annex I does for plans whose flows are whole months apart.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["MARGIN", "RateCheck", "periodic_rates"]

_U = 2.0**-53  # the unit roundoff of float64

Floats = npt.NDArray[np.float64]

#: The share of a unit in the last reported place kept clear of each rounding boundary.
MARGIN = 1e-4


@attrs.frozen(kw_only=True, eq=False)
class RateCheck:
    """The rates of a batch of series.

    :param periodic: the periodic rate found for each series (NaN when Newton failed).
    :param annual_percent: the annual rate in percent, rounded half up to ``places``,
        as text (``"7.24"``); empty when not certified.
    :param certified: whether the rounded figure is proven to be the exact rate's.
    """

    periodic: Floats
    annual_percent: tuple[str, ...]
    certified: npt.NDArray[np.bool_]


def _discounts(flows: Floats, x: Floats) -> tuple[Floats, Floats]:
    """``v = 1 / (1 + x)`` and the matrix ``v ** t`` for t = 0, 1, ... (a running product)."""
    v: Floats = 1.0 / (1.0 + x)
    powers = np.empty_like(flows)
    powers[:, 0] = 1.0
    if flows.shape[1] > 1:
        powers[:, 1:] = v[:, None]
        np.cumprod(powers, axis=1, out=powers)
    return v, powers


def _newton_step(flows: Floats, x: Floats) -> Floats:
    """The Newton step ``npv / npv'`` at rates *x* (the certificate alone needs the bound)."""
    periods = flows.shape[1]
    v, powers = _discounts(flows, x)
    weighted = flows * powers
    npv = weighted.sum(axis=1)
    slope = -(weighted @ np.arange(periods, dtype=np.float64)) * v
    with np.errstate(divide="ignore", invalid="ignore"):
        step: Floats = np.where(slope != 0, npv / slope, 0.0)
    return step


def _start(values: Floats) -> Floats:
    """A first guess: the simple-interest rate ``(Σ a_t) / Σ t·a_t`` of a loan's flows.

    Close to the root for level payments (about 0.9 of it at 1 % a month over 36
    months), so Newton needs a few steps; clipped to a sane range, 1 % a month otherwise.
    """
    periods = values.shape[1]
    timed = values @ np.arange(periods, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        guess = values.sum(axis=1) / timed
    guess = np.where(np.isfinite(guess), guess, 0.01)
    result: Floats = np.clip(guess, 1e-6, 1.0)
    return result


def _npv(flows: Floats, x: Floats) -> tuple[Floats, Floats, Floats]:
    """Net present value, its derivative and the error bound of the first, at rates *x*."""
    periods = flows.shape[1]
    t = np.arange(periods, dtype=np.float64)
    v, powers = _discounts(flows, x)
    npv = (flows * powers).sum(axis=1)
    slope = -(flows * t[None, :] * powers).sum(axis=1) * v
    magnitude = (np.abs(flows) * powers).sum(axis=1)
    # Summation and powers (a running product): at most (2T + 4)·u relative to Σ|a_t|v^t,
    # doubled for margin;
    # the rate x itself carries u·|x|, moving the value by at most |slope|·u·|x|.
    bound = 2 * (2 * periods + 4) * _U * magnitude + np.abs(slope) * _U * np.abs(x) * 4
    return npv, slope, bound


def periodic_rates(
    flows: npt.NDArray[np.int64],
    *,
    periods_per_year: int = 12,
    places: int = 2,
    iterations: int = 60,
    effective: npt.NDArray[np.bool_] | None = None,
) -> RateCheck:
    """Rates of regular series: *flows* is one row per series, one column per period.

    Flows are integer minor units (both signs; the sign changes once, as for a loan:
    the advance, then the payments). Series padded with trailing zeros are fine.

    :param effective: per series, whether the annual rate is the effective
        ``(1 + i)^periods_per_year - 1`` rather than the simple ``i × periods_per_year``.
    """
    values = np.asarray(flows, dtype=np.float64)
    size = values.shape[0]
    x = _start(values)
    active = np.arange(size)
    for _ in range(iterations):
        if not len(active):
            break
        rows = values if len(active) == size else values[active]
        step = _newton_step(rows, x[active])
        moved = np.clip(x[active] - step, -0.99, 10.0)
        x[active] = moved
        # Only the series still moving are iterated again. Newton converges quadratically,
        # so a step of 1e-11 of the rate leaves an error near 1e-22: stop there, rather
        # than chase float64's noise (steps of ~1e-13 relative that never settle).
        active = active[np.abs(step) > 1e-11 * np.abs(moved) + 1e-18]
    compound = np.zeros(size, dtype=np.bool_) if effective is None else np.asarray(effective)
    w = float(periods_per_year)
    with np.errstate(invalid="ignore", over="ignore"):
        annual = np.where(compound, np.expm1(w * np.log1p(x)), w * x)
    # The figure rounded half up in float: a wrong neighbour near a boundary cannot pass
    # the certificate below, so float rounding here is safe.
    quantum = 100 * 10**places
    units = np.floor(annual * quantum + 0.5)

    def periodic(edge: Floats) -> Floats:
        # Back from an annual figure to the periodic rate; the margin dwarfs the
        # conversion's few ulps, so the interval stays inside the rounding interval.
        with np.errstate(invalid="ignore"):
            result: Floats = np.where(compound, np.expm1(np.log1p(edge) / w), edge / w)
        return result

    lows = periodic((units - 0.5 + MARGIN) / quantum)
    highs = periodic((units + 0.5 - MARGIN) / quantum)
    # Formatted once per distinct figure: a portfolio has few (0.00 most of all).
    distinct, where = np.unique(units, return_inverse=True)
    shown_once = [
        f"{u / 10**places:.{places}f}" if np.isfinite(u) else "" for u in distinct.tolist()
    ]
    texts = [shown_once[i] for i in where.ravel().tolist()]
    low_value, _, low_bound = _npv(values, lows)
    high_value, _, high_bound = _npv(values, highs)
    # One sign change (a loan): the value is monotone in the rate, so opposite certain
    # signs at the ends put the single root strictly inside the rounding interval.
    certified = (
        np.isfinite(lows)
        & (np.abs(low_value) > low_bound)
        & (np.abs(high_value) > high_bound)
        & (np.sign(low_value) != np.sign(high_value))
    )
    shown = tuple(t if ok else "" for t, ok in zip(texts, certified.tolist(), strict=True))
    return RateCheck(periodic=x, annual_percent=shown, certified=certified)
