"""Plugin catalogs through the ``debtneg_catalogs`` hook: host, documents and the command.

A plugin's catalog of the library's domain merges over the library's own (a translated
strategy title, a corrected label, a whole new locale); a catalog of the plugin's own
domain sits beside it. Catalogs are real ``.mo`` files compiled with Babel in a temporary
folder, as a plugin's build hook would write them. The installed China pack's real
catalog is tested in ``plugins/debtnegotiation-cn/tests``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from click.testing import CliRunner

from debtnegotiation.apr import Regime
from debtnegotiation.case import Case
from debtnegotiation.cli import EXIT_OK, EXIT_USAGE, CliState, cli
from debtnegotiation.documents import DocumentKind, render_document, template_environment
from debtnegotiation.i18n import DOMAIN, CatalogNotFoundError, CatalogSource, translations
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.plugin import hookimpl
from debtnegotiation.plugins import PluginError, get_plugin_host
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment
from debtnegotiation.testing import sample_case

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
ISOLATED = {
    "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
    "DEBTNEG_DISABLE_PLUGINS": "",
    "DEBTNEG_LOCALE": None,
    "DEBTNEG_TRACE_PLUGINS": None,
}
TITLE = "Acme skip-a-month plan"
#: A proposal labelled like the built-in deferral strategy's (no plan needed to name it).
DEFERRAL = Proposal(
    strategy="deferral",
    title="Payment holiday",
    label="Payment deferral",
    plan=None,
    eligibility=Eligibility.NOT_ELIGIBLE,
)


def compile_catalog(
    root: Path, locale: str, domain: str, entries: dict[tuple[str | None, str], str]
) -> CatalogSource:
    """Write ``<root>/<locale>/LC_MESSAGES/<domain>.mo``; entries are (context, id) → text."""
    catalog = Catalog(locale=locale, domain=domain, fuzzy=False)
    for (context, message_id), string in entries.items():
        catalog.add(message_id, string, context=context)
    folder = root / locale / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{domain}.mo").open("wb") as stream:
        write_mo(stream, catalog)
    return CatalogSource(root, domain)


class CatalogPlugin:
    """A plugin that ships the given catalog sources (or any object, to test bad returns)."""

    def __init__(self, name: str, sources: object) -> None:
        self.__name__ = name
        self.sources = sources

    @hookimpl
    def debtneg_catalogs(self) -> object:
        return self.sources


class RaisingCatalogs:
    """A plugin whose catalog hook raises."""

    __name__ = "raising-catalogs"

    @hookimpl
    def debtneg_catalogs(self) -> Sequence[CatalogSource]:
        raise OSError("catalog folder unreadable")


class AcmeStrategy:
    """A strategy plugin whose title its own catalog translates (context ``strategy``)."""

    __name__ = "acme"

    def __init__(self, source: CatalogSource) -> None:
        self.source = source

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal]:
        plan = equal_installment(case.owed, InterestRate.zero(), 12, start=case.on)
        return (
            Proposal(
                strategy="acme-skip-a-month",
                title=TITLE,
                plan=plan,
                eligibility=Eligibility.ELIGIBLE,
                reasons=("Acme skips one month a year on request.",),
            ),
        )

    @hookimpl
    def debtneg_catalogs(self) -> Sequence[CatalogSource]:
        return (self.source,)


def host_with(*plugins: object, strict: bool = False):
    return get_plugin_host(
        plugins=plugins, load_entry_points=False, builtins=False, strict=strict, environ={}
    )


@pytest.fixture
def library_zh(tmp_path: Path) -> CatalogSource:
    """A library-domain catalog for mainland Chinese: a strategy title and a correction."""
    return compile_catalog(
        tmp_path / "zh",
        "zh_Hans_CN",
        DOMAIN,
        {
            ("strategy", TITLE): "Acme 跳月还款计划",
            ("strategy", "Payment deferral"): "暂缓还款",
            ("rate_label", "approximate annualised rate (simple interest)"): "单利年化(近似)",
        },
    )


@pytest.fixture
def german(tmp_path: Path) -> CatalogSource:
    """A translation plugin's catalog: the library's domain in a locale it does not ship."""
    return compile_catalog(
        tmp_path / "de", "de", DOMAIN, {("strategy", "Payment deferral"): "Zahlungsaufschub"}
    )


@pytest.fixture
def acme_zh_only(tmp_path: Path) -> CatalogSource:
    """A catalog of the plugin's own domain, shipped for Chinese only."""
    return compile_catalog(
        tmp_path / "acme", "zh_Hans_CN", "debtnegotiation_acme", {(None, "Acme"): "艾克米"}
    )


