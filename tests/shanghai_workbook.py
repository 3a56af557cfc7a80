"""Lays out a figures file as the Shanghai (Putuo) 部门预算 tables, as the published tables print them.

Test fixture code, independent of narrator's layout file on purpose: sheet names, titles, header
rows (merged cells, the 类/款/项 row), the 元 unit and the one-row “三公” table are written here
from the published tables, so that the importer (reading them through
``rules/workbook-layouts/shanghai-budget.yaml``) is tested against their shape, not against itself.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from narrator.classification import load_classification
from narrator.text.render import render_file

ZERO = Decimal(0)
YUAN = Decimal(10000)


class ShanghaiMaker:
    """The nine tables of a Shanghai budget figures file (amounts in 元, the “三公” table in 万元)."""

    def __init__(self, figures: Path | str, level: str = "部门") -> None:
        rendered = render_file(Path(figures))
        self.e = rendered.engine
        self.m = rendered.figures.model
        self.level = level
        self.fn = load_classification("functional")
        self.ec = load_classification("economic")
        self.book = Workbook()
        self.book.remove(self.book.active)

    @staticmethod
    def yuan(value: Any) -> Any:
        value = Decimal(value or 0) * YUAN
        return None if value == 0 else float(f"{value:.2f}")

    def sheet(self, name: str, title: str, width: int, unit: str = "单位：元") -> Any:
        ws = self.book.create_sheet(f"{self.level}{name}")
        ws.cell(2, 1, f"{self.m.year}年{self.level}{title}")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        ws.cell(4, 1, f"编制{'部门' if self.level == '部门' else '单位'}：{self.m.department}")
        ws.cell(4, width, unit)
        return ws

    # -- the tables by 功能分类 (收入总表, 支出总表, 一般公共预算, 政府性基金, 国有资本经营预算) ------
    def functional(self, name: str, title: str, group: str, heads: list[str], items: dict[str, list[Decimal]],
                   note: str = "") -> None:
        width = 4 + len(heads)
        ws = self.sheet(name, title, width)
        ws.cell(6, 1, "项目")
        ws.merge_cells("A6:D6")
        ws.cell(6, 5, group)
        ws.merge_cells(start_row=6, start_column=5, end_row=6, end_column=width)
        ws.cell(7, 1, "功能分类科目编码")
        ws.merge_cells("A7:C7")
        ws.cell(7, 4, "功能分类科目名称")
        ws.merge_cells("D7:D8")
        for i, head in enumerate(heads):
            ws.cell(7, 5 + i, head)
            ws.merge_cells(start_row=7, start_column=5 + i, end_row=8, end_column=5 + i)
        for i, part in enumerate(("类", "款", "项")):
            ws.cell(8, 1 + i, part)
        row = 9
        codes = sorted(items)
        lines = sorted({c[:n] for c in codes for n in (3, 5, 7)}, key=lambda c: (c[:3], c[3:5], c[5:]))
        for code in lines:
            sums = [sum((items[c][i] for c in codes if c.startswith(code)), ZERO) for i in range(len(heads))]
            for i, part in enumerate((code[:3], code[3:5], code[5:7])):
                ws.cell(row, 1 + i, part or None)
            ws.cell(row, 4, self.fn.name(code, self.m.year))
            for i, value in enumerate(sums):
                ws.cell(row, 5 + i, self.yuan(value))
            row += 1
        ws.cell(row, 4, "合计")
        for i in range(len(heads)):
            ws.cell(row, 5 + i, self.yuan(sum((v[i] for v in items.values()), ZERO)))
        if note:
            ws.cell(row + 1, 1, note)

    def income_and_spending(self) -> None:
        roots = self.e.roots["functional"]
        other = self.m.model_dump().get("other_income") or {}
        fiscal = {i.code: i.rule_attr("general") for i in roots if i.rule_attr("general")}
        self.functional("收入总表", "收入预算总表", "收入预算",
                        ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"],
                        {c: [v, v, ZERO, ZERO, ZERO] for c, v in fiscal.items()})
        if any(other.values()):
            raise ValueError("the maker prints 事业收入 and the like only as zero")
        spending = {i.code: [i.rule_attr("total"), i.rule_attr("basic_total"), i.rule_attr("project_total")]
                    for i in roots if i.rule_attr("total")}
        self.functional("支出总表", "支出预算总表", "支出预算", ["合计", "基本支出", "项目支出"], spending)
        general = {i.code: [i.rule_attr("general"), i.rule_attr("general_basic"), i.rule_attr("general_project")]
                   for i in roots if i.rule_attr("general")}
        self.functional("一般公共预算拨款表", "一般公共预算支出功能分类预算表", "一般公共预算支出",
                        ["合计", "基本支出", "项目支出"], general)
        for name, title, kind in (("政府性基金拨款表", "政府性基金预算支出功能分类预算表", "政府性基金预算"),
                                  ("国有资本经营预算拨款表", "国有资本经营预算支出功能分类预算表", "国有资本经营预算")):
            self.functional(name, title, f"{kind}支出", ["合计", "基本支出", "项目支出"], {},
                            f"注：本{self.level}{self.m.year}年无{kind}财政拨款安排的预算，故本表为空表。")

    # -- 收支总表, 财政拨款收支总表: 收入 on the left, 支出 by 类 on the right --------------------------
    def summaries(self) -> None:
        roots = self.e.roots["functional"]
        general = sum((i.rule_attr("general") for i in roots), ZERO)
        classes = sorted({i.code[:3] for i in roots})
        numbers = "一二三四五六七八九十"
        spending = [(f"{numbers[n]}、{self.fn.name(c, self.m.year)}",
                     sum((i.rule_attr("total") for i in roots if i.code.startswith(c)), ZERO)) for n, c in enumerate(classes)]
        total = self.e.value("income_total")
        for name, title, groups, left, right, heads in (
                ("收支总表", "财务收支预算总表", ("本年收入", "本年支出"),
                 [("一、财政拨款收入", general), ("1. 一般公共预算资金", general), ("2. 政府性基金", ZERO),
                  ("3. 国有资本经营预算", ZERO), ("二、事业收入", ZERO), ("三、事业单位经营收入", ZERO), ("四、其他收入", ZERO)],
                 spending, ["预算数"]),
                ("财政拨款收支总表", "财政拨款收支预算总表", ("财政拨款收入", "财政拨款支出"),
                 [("一、一般公共预算", general), ("二、政府性基金预算", ZERO), ("三、国有资本经营预算", ZERO)],
                 spending, ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"])):
            ws = self.sheet(name, title, 3 + len(heads))
            ws.cell(6, 1, groups[0])
            ws.merge_cells("A6:B6")
            ws.cell(6, 3, groups[1])
            ws.merge_cells(start_row=6, start_column=3, end_row=6, end_column=3 + len(heads))
            for column, head in enumerate(["项目", "预算数", "项目", *heads], 1):
                ws.cell(7, column, head)
            for i in range(max(len(left), len(right))):
                if i < len(left):
                    ws.cell(8 + i, 1, left[i][0])
                    ws.cell(8 + i, 2, self.yuan(left[i][1]))
                if i < len(right):
                    ws.cell(8 + i, 3, right[i][0])
                    for column in range(len(heads) if len(heads) == 1 else 2):
                        ws.cell(8 + i, 4 + column, self.yuan(right[i][1]))
            last = 8 + max(len(left), len(right)) + 1
            ws.cell(last, 1, "收入总计")
            ws.cell(last, 2, self.yuan(total if len(heads) == 1 else general))
            ws.cell(last, 3, "支出总计")
            for column in range(len(heads) if len(heads) == 1 else 2):
                ws.cell(last, 4 + column, self.yuan(total if len(heads) == 1 else general))

    # -- 一般公共预算基本支出 by 经济分类 -------------------------------------------------------
    def economic(self, public_use: tuple[str, ...] = ("302", "310")) -> None:
        ws = self.sheet("一般公共预算拨款基本支出明细表", "一般公共预算基本支出部门预算经济分类预算表", 5)
        ws.cell(6, 1, "项目")
        ws.merge_cells("A6:C6")
        ws.cell(6, 4, "一般公共预算基本支出")
        ws.merge_cells("D6:F6")
        ws.cell(7, 1, "部门预算经济分类科目编码")
        ws.merge_cells("A7:B7")
        for column, head in ((3, "经济分类科目名称"), (4, "合计"), (5, "人员经费"), (6, "公用经费")):
            ws.cell(7, column, head)
            ws.merge_cells(start_row=7, start_column=column, end_row=8, end_column=column)
        ws.cell(8, 1, "类")
        ws.cell(8, 2, "款")
        amounts = dict(self.m.economic)
        row = 9
        for code in sorted({c[:3] for c in amounts} | set(amounts)):
            total = sum((v for c, v in amounts.items() if c.startswith(code)), ZERO)
            split = (ZERO, total) if code[:3] in public_use else (total, ZERO)
            ws.cell(row, 1, code[:3])
            ws.cell(row, 2, code[3:] or None)
            ws.cell(row, 3, self.ec.name(code, self.m.year))
            for i, value in enumerate((total, *split)):
                ws.cell(row, 4 + i, self.yuan(value))
            row += 1
        public = sum((v for c, v in amounts.items() if c[:3] in public_use), ZERO)
        total = sum(amounts.values(), ZERO)
        ws.cell(row, 3, "合计")
        for i, value in enumerate((total, total - public, public)):
            ws.cell(row, 4 + i, self.yuan(value))

    # -- “三公”经费和机关运行经费: one line, in 万元 ---------------------------------------------
    def three_public(self) -> None:
        ws = self.sheet("“三公”经费和机关运行费预算表", "“三公”经费和机关运行经费预算表", 7, "单位:万元")
        for cell, text in (("A5", "“三公”经费预算数"), ("G5", "机关运行经费预算数"), ("A6", "合计"),
                           ("B6", "因公出国(境)费"), ("C6", "公务接待费"), ("D6", "公务用车购置及运行费"),
                           ("D7", "小计"), ("E7", "购置费"), ("F7", "运行费")):
            ws[cell] = text
        for area in ("A5:F5", "G5:G7", "A6:A7", "B6:B7", "C6:C7", "D6:F6"):
            ws.merge_cells(area)
        tp = {r.key: r.rule_attr("amount") for r in self.e.roots["three_public"]}
        vehicle = tp["vehicle_purchase"] + tp["vehicle_operation"]
        row = [sum(tp.values(), ZERO), tp["abroad"], tp["reception"], vehicle, tp["vehicle_purchase"],
               tp["vehicle_operation"], self.e.roots["operating_costs"].rule_attr("amount")]
        for i, value in enumerate(row):
            ws.cell(8, 1 + i, None if value == 0 else float(f"{value:.2f}"))


def make_shanghai_workbook(figures: Path | str, level: str = "部门") -> Workbook:
    """The Shanghai budget tables of a figures file (收入总表 … “三公”经费和机关运行费预算表)."""
    maker = ShanghaiMaker(figures, level)
    maker.summaries()
    maker.income_and_spending()
    maker.economic()
    maker.three_public()
    return maker.book
