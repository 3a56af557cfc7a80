"""Lays out a figures file as the 11 standard tables (Xinjiang 2025, as printed in seeds/001).

Test fixture code, independent of narrator's import layout on purpose: titles, header rows,
merged header cells and column order are written here as the published tables show them, so
that the importer (which reads them through ``rules/workbook-layouts/xinjiang-2025.yaml``) is tested
against the real shape, not against itself. Totals are printed as the published tables print
them: a 类 or 款 whose printed total differs from the sum of its 项 (``declared``) shows the
printed total.

Run ``python tests/workbook_maker.py`` to rebuild ``tests/fixtures/atushi-2025.xlsx``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from narrator.classification import load_classification
from narrator.text.render import render_file

ROOT = Path(__file__).resolve().parent.parent
ZERO = Decimal(0)
SOURCES = ["general", "general_transfer", "fund", "fund_transfer", "capital", "capital_transfer",
           "special", "unit", "carryover", "carryover_other"]
ECONOMIC_CLASSES = ["301", "302", "303", "307", "309", "310", "311", "312", "313", "399"]


@dataclass
class Style:
    """Variations of the same tables as departments' exports show them."""

    joined_codes: bool = False      # one “2014004” column instead of 类/款/项
    text_numbers: bool = False      # amounts stored as text (“1,095.72”)
    dash_blanks: bool = False       # “—” instead of empty cells
    year_in_title: bool = True      # “2025年部门收入总体情况表”


