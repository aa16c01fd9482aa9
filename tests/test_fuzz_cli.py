"""Fuzzing ``debtneg apr`` arguments and case files: bad input is a clear error, never a bug.

Before these tests, 9 of 600 fuzzed ``debtneg apr`` argument sets, a JSON ``null``, a
``"\\ud800"`` escape and ``--amount 1e999999`` ended in exit status 70 (an internal
error). Every run here must end with status 0, 1 or 2, no traceback and no "internal
error" line. Under CI the ``ci`` Hypothesis profile (root ``conftest.py``) derandomizes the
examples, so each commit is checked against the same inputs; the commands run in-process
through click's ``CliRunner`` to keep the run time modest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debtnegotiation.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
ISOLATED = {
    "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
    "DEBTNEG_DISABLE_PLUGINS": "",
    "DEBTNEG_LOCALE": None,
    "DEBTNEG_TRACE_PLUGINS": None,
}
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def assert_clean(result: Result) -> None:
    """Status 0, 1 or 2; no escaped exception, traceback or internal error."""
    escaped = result.exception
    assert escaped is None or isinstance(escaped, SystemExit), repr(escaped)
    assert result.exit_code in {0, 1, 2}, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr


def invoke(args: list[str]) -> Result:
    return CliRunner(env=ISOLATED).invoke(cli, args)


# --- debtneg apr ----------------------------------------------------------------------

#: Numerals, near-numerals and junk: what a hurried user or an attacker types.
hostile_numbers = st.one_of(
    st.sampled_from(
        [
            "10000",
            "880",
            "0",
            "-1",
            "1e999999",
            "1e-999999",
            "1e100000",
            "9" * 5000,
            "NaN",
            "Infinity",
            "-inf",
            "_1",
            "1__0",
            "1_000",
            "１２",
            "٣",
            "1,000",
            "0x10",
            "1e",
            ".",
            "+",
            "",
            " ",
            "\x00",
            "1" * 40,
            "0." + "0" * 80 + "1",
            "1E+29",
            "99999999999999.99",
            "1.005",
            "12000.001",
        ]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(max_size=12),
)
terms = st.one_of(
    st.integers(min_value=-5, max_value=700).map(str),
    st.sampled_from(["", "12.0", "1e3", "１２", "99999999999999999999"]),
)
dates = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.sampled_from(["", "2026-02-30", "9999-12-31", "0001-01-01", "tomorrow"]),
)
regimes = st.lists(st.sampled_from(["cn-pboc", "us-reg-z", "eu-ccd", "xirr", "apr"]), max_size=3)


@st.composite
def apr_args(draw: st.DrawFn) -> list[str]:
    args = ["apr"]
    for option, values in (
        ("--amount", hostile_numbers),
        ("--fee", hostile_numbers),
        ("--installment", hostile_numbers),
        ("--term", terms),
        ("--start", dates),
        ("--currency", st.sampled_from(["CNY", "JPY", "KWD", "usd", "XXX", "", "€"])),
        ("--format", st.sampled_from(["table", "markdown", "json"])),
    ):
        if draw(st.booleans()) or option in {"--amount", "--installment", "--term"}:
            args += [option, draw(values)]
    for regime in draw(regimes):
        args += ["--regime", regime]
    return args


@FUZZ
@given(args=apr_args())
def test_fuzzed_apr_arguments_never_crash(args):
    assert_clean(invoke(args))


def test_the_reported_apr_crash_is_a_usage_error():
    result = invoke(
        [
            "apr",
            "--amount",
            "1e999999",
            "--term",
            "12",
            "--installment",
            "880",
            "--regime",
            "cn-pboc",
        ]
    )
    assert_clean(result)
    assert result.exit_code == 2
    assert "--amount" in result.stderr


# --- case files -----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


EXAMPLE_DATA: dict[str, Any] = _plain(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


PATHS = _paths(EXAMPLE_DATA)

#: Values a mutation puts anywhere in the case.
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**30), max_value=10**30),
    hostile_numbers,
    st.sampled_from(
        ["\ud800", "x\udcff", "9999-12-31", "0001-01-01", "2026-13-01", "daily", "CNY", "USD"]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["value", "unit", "x"]), st.text(max_size=4), max_size=2),
)


def _mutate(data: Any, path: tuple[Any, ...], action: str, value: Any) -> None:
    *parents, last = path
    holder = data
    for step in parents:
        holder = holder[step]
    if action == "delete":
        del holder[last]
    elif action == "add" and isinstance(holder, dict):
        holder[f"{last}_extra"] = value
    else:
        holder[last] = value


@st.composite
def mutated_cases(draw: st.DrawFn) -> dict[str, Any]:
    data = json.loads(json.dumps(EXAMPLE_DATA))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(PATHS))
        action, value = draw(st.sampled_from(["set", "set", "delete", "add"])), draw(junk)
        # An earlier mutation may have removed or replaced the parent: then skip this one.
        with contextlib.suppress(KeyError, IndexError, TypeError):
            _mutate(data, path, action, value)
    return data


CASE_FUZZ = settings(FUZZ, max_examples=120)


@CASE_FUZZ
@given(data=mutated_cases(), command=st.sampled_from(["options", "plan", "letter"]))
def test_fuzzed_json_case_files_never_crash(tmp_path_factory, data, command):
    path = tmp_path_factory.mktemp("case") / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert_clean(invoke([command, str(path)]))


@CASE_FUZZ
@given(
    start=st.integers(min_value=0, max_value=len(EXAMPLE.read_text(encoding="utf-8"))),
    length=st.integers(min_value=0, max_value=8),
    insert=st.one_of(hostile_numbers, st.sampled_from(['"', "[", "]", "=", "\n", "{"])),
)
def test_fuzzed_toml_case_files_never_crash(tmp_path_factory, start, length, insert):
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("case") / "case.toml"
    path.write_text(text[:start] + insert + text[start + length :], encoding="utf-8")
    assert_clean(invoke(["options", str(path)]))
