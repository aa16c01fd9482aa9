"""Documents: the negotiation request letter, the call script and the options comparison.

Each document is a Jinja2 template in plain text, Markdown and HTML
(``letter.txt.j2``, ``letter.md.j2``, ``letter.html.j2``, and the same for ``script`` and
``comparison``). What the documents say follows counsellors' and legal-aid practice: the
letter follows a sample hardship letter (People's Law Library, "Financial Hardship: Sample
Letter to Creditor": who, the account, the hardship and its proof, the concrete ask and the
fallback, the wish to keep repaying, a request for written confirmation), the call script
the source article's steps and its four habits. Letters *request*; they never claim an
entitlement (Art. 70 of CBRC Order [2011] No. 2 says a bank *may* agree), which the test
suite checks in every template, locale and format.

Where things come from:

* prose: gettext catalogs of the locale (:func:`debtnegotiation.i18n.translations`), marked
  in the templates with ``{% trans %}`` and ``_()``; a missing catalog is an error;
* money, percentages and dates: the plugin host's
  :class:`~debtnegotiation.formatting.LocaleFormatter` for the locale, which rounds (the
  templates never round);
* labels (hardships, evidence, severities, waivers, rate conventions):
  :data:`debtnegotiation.messages.GROUPS`; a strategy's label and why a lender may accept
  it come on its proposal, translated the same way;
* templates: plugin folders first (``debtneg_template_dirs``), then the package's
  ``templates/`` folder; inside each, ``<locale>/<name>`` before ``<name>``;
* print: HTML documents include ``_style.html.j2`` (the paper, A4 or US Letter by the
  locale's territory, and ``documents.css``); the letter's layout follows the locale's
  language (Chinese: 此致 and 敬礼 on lines of their own, name and date bottom right); the
  comparison embeds the charts of :mod:`debtnegotiation.charts`; :mod:`debtnegotiation.pdf`
  prints any of them to PDF.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import hashlib
import io
import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import jinja2
from babel.lists import format_list
from babel.support import Translations
from markupsafe import Markup

from debtnegotiation._context import in_library_context
from debtnegotiation._template_cache import bytecode_cache
from debtnegotiation.apr import AnnualRate, Regime
from debtnegotiation.borrower import EvidenceKind
from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding
from debtnegotiation.formatting import LocaleFormatter, parse_locale
from debtnegotiation.i18n import CatalogSource, translations
from debtnegotiation.messages import label as translated_label
from debtnegotiation.money import Money, total
from debtnegotiation.negotiation import LadderStep, Negotiation
from debtnegotiation.plan import Waiver
from debtnegotiation.plugins import PluginHost
from debtnegotiation.proposal import LABEL_CONTEXT, WHY_CONTEXT, Eligibility, Proposal
from debtnegotiation.ranking import RankedOption
from debtnegotiation.schedule_dates import months_rounded_up
from debtnegotiation.tables import text_table
from debtnegotiation.text import Localizer, Text

if TYPE_CHECKING:
    # The charts are drawn in HTML documents and chart files only: imported there.
    from debtnegotiation.charts import ChartData, ChartText

#: Eligibilities a document names next to the option, wherever it names it.
_TERMS_NOTED: Final = (Eligibility.ASSUMED_TERMS, Eligibility.BEYOND_STATED_TERMS)

__all__ = [
    "Ask",
    "ComparisonRow",
    "DocumentKind",
    "OutputFormat",
    "StatusQuoRow",
    "comparison_csv",
    "document_context",
    "join_html",
    "mask_account",
    "render_document",
    "render_documents",
    "template_environment",
    "template_name",
    "write_chart",
]


class DocumentKind(enum.Enum):
    """Which document to render."""

    LETTER = "letter"
    """The negotiation request letter (the structure of a sample hardship letter)."""
    SCRIPT = "script"
    """The call script with the four habits (the source article's steps)."""
    COMPARISON = "comparison"
    """The ranked options and the status quo side by side, with the warnings."""


class OutputFormat(enum.Enum):
    """The markup of a rendered document."""

    TEXT = "text"
    """Plain text, for e-mail bodies and terminals."""
    MARKDOWN = "markdown"
    """CommonMark, with text from the case escaped."""
    HTML = "html"
    """A standalone HTML5 page, autoescaped."""


_EXTENSIONS: Final = {
    OutputFormat.TEXT: "txt",
    OutputFormat.MARKDOWN: "md",
    OutputFormat.HTML: "html",
}

#: Prefix under which HTML templates import the shared macro files, so those compile with
#: autoescaping on (a macro's output counts as safe markup in the template that calls it).
_HTML_MACROS: Final = "html/"

_LINE_BREAKS: Final = re.compile(r"\s*[\r\n\v\f\u2028\u2029]+\s*")
_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_ACCOUNT_VISIBLE: Final = 4


# --- values shown in documents ---------------------------------------------------------


@attrs.frozen(kw_only=True)
class Ask:
    """One ask of the concession ladder, with the figures a document states.

    :param order: its place on the ladder, 1 for the opening ask.
    :param option: the ranked option behind it.
    :param strategy: the strategy's stable name (documents show its translated
        ``Proposal.label``).
    :param payments: the number of installments.
    :param peak_installment: the largest installment.
    :param months: months from the start to the last due date.
    :param first_due: the first installment's due date, if any.
    :param upfront_cash: upfront fees and payments paid in cash (zero when none).
    :param waivers: what the lender would forgive.
    :param total_paid: everything the borrower would pay.
    :param annual_rate: the plan's true annual rate, ``None`` when it has no unique one.
    :param evidence_on_hand: kinds of the documents the borrower has.
    :param evidence_to_obtain: kinds the proposal still needs (get them, then ask).
    :param cost_above_principal: total paid less the debt's contract principal.
    :param saving: the amount owed at the plan's last payment if nothing is agreed, less
        the total paid.
    :param bridge: whether it is a payment holiday offered as a bridge for a hardship
        with no expected end (payments resume on ``first_due`` regardless).
    """

    order: int
    option: RankedOption
    strategy: str
    payments: int
    peak_installment: Money
    months: int
    first_due: dt.date | None
    upfront_cash: Money
    waivers: tuple[Waiver, ...]
    total_paid: Money
    annual_rate: AnnualRate | None
    evidence_on_hand: tuple[EvidenceKind, ...]
    evidence_to_obtain: tuple[EvidenceKind, ...]
    cost_above_principal: Money
    saving: Money
    bridge: bool = False


@attrs.frozen(kw_only=True)
class ComparisonRow:
    """One ranked option as the comparison shows it.

    :param rank: 1 for the best option.
    :param option: the ranked option.
    :param strategy: the strategy's name.
    :param monthly_payment: the largest installment (the peak monthly payment).
    :param months: months to debt-free.
    :param total_paid: everything paid.
    :param cost_above_principal: total paid less the debt's contract principal (the
        same basis as the status-quo rows).
    :param saving: what doing nothing would leave owed on the plan's last payment date,
        less the total paid (negative when the plan costs more).
    :param annual_rate: the true annual rate, or ``None``.
    :param affordable: whether it passes the affordability gate.
    :param findings: the reviews' warnings, gravest first.
    :param first_outlay: the cash due at the start when it is more than the largest
        installment (an upfront fee, say), else ``None``; the row shows it next to the
        monthly payment, since it too must fit the budget.
    """

    rank: int
    option: RankedOption
    strategy: str
    monthly_payment: Money
    months: int
    total_paid: Money
    cost_above_principal: Money
    saving: Money
    annual_rate: AnnualRate | None
    affordable: bool
    findings: tuple[Finding, ...]
    first_outlay: Money | None = None


@attrs.frozen(kw_only=True)
class StatusQuoRow:
    """What is owed on a date if nothing is agreed.

    :param on: the date.
    :param months: whole months from the case date.
    :param owed: everything owed then.
    :param cost_above_principal: what is owed then less the debt's contract principal
        (the options' basis).
    :param saving: always zero: the status quo is what the options' savings are
        measured against.
    """

    on: dt.date
    months: int
    owed: Money
    cost_above_principal: Money
    saving: Money


def mask_account(account: str) -> str:
    """Show only the last four characters of an account reference.

    The letter puts the account in its subject line, as sample hardship letters do; four
    characters identify it to the lender without exposing the full number.

    >>> mask_account("6222 0212 3456 2047"), mask_account("****2047"), mask_account("")
    ('****2047', '****2047', '')
    """
    compact = re.sub(r"[\s-]+", "", account)
    if not compact:
        return ""
    visible = compact.lstrip("*")[-_ACCOUNT_VISIBLE:]
    return "****" + visible if len(compact) > _ACCOUNT_VISIBLE else compact


def _ask(step: LadderStep, option: RankedOption, evidence_on_hand: tuple[EvidenceKind, ...]) -> Ask:
    plan = option.plan
    cash = total((u.amount for u in plan.upfront if not u.withheld), plan.currency)
    return Ask(
        order=step.order,
        option=option,
        strategy=option.proposal.strategy,
        payments=plan.number_of_payments,
        peak_installment=plan.peak_installment,
        months=plan.months,
        first_due=plan.installments[0].due if plan.installments else None,
        upfront_cash=cash,
        waivers=tuple(w for w in plan.waivers if w.amount.amount > 0),
        total_paid=plan.total_paid,
        annual_rate=option.annual_rate,
        evidence_on_hand=evidence_on_hand,
        evidence_to_obtain=tuple(option.proposal.evidence_needed),
        cost_above_principal=option.cost_above_principal,
        saving=option.saving,
        bridge=step.bridge,
    )


@in_library_context
def document_context(negotiation: Negotiation) -> dict[str, Any]:
    """The variables every document template receives, computed from *negotiation*.

    Values are model objects (money as :class:`~debtnegotiation.money.Money`, rates as
    :class:`~debtnegotiation.apr.AnnualRate`); templates format them with the
    environment's filters. The keys are documented in ``docs/howto/documents.rst``.
    """
    if not isinstance(negotiation, Negotiation):
        raise ValidationError(
            "negotiation", "a debtnegotiation.negotiation.Negotiation", negotiation
        )
    case = negotiation.case
    options = negotiation.options()
    ladder = negotiation.ladder()
    borrower = case.borrower
    on_hand = tuple(dict.fromkeys(e.kind for e in borrower.evidence))
    asks = [
        _ask(step, step.option, on_hand)
        for step in ladder.steps
        if not step.walk_away and step.option is not None
    ]
    rows = [
        ComparisonRow(
            rank=o.rank,
            option=o,
            strategy=o.proposal.strategy,
            monthly_payment=o.plan.peak_installment,
            months=o.plan.months,
            total_paid=o.plan.total_paid,
            cost_above_principal=o.cost_above_principal,
            saving=o.saving,
            annual_rate=o.annual_rate,
            affordable=o.affordable,
            findings=o.findings,
            first_outlay=o.first_outlay if o.first_outlay > o.plan.peak_installment else None,
        )
        for o in options.ranked
    ]
    status_quo = [
        StatusQuoRow(
            on=p.on,
            months=months_rounded_up(case.on, p.on),
            owed=p.total,
            cost_above_principal=p.total - case.debt.principal,
            saving=Money.zero(p.total.currency),
        )
        for p in options.status_quo.projections
    ]
    rates = [o.annual_rate for o in options.ranked if o.annual_rate is not None]
    # Documents the letter's asks still need: listed with the enclosures, as to follow.
    to_come = tuple(dict.fromkeys(k for a in asks[:2] for k in a.evidence_to_obtain))
    return {
        "case": case,
        "negotiation": negotiation,
        "borrower": borrower,
        "debt": case.debt,
        "creditor": case.debt.creditor,
        "account": mask_account(case.debt.account),
        "today": case.on,
        "owed": case.owed,
        "budget": case.monthly_budget,
        "affordability": borrower.affordability(),
        "hardships": borrower.hardships,
        "evidence": borrower.evidence,
        "evidence_kinds": on_hand,
        "to_come": to_come,
        "options": options,
        "rows": rows,
        "status_quo": status_quo,
        "unranked": options.unranked,
        "ladder": ladder,
        "asks": asks,
        "opening": asks[0] if asks else None,
        "fallback": asks[1] if len(asks) > 1 else None,
        "walk_away": ladder.walk_away,
        "regime": negotiation.regime,
        "rate_regime": rates[0].regime if rates else negotiation.regime,
        "sender_lines": list(borrower.address),
        "contact_lines": [line for line in (borrower.phone, borrower.email) if line.strip()],
    }


# --- the environment -------------------------------------------------------------------


class _LocalizedLoader(jinja2.BaseLoader):
    """Look a template up as ``<locale>/<name>``, then as ``<name>``, in one loader."""

    def __init__(self, loader: jinja2.BaseLoader, locale: str) -> None:
        self.loader = loader
        self.locale = locale

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Any]:
        base = template.removeprefix(_HTML_MACROS)
        for name in (f"{self.locale}/{base}", base):
            try:
                return self.loader.get_source(environment, name)
            except jinja2.TemplateNotFound:
                continue
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


