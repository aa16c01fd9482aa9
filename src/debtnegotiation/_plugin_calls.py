"""How the plugin host calls one hook implementation: with an optional time limit.

:class:`HookCaller` is what :class:`~debtnegotiation.plugins.PluginHost` calls each
implementation through; the host reports whatever the call raises as that plugin's
failure (:func:`is_escape`: any ``BaseException`` but ``GeneratorExit``, so ``SystemExit``
from ``sys.exit()`` and a ``KeyboardInterrupt`` the plugin raises are reported, not
obeyed), and, given a limit, the caller stops waiting for a call that takes too long.

A time limit runs the call in a worker thread and waits at most that long. Python cannot
kill a thread, so a call that overruns is *abandoned*, not stopped: the host reports
:class:`PluginTimeoutError` for it, drops whatever it returns later, and refuses every
later call into the same plugin (it may still be running and touching what it was given);
the thread runs on in the background until it returns, and a command line program exits
without waiting for it (the worker is a daemon thread). A plugin stuck in C code without
releasing the GIL cannot be abandoned this way; nor can one that hangs while it is
imported (entry points are loaded without a limit).
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Mapping

from debtnegotiation.errors import DebtNegotiationError

__all__ = ["HookCaller", "PluginTimeoutError", "is_escape"]


def is_escape(error: BaseException) -> bool:
    """Whether the host reports *error* from a plugin as its failure (all but GeneratorExit).

    ``GeneratorExit`` is raised into a generator being closed and must reach it.
    """
    return not isinstance(error, GeneratorExit)


class PluginTimeoutError(DebtNegotiationError, TimeoutError):
    """A plugin's hook call did not return within the host's time limit."""


class _Outcome:
    """What the worker thread left: a result or the exception it raised."""

    def __init__(self) -> None:
        self.result: object = None
        self.error: BaseException | None = None


class HookCaller:
    """Calls hook implementations with an optional per-call limit in seconds.

    :param seconds: the longest a single call may take, or ``None`` for no limit (the call
        runs in the calling thread).
    """

    def __init__(self, seconds: float | None = None) -> None:
        """Remember the limit; no plugin has overrun yet."""
        if seconds is not None and not seconds > 0:
            raise ValueError("a plugin time limit must be greater than zero seconds")
        self.seconds = seconds
        self._abandoned: set[str] = set()

    def call(
        self, plugin: str, function: Callable[..., object], kwargs: Mapping[str, object]
    ) -> object:
        """``function(**kwargs)`` for *plugin*; its escapes and overruns raised as errors.

        :raises PluginTimeoutError: the call overran the limit, or *plugin* overran before.
        """
        if plugin in self._abandoned:
            raise PluginTimeoutError(
                f"skipped: an earlier call overran the {self.seconds} s limit and may still "
                "be running"
            )
        if self.seconds is None:
            return function(**kwargs)
        outcome = _Outcome()

        def work() -> None:
            try:
                outcome.result = function(**kwargs)
            except BaseException as error:  # noqa: BLE001 - handed to the calling thread
                outcome.error = error

        # The worker sees the caller's context variables, the decimal context among them.
        context = contextvars.copy_context()
        worker = threading.Thread(
            target=context.run, args=(work,), name=f"debtneg-plugin-{plugin}", daemon=True
        )
        worker.start()
        worker.join(self.seconds)
        if worker.is_alive():
            self._abandoned.add(plugin)
            raise PluginTimeoutError(
                f"did not return within {self.seconds} s (--plugin-timeout); the call was "
                "abandoned and its result will be dropped"
            )
        if outcome.error is not None:
            raise outcome.error
        return outcome.result
