"""The plugin host, in process: class-based plugins registered on a fresh host per test.

Covers every hook (``test_hook_<name>``, checked by tests/test_docs_hooks.py), isolation,
result types, strict mode, blocking, the autoload switch, introspection, sorting, hook
wrappers, unknown hooks, the lifecycle order and the testing kit. Entry points are
exercised with a throw-away distribution written to a temporary ``sys.path`` entry;
tests/test_plugins_installed.py does the same with pip-installed distributions.
"""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import itertools
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

import debtnegotiation.testing
from debtnegotiation.apr import Regime
from debtnegotiation.case import Case
from debtnegotiation.debt import Debt
from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.formatting import BabelFormatter, LocaleFormatter
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.negotiation_log import (
    GENESIS_HASH,
    Channel,
    Contact,
    ContactRules,
    Direction,
    LogEntry,
    conduct_findings,
)
from debtnegotiation.plan import Plan
from debtnegotiation.plugin import hookimpl
from debtnegotiation.plugins import (
    DEFAULT_PLUGINS,
    DISABLE_AUTOLOAD_ENV,
    DISABLE_ENV,
    ESSENTIAL_PLUGINS,
    Collected,
    PluginError,
    PluginFailure,
    PluginInfo,
    get_plugin_host,
)
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment
from debtnegotiation.testing import assert_no_failures, plugin_host, sample_case

FORMATTER = "debtnegotiation.default_formatter"
NON_ESSENTIAL = tuple(name for name in DEFAULT_PLUGINS if name not in ESSENTIAL_PLUGINS)


def host_with(*plugins: object, strict: bool = False, **options: object):
    """A host with only *plugins* (and the essential formatter), environment ignored."""
    settings: dict[str, object] = {
        "load_entry_points": False,
        "builtins": False,
        "environ": {},
    }
    settings.update(options)
    return get_plugin_host(plugins=plugins, strict=strict, **settings)  # type: ignore[arg-type]


def plan_for(case: Case, months: int = 12) -> Plan:
    return equal_installment(case.owed, InterestRate.zero(), months, start=case.on)


def proposal(case: Case, strategy: str, title: str = "", months: int = 12) -> Proposal:
    return Proposal(
        strategy=strategy,
        title=title or f"{strategy} over {months} months",
        plan=plan_for(case, months),
        eligibility=Eligibility.ELIGIBLE,
        reasons=["test plugin"],
    )


class Named:
    """A class-based plugin; the host registers it under its ``__name__``."""

    def __init__(self, name: str) -> None:
        self.__name__ = name


class Strategy(Named):
    """Proposes one plan per strategy name it was given."""

    def __init__(self, name: str, *strategies: str) -> None:
        super().__init__(name)
        self.strategies = strategies

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
        return [proposal(case, strategy) for strategy in self.strategies]


class Raising(Named):
    """Raises in every collected hook."""

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
        raise ZeroDivisionError(f"no plan for {case.debt.creditor.name}")

    @hookimpl
    def debtneg_review_proposal(self, case: Case, proposal: Proposal) -> Sequence[Finding] | None:
        raise KeyError(proposal.strategy)

    @hookimpl
    def debtneg_lender_policies(self, debt: Debt) -> Sequence[LenderPolicy] | None:
        raise RuntimeError(debt.creditor.name)


class Returns(Named):
    """Returns a fixed value from ``debtneg_propose_plans``, whatever its type."""

    def __init__(self, name: str, value: Callable[[Case], object]) -> None:
        super().__init__(name)
        self.value = value

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> object:
        return self.value(case)


class Reviewer(Named):
    """Returns the given findings for every proposal."""

    def __init__(self, name: str, *findings: Finding) -> None:
        super().__init__(name)
        self.findings = findings

    @hookimpl
    def debtneg_review_proposal(self, case: Case, proposal: Proposal) -> Sequence[Finding] | None:
        del case, proposal
        return self.findings


class Lender(Named):
    """Offers the given policies for every debt."""

    def __init__(self, name: str, *policies: LenderPolicy) -> None:
        super().__init__(name)
        self.policies = policies

    @hookimpl
    def debtneg_lender_policies(self, debt: Debt) -> Sequence[LenderPolicy] | None:
        del debt
        return self.policies


class Formatter(Named):
    """Answers ``debtneg_locale_formatter`` for one locale with a Babel formatter."""

    def __init__(self, name: str, locale: str) -> None:
        super().__init__(name)
        self.locale = locale
        self.formatter = BabelFormatter(locale)

    @hookimpl
    def debtneg_locale_formatter(self, locale: str) -> LocaleFormatter | None:
        return self.formatter if locale == self.locale else None


@pytest.fixture
def case() -> Case:
    return sample_case()


# --- one test per hook (tests/test_docs_hooks.py checks they exist) --------------------


