"""``narrator import --layout shanghai-budget``: the Shanghai 部门预算 tables in, a shanghai-budget figures file out.

The workbook is laid out like the published tables (tests/shanghai_workbook.py) with the numbers of
examples/shanghai-putuo-2025.yaml. Imported, and given what no table holds (TEXT_FIELDS: last
year's amounts, reasons, purposes and the sections outside the tables), it renders exactly as the
example renders.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from narrator.figures import load_figures
from narrator.render import render_file
from narrator.workbook.importer import import_workbook
from narrator.yamlload import load_yaml_text

from .conftest import ROOT, run
from .shanghai_workbook import make_shanghai_workbook

EXAMPLE = ROOT / "examples" / "shanghai-putuo-2025.yaml"

#: What the tables cannot hold, by part of the figures file: the example supplies it here; a clerk
#: types the reasons and purposes into the 说明 sheet or passes last year's file with --prior.
TEXT_FIELDS = {
    "income": ("prior", "reason"),
    "three_public": ("prior", "reason", "note"),
    "functional": ("prior", "reason", "purpose"),
}
OUTSIDE_TABLES = ("short_name", "budget_level", "other_income", "procurement", "targeted_projects",
                  "assets", "fleet", "project_notes")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shanghai") / "普陀区财政局2025年部门预算.xlsx"
    make_shanghai_workbook(EXAMPLE).save(path)
    return path


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", f"{value:f}")


def plain(node: Any) -> Any:
    """A loaded YAML tree as plain dicts and lists (what yaml's dumper writes)."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def with_texts(text: str, example: dict[str, Any]) -> dict[str, Any]:
    """The imported file with the example's texts, priors and sections outside the tables."""
    tree = plain(load_yaml_text(text, "figures.yaml"))
    for part in ("income", "three_public"):
        for key, entry in tree[part].items():
            entry.update({k: v for k, v in example[part][key].items() if k in TEXT_FIELDS[part]})
    given = {item["code"]: item for item in example["functional"]}
    for item in tree["functional"]:
        item.update({k: v for k, v in given[item["code"]].items() if k in TEXT_FIELDS["functional"]})
    tree.update({key: example[key] for key in OUTSIDE_TABLES if key in example})
    return tree


def written(tree: dict[str, Any], path: Path) -> Path:
    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(Decimal, _decimal)
    path.write_text(yaml.dump(tree, Dumper=Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_tables_import_to_the_examples_figures(workbook: Path) -> None:
    imported = import_workbook(workbook, layout_name="shanghai-budget")
    assert imported.findings == []
    model = imported.figures.model.model_dump(mode="python", exclude_none=True)
    example = load_figures(EXAMPLE).model.model_dump(mode="python", exclude_none=True)
    assert [model[k] for k in ("department", "year", "format", "unit")] == ["上海市普陀区财政局", 2025, "shanghai-budget", "万元"]
    assert model["income"] == {"general": {"amount": Decimal("3121.42058")}}
    assert model["functional"] == [{k: v for k, v in item.items() if k != "purpose"} for item in example["functional"]]
    assert model["economic"] == example["economic"]
    assert model["three_public"] == {"abroad": {"amount": 0}, "vehicle_purchase": {"amount": 0},
                                     "vehicle_operation": {"amount": 0}, "reception": {"amount": Decimal("0.95")}}
    # 机关运行经费 as the “三公” table prints it (万元, two places); the example leaves it to 公用经费
    assert model["operating_costs"] == {"amount": Decimal("229.43")}
    assert model["projects"] == [] and model["carryover"] == []   # no such tables in the Shanghai set


def test_with_what_no_table_holds_it_renders_as_the_example(workbook: Path, tmp_path: Path) -> None:
    imported = import_workbook(workbook, layout_name="shanghai-budget")
    example = load_figures(EXAMPLE).model.model_dump(mode="python", exclude_none=True)
    completed = written(with_texts(imported.text, example), tmp_path / "figures.yaml")
    assert render_file(completed).text == render_file(EXAMPLE).text


def test_the_cli_writes_a_shanghai_budget_figures_file(workbook: Path, tmp_path: Path, runner, in_root) -> None:
    out = tmp_path / "figures.yaml"
    result = run(runner, "import", str(workbook), "--layout", "shanghai-budget", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "\nformat: shanghai-budget" in text
    assert "    basic: {general: 1609.3326}\n    project: {general: 13.85148}\n" in text   # 元 read exactly
    assert "operating_costs:\n  amount: 229.43\n" in text
    assert "three_public:\n  abroad:" in text
