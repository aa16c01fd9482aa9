"""Redaction a stranger cannot undo: 50 planted values, every field, every export format.

The attack from issue 10: take a redacted export, look for the personal data in any
spelling, and try to recover it from any hash in the export by hashing every candidate
value in every plausible canonical form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from debtnegotiation.cli import cli
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    Channel,
    Commitment,
    CommitmentUpdate,
    Contact,
    Counterpart,
    Direction,
    NegotiationLog,
    Offer,
    Party,
    Redaction,
    canonical_json,
    export_bundle,
    export_jsonl,
    record_hash,
    verify_bundle,
    verify_jsonl,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def fixed_clock() -> Callable[[], dt.datetime]:
    """A clock that ticks one second per call."""
    ticks = itertools.count()
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    return lambda: start + dt.timedelta(seconds=next(ticks))


BORROWER = ("Zhang Min", "Chen Jing")
NAMES = ("Li Wei", "王小明", "Maria Gonzalez", *BORROWER)
# Other spellings of the names, as they would be typed in free text.
SPELLINGS = ("LiWei", "WEI LI", "li-wei", "Zhang  Min", "王 小 明", "GONZALEZ Maria", "ChenJing")
PHONES = (
    "+86 21 5555 0199",
    "+852 9123 4567",
    "0086 755 8123 4567",
    "138 0013 8000",
    "139-1234-5678",
    "(021) 6234.5678",
    "+1 (415) 555-0132",
    "15012345678",
    "186.1234.5678",
    "+44 20 7946 0958",
    "+86-10-8888-7777",
    "+81 3-1234-5678",
)
IDS = ("110101199003077777", "11010519491231002X", "078-05-1120", "219-09-9999")
CARDS = (
    "6222 0202 0011 2233",
    "4111-1111-1111-1111",
    "6217000010001234567",
    "5500 0000 0000 0004",
    "6011 0009 9013 9424",
)
ACCOUNTS = ("AC-2024-778812", "CN-8845-2231", "LN 7781 0092 11")
EMAILS = (
    "li.wei@examplebank.cn",
    "zhang.min+debt@mail.example.com",
    "agent_42@collect.example",
    "MARIA.G@Example-Legal.org",
)
EMPLOYEE_IDS = ("CS-20931", "EMP77812", "A7731-QX")
ROLES = ("Senior Recovery Officer", "Outsourced Collector Team B", "Legal Unit Liaison")
ADDRESS = ("Flat 12B, 88 Nanjing Road West",)
FILES = ("110101199003077777-idcard.jpg", "statement-Zhang-Min.pdf", "call-with-li-wei.m4a")
PLANTED = (
    *NAMES,
    *SPELLINGS,
    *PHONES,
    *IDS,
    *CARDS,
    *ACCOUNTS,
    *EMAILS,
    *EMPLOYEE_IDS,
    *ROLES,
    *FILES,
    *ADDRESS,
)


def _contacts() -> list[Contact]:
    at = dt.datetime(2026, 3, 2, 23, 15, tzinfo=SHANGHAI)
    plan = {
        "currency": "CNY",
        "principal": "20000.00",
        "label": "Restructure for Zhang Min, card 4111-1111-1111-1111",
        "account": "CN-8845-2231",
        "installments": [{"seq": 1, "due": "2026-04-01", "principal": "833.33"}],
        "borrower": {"name": "Chen Jing", "phone": "+44 20 7946 0958", "email": EMAILS[1]},
        "notes": ["reference LN 7781 0092 11", "ID 11010519491231002X"],
    }
    return [
        Contact(
            at=at,
            channel=Channel.PHONE,
            direction=Direction.INBOUND,
            counterpart=Counterpart(
                name="Li Wei",
                employee_id="CS-20931",
                organisation="Example Bank card centre",
                phone="+86 21 5555 0199",
                role="Senior Recovery Officer",
            ),
            account_reference="AC-2024-778812",
            summary=(
                "LiWei (WEI LI, li-wei on the app) said Zhang  Min must pay today; call "
                "back on 138 0013 8000 or 139-1234-5678, write to li.wei@examplebank.cn."
            ),
            key_points=(
                "Card 6222 0202 0011 2233 will be sued",
                "Our office (021) 6234.5678; US desk +1 (415) 555-0132",
                "SSN on file 078-05-1120, ID 110101199003077777",
                "Tokyo desk +81 3-1234-5678, Discover 6011 0009 9013 9424",
            ),
            offers=(
                Offer(
                    by=Party.COUNTERPART,
                    summary="Settle 4111-1111-1111-1111 with ChenJing as guarantor",
                    monthly_payment=Money("833.33", "CNY"),
                    months=24,
                    plan=plan,
                ),
            ),
            commitments=(
                Commitment(
                    by=Party.COUNTERPART,
                    what="text 15012345678 the terms; badge EMP77812",
                    due=dt.date(2026, 3, 6),
                ),
            ),
        ),
        Contact(
            at=at + dt.timedelta(days=1),
            channel=Channel.APP_CHAT,
            direction=Direction.INBOUND,
            counterpart=Counterpart(
                name="王小明",
                employee_id="A7731-QX",
                organisation="Example Collection Agency",
                phone="186.1234.5678",
                role="Outsourced Collector Team B",
            ),
            summary=(
                "王 小 明 asked for 6217000010001234567 and 5500 0000 0000 0004; SSN 219-09-9999"
            ),
            commitment_updates=(
                CommitmentUpdate(
                    entry=1,
                    index=0,
                    status="broken",
                    note="no text came; agent_42@collect.example is the reply address",
                ),
            ),
        ),
        Contact(
            at=at + dt.timedelta(days=2),
            channel=Channel.EMAIL,
            direction=Direction.OUTBOUND,
            counterpart=Counterpart(
                name="Maria Gonzalez", phone="+86-10-8888-7777", role="Legal Unit Liaison"
            ),
            summary=(
                "Wrote to GONZALEZ Maria (MARIA.G@Example-Legal.org) about "
                "zhang.min+debt@mail.example.com; she reads +852 9123 4567 and "
                "0086 755 8123 4567; the file goes to Flat 12B, 88 Nanjing Road West"
            ),
        ),
    ]


@pytest.fixture
def planted(tmp_path: Path) -> NegotiationLog:
    log = NegotiationLog.open(tmp_path / "planted.sqlite", clock=fixed_clock())
    files = []
    for i, name in enumerate(FILES):
        path = tmp_path / name
        path.write_bytes(b"scanned page %d " % i * 50)
        files.append(path)
    first, second, third = _contacts()
    log.append(first, attachments=files[:2])
    log.append(second, attachments=files[2:])
    log.append(third)
    return log


def _compact(text: str) -> str:
    return re.sub(r"[\s\-_.()+/·]", "", text).casefold()


def _forms(value: str) -> set[str]:
    """Every plausible form a hash of *value* could have been computed over."""
    digits = re.sub(r"\D", "", value)
    texts = {value, value.strip(), value.casefold(), value.upper(), _compact(value), digits}
    forms: set[bytes] = set()
    for text in texts:
        forms |= {
            text.encode(),
            canonical_json(text),
            json.dumps(text).encode(),
            json.dumps(text, ensure_ascii=False).encode(),
        }
    return {hashlib.sha256(form).hexdigest() for form in forms} | {
        hashlib.md5(form).hexdigest()  # noqa: S324  (an attacker tries weak hashes too)
        for form in forms
    }


def _outputs(log: NegotiationLog, tmp_path: Path) -> dict[str, str]:
    """Every redacted export of the log, by a name for failure messages."""
    redaction = Redaction(names=BORROWER, values=ADDRESS)
    finding = Finding(
        code="test.outside-hours",
        severity=Severity.WARNING,
        message="Li Wei called at 23:15 from 139-1234-5678 about 4111-1111-1111-1111",
    )
    out: dict[str, str] = {}
    export_jsonl(log, tmp_path / "r.jsonl", redaction=redaction)
    out["api jsonl"] = (tmp_path / "r.jsonl").read_text(encoding="utf-8")
    export_bundle(
        log,
        tmp_path / "r.zip",
        formatter=BabelFormatter("zh_Hans_CN"),
        redaction=redaction,
        findings=[finding],
    )
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        for name in archive.namelist():
            out[f"api bundle {name}"] = archive.read(name).decode("utf-8")
    runner = CliRunner(env={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1"})
    names = [arg for name in BORROWER for arg in ("--redact-name", name)]
    names += ["--redact-value", ADDRESS[0]]
    log_file = str(log.store.path)  # type: ignore[attr-defined]
    for kind, extra in (
        ("report", ["--report-format", "markdown"]),
        ("report", ["--report-format", "html"]),
        ("jsonl", ["-o", str(tmp_path / "cli.jsonl")]),
        ("bundle", ["-o", str(tmp_path / "cli.zip")]),
    ):
        args = ["log", "export", log_file, "--to", kind, "--redact", *names, *extra]
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        out[f"cli {kind} {extra[-1]} stdout"] = result.output
    out["cli jsonl"] = (tmp_path / "cli.jsonl").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "cli.zip") as archive:
        for name in archive.namelist():
            out[f"cli bundle {name}"] = archive.read(name).decode("utf-8")
    return out


def test_fifty_planted_values_appear_in_no_export(planted: NegotiationLog, tmp_path: Path) -> None:
    assert len(set(PLANTED)) >= 50
    outputs = _outputs(planted, tmp_path)
    for where, text in outputs.items():
        folded, compact = text.casefold(), _compact(text)
        for value in PLANTED:
            assert value.casefold() not in folded, (where, value)
            if sum(c.isdigit() for c in value) >= 7:
                assert _compact(value) not in compact, (where, value)
    # And the rest stays readable: the organisation, the amounts, the dates.
    assert "Example Collection Agency" in outputs["api jsonl"]
    assert "833.33" in outputs["api jsonl"]
    assert "\\[name " in outputs["api bundle report.md"]


def test_no_hash_in_any_export_recovers_a_planted_value(
    planted: NegotiationLog, tmp_path: Path
) -> None:
    outputs = "\n".join(_outputs(planted, tmp_path).values())
    found = set(re.findall(r"[0-9a-f]{32,64}", outputs))
    for value in PLANTED:
        assert not _forms(value) & found, value
    for entry in planted.entries():
        # Neither the unsalted hash of the original record (the old design) ...
        assert record_hash(entry.to_record()) not in found
        # ... nor any salt of a value that is withheld.
    jsonl = (tmp_path / "r.jsonl").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in jsonl.splitlines()[1:]]
    for entry, line in zip(planted.entries(), lines, strict=True):
        assert entry.salts is not None
        assert line["withheld"]
        for path in line["withheld"]:
            assert entry.salts[path] not in outputs, path


def test_redacted_exports_still_verify(planted: NegotiationLog, tmp_path: Path) -> None:
    _outputs(planted, tmp_path)
    result = verify_jsonl(tmp_path / "r.jsonl", absent_allowed=True)
    assert result.ok, result.explanation
    assert result.head == planted.head
    assert result.withheld > 20
    bundle = verify_bundle(tmp_path / "r.zip", allow_absent_attachments=True)
    assert bundle.ok, bundle.problems
    assert bundle.redacted
    assert verify_bundle(tmp_path / "cli.zip", allow_absent_attachments=True).ok


def test_pseudonyms_are_stable_within_an_export_and_shuffled_across_exports(
    planted: NegotiationLog, tmp_path: Path
) -> None:
    reports = []
    for i in range(6):
        path = tmp_path / f"r{i}.jsonl"
        export_jsonl(planted, path, redaction=Redaction(names=BORROWER, values=ADDRESS))
        reports.append(path.read_text(encoding="utf-8"))
    first = [json.loads(line) for line in reports[0].splitlines()[1:]]
    # The counterpart's name field and the name in the summary get the same pseudonym.
    name = first[0]["entry"]["contact"]["counterpart"]["name"]
    assert re.fullmatch(r"\[name \d\]", name)
    assert first[0]["entry"]["contact"]["summary"].startswith(f"{name} ({name}, {name} on")
    labels = {
        json.loads(r.splitlines()[1])["entry"]["contact"]["counterpart"]["name"] for r in reports
    }
    assert len(labels) > 1  # five names, numbered in a different order per export


def test_the_markdown_report_from_the_cli_redacts(planted: NegotiationLog) -> None:
    runner = CliRunner(env={"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1"})
    log_file = str(planted.store.path)  # type: ignore[attr-defined]
    plain = runner.invoke(cli, ["log", "export", log_file, "--to", "report"])
    assert "Li Wei" in plain.output
    redacted = runner.invoke(cli, ["log", "export", log_file, "--to", "report", "--redact"])
    assert redacted.exit_code == 0
    assert "Li Wei" not in redacted.output
    assert "\\[name " in redacted.output  # Markdown-escaped brackets
