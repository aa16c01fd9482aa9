"""Benchmark of the batch path against the scalar path and pyxirr, in the same run.

Run from the repository root after ``pip install -e ".[batch,dask,benchmarks]"``::

    python benchmarks/bench_batch.py                  # 100,000 accounts, no Dask
    python benchmarks/bench_batch.py --dask 1000000   # also the Dask run of issue 11
    python benchmarks/bench_batch.py --quick          # 20,000 accounts, smoke run

Synthetic accounts: CNY, USD, EUR and JPY debts stated on the case date, lenders whose
policies freeze interest over 24 or 60 months (the accounts the vectorised strategies
answer), 40 distinct contract rates, no hardship recorded. Entry points are off, so the
figure is the built-ins'. Reported, never asserted (the machine is shared: the load
average is printed next to the figures):

* batch accounts per second on one core, and the scalar path's (``Negotiation.options()``
  per account, 300 accounts) in the same run: the ratio (target ≥ 150×, ≥ 50,000/s);
* memory per account while streaming a Parquet file through ``negotiate_file``: the peak
  of Python allocations (``tracemalloc``) plus the peak of an Arrow pool of its own (a
  proxy of the default, set for the streaming only), over the block size (target ≤ 2 KB);
* the vectorised annual rate against ``pyxirr.irr`` per series, 36-month plans
  (target ≤ 0.5×);
* with ``--dask N``: N accounts as Parquet row groups on a LocalCluster of one, then
  two, worker processes (warmed: imports and plugin host built): accounts per second,
  the workers' peak memory, and their CPU time over the wall time (how many cores they
  got: on a shared machine, fewer than two) (target two workers ≥ 1.7× one).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from debtnegotiation import LenderPolicy, get_plugin_host
from debtnegotiation.batch import BLOCK_SIZE, negotiate_file, negotiate_table, periodic_rates
from debtnegotiation.batch.scalar import scalar_records

CURRENCIES = (
    ("CNY", 2, "CN-PBOC"),
    ("USD", 2, "US-RegZ"),
    ("EUR", 2, "EU-CCD"),
    ("JPY", 0, "US-RegZ"),
)


def policies():
    base = {"source": "benchmark"}
    card = {**base, "lender": "Card Co"}
    return {
        "card-24": LenderPolicy.from_mapping({**card, "max_months": 24}),
        "loan-60": LenderPolicy.from_mapping({**base, "lender": "Loan Co", "max_months": 60}),
        # The --mix workload adds fees of each timing, a plan rate, and no policy at all.
        "fee-12": LenderPolicy.from_mapping({**card, "max_months": 12, "fee_rate": "0.05"}),
        "fee-24-withheld": LenderPolicy.from_mapping(
            {**card, "max_months": 24, "fee_rate": "0.03", "fee_timing": "withheld"}
        ),
        "fee-36-spread": LenderPolicy.from_mapping(
            {**card, "max_months": 36, "fee_rate": "0.045", "fee_timing": "spread"}
        ),
        "rated-36": LenderPolicy.from_mapping(
            {**card, "max_months": 36, "plan_rate": {"value": "0.12", "unit": "annual-nominal"}}
        ),
    }


#: The --mix workload's policies (an empty name: no policy, the generic assumed terms).
MIX = ("card-24", "loan-60", "fee-12", "fee-24-withheld", "fee-36-spread", "rated-36", "")


def accounts(count: int, seed: int = 1, *, mix: bool = False) -> pa.Table:
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(CURRENCIES), count)
    places = np.array([c[1] for c in CURRENCIES])[which]
    scale = 10**places
    principal = rng.integers(1_000, 5_000_000, count) * scale // 100
    accrued = principal // rng.integers(20, 200, count)
    income = rng.integers(2_000, 20_000, count) * scale
    expenses = income * rng.integers(30, 95, count) // 100

    def money(units: np.ndarray) -> list[str]:
        out = []
        for u, p in zip(units.tolist(), places.tolist(), strict=True):
            out.append(str(u) if p == 0 else f"{u // 10**p}.{u % 10**p:0{p}d}")
        return out

    rates = [f"0.{n:04d}" for n in range(100, 4100, 100)]
    policy = np.where(rng.random(count) < 0.5, "card-24", "loan-60")
    if mix:
        policy = np.asarray(MIX, dtype=object)[rng.integers(0, len(MIX), count)].astype(str)
    return pa.table(
        {
            "account": [f"B{i:08d}" for i in range(count)],
            "currency": [CURRENCIES[w][0] for w in which.tolist()],
            "principal": money(principal),
            "accrued_interest": money(accrued),
            "contract_rate": [rates[k] for k in rng.integers(0, len(rates), count).tolist()],
            "contract_rate_unit": ["annual-nominal"] * count,
            "as_of": ["2026-11-02"] * count,
            "creditor": np.where(policy == "card-24", "Card Co", "Loan Co").tolist(),
            "creditor_kind": np.where(
                policy == "card-24", "credit-card", "consumer-finance"
            ).tolist(),
            "monthly_income": money(income),
            "expenses": money(expenses),
            "regime": [CURRENCIES[w][2] for w in which.tolist()],
            "policy": policy.tolist(),
        }
    )


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} CPUs"


def bench_batch(count: int, *, mix: bool = False) -> None:
    host = get_plugin_host(load_entry_points=False)
    pols = policies()
    table = accounts(count, mix=mix)
    negotiate_table(table.slice(0, 2000), policies=pols, host=host)  # warm caches
    start = time.perf_counter()
    out = negotiate_table(table, policies=pols, host=host)
    batch_s = time.perf_counter() - start
    paths = out.column("path").to_pylist()
    vector = sum(p == "vector" for p in paths)
    names = out.column("account").to_pylist()
    on_vector = len({a for a, p in zip(names, paths, strict=True) if p == "vector"})
    rows = table.slice(0, 300).to_pylist()
    start = time.perf_counter()
    for row in rows:
        scalar_records(row, policies=pols, host=host)
    scalar_s = (time.perf_counter() - start) / len(rows)
    rate = count / batch_s
    print(f"batch: {count:,} accounts in {batch_s:.2f} s = {rate:,.0f} accounts/s "
          f"({vector:,} of {out.num_rows:,} option rows vector; "
          f"{on_vector / count:.1%} of accounts on the vector path)")
    print(f"scalar: {1 / scalar_s:,.0f} accounts/s ({scalar_s * 1e3:.2f} ms each)")
    print(f"ratio batch / scalar: {rate * scalar_s:,.0f}x (target >= 150x; >= 50,000/s)")


def bench_memory(count: int) -> None:
    host = get_plugin_host(load_entry_points=False)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "accounts.parquet"
        pq.write_table(accounts(count), source, row_group_size=BLOCK_SIZE)
        # A pool of its own, so Arrow's peak is the streaming's, not the input's creation.
        default = pa.default_memory_pool()
        pool = pa.proxy_memory_pool(default)
        pa.set_memory_pool(pool)
        tracemalloc.start()
        try:
            negotiate_file(source, Path(folder) / "options.parquet", policies=policies(),
                           host=host)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            pa.set_memory_pool(default)
        arrow_peak = pool.max_memory() or 0
    per = (peak + arrow_peak) / BLOCK_SIZE
    print(f"streaming {count:,} accounts: peak Python {peak / 2**20:.1f} MiB + Arrow "
          f"{arrow_peak / 2**20:.1f} MiB for blocks of {BLOCK_SIZE:,} = "
          f"{per / 1024:.2f} KB per account in flight (target <= 2 KB)")


def bench_rates(series: int) -> None:
    import pyxirr

    rng = np.random.default_rng(3)
    months = 36
    principal = rng.integers(100_000, 10_000_000, series)
    monthly = rng.integers(10, 300, series) / 10_000
    payment = np.ceil(principal * monthly / (1 - (1 + monthly) ** -months)).astype(np.int64)
    flows = np.zeros((series, months + 1), dtype=np.int64)
    flows[:, 0] = -principal
    flows[:, 1:] = payment[:, None]
    start = time.perf_counter()
    check = periodic_rates(flows)
    ours = (time.perf_counter() - start) / series
    lists = flows.astype(float).tolist()
    start = time.perf_counter()
    theirs_rates = [pyxirr.irr(f) for f in lists]
    theirs = (time.perf_counter() - start) / series
    agree = np.allclose(check.periodic, np.asarray(theirs_rates), rtol=0, atol=1e-9)
    print(f"annual rate, {series:,} series of {months + 1} flows: {ours * 1e6:.2f} us per "
          f"series vs pyxirr.irr {theirs * 1e6:.2f} us: {ours / theirs:.2f}x (target <= 0.5x); "
          f"certified {check.certified.mean():.1%}; agree with pyxirr to 1e-9: {agree}")


def bench_dask(count: int) -> None:
    from debtnegotiation.batch.cluster import connect, negotiate_dataset

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "accounts.parquet"
        with pq.ParquetWriter(source, accounts(1).schema) as writer:
            for start in range(0, count, 100_000):
                part = accounts(min(100_000, count - start), seed=start + 7)
                writer.write_table(part, row_group_size=50_000)
        times = {}
        for workers in (1, 2):
            with connect(workers=workers, memory_limit="1.5GiB") as client:
                # Warm: the workers import the batch path and build their plugin host.
                client.run(_warm)
                before = sum(client.run(_cpu_seconds).values())
                start = time.perf_counter()
                negotiate_dataset(source, Path(folder) / f"out{workers}", client=client,
                                  policies=policies(), load_entry_points=False)
                times[workers] = time.perf_counter() - start
                cpu = sum(client.run(_cpu_seconds).values()) - before
                peaks = client.run(_peak_rss)
            peak = max(peaks.values()) / 2**20
            print(f"dask, {workers} worker(s): {count:,} accounts in {times[workers]:.1f} s = "
                  f"{count / times[workers]:,.0f} accounts/s; peak RSS per worker {peak:.0f} MiB "
                  "(limit 1.5 GiB, partitions of 50,000 accounts); workers' CPU "
                  f"{cpu:.1f} s = {cpu / times[workers]:.2f} cores busy")
        print(f"two workers / one: {times[1] / times[2]:.2f}x (target >= 1.7x)")


def _warm() -> None:
    from debtnegotiation.batch.cluster import worker_host

    worker_host(load_entry_points=False, blocked=())


def _cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--dask", type=int, default=0, metavar="N")
    parser.add_argument(
        "--mix", type=int, default=10_000, metavar="N",
        help="accounts of the mixed workload (its scalar share is slow; 0: skip it)",
    )
    args = parser.parse_args()
    count = 20_000 if args.quick else args.accounts
    print(f"python {sys.version.split()[0]}; {load()}")
    bench_batch(count)
    # The mixed workload: fees of each timing, a plan rate, and accounts without a policy.
    if args.mix:
        print("mixed policies:", ", ".join(name or "(none)" for name in MIX))
        bench_batch(args.mix, mix=True)
    bench_memory(min(count, 100_000))
    bench_rates(10_000 if not args.quick else 2_000)
    if args.dask:
        bench_dask(args.dask)
    print(f"after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
