"""Documents: the letter, the call script and the comparison, in every locale and format.

The example case is the built-in Xi'an borrower's installment-platform debt
(``debtnegotiation.demo.example_portfolio().negotiation(0)``) with the built-in plugins
only, so installed third-party plugins cannot change the golden files.

Every rendered document and every translation is also scanned for phrases that claim a
legal entitlement or promise what the debt-negotiation scam trade promises (the
overclaiming lint below): letters request, they never demand.
"""

from __future__ import annotations

import doctest
import html
import os
import re
from pathlib import Path

import attrs
import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from debtnegotiation import _catalog_check
from debtnegotiation.apr import Regime
from debtnegotiation.borrower import EvidenceKind
from debtnegotiation.demo import example_portfolio
from debtnegotiation.documents import (
    DocumentKind,
    OutputFormat,
    document_context,
    mask_account,
    render_document,
    render_documents,
    template_environment,
    template_name,
)
from debtnegotiation.errors import ValidationError
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.i18n import (
    DOMAIN,
    CatalogNotFoundError,
    CatalogSource,
    shipped_locales,
    translations,
)
from debtnegotiation.messages import GROUPS, label
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.plan import WaiverKind
from debtnegotiation.plugin import hookimpl
from debtnegotiation.plugins import PluginHost, get_plugin_host

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "debtnegotiation"
TEMPLATES = PACKAGE / "templates"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("DEBTNEG_UPDATE_GOLDEN") == "1"


# --------------------------------------------------------------- the overclaiming lint
# Hardship arrangements are at the lender's discretion: China's personalised installment
# (CBRC Order [2011] No. 2, Art. 70) says the issuer *may* (可以) agree, for up to 60
# months, and 停息挂账 is a colloquial label, not a statutory right; the UK's FCA CONC 7.3
# requires forbearance but no particular concession. Promises to delete or "repair"
# credit records, guaranteed outcomes and fixed debt reductions are what the regulators'
# warnings about paid "debt negotiation" agents describe (NFRA risk warnings, May and
# December 2024). Generated text must not say any of it.


@attrs.frozen
class OverclaimPhrase:
    """A phrase no generated document may contain, why, and the rule that says so."""

    phrase: str
    reason: str
    source: str


@attrs.frozen
class Overclaim:
    """One overclaiming phrase found in a text, on a line of the normalised text."""

    phrase: OverclaimPhrase
    line: int
    excerpt: str

    def __str__(self) -> str:
        return (
            f"line {self.line}: {self.phrase.phrase!r} ({self.phrase.reason}; "
            f"{self.phrase.source}) in {self.excerpt!r}"
        )


_ART70 = "CBRC Order [2011] No. 2, Art. 70"
_DISCRETION = f"{_ART70}; FCA CONC 7.3"
_NFRA = "NFRA risk warnings on paid debt-negotiation agents, May and December 2024"
_ENTITLEMENT = "claims a legal entitlement; hardship arrangements are at the lender's discretion"
_ART70_PERMISSIVE = "Art. 70 installments are permissive (可以), up to 60 months, not a right"
_SCAM = "a promise of the debt-negotiation scam trade"
_DEMAND = "demands instead of requesting (letters request)"