def _autoescape(name: str | None) -> bool:
    """Escape ``*.html.j2`` templates and the macro files they import as ``html/<name>``."""
    return name is not None and (name.endswith(".html.j2") or name.startswith(_HTML_MACROS))


def _one_line(value: object) -> str:
    return _LINE_BREAKS.sub(" ", str(value))


@jinja2.pass_context
def _user_text(context: jinja2.runtime.Context, value: object) -> str:
    """Text typed by a person (names, accounts): one line, Markdown-escaped in Markdown.

    HTML needs nothing here: autoescaping escapes it on output.
    """
    text = _one_line(value)
    if context.get("output") == OutputFormat.MARKDOWN.value:
        return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return text


def _environment_helpers(
    env: jinja2.Environment, formatter: LocaleFormatter, catalog: Translations, locale: str
) -> None:
    def label(group: str, code: str) -> str:
        return translated_label(catalog, group, code)

    def strategy_name(
        option: RankedOption | Proposal,
        terms: bool = True,  # noqa: FBT001, FBT002 - templates call it positionally
    ) -> str:
        """The proposal's label, translated; the strategy's name when it has none.

        With *terms* (the default), an option on assumed terms or beyond the stated ones
        says so after its name; asks pass ``false`` and say it on a line of their own.

        Built-in or plugin, a strategy is named the same way: its ``Proposal.label`` is a
        message id in context ``strategy``, which a plugin translates by shipping a
        catalog of the library's domain (hook ``debtneg_catalogs``).
        """
        proposal = option.proposal if isinstance(option, RankedOption) else option
        name = (
            str(catalog.pgettext(LABEL_CONTEXT, proposal.label))
            if proposal.label
            else proposal.strategy
        )
        if terms and proposal.eligibility in _TERMS_NOTED:
            # Options on assumed terms, or beyond the stated ones, say so wherever named.
            verdict = label("verdict", proposal.eligibility.value)
            return str(catalog.pgettext("strategy_terms", "%(name)s (%(terms)s)")) % {
                "name": name,
                "terms": verdict,
            }
        return name

    def why_lender_may_accept(option: RankedOption | Proposal) -> str:
        """The proposal's ``why_lender_may_accept``, translated the same way."""
        proposal = option.proposal if isinstance(option, RankedOption) else option
        return str(catalog.pgettext(WHY_CONTEXT, proposal.why_lender_may_accept))

    def rate_label(rate: AnnualRate | Regime) -> str:
        regime = rate.regime if isinstance(rate, AnnualRate) else rate
        return label("rate_label", regime.value)

    def percent(value: AnnualRate | Any) -> str:  # noqa: ANN401 - Decimal or AnnualRate
        rate = value.rate if isinstance(value, AnnualRate) else value
        return formatter.percent(rate)

    def join_list(items: Iterable[object]) -> str:
        return format_list([str(i) for i in items], locale=locale)

    localizer = Localizer(catalog, formatter)

    def say(value: object) -> str:
        """A :class:`~debtnegotiation.text.Text` in the document's language; else as is."""
        return localizer.say(value) if isinstance(value, Text) else str(value)

    env.filters.update(
        money=formatter.money,
        percent=percent,
        date=formatter.date,
        number=formatter.number,
        u=_user_text,
        join_list=join_list,
        say=say,
    )
    env.globals.update(
        label=label,
        strategy_name=strategy_name,
        why_lender_may_accept=why_lender_may_accept,
        rate_label=rate_label,
        text_table=text_table,
    )


