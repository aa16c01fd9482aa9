"""Month arithmetic and due dates: month-end clamping with leap years, counts of whole
months (forward, rounded down or up, and back from the later date), weekly, fortnightly
and semimonthly dates."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debtnegotiation.errors import ValidationError
from debtnegotiation.schedule_dates import (
    Frequency,
    add_months,
    due_dates,
    is_whole_months_apart,
    month_difference,
    months_rounded_up,
    whole_months_back,
    whole_months_between,
)

D = dt.date
#: Dates far enough from the calendar's ends that 600 months either way stay on it.
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
month_counts = st.integers(min_value=-600, max_value=600)


def iso(dates):
    return [d.isoformat() for d in dates]


@pytest.mark.parametrize(
    ("year", "february"), [(2023, "2023-02-28"), (2024, "2024-02-29"), (2100, "2100-02-28")]
)
def test_month_end_clamps_and_comes_back(year, february):
    dates = due_dates(dt.date(year, 1, 31), 4, Frequency.MONTHLY)
    assert iso(dates) == [f"{year}-01-31", february, f"{year}-03-31", f"{year}-04-30"]


def test_leap_day_anchor_goes_to_the_28th_in_common_years():
    dates = due_dates("2024-02-29", 13, Frequency.MONTHLY)
    assert dates[1] == dt.date(2024, 3, 29)
    assert dates[12] == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 48) == dt.date(2028, 2, 29)


def test_add_months_crosses_years_both_ways():
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 1, 15), -13) == dt.date(2022, 12, 15)
    assert add_months(dt.date(2024, 1, 1), 0, day=31) == dt.date(2024, 1, 31)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    months=st.integers(min_value=-600, max_value=600),
)
def test_add_months_keeps_the_anchor_day_or_the_month_end(start, months):
    result = add_months(start, months)
    index = start.year * 12 + start.month - 1 + months
    assert (result.year, result.month - 1) == divmod(index, 12)
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last)


def test_weekly_and_fortnightly():
    assert iso(due_dates("2024-02-22", 3, Frequency.WEEKLY)) == [
        "2024-02-22",
        "2024-02-29",
        "2024-03-07",
    ]
    assert iso(due_dates("2024-12-20", 3, Frequency.FORTNIGHTLY)) == [
        "2024-12-20",
        "2025-01-03",
        "2025-01-17",
    ]


def test_semimonthly_pairs_days_fifteen_apart_and_clamps():
    assert iso(due_dates("2024-01-15", 5, Frequency.SEMIMONTHLY)) == [
        "2024-01-15",
        "2024-01-30",
        "2024-02-15",
        "2024-02-29",
        "2024-03-15",
    ]
    # Anchored on a month end: the 15th and the month end, clamped like monthly dates.
    assert iso(due_dates("2023-01-31", 4, Frequency.SEMIMONTHLY)) == [
        "2023-01-31",
        "2023-02-15",
        "2023-02-28",
        "2023-03-15",
    ]
    assert iso(due_dates("2024-04-30", 3, Frequency.SEMIMONTHLY)) == [
        "2024-04-30",
        "2024-05-15",
        "2024-05-31",
    ]
    assert iso(due_dates("2024-01-20", 3, Frequency.SEMIMONTHLY)) == [
        "2024-01-20",
        "2024-02-05",
        "2024-02-20",
    ]
    assert iso(due_dates("2024-03-01", 3, Frequency.SEMIMONTHLY)) == [
        "2024-03-01",
        "2024-03-16",
        "2024-04-01",
    ]


@settings(max_examples=200, deadline=None)
@given(
    first=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
    count=st.integers(min_value=1, max_value=60),
    frequency=st.sampled_from(list(Frequency)),
)
def test_due_dates_are_increasing_and_as_many_as_asked(first, count, frequency):
    dates = due_dates(first, count, frequency)
    assert len(dates) == count
    assert dates[0] == first
    assert all(a < b for a, b in itertools.pairwise(dates))
    if count > 1:
        gaps = {(b - a).days for a, b in itertools.pairwise(dates)}
        expected = {
            Frequency.WEEKLY: {7},
            Frequency.FORTNIGHTLY: {14},
        }.get(frequency)
        if expected is not None:
            assert gaps == expected
        elif frequency is Frequency.SEMIMONTHLY:
            assert gaps <= set(range(13, 17))
        else:
            assert gaps <= {28, 29, 30, 31}


def test_periods_per_year_match_appendix_j():
    assert [f.periods_per_year for f in Frequency] == [12, 24, 26, 52]


@pytest.mark.parametrize(
    ("first", "count", "frequency", "field"),
    [
        ("2026-02-30", 3, Frequency.MONTHLY, "first"),
        ("31/01/2026", 3, Frequency.MONTHLY, "first"),
        (dt.datetime(2026, 1, 1, 12), 3, Frequency.MONTHLY, "first"),  # noqa: DTZ001
        ("2026-01-31", 0, Frequency.MONTHLY, "count"),
        ("2026-01-31", -1, Frequency.WEEKLY, "count"),
        ("2026-01-31", True, Frequency.WEEKLY, "count"),
        ("2026-01-31", 3, "monthly", "frequency"),
    ],
)
def test_bad_inputs_name_the_field(first, count, frequency, field):
    with pytest.raises(ValidationError) as info:
        due_dates(first, count, frequency)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("first", "count", "frequency"),
    [
        ("9999-11-01", 3, Frequency.MONTHLY),
        ("9999-11-30", 3, Frequency.MONTHLY),
        ("9999-12-01", 3, Frequency.SEMIMONTHLY),
        ("9999-12-20", 3, Frequency.WEEKLY),
    ],
)
def test_dates_past_the_calendar_name_the_count(first, count, frequency):
    with pytest.raises(ValidationError, match=r"^count: expected a term whose due dates end"):
        due_dates(first, count, frequency)


# --- counting months -------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(start=dates, months=month_counts)
def test_add_months_round_trips_through_every_count(start, months):
    end = add_months(start, months)
    assert whole_months_between(start, end) == months
    assert months_rounded_up(start, end) == months
    assert month_difference(start, end) == months
    assert is_whole_months_apart(start, end, months)
    if months >= 0:
        assert whole_months_back(start, end) == (months, 0)


@settings(max_examples=300, deadline=None)
@given(start=dates, end=dates)
def test_whole_months_between_rounds_down_and_months_rounded_up_rounds_up(start, end):
    down, up = whole_months_between(start, end), months_rounded_up(start, end)
    assert add_months(start, down) <= end < add_months(start, down + 1)
    assert add_months(start, up - 1) < end <= add_months(start, up)
    assert up - down == (0 if add_months(start, down) == end else 1)


@settings(max_examples=300, deadline=None)
@given(start=dates, end=dates)
def test_months_back_leave_fewer_odd_days_than_a_month(start, end):
    if end < start:
        start, end = end, start
    months, odd_days = whole_months_back(start, end)
    assert months >= 0
    assert odd_days >= 0
    if odd_days == 0:
        assert is_whole_months_apart(start, end, months)
    else:
        back = add_months(end, -months)
        assert back - dt.timedelta(days=odd_days) == start
        # One more month back would pass the start.
        assert add_months(end, -(months + 1)) < start


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2023, 1, 31), D(2023, 2, 28), (1, 0)),  # clamped month end is a whole month
        (D(2024, 1, 31), D(2024, 2, 29), (1, 0)),  # leap February
        (D(2024, 1, 31), D(2024, 3, 31), (2, 0)),
        (D(2023, 2, 28), D(2023, 3, 31), (1, 0)),  # month end to month end
        (D(2024, 1, 30), D(2024, 3, 30), (2, 0)),
        (D(2024, 1, 31), D(2024, 3, 30), (1, 29)),  # back to Feb 29, then Jan 31 -> Feb 29
        (D(2024, 1, 31), D(2024, 3, 1), (1, 1)),
        (D(1978, 1, 10), D(1978, 3, 25), (2, 15)),  # odd days at the start (App. J)
        (D(1978, 1, 25), D(1978, 3, 10), (1, 16)),  # Feb 10 back to Jan 25
        (D(1978, 2, 10), D(1978, 4, 1), (1, 19)),  # (c)(1)(ii): t = 1, f = 19/30
        (D(2024, 2, 29), D(2025, 2, 28), (12, 0)),
        (D(2024, 3, 5), D(2024, 3, 20), (0, 15)),
    ],
)
def test_months_counted_back(start, end, expected):
    assert whole_months_back(start, end) == expected


@pytest.mark.parametrize(
    ("start", "end", "down", "up"),
    [
        (D(2026, 1, 15), D(2026, 3, 15), 2, 2),  # 59 days, still exactly two months
        (D(2026, 1, 15), D(2026, 3, 14), 1, 2),
        (D(2026, 1, 15), D(2026, 3, 16), 2, 3),
        (D(2024, 1, 31), D(2024, 2, 29), 1, 1),  # clamped to a leap February's end
        (D(2023, 1, 31), D(2023, 2, 28), 1, 1),
        (D(2023, 1, 31), D(2023, 2, 27), 0, 1),
        (D(2023, 2, 28), D(2023, 3, 31), 1, 2),  # forward from the 28th lands on Mar 28
        (D(2024, 2, 29), D(2025, 2, 28), 12, 12),  # a leap day a year on is Feb 28
        (D(2024, 2, 29), D(2028, 2, 29), 48, 48),
        (D(2026, 3, 10), D(2026, 3, 10), 0, 0),
        (D(2026, 3, 10), D(2026, 1, 20), -2, -1),  # before the start: negative
    ],
)
def test_whole_months_forward(start, end, down, up):
    assert whole_months_between(start, end) == down
    assert months_rounded_up(start, end) == up


@pytest.mark.parametrize(
    ("earlier", "later", "months", "expected"),
    [
        (D(2023, 1, 31), D(2023, 2, 28), 1, True),
        (D(2023, 2, 28), D(2023, 3, 31), 1, True),  # a short month's end, both ways
        (D(2023, 2, 28), D(2023, 3, 28), 1, True),
        (D(2023, 2, 27), D(2023, 3, 31), 1, False),
        (D(2024, 2, 28), D(2024, 3, 31), 1, False),  # 28 Feb is no month end in 2024
        (D(2024, 1, 30), D(2024, 2, 29), 1, True),
        (D(2024, 1, 30), D(2024, 3, 30), 2, True),
        (D(2024, 1, 30), D(2024, 3, 30), 1, False),  # the months must match too
    ],
)
def test_whole_months_apart_allows_clamping_either_way(earlier, later, months, expected):
    assert is_whole_months_apart(earlier, later, months) is expected


@pytest.mark.parametrize(
    ("year", "leap"), [(1900, False), (2000, True), (2023, False), (2024, True), (2100, False)]
)
def test_a_leap_day_comes_back_only_in_leap_years(year, leap):
    february = add_months(D(1896, 2, 29), (year - 1896) * 12)
    assert february == D(year, 2, 29 if leap else 28)
    assert whole_months_between(D(1896, 2, 29), february) == (year - 1896) * 12
    assert add_months(D(year, 1, 31), 1) == D(year, 2, 29 if leap else 28)
