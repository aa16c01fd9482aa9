"""A debt management plan proposal: one monthly payment shared pro rata, a letter each.

As debt management plans work (the NFCC's in the US, StepChange's in the UK): the
borrower's surplus for non-priority debts is one monthly payment, shared among the
non-priority creditors in proportion to what each is owed, and every creditor is *asked*
to freeze interest and charges. Creditors are not obliged to agree; the letter asks.

:func:`propose_dmp` works the proposal out with the payoff planner
(:func:`~debtnegotiation.payoff.plan_payoff`, method pro rata, interest frozen as
requested, no contract minimums since the share replaces them); :func:`render_dmp_letter`
renders the proposal letter to one creditor through the document machinery
(:func:`~debtnegotiation.documents.template_environment`), from the templates
``dmp-letter.txt.j2``, ``dmp-letter.md.j2`` and ``dmp-letter.html.j2``, which a plugin
overrides like any other (hook ``debtneg_template_dirs``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from debtnegotiation.budget import BudgetStatement
from debtnegotiation.documents import OutputFormat, mask_account, template_environment
from debtnegotiation.errors import ValidationError
from debtnegotiation.formatting import parse_locale
from debtnegotiation.i18n import CatalogSource
from debtnegotiation.money import Money
from debtnegotiation.payoff import PayoffDebt, PayoffMethod, PayoffResult, plan_payoff
from debtnegotiation.plugins import PluginHost
from debtnegotiation.portfolio import Portfolio

__all__ = [
    "DMP_TEMPLATE",
    "DmpProposal",
    "DmpShare",
    "dmp_template_name",
    "propose_dmp",
    "render_dmp_letter",
]

#: The stem of the proposal letter's templates (``dmp-letter.<ext>.j2``).
DMP_TEMPLATE = "dmp-letter"

_EXTENSIONS = {OutputFormat.TEXT: "txt", OutputFormat.MARKDOWN: "md", OutputFormat.HTML: "html"}


@attrs.frozen(kw_only=True)
class DmpShare:
    """One creditor's part of the plan.

    :param creditor: the creditor's name.
    :param account: the account reference, masked as letters show it.
    :param owed: what is owed on the plan's start date.
    :param share: the first month's payment to this creditor.
    :param proportion: *owed* over everything owed to the plan's creditors.
    :param months: the months until this debt is repaid, interest frozen.
    """

    creditor: str
    account: str
    owed: Money
    share: Money
    proportion: Decimal
    months: int | None


@attrs.frozen(kw_only=True)
class DmpProposal:
    """A debt management plan: the budget, the monthly payment and each creditor's share.

    :param on: the date the plan is proposed on (payments start a month later).
    :param statement: the household budget the payment comes from.
    :param payment: the one monthly payment shared among the creditors.
    :param shares: each non-priority creditor's part, in case-file order.
    :param plan: the month-by-month plan, pro rata with interest frozen.
    :param borrower_name: the borrower's name, for the letters.
    """

    on: dt.date
    statement: BudgetStatement
    payment: Money
    shares: tuple[DmpShare, ...]
    plan: PayoffResult
    borrower_name: str

    @property
    def months(self) -> int | None:
        """The plan's term in months; ``None`` when the payment never repays the debts."""
        return self.plan.months_to_repay

    @property
    def total_owed(self) -> Money:
        """Everything owed to the plan's creditors at the start."""
        amounts = [s.owed for s in self.shares]
        return sum(amounts[1:], amounts[0])

    def share(self, creditor: str) -> DmpShare:
        """The share of the creditor named *creditor* (case-insensitive)."""
        for item in self.shares:
            if item.creditor.casefold() == creditor.casefold():
                return item
        names = ", ".join(repr(s.creditor) for s in self.shares)
        raise ValidationError("creditor", f"one of the plan's creditors: {names}", creditor)


def propose_dmp(portfolio: Portfolio, statement: BudgetStatement) -> DmpProposal:
    """The debt management plan for *portfolio*'s non-priority debts, paid from its budget.

    The monthly payment is :attr:`Portfolio.payoff_budget
    <debtnegotiation.portfolio.Portfolio.payoff_budget>` (the sustainable payment less
    what priority debts in the case take); the shares are pro rata to what each creditor
    is owed, exact to the minor unit; the term assumes the interest freeze is granted.

    :raises ~debtnegotiation.errors.ValidationError: when there is no non-priority debt.
    """
    claims = [c for c in portfolio.claims if not c.priority]
    if not claims:
        raise ValidationError("claims", "at least one non-priority debt", "none")
    payment = portfolio.payoff_budget
    frozen = [
        PayoffDebt(name=c.debt.creditor.name, balance=c.debt.project(portfolio.on).total)
        for c in claims
    ]
    plan = plan_payoff(frozen, payment, method=PayoffMethod.PRO_RATA, on=portfolio.on)
    owed_total = sum((d.balance.amount for d in frozen), Decimal(0))
    first = (
        plan.months[0].payments
        if plan.months
        else tuple(Money.zero(payment.currency) for _ in frozen)
    )
    shares = tuple(
        DmpShare(
            creditor=d.name,
            account=mask_account(c.debt.account),
            owed=d.balance,
            share=first[i],
            proportion=(d.balance.amount / owed_total) if owed_total else Decimal(0),
            months=plan.paid_off[i],
        )
        for i, (d, c) in enumerate(zip(frozen, claims, strict=True))
    )
    return DmpProposal(
        on=portfolio.on,
        statement=statement,
        payment=payment,
        shares=shares,
        plan=plan,
        borrower_name=portfolio.borrower.name,
    )


def dmp_template_name(output: OutputFormat) -> str:
    """The template a proposal letter in *output* is rendered from."""
    if not isinstance(output, OutputFormat):
        raise ValidationError("output", "an OutputFormat", output)
    return f"{DMP_TEMPLATE}.{_EXTENSIONS[output]}.j2"


def render_dmp_letter(
    proposal: DmpProposal,
    creditor: str,
    *,
    locale: str,
    host: PluginHost,
    output: OutputFormat = OutputFormat.TEXT,
    catalogs: tuple[CatalogSource, ...] = (),
) -> str:
    """The proposal letter to *creditor*: the budget, its share, the term, the freeze.

    Template variables: ``proposal``, ``share`` (this creditor's :class:`DmpShare`),
    ``statement`` (the :class:`~debtnegotiation.budget.BudgetStatement`), ``others``
    (the other creditors' shares), ``today``, ``output``, ``locale`` and ``lang``, with
    the filters and globals of :func:`~debtnegotiation.documents.template_environment`.

    :raises ~debtnegotiation.i18n.CatalogNotFoundError: when no catalog serves *locale*.
    """
    share = proposal.share(creditor)
    env = template_environment(locale, host=host, catalogs=catalogs)
    canonical = str(parse_locale(locale))
    context: dict[str, Any] = {
        "proposal": proposal,
        "share": share,
        "statement": proposal.statement,
        "others": tuple(s for s in proposal.shares if s is not share),
        "today": proposal.on,
        "output": output.value,
        "macros": "html/" if output is OutputFormat.HTML else "",
        "locale": canonical,
        "lang": canonical.replace("_", "-"),
    }
    return env.get_template(dmp_template_name(output)).render(context)
