"""Gettext catalogs: real translations per shipped locale, explicit fallbacks, plugin merge,
and a catalog check that fails on untranslated, fuzzy and stale catalogs."""

from __future__ import annotations

import io
import re
import shlex
import shutil
from importlib.resources import files
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations

from debtnegotiation import _catalog_check
from debtnegotiation._catalog_check import check_catalogs, extract
from debtnegotiation.errors import DebtNegotiationError, ValidationError
from debtnegotiation.i18n import (
    DOMAIN,
    CatalogNotFoundError,
    CatalogSource,
    package_catalogs,
    resolve_locale,
    shipped_locales,
    translations,
)
from debtnegotiation.messages import GROUPS, N_, Message, label, labels
from debtnegotiation.proposal import DEFAULT_WHY_LENDER_MAY_ACCEPT, LABEL_CONTEXT, WHY_CONTEXT
from debtnegotiation.strategies import deferral, extension, fee_advance, settlement, subsidy

PACKAGE = Path(str(files("debtnegotiation")))
LOCALES = PACKAGE / "locales"

# ---------------------------------------------------------------------------- loading


def test_shipped_locales_are_english_and_mainland_chinese():
    assert shipped_locales() == ("en", "zh_Hans_CN")


@pytest.mark.parametrize(
    ("locale", "context", "message", "expected"),
    [
        ("en", "strategy", "Longer repayment term", "Longer repayment term"),
        ("zh_Hans_CN", "strategy", "Longer repayment term", "延长还款期限"),
        ("zh_Hans_CN", "evidence_kind", "Social insurance records", "社保缴纳记录"),
    ],
)
def test_each_shipped_locale_loads_a_real_catalog(locale, context, message, expected):
    catalog = translations(locale)
    # Translations.load would hand back a bare NullTranslations when the .mo is missing.
    assert type(catalog) is Translations
    assert catalog.domain == DOMAIN
    assert catalog.files, "the catalog must come from a compiled .mo file"
    assert catalog.pgettext(context, message) == expected


def test_chinese_catalog_has_its_own_language_header():
    info = translations("zh_Hans_CN").info()
    assert info["language"] == "zh_Hans_CN"
    assert info["plural-forms"] == "nplurals=1; plural=0;"


@pytest.mark.parametrize("locale", ["zh", "zh_CN", "zh_Hans", "zh-Hans-CN", "zh_Hans_CN"])
def test_simplified_chinese_identifiers_use_the_shipped_chinese(locale):
    assert translations(locale).pgettext("strategy", "Settlement") == "协商结清"


@pytest.mark.parametrize("locale", ["en", "en_US", "en_GB", "en_IN", "en_AU", "en_001"])
def test_english_variants_use_the_english_catalog(locale):
    catalog = translations(locale)
    assert catalog.files[0].endswith(str(Path("en", "LC_MESSAGES", "debtnegotiation.mo")))


@pytest.mark.parametrize("locale", ["zh_TW", "zh_Hant_TW", "zh_Hans_SG", "fr_FR", "de", "ja_JP"])
def test_a_locale_without_a_catalog_is_an_error(locale):
    with pytest.raises(CatalogNotFoundError) as info:
        translations(locale)
    error = info.value
    assert isinstance(error, DebtNegotiationError)
    assert error.domain == DOMAIN
    message = str(error)
    assert repr(error.locale) in message
    assert str(LOCALES) in message  # says where it looked
    assert "compiled locales en, zh_Hans_CN" in message


@pytest.mark.parametrize("locale", ["xx", "", None, "en_ZZZZ"])
def test_an_unknown_locale_is_a_validation_error(locale):
    with pytest.raises(ValidationError, match="locale: expected a CLDR locale identifier"):
        translations(locale)


