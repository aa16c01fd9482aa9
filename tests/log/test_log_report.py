"""The readable report: locale formatting through the formatter, and safe escaping."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest

from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.i18n import translations
from debtnegotiation.negotiation_log import Contact, NegotiationLog, render_report

MakeContact = Callable[..., Contact]


def test_markdown_report_in_chinese_locale(filled: NegotiationLog) -> None:
    text = render_report(filled, BabelFormatter("zh_Hans_CN"), as_of=dt.date(2026, 3, 9))
    assert text.startswith("# 协商记录\n")
    assert "共 5 条记录；链头哈希 `" + filled.head + "`。" in text
    assert "## 第 1 条记录：2026年3月2日 10:15:00（Asia/Shanghai）" in text
    assert "- 渠道：App 在线客服，对方来电/来信" in text
    assert "- 工号：CS-20931" in text
    assert "- 通话录音：是；已告知录音：是" in text
    # CLDR zh_Hans_CN money; the offer's party, the months and the total in Chinese.
    offer = "- 对方提出：24 installments, handling fee 5%；每月 ¥1,312.50；24 个月；合计 ¥31,500.00"
    assert offer in text
    assert "1. 对方：call back（截止 2026年3月6日），待履行" in text
    assert "## 截至2026年3月9日未完成的承诺" in text
    assert "**已逾期 3 天**" in text
    assert "call\\-0302.m4a" not in text  # '-' needs no escaping
    assert "call-0302.m4a（audio/mp4，1,200 字节）" in text


def test_english_report_counts_in_the_singular_and_plural(
    log: NegotiationLog, make_contact: MakeContact
) -> None:
    log.append(make_contact(offers=(), day=2))
    one = render_report(log, BabelFormatter("en"), as_of=dt.date(2026, 3, 7))
    assert "\n1 entry; head hash `" in one
    assert "**overdue by 1 day**" in one
    log.append(make_contact(day=3))
    two = render_report(log, BabelFormatter("en"), verification=log.verify())
    assert "\n2 entries; head hash `" in two
    assert "Verification: 2 entries verified; head " in two
    assert render_report([], BabelFormatter("en")).endswith("\n0 entries.\n")


def test_report_takes_the_catalog_it_is_given(filled: NegotiationLog) -> None:
    # English labels with Chinese values: the catalog and the formatter are independent.
    text = render_report(filled, BabelFormatter("zh_Hans_CN"), translations=translations("en"))
    assert text.startswith("# Negotiation log\n")
    assert "monthly ¥1,312.50; 24 months; total ¥31,500.00" in text
    with pytest.raises(ValidationError, match=r"^translations: expected a gettext catalog"):
        render_report(filled, BabelFormatter("en"), translations="zh")  # type: ignore[arg-type]


def test_every_label_of_the_report_is_translated(filled: NegotiationLog) -> None:
    """No English word of the template's own is left in the Chinese reports."""
    filled.correct(2, summary="纠正")
    chinese = BabelFormatter("zh_Hans_CN")
    for fmt in ("markdown", "html"):
        text = render_report(
            filled,
            chinese,
            format=fmt,  # type: ignore[arg-type]
            as_of=dt.date(2026, 3, 9),
            verification=filled.verify(),
            findings=[Finding(code="x.y", severity=Severity.INFO, message="消息")],
        )
        for english in ("Entry", "entries", "Channel", "Name", "Commitments", "due", "open",
                        "inbound", "Corrected", "bytes", "Verification", "overdue", "Findings",
                        "monthly", "months", "total", "Key points", "Offers", "by "):  # fmt: skip
            shown = re.sub(r"<style>.*</style>|class=\"overdue\"", "", text, flags=re.DOTALL)
            assert english not in shown, (fmt, english)


def test_report_uses_the_given_locale(filled: NegotiationLog) -> None:
    # No German catalog ships: English labels (the source language), German values.
    text = render_report(filled, BabelFormatter("de_DE"))
    assert "1.312,50\xa0CN¥" in text
    assert "## Entry 1: 02.03.2026, 10:15:00 (Asia/Shanghai)" in text
    assert "(audio/mp4, 1.200 bytes)" in text


def test_html_report_escapes_user_text(log: NegotiationLog, make_contact: MakeContact) -> None:
    log.append(make_contact(summary='<script>alert("x")</script> & <b>bold</b>'))
    html = render_report(log, BabelFormatter("en"), format="html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html


def test_markdown_report_escapes_user_text(log: NegotiationLog, make_contact: MakeContact) -> None:
    log.append(make_contact(summary="*urgent* [click](http://x) <b>\n# not a heading"))
    text = render_report(log, BabelFormatter("en"))
    assert r"\*urgent\* \[click\]\(http://x\) \<b\> \# not a heading" in text
    assert "\n# not a heading" not in text


def test_report_shows_corrections_and_findings(
    log: NegotiationLog, make_contact: MakeContact
) -> None:
    log.append(make_contact(summary="first version"))
    log.correct(1, summary="corrected version")
    finding = Finding(code="conduct.outside_hours", severity=Severity.WARNING, message="Late.")
    text = render_report(log, BabelFormatter("en"), findings=[finding])
    assert "corrected version" in text
    assert "first version" not in text
    assert "Corrected by entry 2; shown as corrected" in text
    assert "- `conduct.outside_hours`: Late." in text
    assert text.count("## Entry") == 1


def test_report_rejects_unknown_format(filled: NegotiationLog) -> None:
    with pytest.raises(ValidationError, match=r"^format: expected"):
        render_report(filled, BabelFormatter("en"), format="pdf")  # type: ignore[arg-type]
