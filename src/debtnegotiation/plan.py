"""Plans: what a strategy proposes — upfront items, installments, waivers — and their metrics."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import operator
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate, repeat
from operator import sub
from typing import TYPE_CHECKING, Any

import attrs

from debtnegotiation._exact import EXACT, div_round, from_units
from debtnegotiation._validate import instance_of, non_negative_int, to_date
from debtnegotiation.cashflow import CashFlow
from debtnegotiation.errors import DebtNegotiationError, FloatNotAllowedError, ValidationError
from debtnegotiation.money import Money, total
from debtnegotiation.schedule_dates import add_months, monthly_dates, months_rounded_up

__all__ = [
    "Installment",
    "Plan",
    "UpfrontItem",
    "UpfrontKind",
    "Waiver",
    "WaiverKind",
]


def _money(field: str, *, allow_negative: bool = False) -> Any:  # noqa: ANN401 - attrs validator
    def check(_instance: object, _attribute: object, value: object) -> None:
        if isinstance(value, float):
            raise FloatNotAllowedError(field, value)
        if not isinstance(value, Money):
            raise ValidationError(field, "a Money amount", value)
        if not allow_negative and value.amount < 0:
            raise ValidationError(field, "an amount of zero or more", value)
        if not value.is_rounded():
            raise ValidationError(field, f"an amount in whole {value.currency} minor units", value)

    return check


def _installment_due(value: object) -> dt.date:
    return to_date("Installment.due", value)


def _upfrontitem_on(value: object) -> dt.date:
    return to_date("UpfrontItem.on", value)


def _plan_start(value: object) -> dt.date:
    return to_date("Plan.start", value)


def _check_installment_seq(_instance: object, _attribute: object, value: int) -> None:
    non_negative_int("Installment.seq", value)


# The private fast constructors (each class's _trusted) build objects without __init__.
_new = object.__new__
_set_dict = object.__setattr__


@attrs.frozen(kw_only=True)
class Installment:
    """One scheduled payment: principal, interest and fee due on a date."""

    seq: int = attrs.field(validator=_check_installment_seq)
    due: dt.date = attrs.field(converter=_installment_due)
    principal: Money = attrs.field(validator=_money("Installment.principal"))
    interest: Money = attrs.field(validator=_money("Installment.interest"))
    fee: Money = attrs.field(validator=_money("Installment.fee"))
    balance_after: Money = attrs.field(validator=_money("Installment.balance_after"))

    def __attrs_post_init__(self) -> None:
        """All parts of an installment are in one currency."""
        currencies = {
            m.currency for m in (self.principal, self.interest, self.fee, self.balance_after)
        }
        if len(currencies) != 1:
            raise ValidationError("Installment", "one currency for every part", sorted(currencies))

    @property
    def total(self) -> Money:
        """What the borrower pays on the due date."""
        return self._total

    # Cached in a slot; the public name stays a plain property so its docstring survives.
    @functools.cached_property
    def _total(self) -> Money:
        add = EXACT.add
        return Money._trusted(
            add(add(self.principal.amount, self.interest.amount), self.fee.amount),
            self.principal.currency,
        )

    @classmethod
    def _trusted(  # noqa: PLR0917 - private fast constructor, positional by design
        cls,
        seq: int,
        due: dt.date,
        principal: Money,
        interest: Money,
        fee: Money,
        balance_after: Money,
    ) -> Installment:
        """Build without validation: the one private fast constructor of :class:`Installment`.

        No checks at all: callers (the schedule builders) guarantee a ``seq`` of 1 or more,
        a ``date``, and four :class:`~debtnegotiation.money.Money` amounts of one currency
        in whole minor units, none negative.
        """
        item = _new(cls)
        _set_seq(item, seq)
        _set_due(item, due)
        _set_principal(item, principal)
        _set_interest(item, interest)
        _set_fee(item, fee)
        _set_balance_after(item, balance_after)
        return item


# Slot setters of the frozen class, for the private fast constructor Installment._trusted:
# calling a slot descriptor directly is about twice as fast as object.__setattr__ by name.
_set_seq = Installment.__dict__["seq"].__set__
_set_due = Installment.__dict__["due"].__set__
_set_principal = Installment.__dict__["principal"].__set__
_set_interest = Installment.__dict__["interest"].__set__
_set_fee = Installment.__dict__["fee"].__set__
_set_balance_after = Installment.__dict__["balance_after"].__set__


class UpfrontKind(enum.Enum):
    """What an upfront item is."""

    FEE = "fee"
    """A handling fee (手续费) or other charge paid at the start."""
    PAYMENT = "payment"
    """A first payment that reduces the balance."""


@attrs.frozen(kw_only=True)
class UpfrontItem:
    """A fee or payment at the start of the plan.

    A fee ``withheld`` at drawdown is never paid in cash: it reduces the amount financed
    (EU Annex I example 2 counts 950, not 1,000), which is how it enters the annual rate.
    """

    kind: UpfrontKind = attrs.field(
        validator=instance_of("UpfrontItem.kind", UpfrontKind, "an UpfrontKind")
    )
    amount: Money = attrs.field(validator=_money("UpfrontItem.amount"))
    on: dt.date = attrs.field(converter=_upfrontitem_on)
    withheld: bool = attrs.field(
        default=False, validator=instance_of("UpfrontItem.withheld", bool, "True or False")
    )
    label: str = attrs.field(default="", validator=instance_of("UpfrontItem.label", str, "text"))

    def __attrs_post_init__(self) -> None:
        """Only fees can be withheld."""
        if self.withheld and self.kind is not UpfrontKind.FEE:
            raise ValidationError("UpfrontItem.withheld", "False for a payment", self.withheld)


class WaiverKind(enum.Enum):
    """What a lender gives up."""

    INTEREST = "interest"
    PENALTY = "penalty"
    FEES = "fees"
    PRINCIPAL = "principal"


@attrs.frozen(kw_only=True)
class Waiver:
    """An amount the lender forgives, by kind."""

    kind: WaiverKind = attrs.field(validator=instance_of("Waiver.kind", WaiverKind, "a WaiverKind"))
    amount: Money = attrs.field(validator=_money("Waiver.amount"))


class _Rows:
    """A schedule in whole minor units: what the schedule builders compute.

    Columns of ints of *places* decimals, one entry per installment: each installment's
    interest, principal and fee. What can be derived is kept as its rule until first
    read, since most callers of a builder read only totals:

    * *level* ``(payment, last)`` instead of the principal column: a level payment
      whose principal part is the payment less the interest, and *last* the principal
      of the last installment;
    * no fee column: no installment fees;
    * *monthly* ``(anchor, skip)`` instead of the due dates: the dates *skip*, *skip* +
      1, ... months after *anchor* (:func:`monthly_dates`);
    * the balance after each installment (*financed* less the principal so far) and
      the totals.

    A plan built from rows makes its :class:`Installment` objects only on access; its
    metrics are integer sums over the columns.
    """

    __slots__ = (
        "_dates",
        "_fees",
        "_level",
        "_monthly",
        "_principals",
        "_totals",
        "currency",
        "financed",
        "interests",
        "places",
    )

    def __init__(  # noqa: PLR0917 - private, called positionally: it is hot
        self,
        currency: str,
        places: int,
        financed: int,
        interests: tuple[int, ...],
        principals: tuple[int, ...] | None,
        level: tuple[int, int] | None,
        fees: tuple[int, ...] | None,
        dates: tuple[dt.date, ...] | None,
        monthly: tuple[dt.date, int] | None,
    ) -> None:
        self.currency = currency
        self.places = places
        self.financed = financed
        self.interests = interests
        self._principals = principals
        self._level = level
        self._fees = fees
        self._dates = dates
        self._monthly = monthly
        self._totals: tuple[int, ...] | None = None

    @property
    def principals(self) -> tuple[int, ...]:
        """The principal part of each installment."""
        principals = self._principals
        if principals is None:
            assert self._level is not None  # noqa: S101 - one of the two is always given
            payment, last = self._level
            listed = [payment - interest for interest in self.interests]
            listed[-1] = last
            principals = self._principals = tuple(listed)
        return principals

    @property
    def fees(self) -> tuple[int, ...]:
        """The fee of each installment."""
        fees = self._fees
        if fees is None:
            fees = self._fees = (0,) * len(self.interests)
        return fees

    def fee_total(self) -> int:
        """The installment fees in all."""
        return 0 if self._fees is None else sum(self._fees)

    @property
    def has_fees(self) -> bool:
        """Whether a fee column was given (without one, every installment fee is zero)."""
        return self._fees is not None

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """The due dates."""
        dates = self._dates
        if dates is None:
            assert self._monthly is not None  # noqa: S101 - one of the two is always given
            anchor, skip = self._monthly
            dates = self._dates = monthly_dates(anchor, skip, len(self.interests))
        return dates

    def due_by(self, day: dt.date) -> int | None:
        """What the installments due on or before *day* pay in all (``None``: none is due)."""
        if not self.interests:
            return None
        if self._dates is None and self._monthly is not None:
            anchor, skip = self._monthly
            if add_months(anchor, skip) > day:  # the first is later: so are the others
                return None
        due = [t for t, on in zip(self.totals, self.dates, strict=True) if on <= day]
        return sum(due) if due else None

    def last_due(self) -> dt.date | None:
        """The last due date (``None`` when there are no installments)."""
        if not self.interests:
            return None
        if self._dates is None and self._monthly is not None:
            anchor, skip = self._monthly
            return add_months(anchor, skip + len(self.interests) - 1)
        return self.dates[-1]

    @property
    def totals(self) -> tuple[int, ...]:
        """What each installment pays in all."""
        totals = self._totals
        if totals is None:
            if self._principals is None and self._fees is None and self.interests:
                # A level payment without fees: each principal part is the payment less
                # its interest, so every total but the last is the payment itself.
                assert self._level is not None  # noqa: S101 - one of the two is always given
                payment, last = self._level
                count = len(self.interests)
                totals = (payment,) * (count - 1) + (last + self.interests[-1],)
            else:
                totals = tuple(map(_add3, self.principals, self.interests, self.fees))
            self._totals = totals
        return totals

    def balances(self) -> list[int]:
        """The balance after each installment."""
        balances = list(accumulate(self.principals, sub, initial=self.financed))
        del balances[0]
        return balances

    def outflows(self) -> list[CashFlow]:
        """Each installment as a payment, ``CashFlow(due, -total)``, in C-level passes.

        The amounts are :func:`~debtnegotiation._exact.from_units` of the negated totals;
        the flows are made without their converters (as ``CashFlow._trusted``, in bulk).
        """
        totals = self.totals
        # One amount per distinct total (a Decimal is immutable): a level schedule repeats
        # its payment row after row.
        places = -self.places
        scale = EXACT.scaleb
        amount = {paid: scale(Decimal(-paid), places) for paid in set(totals)}
        made = list(map(_new, repeat(CashFlow, len(totals))))
        deque(map(_set_flow_on, made, self.dates), maxlen=0)
        deque(map(_set_flow_amount, made, map(amount.__getitem__, totals)), maxlen=0)
        return made

    def money(self, units: int) -> Money:
        return Money._trusted(from_units(units, self.places), self.currency)

    def installments(self) -> tuple[Installment, ...]:
        money, places, currency = Money._trusted, self.places, self.currency
        scale = EXACT.scaleb
        # One Money per distinct amount (Money is immutable): a level schedule repeats its
        # principal part, and most schedules their zero interest or fee, row after row.
        made: dict[int, Money] = {0: money(from_units(0, places), currency)}

        def amount(units: int) -> Money:
            found = made.get(units)
            if found is None:
                found = made[units] = money(scale(Decimal(units), -places), currency)
            return found

        return tuple(
            map(
                Installment._trusted,
                range(1, len(self.interests) + 1),
                self.dates,
                map(amount, self.principals),
                map(amount, self.interests),
                map(amount, self.fees),
                map(amount, self.balances()),
            )
        )


# Slot setters of the frozen CashFlow, for making a schedule's flows in bulk (_Rows.outflows).
_set_flow_on = CashFlow.__dict__["on"].__set__
_set_flow_amount = CashFlow.__dict__["amount"].__set__
_on_of = operator.attrgetter("on")


def _add3(a: int, b: int, c: int) -> int:
    return a + b + c


def _tuple(field: str, value: object) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ValidationError(field, "a list or tuple", value)
    return tuple(value)


def _plan_installments(value: object) -> tuple[Installment, ...]:
    return _tuple("Plan.installments", value)


def _plan_upfront(value: object) -> tuple[UpfrontItem, ...]:
    return _tuple("Plan.upfront", value)


def _plan_waivers(value: object) -> tuple[Waiver, ...]:
    return _tuple("Plan.waivers", value)


def _plan_conditions(value: object) -> tuple[str, ...]:
    return _tuple("Plan.conditions", value)


def _sum(amounts: Iterable[Money], currency: str) -> Money:
    """Sum amounts already known to be in *currency* (checked at construction)."""
    result, add = Decimal(0), EXACT.add
    for money in amounts:
        result = add(result, money.amount)
    return Money._trusted(result, currency)


# Not slotted: attrs turns a slotted class's cached properties into bare slots, which
# drops their docstrings from the API reference.
@attrs.frozen(kw_only=True, slots=False)
class Plan:
    """A repayment plan: the balance it restructures and how it is paid.

    :param principal: the amount restructured (the amount financed before withheld fees).
    :param start: when the plan begins; the balance counts as advanced on this date.
    :param installments: the schedule, in due-date order.
    :param upfront: fees and payments at the start.
    :param waivers: what the lender forgives under this plan.
    :param conditions: plain-language conditions (e.g. "lapses on a missed payment").
    :param label: a short name for display, e.g. ``"fee-advance 24 months"``.

    Invariant: principal in installments plus upfront payments equals ``principal``.
    """

    principal: Money = attrs.field(validator=_money("Plan.principal"))
    start: dt.date = attrs.field(converter=_plan_start)
    installments: tuple[Installment, ...] = attrs.field(converter=_plan_installments)
    upfront: tuple[UpfrontItem, ...] = attrs.field(default=(), converter=_plan_upfront)
    waivers: tuple[Waiver, ...] = attrs.field(default=(), converter=_plan_waivers)
    conditions: tuple[str, ...] = attrs.field(default=(), converter=_plan_conditions)
    label: str = attrs.field(default="", validator=instance_of("Plan.label", str, "text"))

    def __attrs_post_init__(self) -> None:
        """Check currencies, dates, numbering and that the principal is repaid exactly."""
        self._check_installments()
        self._check_upfront()
        cur = self.principal.currency
        for i, waiver in enumerate(self.waivers):
            if not isinstance(waiver, Waiver) or waiver.amount.currency != cur:
                raise ValidationError(f"Plan.waivers[{i}]", f"a Waiver in {cur}", waiver)
        for i, condition in enumerate(self.conditions):
            if not isinstance(condition, str):
                raise ValidationError(f"Plan.conditions[{i}]", "text", condition)
        self._check_repaid()

    def _check_installments(self) -> None:
        cur = self.principal.currency
        for i, item in enumerate(self.installments):
            field = f"Plan.installments[{i}]"
            if not isinstance(item, Installment):
                raise ValidationError(field, "an Installment", item)
            if item.principal.currency != cur:
                raise ValidationError(field, f"amounts in {cur}", item)
            if item.seq != i + 1:
                raise ValidationError(f"{field}.seq", f"{i + 1} (numbered 1, 2, ...)", item.seq)
            if item.due < self.start:
                raise ValidationError(f"{field}.due", f"a date on or after {self.start}", item.due)
            if i and item.due < self.installments[i - 1].due:
                raise ValidationError(f"{field}.due", "due dates in order", item.due)

    def _check_upfront(self) -> None:
        cur = self.principal.currency
        for i, up in enumerate(self.upfront):
            if not isinstance(up, UpfrontItem) or up.amount.currency != cur:
                raise ValidationError(f"Plan.upfront[{i}]", f"an UpfrontItem in {cur}", up)
            if up.on < self.start:
                raise ValidationError(
                    f"Plan.upfront[{i}].on", f"a date on or after the start {self.start}", up.on
                )
        withheld = _sum([u.amount for u in self.upfront if u.withheld], cur)
        if withheld > self.principal:
            raise ValidationError(
                "Plan.upfront",
                f"fees withheld at drawdown of at most the principal {self.principal}",
                withheld,
            )

    def _check_repaid(self) -> None:
        repaid = _sum(
            [i.principal for i in self.installments]
            + [u.amount for u in self.upfront if u.kind is UpfrontKind.PAYMENT],
            self.principal.currency,
        )
        if repaid != self.principal:
            raise ValidationError(
                "Plan.installments",
                f"principal parts plus upfront payments summing to {self.principal}",
                repaid,
            )
        # balance_after may include interest added to the balance (negative amortization,
        # which a review flags), so only its end is fixed: nothing is left owing.
        if self.installments and self.installments[-1].balance_after.amount != 0:
            last = len(self.installments) - 1
            raise ValidationError(
                f"Plan.installments[{last}].balance_after",
                "zero after the last installment (the plan repays the balance)",
                self.installments[-1].balance_after,
            )

    @classmethod
    def _trusted(
        cls,
        principal: Money,
        start: dt.date,
        installments: tuple[Installment, ...],
        upfront: tuple[UpfrontItem, ...],
        label: str,
    ) -> Plan:
        """Build without validation: the private fast constructor of :class:`Plan`.

        No checks at all: callers (the builders in :mod:`debtnegotiation.schedules`)
        validate their inputs at the public boundary and construct every installment
        themselves, so they guarantee what :meth:`__attrs_post_init__` would check again.
        """
        plan = _new(cls)
        # Not slotted, so the fields live in the instance dict: set them in one call.
        vars(plan).update(
            principal=principal,
            start=start,
            installments=installments,
            upfront=upfront,
            waivers=(),
            conditions=(),
            label=label,
        )
        return plan

    @classmethod
    def _from_rows(
        cls,
        principal: Money,
        start: dt.date,
        rows: _Rows,
        upfront: tuple[UpfrontItem, ...],
        label: str,
        *,
        waivers: tuple[Waiver, ...] = (),
        conditions: tuple[str, ...] = (),
    ) -> Plan:
        """Build from integer rows without validation; installments are made on access.

        No checks at all: the callers (the schedule builders) guarantee everything
        :meth:`__attrs_post_init__` checks, for the rows as ints: numbered from 1, due
        dates in order on or after *start*, parts of zero or more, principal parts plus
        upfront payments summing to the principal, a last balance of zero.
        """
        plan = _new(cls)
        # Not slotted: the fields live in the instance dict; a new one is set in one go.
        _set_dict(
            plan,
            "__dict__",
            {
                "principal": principal,
                "start": start,
                "_rows": rows,
                "upfront": upfront,
                "waivers": waivers,
                "conditions": conditions,
                "label": label,
            },
        )
        return plan

    def _replace(
        self,
        *,
        label: str | None = None,
        conditions: Sequence[str] | None = None,
        waivers: Sequence[Waiver] | None = None,
    ) -> Plan:
        """A copy with another label, conditions or waivers, keeping the cached metrics.

        The schedule is shared, not rebuilt or checked again; only the new values are
        validated (as :meth:`__attrs_post_init__` would), since nothing else changes.
        """
        state = dict(vars(self))
        if label is not None:
            if not isinstance(label, str):
                raise ValidationError("Plan.label", "text", label)
            state["label"] = label
        if conditions is not None:
            state["conditions"] = _plan_conditions(conditions)
            for i, condition in enumerate(state["conditions"]):
                if not isinstance(condition, str):
                    raise ValidationError(f"Plan.conditions[{i}]", "text", condition)
        if waivers is not None:
            state["waivers"] = _plan_waivers(waivers)
            cur = self.principal.currency
            for i, waiver in enumerate(state["waivers"]):
                if not isinstance(waiver, Waiver) or waiver.amount.currency != cur:
                    raise ValidationError(f"Plan.waivers[{i}]", f"a Waiver in {cur}", waiver)
            state.pop("total_waived", None)
        plan = _new(type(self))
        vars(plan).update(state)
        return plan

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:  # noqa: ANN401
            """Make the installments of a plan built from integer rows, on first access.

            Only reached when normal lookup fails; they are then kept as the field.
            """
            if name == "installments":
                rows = vars(self).get("_rows")
                if rows is not None:
                    items = vars(self)["installments"] = rows.installments()
                    return items
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _int_rows(self) -> _Rows | None:
        """The integer rows of a plan built from them, else ``None``."""
        rows: _Rows | None = vars(self).get("_rows")
        return rows

    @functools.cached_property
    def due_dates(self) -> tuple[dt.date, ...]:
        """The installments' due dates, in order.

        The same as ``tuple(i.due for i in plan.installments)``, and cheaper: a plan built
        by the schedule builders reads them from its rows without making the installments.

        .. versionadded:: 0.1.0
        """
        rows = self._int_rows()
        if rows is not None:
            return rows.dates
        return tuple(i.due for i in self.installments)

    # --- metrics ------------------------------------------------------------------------

    @functools.cached_property
    def currency(self) -> str:
        """The plan's currency."""
        return self.principal.currency

    @functools.cached_property
    def total_paid(self) -> Money:
        """Everything the borrower pays, i.e. installments and upfront items not withheld."""
        rows = self._int_rows()
        if rows is not None:
            cash = _sum((u.amount for u in self.upfront if not u.withheld), self.currency)
            # Principal parts sum to the amount financed, by construction.
            units = rows.financed + sum(rows.interests) + rows.fee_total()
            return Money._trusted(EXACT.add(cash.amount, rows.money(units).amount), self.currency)
        paid = [i.total for i in self.installments]
        paid.extend(u.amount for u in self.upfront if not u.withheld)
        return _sum(paid, self.currency)

    @functools.cached_property
    def total_interest(self) -> Money:
        """Interest over the whole plan."""
        rows = self._int_rows()
        if rows is not None:
            return rows.money(sum(rows.interests))
        return _sum((i.interest for i in self.installments), self.currency)

    @functools.cached_property
    def total_fees(self) -> Money:
        """Installment fees plus upfront fees (withheld or not)."""
        rows = self._int_rows()
        if rows is not None:
            upfront = _sum(
                (u.amount for u in self.upfront if u.kind is UpfrontKind.FEE), self.currency
            )
            fees = rows.money(rows.fee_total())
            return Money._trusted(EXACT.add(upfront.amount, fees.amount), self.currency)
        return _sum(
            [i.fee for i in self.installments]
            + [u.amount for u in self.upfront if u.kind is UpfrontKind.FEE],
            self.currency,
        )

    @functools.cached_property
    def total_waived(self) -> Money:
        """What the lender forgives under this plan."""
        return _sum((w.amount for w in self.waivers), self.currency)

    @functools.cached_property
    def cost_above_principal(self) -> Money:
        """Interest and fees, i.e. what the plan costs above the balance it restructures."""
        return self.total_interest + self.total_fees

    @functools.cached_property
    def peak_installment(self) -> Money:
        """The largest single installment (zero when there are none)."""
        rows = self._int_rows()
        if rows is not None and rows.totals:
            return rows.money(max(rows.totals))
        if not self.installments:
            return Money.zero(self.currency)
        return max((i.total for i in self.installments), key=lambda m: m.amount)

    @functools.cached_property
    def cash_at_start(self) -> Money:
        """The cash paid on the start date, upfront items not withheld and installments due.

        This is what the borrower must find at once; with the peak installment it makes the
        largest payment the affordability gate checks.
        """
        cash = [u.amount for u in self.upfront if not u.withheld and u.on <= self.start]
        rows = self._int_rows()
        if rows is not None:
            due = rows.due_by(self.start)
            if due is not None:
                cash.append(rows.money(due))
        else:
            cash += [i.total for i in self.installments if i.due <= self.start]
        if not cash:
            return Money._trusted(Decimal(0), self.currency)  # Money.zero, unvalidated
        return total(cash, self.currency)

    @functools.cached_property
    def typical_installment(self) -> Money:
        """The median installment, rounded half-up to the minor unit."""
        rows = self._int_rows()
        if rows is not None and rows.totals:
            units = sorted(rows.totals)
            half = len(units) // 2
            if len(units) % 2:
                return rows.money(units[half])
            return rows.money(div_round(units[half - 1] + units[half], 2, ROUND_HALF_UP))
        if not self.installments:
            return Money.zero(self.currency)
        totals = sorted(i.total.amount for i in self.installments)
        middle = len(totals) // 2
        if len(totals) % 2:
            return Money._trusted(totals[middle], self.currency)
        # The mean of two amounts always terminates, so an exact division is safe.
        median = EXACT.divide(EXACT.add(totals[middle - 1], totals[middle]), 2)
        return Money._trusted(median, self.currency).rounded()

    @functools.cached_property
    def number_of_payments(self) -> int:
        """How many installments (upfront items not counted)."""
        rows = self._int_rows()
        return len(rows.interests) if rows is not None else len(self.installments)

    @functools.cached_property
    def end(self) -> dt.date:
        """The last due date (the start when nothing is scheduled)."""
        rows = self._int_rows()
        if rows is not None:
            last = rows.last_due()
            return self.start if last is None else last
        return self.installments[-1].due if self.installments else self.start

    @functools.cached_property
    def months(self) -> int:
        """Whole calendar months from the start to the last due date, rounded up."""
        return months_rounded_up(self.start, self.end)

    def cash_flows(self) -> tuple[CashFlow, ...]:
        """The plan as dated flows from the borrower's side, for the annual rate.

        Pass them to :func:`~debtnegotiation.apr.annual_rate`.

        The advance is the principal less withheld fees, on the start date; upfront items
        paid in cash and every installment are outflows on their dates.
        """
        return self._cash_flows

    @functools.cached_property
    def _cash_flows(self) -> tuple[CashFlow, ...]:
        """The plan as dated flows from the borrower's side, for an annual rate.

        The advance is the principal less withheld fees, on the start date; upfront items
        paid in cash and every installment are outflows on their dates. Pass them (or the
        plan itself) to :func:`~debtnegotiation.apr.annual_rate`.
        """
        withheld = _sum((u.amount for u in self.upfront if u.withheld), self.currency)
        flows = [CashFlow(self.start, EXACT.subtract(self.principal.amount, withheld.amount))]
        # EXACT.minus, not unary minus: exact whatever the caller's decimal context (the
        # plan's metrics are read outside the library's context too); zero stays 0, not -0.
        flows.extend(
            CashFlow(u.on, EXACT.minus(u.amount.amount)) for u in self.upfront if not u.withheld
        )
        rows = self._int_rows()
        if rows is not None:
            flows.extend(rows.outflows())
        else:
            flows.extend(CashFlow(i.due, EXACT.minus(i.total.amount)) for i in self.installments)
        dates = list(map(_on_of, flows))
        if all(map(operator.le, dates, dates[1:])):
            return tuple(flows)  # in date order already: what the stable sort would return
        return tuple(sorted(flows, key=_on_of))

    @functools.cached_property
    def _annual_rates(self) -> dict[object, object]:
        """Annual rates already computed from this plan's flows, per regime and unit period.

        Filled by :func:`debtnegotiation.apr.annual_rate` (with the flows netted once for
        all of them): the strategies, reviews and the ranking each ask for the same plan's
        rate, and the flows of a frozen plan never change.
        """
        return {}

    # --- serialisation ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (amounts as strings) that :meth:`from_dict` reads back."""
        return {
            "currency": self.currency,
            "principal": str(self.principal.amount),
            "start": self.start.isoformat(),
            "label": self.label,
            "installments": [
                {
                    "seq": i.seq,
                    "due": i.due.isoformat(),
                    "principal": str(i.principal.amount),
                    "interest": str(i.interest.amount),
                    "fee": str(i.fee.amount),
                    "balance_after": str(i.balance_after.amount),
                }
                for i in self.installments
            ],
            "upfront": [
                {
                    "kind": u.kind.value,
                    "amount": str(u.amount.amount),
                    "on": u.on.isoformat(),
                    "withheld": u.withheld,
                    "label": u.label,
                }
                for u in self.upfront
            ],
            "waivers": [
                {"kind": w.kind.value, "amount": str(w.amount.amount)} for w in self.waivers
            ],
            "conditions": list(self.conditions),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """Rebuild a plan from :meth:`to_dict` output.

        Errors are :class:`~debtnegotiation.errors.ValidationError`: a missing key names
        it, a wrong kind or shape says what was expected; values are validated as the
        constructors do (``withheld`` must be ``true`` or ``false``, not a string).
        """
        if not isinstance(data, Mapping):
            raise ValidationError("plan", "a mapping as written by Plan.to_dict()", data)
        try:
            cur = data["currency"]
            return cls(
                principal=Money(data["principal"], cur),
                start=data["start"],
                label=data.get("label", ""),
                installments=[
                    Installment(
                        seq=i["seq"],
                        due=i["due"],
                        principal=Money(i["principal"], cur),
                        interest=Money(i["interest"], cur),
                        fee=Money(i["fee"], cur),
                        balance_after=Money(i["balance_after"], cur),
                    )
                    for i in data["installments"]
                ],
                upfront=[
                    UpfrontItem(
                        kind=UpfrontKind(u["kind"]),
                        amount=Money(u["amount"], cur),
                        on=u["on"],
                        withheld=u.get("withheld", False),
                        label=u.get("label", ""),
                    )
                    for u in data.get("upfront", [])
                ],
                waivers=[
                    Waiver(kind=WaiverKind(w["kind"]), amount=Money(w["amount"], cur))
                    for w in data.get("waivers", [])
                ],
                conditions=data.get("conditions", []),
            )
        except KeyError as missing:
            raise ValidationError(f"plan.{missing.args[0]}", "a value", None) from None
        except DebtNegotiationError:
            raise
        except (TypeError, ValueError) as error:
            # A wrong shape (a list where a mapping belongs) or an unknown kind.
            raise ValidationError(
                "plan", f"the structure Plan.to_dict() writes ({error})", None
            ) from None
