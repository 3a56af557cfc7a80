"""The bench generator: deterministic, varied, and every file it writes is valid and renders."""

from __future__ import annotations

from pathlib import Path

import figuresgen

from narrator.intake.figures import load_figures, load_figures_text
from narrator.text.render import render_figures


def test_same_seed_same_files_and_file_i_does_not_depend_on_n(tmp_path: Path) -> None:
    a = figuresgen.write_region(tmp_path / "a", 12, seed=4)
    b = figuresgen.write_region(tmp_path / "b", 5, seed=4)
    assert [p.relative_to(tmp_path / "a") for p in a[:5]] == [p.relative_to(tmp_path / "b") for p in b]
    assert [p.read_bytes() for p in a[:5]] == [p.read_bytes() for p in b]
    assert figuresgen.figures_text(4, 0) != figuresgen.figures_text(5, 0)


def test_generated_files_are_valid_and_varied(tmp_path: Path) -> None:
    paths = figuresgen.write_region(tmp_path, 40, seed=11)
    trends, departments, codes = set(), set(), set()
    for path in paths:
        loaded = load_figures(path)
        rendered = render_figures(loaded)  # raises on any problem
        assert rendered.text.startswith(f"# 第三部分 {loaded.model.year}年部门预算情况说明\n")
        departments.add(loaded.model.department)
        codes.update(item.code for item in loaded.model.functional)
        trends.update(i.trend for i in rendered.engine.value("general_items"))
    assert {"up", "down", "new", "dropped"} <= trends
    assert len(departments) > 20 and len(codes) > 40


def test_amounts_are_written_as_plain_decimals() -> None:
    text = figuresgen.figures_text(1, 3)
    assert "'" not in text.split("functional:")[0].split("income:")[1]  # amounts are not quoted strings
    assert load_figures_text(text, "x.yaml").model.income.general.amount.as_tuple().exponent == -2


def test_consistent_files_pass_check_and_inconsistent_ones_fail_it() -> None:
    from narrator.checks.check import check_figures

    for index in range(12):
        consistent = load_figures_text(figuresgen.figures_text(2, index), f"c{index}.yaml")
        assert [f.rule for f in check_figures(consistent).findings if f.level == "error"] == []
        inconsistent = load_figures_text(figuresgen.figures_text(2, index, consistent=False), f"i{index}.yaml")
        errors = {f.rule for f in check_figures(inconsistent).findings if f.level == "error"}
        assert errors == {"general-prior-total", "general-prior-equals-income"}
