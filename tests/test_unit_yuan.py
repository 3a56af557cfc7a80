"""``unit: 元``: a figures file may give its amounts in 元; they are converted exactly to 万元 on load.

The 元 files here are made from the examples by multiplying every amount of money by 10000;
which keys are money is written out below on purpose (not taken from the schema), so that a
field converted by mistake, or not converted, makes the rendered text differ.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from narrator.errors import FiguresError
from narrator.intake.figures import load_figures, load_figures_text
from narrator.numbers import to_wan
from narrator.text.render import render_file

from .conftest import ROOT, run

#: Numbers that are not money: counts, scores, areas, the year
NOT_MONEY = {"year", "code", "count", "batches", "people", "vehicles", "equipment_50", "equipment_100",
             "overall_targets", "area", "weight", "score", "funds_weight", "funds_score", "total_score",
             # shanghai-final-accounts: 绩效自评的得分与个数
             "average", "excellent", "good", "pass", "fail", "issues", "fixed", "fixing",
             # shanghai-budget's vehicles by use (fleet.held, fleet.planned)
             "ministerial", "principal", "confidential", "emergency", "enforcement", "special", "retired", "other_use",
             # shanghai-budget: 单位家数、编报绩效目标的单位个数和项目个数
             "agencies", "civil_service", "targeted_units", "targeted_count"}
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def in_yuan(node: Any, key: str = "", factor: Decimal = Decimal(10000)) -> Any:
    """The figures tree with every amount of money in 元 (times ``factor``: 1/10000 turns 元 into 万元)."""
    if isinstance(node, dict):
        return {k: in_yuan(v, str(k), factor) for k, v in node.items()}
    if isinstance(node, list):
        return [in_yuan(item, key, factor) for item in node]
    if isinstance(node, (int, float)) and not isinstance(node, bool) and key not in NOT_MONEY:
        return Decimal(repr(node)) * factor
    return node


def dump(tree: dict) -> str:
    yaml.SafeDumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:float", str(value)))
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_yuan_file_renders_the_same_bytes_as_the_wan_file(runner, tmp_path: Path, example: Path) -> None:
    tree = yaml.safe_load(example.read_text(encoding="utf-8"))
    wan, yuan = tmp_path / "wan.yaml", tmp_path / "yuan.yaml"
    if tree.get("unit") == "元":   # transcribed from tables printed in 元: its twin is in 万元
        wan.write_text(dump({**in_yuan(tree, factor=Decimal("0.0001")), "unit": "万元"}), encoding="utf-8")
        yuan.write_text(dump(tree), encoding="utf-8")
    else:
        assert "unit" not in tree or tree["unit"] == "万元"
        wan.write_text(dump(tree), encoding="utf-8")
        yuan.write_text(dump({**in_yuan(tree), "unit": "元"}), encoding="utf-8")
    assert yuan.read_text(encoding="utf-8") != wan.read_text(encoding="utf-8")
    format_name = tree.get("format") or {"hebei-2021": "hebei-2021", "final-accounts-2023": "final-accounts",
                                         "performance-2020": "performance-self-evaluation"}.get(example.stem,
                                                                                                "xinjiang-2025")
    assert render_file(yuan, format_name).text == render_file(example, format_name).text
    results = [run(runner, "render", str(tmp_path / f"{name}.yaml"), "--doc-format", format_name,
                   "-o", str(tmp_path / f"{name}.md")) for name in ("wan", "yuan")]
    assert results[0].exit_code in (0, 1), results[0].output   # 1: the example's warnings (missing reasons)
    assert results[1].exit_code == results[0].exit_code
    assert results[1].stderr == results[0].stderr.replace("wan.yaml", "yuan.yaml")
    assert (tmp_path / "yuan.md").read_bytes() == (tmp_path / "wan.md").read_bytes()


def test_amounts_are_converted_exactly_and_other_numbers_not() -> None:
    text = """department: 某局
year: 2025
unit: 元
income:
  general: {amount: 2142000.55, prior: "2,548,500"}
assets:
  buildings: {area: 1200.5, value: 3000000}
"""
    model = load_figures_text(text, "f.yaml").model
    assert model.unit == "万元"
    assert model.income.general.amount == Decimal("214.200055")   # not rounded: the text rounds
    assert model.income.general.prior == Decimal("254.85")
    assert model.assets.buildings.area == Decimal("1200.5")       # 平方米 stay 平方米
    assert model.assets.buildings.value == Decimal("300")
    assert to_wan(Decimal("1"), "元") == Decimal("0.0001")


def test_other_units_are_refused_with_the_allowed_ones(runner, tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text("department: 某局\nyear: 2025\nunit: 千元\n", encoding="utf-8")
    with pytest.raises(FiguresError) as caught:
        load_figures(path)
    assert [f.format() for f in caught.value.findings] == [
        f"{path}:3:1: 错误 bad-value unit：“千元” 不是可用的取值，可选：万元、元"]
    result = run(runner, "check", str(path))
    assert result.exit_code == 2
