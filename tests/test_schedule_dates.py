"""Due dates: month-end clamping with leap years, weekly, fortnightly, semimonthly."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debtnegotiation.errors import ValidationError
from debtnegotiation.schedule_dates import Frequency, add_months, due_dates


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
