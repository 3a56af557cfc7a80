"""``narrator import --layout shanghai-final-accounts``: the Shanghai 部门决算 tables in, a figures file out.

The workbook (tests/shanghai_final_workbook.py) prints the tables 一 to 七 of the Shanghai 2024
决算 template with the numbers of examples/shanghai-putuo-2024-final-accounts.yaml. A 决算 differs
from a budget: a 科目's income is not its spending, the 年初结转和结余 come from the two summaries,
the 基本支出 table is printed in two halves closed by 人员经费合计 and 公用经费合计, and the “三公”
table prints 预算数 and 决算数 of each part.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from narrator.errors import NarratorError
from narrator.intake.figures import load_figures
from narrator.text.render import render_file
from narrator.workbook.importer import import_workbook

from .broken_layout import broken_layout
from .conftest import ROOT, run
from .shanghai_final_workbook import make_final_workbook

EXAMPLE = ROOT / "examples" / "shanghai-putuo-2024-final-accounts.yaml"
#: 其他收入 by 项 as the published 收入决算表 prints it (the example has only its total, 6.20)
OTHER_INCOME = {"2010601": Decimal("0.01"), "2010602": Decimal("6.19")}
TOLD = {"year": 2024, "department": "上海市普陀区财政局"}   # the 决算 tables print neither


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("final") / "普陀区财政局2024年度部门决算表.xlsx"
    make_final_workbook(EXAMPLE, OTHER_INCOME).save(path)
    return path


def test_the_tables_import_to_the_examples_figures(workbook: Path) -> None:
    imported = import_workbook(workbook, layout_name="shanghai-final-accounts", **TOLD)
    assert imported.findings == []
    model = imported.figures.model.model_dump(mode="python", exclude_none=True)
    example = load_figures(EXAMPLE).model.model_dump(mode="python", exclude_none=True)
    assert [model[k] for k in ("format", "basis")] == ["shanghai-final-accounts", "上年决算"]
    # 年初结转和结余: 21.63 from the 财政拨款 summary, the other 27.51 of 49.14 from the overall one
    assert {k: v["amount"] for k, v in model["income"].items()} == {
        "general": Decimal("2940.05"), "other": Decimal("6.20"), "carryover": Decimal("21.63"),
        "carryover_other": Decimal("27.51")}
    assert model["functional"] == [{k: v for k, v in item.items() if k in ("code", "basic", "project")}
                                   for item in example["functional"]]
    assert model["economic"] == example["economic"]
    # printed totals off their parts by rounding, and the 年末结转和结余 of the summary
    assert model["declared"] == {"closing_balance": Decimal("55.34"), "basic": Decimal("2336.91"),
                                 "personnel": Decimal("2152.26"), "public_use": Decimal("184.65")}
    assert model["three_public"]["reception"] == {"amount": 0, "budget": Decimal("0.95")}
    assert model["three_public"]["abroad"] == {"amount": 0, "budget": 0}


def test_reimported_with_keep_it_renders_as_the_example(workbook: Path, tmp_path: Path, runner, in_root) -> None:
    """What no table holds (last year's totals, 年初预算 of each 项, reasons, purposes, performance,
    procurement, vehicles) comes from the filled-in file given to --keep."""
    out = tmp_path / "figures.yaml"
    result = run(runner, "import", str(workbook), "--layout", "shanghai-final-accounts", "--year", "2024",
                 "--department", "上海市普陀区财政局", "--keep", str(EXAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "  - code: \"2010601\"          # 一般公共服务支出 / 财政事务 / 行政运行\n" in text
    assert "    budget: 1560.05\n    budget_reason: 人员进出及退休变化，减少人员经费开支\n" in text
    assert "  reception:         # 公务接待费\n    amount: 0\n    prior: 0\n    reason:\n    budget: 0.95\n" in text
    assert render_file(out).text == render_file(EXAMPLE).text


def test_without_year_and_department_the_import_asks_for_them(workbook: Path) -> None:
    with pytest.raises(NarratorError) as raised:
        import_workbook(workbook, layout_name="shanghai-final-accounts")
    assert [(f.rule, f.message) for f in raised.value.findings] == [
        ("no-year", "工作簿中找不到预算年度（如标题中的“2025年”），请用 --year 指定")]


def test_a_half_of_the_basic_table_that_does_not_add_up_is_reported(workbook: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    ws = book["一般公共预算财政拨款基本支出决算表"]
    assert ws["E40"].value == "公用经费合计"
    ws["F40"] = 190
    book.save(tmp_path / "公用经费.xlsx")
    imported = import_workbook(tmp_path / "公用经费.xlsx", layout_name="shanghai-final-accounts", **TOLD)
    assert [(f.rule, f.location.line, f.location.column) for f in imported.findings] == [("total-mismatch", 40, 6)]
    assert "公用经费合计 190.00 与其各分项之和 184.67 相差 5.33，超出尾差" in imported.findings[0].message


@pytest.mark.parametrize("old, new, expected", [
    ("rest_source: other", "rest_source: othr", ":1: 错误 bad-layout 版式：“othr”不是资金来源，是否想写 “other”？"),
    ("{key: personnel, classes", "{key: personel, classes",
     ":16: 错误 bad-layout 版式：“personel”不是 declared 中的合计名，是否想写 “personnel”？"),
    ("    repeated: true", "    repaeted: true", ":5: 错误 bad-layout 版式：未知的键 “tables.basic_economic.repaeted”，是否想写 “repeated”？"),
])
def test_a_broken_layout_is_reported_at_its_line(workbook: Path, tmp_path: Path, old, new, expected) -> None:
    shown, where = broken_layout("shanghai-final-accounts", old, new, workbook, tmp_path, **TOLD)
    assert shown == [where + expected]
