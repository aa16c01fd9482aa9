"""A plugin module that calls ``sys.exit(0)`` while it is imported."""

from __future__ import annotations

import sys

sys.exit(0)
