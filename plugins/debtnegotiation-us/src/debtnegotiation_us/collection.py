"""Entry point ``us-collection-conduct``: Regulation F limits for the negotiation log.

Answers :func:`~debtnegotiation.hookspecs.debtneg_contact_rules` for USD debts when the
borrower's time zone is known (contact hours are judged in the borrower's local time,
15 U.S.C. §1692c(a)(1)). The limits bind third-party debt collectors, not a creditor
collecting its own debt (15 U.S.C. §1692a(6)); the rule set's name says so,
and every finding quotes it.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from debtnegotiation.plugin import Borrower, ContactRules, Debt, hookimpl
from debtnegotiation_us.contact import regulation_f_rules

__all__ = ["debtneg_contact_rules"]


@hookimpl
def debtneg_contact_rules(debt: Debt, borrower: Borrower | None) -> Sequence[ContactRules] | None:
    """Regulation F hours and call frequency, in the borrower's zone, for USD debts."""
    if debt.currency != "USD" or borrower is None or borrower.timezone is None:
        return None
    rules = regulation_f_rules(borrower.timezone)
    return [attrs.evolve(rules, name=f"{rules.name}, if a third-party debt collector called")]
