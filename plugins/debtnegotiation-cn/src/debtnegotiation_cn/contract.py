"""The existing contract's rate against the Chinese rate lines: what it means for the status quo.

Entry point ``cn-contract-rate``, hook ``debtneg_review_case``: once per case, not once
per proposal, since the contract's rate holds whatever plan is agreed.
:mod:`debtnegotiation_cn.ceilings` checks what a proposal would cost; this module checks
what the debt costs if nothing is agreed, against the same lines (:data:`CEILINGS
<debtnegotiation_cn.ceilings.CEILINGS>`), and says what each means for the balance the
lender states:

* **4 × the one-year LPR** at the date the contract was made (``Debt.opened``), for
  private lending (民间借贷): courts do not support interest above it, and overdue
  interest, penalties and other fees together are held to the same line
  (《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》, 法释〔2020〕17号, Art. 25,
  28 and 29). Contracts made before 20 Aug 2020 are not checked against it, and a
  contract date the case does not give is reported rather than guessed.
* **24 %** for licensed lenders: interest, compound and penalty interest and fees
  together above 24 % a year may be reduced by a court at the borrower's request
  (《最高人民法院关于进一步加强金融审判工作的若干意见》, 法发〔2017〕22号, item 2, as legal
  commentary reads it).
* **36 %** for every lender: the line above which private-lending interest was void
  and could be reclaimed (法释〔2015〕18号, Art. 26, replaced on 20 Aug 2020); the 2017
  cash-loan rules held comprehensive cost to the private-lending limits of the time
  (整治办函〔2017〕141号).

The rate checked is the one the status quo charges (:meth:`Debt.project
<debtnegotiation.debt.Debt.project>`): the contract rate, plus the penalty rate while the
debt is overdue, each annualised simply (a daily rate × its day count, a monthly rate ×
12), the way a contract's 年化利率 is quoted. Fees the debt carries are not a rate and are
not added; they count towards the 24 % line, so a debt with fees may be above it even when
this review is silent. Only CNY debts are reviewed (the currency stands in for the
jurisdiction).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from debtnegotiation.plugin import (
    Case,
    Debt,
    Finding,
    InterestRate,
    RateUnit,
    Severity,
    Text,
    hookimpl,
)
from debtnegotiation_cn.ceilings import CEILINGS, RateCeiling, line_on, percent_text
from debtnegotiation_cn.lpr import ONE_YEAR_LPR, LprFixing

__all__ = [
    "STATUS_QUO_MEANING",
    "contract_code",
    "debtneg_review_case",
    "review_contract",
    "status_quo_rate",
]

#: What being above each line of :data:`~debtnegotiation_cn.ceilings.CEILINGS` means for
#: an existing contract, by the line's code; a line not listed shows its own ``meaning``.
STATUS_QUO_MEANING: Final[Mapping[str, str]] = MappingProxyType(
    {
        "cn.rate-above-4x-lpr": Text(
            "rule",
            "if this is private lending (民间借贷), courts do not support interest above "
            "4 × the one-year LPR at the date the contract was made, and hold overdue "
            "interest, penalties and other fees together to the same line "
            "(《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》, 法释〔2020〕17号, "
            "Art. 25, 28, 29). The interest the lender adds above it may be contested: ask "
            "it to recompute the balance at no more than that rate and negotiate from the "
            "recomputed figure",
        ),
        "cn.rate-above-24pct": Text(
            "rule",
            "for a licensed lender, interest, compound and penalty interest and fees "
            "together above 24 % a year may be reduced by a court at the borrower's request "
            "(《最高人民法院关于进一步加强金融审判工作的若干意见》, 法发〔2017〕22号, item 2, as "
            "legal commentary reads it). The part of the balance charged above that line "
            "may be contested: ask the lender to recompute the balance at 24 % a year or "
            "less before negotiating from its figure",
        ),
        "cn.rate-above-36pct": Text(
            "rule",
            "36 % a year is the line above which private-lending interest was void and "
            "could be reclaimed (法释〔2015〕18号, Art. 26, replaced on 20 Aug 2020); the "
            "2017 cash-loan rules held comprehensive cost to the private-lending limits "
            "of the time (整治办函〔2017〕141号). Ask the lender for its licence and for a "
            "balance recomputed at a lawful rate, and get free legal advice before paying "
            "the charges above it",
        ),
    }
)


def contract_code(ceiling: RateCeiling) -> str:
    """The finding code for an existing contract above *ceiling*.

    The proposal code with ``contract-`` after the jurisdiction:
    ``cn.rate-above-24pct`` becomes ``cn.contract-rate-above-24pct``.
    """
    prefix, _, rest = ceiling.code.partition(".")
    return f"{prefix}.contract-{rest}" if rest else f"contract-{prefix}"


def status_quo_rate(debt: Debt) -> Decimal:
    """The annual rate *debt* is charged if nothing is agreed, annualised simply.

    The contract rate, plus the penalty rate while the debt is overdue (the rates
    :meth:`Debt.project <debtnegotiation.debt.Debt.project>` accrues), each as its
    nominal annual rate: 0.15 % a day over 365 days is 54.75 % a year.
    """
    rate = debt.contract_rate.annual_nominal()
    if debt.days_overdue > 0 and debt.penalty_rate is not None:
        rate += debt.penalty_rate.annual_nominal()
    return rate


def _quoted(rate: InterestRate) -> Text:
    """A rate as a contract quotes it: ``0.05 % a day (× 365 days)``."""
    shown = percent_text(rate.value)
    if rate.unit is RateUnit.DAILY:
        if rate.day_count is not None:
            return Text(
                "rule", "{rate} a day (× {days} days)", rate=shown, days=rate.day_count.days
            )
        return Text("rule", "{rate} a day", rate=shown)
    if rate.unit is RateUnit.MONTHLY:
        return Text("rule", "{rate} a month", rate=shown)
    if rate.unit is RateUnit.ANNUAL_EFFECTIVE:
        return Text("rule", "{rate} a year, effective", rate=shown)
    return Text("rule", "{rate} a year", rate=shown)


def _charged(debt: Debt) -> Text:
    """What the contract charges, as quoted and as one annual rate."""
    interest = _quoted(debt.contract_rate)
    if debt.days_overdue > 0 and debt.penalty_rate is not None:
        return Text(
            "finding",
            "The existing contract charges interest at {interest} and penalty interest at "
            "{penalty} while overdue: {rate} a year together",
            interest=interest,
            penalty=_quoted(debt.penalty_rate),
            rate=_annual(status_quo_rate(debt)),
        )
    if debt.contract_rate.unit is RateUnit.ANNUAL_NOMINAL:
        return Text(
            "finding", "The existing contract charges interest at {interest}", interest=interest
        )
    return Text(
        "finding",
        "The existing contract charges interest at {interest}: {rate} a year",
        interest=interest,
        rate=_annual(status_quo_rate(debt)),
    )


def _annual(rate: Decimal) -> Text:
    """An annual rate to three places of a percent, trailing zeros dropped: ``54.75 %``."""
    return percent_text(rate.scaleb(2).quantize(Decimal("0.001")).scaleb(-2))


def _unknown_date(charged: Text, why: Text) -> Finding:
    return Finding(
        code="cn.contract-lpr-unknown",
        severity=Severity.INFO,
        message=Text(
            "finding",
            "{charged}. It cannot be compared with 4 × the one-year LPR, the line for private "
            "lending (民间借贷): {why}.",
            charged=charged,
            why=why,
        ),
    )


def _line(
    ceiling: RateCeiling, case: Case, rate: Decimal, lpr_table: Sequence[LprFixing]
) -> Finding | tuple[Decimal, Text] | None:
    """The line for the contract, a finding saying why it cannot be drawn, or ``None``.

    ``None`` when the line does not apply: an LPR line for a contract made before it took
    effect, or below every line the table could draw when the contract date is unknown.
    """
    if ceiling.rate is not None:
        return ceiling.rate, percent_text(ceiling.rate)
    made = case.debt.opened
    charged = _charged(case.debt)
    multiple = ceiling.lpr_multiple or Decimal(1)
    if made is None:
        # Below every line the table could draw, the date does not matter.
        lowest = min((f.rate for f in lpr_table), default=None)
        if lowest is not None and rate <= multiple * lowest:
            return None
        return _unknown_date(
            charged,
            Text("rule", "the case does not say when the contract was made (Debt.opened)"),
        )
    if ceiling.effective_from is not None and made < ceiling.effective_from:
        return None
    drawn = line_on(ceiling, made, lpr_table)
    if drawn is None:
        return _unknown_date(
            charged,
            Text(
                "rule",
                "the dated LPR table has no confirmed rate for {made}, the date the contract "
                "was made; add that fixing",
                made=made,
            ),
        )
    return drawn


def review_contract(
    case: Case,
    *,
    ceilings: Sequence[RateCeiling] = CEILINGS,
    lpr_table: Sequence[LprFixing] = ONE_YEAR_LPR,
) -> tuple[Finding, ...]:
    """Findings for every line in *ceilings* the debt's status-quo rate is above.

    The hook calls this with the packaged data; call it yourself with other tables.
    A debt not in CNY gives no finding.
    """
    debt = case.debt
    if debt.currency != "CNY":
        return ()
    rate = status_quo_rate(debt)
    findings = []
    for ceiling in ceilings:
        if debt.creditor.kind not in ceiling.creditor_kinds:
            continue
        found = _line(ceiling, case, rate, lpr_table)
        if isinstance(found, Finding):
            findings.append(found)
            continue
        if found is None:
            continue
        line, line_text = found
        if rate <= line:
            continue
        if ceiling.rate is None and debt.opened is not None:
            line_text = Text(
                "rule",
                "{line} on {made}, when the contract was made",
                line=line_text,
                made=debt.opened,
            )
        meaning = STATUS_QUO_MEANING.get(ceiling.code)
        if meaning is None:
            meaning = Text(
                "rule",
                "{meaning}. Source: {source}",
                meaning=ceiling.meaning,
                source=ceiling.source,
            )
        findings.append(
            Finding(
                code=contract_code(ceiling),
                severity=ceiling.severity,
                message=Text(
                    "finding",
                    "{charged}, above {line}: {meaning}.",
                    charged=_charged(debt),
                    line=line_text,
                    meaning=meaning,
                ),
            )
        )
    return tuple(findings)


@hookimpl
def debtneg_review_case(case: Case) -> Sequence[Finding] | None:
    """Flag a CNY debt whose contract rate, as it stands, is above a Chinese rate line."""
    return review_contract(case) or None