def test_hook_debtneg_lender_policies():
    older = LenderPolicy(lender="Zeta Bank", source="t", effective_from="2024-01-01")
    newer = attrs.evolve(older, effective_from=dt.date(2025, 1, 1))
    alpha = LenderPolicy(lender="alpha finance", source="t")
    host = host_with(Lender("one", older, alpha), Lender("two", newer))
    found = host.policies(debt=sample_case().debt)
    # Sorted by lender (case-insensitive), then newest first.
    assert found.items == (alpha, newer, older)
    assert found.failures == ()


def test_hook_debtneg_propose_plans(case):
    host = host_with(Strategy("maker", "b-strategy", "a-strategy"))
    found = host.propose(case=case)
    assert [p.strategy for p in found.items] == ["a-strategy", "b-strategy"]
    assert {p.source for p in found.items} == {"maker"}
    assert all(p.plan is not None and p.plan.principal == case.owed for p in found.items)


def test_hook_debtneg_review_proposal(case):
    info = Finding(code="t.info", severity=Severity.INFO, message="fyi")
    danger = Finding(code="t.danger", severity=Severity.DANGER, message="stop")
    warning = Finding(code="t.warning", severity=Severity.WARNING, message="careful")
    host = host_with(Reviewer("first", info, danger), Reviewer("second", warning))
    found = host.review(case=case, proposal=proposal(case, "x"))
    assert [(f.code, f.source) for f in found.items] == [
        ("t.danger", "first"),
        ("t.warning", "second"),
        ("t.info", "first"),
    ]


def test_hook_debtneg_locale_formatter():
    custom = Formatter("custom-de", "de_DE")
    host = host_with(custom)
    assert host.formatter("de_DE") is custom.formatter
    # Any other locale falls through to the built-in Babel formatter (trylast).
    fallback = host.formatter("zh_Hans_CN")
    assert isinstance(fallback, BabelFormatter)
    assert fallback is not custom.formatter
    assert fallback.money(Money("1234.5", "CNY")) == BabelFormatter("zh_Hans_CN").money(
        Money("1234.5", "CNY")
    )


def test_hook_debtneg_template_dirs(tmp_path):
    class Templates(Named):
        def __init__(self, name: str, folder: Path) -> None:
            super().__init__(name)
            self.folder = folder

        @hookimpl
        def debtneg_template_dirs(self, locale: str) -> Sequence[Path] | None:
            return [self.folder / locale] if locale.startswith("zh") else None

    class Sloppy(Named):
        @hookimpl
        def debtneg_template_dirs(self, locale: str) -> object:
            return [str(tmp_path / locale)]

    late, early = Templates("zz-templates", tmp_path / "z"), Templates("aa-templates", tmp_path)
    host = host_with(late, early, Sloppy("sloppy"))
    found = host.template_dirs(locale="zh_Hans_CN")
    # Searched in plugin-name order, whatever the registration order.
    assert found.items == (tmp_path / "zh_Hans_CN", tmp_path / "z" / "zh_Hans_CN")
    assert [(f.plugin, f.hook) for f in found.failures] == [("sloppy", "debtneg_template_dirs")]
    assert host.template_dirs(locale="en").items == ()


def test_hook_debtneg_cli_commands():
    @attrs.frozen
    class Command:
        name: str

    class Commands(Named):
        def __init__(self, name: str, *commands: str) -> None:
            super().__init__(name)
            self.commands = [Command(c) for c in commands]

        @hookimpl
        def debtneg_cli_commands(self) -> Sequence[object] | None:
            return self.commands

    host = host_with(Commands("one", "zeta", "alpha"), Commands("two", "mid"), Raising("bad"))
    found = host.cli_commands()
    assert [getattr(c, "name", None) for c in found.items] == ["alpha", "mid", "zeta"]
    assert found.failures == ()


def test_hook_debtneg_contact_rules(case):
    shanghai = ContactRules(
        name="b-rules",
        zone="Asia/Shanghai",
        earliest=dt.time(8),
        latest=dt.time(22),
        max_per_day=6,
        source="test",
    )
    other = attrs.evolve(shanghai, name="a-rules", max_per_day=None)

    class Rules(Named):
        def __init__(self, name: str, *rules: ContactRules) -> None:
            super().__init__(name)
            self.rules = rules

        @hookimpl
        def debtneg_contact_rules(self, debt: Debt) -> Sequence[ContactRules] | None:
            return self.rules if debt.currency == "CNY" else None

    host = host_with(Rules("cn", shanghai), Rules("other", other))
    assert host.contact_rules(debt=case.debt).items == (other, shanghai)
    late_call = Contact(
        at=dt.datetime(2026, 11, 2, 23, 15, tzinfo=ZoneInfo("Asia/Shanghai")),
        channel=Channel.PHONE,
        direction=Direction.INBOUND,
    )
    entry = LogEntry.build(
        seq=1,
        prev_hash=GENESIS_HASH,
        appended_at=dt.datetime(2026, 11, 2, 16, 0, tzinfo=dt.UTC),
        contact=late_call,
    )
    found = conduct_findings([entry], host.contact_rules(debt=case.debt))
    assert [(f.code, f.source) for f in found.items] == [
        ("conduct.outside_hours", "other"),
        ("conduct.outside_hours", "cn"),
    ]
    assert found.failures == ()


