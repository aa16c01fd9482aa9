"""Issue 11's scalar-path targets, as medians of paired ratios against peers in the same run.

Run from the repository root after ``pip install -e ".[benchmarks]"``::

    python benchmarks/bench_issue11.py            # full run, about a minute
    python benchmarks/bench_issue11.py --quick    # fewer rounds

The machine this library is developed on is shared and noisy, so no figure is compared
with a figure from another run. Each *pair* times our case and its peer back to back (an
auto-ranged number of calls each, alternating which goes first); the ratio of the pair is
kept, and the **median of the ratios** over the rounds is reported with the spread
(lowest and highest ratio). Absolute medians are printed for orientation only.

(Within a round, many short alternating blocks are timed and the fastest block of each
side is kept; see :func:`paired`.)

Pairs and targets:

* ``Negotiation(case).options()`` and ``.ladder()`` of the built-in example's first debt
  against one 24-row ``amortization`` schedule: at most 40 (the 1 ms target).
* ``equal_installment`` 24 and 360 rows against ``amortization`` of the same loan: at most
  0.5.
* ``annual_rate`` of a 25-flow plan under every regime against a plain Python Newton
  iteration (XIRR form, days / 365) that takes the same ``CashFlow`` list, converts it to
  floats and iterates from 10 % to a step below 1e-12: at most 1.5.
* ``import debtnegotiation`` (a fresh interpreter, minus ``python -c pass``): at most
  60 ms; ``debtneg demo`` whole process: at most 150 ms. These are the CPU time (user +
  system) of a fresh process, the least of the runs; the peer is the bare interpreter
  of the same run.

All in-process times are CPU time of this process (:data:`CLOCK`), not wall time: on a
shared machine a call of 20 ms is descheduled many times, one of 50 µs rarely.

It asserts nothing about time: the figures are printed, never tested.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable, Sequence

from amortization.schedule import amortization_schedule

from debtnegotiation import (
    Case,
    CashFlow,
    Goals,
    Money,
    Negotiation,
    Regime,
    WaiverKind,
    get_plugin_host,
)
from debtnegotiation.apr import annual_rate
from debtnegotiation.example import EXAMPLE_DATE, example_borrower, example_debts, example_policies
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment

PRINCIPAL = "15000.00"
#: The clock: CPU time of this process, so that time spent descheduled on a loaded machine
#: (9 engineers on 2 cores) is not counted; wall time would bias against the longer case.
CLOCK = time.process_time
#: Alternating blocks per paired round, and the length of a block.
BLOCKS = 16
BLOCK_SECONDS = 0.003
ANNUAL = "0.08"


def _number(function: Callable[[], object], seconds: float) -> int:
    """Calls of *function* that take about *seconds*."""
    number, elapsed = timeit.Timer(function, timer=CLOCK).autorange()
    return max(1, round(number * seconds / max(elapsed, 1e-9)))


def paired(
    ours: Callable[[], object], peer: Callable[[], object], rounds: int
) -> tuple[float, float, float, float, float]:
    """Return (median ratio, lowest, highest, our time, peer's time) in seconds per call.

    A round alternates :data:`BLOCKS` short blocks of ours and the peer's (about
    :data:`BLOCK_SECONDS` each) and takes the ratio of the two *fastest* blocks: on a
    shared machine a block is either undisturbed or preempted, and the fastest of many
    short alternating blocks is the undisturbed time of each side, measured under the
    same load. The median of the rounds' ratios is reported with its spread.
    """
    n_ours, n_peer = _number(ours, BLOCK_SECONDS), _number(peer, BLOCK_SECONDS)
    timer_ours, timer_peer = timeit.Timer(ours, timer=CLOCK), timeit.Timer(peer, timer=CLOCK)
    ratios: list[float] = []
    ours_t: list[float] = []
    peer_t: list[float] = []
    for _ in range(rounds):
        best_ours = best_peer = math.inf
        for block in range(BLOCKS):
            first, second = (timer_ours, timer_peer) if block % 2 else (timer_peer, timer_ours)
            for timer in (first, second):
                if timer is timer_ours:
                    best_ours = min(best_ours, timer.timeit(n_ours) / n_ours)
                else:
                    best_peer = min(best_peer, timer.timeit(n_peer) / n_peer)
        ours_t.append(best_ours)
        peer_t.append(best_peer)
        ratios.append(best_ours / best_peer)
    return (
        statistics.median(ratios),
        min(ratios),
        max(ratios),
        statistics.median(ours_t),
        statistics.median(peer_t),
    )


def plain_newton(flows: Sequence[CashFlow]) -> float:
    """The peer: XIRR by a textbook Newton iteration on the same CashFlow objects."""
    start = flows[0].on
    times = [(f.on - start).days / 365 for f in flows]
    amounts = [float(f.amount) for f in flows]
    rate = 0.1
    for _ in range(100):
        v = 1.0 + rate
        value = slope = 0.0
        for a, t in zip(amounts, times, strict=True):
            term = a * v**-t
            value += term
            slope -= t * term / v
        step = value / slope
        rate -= step
        if abs(step) < 1e-12:
            return rate
    raise ArithmeticError("no convergence")


def _case() -> tuple[Negotiation, Callable[[], object], Callable[[], object]]:
    host = get_plugin_host(load_entry_points=False, environ={})
    debt = example_debts()[0]
    case = Case(
        debt=debt,
        borrower=example_borrower(),
        policy=example_policies()[debt.creditor.name],
        goals=Goals(max_months=24, waive={WaiverKind.INTEREST, WaiverKind.PENALTY}),
        on=EXAMPLE_DATE,
    )

    def options() -> object:
        return Negotiation(case, regime=Regime.CN_PBOC, host=host).options()

    def ladder() -> object:
        return Negotiation(case, regime=Regime.CN_PBOC, host=host).ladder()

    return Negotiation(case, regime=Regime.CN_PBOC, host=host), options, ladder


def _process(argv: list[str], rounds: int) -> float:
    """Least CPU time (user + system) of a fresh process over *rounds*, in seconds.

    CPU time, from the kernel's accounting of the finished child, is what the process
    itself costs; its wall time on a loaded machine is mostly waiting for a core.
    """
    # Bytecode is written and read as for an installed package, whatever the caller's
    # PYTHONDONTWRITEBYTECODE says (without it every module is compiled on every run);
    # one run first writes it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)  # noqa: S603
    times = []
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)  # noqa: S603
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(
            after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        )
    return min(times)


def _row(name: str, figures: tuple[float, float, float, float, float], target: float) -> None:
    ratio, low, high, ours, peer = figures
    verdict = "met" if ratio <= target else "missed"
    print(
        f"{name:<44} {ours * 1e6:>9.1f} {peer * 1e6:>9.1f} {ratio:>7.2f} "
        f"[{low:.2f}-{high:.2f}]  <= {target:g}: {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run every pair and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="paired rounds per case")
    parser.add_argument("--quick", action="store_true", help="3 rounds per case")
    parser.add_argument("--no-process", action="store_true", help="skip import/demo timings")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else args.rounds

    print(f"Python {sys.version.split()[0]} on {platform.machine()}; load {os.getloadavg()}")
    print(f"{rounds} paired rounds per case; times are medians per call")
    print(f"{'case':<44} {'ours µs':>9} {'peer µs':>9} {'ratio':>7} [spread]")

    def amort24() -> object:
        return list(amortization_schedule(15000.0, 0.08, 24))

    _, options, ladder = _case()
    _row("options() / amortization 24", paired(options, amort24, rounds), 40)
    _row("ladder() / amortization 24", paired(ladder, amort24, rounds), 40)

    principal = Money(PRINCIPAL, "USD")
    rate = InterestRate.annual(ANNUAL)
    start = EXAMPLE_DATE
    for months in (24, 360):
        _row(
            f"equal_installment {months} / amortization {months}",
            paired(
                lambda m=months: equal_installment(principal, rate, m, start=start),  # type: ignore[misc]
                lambda m=months: list(amortization_schedule(15000.0, 0.08, m)),  # type: ignore[misc]
                rounds,
            ),
            0.5,
        )

    flows = equal_installment(principal, rate, 24, start=start).cash_flows()
    for regime in Regime:
        _row(
            f"annual_rate {regime.value} / plain Newton",
            paired(lambda r=regime: annual_rate(flows, regime=r), lambda: plain_newton(flows),  # type: ignore[misc]
                   rounds),
            1.5,
        )

    if not args.no_process:
        proc_rounds = max(9, rounds)
        bare = _process([sys.executable, "-c", "pass"], proc_rounds)
        imported = _process([sys.executable, "-c", "import debtnegotiation"], proc_rounds)
        demo = _process([sys.executable, "-m", "debtnegotiation", "demo"], proc_rounds)
        print(f"python -c pass: {bare * 1e3:.0f} ms CPU (least of {proc_rounds})")
        print(f"import debtnegotiation: {(imported - bare) * 1e3:.0f} ms above bare "
              f"({imported * 1e3:.0f} ms process); <= 60 ms: "
              f"{'met' if imported - bare <= 0.060 else 'missed'}")
        print(f"debtneg demo: {demo * 1e3:.0f} ms CPU, whole process; <= 150 ms: "
              f"{'met' if demo <= 0.150 else 'missed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
