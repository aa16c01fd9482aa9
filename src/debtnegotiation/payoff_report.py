"""The JSON shape of budgets, payoff plans and debt management plans.

Plain data (dicts, lists, text, numbers) with :class:`~debtnegotiation.money.Money` left
in place, so :func:`debtnegotiation.serialize.to_json` writes the amounts the way it
writes every other amount (``{"amount": "12.34", "currency": "CNY"}``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

from debtnegotiation.budget import BudgetStatement
from debtnegotiation.dmp import DmpProposal
from debtnegotiation.payoff import PayoffComparison, PayoffResult
from debtnegotiation.portfolio import OptionImpact

__all__ = ["budget_data", "comparison_data", "dmp_data", "impacts_data", "payoff_data"]

_PLACES: Final = Decimal("0.0001")


def budget_data(statement: BudgetStatement) -> dict[str, Any]:
    """A budget statement: every line, the totals, the surplus and the guideline flags."""
    budget = statement.budget
    return {
        "method": statement.method,
        "household_size": budget.household_size,
        "region": budget.region,
        "income": [
            {"kind": x.kind.value, "label": x.label, "amount": x.amount} for x in budget.income
        ],
        "expenses": [{"category": x.category.value, "amount": x.amount} for x in budget.expenses],
        "priority": [
            {"kind": x.kind.value, "creditor": x.creditor, "payment": x.payment, "owed": x.owed}
            for x in budget.priority
        ],
        "total_income": statement.income,
        "total_spending": statement.spending,
        "total_priority": statement.priority,
        "savings": statement.savings,
        "surplus": statement.surplus,
        "available_for_non_priority_debts": statement.available,
        "headroom": str(statement.headroom),
        "payment_limit": statement.payment_limit,
        "flags": [
            {
                "category": f.category.value,
                "spent": f.spent,
                "guideline": f.guideline.amount,
                "source": f.guideline.source,
                "message": f.message,
            }
            for f in statement.flags
        ],
    }


def _summary(result: PayoffResult) -> dict[str, Any]:
    return {
        "method": result.method.value,
        "budget": result.budget,
        "start": result.on.isoformat(),
        "repaid": result.repaid,
        "months": result.months_to_repay,
        "debt_free": None if result.debt_free is None else result.debt_free.isoformat(),
        "total_paid": result.total_paid,
        "total_interest": result.total_interest,
        "total_fees": result.total_fees,
        "total_shortfall": result.total_shortfall,
        "growing": list(result.growing),
    }


def payoff_data(result: PayoffResult, *, schedule: bool = True) -> dict[str, Any]:
    """A payoff plan: the summary, each debt, and (with *schedule*) every month."""
    data = _summary(result)
    data["debts"] = [
        {
            "name": d.name,
            "terms": d.label,
            "balance": d.balance,
            "monthly_rate": str(d.monthly_rate),
            "minimum": d.minimum,
            "negotiated": d.negotiated,
            "paid_off_month": result.paid_off[i],
            "final_balance": result.final_balances[i],
        }
        for i, d in enumerate(result.debts)
    ]
    if schedule:
        data["schedule"] = [
            {
                "month": m.month,
                "due": m.due.isoformat(),
                "payments": list(m.payments),
                "interest": list(m.interest),
                "fees": list(m.fees),
                "balances": list(m.balances),
                "shortfall": m.shortfall,
                "unspent": m.unspent,
            }
            for m in result.months
        ]
    return data


def comparison_data(comparison: PayoffComparison) -> dict[str, Any]:
    """The methods side by side (summaries only)."""
    return {"methods": [_summary(r) for r in comparison.results]}


def impacts_data(impacts: Sequence[OptionImpact]) -> dict[str, Any]:
    """What each negotiated option of one debt does to the whole plan."""
    return {
        "creditor": impacts[0].creditor if impacts else None,
        "options": [
            {
                "option": None if i.option is None else i.option.proposal.label,
                "strategy": None if i.option is None else i.option.proposal.strategy,
                "rank": None if i.option is None else i.option.rank,
                **_summary(i.payoff),
                "total_cost": i.payoff.total_cost,
            }
            for i in impacts
        ],
    }


def dmp_data(proposal: DmpProposal) -> dict[str, Any]:
    """A debt management plan: the budget, the payment, each share and the term."""
    return {
        "on": proposal.on.isoformat(),
        "payment": proposal.payment,
        "months": proposal.months,
        "interest_freeze_requested": True,
        "total_owed": proposal.total_owed,
        "budget": budget_data(proposal.statement),
        "shares": [
            {
                "creditor": s.creditor,
                "account": s.account,
                "owed": s.owed,
                "share": s.share,
                "proportion": str(s.proportion.quantize(_PLACES)),
                "months": s.months,
            }
            for s in proposal.shares
        ],
    }
