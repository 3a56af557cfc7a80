"""Golden files: every tests/cases/<name>/figures.yaml renders to exactly its expected.md.

The atushi-2025 case is the bundled example; its text must not change by a byte when the
code is optimised (see bench/).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrator.cli import app
from narrator.render import render_file

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if (p / "expected.md").is_file())
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_renders_exactly(case: Path) -> None:
    expected = (case / "expected.md").read_text(encoding="utf-8")
    assert render_file(case / "figures.yaml").text == expected


def test_bundled_example_is_the_golden_case() -> None:
    example = (ROOT / "examples" / "atushi-2025.yaml").read_bytes()
    assert example == (Path(__file__).parent / "cases" / "atushi-2025" / "figures.yaml").read_bytes()


def test_cli_render_of_example_is_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "第三部分.md"
    result = CliRunner().invoke(app, ["render", str(ROOT / "examples" / "atushi-2025.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    expected = (Path(__file__).parent / "cases" / "atushi-2025" / "expected.md").read_bytes()
    assert out.read_bytes() == expected