class Maker:
    def __init__(self, figures: Path, style: Style | None = None) -> None:
        rendered = render_file(figures)
        self.e = rendered.engine
        self.m = rendered.figures.model
        self.style = style or Style()
        self.fn = load_classification("functional")
        self.book = Workbook()
        self.book.remove(self.book.active)

    # -- cells --------------------------------------------------------------------------
    def amount(self, value: Any) -> Any:
        value = Decimal(value or 0)
        if value == 0:
            return "—" if self.style.dash_blanks else None
        text = f"{value:,.2f}" if self.style.text_numbers else None
        return text if text is not None else float(f"{value:.2f}")

    def sheet(self, number: int, title: str, width: int) -> Any:
        ws = self.book.create_sheet(f"表{number}")
        year = f"{self.m.year}年" if self.style.year_in_title else ""
        ws.cell(1, 1, f"表{number}")
        ws.cell(2, 1, f"{year}{title}")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        ws.cell(3, 1, f"编制部门：{self.m.department}")
        ws.cell(3, width, "单位：万元")
        return ws

    @staticmethod
    def header(ws: Any, rows: list[list[Any]], merges: list[tuple[int, int, int, int]], top: int = 4) -> int:
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.cell(top + r, c + 1, value)
        for r1, c1, r2, c2 in merges:
            ws.merge_cells(start_row=top + r1, start_column=c1, end_row=top + r2, end_column=c2)
        return top + len(rows)

    def code_cells(self, code: str) -> list[Any]:
        if self.style.joined_codes:
            return [code]
        return [code[:3], code[3:5] or None, code[5:7] or None]

    def code_header(self, rows: int) -> tuple[list[list[Any]], list[tuple[int, int, int, int]]]:
        if self.style.joined_codes:
            return [["功能分类科目编码"]] + [[None]] * (rows - 1), [(0, 1, rows - 2, 1)] if rows > 2 else []
        return [["功能分类科目编码", None, None], ["类", "款", "项"]] + [[None] * 3] * (rows - 2), [(0, 1, 0, 3)]

    # -- functional tables (表2, 表3, 表5, 表8, 表9) ----------------------------------------
    def levels(self, per_item: dict[str, list[Decimal]], columns: int) -> list[tuple[str, list[Decimal]]]:
        """类, 款 and 项 lines with their printed amounts."""
        lines = []
        codes = sorted(per_item)
        for length in (3, 5):
            for parent in sorted({c[:length] for c in codes}):
                sums = [sum((per_item[c][i] for c in codes if c.startswith(parent)), ZERO) for i in range(columns)]
                printed = self.m.declared.get(parent)
                if printed is not None:
                    sums = [printed if s == sums[0] else s for s in sums]
                lines.append((parent, sums))
        lines += [(c, per_item[c]) for c in codes]
        return sorted(lines, key=lambda line: (line[0][:3], line[0][3:5], line[0][5:]))

    def functional_sheet(self, number: int, title: str, heads: list[str], per_item: dict[str, list[Decimal]],
                         total: list[Decimal], group: tuple[str, int, int] | None = None, note: str = "") -> None:
        codes = 1 if self.style.joined_codes else 3
        width = codes + 1 + len(heads)
        ws = self.sheet(number, title, width)
        code_rows, merges = self.code_header(3)
        top_row = [*code_rows[0], "功能分类科目名称"]
        sub_row = [*code_rows[1], None]
        merges = list(merges) + [(0, codes + 1, 1, codes + 1)]
        for i, head in enumerate(heads):
            column = codes + 2 + i
            if group and group[1] <= i <= group[2]:
                top_row.append(group[0] if i == group[1] else None)
                sub_row.append(head)
            else:
                top_row.append(head)
                sub_row.append(None)
                merges.append((0, column, 1, column))
        if group:
            merges.append((0, codes + 2 + group[1], 0, codes + 2 + group[2]))
        numbers = ["※"] * (codes + 1) + list(range(1, len(heads) + 1))
        row = self.header(ws, [top_row, sub_row, numbers], merges)
        if not per_item and note:
            ws.cell(row, 1, note)
            return
        ws.cell(row, codes + 1, "总计")
        for i, value in enumerate(total):
            ws.cell(row, codes + 2 + i, self.amount(value))
        for code, values in self.levels(per_item, len(heads)):
            row += 1
            for i, cell in enumerate(self.code_cells(code)):
                ws.cell(row, i + 1, cell)
            ws.cell(row, codes + 1, self.fn.name(code, self.m.year))
            for i, value in enumerate(values):
                ws.cell(row, codes + 2 + i, self.amount(value))

    def income_table(self) -> None:
        items = {}
        for item in self.e.roots["functional"]:
            by = [item.basic.rule_attr(s) + item.project.rule_attr(s) for s in SOURCES]
            if any(by):
                fiscal = sum(by[:6], ZERO)
                items[item.code] = [sum(by, ZERO), fiscal, *by]
        income = {r.key: r.rule_attr("amount") for r in self.e.roots["income"]}
        total = [self.e.value("income_total"), self.e.value("fiscal_total"), *(income[s] for s in SOURCES)]
        heads = ["总计", "财政拨款（补助）小计", "一般公共预算", "上级一般公共预算安排的转移支付", "政府性基金预算",
                 "上级政府性基金安排的转移支付", "国有资本经营预算", "上级国有资本经营预算安排的转移支付",
                 "财政专户（教育收费）", "单位资金", "财政拨款结转", "非财政拨款结转结余"]
        self.functional_sheet(2, "部门收入总体情况表", heads, items, total, ("财政拨款（补助）", 1, 7))

    def spending_tables(self) -> None:
        exp = {i.code: [i.rule_attr("total"), i.rule_attr("basic_total"), i.rule_attr("project_total")]
               for i in self.e.roots["functional"] if i.rule_attr("total")}
        e = self.e.roots["expenditure"]
        self.functional_sheet(3, "部门支出总体情况表", ["合计", "基本支出", "项目支出"], exp,
                              [self.e.value("expenditure_total"), e[0].rule_attr("amount"), e[1].rule_attr("amount")])
        gen = {i.code: [i.rule_attr("general"), i.rule_attr("general_basic"), i.rule_attr("general_project")]
               for i in self.e.roots["functional"] if i.rule_attr("general")}
        g = self.e.roots["general_budget"]
        self.functional_sheet(5, "一般公共预算支出情况表", ["合计", "基本支出", "项目支出"], gen,
                              [self.e.value("general_budget_total"), g[0].rule_attr("amount"), g[1].rule_attr("amount")])
        for number, title, keys, kind in ((8, "政府性基金预算支出情况表", ("fund", "fund_transfer"), "政府性基金预算"),
                                          (9, "国有资本经营预算支出情况表", ("capital", "capital_transfer"), "国有资本经营预算")):
            per = {}
            for i in self.e.roots["functional"]:
                b = sum((i.basic.rule_attr(k) for k in keys), ZERO)
                p = sum((i.project.rule_attr(k) for k in keys), ZERO)
                if b or p:
                    per[i.code] = [b + p, b, ZERO, p]
            total = [sum((v[i] for v in per.values()), ZERO) for i in range(4)]
            note = (f"{self.m.department}{self.m.year}年没有使用{kind}拨款安排的支出，{title}为空表。")
            self.functional_sheet(number, title, ["合计", "人员经费", "公用经费", "项目支出"], per, total,
                                  ("基本支出", 1, 2), note)