def template_environment(
    locale: str, *, host: PluginHost, catalogs: Sequence[CatalogSource] = ()
) -> jinja2.Environment:
    """The Jinja2 environment documents in *locale* are rendered with.

    * Loader: each folder of ``host.template_dirs(locale=...)`` (plugin-name order), then
      the package's ``templates/`` folder; in each, ``<locale>/<name>`` is tried before
      ``<name>``, with *locale* in canonical CLDR form (``zh_CN`` → ``zh_Hans_CN``).
    * Autoescaping for ``*.html.j2`` templates only, and for the shared macro files they
      import as ``macros ~ "_common.j2"`` (``macros`` is ``"html/"`` in HTML documents,
      which the loader strips); undefined variables are errors.
    * ``jinja2.ext.i18n`` with new-style gettext and trimmed ``{% trans %}`` blocks, bound
      to :func:`debtnegotiation.i18n.translations` for *locale*, with the catalogs of
      ``host.catalogs(locale=...)`` (hook ``debtneg_catalogs``) and then *catalogs*
      merged in; a missing catalog raises
      :class:`~debtnegotiation.i18n.CatalogNotFoundError`.
    * Filters ``money``, ``percent``, ``date``, ``number`` from ``host.formatter(locale)``,
      ``join_list`` (CLDR list pattern), ``u`` (text typed by a person), ``say`` (a
      :class:`~debtnegotiation.text.Text`, such as a plugin's finding, in *locale*); globals
      ``label(group, code)``, ``strategy_name(option)``, ``why_lender_may_accept(option)``
      (a proposal's ``Proposal.label`` and sentence, translated), ``rate_label(rate)`` and
      ``text_table(header, rows)``.
    * A plugin whose ``debtneg_template_dirs``, ``debtneg_catalogs`` or
      ``debtneg_locale_formatter`` fails is left out (the others and the built-in ones
      still serve) and listed in the global ``plugin_failures``; a strict host raises
      instead.

    :param locale: a CLDR identifier such as ``en`` or ``zh_Hans_CN``.
    :param host: the plugin host asked for template folders and the formatter.
    :param catalogs: extra gettext catalog sources beyond the plugins' (merged last),
        e.g. an application's own corrections.
    """
    canonical = str(parse_locale(locale))
    if not isinstance(host, PluginHost):
        raise ValidationError("host", "a debtnegotiation.plugins.PluginHost", host)
    plugin_catalogs = host.catalogs(locale=canonical)
    catalog = translations(canonical, extra=[*plugin_catalogs.items, *catalogs])
    found = host.template_dirs(locale=canonical)
    loaders: list[jinja2.BaseLoader] = [
        _LocalizedLoader(jinja2.FileSystemLoader(Path(d)), canonical) for d in found.items
    ]
    loaders.append(
        _LocalizedLoader(jinja2.PackageLoader("debtnegotiation", "templates"), canonical)
    )
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_autoescape,  # noqa: S701 - on for HTML templates and their macros
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=bytecode_cache("documents"),
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    formatter, skipped = host.formatter_with_failures(canonical)
    _environment_helpers(env, formatter, catalog, canonical)
    env.globals["plugin_failures"] = found.failures + plugin_catalogs.failures + skipped
    return env