# --- isolation and result types ------------------------------------------------------


def test_a_raising_strategy_leaves_the_others_intact(case):
    alone = host_with(Strategy("good", "good-plan")).propose(case=case)
    host = host_with(Raising("bad"), Strategy("good", "good-plan"))
    found = host.propose(case=case)
    assert found.items == alone.items
    assert found.failures == (
        PluginFailure(
            plugin="bad",
            distribution=None,
            version=None,
            hook="debtneg_propose_plans",
            error="ZeroDivisionError: no plan for Example Installment Platform",
        ),
    )


def test_a_raising_review_or_lender_leaves_the_others_intact(case):
    warning = Finding(code="t.warning", severity=Severity.WARNING, message="careful")
    policy = LenderPolicy(lender="Example Installment Platform", source="t")
    host = host_with(Raising("bad"), Reviewer("reviewer", warning), Lender("lender", policy))
    reviewed = host.review(case=case, proposal=proposal(case, "x"))
    assert [f.code for f in reviewed.items] == ["t.warning"]
    assert [(f.plugin, f.hook) for f in reviewed.failures] == [("bad", "debtneg_review_proposal")]
    policies = host.policies(debt=case.debt)
    assert policies.items == (policy,)
    assert [(f.plugin, f.hook) for f in policies.failures] == [("bad", "debtneg_lender_policies")]


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        (lambda case: proposal(case, "bare"), "returned Proposal, expected a sequence of Proposal"),
        (lambda case: "fee-advance", "returned str, expected a sequence of Proposal"),
        (lambda case: ["fee-advance"], "returned str items, expected a sequence of Proposal"),
        (lambda case: {"strategy": "x"}, "returned dict, expected a sequence of Proposal"),
    ],
    ids=["bare-proposal", "string", "list-of-strings", "dict"],
)
def test_wrong_return_types_are_reported(case, value, complaint):
    host = host_with(Returns("sloppy", value), Strategy("good", "good-plan"))
    found = host.propose(case=case)
    assert [p.strategy for p in found.items] == ["good-plan"]
    assert len(found.failures) == 1
    failure = found.failures[0]
    assert (failure.plugin, failure.hook) == ("sloppy", "debtneg_propose_plans")
    assert failure.error == f"TypeError: {complaint}"


def test_none_and_empty_results_add_nothing(case):
    host = host_with(Returns("none", lambda case: None), Returns("empty", lambda case: ()))
    assert host.propose(case=case) == Collected(items=(), failures=())


def test_failure_text_names_plugin_version_and_hook():
    failure = PluginFailure(
        plugin="p", distribution="dist", version="1.0", hook="debtneg_propose_plans", error="E: x"
    )
    assert str(failure) == "plugin 'p' (dist 1.0) failed in hook debtneg_propose_plans: E: x"
    loading = attrs.evolve(failure, hook=None, distribution=None)
    assert str(loading) == "plugin 'p' failed while loading: E: x"


# --- strict mode -------------------------------------------------------------------------


def test_strict_mode_reraises_a_raising_plugin(case):
    host = host_with(Raising("bad"), Strategy("good", "good-plan"), strict=True)
    with pytest.raises(PluginError, match=r"plugin 'bad' failed in hook debtneg_propose_plans"):
        host.propose(case=case)
    with pytest.raises(PluginError) as caught:
        host.review(case=case, proposal=proposal(case, "x"))
    assert isinstance(caught.value.__cause__, KeyError)


def test_strict_mode_reraises_a_wrong_return_type(case):
    host = host_with(Returns("sloppy", lambda case: "oops"), strict=True)
    with pytest.raises(PluginError, match="returned str, expected a sequence of Proposal"):
        host.propose(case=case)


def test_strict_mode_reraises_a_broken_formatter():
    class Bad(Named):
        @hookimpl
        def debtneg_locale_formatter(self, locale: str) -> object:
            return f"not a formatter for {locale}"

    lenient = host_with(Bad("bad"))
    assert isinstance(lenient.formatter("en"), BabelFormatter)
    # Skipped, but reported by name rather than silently dropped; the host keeps no record.
    formatter, failures = lenient.formatter_with_failures("en")
    assert isinstance(formatter, BabelFormatter)
    assert [(f.plugin, f.hook) for f in failures] == [("bad", "debtneg_locale_formatter")]
    assert "returned no LocaleFormatter" in failures[0].error
    assert not hasattr(lenient, "formatter_failures")
    with pytest.raises(PluginError, match="returned no LocaleFormatter"):
        host_with(Bad("bad"), strict=True).formatter("en")


# --- registration checks -----------------------------------------------------------------


