"""Proposals: what a strategy offers, with an eligibility verdict and its reasons."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from debtnegotiation.borrower import EvidenceKind
from debtnegotiation.errors import ValidationError
from debtnegotiation.plan import Plan

__all__ = ["Eligibility", "Proposal"]


class Eligibility(enum.Enum):
    """Whether the borrower can have the proposal as things stand."""

    ELIGIBLE = "eligible"
    NEEDS_EVIDENCE = "eligible-once-evidence-is-provided"
    NOT_ELIGIBLE = "not-eligible"


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _kinds(value: Iterable[EvidenceKind]) -> tuple[EvidenceKind, ...]:
    return tuple(value)


def _strategy(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value or value != value.strip().lower():
        raise ValidationError("Proposal.strategy", "a lower-case strategy name", value)


@attrs.frozen(kw_only=True)
class Proposal:
    """One option a strategy puts forward.

    :param strategy: the strategy's stable name, e.g. ``"fee-advance"``.
    :param title: a short human title, e.g. ``"Re-split over 24 months for a 5% fee"``.
    :param plan: the plan; ``None`` only when the strategy cannot build one.
    :param eligibility: the verdict.
    :param reasons: why (eligibility, parameters chosen), in plain sentences.
    :param evidence_needed: documents still missing for this proposal.
    :param source: the plugin that produced it (set by the plugin manager).
    """

    strategy: str = attrs.field(validator=_strategy)
    title: str
    plan: Plan | None = attrs.field(
        validator=attrs.validators.optional(attrs.validators.instance_of(Plan))
    )
    eligibility: Eligibility = attrs.field(validator=attrs.validators.instance_of(Eligibility))
    reasons: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    evidence_needed: tuple[EvidenceKind, ...] = attrs.field(default=(), converter=_kinds)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        """An eligible proposal must have a plan; missing evidence must be listed."""
        if self.plan is None and self.eligibility is not Eligibility.NOT_ELIGIBLE:
            raise ValidationError("Proposal.plan", "a Plan for an eligible proposal", None)
        if self.eligibility is Eligibility.NEEDS_EVIDENCE and not self.evidence_needed:
            raise ValidationError(
                "Proposal.evidence_needed", "the missing documents", self.evidence_needed
            )
