"""``debtneg batch``, the runnable example, and the light core import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from debtnegotiation import LenderPolicy, get_plugin_host
from debtnegotiation.batch import iter_account_batches, negotiate_table
from debtnegotiation.cli import EXIT_OK, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ENV = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1"}


def _expected():
    policies = {p.lender: p for p in LenderPolicy.from_toml(EXAMPLES / "batch-policies.toml")}
    accounts = pa.concat_tables(iter_account_batches(EXAMPLES / "accounts.csv"))
    host = get_plugin_host(load_entry_points=False)
    return negotiate_table(accounts, policies=policies, host=host)


def test_debtneg_batch_writes_the_options_table(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DEBTNEG_DISABLE_PLUGIN_AUTOLOAD", "1")
    out = tmp_path / "options.parquet"
    argv = [
        "batch",
        str(EXAMPLES / "accounts.csv"),
        "--policy",
        str(EXAMPLES / "batch-policies.toml"),
        "--out",
        str(out),
        "--no-progress",
    ]
    assert main(argv, environ=ENV) == EXIT_OK
    assert capsys.readouterr().out == f"8 accounts negotiated; options written to {out}\n"
    assert pq.read_table(out).to_pylist() == _expected().to_pylist()


def test_debtneg_batch_reads_parquet_too(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBTNEG_DISABLE_PLUGIN_AUTOLOAD", "1")
    source = tmp_path / "accounts.parquet"
    pq.write_table(pa.concat_tables(iter_account_batches(EXAMPLES / "accounts.csv")), source)
    out = tmp_path / "options.parquet"
    argv = [
        "batch",
        str(source),
        "--policy",
        str(EXAMPLES / "batch-policies.toml"),
        "--out",
        str(out),
        "--no-progress",
    ]
    assert main(argv, environ=ENV) == EXIT_OK
    assert pq.read_table(out).to_pylist() == _expected().to_pylist()


def test_debtneg_batch_names_a_bad_account(tmp_path, capsys):
    source = tmp_path / "accounts.csv"
    text = (EXAMPLES / "accounts.csv").read_text(encoding="utf-8")
    source.write_text(text.replace("A-0002,CNY,5200.00", "A-0002,CNY,5200.001"), "utf-8")
    argv = [
        "batch",
        str(source),
        "--policy",
        str(EXAMPLES / "batch-policies.toml"),
        "--out",
        str(tmp_path / "o.parquet"),
        "--no-progress",
    ]
    assert main(argv, environ=ENV) == EXIT_USAGE
    assert "account A-0002" in capsys.readouterr().err


def test_debtneg_batch_warns_when_a_plugin_has_no_batch_form(tmp_path, capsys):
    # The installed jurisdiction plugins review proposals: every account runs scalar.
    out = tmp_path / "options.parquet"
    argv = [
        "batch",
        str(EXAMPLES / "accounts.csv"),
        "--policy",
        str(EXAMPLES / "batch-policies.toml"),
        "--out",
        str(out),
        "--no-progress",
    ]
    assert main(argv, environ={}) == EXIT_OK
    assert "every account runs through the scalar path" in capsys.readouterr().err
    assert set(pq.read_table(out).column("path").to_pylist()) == {"scalar"}


def test_the_batch_example_runs():
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "batch_example.py")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == [
        "account",
        "strategy",
        "eligibility",
        "currency",
        "largest_payment",
        "path",
    ]
    assert len(lines) == 9
    assert {line.split()[-1] for line in lines[1:]} == {"vector", "scalar"}


def test_the_how_to_shows_the_example_output():
    page = (ROOT / "docs" / "howto" / "batch.rst").read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "batch_example.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    shown = "\n".join("    " + line for line in done.stdout.splitlines())
    assert shown in page


def test_the_core_import_stays_light():
    code = (
        "import sys, debtnegotiation, debtnegotiation.cli\n"
        "heavy = {'numpy', 'pandas', 'pyarrow', 'dask', 'distributed', 'tqdm'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
