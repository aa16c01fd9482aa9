"""Repository-wide pytest configuration: deterministic property tests in CI.

Hypothesis draws random examples by default, so a rare counterexample could block a landing
at random. Under ``CI`` (set by the CI runner) the ``ci`` profile derandomizes generation and
keeps no example database, so every run of the same commit draws the same examples; locally
the ``dev`` profile explores freely and remembers failures.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