OVERCLAIMS = tuple(
    OverclaimPhrase(phrase, reason, source)
    for phrase, reason, source in [
        # English: entitlements the law does not give, demands, scam promises.
        ("the law guarantees", _ENTITLEMENT, _DISCRETION),
        ("guaranteed by law", _ENTITLEMENT, _DISCRETION),
        ("i am entitled to", _ENTITLEMENT, _DISCRETION),
        ("i am legally entitled", _ENTITLEMENT, _DISCRETION),
        ("i have a legal right to", _ENTITLEMENT, _DISCRETION),
        ("it is my right to", _ENTITLEMENT, _DISCRETION),
        ("you are required by law", _ENTITLEMENT, _DISCRETION),
        ("you are legally obliged", _ENTITLEMENT, _DISCRETION),
        ("you are obliged to", _DEMAND, _DISCRETION),
        ("you must", _DEMAND, _DISCRETION),
        ("60 months by law", _ART70_PERMISSIVE, _ART70),
        ("entitled to 60 months", _ART70_PERMISSIVE, _ART70),
        ("article 70 requires", _ART70_PERMISSIVE, _ART70),
        ("must grant", _DEMAND, _DISCRETION),
        ("delete my credit record", _SCAM, _NFRA),
        ("delete the overdue record", _SCAM, _NFRA),
        ("remove the negative record", _SCAM, _NFRA),
        ("repair my credit", _SCAM, _NFRA),
        ("credit repair", _SCAM, _NFRA),
        ("100% success", _SCAM, _NFRA),
        ("guaranteed success", _SCAM, _NFRA),
        ("guaranteed approval", _SCAM, _NFRA),
        # Chinese: 停息挂账 and Art. 70 as rights, demands, and scam promises.
        ("停息挂账是我的权利", _ART70_PERMISSIVE, _ART70),
        ("是我的合法权利", _ENTITLEMENT, _DISCRETION),
        ("法律保障我", _ENTITLEMENT, _DISCRETION),
        ("法律规定必须", _ENTITLEMENT, _DISCRETION),
        ("依法必须", _ENTITLEMENT, _DISCRETION),
        ("依法应当给予", _ENTITLEMENT, _DISCRETION),
        ("有权要求停息", _ART70_PERMISSIVE, _ART70),
        ("有权要求分期", _ART70_PERMISSIVE, _ART70),
        ("法定60期", _ART70_PERMISSIVE, _ART70),
        ("贵司必须", _DEMAND, _DISCRETION),
        ("你们必须", _DEMAND, _DISCRETION),
        ("删除征信", _SCAM, _NFRA),
        ("删除逾期记录", _SCAM, _NFRA),
        ("修复征信", _SCAM, _NFRA),
        ("征信修复", _SCAM, _NFRA),
        ("消除不良记录", _SCAM, _NFRA),
        ("减债80%", _SCAM, _NFRA),
        ("百分之百成功", _SCAM, _NFRA),
        ("保证成功", _SCAM, _NFRA),
    ]
)

_TAGS = re.compile(r"<[^>]*>")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>()#+!|~.-])")
_EMPHASIS = re.compile(r"(\*\*|__)")
_SPACES = re.compile(r"[ \t\u00a0\u202f\u3000]+")
#: The first CJK code point (CJK Radicals Supplement): Chinese has no spaces between
#: words, so a phrase may be split by a line break between any two characters.
_CJK_START = 0x2E80


def _normalise(text: str) -> str:
    """Remove markup and escapes; keep line breaks, fold other white space to one space."""
    plain = html.unescape(_TAGS.sub("", text))
    plain = _EMPHASIS.sub("", _MARKDOWN_ESCAPE.sub(r"\1", plain))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in plain.splitlines())


def _pattern(phrase: str) -> re.Pattern[str]:
    """Words match across any white space; CJK text (no spaces) across line breaks too."""
    parts = []
    words = phrase.split()
    for index, word in enumerate(words):
        for position, char in enumerate(word):
            parts.append(re.escape(char))
            following = word[position + 1 : position + 2]
            if following and (ord(char) >= _CJK_START or ord(following) >= _CJK_START):
                parts.append(r"\s*")
        if index + 1 < len(words):
            parts.append(r"\s+")
    return re.compile("".join(parts), re.IGNORECASE)


_PATTERNS = tuple((entry, _pattern(entry.phrase)) for entry in OVERCLAIMS)


def find_overclaims(text: str) -> tuple[Overclaim, ...]:
    """Every overclaiming phrase in *text* (plain, Markdown or HTML), in order.

    Tags, entities, Markdown escapes and emphasis are removed first, and a phrase may be
    broken across lines, so markup cannot hide one.
    """
    plain = _normalise(text)
    found = []
    for entry, pattern in _PATTERNS:
        for match in pattern.finditer(plain):
            start, end = match.span()
            line = plain.count("\n", 0, start) + 1
            excerpt = plain[max(0, start - 30) : end + 30].replace("\n", " ")
            found.append((start, Overclaim(entry, line, excerpt)))
    found.sort(key=lambda pair: pair[0])
    return tuple(item for _, item in found)


def test_the_overclaim_lint_sees_through_markup_and_line_breaks():
    assert find_overclaims("I ask you to consider a 24-month plan.") == ()
    assert [o.phrase.phrase for o in find_overclaims("The law <b>guarantees</b> me this.")] == [
        "the law guarantees"
    ]
    assert [o.phrase.phrase for o in find_overclaims("**You must** agree")] == ["you must"]
    assert [o.phrase.phrase for o in find_overclaims("credit\n  repair")] == ["credit repair"]
    assert find_overclaims("停息挂账是我的\n权利")[0].phrase.source == _ART70
    assert find_overclaims("I &amp; my family: the law&nbsp;guarantees")[0].line == 1


