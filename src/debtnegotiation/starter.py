"""A starter case file: the first file a new user writes, with every key explained.

:func:`starter_case_text` turns a :class:`StarterCase` (a borrower, their essential
spending and one debt) into a commented TOML case file that
:func:`~debtnegotiation.casefile.loads_case` reads back to the same figures.
``debtneg init`` fills a :class:`StarterCase` from a few questions, or writes
:data:`TEMPLATE` when nobody is there to answer. The comments are translated
(``locale``); the keys stay English, as the case-file reader expects them.

>>> from debtnegotiation.casefile import loads_case
>>> case = loads_case(starter_case_text(TEMPLATE), suffix=".toml")
>>> case.debts[0].principal
Money(amount=Decimal('5400.00'), currency='USD')
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from decimal import Decimal
from typing import Final

import attrs

from debtnegotiation.apr import Regime
from debtnegotiation.borrower import ExpenseCategory
from debtnegotiation.debt import CreditorKind
from debtnegotiation.errors import ValidationError
from debtnegotiation.i18n import translations
from debtnegotiation.money import Money, currency_code, minor_units
from debtnegotiation.rates import RateUnit

__all__ = ["EXPENSE_KEYS", "TEMPLATE", "StarterCase", "default_regime", "starter_case_text"]

#: The spending categories a starter file asks for, in the order they are asked.
EXPENSE_KEYS: Final = (
    ExpenseCategory.HOUSING,
    ExpenseCategory.FOOD,
    ExpenseCategory.UTILITIES,
    ExpenseCategory.TRANSPORT,
    ExpenseCategory.HEALTH,
)

# The convention each currency's own regulator uses for the annual rate it makes lenders
# disclose: PBOC Announcement [2021] No. 3 (CNY), Regulation Z, 12 CFR 1026 Appendix J
# (USD), Directive 2008/48/EC Annex I (EUR). Other currencies get plain XIRR.
_REGIME_BY_CURRENCY: Final = {
    "CNY": Regime.CN_PBOC,
    "USD": Regime.US_REG_Z,
    "EUR": Regime.EU_CCD,
}


def default_regime(currency: str) -> Regime:
    """The annual-rate convention suggested for *currency*: its regulator's, else XIRR.

    >>> default_regime("CNY").value, default_regime("GBP").value
    ('CN-PBOC', 'XIRR')
    """
    return _REGIME_BY_CURRENCY.get(currency_code("currency", currency), Regime.XIRR)


def _amount(field: str) -> attrs.validators._ValidatorType[Decimal]:  # type: ignore[name-defined]
    def check(_instance: object, _attribute: object, value: object) -> None:
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise ValidationError(field, "a non-negative decimal amount", value)

    return check


def _expenses(value: object) -> tuple[tuple[ExpenseCategory, Decimal], ...]:
    if not isinstance(value, tuple):
        raise ValidationError("expenses", "a tuple of (category, amount) pairs", value)
    for item in value:
        if (
            not isinstance(item, tuple)
            or len(item) != 2
            or not isinstance(item[0], ExpenseCategory)
            or not isinstance(item[1], Decimal)
            or not item[1].is_finite()
            or item[1] < 0
        ):
            raise ValidationError("expenses", "(ExpenseCategory, non-negative Decimal) pairs", item)
    return value


def _currency(value: object) -> str:
    return currency_code("currency", value)


@attrs.frozen(kw_only=True)
class StarterCase:
    """What a starter case file says: one borrower, their spending, one debt.

    Amounts are :class:`~decimal.Decimal` in *currency*; they are checked against the
    currency's minor units when the file is written. The rate is a percentage as the
    contract states it (``Decimal("24.99")`` with ``RateUnit.ANNUAL_NOMINAL`` is 24.99 % a
    year; ``Decimal("0.05")`` with ``RateUnit.DAILY`` is 0.05 % a day).
    """

    on: dt.date
    currency: str = attrs.field(converter=_currency)
    regime: Regime
    name: str = ""
    monthly_income: Decimal = attrs.field(validator=_amount("monthly_income"))
    expenses: tuple[tuple[ExpenseCategory, Decimal], ...] = attrs.field(converter=_expenses)
    creditor: str = attrs.field()
    creditor_kind: CreditorKind
    principal: Decimal = attrs.field(validator=_amount("principal"))
    rate_percent: Decimal = attrs.field(validator=_amount("rate_percent"))
    rate_unit: RateUnit
    days_overdue: int = attrs.field(default=0)

    @creditor.validator
    def _check_creditor(self, _attribute: object, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError("creditor", "the lender's name, not empty", value)

    @days_overdue.validator
    def _check_days(self, _attribute: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 36_500:
            raise ValidationError("days_overdue", "a whole number of days from 0 to 36500", value)


#: What a starter file holds when nobody answers questions (a US credit card, 45 days
#: behind). Every figure is a placeholder to replace.
TEMPLATE: Final = StarterCase(
    on=dt.date(2026, 12, 1),
    currency="USD",
    regime=Regime.US_REG_Z,
    name="Your Name",
    monthly_income=Decimal("3200.00"),
    expenses=(
        (ExpenseCategory.HOUSING, Decimal("1250.00")),
        (ExpenseCategory.FOOD, Decimal("520.00")),
        (ExpenseCategory.UTILITIES, Decimal("210.00")),
        (ExpenseCategory.TRANSPORT, Decimal("260.00")),
        (ExpenseCategory.HEALTH, Decimal("120.00")),
    ),
    creditor="Example Card Issuer",
    creditor_kind=CreditorKind.CREDIT_CARD,
    principal=Decimal("5400.00"),
    rate_percent=Decimal("24.99"),
    rate_unit=RateUnit.ANNUAL_NOMINAL,
    days_overdue=45,
)


def _quoted(text: str) -> str:
    # A JSON string is a valid TOML basic string: the same escapes, and json.dumps never
    # writes the one JSON-only escape (\/).
    return json.dumps(text, ensure_ascii=False)


def _money(value: Decimal, currency: str, field: str) -> str:
    quantum = Decimal(1).scaleb(-minor_units(currency))
    if value != value.quantize(quantum):
        raise ValidationError(field, f"an amount in whole minor units of {currency}", value)
    return _quoted(str(Money(value.quantize(quantum), currency).amount))


def _rate_fraction(percent: Decimal) -> str:
    # scaleb moves the decimal point: exact, whatever the context's precision.
    return _quoted(format(percent.scaleb(-2), "f"))


def starter_case_text(case: StarterCase, *, locale: str = "en") -> str:
    """The commented TOML case file for *case*, its comments in *locale*."""
    _ = translations(locale).gettext
    rate = f'{{ value = {_rate_fraction(case.rate_percent)}, unit = "{case.rate_unit.value}"'
    rate += ", day_count = 365 }" if case.rate_unit is RateUnit.DAILY else " }"

    def comment(text: str) -> list[str]:
        return ["# " + line for line in textwrap.wrap(text, width=88)]

    on = case.on.isoformat()
    lines = [
        *comment(
            _(
                "A case file for debtneg, written by `debtneg init`. Replace every figure "
                "with your own; amounts are quoted strings, exact to the cent. The case-file "
                "reference in the documentation explains every key. Then run:"
            )
        ),
        "#",
        "#     debtneg options THIS-FILE",
        "#     debtneg letter THIS-FILE --creditor " + _quoted(case.creditor),
        "",
        "version = 1",
        *comment(_("The day the figures below are true; plans start on it.")),
        f"on = {on}",
        *comment(_("How annual rates are stated: CN-PBOC, US-RegZ, EU-CCD or XIRR.")),
        f'regime = "{case.regime.value}"',
        "",
        "[borrower]",
        f"name = {_quoted(case.name)}",
        f'currency = "{case.currency}"',
        *comment(_("Take-home pay and benefits, each month.")),
        f"monthly_income = {_money(case.monthly_income, case.currency, 'monthly_income')}",
        *comment(_("Kept aside each month for emergencies.")),
        'savings_buffer = "0"',
        "",
        *comment(_("Essential spending each month, by category.")),
        "[borrower.expenses]",
    ]
    lines += [
        f"{category.value} = {_money(amount, case.currency, category.value)}"
        for category, amount in case.expenses
    ]
    lines += [
        "",
        *comment(
            _(
                "Why you cannot pay as agreed, and since when. Kinds: unemployment, illness, "
                "income-drop, family-event, disaster, other."
            )
        ),
        "# [[borrower.hardships]]",
        '# kind = "unemployment"',
        f"# start = {on}",
        "",
        *comment(_("One [[debts]] table per debt; copy it for each lender.")),
        "[[debts]]",
        f'creditor = {{ name = {_quoted(case.creditor)}, kind = "{case.creditor_kind.value}" }}',
        f'currency = "{case.currency}"',
        *comment(_("What you still owe, as the latest statement shows it.")),
        f"principal = {_money(case.principal, case.currency, 'principal')}",
        *comment(_("The rate as the contract states it, as a fraction (0.2499 is 24.99 %).")),
        f"contract_rate = {rate}",
        *comment(_("Days since the first missed payment; 0 when you are up to date.")),
        f"days_overdue = {case.days_overdue}",
        f"as_of = {on}",
        "",
        *comment(
            _(
                "What the lender offers people in hardship, if you know it (fractions of the "
                "total owed). Without it, debtneg assumes typical terms and says so."
            )
        ),
        "# [debts.policy]",
        '# fee_rate = "0.05"',
        "# max_months = 24",
        "",
    ]
    return "\n".join(lines)
