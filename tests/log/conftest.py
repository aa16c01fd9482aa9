"""Fixtures shared by the negotiation-log tests."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    Channel,
    Commitment,
    Contact,
    Counterpart,
    Direction,
    NegotiationLog,
    Offer,
    Party,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def fixed_clock() -> Callable[[], dt.datetime]:
    """A clock that ticks one second per call, so hashes are reproducible."""
    ticks = itertools.count()
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    return lambda: start + dt.timedelta(seconds=next(ticks))


def _make_contact(day: int = 2, hour: int = 10, **changes: object) -> Contact:
    """A realistic inbound call with an offer and a commitment."""
    fields: dict[str, object] = {
        "at": dt.datetime(2026, 3, day, hour, 15, tzinfo=SHANGHAI),
        "channel": Channel.PHONE,
        "direction": Direction.INBOUND,
        "counterpart": Counterpart(
            name="Li Wei",
            employee_id="CS-20931",
            organisation="Example Bank card centre",
            phone="+86 21 5555 0199",
            role="creditor",
        ),
        "account_reference": "6222020200112233",
        "summary": "Li Wei offered a 24-month plan; call back from 13800138000 promised.",
        "key_points": ("“We can stop the penalty interest if you send proof.”",),
        "offers": (
            Offer(
                by=Party.COUNTERPART,
                summary="24 installments, handling fee 5%",
                monthly_payment=Money("1312.50", "CNY"),
                months=24,
                total=Money("31500.00", "CNY"),
            ),
        ),
        "commitments": (
            Commitment(by=Party.COUNTERPART, what="call back", due=dt.date(2026, 3, 6)),
            Commitment(by=Party.BORROWER, what="send the termination letter"),
        ),
        "recorded": True,
        "consent_announced": True,
    }
    fields.update(changes)
    return Contact(**fields)  # type: ignore[arg-type]


@pytest.fixture(name="make_contact")
def make_contact_fixture() -> Callable[..., Contact]:
    """Build a realistic contact; keyword arguments replace its fields."""
    return _make_contact


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "negotiation.sqlite"


@pytest.fixture
def log(log_path: Path) -> Iterator[NegotiationLog]:
    with NegotiationLog.open(log_path, clock=fixed_clock()) as opened:
        yield opened


@pytest.fixture
def filled(log: NegotiationLog, tmp_path: Path) -> NegotiationLog:
    """A log of five entries, entry 2 with two attachments."""
    recording = tmp_path / "call-0302.m4a"
    recording.write_bytes(b"\x00\x01fake audio" * 100)
    screenshot = tmp_path / "chat.png"
    screenshot.write_bytes(b"\x89PNG fake")
    log.append(_make_contact(day=2))
    log.append(_make_contact(day=3, channel=Channel.APP_CHAT), attachments=[recording, screenshot])
    log.append(_make_contact(day=4, direction=Direction.OUTBOUND))
    log.append(_make_contact(day=5, channel=Channel.EMAIL))
    log.append(_make_contact(day=6, channel=Channel.SMS))
    return log
