"""The batch path is cent-identical to the scalar path, field by field."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from debtnegotiation import get_plugin_host
from debtnegotiation.batch import OPTION_COLUMNS, negotiate_table
from debtnegotiation.batch.scalar import scalar_records
from debtnegotiation.casefile import CaseFileError
from debtnegotiation.errors import ValidationError

from .accounts import policies, random_accounts

FIELDS = [c.name for c in OPTION_COLUMNS if c.name != "path"]


def _reference(rows, pols, host):
    records = []
    for row in rows:
        try:
            records.extend(scalar_records(row, policies=pols, host=host))
        except CaseFileError:
            continue
    return records


def _valid(rows, pols, host):
    kept = []
    for row in rows:
        try:
            scalar_records(row, policies=pols, host=host)
        except CaseFileError:
            continue
        kept.append(row)
    return kept


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batch_equals_scalar(seed):
    host = get_plugin_host(load_entry_points=False)
    pols = policies()
    rows = _valid(random_accounts(150, seed), pols, host)
    expected = _reference(rows, pols, host)
    accounts = pa.Table.from_pylist(rows)
    if seed == 1:
        # Through pandas, Arrow-backed (NumPy-backed integer columns with gaps are floats).
        frame = accounts.to_pandas(types_mapper=pd.ArrowDtype)
        got = negotiate_table(frame, policies=pols, host=host).to_dict("records")
    else:
        got = negotiate_table(accounts, policies=pols, host=host).to_pylist()
    assert [{k: r[k] for k in FIELDS} for r in got] == [{k: r[k] for k in FIELDS} for r in expected]
    paths = {r["path"] for r in got}
    vector = sum(r["path"] == "vector" for r in got)
    assert paths == {"vector", "scalar"}
    assert vector > len(got) // 5


#: Policies whose cases the vector path now answers: fees of each timing, interest
#: frozen or running, plan rates quoted yearly or monthly.
VECTOR_CASES = (
    "fee-12",
    "fee-24-withheld",
    "fee-36-spread",
    "fee-36-upfront",
    "fee-6-upfront",
    "fee-rated-24",
    "fee-rated-36-spread",
    "fee-rated-48-withheld",
    "rated-36",
    "rated-60-monthly",
    "none",
    None,
)


@pytest.mark.parametrize("seed", [4, 5])
def test_fee_and_running_interest_cases_equal_scalar(seed):
    host = get_plugin_host(load_entry_points=False)
    pols = policies()
    rows = random_accounts(240, seed, mix=False)
    for i, row in enumerate(rows):
        row["policy"] = VECTOR_CASES[i % len(VECTOR_CASES)]
    rows = _valid(rows, pols, host)
    expected = _reference(rows, pols, host)
    got = negotiate_table(pa.Table.from_pylist(rows), policies=pols, host=host).to_pylist()
    assert [{k: r[k] for k in FIELDS} for r in got] == [{k: r[k] for k in FIELDS} for r in expected]
    policy = {row["account"]: row["policy"] for row in rows}
    vector = {(policy[r["account"]], r["strategy"]) for r in got if r["path"] == "vector"}
    # Every case ran vectorised for some account, the strategy it is about included.
    for name in VECTOR_CASES:
        strategy = "fee-advance" if name and name.startswith("fee") else "extension"
        assert (name, strategy) in vector, name
    asks = [r for r in got if r["path"] == "vector" and r["title"].startswith("Ask the lender")]
    assert asks, "no vectorised ask to spread an upfront fee"


MONTH_ENDS = ("2024-01-29", "2024-01-30", "2024-01-31", "2025-01-29", "2025-05-31", "2024-12-31")


def test_plans_starting_at_a_month_end_equal_scalar():
    # Due dates clamp to short months' ends; every regime counts them as whole months.
    host = get_plugin_host(load_entry_points=False)
    pols = policies()
    rows = random_accounts(120, 6, mix=False)
    for i, row in enumerate(rows):
        row["as_of"] = MONTH_ENDS[i % len(MONTH_ENDS)]
        row["policy"] = VECTOR_CASES[i % len(VECTOR_CASES)]
    rows = _valid(rows, pols, host)
    expected = _reference(rows, pols, host)
    got = negotiate_table(pa.Table.from_pylist(rows), policies=pols, host=host).to_pylist()
    assert [{k: r[k] for k in FIELDS} for r in got] == [{k: r[k] for k in FIELDS} for r in expected]
    rated = [r for r in got if r["path"] == "vector" and r["annual_rate"] not in {"", "0.00"}]
    assert len(rated) > len(got) // 3


MUTATIONS = [
    {"principal": "0", "accrued_interest": None, "penalty_interest": None},
    {"principal": 1.5},
    {"principal": "1.234"},
    {"principal": "-5"},
    {"monthly_income": "abc"},
    {"currency": "XYZ"},
    {"as_of": "2026-13-01"},
    {"creditor_kind": "pawnshop"},
    {"contract_rate": "-0.1"},
    {"contract_rate_unit": "daily", "contract_rate_day_count": None},
    {"contract_rate_unit": None},
    {"days_overdue": -1},
    {"creditor": ""},
    {"policy": "no-such-policy"},
    {"regime": "MARS"},
    {"evidence": "a-rumour"},
    {"hardship": "boredom"},
    {"on": "2020-01-01"},
]


@pytest.mark.parametrize(
    "change", MUTATIONS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items())
)
def test_rows_the_scalar_path_refuses_are_refused_alike(change):
    host = get_plugin_host(load_entry_points=False)
    pols = policies()
    row = dict(random_accounts(1, 11, mix=False)[0], policy="frozen-24")
    row.update(change)
    with pytest.raises((CaseFileError, ValidationError)) as scalar:
        scalar_records(row, policies=pols, host=host)
    with pytest.raises(type(scalar.value)) as batch:
        negotiate_table(pa.Table.from_pylist([row]), policies=pols, host=host)
    assert str(batch.value) == str(scalar.value)
