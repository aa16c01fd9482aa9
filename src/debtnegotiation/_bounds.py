"""The one numeral syntax the library reads, and the bounds on the numbers it accepts.

Every number enters through :func:`debtnegotiation._validate.to_decimal`, which calls
:func:`check_number`; so a few bytes of input can never ask for a computation on a
number with a hundred thousand digits (``"1e100000"`` as a principal took 88 s, a rate of
``"1e-999999"`` 84 s, before these bounds existed). The bounds are documented in the
case-file reference (``docs/reference/case-file.rst``, "Numbers and their bounds").

* A numeral is ASCII: an optional sign, digits with at most one decimal point, an optional
  exponent (``120.50``, ``.5``, ``-3``, ``1e3``), at most :data:`MAX_NUMERAL_LENGTH`
  characters, with surrounding spaces ignored. Digits may be grouped by single
  underscores between digits, as in Python and TOML (``1_000``); nothing else: no
  ``_1``, ``1__0`` or ``1,000``, no other scripts' digits (fullwidth ``１２``), no ``NaN``
  or ``Infinity``. ``Decimal()`` accepts most of those, and an amount that reads
  differently to a person and to the program is a wrong amount.
* Any number is below ``10**MAX_MAGNITUDE`` in magnitude and has at most
  :data:`MAX_PLACES` decimal places.
* Amounts in case files, policy files, ``debtneg`` options and
  :class:`~debtnegotiation.loan_quote.LoanQuote` are below :data:`MAX_AMOUNT_UNITS` minor
  units of their currency (10 trillion yuan or dollars).
* Rates are at most :data:`MAX_RATE` (10,000 %) in their unit.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from debtnegotiation._exact import EXACT
from debtnegotiation.errors import ValidationError

__all__ = [
    "MAX_AMOUNT_UNITS",
    "MAX_MAGNITUDE",
    "MAX_NUMERAL_LENGTH",
    "MAX_PLACES",
    "MAX_RATE",
    "NUMERAL",
    "check_amount",
    "check_int",
    "check_number",
    "parse_numeral",
]

#: The longest numeral read, in characters (surrounding spaces not counted).
MAX_NUMERAL_LENGTH: Final = 64
#: Every number is below ``10 ** MAX_MAGNITUDE`` in magnitude.
MAX_MAGNITUDE: Final = 30
#: Every number has at most this many decimal places (its exponent is at least ``-60``).
MAX_PLACES: Final = 60
#: Amounts read from files, options and loan quotes are below this many minor units.
MAX_AMOUNT_UNITS: Final = 10**15
#: The largest rate value (a fraction per unit of time: ``100`` is 10,000 %).
MAX_RATE: Final = Decimal(100)

#: The numeral syntax, ASCII only: sign, digits, one point, exponent.
NUMERAL: Final = re.compile(
    r"[+-]?(?:_D(?:\.(?:_D)?)?|\._D)(?:[eE][+-]?[0-9]{1,9})?".replace("_D", "[0-9](?:_?[0-9])*")
)

_NUMERAL_EXPECTED: Final = (
    "a decimal number in ASCII digits with an optional sign, point and exponent, "
    "such as 120.50, 1_000 or 1e3"
)
_BOUNDS_EXPECTED: Final = (
    f"a number below 1e{MAX_MAGNITUDE} in magnitude with at most {MAX_PLACES} decimal places"
)
_INT_LIMIT: Final = 10**MAX_MAGNITUDE
_SPACES: Final = " \t"


def parse_numeral(field: str, text: str) -> Decimal:
    """Read *text* in the :data:`NUMERAL` syntax, or raise naming *field*.

    >>> parse_numeral("amount", " 120.50 ")
    Decimal('120.50')
    >>> parse_numeral("amount", "1__000")
    Traceback (most recent call last):
    ...
    debtnegotiation.errors.ValidationError: amount: expected a decimal number in ASCII ...
    """
    stripped = text.strip(_SPACES)
    if len(stripped) > MAX_NUMERAL_LENGTH or not NUMERAL.fullmatch(stripped):
        raise ValidationError(field, _NUMERAL_EXPECTED, _shown(text))
    return check_number(field, Decimal(stripped), text)


def check_number(field: str, number: Decimal, shown: object = None) -> Decimal:
    """Return *number* if it is finite and inside the general bounds, else raise.

    *shown* is the value the error names (default: *number*).
    """
    if not number.is_finite():
        raise ValidationError(field, "a finite number", number if shown is None else shown)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # noqa: S101 - finite numbers have an int exponent
    if exponent < -MAX_PLACES or (number.adjusted() >= MAX_MAGNITUDE):
        raise ValidationError(field, _BOUNDS_EXPECTED, _shown(number if shown is None else shown))
    return number


def check_int(field: str, value: int) -> Decimal:
    """Return the whole number *value* as a ``Decimal`` if it is inside the bounds."""
    if not -_INT_LIMIT < value < _INT_LIMIT:
        bits = value.bit_length()
        shown = value if bits < 1000 else f"a whole number of {bits} bits"
        raise ValidationError(field, _BOUNDS_EXPECTED, shown)
    return Decimal(value)


def check_amount(field: str, amount: Decimal, places: int) -> Decimal:
    """Return *amount* if it is below :data:`MAX_AMOUNT_UNITS` minor units, else raise.

    *places* is the number of decimal places of the amount's minor unit.
    """
    if EXACT.scaleb(amount.copy_abs(), places) >= MAX_AMOUNT_UNITS:
        limit = EXACT.scaleb(Decimal(MAX_AMOUNT_UNITS), -places)
        expected = f"an amount below {limit:,f} (10^15 minor units)"
        raise ValidationError(field, expected, _shown(str(amount)))
    return amount


def _shown(value: object) -> object:
    """*value*, shortened for a message if it is long."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, Decimal) else None
    if text is not None and len(text) > MAX_NUMERAL_LENGTH:
        return text[:MAX_NUMERAL_LENGTH] + f"... ({len(text)} characters)"
    return value
