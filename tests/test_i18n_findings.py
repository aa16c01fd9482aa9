"""Findings say themselves in the reader's language: the core reviews, the conduct checks,
and ``debtneg log conduct`` with the installed jurisdiction packs.

A finding's message is a :class:`~debtnegotiation.text.Text`: its English wording is what
the tests of each review pin; here the same finding is said in ``zh_Hans_CN`` and must
hold no English word of the library's own, with money and dates as the locale writes
them. The command test runs on the really installed packs (``plugins/``; ``.ci/run``
installs them), plugin autoloading on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from debtnegotiation import reviews
from debtnegotiation.cli import EXIT_OK, cli
from debtnegotiation.contact_rules import ContactRules
from debtnegotiation.documents import template_environment
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.i18n import translations
from debtnegotiation.money import Money
from debtnegotiation.negotiation_log import (
    Channel,
    Contact,
    Direction,
    NegotiationLog,
    check_conduct,
)
from debtnegotiation.plan import UpfrontItem, UpfrontKind
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment
from debtnegotiation.testing import sample_case
from debtnegotiation.text import Localizer, Text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
SHANGHAI = ZoneInfo("Asia/Shanghai")
CHINESE = Localizer(translations("zh_Hans_CN"), BabelFormatter("zh_Hans_CN"))
#: Latin words that are not English sentences: the zone's IANA name and currency codes.
ZONE_AND_CODES = frozenset({"Asia", "Shanghai", "CN", "US", "PBOC", "RegZ", "EU", "CCD", "XIRR"})


def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z']*", text)) - ZONE_AND_CODES


def test_core_findings_say_themselves_in_chinese_with_the_locale_s_money_and_dates():
    case = sample_case()
    fee = UpfrontItem(
        kind=UpfrontKind.FEE, amount=Money("959.94", "CNY"), on=case.on, label="handling fee"
    )
    plan = equal_installment(
        Money("19198.75", "CNY"),
        InterestRate.annual("0.10"),
        12,  # about 1,690 CNY a month, above the 1,500 CNY budget
        start=case.on,
        upfront=[fee],
    )
    found = [reviews.advance_fee(plan), reviews.unaffordable(case, plan)]
    advance, unaffordable = found
    assert advance is not None
    assert unaffordable is not None
    assert isinstance(advance.message, Text)
    assert advance.message.startswith(
        f"A fee of 959.94 CNY is due on {case.on.isoformat()}, before any payment"
    )
    chinese = CHINESE.say(advance.message)
    assert chinese.startswith(
        f"{case.on.year}年{case.on.month}月{case.on.day}日要先付¥959.94的费用"
    )
    assert "预收费套路" in chinese
    said = CHINESE.say(unaffordable.message)
    assert "¥" in said
    assert "CNY" not in said
    for message in (chinese, said):
        assert not _latin_words(message), message


def test_a_finding_without_a_translation_stays_english_rather_than_failing():
    text = Text("finding", "A sentence no catalog has, {amount}.", amount=Money("1.00", "CNY"))
    assert CHINESE.say(text) == "A sentence no catalog has, ¥1.00."


def _rules() -> ContactRules:
    # The rules' name and source are data (a plugin's own words), here already Chinese.
    return ContactRules(
        name="测试催收规则",
        zone="Asia/Shanghai",
        earliest=dt.time(8),
        latest=dt.time(22),
        max_per_day=2,
        attempt_channels=frozenset({Channel.PHONE}),
        source="测试依据",
    )


def test_conduct_findings_say_themselves_in_chinese(tmp_path: Path):
    with NegotiationLog.open(tmp_path / "log.sqlite") as log:
        log.append(
            Contact(
                at=dt.datetime(2026, 11, 5, 23, 15, tzinfo=SHANGHAI),
                channel=Channel.PHONE,
                direction=Direction.INBOUND,
            )
        )
        for hour in (9, 10, 11):
            log.append(
                Contact(
                    at=dt.datetime(2026, 11, 6, hour, tzinfo=SHANGHAI),
                    channel=Channel.PHONE,
                    direction=Direction.INBOUND,
                    answered=False,
                )
            )
        found = check_conduct(log, _rules())
    hours, per_day = found
    assert hours.message == (
        "Entry 1: phone contact at 2026-11-05 23:15 Asia/Shanghai, outside the allowed hours "
        "08:00-22:00 under 测试催收规则 (测试依据)."
    )
    assert per_day.message == (
        "3 contact attempts on 2026-11-06 (Asia/Shanghai), more than the 2 a day allowed "
        "under 测试催收规则 (测试依据); entries 2, 3, 4."
    )
    assert CHINESE.say(hours.message) == (
        "第1条记录：2026年11月5日 23:15（Asia/Shanghai）的电话联系，"
        "不在测试催收规则（测试依据）允许的联系时段08:00-22:00之内。"
    )
    said = CHINESE.say(per_day.message)
    assert said.startswith("2026年11月6日（Asia/Shanghai）共有3次联系尝试")
    assert said.endswith("见第2、3和4条记录。")
    for finding in found:
        assert not _latin_words(CHINESE.say(finding.message))


def _collection_log(path: Path) -> Path:
    """A night call, then seven unanswered calls in one morning (the CBA guideline: six)."""
    with NegotiationLog.open(path) as log:
        log.append(
            Contact(
                at=dt.datetime(2026, 11, 5, 23, 15, tzinfo=SHANGHAI),
                channel=Channel.PHONE,
                direction=Direction.INBOUND,
            )
        )
        for minute in range(7):
            log.append(
                Contact(
                    at=dt.datetime(2026, 11, 6, 9, minute, tzinfo=SHANGHAI),
                    channel=Channel.PHONE,
                    direction=Direction.INBOUND,
                    answered=False,
                )
            )
    return path


def _data_words() -> set[str]:
    """Words that are data here: the case file, and the installed plugins' names."""
    text = " ".join(
        line
        for line in EXAMPLE.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("#")
    )
    names = " ".join(info.name for info in get_plugin_host(environ={}).plugins())
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z']*", f"{text} {names}")}


