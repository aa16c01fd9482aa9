"""A negotiation case: one debt, the borrower, their goals and the lender's policy."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_DOWN, Decimal
from typing import Final

import attrs

from debtnegotiation._validate import positive_int, to_date
from debtnegotiation.borrower import Borrower
from debtnegotiation.debt import Debt
from debtnegotiation.errors import ValidationError
from debtnegotiation.money import Money
from debtnegotiation.plan import WaiverKind
from debtnegotiation.policy import MAX_TERM_MONTHS, LenderPolicy

__all__ = ["DEFAULT_PAYMENT_SHARE", "Case", "Goals"]

#: The default share of the monthly budget a plan's largest payment may take, 90 %, so
#: a tenth of the surplus stays free for the unexpected. Counselling practice is never to
#: promise the whole surplus with no buffer (a plan that takes all of it fails at the
#: first surprise); the figure 0.90 is this library's choice, not a regulator's.
DEFAULT_PAYMENT_SHARE: Final = Decimal("0.90")


def _optional_months(_instance: object, _attribute: object, value: int | None) -> None:
    if value is not None:
        positive_int("Goals.max_months", value)
        if value > MAX_TERM_MONTHS:
            raise ValidationError(
                "Goals.max_months", f"at most {MAX_TERM_MONTHS} months (50 years)", value
            )


def _optional_target(_instance: object, _attribute: object, value: int | None) -> None:
    if value is not None:
        positive_int("Goals.target_months", value)
        if value > MAX_TERM_MONTHS:
            raise ValidationError(
                "Goals.target_months", f"at most {MAX_TERM_MONTHS} months (50 years)", value
            )


def _payment_share(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValidationError("Goals.payment_share", "a Decimal in (0, 1]", value)
    try:
        share = Decimal(value)
    except ArithmeticError:
        raise ValidationError("Goals.payment_share", "a Decimal in (0, 1]", value) from None
    if not share.is_finite() or not 0 < share <= 1:
        raise ValidationError("Goals.payment_share", "a Decimal in (0, 1]", value)
    return share


def _deadline(value: object) -> dt.date | None:
    return None if value is None else to_date("Goals.deadline", value)


def _waive(value: object) -> frozenset[WaiverKind]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValidationError("Goals.waive", "a set of WaiverKind", value)
    return frozenset(WaiverKind(v) if isinstance(v, str) else v for v in value)


@attrs.frozen(kw_only=True)
class Goals:
    """What the borrower wants (the source article's step three: set a concrete goal).

    :param max_monthly_payment: the most they will commit to each month.
    :param max_months: the longest plan they accept (a cap).
    :param waive: charges to ask to waive (interest, penalty, fees, part of principal).
    :param deadline: the date by which they want an agreement.
    :param target_months: the term they aim for ("24 months"), distinct from the cap: the
        strategies take it when its payments fit, else the nearest longer term that does.
    :param payment_share: the most of the monthly budget a plan's largest payment may
        take, in (0, 1], leaving the rest as headroom; :data:`DEFAULT_PAYMENT_SHARE`
        (0.90) when not set.
    """

    max_monthly_payment: Money | None = None
    max_months: int | None = attrs.field(default=None, validator=_optional_months)
    waive: frozenset[WaiverKind] = attrs.field(default=frozenset(), converter=_waive)
    deadline: dt.date | None = attrs.field(default=None, converter=_deadline)
    target_months: int | None = attrs.field(default=None, validator=_optional_target)
    payment_share: Decimal = attrs.field(default=DEFAULT_PAYMENT_SHARE, converter=_payment_share)


def _on(value: object) -> dt.date:
    return to_date("Case.on", value)


# Not slotted: attrs turns a slotted class's cached properties into bare slots, which
# drops their docstrings from the API reference.
@attrs.frozen(kw_only=True, slots=False)
class Case:
    """Everything a strategy or review sees, frozen so no plugin can alter it for others.

    :param debt: the debt under negotiation.
    :param borrower: the borrower and their budget.
    :param goals: what they want.
    :param policy: the lender's policy, or ``None`` when unknown.
    :param on: the date plans start (normally today).
    :param budget: the monthly amount available for *this* debt; defaults to the
        borrower's whole sustainable payment (the engine sets it when several creditors
        share the budget).
    """

    debt: Debt = attrs.field(validator=attrs.validators.instance_of(Debt))
    borrower: Borrower = attrs.field(validator=attrs.validators.instance_of(Borrower))
    goals: Goals = attrs.field(factory=Goals, validator=attrs.validators.instance_of(Goals))
    policy: LenderPolicy | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(LenderPolicy)),
    )
    on: dt.date = attrs.field(converter=_on)
    budget: Money | None = None

    def __attrs_post_init__(self) -> None:
        """Plans start on or after the date the debt is stated at, in one currency."""
        if self.on < self.debt.as_of:
            raise ValidationError("Case.on", f"a date on or after {self.debt.as_of}", self.on)
        if self.borrower.currency != self.debt.currency:
            raise ValidationError(
                "Case.borrower.currency",
                f"the debt's currency {self.debt.currency}",
                self.borrower.currency,
            )
        if self.owed.amount <= 0:
            raise ValidationError(
                "Case.debt",
                f"a debt with something owed on {self.on} (nothing to negotiate)",
                self.owed,
            )

    @functools.cached_property
    def monthly_budget(self) -> Money:
        """The monthly amount available for this debt."""
        if self.budget is not None:
            return self.budget
        return self.borrower.affordability().sustainable_payment

    @functools.cached_property
    def payment_limit(self) -> Money:
        """The headroom limit, ``goals.payment_share`` of the monthly budget, rounded down.

        Plans whose largest payment is within it leave part of the budget free; the term
        rule and the ranking prefer them (``docs/concepts/strategies.rst``).
        """
        budget = self.monthly_budget
        return (budget * self.goals.payment_share).rounded(ROUND_DOWN)

    @functools.cached_property
    def owed(self) -> Money:
        """What is owed on the case date under the contract (the status quo then)."""
        return self.debt.project(self.on).total
