"""Real processes: two writers at once, and writers killed with SIGKILL mid-append."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from debtnegotiation.negotiation_log import NegotiationLog

WRITER = Path(__file__).with_name("log_writer.py")
SRC = Path(__file__).resolve().parents[2] / "src"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def _writer(path: Path, count: int, tag: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(path), str(count), tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )


def _acks(output: str) -> dict[int, str]:
    acks = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "ACK":
            acks[int(parts[1])] = parts[2]
    return acks


def test_two_processes_append_500_each(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    NegotiationLog.open(path).close()  # create the schema once, as a user would
    started = time.perf_counter()
    writers = [_writer(path, 500, tag) for tag in ("A", "B")]
    outputs = [w.communicate(timeout=120) for w in writers]
    elapsed = time.perf_counter() - started
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
    acks = [_acks(out) for out, _ in outputs]
    assert len(acks[0]) == len(acks[1]) == 500
    assert not set(acks[0]) & set(acks[1])  # no sequence number handed out twice
    with NegotiationLog.open(path) as log:
        result = log.verify()
        assert result.ok, result.explanation
        assert result.entries == len(log) == 1000
        stored = {e.seq: e.hash for e in log.entries()}
        assert stored == acks[0] | acks[1]
        summaries = [e.contact.summary.split()[0] for e in log.entries()]
        assert summaries.count("A") == summaries.count("B") == 500
    print(f"\n2 x 500 appends in two processes: {elapsed:.2f} s")


@pytest.mark.parametrize("kills", [25])
def test_writer_killed_at_random_points_loses_no_acknowledged_entry(
    tmp_path: Path, kills: int
) -> None:
    path = tmp_path / "crash.sqlite"
    rng = random.Random(20260302)
    acknowledged: dict[int, str] = {}
    survived = 0
    for _ in range(kills):
        writer = _writer(path, 100_000, "crash")
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.005, 0.2))
        writer.send_signal(signal.SIGKILL)
        # Read through the same buffered reader as READY: communicate() reads the raw pipe
        # and would miss ACK lines that readline() had already buffered.
        with writer.stdout, writer.stderr:  # type: ignore[union-attr]
            out = writer.stdout.read()
            writer.stderr.read()  # type: ignore[union-attr]
        writer.wait(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        acknowledged |= _acks(out)
        with NegotiationLog.open(path) as log:
            result = log.verify()
            assert result.ok, result.explanation
            stored = {e.seq: e.hash for e in log.entries()}
        for seq, entry_hash in acknowledged.items():
            assert stored.get(seq) == entry_hash, f"acknowledged entry {seq} lost"
        # At most the one append in flight may be stored without its acknowledgement.
        assert len(stored) - len(acknowledged) in (0, 1)
        acknowledged = stored
        survived += 1
    assert survived == kills
    assert len(acknowledged) > kills  # the writers really wrote between kills
    print(f"\n{kills} SIGKILLs survived, {len(acknowledged)} entries")
