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

from narrator.errors import NarratorError
from narrator.intake.figures import load_figures
from narrator.text.formatfields import declared_fields
from narrator.text.render import render_file
from narrator.workbook.importer import import_workbook
from narrator.loading.yamlload import load_yaml_text

from .broken_layout import broken_layout
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
#: and the sections outside the tables: procurement, assets and every top-level field the format adds
#: (budget_level, short_name, fleet, project_notes, targeted_projects, its wording choices …)
OUTSIDE_TABLES = ("procurement", "assets", *(name for added in declared_fields("shanghai-budget")["add"]
                                            if "." in added["to"] for name in added["fields"]))


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


# -- the tables a layout leaves out, the one-row table ---------------------------------------------

def test_an_optional_table_left_out_of_the_workbook_is_not_read(tmp_path: Path) -> None:
    book = make_shanghai_workbook(EXAMPLE)
    book.remove(book["部门“三公”经费和机关运行费预算表"])
    book.save(tmp_path / "无三公.xlsx")
    imported = import_workbook(tmp_path / "无三公.xlsx", layout_name="shanghai-budget")
    assert imported.findings == []
    assert imported.tree["three_public"] == {} and imported.tree["operating_costs"] == {}
    assert "\nthree_public: {}\n" in imported.text


def test_a_one_row_table_is_checked_against_its_subtotals(workbook: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    book["部门“三公”经费和机关运行费预算表"]["D8"] = 1.5   # 公务用车 小计 without 购置费, 运行费
    book.save(tmp_path / "小计.xlsx")
    imported = import_workbook(tmp_path / "小计.xlsx", layout_name="shanghai-budget")
    assert [(f.rule, f.location.line, f.location.column) for f in imported.findings] == [("total-mismatch", 8, 4)]
    assert "公务用车购置及运行费 1.50 与购置费、运行费之和 0.00 不一致" in imported.findings[0].message


def test_a_row_table_may_print_last_years_amounts(tmp_path: Path) -> None:
    """A layout names a column ``part.prior``: the table's own last-year amounts become ``prior``."""
    layout = (ROOT / "rules" / "workbook-layouts" / "shanghai-budget.yaml").read_text(encoding="utf-8")
    layout = layout.replace("      abroad: [因公出国(境)费]\n",
                            "      abroad: [本年/因公出国(境)费]\n      abroad.prior: [上年/因公出国(境)费]\n")
    (tmp_path / "上年.yaml").write_text(layout, encoding="utf-8")
    book = make_shanghai_workbook(EXAMPLE)
    book.remove(book["部门“三公”经费和机关运行费预算表"])
    ws = book.create_sheet("部门“三公”经费和机关运行费预算表")
    ws.append(["2025年部门“三公”经费和机关运行经费预算表"])
    ws.append(["编制部门：上海市普陀区财政局", None, None, None, None, None, None, "单位：万元"])
    ws.append(["“三公”经费预算数", None, None, None, None, None, None, "机关运行经费预算数"])
    ws.append(["合计", "本年", "上年", "公务接待费", "公务用车购置及运行费"])
    ws.append([None, "因公出国(境)费", "因公出国(境)费", None, "小计", "购置费", "运行费"])
    ws.append([3.45, 2.5, 3, 0.95, None, None, None, 229.43])
    book.save(tmp_path / "上年.xlsx")
    imported = import_workbook(tmp_path / "上年.xlsx", layout_name=str(tmp_path / "上年.yaml"))
    assert imported.tree["three_public"]["abroad"] == {"amount": Decimal("2.5"), "prior": Decimal("3")}
    assert [f.rule for f in imported.findings] == []


# -- a broken layout: located errors --------------------------------------------------------------

@pytest.mark.parametrize("old, new, expected", [
    ("  income:\n    sheets", "  incomes:\n    sheets",
     ":3: 错误 bad-layout 版式：tables 中的“incomes”不是导入程序认识的表的角色，是否想写 “income”？"),
    ("  expenditure:\n    sheets", "  spendings:\n    sheets",
     ":3: 错误 bad-layout 版式：tables 中的“spendings”不是导入程序认识的表的角色，是否想写 “expenditure”？"),
    ("    optional_columns: [total, vehicle, operating_costs]", "    optinal_columns: [total]",
     ":5: 错误 bad-layout 版式：未知的键 “tables.three_public.optinal_columns”，是否想写 “optional_columns”？"),
    ("    kind: row", "    kind: rows",
     ":5: 错误 bad-layout 版式：tables.three_public.kind 的值 “rows” 不在可选值 functional、economic、labelled、named、sides、row 中，"
     "是否想写 “row”？"),
    ("      reception: [公务接待费]", "      receptoin: [公务接待费]",
     ":7: 错误 bad-layout 版式：tables.three_public.columns 中的“receptoin”不是一行的表能读的列（可用：total、abroad、reception、"
     "vehicle、vehicle_purchase、vehicle_operation、operating_costs，后面可加 .prior 上年数、.budget 年初预算数）"),
    ("basis: 上年预算", "basis: 上年",
     ":1: 错误 bad-layout 版式：basis 的值 “上年” 不在可选值 上年预算、上年执行数、上年决算 中，是否想写 “上年预算”？"),
    ("  unit: {columns: [business", "  units: {columns: [business", ":3: 错误 bad-layout 版式：“units”不是资金来源，是否想写 “unit”？"),
])
def test_a_broken_layout_is_reported_at_its_line(workbook: Path, tmp_path: Path, old, new, expected) -> None:
    shown, where = broken_layout("shanghai-budget", old, new, workbook, tmp_path)
    assert shown == [where + expected]


def test_a_layout_without_the_income_table_says_so(workbook: Path, tmp_path: Path) -> None:
    text = (ROOT / "rules" / "workbook-layouts" / "shanghai-budget.yaml").read_text(encoding="utf-8")
    start, end = text.index("\n  income:\n    sheets") + 1, text.index("\n  expenditure:\n    sheets") + 1
    bad = tmp_path / "版式.yaml"
    bad.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(NarratorError) as raised:
        import_workbook(workbook, layout_name=str(bad))
    line = text[:text.index("tables:")].count("\n") + 1
    assert [f.format() for f in raised.value.findings] == [
        f"{bad}:{line}:1: 错误 bad-layout 版式：tables 中缺少表 income（收入、支出两张表是导入的基础，每个版式都要有）"]


def test_reimporting_with_keep_carries_the_formats_own_fields(workbook: Path, tmp_path: Path, runner, in_root) -> None:
    """--keep a filled-in shanghai-budget file: its purposes, notes, fleet, projects … survive the import."""
    out = tmp_path / "figures.yaml"
    result = run(runner, "import", str(workbook), "--layout", "shanghai-budget", "--keep", str(EXAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "    purpose: 局本级及所属单位人员经费及公用经费等的基本支出\n" in text
    assert "  abroad:            # 因公出国（境）费\n    amount: 0\n    prior: 0\n    reason:\n    note: 此项经费由区统筹安排\n" in text
    assert "targeted_projects:\n  - {name: 中介机构服务费, amount: 418.80}\n" in text
    assert render_file(out).text == render_file(EXAMPLE).text


def test_business_income_is_unit_money_listed_in_other_income(tmp_path: Path) -> None:
    """表2's 事业收入、事业单位经营收入、其他收入 add up to 单位资金; other_income keeps them apart."""
    book = make_shanghai_workbook(EXAMPLE)

    def move(sheet: str, column: str, to: str | None, codes: tuple[str, ...], amount: int) -> None:
        ws = book[sheet]
        for row in range(9, ws.max_row + 1):
            code = "".join(str(ws.cell(row, c).value or "") for c in (1, 2, 3))
            if code in codes or ws.cell(row, 4).value == "合计":
                for letter, change in ((column, -amount), *(((to, amount),) if to else ())):
                    cell = ws[f"{letter}{row}"]
                    cell.value = (cell.value or 0) + change or None

    # 一般行政管理事务 (2010602, 100,000 元 of 项目支出) paid from 事业收入 instead of 财政拨款
    move("部门收入总表", "F", "G", ("201", "20106", "2010602"), 100_000)
    move("部门一般公共预算拨款表", "E", None, ("201", "20106", "2010602"), 100_000)
    move("部门一般公共预算拨款表", "G", None, ("201", "20106", "2010602"), 100_000)

    def relabel(sheet: str, changes: dict[str, int]) -> None:
        ws = book[sheet]
        for row in ws.iter_rows(min_row=8):
            for cell in row:
                change = changes.get(str(cell.value or ""))
                if change:
                    for target in row[cell.column:cell.column + (1 if cell.column == 1 else 2)]:
                        target.value = (target.value or 0) + change or None

    relabel("部门收支总表", {"一、财政拨款收入": -100_000, "1. 一般公共预算资金": -100_000, "二、事业收入": 100_000})
    relabel("部门财政拨款收支总表", {"一、一般公共预算": -100_000, "收入总计": -100_000, "支出总计": -100_000,
                               "一、一般公共服务支出": -100_000})
    book.save(tmp_path / "事业收入.xlsx")
    imported = import_workbook(tmp_path / "事业收入.xlsx", layout_name="shanghai-budget")
    assert imported.findings == []
    tree = imported.tree
    assert {k: v["amount"] for k, v in tree["income"].items()} == {"general": Decimal("3111.42058"), "unit": Decimal("10")}
    assert tree["other_income"] == {"business": Decimal("10"), "operating": 0, "other": 0}
    assert next(i for i in tree["functional"] if i["code"] == "2010602") == {"code": "2010602", "project": {"unit": Decimal("10")}}
    assert "\nother_income:\n  business: 10.00\n  operating: 0\n  other: 0\n" in imported.text


def test_a_units_tables_are_found_by_their_own_sheet_names(tmp_path: Path) -> None:
    """单位预算: the sheets say 预算单位 where the 部门 tables say 部门 (预算单位收入总表 …)."""
    make_shanghai_workbook(EXAMPLE, level="预算单位").save(tmp_path / "单位预算.xlsx")
    imported = import_workbook(tmp_path / "单位预算.xlsx", layout_name="shanghai-budget")
    assert imported.findings == []
    assert imported.tree["department"] == "上海市普陀区财政局"
    assert [i["code"] for i in imported.tree["functional"]] == [i.code for i in load_figures(EXAMPLE).model.functional]
    assert imported.tree["operating_costs"] == {"amount": Decimal("229.43")}


def test_the_summary_tables_are_checked_against_the_income_table(workbook: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    ws = book["部门收支总表"]
    assert ws["A12"].value == "二、事业收入"
    ws["B12"] = 50_000
    book.save(tmp_path / "收支总表.xlsx")
    imported = import_workbook(tmp_path / "收支总表.xlsx", layout_name="shanghai-budget")
    assert [(f.rule, f.location.line, f.location.column) for f in imported.findings] == [("tables-disagree", 12, 2)]
    assert imported.findings[0].message.startswith(
        "工作表“部门收支总表”B12：“二、事业收入”为 5.00，而工作表“部门收入总表”G")


def test_the_notes_sheet_asks_for_and_brings_each_items_purpose(workbook: Path, tmp_path: Path) -> None:
    """narrator form lists 主要用途 of each 项 for shanghai-budget (its text writes them); filled in, they import."""
    from openpyxl import load_workbook

    from narrator.workbook.form import build_form

    filled = tmp_path / "figures.yaml"
    filled.write_text(import_workbook(workbook, layout_name="shanghai-budget", keep=EXAMPLE).text, encoding="utf-8")
    form = tmp_path / "填报.xlsx"
    form.write_bytes(build_form(filled, workbook=workbook, format_name="shanghai-budget").data)
    sheet = load_workbook(form)["说明"]
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[3] == "主要用途" and len(str(r[1])) == 7]
    assert [(r[1], r[8]) for r in rows][:2] == [("2010601", "局本级及所属单位人员经费及公用经费等的基本支出"),
                                               ("2010602", "财政业务指导与宣传")]
    imported = import_workbook(form, layout_name="shanghai-budget")
    example = load_figures(EXAMPLE).model
    assert {i["code"]: i.get("purpose") for i in imported.tree["functional"]} == {i.code: i.purpose for i in example.functional}


def test_only_formats_that_write_a_purpose_per_item_get_its_row() -> None:
    from narrator.workbook.slots import catalogue

    def purpose_rows(example: str) -> list[str]:
        tree = load_figures(ROOT / "examples" / example).model.model_dump(mode="python")
        return [s.key for s in catalogue(tree) if s.kind == "functional" and s.item.field == "purpose"]

    assert purpose_rows("atushi-2025.yaml") == []   # xinjiang-2025 writes purposes by 类 only
    assert purpose_rows("shanghai-putuo-2025.yaml")[:2] == ["2010601", "2010602"]