def _sides(maker: Maker, number: int, title: str, heads: tuple[list[Any], list[Any]], left: list[tuple[str, Any]],
           right: list[tuple[str, list[Any]]], totals: tuple[str, Any, str, list[Any]]) -> None:
    width = len(heads[1])
    ws = maker.sheet(number, title, width)
    row = maker.header(ws, list(heads), [(0, 1, 0, 2), (0, 3, 0, width)])
    for i in range(max(len(left), len(right))):
        if i < len(left):
            ws.cell(row + i, 1, left[i][0])
            ws.cell(row + i, 2, maker.amount(left[i][1]) if left[i][1] is not None else None)
        if i < len(right):
            ws.cell(row + i, 3, right[i][0])
            for j, value in enumerate(right[i][1]):
                ws.cell(row + i, 4 + j, maker.amount(value))
    last = row + max(len(left), len(right))
    ws.cell(last, 1, totals[0])
    ws.cell(last, 2, maker.amount(totals[1]))
    ws.cell(last, 3, totals[2])
    for j, value in enumerate(totals[3]):
        ws.cell(last, 4 + j, maker.amount(value))


def overview_tables(maker: Maker) -> None:
    e, fn = maker.e, maker.fn
    inc = {r.key: r.rule_attr("amount") for r in e.roots["income"]}
    classes = {c.code: c for c in e.value("classes")}
    all_classes = [c for c in fn.names if len(c) == 3]
    left = [("一、本年收入", inc["general"] + inc["general_transfer"] + inc["fund"] + inc["fund_transfer"]
             + inc["capital"] + inc["capital_transfer"] + inc["special"] + inc["unit"]),
            ("1. 一般公共预算拨款", inc["general"] + inc["general_transfer"]), ("其中：一般财力", inc["general"]),
            ("上级一般公共预算安排转移支付", inc["general_transfer"]),
            ("2. 政府性基金预算拨款", inc["fund"] + inc["fund_transfer"]),
            ("3. 国有资本经营预算拨款", inc["capital"] + inc["capital_transfer"]),
            ("4. 财政专户核拨", inc["special"]), ("5. 单位资金", inc["unit"]),
            ("二、上年结转结余", inc["carryover"] + inc["carryover_other"]), ("1. 财政拨款结转", inc["carryover"]),
            ("其中：一般公共预算拨款", None), ("2. 非财政拨款结转结余", inc["carryover_other"])]
    right = [(f"{c} {fn.name(c, maker.m.year)}", [classes[c].total if c in classes else 0]) for c in all_classes]
    _sides(maker, 1, "部门收支总体情况表", (["收入", None, "支出", None], ["项目", "预算数", "功能分类", "预算数"]),
           left, right, ("收入总计", e.value("income_total"), "支出总计", [e.value("expenditure_total")]))
    fiscal = [("一、财政拨款（补助）", e.value("fiscal_total")), ("一般公共预算", inc["general"] + inc["general_transfer"]),
              ("政府性基金预算", inc["fund"] + inc["fund_transfer"]), ("国有资本经营预算", inc["capital"] + inc["capital_transfer"])]
    right = [(f"{c} {fn.name(c, maker.m.year)}",
              [classes[c].general + classes[c].fund_total + classes[c].capital_total, classes[c].general,
               classes[c].fund_total, classes[c].capital_total] if c in classes else [0, 0, 0, 0]) for c in all_classes]
    total = e.value("general_budget_total")
    _sides(maker, 4, "财政拨款收支预算总体情况表",
           (["财政拨款收入", None, "财政拨款支出", None, None, None, None],
            ["项目", "合计", "功能分类", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]),
           fiscal, right, ("收入总计", e.value("fiscal_total"), "支出总计", [total, total, 0, 0]))