@pytest.mark.parametrize(
    ("locale", "available", "expected"),
    [
        ("zh_Hans_CN", {"en", "zh_Hans_CN"}, "zh_Hans_CN"),  # rule 1: exact
        ("zh", {"en", "zh_Hans_CN"}, "zh_Hans_CN"),  # rule 2: likely subtags
        ("en_US", {"en", "en_GB"}, "en"),  # rule 2: en means en_Latn_US
        ("en_GB", {"en", "en_GB"}, "en_GB"),  # exact beats the language-only catalog
        ("en_GB", {"en"}, "en"),  # rule 3: language-only catalog, same script
        ("pt_PT", {"pt"}, "pt"),
        ("de_AT", {"de_DE"}, None),  # a territory catalog serves no other territory
        ("sr_Latn_RS", {"sr"}, None),  # sr is Cyrillic: another script is not served
        ("zh_Hant_TW", {"zh"}, None),  # zh is Simplified
        ("zh_Hans_SG", {"zh_Hans_CN"}, None),
        ("fr", {"en", "zh_Hans_CN", "__pycache__"}, None),
        ("en", set(), None),
    ],
)
def test_resolve_locale_rules(locale, available, expected):
    assert resolve_locale(locale, available) == expected


def test_translations_are_fresh_objects():
    first = translations("en")
    first.merge(_in_memory("en", DOMAIN, {"Settlement": "changed"}, "strategy"))
    assert first.pgettext("strategy", "Settlement") == "changed"
    assert translations("en").pgettext("strategy", "Settlement") == "Settlement"


# ---------------------------------------------------------------------- plugin catalogs


def _in_memory(locale: str, domain: str, entries: dict[str, str], context: str) -> Translations:
    catalog = Catalog(locale=locale, domain=domain, fuzzy=False)
    for message_id, string in entries.items():
        catalog.add(message_id, string, context=context)
    stream = io.BytesIO()
    write_mo(stream, catalog)
    stream.seek(0)
    return Translations(stream, domain=domain)


def _write_plugin_catalog(
    root: Path, locale: str, domain: str, entries: dict[str, str], context: str | None = None
) -> Path:
    """Write a .po as a plugin's translator would, then compile it as the build hook does."""
    directory = root / locale / "LC_MESSAGES"
    directory.mkdir(parents=True, exist_ok=True)
    catalog = Catalog(locale=locale, domain=domain, fuzzy=False)
    for message_id, string in entries.items():
        catalog.add(message_id, string, context=context)
    po_path = directory / f"{domain}.po"
    with po_path.open("wb") as stream:
        write_po(stream, catalog)
    with po_path.open("rb") as stream:
        compiled = read_po(stream, locale=locale, domain=domain)
    with po_path.with_suffix(".mo").open("wb") as stream:
        write_mo(stream, compiled)
    return root


def test_a_plugin_domain_is_served_next_to_the_core(tmp_path):
    root = _write_plugin_catalog(
        tmp_path, "zh_Hans_CN", "debtnegotiation_demo", {"Lender policy": "贷款机构政策"}
    )
    catalog = translations("zh_Hans_CN", extra=[CatalogSource(root, "debtnegotiation_demo")])
    assert catalog.dgettext("debtnegotiation_demo", "Lender policy") == "贷款机构政策"
    assert catalog.pgettext("strategy", "Hardship relief") == "困难减免"
    # The plugin domain falls back to the core catalog for messages it does not have.
    assert catalog.dpgettext("debtnegotiation_demo", "strategy", "Settlement") == "协商结清"


def test_a_plugin_catalog_found_through_importlib_resources(tmp_path, monkeypatch):
    package = tmp_path / "debtnegotiation_demo_i18n"
    package.mkdir()
    (package / "__init__.py").write_text("")
    _write_plugin_catalog(package / "locales", "zh_Hans_CN", "demo", {"Hello": "你好"})
    monkeypatch.syspath_prepend(str(tmp_path))
    source = CatalogSource(files("debtnegotiation_demo_i18n") / "locales", "demo")
    assert translations("zh_CN", extra=[source]).dgettext("demo", "Hello") == "你好"


def test_a_plugin_can_override_a_core_translation(tmp_path):
    root = _write_plugin_catalog(
        tmp_path, "zh_Hans_CN", DOMAIN, {"Settlement": "一次性结清"}, context="strategy"
    )
    catalog = translations("zh_Hans_CN", extra=[CatalogSource(root, DOMAIN)])
    assert catalog.pgettext("strategy", "Settlement") == "一次性结清"
    assert catalog.pgettext("strategy", "Payment deferral") == "延期还款"


