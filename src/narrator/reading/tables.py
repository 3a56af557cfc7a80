"""Table rows out of the body text, into :class:`Table` objects with their caption and unit.

A line is a table row when it is mostly cells (codes like 201 06 01, names, amounts like
31,214,205.80) with no sentence punctuation. PDF cells are split where the chars leave a gap of
about a char's width; text cells at “|”, tabs or runs of spaces. Short lines between rows (“二、
事业收入”) and the header lines right above the rows belong to the table; the caption (“……表”)
and the unit line (“单位：元”) above it are kept out of the body text too.
"""

from __future__ import annotations

import re

from ..errors import Location
from . import Table, TableRow
from .cellrows import regroup
from .lines import (AMOUNT, CAPTION, META, UNIT, SourceLine, display_width, has_prose, is_numeric_cell,
                    starts_heading)

CELL_GAP = 0.6            # a gap this many line heights wide between two chars separates two cells
HEADER_LINES = 6          # header lines looked at above the first row of a table
CAPTION_LINES = 4         # lines looked at above the header for the caption and the unit
SHORT = 40                # display width of a line that may sit between rows
PROSE_CELL = 120          # display width of a cell that is a paragraph, not a table cell
_GLUED_AMOUNT = re.compile(r"^(\S*[\u4e00-\u9fff）)”](?<!年)(?<!月)(?<!日))(\d{1,3}(?:,\d{3})*\.\d{1,4}|\d+\.\d{1,4})$")


def split_cells(line: SourceLine) -> list[tuple[str, int]]:
    """The cells of a line with the 1-based column where each starts."""
    text = line.text
    if line.spans is not None:
        breaks = [i for i in (m.start() for m in re.finditer(" ", text)) if
                  line.spans[i][1] - line.spans[i][0] >= CELL_GAP * line.em or _between_numbers(text, i)]
        pattern = None
    elif "|" in text:
        pattern = r"[|｜]"
    elif "\t" in text:
        pattern = r"\t"
    elif re.search(r"\S(?: {2,}|\u3000+)\S", text.strip()):
        pattern = r"(?: {2,}|\u3000+)"
    elif (glued := _GLUED_AMOUNT.match(text.strip())) and not has_prose(glued.group(1)):
        # a name and its amount printed with no space between (“行政经费177.50”)
        offset = text.index(glued.group(1))
        return [(glued.group(1), offset + 1), (glued.group(2), offset + len(glued.group(1)) + 1)]
    else:
        tokens = text.split()
        pattern = r"\s+" if sum(is_numeric_cell(t) for t in tokens) >= 2 else None
    if line.spans is None:
        breaks = [m.start() for m in re.finditer(pattern, text)] if pattern else []
        ends = [m.end() for m in re.finditer(pattern, text)] if pattern else []
    else:
        ends = [b + 1 for b in breaks]
    cells, start = [], 0
    for stop, following in zip(breaks + [len(text)], ends + [len(text)]):
        raw = text[start:stop]
        stripped = raw.strip(" \t\u3000")
        if stripped:
            cells.append((stripped, start + raw.index(stripped[0]) + 1))
        start = following
    return cells


def _between_numbers(text: str, index: int) -> bool:
    """A space between two amounts (“22,186,440.80 22,186,440.80”) always separates cells."""
    before, after = text[:index].split(" ")[-1], text[index + 1:].split(" ")[0]
    return all(AMOUNT.match(word) and ("." in word or "," in word) for word in (before, after))


def mark_tables(lines: list[SourceLine], path: str) -> list[Table]:
    """Mark table rows, captions and unit lines; return the tables, in document order."""
    candidates = [line for line in lines if line.role == "body"]
    for line in candidates:
        line.cells = split_cells(line)
        if _strong_row(line):
            line.role = "table"
    _after_captions(lines)
    _fill_between(lines)
    tables: list[Table] = []
    order = [line for line in lines if line.role not in ("blank", "furniture")]
    index = 0
    while index < len(order):
        if order[index].role != "table":
            index += 1
            continue
        end = index
        while end + 1 < len(order) and order[end + 1].role == "table" and order[end + 1].sheet == order[index].sheet:
            end += 1
        start = _extend_up(order, index)
        tables.extend(regroup(_table(order, start, end, path, tables)))
        index = end + 1
    return tables


