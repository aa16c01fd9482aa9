"""``import debtnegotiation`` loads only what is used (PEP 562), and every public name works."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import debtnegotiation


def _modules_after(code: str) -> set[str]:
    """The modules loaded in a fresh interpreter after running *code*."""
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    )
    return set(result.stdout.split())


def test_importing_the_package_loads_no_submodule_nor_heavy_dependency():
    loaded = _modules_after("import debtnegotiation")
    ours = {m for m in loaded if m.startswith("debtnegotiation.")}
    assert not ours
    for heavy in ("jinja2", "babel", "pluggy", "attrs", "sqlite3", "importlib.metadata"):
        assert heavy not in loaded


def test_a_schedule_does_not_load_jinja2_the_log_or_the_plugin_machinery():
    loaded = _modules_after(
        "from debtnegotiation import Money, InterestRate, equal_installment\n"
        "equal_installment(Money('100.00', 'USD'), InterestRate.annual('0.1'), 3,"
        " start='2024-01-31')"
    )
    assert "debtnegotiation.schedules" in loaded
    for unused in ("jinja2", "debtnegotiation.negotiation_log", "debtnegotiation.plugins"):
        assert unused not in loaded


def test_every_public_name_imports_from_the_package_and_is_listed_by_dir():
    fresh = importlib.reload(debtnegotiation)
    for name in fresh.__all__:
        value = getattr(fresh, name)
        module = fresh._SOURCES[name]
        assert value is getattr(importlib.import_module(module), name)
    assert set(fresh.__all__) <= set(dir(fresh))
    namespace: dict[str, object] = {}
    exec("from debtnegotiation import *", namespace)  # noqa: S102 - the star import itself
    assert set(fresh.__all__) <= set(namespace)


def test_the_public_names_are_sorted_and_each_has_one_source():
    assert list(debtnegotiation.__all__) == sorted(debtnegotiation.__all__)
    assert set(debtnegotiation.__all__) == set(debtnegotiation._SOURCES)


def test_an_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="NoSuchThing"):
        debtnegotiation.NoSuchThing  # noqa: B018 - the lookup is the test
