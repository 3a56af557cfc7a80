"""From the tables as read to a figures tree, checking the tables against each other.

Each figure is taken from one table (income by fund source from 表2, basic/project from 表3 and
表5, …); wherever another table prints the same figure, the two are compared and a
disagreement is reported as a finding naming both cells, never silently resolved. A printed
total that differs from the sum of its printed parts by no more than rounding (尾差) is kept as
``declared`` (the text must use the printed total); a larger difference is an error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..text.formatfields import fund_sources
from ..errors import Finding
from ..numbers import half_up, rounding_tolerance
from .tables import Line, TableData

ZERO = Decimal(0)


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def _same_printed(a: Decimal, b: Decimal) -> bool:
    """One figure printed in 元 by one table and in 万元 (two places) by another: the same when it rounds to it."""
    places = sorted((-a.as_tuple().exponent, -b.as_tuple().exponent))  # type: ignore[operator]
    if places[0] > 2 or places[1] <= 2:
        return False
    coarse, fine = (a, b) if -a.as_tuple().exponent <= 2 else (b, a)  # type: ignore[operator]
    return half_up(fine, 2) == coarse


class Assembler:
    """Builds the figures tree from the tables of one workbook and collects findings."""

    def __init__(self, tables: dict[str, TableData], splits: tuple[tuple[str, tuple[str, ...]], ...],
                 final: bool = False, rest_source: str = "unit", format_name: str | None = None) -> None:
        self.tables = tables
        self.splits = splits
        #: a final account (决算): a 科目's income is not its spending, each 项 is built from the spending tables
        self.final = final
        self.rest_source = rest_source
        self.findings: list[Finding] = []
        #: the fund sources of the document format (the core ones and those its fields.yaml adds)
        self.sources = [s["key"] for s in fund_sources(format_name)]
        self.declared: dict[str, Decimal] = {}

    # -- reporting ----------------------------------------------------------------------
    def report(self, level: str, rule: str, data: TableData, line: Line, key: str, message: str) -> None:
        self.findings.append(Finding(data.location(line, key), level, rule, f"{data.place(line, key)}：{message}"))

    def compare(self, what: str, a: tuple[TableData, Line, str], b: tuple[TableData, Line, str],
                tolerance: Decimal = ZERO, b_value: Decimal | None = None) -> None:
        """Report when two tables print different figures for the same thing."""
        (ta, la, ka), (tb, lb, kb) = a, b
        left = la.values.get(ka, ZERO)
        right = lb.values.get(kb, ZERO) if b_value is None else b_value
        if abs(left - right) > tolerance and not _same_printed(left, right):
            self.report("error", "tables-disagree", ta, la, ka,
                        f"{what}为 {money(left)}，而{tb.place(lb, kb)}为 {money(right)}（相差 {money(left - right)}），"
                        f"两表不一致，请核对后重新导入")

    def total(self, key: str, what: str, data: TableData, line: Line, column: str, parts: list[Decimal]) -> None:
        """A printed total against the sum of its printed parts: declared within rounding, else an error."""
        printed = line.values.get(column, ZERO)
        summed = sum(parts, ZERO)
        if printed == summed:
            return
        if abs(printed - summed) <= rounding_tolerance(len(parts)):
            self.declared[key] = printed
            return
        self.declared[key] = printed
        self.report("error", "total-mismatch", data, line, column,
                    f"{what} {money(printed)} 与其各分项之和 {money(summed)} 相差 {money(printed - summed)}，超出尾差")

    def rows_add_up(self, role: str, parts: tuple[str, ...]) -> None:
        """Within each line of a table: the 合计 column against the columns it adds up."""
        data = self.tables.get(role)
        if data is None:
            return
        for line in [*data.lines, *([data.total] if data.total else [])]:
            values = [line.values.get(k, ZERO) for k in parts if line.values.get(k, ZERO)]
            total = line.values.get("total", ZERO)
            if abs(total - sum(values, ZERO)) > rounding_tolerance(len(values)):
                what = f"科目 {line.code} {line.name}" if line.code else line.name
                self.report("error", "total-mismatch", data, line, "total",
                            f"{what} 的合计 {money(total)} 与同一行各列之和 {money(sum(values, ZERO))} 不一致")

    # -- income (表2) ---------------------------------------------------------------------
    def income(self) -> dict[str, Decimal]:
        data = self.tables["income"]
        line = data.total
        if line is None:
            amounts = {s: sum((l.values.get(s, ZERO) for l in data.lines if len(l.code or "") == 3), ZERO)
                       for s in self.sources}
        else:
            amounts = {s: line.values.get(s, ZERO) for s in self.sources}
            self.total("income_total", "收入总计", data, line, "total", [v for v in amounts.values() if v])
        return {s: v for s, v in amounts.items() if v}

    # -- functional items (表2 + 表3 + 表5 + 表8 + 表9) -------------------------------------
    def functional(self) -> list[dict[str, Any]]:
        self.rows_add_up("income", tuple(self.sources))
        self.rows_add_up("expenditure", ("basic", "project"))
        self.rows_add_up("general", ("basic", "project"))
        income, spending = self.tables["income"], self.tables["expenditure"]
        by_income, by_spending = income.by_code(), spending.by_code()
        if self.final:
            by_income = {c: self._spent(c, line) for c, line in by_spending.items() if len(c) == 7}
        else:
            self._same_codes(income, spending, "total", "total", "支出合计")
        codes = sorted({c for c in (*by_income, *by_spending) if len(c) == 7})
        items = []
        for code in codes:
            src = by_income.get(code)
            row = by_spending.get(code)
            if src is None or row is None:
                continue  # reported by _same_codes
            items.append(self._split(code, src, row))
        self._declared_levels(spending, items)
        return items

    def _spent(self, code: str, row: Line) -> Line:
        """A 决算 项's spending by source: the split tables' totals, the rest to ``rest_source``."""
        values: dict[str, Decimal] = {}
        for role, keys in self.splits:
            data = self.tables.get(role)
            line = data.by_code().get(code) if data is not None else None
            if line is not None and line.values.get("total", ZERO):
                values[keys[0]] = line.values["total"]
        rest = row.values.get("total", ZERO) - sum(values.values(), ZERO)
        if rest:
            values[self.rest_source] = values.get(self.rest_source, ZERO) + rest
        return Line(row.row, code, row.name, values, row.columns)

    def _same_codes(self, a: TableData, b: TableData, ka: str, kb: str, what: str) -> None:
        mine, theirs = a.by_code(), b.by_code()
        for code, line in mine.items():
            other = theirs.get(code)
            if other is None:
                if line.values.get(ka, ZERO):
                    self.report("error", "tables-disagree", a, line, "name",
                                f"科目 {code} {line.name} 不在{b.table.display}中")
                continue
            self.compare(f"科目 {code} {line.name} 的{what}", (a, line, ka), (b, other, kb))
        for code, line in theirs.items():
            if code not in mine and line.values.get(kb, ZERO):
                self.report("error", "tables-disagree", b, line, "name", f"科目 {code} {line.name} 不在{a.table.display}中")
        if a.total and b.total:
            self.compare(f"{what}总计", (a, a.total, ka), (b, b.total, kb))

    def _split(self, code: str, src: Line, row: Line) -> dict[str, Any]:
        """This 项's amounts by fund source, split into basic and project."""
        basic: dict[str, Decimal] = {}
        project: dict[str, Decimal] = {}
        rest = set(self.sources)
        rest_basic, rest_project = row.values.get("basic", ZERO), row.values.get("project", ZERO)
        for role, keys in self.splits:
            data = self.tables.get(role)
            if data is None:
                continue  # no such table (表8, 表9 are optional): its sources are split like the rest
            keys = tuple(k for k in keys if k in self.sources)
            rest -= set(keys)
            line = data.by_code().get(code)
            b = p = ZERO
            if line is not None:
                b = line.values.get("basic", line.values.get("basic_personnel", ZERO) + line.values.get("basic_public", ZERO))
                p = line.values.get("project", ZERO)
                amounts = [src.values.get(k, ZERO) for k in keys if src.values.get(k, ZERO)]
                self.compare(f"科目 {code} {line.name} 的{data.table.title.replace('情况表', '')}",
                             (data, line, "total"), (self.tables["income"], src, keys[0]),
                             rounding_tolerance(len(amounts)) if len(amounts) > 1 else ZERO, sum(amounts, ZERO))
            rest_basic -= b
            rest_project -= p
            self._assign(code, src, [k for k in keys], b, p, basic, project)
        self._assign(code, src, [k for k in self.sources if k in rest], rest_basic, rest_project, basic, project)
        item: dict[str, Any] = {"code": code}
        if basic:
            item["basic"] = basic
        if project:
            item["project"] = project
        return item

    def _assign(self, code: str, src: Line, keys: list[str], b: Decimal, p: Decimal,
                basic: dict[str, Decimal], project: dict[str, Decimal]) -> None:
        """Split the sources' amounts of one 项 into basic ``b`` and project ``p``."""
        present = [(k, src.values.get(k, ZERO)) for k in keys if src.values.get(k, ZERO)]
        if not present:
            return
        if p == 0 or b == 0:
            target = project if b == 0 and p != 0 else basic
            target.update(present)
            return
        if len(present) == 1:
            key = present[0][0]
            basic[key], project[key] = b, p
            return
        data = self.tables["income"]
        self.report("warning", "ambiguous-split", data, src, "name",
                    f"科目 {code} 有多种资金来源，表中不能唯一确定每种来源的基本支出、项目支出，"
                    f"已先按基本支出 {money(b)} 依次分配，请在导出的数据文件中核对 functional 中 {code} 一条")
        left = b
        for key, amount in present:
            part = min(amount, left)
            if part:
                basic[key] = part
            if amount - part:
                project[key] = amount - part
            left -= part

    def _declared_levels(self, spending: TableData, items: list[dict[str, Any]]) -> None:
        """类/款 totals and the 总计 line of 表3 against the sums of their 项."""
        totals = {i["code"]: sum((*i.get("basic", {}).values(), *i.get("project", {}).values()), ZERO) for i in items}
        for line in spending.lines:
            if line.code and len(line.code) in (3, 5):
                parts = [v for c, v in totals.items() if c.startswith(line.code)]
                self.total(line.code, f"科目 {line.code} {line.name} 的合计", spending, line, "total", parts)
        if spending.total is not None:
            basics = [sum(i.get("basic", {}).values(), ZERO) for i in items]
            projects = [sum(i.get("project", {}).values(), ZERO) for i in items]
            self.total("basic", "基本支出总计", spending, spending.total, "basic", [v for v in basics if v])
            self.total("project", "项目支出总计", spending, spending.total, "project", [v for v in projects if v])
            line = spending.total
            self.total("total", "支出总计", spending, line, "total",
                       [line.values.get("basic", ZERO), line.values.get("project", ZERO)])
