"""Tables that are not one line per code: two side-by-side lists (表1、表4), and one line of figures (上海's “三公”)."""

from __future__ import annotations

from .layout import Layout, label_key
from .lines import LEADING_CODE, Line, TableData, scale_of
from .sheet import find_column

def read_row(data: TableData, columns: dict[str, int], row: int, layout: Layout) -> bool:
    """A table of one line (“三公” printed across): the first line with figures; a second one is reported."""
    sheet = data.sheet
    if data.lines:
        first = data.lines[0].row
        sheet.problem(row, 1, "warning", "unknown-row",
                      f"{data.table.display}只有一行数字（第 {first} 行），第 {row} 行已跳过")
        return True
    amount_keys = [k for k in columns if k not in ("name", "label")]
    values = {k: sheet.amount(row, columns[k], scale_of(data, layout)) for k in amount_keys}
    data.lines.append(Line(row, None, "", values, columns))
    return True


def read_sides(data: TableData, paths: dict[int, list[str]], last: int, layout: Layout) -> None:
    """Each side of a two-sided table (收入 left, 支出 right): its lines by row label or leading code."""
    sheet = data.sheet
    taken: set[int] = set()
    for side, spec in data.table.sides.items():
        label_column = find_column(paths, spec["label"], taken)
        amount_column = find_column(paths, spec["amount"], taken | ({label_column} if label_column else set()))
        if label_column is None or amount_column is None:
            sheet.problem(last, 1, "error", "header-missing",
                          f"{data.table.display}的表头中找不到“{spec['label'][0]}”或“{spec['amount'][0]}”列")
            continue
        taken |= {label_column, amount_column}
        lines: list[Line] = []
        seen: set[str] = set()
        for row in range(last + 1, sheet.rows + 1):
            text = sheet.text(row, label_column)
            if not text:
                continue
            columns = {"name": label_column, "amount": amount_column}
            match = LEADING_CODE.match(text) if spec["codes"] else None
            keys = spec["rows"].get(label_key(text))
            if match:
                code, name = match.group(1), match.group(2)
            elif keys:
                code, name = None, text
            else:
                continue
            marker = code or "/".join(keys)
            if marker in seen:
                continue  # “其中：单位资金” under 上年结转 repeats a label of 本年收入
            seen.add(marker)
            amount = sheet.amount(row, amount_column, scale_of(data, layout))
            lines.append(Line(row, code, name, {"amount": amount}, columns, label="/".join(keys) if keys else None))
        data.sides[side] = lines
