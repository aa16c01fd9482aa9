"""Plugins really installed, discovered through entry points, and isolated when broken.

Two deliberately bad distributions under ``tests/plugins/`` are pip-installed into a
temporary directory once per session:

* ``debtnegotiation-broken-test-plugin`` 0.0.1: entry point ``broken-import`` fails to
  import, entry point ``broken-strategy`` raises inside ``debtneg_propose_plans``;
* ``debtnegotiation-misspelt-test-plugin`` 0.0.2: entry point ``misspelt-hook``
  implements ``debtneg_propose_plan`` (singular), a hook that does not exist;
* ``debtnegotiation-garbage-test-plugin`` 0.0.3, installed into a directory of its own:
  one entry point per kind of garbage a hook can return (wrong types, a bad severity, a
  title ``None``, a float amount, a plan in another currency, a negative amount), one that
  changes its input case, one that changes the proposal it reviews, one that raises, one
  that calls ``sys.exit(0)`` and one that does so while it is imported.

A fresh interpreter with that directory on ``PYTHONPATH`` builds plugin hosts and prints
what they saw as JSON, so the bad plugins never reach this test process. The same run
checks that the plugins in ``plugins/`` (installed into the environment by the README's
test command and ``.ci/run``) are discovered with their distribution name and version.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "plugins"

BROKEN = "debtnegotiation-broken-test-plugin"
MISSPELT = "debtnegotiation-misspelt-test-plugin"
GARBAGE = "debtnegotiation-garbage-test-plugin"

#: The plugins of ``plugins/``: entry-point name -> (distribution, hooks implemented).
SHIPPED = {
    "example-lender": ("debtnegotiation-example-lender", ["debtneg_lender_policies"]),
    "cn-rate-ceilings": ("debtnegotiation-cn", ["debtneg_review_proposal"]),
    "cn-personalised-installment": (
        "debtnegotiation-cn",
        ["debtneg_catalogs", "debtneg_propose_plans", "debtneg_strategy_names"],
    ),
    "cn-collection-conduct": ("debtnegotiation-cn", ["debtneg_contact_rules"]),
    "us-debt-relief-fees": ("debtnegotiation-us", ["debtneg_review_proposal"]),
    "us-forgiven-debt-tax": ("debtnegotiation-us", ["debtneg_review_proposal"]),
    "us-collection-conduct": ("debtnegotiation-us", ["debtneg_contact_rules"]),
    "us-catalogs": ("debtnegotiation-us", ["debtneg_catalogs"]),
}

# Runs in the child interpreter: build hosts under several switches, report as JSON.
PROBE = r"""
import json, os
import attrs
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.testing import sample_case

case = sample_case()

def run(**options):
    host = get_plugin_host(**options)
    proposed = host.propose(case=case)
    return {
        "load_failures": [attrs.asdict(f) for f in host.load_failures],
        "propose_failures": [attrs.asdict(f) for f in proposed.failures],
        "proposals": [[p.strategy, p.title, p.source] for p in proposed.items],
        "plugins": [attrs.asdict(i) for i in host.plugins()],
    }

