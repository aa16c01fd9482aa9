"""debtnegotiation-us: the US pack, as data with citations.

Two review plugins, registered through entry points in the group ``debtnegotiation``:

* ``us-debt-relief-fees`` (:mod:`debtnegotiation_us.advance_fee`): the FTC
  Telemarketing Sales Rule's advance-fee ban for debt relief services (16 CFR
  310.4(a)(5));
* ``us-forgiven-debt-tax`` (:mod:`debtnegotiation_us.forgiven_debt`): debt a plan
  cancels — principal, interest and fees — is generally taxable income; Form 1099-C from
  600 USD (IRS Publication 4681; 26 CFR 1.6050P-1).

For the negotiation log's conduct checks, ``us-collection-conduct``
(:mod:`debtnegotiation_us.collection`) answers ``debtneg_contact_rules`` with
:func:`regulation_f_rules` (:mod:`debtnegotiation_us.contact`; CFPB Regulation F, 12 CFR
1006.14) for USD debts whose borrower's time zone is known, and with the all-party
recording-consent rule of the borrower's state (:mod:`debtnegotiation_us.recording`).
"""

from __future__ import annotations

from debtnegotiation_us.advance_fee import TSR_ADVANCE_FEE_BAN_FROM, advance_fees
from debtnegotiation_us.contact import (
    DAYS_AFTER_CONVERSATION,
    EARLIEST,
    LATEST,
    MAX_CALLS_IN_7_DAYS,
    regulation_f_rules,
)
from debtnegotiation_us.forgiven_debt import (
    FORM_1099C_THRESHOLD,
    Forgiven,
    debt_forgiven,
    principal_forgiven,
)
from debtnegotiation_us.recording import (
    ALL_PARTY_CONSENT_STATES,
    FEDERAL_ONE_PARTY,
    recording_consent_rules,
)

__all__ = [
    "ALL_PARTY_CONSENT_STATES",
    "DAYS_AFTER_CONVERSATION",
    "EARLIEST",
    "FEDERAL_ONE_PARTY",
    "FORM_1099C_THRESHOLD",
    "LATEST",
    "MAX_CALLS_IN_7_DAYS",
    "TSR_ADVANCE_FEE_BAN_FROM",
    "Forgiven",
    "advance_fees",
    "debt_forgiven",
    "principal_forgiven",
    "recording_consent_rules",
    "regulation_f_rules",
]
