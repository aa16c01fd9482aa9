"""Fixtures shared by the negotiation-log tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
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
from debtnegotiation.negotiation_log import export as export_module
from debtnegotiation.negotiation_log import log as log_module
from debtnegotiation.negotiation_log import verify as verify_module

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextlib.contextmanager
def _replaced(name: str, value: object) -> Iterator[None]:
    """Replace ``verify.<name>`` for the duration of the block."""
    original = getattr(verify_module, name)
    setattr(verify_module, name, value)
    try:
        yield
    finally:
        setattr(verify_module, name, original)


#: How many verifications ran every way (see _verify_every_way), for the test that
#: checks the comparison is in force.
VERIFIED_EVERY_WAY: list[int] = [0]


@pytest.fixture(autouse=True)
def _verify_every_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every verification in these tests runs three ways, which must give one result.

    The ways a record can be checked (``verify._parse``): the direct structural check
    (``record_check.model_writes``), the model rebuild that stands in when it is turned
    off, and the long way with the canonical shortcut turned off. Each tampering test
    then also shows that the shortcuts detect what the long way detects, with the same
    kind, entry and explanation.
    """
    original = verify_module.verify_rows

    def every_way(rows: Iterable[Any], **options: Any) -> verify_module.VerifyResult:
        stored = list(rows)
        direct = original(stored, **options)
        with _replaced("model_writes", lambda _record: False):
            rebuilt = original(stored, **options)
        with _replaced("_parse_canonical", lambda _row: None):
            long = original(stored, **options)
        assert direct == rebuilt == long
        VERIFIED_EVERY_WAY[0] += 1
        return direct

    monkeypatch.setattr(log_module, "verify_rows", every_way)
    monkeypatch.setattr(export_module, "verify_rows", every_way)


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
