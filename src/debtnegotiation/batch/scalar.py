"""The scalar path: each account through the engine (:mod:`debtnegotiation.negotiation`).

It is the reference the vectorised kernels are tested against, and the fallback for every
account they do not cover: a strategy plugin without a batch implementation, a review
plugin, amounts beyond the int64 guard. Every plugin therefore works in batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from debtnegotiation.batch.accounts import case_for
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Negotiation, Options
from debtnegotiation.plugins import PluginHost
from debtnegotiation.policy import LenderPolicy

__all__ = ["Record", "option_records", "scalar_records"]

#: One row of the options table (see :data:`~debtnegotiation.batch.columns.OPTION_COLUMNS`).
Record = dict[str, Any]


def _units(money: Money) -> int:
    return int(money.amount.scaleb(money.minor_units))


def option_records(account: str, options: Options) -> list[Record]:
    """The options-table rows of one negotiation's ranked options, best first."""
    records = []
    for option in options.ranked:
        plan = option.plan
        rate = option.annual_rate
        records.append(
            {
                "account": account,
                "rank": option.rank,
                "strategy": option.proposal.strategy,
                "title": option.proposal.title,
                "eligibility": option.proposal.eligibility.value,
                "currency": plan.currency,
                "minor_units": plan.principal.minor_units,
                "installments": len(plan.installments),
                "months": plan.months,
                "total_paid": _units(plan.total_paid),
                "largest_payment": _units(option.largest_payment),
                "cost_above_principal": _units(option.cost_above_principal),
                "total_waived": _units(plan.total_waived),
                "annual_rate": "" if rate is None else str(rate.rounded_percent(2)),
                "affordable": option.affordable,
                "headroom": option.headroom,
                "findings": ";".join(sorted({f.code for f in option.findings})),
                "path": "scalar",
            }
        )
    return records


def scalar_records(
    row: Mapping[str, object], *, policies: Mapping[str, LenderPolicy], host: PluginHost
) -> list[Record]:
    """Negotiate one accounts-table row with the engine and return its option rows."""
    case, regime = case_for(row, policies)
    options = Negotiation(case, regime=regime, host=host).options()
    return option_records(str(row["account"]), options)
