"""Root finding for annual-rate equations (private; used by :mod:`debtnegotiation.apr`).

The equation is the net present value of dated flows as a function of the rate per solving
period ``i``::

    compound:  NPV(i) = sum a_k * (1 + i) ** -tau_k
    simple:    NPV(i) = sum a_k / ((1 + f_k * i) * (1 + i) ** t_k)   (Reg Z, App. J (b)(8))

**Precision design.** The amounts arrive as exact ``Decimal`` values and are converted once
to binary floats (relative error at most 2**-53, about 1.1e-16). The hot loop is a float
Newton iteration: a 25-flow plan converges in four to six iterations. The root is then
*certified* rather than trusted: the NPV must change sign between ``x - delta`` and
``x + delta`` with ``delta = 1e-12 * (1 + |x|)``. Each sign is read from a plain float sum
when that sum is farther from zero than its rounding-error bound (the usual case, one pass
over the flows), else from an exactly rounded ``math.fsum`` of the terms. The rounding
error of a float NPV is about ``n * 2**-53 * sum|a_k|``, many orders of magnitude below
``|NPV'(x)| * delta`` for any cash flow a loan produces, so a certified sign change puts
the true root of the exact inputs within ``delta`` (well inside the 1e-10 the library
promises on the periodic rate). If Newton wanders or the certificate fails, a bracketed
Newton-bisection hybrid over the whole search interval takes over.
:mod:`debtnegotiation.apr` then rounds the root to ten significant digits as a ``Decimal``.

**Uniqueness.** With one sign change in the time-ordered flows, Descartes' rule of signs
(applied to ``v = 1 / (1 + i)``) allows at most one root with ``i > -1``; the same holds for
the Reg Z form, whose discount factor shares the monotonicity the argument needs. With
more sign changes the search interval is scanned on a grid of :data:`SCAN_POINTS` points,
uniform in ``log(1 + i)``, and every sign change is a root; two or more roots mean no
single rate exists. (Roots that touch zero without crossing it, or two roots closer than
the grid step, are not separated by a scan; they are not produced by loans with one
advance and later repayments.)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Final

__all__ = ["SCAN_POINTS", "Equation", "NoRootError", "SeveralRootsError", "solve"]

#: Grid points used to scan the search interval when the flows change sign more than once.
SCAN_POINTS: Final = 512

_NEWTON_ITERATIONS: Final = 60
_BRACKET_ITERATIONS: Final = 400
_STEP_TOLERANCE: Final = 1e-14
_CERTIFICATE: Final = 1e-12
#: 2**-53: the relative rounding error of one float operation.
_UNIT_ROUNDOFF: Final = 2.0**-53
#: Rounding errors one NPV term may carry (a power, a product, a quotient, a sum).
_TERM_ULPS: Final = 8
#: How far beyond the error bound a plain sum must be for its sign to be trusted.
_SAFETY: Final = 4.0


class NoRootError(Exception):
    """No rate in the search interval makes the NPV zero."""


class SeveralRootsError(Exception):
    """More than one rate in the search interval makes the NPV zero."""

    def __init__(self, roots: Sequence[float]) -> None:
        """Keep the approximate roots so the caller can show them."""
        self.roots = tuple(roots)
        super().__init__(f"{len(self.roots)} roots: {self.roots}")


class Equation:
    """The NPV of flows at given times, in float, with its derivative.

    :param amounts: the flows, already netted per date, as floats.
    :param whole: whole solving periods before each flow (``t_k``); with
        ``simple_fraction`` false these may be fractional (``tau_k``).
    :param fractions: odd fraction of a period (``f_k``) for the Reg Z form, else unused.
    :param simple_fraction: use ``(1 + f i)(1 + i)^t`` (Reg Z) instead of ``(1 + i)^tau``.
    """

    __slots__ = ("amounts", "fractions", "simple_fraction", "whole")

    def __init__(
        self,
        amounts: Sequence[float],
        whole: Sequence[float],
        fractions: Sequence[float],
        *,
        simple_fraction: bool,
    ) -> None:
        """Store the flows; the sequences must have equal lengths."""
        self.amounts = tuple(amounts)
        self.whole = tuple(whole)
        self.fractions = tuple(fractions)
        self.simple_fraction = simple_fraction

    def times(self) -> tuple[float, ...]:
        """Time of each flow in solving periods (``t + f``)."""
        if self.simple_fraction:
            return tuple(t + f for t, f in zip(self.whole, self.fractions, strict=True))
        return self.whole

    def value_and_slope(self, rate: float) -> tuple[float, float]:
        """Return ``NPV(rate)`` and ``NPV'(rate)``; either may overflow to inf or nan."""
        v = 1.0 + rate
        total = 0.0
        slope = 0.0
        try:
            if self.simple_fraction:
                for a, t, f in zip(self.amounts, self.whole, self.fractions, strict=True):
                    d = 1.0 + f * rate
                    term = a / (d * v**t)
                    total += term
                    slope -= term * (f / d + t / v)
            else:
                for a, tau in zip(self.amounts, self.whole, strict=True):
                    term = a * v**-tau
                    total += term
                    slope -= tau * term
                slope /= v
        except (OverflowError, ZeroDivisionError):
            return math.nan, math.nan
        return total, slope

    def value(self, rate: float) -> float:
        """Return ``NPV(rate)`` (may be inf or nan far from the root)."""
        v = 1.0 + rate
        try:
            if self.simple_fraction:
                return math.fsum(
                    a / ((1.0 + f * rate) * v**t)
                    for a, t, f in zip(self.amounts, self.whole, self.fractions, strict=True)
                )
            return math.fsum(a * v**-tau for a, tau in zip(self.amounts, self.whole, strict=True))
        except (OverflowError, ZeroDivisionError):
            return math.nan

    def sign(self, rate: float) -> int:
        """Return the sign of ``NPV(rate)`` without overflow, by scaling in log space."""
        plain = self.value(rate)
        if math.isfinite(plain) and abs(plain) < 1e300:
            return (plain > 0) - (plain < 0)
        log_v = math.log1p(rate)
        logs = []
        for k, a in enumerate(self.amounts):
            log_term = math.log(abs(a)) - self.whole[k] * log_v
            if self.simple_fraction:
                log_term -= math.log1p(self.fractions[k] * rate)
            logs.append(log_term)
        top = max(logs)
        scaled = math.fsum(
            math.copysign(math.exp(lt - top), a) for lt, a in zip(logs, self.amounts, strict=True)
        )
        return (scaled > 0) - (scaled < 0)

    def certain_sign(self, rate: float) -> int:
        """Return the sign of ``NPV(rate)``, by a plain sum when its error bound allows.

        Each term carries a few rounding errors (power, product, quotient: at most
        :data:`_TERM_ULPS` units in the last place together) and a plain sum of ``n`` terms
        adds at most ``(n - 1)`` more of the largest partial sum, so the float sum is
        within ``(n + _TERM_ULPS) * 2**-53 * sum |term|`` of the sum of the float terms.
        A sum farther from zero than :data:`_SAFETY` times that bound has a sure sign;
        nearer zero (or overflowing), :meth:`sign` decides with an exactly rounded sum.
        """
        v = 1.0 + rate
        total = 0.0
        size = 0.0
        try:
            if self.simple_fraction:
                for a, t, f in zip(self.amounts, self.whole, self.fractions, strict=True):
                    term = a / ((1.0 + f * rate) * v**t)
                    total += term
                    size += abs(term)
            else:
                for a, tau in zip(self.amounts, self.whole, strict=True):
                    term = a * v**-tau
                    total += term
                    size += abs(term)
        except (OverflowError, ZeroDivisionError):
            return self.sign(rate)
        bound = _SAFETY * (len(self.amounts) + _TERM_ULPS) * _UNIT_ROUNDOFF * size
        if math.isfinite(size) and abs(total) > bound:
            return 1 if total > 0 else -1
        return self.sign(rate)

    def sign_changes(self) -> int:
        """Count sign changes of the flows in time order (zero flows skipped)."""
        times = self.times()
        if all(earlier <= later for earlier, later in itertools.pairwise(times)):
            order: Sequence[int] = range(len(times))  # already in time order (the usual)
        else:
            order = sorted(range(len(self.amounts)), key=times.__getitem__)
        changes = 0
        previous = 0
        for k in order:
            s = (self.amounts[k] > 0) - (self.amounts[k] < 0)
            if s and previous and s != previous:
                changes += 1
            if s:
                previous = s
        return changes

    def guess(self) -> float:
        """A simple-interest first guess: extra money over the weighted mean time between."""
        times = self.times()
        pos = neg = pos_t = neg_t = 0.0
        for a, tau in zip(self.amounts, times, strict=True):
            if a > 0:
                pos += a
                pos_t += a * tau
            else:
                neg -= a
                neg_t -= a * tau
        if pos <= 0 or neg <= 0:
            return 0.0
        pos_t /= pos
        neg_t /= neg
        if neg_t > pos_t:
            return (neg / pos - 1.0) / (neg_t - pos_t)
        if pos_t > neg_t:
            return (pos / neg - 1.0) / (pos_t - neg_t)
        return 0.0


