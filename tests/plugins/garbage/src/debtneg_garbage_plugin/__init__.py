"""Test fixture: plugins that return garbage on purpose (see tests/test_plugins_installed.py).

Each entry point is one object with one hook implementation, so the host can report each
kind of garbage under its own name.
"""
