"""BabelFormatter pins CLDR output, including no-break spaces and Indian grouping."""

from __future__ import annotations

import copy
import datetime as dt
import decimal
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.localedata import locale_identifiers
from babel.numbers import format_currency, list_currencies
from hypothesis import given, settings
from hypothesis import strategies as st

from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.formatting import (
    _FORMAT_CONTEXT,
    BabelFormatter,
    LocaleFormatter,
    parse_locale,
)
from debtnegotiation.money import Money

NBSP = "\xa0"
NNBSP = "\u202f"  # narrow no-break space: French grouping, English time before AM/PM


@pytest.mark.parametrize(
    ("locale", "amount", "currency", "expected"),
    [
        ("en", "1234.5", "CNY", "CN¥1,234.50"),
        ("zh_Hans_CN", "1234.5", "CNY", "¥1,234.50"),
        ("zh_Hans_CN", "1234.5", "USD", "US$1,234.50"),
        ("de_DE", "1234.5", "EUR", f"1.234,50{NBSP}€"),
        ("fr_FR", "1234.5", "EUR", f"1{NNBSP}234,50{NBSP}€"),
        ("en_IN", "1234567", "INR", "₹12,34,567.00"),
        ("en_US", "-1234.5", "USD", "-$1,234.50"),
        ("de_CH", "1234.5", "CHF", f"CHF{NBSP}1'234.50"),
        # Minor units follow the currency, not the locale: JPY 0, KWD 3 (CLDR).
        ("ja_JP", "1234.5", "JPY", "￥1,235"),
        ("en", "1234.5", "JPY", "¥1,235"),
        ("en", "1234.5675", "KWD", "KWD1,234.568"),
    ],
)
def test_money_pins_cldr_output(locale, amount, currency, expected):
    assert BabelFormatter(locale).money(Money(amount, currency)) == expected


def test_money_rounds_half_up_in_our_code_not_in_babel():
    # Babel would quantize with the ambient context; a half-even context must not matter.
    with decimal.localcontext() as context:
        context.rounding = decimal.ROUND_HALF_EVEN
        assert BabelFormatter("en").money(Money("0.125", "USD")) == "$0.13"
        assert BabelFormatter("en").money(Money("2.5", "JPY")) == "¥3"


def test_money_keeps_full_precision_before_rounding_once():
    # 0.004999... rounds down; rounding in two steps (to 0.005, then 0.01) would not.
    assert BabelFormatter("en").money(Money("0.0049999", "USD")) == "$0.00"


def test_money_refuses_a_bare_number():
    with pytest.raises(ValidationError, match="value: expected a Money amount"):
        BabelFormatter("en").money(Decimal("1.00"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("0.130345", "13.03%"),  # 13.0345 → 13.03: the digit after the 2nd place is 4
        ("0.130350", "13.04%"),  # 13.0350 → 13.04: exactly half rounds up
        ("0.130349999", "13.03%"),
        ("0.0965", "9.65%"),
        ("0.00005", "0.01%"),  # 0.005 % → 0.01 %: half-up, where half-even gives 0.00
        ("0.000049", "0.00%"),
        ("-0.000049", "0.00%"),  # no negative zero
        ("-0.130350", "-13.04%"),  # half away from zero
        ("12.5", "1,250.00%"),
        ("0", "0.00%"),
    ],
)
def test_percent_two_decimals_half_up(rate, expected):
    assert BabelFormatter("en").percent(Decimal(rate)) == expected


def test_percent_rounding_ignores_the_ambient_decimal_context():
    with decimal.localcontext() as context:
        context.rounding = decimal.ROUND_HALF_EVEN
        assert BabelFormatter("en").percent(Decimal("0.00005")) == "0.01%"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "10.00%"),
        ("zh_Hans_CN", "10.00%"),
        ("de_DE", f"10,00{NBSP}%"),
        ("fr_FR", f"10,00{NBSP}%"),
        ("sv_SE", f"10,00{NBSP}%"),
        ("tr_TR", "%10,00"),
    ],
)
def test_percent_uses_the_locale_percent_pattern(locale, expected):
    assert BabelFormatter(locale).percent(Decimal("0.1")) == expected


def test_percent_grouping_follows_the_locale():
    assert BabelFormatter("en_IN").percent(Decimal("1234.5")) == "1,23,450.00%"
    assert BabelFormatter("de_DE").percent(Decimal("1234.5")) == f"123.450,00{NBSP}%"


