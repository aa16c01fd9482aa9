"""One accounts-table row as a case: the scalar path's input, built as a case file is.

A row is turned into the mapping of a one-debt case file and read by
:func:`~debtnegotiation.casefile.case_from_mapping`, so a row is validated exactly as a
case file is, and errors name the account and the column's case-file key.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from debtnegotiation.apr import Regime
from debtnegotiation.case import Case, Goals
from debtnegotiation.casefile import case_from_mapping
from debtnegotiation.errors import ValidationError
from debtnegotiation.policy import LenderPolicy

__all__ = ["blank", "case_for", "case_mapping", "text"]


def blank(value: object) -> bool:
    """Whether a cell is empty: ``None``, NaN, pandas' missing value or an empty string."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return type(value).__name__ in {"NAType", "NaTType"}


def text(value: object, column: str = "cell") -> str:
    """A cell as the text a case file would hold (ints and Decimals as they are written).

    :param column: how an error names the cell.
    """
    if isinstance(value, bool):
        raise ValidationError(column, "text, an integer or a decimal string", value)
    if isinstance(value, float):
        # A float cannot hold most decimal amounts exactly; refused as a case file does.
        raise ValidationError(column, "a decimal string or an integer, not a float", value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


def _put(target: dict[str, Any], key: str, row: Mapping[str, object], column: str) -> None:
    value = row.get(column)
    if not blank(value):
        target[key] = text(value, _name(row, column))


def _name(row: Mapping[str, object], column: str) -> str:
    return f"account {row.get('account')}: column {column}"


def _cell(row: Mapping[str, object], column: str) -> str:
    return text(row[column], _name(row, column))


def case_mapping(row: Mapping[str, object]) -> dict[str, Any]:
    """The one-debt case-file mapping a row stands for (see :data:`ACCOUNT_COLUMNS`)."""
    currency = _cell(row, "currency")
    borrower: dict[str, Any] = {"name": _cell(row, "account"), "currency": currency}
    _put(borrower, "monthly_income", row, "monthly_income")
    _put(borrower, "other_debt_payments", row, "other_debt_payments")
    _put(borrower, "savings_buffer", row, "savings_buffer")
    if not blank(row.get("expenses")):
        borrower["expenses"] = {"other": _cell(row, "expenses")}
    on = row.get("on")
    on = row["as_of"] if blank(on) else on
    if not blank(row.get("hardship")):
        hardship = {"kind": _cell(row, "hardship")}
        start = row.get("hardship_start")
        hardship["start"] = text(on if blank(start) else start)
        _put(hardship, "expected_end", row, "hardship_end")
        borrower["hardships"] = [hardship]
    if not blank(row.get("evidence")):
        kinds = [k.strip() for k in _cell(row, "evidence").split(";") if k.strip()]
        borrower["evidence"] = [{"kind": k, "issued": text(on)} for k in kinds]
    rate: dict[str, Any] = {"value": _cell(row, "contract_rate")}
    _put(rate, "unit", row, "contract_rate_unit")
    if not blank(row.get("contract_rate_day_count")):
        rate["day_count"] = int(_cell(row, "contract_rate_day_count"))
    creditor: dict[str, Any] = {"name": _cell(row, "creditor")}
    _put(creditor, "kind", row, "creditor_kind")
    debt: dict[str, Any] = {
        "creditor": creditor,
        "currency": currency,
        "principal": _cell(row, "principal"),
        "contract_rate": rate,
        "as_of": _cell(row, "as_of"),
    }
    for column in ("accrued_interest", "penalty_interest", "fees"):
        _put(debt, column, row, column)
    if not blank(row.get("days_overdue")):
        debt["days_overdue"] = int(_cell(row, "days_overdue"))
    data: dict[str, Any] = {"version": 1, "on": text(on), "borrower": borrower, "debts": [debt]}
    _put(data, "regime", row, "regime")
    return data


def case_for(
    row: Mapping[str, object], policies: Mapping[str, LenderPolicy]
) -> tuple[Case, Regime]:
    """The case of one row and the annual-rate regime to report (as its case file would).

    :raises ~debtnegotiation.casefile.CaseFileError: naming the account and every bad key.
    :raises ~debtnegotiation.errors.ValidationError: for a policy name not in *policies*.
    """
    data = case_mapping(row)
    account = _cell(row, "account")
    parsed = case_from_mapping(data, origin=f"account {account}")
    policy = None
    name = row.get("policy")
    if not blank(name):
        key = text(name)
        if key not in policies:
            known = ", ".join(sorted(policies)) or "none were given"
            raise ValidationError(f"account {account}: policy", f"one of: {known}", key)
        policy = policies[key]
    case = Case(
        debt=parsed.debts[0], borrower=parsed.borrower, goals=Goals(), policy=policy, on=parsed.on
    )
    return case, parsed.regime
