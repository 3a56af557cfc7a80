"""Importing an official 政府收支分类科目 list (.xlsx or .csv) as an edition file.

Finance bureaus issue the year's classification as a spreadsheet: a code column and a name
column (科目编码 | 科目名称), or the code split into 类 | 款 | 项 columns where a 款 row
leaves the 类 empty. Either layout is read; the expenditure codes (功能分类 2xx, 部门预算经济
分类 3xx, 政府预算经济分类 5xx) become an edition file that ``NARRATOR_CLASSIFICATION`` or a figures
file's ``classification:`` puts in use for that year.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding, FormatError, Location
from .reference import KIND_TITLES, kind_of
from .table import LEVELS
from ..lastresort import os_reason

_CODE_HEADERS = ("科目编码", "编码", "代码", "科目代码", "code")
_NAME_HEADERS = ("科目名称", "名称", "name")
_PART_HEADERS = ("类", "款", "项")
_SPACES = re.compile(r"[\s\u3000]+")


@dataclass
class Edition:
    """What an official list held: its expenditure codes and names, and what was left out."""

    source: str
    year: int
    codes: dict[str, str] = field(default_factory=dict)
    skipped: int = 0                      # rows of other tables (收入分类…)
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many codes of each table."""
        counts: dict[str, int] = {}
        for code in self.codes:
            kind = kind_of(code) or ""
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def to_yaml(self) -> str:
        """The edition file's text (deterministic: codes in the order of the list)."""
        lines = [
            f"# {self.year}年政府收支分类科目（支出部分），由 narrator classification import 从",
            f"# {self.source} 生成。用法：数据文件中写 classification: 本文件名，或设环境变量 NARRATOR_CLASSIFICATION 为本文件路径。",
            f"name: {self.year}年政府收支分类科目",
            "kind: edition",
            f"valid_from: {self.year}",
            f"valid_to: {self.year}",
            "sources:",
            f"  issued: {{kind: official, title: {_quoted(self.source)}}}",
            "source: issued",
            "codes:",
        ]
        lines += [f'  "{code}": {_quoted(name)}' for code, name in self.codes.items()]
        return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def import_edition(path: Path, year: int) -> Edition:
    """Read an official list; rows that are not codes (titles, notes, blanks) are passed over."""
    rows = _rows(path)
    edition = Edition(path.name, year)
    header_at, columns = _columns(rows, str(path))
    current: dict[str, str] = {}
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        code, name = _code_and_name(row, columns, current)
        if not code or not name:
            continue
        if len(code) not in LEVELS or not code.isdigit():
            edition.findings.append(Finding(Location(str(path), number, 1), "warning", "edition-code",
                                            f"第 {number} 行的编码 “{code}” 不是 3、5 或 7 位数字，已略过"))
            continue
        if kind_of(code) is None:
            edition.skipped += 1
            continue
        if code in edition.codes and edition.codes[code] != name:
            edition.findings.append(Finding(Location(str(path), number, 1), "warning", "edition-code",
                                            f"科目 {code} 出现两次（“{edition.codes[code]}”“{name}”），用前者"))
            continue
        edition.codes.setdefault(code, name)
    if not edition.codes:
        raise FormatError.at(Location(str(path)), "edition-empty",
                             f"{path.name} 中没有读到支出科目（功能分类 2 开头、经济分类 3 或 5 开头的编码）")
    return edition


MAX_TABLE_BYTES = 20 * 1024 * 1024  # a .csv table of codes: the real ones are a few hundred KB


def _rows(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise FormatError.at(Location(str(path)), "edition-file", f"找不到文件 {path}")
    if suffix == ".csv":
        from ..loading.decoding import decode

        from ..loading.regular import read_regular

        try:
            data = read_regular(path, MAX_TABLE_BYTES)
        except OSError as exc:
            raise FormatError.at(Location(str(path)), "edition-file", f"无法读取文件：{os_reason(exc)}") from None
        text = decode(data, str(path))
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        from ..loading.workbooklimits import check_workbook

        check_workbook(path, str(path))
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook is bad input
            raise FormatError.at(Location(str(path)), "edition-file",
                                 "无法读取 Excel 文件（已损坏，或不是 .xlsx 格式）") from None
        rows = []
        for sheet in book.worksheets:  # an edition may put each table on its own sheet
            rows += [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
        return rows
    raise FormatError.at(Location(str(path)), "edition-file",
                         f"不支持的文件类型 {suffix or '（无扩展名）'}；可用 .xlsx 或 .csv（另存为即可）")


def _columns(rows: list[list[str]], shown: str) -> tuple[int, dict[str, int]]:
    """The header row and the columns of code, name or 类/款/项 parts."""
    for index, row in enumerate(rows[:50]):
        cells = [_SPACES.sub("", cell) for cell in row]
        name = next((i for i, c in enumerate(cells) if c in _NAME_HEADERS), None)
        if name is None:
            continue
        code = next((i for i, c in enumerate(cells) if c in _CODE_HEADERS), None)
        if code is not None:
            return index, {"code": code, "name": name}
        parts = [next((i for i, c in enumerate(cells) if c == p), None) for p in _PART_HEADERS]
        if None not in parts:
            return index, {"name": name, **dict(zip(_PART_HEADERS, parts))}
    raise FormatError.at(Location(shown, 1, 1), "edition-columns",
                         "没有找到表头：应有 “科目编码” 与 “科目名称” 两列，或 “类”“款”“项” 与 “科目名称” 列")


def _code_and_name(row: list[str], columns: dict[str, int], current: dict[str, str]) -> tuple[str, str]:
    def cell(key: str) -> str:
        index = columns[key]
        return _SPACES.sub("", row[index]) if index < len(row) else ""

    name = cell("name")
    if "code" in columns:
        return cell("code").removesuffix(".0"), name
    parts = [cell(p).removesuffix(".0") for p in _PART_HEADERS]
    if parts[0]:
        current.clear()
        current["类"] = parts[0]
    if parts[1]:
        current["款"] = parts[1].zfill(2)
    if not any(parts):
        return "", name
    code = current.get("类", "")
    if parts[1] or parts[2]:
        code += current.get("款", "")
    if parts[2]:
        code += parts[2].zfill(2)
    return code, name


def edition_summary(edition: Edition) -> str:
    """One line for the user: how many codes of which tables."""
    counts = edition.counts()
    parts = [f"{KIND_TITLES[k]} {n} 个" for k, n in counts.items() if k in KIND_TITLES]
    skipped = f"；其他（收入分类等）{edition.skipped} 行未收" if edition.skipped else ""
    return f"读入 {len(edition.codes)} 个支出科目（{'，'.join(parts)}）{skipped}"
