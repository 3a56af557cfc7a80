"""Shared test helpers: paths to fixtures, the CLI runner, sentence splitting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrator.cli import app

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
CASES = TESTS / "cases"
FIXTURES = TESTS / "fixtures"
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"

_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})


def sentences(text: str) -> list[str]:
    """Sentences of a text with whitespace folded and half-width punctuation made full-width.

    The same normalisation as the project's contract check: the published text is PDF
    extraction, with spaces around numbers and list bullets.
    """
    found = []
    for line in text.splitlines():
        line = re.sub(r"^\s*[-*]\s+|^#+\s*", "", line).replace("**", "")
        line = re.sub(r"\s+", "", line).translate(_HALF_TO_FULL)
        found += [s for s in line.split("。") if s]
    return found


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str):
    """Invoke the CLI; stdout and stderr are kept apart."""
    return runner.invoke(app, list(args))
