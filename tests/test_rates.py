"""Rate quotes and conversions: daily x360/x365/compound, monthly, effective and nominal."""

from __future__ import annotations

import json
from decimal import Context, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.rates import DayCount, FlatMonthlyFee, InterestRate, RateUnit

VECTORS = Path(__file__).parent / "vectors" / "apr-public.json"


def _vector(vector_id: str) -> dict:
    data = json.loads(VECTORS.read_text(encoding="utf-8"), parse_float=Decimal)
    vectors = data if isinstance(data, list) else data["vectors"]
    return next(v for v in vectors if v["id"] == vector_id)


def _daily_cases() -> list[tuple[Decimal, dict]]:
    vector = _vector("CN-DERIVED-DAILY-RATE")
    rates = vector["inputs"]["daily_rates"]
    expected = list(vector["expected"]["value"].values())
    assert len(rates) == len(expected) == 3
    return list(zip(rates, expected, strict=True))


@pytest.mark.parametrize(("daily", "expected"), _daily_cases())
def test_daily_rate_vector_cn_derived_daily_rate(daily, expected):
    """Vector CN-DERIVED-DAILY-RATE: x365, x360 exactly; compounded over 365 days to 4 dp."""
    x365 = InterestRate.daily(str(daily), DayCount.X365)
    x360 = InterestRate.daily(str(daily), DayCount.X360)
    assert x365.annual_nominal() * 100 == expected["x365"]
    assert x360.annual_nominal() * 100 == expected["x360"]
    compound = (x365.annual_effective() * 100).quantize(Decimal("0.0001"))
    assert compound == expected["compound365"]


def test_the_daily_vector_is_the_one_documented():
    # 万五 (0.05 % a day) is 18.25 % x365, 18.00 % x360 and about 20.0159 % compounded.
    assert [str(d) for d, _ in _daily_cases()] == ["0.0002", "0.0003", "0.0005"]


def test_monthly_and_annual_nominal_convert_exactly():
    assert InterestRate.per_month("0.006").annual_nominal() == Decimal("0.072")
    assert InterestRate.annual("0.072").monthly() == Fraction(6, 1000)
    assert InterestRate.per_month("0.006").monthly() == Fraction(6, 1000)
    # 5.65 % a year is exactly 113/24000 a month: no rounded quotient.
    assert InterestRate.annual("0.0565").monthly() == Fraction(113, 24000)
    assert InterestRate.annual("0.0565").monthly() * 180000 == Fraction(8475, 10)


def test_monthly_rate_compounds_to_an_effective_rate():
    effective = InterestRate.per_month("0.01").annual_effective()
    assert effective.quantize(Decimal("1e-20")) == Decimal("0.12682503013196972066")


def test_periodic_rates_for_other_frequencies():
    annual = InterestRate.annual("0.26")
    assert annual.periodic(26) == Fraction(1, 100)
    assert annual.periodic(52) == Fraction(1, 200)
    # A daily rate over a week of a 52-week year: daily x365 / 52.
    daily = InterestRate.daily("0.0005", DayCount.X365)
    assert daily.periodic(52) == Fraction("0.1825") / 52


def test_effective_periodic_rate_compounds_back():
    rate = InterestRate.effective("0.1268250301319697206612")
    monthly = rate.monthly()
    assert abs(monthly - Fraction(1, 100)) < Fraction(1, 10**25)


annual_rates = st.integers(min_value=0, max_value=50_000).map(lambda bp: Decimal(bp).scaleb(-5))


@settings(max_examples=150, deadline=None)
@given(effective=annual_rates)
def test_effective_to_nominal_round_trip(effective):
    nominal = InterestRate.effective(effective).annual_nominal()
    back = InterestRate.annual(nominal).annual_effective()
    assert abs(back - effective) < Decimal("1e-24")
    assert nominal <= effective


@settings(max_examples=150, deadline=None)
@given(nominal=annual_rates)
def test_nominal_to_effective_round_trip(nominal):
    effective = InterestRate.annual(nominal).annual_effective()
    back = InterestRate.effective(effective).annual_nominal()
    assert abs(back - nominal) < Decimal("1e-24")


def test_a_daily_rate_without_a_day_count_is_refused():
    with pytest.raises(ValidationError) as info:
        InterestRate(value="0.0005", unit=RateUnit.DAILY)
    assert info.value.field == "InterestRate.day_count"
    assert "X360" in str(info.value)


def test_a_day_count_must_be_a_day_count():
    with pytest.raises(ValidationError) as info:
        InterestRate.daily("0.0005", 365)  # type: ignore[arg-type]
    assert info.value.field == "InterestRate.day_count"


def test_the_unit_must_be_a_rate_unit():
    with pytest.raises(ValidationError) as info:
        InterestRate(value="0.1", unit="annual")  # type: ignore[arg-type]
    assert info.value.field == "InterestRate.unit"


@pytest.mark.parametrize("value", ["-0.01", -1, Decimal("-0.0001")])
def test_a_negative_rate_is_refused(value):
    with pytest.raises(ValidationError) as info:
        InterestRate.annual(value)
    assert info.value.field == "InterestRate.value"


def test_a_float_rate_is_refused():
    with pytest.raises(FloatNotAllowedError) as info:
        InterestRate.annual(0.08)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert info.value.field == "InterestRate.value"
    assert "Decimal" in str(info.value)


@pytest.mark.parametrize("bad", [0, -12, True, "12"])
def test_periods_per_year_must_be_a_positive_whole_number(bad):
    with pytest.raises(ValidationError) as info:
        InterestRate.annual("0.1").periodic(bad)
    assert info.value.field == "periods_per_year"


def test_simple_interest_for_days():
    assert InterestRate.daily("0.0005", DayCount.X360).for_days(30) == Fraction("0.015")
    assert InterestRate.annual("0.0365").for_days(10) == Fraction("0.001")  # ACT/365
    assert InterestRate.zero().for_days(1000) == 0


def test_flat_monthly_fee_naive_annual_is_kept_only_to_show_the_gap():
    fee = FlatMonthlyFee("0.006")
    assert fee.naive_annual() == Decimal("0.072")
    with pytest.raises(ValidationError, match=r"FlatMonthlyFee\.rate"):
        FlatMonthlyFee("-0.006")
    with pytest.raises(FloatNotAllowedError, match=r"FlatMonthlyFee\.rate"):
        FlatMonthlyFee(0.006)  # type: ignore[arg-type]


def test_conversions_ignore_the_callers_decimal_context():
    with localcontext(Context(prec=4)):
        assert InterestRate.daily("0.0004833", DayCount.X365).annual_nominal() == Decimal(
            "0.1764045"
        )
        effective = InterestRate.daily("0.0005", DayCount.X365).annual_effective()
    assert effective.quantize(Decimal("0.000001")) == Decimal("0.200159")