# ------------------------------------------------------------------ the example cases


def _host(*plugins: object) -> PluginHost:
    return get_plugin_host(plugins=plugins, load_entry_points=False, environ={})


def _example(host: PluginHost | None = None) -> Negotiation:
    return example_portfolio(host=host or _host()).negotiation(0)


def _unaffordable(host: PluginHost | None = None) -> Negotiation:
    """The example debt with a budget of CNY 10 a month: no plan is affordable."""
    example = _example(host)
    case = attrs.evolve(example.case, budget=Money("10.00", "CNY"))
    return Negotiation(case, regime=Regime.CN_PBOC, host=example.host)


@pytest.fixture(scope="module")
def example() -> Negotiation:
    negotiation = _example()
    negotiation.ladder()  # computed once for the module
    return negotiation


@pytest.fixture(scope="module")
def unaffordable() -> Negotiation:
    return _unaffordable()


# ------------------------------------------------------------------ every document renders

KINDS = list(DocumentKind)
FORMATS = list(OutputFormat)
LOCALES = list(shipped_locales())


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
@pytest.mark.parametrize("output", FORMATS, ids=lambda o: o.value)
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("case", ["example", "unaffordable"])
def test_every_document_renders_without_overclaiming(request, kind, output, locale, case):
    negotiation = request.getfixturevalue(case)
    text = render_document(kind, negotiation, locale=locale, output=output)
    assert find_overclaims(text) == ()
    assert negotiation.case.debt.creditor.name in text
    assert "{{" not in text
    assert "{%" not in text
    assert "%(" not in text  # every placeholder was filled
    if output is OutputFormat.HTML:
        assert text.startswith("<!DOCTYPE html>")
        assert f'<html lang="{locale.replace("_", "-")}">' in text
    if locale == "zh_Hans_CN":
        # No English sentence leaked into the Chinese document.
        for english in ("Dear Sir", "Call script", "compared", "Walk-away", "payments of"):
            assert english not in text


def test_the_unaffordable_case_asks_at_the_budget_and_walks_away(unaffordable):
    ladder = unaffordable.ladder()
    assert len(ladder.steps) == 1
    assert ladder.steps[0].walk_away
    letter = render_document(DocumentKind.LETTER, unaffordable, locale="en")
    assert "I can pay CN¥10.00 a month, and I ask whether you can offer" in letter
    script = render_document(DocumentKind.SCRIPT, unaffordable, locale="zh_Hans_CN")
    assert "底线：在贷款机构的条件范围内没有您能负担的方案" in script
    assert "切勿向任何第三方预付费用" in script


# ------------------------------------------------------------------------- the contents


def test_the_letter_states_the_opening_ask_and_the_fallback_in_the_locale(example):
    context = document_context(example)
    opening, fallback = context["opening"], context["fallback"]
    assert opening is not None
    assert fallback is not None
    for locale in LOCALES:
        fmt = BabelFormatter(locale)
        letter = render_document(DocumentKind.LETTER, example, locale=locale)
        assert fmt.money(opening.peak_installment) in letter
        assert fmt.money(fallback.peak_installment) in letter
        assert fmt.money(example.case.owed) in letter
        assert fmt.date(opening.first_due) in letter
        assert "****2047" in letter
        for waiver in opening.waivers:
            assert fmt.money(waiver.amount) in letter
    en = render_document(DocumentKind.LETTER, example, locale="en")
    assert opening.annual_rate is not None
    rate = BabelFormatter("en").percent(opening.annual_rate.rate)
    assert f"true annual rate: {rate} (approximate annualised rate (simple interest))" in en
    assert "24 payments of at most CN¥775.00 over 24 months" in en
    assert "interest (CN¥412.30) and penalty interest (CN¥186.45) waived" in en
    assert "please confirm it in writing" in en
    assert "I want to keep repaying this debt" in en


