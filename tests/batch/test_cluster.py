"""On a two-worker Dask LocalCluster the batch path gives exactly the one-process result."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import pyarrow as pa
import pyarrow.parquet as pq

from debtnegotiation import get_plugin_host
from debtnegotiation.batch import negotiate_table
from debtnegotiation.batch.cluster import connect, negotiate_dataset

from .accounts import policies, random_accounts


def _parts(folder):
    files = sorted(folder.glob("*.parquet"), key=lambda p: int(re.findall(r"\d+", p.name)[-1]))
    return pa.concat_tables([pq.read_table(f) for f in files])


def test_two_workers_give_the_one_process_result(tmp_path):
    pols = policies()
    rows = random_accounts(1200, 7, mix=False)
    source = tmp_path / "accounts.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source, row_group_size=300)
    host = get_plugin_host(load_entry_points=False)
    expected = negotiate_table(pq.read_table(source), policies=pols, host=host)
    out = tmp_path / "options"
    with connect(workers=2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        parts = negotiate_dataset(
            source, out, client=client, policies=pols, load_entry_points=False
        )
    assert parts == 4
    got = _parts(out)
    assert got.to_pylist() == expected.to_pylist()
    assert {r["path"] for r in got.to_pylist()} == {"vector", "scalar"}


def test_a_url_dataset_and_a_rerun_leave_only_this_runs_parts(tmp_path):
    pols = policies()
    rows = random_accounts(200, 8, mix=False)
    source = tmp_path / "in"
    source.mkdir()
    # A folder of files, read in natural order (2 before 10), each row group a partition.
    for k, chunk in ((10, rows[100:]), (2, rows[:100])):
        pq.write_table(pa.Table.from_pylist(chunk), source / f"accounts-{k}.parquet",
                       row_group_size=50)  # fmt: skip
    host = get_plugin_host(load_entry_points=False)
    expected = negotiate_table(pa.Table.from_pylist(rows), policies=pols, host=host)
    out = tmp_path / "options"
    out.mkdir()
    for stale in range(6):
        pq.write_table(expected.slice(0, 1), out / f"part.{stale}.parquet")
    with connect(workers=1) as client:
        parts = negotiate_dataset(
            source.as_uri(), out.as_uri(), client=client, policies=pols, load_entry_points=False
        )
    assert parts == 4
    assert sorted(p.name for p in out.iterdir()) == [f"part.{i}.parquet" for i in range(4)]
    assert _parts(out).to_pylist() == expected.to_pylist()
