"""A loan as a lender quotes it: an amount, a fee, and equal monthly installments.

Lenders and platforms often quote "10,000, 500 fee, 12 x 880" and no rate, or a flat
"monthly fee rate". :class:`LoanQuote` turns such a quote into dated cash flows and
:meth:`LoanQuote.annual_rates` into the true annual rate under each regime, which is what
``debtneg apr`` prints:

>>> import datetime as dt
>>> from debtnegotiation.apr import Regime
>>> quote = LoanQuote(
...     amount="10000", fee="500", installment="880", term=12, start=dt.date(2026, 1, 15)
... )
>>> quote.amount_received, quote.total_of_payments, quote.finance_charge
(Decimal('9500'), Decimal('10560'), Decimal('1060'))
>>> [str(r.rounded_percent()) for r in quote.annual_rates([Regime.CN_PBOC]).rates]
['19.99']

The borrower receives ``amount - fee`` on ``start`` (the fee is withheld from the advance,
so it enters the rate as a smaller amount received) and pays ``installment`` every month
from one month later, on the same day of the month (clamped to the month's end).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from debtnegotiation._bounds import check_amount
from debtnegotiation._context import in_library_context
from debtnegotiation._exact import EXACT
from debtnegotiation._validate import positive_int, to_date, to_decimal
from debtnegotiation.apr import AnnualRate, Regime, annual_rate
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.errors import ValidationError
from debtnegotiation.money import Money, minor_units
from debtnegotiation.policy import MAX_TERM_MONTHS
from debtnegotiation.schedule_dates import add_months

__all__ = ["LoanQuote", "LoanRates"]


def _positive(field: str, value: object) -> Decimal:
    number = to_decimal(field, value)
    if number <= 0:
        raise ValidationError(field, "a number greater than zero", value)
    return number


def _amount(value: object) -> Decimal:
    return _positive("LoanQuote.amount", value)


def _installment(value: object) -> Decimal:
    return _positive("LoanQuote.installment", value)


def _fee(value: object) -> Decimal:
    number = to_decimal("LoanQuote.fee", value)
    if number < 0:
        raise ValidationError("LoanQuote.fee", "a number zero or more", value)
    return number


def _term(value: object) -> int:
    term = positive_int("LoanQuote.term", value)
    if term > MAX_TERM_MONTHS:
        expected = f"at most {MAX_TERM_MONTHS} monthly installments"
        raise ValidationError("LoanQuote.term", expected, value)
    return term


def _start(value: object) -> dt.date:
    return to_date("LoanQuote.start", value)


def _currency(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ValidationError("LoanQuote.currency", "an ISO 4217 code or None", value)
    return value.upper()


@attrs.frozen(kw_only=True)
class LoanQuote:
    """A loan repaid in equal monthly installments.

    :param amount: the amount lent, before any fee (greater than zero).
    :param installment: the monthly payment (greater than zero).
    :param term: the number of monthly installments (at least one).
    :param start: the date of the advance.
    :param fee: fees paid or withheld at the start (zero or more, below ``amount``).
    :param currency: an ISO 4217 code, or ``None`` for bare numbers. With a currency,
        every amount must be a whole number of its minor units: what is shown as money
        is what is computed.
    :raises ~debtnegotiation.errors.ValidationError: naming the field, for a value out
        of range.
    """

    amount: Decimal = attrs.field(converter=_amount)
    installment: Decimal = attrs.field(converter=_installment)
    term: int = attrs.field(converter=_term)
    start: dt.date = attrs.field(converter=_start)
    fee: Decimal = attrs.field(default=Decimal(0), converter=_fee)
    currency: str | None = attrs.field(default=None, converter=_currency)

    @in_library_context
    def __attrs_post_init__(self) -> None:
        """The fee leaves something to receive; amounts are whole minor units."""
        if self.fee >= self.amount:
            expected = f"a fee below the amount {self.amount}"
            raise ValidationError("LoanQuote.fee", expected, self.fee)
        # Bare numbers are bounded as amounts of two decimal places, the most common unit.
        places = 2 if self.currency is None else minor_units(self.currency)
        for field, value in (
            ("LoanQuote.amount", self.amount),
            ("LoanQuote.fee", self.fee),
            ("LoanQuote.installment", self.installment),
        ):
            check_amount(field, value, places)
        if self.currency is None:
            return
        for field, value in (
            ("LoanQuote.amount", self.amount),
            ("LoanQuote.fee", self.fee),
            ("LoanQuote.installment", self.installment),
        ):
            money = Money(value, self.currency)
            if not money.is_rounded():
                raise ValidationError(
                    field,
                    f"an amount in whole {money.currency} minor units "
                    f"({money.minor_units} decimal places)",
                    value,
                )

    @property
    @in_library_context
    def amount_received(self) -> Decimal:
        """The amount the borrower actually gets, ``amount - fee``."""
        return EXACT.subtract(self.amount, self.fee)

    @property
    @in_library_context
    def total_of_payments(self) -> Decimal:
        """The installments added up, ``installment x term``."""
        return EXACT.multiply(self.installment, Decimal(self.term))

    @property
    @in_library_context
    def finance_charge(self) -> Decimal:
        """The cost of the credit, the total of payments minus the amount received.

        Negative when less is repaid than was received; every rate is then negative.
        """
        return EXACT.subtract(self.total_of_payments, self.amount_received)

    @in_library_context
    def cash_flows(self) -> tuple[CashFlow, ...]:
        """The advance (received, positive) and the installments (paid, negative)."""
        flows = [CashFlow(self.start, self.amount_received)]
        flows += [
            CashFlow(add_months(self.start, k), -self.installment) for k in range(1, self.term + 1)
        ]
        return tuple(flows)

    @in_library_context
    def annual_rates(self, regimes: Iterable[Regime]) -> LoanRates:
        """The annual rate under each of *regimes*, in order, duplicates dropped.

        :raises ~debtnegotiation.errors.NoUniqueRateError: when the flows have no rate in
            the searched range (the payments are far too large or too small).
        """
        flows = self.cash_flows()
        chosen = tuple(dict.fromkeys(regimes))
        return LoanRates(
            quote=self, rates=tuple(annual_rate(flows, regime=regime) for regime in chosen)
        )


@attrs.frozen(kw_only=True)
class LoanRates:
    """A quote with its annual rate under each regime asked for.

    :param quote: the loan.
    :param rates: one :class:`~debtnegotiation.apr.AnnualRate` per regime, in the order asked.
    """

    quote: LoanQuote
    rates: tuple[AnnualRate, ...]
