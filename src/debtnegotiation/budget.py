"""A household budget as debt advisers build it: income lines, spending, priority debts.

The statement follows the order of the UK Standard Financial Statement and of credit
counsellors' budgets: every income line, the household's spending by category, the
*priority* debts (those with the gravest consequences if unpaid: the home, energy and
water, tax, court fines, child support; in China the housing loan first), a savings
contribution, and what is left, the **surplus for the non-priority debts**. The engine's
headroom setting (``goals.payment_share``) is shown with it: the most of that surplus one
plan's largest payment may take.

Spending guidelines (typical spending by household type and region) come from plugins
through the ``debtneg_spending_guidelines`` hook. They are *flagged*, never imposed: a
category above its guideline gets a note that a counsellor or creditor may question it,
and nothing is changed.

>>> from debtnegotiation.money import Money
>>> budget = Budget(currency="CNY", household_size=1,
...     income=[IncomeLine(kind=IncomeKind.WAGES, amount=Money("4200.00", "CNY"))],
...     expenses=[SpendingLine(category=SpendingCategory.FOOD, amount=Money("900.00", "CNY"))],
...     priority=[PriorityDebt(kind=PriorityKind.RENT, creditor="Landlord",
...                            payment=Money("1200.00", "CNY"))],
...     savings=Money("150.00", "CNY"))
>>> str(budget.statement().surplus)
'1950.00 CNY'
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Final

import attrs

from debtnegotiation._context import in_library_context
from debtnegotiation._validate import instance_of, tuple_of
from debtnegotiation.borrower import Borrower, ExpenseCategory, money_field
from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.money import Money, currency_code, total

__all__ = [
    "DEFAULT_HEADROOM",
    "Budget",
    "BudgetStatement",
    "GuidelineFlag",
    "IncomeKind",
    "IncomeLine",
    "PriorityDebt",
    "PriorityKind",
    "SpendingCategory",
    "SpendingGuideline",
    "SpendingLine",
]

#: The engine's default headroom; one plan's largest payment takes at most 90 % of the
#: monthly budget (``Goals.payment_share``).
DEFAULT_HEADROOM: Final = Decimal("0.90")


class IncomeKind(enum.Enum):
    """Where a line of net monthly income comes from."""

    WAGES = "wages"
    """Take-home pay from work (employed or self-employed)."""
    BENEFITS = "benefits"
    """State benefits, pensions and allowances."""
    HOUSEHOLD = "household"
    """What other household members contribute (a partner's pay, a lodger's rent)."""
    OTHER = "other"
    """Anything else, such as maintenance received, rental income or student support."""


class SpendingCategory(enum.Enum):
    """Spending categories, the union of the SFS flexible costs and the IRS standards' items."""

    HOUSING = "housing"
    FOOD = "food"
    HOUSEKEEPING = "housekeeping"
    CLOTHING = "clothing"
    PERSONAL_CARE = "personal-care"
    UTILITIES = "utilities"
    COMMUNICATIONS = "communications"
    TRANSPORT = "transport"
    HEALTH = "health"
    CHILDCARE = "childcare"
    DEPENDANTS = "dependants"
    INSURANCE = "insurance"
    EDUCATION = "education"
    LEISURE = "leisure"
    OTHER = "other"


class PriorityKind(enum.Enum):
    """Priority debts, in the order they are listed and paid (the home first)."""

    HOUSING_LOAN = "housing-loan"
    """A housing loan (房贷), in China the first debt to keep paying."""
    MORTGAGE = "mortgage"
    RENT = "rent"
    SECURED_LOAN = "secured-loan"
    UTILITIES = "utilities"
    """Energy and water arrears or arrangements."""
    TAX = "tax"
    COURT_FINE = "court-fine"
    CHILD_SUPPORT = "child-support"
    OTHER = "other"


_PRIORITY_ORDER: Final = {kind: i for i, kind in enumerate(PriorityKind)}

