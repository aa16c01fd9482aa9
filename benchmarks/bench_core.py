"""Benchmarks of the financial core against the PyPI packages people would otherwise use.

Run from the repository root after ``pip install -e ".[benchmarks]"``::

    python benchmarks/bench_core.py            # full run, about half a minute
    python benchmarks/bench_core.py --quick    # fewer repeats, for a smoke test

It measures, in one run and with :mod:`timeit` (``repeat`` rounds of an auto-ranged
number of calls; the minimum and the median of the rounds are reported, in microseconds
per call):

1. a 24-month and a 360-month exact schedule: our
   :func:`~debtnegotiation.schedules.equal_installment` (a frozen ``Plan`` of 24 or 360
   ``Installment`` objects holding ``Money`` in whole cents) against
   ``amortization.schedule.amortization_schedule`` (float rows, consumed with ``list``),
   same principal, rate and term;
2. the annual rate of a 25-flow plan (one advance, 24 monthly payments): our
   :func:`~debtnegotiation.apr.periodic_rate` (the periodic IRR, the same problem as
   ``irr``) and :func:`~debtnegotiation.apr.annual_rate` under two regimes, against
   ``numpy_financial.irr`` and ``pyxirr.irr`` (and ``pyxirr.xirr`` for the dated form).

The targets of issue 2 are printed next to the ratios; they are measured, not asserted.
Timings vary with the machine and its load; compare ratios from one run, not absolute
figures across machines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import timeit
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import numpy_financial as npf
import pyxirr
from amortization.schedule import amortization_schedule

from debtnegotiation.apr import Regime, annual_rate, periodic_rate
from debtnegotiation.money import Money
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment

PRINCIPAL = "15000.00"
ANNUAL = "0.08"
MONTHS = 24
#: The long schedule (a 30-year term), where the per-installment cost dominates.
LONG_MONTHS = 360
START = dt.date(2024, 1, 15)


def measure(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Return (minimum, median) microseconds per call over *repeat* rounds."""
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    rounds = [t / number * 1e6 for t in timer.repeat(repeat=repeat, number=number)]
    return min(rounds), statistics.median(rounds)


def schedule_cases(months: int = MONTHS) -> dict[str, Callable[[], object]]:
    """The schedule benchmark: same loan, ours exact, amortization's in floats."""
    principal = Money(PRINCIPAL, "USD")
    rate = InterestRate.annual(ANNUAL)
    ours = equal_installment(principal, rate, months, start=START)
    theirs = list(amortization_schedule(float(PRINCIPAL), float(ANNUAL), months))
    # Same loan, same answer to the cent (amortization rounds each float to 2 places) over
    # 24 months; over 360, float error puts a few of amortization's interest amounts one
    # cent off the exact, half-up figure (3 of 360 for this loan).
    assert ours.installments[0].total.amount == Decimal(str(theirs[0].amount))
    off = [
        abs(i.interest.amount - Decimal(str(row.interest)))
        for i, row in zip(ours.installments, theirs, strict=True)
        if i.interest.amount != Decimal(str(row.interest))
    ]
    assert not off if months <= MONTHS else set(off) == {Decimal("0.01")}, off

    return {
        "debtnegotiation equal_installment (exact Plan)": lambda: equal_installment(
            principal, rate, months, start=START
        ),
        "amortization amortization_schedule (floats)": lambda: list(
            amortization_schedule(float(PRINCIPAL), float(ANNUAL), months)
        ),
    }


def apr_cases() -> dict[str, Callable[[], object]]:
    """The 25-flow benchmark: one advance and 24 level payments."""
    plan = equal_installment(Money(PRINCIPAL, "USD"), InterestRate.annual(ANNUAL), MONTHS,
                             start=START)
    flows = plan.cash_flows()
    assert len(flows) == 25
    amounts = [flow.amount for flow in flows]
    floats = [float(a) for a in amounts]
    array = np.array(floats)
    dates = [flow.on for flow in flows]
    # All four agree on the monthly rate (8 % / 12 = 0.6667 %) to 1e-6.
    expected = float(Decimal(ANNUAL) / 12)
    for value in (float(periodic_rate(amounts)), npf.irr(array), pyxirr.irr(floats)):
        assert abs(value - expected) < 1e-6, value

    return {
        "debtnegotiation periodic_rate (Decimal in/out)": lambda: periodic_rate(amounts),
        "debtnegotiation annual_rate CN-PBOC (dated)": lambda: annual_rate(
            flows, regime=Regime.CN_PBOC
        ),
        "debtnegotiation annual_rate XIRR (dated)": lambda: annual_rate(flows, regime=Regime.XIRR),
        "numpy-financial irr": lambda: npf.irr(array),
        "pyxirr irr": lambda: pyxirr.irr(floats),
        "pyxirr xirr (dated)": lambda: pyxirr.xirr(dates, floats),
    }


def report(title: str, cases: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Print one table and return the minimum microseconds per case."""
    print(f"\n{title}")
    print(f"{'case':<50} {'min µs':>10} {'median µs':>10}")
    best: dict[str, float] = {}
    for name, function in cases.items():
        low, middle = measure(function, repeat)
        best[name] = low
        print(f"{name:<50} {low:>10.1f} {middle:>10.1f}")
    return best


def main(argv: list[str] | None = None) -> int:
    """Run both benchmarks and print the ratios against the issue's targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="timing rounds per case")
    parser.add_argument("--quick", action="store_true", help="3 rounds per case")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else args.repeat

    print(f"Python {sys.version.split()[0]} on {platform.machine()} ({platform.system()})")
    print(f"{repeat} rounds per case; times are per call")

    for months in (MONTHS, LONG_MONTHS):
        schedule = report(f"1. {months}-month schedule, {PRINCIPAL} at {ANNUAL}",
                          schedule_cases(months), repeat)
        ours, theirs = schedule.values()
        ratio = ours / theirs
        print(f"   ours / amortization = {ratio:.2f}  (target <= 0.50: "
              f"{'met' if ratio <= 0.5 else 'missed'})")
        print(f"   per installment: ours {ours / months:.2f} µs, "
              f"amortization {theirs / months:.2f} µs")

    rates = report("2. Annual rate of a 25-flow plan", apr_cases(), repeat)
    periodic = rates["debtnegotiation periodic_rate (Decimal in/out)"]
    dated = rates["debtnegotiation annual_rate CN-PBOC (dated)"]
    xirr = rates["debtnegotiation annual_rate XIRR (dated)"]
    npf_irr = rates["numpy-financial irr"]
    pyx_irr = rates["pyxirr irr"]
    pyx_xirr = rates["pyxirr xirr (dated)"]
    print(f"   periodic_rate / pyxirr irr       = {periodic / pyx_irr:.2f}  (target <= 1.5: "
          f"{'met' if periodic / pyx_irr <= 1.5 else 'missed'})")
    print(f"   annual_rate CN / pyxirr irr      = {dated / pyx_irr:.2f}")
    print(f"   annual_rate XIRR / pyxirr xirr   = {xirr / pyx_xirr:.2f}")
    print(f"   periodic_rate / numpy-fin. irr   = {periodic / npf_irr:.2f}  (target: far below 1)")
    print(f"   annual_rate CN / numpy-fin. irr  = {dated / npf_irr:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
