"""The readable report: locale formatting through the formatter, and safe escaping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.negotiation_log import Contact, NegotiationLog, render_report

MakeContact = Callable[..., Contact]


def test_markdown_report_in_chinese_locale(filled: NegotiationLog) -> None:
    text = render_report(filled, BabelFormatter("zh_Hans_CN"), as_of=dt.date(2026, 3, 9))
    assert text.startswith("# Negotiation log\n")
    assert "5 entries; head hash `" + filled.head + "`" in text
    assert "## Entry 1: 2026年3月2日 10:15:00 (Asia/Shanghai)" in text
    assert "monthly ¥1,312.50; 24 months; total ¥31,500.00" in text  # CLDR zh_Hans_CN
    assert "(due 2026年3月6日)" in text
    assert "**overdue by 3 days**" in text
    assert "call\\-0302.m4a" not in text  # '-' needs no escaping
    assert "call-0302.m4a (audio/mp4, 1,200 bytes)" in text


def test_report_uses_the_given_locale(filled: NegotiationLog) -> None:
    text = render_report(filled, BabelFormatter("de_DE"))
    assert "1.312,50\xa0CN¥" in text
    assert "## Entry 1: 02.03.2026, 10:15:00 (Asia/Shanghai)" in text


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
