"""Tests of the example-lender plugin: as installed, and on its own.

Run them after installing the plugin (not in editable mode, so that the entry point is
exactly what users get)::

    python -m pip install ./plugins/debtnegotiation-example-lender
    python -m pytest plugins/debtnegotiation-example-lender/tests
"""

from __future__ import annotations

import importlib.metadata
from decimal import Decimal

import attrs
import debtnegotiation_example_lender as plugin

from debtnegotiation.apr import Regime
from debtnegotiation.example import example_debts
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.policy import FeeTiming
from debtnegotiation.testing import plugin_host, sample_case, sample_debt

DISTRIBUTION = "debtnegotiation-example-lender"


# --- 1. The installed distribution is discovered through its entry point ---------------


def test_plugin_is_installed():
    host = get_plugin_host(builtins=False)  # entry points and the essential formatter
    found = {info.name: info for info in host.plugins()}
    assert "example-lender" in found, "pip install ./plugins/debtnegotiation-example-lender"
    info = found["example-lender"]
    assert info.distribution == DISTRIBUTION
    assert info.version == importlib.metadata.version(DISTRIBUTION)
    assert info.hooks == ("debtneg_lender_policies",)
    assert not info.builtin


def test_blocking_the_plugin_removes_its_policy():
    debt = sample_debt()
    assert plugin.POLICY in get_plugin_host(builtins=False).policies(debt=debt).items
    blocked = get_plugin_host(builtins=False, blocked=["example-lender"])
    assert plugin.POLICY not in blocked.policies(debt=debt).items
    assert "example-lender" not in {info.name for info in blocked.plugins()}


# --- 2. Its policy reaches the strategies ---------------------------------------------


def test_policy_reaches_proposals():
    # No policy in the case: the engine asks every debtneg_lender_policies hook.
    case = sample_case(policy=None)
    negotiation = Negotiation(case, regime=Regime.CN_PBOC, host=get_plugin_host())
    assert negotiation.case.policy == plugin.POLICY

    options = negotiation.options()
    by_strategy = {option.proposal.strategy: option for option in options.ranked}
    # The built-in fee-advance strategy charges the policy's 5 % of the total owed.
    fee_advance = by_strategy["fee-advance"]
    assert fee_advance.plan.total_fees == (case.owed * Decimal("0.05")).rounded()
    # No plan from the policy's levers runs longer than its 24 months.
    assert all(option.plan.months <= 24 for option in options.ranked)


# --- 3. The hook on its own, with the testing kit ---------------------------------------


def test_answers_for_its_own_lender_only():
    host = plugin_host(plugin)
    assert host.policies(debt=sample_debt()).items == (plugin.POLICY,)
    card = example_debts()[1]
    assert card.creditor.name != plugin.LENDER
    assert host.policies(debt=card).items == ()


def test_lender_name_matches_case_insensitively():
    debt = sample_debt()
    shouting = attrs.evolve(debt, creditor=attrs.evolve(debt.creditor, name=plugin.LENDER.upper()))
    assert plugin.debtneg_lender_policies(debt=shouting) == (plugin.POLICY,)


def test_policy_terms_are_the_source_articles():
    policy = plugin.POLICY
    assert policy.fee_rate == Decimal("0.05")
    assert policy.fee_timing is FeeTiming.UPFRONT
    assert policy.max_months == 24
    assert policy.plan_rate is None
    assert {kind.value for kind in policy.accepted_hardships} == {"unemployment", "illness"}
    assert [kind.value for kind, _ in policy.documents] == ["illness", "unemployment"]
