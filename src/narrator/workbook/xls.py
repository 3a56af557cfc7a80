"""Old Excel files (.xls, BIFF8): read with xlrd into the workbook form the .xlsx import reads.

Each sheet is copied into an in-memory openpyxl workbook: cell values as Excel saved them,
merged areas, and number formats (which decide how many decimals an amount is read with), so
that everything after opening the file is the same for .xls and .xlsx. An .xls holds the
result of each formula, never an empty formula cell, so there is nothing to check formulas for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Location, NarratorError

#: The first bytes of an OLE2 compound file, the container of .xls (and .doc) files
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_xls(path: Path | str) -> bool:
    """Whether the file is an old Excel file by its content (a renamed .xlsx is not, and vice versa)."""
    try:
        with open(path, "rb") as stream:
            return stream.read(len(OLE2_MAGIC)) == OLE2_MAGIC
    except OSError:
        return False


def open_xls(path: Path | str) -> Any:
    """The .xls workbook as an openpyxl workbook of values, merged areas and number formats."""
    import xlrd
    from openpyxl import Workbook

    try:
        source = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:  # noqa: BLE001 - xlrd raises XLRDError, CompDocError, struct.error … on bad files
        raise NarratorError.at(Location(str(path)), "not-a-workbook",
                               "不是可读取的 Excel 工作簿（.xls 文件已损坏或加了密码）；"
                               "请在 Excel 或 WPS 中打开、另存为 .xlsx 后再导入") from None
    book = Workbook()
    book.remove(book.active)
    for index in range(source.nsheets):
        _copy_sheet(source, source.sheet_by_index(index), book.create_sheet(source.sheet_names()[index]))
        source.unload_sheet(index)
    return book


def _copy_sheet(source: Any, sheet: Any, target: Any) -> None:
    for row in range(sheet.nrows):
        for column in range(sheet.ncols):
            cell = sheet.cell(row, column)
            value = _value(source, cell)
            if value is None:
                continue
            copied = target.cell(row + 1, column + 1, value)
            number_format = source.format_map[source.xf_list[cell.xf_index].format_key].format_str
            if number_format and number_format != "General":
                copied.number_format = number_format
    for first_row, end_row, first_column, end_column in sheet.merged_cells:
        if end_row - first_row > 1 or end_column - first_column > 1:
            target.merge_cells(start_row=first_row + 1, start_column=first_column + 1,
                               end_row=end_row, end_column=end_column)


def _value(source: Any, cell: Any) -> Any:
    """The cell's value as openpyxl gives it for an .xlsx (a whole number as int)."""
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_NUMBER:
        return int(value) if float(value).is_integer() else value
    if kind == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(value, source.datemode)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#N/A")
    return value
