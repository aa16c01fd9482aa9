"""``python -m debtnegotiation.cli``: the ``debtneg`` command."""

from __future__ import annotations

import sys

from debtnegotiation.cli import main

if __name__ == "__main__":
    sys.exit(main())