def test_hook_wrappers_are_rejected():
    class NewStyle(Named):
        @hookimpl(wrapper=True)
        def debtneg_propose_plans(self, case: Case) -> Iterator[None]:
            del case
            return (yield)

    class OldStyle(Named):
        @hookimpl(hookwrapper=True)
        def debtneg_review_proposal(self, case: Case, proposal: Proposal) -> Iterator[None]:
            del case, proposal
            yield

    with pytest.raises(PluginError, match="wraps hook 'debtneg_propose_plans'; wrappers"):
        host_with(NewStyle("wrapping"))
    with pytest.raises(PluginError, match="wraps hook 'debtneg_review_proposal'"):
        host_with(OldStyle("old-wrapping"))


def test_unknown_hook_is_rejected():
    class Misspelt(Named):
        @hookimpl
        def debtneg_propose_plan(self, case: Case) -> None:
            del case

    expected = r"'misspelt' implements unknown hook 'debtneg_propose_plan'"
    with pytest.raises(PluginError, match=expected):
        host_with(Misspelt("misspelt"))


# --- blocking ----------------------------------------------------------------------------


def test_blocking_by_argument(case):
    host = host_with(Strategy("keep", "kept"), Strategy("drop", "dropped"), blocked=["drop"])
    assert [p.strategy for p in host.propose(case=case).items] == ["kept"]
    assert "drop" not in {info.name for info in host.plugins()}


def test_blocking_by_environment_variable(case):
    plugins = (Strategy("keep", "kept"), Strategy("drop", "dropped"), Strategy("gone", "gone"))
    host = host_with(*plugins, environ={DISABLE_ENV: " drop , gone,"})
    assert [p.strategy for p in host.propose(case=case).items] == ["kept"]


def test_blocking_every_optional_builtin():
    host = get_plugin_host(
        load_entry_points=False, builtins=True, blocked=NON_ESSENTIAL, environ={}
    )
    assert [info.name for info in host.plugins()] == [FORMATTER]


def test_blocking_one_builtin_keeps_the_others():
    blocked = "debtnegotiation.strategies.deferral"
    host = get_plugin_host(load_entry_points=False, environ={DISABLE_ENV: blocked})
    names = {info.name for info in host.plugins()}
    assert names == set(DEFAULT_PLUGINS) - {blocked}


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_blocking_the_essential_formatter_is_refused(how):
    options: dict[str, object] = (
        {"blocked": [FORMATTER]} if how == "argument" else {"environ": {DISABLE_ENV: FORMATTER}}
    )
    with pytest.raises(PluginError) as caught:
        get_plugin_host(load_entry_points=False, builtins=False, **options)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "cannot block" in message
    assert FORMATTER in message
    assert "override it instead" in message


# --- entry points, with a throw-away distribution on sys.path ---------------------------

_counter = itertools.count()


@pytest.fixture
def distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., str]]:
    """Write a one-module distribution with an entry point; return the module name."""
    made: list[str] = []

    def make(source: str, *, entry: str = "fake-plugin", dist: str = "debtneg-fake") -> str:
        module = f"debtneg_fake_plugin_{next(_counter)}"
        (tmp_path / f"{module}.py").write_text(source, encoding="utf-8")
        info = tmp_path / f"{dist.replace('-', '_')}-1.2.3.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2.3\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(
            f"[debtnegotiation]\n{entry} = {module}\n", encoding="utf-8"
        )
        importlib.invalidate_caches()
        made.append(module)
        return module

    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    for module in made:
        sys.modules.pop(module, None)


STRATEGY_MODULE = """
from debtnegotiation.plugin import Eligibility, Proposal, hookimpl

@hookimpl
def debtneg_propose_plans(case):
    return [Proposal(strategy="from-entry-point", title="t", plan=None,
                     eligibility=Eligibility.NOT_ELIGIBLE, reasons=["installed"])]
"""


def entry_host(**options: object):
    settings: dict[str, object] = {"builtins": False, "environ": {}}
    settings.update(options)
    return get_plugin_host(**settings)  # type: ignore[arg-type]


def test_entry_point_plugin_is_listed_with_distribution_version_and_hooks(distribution, case):
    distribution(STRATEGY_MODULE)
    host = entry_host()
    infos = {info.name: info for info in host.plugins()}
    assert infos["fake-plugin"] == PluginInfo(
        name="fake-plugin",
        distribution="debtneg-fake",
        version="1.2.3",
        hooks=("debtneg_propose_plans",),
        builtin=False,
    )
    assert infos[FORMATTER].builtin
    assert infos[FORMATTER].hooks == ("debtneg_locale_formatter",)
    assert [p.source for p in host.propose(case=case).items] == ["fake-plugin"]


def test_introspection_lists_builtins_first_then_by_name():
    host = host_with(Strategy("zz-last", "z"), Strategy("aa-first", "a"))
    assert [(i.name, i.builtin) for i in host.plugins()] == [
        (FORMATTER, True),
        ("aa-first", False),
        ("zz-last", False),
    ]
    assert host.plugins()[1].hooks == ("debtneg_propose_plans",)


