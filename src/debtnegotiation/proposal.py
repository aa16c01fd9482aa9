"""Proposals: what a strategy offers, with an eligibility verdict and its reasons."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any, Final

import attrs

from debtnegotiation._validate import instance_of, optional_instance_of
from debtnegotiation.borrower import EvidenceKind
from debtnegotiation.errors import ValidationError
from debtnegotiation.messages import N_
from debtnegotiation.plan import Plan

__all__ = [
    "DEFAULT_WHY_LENDER_MAY_ACCEPT",
    "LABEL_CONTEXT",
    "WHY_CONTEXT",
    "Eligibility",
    "Proposal",
]

#: The gettext context documents translate ``Proposal.label`` in: a plugin's catalog
#: (hook ``debtneg_catalogs``) translates its strategy's label under this ``msgctxt``.
LABEL_CONTEXT: Final = "strategy"

#: The gettext context of ``Proposal.why_lender_may_accept``.
WHY_CONTEXT: Final = "why_lender_may_accept"

#: What the ladder says of a strategy that states no reason of its own.
DEFAULT_WHY_LENDER_MAY_ACCEPT: Final = N_(
    "why_lender_may_accept", "it is within the terms the lender's policy offers"
).id


class Eligibility(enum.Enum):
    """Whether the borrower can have the proposal as things stand."""

    ELIGIBLE = "eligible"
    NEEDS_EVIDENCE = "eligible-once-evidence-is-provided"
    ASSUMED_TERMS = "on-assumed-terms"
    """Built on assumed market-typical terms, because the lender's own are unknown; ask for them."""
    BEYOND_STATED_TERMS = "beyond-stated-terms"
    """A lever or term the lender's stated policy does not offer, so an ask, not an entitlement."""
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


def _one_line(name: str, *, empty: bool) -> Callable[[object, object, str], None]:
    """A validator: a string on one line (a catalog message id), empty only if allowed."""
    expected = "a string on one line" if empty else "a non-empty string on one line"

    def check(_instance: object, _attribute: object, value: str) -> None:
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise ValidationError(name, expected, value)
        if len(value.splitlines()) > 1:
            raise ValidationError(name, expected, value)

    return check


def _default_label(proposal: Proposal) -> str:
    # The title doubles as the label when none is given, as before labels existed; a
    # title that is not a string is left to the title's own validation.
    return proposal.title if isinstance(proposal.title, str) else ""


def _title(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Proposal.title", "a non-empty title", value)


def _reasons(_instance: object, _attribute: object, value: tuple[str, ...]) -> None:
    for i, reason in enumerate(value):
        if not isinstance(reason, str):
            raise ValidationError(f"Proposal.reasons[{i}]", "a sentence (str)", reason)


def _evidence(_instance: object, _attribute: object, value: tuple[EvidenceKind, ...]) -> None:
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
    :param label: the strategy's short name in documents (the comparison's option column,
        the headline of each ask in the letter and the call script), e.g.
        ``"Settlement"``. It is an English gettext message id: documents show
        ``pgettext("strategy", label)`` (:data:`LABEL_CONTEXT`) from the locale's catalog,
        into which each plugin's ``debtneg_catalogs`` are merged, so a plugin translates
        its label by shipping a catalog of the library's domain. Defaults to *title*; an
        empty label shows the strategy's name.
    :param why_lender_may_accept: the lender's interest in saying yes, as a clause that
        follows "the lender may accept because", e.g. ``"the lender recovers cash now"``
        (the ladder's ``LadderStep.why_lender_may_accept``).
        An English message id translated in context ``why_lender_may_accept``
        (:data:`WHY_CONTEXT`) in the same way; defaults to
        :data:`DEFAULT_WHY_LENDER_MAY_ACCEPT`.

    .. versionadded:: Unreleased *label* and *why_lender_may_accept*.
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
    label: str = attrs.field(
        default=attrs.Factory(_default_label, takes_self=True),
        validator=_one_line("Proposal.label", empty=True),
    )
    why_lender_may_accept: str = attrs.field(
        default=DEFAULT_WHY_LENDER_MAY_ACCEPT,
        validator=_one_line("Proposal.why_lender_may_accept", empty=False),
    )

    def __attrs_post_init__(self) -> None:
        """An eligible proposal must have a plan; missing evidence must be listed."""
        if self.plan is None and self.eligibility is not Eligibility.NOT_ELIGIBLE:
            raise ValidationError("Proposal.plan", "a Plan for an eligible proposal", None)
        if self.eligibility is Eligibility.NEEDS_EVIDENCE and not self.evidence_needed:
            raise ValidationError(
                "Proposal.evidence_needed", "the missing documents", self.evidence_needed
            )
