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

**The loan path.** One advance at time 0 followed only by payments (every plan) needs no
separate certificate pass: the terms' magnitudes then sum to ``2 a_0 - NPV``, so each NPV
the Newton iteration computes has a known error bound and a certain sign. The iteration
stops at a relative step of ``1e-11``, and one more NPV at the mirror image of the last
iterate must have the opposite sign, bracketing the root within ``1e-11 * (1 + |x|)``.
:mod:`debtnegotiation.apr` then rounds the root to ten significant digits as a ``Decimal``.
When the flows fall on every point of a regular grid from time 0 (a plan paying every
month), the NPV is a polynomial in ``(1 + i) ** -step`` and is evaluated by Horner's rule,
with no power per flow; its error bound (:func:`_horner_error_bound`) is the one the loan
path then uses.

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

import math
import operator
from collections.abc import Sequence
from typing import Final, cast

__all__ = ["SCAN_POINTS", "UNIT_ROUNDOFF", "Equation", "NoRootError", "SeveralRootsError", "solve"]

#: Grid points used to scan the search interval when the flows change sign more than once.
SCAN_POINTS: Final = 512

_NEWTON_ITERATIONS: Final = 60
_BRACKET_ITERATIONS: Final = 400
_STEP_TOLERANCE: Final = 1e-14
#: The relative step at which Newton first stops and asks for the certificate.
_FIRST_TOLERANCE: Final = 1e-10
#: Half-width (relative) of the bracket that certifies a loan's root in one extra NPV.
_LOAN_CERTIFICATE: Final = 1e-11
_CERTIFICATE: Final = 1e-12
#: 2**-53: the relative rounding error of one float operation.
UNIT_ROUNDOFF: Final = 2.0**-53
#: Rounding errors one NPV term may carry (a power, a product, a quotient, a sum).
_TERM_ULPS: Final = 8
#: How far beyond the error bound a plain sum must be for its sign to be trusted.
_SAFETY: Final = 4.0


