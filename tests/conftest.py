"""Test configuration: a deterministic Hypothesis profile for CI.

With ``CI=true`` in the environment the ``ci`` profile is loaded: ``derandomize=True``
makes every property test draw the same examples on every run, so a CI failure can be
reproduced locally with ``CI=true pytest``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")
