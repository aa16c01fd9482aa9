"""Review plugins whose ``debtneg_review_proposal`` returns garbage or changes its input."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from debtnegotiation.case import Case
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.plugin import hookimpl
from debtnegotiation.proposal import Proposal

_set = object.__setattr__


class Reviews:
    """A review whose ``debtneg_review_proposal`` returns ``make(proposal)``."""

    def __init__(self, make: Callable[[Proposal], object]) -> None:
        self.make = make

    @hookimpl
    def debtneg_review_proposal(self, case: Case, proposal: Proposal) -> Sequence[Finding] | None:
        """Return whatever ``make`` builds."""
        del case
        return self.make(proposal)  # type: ignore[return-value]


def _smuggled(proposal: Proposal) -> list[Finding]:
    finding = Finding(code="garbage.smuggled", severity=Severity.WARNING, message="x")
    _set(finding, "severity", "high")
    return [finding]


def _mutates(proposal: Proposal) -> list[Finding]:
    _set(proposal, "title", "A title no strategy wrote")
    return []


BAD_SEVERITY = Reviews(
    lambda proposal: [
        Finding(code="garbage.severity", severity="high", message="x")  # type: ignore[arg-type]
    ]
)
SEVERITY_SMUGGLED = Reviews(_smuggled)
MUTATES_PROPOSAL = Reviews(_mutates)
