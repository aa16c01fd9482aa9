"""Dated cash flows: the common input of every annual-rate convention."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from debtnegotiation._validate import to_date, to_decimal

__all__ = ["CashFlow"]


def _amount(value: object) -> Decimal:
    return to_decimal("CashFlow.amount", value)


def _on(value: object) -> dt.date:
    return to_date("CashFlow.on", value)


@attrs.frozen
class CashFlow:
    """One movement of money between lender and borrower, seen from the borrower.

    A positive ``amount`` is credit the borrower receives (an advance, a drawdown); a
    negative one is a payment the borrower makes (installment, fee, interest). Fees
    withheld at drawdown are not a separate flow: they reduce the advance.
    """

    on: dt.date = attrs.field(converter=_on)
    amount: Decimal = attrs.field(converter=_amount)

    @classmethod
    def _trusted(cls, on: dt.date, amount: Decimal) -> CashFlow:
        """Build without converting: callers pass a ``date`` and a finite ``Decimal``."""
        flow = _new(cls)
        _set_on(flow, on)
        _set_amount(flow, amount)
        return flow


_new = object.__new__
# Slot setters of the frozen class, for the private fast constructor CashFlow._trusted.
_set_on = CashFlow.__dict__["on"].__set__
_set_amount = CashFlow.__dict__["amount"].__set__