#: Whether a flow is an inflow (``0.0 < a``), as a C-level function for ``map``.
_POSITIVE: Final = (0.0).__lt__


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

    __slots__ = (
        "_backward",
        "_changes",
        "amounts",
        "fractions",
        "loan",
        "loan_bound",
        "ordered",
        "simple_fraction",
        "step",
        "whole",
    )

    def __init__(
        self,
        amounts: Sequence[float],
        whole: Sequence[float],
        fractions: Sequence[float],
        *,
        simple_fraction: bool,
        ordered: bool = False,
        step: float | None = None,
    ) -> None:
        """Store the flows; the sequences must have equal lengths.

        :param ordered: the caller guarantees the times are non-decreasing (flows in date
            order), so counting sign changes needs no sort.
        :param step: compound form only: the caller guarantees ``whole[k] == k * step``
            for every ``k`` (a flow at every point of a regular grid from time 0). The NPV
            is then a polynomial in ``x = (1 + i) ** -step``, which :meth:`value_and_slope`
            evaluates by Horner's rule: no power per flow.
        """
        if step is not None and simple_fraction:
            raise ValueError("a Horner step needs the compound form")
        self.amounts = tuple(amounts)
        self.whole = tuple(whole)
        self.fractions = tuple(fractions)
        self.simple_fraction = simple_fraction
        self.ordered = ordered
        self.step = step
        amounts = self.amounts
        #: One advance first, then only payments, in time order: the loan of every plan.
        self.loan = ordered and len(amounts) > 1 and amounts[0] > 0.0 and max(amounts[1:]) < 0.0
        self._backward = self.amounts[::-1] if step is not None else ()
        #: How far from zero, relative to the terms' magnitudes, a loan-path NPV's sign is
        #: sure: the plain sum's bound, or Horner's (see :func:`_horner_error_bound`).
        self.loan_bound = (
            _error_bound(len(self.amounts))
            if step is None
            else _horner_error_bound(len(self.amounts))
        )
        self._changes: int | None = None

    def times(self) -> tuple[float, ...]:
        """Time of each flow in solving periods (``t + f``)."""
        if self.simple_fraction:
            return tuple(t + f for t, f in zip(self.whole, self.fractions, strict=True))
        return self.whole

    def value_and_slope(self, rate: float) -> tuple[float, float]:
        """Return ``NPV(rate)`` and ``NPV'(rate)``; either may overflow to inf or nan."""
        if self.step is not None:
            return self._horner(rate)
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

    def _grid_base(self, v: float) -> float:
        """``x = v ** -step``, the base of the grid's polynomial (nan if it overflows)."""
        step = cast("float", self.step)
        try:
            return 1.0 / v if step == 1.0 else v**-step
        except (OverflowError, ZeroDivisionError):
            return math.nan

    def _horner(self, rate: float) -> tuple[float, float]:
        """``NPV`` and its slope on a regular grid: ``P(x) = sum a_k x**k`` by Horner's rule.

        The derivative ``P'(x)`` comes from the same pass, and
        ``dx/di = -step * x / (1 + i)``.
        """
        v = 1.0 + rate
        x = self._grid_base(v)
        backward = iter(self._backward)
        value = next(backward)
        derivative = 0.0
        for a in backward:
            derivative = derivative * x + value
            value = value * x + a
        return value, -derivative * cast("float", self.step) * x / v

    def horner_value(self, rate: float) -> float:
        """``NPV(rate)`` on a regular grid by Horner's rule (see :meth:`_horner`)."""
        x = self._grid_base(1.0 + rate)
        value = 0.0
        for a in self._backward:
            value = value * x + a
        return value

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
        if math.isfinite(size) and abs(total) > _error_bound(len(self.amounts)) * size:
            return 1 if total > 0 else -1
        return self.sign(rate)

    def one_advance_first(self) -> bool:
        """Whether the flows are one advance at time 0, then only payments (compound form)."""
        return self.loan and not self.simple_fraction and self.whole[0] == 0.0

    def sign_changes(self) -> int:
        """Count sign changes of the flows in time order (zero flows skipped)."""
        if self._changes is not None:
            return self._changes
        if self.loan:
            return 1
        ordered: Sequence[float] = self.amounts
        if not self.ordered:
            times = self.times()
            if not all(map(operator.le, times, times[1:])):
                ordered = [
                    self.amounts[k] for k in sorted(range(len(times)), key=times.__getitem__)
                ]
        if 0.0 in ordered:
            ordered = [a for a in ordered if a]
        # True for an inflow; a change is a pair of neighbours that differ (C-level passes).
        inflows = list(map(_POSITIVE, ordered))
        changes: int = sum(map(operator.ne, inflows, inflows[1:]))
        self._changes = changes
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


def _error_bound(flows: int) -> float:
    """How far from zero, relative to the terms' magnitudes, a plain NPV sum's sign is sure.

    See :meth:`Equation.certain_sign`: :data:`_SAFETY` times ``(n + _TERM_ULPS) * 2**-53``.
    """
    return _SAFETY * (flows + _TERM_ULPS) * UNIT_ROUNDOFF


def _horner_error_bound(flows: int) -> float:
    """:func:`_error_bound` for an NPV evaluated by Horner's rule on a regular grid.

    With ``x`` computed to within two units of rounding, ``x**k`` carries ``2k`` of them;
    Horner's rule adds at most ``2k + 1`` to the ``k``-th term (Higham, *Accuracy and
    Stability of Numerical Algorithms*, 2nd ed., section 5.1), and the amount's conversion
    one more: at most ``4n`` per term for ``n`` flows, against ``n + _TERM_ULPS`` for a plain
    sum of powers. :data:`_SAFETY` times ``(4n + _TERM_ULPS) * 2**-53``.
    """
    return _SAFETY * (4 * flows + _TERM_ULPS) * UNIT_ROUNDOFF


def _certified(equation: Equation, root: float, low: float, high: float) -> bool:
    delta = _CERTIFICATE * (1.0 + abs(root))
    s_left = equation.certain_sign(max(root - delta, low))
    s_right = equation.certain_sign(min(root + delta, high))
    return s_left == 0 or s_right == 0 or s_left != s_right


