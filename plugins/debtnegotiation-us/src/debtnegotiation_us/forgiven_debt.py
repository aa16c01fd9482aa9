"""The tax side of forgiven debt in the US, as a review of USD proposals.

Entry point ``us-forgiven-debt-tax``. Domain.md §2.4 [U25 B/C]: creditors generally issue
**Form 1099-C** for canceled debt of **$600 or more**, and canceled debt is **taxable
income** unless an exclusion applies, e.g. bankruptcy, or insolvency up to the amount by
which liabilities exceeded the fair market value of assets immediately before the
cancellation (Form 982; IRS Pub. 4681 worksheet). Domain.md §7.3 item 7 lists it among
the hidden side effects to warn about.

The review adds up the principal a USD plan waives (:attr:`WaiverKind.PRINCIPAL
<debtnegotiation.plan.WaiverKind.PRINCIPAL>`): at or above :data:`FORM_1099C_THRESHOLD`
it warns (``us.forgiven-debt-1099c``); below it, it notes that the amount may still be
taxable (``us.forgiven-debt-taxable``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from debtnegotiation.plugin import (
    Case,
    Finding,
    Money,
    Plan,
    Proposal,
    Severity,
    WaiverKind,
    hookimpl,
    total,
)

__all__ = ["FORM_1099C_THRESHOLD", "debtneg_review_proposal", "principal_forgiven"]

#: Canceled debt from which creditors generally issue Form 1099-C (domain.md §2.4 [U25]).
FORM_1099C_THRESHOLD: Final = Money("600.00", "USD")

_EXCLUSIONS = (
    "canceled debt is taxable income unless an exclusion applies, such as bankruptcy or "
    "insolvency (Form 982; IRS Pub. 4681)"
)


def principal_forgiven(plan: Plan) -> Money:
    """The principal *plan* waives."""
    return total((w.amount for w in plan.waivers if w.kind is WaiverKind.PRINCIPAL), plan.currency)


@hookimpl
def debtneg_review_proposal(case: Case, proposal: Proposal) -> Sequence[Finding] | None:
    """Warn that forgiven principal on a USD plan may be taxable income (Form 1099-C)."""
    del case  # the rule looks at the plan only
    plan = proposal.plan
    if plan is None or plan.currency != FORM_1099C_THRESHOLD.currency:
        return None
    forgiven = principal_forgiven(plan)
    if not forgiven:
        return None
    if forgiven >= FORM_1099C_THRESHOLD:
        finding = Finding(
            code="us.forgiven-debt-1099c",
            severity=Severity.WARNING,
            message=(
                f"This plan forgives {forgiven} of principal. Creditors generally issue "
                f"Form 1099-C for canceled debt of {FORM_1099C_THRESHOLD} or more, and "
                f"{_EXCLUSIONS}. Set money aside for the tax or check an exclusion."
            ),
        )
    else:
        finding = Finding(
            code="us.forgiven-debt-taxable",
            severity=Severity.INFO,
            message=(
                f"This plan forgives {forgiven} of principal, below the "
                f"{FORM_1099C_THRESHOLD} from which creditors generally issue Form 1099-C; "
                f"even without the form, {_EXCLUSIONS}."
            ),
        )
    return (finding,)
