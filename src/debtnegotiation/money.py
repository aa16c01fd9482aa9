"""Exact money: a ``Decimal`` amount with an ISO 4217 currency code.

Minor units come from Babel's CLDR data (``CNY`` 2, ``JPY`` 0, ``KWD`` 3), never from a
hand-written table. Amounts keep full precision until :meth:`Money.rounded` is asked for,
so intermediate interest such as 8.475 is rounded once, in the mode the caller chose.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Final

import attrs
from babel.numbers import get_currency_precision, list_currencies

from debtnegotiation._context import LIBRARY_CONTEXT, in_library_context
from debtnegotiation._exact import DIVISION, EXACT, from_units, to_units
from debtnegotiation._validate import to_decimal
from debtnegotiation.errors import CurrencyMismatchError, ValidationError

__all__ = ["DEFAULT_ROUNDING", "Money", "minor_units", "total"]

#: Rounding applied when none is named, half away from zero as in commercial practice.
DEFAULT_ROUNDING: Final = ROUND_HALF_UP

_ROUNDING_MODES: Final = frozenset(
    {
        "ROUND_CEILING",
        "ROUND_DOWN",
        "ROUND_FLOOR",
        "ROUND_HALF_DOWN",
        "ROUND_HALF_EVEN",
        "ROUND_HALF_UP",
        "ROUND_UP",
        "ROUND_05UP",
    }
)


@functools.cache
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@functools.cache
def minor_units(currency: str) -> int:
    """Return the number of decimal places of *currency* according to CLDR.

    >>> minor_units("CNY"), minor_units("JPY"), minor_units("KWD")
    (2, 0, 3)
    """
    code = currency_code("currency", currency)
    return int(get_currency_precision(code))


@functools.cache
def _quantum(places: int) -> Decimal:
    return Decimal((0, (1,), -places))


def currency_code(field: str, value: object) -> str:
    """Return *value* as an upper-case ISO 4217 code known to CLDR, or raise naming *field*."""
    if not isinstance(value, str) or value.upper() not in _known_currencies():
        raise ValidationError(field, "an ISO 4217 currency code known to CLDR", value)
    return value.upper()


def check_rounding(rounding: object) -> str:
    """Return *rounding* if it is a ``decimal`` rounding mode, else raise naming ``rounding``.

    >>> check_rounding("ROUND_HALF_EVEN")
    'ROUND_HALF_EVEN'
    """
    if not isinstance(rounding, str) or rounding not in _ROUNDING_MODES:
        raise ValidationError("rounding", f"one of {sorted(_ROUNDING_MODES)}", rounding)
    return rounding


def _convert_currency(value: object) -> str:
    return currency_code("currency", value)


def _convert_amount(value: object) -> Decimal:
    return to_decimal("amount", value)


_new: Final = object.__new__


@attrs.frozen(order=False)
class Money:
    """An exact amount of one currency.

    Floats are refused; different currencies never mix::

        >>> Money("10.005", "CNY").rounded()
        Money(amount=Decimal('10.01'), currency='CNY')
        >>> Money("1", "CNY") + Money("1", "USD")
        Traceback (most recent call last):
        ...
        debtnegotiation.errors.CurrencyMismatchError: cannot add amounts in different ...
    """

    amount: Decimal = attrs.field(converter=_convert_amount)
    currency: str = attrs.field(converter=_convert_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero in *currency*."""
        return cls(Decimal(0), currency)

    @classmethod
    def _trusted(cls, amount: Decimal, currency: str) -> Money:
        """Build without validation: the one private fast constructor of :class:`Money`.

        No checks at all: callers guarantee that *amount* is a finite ``Decimal`` (already
        quantized where the value must be in minor units) and *currency* an upper-case code
        that passed :func:`currency_code`. For arithmetic on amounts already validated and
        for the schedule builders' hot loop; everything else calls ``Money(...)``.
        """
        money = _new(cls)
        _set_amount(money, amount)
        _set_currency(money, currency)
        return money

    @property
    def minor_units(self) -> int:
        """Decimal places of this currency (CLDR)."""
        return minor_units(self.currency)

    @property
    def quantum(self) -> Decimal:
        """The smallest amount this currency can express, e.g. ``0.01`` for CNY."""
        return _quantum(self.minor_units)

    def rounded(self, rounding: str = DEFAULT_ROUNDING) -> Money:
        """Round to the currency's minor unit with an explicit rounding mode."""
        mode = check_rounding(rounding)
        return Money._trusted(
            self.amount.quantize(self.quantum, rounding=mode, context=EXACT), self.currency
        )

    def is_rounded(self) -> bool:
        """Say whether the amount is already a whole number of minor units."""
        return self.amount == self.amount.quantize(self.quantum, context=EXACT)

    def allocate(
        self, parts: int | Sequence[int | Decimal | str], rounding: str = DEFAULT_ROUNDING
    ) -> tuple[Money, ...]:
        """Split into *parts* equal shares, or by the given weights, summing back exactly.

        The amount is first rounded to the minor unit; remainders go one minor unit at a
        time to the shares with the largest fractional remainders (ties: earliest first).

        >>> [str(m.amount) for m in Money("100", "CNY").allocate(3)]
        ['33.34', '33.33', '33.33']
        """
        weights: list[Decimal]
        if isinstance(parts, int) and not isinstance(parts, bool):
            if parts <= 0:
                raise ValidationError("parts", "a whole number greater than zero", parts)
            weights = [Decimal(1)] * parts
        elif isinstance(parts, Sequence) and not isinstance(parts, str):
            weights = [to_decimal(f"weights[{i}]", w) for i, w in enumerate(parts)]
            if not weights or any(w < 0 for w in weights) or not any(weights):
                raise ValidationError(
                    "weights", "a non-empty list of non-negative weights, not all zero", parts
                )
        else:
            raise ValidationError("parts", "a count or a list of weights", parts)
        rounded = self.rounded(rounding)
        places = rounded.minor_units
        units = to_units(rounded.amount, places)
        # Negative totals: allocate the magnitude and flip, so shares stay symmetric.
        sign, units = (-1, -units) if units < 0 else (1, units)
        # Shares are computed as exact fractions: a Decimal quotient would round at 28
        # digits, and for large amounts the floors could then sum to more than the total.
        exact = [units * Fraction(w) for w in weights]
        weight_sum = sum(Fraction(w) for w in weights)
        floors = [int(e // weight_sum) for e in exact]
        remainders = [e / weight_sum - f for e, f in zip(exact, floors, strict=True)]
        leftover = units - sum(floors)
        order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
        for i in order[:leftover]:
            floors[i] += 1
        return tuple(Money._trusted(from_units(sign * u, places), rounded.currency) for u in floors)

    # --- arithmetic -------------------------------------------------------------------

    def _same(self, other: Money, operation: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency, operation)

    def __add__(self, other: object) -> Money:
        """Add an amount of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return Money._trusted(EXACT.add(self.amount, other.amount), self.currency)

    def __radd__(self, other: object) -> Money:
        """Support ``sum()``, whose start value is the integer 0."""
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        """Subtract an amount of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money._trusted(EXACT.subtract(self.amount, other.amount), self.currency)

    def __mul__(self, factor: object) -> Money:
        """Multiply by an exact factor (``int``, ``Decimal`` or numeric ``str``)."""
        if isinstance(factor, Money):
            return NotImplemented
        product = EXACT.multiply(self.amount, to_decimal("factor", factor))
        return Money._trusted(product, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> Money:
        """Divide by an exact, non-zero number.

        The quotient is not rounded to the minor unit; it is computed to 28 significant
        digits whatever the caller's decimal context (call :meth:`rounded` to settle it).
        """
        if isinstance(divisor, Money):
            return NotImplemented
        value = to_decimal("divisor", divisor)
        if value == 0:
            raise ValidationError("divisor", "a non-zero number", divisor)
        return Money._trusted(DIVISION.divide(self.amount, value), self.currency)

    def __neg__(self) -> Money:
        """Return the amount with its sign flipped."""
        return Money._trusted(self.amount.copy_negate(), self.currency)

    def __abs__(self) -> Money:
        """Return the magnitude."""
        return Money._trusted(self.amount.copy_abs(), self.currency)

    def __bool__(self) -> bool:
        """Zero is false."""
        return bool(self.amount)

    def _other(self, other: object) -> Decimal:
        if not isinstance(other, Money):
            raise TypeError(f"cannot compare Money with {type(other).__name__}")
        self._same(other, "compare")
        return other.amount

    def __lt__(self, other: object) -> bool:
        """Order amounts of the same currency."""
        return self.amount < self._other(other)

    def __le__(self, other: object) -> bool:
        """Order amounts of the same currency."""
        return self.amount <= self._other(other)

    def __gt__(self, other: object) -> bool:
        """Order amounts of the same currency."""
        return self.amount > self._other(other)

    def __ge__(self, other: object) -> bool:
        """Order amounts of the same currency."""
        return self.amount >= self._other(other)

    def __str__(self) -> str:
        """Show the amount and code, e.g. ``12.50 CNY`` (not locale-formatted)."""
        amount = self.amount
        if type(amount) is Decimal:
            # The library context's notation (its capital E), named rather than switched
            # to: every sentence with an amount in it says one (Text).
            return f"{LIBRARY_CONTEXT.to_sci_string(amount)} {self.currency}"
        return self._str_in_library_context()

    @in_library_context
    def _str_in_library_context(self) -> str:
        return f"{self.amount} {self.currency}"


# Slot setters of the frozen class, for the private fast constructor Money._trusted: calling
# a slot descriptor directly is about twice as fast as object.__setattr__ by name.
_set_amount: Final = Money.__dict__["amount"].__set__
_set_currency: Final = Money.__dict__["currency"].__set__


def total(amounts: Iterable[Money], currency: str) -> Money:
    """Sum *amounts*, all in *currency*; an empty iterable sums to zero."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