def test_a_plugin_can_bring_a_locale_the_core_does_not_ship(tmp_path):
    with pytest.raises(CatalogNotFoundError):
        translations("de_DE")
    root = _write_plugin_catalog(
        tmp_path, "de", DOMAIN, {"Settlement": "Vergleich"}, context="strategy"
    )
    catalog = translations("de_DE", extra=[CatalogSource(root, DOMAIN)])
    assert catalog.pgettext("strategy", "Settlement") == "Vergleich"


def test_a_plugin_without_the_requested_locale_is_an_error(tmp_path):
    root = _write_plugin_catalog(tmp_path, "zh_Hans_CN", "demo", {"Hello": "你好"})
    with pytest.raises(CatalogNotFoundError, match="no 'demo' catalog for locale 'en'") as info:
        translations("en", extra=[CatalogSource(root, "demo")])
    assert str(root) in str(info.value)


def test_an_uncompiled_catalog_is_reported_as_such(tmp_path):
    root = _write_plugin_catalog(tmp_path, "zh_Hans_CN", "demo", {"Hello": "你好"})
    (root / "zh_Hans_CN" / "LC_MESSAGES" / "demo.mo").unlink()
    with pytest.raises(CatalogNotFoundError, match=r"\.po without a compiled \.mo for zh_Hans_CN"):
        translations("zh_Hans_CN", extra=[CatalogSource(root, "demo")])


def test_a_missing_plugin_directory_is_reported(tmp_path):
    with pytest.raises(CatalogNotFoundError, match="no such directory"):
        translations("en", extra=[CatalogSource(tmp_path / "nowhere", "demo")])


@pytest.mark.parametrize("domain", ["", "a/b", None])
def test_catalog_source_validates_the_domain(tmp_path, domain):
    with pytest.raises(ValidationError, match="domain"):
        CatalogSource(tmp_path, domain)


def test_extra_must_be_catalog_sources(tmp_path):
    with pytest.raises(ValidationError, match=r"extra\[0\]: expected a CatalogSource"):
        translations("en", extra=[tmp_path])  # type: ignore[list-item]


def test_package_catalogs_point_into_the_installed_package():
    source = package_catalogs()
    assert source.domain == DOMAIN
    assert source.locales() == frozenset({"en", "zh_Hans_CN"})
    assert not isinstance(source.load("en"), type(None))
    with pytest.raises(CatalogNotFoundError):
        source.load("en_GB")  # load() is exact; fallbacks belong to translations()


# ---------------------------------------------------------------------------- messages


def test_every_label_is_translated_to_chinese_and_kept_in_english():
    english, chinese = translations("en"), translations("zh_Hans_CN")
    for group, entries in GROUPS.items():
        for code, message in entries.items():
            assert message.context == group
            assert label(english, group, code) == message.id
            translated = label(chinese, group, code)
            assert translated != message.id, (group, code)
            assert re.search(r"[\u4e00-\u9fff]", translated), (group, code, translated)


BUILT_IN_STRATEGIES = (fee_advance, subsidy, extension, settlement, deferral)


def test_every_built_in_strategy_text_is_translated_to_chinese_and_kept_in_english():
    english, chinese = translations("en"), translations("zh_Hans_CN")
    texts = [(LABEL_CONTEXT, m.LABEL) for m in BUILT_IN_STRATEGIES]
    texts += [(WHY_CONTEXT, m.WHY_LENDER_MAY_ACCEPT) for m in BUILT_IN_STRATEGIES]
    texts.append((WHY_CONTEXT, DEFAULT_WHY_LENDER_MAY_ACCEPT))
    for context, text in texts:
        assert english.pgettext(context, text) == text
        assert re.search(r"[\u4e00-\u9fff]", chinese.pgettext(context, text)), text