# Environments render_document reuses, per host: building one costs about ten times a
# render. Keyed by locale and the host's registered plugins (a plugin registered later
# gets a new environment); only used when no extra catalogs are passed.
_ENVIRONMENTS: Final[weakref.WeakKeyDictionary[PluginHost, dict[object, jinja2.Environment]]] = (
    weakref.WeakKeyDictionary()
)


def _environment(
    locale: str, host: PluginHost, catalogs: Sequence[CatalogSource]
) -> jinja2.Environment:
    if catalogs or not isinstance(host, PluginHost):
        return template_environment(locale, host=host, catalogs=catalogs)
    plugins = tuple((name, id(plugin)) for name, plugin in host.manager.list_name_plugin())
    key = (str(parse_locale(locale)), plugins)
    cached = _ENVIRONMENTS.setdefault(host, {})
    env = cached.get(key)
    if env is None:
        env = cached[key] = template_environment(locale, host=host)
    return env


def template_name(kind: DocumentKind, output: OutputFormat) -> str:
    """The template file a document is rendered from, e.g. ``letter.txt.j2``."""
    if not isinstance(kind, DocumentKind):
        raise ValidationError("kind", "a DocumentKind", kind)
    if not isinstance(output, OutputFormat):
        raise ValidationError("output", "an OutputFormat", output)
    return f"{kind.value}.{_EXTENSIONS[output]}.j2"