def test_the_chinese_letter_uses_chinese_labels_and_the_pboc_rate_label(example):
    letter = render_document(DocumentKind.LETTER, example, locale="zh_Hans_CN")
    assert letter.startswith("协商还款申请书\n")
    zh = translations("zh_Hans_CN")
    for evidence in example.case.borrower.evidence:
        assert label(zh, "evidence_kind", evidence.kind.value) in letter
    assert "离职证明（2026年8月15日出具）" in letter
    assert "银行流水（2026年10月31日出具）" in letter
    assert "失业（自2026年8月15日起）" in letter
    assert "实际年化利率：0.00%（近似折算年化利率(单利)）" in letter
    assert "困难减免：分24期还款，每期最多¥775.00，共24个月" in letter
    assert "减免利息¥412.30和罚息¥186.45" in letter
    assert "恳请以书面形式" in letter


def test_the_script_walks_the_ladder_with_the_cases_numbers(example):
    ladder = example.ladder()
    asks = [s for s in ladder.steps if not s.walk_away]
    script = render_document(DocumentKind.SCRIPT, example, locale="en")
    fmt = BabelFormatter("en")
    budget = fmt.money(example.case.monthly_budget)
    assert f"you can pay {budget} a month" in script
    assert script.count("Then ask: “Could you consider this instead:") == len(asks) - 1
    for step in asks:
        assert step.option is not None
        assert fmt.money(step.option.plan.peak_installment) in script
    assert "Walk-away point: the last step above is the least you can accept" in script
    assert "do not stay in default either" in script
    last = example.options().status_quo.projections[-1]
    assert fmt.money(last.total) in script
    zh = translations("en")
    for habit in ("sincerity", "evidence", "calm", "flexibility"):
        assert label(zh, "habit", habit) in script
    assert "agent's name and employee ID" in script
    assert "negotiation log (debtneg log add)" in script
    # flexibility: the last ask's total is the most worth considering
    last_ask = asks[-1].option
    assert last_ask is not None
    assert f"costs no more than {fmt.money(last_ask.plan.total_paid)} in total" in script


def test_the_comparison_shows_every_option_the_status_quo_and_the_warnings(example):
    options = example.options()
    for locale in LOCALES:
        fmt = BabelFormatter(locale)
        text = render_document(DocumentKind.COMPARISON, example, locale=locale)
        for option in options.ranked:
            assert fmt.money(option.plan.total_paid) in text
            assert fmt.money(option.cost_above_principal) in text
            assert fmt.money(option.saving) in text
            if option.annual_rate is not None:
                assert fmt.percent(option.annual_rate.rate) in text
        for projection in options.status_quo.projections:
            assert fmt.money(projection.total) in text
            assert fmt.date(projection.on) in text
    zh = render_document(DocumentKind.COMPARISON, example, locale="zh_Hans_CN")
    assert "实际年化利率按近似折算年化利率(单利)列示" in zh
    assert "严重：最大一笔还款¥959.94超出每月预算¥923.05" in zh
    assert "警告：该方案要求在任何还款抵减欠款之前先付费用" in zh
    md = render_document(
        DocumentKind.COMPARISON, example, locale="en", output=OutputFormat.MARKDOWN
    )
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + len(options.ranked) + len(options.status_quo.projections)
    assert all(row.count(" | ") == 10 for row in rows)  # eleven columns each
    html = render_document(DocumentKind.COMPARISON, example, locale="en", output=OutputFormat.HTML)
    assert html.count('<tr class="option">') == len(options.ranked)
    # Warnings are highlighted by severity, in a row below their option.
    assert (
        '<li class="finding severity-danger">Danger: The largest payment, CN¥959.94, '
        "exceeds the monthly budget" in html
    )
    assert html.count('<tr class="findings">') == sum(1 for o in options.ranked if o.findings)


def test_a_plugin_finding_with_an_unknown_code_shows_its_own_message(example):
    from debtnegotiation.findings import Finding, Severity

    class Reviewer:
        @hookimpl
        def debtneg_review_proposal(self, proposal):
            if proposal.strategy == "subsidy":
                return [Finding(code="x.check", severity=Severity.INFO, message="Ask <twice>")]
            return None

    negotiation = _example(_host(Reviewer()))
    html = render_document(
        DocumentKind.COMPARISON, negotiation, locale="zh_Hans_CN", output=OutputFormat.HTML
    )
    assert '<li class="finding severity-info">提示：Ask &lt;twice&gt;</li>' in html


# --------------------------------------------------------------------------- escaping