#: Borrower expense categories for each spending category, for the engine's Borrower.
_BORROWER_CATEGORY: Final = {
    SpendingCategory.HOUSING: ExpenseCategory.HOUSING,
    SpendingCategory.FOOD: ExpenseCategory.FOOD,
    SpendingCategory.UTILITIES: ExpenseCategory.UTILITIES,
    SpendingCategory.TRANSPORT: ExpenseCategory.TRANSPORT,
    SpendingCategory.HEALTH: ExpenseCategory.HEALTH,
    SpendingCategory.CHILDCARE: ExpenseCategory.DEPENDANTS,
    SpendingCategory.DEPENDANTS: ExpenseCategory.DEPENDANTS,
}


@attrs.frozen(kw_only=True)
class IncomeLine:
    """One line of net monthly income."""

    kind: IncomeKind = attrs.field(
        validator=instance_of("IncomeLine.kind", IncomeKind, "an IncomeKind")
    )
    amount: Money = attrs.field(validator=money_field("IncomeLine.amount"))
    label: str = attrs.field(default="", validator=instance_of("IncomeLine.label", str, "text"))


@attrs.frozen(kw_only=True)
class SpendingLine:
    """Monthly spending in one category."""

    category: SpendingCategory = attrs.field(
        validator=instance_of("SpendingLine.category", SpendingCategory, "a SpendingCategory")
    )
    amount: Money = attrs.field(validator=money_field("SpendingLine.amount"))


@attrs.frozen(kw_only=True)
class PriorityDebt:
    """A priority debt: the monthly payment it needs (the installment plus any arrears)."""

    kind: PriorityKind = attrs.field(
        validator=instance_of("PriorityDebt.kind", PriorityKind, "a PriorityKind")
    )
    creditor: str = attrs.field(validator=instance_of("PriorityDebt.creditor", str, "text"))
    payment: Money = attrs.field(validator=money_field("PriorityDebt.payment"))
    owed: Money | None = None
    """The balance owed, when known (shown, not used in the sums)."""


@attrs.frozen(kw_only=True)
class SpendingGuideline:
    """Typical monthly spending in a category for a household, from a plugin.

    :param category: the spending category.
    :param amount: the guideline figure a month.
    :param household_size: the household size the figure is for.
    :param source: who publishes it, the table and its effective date.
    :param region: the ISO 3166-2 region the figure is for; ``None`` when national.
    """

    category: SpendingCategory = attrs.field(
        validator=instance_of("SpendingGuideline.category", SpendingCategory, "a SpendingCategory")
    )
    amount: Money = attrs.field(validator=money_field("SpendingGuideline.amount"))
    household_size: int = attrs.field(
        validator=instance_of("SpendingGuideline.household_size", int, "a whole number")
    )
    source: str = attrs.field(validator=instance_of("SpendingGuideline.source", str, "text"))
    region: str | None = None


@attrs.frozen(kw_only=True)
class GuidelineFlag:
    """Spending above a guideline: a note for the counsellor, nothing changed.

    :param category: the category.
    :param spent: what the budget says is spent.
    :param guideline: the guideline it exceeds.
    :param message: the note, in words.
    """

    category: SpendingCategory
    spent: Money
    guideline: SpendingGuideline
    message: str


@attrs.frozen(kw_only=True)
class BudgetStatement:
    """The budget worked out: every line, the totals, the surplus and the flags.

    :param surplus: income − spending − priority payments − savings; negative when the
        budget does not balance.
    :param available: what the non-priority debts can get each month, the surplus
        rounded down to the minor unit and never below zero.
    :param headroom: the share of *available* one plan's largest payment may take.
    :param payment_limit: *available* × *headroom*, rounded down.
    :param method: how the surplus is worked out, in words.
    """

    budget: Budget
    income: Money
    spending: Money
    priority: Money
    savings: Money
    surplus: Money
    available: Money
    headroom: Decimal
    payment_limit: Money
    flags: tuple[GuidelineFlag, ...]
    method: str


