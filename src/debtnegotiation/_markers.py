"""The pluggy markers; the spec marker stays private, ``hookimpl`` is public.

Plugins import ``hookimpl`` from :mod:`debtnegotiation.plugin`, its one public spelling.
"""

from __future__ import annotations

from typing import Final

import pluggy

PROJECT_NAME: Final = "debtnegotiation"

hookspec: Final = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl: Final = pluggy.HookimplMarker(PROJECT_NAME)
"""Mark a function as an implementation of a ``debtneg_`` hook: ``@hookimpl``."""
