"""Calendar months and due dates: month arithmetic with month-end clamping, and schedules.

Every count of months in the library comes from here:

* :func:`add_months`: the date *n* months on, its day clamped to a short month's end;
* :func:`month_difference`: months between the two dates' months, days ignored;
* :func:`whole_months_between` and :func:`months_rounded_up`: whole months from one date
  to another, measured forward with :func:`add_months`, rounded down or up;
* :func:`is_whole_months_apart` and :func:`whole_months_back`: the count of Regulation Z
  Appendix J (b)(5)(ii), months measured back from the later date, where a due day moved
  only by a short month still counts as a whole month.

Monthly due dates are computed from the anchor day each time, never from the previous due
date, so a schedule anchored on the 31st goes Jan 31 → Feb 28 (29 in a leap year) → Mar 31
instead of drifting to the 28th for good.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum

from debtnegotiation._validate import positive_int, to_date
from debtnegotiation.errors import ValidationError

__all__ = [
    "Frequency",
    "add_months",
    "check_frequency",
    "due_dates",
    "is_whole_months_apart",
    "month_difference",
    "months_rounded_up",
    "whole_months_back",
    "whole_months_between",
]


class Frequency(enum.Enum):
    """How often installments fall due; the value is the number of periods in a year."""

    MONTHLY = "monthly"
    SEMIMONTHLY = "semimonthly"
    FORTNIGHTLY = "fortnightly"
    WEEKLY = "weekly"

    @property
    def periods_per_year(self) -> int:
        """Periods per year (12, 24, 26, 52), as Regulation Z Appendix J counts them."""
        return _PERIODS[self._value_]  # by the value: an enum member hashes in Python


#: Days per month in a common year (index 1..12); February gets 29 in leap years.
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_PERIODS = {
    Frequency.MONTHLY.value: 12,
    Frequency.SEMIMONTHLY.value: 24,
    Frequency.FORTNIGHTLY.value: 26,
    Frequency.WEEKLY.value: 52,
}


def check_frequency(field: str, value: object) -> Frequency:
    """Return *value* if it is a :class:`Frequency`, else raise naming *field*."""
    if not isinstance(value, Frequency):
        raise ValidationError(field, "a Frequency such as Frequency.MONTHLY", value)
    return value


def add_months(start: dt.date, months: int, *, day: int | None = None) -> dt.date:
    """Return the date *months* after *start* on *day* (default: start's day), clamped.

    *months* may be negative or zero. A day past the end of the target month becomes its
    last day, so the result is always *months* calendar months on:

    >>> add_months(dt.date(2024, 1, 31), 1), add_months(dt.date(2024, 1, 31), 2)
    (datetime.date(2024, 2, 29), datetime.date(2024, 3, 31))
    >>> add_months(dt.date(2024, 3, 31), -1), add_months(dt.date(2024, 1, 1), 0, day=31)
    (datetime.date(2024, 2, 29), datetime.date(2024, 1, 31))

    :raises ValidationError: (field ``months``) if the result falls outside the years 1
        to 9999 that :class:`datetime.date` can hold.
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


def month_difference(start: dt.date, end: dt.date) -> int:
    """Return how many months *end*'s month is after *start*'s; the days are ignored.

    >>> month_difference(dt.date(2023, 12, 31), dt.date(2024, 1, 1))
    1
    """
    return (end.year - start.year) * 12 + end.month - start.month


def whole_months_between(start: dt.date, end: dt.date) -> int:
    """Return the whole months from *start* to *end*, rounded down.

    That is the largest ``m`` with ``add_months(start, m) <= end`` (negative when *end*
    is before *start*). A date *m* months on counts as exactly *m* months whatever the
    lengths of the months between, month-end clamping included:

    >>> whole_months_between(dt.date(2026, 1, 15), dt.date(2026, 3, 15))
    2
    >>> whole_months_between(dt.date(2026, 1, 15), dt.date(2026, 3, 14))
    1
    >>> whole_months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 29))
    1
    """
    months = month_difference(start, end)
    # add_months(start, months) lies in end's month, on start's day clamped to that
    # month's end: it passes *end* only if start's day is later and *end* is no month end.
    if start.day > end.day and not _is_month_end(end):
        months -= 1
    return months


def months_rounded_up(start: dt.date, end: dt.date) -> int:
    """Return the whole months from *start* to *end*, a part month counting as one.

    That is the smallest ``m`` with ``add_months(start, m) >= end``: the months a plan
    runs from its start to its last due date.

    >>> months_rounded_up(dt.date(2026, 1, 15), dt.date(2026, 3, 15))
    2
    >>> months_rounded_up(dt.date(2026, 1, 15), dt.date(2026, 3, 16))
    3
    >>> months_rounded_up(dt.date(2024, 1, 31), dt.date(2024, 2, 29))
    1
    """
    # add_months(start, month_difference) is on start's day clamped to end's month: it
    # falls short of *end* exactly when end's day is later than start's.
    return month_difference(start, end) + (1 if end.day > start.day else 0)


def is_whole_months_apart(earlier: dt.date, later: dt.date, months: int) -> bool:
    """Say whether *later* is *months* calendar months after *earlier*.

    The days must match, unless one of them is a month end that a short month forced:
    Jan 31 → Feb 28, Feb 28 → Mar 31 and Jan 30 → Feb 28 → Mar 30 are each one month
    (Regulation Z Appendix J (b)(5)(ii)). Both directions of clamping count, so this is
    looser than ``add_months(earlier, months) == later``.

    >>> is_whole_months_apart(dt.date(2023, 2, 28), dt.date(2023, 3, 31), 1)
    True
    >>> is_whole_months_apart(dt.date(2023, 2, 27), dt.date(2023, 3, 31), 1)
    False
    """
    if month_difference(earlier, later) != months:
        return False
    return (
        later.day == earlier.day
        or (later.day < earlier.day and _is_month_end(later))
        or (earlier.day < later.day and _is_month_end(earlier))
    )


def whole_months_back(start: dt.date, end: dt.date) -> tuple[int, int]:
    """Return the whole months counted back from *end*, and the odd days left after *start*.

    Regulation Z Appendix J (b)(5)(ii): "the number of months measured back from the later
    date"; the odd days run from *start* to the first whole month. A date that lands on a
    clamped month end is a whole number of months (see :func:`is_whole_months_apart`).
    When *end* is less than a month after *start*, every day is odd.

    >>> whole_months_back(dt.date(1978, 1, 10), dt.date(1978, 3, 25))
    (2, 15)
    >>> whole_months_back(dt.date(2024, 1, 31), dt.date(2024, 2, 29))
    (1, 0)
    """
    months = month_difference(start, end)
    if end.day == start.day:
        return months, 0
    while months > 0:
        if is_whole_months_apart(start, end, months):
            return months, 0
        back = add_months(end, -months)
        if back >= start:
            return months, (back - start).days
        months -= 1
    return 0, (end - start).days


def _last_day(year: int, month: int) -> int:
    return 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month]


