"""Test fixture: plugins that break on purpose (see tests/test_plugins_installed.py)."""
