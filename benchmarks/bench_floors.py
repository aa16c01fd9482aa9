"""Floors under two of issue 11's targets: work no implementation in CPython can skip.

Run from the repository root after ``pip install -e .``::

    python benchmarks/bench_floors.py                      # builds a 2,000-entry log
    python benchmarks/bench_floors.py --log LOG.sqlite     # or reads an existing log

A target below its floor cannot be met by optimising the library; it needs another design
or another target. Two floors are measured here, each in the same run as the target's own
figure:

* **``debtneg demo`` at most 150 ms, whole process.** A child process runs the demo and
  lists the modules it loaded. Those of the components the project requires (click for
  the command line, Jinja2 for documents, Babel for locales, attrs for the models, pluggy
  for plugins, ``importlib.metadata`` to find plugin distributions) are then imported, in
  the order the demo loaded them, by a fresh interpreter that does nothing else; they
  bring the standard-library modules they need themselves, and nothing the library alone
  imports is counted. The CPU time of that process (user + system, the least of the runs)
  is the floor of any demo built on those components, before it computes or prints
  anything.
* **``verify()`` of 100,000 entries at most 2 s (20 µs an entry).** Format 2 commits to
  every value of an entry with its own salted SHA-256 digest (RFC 9901's selective
  disclosure), so that a redacted export still proves every value it shows. A verifier
  must therefore, per entry, at least parse the stored JSON record and recompute each
  disclosure digest and the entry hash: a tampered value is caught only by its own digest.
  The floor is that work alone, timed on the rows of a real log (the C JSON parser and
  ``hashlib``; nothing checked, nothing compared), next to ``verify()`` of the same log.

Figures are CPU time (``time.process_time`` in process, ``resource.getrusage`` of
children), which the load of a shared machine inflates least. It asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Final

#: The modules a bare interpreter has loaded, and those the demo loaded, in order.
_LIST_MODULES = "import sys; print('\\n'.join(sys.modules))"
_DEMO_MODULES = """
import atexit, sys
listing = sys.argv[1]
atexit.register(lambda: open(listing, "w").write("\\n".join(sys.modules)))
sys.argv = ["debtneg", "demo"]
from debtnegotiation.cli import main
main()
"""


def _environment() -> dict[str, str]:
    # Our sessions set PYTHONDONTWRITEBYTECODE, which recompiles every module on every run.
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def _child_cpu(argv: list[str], runs: int) -> float:
    """The least CPU seconds (user + system) of *runs* processes of *argv*."""
    best = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(  # noqa: S603 - our own interpreter and arguments
            argv, check=True, stdout=subprocess.DEVNULL, env=_environment()
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, used)
    return best


#: The components the project requires (click for the command line, Jinja2 and its
#: MarkupSafe for documents, Babel for locales, attrs for the models, pluggy for plugins,
#: ``importlib.metadata`` to find plugin distributions).
_REQUIRED: Final = frozenset({"click", "jinja2", "markupsafe", "attr", "attrs", "babel", "pluggy"})


def _required(name: str) -> bool:
    return name.partition(".")[0] in _REQUIRED or name.startswith("importlib.metadata")


def demo_floor(runs: int) -> tuple[float, float, float, int]:
    """CPU of a bare interpreter, of the demo, and of importing what the demo imports.

    Returns ``(bare, demo, floor, modules)``, seconds and the count of modules imported.
    """
    python = sys.executable
    bare_modules = set(
        subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [python, "-c", _LIST_MODULES], check=True, capture_output=True, text=True,
            env=_environment(),
        ).stdout.split()
    )
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "modules.txt"
        subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [python, "-c", _DEMO_MODULES, str(listing)], check=True,
            stdout=subprocess.DEVNULL, env=_environment(),
        )
        loaded = listing.read_text(encoding="utf-8").split()
    needed = [name for name in loaded if name not in bare_modules and _required(name)]
    # Private submodules are imported by their packages; importing them by name could fail
    # where the package import does not, so each import is tried and a failure skipped.
    script = (
        "import importlib\n"
        f"for name in {needed!r}:\n"
        "    try:\n        importlib.import_module(name)\n    except Exception:\n        pass\n"
    )
    bare = _child_cpu([python, "-c", "pass"], runs)
    floor = _child_cpu([python, "-c", script], runs)
    demo = _child_cpu([python, "-m", "debtnegotiation", "demo"], runs)
    return bare, demo, floor, len(needed)


def _build_log(path: Path, entries: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_log  # the log benchmark's own synthetic log

    bench_log.build_log(path, entries)


def _disclosures(record: dict[str, object]) -> list[bytes]:
    """The UTF-8 text ``[salt, path, value]`` of each salted value, as the format hashes it."""
    texts = []
    salts = record.get("salts", {})
    assert isinstance(salts, dict)
    for pointer, salt in salts.items():
        value: object = record
        for token in pointer.split("/")[1:]:
            value = value[int(token)] if isinstance(value, list) else value[token]  # type: ignore[index]
        text = json.dumps([salt, pointer, value], separators=(",", ":"), ensure_ascii=False)
        texts.append(text.encode())
    return texts


def verify_floor(path: Path) -> tuple[int, int, float, float]:
    """Entries, committed values, CPU seconds of ``verify()`` and of the floor's work."""
    from debtnegotiation.negotiation_log import NegotiationLog

    with sqlite3.connect(path) as connection:
        records = [row[0] for row in connection.execute("SELECT record FROM log_entries")]
    # The disclosures' texts, prepared outside the timed loop: the floor times only the
    # parsing and the hashing, none of the walk that finds each value.
    disclosures = [_disclosures(json.loads(text)) for text in records]
    values = sum(map(len, disclosures))
    sha256 = hashlib.sha256
    loads = json.loads
    started = time.process_time()
    for text, texts in zip(records, disclosures, strict=True):
        loads(text)
        for disclosure in texts:
            sha256(disclosure).hexdigest()
        sha256(text.encode()).hexdigest()  # the entry hash, over a text of similar length
    floor = time.process_time() - started
    log = NegotiationLog.open(path)
    started = time.process_time()
    result = log.verify()
    ours = time.process_time() - started
    if not result.ok:
        raise SystemExit(f"the log does not verify: {result.explanation}")
    return len(records), values, ours, floor