def _is_month_end(day: dt.date) -> bool:
    return day.day >= 28 and day.day == _last_day(day.year, day.month)


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


def _monthly(first: dt.date, count: int) -> tuple[dt.date, ...]:
    """*first* and the dates 1 to *count* - 1 months after it (see :func:`add_months`)."""
    return monthly_dates(first, 0, count)


def monthly_dates(anchor: dt.date, skip: int, count: int) -> tuple[dt.date, ...]:
    """The dates *skip* to *skip* + *count* - 1 months after *anchor*, on its day, clamped.

    The same dates as :func:`add_months` gives one by one, computed in one pass: schedules
    are built in a hot loop (``benchmarks/bench_issue11.py``). datetime refuses a year
    past 9999 itself (a ``ValueError``).
    """
    day = anchor.day
    first = anchor.year * 12 + anchor.month - 1 + skip
    months = range(first, first + count)
    date = dt.date
    if day <= 28:  # no month is shorter: no clamping
        return tuple([date(i // 12, i % 12 + 1, day) for i in months])
    dates = []
    for i in months:
        year, month = divmod(i, 12)
        dates.append(date(year, month + 1, min(day, _last_day(year, month + 1))))
    return tuple(dates)


def months_fit_the_calendar(anchor: dt.date, months: int) -> bool:
    """Say whether the date *months* after *anchor* is before the end of the year 9999."""
    return anchor.year * 12 + anchor.month - 1 + months < (dt.MAXYEAR + 1) * 12


def due_dates(first: dt.date | str, count: int, frequency: Frequency) -> tuple[dt.date, ...]:
    """Return *count* due dates starting with *first* at the given frequency.

    >>> [d.isoformat() for d in due_dates(dt.date(2023, 1, 31), 3, Frequency.MONTHLY)]
    ['2023-01-31', '2023-02-28', '2023-03-31']

    :raises ValidationError: (field ``count``) if the dates would run past the year 9999.
    """
    start = to_date("first", first)
    positive_int("count", count)
    check_frequency("frequency", frequency)
    try:
        if frequency is Frequency.MONTHLY:
            return _monthly(start, count)
        if frequency is Frequency.SEMIMONTHLY:
            return tuple(_semimonthly(start, count))
        step = dt.timedelta(days=7 if frequency is Frequency.WEEKLY else 14)
        return tuple(start + k * step for k in range(count))
    except (OverflowError, ValueError):
        # Past year 9999: datetime's own limit (add_months says so too), reached only by
        # absurd terms.
        raise ValidationError(
            "count", f"a term whose due dates end by the year {dt.MAXYEAR}", count
        ) from None
