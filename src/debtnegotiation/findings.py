"""Findings: what a review says about a proposal or a log, with a stable code."""

from __future__ import annotations

import enum
import re
from typing import Final

import attrs

from debtnegotiation.errors import ValidationError

__all__ = ["Finding", "Severity"]

#: A finding code: dotted, lower-case words of letters, digits, ``_`` or ``-``.
_CODE: Final = re.compile(r"[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)+")


class Severity(enum.IntEnum):
    """How much a finding matters; higher is worse, so findings sort by gravity."""

    INFO = 10
    WARNING = 20
    DANGER = 30


def _code(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or _CODE.fullmatch(value) is None:
        raise ValidationError(
            "Finding.code", "a dotted lower-case code such as 'core.unaffordable'", value
        )


def _severity(_instance: object, _attribute: object, value: Severity) -> None:
    given: object = value  # the annotation is what is being checked
    if not isinstance(given, Severity):
        names = ", ".join(f"Severity.{s.name}" for s in Severity)
        raise ValidationError("Finding.severity", f"one of {names}", value)


def _message(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Finding.message", "a non-empty sentence", value)


def _source(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str):
        raise ValidationError("Finding.source", "text (the plugin name)", value)


@attrs.frozen(kw_only=True)
class Finding:
    """One observation from a review plugin.

    Every field is checked when the finding is built; a wrong one raises
    :class:`~debtnegotiation.errors.ValidationError` naming it.

    :param code: stable, dotted, lower-case identifier such as ``core.unaffordable``;
        tests and translations key on it, so it never changes once released.
    :param severity: how much it matters, a :class:`Severity`.
    :param message: a sentence for the borrower: a :class:`~debtnegotiation.text.Text`
        (English, and said in the reader's locale wherever one is known), or a plain
        English ``str``.
    :param source: the plugin that produced it (filled in by the plugin manager).
    """

    code: str = attrs.field(validator=_code)
    severity: Severity = attrs.field(validator=_severity)
    message: str = attrs.field(validator=_message)
    source: str = attrs.field(default="", validator=_source)
