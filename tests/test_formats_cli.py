"""The format list, the formats' READMEs, and bad input for the new formats through the CLI."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from narrator.cli import app
from narrator.text.formats import list_formats

ROOT = Path(__file__).parent.parent
NEW = {"hebei-2021": "hebei-2021.yaml", "final-accounts": "final-accounts-2023.yaml",
       "performance-self-evaluation": "performance-2020.yaml", "shanghai-budget": "shanghai-putuo-2025.yaml",
       "shanghai-final-accounts": "shanghai-putuo-2024-final-accounts.yaml"}


def test_formats_lists_every_format_with_a_one_line_description() -> None:
    result = CliRunner().invoke(app, ["formats"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    names = [line.split("\t")[0] for line in lines]
    assert names == ["final-accounts", "hebei-2021", "performance-self-evaluation", "shanghai-budget", "shanghai-final-accounts",
                     "xinjiang-2025"]
    assert all(len(line.split("\t")) == 2 and line.split("\t")[1] for line in lines)


def test_every_format_folder_has_a_readme_naming_its_data() -> None:
    for fmt in list_formats():
        readme = (fmt.folder / "README.md").read_text(encoding="utf-8")
        assert readme.startswith(f"# {fmt.name} — ")
        assert "examples/" in readme


def _write(tmp_path: Path, example: str, old: str, new: str) -> Path:
    text = (ROOT / "examples" / example).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "figures.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_performance_indicator_without_a_score_is_reported_at_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, NEW["performance-self-evaluation"], "weight: 5, score: 5}", "weight: 5}")
    out = tmp_path / "out.md"
    result = CliRunner().invoke(app, ["render", str(path), "-f", "performance-self-evaluation", "-o", str(out)])
    assert result.exit_code == 2
    assert "figures.yaml:24:11:" in result.output and "performance_evaluation.projects[0].indicators[0].score" in result.output
    assert not out.exists()


def test_final_accounts_three_public_amount_that_is_not_a_number(tmp_path: Path) -> None:
    path = _write(tmp_path, NEW["final-accounts"], "budget: 3.40", "budget: 三块四")
    result = CliRunner().invoke(app, ["render", str(path), "-f", "final-accounts"])
    assert result.exit_code == 2
    assert "three_public.reception.budget" in result.output and "Traceback" not in result.output


def test_hebei_without_last_years_basic_expenditure(tmp_path: Path) -> None:
    path = _write(tmp_path, NEW["hebei-2021"], "    prior: 303.18\n", "")
    result = CliRunner().invoke(app, ["render", str(path), "-f", "hebei-2021", "--to", "txt"])
    assert result.exit_code == 2
    assert "错误 missing-prior 缺少上年数 expenditure.basic.prior" in result.output


def test_the_new_examples_render_with_their_formats_to_text() -> None:
    for name, example in NEW.items():
        result = CliRunner().invoke(app, ["render", str(ROOT / "examples" / example), "-f", name, "--to", "txt"])
        assert result.exit_code in (0, 1), result.output
        assert "万元" in result.output
