"""The Shanghai workbook layout (rules/workbook-layouts/shanghai-budget.yaml) finds and reads its tables.

The workbook is made here with the sheet names and headers of the Putuo fill-in template and a few
made-up rows; amounts are in 元 and read as 万元. Only the tables are read here; the whole import
is tested in tests/test_import_shanghai_budget.py.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from narrator.workbook.importer import open_workbook, read_tables
from narrator.workbook.layout import load_layout

#: code → (基本支出, 项目支出) in 元, for a made-up district bureau
ITEMS = {"2010601": (5_000_000, 120_000), "2010699": (0, 800_000), "2101101": (300_000, 0)}
NAMES = {"201": "一般公共服务支出", "20106": "财政事务", "2010601": "行政运行", "2010699": "其他财政事务支出",
         "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗"}


def _rows() -> list[list]:
    rows = []
    for code in sorted(NAMES):
        basic = sum(b for c, (b, _) in ITEMS.items() if c.startswith(code))
        project = sum(p for c, (_, p) in ITEMS.items() if c.startswith(code))
        rows.append([code[:3], code[3:5] or None, code[5:7] or None, NAMES[code], basic + project, basic, project])
    return rows


def _sheet(book: Workbook, name: str, title: str, group: str, columns: list[str], rows: list[list]) -> None:
    ws = book.create_sheet(name)
    ws.append([f"2026年{title}"])
    ws.append(["编制部门：某区某局", None, None, None, None, None, "单位：元"])
    ws.append(["项目", None, None, None, group])
    ws.append(["功能分类科目编码", None, None, "功能分类科目名称", *columns])
    ws.append(["类", "款", "项"])
    for row in rows:
        ws.append(row)


def _workbook(path: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    rows = _rows()
    total = sum(b + p for b, p in ITEMS.values())
    _sheet(book, "部门收入总表", "部门收入预算总表", "收入预算", ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"],
           [[*r[:4], r[4], r[4]] for r in rows] + [[None, None, None, "合计", total, total]])
    for name, title, group in (("部门支出总表", "部门支出预算总表", "支出预算"),
                               ("部门一般公共预算拨款表", "部门一般公共预算支出功能分类预算表", "一般公共预算支出")):
        _sheet(book, name, title, group, ["合计", "基本支出", "项目支出"],
               rows + [[None, None, None, "合计", total, 5_300_000, 920_000]])
    ws = book.create_sheet("部门一般公共预算拨款基本支出明细表")
    ws.append(["2026年部门一般公共预算基本支出部门预算经济分类预算表"])
    ws.append(["编制部门：某区某局", None, None, None, None, "单位：元"])
    ws.append(["项目", None, None, "一般公共预算基本支出"])
    ws.append(["部门预算经济分类科目编码", None, "经济分类科目名称", "合计", "人员经费", "公用经费"])
    ws.append(["类", "款"])
    ws.append(["301", None, "工资福利支出", 5_000_000, 5_000_000, 0])
    ws.append(["301", "01", "基本工资", 5_000_000, 5_000_000, 0])
    ws.append(["302", None, "商品和服务支出", 300_000, 0, 300_000])
    ws.append(["302", "01", "办公费", 300_000, 0, 300_000])
    ws.append([None, None, "合计", 5_300_000, 5_000_000, 300_000])
    book.save(path)
    return path


def test_the_shanghai_tables_are_found_and_read_in_wan(tmp_path: Path) -> None:
    layout = load_layout("shanghai-budget")
    book = open_workbook(_workbook(tmp_path / "上海.xlsx"))
    tables, problems = read_tables(book, layout, "上海.xlsx")
    assert [p for p in problems if p.level == "error"] == []
    # 政府性基金、国有资本经营预算 tables are optional: this unit has none
    assert sorted(tables) == ["basic_economic", "expenditure", "general", "income"]
    income = tables["income"].by_code()
    assert income["2010601"].values["general"] == Decimal("512")          # 5,120,000 元
    assert income["2010601"].values["total"] == Decimal("512")
    spending = tables["general"].by_code()
    assert spending["2010699"].values["project"] == Decimal("80")
    assert spending["2101101"].values["basic"] == Decimal("30")
    economic = tables["basic_economic"].by_code()
    assert economic["30201"].values["public_use"] == Decimal("30")
