"""Consent to record a call: the US states whose law needs every party's consent.

Federal law is one-party consent: a party to a call may record it (18 U.S.C.
§2511(2)(d)). Some states ask more — everyone on the call must consent, so recording a
call without announcing it is unlawful there (in California a crime and a ground for
damages, Cal. Penal Code §§632, 637.2). The pack lists the states whose statutes require
all-party consent to record a private telephone call, with the statute:

========================  ====================================================
State                     Statute
========================  ====================================================
California (US-CA)        Cal. Penal Code §632
Florida (US-FL)           Fla. Stat. §934.03
Illinois (US-IL)          720 ILCS 5/14-2
Maryland (US-MD)          Md. Code, Cts. & Jud. Proc. §10-402
Massachusetts (US-MA)     Mass. Gen. Laws ch. 272, §99
Montana (US-MT)           Mont. Code Ann. §45-8-213
New Hampshire (US-NH)     N.H. Rev. Stat. Ann. §570-A:2
Pennsylvania (US-PA)      18 Pa. Cons. Stat. §5703
Washington (US-WA)        Rev. Code Wash. §9.73.030
========================  ====================================================

A few other states have mixed rules (by medium, or as their courts read the statute —
Connecticut, Delaware, Michigan, Nevada, Oregon): they are not listed, and the pack says
nothing for them; check the state's law. The rule applies where the borrower is, which
the case file says in ``borrower.region`` (an ISO 3166-2 code); a time zone is not a
state, so none is guessed from it. Without a region, a USD debt gets the list of all
these states instead, with a prompt to set it.

Announcing the recording at the start of the call is the remedy everywhere (in
Washington an announcement that is itself recorded is consent, RCW 9.73.030(3)).
"""

from __future__ import annotations

from typing import Final

from debtnegotiation.plugin import Borrower, ContactRules, Debt, Items, Text

__all__ = ["ALL_PARTY_CONSENT_STATES", "FEDERAL_ONE_PARTY", "recording_consent_rules"]

#: Federal law: a party to a call may record it (one-party consent).
FEDERAL_ONE_PARTY: Final = "18 U.S.C. §2511(2)(d)"

#: ISO 3166-2 code → (state, statute requiring every party's consent to record a call).
ALL_PARTY_CONSENT_STATES: Final = {
    "US-CA": ("California", "Cal. Penal Code §632"),
    "US-FL": ("Florida", "Fla. Stat. §934.03"),
    "US-IL": ("Illinois", "720 ILCS 5/14-2"),
    "US-MD": ("Maryland", "Md. Code, Cts. & Jud. Proc. §10-402"),
    "US-MA": ("Massachusetts", "Mass. Gen. Laws ch. 272, §99"),
    "US-MT": ("Montana", "Mont. Code Ann. §45-8-213"),
    "US-NH": ("New Hampshire", "N.H. Rev. Stat. Ann. §570-A:2"),
    "US-PA": ("Pennsylvania", "18 Pa. Cons. Stat. §5703"),
    "US-WA": ("Washington", "Rev. Code Wash. §9.73.030"),
}

# The zone only dates a recording finding; without the borrower's, UTC says so plainly.
_NO_ZONE: Final = "UTC"


def recording_consent_rules(debt: Debt, borrower: Borrower) -> ContactRules | None:
    """The all-party recording-consent rule for where *borrower* lives, or ``None``.

    A borrower in a listed state gets that state's rule and statute; a borrower whose
    region is not given, with a USD debt, gets the rule citing every listed state (it may
    apply); anyone else — a one-party-consent state, outside the US — nothing.

    >>> import datetime as dt
    >>> from debtnegotiation.plugin import (
    ...     Borrower, Creditor, CreditorKind, Debt, InterestRate, Money)
    >>> debt = Debt(creditor=Creditor(name="Bank", kind=CreditorKind.CREDIT_CARD),
    ...             currency="USD", principal=Money("1000.00", "USD"),
    ...             contract_rate=InterestRate.annual("0.24"), as_of=dt.date(2026, 11, 2))
    >>> borrower = Borrower(currency="USD", monthly_income=Money("3000.00", "USD"),
    ...                     region="US-CA")
    >>> rules = recording_consent_rules(debt, borrower)
    >>> rules.name, rules.all_party_recording_consent
    ('California: every party must consent to the recording of a call', True)
    >>> rules.source
    'Cal. Penal Code §632 (federal law alone is one-party consent, 18 U.S.C. §2511(2)(d))'
    >>> import attrs
    >>> recording_consent_rules(debt, attrs.evolve(borrower, region="US-TX")) is None
    True
    """
    zone = borrower.timezone or _NO_ZONE
    federal = Text("rule", "federal law alone is one-party consent, {law}", law=FEDERAL_ONE_PARTY)
    if borrower.region is not None:
        found = ALL_PARTY_CONSENT_STATES.get(borrower.region)
        if found is None:
            return None
        state, statute = found
        return ContactRules(
            name=Text(
                "rule", "{state}: every party must consent to the recording of a call", state=state
            ),
            zone=zone,
            all_party_recording_consent=True,
            source=Text("rule", "{statute} ({federal})", statute=statute, federal=federal),
        )
    if debt.currency != "USD":
        return None
    # State names and statutes are proper names: data, shown as they are.
    states = Items(state for state, _ in ALL_PARTY_CONSENT_STATES.values())
    statutes = "; ".join(statute for _, statute in ALL_PARTY_CONSENT_STATES.values())
    return ContactRules(
        name=Text(
            "rule",
            "the all-party recording-consent laws of {states}, if you live in one "
            "(set borrower.region in the case file to check your state only)",
            states=states,
        ),
        zone=zone,
        all_party_recording_consent=True,
        source=Text("rule", "{statute} ({federal})", statute=statutes, federal=federal),
    )
