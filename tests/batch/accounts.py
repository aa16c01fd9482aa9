"""Random accounts for the batch tests and benchmark: varied currencies, rates and terms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

from debtnegotiation import InterestRate, LenderPolicy
from debtnegotiation.policy import FeeTiming
from debtnegotiation.rates import RateUnit

CURRENCIES = ("CNY", "JPY", "USD", "EUR", "KWD", "GBP")
PLACES = {"CNY": 2, "JPY": 0, "USD": 2, "EUR": 2, "KWD": 3, "GBP": 2}
REGIMES = {"CNY": "CN-PBOC", "EUR": "EU-CCD"}
KINDS = ("credit-card", "consumer-finance", "online-lender", "installment-platform", "other")


def policies() -> dict[str, LenderPolicy]:
    """Policies with every lever, interest frozen or running."""
    base = {"source": "test", "lender": "Test Lender"}
    return {
        "frozen-24": LenderPolicy.from_mapping({**base, "max_months": 24}),
        "frozen-60": LenderPolicy.from_mapping({**base, "max_months": 60}),
        "frozen-3": LenderPolicy.from_mapping({**base, "max_months": 3}),
        "rated-36": LenderPolicy(
            lender="Test Lender",
            source="test",
            max_months=36,
            plan_rate=InterestRate.annual("0.12"),
        ),
        "fee-12": LenderPolicy.from_mapping({**base, "max_months": 12, "fee_rate": "0.05"}),
        "fee-24-withheld": LenderPolicy.from_mapping(
            {**base, "max_months": 24, "fee_rate": "0.03", "fee_timing": "withheld"}
        ),
        "fee-36-spread": LenderPolicy.from_mapping(
            {**base, "max_months": 36, "fee_rate": "0.045", "fee_timing": "spread"}
        ),
        "fee-6-upfront": LenderPolicy.from_mapping(
            {**base, "max_months": 6, "fee_rate": "0.2", "fee_timing": "upfront"}
        ),
        "fee-36-upfront": LenderPolicy.from_mapping(
            {**base, "max_months": 36, "fee_rate": "0.25", "fee_timing": "upfront"}
        ),
        "fee-rated-24": LenderPolicy(
            lender="Test Lender",
            source="test",
            max_months=24,
            fee_rate=Decimal("0.02"),
            plan_rate=InterestRate.annual("0.06"),
        ),
        "fee-rated-36-spread": LenderPolicy(
            lender="Test Lender",
            source="test",
            max_months=36,
            fee_rate=Decimal("0.04"),
            fee_timing=FeeTiming.SPREAD,
            plan_rate=InterestRate.annual("0.09"),
        ),
        "fee-rated-48-withheld": LenderPolicy(
            lender="Test Lender",
            source="test",
            max_months=48,
            fee_rate=Decimal("0.03"),
            fee_timing=FeeTiming.WITHHELD,
            plan_rate=InterestRate.annual("0.1825"),
        ),
        "rated-60-monthly": LenderPolicy(
            lender="Test Lender",
            source="test",
            max_months=60,
            plan_rate=InterestRate(value=Decimal("0.015"), unit=RateUnit.MONTHLY),
        ),
        "waive": LenderPolicy.from_mapping(
            {**base, "max_months": 24, "penalty_waiver_max": "1", "interest_waiver_max": "0.5"}
        ),
        "deferral": LenderPolicy.from_mapping({**base, "max_months": 24, "deferral_max_months": 3}),
        "settle": LenderPolicy.from_mapping(
            {**base, "settlement_discount_max": "0.3", "settlement_months": 3}
        ),
        "none": LenderPolicy.from_mapping({**base, "max_months": 0}),
    }


def _amount(rng: np.random.Generator, places: int, high: int) -> str:
    units = int(rng.integers(1, max(high, 2)))
    if places == 0:
        return str(units)
    text = str(units).rjust(places + 1, "0")
    return f"{text[:-places]}.{text[-places:]}"


def random_accounts(count: int, seed: int, *, mix: bool = True) -> list[dict[str, Any]]:
    """*count* account rows; with *mix*, some need the scalar path (hardship, dates, …)."""
    rng = np.random.default_rng(seed)
    names = sorted(policies())
    rows = []
    start = dt.date(2026, 1, 1)
    for i in range(count):
        currency = CURRENCIES[int(rng.integers(len(CURRENCIES)))]
        places = PLACES[currency]
        scale = 10**places
        size = int(rng.choice([3, 500, 20_000, 300_000, 5_000_000]))
        as_of = start + dt.timedelta(days=int(rng.integers(0, 700)))
        income = int(rng.integers(0, 8_000)) * scale
        row: dict[str, Any] = {
            "account": f"acct-{seed}-{i}",
            "currency": currency,
            "principal": _amount(rng, places, size * scale) or "1",
            "accrued_interest": _amount(rng, places, max(size // 10, 1) * scale),
            "penalty_interest": _amount(rng, places, max(size // 50, 1) * scale)
            if rng.random() < 0.5
            else None,
            "fees": None,
            "days_overdue": int(rng.integers(0, 200)),
            "contract_rate": str(Decimal(int(rng.integers(0, 4000))) / 10000),
            "contract_rate_unit": "annual-nominal",
            "contract_rate_day_count": None,
            "as_of": as_of.isoformat(),
            "on": None,
            "creditor": "Test Lender",
            "creditor_kind": KINDS[int(rng.integers(len(KINDS)))],
            "monthly_income": _amount(rng, places, income + 1),
            "expenses": _amount(rng, places, max(income // 2, 1)),
            "other_debt_payments": None,
            "savings_buffer": None,
            "hardship": None,
            "hardship_start": None,
            "hardship_end": None,
            "evidence": None,
            "regime": REGIMES.get(currency, "US-RegZ"),
            "policy": names[int(rng.integers(len(names)))] if rng.random() > 0.1 else None,
        }
        if rng.random() < 0.3:
            row["policy"] = "frozen-24" if rng.random() < 0.5 else "frozen-60"
        if rng.random() < 0.2:
            row["contract_rate"] = str(Decimal(int(rng.integers(1, 9))) / 10000)
            row["contract_rate_unit"] = "daily"
            row["contract_rate_day_count"] = 365
        if mix:
            if rng.random() < 0.02:
                row["principal"] = "0"
            if rng.random() < 0.05:
                row["hardship"] = "unemployment"
                row["evidence"] = "termination-letter"
            if rng.random() < 0.05:
                row["on"] = (as_of + dt.timedelta(days=int(rng.integers(1, 40)))).isoformat()
            if rng.random() < 0.03:
                row["principal"] = "2" + "0" * 15  # beyond the vector guard in CNY, KWD…
        rows.append(row)
    return rows
