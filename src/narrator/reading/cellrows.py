"""Tables printed one cell per line, put back into rows.

A web page copied as text (and some Word exports) prints every cell of a table on a line of its
own: the header cells, then each row's name and amounts, a lone “|” for an empty cell. Such a
table is read back into rows by its shape: the header has as many cells as each row, and a row is
a name followed by amounts (or “-”, “无”, empty cells). The header is the run of text cells before
the first amount, less the first row's name; a title line above the header (“2020年度“三公”经费
使用情况”) is one text cell more. Where the shape stops (a new title, a new header), a new table
begins. Cells that do not take this shape are left as they were.
"""

from __future__ import annotations

import re

from . import Table, TableRow
from .lines import AMOUNT, PLACEHOLDER

_BLANK = re.compile(r"^[|｜\s]*$")
_VALUE_WORDS = {"无", "0", "—", "-"}
SINGLE_SHARE = 0.8     # share of a table's rows that hold one cell for it to be read this way
MIN_ROWS = 2           # rows a regrouped table needs


def _cell(row: TableRow) -> str:
    text = row.cells[0] if len(row.cells) == 1 else ""
    return "" if _BLANK.match(text) else text.strip()


def _value(text: str) -> bool:
    """An amount, a percentage, a dash, “无” or an empty cell."""
    return not text or text in _VALUE_WORDS or bool(AMOUNT.match(text) or PLACEHOLDER.match(text))


def _amount(text: str) -> bool:
    return bool(text) and bool(AMOUNT.match(text))


def _rows(cells: list[str], start: int, width: int) -> int:
    """How many rows of ``width`` cells (a name, then values) follow from ``start``."""
    count, index = 0, start
    while index < len(cells):
        row = cells[index:index + width]
        if _value(row[0]) or not all(_value(c) for c in row[1:]):
            break
        if len(row) < width and index + len(row) < len(cells):
            break
        count += 1
        index += width
    return count


def _shape(cells: list[str]) -> tuple[int, int, int] | None:
    """(title cells, header width, rows) of the table the cells begin, or None."""
    first = next((i for i, c in enumerate(cells) if _amount(c)), None)
    if first is None or first < 2:
        return None
    for titles in (0, 1):
        width = first - 1 - titles
        if width < 2 or not all(cells[i] and not _value(cells[i]) for i in range(first)):
            continue
        rows = _rows(cells, first - 1, width)
        if rows >= MIN_ROWS:
            return titles, width, rows
    return None


def _row(cells: list[str], rows: list[TableRow], start: int, width: int) -> TableRow:
    lines = rows[start:start + width]
    return TableRow(tuple(cells[start:start + width]), lines[0].location, tuple(r.location for r in lines))


def _header_then_values(table: Table, cells: list[str]) -> list[Table] | None:
    """A table of one row of amounts under a header of names (a “三公” table by columns: 合计,
    因公出国（境）费, 公务用车购置及运行费 with its 小计, 购置费, 运行费, 公务接待费): the names in one row,
    the amounts in the next."""
    first = next((i for i, c in enumerate(cells) if _amount(c)), None)
    if first is None or first < 3:
        return None
    names, values = [c for c in cells[:first] if c], cells[first:]
    if any(_value(c) for c in names) or not all(_value(c) and c for c in values) or len(values) < 3:
        return None
    rows = table.rows
    header = TableRow(tuple(names), rows[0].location, tuple(r.location for r, c in zip(rows, cells) if c and not _value(c)))
    amounts = TableRow(tuple(values), rows[first].location, tuple(r.location for r in rows[first:]))
    return [Table(table.title, table.unit, [header, amounts], table.location)]


def regroup(table: Table) -> list[Table]:
    """The table as rows of cells when it was printed one cell per line; else the table itself."""
    rows = table.rows
    if len(rows) < 6 or sum(len(r.cells) <= 1 for r in rows) < SINGLE_SHARE * len(rows):
        return [table]
    cells = [_cell(r) for r in rows]
    tables: list[Table] = []
    index, pending = 0, 0
    while index < len(cells):
        shape = _shape(cells[index:])
        if shape is None:
            index += 1
            continue
        titles, width, count = shape
        if index > pending and tables:
            tables[-1].rows.extend(rows[pending:index])
        elif index > pending:
            tables.append(Table(table.title, table.unit, list(rows[pending:index]), table.location))
        head = index + titles
        title = table.title if not tables and (table.title or not titles) else (cells[index] if titles else "")
        location = rows[index].location if titles or tables else table.location
        grouped = [_row(cells, rows, head, width)]
        body = head + width
        grouped += [_row(cells, rows, body + number * width, width) for number in range(count)]
        tables.append(Table(title, table.unit if not tables else "", grouped, location))
        index = pending = min(body + count * width, len(cells))
    if not tables:
        return _header_then_values(table, cells) or [table]
    if pending < len(cells):
        tables[-1].rows.extend(rows[pending:])
    return tables
