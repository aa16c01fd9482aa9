"""The built-in demonstration: the Xi'an example case, end to end, as plain text."""

from __future__ import annotations

from debtnegotiation.apr import Regime
from debtnegotiation.example import (
    EXAMPLE_DATE,
    example_borrower,
    example_debts,
    example_policies,
)
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.plugins import PluginHost
from debtnegotiation.portfolio import CreditorResult, Portfolio

__all__ = ["example_portfolio", "render_demo"]


def example_portfolio(*, host: PluginHost) -> Portfolio:
    """The example borrower's two debts, sharing one budget, rates under CN PBOC 2021 No. 3."""
    return Portfolio(
        example_borrower(),
        example_debts(),
        on=EXAMPLE_DATE,
        regime=Regime.CN_PBOC,
        policies=example_policies(),
        host=host,
    )


def _creditor(result: CreditorResult, fmt: BabelFormatter) -> list[str]:
    debt = result.claim.debt
    options = result.options
    lines = [
        "",
        f"== {debt.creditor.name} ({debt.creditor.kind.value}, account {debt.account})",
        (
            f"   owed today {fmt.money(debt.total_owed)}; {debt.days_overdue} days overdue; "
            f"budget share {fmt.money(result.budget)} a month"
        ),
        "   status quo (nothing negotiated):",
    ]
    lines += [
        f"     by {fmt.date(p.on)}: {fmt.money(p.total)}" for p in options.status_quo.projections
    ]
    lines.append("   ranked options:")
    for option in options.ranked:
        plan = option.plan
        rate = (
            f"{fmt.percent(option.annual_rate.rate)} {option.annual_rate.label}"
            if option.annual_rate is not None
            else "no unique annual rate"
        )
        gate = "affordable" if option.affordable else "NOT affordable"
        lines.append(
            f"     {option.rank}. {option.proposal.title} [{option.proposal.strategy}, "
            f"{option.proposal.eligibility.value}, {gate}]"
        )
        lines.append(
            f"        {plan.number_of_payments} payments up to {fmt.money(plan.peak_installment)}; "
            f"total {fmt.money(plan.total_paid)}; true annual rate {rate}"
        )
        lines += [f"        ! {f.severity.name}: {f.message}" for f in option.findings]
    for proposal in options.unranked:
        lines.append(f"     -  {proposal.title}: {'; '.join(proposal.reasons)}")
    lines.append("   concession ladder:")
    for step in result.ladder.steps:
        lines.append(f"     {step.order}. {step.ask}")
        if not step.walk_away:
            lines.append(f"        why the lender may accept: {step.why_lender_may_accept}")
            if step.evidence_to_show:
                lines.append(f"        evidence: {', '.join(step.evidence_to_show)}")
    lines += [f"   plugin failure: {failure}" for failure in options.failures]
    return lines


def render_demo(locale: str = "en", *, host: PluginHost) -> str:
    """Run the example case and return the report as text in *locale*'s number formats."""
    fmt = BabelFormatter(locale)
    portfolio = example_portfolio(host=host)
    borrower = portfolio.borrower
    budget = borrower.affordability()
    hardships = ", ".join(f"{h.kind.value} since {fmt.date(h.start)}" for h in borrower.hardships)
    lines = [
        (
            f"debtnegotiation demo: {borrower.name}, Xi'an ({hardships}); case date "
            f"{fmt.date(portfolio.on)}"
        ),
        (
            f"income {fmt.money(budget.income)} - essentials {fmt.money(budget.essentials)} - "
            f"other debts {fmt.money(budget.other_debt_payments)} - savings buffer "
            f"{fmt.money(budget.savings_buffer)} = sustainable payment "
            f"{fmt.money(budget.sustainable_payment)} a month"
        ),
        f"method: {budget.method}",
        f"annual rates: {portfolio.regime.value} (12 x monthly IRR, labelled simple)",
    ]
    for result in portfolio.results():
        lines += _creditor(result, fmt)
    return "\n".join(lines) + "\n"
