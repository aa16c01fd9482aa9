"""Benchmark of a full negotiation: one debt, five strategies, reviews and ranking.

Run from the repository root after ``pip install -e .``::

    python benchmarks/bench_case.py            # full run
    python benchmarks/bench_case.py --quick    # fewer rounds

It times ``Negotiation(case, regime=Regime.CN_PBOC, host=host).options()`` on the built-in
example's installment-platform debt, with a plugin host holding only the built-in plugins
(entry points off, so installed plugins do not change the figure). The plugin host is
built once, as an application would. Issue 4 sets a target of at most 1 ms median; the
script prints the median and the ratio to that target, and, as a peer measured in the same
run, the time of the same case's annual rates alone (the share the solver takes). It
asserts nothing.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import timeit
from collections.abc import Callable

from debtnegotiation import Case, Goals, Negotiation, Regime, WaiverKind, get_plugin_host
from debtnegotiation.apr import annual_rate
from debtnegotiation.example import EXAMPLE_DATE, example_borrower, example_debts, example_policies

TARGET_MS = 1.0


def measure(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Return (minimum, median) milliseconds per call over *repeat* rounds."""
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    rounds = [t / number * 1e3 for t in timer.repeat(repeat=repeat, number=number)]
    return min(rounds), statistics.median(rounds)


def main() -> int:
    """Time the full case and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 9")
    args = parser.parse_args()
    repeat = 3 if args.quick else 9

    host = get_plugin_host(load_entry_points=False, environ={})
    debt = example_debts()[0]
    case = Case(
        debt=debt,
        borrower=example_borrower(),
        policy=example_policies()[debt.creditor.name],
        goals=Goals(max_months=24, waive={WaiverKind.INTEREST, WaiverKind.PENALTY}),
        on=EXAMPLE_DATE,
    )

    def full_case() -> object:
        return Negotiation(case, regime=Regime.CN_PBOC, host=host).options()

    plans = [o.plan for o in full_case().ranked]  # type: ignore[attr-defined]

    def rates_only() -> object:
        return [annual_rate(plan, regime=Regime.CN_PBOC) for plan in plans]

    case_min, case_median = measure(full_case, repeat)
    _rate_min, rate_median = measure(rates_only, repeat)
    print(f"python {platform.python_version()} on {platform.machine()}, {repeat} rounds")
    print(
        f"full case (5 strategies, reviews, ranking): min {case_min:.3f} ms, "
        f"median {case_median:.3f} ms; {case_median / TARGET_MS:.1f} x the 1 ms target"
    )
    print(
        f"  of which the {len(plans)} ranked plans' annual rates alone: median "
        f"{rate_median:.3f} ms ({rate_median / case_median:.0%} of the case)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
