"""A borrower with debts at several lenders: one budget, shared, and a negotiation each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from debtnegotiation._context import in_library_context
from debtnegotiation.allocation import AllocationMethod, Claim, allocate_budget
from debtnegotiation.apr import Regime
from debtnegotiation.borrower import Borrower
from debtnegotiation.case import Case, Goals
from debtnegotiation.debt import Debt
from debtnegotiation.errors import ValidationError
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Ladder, Negotiation, Options
from debtnegotiation.payoff import (
    DEFAULT_MAX_MONTHS,
    PayoffDebt,
    PayoffMethod,
    PayoffResult,
    plan_payoff,
)
from debtnegotiation.plugins import PluginHost
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.ranking import RankedOption

__all__ = ["CreditorResult", "OptionImpact", "Portfolio", "PortfolioResult"]


@attrs.frozen(kw_only=True)
class CreditorResult:
    """One creditor's share of the budget, its ranked options and its ladder."""

    claim: Claim
    budget: Money
    options: Options
    ladder: Ladder


@attrs.frozen(kw_only=True)
class PortfolioResult:
    """A portfolio's outcome: the borrower, the case date and regime, each creditor's result.

    :param borrower: the borrower whose budget was shared.
    :param on: the date plans start.
    :param regime: the annual-rate convention the rates are reported under.
    :param creditors: the results, in the order asked for.
    """

    borrower: Borrower
    on: dt.date
    regime: Regime
    creditors: tuple[CreditorResult, ...]


@attrs.frozen(kw_only=True)
class OptionImpact:
    """What agreeing one negotiated option does to the plan across every debt.

    :param creditor: the debt the option is for.
    :param option: the ranked option; ``None`` for the contract terms (nothing agreed).
    :param payoff: the whole plan with that option agreed and the other debts on their
        contract terms.
    """

    creditor: str
    option: RankedOption | None
    payoff: PayoffResult


