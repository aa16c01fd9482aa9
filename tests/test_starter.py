"""``debtneg init`` and ``debtneg example``: a first case file, from a wheel or a checkout."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hatchling.builders.wheel import WheelBuilder

from debtnegotiation.apr import Regime
from debtnegotiation.casefile import load_case, loads_case
from debtnegotiation.cli import cli
from debtnegotiation.debt import CreditorKind
from debtnegotiation.errors import ValidationError
from debtnegotiation.rates import RateUnit
from debtnegotiation.starter import TEMPLATE, default_regime, starter_case_text

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "src" / "debtnegotiation" / "examples" / "xian.toml"

# Answers to every question of `debtneg init`, in order: currency, regime (default),
# name, income, five spending lines, lender, kind, owed, rate unit, rate, days overdue.
CNY_ANSWERS = [
    "CNY", "", "Li Wei", "4200.00", "1200", "900", "200", "150", "100",
    "Example Platform", "installment-platform", "18600", "daily", "0.04", "38",
]  # fmt: skip


def run(args, *, answers=None):
    return CliRunner().invoke(cli, args, input=answers, catch_exceptions=False)


def test_the_template_reads_back_with_every_figure():
    case = loads_case(starter_case_text(TEMPLATE), suffix=".toml")
    assert case.borrower.monthly_income.amount == Decimal("3200.00")
    (debt,) = case.debts
    assert debt.creditor.name == "Example Card Issuer"
    assert debt.contract_rate.value == Decimal("0.2499")
    assert debt.contract_rate.unit is RateUnit.ANNUAL_NOMINAL
    assert debt.days_overdue == 45
    assert case.regime is Regime.US_REG_Z


def test_init_without_a_terminal_writes_the_template_that_options_can_use(tmp_path):
    target = tmp_path / "case.toml"
    result = run(["init", str(target), "--on", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.output
    assert target.read_text(encoding="utf-8") == starter_case_text(
        attrs.evolve(TEMPLATE, on=dt.date(2026, 12, 1))
    )
    options = run(["options", str(target)])
    assert options.exit_code == 0, options.output
    assert "Example Card Issuer" in options.output


def test_init_asks_and_writes_what_was_answered(tmp_path):
    target = tmp_path / "mine.toml"
    result = run(
        ["init", str(target), "--interactive", "--on", "2026-11-02"],
        answers="\n".join(CNY_ANSWERS) + "\n",
    )
    assert result.exit_code == 0, result.output
    case = load_case(target)
    assert case.regime is Regime.CN_PBOC  # the default offered for CNY
    assert case.borrower.name == "Li Wei"
    assert case.borrower.monthly_income.amount == Decimal("4200.00")
    (debt,) = case.debts
    assert debt.creditor.kind is CreditorKind.INSTALLMENT_PLATFORM
    assert debt.principal.amount == Decimal("18600.00")
    assert debt.contract_rate.value == Decimal("0.0004")
    assert debt.contract_rate.day_count is not None
    assert debt.days_overdue == 38
    assert 'principal = "18600.00"' in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("position", "bad"),
    [(0, "XYZ"), (3, "12e3"), (3, "-5"), (3, "4200.001"), (3, "４２００")],
    ids=["currency", "exponent", "negative", "sub-cent", "fullwidth"],
)
def test_init_asks_again_after_a_bad_answer(tmp_path, position, bad):
    answers = [*CNY_ANSWERS[:position], bad, *CNY_ANSWERS[position:]]
    result = run(
        ["init", str(tmp_path / "c.toml"), "--interactive"], answers="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Error:" in result.output
    assert load_case(tmp_path / "c.toml").borrower.monthly_income.amount == Decimal("4200")


def test_init_never_overwrites_without_force(tmp_path):
    target = tmp_path / "case.toml"
    target.write_text("keep me", encoding="utf-8")
    result = run(["init", str(target)])
    assert result.exit_code == 2
    assert "exists" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"
    assert run(["init", str(target), "--force"]).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# A case file for debtneg")


def test_init_refuses_a_missing_folder_and_a_bad_date(tmp_path):
    missing = run(["init", str(tmp_path / "nowhere" / "case.toml")])
    assert missing.exit_code == 2
    assert "does not exist" in missing.output
    bad_date = run(["init", str(tmp_path / "c.toml"), "--on", "2026-13-01"])
    assert bad_date.exit_code == 2
    assert "--on" in bad_date.output
    assert not (tmp_path / "c.toml").exists()


def test_init_comments_are_in_the_locale(tmp_path):
    target = tmp_path / "zh.toml"
    result = run(["init", str(target), "--locale", "zh_Hans_CN"])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "用 `debtneg init` 写成" in text
    assert load_case(target).debts[0].principal.amount == Decimal("5400.00")


def test_starter_refuses_amounts_finer_than_the_currency():
    with pytest.raises(ValidationError, match="principal"):
        starter_case_text(attrs.evolve(TEMPLATE, currency="JPY", principal=Decimal("5400.50")))


def test_default_regime_follows_the_currency():
    assert default_regime("usd") is Regime.US_REG_Z
    assert default_regime("EUR") is Regime.EU_CCD
    assert default_regime("JPY") is Regime.XIRR


def test_example_prints_and_writes_the_shipped_case(tmp_path):
    printed = run(["example"])
    assert printed.exit_code == 0
    assert printed.output == SHIPPED.read_text(encoding="utf-8")
    target = tmp_path / "xian.toml"
    assert run(["example", "--write", str(target)]).exit_code == 0
    assert target.read_bytes() == SHIPPED.read_bytes()
    assert run(["example", "--write", str(target)]).exit_code == 2  # exists
    assert run(["options", str(target)]).exit_code == 0


def test_the_repository_example_is_the_shipped_one():
    assert (ROOT / "examples" / "xian.toml").read_bytes() == SHIPPED.read_bytes()


def test_the_example_ships_in_the_wheel_and_runs_from_it(tmp_path):
    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("debtnegotiation/examples/xian.toml")
        archive.extractall(tmp_path / "site")
    assert shipped == SHIPPED.read_bytes()
    # Run `debtneg example` from the unpacked wheel alone, not from the checkout.
    done = subprocess.run(
        [sys.executable, "-m", "debtnegotiation", "example"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site"), "PYTHONSAFEPATH": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == shipped.decode("utf-8")


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [("debtneg lo", "1", "plain,log"), ("debtneg options x.toml --for", "3", "plain,--format")],
)
def test_shell_completion_completes_commands_and_options(words, cword, expected):
    # What the documented bash completion script asks the program for at each Tab.
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DEBTNEG_")},
        "_DEBTNEG_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": cword,
    }
    done = subprocess.run(
        [sys.executable, "-m", "debtnegotiation"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [expected]


def test_the_bash_completion_script_is_generated():
    environment = {**os.environ, "_DEBTNEG_COMPLETE": "bash_source"}
    done = subprocess.run(
        [sys.executable, "-m", "debtnegotiation"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "complete -o nosort -F _debtneg_completion debtneg" in done.stdout