def _certified(equation: Equation, root: float, low: float, high: float) -> bool:
    delta = _CERTIFICATE * (1.0 + abs(root))
    left = max(root - delta, low)
    right = min(root + delta, high)
    s_left = equation.certain_sign(left)
    s_right = equation.certain_sign(right)
    return s_left == 0 or s_right == 0 or s_left != s_right


def _newton(equation: Equation, start: float, low: float, high: float) -> float | None:
    """Plain Newton from *start*; None if it leaves (low, high) or stalls."""
    x = start
    for _ in range(_NEWTON_ITERATIONS):
        value, slope = equation.value_and_slope(x)
        if value == 0.0:
            return x
        if not (math.isfinite(value) and math.isfinite(slope)) or slope == 0.0:
            return None
        step = value / slope
        x -= step
        if not low < x < high:
            return None
        if abs(step) <= _STEP_TOLERANCE * (1.0 + abs(x)):
            return x
    return None


def _bracketed(equation: Equation, low: float, high: float) -> float:
    """Newton-bisection hybrid on [low, high], where the NPV changes sign."""
    s_low = equation.sign(low)
    if s_low == 0:
        return low
    if equation.sign(high) == 0:
        return high
    x = 0.5 * (low + high)
    for _ in range(_BRACKET_ITERATIONS):
        value, slope = equation.value_and_slope(x)
        s = equation.sign(x) if not math.isfinite(value) else (value > 0) - (value < 0)
        if s == 0:
            return x
        if s == s_low:
            low = x
        else:
            high = x
        if high - low <= _STEP_TOLERANCE * (1.0 + abs(x)):
            return 0.5 * (low + high)
        candidate = x - value / slope if math.isfinite(slope) and slope != 0.0 else math.nan
        x = candidate if low < candidate < high else 0.5 * (low + high)
    return x