def _english_words(output: str) -> list[str]:
    output = re.sub(r"\b[a-z]+(?:\.[a-z_]+)+\b", "", output)  # finding codes
    allowed = _data_words() | {w.lower() for w in ZONE_AND_CODES} | {"debtneg"}
    return sorted({w for w in _latin_words(output) if w.lower() not in allowed})


def test_log_conduct_with_the_installed_packs_prints_no_english_in_chinese(tmp_path: Path):
    host = get_plugin_host(environ={})
    assert "cn-collection-conduct" in {info.name for info in host.plugins()}, (
        "python -m pip install ./plugins/debtnegotiation-cn"
    )
    log_path = _collection_log(tmp_path / "calls.sqlite")
    runner = CliRunner(
        env={
            "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": None,
            "DEBTNEG_DISABLE_PLUGINS": None,
            "DEBTNEG_LOCALE": "zh_Hans_CN",
            "COLUMNS": "400",
        }
    )
    args = ["log", "conduct", str(log_path), str(EXAMPLE), "--creditor", "Example Bank Credit Card"]
    table = runner.invoke(cli, args, catch_exceptions=False)
    assert table.exit_code == EXIT_OK, table.output
    assert "conduct.outside_hours" in table.stdout
    assert "conduct.too_many_attempts_day" in table.stdout
    assert "《金融机构个人消费类贷款催收工作指引（试行）》" in table.stdout
    assert "2026年11月5日 23:15" in table.stdout
    assert not _english_words(table.stdout), table.stdout

    result = runner.invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == EXIT_OK, result.output
    data = json.loads(result.stdout)
    messages = [f["message"] for f in data["findings"]]
    assert len(messages) == 2
    assert messages[1].startswith("2026年11月6日（Asia/Shanghai）共有7次联系尝试")
    sentences = [*messages, *(r["name"] for r in data["rule_sets"])]
    for sentence in sentences:
        assert not _english_words(sentence), sentence


def test_log_conduct_in_english_keeps_the_findings_wording(tmp_path: Path):
    log_path = _collection_log(tmp_path / "calls.sqlite")
    runner = CliRunner(
        env={
            "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": None,
            "DEBTNEG_DISABLE_PLUGINS": None,
            "DEBTNEG_LOCALE": None,
            "COLUMNS": "400",
        }
    )
    args = ["log", "conduct", str(log_path), str(EXAMPLE), "--creditor", "Example Bank Credit Card"]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == EXIT_OK, result.output
    assert "Entry 1: phone contact at 2026-11-05 23:15 Asia/Shanghai" in result.stdout
    assert "CBA personal consumer-loan collection guideline (trial), 30 Jan 2026" in result.stdout


def test_a_plugin_finding_is_said_in_the_document_s_language():
    # The comparison's fallback for a finding the templates do not word themselves.
    env = template_environment("zh_Hans_CN", host=get_plugin_host(environ={}))
    text = Text("conduct", "{name} ({source})", name="甲", source="乙")
    assert env.filters["say"](text) == "甲（乙）"
    assert env.filters["say"]("plain data") == "plain data"
