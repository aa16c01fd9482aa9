"""Entry point ``us-collection-conduct``: US conduct rules for the negotiation log.

Answers :func:`~debtnegotiation.hookspecs.debtneg_contact_rules` with

* Regulation F limits for USD debts when the borrower's time zone is known (contact hours
  are judged in the borrower's local time, 15 U.S.C. §1692c(a)(1)). The limits bind
  third-party debt collectors, not a creditor collecting its own debt (15 U.S.C.
  §1692a(6)); the rule set's name says so, and every finding quotes it;
* the all-party recording-consent rule of the borrower's state (``borrower.region``), or
  of every such state for a USD debt when the region is not given
  (:mod:`debtnegotiation_us.recording`): a call recorded without announcing it is a
  finding, in ``debtneg log conduct`` and when the call is logged.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from debtnegotiation.plugin import Borrower, ContactRules, Debt, Text, hookimpl
from debtnegotiation_us.contact import regulation_f_rules
from debtnegotiation_us.recording import recording_consent_rules

__all__ = ["debtneg_contact_rules"]


@hookimpl
def debtneg_contact_rules(debt: Debt, borrower: Borrower | None) -> Sequence[ContactRules] | None:
    """Regulation F in the borrower's zone (USD debts); recording consent by state."""
    if borrower is None:
        return None
    found = []
    if debt.currency == "USD" and borrower.timezone is not None:
        rules = regulation_f_rules(borrower.timezone)
        found.append(
            attrs.evolve(
                rules,
                name=Text(
                    "rule", "{name}, if a third-party debt collector called", name=rules.name
                ),
            )
        )
    recording = recording_consent_rules(debt, borrower)
    if recording is not None:
        found.append(recording)
    return found or None
