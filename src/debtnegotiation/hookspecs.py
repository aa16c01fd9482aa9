"""Every hook a debtnegotiation plugin can implement.

Rules that hold for all hooks:

* Hooks are called with keyword arguments only. An implementation may accept any subset
  of a hook's arguments, by name; pluggy passes only those it asks for. This is how
  arguments are added later without breaking plugins — so never give a default value to
  an argument you need (pluggy does not pass arguments that have defaults).
* Arguments are frozen objects (:class:`~debtnegotiation.case.Case`,
  :class:`~debtnegotiation.debt.Debt`, :class:`~debtnegotiation.proposal.Proposal`); a plugin
  cannot change what other plugins see.
* Collected hooks return a sequence or ``None`` ("nothing to add"). The host calls each
  implementation on its own: one that raises or returns the wrong type is reported by
  plugin name and the others' results stand.
* Results are sorted by the host with a documented key, never by registration order.

Lifecycle of one negotiation::

    debtneg_lender_policies(debt)        → the lender's levers        (collected)
    debtneg_propose_plans(case)          → proposals                  (collected)
    debtneg_review_proposal(case, proposal) → findings, per proposal  (collected)
    debtneg_review_case(case)            → findings on the status quo (collected, once)
    debtneg_locale_formatter(locale)     → formatter for documents    (first result wins)
    debtneg_template_dirs(locale)        → document template folders  (collected)
    debtneg_catalogs()                   → gettext catalogs for prose (collected)
    debtneg_contact_rules(debt)          → collection-conduct rules   (collected, for the log)
    debtneg_spending_guidelines(household_size, region, currency)
                                         → typical spending           (collected, for budgets)

The batch path (``debtnegotiation.batch``, :doc:`/howto/batch`) asks
``debtneg_propose_batch(accounts)`` for vectorised proposals over a block of accounts,
and runs each account the batch strategies do not answer through the lifecycle above.

The ``debtneg`` command also asks ``debtneg_cli_commands()`` for extra subcommands.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from debtnegotiation._markers import hookspec
from debtnegotiation.borrower import Borrower
from debtnegotiation.budget import SpendingGuideline
from debtnegotiation.case import Case
from debtnegotiation.contact_rules import ContactRules
from debtnegotiation.debt import Debt
from debtnegotiation.findings import Finding
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.i18n import CatalogSource
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.proposal import Proposal

__all__ = [
    "debtneg_catalogs",
    "debtneg_cli_commands",
    "debtneg_contact_rules",
    "debtneg_lender_policies",
    "debtneg_locale_formatter",
    "debtneg_propose_batch",
    "debtneg_propose_plans",
    "debtneg_review_case",
    "debtneg_review_proposal",
    "debtneg_spending_guidelines",
    "debtneg_strategy_names",
    "debtneg_template_dirs",
]


@hookspec
def debtneg_lender_policies(debt: Debt) -> Sequence[LenderPolicy] | None:
    """Return the policies a lender offers for *debt*.

    Every implementation's result is kept. The engine uses the first policy (sorted by
    lender, then effective date, newest first) that
    :meth:`~debtnegotiation.policy.LenderPolicy.applies_to` the debt's creditor, unless
    the case names a policy itself.

    :param debt: the debt whose lender's levers are wanted.

    .. versionadded:: 0.1.0
    """


@hookspec
def debtneg_propose_plans(case: Case) -> Sequence[Proposal] | None:
    """Return proposals for *case*: eligible, needing evidence, or not eligible with reasons.

    Every implementation's result is kept; proposals are sorted by strategy name, then
    title, then plugin name. A strategy that does not apply returns ``None``.

    :param case: the debt, the borrower, their goals, the lender's policy and the date.

    .. versionadded:: 0.1.0
    """


@hookspec
def debtneg_strategy_names() -> Sequence[str] | None:
    """Return the strategy names this plugin's :func:`debtneg_propose_plans` can propose.

    Optional: a plugin that declares its strategies is held to them, and the engine can
    then skip calls it knows are wasted. With a stated lender policy the engine also
    asks every strategy on the assumed terms, keeping only strategies the stated terms
    did not give; a plugin whose declared strategies the stated terms already gave is
    not asked again. A proposal whose ``strategy`` the plugin did not declare is
    reported as that plugin's failure and its results are dropped. ``None`` (or not
    implementing the hook) declares nothing: the plugin is always asked.

    Every implementation's result is kept, each for its own plugin.

    .. versionadded:: 0.1.0
    """


@hookspec
def debtneg_propose_batch(accounts: Any) -> Sequence[Any] | None:  # noqa: ANN401
    """Return vectorised proposals for a block of accounts, for the batch path.

    A strategy plugin may offer this beside :func:`debtneg_propose_plans` to make
    :func:`debtnegotiation.batch.table.negotiate_table` fast. Each result is a
    :class:`debtnegotiation.batch.proposals.BatchProposals` naming the scalar strategy plugin it
    stands for (``replaces``) and the accounts it answers exactly as that plugin would
    (``handled``): cent for cent, eligibility and title included. Every other account runs
    through the scalar path, :class:`~debtnegotiation.negotiation.Negotiation`, as does
    every account when any strategy plugin has no batch implementation, so a plugin
    without one still works in batch.

    Every implementation's result is kept. The arguments and results are numpy-based
    (the ``batch`` extra); the core never calls this hook.

    :param accounts: a :class:`debtnegotiation.batch.block.AccountBlock`: the accounts as int64
        minor-unit columns with their policies.

    .. versionadded:: 0.1.0
    """


@hookspec
def debtneg_review_proposal(case: Case, proposal: Proposal) -> Sequence[Finding] | None:
    """Return findings about *proposal* (unaffordable, over a legal cap, advance fee…).

    Every implementation's result is kept; findings are sorted by severity (gravest
    first), then code, then plugin name.

    :param case: the case the proposal answers.
    :param proposal: the proposal under review.

    .. versionadded:: 0.1.0
    """


@hookspec
def debtneg_review_case(case: Case) -> Sequence[Finding] | None:
    """Return findings about the case itself: the debt's existing terms, the status quo.

    For what holds whatever plan is agreed — an existing contract rate above a legal
    line, say — so that it is reported once, next to the status quo, rather than on every
    option. Findings about one plan belong in :func:`debtneg_review_proposal`.

    Every implementation's result is kept; findings are sorted by severity (gravest
    first), then code, then plugin name. The engine asks once per case and keeps the
    findings in :class:`~debtnegotiation.negotiation.Options` (``findings``).

    :param case: the case under review: the debt as it stands, the borrower, the
        lender's policy and the date.

    .. versionadded:: 0.1.0
    """


@hookspec(firstresult=True)
def debtneg_locale_formatter(locale: str) -> LocaleFormatter | None:
    """Return the formatter for money, numbers, percentages and dates in *locale*.

    The first non-``None`` result wins. The built-in Babel formatter answers last
    (``trylast``) for every CLDR locale, so any plugin can override a locale.

    :param locale: a CLDR locale identifier such as ``en`` or ``zh_Hans_CN``.

    .. versionadded:: 0.1.0
    """


@hookspec
def debtneg_template_dirs(locale: str) -> Sequence[Path] | None:
    """Return folders of Jinja2 document templates to search before the built-in ones.

    Every implementation's result is kept. A template found in a plugin folder overrides
    the built-in template of the same name; folders are searched in plugin-name order.
    Inside a folder, ``<locale>/<name>`` is tried before ``<name>``, so a plugin can
    override one locale only.

    :param locale: the locale documents are being rendered in.

    .. versionadded:: 0.1.0
    """


@hookspec
def debtneg_catalogs() -> Sequence[CatalogSource] | None:
    """Return the gettext catalog sources this plugin ships, for documents and the CLI.

    Every implementation's result is kept, in plugin-name order, and passed to
    :func:`debtnegotiation.i18n.translations` after the library's own catalogs:

    * a source of the library's domain (:data:`~debtnegotiation.i18n.DOMAIN`) is merged
      over the library's catalog for the locale it serves, so a plugin can translate the
      title of the strategy it proposes (context ``strategy``, the title as message id),
      correct a translation, or bring the library's messages in a new locale;
    * a source of the plugin's own domain is added beside and read with ``dgettext``
      (from the plugin's own templates, for instance).

    A library-domain source that does not serve the requested locale is simply not used.
    A source of any other domain must serve every locale documents are rendered in: when
    it does not, the plugin is reported as failed for that locale, by name, and its
    catalog is left out; a strict host raises instead.

    .. versionadded:: 0.1.0
    """


@hookspec
def debtneg_cli_commands() -> Sequence[Any] | None:
    """Return extra ``click`` commands to add to the ``debtneg`` command.

    Every implementation's result is kept; a command whose name is already taken is
    reported as a plugin failure instead of replacing the built-in one.

    .. versionadded:: 0.1.0
    """


@hookspec
def debtneg_contact_rules(debt: Debt, borrower: Borrower | None) -> Sequence[ContactRules] | None:
    """Return the collection-conduct rules that protect the borrower of *debt*.

    Every implementation's result is kept; rule sets are sorted by name. Jurisdiction
    plugins answer for the debts they cover (for instance by currency or creditor kind)
    and return ``None`` otherwise. The negotiation log checks its contacts against every
    rule set (:func:`~debtnegotiation.negotiation_log.conduct_findings`).

    :param debt: the debt whose collection is being checked.
    :param borrower: the borrower, when known (their ``timezone`` says where contact
        hours are judged); ``None`` when the log is checked without one.

    .. versionadded:: 0.1.0
    """


@hookspec
def debtneg_spending_guidelines(
    household_size: int, region: str | None, currency: str
) -> Sequence[SpendingGuideline] | None:
    """Return typical monthly spending by category for a household of this size and region.

    Budgets flag spending above a guideline for the counsellor; they never cut it
    (:meth:`Budget.statement <debtnegotiation.budget.Budget.statement>`). Jurisdiction
    plugins answer with published figures, each with its source and effective date, and
    return ``None`` for households, regions or currencies they do not cover.

    Every implementation's result is kept; guidelines are sorted by category, then
    region, then plugin name. A guideline for the household's region wins over a
    national one for the same category.

    :param household_size: the number of people the income supports, 1 or more.
    :param region: the ISO 3166-2 region where the household lives (``US-CA``), or
        ``None`` when unknown.
    :param currency: the budget's ISO 4217 currency; figures in another are ignored.

    .. versionadded:: Unreleased
    """
