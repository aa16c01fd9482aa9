"""Debt: validation that names the field, and the status-quo projection."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debtnegotiation.debt import Creditor, CreditorKind, Debt
from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.example import example_debts
from debtnegotiation.money import Money
from debtnegotiation.rates import DayCount, InterestRate

BANK = Creditor(name="Bank", kind=CreditorKind.CREDIT_CARD)
DAILY_5 = InterestRate.daily("0.0005", DayCount.X365)  # 万五, the PBOC 2016 upper limit


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


def debt(**changes) -> Debt:
    base = {
        "creditor": BANK,
        "currency": "CNY",
        "principal": cny("10000.00"),
        "contract_rate": DAILY_5,
        "as_of": "2026-01-01",
    }
    return Debt(**(base | changes))


# --- simple interest -------------------------------------------------------------------


def test_simple_daily_interest_by_hand():
    card = debt(accrued_interest=cny("100.00"))
    owed = card.project("2026-01-31")  # 30 days x 0.05 % x 10,000 = 150.00
    assert owed.interest == cny("250.00")
    assert owed.principal == cny("10000.00")
    assert owed.penalty == cny("0.00")
    assert owed.total == cny("10250.00")
    assert owed.on == dt.date(2026, 1, 31)


def test_projection_on_the_as_of_date_is_the_stated_balance():
    card = debt(accrued_interest=cny("1.00"), penalty_interest=cny("2.00"), fees=cny("3.00"))
    owed = card.project(card.as_of)
    assert owed.total == card.total_owed == cny("10006.00")
    assert card.charges == cny("6.00")


def test_annual_quotes_accrue_act_365():
    loan = debt(principal=cny("36500.00"), contract_rate=InterestRate.annual("0.10"))
    assert loan.project("2026-03-15").interest == cny("730.00")  # 73 days: 36,500 x 0.1 x 73/365


def test_x360_daily_rate_accrues_per_day_not_per_year():
    loan = debt(contract_rate=InterestRate.daily("0.0005", DayCount.X360))
    assert loan.project("2026-01-31").interest == cny("150.00")


def test_penalty_accrues_only_while_overdue():
    platform = debt(
        principal=cny("18600.00"),
        contract_rate=InterestRate.daily("0.0004", DayCount.X365),
        penalty_rate=InterestRate.daily("0.0002", DayCount.X365),
        penalty_interest=cny("186.45"),
        days_overdue=38,
        as_of="2026-11-02",
    )
    owed = platform.project("2026-12-02")  # 30 days
    assert owed.interest == cny("223.20")  # 18,600 x 0.0004 x 30
    assert owed.penalty == cny("298.05")  # 186.45 + 18,600 x 0.0002 x 30
    current = attrs.evolve(platform, days_overdue=0)
    assert current.project("2026-12-02").penalty == cny("186.45")


def test_monthly_compounding_by_hand():
    card = debt(compounds=True, as_of="2026-01-31")
    owed = card.project("2026-04-15")
    # Jan 31 -> Feb 28: 10,000 x 0.0005 x 28 = 140.00, base 10,140.00
    # Feb 28 -> Mar 31: 10,140 x 0.0005 x 31 = 157.17, base 10,297.17
    # Mar 31 -> Apr 15: 10,297.17 x 0.0005 x 15 = 77.228775 -> 77.23
    assert owed.interest == cny("374.40")


def test_monthly_compounding_with_penalty_by_hand():
    card = debt(
        compounds=True,
        as_of="2026-01-31",
        days_overdue=10,
        penalty_rate=InterestRate.daily("0.00025", DayCount.X365),
    )
    owed = card.project("2026-03-31")
    # Feb 28: interest 140.00, penalty 70.00, base 10,210.00.
    # Mar 31: interest 10,210 x 0.0155 = 158.255 -> 158.26; penalty 79.1275 -> 79.13.
    assert owed.interest == cny("298.26")
    assert owed.penalty == cny("149.13")
    down = card.project("2026-03-31", rounding="ROUND_DOWN")
    assert down.interest == cny("298.25")
    assert down.penalty == cny("149.12")


def test_compounding_costs_more_than_simple_interest_over_a_year():
    simple = debt().project("2027-01-01").interest
    compound = debt(compounds=True).project("2027-01-01").interest
    assert simple == cny("1825.00")
    assert compound > simple


@settings(max_examples=150, deadline=None)
@given(
    principal=st.integers(min_value=0, max_value=10**9),
    bp=st.integers(min_value=0, max_value=3600),
    days=st.integers(min_value=0, max_value=2000),
)
def test_simple_interest_is_principal_times_rate_times_days_over_365(principal, bp, days):
    rate = Decimal(bp).scaleb(-4)
    amount = cny(str(Decimal(principal).scaleb(-2)))
    loan = debt(principal=amount, contract_rate=InterestRate.annual(rate))
    on = loan.as_of + dt.timedelta(days=days)
    expected = (Decimal(principal).scaleb(-2) * rate * days / 365).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    assert loan.project(on).interest.amount == expected


@settings(max_examples=100, deadline=None)
@given(
    first=st.integers(min_value=0, max_value=800),
    extra=st.integers(min_value=0, max_value=400),
    compounds=st.booleans(),
)
def test_what_is_owed_never_falls_with_time(first, extra, compounds):
    card = debt(compounds=compounds, days_overdue=5, penalty_rate=DAILY_5)
    earlier = card.project(card.as_of + dt.timedelta(days=first))
    later = card.project(card.as_of + dt.timedelta(days=first + extra))
    assert later.total >= earlier.total


def test_the_example_debts_project():
    platform, card = example_debts()
    assert platform.project("2026-12-02").penalty > platform.penalty_interest
    assert card.project("2026-12-02").penalty == card.penalty_interest


# --- validation ------------------------------------------------------------------------


def test_projecting_before_as_of_is_an_error():
    with pytest.raises(ValidationError) as info:
        debt().project("2025-12-31")
    assert info.value.field == "on"


@pytest.mark.parametrize("on", ["2026-02-30", "soon", dt.datetime(2026, 2, 1, 9)])  # noqa: DTZ001
def test_projection_date_must_be_a_date(on):
    with pytest.raises(ValidationError) as info:
        debt().project(on)
    assert info.value.field == "on"


def test_projection_rounding_mode_is_checked():
    with pytest.raises(ValidationError) as info:
        debt().project("2026-01-01", rounding="HALF_UP")
    assert info.value.field == "rounding"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"principal": cny("-1.00")}, "Debt.principal"),
        ({"principal": Money("100", "USD")}, "Debt.principal"),
        ({"principal": "100"}, "Debt.principal"),
        ({"principal": cny("1.001")}, "Debt.principal"),
        ({"accrued_interest": Money("1", "USD")}, "Debt.accrued_interest"),
        ({"penalty_interest": cny("-0.01")}, "Debt.penalty_interest"),
        ({"fees": Money("1", "JPY")}, "Debt.fees"),
        ({"currency": "XYZ"}, "Debt.currency"),
        ({"currency": None}, "Debt.currency"),
        ({"opened": "2026-01-02"}, "Debt.opened"),
        ({"opened": "2026-02-30"}, "Debt.opened"),
        ({"as_of": "2026-13-01"}, "Debt.as_of"),
        ({"days_overdue": -1}, "Debt.days_overdue"),
        ({"days_overdue": True}, "Debt.days_overdue"),
        ({"days_overdue": "3"}, "Debt.days_overdue"),
        ({"creditor": "Bank"}, "Debt.creditor"),
        ({"contract_rate": "0.0005"}, "Debt.contract_rate"),
        ({"penalty_rate": Decimal("0.0002")}, "Debt.penalty_rate"),
        ({"compounds": "yes"}, "Debt.compounds"),
        ({"account": 2047}, "Debt.account"),
    ],
)
def test_construction_errors_name_the_field(changes, field):
    with pytest.raises(ValidationError) as info:
        debt(**changes)
    assert info.value.field == field
    assert field in str(info.value)


@pytest.mark.parametrize("field", ["principal", "accrued_interest", "penalty_interest", "fees"])
def test_a_float_amount_is_refused_naming_the_field(field):
    with pytest.raises(FloatNotAllowedError) as info:
        debt(**{field: 100.0})
    assert info.value.field == f"Debt.{field}"
    assert "Decimal" in str(info.value)


def test_the_currency_code_is_normalised_and_amounts_must_match_it():
    assert debt(currency="cny").currency == "CNY"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": "", "kind": CreditorKind.OTHER}, "Creditor.name"),
        ({"name": "   ", "kind": CreditorKind.OTHER}, "Creditor.name"),
        ({"name": "Bank", "kind": "credit-card"}, "Creditor.kind"),
    ],
)
def test_creditor_validation(arguments, field):
    with pytest.raises(ValidationError) as info:
        Creditor(**arguments)
    assert info.value.field == field