@pytest.mark.parametrize("value", ["1", "true"])
def test_autoload_switch_skips_entry_points(distribution, value):
    distribution(STRATEGY_MODULE)
    assert "fake-plugin" in {i.name for i in entry_host().plugins()}
    host = entry_host(environ={DISABLE_AUTOLOAD_ENV: value})
    assert all(info.builtin for info in host.plugins())
    assert entry_host(load_entry_points=False).plugins() == host.plugins()


@pytest.mark.parametrize("name", ["fake-plugin", "debtneg-fake"], ids=["entry-point", "dist"])
def test_entry_point_blocked_by_name_is_never_imported(distribution, name):
    module = distribution("raise RuntimeError('imported although blocked')\n")
    host = entry_host(blocked=[name])
    assert host.load_failures == ()
    assert module not in sys.modules
    assert "fake-plugin" not in {i.name for i in host.plugins()}


def test_entry_point_failing_to_import_is_reported(distribution, case):
    distribution("raise ImportError('needs a module nobody installed')\n")
    host = entry_host()
    failures = [f for f in host.load_failures if f.plugin == "fake-plugin"]
    assert failures == [
        PluginFailure(
            plugin="fake-plugin",
            distribution="debtneg-fake",
            version="1.2.3",
            hook=None,
            error="ImportError: needs a module nobody installed",
        )
    ]
    assert host.propose(case=case).failures == ()
    with pytest.raises(PluginError, match="plugin 'fake-plugin' failed to load"):
        entry_host(strict=True)


# --- sorting and lifecycle -----------------------------------------------------------


def test_results_do_not_depend_on_registration_order(case):
    one = Strategy("one", "settlement", "extension")
    two = Strategy("two", "deferral", "fee-advance")
    warning = Finding(code="a.warning", severity=Severity.WARNING, message="w")
    danger = Finding(code="z.danger", severity=Severity.DANGER, message="d")
    first = Reviewer("first", warning)
    second = Reviewer("second", danger)
    for order in itertools.permutations([one, two, first, second]):
        host = host_with(*order)
        proposed = host.propose(case=case)
        assert [(p.strategy, p.source) for p in proposed.items] == [
            ("deferral", "two"),
            ("extension", "one"),
            ("fee-advance", "two"),
            ("settlement", "one"),
        ]
        reviewed = host.review(case=case, proposal=proposed.items[0])
        assert [f.code for f in reviewed.items] == ["z.danger", "a.warning"]


class Recorder(Named):
    """Implements every hook and records each call, to pin the lifecycle."""

    def __init__(self, name: str, calls: list[tuple[str, str]], policy: LenderPolicy) -> None:
        super().__init__(name)
        self.calls = calls
        self.policy = policy
        self.policy_seen: LenderPolicy | None = None

    @hookimpl
    def debtneg_lender_policies(self, debt: Debt) -> Sequence[LenderPolicy] | None:
        self.calls.append(("debtneg_lender_policies", debt.creditor.name))
        return [self.policy]

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
        self.calls.append(("debtneg_propose_plans", case.debt.creditor.name))
        self.policy_seen = case.policy
        return [proposal(case, "zz-second", months=6), proposal(case, "aa-first", months=12)]

    @hookimpl
    def debtneg_review_proposal(self, case: Case, proposal: Proposal) -> Sequence[Finding] | None:
        del case
        self.calls.append(("debtneg_review_proposal", proposal.strategy))
        return None

    @hookimpl
    def debtneg_locale_formatter(self, locale: str) -> LocaleFormatter | None:
        self.calls.append(("debtneg_locale_formatter", locale))
        return None


def test_lifecycle_order_is_pinned():
    calls: list[tuple[str, str]] = []
    policy = LenderPolicy(
        lender="Example Installment Platform", source="t", fee_rate=Decimal("0.05")
    )
    recorder = Recorder("recorder", calls, policy)
    host = host_with(recorder)
    negotiation = Negotiation(sample_case(policy=None), regime=Regime.CN_PBOC, host=host)
    negotiation.options()
    formatter = host.formatter("en")
    platform = "Example Installment Platform"
    assert calls == [
        ("debtneg_lender_policies", platform),
        ("debtneg_propose_plans", platform),
        ("debtneg_review_proposal", "aa-first"),
        ("debtneg_review_proposal", "zz-second"),
        ("debtneg_locale_formatter", "en"),
    ]
    # The policy found in the first phase is the one strategies see in the second.
    assert recorder.policy_seen == policy
    assert negotiation.case.policy == policy
    # The plugin answered None, so the built-in formatter (trylast) answered.
    assert isinstance(formatter, BabelFormatter)


def test_first_formatter_wins_tryfirst_before_later_registered():
    class Early(Formatter):
        @hookimpl(tryfirst=True)
        def debtneg_locale_formatter(self, locale: str) -> LocaleFormatter | None:
            return self.formatter if locale == self.locale else None

    early, late = Early("early", "en"), Formatter("late", "en")
    assert host_with(early, late).formatter("en") is early.formatter
    assert host_with(late, early).formatter("en") is early.formatter
    plain_one, plain_two = Formatter("one", "en"), Formatter("two", "en")
    # Among equals, the plugin registered last answers first (pluggy's LIFO order).
    assert host_with(plain_one, plain_two).formatter("en") is plain_two.formatter


