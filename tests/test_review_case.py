"""The case-level review hook: findings about the case itself, reported once.

``debtneg_review_case`` is for what holds whatever plan is agreed (an existing contract
rate above a legal line, say). The host collects and sorts its findings like a
proposal review's; the engine keeps them in ``Options.findings`` and the comparison and
the JSON output show them with the status quo, once, instead of on every option.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation.apr import Regime
from debtnegotiation.case import Case
from debtnegotiation.casefile import load_case
from debtnegotiation.cli import cli
from debtnegotiation.documents import DocumentKind, OutputFormat, render_document
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.plugin import hookimpl
from debtnegotiation.plugins import PluginError, get_plugin_host
from debtnegotiation.testing import sample_case

EXAMPLE_CASE = str(Path(__file__).resolve().parents[1] / "examples" / "xian.toml")


class CaseReviewer:
    """Answers ``debtneg_review_case`` with fixed findings (or raises, when told to)."""

    def __init__(self, name: str, *findings: Finding, error: Exception | None = None) -> None:
        self.__name__ = name
        self.findings = findings
        self.error = error
        self.calls = 0

    @hookimpl
    def debtneg_review_case(self, case: Case) -> Sequence[Finding] | None:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.findings or None


def host_with(*plugins: object, strict: bool = False, builtins: bool = False):
    return get_plugin_host(
        plugins=plugins, strict=strict, builtins=builtins, load_entry_points=False, environ={}
    )


INFO = Finding(code="t.info", severity=Severity.INFO, message="the contract says so")
DANGER = Finding(code="t.danger", severity=Severity.DANGER, message="the contract is unlawful")
WARNING = Finding(code="t.warning", severity=Severity.WARNING, message="the rate is high")


def test_hook_debtneg_review_case():
    host = host_with(CaseReviewer("first", INFO, DANGER), CaseReviewer("second", WARNING))
    found = host.review_case(case=sample_case())
    assert [(f.code, f.source) for f in found.items] == [
        ("t.danger", "first"),
        ("t.warning", "second"),
        ("t.info", "first"),
    ]
    assert found.failures == ()


def test_a_failing_case_reviewer_is_reported_and_the_others_stand():
    broken = CaseReviewer("broken", error=KeyError("rate"))
    host = host_with(broken, CaseReviewer("fine", WARNING))
    found = host.review_case(case=sample_case())
    assert [f.code for f in found.items] == ["t.warning"]
    (failure,) = found.failures
    assert (failure.plugin, failure.hook) == ("broken", "debtneg_review_case")
    assert "KeyError" in failure.error
    with pytest.raises(PluginError, match="broken"):
        host_with(broken, strict=True).review_case(case=sample_case())


def test_options_keep_the_case_findings_once_and_apart_from_the_options():
    reviewer = CaseReviewer("contract", WARNING)
    broken = CaseReviewer("broken", error=RuntimeError("no"))
    host = host_with(reviewer, broken, builtins=True)
    negotiation = Negotiation(sample_case(), regime=Regime.CN_PBOC, host=host)
    options = negotiation.options()
    assert [(f.code, f.source) for f in options.findings] == [("t.warning", "contract")]
    assert options.ranked, "the built-in strategies propose plans for the example"
    assert all("t.warning" not in {f.code for f in o.findings} for o in options.ranked)
    assert [f.plugin for f in options.failures] == ["broken"]
    negotiation.ladder()
    assert reviewer.calls == 1  # once per case, not per proposal or per ladder variant


@pytest.mark.parametrize("output", list(OutputFormat))
def test_the_comparison_shows_case_findings_once(output):
    host = host_with(CaseReviewer("contract", WARNING), builtins=True)
    negotiation = Negotiation(sample_case(), regime=Regime.CN_PBOC, host=host)
    shown = render_document(DocumentKind.COMPARISON, negotiation, locale="en", output=output)
    assert shown.count("the rate is high") == 1
    assert "No warnings." not in shown


def test_without_case_findings_the_comparison_is_unchanged():
    # The example's own comparison carries no case finding, so nothing new is printed.
    host = host_with(builtins=True)
    negotiation = Negotiation(sample_case(), regime=Regime.CN_PBOC, host=host)
    assert negotiation.options().findings == ()
    plain = render_document(DocumentKind.COMPARISON, negotiation, locale="en")
    silent = Negotiation(
        sample_case(), regime=Regime.CN_PBOC, host=host_with(CaseReviewer("quiet"), builtins=True)
    )
    assert render_document(DocumentKind.COMPARISON, silent, locale="en") == plain


def test_the_json_output_lists_case_findings_per_creditor():
    result = CliRunner().invoke(cli, ["options", EXAMPLE_CASE, "--format", "json"])
    assert result.exit_code == 0, result.output
    creditors = json.loads(result.output)["creditors"]
    assert len(creditors) == len(load_case(EXAMPLE_CASE).claims)
    # The example's contracts are within every line the installed packs check.
    assert all(c["findings"] == [] for c in creditors)