def test_text_from_the_case_is_escaped_in_html_and_markdown(example):
    case = example.case
    hostile = "<script>alert('x')</script> *Li* [Wei](http://x)"
    borrower = attrs.evolve(case.borrower, name=hostile)
    negotiation = Negotiation(
        attrs.evolve(case, borrower=borrower), regime=Regime.CN_PBOC, host=example.host
    )
    html = render_document(DocumentKind.LETTER, negotiation, locale="en", output=OutputFormat.HTML)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    markdown = render_document(
        DocumentKind.LETTER, negotiation, locale="en", output=OutputFormat.MARKDOWN
    )
    assert r"\<script\>alert\('x'\)\</script\> \*Li\* \[Wei\]\(http://x\)" in markdown
    text = render_document(DocumentKind.LETTER, negotiation, locale="en")
    assert hostile in text  # plain text shows it as typed


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
@pytest.mark.parametrize("locale", LOCALES)
def test_no_html_document_lets_markup_through(example, kind, locale):
    # Names reach the shared macro files too; those must escape in HTML documents.
    case = example.case
    debt = attrs.evolve(
        case.debt,
        creditor=attrs.evolve(case.debt.creditor, name="<b>Bank</b> & Co"),
        account="<i>1234</i>",
    )
    borrower = attrs.evolve(case.borrower, name="<script>x</script>")
    negotiation = Negotiation(
        attrs.evolve(case, debt=debt, borrower=borrower), regime=Regime.CN_PBOC, host=example.host
    )
    html = render_document(kind, negotiation, locale=locale, output=OutputFormat.HTML)
    for tag in ("<b>", "<i>", "<script>", "</script>"):
        assert tag not in html
    assert "&lt;b&gt;Bank&lt;/b&gt; &amp; Co" in html
    assert "&amp;amp;" not in html  # escaped once, not twice


def test_a_multi_line_name_stays_on_one_line(example):
    borrower = attrs.evolve(example.case.borrower, name="Li\n# Wei")
    negotiation = Negotiation(
        attrs.evolve(example.case, borrower=borrower), regime=Regime.CN_PBOC, host=example.host
    )
    markdown = render_document(
        DocumentKind.LETTER, negotiation, locale="en", output=OutputFormat.MARKDOWN
    )
    assert r"Li \# Wei" in markdown
    assert "\n# Wei" not in markdown


def test_the_account_is_masked():
    assert mask_account("6222 0212 3456 2047") == "****2047"
    assert mask_account("6222-0212-3456-2047") == "****2047"
    assert mask_account("****8810") == "****8810"
    assert mask_account("2047") == "2047"
    assert mask_account("") == ""


# ---------------------------------------------------------------- plugins and locales


