"""Due dates to iCalendar, and the plan-keeping commands: log agree, log pay, track, calendar."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtnegotiation.cli import cli
from debtnegotiation.errors import ValidationError
from debtnegotiation.example import EXAMPLE_DATE
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.i18n import translations
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    Agreement,
    Contact,
    NegotiationLog,
    Payment,
    ScheduledPayment,
    plan_calendar,
    track,
)
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment
from debtnegotiation.serialize import to_data
from debtnegotiation.text import Localizer

icalendar = pytest.importorskip("icalendar")

STAMP = dt.datetime(2026, 12, 20, 2, 0, tzinfo=dt.UTC)
DUES = [dt.date(2027, m, 15) for m in range(1, 13)]


def _kept(log: NegotiationLog) -> None:
    agreement = Agreement(
        lender="Example Bank",
        schedule=[ScheduledPayment(due=d, amount=Money("850.00", "CNY")) for d in DUES],
        grace_days=3,
        lapses_after_missed=2,
        if_missed="the whole balance falls due",
    )
    at = dt.datetime(2026, 12, 20, 10, tzinfo=dt.UTC)
    log.append(Contact(at=at, channel="phone", direction="outbound", agreement=agreement))
    paid = Payment(amount=Money("850.00", "CNY"), paid_on="2027-01-15")
    log.append(Contact(at=at, channel="app_chat", direction="outbound", payment=paid))


def test_the_calendar_round_trips_and_lists_every_due_date(log: NegotiationLog) -> None:
    _kept(log)
    tracking = track(log, as_of=dt.date(2027, 1, 20))
    data = plan_calendar(tracking, stamp=STAMP, reminders=[3, 1])
    parsed = icalendar.Calendar.from_ical(data)
    assert parsed["VERSION"] == "2.0"
    assert parsed["PRODID"]
    events = list(parsed.walk("VEVENT"))
    assert [e.decoded("DTSTART") for e in events] == DUES
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(days=1) for e in events)
    assert len({str(e["UID"]) for e in events}) == len(DUES)
    assert all(e.decoded("DTSTAMP") == STAMP for e in events)
    # The paid first payment has no reminder; every other one has both.
    alarms = [[a.decoded("TRIGGER") for a in e.walk("VALARM")] for e in events]
    assert alarms[0] == []
    assert all(a == [-dt.timedelta(days=3), -dt.timedelta(days=1)] for a in alarms[1:])
    assert all(a["ACTION"] == "DISPLAY" for e in events[1:] for a in e.walk("VALARM"))
    assert "850.00 CNY" in str(events[1]["SUMMARY"])
    assert "lapses after 2 missed" in str(events[1]["DESCRIPTION"])
    assert data == plan_calendar(tracking, stamp=STAMP, reminders=[1, 3])  # stable


def test_the_calendar_is_in_the_readers_language(log: NegotiationLog) -> None:
    _kept(log)
    tracking = track(log, as_of=dt.date(2027, 1, 20))
    chinese = Localizer(translations("zh_Hans_CN"), BabelFormatter("zh_Hans_CN"))
    parsed = icalendar.Calendar.from_ical(
        plan_calendar(tracking, stamp=STAMP, reminders=[3], localizer=chinese)
    )
    assert str(parsed["X-WR-CALNAME"]) == "与Example Bank的还款计划"
    event = list(parsed.walk("VEVENT"))[1]
    assert str(event["SUMMARY"]) == "向Example Bank还款¥850.00"
    description = str(event["DESCRIPTION"])
    assert "2027年2月15日应还¥850.00" in description
    assert "宽限期3天" in description
    assert "逾期2期后还款计划失效" in description
    assert "如果逾期：the whole balance falls due" in description  # the agreement's own words
    alarm = next(iter(event.walk("VALARM")))
    assert str(alarm["DESCRIPTION"]) == "请在2027年2月15日前向Example Bank还款¥850.00"


def test_calendar_input_is_checked(log: NegotiationLog) -> None:
    _kept(log)
    tracking = track(log, as_of=dt.date(2027, 1, 20))
    with pytest.raises(ValidationError, match=r"^stamp: expected a datetime with a time zone"):
        plan_calendar(tracking, stamp=dt.datetime(2027, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValidationError, match=r"^reminders\[0\]: expected a whole number"):
        plan_calendar(tracking, stamp=STAMP, reminders=[-1])


def _run(*args: object, code: int = 0) -> str:
    runner = CliRunner(env={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1"})
    result = runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_cli_agree_pay_track_and_calendar(tmp_path: Path) -> None:
    path = tmp_path / "plan.sqlite"
    _run(
        "log", "agree", path, "--at", "2026-12-20T10:00+08:00", "--channel", "phone",
        "--lender", "Example Bank", "--currency", "CNY",
        "--due", "2027-01-15", "850.00", "--due", "2027-02-15", "850.00",
        "--due", "2027-03-15", "850.00", "--grace-days", "3", "--lapses-after", "1",
        "--if-missed", "the whole balance falls due",
    )  # fmt: skip
    _run("log", "pay", path, "--amount", "850.00", "--currency", "CNY", "--on", "2027-01-20")
    table = _run("track", path, "--as-of", "2027-02-01")
    assert "Example Bank (entry 1)" in table
    assert "Paid late" in table
    assert "Due next" in table
    assert "plan.lapsed" in table  # one late payment and the plan lapses after one miss
    data = json.loads(_run("track", path, "--as-of", "2027-02-01", "--format", "json"))
    assert [p["status"] for p in data["payments"]] == ["late", "due", "upcoming"]
    assert data["total_paid"] == {"amount": "850.00", "currency": "CNY"}
    assert data["lapsed_on"] == "2027-01-19"
    markdown = _run("track", path, "--as-of", "2027-02-01", "--format", "markdown")
    assert "| # |" in markdown.replace("|  #", "| #")
    zh = _run("track", path, "--as-of", "2027-02-01", "--locale", "zh_Hans_CN")
    assert "逾期支付" in zh
    ics = tmp_path / "plan.ics"
    assert "3 due dates" in _run("calendar", path, "-o", ics, "--as-of", "2027-02-01")
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert [e.decoded("DTSTART") for e in events] == [
        dt.date(2027, 1, 15),
        dt.date(2027, 2, 15),
        dt.date(2027, 3, 15),
    ]
    with NegotiationLog.open(path) as log:
        assert log.verify().ok


def test_cli_agree_from_a_plan_file(tmp_path: Path) -> None:
    plan = equal_installment(
        Money("6000.00", "CNY"), InterestRate.annual("0.12"), 6, start=EXAMPLE_DATE
    )
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(to_data(plan)))
    path = tmp_path / "plan.sqlite"
    _run(
        "log", "agree", path, "--at", "2026-12-20T10:00+08:00", "--channel", "email",
        "--lender", "Example Bank", "--plan", plan_file,
    )  # fmt: skip
    with NegotiationLog.open(path) as log:
        (entry,) = log.entries()
        agreement = entry.contact.agreement
    assert agreement is not None
    assert [p.due for p in agreement.schedule] == [i.due for i in plan.installments]
    assert [p.amount for p in agreement.schedule] == [i.total for i in plan.installments]
    assert agreement.plan == to_data(plan)
    # One option of `debtneg options --format json` holds the plan under "plan".
    option_file = tmp_path / "option.json"
    option_file.write_text(json.dumps({"rank": 1, "plan": to_data(plan)}))
    _run(
        "log", "agree", path, "--at", "2026-12-21T10:00+08:00", "--channel", "email",
        "--lender", "Example Bank", "--plan", option_file,
    )  # fmt: skip
    with NegotiationLog.open(path) as log:
        assert log.entry(2).contact.agreement == agreement


def test_cli_errors_name_the_option_and_value(tmp_path: Path) -> None:
    path = tmp_path / "plan.sqlite"
    base = ["log", "agree", path, "--at", "2026-12-20T10:00+08:00", "--channel", "phone"]
    out = _run(*base, "--lender", "X", "--currency", "CNY", "--due", "2027-13-01", "1", code=2)
    assert "--due" in out
    assert "2027-13-01" in out
    out = _run(*base, "--lender", "X", code=2)
    assert "--plan FILE or --due" in out
    _run(*base, "--lender", "X", "--currency", "CNY", "--due", "2027-01-01", "10.00")
    out = _run("log", "pay", path, "--amount", "ten", "--currency", "CNY", "--on", "2027-01-01",
               code=2)  # fmt: skip
    assert "ten" in out
    out = _run("track", tmp_path / "missing.sqlite", code=2)
    assert "does not exist" in out