def economic_table(maker: Maker) -> None:
    e, m = maker.e, maker.m
    economic = load_classification("economic")
    ws = maker.sheet(6, "一般公共预算基本支出情况表", 6 if not maker.style.joined_codes else 5)
    codes = 1 if maker.style.joined_codes else 2
    if codes == 2:
        rows = [["经济分类科目编码", None, "经济分类科目名称", "合计", "人员经费", "公用经费"], ["类", "款"],
                ["※", "※", "※", 1, 2, 3]]
        merges = [(0, 1, 0, 2), (0, 3, 1, 3), (0, 4, 1, 4), (0, 5, 1, 5), (0, 6, 1, 6)]
    else:
        rows = [["经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费"], [], ["※", "※", 1, 2, 3]]
        merges = [(0, c, 1, c) for c in range(1, 6)]
    row = maker.header(ws, rows, merges)
    personnel = set(e.settings["personnel_classes"])
    ws.cell(row, codes + 1, "总计")
    basic = e.roots["general_budget"][0].rule_attr("amount")
    for j, value in enumerate([basic, e.value("personnel_total"), e.value("public_use_total")]):
        ws.cell(row, codes + 2 + j, maker.amount(value))
    for cls in sorted({c[:3] for c in m.economic}):
        kuans = sorted(c for c in m.economic if c.startswith(cls))
        for code in [cls, *kuans]:
            row += 1
            amount = m.economic[code] if len(code) == 5 else sum((m.economic[k] for k in kuans), ZERO)
            cells = [code] if codes == 1 else [code[:3], code[3:] or None]
            for j, cell in enumerate(cells):
                ws.cell(row, j + 1, cell)
            ws.cell(row, codes + 1, economic.name(code, m.year))
            is_personnel = cls in personnel
            for j, value in enumerate([amount, amount if is_personnel else 0, 0 if is_personnel else amount]):
                ws.cell(row, codes + 2 + j, maker.amount(value))


def projects_table(maker: Maker) -> None:
    m = maker.m
    general = [p for p in m.projects if p.source in ("general", "general_transfer")]
    codes = 1 if maker.style.joined_codes else 3
    heads = ["项目支出\n合计", "工资福利\n支出", "商品和服\n务支出", "对个人和\n家庭的补\n助", "债务利息\n及费用支\n出",
             "资本性支\n出（基本\n建设）", "资本性支\n出", "对企业补\n助（基本\n建设）", "对企业\n补助", "对社会保障\n基金补助", "其他支出"]
    width = codes + 2 + len(heads)
    ws = maker.sheet(7, "一般公共预算项目支出情况表", width)
    top = (["科目编码"] + [None] * (codes - 1)) + ["功能分类科目名称", "项目名称"] + heads
    sub = (["类", "款", "项"] if codes == 3 else [None]) + [None] * (2 + len(heads))
    merges = [(0, 1, 0, codes)] if codes == 3 else [(0, 1, 1, 1)]
    merges += [(0, c, 1, c) for c in range(codes + 1, width + 1)]
    row = maker.header(ws, [top, sub, ["※"] * (codes + 2) + list(range(1, len(heads) + 1))], merges)

    def amounts(projects: list[Any]) -> list[Decimal]:
        total = sum((p.amount for p in projects), ZERO)
        return [total] + [sum((p.economic.get(c, ZERO) for p in projects), ZERO) for c in ECONOMIC_CLASSES]

    def put(name_cells: list[Any], values: list[Decimal]) -> None:
        nonlocal row
        for j, cell in enumerate(name_cells):
            if cell is not None:
                ws.cell(row, j + 1, cell)
        for j, value in enumerate(values):
            ws.cell(row, codes + 3 + j, maker.amount(value))
        row += 1

    put([None] * codes + ["总计", None], amounts(general))
    put([None] * codes + [m.department, None], amounts(general))
    for cls in sorted({p.code[:3] for p in general}):
        put((maker.code_cells(cls) + [None] * 3)[:codes] + [maker.fn.name(cls, m.year), None],
            amounts([p for p in general if p.code.startswith(cls)]))
        for kuan in sorted({p.code[:5] for p in general if p.code.startswith(cls)}):
            put((maker.code_cells(kuan) + [None] * 3)[:codes] + [maker.fn.name(kuan, m.year), None],
                amounts([p for p in general if p.code.startswith(kuan)]))
            for p in [p for p in general if p.code.startswith(kuan)]:
                put(maker.code_cells(p.code)[:codes] + [maker.fn.name(p.code, m.year), p.name], amounts([p]))


