"""The built-in demonstration's case: the Xi'an example as one portfolio.

``debtneg demo`` (and ``python -m debtnegotiation demo``) renders it: the ranked options,
the call script and the letter for each debt (:mod:`debtnegotiation.cli`).
"""

from __future__ import annotations

from debtnegotiation.apr import Regime
from debtnegotiation.example import (
    EXAMPLE_DATE,
    example_borrower,
    example_debts,
    example_policies,
)
from debtnegotiation.plugins import PluginHost
from debtnegotiation.portfolio import Portfolio

__all__ = ["example_portfolio"]


def example_portfolio(*, host: PluginHost) -> Portfolio:
    """The example borrower's two debts, sharing one budget, rates under CN PBOC 2021 No. 3."""
    return Portfolio(
        example_borrower(),
        example_debts(),
        on=EXAMPLE_DATE,
        regime=Regime.CN_PBOC,
        policies=example_policies(),
        host=host,
    )