# --- the host ------------------------------------------------------------------------


def test_hook_debtneg_catalogs(library_zh, german):
    # Sources that serve the locale are collected in plugin-name order.
    host = host_with(CatalogPlugin("zz-late", [library_zh]), CatalogPlugin("aa-early", [german]))
    assert host.catalogs(locale="zh_CN").items == (library_zh,)
    assert host.catalogs(locale="de_DE").items == (german,)
    both = host_with(
        CatalogPlugin("zz-late", [library_zh]), CatalogPlugin("aa-early", [library_zh, german])
    )
    assert both.catalogs(locale="zh_Hans_CN").items == (library_zh, library_zh)


def test_a_library_domain_source_without_the_locale_is_skipped_silently(library_zh):
    found = host_with(CatalogPlugin("zh-pack", [library_zh])).catalogs(locale="en")
    assert found.items == ()
    assert found.failures == ()


def test_a_plugin_domain_without_the_locale_is_a_named_failure(acme_zh_only):
    host = host_with(CatalogPlugin("acme", [acme_zh_only]))
    assert host.catalogs(locale="zh_Hans_CN").items == (acme_zh_only,)
    found = host.catalogs(locale="en")
    assert found.items == ()
    (failure,) = found.failures
    assert (failure.plugin, failure.hook) == ("acme", "debtneg_catalogs")
    assert "no 'debtnegotiation_acme' catalog for locale 'en'" in failure.error
    assert "compiled locales zh_Hans_CN" in failure.error
    with pytest.raises(PluginError, match="debtnegotiation_acme"):
        host_with(CatalogPlugin("acme", [acme_zh_only]), strict=True).catalogs(locale="en")


@pytest.mark.parametrize(
    "returned",
    ["debtnegotiation", [Path("locales")], CatalogSource(Path("x"), DOMAIN), 42],
)
def test_wrong_return_types_are_reported_and_the_others_stand(returned, library_zh):
    host = host_with(CatalogPlugin("sloppy", returned), CatalogPlugin("good", [library_zh]))
    found = host.catalogs(locale="zh_Hans_CN")
    assert found.items == (library_zh,)
    (failure,) = found.failures
    assert failure.plugin == "sloppy"
    assert "sequence of CatalogSource" in failure.error
    with pytest.raises(PluginError, match="sloppy"):
        host_with(CatalogPlugin("sloppy", returned), strict=True).catalogs(locale="en")


def test_a_raising_catalog_plugin_is_reported_and_the_others_stand(library_zh):
    found = host_with(RaisingCatalogs(), CatalogPlugin("good", [library_zh])).catalogs(
        locale="zh_Hans_CN"
    )
    assert found.items == (library_zh,)
    assert [f.plugin for f in found.failures] == ["raising-catalogs"]
    assert "OSError: catalog folder unreadable" in found.failures[0].error


def test_none_and_an_unknown_locale():
    assert host_with(CatalogPlugin("quiet", None)).catalogs(locale="en").items == ()
    with pytest.raises(ValueError, match="CLDR locale"):
        host_with().catalogs(locale="xx_YY")


# --- documents -----------------------------------------------------------------------


