"""Annual-rate lines in China, and the review that checks every CNY proposal against them.

Entry point ``cn-rate-ceilings``. The review computes a proposal's annualised rate the
way PBOC Announcement [2021] No. 3 requires (all borrowing costs, IRR-based;
:attr:`debtnegotiation.apr.Regime.CN_PBOC`) and compares it with the rate lines of Chinese
law and regulation:

* **4 × the one-year LPR** for private lending (民间借贷): courts do not protect interest
  above it (the Supreme People's Court's private-lending provisions, 最高人民法院关于审理民间
  借贷案件适用法律若干问题的规定, as amended effective 20 Aug 2020). The LPR is dated data
  (:mod:`debtnegotiation_cn.lpr`); the date that counts is the date the agreement is
  made, which for a proposal is the plan's start.
* **24 %** for licensed lenders (banks, card issuers, consumer-finance companies,
  lending platforms): the court reduction threshold for financial loans as legal
  commentary reads 法发〔2017〕22号 (UNVERIFIED against the official text), and the
  2025 ceilings for internet-facilitated bank loans (NFRA 金规〔2025〕9号, effective
  1 Oct 2025) and new microloans (Dec 2025 guideline).
* **36 %**: the historic void line for private lending (2015 rule, replaced in 2020) and
  the 2017 cash-loan cap.

Which lender is "licensed" is read from :class:`~debtnegotiation.debt.CreditorKind`:
``OTHER`` is treated as possible private lending, every other kind as licensed. Only
CNY plans are checked (the currency stands in for the jurisdiction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

import attrs

from debtnegotiation.plugin import (
    AnnualRate,
    Case,
    CreditorKind,
    Finding,
    NoUniqueRateError,
    Proposal,
    Regime,
    Severity,
    Text,
    annual_rate,
    hookimpl,
)
from debtnegotiation_cn.lpr import (
    ONE_YEAR_LPR,
    PRIVATE_LENDING_LPR_MULTIPLE,
    PRIVATE_LENDING_RULE_FROM,
    LprFixing,
    lpr_on,
)

__all__ = [
    "CEILINGS",
    "LICENSED",
    "PRIVATE_LENDING",
    "RateCeiling",
    "debtneg_review_proposal",
    "line_on",
    "percent_text",
    "review",
]

#: Creditor kinds treated as possible private lending (outside the licensed sector).
PRIVATE_LENDING: Final = frozenset({CreditorKind.OTHER})
#: Creditor kinds treated as licensed lenders (banks and consumer-finance companies are
#: licensed financial institutions, outside the private-lending provisions as SPC Reply
#: 法释〔2020〕27号 says of licensed local lenders; platforms lend through licensed funders).
LICENSED: Final = frozenset(CreditorKind) - PRIVATE_LENDING


@attrs.frozen(kw_only=True)
class RateCeiling:
    """One annual-rate line, as dated data with its citation.

    :param code: the stable finding code raised above the line.
    :param rate: a fixed line as a fraction, or ``None`` for a multiple of the LPR.
    :param lpr_multiple: the multiple of the one-year LPR when *rate* is ``None``.
    :param creditor_kinds: the kinds of creditor the line applies to.
    :param effective_from: agreements made on or after this date are checked; ``None``
        when the sources give no start date (the line is checked for every plan).
    :param severity: the severity of the finding.
    :param meaning: what being above the line means, for the finding's message (a
        :class:`~debtnegotiation.plugin.Text`, so that the reader's language says it).
    :param source: the citation (a ``Text`` too: its descriptive words are translated,
        the Chinese titles of the rules stay as they are).
    """

    code: str
    rate: Decimal | None
    lpr_multiple: Decimal | None
    creditor_kinds: frozenset[CreditorKind]
    effective_from: dt.date | None
    severity: Severity
    meaning: str
    source: str


def percent_text(value: Decimal) -> Text:
    """A rate given as a fraction, in percent as the rules quote it: ``0.24`` is ``24 %``.

    Every significant digit is kept (``0.122`` is ``12.2 %``); the reader's locale formats
    the number and places the sign.
    """
    return Text("rule", "{number} %", number=Decimal(f"{value.scaleb(2).normalize():f}"))


#: The rate lines, lowest first.
CEILINGS: Final = (
    RateCeiling(
        code="cn.rate-above-4x-lpr",
        rate=None,
        lpr_multiple=PRIVATE_LENDING_LPR_MULTIPLE,
        creditor_kinds=PRIVATE_LENDING,
        effective_from=PRIVATE_LENDING_RULE_FROM,
        severity=Severity.WARNING,
        meaning=Text(
            "rule",
            "if this is private lending (民间借贷), courts do not protect interest above "
            "4 × the one-year LPR at the date the agreement is made",
        ),
        source=Text(
            "rule",
            "Supreme People's Court private-lending provisions (最高人民法院关于审理民间借贷"
            "案件适用法律若干问题的规定), as amended effective 20 Aug 2020",
        ),
    ),
    RateCeiling(
        code="cn.rate-above-24pct",
        rate=Decimal("0.24"),
        lpr_multiple=None,
        creditor_kinds=LICENSED,
        effective_from=None,
        severity=Severity.WARNING,
        meaning=Text(
            "rule",
            "for a licensed lender, interest, penalties and fees together above {line} a "
            "year may be reduced by a court on the borrower's request (法发〔2017〕22号 as "
            "read by legal commentary, unverified), and {line} caps internet-facilitated bank "
            "loans from 1 Oct 2025 (NFRA 金规〔2025〕9号) and new microloans (Dec 2025)",
            line=percent_text(Decimal("0.24")),
        ),
        source=Text(
            "rule",
            "SPC opinions on financial adjudication 法发〔2017〕22号; NFRA 金规〔2025〕9号 on "
            "bank internet lending facilitation; 小额贷款公司综合融资成本管理工作指引 (Dec 2025)",
        ),
    ),
    RateCeiling(
        code="cn.rate-above-36pct",
        rate=Decimal("0.36"),
        lpr_multiple=None,
        creditor_kinds=frozenset(CreditorKind),
        effective_from=None,
        severity=Severity.DANGER,
        meaning=Text(
            "rule",
            "36 % a year was the line above which private-lending interest was void "
            "(2015-2020) and the maximum for cash loans in the 2017 clean-up",
        ),
        source=Text(
            "rule",
            "SPC private-lending provisions of 2015, Art. 26; the 2017 cash-loan clean-up "
            "notice (关于规范整顿“现金贷”业务的通知)",
        ),
    ),
)


def line_on(
    ceiling: RateCeiling, made: dt.date, lpr_table: Sequence[LprFixing] = ONE_YEAR_LPR
) -> tuple[Decimal, Text] | None:
    """The line *ceiling* draws for an agreement made on *made*, and how to show it.

    A fixed line is its rate; an LPR line is its multiple of the one-year LPR on *made*,
    with a note when that is only the newest fixing known. ``None`` when *lpr_table* has
    no rate for the date (a gap is never guessed).
    """
    if ceiling.rate is not None:
        return ceiling.rate, percent_text(ceiling.rate)
    found = lpr_on(made, lpr_table)
    if found is None:
        return None
    multiple = ceiling.lpr_multiple or Decimal(1)
    line = multiple * found.rate
    shown, lpr = percent_text(line), percent_text(found.rate)
    if found.confirmed:
        return line, Text(
            "rule", "{line} ({multiple} × LPR {lpr})", line=shown, multiple=multiple, lpr=lpr
        )
    return line, Text(
        "rule",
        "{line} ({multiple} × LPR {lpr}, the newest fixing known (last confirmed {known}; "
        "check the current LPR))",
        line=shown,
        multiple=multiple,
        lpr=lpr,
        known=found.fixing.last_known,
    )


def _check(
    ceiling: RateCeiling,
    rate: AnnualRate,
    start: dt.date,
    lpr_table: Sequence[LprFixing],
) -> Finding | None:
    # The rate's label is the disclosure's own Chinese name (近似折算年化利率(单利)).
    shown = Text(
        "rule",
        "{rate} % ({label}, PBOC 2021 No. 3)",
        rate=rate.rounded_percent(2),
        label=rate.label,
    )
    drawn = line_on(ceiling, start, lpr_table)
    if drawn is None:
        return Finding(
            code="cn.lpr-unknown",
            severity=Severity.INFO,
            message=Text(
                "finding",
                "The plan's annualised rate is {rate}. It cannot be compared with 4 × the "
                "one-year LPR: the dated LPR table has no confirmed rate for {start}; add that "
                "fixing to check the private-lending line.",
                rate=shown,
                start=start,
            ),
        )
    line, line_text = drawn
    if rate.rate <= line:
        return None
    return Finding(
        code=ceiling.code,
        severity=ceiling.severity,
        message=Text(
            "finding",
            "The plan's annualised rate is {rate}, above {line}: {meaning}. Source: {source}.",
            rate=shown,
            line=line_text,
            meaning=ceiling.meaning,
            source=ceiling.source,
        ),
    )


def review(
    case: Case,
    proposal: Proposal,
    *,
    ceilings: Sequence[RateCeiling] = CEILINGS,
    lpr_table: Sequence[LprFixing] = ONE_YEAR_LPR,
) -> tuple[Finding, ...]:
    """Findings for every line in *ceilings* the proposal's plan is above.

    The hook calls this with the packaged data; call it yourself with other tables.
    A proposal without a plan, a plan not in CNY, or one with no unique annual rate
    gives no finding (the core reviews report the last case).
    """
    plan = proposal.plan
    if plan is None or plan.currency != "CNY":
        return ()
    try:
        rate = annual_rate(plan, regime=Regime.CN_PBOC)
    except NoUniqueRateError:
        return ()
    findings = []
    for ceiling in ceilings:
        if case.debt.creditor.kind not in ceiling.creditor_kinds:
            continue
        if ceiling.effective_from is not None and plan.start < ceiling.effective_from:
            continue
        finding = _check(ceiling, rate, plan.start, lpr_table)
        if finding is not None:
            findings.append(finding)
    return tuple(findings)


@hookimpl
def debtneg_review_proposal(case: Case, proposal: Proposal) -> Sequence[Finding] | None:
    """Flag a CNY proposal whose annualised rate is above a Chinese rate line."""
    return review(case, proposal) or None
