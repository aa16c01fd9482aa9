"""Sharing one monthly budget among several creditors, as a debt-management plan does.

As debt counsellors do: priority debts (serious consequences: housing, tax, utilities,
secured loans) are paid first; what remains is shared among the other creditors *pro
rata* to their balances, the "total available for non-priority debts" of the UK Standard
Financial Statement and NFCC debt-management plans.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

import attrs

from debtnegotiation._context import in_library_context
from debtnegotiation.debt import Debt
from debtnegotiation.errors import ValidationError
from debtnegotiation.money import Money

__all__ = ["AllocationMethod", "Claim", "allocate_budget"]


class AllocationMethod(enum.Enum):
    """How the budget is shared."""

    PRIORITY_THEN_PRO_RATA = "priority-then-pro-rata"
    """Priority claims get their minimum first, the rest is shared by balance."""
    PRO_RATA = "pro-rata"
    """Everything shared by balance, priority ignored."""
    EQUAL = "equal"
    """Equal shares, whatever the balances (a token-payment style split)."""


@attrs.frozen(kw_only=True)
class Claim:
    """One creditor's claim on the budget.

    :param debt: the debt.
    :param priority: whether it is a priority debt (SFS sense).
    :param minimum: for a priority debt, the payment it needs each month.
    """

    debt: Debt
    priority: bool = False
    minimum: Money | None = None

    def __attrs_post_init__(self) -> None:
        """A minimum is in the debt's currency and only meaningful for priority debts."""
        if self.minimum is not None and self.minimum.currency != self.debt.currency:
            raise ValidationError(
                "Claim.minimum", f"an amount in {self.debt.currency}", self.minimum
            )


@in_library_context
def allocate_budget(
    budget: Money,
    claims: Sequence[Claim | Debt],
    *,
    method: AllocationMethod = AllocationMethod.PRIORITY_THEN_PRO_RATA,
) -> tuple[Money, ...]:
    """Split *budget* among *claims*; the shares sum exactly to the rounded budget.

    >>> from debtnegotiation.example import example_debts
    >>> [str(m) for m in allocate_budget(Money("1500", "CNY"), example_debts())]
    ['923.05 CNY', '576.95 CNY']
    """
    items = [c if isinstance(c, Claim) else Claim(debt=c) for c in claims]
    if not items:
        raise ValidationError("claims", "at least one debt", claims)
    for i, claim in enumerate(items):
        if claim.debt.currency != budget.currency:
            raise ValidationError(
                f"claims[{i}]", f"a debt in {budget.currency}", claim.debt.currency
            )
    if budget.amount < 0:
        raise ValidationError("budget", "an amount of zero or more", budget)
    total = budget.rounded()
    zero = Money.zero(budget.currency)
    if method is AllocationMethod.EQUAL:
        return total.allocate(len(items))
    shares = [zero] * len(items)
    remaining = total
    if method is AllocationMethod.PRIORITY_THEN_PRO_RATA:
        for i, claim in enumerate(items):
            if claim.priority:
                want = claim.minimum if claim.minimum is not None else claim.debt.total_owed
                take = min(want.rounded(), remaining, key=lambda m: m.amount)
                shares[i] = take
                remaining = remaining - take
        others = [i for i, c in enumerate(items) if not c.priority]
    else:
        others = list(range(len(items)))
    weights = [items[i].debt.total_owed.amount for i in others]
    if others and sum(weights) > 0:
        for i, part in zip(others, remaining.allocate(weights), strict=True):
            shares[i] = shares[i] + part
    elif remaining.amount > 0:
        # Only priority debts, all satisfied: the rest goes to them by balance.
        extra = remaining.allocate([c.debt.total_owed.amount or 1 for c in items])
        shares = [s + e for s, e in zip(shares, extra, strict=True)]
    return tuple(shares)
