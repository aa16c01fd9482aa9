"""Zero-decimal currencies, rates near a rounding boundary and XIRR stay on the vector path.

Yen and won amounts are small integers of minor units, so level payments of consecutive
terms sit close together and annual rates often land near a rounding boundary: the cases
the vector path used to leave to the scalar path. The answers must stay identical.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from debtnegotiation import get_plugin_host
from debtnegotiation.batch import negotiate_table, periodic_rates
from debtnegotiation.batch.scalar import scalar_records
from debtnegotiation.money import minor_units

from .accounts import policies
from .test_exact import FIELDS, VECTOR_CASES, _reference, _valid

ZERO_DECIMAL = ("JPY", "KRW", "ISK")
REGIMES = ("US-RegZ", "CN-PBOC", "EU-CCD", "XIRR")


def _zero_decimal_accounts(count: int, seed: int) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    start = dt.date(2026, 1, 1)
    rows = []
    for i in range(count):
        principal = int(rng.choice([40, 900, 30_000, 400_000, 5_000_000]) * rng.uniform(0.5, 1))
        income = int(rng.integers(500, 400_000))
        rows.append(
            {
                "account": f"zero-{seed}-{i}",
                "currency": ZERO_DECIMAL[i % len(ZERO_DECIMAL)],
                "principal": str(max(principal, 1)),
                "accrued_interest": str(principal // int(rng.integers(20, 200))),
                "contract_rate": f"0.{int(rng.integers(1, 40)):02d}",
                "contract_rate_unit": "annual-nominal",
                "as_of": (start + dt.timedelta(days=int(rng.integers(0, 700)))).isoformat(),
                "creditor": "Test Lender",
                "creditor_kind": "credit-card",
                "monthly_income": str(income),
                "expenses": str(income * int(rng.integers(30, 95)) // 100),
                "regime": REGIMES[int(rng.integers(len(REGIMES)))],
                "policy": VECTOR_CASES[i % len(VECTOR_CASES)],
            }
        )
    return rows


def test_the_currencies_have_no_minor_unit():
    assert {minor_units(code) for code in ZERO_DECIMAL} == {0}


@pytest.mark.parametrize("seed", [21, 22])
def test_zero_decimal_accounts_equal_scalar_on_the_vector_path(seed):
    host = get_plugin_host(load_entry_points=False)
    pols = policies()
    rows = _valid(_zero_decimal_accounts(200, seed), pols, host)
    expected = _reference(rows, pols, host)
    got = negotiate_table(pa.Table.from_pylist(rows), policies=pols, host=host).to_pylist()
    assert [{k: r[k] for k in FIELDS} for r in got] == [{k: r[k] for k in FIELDS} for r in expected]
    scalar = {r["account"] for r in got if r["path"] == "scalar"}
    # A balloon schedule still goes scalar; nearly everything else is vector.
    assert len(scalar) <= len(rows) // 10, sorted(scalar)
    xirr = {r["account"] for r in rows if r["regime"] == "XIRR"}
    rated = [
        r for r in got if r["account"] in xirr and r["path"] == "vector" and r["annual_rate"]
    ]
    assert rated, "no XIRR plan solved on the vector path"


_EDGE_KEYS = (
    "currency", "principal", "accrued_interest", "contract_rate", "monthly_income", "expenses",
    "regime", "policy",
)  # fmt: skip


def _row(*cells: str | None) -> dict[str, object]:
    row: dict[str, object] = dict(zip(_EDGE_KEYS, cells, strict=True))
    return {
        **row,
        "account": f"{row['currency']}-{row['principal']}",
        "contract_rate_unit": "annual-nominal",
        "as_of": "2026-11-02",
        "creditor": "Test Lender",
        "creditor_kind": "credit-card",
    }


#: Accounts of the benchmark's mixed portfolio the vector path used to leave to the
#: scalar path: an annual rate within a hair of a rounding boundary (the certificate
#: cannot decide it), and a term whose predecessor pays one unit above the ceiling.
EDGES = (
    _row("CNY", "974.82", "15.23", "0.2100", "7217.00", "3897.18", "CN-PBOC", None),
    _row("EUR", "14365.24", "435.31", "0.2700", "12601.00", "11466.91", "EU-CCD", None),
    _row("JPY", "38016", "792", "0.0100", "16301", "14507", "US-RegZ", "fee-12"),
    _row("JPY", "47217", "983", "0.1300", "10336", "3514", "US-RegZ", "rated-36"),
    _row("JPY", "49525", "1500", "0.3400", "6159", "3017", "US-RegZ", "rated-36"),
    _row("JPY", "34225", "207", "0.3400", "2347", "774", "US-RegZ", "rated-36"),
    _row("JPY", "22286", "484", "0.3900", "3308", "1852", "US-RegZ", None),
    _row("JPY", "33923", "287", "0.3400", "5285", "3646", "US-RegZ", None),
)


def test_a_rate_the_certificate_cannot_decide_exists():
    # 990.05 CNY repaid by 1,007.38 a month later: 21.004999…%, a hair below 21.005.
    check = periodic_rates(np.array([[99005, -100738]], dtype=np.int64))
    assert not check.certified[0]


def test_edge_accounts_are_vector_and_equal_scalar():
    host = get_plugin_host(load_entry_points=False)
    pols = policies()
    rows = list(EDGES)
    expected = [r for row in rows for r in scalar_records(row, policies=pols, host=host)]
    got = negotiate_table(pa.Table.from_pylist(rows), policies=pols, host=host).to_pylist()
    assert [{k: r[k] for k in FIELDS} for r in got] == [{k: r[k] for k in FIELDS} for r in expected]
    assert {r["path"] for r in got} == {"vector"}
