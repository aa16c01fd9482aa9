"""Debts and the status quo: what is owed on a date if nothing is negotiated."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from fractions import Fraction

import attrs

from debtnegotiation._context import in_library_context
from debtnegotiation._exact import from_units, round_units, to_units
from debtnegotiation._validate import (
    instance_of,
    non_negative_int,
    optional_instance_of,
    to_date,
)
from debtnegotiation.errors import FloatNotAllowedError, ValidationError
from debtnegotiation.money import (
    DEFAULT_ROUNDING,
    Money,
    check_rounding,
    currency_code,
    minor_units,
)
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedule_dates import add_months

__all__ = ["Creditor", "CreditorKind", "Debt", "Projection"]


class CreditorKind(enum.Enum):
    """What kind of lender holds the debt; legal caps and practices depend on it."""

    CREDIT_CARD = "credit-card"
    CONSUMER_FINANCE = "consumer-finance"
    ONLINE_LENDER = "online-lender"
    INSTALLMENT_PLATFORM = "installment-platform"
    OTHER = "other"


def _non_empty(field: str) -> attrs.validators._ValidatorType[str]:  # type: ignore[name-defined]
    def check(_instance: object, _attribute: object, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(field, "a non-empty text", value)

    return check


def _debt_opened(value: object) -> dt.date | None:
    return None if value is None else to_date("Debt.opened", value)


def _debt_as_of(value: object) -> dt.date:
    return to_date("Debt.as_of", value)


def _debt_currency(value: object) -> str:
    return currency_code("Debt.currency", value)


def _check_debt_days_overdue(_instance: object, _attribute: object, value: int) -> None:
    non_negative_int("Debt.days_overdue", value)


@attrs.frozen(kw_only=True)
class Creditor:
    """Who the money is owed to."""

    name: str = attrs.field(validator=_non_empty("Creditor.name"))
    kind: CreditorKind = attrs.field(
        validator=instance_of("Creditor.kind", CreditorKind, "a CreditorKind")
    )


def _amount_in(field: str) -> attrs.validators._ValidatorType[Money]:  # type: ignore[name-defined]
    def check(instance: Debt, _attribute: object, value: object) -> None:
        if isinstance(value, float):
            raise FloatNotAllowedError(field, value)
        if not isinstance(value, Money):
            raise ValidationError(field, "a Money amount", value)
        if value.currency != instance.currency:
            raise ValidationError(field, f"an amount in {instance.currency}", value)
        if value.amount < 0:
            raise ValidationError(field, "an amount of zero or more", value)
        if not value.is_rounded():
            raise ValidationError(field, f"whole {value.currency} minor units", value)

    return check


def _zero(self: Debt) -> Money:
    return Money.zero(self.currency)


@attrs.frozen(kw_only=True)
class Projection:
    """What a debt amounts to on a date under its contract terms (the status quo)."""

    on: dt.date
    principal: Money
    interest: Money
    penalty: Money
    fees: Money

    @property
    def total(self) -> Money:
        """Everything owed on that date."""
        return self.principal + self.interest + self.penalty + self.fees


@attrs.frozen(kw_only=True)
class Debt:
    """One consumer debt, as of a date.

    :param creditor: who holds it.
    :param currency: ISO 4217 code; every amount must be in it.
    :param principal: outstanding principal.
    :param accrued_interest: contract interest due and unpaid.
    :param penalty_interest: penalty (default) interest due and unpaid (罚息).
    :param fees: late fees and other charges due and unpaid.
    :param days_overdue: days since the first missed payment (0 when current).
    :param contract_rate: the contract rate as quoted, with its unit and day count.
    :param penalty_rate: the extra rate charged on principal while overdue, if any.
    :param compounds: whether unpaid interest is added to the interest base monthly
        (historic Chinese card practice: 0.05 % a day, the PBOC 2016 upper limit,
        compounded monthly).
    :param as_of: the date the balances are stated at.
    :param opened: the contract date, if known (caps may depend on it: China's private-lending
        cap is 4 x the LPR at the contract date).
    :param account: an account reference for letters and the log (e.g. last 4 digits).
    """

    creditor: Creditor = attrs.field(validator=instance_of("Debt.creditor", Creditor, "a Creditor"))
    currency: str = attrs.field(converter=_debt_currency)
    principal: Money = attrs.field(validator=_amount_in("Debt.principal"))
    contract_rate: InterestRate = attrs.field(
        validator=instance_of("Debt.contract_rate", InterestRate, "an InterestRate")
    )
    as_of: dt.date = attrs.field(converter=_debt_as_of)
    accrued_interest: Money = attrs.field(
        default=attrs.Factory(_zero, takes_self=True),
        validator=_amount_in("Debt.accrued_interest"),
    )
    penalty_interest: Money = attrs.field(
        default=attrs.Factory(_zero, takes_self=True),
        validator=_amount_in("Debt.penalty_interest"),
    )
    fees: Money = attrs.field(
        default=attrs.Factory(_zero, takes_self=True), validator=_amount_in("Debt.fees")
    )
    days_overdue: int = attrs.field(default=0, validator=_check_debt_days_overdue)
    penalty_rate: InterestRate | None = attrs.field(
        default=None,
        validator=optional_instance_of("Debt.penalty_rate", InterestRate, "an InterestRate"),
    )
    compounds: bool = attrs.field(
        default=False, validator=instance_of("Debt.compounds", bool, "True or False")
    )
    opened: dt.date | None = attrs.field(default=None, converter=_debt_opened)
    account: str = attrs.field(default="", validator=instance_of("Debt.account", str, "text"))

    def __attrs_post_init__(self) -> None:
        """The contract cannot start after the balances are stated."""
        if self.opened is not None and self.opened > self.as_of:
            raise ValidationError(
                "Debt.opened", f"a date on or before as_of {self.as_of}", self.opened
            )

    @property
    def total_owed(self) -> Money:
        """Principal, interest, penalty interest and fees as of ``as_of``."""
        return self.principal + self.accrued_interest + self.penalty_interest + self.fees

    @property
    def charges(self) -> Money:
        """Everything owed above the principal (interest, penalty interest and fees)."""
        return self.accrued_interest + self.penalty_interest + self.fees

    @in_library_context
    def project(self, on: dt.date | str, *, rounding: str = DEFAULT_ROUNDING) -> Projection:
        """Return what is owed on *on* if nothing is paid or negotiated.

        Interest accrues on the principal at the contract rate, day by day (simple
        interest over the rate's day count; ACT/365 for annual and monthly quotes);
        penalty interest accrues on the principal at the penalty rate while the debt is
        overdue. When ``compounds`` is true, both are posted monthly on the
        anniversary of ``as_of`` and join the base they accrue on. Amounts are
        rounded to the minor unit at each posting.

        >>> from debtnegotiation.rates import DayCount
        >>> card = Debt(creditor=Creditor(name="Bank", kind=CreditorKind.CREDIT_CARD),
        ...             currency="CNY", principal=Money("10000", "CNY"),
        ...             contract_rate=InterestRate.daily("0.0005", DayCount.X365),
        ...             as_of="2026-01-01")
        >>> card.project("2026-01-31").interest
        Money(amount=Decimal('150.00'), currency='CNY')
        """
        target = to_date("on", on)
        rounding = check_rounding(rounding)
        if target < self.as_of:
            raise ValidationError("on", f"a date on or after as_of {self.as_of}", target)
        # Projections are pure functions of this frozen debt: the engine asks for the same
        # dates many times (ranking, reviews, ladder), so each is computed once.
        key = (target, rounding)
        cached = self._projections.get(key)
        if cached is None:
            cached = self._projections[key] = self._project(target, rounding)
        return cached

    @functools.cached_property
    def _projections(self) -> dict[tuple[dt.date, str], Projection]:
        return {}

    def _project(self, target: dt.date, rounding: str) -> Projection:
        places = minor_units(self.currency)

        def post(value: Fraction) -> int:
            return round_units(value, 0, rounding)

        principal = to_units(self.principal.amount, places)
        interest = to_units(self.accrued_interest.amount, places)
        penalty = to_units(self.penalty_interest.amount, places)
        overdue = self.days_overdue > 0 and self.penalty_rate is not None
        if self.compounds:
            k, start = 0, self.as_of
            while start < target:
                k += 1
                end = min(add_months(self.as_of, k), target)
                days = (end - start).days
                base = principal + interest + penalty
                interest += post(base * self.contract_rate.for_days(days))
                if overdue:
                    assert self.penalty_rate is not None  # noqa: S101 - checked above
                    penalty += post(base * self.penalty_rate.for_days(days))
                start = end
        else:
            days = (target - self.as_of).days
            interest += post(principal * self.contract_rate.for_days(days))
            if overdue:
                assert self.penalty_rate is not None  # noqa: S101 - checked above
                penalty += post(principal * self.penalty_rate.for_days(days))

        return Projection(
            on=target,
            principal=self.principal,
            interest=_units(interest, places, self.currency),
            penalty=_units(penalty, places, self.currency),
            fees=self.fees,
        )


def _units(units: int, places: int, currency: str) -> Money:
    return Money(from_units(units, places), currency)
