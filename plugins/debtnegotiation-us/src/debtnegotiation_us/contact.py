"""Regulation F contact limits, as data for the negotiation log's conduct checks.

CFPB Regulation F (12 CFR 1006) and the FDCPA (15 U.S.C. §1692c):

* contact **before 8 a.m. or after 9 p.m.** local time is presumed inconvenient
  (15 U.S.C. §1692c(a)(1));
* a collector is presumed to comply if it does not call a person about a particular
  debt **more than 7 times within 7 consecutive days**, nor **within 7 days after a
  telephone conversation** about that debt (the conversation day counts as day 1);
  calls with direct prior consent are excluded (12 CFR 1006.14(b)).

These rules bind **third-party** debt collectors; the FDCPA generally does not cover a
creditor collecting its own debt (the FDCPA's definition of a debt collector, 15 U.S.C.
§1692a(6)). Check a log with
:func:`debtnegotiation.negotiation_log.check_conduct`::

    from debtnegotiation.negotiation_log import check_conduct
    from debtnegotiation_us.contact import regulation_f_rules

    findings = check_conduct(log, regulation_f_rules("America/Chicago"))

Both frequency presumptions are checked: a call within :data:`DAYS_AFTER_CONVERSATION`
days after a call recorded as answered (``answered=True``, either direction) is a
``conduct.attempt_after_conversation`` finding. The log does not record consent to a
call, so findings say "unless you had consented".
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from debtnegotiation.plugin import Channel, ContactRules, Text

__all__ = [
    "DAYS_AFTER_CONVERSATION",
    "EARLIEST",
    "LATEST",
    "MAX_CALLS_IN_7_DAYS",
    "regulation_f_rules",
]

#: Contact before this local time is presumed inconvenient (15 U.S.C. §1692c(a)(1)).
EARLIEST: Final = dt.time(8, 0)
#: Contact after this local time is presumed inconvenient; 9 p.m. itself is not after.
LATEST: Final = dt.time(21, 0)
#: Calls about one debt within 7 consecutive days presumed to comply (12 CFR 1006.14(b)).
MAX_CALLS_IN_7_DAYS: Final = 7
#: Days after a telephone conversation during which no call is presumed to comply,
#: the conversation day counting as day 1 (12 CFR 1006.14(b)).
DAYS_AFTER_CONVERSATION: Final = 7


def regulation_f_rules(zone: str) -> ContactRules:
    """The Regulation F limits judged in the borrower's time zone *zone* (IANA name).

    >>> rules = regulation_f_rules("America/New_York")
    >>> rules.allows(dt.time(21, 0)), rules.allows(dt.time(21, 1)), rules.max_per_7_days
    (True, False, 7)
    >>> rules.quiet_days_after_conversation
    7
    """
    return ContactRules(
        name=Text("rule", "Regulation F (12 CFR 1006) and FDCPA 15 U.S.C. §1692c"),
        zone=zone,
        earliest=EARLIEST,
        latest=LATEST,
        latest_inclusive=True,
        max_per_7_days=MAX_CALLS_IN_7_DAYS,
        quiet_days_after_conversation=DAYS_AFTER_CONVERSATION,
        attempt_channels=frozenset({Channel.PHONE}),
        source=Text("rule", "CFPB Regulation F, 12 CFR 1006.14(b); FDCPA, 15 U.S.C. §1692c(a)(1)"),
    )
