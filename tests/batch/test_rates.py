"""The vectorised Newton agrees with the exact scalar solver wherever it certifies."""

from __future__ import annotations

import numpy as np

from debtnegotiation import InterestRate, Money, Regime, annual_rate, equal_installment
from debtnegotiation.batch import periodic_rates


def _plans(count, seed):
    rng = np.random.default_rng(seed)
    plans = []
    for _ in range(count):
        rate = InterestRate.annual(str(int(rng.integers(1, 3600)) / 10000))
        months = int(rng.integers(2, 61))
        principal = Money(f"{int(rng.integers(10_000, 10_000_000)) / 100:.2f}", "CNY")
        plans.append(equal_installment(principal, rate, months, start="2026-01-31"))
    return plans


def _flows(plans):
    width = max(len(p.installments) for p in plans) + 1
    flows = np.zeros((len(plans), width), dtype=np.int64)
    for i, plan in enumerate(plans):
        flows[i, 0] = -int(plan.principal.amount * 100)
        for k, item in enumerate(plan.installments, 1):
            flows[i, k] = int(item.total.amount * 100)
    return flows


def test_certified_rates_equal_the_scalar_solver():
    plans = _plans(300, 5)
    check = periodic_rates(_flows(plans))
    assert check.certified.mean() > 0.95
    for plan, shown, ok in zip(plans, check.annual_percent, check.certified, strict=True):
        exact = str(annual_rate(plan, regime=Regime.CN_PBOC).rounded_percent(2))
        if ok:
            assert shown == exact
        else:
            assert shown == ""


def test_exact_rates_are_certified():
    # 100 lent, 112 repaid a month later: 12 % a month, 144 % a year.
    assert periodic_rates(np.array([[-100, 112]]), places=0).annual_percent == ("144",)
    assert periodic_rates(np.array([[-1, 1]]), places=2).annual_percent == ("0.00",)


def test_a_rate_on_a_rounding_boundary_is_not_certified():
    # 1.02875 % a month is 12.345 % a year: exactly between 12.34 and 12.35.
    check = periodic_rates(np.array([[-10_000_000, 10_102_875]]), places=2)
    assert not check.certified[0]
    assert check.annual_percent == ("",)
