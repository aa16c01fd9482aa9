"""The built-in example case: a borrower in Xi'an who lost their job.

It mirrors the source article of this project, a Chinese article on negotiating with a
consumer-finance installment-shopping platform: a platform debt several weeks overdue, plus
a credit card. The figures are illustrative, not taken from a real person; rates sit inside
the ranges Chinese lenders publish (consumer-finance daily rates 0.02 %–0.0483 %; the
historic card rate 0.05 % a day, the upper limit of PBOC notice 银发〔2016〕111号,
compounded monthly).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
from debtnegotiation.policy import FeeTiming, LenderPolicy
from debtnegotiation.rates import DayCount, InterestRate

__all__ = ["EXAMPLE_DATE", "example_borrower", "example_debts", "example_policies"]

#: The date the example case is stated at.
EXAMPLE_DATE = dt.date(2026, 11, 2)


def _cny(amount: str) -> Money:
    return Money(amount, "CNY")


def example_borrower() -> Borrower:
    """The Xi'an borrower: laid off in August, now on part-time income."""
    return Borrower(
        name="Li Wei",
        address=("Room 1201, Unit 3, Building 5, 88 Yanta Road", "Yanta District, Xi'an 710061"),
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


def example_policies() -> dict[str, LenderPolicy]:
    """The lenders' hardship policies in the example, keyed by creditor name.

    The platform's terms are the source article's: a handling fee of about 5 % to re-split
    the balance, a stretch to 24 months, and a "subsidy" (interest or penalty waived) for
    unemployment or illness with proof. The card's terms follow the China credit-card
    personalised installment (Art. 70 of CBRC Order [2011] No. 2: up to 60 months; in
    practice interest stopped and penalties partly waived), with the article's one-off 5 %
    handling fee spread over the installments.
    """
    article = "the source article (installment-platform negotiation); illustrative example lender"
    platform = LenderPolicy(
        lender="Example Installment Platform",
        source=article,
        fee_rate=Decimal("0.05"),
        fee_timing=FeeTiming.UPFRONT,
        max_months=24,
        plan_rate=None,
        interest_waiver_max=Decimal(1),
        penalty_waiver_max=Decimal(1),
        accepted_hardships=frozenset({HardshipKind.UNEMPLOYMENT, HardshipKind.ILLNESS}),
        documents={
            HardshipKind.UNEMPLOYMENT: (
                EvidenceKind.TERMINATION_LETTER,
                EvidenceKind.BANK_STATEMENTS,
            ),
            HardshipKind.ILLNESS: (
                EvidenceKind.MEDICAL_DIAGNOSIS,
                EvidenceKind.MEDICAL_BILLS,
            ),
        },
        deferral_max_months=3,
        deferral_interest=False,
    )
    card = LenderPolicy(
        lender="Example Bank Credit Card",
        source="CBRC Order [2011] No. 2, Art. 70; the source article's 5 % fee (illustrative)",
        fee_rate=Decimal("0.05"),
        fee_timing=FeeTiming.SPREAD,
        max_months=60,
        plan_rate=None,
        penalty_waiver_max=Decimal("0.5"),
        accepted_hardships=frozenset({HardshipKind.UNEMPLOYMENT, HardshipKind.ILLNESS}),
        documents={
            HardshipKind.UNEMPLOYMENT: (
                EvidenceKind.TERMINATION_LETTER,
                EvidenceKind.INCOME_PROOF,
                EvidenceKind.BANK_STATEMENTS,
            ),
        },
    )
    return {p.lender: p for p in (platform, card)}