class _Templates:
    """A class-based plugin adding one template folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @hookimpl
    def debtneg_template_dirs(self, locale):
        return [self.folder]


def test_a_plugin_overrides_the_letter_for_one_locale_only(tmp_path):
    (tmp_path / "zh_Hans_CN").mkdir()
    (tmp_path / "zh_Hans_CN" / "letter.txt.j2").write_text(
        "{{ _('Dear Sir or Madam,') }} {{ borrower.name|u }} {{ owed|money }}\n",
        encoding="utf-8",
    )
    host = get_plugin_host(plugins=[_Templates(tmp_path)], load_entry_points=False, environ={})
    negotiation = _example(host)
    zh = render_document(DocumentKind.LETTER, negotiation, locale="zh_Hans_CN")
    assert zh == "尊敬的工作人员： Li Wei ¥19,198.75\n"
    # zh_CN names the same locale, so the override applies to it too.
    assert render_document(DocumentKind.LETTER, negotiation, locale="zh_CN") == zh
    en = render_document(DocumentKind.LETTER, negotiation, locale="en")
    assert en.startswith("Request for a hardship repayment arrangement\n")
    assert en == render_document(DocumentKind.LETTER, _example(), locale="en")
    # The other documents of zh_Hans_CN still come from the package.
    script = render_document(DocumentKind.SCRIPT, negotiation, locale="zh_Hans_CN")
    assert script.startswith("协商还款通话提纲")


def test_a_plugin_template_for_every_locale_overrides_a_shared_macro(tmp_path):
    source = (TEMPLATES / "_letter.j2").read_text(encoding="utf-8")
    (tmp_path / "_letter.j2").write_text(
        source.replace('{{ _("Yours faithfully,") }}', "{{ 'Kind regards,' }}"),
        encoding="utf-8",
    )
    negotiation = _example(_host(_Templates(tmp_path)))
    letter = render_document(DocumentKind.LETTER, negotiation, locale="en")
    assert "Kind regards,\nLi Wei\n" in letter
    assert "Yours faithfully" not in letter


def test_the_overclaim_lint_catches_a_planted_phrase(tmp_path, example):
    (tmp_path / "letter.txt.j2").write_text(
        "{{ borrower.name }}: the law <b>guarantees</b> me 60 months.\n停息挂账是我的\n权利。\n",
        encoding="utf-8",
    )
    negotiation = _example(_host(_Templates(tmp_path)))
    text = render_document(DocumentKind.LETTER, negotiation, locale="en")
    found = find_overclaims(text)
    assert [o.phrase.phrase for o in found] == ["the law guarantees", "停息挂账是我的权利"]
    assert found[0].line == 1
    assert found[1].line == 2
    assert _DISCRETION in str(found[0])


def test_a_failing_template_plugin_is_reported_and_the_built_ins_serve(example):
    class Broken:
        @hookimpl
        def debtneg_template_dirs(self, locale):
            raise RuntimeError("no folder")

    host = _host(Broken())
    env = template_environment("en", host=host)
    assert [f.plugin for f in env.globals["plugin_failures"]] == ["Broken-0"]
    negotiation = _example(host)
    assert render_document(DocumentKind.LETTER, negotiation, locale="en") == (
        render_document(DocumentKind.LETTER, example, locale="en")
    )


def test_a_plugin_catalog_adds_a_locale(tmp_path, example):
    catalog = Catalog(locale="de", domain=DOMAIN)
    catalog.add("Request for a hardship repayment arrangement", "Bitte um eine Ratenvereinbarung")
    catalog.add(("%(count)s month", "%(count)s months"), ("%(count)s Monat", "%(count)s Monate"))
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / f"{DOMAIN}.mo").open("wb") as stream:
        write_mo(stream, catalog)
    german = CatalogSource(tmp_path, DOMAIN)
    letter = render_document(DocumentKind.LETTER, example, locale="de_DE", catalogs=[german])
    assert letter.startswith("Bitte um eine Ratenvereinbarung\n")
    assert "19.198,75\xa0CN¥" in letter  # CLDR German money, from the default formatter
    assert "24 Monate" in letter


def test_a_locale_without_a_catalog_is_an_error_not_english(example):
    with pytest.raises(CatalogNotFoundError) as raised:
        render_document(DocumentKind.LETTER, example, locale="fr_FR")
    assert raised.value.locale == "fr_FR"
    with pytest.raises(CatalogNotFoundError):
        template_environment("zh_Hant_TW", host=example.host)


def test_bad_arguments_name_the_field(example):
    with pytest.raises(ValidationError, match="kind"):
        render_document("letter", example, locale="en")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="output"):
        template_name(DocumentKind.LETTER, "pdf")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="negotiation"):
        render_document(DocumentKind.LETTER, object(), locale="en")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="locale"):
        render_document(DocumentKind.LETTER, example, locale="xx_YY")


def test_the_environment_autoescapes_html_templates_only(example):
    env = template_environment("en", host=example.host)
    assert env.autoescape("letter.html.j2") is True  # type: ignore[operator]
    assert env.autoescape("letter.md.j2") is False  # type: ignore[operator]
    assert env.autoescape("letter.txt.j2") is False  # type: ignore[operator]
    template = env.from_string("{{ missing }}")
    with pytest.raises(Exception, match="missing"):
        template.render()


# ------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_the_example_letter_matches_its_golden_file(example, locale):
    path = GOLDEN / f"letter.{locale}.txt"
    text = render_document(DocumentKind.LETTER, example, locale=locale)
    if UPDATE_GOLDEN:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{path} differs; DEBTNEG_UPDATE_GOLDEN=1 regenerates it"


# ------------------------------------------------------------- templates and catalogs


def test_every_kind_and_format_has_a_template():
    for kind in DocumentKind:
        for output in OutputFormat:
            assert (TEMPLATES / template_name(kind, output)).is_file()


def test_templates_never_round():
    for path in TEMPLATES.glob("*.j2"):
        source = path.read_text(encoding="utf-8")
        assert "|round" not in source, path
        assert "format(" not in source, path


def test_every_rate_convention_and_waiver_has_a_label_in_every_locale():
    assert set(GROUPS["rate_label"]) == {r.value for r in Regime}
    assert set(GROUPS["waiver_kind"]) == {w.value for w in WaiverKind}
    zh = translations("zh_Hans_CN")
    message = GROUPS["rate_label"][Regime.CN_PBOC.value]
    assert zh.pgettext(message.context, message.id) == "近似折算年化利率(单利)"


def test_the_babel_mapping_file_matches_the_catalog_check():
    with (PACKAGE / "locales" / "babel.cfg").open(encoding="utf-8") as stream:
        method_map, options_map = parse_mapping_cfg(stream)
    assert method_map == _catalog_check.METHOD_MAP
    for pattern, options in _catalog_check.OPTIONS_MAP.items():
        assert options_map[pattern] == options


def test_the_catalog_check_extracts_the_template_messages():
    extracted = {(m.context, m.id) for m in _catalog_check.extract() if m.id}
    assert (None, "Request for a hardship repayment arrangement") in extracted
    assert ("affordable", "yes") in extracted
    assert ("waiver_kind", "penalty interest") in extracted


def test_no_translation_overclaims():
    for locale in LOCALES:
        path = PACKAGE / "locales" / locale / "LC_MESSAGES" / "debtnegotiation.po"
        with path.open("rb") as stream:
            catalog = read_po(stream)
        for message in catalog:
            strings = [message.string] if isinstance(message.string, str) else message.string
            for string in strings:
                assert find_overclaims(string) == (), (locale, message.id)


def test_the_overclaim_list_is_sourced_and_unique():
    phrases = [entry.phrase for entry in OVERCLAIMS]
    assert len(phrases) == len(set(phrases))
    assert {entry.source for entry in OVERCLAIMS} == {_ART70, _DISCRETION, _NFRA}
    assert any("\u4e00" <= ch <= "\u9fff" for entry in OVERCLAIMS for ch in entry.phrase)


def test_the_evidence_list_names_documents_to_obtain(example):
    needed = [k for step in document_context(example)["asks"] for k in step.evidence_to_obtain]
    script = render_document(DocumentKind.SCRIPT, example, locale="en")
    if needed:
        assert "Still to obtain" in script
    else:
        assert "Still to obtain" not in script
    assert EvidenceKind.TERMINATION_LETTER in document_context(example)["evidence_kinds"]


# --------------------------------------------------------------------------------- docs


def test_the_how_to_page_examples_run():
    result = doctest.testfile(
        str(ROOT / "docs" / "howto" / "documents.rst"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 0
    assert result.failed == 0


def test_the_comparison_shows_cash_due_at_the_start_when_it_exceeds_the_installments(example):
    rows = document_context(example)["rows"]
    upfront = [r for r in rows if r.first_outlay is not None]
    assert [r.strategy for r in upfront] == ["fee-advance"]
    (row,) = upfront
    assert row.first_outlay > row.monthly_payment
    assert not row.affordable  # the 959.94 fee, not the 799.95 installments, breaks the budget
    shown = [("en", "CN¥799.95 (first CN¥959.94)"), ("zh_Hans_CN", "¥799.95（首笔¥959.94）")]
    for locale, text in shown:
        assert text in render_document(DocumentKind.COMPARISON, example, locale=locale)


@pytest.mark.parametrize("output", list(OutputFormat))
def test_documents_rendered_together_are_each_as_rendered_alone_from_one_context(
    output, monkeypatch
):
    host = get_plugin_host(load_entry_points=False, environ={})
    negotiation = example_portfolio(host=host).negotiation(1)
    kinds = (DocumentKind.COMPARISON, DocumentKind.SCRIPT, DocumentKind.LETTER)
    alone = [render_document(k, negotiation, locale="zh_Hans_CN", output=output) for k in kinds]
    ladders = []
    real_ladder = Negotiation.ladder

    def counted(self):
        ladders.append(self)
        return real_ladder(self)

    monkeypatch.setattr(Negotiation, "ladder", counted)
    together = render_documents(kinds, negotiation, locale="zh_Hans_CN", output=output)
    assert together == alone
    assert len(ladders) == 1  # one context for the three documents
