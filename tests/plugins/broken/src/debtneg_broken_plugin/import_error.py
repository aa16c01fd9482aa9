"""A plugin module that fails while it is imported, as a plugin with a bad import does."""

from __future__ import annotations

#: The message the host must report, so the test can find it.
MESSAGE = "debtneg-broken-plugin: this module fails to import on purpose"

raise RuntimeError(MESSAGE)