# --- the testing kit ---------------------------------------------------------------------


def test_kit_host_holds_only_the_plugins_under_test(monkeypatch, case):
    monkeypatch.setenv(DISABLE_ENV, "mine")
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "0")
    host = plugin_host(Strategy("mine", "kit-plan"))
    assert [info.name for info in host.plugins()] == [FORMATTER, "mine"]
    assert [p.strategy for p in host.propose(case=case).items] == ["kit-plan"]


def test_kit_host_is_strict_by_default(case):
    with pytest.raises(PluginError):
        plugin_host(Raising("bad")).propose(case=case)
    reported = plugin_host(Raising("bad"), strict=False).propose(case=case)
    with pytest.raises(AssertionError, match=r"1 plugin failure\(s\):\n  plugin 'bad'"):
        assert_no_failures(reported)


def test_kit_assert_no_failures_returns_the_items(case):
    host = plugin_host(Strategy("mine", "b", "a"), strict=False)
    items = assert_no_failures(host.propose(case=case))
    assert [p.strategy for p in items] == ["a", "b"]


def test_kit_sample_case_policy_follows_the_debt():
    from debtnegotiation.example import example_debts, example_policies

    platform = sample_case()
    assert platform.policy == example_policies()["Example Installment Platform"]
    assert sample_case(policy=None).policy is None
    card = sample_case(debt=example_debts()[1])
    assert card.policy == example_policies()["Example Bank Credit Card"]
    stranger = attrs.evolve(
        example_debts()[0],
        creditor=attrs.evolve(example_debts()[0].creditor, name="Unknown Lender"),
    )
    assert sample_case(debt=stranger).policy is None
    with pytest.raises(ValidationError, match="policy: expected a LenderPolicy, None or 'example'"):
        sample_case(policy="examples")  # type: ignore[arg-type]


