"""Results do not depend on the caller's decimal context.

The attack: a caller (or a plugin, or a notebook) sets ``decimal.getcontext().prec = 3``
or enables traps, and then ``AnnualRate.within_tolerance`` flipped, ``rounded_percent()``
raised and present values in ``options`` changed (16,326.92 became 16,326.30), which
reordered the ranking. Every public computation runs in the library's own context
(:mod:`debtnegotiation._context`), so each command and each API call below gives the same
output, byte for byte, under each hostile context as under the default one.
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation.apr import Regime, annual_rate
from debtnegotiation.casefile import load_case
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.cli import cli
from debtnegotiation.dmp import propose_dmp
from debtnegotiation.documents import DocumentKind, OutputFormat, render_document
from debtnegotiation.money import Money
from debtnegotiation.payoff import compare_payoffs
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.rates import DayCount, InterestRate
from debtnegotiation.schedules import equal_installment
from debtnegotiation.serialize import to_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
BUDGET = ROOT / "examples" / "xian-budget.toml"
ISOLATED = {
    "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
    "DEBTNEG_DISABLE_PLUGINS": "",
    "DEBTNEG_LOCALE": None,
    "DEBTNEG_TRACE_PLUGINS": None,
}
CARD = "Example Bank Credit Card"
#: Vector CN-ICBC-12x0.60: 12,000 lent, 12 x 1,072 repaid monthly.
ICBC = [CashFlow(dt.date(2026, 1, 15), Decimal("12000"))] + [
    CashFlow(dt.date(2026 + m // 12, m % 12 + 1, 15), Decimal("-1072")) for m in range(1, 13)
]

HOSTILE = {
    "prec=3": decimal.Context(prec=3),
    "prec=6": decimal.Context(prec=6),
    "prec=100": decimal.Context(prec=100),
    "ROUND_UP": decimal.Context(rounding=decimal.ROUND_UP),
    "ROUND_FLOOR": decimal.Context(rounding=decimal.ROUND_FLOOR, capitals=0),
    "traps Inexact and Rounded": decimal.Context(
        traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation]
    ),
    "Emax=4": decimal.Context(Emax=4, Emin=-4, traps=[decimal.Overflow]),
}

#: Every command on the demo case: options, the ladder (script), documents, the annual rate.
COMMANDS = (
    ("demo",),
    ("demo", "--format", "json"),
    ("options", EXAMPLE),
    ("options", EXAMPLE, "--format", "json"),
    ("options", EXAMPLE, "--format", "markdown"),
    ("plan", EXAMPLE),
    ("plan", EXAMPLE, "--format", "json"),
    ("letter", EXAMPLE),
    ("letter", EXAMPLE, "--locale", "zh_Hans_CN"),
    ("script", EXAMPLE, "--format", "html"),
    (
        "counter",
        EXAMPLE,
        "--creditor",
        CARD,
        "--lever",
        "fee-advance",
        "--months",
        "24",
        "--fee",
        "600.00",
        "--fee-timing",
        "spread",
    ),
    (
        "apr",
        "--amount",
        "12000",
        "--term",
        "12",
        "--installment",
        "1072",
        "--regime",
        "cn-pboc",
        "--regime",
        "us-reg-z",
        "--regime",
        "eu-ccd",
        "--start",
        "2026-01-15",
    ),
    (
        "apr",
        "--amount",
        "10000",
        "--fee",
        "500",
        "--term",
        "12",
        "--installment",
        "880",
        "--regime",
        "xirr",
        "--start",
        "2026-01-15",
        "--format",
        "json",
        "--currency",
        "CNY",
    ),
    # The whole picture: the budget, the plan across both debts, the DMP proposal.
    ("budget", BUDGET),
    ("payoff", BUDGET, "--compare"),
    ("payoff", BUDGET, "--method", "negotiated", "--format", "json"),
    ("payoff", BUDGET, "--options", CARD, "--summary"),
    ("dmp", BUDGET, "--format", "json"),
)


def run_all() -> list[tuple[int, str, str]]:
    runner = CliRunner(env=ISOLATED)
    results = []
    for args in COMMANDS:
        done = runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
        results.append((done.exit_code, done.stdout, done.stderr))
    return results


def api_figures() -> list[object]:
    """Figures from the API itself, the way a Python caller gets them."""
    host = get_plugin_host(load_entry_points=False, environ={})
    portfolio = load_case(EXAMPLE).portfolio(host=host)
    negotiation = portfolio.negotiation(0)
    options = negotiation.options()
    ranked = [(o.rank, o.present_value, o.annual_rate) for o in options.ranked]
    rate = annual_rate(ICBC, regime=Regime.US_REG_Z)
    schedule = equal_installment(
        Money("18600.00", "CNY"),
        InterestRate.daily("0.0004", DayCount.X365),
        24,
        start="2026-11-02",
    )
    return [
        to_json(options),
        ranked,
        rate.rounded_percent(),
        rate.within_tolerance(Decimal("13.03")),
        rate.within_tolerance(Decimal("13.2")),
        annual_rate(ICBC, regime=Regime.CN_PBOC),
        annual_rate(ICBC, regime=Regime.EU_CCD),
        to_json(schedule),
        Money("100", "CNY").allocate(3),
        Money("10.005", "CNY").rounded(),
        str(Money("1E+3", "CNY") * 3),
        InterestRate.daily("0.0005", DayCount.X365).annual_effective(),
        render_document(
            DocumentKind.COMPARISON, negotiation, locale="en", output=OutputFormat.TEXT, host=host
        ),
        to_json(portfolio.run()),
        *_whole_picture(host),
    ]


def _whole_picture(host: object) -> list[object]:
    """The budget, payoff and DMP figures of the budget example, through the API."""
    case = load_case(BUDGET)
    portfolio = case.portfolio(host=host)
    statement = case.household_budget().statement()
    debts = portfolio.payoff_debts()
    budget = portfolio.payoff_budget
    return [
        repr(statement),
        repr(compare_payoffs(debts, budget, on=case.on)),
        repr(propose_dmp(portfolio, statement)),
    ]


@pytest.fixture(scope="module")
def reference() -> tuple[list[tuple[int, str, str]], list[object]]:
    return run_all(), api_figures()


@pytest.mark.parametrize("name", list(HOSTILE))
def test_every_command_is_byte_identical_under_a_hostile_context(name, reference):
    with decimal.localcontext(HOSTILE[name]):
        assert run_all() == reference[0]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_api_figures_are_identical_under_a_hostile_context(name, reference):
    with decimal.localcontext(HOSTILE[name]):
        assert api_figures() == reference[1]


def test_the_callers_context_is_left_as_it_was():
    hostile = decimal.Context(prec=5, rounding=decimal.ROUND_DOWN, traps=[decimal.Inexact])
    with decimal.localcontext(hostile) as context:
        api_figures()
        assert context.prec == 5
        assert context.rounding == decimal.ROUND_DOWN
        assert context.traps[decimal.Inexact]


def test_an_annual_rate_answers_the_same_at_three_digits():
    # The attack as reported: within_tolerance flipped from False to True, rounded_percent raised.
    found = annual_rate(ICBC, regime=Regime.US_REG_Z)
    expected = (found.rounded_percent(), found.within_tolerance("13.2"))
    assert expected == (Decimal("13.03"), False)
    with decimal.localcontext(decimal.Context(prec=3)):
        assert (found.rounded_percent(), found.within_tolerance("13.2")) == expected
