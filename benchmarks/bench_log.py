"""Benchmark of the negotiation log: append time as the log grows, and verify().

Run from the repository root after ``pip install -e .``::

    python benchmarks/bench_log.py                  # 1k, 10k and 100k entries
    python benchmarks/bench_log.py --sizes 1000 10000 --appends 10
    python benchmarks/bench_log.py --sizes 100000 --keep /tmp/bench-logs   # build once

Building a log of 100k entries takes minutes; with ``--keep DIR`` each log is built into
DIR once and copied from there on later runs (the timed appends change only the copy).

For each size it builds a log of that many entries in one transaction (every tenth entry a
correction, every tenth a commitment update, the rest contacts with a commitment), then
times single appends of the kinds that used to re-read the log: a correction and a
commitment update, alternately, each a durable commit of its own. The peer, measured in the
same run, is a plain ``sqlite3`` INSERT of the same record text into a table of the same
shape, with the same durability (WAL, ``synchronous=FULL``, one transaction per row). It
then times ``verify()`` of the largest log against the peer of reading the same rows and
hashing each record with SHA-256, in CPU time (``time.process_time``, which other jobs
on a shared machine inflate least) and wall time. Ratios are of medians (for verify(), of
CPU times) in the same run. ``--verify-only`` skips the appends and times only verify()
of the largest size. It asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from debtnegotiation.negotiation_log import (
    GENESIS_HASH,
    Commitment,
    CommitmentUpdate,
    Contact,
    Counterpart,
    LogEntry,
    NegotiationLog,
)
from debtnegotiation.negotiation_log.log import row_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def contact(i: int) -> Contact:
    """The i-th contact of the synthetic log: a call with one commitment."""
    return Contact(
        at=dt.datetime(2026, 1, 1, 10, 0, tzinfo=SHANGHAI) + dt.timedelta(minutes=i),
        channel="phone",
        direction="inbound",
        counterpart=Counterpart(name="Li Wei", organisation="Example Bank card centre"),
        summary=f"call {i}: they asked for a payment date",
        commitments=[Commitment(by="borrower", what="send the payslip", due="2026-02-01")],
    )


def build_log(path: Path, size: int) -> NegotiationLog:
    """A log of *size* entries, written in one transaction with ``extend``."""
    rows = []
    prev = GENESIS_HASH
    for seq in range(1, size + 1):
        item = contact(seq)
        if seq % 10 == 0:
            item = Contact(
                at=item.at, channel="phone", direction="inbound", summary="x", corrects=seq - 5
            )
        elif seq % 10 == 5:
            item = Contact(
                at=item.at,
                channel="phone",
                direction="inbound",
                commitment_updates=[CommitmentUpdate(entry=seq - 3, index=0, status="fulfilled")],
            )
        entry = LogEntry.build(
            seq=seq, prev_hash=prev, appended_at=START + dt.timedelta(seconds=seq), contact=item
        )
        rows.append(row_of(entry))
        prev = entry.hash
    log = NegotiationLog.open(path)
    log.store.extend(rows)
    return log


def kept_log(path: Path, size: int, keep: Path | None) -> NegotiationLog:
    """The log of *size* entries at *path*: built, or copied from the one kept in *keep*."""
    if keep is None:
        return build_log(path, size)
    kept = keep / f"log-{size}.sqlite"
    if not kept.exists():
        keep.mkdir(parents=True, exist_ok=True)
        build_log(kept.with_suffix(".partial"), size).close()
        kept.with_suffix(".partial").replace(kept)
    shutil.copyfile(kept, path)
    return NegotiationLog.open(path)


def time_appends(log: NegotiationLog, count: int) -> float:
    """Median seconds of one append: a correction and a commitment update, alternately."""
    size = len(log)
    times = []
    for k in range(count):
        started = time.perf_counter()
        if k % 2 == 0:
            corrects = max(1, size - 3 - 10 * k) // 10 * 10 + 1  # an original (ends in 1)
            if hasattr(NegotiationLog, "_append"):
                log.correct(corrects, summary=f"corrected {k}")
            else:  # the API before carry-over took a whole Contact
                log.correct(corrects, contact(corrects))  # type: ignore[call-arg]
        else:
            target = max(1, size - 10 * k) // 10 * 10 + 2  # an original with a commitment
            log.append(
                Contact(
                    at=START,
                    channel="phone",
                    direction="outbound",
                    commitment_updates=[CommitmentUpdate(entry=target, index=0, status="broken")],
                )
            )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def time_peer_inserts(path: Path, log: NegotiationLog, count: int) -> float:
    """Median seconds of a plain, durable sqlite3 INSERT of the same record text."""
    records = [row.record for row in log.store.rows()][-count:]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE rows (seq INTEGER PRIMARY KEY, prev_hash TEXT, entry_hash TEXT, record TEXT)"
    )
    times = []
    for i, record in enumerate(records):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO rows VALUES (?, ?, ?, ?)", (i + 1, "p" * 64, "h" * 64, record))
        conn.execute("COMMIT")
        times.append(time.perf_counter() - started)
    conn.close()
    return statistics.median(times)


def time_verify(log: NegotiationLog) -> tuple[tuple[float, float], tuple[float, float]]:
    """CPU and wall seconds of ``verify()`` and of the peer (read every row, SHA-256 each).

    CPU time (``time.process_time``) is what other jobs on a shared machine inflate
    least; both are printed.
    """
    started, cpu = time.perf_counter(), time.process_time()
    result = log.verify()
    ours = time.process_time() - cpu, time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"the benchmark log does not verify: {result.explanation}")
    started, cpu = time.perf_counter(), time.process_time()
    for row in log.store.rows():
        hashlib.sha256(row.record.encode("utf-8")).hexdigest()
    return ours, (time.process_time() - cpu, time.perf_counter() - started)


def main() -> int:
    """Build the logs, time them and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--appends", type=int, default=20, help="appends timed per size")
    parser.add_argument("--keep", type=Path, help="build each log once into this folder")
    parser.add_argument(
        "--verify-only", action="store_true", help="time only verify() of the largest log"
    )
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.machine()} {sys.platform}")
    print(f"{'entries':>8} {'append ms':>10} {'peer ms':>8} {'ratio':>6}")
    largest = None
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            if args.verify_only and size != max(args.sizes):
                continue
            log = kept_log(Path(folder) / f"log-{size}.sqlite", size, args.keep)
            if not args.verify_only:
                ours = time_appends(log, args.appends)
                peer = time_peer_inserts(Path(folder) / f"peer-{size}.sqlite", log, args.appends)
                print(f"{size:>8} {ours * 1e3:>10.2f} {peer * 1e3:>8.2f} {ours / peer:>6.1f}")
            if largest is not None:
                largest.close()
            largest = log
        assert largest is not None
        (ours, ours_wall), (peer, peer_wall) = time_verify(largest)
        count = len(largest)
        print(
            f"verify() of {count} entries: {ours:.2f} s CPU ({ours / count * 1e6:.0f} µs per "
            f"entry; {ours_wall:.2f} s wall); peer (read + SHA-256 each record) {peer:.2f} s "
            f"CPU ({peer_wall:.2f} s wall); ratio {ours / peer:.1f} (CPU)"
        )
        largest.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
