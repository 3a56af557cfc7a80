"""Reading one worksheet: finding its header, mapping header text to columns, reading cells.

Merged header cells are read as if each covered cell held the merged value (that is how a
person sees them). Amounts may be numbers or text (“1,095.72”, “—”, blank); a number that
Excel stores with more decimals than it shows is read as shown (rounded half up to the cell's
displayed decimals), because the published table, and so the text, uses the shown figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import Finding, Location
from ..numbers import half_up, parse_amount
from .layout import Layout, Table, normalize

_NUMBER_ROW = re.compile(r"^(※|\*|\d{1,2})$")
_DECIMALS = re.compile(r"0\.(0+)")
_WRAPPED = re.compile(r"[ \t]*\n\s*")
_NUMERIC_TEXT = re.compile(r"^[+-]?[\d,，.．０-９]+$")


def cell_ref(row: int, column: int) -> str:
    """A1-style reference of a cell."""
    return f"{get_column_letter(column)}{row}"


@dataclass
class Sheet:
    """A worksheet read into a grid, with merged cells filled and the file name for messages."""

    ws: Worksheet
    file: str
    table: Table
    formulas: Worksheet | None = None
    grid: list[list[Any]] = field(default_factory=list)
    anchors: set[tuple[int, int]] = field(default_factory=set)
    problems: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.grid = [[cell.value for cell in row] for row in self.ws.iter_rows()]
        width = max((len(r) for r in self.grid), default=0)
        for row in self.grid:
            row.extend([None] * (width - len(row)))
        self.merged: dict[tuple[int, int], tuple[int, int]] = {}
        for area in self.ws.merged_cells.ranges:
            value = self.ws.cell(area.min_row, area.min_col).value
            for r in range(area.min_row, area.max_row + 1):
                for c in range(area.min_col, area.max_col + 1):
                    if (r, c) != (area.min_row, area.min_col):
                        self.merged[(r, c)] = (area.min_row, area.min_col)
                        if r - 1 < len(self.grid) and c - 1 < len(self.grid[r - 1]):
                            self.grid[r - 1][c - 1] = value

    @property
    def name(self) -> str:
        return self.ws.title

    @property
    def rows(self) -> int:
        return len(self.grid)

    @property
    def columns(self) -> int:
        return len(self.grid[0]) if self.grid else 0

    def value(self, row: int, column: int) -> Any:
        """The cell's value (1-based); covered parts of a merged area repeat its value."""
        if 1 <= row <= self.rows and 1 <= column <= self.columns:
            return self.grid[row - 1][column - 1]
        return None

    def text(self, row: int, column: int) -> str:
        """The cell as text with outer spaces removed."""
        value = self.value(row, column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return _WRAPPED.sub("", str(value)).strip()  # a line break typed to wrap a long name

    def where(self, row: int, column: int) -> Location:
        return Location(self.file, row, column)

    def say(self, row: int, column: int) -> str:
        """The place in words: 工作表“表2”E12."""
        return f"工作表“{self.name}”{cell_ref(row, column)}"

    def problem(self, row: int, column: int, level: str, rule: str, message: str) -> None:
        self.problems.append(Finding(self.where(row, column), level, rule, f"{self.say(row, column)}：{message}"))

    def amount(self, row: int, column: int | None, scale: Decimal) -> Decimal:
        """The amount in a cell as printed; a non-number is reported and read as 0."""
        if column is None or (row, column) in self.merged:
            return Decimal(0)
        cell = self.ws.cell(row, column)
        value = cell.value
        if value is None and self.formulas is not None:
            formula = self.formulas.cell(row, column).value
            if isinstance(formula, str) and formula.startswith("="):
                self.problem(row, column, "error", "formula-not-computed",
                             f"是公式 {formula}，但工作簿中没有保存它的计算结果：请在 Excel 或 WPS 中打开、保存后再导入")
                return Decimal(0)
        try:
            if isinstance(value, float):
                # openpyxl hands over Excel's binary double; its shortest repr is the typed number.
                amount = Decimal(repr(value))
                shown = _DECIMALS.search(cell.number_format or "")
                places = len(shown.group(1)) if shown else 2
                amount = half_up(amount, places) if amount.as_tuple().exponent < -places else amount
            else:
                amount = parse_amount(value)
        except ValueError:
            self.problem(row, column, "error", "not-a-number",
                         f"“{value}” 不是金额数字（可写 1095.72、“1,095.72”，空白或“—”表示 0）")
            return Decimal(0)
        if amount < 0:
            self.problem(row, column, "error", "negative-amount", f"金额不能为负数：{value}")
            return Decimal(0)
        # exact: 16,093,326.00 元 is 1609.3326 万元; the text rounds (half up) where it prints the figure
        return amount * scale if scale != 1 else amount


def is_numeric(value: Any) -> bool:
    """Whether a cell holds a number (or a number written as text)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    return isinstance(value, str) and bool(_NUMERIC_TEXT.match(value.strip()))


def header_like(sheet: Sheet, row: int) -> bool:
    """A row of header words (or the “※ 1 2 3” column-number row), with no figures in it."""
    texts = [sheet.text(row, c) for c in range(1, sheet.columns + 1)]
    filled = [t for t in texts if t]
    if not filled:
        return False
    if all(_NUMBER_ROW.match(t) for t in filled):
        return True
    return not any(is_numeric(sheet.value(row, c)) for c in range(1, sheet.columns + 1))


def find_anchor(sheet: Sheet, layout: Layout) -> int | None:
    """The first row (within the search window) that has a cell reading like the anchor text."""
    for row in range(1, min(sheet.rows, layout.header_search_rows) + 1):
        for column in range(1, sheet.columns + 1):
            if normalize(sheet.value(row, column)) == sheet.table.anchor:
                return row
    return None


def header_block(sheet: Sheet, layout: Layout, anchor: int) -> tuple[int, int]:
    """First and last row of the header around the anchor row."""
    meta = (*layout.department_label, layout.unit_label)
    first = anchor
    while first > 1 and header_like(sheet, first - 1):
        texts = [normalize(sheet.value(first - 1, c)) for c in range(1, sheet.columns + 1)]
        if any(t.startswith(meta) for t in texts if t):
            break
        first -= 1
    last = anchor
    while last < min(sheet.rows, anchor + 4) and header_like(sheet, last + 1):
        last += 1
    return first, last


def column_paths(sheet: Sheet, first: int, last: int) -> dict[int, list[str]]:
    """Each column's header texts from top to bottom (column numbers dropped, repeats merged)."""
    paths: dict[int, list[str]] = {}
    for column in range(1, sheet.columns + 1):
        path: list[str] = []
        for row in range(first, last + 1):
            text = normalize(sheet.value(row, column))
            if text and not _NUMBER_ROW.match(text) and (not path or path[-1] != text):
                path.append(text)
        paths[column] = path
    return paths


def matches(path: list[str], spec: str) -> bool:
    """Whether a header path fits a spec “甲/乙” (segments in order, each equal to a header text)."""
    position = 0
    for segment in spec.split("/"):
        try:
            position = path.index(segment, position) + 1
        except ValueError:
            return False
    return True


def find_column(paths: dict[int, list[str]], specs: tuple[str, ...], taken: set[int]) -> int | None:
    """The leftmost free column whose header fits one of the specs (tried in order)."""
    for spec in specs:
        for column, path in paths.items():
            if column not in taken and matches(path, spec):
                return column
    return None
