"""Shared test helpers: paths to fixtures, the CLI runner, sentence splitting, the bench generator."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrator.cli import app

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
CASES = TESTS / "cases"
FIXTURES = TESTS / "fixtures"
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"
sys.path.insert(0, str(ROOT / "bench"))  # figuresgen: deterministic, valid generated figures files

from .published import sentences  # noqa: E402,F401 - the shared sentence splitter


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str):
    """Invoke the CLI; stdout and stderr are kept apart."""
    return runner.invoke(app, list(args))


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in the repository root, so that paths in messages are the relative ones."""
    monkeypatch.chdir(ROOT)
    return ROOT