@in_library_context
def render_document(
    kind: DocumentKind,
    negotiation: Negotiation,
    *,
    locale: str,
    output: OutputFormat = OutputFormat.TEXT,
    host: PluginHost | None = None,
    catalogs: Sequence[CatalogSource] = (),
    paper: str | None = None,
) -> str:
    """Render a letter, call script or comparison for *negotiation* in *locale*.

    :param kind: which document.
    :param negotiation: the negotiation; its options and ladder are computed if needed.
    :param locale: the reader's locale, always explicit (``en``, ``zh_Hans_CN``...).
    :param output: plain text, Markdown or HTML.
    :param host: the plugin host for templates and formatting; ``negotiation.host`` when
        omitted.
    :param catalogs: extra gettext catalog sources (see :func:`template_environment`).
    :param paper: the paper an HTML document prints on, ``"a4"`` or ``"letter"``; by
        default US Letter where the locale's territory uses it (``en_US``), else A4.
    :raises ~debtnegotiation.i18n.CatalogNotFoundError: when no catalog serves *locale*.
    """
    (text,) = render_documents(
        (kind,),
        negotiation,
        locale=locale,
        output=output,
        host=host,
        catalogs=catalogs,
        paper=paper,
    )
    return text


@in_library_context
def render_documents(
    kinds: Sequence[DocumentKind],
    negotiation: Negotiation,
    *,
    locale: str,
    output: OutputFormat = OutputFormat.TEXT,
    host: PluginHost | None = None,
    catalogs: Sequence[CatalogSource] = (),
    paper: str | None = None,
) -> list[str]:
    """Each document of *kinds* for *negotiation*, as :func:`render_document` renders it.

    The documents share one :func:`document_context` (the negotiation's ladder, rows and
    figures are worked out once, not once per document); the arguments are those of
    :func:`render_document`.
    """
    names = [template_name(kind, output) for kind in kinds]
    shared = document_context(negotiation)
    env = _environment(locale, negotiation.host if host is None else host, catalogs)
    parsed = parse_locale(locale)
    shared["output"] = output.value
    shared["macros"] = _HTML_MACROS if output is OutputFormat.HTML else ""
    shared["locale"] = str(parsed)
    shared["lang"] = shared["locale"].replace("_", "-")
    shared["letter_layout"] = _LETTER_LAYOUTS.get(parsed.language, "western")
    shared["paper"] = _paper(paper, parsed.territory)
    # Charts are drawn per document: each keeps the data it drew in the reader's words.
    return [
        env.get_template(name).render({**shared, "charts": _Charts(negotiation, env)})
        for name in names
    ]


