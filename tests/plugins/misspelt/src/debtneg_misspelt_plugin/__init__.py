"""Test fixture: implements ``debtneg_propose_plan`` (singular), a hook that does not exist."""

from __future__ import annotations

from collections.abc import Sequence

from debtnegotiation.plugin import Case, Proposal, hookimpl


@hookimpl
def debtneg_propose_plan(case: Case) -> Sequence[Proposal] | None:
    """Misspelt on purpose: the real hook is ``debtneg_propose_plans``."""
    del case
    return None
