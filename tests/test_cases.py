"""Golden files: every tests/cases/<name>/figures.yaml renders to exactly expected.md.

The format is named in tests/cases/<name>/format (one line); without it the default format is
used. Each case is also rendered through the CLI to .md and .txt files, so every format is
known to work with every output type.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrator.cli import app
from narrator.text.formats import DEFAULT_FORMAT
from narrator.document.output import convert
from narrator.text.render import render_file

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if (p / "figures.yaml").is_file())


def _format(case: Path) -> str:
    named = case / "format"
    return named.read_text(encoding="utf-8").strip() if named.is_file() else DEFAULT_FORMAT


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_renders_expected_markdown(case: Path) -> None:
    rendered = render_file(case / "figures.yaml", _format(case))
    assert rendered.text == (case / "expected.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_cli_writes_every_output_type(case: Path, suffix: str, tmp_path: Path) -> None:
    out = tmp_path / f"out{suffix}"
    result = CliRunner().invoke(app, ["render", str(case / "figures.yaml"), "-f", _format(case), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output  # 1: rendered, with warnings
    expected = convert((case / "expected.md").read_text(encoding="utf-8"), suffix)
    assert out.read_text(encoding="utf-8") == expected
    if suffix == ".txt":
        assert "#" not in expected and "| ---" not in expected


def test_same_input_same_bytes() -> None:
    for case in CASES:
        first = render_file(case / "figures.yaml", _format(case)).text
        assert render_file(case / "figures.yaml", _format(case)).text == first
