"""Extreme but valid-looking inputs: nothing owed, a few minor units, absurd terms.

Each gets either a clear ``ValidationError`` at the boundary that names the field, or a
sensible result; never a built-in strategy failing inside its hook.
"""

from __future__ import annotations

import datetime as dt
import decimal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from debtnegotiation.apr import Regime
from debtnegotiation.case import Case, Goals
from debtnegotiation.casefile import CaseFileError, load_case
from debtnegotiation.cli import cli
from debtnegotiation.errors import ValidationError
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.policy import MAX_TERM_MONTHS, LenderPolicy
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedule_dates import Frequency, add_months
from debtnegotiation.schedules import equal_installment
from debtnegotiation.testing import sample_case, sample_debt

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"


def owing(principal: str) -> Case:
    """The example case with the platform debt replaced by one of *principal*, no interest."""
    zero = Money("0.00", "CNY")
    debt = attrs.evolve(
        sample_debt(),
        principal=Money(principal, "CNY"),
        accrued_interest=zero,
        penalty_interest=zero,
        days_overdue=0,
    )
    return sample_case(debt=debt)


def test_a_case_with_nothing_owed_is_refused_by_name():
    with pytest.raises(ValidationError) as raised:
        owing("0.00")
    assert raised.value.field == "Case.debt"
    assert "nothing to negotiate" in str(raised.value)


def test_a_case_file_with_nothing_owed_names_the_key(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace(
        'principal = "18600.00"\naccrued_interest = "412.30"\npenalty_interest = "186.45"',
        'principal = "0.00"\naccrued_interest = "0.00"\npenalty_interest = "0.00"',
        1,
    )
    path = tmp_path / "zero.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"debts\[0\]\.principal: expected a debt with"):
        load_case(path)


@pytest.mark.parametrize("principal", ["0.01", "0.05", "0.23"])
def test_a_balance_of_a_few_minor_units_gets_plans_not_plugin_failures(principal):
    host = get_plugin_host(load_entry_points=False, environ={})
    options = Negotiation(owing(principal), regime=Regime.CN_PBOC, host=host).options()
    assert options.failures == ()
    units = int(Decimal(principal).scaleb(2))
    for option in options.ranked:
        assert 1 <= option.plan.number_of_payments <= units
        assert sum(i.principal.amount for i in option.plan.installments) <= Decimal(principal)


@pytest.mark.parametrize("field", ["max_months", "deferral_max_months", "settlement_months"])
def test_policy_terms_are_bounded(field):
    assert LenderPolicy(lender="x", source="test", **{field: MAX_TERM_MONTHS}).lender == "x"
    with pytest.raises(ValidationError, match=rf"^LenderPolicy.{field}: expected at most 600"):
        LenderPolicy(lender="x", source="test", **{field: MAX_TERM_MONTHS + 1})


def test_goal_terms_are_bounded():
    assert Goals(max_months=MAX_TERM_MONTHS).max_months == MAX_TERM_MONTHS
    with pytest.raises(ValidationError, match=r"^Goals.max_months: expected at most 600"):
        Goals(max_months=100_000)


def test_a_case_file_with_an_absurd_term_names_the_key(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("max_months = 24", "max_months = 100000")
    path = tmp_path / "months.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"debts\[0\]\.policy\.max_months: expected at most"):
        load_case(path)


@pytest.mark.parametrize("frequency", [Frequency.MONTHLY, Frequency.WEEKLY])
def test_due_dates_past_the_calendar_are_a_validation_error(frequency):
    with pytest.raises(ValidationError, match=r"^count: expected a term whose due dates end"):
        equal_installment(
            Money("10000000.00", "USD"),
            InterestRate.zero(),
            100_000 if frequency is Frequency.MONTHLY else 500_000,
            start="9990-01-01",
            frequency=frequency,
        )
    with pytest.raises(ValidationError, match=r"^months: "):
        add_months(dt.date(9999, 12, 1), 1)


def _demo() -> str:
    runner = CliRunner(env={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1", "DEBTNEG_LOCALE": None})
    return runner.invoke(cli, ["demo"], catch_exceptions=False).stdout


def test_formatting_and_case_files_ignore_a_low_precision_context():
    reference = (_demo(), load_case(EXAMPLE))
    with decimal.localcontext(decimal.Context(prec=6)):
        assert (_demo(), load_case(EXAMPLE)) == reference
        assert BabelFormatter("en").money(Money("12345678.91", "CNY")) == "CN¥12,345,678.91"
        assert BabelFormatter("en").percent(decimal.Decimal("12.3456789")) == "1,234.57%"


def test_an_amount_beyond_the_bound_names_the_key(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'principal = "18600.00"', 'principal = "1E+26"', 1
    )
    path = tmp_path / "huge.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"debts\[0\]\.principal: expected an amount below"):
        load_case(path)


def test_the_largest_amount_is_formatted_exactly_by_the_command(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'principal = "18600.00"', 'principal = "9999999999999.99"', 1
    )
    path = tmp_path / "huge.toml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "debtnegotiation.cli", "options", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1", "PATH": ""},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "CN¥10,000,000,000,598.74" in done.stdout
