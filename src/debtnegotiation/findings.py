"""Findings: what a review says about a proposal or a log, with a stable code."""

from __future__ import annotations

import enum

import attrs

__all__ = ["Finding", "Severity"]


class Severity(enum.IntEnum):
    """How much a finding matters; higher is worse, so findings sort by gravity."""

    INFO = 10
    WARNING = 20
    DANGER = 30


@attrs.frozen(kw_only=True)
class Finding:
    """One observation from a review plugin.

    :param code: stable, dotted identifier such as ``core.unaffordable``; tests and
        translations key on it, so it never changes once released.
    :param severity: how much it matters.
    :param message: a sentence for the borrower, in English; documents translate by code.
    :param source: the plugin that produced it (filled in by the plugin manager).
    """

    code: str
    severity: Severity
    message: str
    source: str = ""
