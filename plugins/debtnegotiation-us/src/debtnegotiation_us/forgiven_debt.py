"""The tax side of forgiven debt in the US, as a review of USD proposals.

Entry point ``us-forgiven-debt-tax``. IRS Publication 4681, *Canceled Debts,
Foreclosures, Repossessions, and Abandonments*: a debt canceled or forgiven for less than
the full amount owed is canceled in whatever amount remained unpaid, and that amount
is generally income, unless an exception or an exclusion applies — a discharge in a
bankruptcy case (IRC §108(a)(1)(A)), or insolvency, up to the amount by which
liabilities exceeded the fair market value of assets immediately before the cancellation
(IRC §108(a)(1)(B)), both claimed on Form 982. The canceled amount can include interest
as well as principal: Form 1099-C shows the interest part separately, and whether it
counts depends on whether paying it would have been deductible (Pub. 4681, "Deductible
debt"). A creditor that cancels 600 USD or more files Form 1099-C (26 CFR 1.6050P-1);
below that no form is filed, but the canceled debt is no less income.

What a plan cancels (:func:`debt_forgiven`) is everything owed on the plan's start date
that the plan does not repay: its waivers, by kind, and — for a plan stated as "pay X
for a balance of Y" — the balance the plan does not restructure, split over what is owed
charges first (penalty interest, fees, interest, then principal, as a lender gives up
what it charged before what it lent). At or above :data:`FORM_1099C_THRESHOLD` the review
warns (``us.forgiven-debt-1099c``); below it, it says the amount is still taxable
(``us.forgiven-debt-taxable``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import attrs

from debtnegotiation.plugin import (
    Case,
    Finding,
    Items,
    Label,
    Money,
    Plan,
    Proposal,
    Severity,
    Text,
    Waiver,
    WaiverKind,
    hookimpl,
    total,
)

__all__ = [
    "FORM_1099C_THRESHOLD",
    "Forgiven",
    "debt_forgiven",
    "debtneg_review_proposal",
    "principal_forgiven",
]

#: Canceled debt from which a creditor files Form 1099-C (26 CFR 1.6050P-1).
FORM_1099C_THRESHOLD: Final = Money("600.00", "USD")

#: The order in which an unexplained shortfall is attributed: charges before principal.
_CHARGES_FIRST: Final = (
    WaiverKind.PENALTY,
    WaiverKind.FEES,
    WaiverKind.INTEREST,
    WaiverKind.PRINCIPAL,
)

#: How a finding names each kind (the label registry's ``waiver_kind`` group in other
#: languages).
_NAMES: Final = {
    WaiverKind.PENALTY: "penalty interest",
    WaiverKind.FEES: "fees",
    WaiverKind.INTEREST: "interest",
    WaiverKind.PRINCIPAL: "principal",
}

_TAX: Final = Text(
    "finding",
    "Canceled debt is generally taxable income (IRS Publication 4681) unless an exclusion "
    "applies: a discharge in a bankruptcy case (IRC §108(a)(1)(A)), or insolvency, up to "
    "the amount by which your liabilities exceeded the fair market value of your assets "
    "immediately before the cancellation (IRC §108(a)(1)(B)); both are claimed on Form 982.",
)
_INTEREST: Final = Text(
    "finding",
    "Whether the interest part counts depends on whether paying it would have been "
    'deductible (Publication 4681, "Deductible debt").',
)


@attrs.frozen(kw_only=True)
class Forgiven:
    """What a plan cancels of a debt.

    :param on: the date the amounts owed are taken at (the plan's start).
    :param owed: everything owed on that date.
    :param parts: the canceled amount by kind, charges first, each above zero.
    """

    on: dt.date
    owed: Money
    parts: tuple[Waiver, ...]

    @property
    def total(self) -> Money:
        """Everything canceled."""
        return total((p.amount for p in self.parts), self.owed.currency)

    def of(self, kind: WaiverKind) -> Money:
        """The canceled amount of one kind (zero when none)."""
        return total((p.amount for p in self.parts if p.kind is kind), self.owed.currency)


def debt_forgiven(case: Case, plan: Plan) -> Forgiven:
    """Everything *plan* cancels of the case's debt, by kind.

    The amount owed is projected to the plan's start (the debt's ``as_of`` when the plan
    starts before it). The plan's waivers count as stated; what is owed beyond the
    balance the plan restructures (``plan.principal``) and its waivers is canceled too,
    attributed to what remains owed of each kind, charges first. A plan that restructures
    more than is owed (a fee added to the balance) cancels only its waivers.
    """
    debt = case.debt
    on = max(plan.start, debt.as_of)
    owed = debt.project(on)
    currency = plan.currency
    waived = {kind: Money.zero(currency) for kind in _CHARGES_FIRST}
    for waiver in plan.waivers:
        waived[waiver.kind] = waived[waiver.kind] + waiver.amount
    shortfall = owed.total - plan.principal - total(waived.values(), currency)
    by_kind = {
        WaiverKind.PENALTY: owed.penalty,
        WaiverKind.FEES: owed.fees,
        WaiverKind.INTEREST: owed.interest,
        WaiverKind.PRINCIPAL: owed.principal,
    }
    for kind in _CHARGES_FIRST:
        if shortfall.amount <= 0:
            break
        # What is still owed of this kind once the plan's own waivers are taken off.
        room = by_kind[kind] - waived[kind]
        taken = min(room, shortfall) if room.amount > 0 else Money.zero(currency)
        waived[kind] = waived[kind] + taken
        shortfall = shortfall - taken
    parts = tuple(Waiver(kind=kind, amount=waived[kind]) for kind in _CHARGES_FIRST if waived[kind])
    return Forgiven(on=on, owed=owed.total, parts=parts)


def principal_forgiven(plan: Plan) -> Money:
    """The principal *plan*'s waivers state; only part of what it may cancel.

    :func:`debt_forgiven` counts everything, interest and fees included.
    """
    return total((w.amount for w in plan.waivers if w.kind is WaiverKind.PRINCIPAL), plan.currency)


def _parts_text(forgiven: Forgiven) -> Items:
    return Items(
        Text(
            "finding",
            "{kind} {amount}",
            kind=Label("waiver_kind", p.kind.value, english=_NAMES[p.kind]),
            amount=p.amount,
        )
        for p in forgiven.parts
    )


def _tax(forgiven: Forgiven) -> Text:
    """The tax rule, and the interest caveat when interest is canceled."""
    if forgiven.of(WaiverKind.INTEREST):
        return Text("finding", "{tax} {interest}", tax=_TAX, interest=_INTEREST)
    return _TAX


@hookimpl
def debtneg_review_proposal(case: Case, proposal: Proposal) -> Sequence[Finding] | None:
    """Warn that debt a USD plan cancels, interest and fees included, is taxable income."""
    plan = proposal.plan
    if plan is None or plan.currency != FORM_1099C_THRESHOLD.currency:
        return None
    if case.debt.currency != plan.currency:
        return None
    forgiven = debt_forgiven(case, plan)
    amount = forgiven.total
    if not amount:
        return None
    head = Text(
        "finding",
        "This plan cancels {amount} of the {owed} owed on {on}: {parts}.",
        amount=amount,
        owed=forgiven.owed,
        on=forgiven.on,
        parts=_parts_text(forgiven),
    )
    if amount >= FORM_1099C_THRESHOLD:
        finding = Finding(
            code="us.forgiven-debt-1099c",
            severity=Severity.WARNING,
            message=Text(
                "finding",
                "{head} A creditor that cancels {threshold} or more generally files Form "
                "1099-C, reporting it to you and the IRS. {tax} Set money aside for the tax, "
                "or check an exclusion with a tax adviser.",
                head=head,
                threshold=FORM_1099C_THRESHOLD,
                tax=_tax(forgiven),
            ),
        )
    else:
        finding = Finding(
            code="us.forgiven-debt-taxable",
            severity=Severity.INFO,
            message=Text(
                "finding",
                "{head} That is below the {threshold} from which a creditor generally files "
                "Form 1099-C, but the threshold is only about the form: the amount is income "
                "even if no form is sent. {tax}",
                head=head,
                threshold=FORM_1099C_THRESHOLD,
                tax=_tax(forgiven),
            ),
        )
    return (finding,)
