"""Due dates: monthly with month-end clamping, and weekly, fortnightly, semimonthly.

Monthly dates are computed from the anchor day each time, never from the previous due
date, so a schedule anchored on the 31st goes Jan 31 → Feb 28 (29 in a leap year) → Mar 31
instead of drifting to the 28th for good.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum

from debtnegotiation._validate import positive_int, to_date
from debtnegotiation.errors import ValidationError

__all__ = ["Frequency", "add_months", "check_frequency", "due_dates"]


class Frequency(enum.Enum):
    """How often installments fall due; the value is the number of periods in a year."""

    MONTHLY = "monthly"
    SEMIMONTHLY = "semimonthly"
    FORTNIGHTLY = "fortnightly"
    WEEKLY = "weekly"

    @property
    def periods_per_year(self) -> int:
        """Periods per year (12, 24, 26, 52), as Regulation Z Appendix J counts them."""
        return _PERIODS[self]


#: Days per month in a common year (index 1..12); February gets 29 in leap years.
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_PERIODS = {
    Frequency.MONTHLY: 12,
    Frequency.SEMIMONTHLY: 24,
    Frequency.FORTNIGHTLY: 26,
    Frequency.WEEKLY: 52,
}


def check_frequency(field: str, value: object) -> Frequency:
    """Return *value* if it is a :class:`Frequency`, else raise naming *field*."""
    if not isinstance(value, Frequency):
        raise ValidationError(field, "a Frequency such as Frequency.MONTHLY", value)
    return value


def add_months(start: dt.date, months: int, *, day: int | None = None) -> dt.date:
    """Return the date *months* after *start* on *day* (default: start's day), clamped.

    >>> add_months(dt.date(2024, 1, 31), 1), add_months(dt.date(2024, 1, 31), 2)
    (datetime.date(2024, 2, 29), datetime.date(2024, 3, 31))
    """
    anchor = start.day if day is None else day
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    month += 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValidationError(
            "months", f"a number of months that stays within the years 1 to {dt.MAXYEAR}", months
        )
    if anchor > 28:
        anchor = min(anchor, _last_day(year, month))
    return dt.date(year, month, anchor)


def _last_day(year: int, month: int) -> int:
    return 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month]


def _semimonthly(first: dt.date, count: int) -> list[dt.date]:
    """Two dates a month, 15 days apart in the anchor month: (d, d+15) or (d-15, d).

    An anchor on the last day of its month means "the 15th and the month end", so a plan
    from Jan 31 goes Feb 15, Feb 28/29, Mar 15, Mar 31 (clamping as for monthly dates).
    """
    if first.day == _last_day(first.year, first.month):
        days = (15, 31)
    else:
        low = first.day if first.day <= 15 else first.day - 15
        days = (low, low + 15)
    dates: list[dt.date] = []
    month = dt.date(first.year, first.month, 1)
    while len(dates) < count:
        for day in days:
            candidate = add_months(month, 0, day=day)
            if candidate >= first and len(dates) < count:
                dates.append(candidate)
        month = add_months(month, 1)
    return dates


def due_dates(first: dt.date | str, count: int, frequency: Frequency) -> tuple[dt.date, ...]:
    """Return *count* due dates starting with *first* at the given frequency.

    >>> [d.isoformat() for d in due_dates(dt.date(2023, 1, 31), 3, Frequency.MONTHLY)]
    ['2023-01-31', '2023-02-28', '2023-03-31']
    """
    start = to_date("first", first)
    positive_int("count", count)
    check_frequency("frequency", frequency)
    if frequency is Frequency.MONTHLY:
        return tuple(add_months(start, k) for k in range(count))
    if frequency is Frequency.SEMIMONTHLY:
        return tuple(_semimonthly(start, count))
    step = dt.timedelta(days=7 if frequency is Frequency.WEEKLY else 14)
    return tuple(start + k * step for k in range(count))
