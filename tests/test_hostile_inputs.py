"""The attacks of issue 10 on inputs: each is a typed error naming file and key, at once.

A 1.8 KB case file with ``principal = "1e100000"`` made ``debtneg options`` run 88 s;
``"1e999999"`` took 25 s to load; a rate of ``"1e-999999"`` 84 s; ``on = 9999-12-31``
gave an error naming neither file nor key; ``"_1"``, ``"1__0"`` and fullwidth digits were
accepted as amounts; a ``"\\ud800"`` escape or undecodable bytes in an argument ended in
exit status 70. The bounds are documented in ``docs/reference/case-file.rst``.
"""

from __future__ import annotations

import json
import tomllib
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation._bounds import MAX_AMOUNT_UNITS
from debtnegotiation.casefile import LATEST_CASE_DATE, CaseFileError, load_case
from debtnegotiation.cli import cli
from debtnegotiation.errors import ValidationError
from debtnegotiation.loan_quote import LoanQuote
from debtnegotiation.money import Money
from debtnegotiation.rates import InterestRate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
ISOLATED = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1", "DEBTNEG_DISABLE_PLUGINS": ""}


def edited(tmp_path: Path, old: str, new: str, name: str = "case.toml") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def refused(path: Path, key: str, fragment: str) -> CaseFileError:
    """Loading *path* raises naming the file and *key*, within a bounded amount of memory."""
    tracemalloc.start()
    try:
        with pytest.raises(CaseFileError) as raised:
            load_case(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20
    assert f"{path}: {key}: " in str(raised.value)
    assert fragment in str(raised.value)
    return raised.value


@pytest.mark.parametrize("principal", ["1e100000", "1e999999", "0e999999", "1" * 65])
def test_a_principal_with_a_huge_exponent_is_refused_by_key(tmp_path, principal):
    path = edited(tmp_path, 'principal = "18600.00"', f'principal = "{principal}"')
    refused(path, "debts[0].principal", "expected an amount as ")


def test_a_rate_with_a_tiny_exponent_is_refused_by_key(tmp_path):
    path = edited(tmp_path, 'value = "0.0004"', 'value = "1e-999999"')
    refused(path, "debts[0].contract_rate.value", "at most 60 decimal places")


def test_an_absurd_rate_is_refused_by_key(tmp_path):
    path = edited(tmp_path, 'value = "0.0004"', 'value = "1e20"')
    refused(path, "debts[0].contract_rate.value", "at most 100 (10,000 %)")


def test_an_amount_beyond_ten_to_the_fifteen_minor_units_is_refused(tmp_path):
    limit = Decimal(MAX_AMOUNT_UNITS).scaleb(-2)
    path = edited(tmp_path, 'principal = "18600.00"', f'principal = "{limit:f}"')
    refused(path, "debts[0].principal", "10^15 minor units")
    below = edited(tmp_path, 'principal = "18600.00"', 'principal = "9999999999999.99"', "ok.toml")
    assert load_case(below).debts[0].principal.amount == Decimal("9999999999999.99")


@pytest.mark.parametrize("numeral", ["_1", "1__0", "1_", "１２", "٣", "1,000", "NaN", "Infinity"])
def test_only_ascii_numerals_are_amounts(tmp_path, numeral):
    path = edited(tmp_path, 'principal = "18600.00"', f'principal = "{numeral}"')
    refused(path, "debts[0].principal", "ASCII digits")
    with pytest.raises(ValidationError, match=r"^amount: expected a decimal number in ASCII"):
        Money(numeral, "CNY")


def test_single_underscores_between_digits_still_group(tmp_path):
    path = edited(tmp_path, 'principal = "18600.00"', 'principal = "18_600.00"')
    assert load_case(path).debts[0].principal == Money("18600.00", "CNY")


def test_a_case_date_at_the_end_of_the_calendar_names_the_key(tmp_path):
    path = edited(tmp_path, "on = 2026-11-02", "on = 9999-12-31")
    refused(path, "on", f"no later than {LATEST_CASE_DATE}")


def test_a_latest_as_of_at_the_end_of_the_calendar_names_that_debt(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("on = 2026-11-02\n", "", 1)
    text = text.replace("as_of = 2026-11-02", "as_of = 9999-12-31", 1)
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    refused(path, "debts[0].as_of", "no later than")


def test_a_case_date_centuries_after_the_balances_names_the_key(tmp_path):
    path = edited(tmp_path, "on = 2026-11-02", "on = 2900-01-01")
    refused(path, "on", "at most 600 months after debts[0].as_of")


def test_api_bounds_are_checked_where_values_enter():
    with pytest.raises(ValidationError, match=r"^amount: expected a number below 1e30"):
        Money(Decimal("1e100000"), "CNY")
    with pytest.raises(ValidationError, match=r"^amount: expected a number below 1e30"):
        Money(10**400, "CNY")
    with pytest.raises(ValidationError, match=r"^InterestRate\.value: "):
        InterestRate.annual(Decimal("1e-999999"))
    with pytest.raises(ValidationError, match=r"^LoanQuote\.term: expected at most 600"):
        LoanQuote(amount="1000", installment="100", term=10**9, start="2026-01-01")
    with pytest.raises(ValidationError, match=r"^LoanQuote\.amount: expected an amount below"):
        LoanQuote(amount="1e14", installment="100", term=12, start="2026-01-01")


def json_case(tmp_path: Path, edit) -> Path:
    data = json.loads(json.dumps(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")), default=str))
    edit(data)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_lone_surrogate_escape_names_the_key(tmp_path):
    path = json_case(tmp_path, lambda d: d["borrower"].update(name="Li \ud800Wei"))
    refused(path, "borrower.name", "without lone surrogates")
    result = CliRunner(env=ISOLATED).invoke(cli, ["letter", str(path)])
    assert result.exit_code == 2, result.output
    assert "borrower.name" in result.stderr


@pytest.mark.parametrize("key", ["principal", "currency", "creditor", "as_of", "contract_rate"])
def test_json_null_for_a_required_key_names_the_key(tmp_path, key):
    path = json_case(tmp_path, lambda d: d["debts"][0].update({key: None}))
    refused(path, f"debts[0].{key}", "got None")


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    refused(path, "(file)", "nested too deeply")


def test_undecodable_bytes_in_an_argument_are_a_usage_error(tmp_path):
    args = ["log", "add", str(tmp_path / "log.db"), "--at", "2026-11-05T10:30+08:00"]
    args += ["--channel", "phone", "--summary", "bad \udcff bytes"]
    result = CliRunner(env=ISOLATED).invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "is not valid UTF-8 text" in result.stderr
    assert not (tmp_path / "log.db").exists()