def main(argv: list[str] | None = None) -> int:
    """Measure both floors and print them next to the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="processes per figure")
    parser.add_argument("--log", type=Path, help="an existing log (else one is built)")
    parser.add_argument("--entries", type=int, default=2_000, help="entries of a built log")
    args = parser.parse_args(argv)
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"load {os.getloadavg()[0]:.2f}")

    bare, demo, floor, modules = demo_floor(args.runs)
    print(f"python -c pass: {bare * 1e3:.0f} ms CPU (least of {args.runs})")
    print(f"debtneg demo: {demo * 1e3:.0f} ms CPU, whole process (target 150 ms)")
    print(f"floor: the {modules} modules of click, Jinja2, attrs, Babel, pluggy and "
          f"importlib.metadata it loads, imported alone: {floor * 1e3:.0f} ms CPU, whole "
          f"process; the target is {'above' if floor < 0.150 else 'below'} the floor")

    with tempfile.TemporaryDirectory() as folder:
        path = args.log
        if path is None:
            path = Path(folder) / "log.sqlite"
            _build_log(path, args.entries)
        entries, values, ours, work = verify_floor(path)
    per_entry, floor_entry = ours / entries * 1e6, work / entries * 1e6
    print(f"verify() of {entries} entries ({values / entries:.1f} committed values each): "
          f"{per_entry:.0f} µs an entry; target 20 µs (2 s for 100,000)")
    print(f"floor: parse each record and recompute its {values / entries:.1f} disclosure "
          f"digests and the entry hash, nothing else: {floor_entry:.1f} µs an entry "
          f"({floor_entry * 0.1:.2f} s for 100,000); the target is "
          f"{'above' if floor_entry < 20 else 'below'} the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
