"""The one-year Loan Prime Rate (LPR) as dated data, and the private-lending line 4 × LPR.

The LPR is published on the 20th of each month by the National Interbank Funding Center.
It changes, so it is kept here as dated observations with their sources, never as a
constant in code. Each :class:`LprFixing` records a rate and the span of dates over which
the sources *confirm* it was in force; :func:`lpr_on` answers only inside a confirmed span
or after the newest one (saying the answer is unconfirmed), never by guessing across a
gap.

To add a fixing, append an :class:`LprFixing` to :data:`ONE_YEAR_LPR` with its source,
or pass your own table to :func:`lpr_on`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

import attrs

from debtnegotiation.plugin import ValidationError

__all__ = [
    "ONE_YEAR_LPR",
    "PRIVATE_LENDING_LPR_MULTIPLE",
    "PRIVATE_LENDING_RULE_FROM",
    "LprFixing",
    "LprLookup",
    "lpr_on",
]

#: Courts protect private-lending interest up to 4 × the one-year LPR at the contract
#: date: the Supreme People's Court's private-lending provisions, as amended effective
#: 20 Aug 2020.
PRIVATE_LENDING_LPR_MULTIPLE: Final = Decimal(4)

#: The date the 4 × LPR rule replaced the 24 % / 36 % "two lines, three zones" rule for
#: private lending (the SPC amendment of 2020; the 2015 provisions' Art. 26 drew the lines).
PRIVATE_LENDING_RULE_FROM: Final = dt.date(2020, 8, 20)


@attrs.frozen(kw_only=True)
class LprFixing:
    """The one-year LPR, confirmed in force from *first_known* to *last_known*.

    :param rate: the rate as a fraction (``0.03`` for 3.0 %).
    :param first_known: the earliest date the sources confirm it.
    :param last_known: the latest date the sources confirm it.
    :param source: the citation.
    """

    rate: Decimal
    first_known: dt.date
    last_known: dt.date
    source: str

    def __attrs_post_init__(self) -> None:
        """A span runs forward."""
        if self.last_known < self.first_known:
            raise ValidationError(
                "LprFixing.last_known", f"a date on or after {self.first_known}", self.last_known
            )


#: The one-year LPR fixings the sources confirm, oldest first.
ONE_YEAR_LPR: Final = (
    LprFixing(
        rate=Decimal("0.0385"),
        first_known=dt.date(2020, 8, 20),
        last_known=dt.date(2020, 8, 20),
        source=(
            "one-year LPR of the National Interbank Funding Center, as reported by "
            "chinanews on 20 Aug 2020: 4 × 3.85 % = 15.4 % when the SPC private-lending "
            "amendment took effect"
        ),
    ),
    LprFixing(
        rate=Decimal("0.031"),
        first_known=dt.date(2025, 5, 19),
        last_known=dt.date(2025, 5, 19),
        source=(
            "one-year LPR of the National Interbank Funding Center, as reported by SMM on "
            "20 May 2025: cut from 3.1 % that day"
        ),
    ),
    LprFixing(
        rate=Decimal("0.030"),
        first_known=dt.date(2025, 5, 20),
        last_known=dt.date(2026, 1, 20),
        source=(
            "one-year LPR of the National Interbank Funding Center, as reported by SMM on "
            "20 May 2025 (3.0 % from that day) and by Xinhua on 22 Dec 2025 and "
            "20 Jan 2026 (unchanged)"
        ),
    ),
)


@attrs.frozen(kw_only=True)
class LprLookup:
    """The LPR found for a date.

    :param fixing: the fixing used.
    :param confirmed: ``False`` when the date is after the newest confirmed fixing, so
        the newest rate is assumed to still apply (check the current LPR).
    """

    fixing: LprFixing
    confirmed: bool

    @property
    def rate(self) -> Decimal:
        """The LPR as a fraction."""
        return self.fixing.rate


def lpr_on(day: dt.date, table: Sequence[LprFixing] = ONE_YEAR_LPR) -> LprLookup | None:
    """The one-year LPR in force on *day*, or ``None`` when the table cannot tell.

    Inside a confirmed span the answer is confirmed. After the newest span the newest
    rate is returned unconfirmed. Before the oldest span, or in a gap between spans, the
    rate is unknown and ``None`` is returned.

    >>> lpr_on(dt.date(2025, 10, 1)).rate
    Decimal('0.030')
    >>> lpr_on(dt.date(2026, 11, 2)).confirmed
    False
    >>> lpr_on(dt.date(2022, 3, 1)) is None
    True
    """
    fixings = sorted(table, key=lambda f: f.first_known)
    for fixing in fixings:
        if fixing.first_known <= day <= fixing.last_known:
            return LprLookup(fixing=fixing, confirmed=True)
    if fixings and day > fixings[-1].last_known:
        return LprLookup(fixing=fixings[-1], confirmed=False)
    return None
