"""A table as read: its lines (code or label, amounts by column role) with the cells they came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import Location
from .layout import Layout, Table, normalize
from .sheet import Sheet

#: a code written before a name in one cell (“201 一般公共服务支出”)
LEADING_CODE = re.compile(r"^(\d{3,7})\s*(.*)$")


@dataclass
class Line:
    """One data line of a table: its row, code or label, name and amounts by column role."""

    row: int
    code: str | None
    name: str
    values: dict[str, Decimal]
    columns: dict[str, int]
    label: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def cell(self, key: str) -> int:
        return self.columns.get(key, self.columns.get("name", 1))


@dataclass
class TableData:
    """A table as read: its sheet, its lines, its total line and its side lines (表1、表4)."""

    table: Table
    sheet: Sheet
    lines: list[Line] = field(default_factory=list)
    total: Line | None = None
    sides: dict[str, list[Line]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    header_row: int = 1
    header_last: int = 1
    code_state: dict[int, str] = field(default_factory=dict)
    #: total lines known by their label (``total_rows`` of the layout): declared key → line
    named_totals: dict[str, Line] = field(default_factory=dict)

    def by_code(self) -> dict[str, Line]:
        return {line.code: line for line in self.lines if line.code}

    def place(self, line: Line, key: str) -> str:
        return self.sheet.say(line.row, line.cell(key))

    def location(self, line: Line, key: str) -> Location:
        return self.sheet.where(line.row, line.cell(key))


def scale_of(data: TableData, layout: Layout) -> Decimal:
    """The factor from the table's unit (“单位：元”) to 万元."""
    unit = data.meta.get("unit", "")
    return layout.units.get(normalize(unit), Decimal(1))
