"""Keeping an agreed plan: what is due next, what was paid late or missed, what happens then.

The agreement and every payment are log entries (the ``agreement`` and ``payment`` fields
of a :class:`~debtnegotiation.negotiation_log.Contact`), so the record of keeping a plan is
as tamper-evident as the record of negotiating it.
:func:`~debtnegotiation.negotiation_log.track` reads them back: payments are applied to the
scheduled payments in due-date order, oldest first, in exact money.

A scheduled payment counts as *missed* when it is not paid in full by its due date plus the
agreement's grace days; one paid in full after that is *late*, and still counts as missed
for the agreement's lapse rule (``lapses_after_missed``), because the agreement was broken
on the day the grace period ended. When one more missed payment would end the agreement,
the next due payment is flagged before its due date.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log.entry import Agreement, LogEntry, Payment
from debtnegotiation.negotiation_log.errors import LogError
from debtnegotiation.negotiation_log.log import NegotiationLog, corrected_view

__all__ = ["PaymentStatus", "PlanTracking", "TrackedPayment", "track"]


class PaymentStatus(enum.Enum):
    """Where one scheduled payment stands on the tracking date.

    The values are the codes of the ``payment_status`` labels in
    :data:`~debtnegotiation.messages.GROUPS`.
    """

    PAID = "paid"
    LATE = "late"
    MISSED = "missed"
    DUE = "due"
    UPCOMING = "upcoming"


@attrs.frozen(kw_only=True)
class TrackedPayment:
    """One scheduled payment and what was paid towards it.

    :param number: its position in the schedule, from 1.
    :param due: the due date.
    :param deadline: the last day it still counts as on time (due date plus grace days).
    :param amount: what is due.
    :param paid: what the recorded payments covered of it, by the tracking date.
    :param paid_on: the day the payment that completed it was made (``None``: not complete).
    :param status: where it stands.
    """

    number: int
    due: dt.date
    deadline: dt.date
    amount: Money
    paid: Money
    paid_on: dt.date | None
    status: PaymentStatus

    @property
    def outstanding(self) -> Money:
        """What is still to pay of it."""
        return self.amount - self.paid

    @property
    def counts_as_missed(self) -> bool:
        """Whether it counts towards the lapse rule (missed, or made up after the deadline)."""
        return self.status in (PaymentStatus.MISSED, PaymentStatus.LATE)


@attrs.frozen(kw_only=True)
class PlanTracking:
    """An agreed plan as kept so far.

    :param agreement_entry: the log entry that recorded the agreement.
    :param agreement: the agreement (its current version, corrections folded in).
    :param as_of: the tracking date.
    :param items: every scheduled payment, in due-date order.
    :param payments: the payments applied, as ``(entry, payment)``, in the order applied.
    :param credit: what was paid beyond the whole schedule.
    :param findings: what needs attention, each naming the agreement's rule behind it.
    """

    agreement_entry: int
    agreement: Agreement
    as_of: dt.date
    items: tuple[TrackedPayment, ...]
    payments: tuple[tuple[int, Payment], ...]
    credit: Money
    findings: tuple[Finding, ...]

    @property
    def next_due(self) -> TrackedPayment | None:
        """The next payment not yet made in full whose deadline has not passed."""
        return next((i for i in self.items if i.status is PaymentStatus.DUE), None)

    @property
    def missed(self) -> int:
        """How many payments count as missed (late ones included)."""
        return sum(1 for i in self.items if i.counts_as_missed)

    @property
    def lapsed_on(self) -> dt.date | None:
        """The day the agreement lapsed under its own rule, or ``None``."""
        limit = self.agreement.lapses_after_missed
        counted = [i for i in self.items if i.counts_as_missed]
        if limit is None or len(counted) < limit:
            return None
        return counted[limit - 1].deadline + dt.timedelta(days=1)

    @property
    def total_paid(self) -> Money:
        """Every recorded payment added up."""
        return sum((p.amount for _, p in self.payments), Money.zero(self.agreement.currency))

    @property
    def outstanding(self) -> Money:
        """What is still to pay of the whole schedule."""
        return sum((i.outstanding for i in self.items), Money.zero(self.agreement.currency))


def track(
    source: NegotiationLog | Iterable[LogEntry], *, as_of: dt.date, agreement: int | None = None
) -> PlanTracking:
    """Track the agreed plan recorded in the log as of the end of *as_of*.

    :param source: the log, or its entries.
    :param as_of: the tracking date; payments made after it are not counted.
    :param agreement: the entry recording the agreement to track (default: the latest
        agreement in the log). Payments naming another agreement are left out.
    :raises ~debtnegotiation.negotiation_log.LogError: when the log records no agreement.
    :raises ~debtnegotiation.errors.ValidationError: for a bad *as_of* or *agreement*, or a
        payment in another currency than the agreement's.
    """
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise ValidationError("as_of", "a date", as_of)
    entries = source.entries() if isinstance(source, NegotiationLog) else tuple(source)
    view = corrected_view(entries)
    agreements = {item.seq: item.contact.agreement for item in view if item.contact.agreement}
    if not agreements:
        raise LogError("the log records no agreed plan; record one with `debtneg log agree`")
    if agreement is None:
        agreement = max(agreements)
    elif agreement not in agreements:
        raise ValidationError(
            "agreement", f"an entry recording an agreement ({sorted(agreements)})", agreement
        )
    agreed = agreements[agreement]
    latest = max(agreements)
    payments: list[tuple[int, Payment]] = []
    for item in view:
        payment = item.contact.payment
        if payment is None or payment.paid_on > as_of:
            continue
        if (payment.agreement or latest) != agreement:
            continue
        if payment.amount.currency != agreed.currency:
            raise ValidationError(
                f"entry {item.seq} payment.amount",
                f"an amount in {agreed.currency}",
                payment.amount,
            )
        payments.append((item.seq, payment))
    payments.sort(key=lambda p: (p[1].paid_on, p[0]))
    items, credit = _apply(agreed, payments, as_of)
    result = PlanTracking(
        agreement_entry=agreement,
        agreement=agreed,
        as_of=as_of,
        items=items,
        payments=tuple(payments),
        credit=credit,
        findings=(),
    )
    return attrs.evolve(result, findings=_findings(result))


def _apply(
    agreed: Agreement, payments: list[tuple[int, Payment]], as_of: dt.date
) -> tuple[tuple[TrackedPayment, ...], Money]:
    """Apply *payments* to the schedule in due-date order; return the items and the credit."""
    grace = dt.timedelta(days=agreed.grace_days)
    queue = [(p.paid_on, p.amount) for _, p in payments]
    items: list[TrackedPayment] = []
    zero = Money.zero(agreed.currency)
    next_found = False
    for number, scheduled in enumerate(agreed.schedule, start=1):
        paid, paid_on = zero, None
        while queue and paid < scheduled.amount:
            day, amount = queue[0]
            take = min(amount, scheduled.amount - paid)
            paid += take
            if take == amount:
                queue.pop(0)
            else:
                queue[0] = (day, amount - take)
            if paid == scheduled.amount:
                paid_on = day
        deadline = scheduled.due + grace
        if paid_on is not None:
            status = PaymentStatus.PAID if paid_on <= deadline else PaymentStatus.LATE
        elif deadline < as_of:
            status = PaymentStatus.MISSED
        elif not next_found:
            status, next_found = PaymentStatus.DUE, True
        else:
            status = PaymentStatus.UPCOMING
        items.append(
            TrackedPayment(
                number=number,
                due=scheduled.due,
                deadline=deadline,
                amount=scheduled.amount,
                paid=paid,
                paid_on=paid_on,
                status=status,
            )
        )
    credit = sum((amount for _, amount in queue), zero)
    return tuple(items), credit


def _rule(agreed: Agreement) -> str:
    """The agreement's own words on lapsing, for a finding to cite."""
    parts = [f"the agreement with {agreed.lender}"]
    if agreed.lapses_after_missed is not None:
        parts.append(f"lapses after {agreed.lapses_after_missed} missed payment(s)")
    if agreed.grace_days:
        parts.append(f"{agreed.grace_days} grace day(s)")
    return ", ".join(parts)


