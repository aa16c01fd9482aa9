"""Test fixture: implements ``debtneg_propose_plan`` (singular), a hook that does not exist."""

from __future__ import annotations

from collections.abc import Sequence

from debtnegotiation.case import Case
from debtnegotiation.plugins import hookimpl
from debtnegotiation.proposal import Proposal


@hookimpl
def debtneg_propose_plan(case: Case) -> Sequence[Proposal] | None:
    """Misspelt on purpose: the real hook is ``debtneg_propose_plans``."""
    del case
    return None
