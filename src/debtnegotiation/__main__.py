"""``python -m debtnegotiation``: print the built-in example case's options and ladders."""

from __future__ import annotations

import sys

from debtnegotiation.demo import render_demo
from debtnegotiation.plugins import get_plugin_host


def main() -> int:
    """Print the demo report in English and return the exit status."""
    sys.stdout.write(render_demo("en", host=get_plugin_host()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