BUDGET_METHOD: Final = (
    "surplus for non-priority debts (the UK Standard Financial Statement's order): total "
    "income − spending − priority-debt payments − savings contribution"
)


def _income_lines(value: object) -> tuple[IncomeLine, ...]:
    return tuple_of(IncomeLine, "Budget.income")(value)  # type: ignore[no-any-return]


def _spending_lines(value: object) -> tuple[SpendingLine, ...]:
    return tuple_of(SpendingLine, "Budget.expenses")(value)  # type: ignore[no-any-return]


def _priority_lines(value: object) -> tuple[PriorityDebt, ...]:
    # Listed, and paid, home first: the order of PriorityKind (stable within a kind).
    lines: tuple[PriorityDebt, ...] = tuple_of(PriorityDebt, "Budget.priority")(value)
    return tuple(sorted(lines, key=lambda p: _PRIORITY_ORDER[p.kind]))


def _headroom(value: object) -> Decimal:
    if isinstance(value, float):
        raise FloatNotAllowedError("Budget.headroom", value)
    try:
        share = Decimal(str(value)) if isinstance(value, str | int | Decimal) else None
    except ArithmeticError:
        share = None
    if share is None or not share.is_finite() or not 0 < share <= 1:
        raise ValidationError("Budget.headroom", "a Decimal in (0, 1]", value)
    return share


