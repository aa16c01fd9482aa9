"""The plugin surface: one module for plugin authors, and built-ins that are ordinary plugins.

A third-party strategy, registered with ``get_plugin_host(plugins=[...])`` and importing
only :mod:`debtnegotiation.plugin`, is named and argued for in the ladder, the letter,
the call script and the comparison exactly as a built-in one is, in English and, through
its own catalog, in Chinese. The engine, the documents and the templates name no
strategy; the strategy toolkit behaves as documented.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import attrs
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

import debtnegotiation
import debtnegotiation.plugin
import debtnegotiation.plugins
import debtnegotiation.toolkit
from debtnegotiation.documents import DocumentKind, render_document, template_environment
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.plugin import (
    DEFAULT_WHY_LENDER_MAY_ACCEPT,
    DOMAIN,
    LABEL_CONTEXT,
    WHY_CONTEXT,
    Case,
    CatalogSource,
    Eligibility,
    Goals,
    InterestRate,
    Money,
    Plan,
    Proposal,
    Regime,
    ValidationError,
    choose_term,
    equal_installment,
    hookimpl,
    largest_payment,
    plan_rate,
    share,
    target_payment,
)
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.strategies import deferral, extension, fee_advance, settlement, subsidy
from debtnegotiation.testing import sample_case, sample_policy

PACKAGE = Path(debtnegotiation.__file__).resolve().parent
BUILT_INS = (deferral, extension, fee_advance, settlement, subsidy)

LABEL = "Acme skip-a-month plan"
WHY = "the lender keeps a customer who pays every month"


class AcmeStrategy:
    """A third-party strategy written against the plugin surface only."""

    __name__ = "acme"
    STRATEGY = "acme-skip-a-month"

    def __init__(self, source: CatalogSource | None = None) -> None:
        self.source = source

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal]:
        plan = equal_installment(case.owed, InterestRate.zero(), 24, start=case.on)
        return (
            Proposal(
                strategy=self.STRATEGY,
                title="Acme: 24 interest-free payments, one month a year skipped",
                label=LABEL,
                why_lender_may_accept=WHY,
                plan=plan,
                eligibility=Eligibility.ELIGIBLE,
                reasons=("Acme skips one month a year on request.",),
            ),
        )

    @hookimpl
    def debtneg_catalogs(self) -> Sequence[CatalogSource]:
        return () if self.source is None else (self.source,)


@pytest.fixture
def acme_zh(tmp_path: Path) -> CatalogSource:
    """The plugin's catalog of the library's domain: its label and reason in Chinese."""
    catalog = Catalog(locale="zh_Hans_CN", domain=DOMAIN, fuzzy=False)
    catalog.add(LABEL, "Acme 跳月还款计划", context=LABEL_CONTEXT)
    catalog.add(WHY, "贷款机构留住了每月按时还款的客户", context=WHY_CONTEXT)
    folder = tmp_path / "zh_Hans_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / f"{DOMAIN}.mo").open("wb") as stream:
        write_mo(stream, catalog)
    return CatalogSource(tmp_path, DOMAIN)


def acme_negotiation(source: CatalogSource | None = None) -> Negotiation:
    host = get_plugin_host(
        plugins=[AcmeStrategy(source)], load_entry_points=False, builtins=False, environ={}
    )
    return Negotiation(sample_case(), regime=Regime.CN_PBOC, host=host)


# --- a third-party strategy gets the built-ins' treatment ------------------------------


def test_the_ladder_says_why_the_lender_may_accept_a_plugin_strategy():
    step = acme_negotiation().ladder().steps[0]
    assert step.option is not None
    assert step.option.proposal.strategy == "acme-skip-a-month"
    assert step.why_lender_may_accept == WHY


@pytest.mark.parametrize("kind", [DocumentKind.LETTER, DocumentKind.SCRIPT])
def test_letter_and_script_name_a_plugin_strategy_by_its_label(kind, acme_zh):
    negotiation = acme_negotiation(acme_zh)
    english = render_document(kind, negotiation, locale="en")
    assert f"{LABEL}: 24 payments" in english
    chinese = render_document(kind, negotiation, locale="zh_Hans_CN")
    assert "Acme 跳月还款计划" in chinese
    assert LABEL not in chinese


def test_documents_translate_a_plugin_reason_from_its_catalog(acme_zh):
    option = acme_negotiation(acme_zh).options().ranked[0]
    host = acme_negotiation(acme_zh).host
    chinese = template_environment("zh_Hans_CN", host=host)
    assert chinese.globals["why_lender_may_accept"](option) == "贷款机构留住了每月按时还款的客户"
    assert chinese.globals["strategy_name"](option) == "Acme 跳月还款计划"
    english = template_environment("en", host=host)
    assert english.globals["why_lender_may_accept"](option) == WHY


def test_built_in_strategies_state_their_label_and_reason_on_the_proposal():
    negotiation = Negotiation(
        sample_case(), regime=Regime.CN_PBOC, host=get_plugin_host(load_entry_points=False)
    )
    by_strategy = {module.STRATEGY: module for module in BUILT_INS}
    proposed = [o.proposal for o in negotiation.options().ranked]
    assert {p.strategy for p in proposed} >= {"fee-advance", "extension", "subsidy"}
    for proposal in proposed:
        module = by_strategy[proposal.strategy]
        assert proposal.label == module.LABEL
        assert proposal.why_lender_may_accept == module.WHY_LENDER_MAY_ACCEPT
    for step in negotiation.ladder().steps[:-1]:
        assert step.option is not None
        assert step.why_lender_may_accept == step.option.proposal.why_lender_may_accept


def test_engine_documents_and_templates_name_no_strategy():
    sources = [
        PACKAGE / "negotiation.py",
        PACKAGE / "documents.py",
        PACKAGE / "messages.py",
        *sorted((PACKAGE / "templates").glob("*.j2")),
    ]
    for module in BUILT_INS:
        for path in sources:
            text = path.read_text(encoding="utf-8")
            assert f'"{module.STRATEGY}"' not in text, (path.name, module.STRATEGY)
            assert module.WHY_LENDER_MAY_ACCEPT not in text, path.name


# --- the plugin module ------------------------------------------------------------------


def test_the_plugin_module_only_re_exports_in_a_sorted_all():
    names = debtnegotiation.plugin.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    assert len(set(names)) == len(names)
    public = {n for n in vars(debtnegotiation.plugin) if not n.startswith("_")}
    assert public - {"annotations"} == set(names)
    for name in names:
        value = getattr(debtnegotiation.plugin, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__ != "debtnegotiation.plugin", name


def test_the_toolkit_is_re_exported_whole():
    assert set(debtnegotiation.toolkit.__all__) <= set(debtnegotiation.plugin.__all__)


def test_hookimpl_has_one_spelling():
    assert "hookimpl" not in debtnegotiation.__all__
    assert not hasattr(debtnegotiation, "hookimpl")
    assert not hasattr(debtnegotiation.plugins, "hookimpl")
    assert "hookimpl" in debtnegotiation.plugin.__all__


def test_the_built_ins_import_only_the_public_surface():
    for path in [
        *sorted((PACKAGE / "strategies").glob("*.py")),
        PACKAGE / "reviews.py",
        PACKAGE / "default_formatter.py",
    ]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("from debtnegotiation", "import debtnegotiation")):
                assert line.startswith("from debtnegotiation.plugin import"), (path.name, line)


# --- the new proposal fields are validated ------------------------------------------------


def _proposal(**fields: object) -> Proposal:
    return Proposal(
        strategy="acme",
        title="Acme plan",
        plan=None,
        eligibility=Eligibility.NOT_ELIGIBLE,
        **fields,  # type: ignore[arg-type]
    )


def test_label_defaults_to_the_title_and_the_reason_to_the_generic_one():
    proposal = _proposal()
    assert proposal.label == "Acme plan"
    assert proposal.why_lender_may_accept == DEFAULT_WHY_LENDER_MAY_ACCEPT
    assert _proposal(label="").label == ""


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"label": None}, "Proposal.label"),
        ({"label": "two\nlines"}, "Proposal.label"),
        ({"label": 3}, "Proposal.label"),
        ({"why_lender_may_accept": ""}, "Proposal.why_lender_may_accept"),
        ({"why_lender_may_accept": "   "}, "Proposal.why_lender_may_accept"),
        ({"why_lender_may_accept": b"bytes"}, "Proposal.why_lender_may_accept"),
        ({"why_lender_may_accept": "a\rb"}, "Proposal.why_lender_may_accept"),
    ],
)
def test_bad_labels_and_reasons_are_refused_by_name(fields, name):
    with pytest.raises(ValidationError, match=name):
        _proposal(**fields)


# --- the toolkit ------------------------------------------------------------------------


def test_share_is_zero_for_no_fraction_and_rounds_as_asked():
    owed = Money("333.33", "CNY")
    assert share(owed, None) == Money.zero("CNY")
    assert share(owed, Decimal(0)) == Money.zero("CNY")
    assert share(owed, Decimal("0.5")) == Money("166.67", "CNY")
    assert share(owed, Decimal("0.5"), ROUND_DOWN) == Money("166.66", "CNY")


def test_target_payment_takes_a_lower_goal_in_the_same_currency_only():
    case = sample_case()
    budget = case.monthly_budget
    lower = Money("500.00", "CNY")
    assert target_payment(case) == budget
    assert target_payment(sample_case(goals=Goals(max_monthly_payment=lower))) == lower
    higher = budget + Money("1.00", "CNY")
    assert target_payment(sample_case(goals=Goals(max_monthly_payment=higher))) == budget
    dollars = Money("1.00", "USD")
    assert target_payment(sample_case(goals=Goals(max_monthly_payment=dollars))) == budget


def test_plan_rate_is_zero_without_a_policy_or_a_plan_rate():
    assert plan_rate(None) == InterestRate.zero()
    policy = sample_policy()
    assert plan_rate(attrs.evolve(policy, plan_rate=None)) == InterestRate.zero()
    annual = InterestRate.annual("0.06")
    assert plan_rate(attrs.evolve(policy, plan_rate=annual)) == annual


def test_choose_term_takes_the_lowest_payment_at_equal_cost_and_the_shortest_when_interest_runs():
    case = sample_case()

    def frozen(count: int) -> Plan:
        return equal_installment(case.owed, InterestRate.zero(), count, start=case.on)

    # Interest frozen: every term costs the same, so the rule takes the lowest payment.
    term = choose_term(case, frozen, policy_cap=24)
    assert term.fits
    assert term.headroom
    assert term.count == 24
    assert largest_payment(term.plan) <= case.payment_limit
    assert term.rule

    def dear(count: int) -> Plan:
        return equal_installment(case.owed, InterestRate.annual("0.18"), count, start=case.on)

    # Interest running: a longer term costs more, so the shortest term within headroom wins.
    term = choose_term(case, dear, policy_cap=24)
    assert term.headroom
    assert largest_payment(term.plan) <= case.payment_limit
    assert largest_payment(dear(term.count - 1)) > case.payment_limit
    too_short = choose_term(case, frozen, policy_cap=6)
    assert not too_short.fits
    assert too_short.count == 6
    assert "exceeds your monthly budget" in too_short.notes[0]
