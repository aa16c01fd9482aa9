"""The columns of an accounts table and of the options table the batch path returns.

An accounts table has one row per account: one debt owed by one borrower, with the keys
of a case file (:doc:`/reference/case-file`) flattened into columns. Amounts are decimal
strings (or integers) in the account's currency, as in a case file — never floats; dates
are ISO dates or ``datetime.date``. Only the required columns must be present.
"""

from __future__ import annotations

from typing import Final

import attrs

__all__ = ["ACCOUNT_COLUMNS", "OPTION_COLUMNS", "REQUIRED_COLUMNS", "Column"]


@attrs.frozen
class Column:
    """One documented column.

    :param name: the column name.
    :param meaning: what it holds, and the case-file key it mirrors.
    :param required: whether every accounts table must have it.
    """

    name: str
    meaning: str
    required: bool = False


#: The columns of an accounts table, in the order the reference lists them.
ACCOUNT_COLUMNS: Final = (
    Column("account", "the account's identifier, copied to every option row", required=True),
    Column("currency", "ISO 4217 code of the debt and the borrower's budget", required=True),
    Column("principal", "outstanding principal (``debts.principal``)", required=True),
    Column("accrued_interest", "interest accrued, unpaid (``debts.accrued_interest``)"),
    Column("penalty_interest", "penalty interest accrued (``debts.penalty_interest``)"),
    Column("fees", "fees owed (``debts.fees``)"),
    Column("days_overdue", "days past due (``debts.days_overdue``), 0 when absent"),
    Column("contract_rate", "the contract rate as a decimal fraction", required=True),
    Column(
        "contract_rate_unit",
        "``annual-nominal``, ``annual-effective``, ``monthly`` or ``daily``",
        required=True,
    ),
    Column("contract_rate_day_count", "days in the year of a daily rate, 360 or 365"),
    Column("as_of", "the date the amounts are stated at (``debts.as_of``)", required=True),
    Column("on", "the case date plans start on (``on``); the ``as_of`` date when absent"),
    Column("creditor", "the lender's name (``debts.creditor.name``)", required=True),
    Column(
        "creditor_kind",
        "``credit-card``, ``consumer-finance``, ``online-lender``, ``installment-platform`` "
        "or ``other`` (``debts.creditor.kind``)",
        required=True,
    ),
    Column("monthly_income", "the borrower's monthly income", required=True),
    Column("expenses", "essential monthly expenses, one total (``borrower.expenses.other``)"),
    Column("other_debt_payments", "payments on other debts each month"),
    Column("savings_buffer", "what the borrower keeps aside each month"),
    Column("hardship", "an ongoing hardship kind (``borrower.hardships.kind``), or empty"),
    Column("hardship_start", "when it started; the case date when absent"),
    Column("hardship_end", "when it is expected to end, or empty"),
    Column("evidence", "evidence kinds on hand, separated by ``;``"),
    Column(
        "regime",
        "the annual-rate convention to report (``regime``): CN-PBOC, EU-CCD, US-RegZ or XIRR",
        required=True,
    ),
    Column(
        "policy",
        "the name of a lender policy passed in ``policies``; empty to let the plugins find "
        "the lender's policy or assumed terms, as for a case file without ``[debts.policy]``",
    ),
)

#: The names of the columns every accounts table must have.
REQUIRED_COLUMNS: Final = tuple(c.name for c in ACCOUNT_COLUMNS if c.required)

#: The columns of the options table, one row per ranked option of each account.
OPTION_COLUMNS: Final = (
    Column("account", "the account's identifier"),
    Column("rank", "1 for the best option of the account"),
    Column("strategy", "the strategy's stable name"),
    Column("title", "the proposal's title, in English"),
    Column("eligibility", "``eligible``, ``not-eligible``, ``assumed-terms``, …"),
    Column("currency", "the plan's currency"),
    Column("minor_units", "decimal places of the currency; amounts below are in these units"),
    Column("installments", "number of installments"),
    Column("months", "months from the case date to the last payment"),
    Column("total_paid", "everything the borrower pays, in minor units"),
    Column("largest_payment", "the most paid in one go, in minor units"),
    Column("cost_above_principal", "total paid less the contract principal, in minor units"),
    Column("total_waived", "what the lender forgives, in minor units"),
    Column("annual_rate", "the true annual rate in percent, 2 decimals, or empty"),
    Column("affordable", "whether every payment fits the monthly budget"),
    Column("headroom", "whether the largest payment leaves the budget's headroom"),
    Column("findings", "review finding codes, sorted, separated by ``;``"),
    Column("path", "``vector`` (numpy kernels) or ``scalar`` (the engine, per account)"),
)