# --- print and charts ---------------------------------------------------------------------

#: How a letter is laid out, by the reader's language: Chinese letters close with 此致 and
#: 敬礼 on lines of their own and put the name and date at the bottom right; the western
#: layout opens with the sender's address, the date and the recipient.
_LETTER_LAYOUTS: Final = {"zh": "chinese"}

#: Territories whose usual paper is US Letter (the rest of the world uses ISO A4).
_LETTER_PAPER: Final = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA"})
_PAPERS: Final = {"a4": "A4", "letter": "letter"}


def _paper(paper: str | None, territory: str | None) -> str:
    if paper is None:
        return "letter" if territory in _LETTER_PAPER else "A4"
    if not isinstance(paper, str) or paper.lower() not in _PAPERS:
        raise ValidationError("paper", "'a4' or 'letter'", paper)
    return _PAPERS[paper.lower()]


def _plain(value: object) -> str:
    """Text for the SVG renderer (which escapes it): a macro's markup unescaped first."""
    return value.unescape() if isinstance(value, Markup) else str(value)


class _Charts:
    """The charts of one negotiation, drawn on demand by a template in the reader's words.

    Templates pass the translated titles and labels; the names of options and the
    formats come from the document's environment.
    """

    def __init__(self, negotiation: Negotiation, env: jinja2.Environment) -> None:
        self._negotiation = negotiation
        self._env = env
        self._data: dict[str, ChartData] = {}
        # Element ids unique to the debt, so pages joined into one (demo) stay valid.
        name = negotiation.case.debt.creditor.name.encode("utf-8")
        self.ident = hashlib.sha256(name).hexdigest()[:8]

    def data(self, status_quo_label: str) -> ChartData:
        """The chart data, with *status_quo_label* naming the doing-nothing line."""
        from debtnegotiation.charts import chart_data

        label = _plain(status_quo_label)
        if label not in self._data:
            self._data[label] = chart_data(
                self._negotiation,
                option_label=self._env.globals["strategy_name"],  # type: ignore[arg-type]
                status_quo_label=label,
            )
        return self._data[label]

    def text(
        self,
        title: str,
        describe_line: Callable[..., str] | None = None,
        describe_bar: Callable[..., str] | None = None,
    ) -> ChartText:
        """The words and the locale's formats for a chart titled *title*.

        *describe_line* and *describe_bar* (template macros) word the sentence a screen
        reader hears for each line or bar; they receive the label and formatted figures.
        """
        from debtnegotiation.charts import ChartText

        filters = self._env.filters
        extra: dict[str, Any] = {}
        if describe_line is not None:
            line = describe_line

            def describe(label: str, first: str, on: str, last: str, end: str) -> str:
                return _plain(line(label, first, on, last, end))

            extra["describe_line"] = describe
        if describe_bar is not None:
            bar = describe_bar
            extra["describe_bar"] = lambda label, amount: _plain(bar(label, amount))
        return ChartText(
            title=_plain(title),
            money=filters["money"],
            number=lambda n: str(filters["number"](n)),
            date=filters["date"],
            **extra,
        )

    def balance(
        self,
        title: str,
        status_quo_label: str,
        describe_line: Callable[..., str] | None = None,
    ) -> Markup:
        """The balance-over-time chart as inline SVG markup."""
        from debtnegotiation.charts import balance_svg

        svg = balance_svg(
            self.data(status_quo_label),
            self.text(title, describe_line),
            ident=f"chart-balance-{self.ident}",
        )
        return Markup(svg)  # noqa: S704 - built by our renderer, every text escaped

    def cost(
        self,
        title: str,
        status_quo_label: str,
        describe_bar: Callable[..., str] | None = None,
    ) -> Markup:
        """The total-cost chart as inline SVG markup."""
        from debtnegotiation.charts import cost_svg

        data = self.data(status_quo_label)
        text = self.text(title, describe_bar=describe_bar)
        svg = cost_svg(data, text, ident=f"chart-cost-{self.ident}")
        return Markup(svg)  # noqa: S704 - built by our renderer, every text escaped

    def table(self, status_quo_label: str) -> list[tuple[dt.date, list[Money | None]]]:
        """The balance chart as rows: each month's date and each line's balance then.

        An option's balance on a date is the one after its last installment due on or
        before it (its principal before the first); ``None`` before the option starts.
        """
        data = self.data(status_quo_label)
        nothing, *lines = data.series
        rows: list[tuple[dt.date, list[Money | None]]] = []
        for on, owed in nothing.points:
            cells: list[Money | None] = [owed]
            for line in lines:
                known = [m for d, m in line.points if d <= on]
                cells.append(known[-1] if known else None)
            rows.append((on, cells))
        return rows


