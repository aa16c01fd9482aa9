"""The payoff planner against the same month loop in plain Python floats, in one run.

20 debts, 360 months (the budget is set so the plan runs the whole 30 years), all five
methods. The float loop is what a spreadsheet-style snowball script does: the same rules
(interest, minimums, then the method's order), ``round(x, 2)`` on floats, no Money
objects and no result objects beyond lists. The ratio ``exact / float`` is the figure
(target: at most 2); absolute times depend on the machine.

    python benchmarks/bench_payoff.py           # 5 rounds, about 30 s
    python benchmarks/bench_payoff.py --quick   # 1 round, a smoke run

Never a test: a timing is reported, not asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from debtnegotiation.money import Money
from debtnegotiation.payoff import PayoffDebt, PayoffMethod, plan_payoff

START = dt.date(2026, 1, 31)
MONTHS = 360


def _debts() -> list[tuple[int, int, int]]:
    """(balance in cents, monthly rate in hundredths of a basis point, minimum in cents)."""
    return [
        (500_000 + 137_000 * i, 40 + i, 2_500 + 300 * i)  # 0.40 %–0.59 % a month
        for i in range(20)
    ]


def _exact_debts() -> list[PayoffDebt]:
    return [
        PayoffDebt(
            name=f"debt {i}",
            balance=Money(Decimal(b) / 100, "USD"),
            monthly_rate=Fraction(r, 10_000),
            minimum=Money(Decimal(m) / 100, "USD"),
        )
        for i, (b, r, m) in enumerate(_debts())
    ]


def _float_plan(method: str, budget: float, months: int) -> list[list[float]]:
    raw = _debts()
    balances = [b / 100 for b, _r, _m in raw]
    rates = [r / 10_000 for _b, r, _m in raw]
    minimums = [m / 100 for _b, _r, m in raw]
    order = list(range(len(raw)))[::-1]
    schedule = []
    for _month in range(months):
        paid = [0.0] * len(raw)
        for i, b in enumerate(balances):
            if b > 0:
                balances[i] = round(b + b * rates[i], 2)
        opened = [i for i, b in enumerate(balances) if b > 0]
        if method == "snowball":
            opened.sort(key=lambda i: (balances[i], -rates[i], i))
        elif method in {"avalanche", "negotiated"}:
            opened.sort(key=lambda i: (-rates[i], balances[i], i))
        elif method == "order":
            opened = [i for i in order if balances[i] > 0]
        left = budget
        for i in opened:
            pay = min(minimums[i], balances[i], left)
            paid[i] += pay
            balances[i] = round(balances[i] - pay, 2)
            left = round(left - pay, 2)
        if method == "pro-rata":
            owed = sum(balances[i] for i in opened)
            for i in opened:
                share = round(left * balances[i] / owed, 2) if owed else 0.0
                paid[i] += share
                balances[i] = round(balances[i] - share, 2)
        else:
            for i in opened:
                pay = min(balances[i], left)
                paid[i] += pay
                balances[i] = round(balances[i] - pay, 2)
                left = round(left - pay, 2)
        schedule.append(paid)
        if not opened:
            break
    return schedule


def _time(function: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)  # the least disturbed round, as bench_core.py reports


def main() -> None:
    """Time both loops for every method and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round only")
    rounds = 1 if parser.parse_args().quick else 5
    debts = _exact_debts()
    # About the 30-year annuity payment of the whole balance: the plan runs ~360 months.
    budget_cents = 220_000
    budget = Money(Decimal(budget_cents) / 100, "USD")
    order = [d.name for d in reversed(debts)]
    print(f"20 debts x {MONTHS} months, budget {budget}; min of {rounds} round(s), seconds")
    print(f"{'method':<11} {'exact':>8} {'floats':>8} {'ratio':>6} {'months':>6}")
    ratios = []
    for method in PayoffMethod:

        def exact(method: PayoffMethod = method) -> object:
            return plan_payoff(
                debts,
                budget,
                method=method,
                on=START,
                order=order if method is PayoffMethod.ORDER else None,
                max_months=MONTHS,
            )

        def floats(method: PayoffMethod = method) -> object:
            return _float_plan(method.value, budget_cents / 100, MONTHS)

        months = len(
            plan_payoff(
                debts,
                budget,
                method=method,
                on=START,
                order=order if method is PayoffMethod.ORDER else None,
                max_months=MONTHS,
            ).months
        )
        t_exact = _time(exact, rounds)
        t_float = _time(floats, rounds)
        ratios.append(t_exact / t_float)
        print(
            f"{method.value:<11} {t_exact:8.4f} {t_float:8.4f} {t_exact / t_float:6.2f} {months:6d}"
        )
    print(f"ratio exact/float: median {statistics.median(ratios):.2f}, max {max(ratios):.2f}")


if __name__ == "__main__":
    main()