def _findings(tracking: PlanTracking) -> tuple[Finding, ...]:
    agreed = tracking.agreement
    rule = _rule(agreed)
    found: list[Finding] = []
    for item in tracking.items:
        if item.status is PaymentStatus.MISSED:
            said = f" The agreement says: {agreed.if_missed}" if agreed.if_missed else ""
            found.append(
                Finding(
                    code="plan.payment_missed",
                    severity=Severity.DANGER,
                    message=(
                        f"Payment {item.number} of {item.amount} due {item.due} was not paid in "
                        f"full by {item.deadline} ({item.outstanding} outstanding; rule: {rule})."
                        f"{said}"
                    ),
                )
            )
        elif item.status is PaymentStatus.LATE:
            said = f" The agreement says: {agreed.if_late}" if agreed.if_late else ""
            found.append(
                Finding(
                    code="plan.payment_late",
                    severity=Severity.WARNING,
                    message=(
                        f"Payment {item.number} due {item.due} was completed on {item.paid_on}, "
                        f"after {item.deadline} (rule: {rule}).{said}"
                    ),
                )
            )
    lapsed_on = tracking.lapsed_on
    limit = agreed.lapses_after_missed
    upcoming = tracking.next_due
    if lapsed_on is not None:
        found.append(
            Finding(
                code="plan.lapsed",
                severity=Severity.DANGER,
                message=(
                    f"The plan lapsed on {lapsed_on}: {tracking.missed} payment(s) missed "
                    f"(rule: {rule}). Contact {agreed.lender} before paying more."
                ),
            )
        )
    elif limit is not None and upcoming is not None and tracking.missed == limit - 1:
        said = f" The agreement says: {agreed.if_missed}" if agreed.if_missed else ""
        found.append(
            Finding(
                code="plan.lapses_if_missed",
                severity=Severity.WARNING,
                message=(
                    f"If payment {upcoming.number} of {upcoming.outstanding} due {upcoming.due} "
                    f"is not paid in full by {upcoming.deadline}, the plan lapses (rule: "
                    f"{rule}).{said}"
                ),
            )
        )
    return tuple(found)
