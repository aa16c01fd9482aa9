"""A strategy plugin that loads fine but raises every time it is asked for proposals."""

from __future__ import annotations

from collections.abc import Sequence

from debtnegotiation.plugin import Case, Proposal, hookimpl

#: The message the host must report, so the test can find it.
MESSAGE = "debtneg-broken-plugin: this strategy raises on purpose"


@hookimpl
def debtneg_propose_plans(case: Case) -> Sequence[Proposal] | None:
    """Raise instead of proposing."""
    raise ZeroDivisionError(f"{MESSAGE} (case dated {case.on.isoformat()})")
