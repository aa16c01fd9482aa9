"""Plugins really installed, discovered through entry points, and isolated when broken.

Two deliberately bad distributions under ``tests/plugins/`` are pip-installed into a
temporary directory once per session:

* ``debtnegotiation-broken-test-plugin`` 0.0.1: entry point ``broken-import`` fails to
  import, entry point ``broken-strategy`` raises inside ``debtneg_propose_plans``;
* ``debtnegotiation-misspelt-test-plugin`` 0.0.2: entry point ``misspelt-hook``
  implements ``debtneg_propose_plan`` (singular), a hook that does not exist.

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

#: The plugins of ``plugins/``: entry-point name -> (distribution, hooks implemented).
SHIPPED = {
    "example-lender": ("debtnegotiation-example-lender", ["debtneg_lender_policies"]),
    "cn-rate-ceilings": ("debtnegotiation-cn", ["debtneg_review_proposal"]),
    "cn-personalised-installment": (
        "debtnegotiation-cn",
        ["debtneg_catalogs", "debtneg_propose_plans"],
    ),
    "cn-collection-conduct": ("debtnegotiation-cn", ["debtneg_contact_rules"]),
    "us-debt-relief-fees": ("debtnegotiation-us", ["debtneg_review_proposal"]),
    "us-forgiven-debt-tax": ("debtnegotiation-us", ["debtneg_review_proposal"]),
    "us-collection-conduct": ("debtnegotiation-us", ["debtneg_contact_rules"]),
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


@pytest.fixture(scope="session")
def bad_plugins_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The broken and misspelt distributions, pip-installed into a private directory."""
    target = tmp_path_factory.mktemp("bad-plugins")
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")  # offline: build with the hatchling we have
    command += ["--target", str(target), str(FIXTURES / "broken"), str(FIXTURES / "misspelt")]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return target


@pytest.fixture(scope="session")
def seen(bad_plugins_dir: Path) -> dict[str, Any]:
    """What hosts built in a fresh interpreter saw, by scenario."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(bad_plugins_dir), env.get("PYTHONPATH", "")) if p
    )
    env["DEBTNEG_DISABLE_PLUGINS"] = "broken-import,misspelt-hook"
    env.pop("DEBTNEG_DISABLE_PLUGIN_AUTOLOAD", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], check=False, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


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