def test_kit_docstring_examples_run():
    result = doctest.testmod(debtnegotiation.testing, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5
    assert result.failed == 0


# --- isolation that holds: garbage results, changed arguments, exits -------------------

_set = object.__setattr__


class ReviewReturns(Named):
    """Returns ``value(proposal)`` from ``debtneg_review_proposal``."""

    def __init__(self, name: str, value: Callable[[Proposal], object]) -> None:
        super().__init__(name)
        self.value = value

    @hookimpl
    def debtneg_review_proposal(self, case: Case, proposal: Proposal) -> object:
        del case
        return self.value(proposal)


def smuggled(make: Callable[[], object], field: str, value: object) -> object:
    """*make()*, then *field* set to *value* past the frozen class and its validators."""
    made = make()
    _set(made, field, value)
    return made


def test_finding_validates_every_field():
    good = {"code": "core.unaffordable", "severity": Severity.WARNING, "message": "m"}
    for field, bad, expected in [
        ("code", "Unaffordable", "a dotted lower-case code"),
        ("code", "core", "a dotted lower-case code"),
        ("code", None, "a dotted lower-case code"),
        ("severity", "high", "one of Severity.INFO, Severity.WARNING, Severity.DANGER"),
        ("severity", 20, "one of Severity.INFO"),
        ("message", "  ", "a non-empty sentence"),
        ("source", 3, "text (the plugin name)"),
    ]:
        with pytest.raises(ValidationError) as caught:
            Finding(**{**good, field: bad})  # type: ignore[arg-type]
        error = caught.value
        assert (error.field, error.value) == (f"Finding.{field}", bad)
        assert expected in str(error)
    assert Finding(**good, source="p").source == "p"  # type: ignore[arg-type]


def test_proposal_validates_its_fields(case):
    good = proposal(case, "x")
    for field, bad, name, expected in [
        ("title", None, "Proposal.title", "a non-empty title"),
        ("title", "", "Proposal.title", "a non-empty title"),
        ("reasons", "one reason", "Proposal.reasons", "a list or tuple"),
        ("reasons", ["ok", 3], "Proposal.reasons[1]", "a sentence (str)"),
        ("evidence_needed", ["income-proof"], "Proposal.evidence_needed[0]", "an EvidenceKind"),
        ("source", None, "Proposal.source", "text (the plugin name)"),
        ("plan", "a plan", "Proposal.plan", "a Plan or None"),
        ("eligibility", "eligible", "Proposal.eligibility", "an Eligibility"),
    ]:
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(good, **{field: bad})
        assert caught.value.field == name
        assert expected in str(caught.value)


def test_sort_keys_are_computed_inside_the_guard(case):
    # Reproduced before the fix: the host sorted outside the guard, so one garbage
    # result raised TypeError from host.review()/host.propose() and lost every result.
    bad_finding = ReviewReturns(
        "bad-finding",
        lambda p: [
            smuggled(
                lambda: Finding(code="t.x", severity=Severity.INFO, message="m"),
                "severity",
                "high",
            )
        ],
    )
    warning = Finding(code="t.warning", severity=Severity.WARNING, message="careful")
    host = host_with(bad_finding, Reviewer("good", warning))
    reviewed = host.review(case=case, proposal=proposal(case, "x"))
    assert [f.code for f in reviewed.items] == ["t.warning"]
    (failure,) = reviewed.failures
    assert failure.plugin == "bad-finding"
    assert failure.error == "ValidationError: Finding.severity: expected a Severity, got 'high'"

    untitled = Returns(
        "untitled", lambda case: [smuggled(lambda: proposal(case, "good-plan"), "title", None)]
    )
    alone = host_with(Strategy("good", "good-plan")).propose(case=case)
    found = host_with(untitled, Strategy("good", "good-plan")).propose(case=case)
    assert found.items == alone.items
    assert [(f.plugin, f.error) for f in found.failures] == [
        ("untitled", "ValidationError: Proposal.title: expected a str, got None")
    ]


def _plan_with(case: Case, field: str, value: object) -> Proposal:
    """A proposal whose fourth installment has *field* replaced by *value*."""
    made = proposal(case, "garbage")
    assert made.plan is not None
    _set(made.plan.installments[3], field, value)
    return made


def _money(amount: object, currency: str = "CNY") -> Money:
    return smuggled(lambda: Money.zero(currency), "amount", amount)  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("make", "complaint"),
    [
        (
            lambda case: _plan_with(case, "interest", _money(0.5)),
            (
                "Proposal.plan.installments[3].interest.amount: expected a finite Decimal "
                "(never a float), got 0.5"
            ),
        ),
        (
            lambda case: _plan_with(case, "interest", _money(Decimal("NaN"))),
            "Proposal.plan.installments[3].interest.amount: expected a finite Decimal",
        ),
        (
            lambda case: _plan_with(case, "fee", _money(Decimal("-1.00"))),
            "Proposal.plan.installments[3].fee: expected an amount of zero or more",
        ),
        (
            lambda case: _plan_with(case, "fee", _money(Decimal("0"), "USD")),
            "Proposal.plan.installments[3].fee.currency: expected the debt's currency CNY",
        ),
        (
            lambda case: _plan_with(case, "due", "2026-12-01"),
            (
                "Proposal.plan.installments[3].due: expected a date (datetime.date, without a "
                "time), got '2026-12-01'"
            ),
        ),
        (
            lambda case: _plan_with(case, "seq", True),
            "Proposal.plan.installments[3].seq: expected a whole number (int), got True",
        ),
        (
            lambda case: Proposal(
                strategy="garbage",
                title="In dollars",
                plan=equal_installment(
                    Money(case.owed.amount, "USD"), InterestRate.zero(), 6, start=case.on
                ),
                eligibility=Eligibility.ELIGIBLE,
            ),
            "Proposal.plan.principal.currency: expected the debt's currency CNY",
        ),
        (
            lambda case: smuggled(lambda: proposal(case, "garbage"), "strategy", "Fee Advance"),
            "Proposal.strategy: expected a lower-case strategy name, got 'Fee Advance'",
        ),
        (
            lambda case: smuggled(lambda: proposal(case, "garbage"), "reasons", ("ok", 3)),
            "Proposal.reasons[1]: expected a str, got 3",
        ),
    ],
    ids=[
        "float",
        "nan",
        "negative",
        "currency-of-one-amount",
        "due-as-text",
        "seq-as-bool",
        "plan-in-dollars",
        "strategy",
        "reasons",
    ],
)
def test_garbage_proposals_are_reported_and_the_others_stand(case, make, complaint):
    alone = host_with(Strategy("good", "good-plan")).propose(case=case)
    found = host_with(Returns("garbage", lambda case: [make(case)]), Strategy("good", "good-plan"))
    collected = found.propose(case=case)
    assert collected.items == alone.items
    (failure,) = collected.failures
    assert (failure.plugin, failure.hook) == ("garbage", "debtneg_propose_plans")
    assert failure.error.startswith(f"ValidationError: {complaint}"), failure.error


def test_garbage_policies_and_contact_rules_are_reported(case):
    policy = LenderPolicy(lender="Example Installment Platform", source="t")
    rules = ContactRules(name="r", zone="UTC")

    class Garbage(Named):
        @hookimpl
        def debtneg_lender_policies(self, debt: Debt) -> Sequence[LenderPolicy] | None:
            return [smuggled(lambda: policy, "fee_rate", 0.05)]  # type: ignore[list-item]

        @hookimpl
        def debtneg_contact_rules(self, debt: Debt) -> Sequence[ContactRules] | None:
            return [smuggled(lambda: attrs.evolve(rules), "max_per_day", "6")]  # type: ignore[list-item]

    host = host_with(Garbage("garbage"), Lender("lender", policy))
    policies = host.policies(debt=case.debt)
    assert policies.items == (policy,)
    assert [f.error for f in policies.failures] == [
        (
            "ValidationError: LenderPolicy.fee_rate: expected a finite Decimal (never a float), "
            "got 0.05"
        )
    ]
    found = host.contact_rules(debt=case.debt)
    assert found.items == ()
    assert [f.error for f in found.failures] == [
        "ValidationError: ContactRules.max_per_day: expected a whole number (int), got '6'"
    ]


