"""The library's error types: one base class, and validation errors that name the field."""

from __future__ import annotations

from decimal import localcontext

from debtnegotiation._context import LIBRARY_CONTEXT

__all__ = [
    "CurrencyMismatchError",
    "DebtNegotiationError",
    "FloatNotAllowedError",
    "NoUniqueRateError",
    "ValidationError",
]


class DebtNegotiationError(Exception):
    """Base class of every error this library raises on purpose."""


class ValidationError(DebtNegotiationError, ValueError):
    """An input was out of range or of the wrong shape.

    The message names the field, what was expected and the value received, so a caller can
    fix the input without reading the library's source.
    """

    def __init__(self, field: str, expected: str, value: object) -> None:
        """Build the message from the field name, the expectation and the received value."""
        self.field = field
        self.expected = expected
        self.value = value
        # In the library's decimal context, wherever it is raised: the repr of a Decimal
        # follows the context (1E+3 or 1e+3), and the message must not depend on the
        # caller's (some entry points compute in ints and never enter the library's).
        with localcontext(LIBRARY_CONTEXT):
            message = f"{field}: expected {expected}, got {value!r}"
        super().__init__(message)


class FloatNotAllowedError(DebtNegotiationError, TypeError):
    """A binary float was passed where an exact amount or rate is required."""

    def __init__(self, field: str, value: float) -> None:
        """Say which field received the float and how to pass the value instead."""
        self.field = field
        self.value = value
        super().__init__(
            f"{field}: floats are not accepted for money or rates (got {value!r}); "
            f"pass a str such as '{value}' or a decimal.Decimal"
        )


class CurrencyMismatchError(DebtNegotiationError, TypeError):
    """Two amounts in different currencies were combined."""

    def __init__(self, left: str, right: str, operation: str) -> None:
        """Name both currencies and the operation that would have mixed them."""
        self.left = left
        self.right = right
        super().__init__(
            f"cannot {operation} amounts in different currencies: {left} and {right}; "
            "convert explicitly first"
        )


class NoUniqueRateError(DebtNegotiationError):
    """A cash-flow pattern has no annual rate, or more than one, so none can be reported."""