def comparison_csv(negotiations: Iterable[Negotiation]) -> str:
    """The options of each negotiation as CSV: exact decimals, machine-friendly headers.

    One row per ranked option and one per status-quo date (``strategy`` is
    ``status_quo``); amounts are plain decimals in the debt's ``currency`` (no grouping,
    no symbol), rates fractions (``0.1303``), dates ISO 8601, booleans ``true``/``false``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_HEADER)
    for negotiation in negotiations:
        context = document_context(negotiation)
        creditor = context["creditor"].name
        currency = context["debt"].currency
        for r in context["rows"]:
            plan = r.option.plan
            rate = r.annual_rate
            writer.writerow(
                [
                    creditor,
                    r.rank,
                    r.strategy,
                    r.option.proposal.eligibility.value,
                    currency,
                    r.monthly_payment.amount,
                    "" if r.first_outlay is None else r.first_outlay.amount,
                    plan.number_of_payments,
                    r.months,
                    plan.end.isoformat(),
                    r.total_paid.amount,
                    r.cost_above_principal.amount,
                    r.saving.amount,
                    "" if rate is None else rate.rate,
                    "" if rate is None else rate.regime.value,
                    str(r.affordable).lower(),
                    ";".join(f.code for f in r.findings),
                ]
            )
        for q in context["status_quo"]:
            writer.writerow(
                [
                    creditor,
                    "",
                    "status_quo",
                    "",
                    currency,
                    "",
                    "",
                    0,
                    q.months,
                    q.on.isoformat(),
                    q.owed.amount,
                    q.cost_above_principal.amount,
                    q.saving.amount,
                    "",
                    "",
                    "",
                    "",
                ]
            )
    return buffer.getvalue()


_CSV_HEADER: Final = (
    "creditor",
    "rank",
    "strategy",
    "eligibility",
    "currency",
    "monthly_payment",
    "first_outlay",
    "payments",
    "months",
    "end",
    "total_paid",
    "cost_above_principal",
    "saving",
    "annual_rate",
    "rate_regime",
    "affordable",
    "finding_codes",
)


def write_chart(
    negotiation: Negotiation,
    path: Path,
    *,
    locale: str,
    host: PluginHost | None = None,
    catalogs: Sequence[CatalogSource] = (),
) -> None:
    """Write the comparison's two charts, balance over time and total cost, to *path*.

    The file's suffix chooses the format: ``.svg`` (our own exact renderer, the two
    charts one above the other in one SVG) or ``.png`` (matplotlib, the ``[charts]``
    extra). Titles and labels are those of the HTML comparison, in *locale*.

    :raises ~debtnegotiation.errors.ValidationError: for another suffix, or ``.png``
        without matplotlib.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in {".svg", ".png"}:
        raise ValidationError("chart file", "a name ending in .svg or .png", str(path))
    from debtnegotiation.charts import balance_svg, cost_svg, stacked_svg, write_png

    env = template_environment(
        locale, host=negotiation.host if host is None else host, catalogs=catalogs
    )
    # The comparison's own macros word the charts, so the file says what the page says.
    words: Any = env.get_template("_comparison.j2").make_module({"macros": ""})
    charts = _Charts(negotiation, env)
    nothing = _plain(words.chart_status_quo_label())
    data = charts.data(nothing)
    balance = charts.text(words.chart_balance_title(), words.chart_line)
    cost = charts.text(words.chart_cost_title(), describe_bar=words.chart_bar)
    if suffix == ".png":
        write_png(data, balance, target, cost_title=cost.title)
        return
    target.write_text(
        stacked_svg(
            balance_svg(data, balance, ident=f"chart-balance-{charts.ident}"),
            cost_svg(data, cost, ident=f"chart-cost-{charts.ident}"),
        ),
        encoding="utf-8",
    )


_BODY: Final = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)


def join_html(pages: Sequence[str]) -> str:
    """Several HTML documents as one page to print: each on new paper.

    The first page's head (its title and stylesheet) serves them all; the documents of
    this module share one stylesheet, so nothing is lost.
    """
    if not pages:
        raise ValidationError("pages", "at least one HTML document", pages)
    first = pages[0]
    start = first.index("<body")
    bodies = []
    for i, page in enumerate(pages):
        found = _BODY.search(page)
        if found is None:
            raise ValidationError(f"pages[{i}]", "an HTML document with a <body>", page[:60])
        style = "" if i == 0 else ' style="break-before: page"'
        bodies.append(f'<div class="debtneg-page"{style}>\n{found.group(1).strip()}\n</div>\n')
    return first[:start] + '<body class="wide">\n' + "".join(bodies) + "</body>\n</html>\n"