def test_collected_names_the_plugin_of_each_item(case):
    host = host_with(Strategy("one", "b"), Strategy("two", "a", "c"))
    found = host.propose(case=case)
    assert [(p.strategy, plugin) for p, plugin in zip(found.items, found.plugins, strict=True)] == [
        ("a", "two"),
        ("b", "one"),
        ("c", "two"),
    ]


class Exits(Named):
    """Calls ``sys.exit`` in a hook, as a plugin with a stray ``sys.exit(0)`` does."""

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
        del case
        sys.exit(0)


def test_system_exit_in_a_hook_is_a_failure_of_that_plugin(case):
    alone = host_with(Strategy("good", "good-plan")).propose(case=case)
    found = host_with(Exits("exits"), Strategy("good", "good-plan")).propose(case=case)
    assert found.items == alone.items
    assert [(f.plugin, f.error) for f in found.failures] == [("exits", "SystemExit: 0")]
    with pytest.raises(PluginError, match="plugin 'exits' failed in hook") as caught:
        host_with(Exits("exits"), strict=True).propose(case=case)
    assert isinstance(caught.value.__cause__, SystemExit)


def test_keyboard_interrupt_from_a_hook_is_that_plugins_failure(case):
    # Issue 10: a KeyboardInterrupt-style escape must not end the run for every plugin.
    class Interrupted(Named):
        @hookimpl
        def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
            raise KeyboardInterrupt

    proposed = host_with(Interrupted("interrupted")).propose(case=case)
    assert [(f.plugin, f.error) for f in proposed.failures] == [
        ("interrupted", "KeyboardInterrupt: ")
    ]


def test_system_exit_while_importing_an_entry_point_is_a_load_failure(distribution):
    distribution("import sys\nsys.exit(3)\n")
    host = entry_host()
    assert [(f.plugin, f.version, f.error) for f in host.load_failures] == [
        ("fake-plugin", "1.2.3", "SystemExit: 3")
    ]
    with pytest.raises(PluginError, match="plugin 'fake-plugin' failed to load"):
        entry_host(strict=True)


class Mutates(Named):
    """Changes the debt of the case it is given in place, then proposes from it."""

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
        _set(case.debt, "principal", Money("1.00", "CNY"))
        _set(case.debt.fees, "amount", Decimal("999.00"))
        _set(case, "on", dt.date(2030, 1, 1))
        return [proposal(case, "mutated")]


class Sees(Named):
    """Records the debt it is given, to show what a later plugin sees."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.seen: list[str] = []

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
        self.seen.append(repr((case.debt, case.on, case.owed)))
        return [proposal(case, "seen")]


def test_a_plugin_changing_its_case_is_reported_and_undone(case):
    pristine = repr(case)
    owed = case.owed
    witness = Sees("witness")
    # Registered first, so called last (pluggy's order): it sees what Mutates left.
    host = host_with(witness, Mutates("mutates"))
    found = host.propose(case=case)
    assert [p.source for p in found.items] == ["witness"]
    (failure,) = found.failures
    assert failure.plugin == "mutates"
    assert failure.error.startswith("changed the frozen arguments it was given in place (")
    for name in ("Debt.principal", "Money.amount", "Case.on"):
        assert name in failure.error
    assert "the change was undone and its results dropped" in failure.error
    assert repr(case) == pristine
    assert case.owed == owed
    assert witness.seen == [repr((case.debt, case.on, case.owed))]
    with pytest.raises(PluginError, match="plugin 'mutates' failed in hook"):
        host_with(Mutates("mutates"), strict=True).propose(case=case)
    assert repr(case) == pristine


def test_a_review_changing_the_proposal_is_reported_and_undone(case):
    offer = proposal(case, "x")
    pristine = repr(offer)

    def retitle(p: Proposal) -> list[Finding]:
        _set(p, "title", "not what the strategy wrote")
        assert p.plan is not None
        _set(p.plan, "label", "relabelled")
        return []

    warning = Finding(code="t.warning", severity=Severity.WARNING, message="careful")
    host = host_with(Reviewer("good", warning), ReviewReturns("retitles", retitle))
    reviewed = host.review(case=case, proposal=offer)
    assert [f.code for f in reviewed.items] == ["t.warning"]
    (failure,) = reviewed.failures
    assert failure.plugin == "retitles"
    assert "Proposal.title" in failure.error
    assert "Plan.label" in failure.error
    assert repr(offer) == pristine


def test_filling_a_cache_is_not_a_change(case):
    fresh = attrs.evolve(case)  # nothing computed yet

    class Reads(Named):
        @hookimpl
        def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
            return [proposal(case, "reads")]  # computes case.owed and the budget

    found = host_with(Reads("reads"), Sees("after")).propose(case=fresh)
    assert found.failures == ()
    assert {p.source for p in found.items} == {"reads", "after"}