def _strong_row(line: SourceLine) -> bool:
    text = line.stripped
    if line.spans is None and ("|" in text or "｜" in text or "\t" in text):
        # a stray bar before a paragraph (“| 牟定县2017年……”, left by a page's table) is not a row
        return not any(display_width(cell) > PROSE_CELL and has_prose(cell) for cell, _ in line.cells)
    if has_prose(text):
        return False
    numeric = sum(is_numeric_cell(cell) for cell, _ in line.cells)
    if len(line.cells) >= 3 and all(display_width(cell) <= 30 for cell, _ in line.cells):
        return True
    return numeric >= 1 and (len(line.cells) >= 2 or numeric == len(line.cells))


def _tableish(line: SourceLine) -> bool:
    """A line that may belong to a table around it: short, no sentence punctuation."""
    if line.role != "body" or has_prose(line.stripped):
        return False
    cells = [cell for cell, _ in line.cells] or [line.stripped]
    return display_width("".join(cells)) <= SHORT or len(cells) >= 2 and all(display_width(c) <= 24 for c in cells)


def _after_captions(lines: list[SourceLine]) -> None:
    """The cell lines under a caption and its unit line are a table even with no amount in them."""
    inked = [line for line in lines if line.role not in ("blank", "furniture")]
    for index, line in enumerate(inked):
        if line.role != "body" or not (UNIT.search(line.stripped) or META.match(line.stripped)):
            continue
        above = index - 1
        while above > 0 and index - above < CAPTION_LINES and META.match(inked[above].stripped):
            above -= 1      # “公开01表 / 部门：某中心 / 金额单位：万元”
        if not (index and above >= 0 and CAPTION.search(inked[above].stripped)):
            continue
        for following in inked[index + 1:]:
            if following.role == "table" and following.sheet == line.sheet:
                continue
            if following.sheet != line.sheet or following.role != "body" or not _tableish(following):
                break
            if starts_heading(following.stripped) and len(following.cells) < 2:
                break
            text = following.stripped
            if CAPTION.search(text) or META.match(text) or UNIT.search(text):
                break       # the caption block goes on (“部门：某局 / 公开01表 / 金额单位：万元”)
            following.role = "table"


def _fill_between(lines: list[SourceLine]) -> None:
    """Lines between two rows of the same page are rows too when they look like cells."""
    inked = [line for line in lines if line.role not in ("blank", "furniture")]
    last = None
    for index, line in enumerate(inked):
        if line.role != "table":
            continue
        if last is not None and inked[last].sheet == line.sheet:
            between = inked[last + 1:index]
            if between and all(_tableish(b) for b in between):
                for b in between:
                    b.role = "table"
        last = index


def _extend_up(order: list[SourceLine], index: int) -> int:
    """Take the header lines above a table's first row into the table."""
    start = index
    for back in range(index - 1, max(index - 1 - HEADER_LINES, -1), -1):
        line = order[back]
        if line.sheet != order[index].sheet or not _tableish(line) or starts_heading(line.stripped):
            break
        if CAPTION.search(line.stripped) or META.match(line.stripped) or UNIT.search(line.stripped):
            break
        if len(line.cells) < 2 and display_width(line.stripped) > 20:
            break
        line.role = "table"
        start = back
    return start


def _table(order: list[SourceLine], start: int, end: int, path: str, tables: list[Table]) -> Table:
    """A table of the rows order[start:end+1], with the caption and unit found just above."""
    first = order[start]
    title, unit, caption = "", "", None
    for back in range(start - 1, max(start - 1 - CAPTION_LINES, -1), -1):
        line = order[back]
        if line.sheet != first.sheet or line.role != "body":
            break
        text = line.stripped
        found = UNIT.search(text)
        if found or META.match(text):
            unit = unit or (found.group(1) if found else "")
            line.role = "caption"
            continue
        if CAPTION.search(text) and not has_prose(text) and display_width(text) <= 80:
            title, caption = text, line
            line.role = "caption"
            unit = unit or (m.group(1) if (m := UNIT.search(text)) else "")
        break
    rows = order[start:end + 1]
    for row in rows:
        if not unit and (m := UNIT.search(row.stripped)):
            unit = m.group(1)
    if not title and tables and _top_of_page(order, start):
        title, unit = tables[-1].title, unit or tables[-1].unit   # a table continued from the page before
    table_rows = [TableRow(tuple(c for c, _ in row.cells) or (row.stripped,),
                           Location(path, row.number, row.cells[0][1] if row.cells else 1, row.page),
                           tuple(Location(path, row.number, column, row.page) for _, column in row.cells))
                  for row in rows]
    anchor = caption or first
    return Table(title, unit, table_rows, Location(path, anchor.number, 1, anchor.page))


def _top_of_page(order: list[SourceLine], start: int) -> bool:
    return start == 0 or order[start - 1].sheet != order[start].sheet
