"""Every ``>>>`` example in the package, the docs and the README runs and gives its output.

Modules are found with :func:`pkgutil.walk_packages`, so modules added later are covered
without editing this file. A module or page with no examples passes trivially.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import types
from pathlib import Path

import pytest

import debtnegotiation

ROOT = Path(__file__).resolve().parent.parent
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _module_names() -> list[str]:
    names = [debtnegotiation.__name__]
    for info in pkgutil.walk_packages(debtnegotiation.__path__, f"{debtnegotiation.__name__}."):
        names.append(info.name)
    return sorted(names)


def _documents() -> list[Path]:
    pages = sorted((ROOT / "docs").glob("**/*.rst"))
    return [*pages, ROOT / "README.md"]


class MarkdownParser(doctest.DocTestParser):
    """Read examples from Markdown: a closing code fence ends the expected output.

    Without this, the line with the closing fence would count as expected output, because
    doctest only stops at a blank line or the next prompt.
    """

    def parse(self, string: str, name: str = "<string>") -> list[str | doctest.Example]:
        lines = ["" if line.lstrip().startswith("```") else line for line in string.split("\n")]
        return super().parse("\n".join(lines), name)


def run_module(module: types.ModuleType) -> doctest.TestResults:
    """Run a module's examples with the project's flags; failures are reported, not raised."""
    return doctest.testmod(module, optionflags=FLAGS, verbose=False, report=True)


@pytest.mark.parametrize("name", _module_names())
def test_module_examples(name):
    result = run_module(importlib.import_module(name))
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


@pytest.mark.parametrize("path", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_document_examples(path):
    parser = MarkdownParser() if path.suffix == ".md" else doctest.DocTestParser()
    result = doctest.testfile(
        str(path),
        module_relative=False,
        optionflags=FLAGS,
        verbose=False,
        encoding="utf-8",
        parser=parser,
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {path}"


def test_the_walk_finds_the_core_modules():
    names = set(_module_names())
    assert {
        "debtnegotiation.money",
        "debtnegotiation.rates",
        "debtnegotiation.schedules",
        "debtnegotiation.schedule_dates",
        "debtnegotiation.plan",
        "debtnegotiation.debt",
        "debtnegotiation.borrower",
    } <= names
    assert ROOT / "docs" / "concepts" / "exact-money.rst" in _documents()


def test_a_failing_example_is_reported_as_a_failure():
    module = types.ModuleType("broken_example")
    module.__doc__ = ">>> 1 + 1\n3\n"
    result = run_module(module)
    assert result == doctest.TestResults(failed=1, attempted=1)


def test_markdown_fences_end_the_expected_output(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("```python\n>>> 1 + 1\n2\n```\n", encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text("```python\n>>> 1 + 1\n3\n```\n", encoding="utf-8")
    run = {"module_relative": False, "optionflags": FLAGS, "parser": MarkdownParser()}
    assert doctest.testfile(str(good), **run) == doctest.TestResults(failed=0, attempted=1)
    assert doctest.testfile(str(bad), **run).failed == 1


def test_a_passing_example_with_ellipsis_counts_as_attempted():
    module = types.ModuleType("good_example")
    module.__doc__ = ">>> list(range(20))\n[0, 1, ..., 19]\n"
    assert run_module(module) == doctest.TestResults(failed=0, attempted=1)