@pytest.mark.parametrize(
    ("decimals", "expected"),
    [(0, "13%"), (1, "13.0%"), (3, "13.035%"), (4, "13.0345%")],
)
def test_percent_decimals_are_configurable(decimals, expected):
    assert BabelFormatter("en").percent(Decimal("0.130345"), decimals=decimals) == expected


def test_percent_does_not_alter_babel_cached_pattern():
    formatter = BabelFormatter("en")
    assert formatter.percent(Decimal("0.1"), decimals=4) == "10.0000%"
    # Babel's own default pattern (no decimals) is untouched by the copy we modified.
    assert Locale.parse("en").percent_formats[None].frac_prec == (0, 0)
    assert formatter.percent(Decimal("0.1")) == "10.00%"


@pytest.mark.parametrize("decimals", [-1, True, 1.5, "2"])
def test_percent_refuses_bad_decimals(decimals):
    with pytest.raises(ValidationError, match="decimals"):
        BabelFormatter("en").percent(Decimal("0.1"), decimals=decimals)


def test_percent_refuses_a_float_rate():
    with pytest.raises(FloatNotAllowedError, match="rate"):
        BabelFormatter("en").percent(0.13)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("locale", "value", "expected"),
    [
        ("en_IN", "1234567.891", "12,34,567.891"),
        ("en", "1234567.891", "1,234,567.891"),
        ("de_DE", "1234567.891", "1.234.567,891"),
        ("fr_FR", "1234567.5", f"1{NNBSP}234{NNBSP}567,5"),
        ("en", "0.10", "0.10"),  # trailing zeros are digits too
        ("en", "1E+3", "1,000"),
        ("en", "-0.5", "-0.5"),
    ],
)
def test_number_keeps_every_digit_with_locale_separators(locale, value, expected):
    assert BabelFormatter(locale).number(Decimal(value)) == expected


def test_number_refuses_float():
    with pytest.raises(FloatNotAllowedError):
        BabelFormatter("en").number(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("locale", "count", "expected"),
    [
        ("en", 1, "1 month"),
        ("en", 24, "24 months"),
        ("zh_Hans_CN", 60, "60个月"),
        ("de_DE", 12, "12 Monate"),
    ],
)
def test_months_uses_cldr_plural_units(locale, count, expected):
    assert BabelFormatter(locale).months(count) == expected


@pytest.mark.parametrize("count", [-1, True, Decimal(3)])
def test_months_refuses_non_counts(count):
    with pytest.raises(ValidationError, match="count"):
        BabelFormatter("en").months(count)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Mar 5, 2026"),
        ("zh_Hans_CN", "2026年3月5日"),
        ("de_DE", "05.03.2026"),
        ("en_IN", "5 Mar 2026"),
    ],
)
def test_date_medium_form(locale, expected):
    assert BabelFormatter(locale).date(dt.date(2026, 3, 5)) == expected


def test_date_refuses_a_datetime():
    moment = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError, match="value: expected a date without a time"):
        BabelFormatter("en").date(moment)


def test_datetime_is_shown_in_its_own_zone():
    moment = dt.datetime(2026, 3, 5, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert BabelFormatter("zh_Hans_CN").datetime(moment) == "2026年3月5日 14:30:00"
    assert BabelFormatter("en").datetime(moment) == f"Mar 5, 2026, 2:30:00{NNBSP}PM"


def test_naive_datetime_is_refused():
    naive = dt.datetime(2026, 3, 5, 14, 30)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValidationError, match="value: expected a timestamp with a time zone"):
        BabelFormatter("en").datetime(naive)


@pytest.mark.parametrize(
    "locale", ["xx_YY", "", "en_ZZZZ", "en_XX", "zz", None, 42, "not a locale", "en_US_FOO"]
)
def test_unknown_locale_is_a_validation_error(locale):
    with pytest.raises(ValidationError, match="locale: expected a CLDR locale identifier") as info:
        BabelFormatter(locale)
    assert info.value.field == "locale"
    assert info.value.value == locale


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("zh-Hans-CN", "zh_Hans_CN"),
        ("zh_CN", "zh_Hans_CN"),
        ("zh_TW", "zh_Hant_TW"),
        ("en", "en"),
        ("de-DE", "de_DE"),
        ("iw", "he_IL"),  # a CLDR language alias
    ],
)
def test_locale_is_stored_canonically(given, canonical):
    assert BabelFormatter(given).locale == canonical
    assert str(parse_locale(given)) == canonical


