"""Reading the tables of a workbook into lines (code or label, amounts by column role).

Every table is located by the layout (sheet name or title), its header found by the anchor
text, its columns by header text; then each data line is read with the cell it came from, so
that any later disagreement can name sheet and cell. Bad input (a missing sheet, a header that
cannot be found, a code that is not a code, an amount that is not a number) is collected and
raised together as one :class:`~narrator.errors.NarratorError`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from openpyxl.workbook import Workbook

from ..classification import load_classification
from ..errors import Finding
from .layout import Layout, Table, label_key, normalize
from .lines import LEADING_CODE, Line, TableData, scale_of
from .sides import read_row, read_sides
from .sheet import (Sheet, cell_ref, column_paths, find_anchor, find_column, header_block, header_like,
                    is_numeric)

_YEAR = re.compile(r"(20\d\d)\s*年")
CODE_LENGTHS = {"functional": (3, 5, 7), "economic": (3, 5)}


def find_sheet(book: Workbook, table: Table, layout: Layout) -> Any:
    """The worksheet of a table: by sheet name first, then by its title near the top."""
    names = {normalize(ws.title): ws for ws in book.worksheets}
    for wanted in table.sheets:
        if normalize(wanted) in names:
            return names[normalize(wanted)]
    title = normalize(table.title)
    for ws in book.worksheets:
        for row in ws.iter_rows(max_row=layout.header_search_rows, values_only=True):
            if any(title and title in normalize(v) for v in row if isinstance(v, str)):
                return ws
    return None


def read_table(book: Workbook, table: Table, layout: Layout, file: str) -> TableData | None:
    """Read one table; problems go to ``sheet.problems`` (a missing required sheet too)."""
    ws = find_sheet(book, table, layout)
    if ws is None:
        return None
    formulas = getattr(book, "narrator_formulas", None)
    sheet = Sheet(ws, file, table, formulas=formulas[ws.title] if formulas is not None else None)
    anchor = find_anchor(sheet, layout)
    if anchor is None:
        sheet.problem(1, 1, "error", "header-missing",
                      f"前 {layout.header_search_rows} 行中找不到表头“{table.anchor}”，"
                      f"不是{table.display}的标准格式（表头行是否被移动或删除？）")
        return TableData(table, sheet)
    first, last = header_block(sheet, layout, anchor)
    data = TableData(table, sheet, meta=_meta(sheet, layout, first), header_row=anchor, header_last=last)
    paths = column_paths(sheet, first, last)
    if table.kind == "sides":
        read_sides(data, paths, last, layout)
        return data
    columns = _map_columns(data, paths, first)
    if columns is None:
        return data
    halves = [columns]
    if table.repeated:  # the same columns again to the right (a 决算's 基本支出 table in two halves)
        right = {c: p for c, p in paths.items() if c > max(columns.values())}
        second = _map_columns(data, right, first)
        if second is not None:
            halves.append(second)
    for half in halves:
        data.code_state = {}
        for row in range(last + 1, sheet.rows + 1):
            if not _read_line(data, half, row, layout):
                break  # a code column holding text: the header does not fit the data, stop at the first
    if table.kind == "row" and not data.lines:  # a one-line table left empty: every part is zero
        data.lines.append(Line(last + 1, None, "", {k: Decimal(0) for k in columns}, columns))
    return data


def _meta(sheet: Sheet, layout: Layout, first: int) -> dict[str, str]:
    """Department, unit and year written above the header (“编制部门：…”, “单位：万元”)."""
    meta: dict[str, str] = {}
    for row in range(1, first):
        for column in range(1, sheet.columns + 1):
            text = normalize(sheet.value(row, column))
            for key, label in (("department", layout.department_label), ("unit", (layout.unit_label,))):
                if text.startswith(label) and ":" in text:
                    meta.setdefault(key, text.split(":", 1)[1])
                    meta.setdefault(f"{key}_cell", cell_ref(row, column))
            year = _YEAR.search(text)
            if year and "year" not in meta:
                meta["year"] = year.group(1)
    return meta


def _map_columns(data: TableData, paths: dict[int, list[str]], first: int) -> dict[str, int] | None:
    table, sheet = data.table, data.sheet
    columns: dict[str, int] = {}
    taken: set[int] = set()
    parts = table.columns.get("code_parts", ())
    found_parts = [find_column(paths, (p,), taken) for p in parts]
    if parts and all(c is not None for c in found_parts[:2]):
        for key, column in zip(("part1", "part2", "part3"), found_parts):
            if column is not None:
                columns[key] = column
                taken.add(column)
    missing = []
    for key, specs in table.columns.items():
        if key == "code_parts" or (key == "code" and "part1" in columns):
            continue
        column = find_column(paths, specs, taken)
        if column is None:
            if key not in table.optional_columns and key != "code":
                missing.append("、".join(f"“{s}”" for s in specs[:2]))
            continue
        columns[key] = column
        taken.add(column)
    if missing:
        sheet.problem(first, 1, "error", "header-missing",
                      f"{table.display}的表头中找不到列 {'；'.join(missing)}（表头行是否错位或被改动？）")
        return None
    return columns


def _code(data: TableData, columns: dict[str, int], row: int) -> tuple[str | None, bool]:
    """The joined code of a line (split 类/款/项 columns or one code column) and whether it is valid."""
    sheet = data.sheet
    lengths = CODE_LENGTHS.get(data.table.kind, (3, 5, 7))
    if "part1" in columns:
        texts = [sheet.text(row, columns[k]) if k in columns else "" for k in ("part1", "part2", "part3")]
        if not any(texts):
            return None, True
        for key, text in zip(("part1", "part2", "part3"), texts):
            if text and not text.isdigit():
                header_row = next((r for r in range(data.header_row, data.header_last + 1)
                                   if normalize(sheet.value(r, columns[key])) == _part_name(key)), data.header_row)
                header = sheet.say(header_row, columns[key])
                sheet.problem(row, columns[key], "error", "bad-code",
                              f"“{text}” 不是科目编码（应为数字）；表头“{_part_name(key)}”在 {header}，表头与数据可能错位")
                return None, False
        code = ""
        for index, text in enumerate(texts):
            if not text:
                continue
            if len(text) == lengths[index] or index == 0:
                code = text  # a full code written in its own column (“20140” under 款)
            else:
                parent = code if len(code) == lengths[index - 1] else data.code_state.get(index - 1, "")
                code = parent + text.zfill(lengths[index] - lengths[index - 1])
    else:
        column = columns.get("code")
        code = sheet.text(row, column) if column else ""
        if not code and "name" in columns:
            match = LEADING_CODE.match(sheet.text(row, columns["name"]))
            code = match.group(1) if match else ""
        if not code:
            return None, True
        if not code.isdigit():
            sheet.problem(row, column or columns["name"], "error", "bad-code",
                          f"“{code}” 不是科目编码（应为数字）；表头与数据可能错位")
            return None, False
    if len(code) not in lengths:
        sheet.problem(row, columns.get("part1", columns.get("code", 1)), "error", "bad-code",
                      f"科目编码 “{code}” 的位数不对（应为 {'、'.join(map(str, lengths))} 位）")
        return None, False
    data.code_state[lengths.index(len(code))] = code
    table = load_classification(data.table.kind)
    named = "name" in columns and sheet.text(row, columns["name"]).strip()
    if len(code) == lengths[-1] and code not in table and not named:
        # a code the reference lacks is taken with the name the table prints (issue: new 政府性基金 项)
        guesses = "、".join(f"“{c} {table.name(c)}”" for c in table.suggest(code))
        column = columns.get("part3", columns.get("part2", columns.get("code", columns.get("name", 1))))
        data.sheet.problem(row, column, "error", "unknown-code",
                           f"“{code}” 不是{table.title}中的科目，表中也没有印出它的名称"
                           + (f"；是否想写 {guesses}？" if guesses else ""))
        return None, False
    return code, True


def _code_columns(columns: dict[str, int]) -> list[int]:
    return [columns[k] for k in ("part1", "part2", "part3", "code") if k in columns]


def _part_name(key: str) -> str:
    return {"part1": "类", "part2": "款", "part3": "项"}[key]


def _read_line(data: TableData, columns: dict[str, int], row: int, layout: Layout) -> bool:
    """Read one row into ``data``; False when its code cannot be read (and was reported)."""
    sheet, table = data.sheet, data.table
    name_column = columns.get("name") or columns.get("label")
    name = sheet.text(row, name_column) if name_column else ""
    amount_keys = [k for k in columns if k not in ("part1", "part2", "part3", "code", "name", "label", "project_name")]
    has_numbers = any(is_numeric(sheet.value(row, columns[k])) for k in amount_keys)
    if header_like(sheet, row) and not any(is_numeric(sheet.value(row, c)) for c in _code_columns(columns)):
        return True  # a note (“……为空表”), a blank line, a header repeated on a continuation page
    if table.kind in ("functional", "economic"):
        code, valid = _code(data, columns, row)
        if not valid:
            return False
    else:
        code = None
    if code is None and not has_numbers:
        return True
    if table.kind == "row":
        return read_row(data, columns, row, layout)
    match = LEADING_CODE.match(name) if code else None
    if match and match.group(1) == code:
        name = match.group(2)
    scale = scale_of(data, layout)
    values = {k: sheet.amount(row, columns[k], scale) for k in amount_keys}
    line = Line(row, code, name, values, columns)
    if "project_name" in columns:
        line.extra["project"] = sheet.text(row, columns["project_name"])
    key = normalize(name)
    if code is None and label_key(name) in table.total_rows:
        data.named_totals.setdefault(table.total_rows[label_key(name)][0], line)
        return True
    if code is None and key in layout.total_names and table.kind != "labelled":
        if data.total is None:
            data.total = line
        return True
    if table.kind == "labelled":
        line.label = table.rows.get(label_key(name))
        if line.label is None:
            sheet.problem(row, name_column or 1, "warning", "unknown-row",
                          f"不认识的行“{name}”，已跳过（{table.display}的行名见版式文件）")
            return True
    elif code is None and table.kind != "named" and not line.extra.get("project"):
        if key != normalize(data.meta.get("department", "")):
            sheet.problem(row, name_column or 1, "warning", "unknown-row",
                          f"“{name}”一行没有科目编码，按单位小计处理，已跳过")
        return True
    elif table.kind == "named" and key == normalize(data.meta.get("department", "")):
        return True
    data.lines.append(line)
    return True


def all_problems(tables: dict[str, TableData]) -> list[Finding]:
    """Every problem found while reading, in sheet and row order."""
    return [p for t in tables.values() for p in t.sheet.problems]
