"""Strategy plugins declare their strategies; the engine skips the calls it knows are wasted.

The hook :func:`~debtnegotiation.hookspecs.debtneg_strategy_names`: a plugin declaring its
strategies is held to them, and with a stated policy it is not asked a second time on the
assumed terms when the stated terms already gave every strategy it declares.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from debtnegotiation import Case, Goals, Negotiation, Regime, get_plugin_host
from debtnegotiation.example import EXAMPLE_DATE, example_borrower, example_debts, example_policies
from debtnegotiation.plugin import hookimpl
from debtnegotiation.plugins import DEFAULT_PLUGINS, PluginHost
from debtnegotiation.proposal import Proposal
from debtnegotiation.strategies import deferral, extension, fee_advance, settlement, subsidy


def _case() -> Case:
    debt = example_debts()[0]
    return Case(
        debt=debt,
        borrower=example_borrower(),
        policy=example_policies()[debt.creditor.name],
        goals=Goals(max_months=24),
        on=EXAMPLE_DATE,
    )


class Counting:
    """A third-party strategy that declares nothing and counts the cases it is asked."""

    def __init__(self) -> None:
        self.policies: list[object] = []

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
        self.policies.append(case.policy)
        return None


class Undeclared:
    """Declares one strategy, proposes another: held to its word."""

    @hookimpl
    def debtneg_strategy_names(self) -> Sequence[str]:
        return ("declared-one",)

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
        proposals = extension.propose(case)
        return None if not proposals else (attrs.evolve(proposals[0], strategy="another"),)


class BrokenDeclaration:
    @hookimpl
    def debtneg_strategy_names(self) -> Sequence[str]:
        raise RuntimeError("cannot say")


def test_hook_debtneg_strategy_names() -> None:
    """Every built-in strategy declares exactly its own name."""
    host = get_plugin_host(load_entry_points=False, environ={})
    declared, failures = host.declared_strategies()
    assert failures == ()
    expected = {
        module.__name__: frozenset({module.STRATEGY})
        for module in (deferral, extension, fee_advance, settlement, subsidy)
    }
    assert dict(declared) == expected
    assert set(expected) <= set(DEFAULT_PLUGINS)
    assert set(expected) <= set(host.proposing_plugins())


def _ranked(options: object) -> list[tuple[object, ...]]:
    return [
        (o.proposal.strategy, o.proposal.title, o.proposal.eligibility, o.plan.total_paid)
        for o in options.ranked  # type: ignore[attr-defined]
    ]


def test_declared_plugins_are_not_asked_again_and_nothing_changes(monkeypatch: object) -> None:
    case = _case()
    counting = Counting()
    host = get_plugin_host(plugins=[counting], load_entry_points=False, environ={})
    options = Negotiation(case, regime=Regime.CN_PBOC, host=host).options()
    # The undeclared plugin was asked twice (stated terms, then assumed); the declared
    # built-ins whose strategies the stated terms gave, once: see the reference below.
    assert len(counting.policies) == 2
    assert counting.policies[0] is case.policy
    assert counting.policies[1] is not case.policy

    # The reference: the same host with no declarations, so every plugin is asked twice.
    reference_host = get_plugin_host(plugins=[Counting()], load_entry_points=False, environ={})
    monkeypatch.setattr(  # type: ignore[attr-defined]
        reference_host, "declared_strategies", lambda: ({}, ())
    )
    calls: list[Sequence[str] | None] = []
    original = PluginHost.propose

    def recording(self: PluginHost, *, case: Case, plugins: Sequence[str] | None = None) -> object:
        calls.append(plugins)
        return original(self, case=case, plugins=plugins)

    monkeypatch.setattr(PluginHost, "propose", recording)  # type: ignore[attr-defined]
    reference = Negotiation(case, regime=Regime.CN_PBOC, host=reference_host).options()
    assert calls[1] is not None
    assert len(calls[1]) == len(reference_host.proposing_plugins())
    assert _ranked(options) == _ranked(reference)
    assert [p.strategy for p in options.unranked] == [p.strategy for p in reference.unranked]
    assert options.failures == reference.failures


def test_a_proposal_of_an_undeclared_strategy_is_the_plugins_failure() -> None:
    case = _case()
    host = get_plugin_host(plugins=[Undeclared()], load_entry_points=False, environ={})
    options = Negotiation(case, regime=Regime.CN_PBOC, host=host).options()
    failures = [f for f in options.failures if f.hook == "debtneg_propose_plans"]
    assert failures
    assert all("another" in f.error and "declared-one" in f.error for f in failures)
    assert {f.plugin for f in failures} == {
        name for name in host.proposing_plugins() if "Undeclared" in name
    }
    assert "another" not in {o.proposal.strategy for o in options.ranked}
    # The other strategies are untouched.
    plain = Negotiation(
        case, regime=Regime.CN_PBOC, host=get_plugin_host(load_entry_points=False, environ={})
    )
    assert _ranked(options) == _ranked(plain.options())


def test_a_broken_declaration_is_reported_and_the_plugin_still_asked() -> None:
    case = _case()
    counting = Counting()
    host = get_plugin_host(
        plugins=[BrokenDeclaration(), counting], load_entry_points=False, environ={}
    )
    declared, failures = host.declared_strategies()
    assert [f.hook for f in failures] == ["debtneg_strategy_names"]
    assert "cannot say" in failures[0].error
    options = Negotiation(case, regime=Regime.CN_PBOC, host=host).options()
    assert failures[0] in options.failures
    assert len(counting.policies) == 2
    assert len(declared) == 5
