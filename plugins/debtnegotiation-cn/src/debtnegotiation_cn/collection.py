"""Collection-conduct rules in China, as data for the negotiation log's conduct checks.

Entry point ``cn-collection-conduct``: answers ``debtneg_contact_rules`` with
:data:`COLLECTION_RULES` for every CNY debt, so
:func:`~debtnegotiation.negotiation_log.conduct_findings` checks a negotiation log
against them.

China Banking Association, 《金融机构个人消费类贷款催收工作指引（试行）》, issued
30 Jan 2026 (self-regulatory; covers credit cards), as reported by 21世纪经济报道 on
31 Jan 2026 and by chinanews:

* no phone, field or other collection contact from 22:00 to 08:00 without the debtor's
  consent;
* if calls go unanswered, no more than 6 attempts a day to the same contact, unless
  agreed otherwise.

Or check a log directly with :func:`debtnegotiation.negotiation_log.check_conduct`::

    from debtnegotiation.negotiation_log import check_conduct
    from debtnegotiation_cn.collection import COLLECTION_RULES

    findings = check_conduct(log, COLLECTION_RULES)

Not encoded (no timestamp or count to check): third-party contact, the two-collector
rule for field visits, and the guideline's eight kinds of prohibited conduct.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from debtnegotiation.plugin import Channel, ContactRules, Debt, Text, hookimpl

__all__ = ["COLLECTION_GUIDELINE_ISSUED", "COLLECTION_RULES", "debtneg_contact_rules"]

#: The date the CBA guideline was issued.
COLLECTION_GUIDELINE_ISSUED: Final = dt.date(2026, 1, 30)

#: Contact hours 08:00-22:00 China time, at most 6 unanswered attempts a day. The name and
#: source are :class:`~debtnegotiation.plugin.Text`: findings quote them in the reader's
#: language (the pack's catalog names the guideline by its Chinese title).
COLLECTION_RULES: Final = ContactRules(
    name=Text("rule", "CBA personal consumer-loan collection guideline (trial), 30 Jan 2026"),
    zone="Asia/Shanghai",
    earliest=dt.time(8, 0),
    latest=dt.time(22, 0),
    max_per_day=6,
    attempt_channels=frozenset({Channel.PHONE}),
    unanswered_only=True,
    source=Text(
        "rule", "China Banking Association, 金融机构个人消费类贷款催收工作指引（试行）, 30 Jan 2026"
    ),
)


@hookimpl
def debtneg_contact_rules(debt: Debt) -> Sequence[ContactRules] | None:
    """The CBA collection rules for a CNY debt; ``None`` for any other currency."""
    return (COLLECTION_RULES,) if debt.currency == "CNY" else None
