"""Money: CLDR minor units, refusing floats, never mixing currencies, exact allocation."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debtnegotiation.errors import (
    CurrencyMismatchError,
    DebtNegotiationError,
    FloatNotAllowedError,
    ValidationError,
)
from debtnegotiation.money import Money, check_rounding, minor_units, total

PROPERTY = settings(max_examples=200, deadline=None)

#: Currencies with 0, 2 and 3 decimals (CLDR): the allocation must work for all of them.
CURRENCIES = ("JPY", "CNY", "USD", "EUR", "KWD", "BHD")


@pytest.mark.parametrize(
    ("code", "places"), [("CNY", 2), ("USD", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3)]
)
def test_minor_units_come_from_cldr(code, places):
    assert minor_units(code) == places
    assert Money("1", code).minor_units == places
    assert Money("1", code).quantum == Decimal(1).scaleb(-places)


def test_lower_case_codes_are_normalised():
    assert Money("1", "cny").currency == "CNY"


@pytest.mark.parametrize("code", ["XYZ", "RMB", "", "US", 840, None])
def test_unknown_currency_codes_are_refused_naming_the_field(code):
    with pytest.raises(ValidationError) as info:
        Money("1", code)
    assert info.value.field == "currency"
    assert "ISO 4217" in str(info.value)
    with pytest.raises(ValidationError):
        minor_units(code)


def test_a_float_amount_is_refused_with_a_type_error_saying_what_to_pass():
    with pytest.raises(FloatNotAllowedError) as info:
        Money(0.1, "CNY")
    error = info.value
    assert isinstance(error, TypeError)
    assert isinstance(error, DebtNegotiationError)
    assert error.field == "amount"
    message = str(error)
    assert "amount" in message
    assert "str" in message
    assert "Decimal" in message


@pytest.mark.parametrize("factor", [1.5, 0.0])
def test_multiplying_by_a_float_is_refused(factor):
    with pytest.raises(FloatNotAllowedError, match="factor"):
        Money("10", "CNY") * factor


@pytest.mark.parametrize("bad", ["abc", "1,000", "NaN", "Infinity", True, [1], None])
def test_junk_amounts_are_refused_naming_the_field(bad):
    with pytest.raises(ValidationError) as info:
        Money(bad, "CNY")
    assert info.value.field == "amount"


def test_amounts_accept_str_int_and_decimal_exactly():
    assert Money("0.10", "CNY").amount == Decimal("0.1")
    assert Money(5, "CNY").amount == Decimal(5)
    assert Money(Decimal("1e-3"), "KWD").amount == Decimal("0.001")
    assert Money(" 1_000.50 ", "CNY").amount == Decimal("1000.50")


def test_arithmetic_in_one_currency():
    a, b = Money("10.50", "CNY"), Money("0.25", "CNY")
    assert a + b == Money("10.75", "CNY")
    assert a - b == Money("10.25", "CNY")
    assert -a == Money("-10.50", "CNY")
    assert abs(Money("-3", "CNY")) == Money("3", "CNY")
    assert a * 2 == Money("21.00", "CNY")
    assert 2 * a == Money("21.00", "CNY")
    assert a / 3 == Money(Decimal("10.50") / 3, "CNY")
    assert sum([a, b]) == Money("10.75", "CNY")
    assert total([a, b, b], "CNY") == Money("11.00", "CNY")
    assert total([], "JPY") == Money("0", "JPY")
    assert not Money.zero("CNY")
    assert a > b
    assert b < a
    assert a >= Money("10.5", "CNY")
    assert b <= Money("0.25", "CNY")
    assert str(a) == "10.50 CNY"


def test_division_by_zero_is_a_validation_error():
    with pytest.raises(ValidationError, match="divisor"):
        Money("1", "CNY") / 0


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
        lambda a, b: total([a, b], "CNY"),
    ],
)
def test_different_currencies_never_mix(operation):
    with pytest.raises(CurrencyMismatchError) as info:
        operation(Money("1", "CNY"), Money("1", "USD"))
    assert "CNY" in str(info.value)
    assert "USD" in str(info.value)


def test_equal_amounts_in_different_currencies_are_not_equal():
    assert Money("1", "CNY") != Money("1", "USD")
    assert Money("1.0", "CNY") == Money("1.00", "CNY")
    assert hash(Money("1.0", "CNY")) == hash(Money("1.00", "CNY"))


def test_comparing_with_a_number_is_a_type_error():
    with pytest.raises(TypeError):
        _ = Money("1", "CNY") < 2


def test_rounding_is_half_up_by_default_and_configurable():
    assert Money("10.005", "CNY").rounded() == Money("10.01", "CNY")
    assert Money("10.005", "CNY").rounded(ROUND_HALF_EVEN) == Money("10.00", "CNY")
    assert Money("10.015", "CNY").rounded(ROUND_HALF_EVEN) == Money("10.02", "CNY")
    assert Money("-10.005", "CNY").rounded() == Money("-10.01", "CNY")
    assert Money("2.5", "JPY").rounded() == Money("3", "JPY")
    assert Money("2.5", "JPY").rounded(ROUND_HALF_EVEN) == Money("2", "JPY")
    assert Money("1.2345", "KWD").rounded() == Money("1.235", "KWD")
    assert Money("1.2345", "KWD").rounded().amount.as_tuple().exponent == -3


@pytest.mark.parametrize("mode", ["HALF_UP", "round_half_up", "", None, 1])
def test_an_invalid_rounding_mode_is_a_validation_error(mode):
    with pytest.raises(ValidationError) as info:
        Money("1.005", "CNY").rounded(mode)
    assert info.value.field == "rounding"
    with pytest.raises(ValidationError):
        check_rounding(mode)


def test_is_rounded():
    assert Money("1.50", "CNY").is_rounded()
    assert not Money("1.505", "CNY").is_rounded()
    assert Money("100", "JPY").is_rounded()
    assert not Money("100.5", "JPY").is_rounded()


def test_allocation_examples():
    assert Money("100", "CNY").allocate(3) == (
        Money("33.34", "CNY"),
        Money("33.33", "CNY"),
        Money("33.33", "CNY"),
    )
    assert Money("100", "JPY").allocate(3) == (Money(34, "JPY"), Money(33, "JPY"), Money(33, "JPY"))
    assert Money("-100", "CNY").allocate(3) == (
        Money("-33.34", "CNY"),
        Money("-33.33", "CNY"),
        Money("-33.33", "CNY"),
    )
    # By weights: 1:2:3 of 10.00, the unit left over goes to the largest remainder.
    assert [m.amount for m in Money("10", "CNY").allocate([1, 2, 3])] == [
        Decimal("1.67"),
        Decimal("3.33"),
        Decimal("5.00"),
    ]
    assert [m.amount for m in Money("1", "KWD").allocate(["0.5", "0", "0.5"])] == [
        Decimal("0.500"),
        Decimal("0"),
        Decimal("0.500"),
    ]


def test_allocation_of_a_huge_amount_stays_exact():
    # 31 digits: a Decimal quotient at 28 digits would round the shares and overshoot.
    amount = Money("1234567890123456789012345678.91", "CNY")
    shares = amount.allocate([1, 1, 1])
    assert total(shares, "CNY") == amount
    assert [s.amount for s in shares] == [
        Decimal("411522630041152263004115226.31"),
        Decimal("411522630041152263004115226.30"),
        Decimal("411522630041152263004115226.30"),
    ]


def test_money_arithmetic_ignores_a_low_precision_decimal_context():
    # A caller's getcontext().prec = 6 must not round money: 12,345.67 stays 12,345.67.
    with localcontext(Context(prec=6)):
        big = Money("12345.67", "CNY")
        assert (big + Money("1.00", "CNY")).amount == Decimal("12346.67")
        assert (big - Money("0.01", "CNY")).amount == Decimal("12345.66")
        assert (big * 3).amount == Decimal("37037.01")
        assert (-big).amount == Decimal("-12345.67")
        assert Money("12345.675", "CNY").rounded().amount == Decimal("12345.68")
        assert [s.amount for s in big.allocate(2)] == [Decimal("6172.84"), Decimal("6172.83")]


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        (0, "parts"),
        (-2, "parts"),
        ([], "weights"),
        ([0, 0], "weights"),
        ([1, -1], "weights"),
        ("3", "parts"),
        (True, "parts"),
    ],
)
def test_bad_allocations_are_validation_errors(parts, field):
    with pytest.raises(ValidationError) as info:
        Money("10", "CNY").allocate(parts)
    assert info.value.field == field


def test_a_float_weight_is_refused_naming_its_position():
    with pytest.raises(FloatNotAllowedError, match=r"weights\[1\]"):
        Money("10", "CNY").allocate([1, 0.5])


amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
)
currencies = st.sampled_from(CURRENCIES)
weights = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(any)


@PROPERTY
@given(amount=amounts, currency=currencies, parts=st.integers(min_value=1, max_value=50))
def test_equal_allocation_sums_back_exactly(amount, currency, parts):
    money = Money(amount, currency)
    shares = money.allocate(parts)
    assert len(shares) == parts
    assert sum(s.amount for s in shares) == money.rounded().amount
    assert all(s.is_rounded() and s.currency == money.currency for s in shares)
    units = [abs(s.amount) for s in shares]
    assert max(units) - min(units) <= money.quantum


@PROPERTY
@given(amount=amounts, currency=currencies, weights=weights)
def test_weighted_allocation_sums_back_exactly(amount, currency, weights):
    money = Money(amount, currency)
    shares = money.allocate(weights)
    assert len(shares) == len(weights)
    assert sum(s.amount for s in shares) == money.rounded().amount
    weight_sum = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        ideal = money.rounded().amount * weight / weight_sum
        # Each share is its exact proportion to within one minor unit.
        assert abs(share.amount - ideal) < money.quantum
        if weight == 0:
            assert share.amount == 0


@PROPERTY
@given(amount=amounts, currency=currencies, parts=st.integers(min_value=1, max_value=20))
def test_allocation_is_symmetric_in_sign(amount, currency, parts):
    money = Money(amount, currency)
    assert (-money).allocate(parts) == tuple(-s for s in money.allocate(parts))