def _scan(equation: Equation, low: float, high: float) -> list[tuple[float, float]]:
    """Sub-intervals of [low, high] where the NPV changes sign (or hits zero)."""
    u_low = math.log1p(low)
    u_high = math.log1p(high)
    step = (u_high - u_low) / (SCAN_POINTS - 1)
    points = [math.expm1(u_low + k * step) for k in range(SCAN_POINTS)]
    points[0], points[-1] = low, high
    signs = [equation.sign(x) for x in points]
    brackets: list[tuple[float, float]] = []
    k = 0
    while k < SCAN_POINTS - 1:
        if signs[k] == 0:
            brackets.append((points[k], points[k]))
        elif signs[k + 1] != 0 and signs[k + 1] != signs[k]:
            brackets.append((points[k], points[k + 1]))
        k += 1
    if signs[-1] == 0:
        brackets.append((points[-1], points[-1]))
    return brackets


def solve(equation: Equation, low: float, high: float) -> float:
    """Return the unique root of *equation* in ``(low, high)``.

    :raises NoRootError: if the NPV does not change sign on the interval.
    :raises SeveralRootsError: if the flows change sign more than once and the scan
        finds more than one root.
    """
    if equation.sign_changes() > 1:
        brackets = _scan(equation, low, high)
        if not brackets:
            raise NoRootError
        if len(brackets) > 1:
            # Each root refined in its bracket, so the message is exact, not a grid midpoint.
            roots = [a if a == b else _bracketed(equation, a, b) for a, b in brackets]
            raise SeveralRootsError(roots)
        a, b = brackets[0]
        return a if a == b else _bracketed(equation, a, b)
    start = min(max(equation.guess(), low + 0.5 * (high - low) * 1e-6), 0.5 * high)
    root = _newton(equation, start, low, high)
    if root is not None and _certified(equation, root, low, high):
        return root
    if equation.sign(low) == equation.sign(high) != 0:
        raise NoRootError
    return _bracketed(equation, low, high)
