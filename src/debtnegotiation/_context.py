"""The library's own decimal context, entered at every public computation.

``decimal`` arithmetic rounds to the *caller's* context: a notebook that sets
``getcontext().prec = 3`` or enables the ``Inexact`` trap would otherwise change present
values, reorder the ranking, flip ``AnnualRate.within_tolerance`` or make
``rounded_percent()`` raise. The public entry points are decorated with
:func:`in_library_context`, which runs them in :data:`LIBRARY_CONTEXT` and gives the
caller's context back afterwards, untouched. Inside, the few computations that need more
(exact sums, the 28-digit divisions) still name their own context (:mod:`._exact`).

The rate schedule builders (:mod:`debtnegotiation.schedules`) are the exception: they
compute in integers only and name their own context for every ``Decimal`` they make, so
they skip the switch (see that module), and are tested under hostile contexts.

Decimal contexts are per thread and per :mod:`contextvars` context, so a plugin hook run in
a worker thread starts from ``decimal.DefaultContext``; hooks are called from decorated
entry points, and the host gives each worker the library context too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Final, ParamSpec, TypeVar

__all__ = ["LIBRARY_CONTEXT", "in_library_context"]

#: The context of every public computation: the ``decimal`` defaults (28 significant
#: digits, half-even), the widest exponent range, upper-case exponents, and traps only for
#: real errors (an invalid operation, a division by zero, an overflow).
LIBRARY_CONTEXT: Final = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def in_library_context(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run *function* in :data:`LIBRARY_CONTEXT` (a fresh copy each call).

    A decorator for public entry points; it works on functions, methods and the getter
    of a property (put it under ``@property``).
    """

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(LIBRARY_CONTEXT):
            return function(*args, **kwargs)

    return run
