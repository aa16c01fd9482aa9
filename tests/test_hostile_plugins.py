"""Hostile plugins, registered or really installed, against the ``debtneg`` command.

Each attack of issue 10 is written as a plugin: one that sleeps, one that raises
``KeyboardInterrupt``, one that calls ``sys.exit(0)``, one that proposes a plan in another
currency than its debt, and an installed one that calls ``sys.exit`` while it is imported.
Each is reported as that plugin's failure, by name; the other plugins' results (the
command's standard output) are exactly those of a run without it; ``--strict-plugins``
turns each into exit status 3.
"""

from __future__ import annotations

import importlib
import json
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from debtnegotiation._plugin_calls import HookCaller, PluginTimeoutError
from debtnegotiation.case import Case
from debtnegotiation.cli import EXIT_OK, EXIT_PLUGIN, CliState, cli
from debtnegotiation.money import Money
from debtnegotiation.plugin import hookimpl
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
ISOLATED = {
    "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
    "DEBTNEG_DISABLE_PLUGINS": "",
    "DEBTNEG_LOCALE": None,
    "DEBTNEG_TRACE_PLUGINS": None,
}
#: Released at the end of each test, so an abandoned sleeper thread ends too.
RELEASE = threading.Event()


@pytest.fixture(autouse=True)
def release_sleepers() -> Iterator[None]:
    RELEASE.clear()
    yield
    RELEASE.set()


class Strategy:
    """A registered strategy plugin whose hook does *act* (and proposes nothing)."""

    def __init__(self, name: str, act) -> None:
        self.__name__ = name
        self.act = act

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
        """Do the hostile thing."""
        return self.act(case)


def _sleep(case: Case) -> None:
    RELEASE.wait(60)


def _interrupt(case: Case) -> None:
    raise KeyboardInterrupt


def _exit(case: Case) -> None:
    sys.exit(0)


def _other_currency(case: Case) -> list[Proposal]:
    owed = Money(case.owed.amount, "USD")
    plan = equal_installment(owed, InterestRate.zero(), 12, start=case.on)
    proposal = Proposal(
        strategy="dollars",
        title="Twelve payments in dollars",
        plan=plan,
        eligibility=Eligibility.ELIGIBLE,
        reasons=("a hostile test plugin",),
    )
    return [proposal]


def run(*args: str, plugins: Sequence[object] = ()) -> Result:
    runner = CliRunner(env=ISOLATED)
    return runner.invoke(cli, list(args), obj=CliState(plugins=tuple(plugins)))


def without_failures(text: str) -> object:
    """The JSON output without its lists of plugin failures: every other plugin's results."""

    def strip(value: object) -> object:
        if isinstance(value, dict):
            dropped = {"failures", "plugin_failures"}
            return {k: strip(v) for k, v in value.items() if k not in dropped}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(json.loads(text))


@pytest.fixture(scope="module")
def clean() -> str:
    done = run("options", str(EXAMPLE), "--format", "json")
    assert done.exit_code == EXIT_OK, done.output
    return done.stdout


ATTACKS = {
    "sleeper": (_sleep, "did not return within 0.5 s"),
    "interrupter": (_interrupt, "KeyboardInterrupt"),
    "exiter": (_exit, "SystemExit"),
    "dollars": (_other_currency, "USD"),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_a_hostile_plugin_is_reported_by_name_and_the_rest_is_unchanged(name, clean):
    act, fragment = ATTACKS[name]
    done = run(
        "--plugin-timeout",
        "0.5",
        "options",
        str(EXAMPLE),
        "--format",
        "json",
        plugins=[Strategy(name, act)],
    )
    assert done.exit_code == EXIT_OK, done.output
    assert without_failures(done.stdout) == without_failures(clean)
    assert f"plugin '{name}' failed" in json.dumps(json.loads(done.stdout))
    assert f"plugin {name!r} failed in hook debtneg_propose_plans" in done.stderr
    assert fragment in done.stderr
    assert "Traceback" not in done.output


@pytest.mark.parametrize("name", list(ATTACKS))
def test_strict_plugins_turns_each_attack_into_exit_status_3(name):
    act, _ = ATTACKS[name]
    done = run(
        "--strict-plugins",
        "--plugin-timeout",
        "0.5",
        "options",
        str(EXAMPLE),
        plugins=[Strategy(name, act)],
    )
    assert done.exit_code == EXIT_PLUGIN, done.output
    assert name in done.stderr
    assert "Traceback" not in done.output


def test_an_overrunning_plugin_is_not_called_again():
    caller = HookCaller(0.2)
    with pytest.raises(PluginTimeoutError, match=r"did not return within 0\.2 s"):
        caller.call("slow", lambda: RELEASE.wait(60), {})
    with pytest.raises(PluginTimeoutError, match="skipped: an earlier call overran"):
        caller.call("slow", lambda: 1, {})
    assert caller.call("other", lambda x: x + 1, {"x": 1}) == 2


def test_a_time_limit_keeps_results_and_exceptions_of_calls_that_return():
    caller = HookCaller(5)
    assert caller.call("quick", lambda a, b: a * b, {"a": 6, "b": 7}) == 42
    with pytest.raises(ZeroDivisionError):
        caller.call("quick", lambda: 1 / 0, {})
    with pytest.raises(SystemExit):
        caller.call("quick", lambda: sys.exit(3), {})
    with pytest.raises(ValueError, match="greater than zero"):
        HookCaller(0)


def test_the_time_limit_must_be_positive():
    done = run("--plugin-timeout", "0", "options", str(EXAMPLE))
    assert done.exit_code == 2
    assert "--plugin-timeout" in done.stderr


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Write a one-module distribution with a ``debtnegotiation`` entry point."""
    made = []

    def make(name: str, source: str) -> None:
        module = f"debtneg_hostile_{name.replace('-', '_')}"
        (tmp_path / f"{module}.py").write_text(source, encoding="utf-8")
        info = tmp_path / f"{module}-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: debtneg-hostile-{name}\nVersion: 0.1\n",
            encoding="utf-8",
        )
        (info / "entry_points.txt").write_text(
            f"[debtnegotiation]\n{name} = {module}\n", encoding="utf-8"
        )
        importlib.invalidate_caches()
        made.append(module)

    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    for module in made:
        sys.modules.pop(module, None)


@pytest.mark.parametrize("escape", ["sys.exit(0)", "sys.exit(3)", "raise KeyboardInterrupt"])
def test_an_installed_plugin_escaping_at_import_is_named_not_silent(installed, clean, escape):
    installed("exits-on-import", f"import sys\n{escape}\n")
    autoload = {**ISOLATED, "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "0", "DEBTNEG_DISABLE_PLUGINS": ""}
    runner = CliRunner(env=autoload)
    done = runner.invoke(cli, ["options", str(EXAMPLE), "--format", "json"])
    assert done.exit_code == EXIT_OK, done.output
    loading = "plugin 'exits-on-import' (debtneg-hostile-exits-on-import 0.1) failed while loading"
    assert loading in done.stderr
    strict = runner.invoke(cli, ["--strict-plugins", "options", str(EXAMPLE)])
    assert strict.exit_code == EXIT_PLUGIN, strict.output
    assert "exits-on-import" in strict.stderr