def test_chinese_vocabulary():
    chinese = translations("zh_Hans_CN")
    assert {m.STRATEGY: chinese.pgettext(LABEL_CONTEXT, m.LABEL) for m in BUILT_IN_STRATEGIES} == {
        "fee-advance": "手续费分期",
        "subsidy": "困难减免",
        "extension": "延长还款期限",
        "settlement": "协商结清",
        "deferral": "延期还款",
    }
    assert label(chinese, "evidence_kind", "unemployment-certificate") == "失业证明"
    assert label(chinese, "evidence_kind", "medical-diagnosis") == "诊断证明"
    assert label(chinese, "evidence_kind", "medical-bills") == "医疗费用票据"
    assert label(chinese, "evidence_kind", "income-proof") == "收入证明"
    assert label(chinese, "comparison_column", "true_annual_rate") == "实际年化利率"
    # The same English word in two groups may be translated differently through context.
    assert label(chinese, "hardship_kind", "other") == "其他困难"
    assert label(chinese, "debt_kind", "other") == "其他债务"


def test_label_codes_match_the_model_enums():
    from debtnegotiation.borrower import EvidenceKind, HardshipKind
    from debtnegotiation.debt import CreditorKind
    from debtnegotiation.findings import Severity
    from debtnegotiation.negotiation_log.entry import Channel
    from debtnegotiation.proposal import Eligibility

    assert set(GROUPS["hardship_kind"]) == {k.value for k in HardshipKind}
    assert set(GROUPS["evidence_kind"]) == {k.value for k in EvidenceKind}
    assert set(GROUPS["debt_kind"]) == {k.value for k in CreditorKind}
    assert set(GROUPS["verdict"]) == {k.value for k in Eligibility}
    assert set(GROUPS["channel"]) == {k.value for k in Channel}
    assert set(GROUPS["severity"]) == {k.name.lower() for k in Severity}


def test_label_refuses_unknown_group_and_code():
    english = translations("en")
    with pytest.raises(ValidationError, match=r"group: expected one of \[.*'verdict'"):
        label(english, "colour", "red")
    with pytest.raises(ValidationError, match=r"channel code: expected one of .*got 'fax'"):
        label(english, "channel", "fax")
    with pytest.raises(ValidationError, match="group"):
        labels(english, "colour")


def test_n_marker_is_a_no_op():
    assert N_("channel", "Phone") == Message("channel", "Phone")


def test_a_null_translator_returns_the_english_ids():
    # label() needs only pgettext, so callers may pass any gettext-like object.
    assert label(NullTranslations(), "severity", "danger") == "Danger"


# ------------------------------------------------------------------------ catalog check


def test_shipped_catalogs_pass_the_check_including_compiled_files():
    assert check_catalogs(compiled=True) == []
    assert _catalog_check.main(["--compiled"]) == 0


def _copy_locales(tmp_path: Path) -> Path:
    target = tmp_path / "locales"
    shutil.copytree(LOCALES, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def _edit_po(locales: Path, locale: str, edit) -> Path:
    path = locales / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=locale, domain=DOMAIN)
    edit(catalog)
    with path.open("wb") as stream:
        write_po(stream, catalog)
    return path


def _kinds(problems) -> list[tuple[str, str]]:
    return [(p.kind, p.path.parent.parent.name) for p in problems]


def test_the_untouched_copy_passes(tmp_path):
    assert check_catalogs(_copy_locales(tmp_path)) == []


def test_check_fails_on_an_untranslated_message(tmp_path):
    locales = _copy_locales(tmp_path)

    def blank(catalog: Catalog) -> None:
        catalog.get("Drop in income", context="hardship_kind").string = ""

    _edit_po(locales, "zh_Hans_CN", blank)
    problems = check_catalogs(locales)
    assert _kinds(problems) == [("untranslated", "zh_Hans_CN")]
    assert "'Drop in income' (context 'hardship_kind')" in str(problems[0])
    assert _catalog_check.main(["--locales", str(locales)]) == 1


