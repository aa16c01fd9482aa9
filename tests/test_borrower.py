"""Borrower: budget validation and affordability (the surplus method)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debtnegotiation.borrower import (
    Borrower,
    Evidence,
    EvidenceKind,
    Expense,
    ExpenseCategory,
    Hardship,
    HardshipKind,
)
from debtnegotiation.errors import CurrencyMismatchError, FloatNotAllowedError, ValidationError
from debtnegotiation.example import example_borrower
from debtnegotiation.money import Money


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


def borrower(**changes) -> Borrower:
    base = {
        "currency": "CNY",
        "monthly_income": cny("4200.00"),
        "expenses": {
            ExpenseCategory.HOUSING: cny("1200.00"),
            ExpenseCategory.FOOD: cny("900.00"),
        },
        "other_debt_payments": cny("300.00"),
        "savings_buffer": cny("150.00"),
    }
    return Borrower(**(base | changes))


def test_surplus_and_sustainable_payment_by_hand():
    result = borrower().affordability()
    assert result.essentials == cny("2100.00")
    assert result.surplus == cny("1650.00")  # 4,200 - 2,100 - 300 - 150
    assert result.sustainable_payment == cny("1650.00")
    assert result.debt_to_income == Decimal("0.0714")  # 300 / 4,200
    assert result.covers(cny("1650.00"))
    assert not result.covers(cny("1650.01"))


def test_the_method_is_stated_in_the_result():
    method = borrower().affordability().method
    assert "surplus method" in method
    assert "Standard Financial Statement" in method
    assert "savings buffer" in method
    assert "essential expenses" in method


def test_a_budget_that_does_not_balance_has_a_negative_surplus_and_no_payment():
    result = borrower(monthly_income=cny("2000.00")).affordability()
    assert result.surplus == cny("-550.00")
    assert result.sustainable_payment == cny("0")


def test_the_sustainable_payment_is_rounded_down_never_above_the_surplus():
    # Averaged income can carry fractions of a fen: 4,200.005 must not give 1,650.01.
    result = borrower(monthly_income=cny("4200.005")).affordability()
    assert result.surplus == cny("1650.005")
    assert result.sustainable_payment == cny("1650.00")


def test_zero_income_has_no_debt_to_income_ratio():
    result = borrower(monthly_income=cny("0")).affordability()
    assert result.debt_to_income is None
    assert result.sustainable_payment == cny("0")


def test_the_example_borrower():
    result = example_borrower().affordability()
    assert result.surplus == cny("1500.00")  # 4,200 - 2,550 - 150
    assert result.debt_to_income == Decimal("0.0000")


@settings(max_examples=150, deadline=None)
@given(
    income=st.integers(min_value=0, max_value=10**7),
    spending=st.lists(st.integers(min_value=0, max_value=10**6), min_size=0, max_size=7),
    other=st.integers(min_value=0, max_value=10**6),
    buffer=st.integers(min_value=0, max_value=10**5),
)
def test_affordability_properties(income, spending, other, buffer):
    categories = list(ExpenseCategory)
    person = Borrower(
        currency="JPY",
        monthly_income=Money(income, "JPY"),
        expenses=[
            Expense(category=categories[i], amount=Money(v, "JPY")) for i, v in enumerate(spending)
        ],
        other_debt_payments=Money(other, "JPY"),
        savings_buffer=Money(buffer, "JPY"),
    )
    result = person.affordability()
    assert result.surplus.amount == income - sum(spending) - other - buffer
    assert result.sustainable_payment.amount >= 0
    assert result.sustainable_payment <= max(result.surplus, Money(0, "JPY"))
    assert result.sustainable_payment.is_rounded()
    if income:
        assert abs(result.debt_to_income - Decimal(other) / income) <= Decimal("0.00005")


def test_expenses_are_sorted_by_category_and_summed():
    person = borrower(
        expenses=[
            Expense(category=ExpenseCategory.UTILITIES, amount=cny("200.00")),
            Expense(category=ExpenseCategory.FOOD, amount=cny("900.00")),
        ]
    )
    assert [e.category for e in person.expenses] == [
        ExpenseCategory.FOOD,
        ExpenseCategory.UTILITIES,
    ]
    assert person.essentials == cny("1100.00")


def test_hardships_and_evidence_queries():
    person = borrower(
        hardships=[Hardship(kind=HardshipKind.ILLNESS, start="2026-03-01")],
        evidence=[Evidence(kind=EvidenceKind.MEDICAL_BILLS, issued="2026-03-05")],
    )
    assert person.has_hardship(HardshipKind.ILLNESS)
    assert not person.has_hardship(HardshipKind.UNEMPLOYMENT)
    assert person.has_evidence(EvidenceKind.MEDICAL_BILLS)
    assert not person.has_evidence(EvidenceKind.ID_DOCUMENT)


# --- validation ------------------------------------------------------------------------


def test_an_expense_in_another_currency_is_refused():
    with pytest.raises(ValidationError) as info:
        borrower(expenses={ExpenseCategory.FOOD: Money("900", "USD")})
    assert info.value.field == "Borrower.expenses[0]"


def test_covers_refuses_another_currency():
    with pytest.raises(CurrencyMismatchError):
        borrower().affordability().covers(Money("1", "USD"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "XXY"}, "Borrower.currency"),
        ({"monthly_income": cny("-1.00")}, "Borrower.monthly_income"),
        ({"monthly_income": Money("1", "USD")}, "Borrower.monthly_income"),
        ({"monthly_income": "4200"}, "Borrower.monthly_income"),
        ({"other_debt_payments": Money("1", "USD")}, "Borrower.other_debt_payments"),
        ({"savings_buffer": cny("-5")}, "Borrower.savings_buffer"),
        ({"expenses": "food"}, "Borrower.expenses"),
        ({"expenses": ["food"]}, "Borrower.expenses[0]"),
        ({"expenses": {"food": cny("1")}}, "Expense.category"),
        ({"expenses": {ExpenseCategory.FOOD: cny("-1")}}, "Expense.amount"),
        ({"hardships": "job loss"}, "Borrower.hardships"),
        ({"hardships": ["job loss"]}, "Borrower.hardships[0]"),
        ({"evidence": [None]}, "Borrower.evidence[0]"),
        ({"name": None}, "Borrower.name"),
    ],
)
def test_borrower_validation_names_the_field(changes, field):
    with pytest.raises(ValidationError) as info:
        borrower(**changes)
    assert info.value.field == field


def test_a_float_income_is_refused_by_name():
    with pytest.raises(FloatNotAllowedError) as info:
        borrower(monthly_income=4200.0)
    assert info.value.field == "Borrower.monthly_income"


def test_sha256_is_checked_and_normalised():
    digest = hashlib.sha256(b"termination letter").hexdigest()
    evidence = Evidence(
        kind=EvidenceKind.TERMINATION_LETTER, issued="2026-08-15", sha256=digest.upper()
    )
    assert evidence.sha256 == digest
    for bad in ["abc", digest[:-1], digest + "0", "g" * 64, 12]:
        with pytest.raises(ValidationError) as info:
            Evidence(kind=EvidenceKind.OTHER, issued="2026-08-15", sha256=bad)
        assert info.value.field == "Evidence.sha256"


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Hardship(kind="illness", start="2026-01-01"), "Hardship.kind"),
        (lambda: Hardship(kind=HardshipKind.ILLNESS, start="2026-02-30"), "Hardship.start"),
        (
            lambda: Hardship(
                kind=HardshipKind.ILLNESS, start="2026-03-01", expected_end="2026-02-01"
            ),
            "Hardship.expected_end",
        ),
        (lambda: Evidence(kind="id", issued="2026-01-01"), "Evidence.kind"),
        (lambda: Evidence(kind=EvidenceKind.OTHER, issued="yesterday"), "Evidence.issued"),
    ],
)
def test_hardship_and_evidence_validation(build, field):
    with pytest.raises(ValidationError) as info:
        build()
    assert info.value.field == field
