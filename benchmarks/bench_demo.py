"""Start-up of short ``debtneg`` commands, whole process: wall and CPU time, medians.

Run from the repository root after ``pip install -e ".[tests]"`` and the three plugins::

    python benchmarks/bench_demo.py                          # this checkout, 9 runs each
    python benchmarks/bench_demo.py --baseline /tmp/old/src  # and another tree, interleaved

``--baseline`` names the ``src`` folder of another checkout (``git archive <rev> | tar -x``,
then ``python hatch_build.py`` there for the catalogs); its package is put first on
``PYTHONPATH`` for its runs, with the same interpreter and installed plugins. Runs of the
two trees alternate, so a change in the machine's load falls on both.

Each command runs once before it is timed, and with bytecode writing on whatever
``PYTHONDONTWRITEBYTECODE`` says, so modules are loaded from ``__pycache__`` as in an
installed package, not compiled on every run. CPU time (user + system, from the kernel's
accounting of the finished child) is what the process itself costs; on a shared machine
its wall time is partly waiting for a core. The load average is printed with the figures.

Issue 11's target is ``debtneg demo`` at most 150 ms whole process. The two "floor" rows
import only the third-party packages the demo uses (and ``importlib.metadata``), none of
the library: what the library adds is a command's figure less its floor. It asserts
nothing: the figures are printed, never tested.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

#: The third-party modules ``debtneg demo`` imports (the standard library's come with
#: them): no run of the demo can cost less than importing these.
FLOOR: Final = "click, jinja2, jinja2.ext, attrs, babel.numbers, babel.support, pluggy"
#: And for ``--format json``: the serialiser's.
FLOOR_JSON: Final = f"{FLOOR}, cattrs, json"

#: What is timed: a label and the interpreter's arguments.
COMMANDS: Sequence[tuple[str, Sequence[str]]] = (
    ("python -c pass", ("-c", "pass")),
    ("floor: third-party imports", ("-c", f"import importlib.metadata, {FLOOR}")),
    ("floor, with cattrs", ("-c", f"import importlib.metadata, {FLOOR_JSON}")),
    ("import debtnegotiation", ("-c", "import debtnegotiation")),
    ("debtneg --help", ("-m", "debtnegotiation", "--help")),
    ("debtneg demo", ("-m", "debtnegotiation", "demo")),
    ("debtneg demo --format json", ("-m", "debtnegotiation", "demo", "--format", "json")),
)


def _environment(src: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("COLUMNS", None)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (src, env.get("PYTHONPATH"))))
    return env


def _run(argv: Sequence[str], env: Mapping[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of the interpreter with *argv*."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *argv], check=True, stdout=subprocess.DEVNULL, env=dict(env)
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    """Time each command in each tree and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs per command and tree")
    parser.add_argument("--baseline", metavar="SRC", help="the src folder of another checkout")
    args = parser.parse_args(argv)
    trees: dict[str, dict[str, str]] = {"this": _environment(None)}
    if args.baseline:
        trees["baseline"] = _environment(str(Path(args.baseline).resolve()))

    print(f"Python {sys.version.split()[0]} on {platform.machine()}; {args.runs} runs each")
    print(f"load average before: {os.getloadavg()}")
    print(f"{'command':<28} {'tree':<9} {'wall ms':>8} {'CPU ms':>8}  (medians)")
    for label, command in COMMANDS:
        for env in trees.values():
            _run(command, env)  # warm up: bytecode written, files in the page cache
        times: dict[str, list[tuple[float, float]]] = {tree: [] for tree in trees}
        for _ in range(args.runs):
            for tree, env in trees.items():
                times[tree].append(_run(command, env))
        for tree, runs in times.items():
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            print(f"{label:<28} {tree:<9} {wall * 1e3:>8.0f} {cpu * 1e3:>8.0f}")
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
