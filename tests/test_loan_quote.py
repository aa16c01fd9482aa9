"""A lender's quote (amount, fee, equal monthly installments) as cash flows and rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from debtnegotiation import CashFlow, NoUniqueRateError, Regime, ValidationError
from debtnegotiation.loan_quote import LoanQuote

START = dt.date(2026, 1, 31)


def quote(**changes):
    fields = {"amount": "12000", "installment": "1072", "term": 12, "start": START}
    fields.update(changes)
    return LoanQuote(**fields)


def test_icbc_vector_cn_pboc():
    # Vector CN-ICBC-12x0.60: 0.60 % a month on 12,000 for 12 months is 13.03 % a year.
    rates = quote(start=dt.date(2026, 1, 15)).annual_rates([Regime.CN_PBOC]).rates
    assert [r.rounded_percent() for r in rates] == [Decimal("13.03")]


def test_amounts_and_flows():
    q = quote(fee="500")
    assert q.amount_received == Decimal("11500")
    assert q.total_of_payments == Decimal("12864")
    assert q.finance_charge == Decimal("1364")
    flows = q.cash_flows()
    assert flows[0] == CashFlow(START, Decimal("11500"))
    # Month ends are clamped: 31 January, 28 February, 31 March.
    assert [f.on for f in flows[1:4]] == [
        START.replace(month=2, day=28),
        START.replace(month=3),
        START.replace(month=4, day=30),
    ]
    assert {f.amount for f in flows[1:]} == {Decimal("-1072")}
    assert len(flows) == 13


def test_regimes_keep_their_order_without_duplicates():
    rates = quote().annual_rates([Regime.XIRR, Regime.CN_PBOC, Regime.XIRR]).rates
    assert [r.regime for r in rates] == [Regime.XIRR, Regime.CN_PBOC]


def test_a_negative_finance_charge_gives_negative_rates():
    q = quote(amount="1000", installment="10")
    assert q.finance_charge == Decimal("-880")
    assert q.annual_rates([Regime.CN_PBOC]).rates[0].rate < 0


def test_no_rate_in_range_is_reported():
    with pytest.raises(NoUniqueRateError):
        quote(amount="100", installment="1000").annual_rates([Regime.XIRR])


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"amount": "0"}, "LoanQuote.amount", "greater than zero"),
        ({"installment": "-1"}, "LoanQuote.installment", "greater than zero"),
        ({"fee": "-1"}, "LoanQuote.fee", "zero or more"),
        ({"fee": "12000"}, "LoanQuote.fee", "a fee below the amount 12000"),
        ({"term": 0}, "LoanQuote.term", "greater than zero"),
        ({"start": "2026-02-30"}, "LoanQuote.start", ""),
        ({"installment": "1072.5", "currency": "jpy"}, "LoanQuote.installment", "JPY minor"),
        ({"fee": "0.001", "currency": "CNY"}, "LoanQuote.fee", "2 decimal places"),
    ],
)
def test_bad_values_name_the_field(changes, field, expected):
    with pytest.raises(ValidationError, match=f"^{field}: expected") as raised:
        quote(**changes)
    assert expected in raised.value.expected


def test_floats_are_refused():
    with pytest.raises(TypeError, match="floats are not accepted"):
        quote(amount=12000.0)


def test_currency_is_upper_case():
    assert quote(currency="cny").currency == "CNY"