def _newton(
    equation: Equation,
    start: float,
    low: float,
    high: float,
    tolerance: float = _STEP_TOLERANCE,
) -> float | None:
    """Plain Newton from *start* to a relative step of *tolerance*.

    None if it leaves (low, high) or stalls.
    """
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
        if abs(step) <= tolerance * (1.0 + abs(x)):
            return x
    return None


def _loan_root(equation: Equation, low: float, high: float) -> float | None:
    """Newton for one advance at time 0 then payments, certified without extra powers.

    For such flows the terms' magnitudes sum to ``2 a_0 - NPV`` (the advance's term is
    ``a_0`` exactly, every other term is negative), so each NPV the iteration computes
    carries its own error bound and hence a certain sign. The iteration stops at a
    relative step of :data:`_LOAN_CERTIFICATE`; one more NPV, at the mirror image of the
    last iterate across the new one, must then have the opposite certain sign: the root is
    bracketed within one step of the returned rate. None when anything falls short (the
    caller then takes the general way).
    """
    amounts = equation.amounts
    times = equation.whole
    advance = amounts[0]
    # The simple-interest guess from two sums: the advance's time is 0, so the payments
    # total a_0 - sum(a) at a mean time of -sum(a t) / that total.
    paid: float = advance - sum(amounts)
    weighted: float = sum(map(operator.mul, amounts, times))
    mean_time = -weighted / paid if paid > 0 else 0.0
    guess = (paid / advance - 1.0) / mean_time if mean_time > 0 else 0.0
    x = min(max(guess, low + 0.5 * (high - low) * 1e-6), 0.5 * high)
    try:
        for _ in range(_NEWTON_ITERATIONS):
            value, slope = equation.value_and_slope(x)
            if not _loan_sign_is_certain(equation, value):
                # At the root to within rounding already: the two-sided certificate.
                return x if math.isfinite(value) and _certified(equation, x, low, high) else None
            step = value / slope if slope and math.isfinite(slope) else math.nan
            root = x - step
            if not low < root < high:  # also when the step is nan
                return None
            if abs(step) <= _LOAN_CERTIFICATE * (1.0 + abs(root)):
                mirror = root - step
                if not low < mirror < high:
                    return None
                other = _plain_value(equation, mirror)
                certain = _loan_sign_is_certain(equation, other)
                return root if certain and (other > 0) != (value > 0) else None
            x = root
    except (OverflowError, ZeroDivisionError):
        return None
    return None


def _plain_value(equation: Equation, rate: float) -> float:
    """``NPV(rate)`` as a plain float sum, or by Horner's rule on a regular grid.

    The loan path's error bound (:attr:`Equation.loan_bound`) is the one of the method used.
    """
    if equation.step is not None:
        return equation.horner_value(rate)
    v = 1.0 + rate
    total = 0.0
    for a, tau in zip(equation.amounts, equation.whole, strict=True):
        total += a * v**-tau
    return total


def _loan_sign_is_certain(equation: Equation, value: float) -> bool:
    """Whether a loan-path NPV of one-advance flows is farther from zero than its error.

    The bound is :attr:`Equation.loan_bound` (a plain sum's, as in
    :meth:`Equation.certain_sign`, or Horner's), with the magnitudes' sum taken as
    ``2 a_0 + 2 |NPV|`` (at least ``2 a_0 - NPV`` plus the sum's own error).
    """
    return math.isfinite(value) and abs(value) > equation.loan_bound * (
        2.0 * equation.amounts[0] + 2.0 * abs(value)
    )


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
    if equation.one_advance_first():
        found = _loan_root(equation, low, high)
        if found is not None:
            return found
    start = min(max(equation.guess(), low + 0.5 * (high - low) * 1e-6), 0.5 * high)
    # Newton converges quadratically: after a relative step of 1e-10 the error is of the
    # order of its square, far inside the certificate, so no step is spent confirming it.
    root = _newton(equation, start, low, high, _FIRST_TOLERANCE)
    if root is not None and _certified(equation, root, low, high):
        return root
    if root is not None:
        # Linear convergence (a flat NPV) stops early: iterate to the full tolerance.
        root = _newton(equation, root, low, high)
        if root is not None and _certified(equation, root, low, high):
            return root
    if equation.sign(low) == equation.sign(high) != 0:
        raise NoRootError
    return _bracketed(equation, low, high)
