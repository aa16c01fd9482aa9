"""Locale formatting of money, numbers, rates and dates, always with an explicit locale.

:class:`LocaleFormatter` is what the locale-formatter hook returns; :class:`BabelFormatter`
is the default implementation and serves every CLDR locale. There is no system-locale
default anywhere: Babel treats ``locale=None`` as "the process locale", so every call here
passes the formatter's own locale.

Rounding happens in our code before Babel sees a value, never inside Babel, whose display
quantization follows the ambient ``decimal`` context: money through ``Money.rounded()``
(half-up to the currency's CLDR minor unit), percentages half-up to the requested number
of decimals in :meth:`BabelFormatter.percent`.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Final, Protocol, runtime_checkable

import attrs
from babel import Locale, UnknownLocaleError
from babel.core import parse_locale as split_locale
from babel.dates import format_date, format_datetime
from babel.numbers import (
    NumberPattern,
    format_currency,
    get_currency_precision,
    get_currency_symbol,
)
from babel.units import format_unit

from debtnegotiation._validate import non_negative_int, to_decimal
from debtnegotiation.errors import ValidationError
from debtnegotiation.money import Money

#: Babel quantizes in the current decimal context; formatting runs in this one so a
#: caller's ``getcontext().prec = 6`` neither rounds the digits shown nor raises.
_FORMAT_CONTEXT: Final = Context(prec=1000, rounding=ROUND_HALF_UP, Emax=999_999, Emin=-999_999)

__all__ = ["PERCENT_DECIMALS", "BabelFormatter", "LocaleFormatter", "parse_locale"]

#: Decimal places of a formatted annual rate. Two, as the published examples state them:
#: Reg Z Appendix J ("correct when rounded to 2 decimals", vectors ``US-REGZ-APPJ-C1-I`` to
#: ``-C3-I``), EU Directive 98/7 Annex III (12.96 %, vector ``EU-98-7-ANNEXIII-A1``,
#: rounded half up) and ICBC's installment disclosure (vector ``CN-ICBC-12x0.60``), all in
#: ``tests/vectors/apr-public.json``.
PERCENT_DECIMALS: Final = 2

_EXPECTED_LOCALE: Final = "a CLDR locale identifier such as 'en' or 'zh_Hans_CN'"


def parse_locale(value: object) -> Locale:
    """Return the Babel ``Locale`` for an identifier such as ``en`` or ``zh_Hans_CN``.

    Hyphens are accepted as separators (``zh-Hans-CN``); anything CLDR does not know is a
    ``ValidationError`` that names the value.

    >>> str(parse_locale("zh-Hans-CN"))
    'zh_Hans_CN'
    >>> parse_locale("xx_YY")
    Traceback (most recent call last):
    ...
    debtnegotiation.errors.ValidationError: locale: expected a CLDR locale identifier ...
    """
    if isinstance(value, Locale):
        return value
    if not isinstance(value, str) or not value:
        raise ValidationError("locale", _EXPECTED_LOCALE, value)
    identifier = value.replace("-", "_")
    try:
        parts = split_locale(identifier)
        locale = Locale.parse(identifier)
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValidationError("locale", _EXPECTED_LOCALE, value) from None
    # Babel replaces an identifier it has no data for by a "likely" one (``en_ZZZZ``
    # becomes ``en_US``); a subtag the caller named must survive, or it is an error.
    # Added subtags (``zh_CN`` → ``zh_Hans_CN``) and language aliases (``iw`` → ``he``)
    # are fine.
    for given, parsed in (
        (parts[1], locale.territory),
        (parts[2], locale.script),
        (parts[3], locale.variant),
    ):
        if given is not None and given.upper() != (parsed or "").upper():
            raise ValidationError("locale", _EXPECTED_LOCALE, value)
    return locale


def _canonical_locale(value: object) -> str:
    return str(parse_locale(value))


# What Babel works out on every call from the locale's data (the pattern, a currency's
# CLDR digits and symbol), worked out once per locale and currency, or decimal places:
# a document formats a hundred amounts. The patterns are Babel's own, so the digits,
# separators and grouping of every figure are still Babel's.


@functools.lru_cache(maxsize=256)
def _money_pattern(cldr: Locale, currency: str) -> NumberPattern | None:
    """The locale's standard currency pattern with *currency*'s symbol and digits in it.

    ``format_currency(..., currency_digits=True)`` fills in ``¤`` (the symbol) and uses
    the currency's CLDR digits; this pattern holds them already. ``None`` where Babel
    must say: no standard pattern, one without digits, or one with the code (``¤¤``) or
    the currency in words (``¤¤¤``, which depends on the amount's plural form) in it,
    which no CLDR locale's standard pattern has.
    """
    try:
        standard: NumberPattern = cldr.currency_formats["standard"]
    except KeyError:
        return None
    pattern = copy.copy(standard)
    (positive, negative), (after, after_negative) = pattern.prefix, pattern.suffix
    if not pattern.number_pattern or "¤¤" in positive + negative + after + after_negative:
        return None
    symbol = get_currency_symbol(currency, cldr)
    pattern.prefix = (positive.replace("¤", symbol), negative.replace("¤", symbol))
    pattern.suffix = (after.replace("¤", symbol), after_negative.replace("¤", symbol))
    digits = get_currency_precision(currency)
    pattern.frac_prec = (digits, digits)
    return pattern


@functools.lru_cache(maxsize=4096)
def _money_text(cldr: Locale, currency: str, amount: str) -> str:
    """*amount* (rounded to the currency's minor unit) as Babel formats it in *cldr*.

    Remembered per locale, currency and digits: the documents of one negotiation state
    the same few amounts again and again.
    """
    pattern = _money_pattern(cldr, currency)
    with localcontext(_FORMAT_CONTEXT):
        if pattern is None:
            return format_currency(
                Decimal(amount),
                currency,
                locale=cldr,
                currency_digits=True,
                decimal_quantization=False,
            )
        # format_currency's own steps, its per-call lookups already in the pattern.
        text: str = pattern.apply(Decimal(amount), cldr, decimal_quantization=False)
    return text


@functools.lru_cache(maxsize=256)
def _fixed_pattern(cldr: Locale, kind: str, places: int) -> NumberPattern:
    """The locale's standard *kind* pattern (``decimal``, ``percent``), *places* decimals."""
    formats = cldr.percent_formats if kind == "percent" else cldr.decimal_formats
    pattern: NumberPattern = copy.copy(formats[None])
    pattern.frac_prec = (places, places)
    return pattern


@runtime_checkable
class LocaleFormatter(Protocol):
    """Formats values for one locale. Implementations must not round money themselves."""

    @property
    def locale(self) -> str:
        """The locale identifier this formatter serves."""

    def money(self, value: Money) -> str:
        """Format an amount with its currency, rounded to its minor unit."""

    def number(self, value: Decimal) -> str:
        """Format a plain number with the locale's separators."""

    def percent(self, rate: Decimal, *, decimals: int = PERCENT_DECIMALS) -> str:
        """Format a rate given as a fraction (``0.1303``) as a percentage (``13.03%``)."""

    def date(self, value: dt.date) -> str:
        """Format a calendar date in the locale's medium form."""

    def datetime(self, value: dt.datetime) -> str:
        """Format an aware timestamp in the locale's medium form, in its own zone."""


@attrs.frozen
class BabelFormatter:
    r"""The default :class:`LocaleFormatter`, backed by Babel's CLDR data.

    The locale is required and stored in canonical form (``zh-CN`` becomes
    ``zh_Hans_CN``); an identifier CLDR does not know is a ``ValidationError``.

    >>> BabelFormatter("en").money(Money("1234.5", "CNY"))
    'CN¥1,234.50'
    >>> BabelFormatter("zh_Hans_CN").money(Money("1234.5", "CNY"))
    '¥1,234.50'
    >>> BabelFormatter("de_DE").money(Money("1099.975", "EUR"))
    '1.099,98\xa0€'
    >>> BabelFormatter("en_IN").money(Money("1234567", "INR"))
    '₹12,34,567.00'
    >>> BabelFormatter("zh_Hans_CN").percent(Decimal("0.130342"))
    '13.03%'
    >>> BabelFormatter("de_DE").percent(Decimal("0.1"))
    '10,00\xa0%'
    >>> BabelFormatter("zh-CN").locale
    'zh_Hans_CN'
    """

    locale: str = attrs.field(converter=_canonical_locale)
    _cldr: Locale = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(lambda self: parse_locale(self.locale), takes_self=True),
    )

    def money(self, value: Money) -> str:
        """Format an amount with its currency, rounded half-up to its minor unit first.

        The number of decimals is the currency's CLDR minor unit (``JPY`` 0, ``KWD`` 3),
        whatever the locale.
        """
        if not isinstance(value, Money):
            raise ValidationError("value", "a Money amount", value)
        rounded = value.rounded()
        # By the amount's exact text: -0.00 is not 0.00 (equal Decimals, different output).
        return _money_text(self._cldr, rounded.currency, str(rounded.amount))

    def number(self, value: Decimal) -> str:
        """Format a plain number with the locale's grouping and decimal separators.

        Every digit of *value* is kept, trailing zeros included: round it first if fewer
        decimals are wanted.

        >>> BabelFormatter("en_IN").number(Decimal("1234567.891"))
        '12,34,567.891'
        >>> BabelFormatter("de_DE").number(Decimal("0.50"))
        '0,50'
        """
        exact = to_decimal("value", value)
        places = max(0, -int(exact.as_tuple().exponent))
        # Babel drops trailing zeros ("0.10" → "0.1"); forcing the value's own number of
        # decimals keeps them, and rounds nothing because the value has exactly that many.
        pattern = _fixed_pattern(self._cldr, "decimal", places)
        with localcontext(_FORMAT_CONTEXT):
            text: str = pattern.apply(exact, self._cldr, decimal_quantization=True)
        return text

    def percent(self, rate: Decimal, *, decimals: int = PERCENT_DECIMALS) -> str:
        """Format a fraction as a percentage with exactly *decimals* places.

        The percentage is rounded half-up in our code (``0.130345`` is 13.0345 % and
        shows as 13.03 %, ``0.13035`` as 13.04 %); the locale's own CLDR percent pattern
        then places the sign, the spacing and the grouping, with its fraction digits
        forced to *decimals*.

        >>> BabelFormatter("en").percent(Decimal("0.13035"))
        '13.04%'
        >>> BabelFormatter("en").percent(Decimal("0.05"), decimals=0)
        '5%'
        >>> BabelFormatter("tr_TR").percent(Decimal("0.096"))
        '%9,60'
        """
        exact = to_decimal("rate", rate)
        places = non_negative_int("decimals", decimals)
        percent = _FORMAT_CONTEXT.multiply(exact, 100).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_FORMAT_CONTEXT
        )
        if percent == 0:
            percent = abs(percent)  # no "-0.00%" for a rate that rounds to zero
        # Every CLDR locale has a standard percent pattern (inherited from root at worst).
        pattern = _fixed_pattern(self._cldr, "percent", places)
        # The pattern multiplies by 100 again; scaleb keeps the rounded digits exact, so
        # Babel's own quantization has nothing left to round.
        with localcontext(_FORMAT_CONTEXT):
            text: str = pattern.apply(percent.scaleb(-2), self._cldr, decimal_quantization=True)
        return text

    def months(self, count: int) -> str:
        """Format a number of months with CLDR's plural-aware unit pattern.

        >>> BabelFormatter("en").months(24), BabelFormatter("zh_Hans_CN").months(24)
        ('24 months', '24个月')
        """
        months = non_negative_int("count", count)
        text: str = format_unit(months, "duration-month", length="long", locale=self._cldr)
        return text

    def date(self, value: dt.date) -> str:
        """Format a calendar date in the locale's medium form.

        >>> BabelFormatter("zh_Hans_CN").date(dt.date(2026, 3, 5))
        '2026年3月5日'
        """
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValidationError("value", "a date without a time", value)
        return format_date(value, format="medium", locale=self._cldr)

    def datetime(self, value: dt.datetime) -> str:
        """Format an aware timestamp in the locale's medium form, in the timestamp's zone.

        A naive timestamp is a ``ValidationError``: the
        negotiation record must say when something happened, not when it happened
        somewhere.
        """
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValidationError("value", "a timestamp with a time zone", value)
        return format_datetime(value, format="medium", tzinfo=value.tzinfo, locale=self._cldr)
