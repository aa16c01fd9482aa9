"""Proposals: what a strategy offers, with an eligibility verdict and its reasons."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from debtnegotiation._validate import instance_of, optional_instance_of
from debtnegotiation.borrower import EvidenceKind
from debtnegotiation.errors import ValidationError
from debtnegotiation.plan import Plan

__all__ = ["Eligibility", "Proposal"]


class Eligibility(enum.Enum):
    """Whether the borrower can have the proposal as things stand."""

    ELIGIBLE = "eligible"
    NEEDS_EVIDENCE = "eligible-once-evidence-is-provided"
    NOT_ELIGIBLE = "not-eligible"


def _sequence(field: str, value: object) -> tuple[Any, ...]:
    # A str is iterable too, but "abc" as reasons would become ("a", "b", "c").
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValidationError(field, "a list or tuple", value)
    return tuple(value)


def _texts(value: object) -> tuple[str, ...]:
    return _sequence("Proposal.reasons", value)


def _kinds(value: object) -> tuple[EvidenceKind, ...]:
    return _sequence("Proposal.evidence_needed", value)


def _strategy(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value or value != value.strip().lower():
        raise ValidationError("Proposal.strategy", "a lower-case strategy name", value)


def _title(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Proposal.title", "a non-empty title", value)


def _reasons(_instance: object, _attribute: object, value: tuple[str, ...]) -> None:
    for i, reason in enumerate(value):
        if not isinstance(reason, str):
            raise ValidationError(f"Proposal.reasons[{i}]", "a sentence (str)", reason)


def _evidence(
    _instance: object, _attribute: object, value: tuple[EvidenceKind, ...]
) -> None:
    for i, kind in enumerate(value):
        if not isinstance(kind, EvidenceKind):
            raise ValidationError(f"Proposal.evidence_needed[{i}]", "an EvidenceKind", kind)


def _source(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str):
        raise ValidationError("Proposal.source", "text (the plugin name)", value)


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
    title: str = attrs.field(validator=_title)
    plan: Plan | None = attrs.field(
        validator=optional_instance_of("Proposal.plan", Plan, "a Plan or None")
    )
    eligibility: Eligibility = attrs.field(
        validator=instance_of("Proposal.eligibility", Eligibility, "an Eligibility")
    )
    reasons: tuple[str, ...] = attrs.field(default=(), converter=_texts, validator=_reasons)
    evidence_needed: tuple[EvidenceKind, ...] = attrs.field(
        default=(), converter=_kinds, validator=_evidence
    )
    source: str = attrs.field(default="", validator=_source)

    def __attrs_post_init__(self) -> None:
        """An eligible proposal must have a plan; missing evidence must be listed."""
        if self.plan is None and self.eligibility is not Eligibility.NOT_ELIGIBLE:
            raise ValidationError("Proposal.plan", "a Plan for an eligible proposal", None)
        if self.eligibility is Eligibility.NEEDS_EVIDENCE and not self.evidence_needed:
            raise ValidationError(
                "Proposal.evidence_needed", "the missing documents", self.evidence_needed
            )
