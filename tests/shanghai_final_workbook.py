"""Lays out a shanghai-final-accounts figures file as the Shanghai 部门决算 tables (一 to 七), in 万元.

Test fixture code, independent of narrator's layout file on purpose: titles and header rows are
written from the published tables of the Shanghai 2024 决算 template — no “编制部门” line and no
year above the tables (the import is told them), the 基本支出 table in two halves (人员经费 on the
left, 公用经费 on the right, each closed by its 合计 row), the “三公” table as one row of
预算数/决算数 pairs.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from narrator.classification import load_classification
from narrator.text.render import render_file

ZERO = Decimal(0)
CLASS_NAMES = {"201": "一、一般公共服务支出", "208": "八、社会保障和就业支出", "210": "九、卫生健康支出",
               "221": "十九、住房保障支出"}


def _n(value: Any) -> Any:
    value = Decimal(value or 0)
    return None if value == 0 else float(f"{value:.2f}")


class FinalMaker:
    """The 决算 tables of a figures file; the other income of each 项 is put where ``other_income`` says."""

    def __init__(self, figures: Path | str, other_income: dict[str, Decimal]) -> None:
        rendered = render_file(Path(figures))
        self.e = rendered.engine
        self.m = rendered.figures.model
        self.other = other_income
        self.fn = load_classification("functional")
        self.ec = load_classification("economic")
        self.book = Workbook()
        self.book.remove(self.book.active)

    def sheet(self, title: str, width: int) -> Any:
        ws = self.book.create_sheet(title)
        ws.cell(1, 1, title)
        ws.cell(2, width, "单位：万元")
        return ws

    def income_amount(self, key: str) -> Decimal:
        source = getattr(self.m.income, key)
        return source.amount if source is not None else ZERO

    # -- 一、四: the two summaries (收入 on the left, 支出 on the right) -----------------------------
    def summary(self, title: str, left: list[tuple[str, Decimal]], right: list[tuple[str, Decimal]],
                right_head: str) -> None:
        ws = self.sheet(title, 4)
        ws["A3"], ws["C3"] = "收入", "支出"
        ws.merge_cells("A3:B3")
        ws.merge_cells("C3:D3")
        ws["A4"], ws["B4"], ws["C4"], ws["D4"] = "项目", "决算数", "项目", right_head
        for i in range(max(len(left), len(right))):
            for column, side in ((1, left), (3, right)):
                if i < len(side):
                    ws.cell(5 + i, column, side[i][0])
                    ws.cell(5 + i, column + 1, _n(side[i][1]))

    def summaries(self) -> None:
        general, unit = self.income_amount("general"), self.income_amount("other")
        carry, carry_other = self.income_amount("carryover"), self.income_amount("carryover_other")
        spent = dict(self.m.declared or {}).get("total", self.e.value("expenditure_total"))
        classes = {c: sum((i.rule_attr("total") for i in self.e.roots["functional"] if i.code.startswith(c)), ZERO)
                   for c in CLASS_NAMES}
        total = general + unit + carry + carry_other
        self.summary("收入支出决算总表",
                     [("一、一般公共预算财政拨款收入", general), ("二、政府性基金预算财政拨款收入", ZERO),
                      ("三、国有资本经营预算财政拨款收入", ZERO), ("四、上级补助收入", ZERO), ("五、事业收入", ZERO),
                      ("六、经营收入", ZERO), ("七、附属单位上缴收入", ZERO), ("八、其他收入", unit),
                      ("本年收入合计", general + unit), ("使用非财政拨款结余（含专用结余）", ZERO),
                      ("年初结转和结余", carry + carry_other), ("总计", total)],
                     [*((CLASS_NAMES[c], v) for c, v in classes.items()), ("本年支出合计", spent), ("结余分配", ZERO),
                      ("年末结转和结余", total - spent), ("总计", total)], "决算数")
        self.summary("财政拨款收入支出决算总表",
                     [("一、一般公共预算财政拨款", general), ("二、政府性基金预算财政拨款", ZERO),
                      ("三、国有资本经营预算财政拨款", ZERO), ("本年收入合计", general),
                      ("年初财政拨款结转和结余", carry), ("一、一般公共预算财政拨款", carry), ("总计", general + carry)],
                     [*((CLASS_NAMES[c], v) for c, v in classes.items()), ("本年支出合计", spent),
                      ("年末财政拨款结转和结余", general + carry - spent), ("总计", general + carry)], "合计")

    # -- 二、三、五: by 功能分类 -------------------------------------------------------------------
    def functional(self, title: str, heads: list[str], items: dict[str, list[Decimal]], total_first: bool,
                   printed: dict[str, Decimal] | None = None) -> None:
        """A table by 功能分类; ``printed`` overrides a 合计 (the 类/款 codes, ``total``, ``basic``, ``project``)
        with the total the published table prints (the example's ``declared``: sums off by rounding)."""
        printed = printed or {}
        width = 4 + len(heads)
        ws = self.sheet(title, width)
        ws["A3"] = "项目"
        ws.merge_cells("A3:D3")
        ws["A4"], ws["D4"] = "支出功能分类科目编码", "科目名称"
        ws.merge_cells("A4:C4")
        for i, head in enumerate(heads):
            ws.cell(3, 5 + i, head)
            ws.merge_cells(start_row=3, start_column=5 + i, end_row=5, end_column=5 + i)
        ws["A5"], ws["B5"], ws["C5"] = "类", "款", "项"
        codes = sorted(items)
        lines = sorted({c[:n] for c in codes for n in (3, 5, 7)}, key=lambda c: (c[:3], c[3:5], c[5:]))
        rows = []
        for code in lines:
            sums = [sum((items[c][i] for c in codes if c.startswith(code)), ZERO) for i in range(len(heads))]
            if code in printed and len(code) < 7:
                sums[0] = printed[code]
            rows.append([code[:3], code[3:5] or None, code[5:7] or None, self.fn.name(code, self.m.year), *sums])
        sums = [sum((v[i] for v in items.values()), ZERO) for i in range(len(heads))]
        for i, key in enumerate(("total", "basic", "project")[:len(heads)]):
            sums[i] = printed.get(key, sums[i])
        total = [None, None, None, "合计", *sums]
        rows = [total, *rows] if total_first else [*rows, total]
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.cell(6 + r, 1 + c, _n(value) if isinstance(value, Decimal) else value)

    def by_function(self) -> None:
        roots = self.e.roots["functional"]
        income = {}
        for i in roots:
            other = self.other.get(i.code, ZERO)
            income[i.code] = [i.rule_attr("general") + other, i.rule_attr("general"), ZERO, ZERO, ZERO, ZERO, other]
        general, unit = self.income_amount("general"), self.income_amount("other")
        self.functional("收入决算表", ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                                   "附属单位上缴收入", "其他收入"], income, True,
                        {"total": general + unit, "basic": general})
        spending = {i.code: [i.rule_attr("total"), i.rule_attr("basic_total"), i.rule_attr("project_total"),
                             ZERO, ZERO, ZERO] for i in roots}
        declared = dict(self.m.declared or {})
        self.functional("支出决算表", ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                                   "对附属单位补助支出"], spending, True, declared)
        general = {i.code: [i.rule_attr("general"), i.rule_attr("general_basic"), i.rule_attr("general_project")]
                   for i in roots if i.rule_attr("general")}
        self.functional("一般公共预算财政拨款支出决算表", ["合计", "基本支出", "项目支出"], general, False,
                        {**declared, "total": declared.get("general_total", declared.get("total"))})

    # -- 八、九: 政府性基金、国有资本经营预算 (income, spending, balances of each 项) -------------------
    def fund_tables(self, spending: dict[str, dict[str, list[Decimal]]]) -> None:
        for title, kind in (("政府性基金预算财政拨款收入支出决算表", "政府性基金预算"),
                            ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算")):
            ws = self.sheet(title, 9)
            ws["A3"], ws["E3"], ws["F3"], ws["G3"], ws["J3"] = "项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"
            ws.merge_cells("A3:D3")
            ws.merge_cells("G3:I3")
            ws["A4"], ws["D4"], ws["G4"], ws["H4"], ws["I4"] = "支出功能分类科目编码", "科目名称", "小计", "基本支出", "项目支出"
            ws.merge_cells("A4:C4")
            ws["A5"], ws["B5"], ws["C5"] = "类", "款", "项"
            row = 6
            for code, (basic, project) in sorted(spending.get(kind, {}).items()):
                for i, part in enumerate((code[:3], code[3:5], code[5:7])):
                    ws.cell(row, 1 + i, part)
                ws.cell(row, 4, self.fn.name(code, self.m.year))
                for column, value in ((6, basic + project), (7, basic + project), (8, basic), (9, project)):
                    ws.cell(row, column, _n(value))
                row += 1
            ws.cell(row, 4, "合计")
            if row == 6:
                ws.cell(row + 1, 1, f"注：{self.m.department}无{kind}财政拨款支出，故本表无数据。")

    # -- 六: 基本支出 in two halves ------------------------------------------------------------------
    def economic(self) -> None:
        ws = self.sheet("一般公共预算财政拨款基本支出决算表", 6)
        for column, head in enumerate(["经济分类科目编码", "科目名称", "决算数"] * 2, 1):
            ws.cell(3, column, head)
        amounts = dict(self.m.economic)
        declared = dict(self.m.declared or {})
        for half, classes, label, key in ((0, ("301", "303"), "人员经费合计", "personnel"),
                                          (3, ("302", "310"), "公用经费合计", "public_use")):
            codes = sorted({c[:3] for c in amounts if c[:3] in classes} | {c for c in amounts if c[:3] in classes})
            row = 4
            for code in codes:
                ws.cell(row, half + 1, code)
                ws.cell(row, half + 2, self.ec.name(code, self.m.year))
                ws.cell(row, half + 3, _n(sum((v for c, v in amounts.items() if c.startswith(code)), ZERO)))
                row += 1
            printed = declared.get(key, sum((v for c, v in amounts.items() if c[:3] in classes), ZERO))
            ws.cell(40, half + 2, label)
            ws.cell(40, half + 3, _n(printed))

    # -- 七: “三公” as one row of 预算数/决算数 -----------------------------------------------------
    def three_public(self) -> None:
        ws = self.sheet("财政拨款“三公”经费支出决算表", 12)
        ws["A3"] = "财政拨款“三公”经费"
        ws.merge_cells("A3:L3")
        parts = [("合计", "A4:B5"), ("因公出国（境）费", "C4:D5"), ("公务用车购置及运行维护费", "E4:J4"),
                 ("公务接待费", "K4:L5")]
        for text, area in parts:
            ws[area.split(":")[0]] = text
            ws.merge_cells(area)
        for text, area in (("小计", "E5:F5"), ("公务用车购置费", "G5:H5"), ("公务用车运行维护费", "I5:J5")):
            ws[area.split(":")[0]] = text
            ws.merge_cells(area)
        for column in range(1, 13):
            ws.cell(6, column, "预算数" if column % 2 else "决算数")
        tp = {k: getattr(self.m.three_public, k) for k in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")}

        def pair(keys: tuple[str, ...]) -> list[Decimal]:
            return [sum(((tp[k].budget or ZERO) for k in keys), ZERO), sum((tp[k].amount for k in keys), ZERO)]

        row = [*pair(tuple(tp)), *pair(("abroad",)), *pair(("vehicle_purchase", "vehicle_operation")),
               *pair(("vehicle_purchase",)), *pair(("vehicle_operation",)), *pair(("reception",))]
        for column, value in enumerate(row, 1):
            ws.cell(7, column, _n(value))


def make_final_workbook(figures: Path | str, other_income: dict[str, Decimal]) -> Workbook:
    """The Shanghai 决算 tables 一 to 七 of a figures file."""
    maker = FinalMaker(figures, other_income)
    maker.summaries()
    maker.by_function()
    maker.economic()
    maker.three_public()
    maker.fund_tables({})
    return maker.book