def _positive_size(_instance: object, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("Budget.household_size", "a whole number of people, 1 or more", value)


def _budget_currency(value: object) -> str:
    return currency_code("Budget.currency", value)


@attrs.frozen(kw_only=True)
class Budget:
    """A household's monthly budget, net amounts in one currency.

    :param currency: ISO 4217 code of every amount.
    :param household_size: people the income supports (for spending guidelines).
    :param income: net income lines.
    :param expenses: spending by category.
    :param priority: priority debts and their monthly payments.
    :param savings: the savings contribution kept aside each month (a buffer).
    :param headroom: the engine's headroom setting, ``goals.payment_share``.
    :param region: the ISO 3166-2 region, for regional guidelines.
    """

    currency: str = attrs.field(converter=_budget_currency)
    household_size: int = attrs.field(default=1, validator=_positive_size)
    income: tuple[IncomeLine, ...] = attrs.field(default=(), converter=_income_lines)
    expenses: tuple[SpendingLine, ...] = attrs.field(default=(), converter=_spending_lines)
    priority: tuple[PriorityDebt, ...] = attrs.field(default=(), converter=_priority_lines)
    savings: Money = attrs.field(
        default=attrs.Factory(lambda self: Money.zero(self.currency), takes_self=True),
        validator=money_field("Budget.savings"),
    )
    headroom: Decimal = attrs.field(default=DEFAULT_HEADROOM, converter=_headroom)
    region: str | None = None

    def __attrs_post_init__(self) -> None:
        """Every amount is in the budget's currency."""
        checks: list[tuple[str, Money]] = [("Budget.savings", self.savings)]
        checks += [(f"Budget.income[{i}]", x.amount) for i, x in enumerate(self.income)]
        checks += [(f"Budget.expenses[{i}]", x.amount) for i, x in enumerate(self.expenses)]
        checks += [(f"Budget.priority[{i}]", x.payment) for i, x in enumerate(self.priority)]
        for field, amount in checks:
            if amount.currency != self.currency:
                raise ValidationError(field, f"an amount in {self.currency}", amount)

    @classmethod
    def from_borrower(
        cls,
        borrower: Borrower,
        *,
        household_size: int = 1,
        headroom: Decimal = DEFAULT_HEADROOM,
    ) -> Budget:
        """The budget a :class:`~debtnegotiation.borrower.Borrower` states, line for line.

        Net income is one ``other`` line; payments on other debts become a priority line
        of kind ``other`` (they are paid before the debts being planned).
        """
        currency = borrower.currency
        priority = []
        if borrower.other_debt_payments.amount > 0:
            priority.append(
                PriorityDebt(
                    kind=PriorityKind.OTHER,
                    creditor="",
                    payment=borrower.other_debt_payments,
                )
            )
        return cls(
            currency=currency,
            household_size=household_size,
            income=[IncomeLine(kind=IncomeKind.OTHER, amount=borrower.monthly_income)],
            expenses=[
                SpendingLine(category=SpendingCategory(e.category.value), amount=e.amount)
                for e in borrower.expenses
            ],
            priority=priority,
            savings=borrower.savings_buffer,
            headroom=headroom,
            region=borrower.region,
        )

    def borrower(self, base: Borrower) -> Borrower:
        """*base* with this budget's income, spending, priority payments and savings.

        The engine's affordability then gives the same surplus as :meth:`statement`:
        priority payments count as payments on other debts, and categories the
        :class:`~debtnegotiation.borrower.Borrower` has no name for count as ``other``.
        """
        expenses: dict[ExpenseCategory, Money] = {}
        for line in self.expenses:
            category = _BORROWER_CATEGORY.get(line.category, ExpenseCategory.OTHER)
            expenses[category] = expenses.get(category, Money.zero(self.currency)) + line.amount
        return attrs.evolve(
            base,
            monthly_income=self.total_income,
            expenses=expenses,
            other_debt_payments=self.total_priority,
            savings_buffer=self.savings,
        )

    @property
    def total_income(self) -> Money:
        """All income lines."""
        return total((x.amount for x in self.income), self.currency)

    @property
    def total_spending(self) -> Money:
        """All spending lines."""
        return total((x.amount for x in self.expenses), self.currency)

    @property
    def total_priority(self) -> Money:
        """All priority-debt payments."""
        return total((x.payment for x in self.priority), self.currency)

    def spent(self, category: SpendingCategory) -> Money:
        """What is spent in *category* (zero when it has no line)."""
        return total((x.amount for x in self.expenses if x.category is category), self.currency)

    @in_library_context
    def statement(self, guidelines: Sequence[SpendingGuideline] = ()) -> BudgetStatement:
        """Work the budget out, flagging spending above *guidelines* (never changing it).

        Of several guidelines for one category, the one for this household size and
        region wins, then the national one for this size; others are ignored.
        """
        surplus = self.total_income - self.total_spending - self.total_priority - self.savings
        zero = Money.zero(self.currency)
        available = surplus.rounded(ROUND_DOWN) if surplus.amount > 0 else zero
        limit = (available * self.headroom).rounded(ROUND_DOWN)
        return BudgetStatement(
            budget=self,
            income=self.total_income,
            spending=self.total_spending,
            priority=self.total_priority,
            savings=self.savings,
            surplus=surplus,
            available=available,
            headroom=self.headroom,
            payment_limit=limit,
            flags=self._flags(guidelines),
            method=BUDGET_METHOD,
        )

    def _flags(self, guidelines: Sequence[SpendingGuideline]) -> tuple[GuidelineFlag, ...]:
        chosen: dict[SpendingCategory, SpendingGuideline] = {}
        for g in guidelines:
            if not isinstance(g, SpendingGuideline):
                raise ValidationError("guidelines", "SpendingGuideline objects", g)
            if g.household_size != self.household_size or g.amount.currency != self.currency:
                continue
            if g.region not in {None, self.region}:
                continue
            held = chosen.get(g.category)
            if held is None or (held.region is None and g.region is not None):
                chosen[g.category] = g
        flags = []
        for category in SpendingCategory:
            guideline = chosen.get(category)
            if guideline is None:
                continue
            spent = self.spent(category)
            if spent > guideline.amount:
                message = (
                    f"{category.value} {spent.amount} above the guideline "
                    f"{guideline.amount.amount} for a household of {self.household_size} "
                    f"({guideline.source}) — counsellors may question it"
                )
                flags.append(
                    GuidelineFlag(
                        category=category, spent=spent, guideline=guideline, message=message
                    )
                )
        return tuple(flags)