def test_check_fails_on_a_fuzzy_message(tmp_path):
    locales = _copy_locales(tmp_path)

    def fuzz(catalog: Catalog) -> None:
        catalog.get("Bank statements", context="evidence_kind").flags.add("fuzzy")

    _edit_po(locales, "zh_Hans_CN", fuzz)
    problems = check_catalogs(locales)
    assert _kinds(problems) == [("fuzzy", "zh_Hans_CN")]
    assert "'Bank statements'" in problems[0].detail


def test_check_fails_on_a_fuzzy_header(tmp_path):
    locales = _copy_locales(tmp_path)

    def fuzz_header(catalog: Catalog) -> None:
        catalog.fuzzy = True

    _edit_po(locales, "en", fuzz_header)
    assert _kinds(check_catalogs(locales)) == [("fuzzy", "en")]


def test_check_fails_on_a_catalog_missing_a_template_message(tmp_path):
    locales = _copy_locales(tmp_path)

    def drop(catalog: Catalog) -> None:
        catalog.delete("Payment deferral", context="strategy")

    _edit_po(locales, "en", drop)
    problems = check_catalogs(locales)
    assert _kinds(problems) == [("stale-catalog", "en")]
    assert "missing 'Payment deferral' (context 'strategy'); run pybabel update" in str(problems[0])


def test_check_fails_on_a_catalog_keeping_a_removed_message(tmp_path):
    locales = _copy_locales(tmp_path)

    def add(catalog: Catalog) -> None:
        catalog.add("Debt relief agency", "债务优化机构", context="strategy")

    _edit_po(locales, "zh_Hans_CN", add)
    problems = check_catalogs(locales)
    assert _kinds(problems) == [("stale-catalog", "zh_Hans_CN")]
    assert "no longer in the sources: 'Debt relief agency'" in problems[0].detail


def _copy_sources(sources: Path, *, messages: str | None = None) -> None:
    """The package's message sources, all of them: every module and template.

    Copying the whole package (not a list of files) keeps the copy complete when a module
    with translatable text is added.
    """
    shutil.copytree(
        PACKAGE,
        sources,
        ignore=shutil.ignore_patterns("__pycache__", "locales", "*.mo", "*.pyc"),
    )
    if messages is not None:
        (sources / "messages.py").write_text(messages, encoding="utf-8")


def test_check_fails_when_the_sources_have_a_new_message(tmp_path):
    locales = _copy_locales(tmp_path)
    sources = tmp_path / "src"
    _copy_sources(sources)
    (sources / "letter.py").write_text(
        'def subject(_):\n    return _("Request for a hardship repayment plan")\n',
        encoding="utf-8",
    )
    problems = check_catalogs(locales, sources)
    assert [p.kind for p in problems] == ["stale-template"]
    assert "missing 'Request for a hardship repayment plan'; run pybabel extract" in str(
        problems[0]
    )


def test_check_fails_when_the_sources_dropped_a_message(tmp_path):
    locales = _copy_locales(tmp_path)
    sources = tmp_path / "src"
    text = (PACKAGE / "messages.py").read_text(encoding="utf-8")
    _copy_sources(sources, messages=text.replace('"sms": N_("channel", "Text message"),', ""))
    problems = check_catalogs(locales, sources)
    assert [p.kind for p in problems] == ["stale-template"]
    assert "no longer in the sources: 'Text message' (context 'channel')" in problems[0].detail


def test_check_fails_on_mismatched_placeholders(tmp_path):
    locales = _copy_locales(tmp_path)
    sources = tmp_path / "src"
    _copy_sources(sources)
    (sources / "pay.py").write_text(
        'def line(_, n):\n    return _("Pay %(amount)s a month") % {"amount": n}\n',
        encoding="utf-8",
    )
    cli = CommandLineInterface()
    pot = locales / f"{DOMAIN}.pot"
    mapping = str(LOCALES / "babel.cfg")
    keywords = ["-k", "N_:1c,2", "-k", "Text:1c,2"]
    argv = ["pybabel", "extract", "-F", mapping, *keywords, "-o", str(pot), str(sources)]
    assert not cli.run(argv)

    def translate(catalog: Catalog) -> None:
        catalog.add("Pay %(amount)s a month", "每月还款 %(sum)s", flags=["python-format"])

    for locale in ("en", "zh_Hans_CN"):
        _edit_po(locales, locale, translate)
    problems = check_catalogs(locales, sources)
    assert {p.kind for p in problems} == {"invalid"}
    assert "Pay %(amount)s a month" in problems[0].detail


