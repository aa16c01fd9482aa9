"""Shared fixtures for the batch tests: skipped only when the batch extra is absent."""

from __future__ import annotations

import pytest

pytest.importorskip("numpy")
pytest.importorskip("pyarrow")
pytest.importorskip("pandas")
