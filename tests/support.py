"""Shared paths and helpers for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ATUSHI = ROOT / "examples" / "atushi-2025.yaml"
PUBLISHED = FIXTURES / "atushi-2025" / "published-part3.txt"


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in the repository root, so that paths in messages are the relative ones."""
    monkeypatch.chdir(ROOT)
    return ROOT