def test_documents_translate_a_plugin_strategy_title_from_its_catalog(library_zh):
    host = host_with(AcmeStrategy(library_zh))
    negotiation = Negotiation(sample_case(), regime=Regime.CN_PBOC, host=host)
    chinese = render_document(DocumentKind.COMPARISON, negotiation, locale="zh_CN")
    assert "Acme 跳月还款计划" in chinese
    assert TITLE not in chinese
    english = render_document(DocumentKind.COMPARISON, negotiation, locale="en")
    assert TITLE in english


def test_a_library_domain_catalog_corrects_a_shipped_translation(library_zh):
    env = template_environment("zh_Hans_CN", host=host_with(CatalogPlugin("fix", [library_zh])))
    assert env.globals["strategy_name"](DEFERRAL) == "暂缓还款"
    assert env.globals["plugin_failures"] == ()
    plain = template_environment("zh_Hans_CN", host=host_with())
    assert plain.globals["strategy_name"](DEFERRAL) == "延期还款"


def test_an_explicit_catalog_is_merged_after_the_plugins(library_zh, tmp_path):
    override = compile_catalog(
        tmp_path / "app", "zh_Hans_CN", DOMAIN, {("strategy", "Payment deferral"): "缓缴"}
    )
    env = template_environment(
        "zh_Hans_CN", host=host_with(CatalogPlugin("fix", [library_zh])), catalogs=[override]
    )
    assert env.globals["strategy_name"](DEFERRAL) == "缓缴"


def test_a_failing_catalog_plugin_is_listed_and_documents_still_render(acme_zh_only):
    env = template_environment("en", host=host_with(CatalogPlugin("acme", [acme_zh_only])))
    assert [f.plugin for f in env.globals["plugin_failures"]] == ["acme"]
    strict = host_with(CatalogPlugin("acme", [acme_zh_only]), strict=True)
    with pytest.raises(PluginError, match="acme"):
        template_environment("en", host=strict)


def test_a_translation_plugin_makes_its_locale_available(german):
    with pytest.raises(CatalogNotFoundError):
        template_environment("de", host=host_with())
    env = template_environment("de", host=host_with(CatalogPlugin("de-pack", [german])))
    assert env.globals["strategy_name"](DEFERRAL) == "Zahlungsaufschub"
    assert translations("de", extra=[german]).pgettext("strategy", "Payment deferral") == (
        "Zahlungsaufschub"
    )


# --- the command ---------------------------------------------------------------------


def run(*args: object, plugins: Sequence[object] = ()):
    runner = CliRunner(env=ISOLATED)
    return runner.invoke(
        cli, [str(a) for a in args], catch_exceptions=False, obj=CliState(plugins=tuple(plugins))
    )


def test_cli_accepts_a_locale_only_a_plugin_brings(german):
    refused = run("demo", "--locale", "de")
    assert refused.exit_code == EXIT_USAGE
    assert "no 'debtnegotiation' catalog for locale 'de'" in refused.stderr
    result = run("demo", "--locale", "de", plugins=[CatalogPlugin("de-pack", [german])])
    assert result.exit_code == EXIT_OK, result.output
    assert "Traceback" not in result.output


def test_cli_plan_labels_come_from_plugin_catalogs(library_zh):
    result = run(
        "plan", EXAMPLE, "--strategy", "deferral", "--locale", "zh_Hans_CN",
        plugins=[CatalogPlugin("fix", [library_zh])],
    )  # fmt: skip
    assert result.exit_code == EXIT_OK, result.output
    assert "实际年化利率0.00%（单利年化(近似)）" in result.stdout
    assert result.stderr == ""
    plain = run("plan", EXAMPLE, "--strategy", "deferral", "--locale", "zh_Hans_CN")
    assert "（近似折算年化利率(单利)）" in plain.stdout


def test_cli_warns_once_about_a_failing_catalog_plugin(acme_zh_only):
    result = run("demo", "--locale", "en", plugins=[CatalogPlugin("acme", [acme_zh_only])])
    assert result.exit_code == EXIT_OK, result.output
    warnings = [line for line in result.stderr.splitlines() if "debtneg_catalogs" in line]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith("debtneg: warning: plugin 'acme'")
    assert "Traceback" not in result.output
