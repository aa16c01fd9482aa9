"""``python -m debtnegotiation``: the ``debtneg`` command (``python -m debtnegotiation demo``)."""

from __future__ import annotations

import sys

from debtnegotiation.cli import main

if __name__ == "__main__":
    sys.exit(main())
