"""The built-in example case: a borrower in Xi'an who lost their job.

It mirrors the source article of this project (domain.md, opening section): a
consumer-finance installment-platform debt several weeks overdue, plus a credit card. The
figures are illustrative, not taken from a real person; rates sit inside the ranges
domain.md §1.11 reports (consumer-finance daily rates 0.02 %–0.0483 %; the historic card
rate 0.05 % a day, compounded monthly).
"""

from __future__ import annotations

import datetime as dt

from debtnegotiation.borrower import (
    Borrower,
    Evidence,
    EvidenceKind,
    ExpenseCategory,
    Hardship,
    HardshipKind,
)
from debtnegotiation.debt import Creditor, CreditorKind, Debt
from debtnegotiation.money import Money
from debtnegotiation.rates import DayCount, InterestRate

__all__ = ["EXAMPLE_DATE", "example_borrower", "example_debts"]

#: The date the example case is stated at.
EXAMPLE_DATE = dt.date(2026, 11, 2)


def _cny(amount: str) -> Money:
    return Money(amount, "CNY")


def example_borrower() -> Borrower:
    """The Xi'an borrower: laid off in August, now on part-time income."""
    return Borrower(
        name="Li Wei",
        currency="CNY",
        monthly_income=_cny("4200.00"),
        expenses={
            ExpenseCategory.HOUSING: _cny("1200.00"),
            ExpenseCategory.FOOD: _cny("900.00"),
            ExpenseCategory.UTILITIES: _cny("200.00"),
            ExpenseCategory.TRANSPORT: _cny("150.00"),
            ExpenseCategory.HEALTH: _cny("100.00"),
        },
        savings_buffer=_cny("150.00"),
        hardships=[Hardship(kind=HardshipKind.UNEMPLOYMENT, start=dt.date(2026, 8, 15))],
        evidence=[
            Evidence(kind=EvidenceKind.TERMINATION_LETTER, issued=dt.date(2026, 8, 15)),
            Evidence(kind=EvidenceKind.BANK_STATEMENTS, issued=dt.date(2026, 10, 31)),
        ],
    )


def example_debts() -> tuple[Debt, ...]:
    """The platform debt (38 days overdue) and the credit card (current, but at risk)."""
    platform = Debt(
        creditor=Creditor(
            name="Example Installment Platform", kind=CreditorKind.INSTALLMENT_PLATFORM
        ),
        currency="CNY",
        principal=_cny("18600.00"),
        accrued_interest=_cny("412.30"),
        penalty_interest=_cny("186.45"),
        fees=_cny("0.00"),
        days_overdue=38,
        contract_rate=InterestRate.daily("0.0004", DayCount.X365),
        penalty_rate=InterestRate.daily("0.0002", DayCount.X365),
        as_of=EXAMPLE_DATE,
        opened=dt.date(2025, 6, 1),
        account="****2047",
    )
    card = Debt(
        creditor=Creditor(name="Example Bank Credit Card", kind=CreditorKind.CREDIT_CARD),
        currency="CNY",
        principal=_cny("12000.00"),
        accrued_interest=_cny("0.00"),
        days_overdue=0,
        contract_rate=InterestRate.daily("0.0005", DayCount.X365),
        compounds=True,
        as_of=EXAMPLE_DATE,
        opened=dt.date(2021, 3, 1),
        account="****8810",
    )
    return (platform, card)