def three_public_table(maker: Maker) -> None:
    tp = {r.key: r.rule_attr("amount") for r in maker.e.roots["three_public"]}
    ws = maker.sheet(10, "财政拨款“三公”经费支出情况表", 5)
    row = maker.header(ws, [["“三公”经费支出内容", "合计", "资金来源", None, None],
                            [None, None, "一般公共预算", "政府性基金", "国有资本经营预算"], ["※", 1, 2, 3, 4]],
                       [(0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 5)])
    lines = [("合计", sum(tp.values(), ZERO)), ("因公出国（境）费", tp["abroad"]), ("公务接待费", tp["reception"]),
             ("公务用车购置及运行费（小计）", tp["vehicle_purchase"] + tp["vehicle_operation"]),
             ("其中：公务用车购置费", tp["vehicle_purchase"]), ("公务用车运行费", tp["vehicle_operation"])]
    for i, (label, value) in enumerate(lines):
        ws.cell(row + i, 1, label)
        ws.cell(row + i, 2, maker.amount(value))
        ws.cell(row + i, 3, maker.amount(value))


def carryover_table(maker: Maker) -> None:
    m = maker.m
    ws = maker.sheet(11, "上年结转结余情况明细表", 10)
    row = maker.header(ws, [["项目", "合计", "财政拨款", None, None, None, "非财政拨款", None, None, None],
                            [None, None, "小计", "基本支出", None, "项目支出", "小计", "基本支出", None, "项目支出"],
                            [None, None, None, "人员经费", "公用经费", None, None, "人员经费", "公用经费", None],
                            ["※"] + list(range(1, 10))],
                       [(0, 1, 2, 1), (0, 2, 2, 2), (0, 3, 0, 6), (0, 7, 0, 10), (1, 3, 2, 3), (1, 4, 1, 5),
                        (1, 6, 2, 6), (1, 7, 2, 7), (1, 8, 1, 9), (1, 10, 2, 10)])

    def put(label: str, fiscal: Decimal, other: Decimal) -> None:
        nonlocal row
        ws.cell(row, 1, label)
        for column, value in ((2, fiscal + other), (3, fiscal), (6, fiscal), (7, other), (10, other)):
            ws.cell(row, column, maker.amount(value))
        row += 1

    fiscal = sum((c.amount for c in m.carryover if c.fiscal), ZERO)
    other = sum((c.amount for c in m.carryover if not c.fiscal), ZERO)
    put("总计", fiscal, other)
    put(m.department, fiscal, other)
    for c in m.carryover:
        put(c.name, c.amount if c.fiscal else ZERO, ZERO if c.fiscal else c.amount)


def make_workbook(figures: Path | str, style: Style | None = None) -> Workbook:
    """The 11 tables of a figures file as one workbook, sheets 表1 … 表11 in order."""
    maker = Maker(Path(figures), style)
    overview_tables(maker)
    maker.income_table()
    maker.spending_tables()
    economic_table(maker)
    projects_table(maker)
    three_public_table(maker)
    carryover_table(maker)
    maker.book._sheets.sort(key=lambda ws: int(ws.title[1:]))
    return maker.book


def save(book: Workbook, path: Path | str) -> None:
    """Save with fixed document dates, so that rebuilding the fixture changes nothing."""
    import datetime

    fixed = datetime.datetime(2025, 1, 1)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "narrator tests/workbook_maker.py"
    book.save(path)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "fixtures" / "atushi-2025.xlsx"
    save(make_workbook(ROOT / "examples" / "atushi-2025.yaml"), target)
    print(target)