def test_babel_formatter_satisfies_the_protocol():
    assert isinstance(BabelFormatter("en"), LocaleFormatter)


def test_formatters_compare_by_locale():
    assert BabelFormatter("zh_CN") == BabelFormatter("zh_Hans_CN")
    assert BabelFormatter("en") != BabelFormatter("en_GB")
    assert repr(BabelFormatter("en")) == "BabelFormatter(locale='en')"


# --- the patterns worked out once per locale and currency ----------------------------------
# BabelFormatter keeps Babel's patterns with a currency's symbol and digits filled in; what
# it prints must stay exactly what Babel's own format_currency prints, in every locale.


def _babel_money(locale: str, value: Money) -> str:
    """Babel's format_currency on the rounded amount, called as it was on every amount."""
    rounded = value.rounded()
    with decimal.localcontext(_FORMAT_CONTEXT):
        return format_currency(
            rounded.amount,
            rounded.currency,
            locale=Locale.parse(locale),
            currency_digits=True,
            decimal_quantization=False,
        )


def _babel_fixed(locale: str, kind: str, value: Decimal, places: int) -> str:
    cldr = Locale.parse(locale)
    pattern = copy.copy((cldr.percent_formats if kind == "percent" else cldr.decimal_formats)[None])
    pattern.frac_prec = (places, places)
    with decimal.localcontext(_FORMAT_CONTEXT):
        return str(pattern.apply(value, cldr, decimal_quantization=True))


_LOCALES = sorted(locale_identifiers())
_CURRENCIES = sorted(list_currencies())


def test_money_in_every_cldr_locale_is_what_babel_prints():
    differ = []
    for locale in _LOCALES:
        formatter = BabelFormatter(locale)
        for currency in ("CNY", "USD", "JPY", "KWD", "XXX"):
            for amount in ("-1234567.891", "0.5"):
                value = Money(amount, currency)
                if formatter.money(value) != _babel_money(locale, value):
                    differ.append((locale, currency, amount))
    assert not differ


@given(
    locale=st.sampled_from(_LOCALES),
    currency=st.sampled_from(_CURRENCIES),
    amount=st.decimals(
        min_value=-(10**13), max_value=10**13, places=4, allow_nan=False, allow_infinity=False
    ),
)
@settings(max_examples=300, deadline=None)
def test_money_is_what_babel_prints_for_any_locale_currency_and_amount(locale, currency, amount):
    value = Money(amount, currency)
    assert BabelFormatter(locale).money(value) == _babel_money(locale, value)


@given(
    locale=st.sampled_from(_LOCALES),
    value=st.decimals(
        min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False
    ),
    places=st.integers(min_value=0, max_value=6),
)
@settings(max_examples=200, deadline=None)
def test_percent_and_number_are_what_babel_prints(locale, value, places):
    formatter = BabelFormatter(locale)
    percent = _FORMAT_CONTEXT.multiply(value, 100).quantize(
        Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP, context=_FORMAT_CONTEXT
    )
    percent = abs(percent) if percent == 0 else percent
    expected = _babel_fixed(locale, "percent", percent.scaleb(-2), places)
    assert formatter.percent(value, decimals=places) == expected
    exact = value.quantize(Decimal(1).scaleb(-places))
    assert formatter.number(exact) == _babel_fixed(locale, "decimal", exact, places)


def test_filling_in_a_currency_leaves_babels_own_pattern_alone():
    before = copy.copy(Locale.parse("en").currency_formats["standard"].__dict__)
    assert BabelFormatter("en").money(Money("5", "USD")) == "$5.00"
    assert BabelFormatter("en").money(Money("5", "EUR")) == "€5.00"
    assert Locale.parse("en").currency_formats["standard"].__dict__ == before
    assert "¤" in before["prefix"][0]


def test_amounts_equal_as_numbers_but_written_differently_are_each_formatted_as_babel_does():
    formatter = BabelFormatter("en_US")
    # Decimal("-0.00") == Decimal("0.00"): remembered by value they would share one text.
    for amount in ("0", "-0.001", "0.001", "-0.00"):
        value = Money(amount, "USD")
        assert formatter.money(value) == _babel_money("en_US", value), amount
    assert formatter.money(Money("-0.001", "USD")) != formatter.money(Money("0", "USD"))
