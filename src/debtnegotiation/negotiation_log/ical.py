"""Due dates of an agreed plan as an iCalendar file (RFC 5545), with reminders.

Each scheduled payment becomes an all-day ``VEVENT`` on its due date (RFC 5545 §3.6.1,
``DTSTART;VALUE=DATE``) whose ``UID`` is stable across exports, so a calendar that imports
the file again updates the events instead of doubling them. Payments not yet made carry a
``VALARM`` (§3.6.6, ``ACTION:DISPLAY``) for each reminder, a number of days before the due
date. The file is written with the `icalendar <https://icalendar.readthedocs.io>`_ package,
the optional ``calendar`` extra (``pip install "debtnegotiation[calendar]"``).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from typing import Any

from debtnegotiation._context import in_library_context
from debtnegotiation.errors import ValidationError
from debtnegotiation.negotiation_log.errors import LogError
from debtnegotiation.negotiation_log.tracking import PaymentStatus, PlanTracking
from debtnegotiation.text import Label, Localizer, Text

__all__ = ["DEFAULT_REMINDERS", "plan_calendar"]

#: Days before a due date that a reminder goes off, by default.
DEFAULT_REMINDERS = (3, 1)

_PRODID = "-//debtnegotiation//agreed plan//EN"


def _icalendar() -> Any:  # noqa: ANN401 - the module, imported only when a calendar is made
    try:
        return importlib.import_module("icalendar")
    except ImportError:
        raise LogError(
            'the calendar export needs the icalendar package: pip install "debtnegotiation'
            '[calendar]"'
        ) from None


def _reminders(value: object) -> tuple[int, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValidationError("reminders", "a list of whole days before the due date", value)
    for i, days in enumerate(value):
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 366:
            raise ValidationError(f"reminders[{i}]", "a whole number of days from 0 to 366", days)
    return tuple(sorted(set(value), reverse=True))


@in_library_context
def plan_calendar(
    tracking: PlanTracking,
    *,
    stamp: dt.datetime,
    reminders: Sequence[int] = DEFAULT_REMINDERS,
    localizer: Localizer | None = None,
) -> bytes:
    """Return the plan's due dates as an iCalendar file (UTF-8 bytes, CRLF lines).

    :param tracking: the plan as kept so far (:func:`~debtnegotiation.negotiation_log.track`).
    :param stamp: the time the file is made (``DTSTAMP``), timezone-aware.
    :param reminders: days before each unpaid due date to remind, e.g. ``(3, 1)``.
    :param localizer: the reader's language for the events' titles and descriptions
        (English, amounts as ``850.00 CNY``, without one).
    :raises ~debtnegotiation.negotiation_log.LogError: when icalendar is not installed.
    :raises ~debtnegotiation.errors.ValidationError: for a naive *stamp* or a bad reminder.
    """
    if not isinstance(tracking, PlanTracking):
        raise ValidationError("tracking", "a PlanTracking", tracking)
    if not isinstance(stamp, dt.datetime) or stamp.utcoffset() is None:
        raise ValidationError("stamp", "a datetime with a time zone", stamp)
    days_before = _reminders(reminders)
    ical = _icalendar()
    say: Callable[[Text], str] = str if localizer is None else localizer.say
    agreed = tracking.agreement
    lender = agreed.lender
    calendar = ical.Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", say(Text("calendar", "Plan with {lender}", lender=lender)))
    utc_stamp = stamp.astimezone(dt.UTC)
    total = len(tracking.items)
    for item in tracking.items:
        event = ical.Event()
        event.add("uid", f"plan-{tracking.agreement_entry}-payment-{item.number}@debtnegotiation")
        event.add("dtstamp", utc_stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + dt.timedelta(days=1))
        due = item.outstanding or item.amount
        event.add(
            "summary", say(Text("calendar", "Pay {amount} to {lender}", amount=due, lender=lender))
        )
        lines = [
            Text(
                "calendar",
                "Payment {number} of {total} under the plan agreed with {lender} (log entry "
                "{entry}): {amount} due {due}.",
                number=item.number,
                total=total,
                lender=lender,
                entry=tracking.agreement_entry,
                amount=item.amount,
                due=item.due,
            ),
            Text(
                "calendar",
                "Status on {date}: {status}.",
                date=tracking.as_of,
                status=Label("payment_status", item.status.value),
            ),
        ]
        if agreed.grace_days:
            lines.append(
                Text(
                    "calendar", "Still on time until {date} ({days} grace days).",
                    date=item.deadline, days=agreed.grace_days,
                )
            )  # fmt: skip
        if agreed.lapses_after_missed is not None:
            lines.append(
                Text(
                    "calendar", "The plan lapses after {count} missed payment(s).",
                    count=agreed.lapses_after_missed,
                )
            )  # fmt: skip
        if agreed.if_missed:
            lines.append(Text("calendar", "If missed: {what}", what=agreed.if_missed))
        event.add("description", "\n".join(say(line) for line in lines))
        event.add("categories", [say(Text("calendar", "Debt repayment"))])
        event.add("transp", "TRANSPARENT")
        if item.status in (PaymentStatus.DUE, PaymentStatus.UPCOMING):
            for days in days_before:
                alarm = ical.Alarm()
                alarm.add("action", "DISPLAY")
                reminder = Text(
                    "calendar", "Pay {amount} to {lender} by {due}",
                    amount=item.outstanding, lender=lender, due=item.due,
                )  # fmt: skip
                alarm.add("description", say(reminder))
                alarm.add("trigger", -dt.timedelta(days=days))
                event.add_component(alarm)
        calendar.add_component(event)
    result = calendar.to_ical()
    assert isinstance(result, bytes)  # noqa: S101  (icalendar returns the encoded file)
    return result
