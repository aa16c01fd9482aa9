"""Errors raised by the negotiation log, all derived from the library's base error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debtnegotiation.errors import DebtNegotiationError

if TYPE_CHECKING:
    from debtnegotiation.negotiation_log.verify import VerifyResult

__all__ = ["ChainBrokenError", "LogError"]


class LogError(DebtNegotiationError):
    """The log cannot do what was asked: unreadable store, refused import, bad reference."""


class ChainBrokenError(LogError):
    """A hash chain failed verification where a valid one is required (import, append).

    :param result: the verification result naming the first broken link.
    """

    def __init__(self, result: VerifyResult) -> None:
        """Keep the verification result and use its explanation as the message."""
        self.result = result
        super().__init__(f"hash chain does not verify: {result.explanation}")
