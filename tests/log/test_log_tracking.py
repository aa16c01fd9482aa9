"""Keeping an agreed plan (issue 13, item 5): agreement and payments as log entries."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from debtnegotiation.errors import ValidationError
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    Agreement,
    Channel,
    Contact,
    Direction,
    LogError,
    NegotiationLog,
    Payment,
    PaymentStatus,
    ScheduledPayment,
    track,
)

from .conftest import SHANGHAI

DUES = ("2027-01-15", "2027-02-15", "2027-03-15", "2027-04-15")


def _agreement(**changes: object) -> Agreement:
    fields: dict[str, object] = {
        "lender": "Example Installment Platform",
        "schedule": [ScheduledPayment(due=d, amount=Money("1312.50", "CNY")) for d in DUES],
        "grace_days": 5,
        "lapses_after_missed": 2,
        "if_late": "a late fee of 50.00",
        "if_missed": "the full balance falls due",
    }
    fields.update(changes)
    return Agreement(**fields)  # type: ignore[arg-type]


def _contact(**changes: object) -> Contact:
    fields: dict[str, object] = {
        "at": dt.datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI),
        "channel": Channel.PHONE,
        "direction": Direction.OUTBOUND,
    }
    fields.update(changes)
    return Contact(**fields)  # type: ignore[arg-type]


def _pay(log: NegotiationLog, day: str, amount: str = "1312.50", **changes: object) -> None:
    payment = Payment(amount=Money(amount, "CNY"), paid_on=day, **changes)  # type: ignore[arg-type]
    log.append(_contact(payment=payment))


@pytest.fixture
def kept(log: NegotiationLog) -> NegotiationLog:
    log.append(_contact(summary="a call before the agreement"))
    log.append(_contact(agreement=_agreement()))  # entry 2
    _pay(log, "2027-01-14")  # on time
    _pay(log, "2027-02-19")  # within the 5 grace days
    _pay(log, "2027-03-25")  # after 20 March: late
    return log


def test_statuses_as_of_a_date(kept: NegotiationLog) -> None:
    tracking = track(kept, as_of=dt.date(2027, 4, 1))
    assert tracking.agreement_entry == 2
    assert [i.status for i in tracking.items] == [
        PaymentStatus.PAID,
        PaymentStatus.PAID,
        PaymentStatus.LATE,
        PaymentStatus.DUE,
    ]
    assert [i.paid_on for i in tracking.items[:3]] == [
        dt.date(2027, 1, 14),
        dt.date(2027, 2, 19),
        dt.date(2027, 3, 25),
    ]
    assert tracking.items[2].deadline == dt.date(2027, 3, 20)
    assert tracking.next_due is tracking.items[3]
    assert tracking.total_paid == Money("3937.50", "CNY")
    assert tracking.outstanding == Money("1312.50", "CNY")
    assert tracking.missed == 1


def test_a_plan_one_miss_from_lapsing_is_flagged_before_the_due_date(
    kept: NegotiationLog,
) -> None:
    tracking = track(kept, as_of=dt.date(2027, 4, 1))  # payment 4 is due 15 April
    codes = [f.code for f in tracking.findings]
    assert codes == ["plan.payment_late", "plan.lapses_if_missed"]
    warning = tracking.findings[-1].message
    assert "payment 4" in warning
    assert "2027-04-15" in warning
    assert "2027-04-20" in warning
    assert "lapses after 2 missed payment(s)" in warning  # the rule it comes from
    assert "the full balance falls due" in warning  # what the agreement says happens
    assert "a late fee of 50.00" in tracking.findings[0].message
    assert tracking.lapsed_on is None


def test_a_missed_payment_lapses_the_plan(kept: NegotiationLog) -> None:
    tracking = track(kept, as_of=dt.date(2027, 4, 21))
    assert tracking.items[3].status is PaymentStatus.MISSED
    assert tracking.lapsed_on == dt.date(2027, 4, 21)
    assert [f.code for f in tracking.findings] == [
        "plan.payment_late",
        "plan.payment_missed",
        "plan.lapsed",
    ]
    # Still within the grace days, it is not missed yet.
    assert track(kept, as_of=dt.date(2027, 4, 20)).items[3].status is PaymentStatus.DUE


def test_without_a_lapse_rule_a_single_miss_is_flagged_on_every_new_plan(
    log: NegotiationLog,
) -> None:
    log.append(_contact(agreement=_agreement(lapses_after_missed=1, grace_days=0)))
    tracking = track(log, as_of=dt.date(2027, 1, 1))
    assert [f.code for f in tracking.findings] == ["plan.lapses_if_missed"]
    log.append(_contact(agreement=_agreement(lapses_after_missed=None)))
    assert track(log, as_of=dt.date(2027, 1, 1)).findings == ()


def test_partial_payments_and_overpayment_are_exact(log: NegotiationLog) -> None:
    log.append(_contact(agreement=_agreement()))
    _pay(log, "2027-01-10", "1000.00")
    _pay(log, "2027-01-12", "312.51")  # one fen too much goes to payment 2
    _pay(log, "2027-02-10", "3937.49")  # the rest of the schedule, exactly
    _pay(log, "2027-02-11", "0.01")  # beyond the schedule: credit
    tracking = track(log, as_of=dt.date(2027, 2, 12))
    assert tracking.items[0].paid_on == dt.date(2027, 1, 12)
    assert tracking.items[1].paid_on == dt.date(2027, 2, 10)
    assert all(i.status is PaymentStatus.PAID for i in tracking.items)
    assert tracking.outstanding == Money("0.00", "CNY")
    assert tracking.credit == Money("0.01", "CNY")
    partly = track(log, as_of=dt.date(2027, 1, 10)).items[0]
    assert (partly.paid, partly.outstanding, partly.status) == (
        Money("1000.00", "CNY"),
        Money("312.50", "CNY"),
        PaymentStatus.DUE,
    )


def test_payments_after_the_date_or_for_another_agreement_do_not_count(
    log: NegotiationLog,
) -> None:
    log.append(_contact(agreement=_agreement()))  # 1
    log.append(_contact(agreement=_agreement(lender="Other Bank")))  # 2, the latest
    _pay(log, "2027-01-14", agreement=1)
    _pay(log, "2027-01-15")  # the latest agreement
    _pay(log, "2027-02-01")
    assert track(log, as_of=dt.date(2027, 1, 20)).total_paid == Money("1312.50", "CNY")
    first = track(log, as_of=dt.date(2027, 1, 20), agreement=1)
    assert (first.agreement.lender, first.total_paid) == (
        "Example Installment Platform",
        Money("1312.50", "CNY"),
    )
    with pytest.raises(ValidationError, match=r"^agreement: expected an entry recording"):
        track(log, as_of=dt.date(2027, 1, 20), agreement=3)


def test_a_corrected_agreement_is_tracked_in_its_corrected_form(log: NegotiationLog) -> None:
    log.append(_contact(agreement=_agreement()))
    log.correct(1, agreement=_agreement(grace_days=0))
    _pay(log, "2027-01-17")
    tracking = track(log, as_of=dt.date(2027, 1, 20))
    assert tracking.agreement_entry == 1
    assert tracking.items[0].status is PaymentStatus.LATE


def test_agreement_and_payments_are_hash_chained(kept: NegotiationLog, log_path: Path) -> None:
    assert kept.verify().ok
    record = json.loads(next(r for r in kept.store.rows() if r.seq == 2).record)
    assert record["contact"]["agreement"]["schedule"][0] == {
        "amount": {"amount": "1312.50", "currency": "CNY"},
        "due": "2027-01-15",
    }
    forged = json.dumps(record).replace('"grace_days": 5', '"grace_days": 30')
    assert forged != json.dumps(record)
    conn = sqlite3.connect(log_path)
    conn.execute("UPDATE log_entries SET record = ? WHERE seq = 2", (forged,))
    conn.commit()
    conn.close()
    result = kept.verify()
    assert not result.ok
    assert result.problem is not None
    assert result.problem.seq == 2


def test_contacts_without_a_plan_keep_their_record_layout() -> None:
    record = _contact(summary="x").to_record()
    assert "agreement" not in record
    assert "payment" not in record


def test_bad_input_names_the_field_and_the_value() -> None:
    with pytest.raises(ValidationError, match=r"^agreement.schedule\[1\].due: expected a date"):
        _agreement(schedule=[ScheduledPayment(due=d, amount=Money(1, "CNY")) for d in DUES[::-1]])
    with pytest.raises(ValidationError, match=r"^agreement.schedule\[1\].amount: expected an"):
        _agreement(
            schedule=[
                ScheduledPayment(due=DUES[0], amount=Money(1, "CNY")),
                ScheduledPayment(due=DUES[1], amount=Money(1, "USD")),
            ]
        )
    with pytest.raises(ValidationError, match=r"^agreement.schedule: expected at least one"):
        _agreement(schedule=[])
    with pytest.raises(ValidationError, match=r"^payment.amount: expected a positive amount"):
        Payment(amount=Money("-1.00", "CNY"), paid_on="2027-01-01")
    with pytest.raises(ValidationError, match=r"^payment.amount: expected a positive amount"):
        Payment(amount=Money("1.005", "CNY"), paid_on="2027-01-01")
    with pytest.raises(ValidationError, match=r"^payment.paid_on: expected"):
        Payment(amount=Money("1.00", "CNY"), paid_on="15/01/2027")
    with pytest.raises(ValidationError, match=r"^agreement.lender: expected the lender's name"):
        _agreement(lender=" ")
    with pytest.raises(ValidationError, match=r"^agreement.grace_days: expected"):
        _agreement(grace_days=-1)
    with pytest.raises(ValidationError, match=r"^agreement.lapses_after_missed: expected"):
        _agreement(lapses_after_missed=0)
    with pytest.raises(ValidationError, match=r"^agreement: expected an Agreement"):
        _contact(agreement={"lender": "x"})


def test_a_payment_in_another_currency_is_refused_when_tracking(log: NegotiationLog) -> None:
    log.append(_contact(agreement=_agreement()))
    log.append(_contact(payment=Payment(amount=Money("10.00", "USD"), paid_on="2027-01-01")))
    with pytest.raises(ValidationError, match=r"^entry 2 payment.amount: expected an amount in"):
        track(log, as_of=dt.date(2027, 1, 2))


def test_a_log_without_an_agreement_says_so(log: NegotiationLog) -> None:
    log.append(_contact())
    with pytest.raises(LogError, match="records no agreed plan"):
        track(log, as_of=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError, match=r"^as_of: expected a date"):
        track(log, as_of=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
