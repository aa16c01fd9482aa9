"""The batch path is cent-identical to the scalar path, field by field."""

from __future__ import annotations

import pyarrow as pa
import pytest

from debtnegotiation import get_plugin_host
from debtnegotiation.batch import OPTION_COLUMNS, negotiate_table
from debtnegotiation.batch.scalar import scalar_records
from debtnegotiation.casefile import CaseFileError

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
    table = negotiate_table(pa.Table.from_pylist(rows), policies=pols, host=host)
    got = table.to_pylist()
    assert [{k: r[k] for k in FIELDS} for r in got] == [{k: r[k] for k in FIELDS} for r in expected]
    paths = {r["path"] for r in got}
    vector = sum(r["path"] == "vector" for r in got)
    assert paths == {"vector", "scalar"}
    assert vector > len(got) // 5


def test_rows_the_case_file_refuses_are_refused():
    host = get_plugin_host(load_entry_points=False)
    pols = policies()
    rows = random_accounts(300, 4)
    valid = {r["account"] for r in _valid(rows, pols, host)}
    refused = [r for r in rows if r["account"] not in valid]
    assert refused
    for row in refused:
        with pytest.raises(CaseFileError, match=row["account"]):
            negotiate_table(pa.Table.from_pylist([row]), policies=pols, host=host)