def test_check_fails_on_a_missing_or_outdated_compiled_catalog(tmp_path):
    locales = _copy_locales(tmp_path)
    assert _kinds(check_catalogs(locales, compiled=True)) == [
        ("stale-compiled", "en"),
        ("stale-compiled", "zh_Hans_CN"),
    ]
    for locale in ("en", "zh_Hans_CN"):
        shutil.copy(
            LOCALES / locale / "LC_MESSAGES" / f"{DOMAIN}.mo",
            locales / locale / "LC_MESSAGES" / f"{DOMAIN}.mo",
        )
    assert check_catalogs(locales, compiled=True) == []

    def retranslate(catalog: Catalog) -> None:
        catalog.get("Settlement", context="strategy").string = "一次性结清"

    _edit_po(locales, "zh_Hans_CN", retranslate)
    problems = check_catalogs(locales, compiled=True)
    assert _kinds(problems) == [("stale-compiled", "zh_Hans_CN")]
    assert "rebuild or reinstall" in problems[0].detail


def _documented_extract_command() -> list[str]:
    """The ``pybabel extract`` command of the translator runbook, as an argument list."""
    text = (LOCALES / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^(pybabel extract .*?)(?<!\\)$", text, re.MULTILINE | re.DOTALL)
    assert match, "locales/README.md must show the pybabel extract command"
    return shlex.split(match.group(1).replace("\\\n", " "))


def test_the_documented_pybabel_command_extracts_what_the_check_expects(tmp_path):
    argv = _documented_extract_command()
    output = argv.index("-o") + 1
    argv[output] = str(tmp_path / "out.pot")
    argv[-1] = str(PACKAGE)  # the sources, as installed
    argv[argv.index("-F") + 1] = str(LOCALES / "babel.cfg")  # whatever the working directory
    assert not CommandLineInterface().run(argv)  # None or 0 on success
    with (tmp_path / "out.pot").open("rb") as stream:
        from_cli = read_po(stream)
    assert {(m.context, m.id) for m in from_cli if m.id} == {
        (m.context, m.id) for m in extract() if m.id
    }
    labels = sum(len(g) for g in GROUPS.values())
    assert len([m for m in from_cli if m.id]) == len([m for m in extract() if m.id]) > labels


def test_catalogs_read_once_are_still_each_callers_own(tmp_path):
    # A catalog file is parsed once per version; every result is its own copy: merging
    # into one, or the fallback a plugin domain gets, never reaches another.
    root = _write_plugin_catalog(tmp_path, "zh_Hans_CN", "demo", {"Hello": "你好"})
    source = CatalogSource(root, "demo")
    first = translations("zh_Hans_CN", extra=[source])
    first.merge(_in_memory("zh_Hans_CN", DOMAIN, {"Settlement": "改过"}, "strategy"))
    second = translations("zh_Hans_CN", extra=[source])
    assert first.dpgettext("demo", "strategy", "Settlement") == "改过"
    assert second.dpgettext("demo", "strategy", "Settlement") == "协商结清"
    assert second.pgettext("strategy", "Settlement") == "协商结清"
    assert second.dgettext("demo", "Hello") == "你好"


def test_a_catalog_rewritten_in_place_is_read_again(tmp_path):
    root = _write_plugin_catalog(tmp_path, "zh_Hans_CN", "demo", {"Hello": "你好"})
    source = CatalogSource(root, "demo")
    assert translations("zh_Hans_CN", extra=[source]).dgettext("demo", "Hello") == "你好"
    _write_plugin_catalog(tmp_path, "zh_Hans_CN", "demo", {"Hello": "您好啊"})
    assert translations("zh_Hans_CN", extra=[source]).dgettext("demo", "Hello") == "您好啊"
