"""The debt management plan proposal and its letters, in every shipped locale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation.casefile import load_case
from debtnegotiation.cli import cli
from debtnegotiation.dmp import propose_dmp, render_dmp_letter
from debtnegotiation.documents import OutputFormat
from debtnegotiation.errors import ValidationError
from debtnegotiation.i18n import shipped_locales
from debtnegotiation.money import Money
from debtnegotiation.plugin import hookimpl
from debtnegotiation.plugins import get_plugin_host

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "xian.toml"
CARD = "Example Bank Credit Card"
PLATFORM = "Example Installment Platform"


@pytest.fixture
def proposal():
    case = load_case(EXAMPLE)
    host = get_plugin_host(load_entry_points=False)
    return propose_dmp(case.portfolio(host=host), case.household_budget().statement())


def test_one_payment_shared_pro_rata_to_the_cent(proposal):
    assert proposal.payment == Money("1500.00", "CNY")
    assert sum(s.share.amount for s in proposal.shares) == proposal.payment.amount
    # The same split as allocate_budget's, which shares by balance.
    assert [str(s.share) for s in proposal.shares] == ["923.05 CNY", "576.95 CNY"]
    assert proposal.months == 21  # with interest frozen, as the letter asks
    assert proposal.share("example bank credit card").creditor == CARD
    with pytest.raises(ValidationError, match="one of the plan's creditors"):
        proposal.share("nobody")


@pytest.mark.parametrize("locale", shipped_locales())
@pytest.mark.parametrize("output", list(OutputFormat))
def test_a_letter_to_each_creditor_in_every_locale(proposal, locale, output):
    host = get_plugin_host(load_entry_points=False)
    text = render_dmp_letter(proposal, CARD, locale=locale, host=host, output=output)
    if locale == "en":
        assert "Proposal for a debt management plan" in text
        assert "freeze interest and charges" in text
        assert "CN¥576.95" in text
        assert "21 months" in text
        assert PLATFORM in text  # the other creditor is named
    else:
        assert "债务管理计划提议" in text
        assert "停止对该账户计收利息和费用" in text
        assert "¥576.95" in text
        assert "21个月" in text
    if output is OutputFormat.HTML:
        assert text.startswith("<!DOCTYPE html>")


def test_a_plugin_overrides_the_letter_template(proposal, tmp_path):
    (tmp_path / "dmp-letter.txt.j2").write_text("Plan for {{ share.creditor }}\n", encoding="utf-8")

    class Templates:
        @hookimpl
        def debtneg_template_dirs(self):
            return [tmp_path]

    host = get_plugin_host(plugins=[Templates()], load_entry_points=False)
    assert render_dmp_letter(proposal, CARD, locale="en", host=host) == f"Plan for {CARD}\n"


def run(*args):
    runner = CliRunner(env={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1", "DEBTNEG_DISABLE_PLUGINS": ""})
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_dmp_command():
    both = run("dmp", EXAMPLE)
    assert both.exit_code == 0, both.output
    assert both.stdout.count("Proposal for a debt management plan") == 2
    one = run("dmp", EXAMPLE, "--creditor", CARD, "--locale", "zh_Hans_CN", "--format", "markdown")
    assert one.stdout.startswith("# 债务管理计划提议")
    data = json.loads(run("dmp", EXAMPLE, "--format", "json").stdout)
    assert data["months"] == 21
    assert data["interest_freeze_requested"] is True
    assert [s["share"]["amount"] for s in data["shares"]] == ["923.05", "576.95"]
    html = run("dmp", EXAMPLE, "--format", "html")
    assert html.exit_code == 2