print(json.dumps({
    "default": run(environ={}),
    "clean": run(environ={}, blocked=["broken-import", "broken-strategy", "misspelt-hook"]),
    "process_environment": run(),
    "no_autoload": run(environ={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1"}),
}))
"""


def _install(target: Path, *fixtures: str) -> Path:
    """Pip-install the fixture distributions into *target*, offline when hatchling is here."""
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")  # offline: build with the hatchling we have
    command += ["--target", str(target), *(str(FIXTURES / f) for f in fixtures)]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return target


def _probe(plugins_dir: Path, probe: str, **environ: str) -> dict[str, Any]:
    """Run *probe* in a fresh interpreter that sees *plugins_dir*; return its JSON."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(plugins_dir), env.get("PYTHONPATH", "")) if p
    )
    env.pop("DEBTNEG_DISABLE_PLUGIN_AUTOLOAD", None)
    env.pop("DEBTNEG_DISABLE_PLUGINS", None)
    env.update(environ)
    done = subprocess.run(
        [sys.executable, "-c", probe], check=False, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="session")
def bad_plugins_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The broken and misspelt distributions, pip-installed into a private directory."""
    return _install(tmp_path_factory.mktemp("bad-plugins"), "broken", "misspelt")


@pytest.fixture(scope="session")
def seen(bad_plugins_dir: Path) -> dict[str, Any]:
    """What hosts built in a fresh interpreter saw, by scenario."""
    return _probe(bad_plugins_dir, PROBE, DEBTNEG_DISABLE_PLUGINS="broken-import,misspelt-hook")


def _by_plugin(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {record["plugin"]: record for record in records}


def _names(scenario: dict[str, Any]) -> set[str]:
    return {info["name"] for info in scenario["plugins"]}


# --- the broken distribution -------------------------------------------------------


def test_plugin_failing_to_import_is_reported_by_name_and_version(seen):
    failure = _by_plugin(seen["default"]["load_failures"])["broken-import"]
    assert failure["distribution"] == BROKEN
    assert failure["version"] == "0.0.1"
    assert failure["hook"] is None
    assert failure["error"].startswith("RuntimeError: ")
    assert "fails to import on purpose" in failure["error"]
    assert "broken-import" not in _names(seen["default"])


def test_raising_strategy_is_reported_with_its_hook(seen):
    failures = _by_plugin(seen["default"]["propose_failures"])
    assert set(failures) == {"broken-strategy"}
    failure = failures["broken-strategy"]
    assert failure["hook"] == "debtneg_propose_plans"
    assert failure["distribution"] == BROKEN
    assert failure["version"] == "0.0.1"
    assert failure["error"].startswith("ZeroDivisionError: ")
    assert "raises on purpose" in failure["error"]
    # It loaded fine: the failure happened at call time.
    assert "broken-strategy" in _names(seen["default"])


def test_other_plugins_proposals_are_intact(seen):
    default, clean = seen["default"], seen["clean"]
    assert default["proposals"], "the built-in strategies proposed nothing"
    assert default["proposals"] == clean["proposals"]
    sources = {source for _, _, source in default["proposals"]}
    assert any(source.startswith("debtnegotiation.strategies.") for source in sources)
    assert clean["load_failures"] == []
    assert clean["propose_failures"] == []


# --- the misspelt distribution -----------------------------------------------------


def test_misspelt_hook_is_reported_as_unknown(seen):
    failure = _by_plugin(seen["default"]["load_failures"])["misspelt-hook"]
    assert failure["distribution"] == MISSPELT
    assert failure["version"] == "0.0.2"
    assert "unknown hook 'debtneg_propose_plan'" in failure["error"]
    assert "misspelt-hook" not in _names(seen["default"])


# --- switches, applied before entry points load ------------------------------------


def test_blocked_by_the_environment_variable_before_loading(seen):
    # DEBTNEG_DISABLE_PLUGINS=broken-import,misspelt-hook in the child's environment:
    # the failing module is never imported, so nothing fails to load.
    scenario = seen["process_environment"]
    assert scenario["load_failures"] == []
    assert {"broken-import", "misspelt-hook"}.isdisjoint(_names(scenario))
    assert "broken-strategy" in _names(scenario)


def test_autoload_switch_loads_no_entry_point(seen):
    scenario = seen["no_autoload"]
    assert scenario["load_failures"] == []
    assert all(info["builtin"] for info in scenario["plugins"])
    assert scenario["propose_failures"] == []


# --- the plugins of plugins/ -------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_plugin_is_discovered_with_distribution_and_version(seen, name):
    distribution, hooks = SHIPPED[name]
    try:
        version = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        pytest.fail(f"{distribution} is not installed: python -m pip install ./plugins/*")
    infos = {info["name"]: info for info in seen["default"]["plugins"]}
    assert name in infos, f"entry point {name!r} of {distribution} was not discovered"
    info = infos[name]
    assert info["distribution"] == distribution
    assert info["version"] == version
    assert info["hooks"] == hooks
    assert info["builtin"] is False


# --- the garbage distribution ------------------------------------------------------

# Runs in the child interpreter. The host without the garbage runs first, so that a
# change the garbage made to the case would show in the comparison, not hide in both.
GARBAGE_PROBE = r"""
import json
import attrs
from debtnegotiation.plugins import PluginError, get_plugin_host
from debtnegotiation.testing import sample_case

case = sample_case()
before = repr(case)

def run(**options):
    host = get_plugin_host(environ={}, **options)
    proposed = host.propose(case=case)
    reviews = [host.review(case=case, proposal=p) for p in proposed.items]
    return {
        "load_failures": [attrs.asdict(f) for f in host.load_failures],
        "propose_failures": [attrs.asdict(f) for f in proposed.failures],
        "review_failures": [attrs.asdict(f) for r in reviews for f in r.failures],
        "proposals": repr(proposed.items),
        "sources": sorted({p.source for p in proposed.items}),
        "findings": [repr(r.items) for r in reviews],
        "case": repr(case),
    }

def strict(**options):
    try:
        get_plugin_host(environ={}, strict=True, **options).propose(case=case)
    except PluginError as error:
        return str(error)
    return None

clean = run(blocked=["debtnegotiation-garbage-test-plugin"])
garbage = run()
print(json.dumps({
    "before": before,
    "clean": clean,
    "garbage": garbage,
    "strict_load": strict(),
    "strict_call": strict(blocked=["garbage-exits-on-import"]),
}))
"""

#: Entry point -> (hook, start of the error) for each garbage plugin that fails in a hook.
EXPECTED = {
    "garbage-str": (
        "debtneg_propose_plans",
        "TypeError: returned str, expected a sequence of Proposal",
    ),
    "garbage-ints": (
        "debtneg_propose_plans",
        "TypeError: returned int items, expected a sequence of Proposal",
    ),
    "garbage-title-none": (
        "debtneg_propose_plans",
        "ValidationError: Proposal.title: expected a non-empty title, got None",
    ),
    # Smuggled past the constructor: the host's check of every field's type finds it.
    "garbage-title-smuggled": (
        "debtneg_propose_plans",
        "ValidationError: Proposal.title: expected a str, got None",
    ),
    "garbage-float": (
        "debtneg_propose_plans",
        (
            "ValidationError: Proposal.plan.installments[3].interest.amount: expected a finite "
            "Decimal (never a float), got 0.5"
        ),
    ),
    "garbage-currency": (
        "debtneg_propose_plans",
        "ValidationError: Proposal.plan.principal.currency: expected the debt's currency CNY",
    ),
    "garbage-negative": (
        "debtneg_propose_plans",
        "ValidationError: Proposal.plan.installments[0].fee: expected an amount of zero or more",
    ),
    "garbage-mutates-case": (
        "debtneg_propose_plans",
        "changed the frozen arguments it was given in place (",
    ),
    "garbage-raises": ("debtneg_propose_plans", "RuntimeError: debtneg-garbage-plugin raises"),
    "garbage-exits": ("debtneg_propose_plans", "SystemExit: 0"),
    "garbage-severity": (
        "debtneg_review_proposal",
        (
            "ValidationError: Finding.severity: expected one of Severity.INFO, Severity.WARNING, "
            "Severity.DANGER, got 'high'"
        ),
    ),
    "garbage-severity-smuggled": (
        "debtneg_review_proposal",
        "ValidationError: Finding.severity: expected a Severity, got 'high'",
    ),
    "garbage-mutates-proposal": (
        "debtneg_review_proposal",
        "changed the frozen arguments it was given in place (Proposal.title)",
    ),
}


@pytest.fixture(scope="session")
def garbage(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What hosts saw with and without the garbage distribution, in a fresh interpreter."""
    return _probe(_install(tmp_path_factory.mktemp("garbage-plugins"), "garbage"), GARBAGE_PROBE)


def _failures(scenario: dict[str, Any]) -> dict[str, dict[str, Any]]:
    records = scenario["propose_failures"] + scenario["review_failures"]
    return {record["plugin"]: record for record in records}


@pytest.mark.parametrize("plugin", sorted(EXPECTED))
def test_garbage_is_reported_by_name_version_and_hook(garbage, plugin):
    hook, error = EXPECTED[plugin]
    failure = _failures(garbage["garbage"])[plugin]
    assert failure["distribution"] == GARBAGE
    assert failure["version"] == "0.0.3"
    assert failure["hook"] == hook
    assert failure["error"].startswith(error), failure["error"]


def test_only_the_garbage_fails(garbage):
    assert set(_failures(garbage["garbage"])) == set(EXPECTED)
    assert _failures(garbage["clean"]) == {}


def test_exit_while_importing_is_a_load_failure(garbage):
    (failure,) = garbage["garbage"]["load_failures"]
    assert failure["plugin"] == "garbage-exits-on-import"
    assert (failure["distribution"], failure["version"]) == (GARBAGE, "0.0.3")
    assert failure["hook"] is None
    assert failure["error"] == "SystemExit: 0"


def test_the_good_plugins_results_are_byte_for_byte_the_same(garbage):
    clean, dirty = garbage["clean"], garbage["garbage"]
    assert any(s.startswith("debtnegotiation.strategies.") for s in clean["sources"])
    assert dirty["sources"] == clean["sources"]
    assert dirty["proposals"] == clean["proposals"]
    assert dirty["findings"] == clean["findings"]
    assert len(clean["findings"]) > 0


def test_a_changed_case_is_named_and_undone(garbage):
    error = _failures(garbage["garbage"])["garbage-mutates-case"]["error"]
    assert "Debt.principal" in error
    assert "Money.amount" in error
    assert "the change was undone and its results dropped" in error
    # The caller's case is as it was, after both hosts ran.
    assert garbage["garbage"]["case"] == garbage["clean"]["case"] == garbage["before"]


def test_strict_mode_raises_on_garbage(garbage):
    assert garbage["strict_load"] == "plugin 'garbage-exits-on-import' failed to load"
    message = garbage["strict_call"]
    assert message is not None
    assert message.startswith("plugin 'garbage-")
    assert f"({GARBAGE} 0.0.3) failed in hook debtneg_" in message