class Portfolio:
    """Negotiate with several creditors within one sustainable budget.

    The borrower's sustainable payment is allocated across the debts
    (:func:`~debtnegotiation.allocation.allocate_budget`: priority debts first, then pro
    rata by balance, unless another method is chosen), and each creditor gets its own
    :class:`~debtnegotiation.negotiation.Negotiation` within its share.

    :param borrower: the borrower.
    :param claims: the debts (or :class:`~debtnegotiation.allocation.Claim` objects to mark
        priority debts).
    :param on: the date plans start.
    :param regime: the annual-rate convention to report.
    :param goals: goals per creditor name; creditors not named get no goals.
    :param policies: lender policies per creditor name; others are looked up in plugins.
    :param method: how the budget is shared.
    :param host: the plugin host, shared by every negotiation (required).
    """

    def __init__(
        self,
        borrower: Borrower,
        claims: Sequence[Claim | Debt],
        *,
        on: dt.date,
        regime: Regime,
        goals: Mapping[str, Goals] | None = None,
        policies: Mapping[str, LenderPolicy] | None = None,
        method: AllocationMethod = AllocationMethod.PRIORITY_THEN_PRO_RATA,
        host: PluginHost,
    ) -> None:
        """Allocate the budget; negotiations run lazily in :meth:`results`."""
        self.claims = tuple(c if isinstance(c, Claim) else Claim(debt=c) for c in claims)
        if not self.claims:
            raise ValidationError("claims", "at least one debt", claims)
        self.borrower = borrower
        self.on = on
        self.regime = regime
        self.goals = dict(goals or {})
        self.policies = dict(policies or {})
        self.method = method
        if not isinstance(host, PluginHost):
            raise ValidationError("host", "a debtnegotiation.plugins.PluginHost", host)
        self.host = host
        budget = borrower.affordability().sustainable_payment
        self.shares: tuple[Money, ...] = allocate_budget(budget, self.claims, method=method)

    @in_library_context
    def negotiation(self, index: int) -> Negotiation:
        """The negotiation for the claim at *index*, within its budget share."""
        claim = self.claims[index]
        name = claim.debt.creditor.name
        case = Case(
            debt=claim.debt,
            borrower=self.borrower,
            goals=self.goals.get(name, Goals()),
            policy=self.policies.get(name),
            on=self.on,
            budget=self.shares[index],
        )
        return Negotiation(case, regime=self.regime, host=self.host)

    @in_library_context
    def results(self) -> tuple[CreditorResult, ...]:
        """Options and ladder for every creditor, in the order the claims were given."""
        return self.run().creditors

    @in_library_context
    def run(self, indexes: Iterable[int] | None = None) -> PortfolioResult:
        """Negotiate with every creditor, or with those at *indexes* (in that order).

        Each creditor still gets only its share of the budget, which depends on all the
        claims, so choosing some creditors changes nothing about their results.
        """
        chosen = range(len(self.claims)) if indexes is None else indexes
        results = []
        for index in chosen:
            negotiation = self.negotiation(index)
            results.append(
                CreditorResult(
                    claim=self.claims[index],
                    budget=self.shares[index],
                    options=negotiation.options(),
                    ladder=negotiation.ladder(),
                )
            )
        return PortfolioResult(
            borrower=self.borrower, on=self.on, regime=self.regime, creditors=tuple(results)
        )

    # --- the plan across every debt -----------------------------------------------------

    @property
    def payoff_budget(self) -> Money:
        """The monthly amount for the non-priority debts, the budget less the priority shares.

        Priority claims take their minimum first
        (:attr:`~debtnegotiation.allocation.AllocationMethod.PRIORITY_THEN_PRO_RATA`),
        whatever the allocation method, because a payoff plan pays them outside the plan.
        """
        budget = self.borrower.affordability().sustainable_payment
        if not any(c.priority for c in self.claims):
            return budget
        priority_first = AllocationMethod.PRIORITY_THEN_PRO_RATA
        shares = allocate_budget(budget, self.claims, method=priority_first)
        kept = [s for s, c in zip(shares, self.claims, strict=True) if not c.priority]
        return sum(kept[1:], kept[0]) if kept else Money.zero(budget.currency)

    def payoff_debts(
        self,
        *,
        minimums: Mapping[str, Money] | None = None,
        monthly_fees: Mapping[str, Money] | None = None,
    ) -> tuple[PayoffDebt, ...]:
        """The non-priority debts on their contract terms, from the portfolio's date.

        :param minimums: each debt's contract minimum payment, by creditor name.
        :param monthly_fees: each debt's monthly account fee, by creditor name.
        """
        mins = {k.casefold(): v for k, v in (minimums or {}).items()}
        fees = {k.casefold(): v for k, v in (monthly_fees or {}).items()}
        return tuple(
            PayoffDebt.from_debt(
                c.debt,
                on=self.on,
                minimum=mins.get(c.debt.creditor.name.casefold()),
                monthly_fee=fees.get(c.debt.creditor.name.casefold()),
            )
            for c in self.claims
            if not c.priority
        )

    @in_library_context
    def option_impacts(
        self,
        index: int,
        *,
        minimums: Mapping[str, Money] | None = None,
        monthly_fees: Mapping[str, Money] | None = None,
        max_months: int = DEFAULT_MAX_MONTHS,
    ) -> tuple[OptionImpact, ...]:
        """For every ranked option of the debt at *index*, the whole plan if it is agreed.

        The first impact is the contract terms (nothing agreed, avalanche); then one per
        ranked option with a plan, in rank order, that debt on the option's fixed
        payments and the others by avalanche ("negotiated first"), each with its
        debt-free date and total cost.
        """
        claim = self.claims[index]
        if claim.priority:
            raise ValidationError("index", "a non-priority debt", claim.debt.creditor.name)
        name = claim.debt.creditor.name
        debts = self.payoff_debts(minimums=minimums, monthly_fees=monthly_fees)
        budget = self.payoff_budget
        impacts = [
            OptionImpact(
                creditor=name,
                option=None,
                payoff=plan_payoff(
                    debts,
                    budget,
                    method=PayoffMethod.AVALANCHE,
                    on=self.on,
                    max_months=max_months,
                ),
            )
        ]
        for option in self.negotiation(index).options().ranked:
            agreed = PayoffDebt.from_plan(
                claim.debt, option.plan, label=option.proposal.label or option.proposal.strategy
            )
            these = [agreed if d.name == name else d for d in debts]
            impacts.append(
                OptionImpact(
                    creditor=name,
                    option=option,
                    payoff=plan_payoff(
                        these,
                        budget,
                        method=PayoffMethod.NEGOTIATED,
                        on=self.on,
                        max_months=max_months,
                    ),
                )
            )
        return tuple(impacts)
