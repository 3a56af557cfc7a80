"""Bounds on a workbook, checked in its zip before openpyxl loads it.

openpyxl builds every cell in memory: a 20 KB .xlsx with one cell at XFD1048576 (whose
extent the readers then walk) or a 1 MB zip holding 1 GB of text in one cell takes gigabytes.
Budget workbooks are small, so the caps are far above any real one and far below harm.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import Location, NarratorError
from .zipbounds import MAX_UNCOMPRESSED, check_zip

MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_CELLS = 2_000_000

_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3})([0-9]{1,7})\"")
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _refuse(shown: str, why: str) -> NarratorError:
    return NarratorError.at(Location(shown), "workbook-too-large",
                            f"工作簿太大，未读取：{why}；预算公开用的工作簿远小于此，请检查文件（或只保留需要的工作表后另存）")


def check_workbook(path: Path | str, shown: str) -> None:
    """Refuse an .xlsx whose members, sheet extent or cell count exceed the caps (before loading it).

    A file that is not a zip is left to the loader (it says the file is not a workbook)."""
    check_zip(path, lambda why: _refuse(shown, why), lambda: NarratorError.at(
        Location(shown), "not-a-workbook", "工作簿已损坏（压缩的内容与其记录的大小或校验值不符），无法读取"))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        for member in archive.infolist():
            if _SHEET.match(member.filename):
                _check_sheet(archive, member, shown)


def _check_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, shown: str) -> None:
    rows = columns = cells = 0
    # the sizes were checked (declared and real): reading is bounded
    with archive.open(member) as stream:
        data = stream.read(MAX_UNCOMPRESSED + 1)
    for match in _CELL.finditer(data):
        cells += 1
        rows = max(rows, int(match.group(2)))
        columns = max(columns, _column(match.group(1)))
    name = member.filename.rsplit("/", 1)[-1]
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise _refuse(shown, f"工作表 {name} 用到第 {rows} 行、第 {columns} 列（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列）")
    if cells > MAX_CELLS:
        raise _refuse(shown, f"工作表 {name} 有 {cells} 个单元格（最多 {MAX_CELLS} 个）")
