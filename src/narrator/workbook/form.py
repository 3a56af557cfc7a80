"""``narrator form``: the workbook a finance clerk fills in — the 说明 sheet, ready to type into.

One row per text the format's document asks for (found by rendering the figures once, see
:mod:`narrator.workbook.wanted`), with this year's and last year's amounts, whether the text
cannot do without it (需说明), this year's text if there is one, and last year's text for the
same row as a reference (never copied into 内容: last year's reason is last year's). Only the
内容 column (and a few spare rows below) can be typed into; the other cells are locked by sheet
protection without a password, so a slip of the mouse cannot break a key. With ``--workbook``
the tables 表1–表11 come along in the same file, so the clerk imports one file again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import Finding, Location, NarratorError
from ..intake.figures import load_figures
from ..text.formats import DEFAULT_FORMAT
from ..loading.workbooklimits import check_workbook
from .notes import find_sheet
from .prior import last_figures
from .slots import SheetSpec, Slot, catalogue, general_classes, sheet_spec
from .wanted import Wanted, wanted_texts

WIDTHS = {"table": 7, "key": 22, "name": 20, "item": 14, "amount": 11, "prior": 11, "change": 11,
          "need": 8, "text": 60, "last": 40}
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
MISSING_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass
class Form:
    """The workbook's bytes, the rows written and what the clerk should know."""

    data: bytes
    slots: list[Slot]
    needed: dict[tuple[str, str, str], bool | None]
    findings: list[Finding] = field(default_factory=list)


def rows_to_fill(slots: list[Slot], wanted: Wanted | None, tree: dict[str, Any]) -> list[Slot]:
    """The slots worth a row: what the document asks for, what is filled in, every general 类's purpose."""
    spec = sheet_spec()
    classes = general_classes(tree)
    chosen = []
    for slot in slots:
        ask_only = slot.item.field in (spec.kinds[slot.kind].get("ask_only") or ())
        if slot.text or slot.kind == "other_notes" or (slot.kind == "classes" and slot.key in classes):
            chosen.append(slot)
        elif wanted is not None and wanted.used(slot.records, slot.item.field):
            chosen.append(slot)
        elif wanted is None and not ask_only and slot.kind != "classes":
            chosen.append(slot)  # the document could not be rendered: list everything that may be asked
    return chosen


def _last_texts(prior: Path | str | None, format_name: str) -> dict[tuple[str, str, str], str]:
    if prior is None:
        return {}
    # last year's figures file, or last year's filled-in workbook (its 说明 sheet holds the texts)
    tree = last_figures(prior, format_name).model.model_dump(mode="python")
    return {s.ident: s.text for s in catalogue(tree) if s.text}


def _book(workbook: Path | str | None, spec: SheetSpec) -> Any:
    if workbook is None:
        book = Workbook()
        book.remove(book.active)
        return book
    if not Path(workbook).is_file():
        raise NarratorError.at(Location(str(workbook)), "file", "找不到文件")
    check_workbook(workbook, str(workbook))
    try:
        book = load_workbook(workbook)
    except Exception:  # noqa: BLE001 - openpyxl raises InvalidFileException, BadZipFile, KeyError …
        raise NarratorError.at(Location(str(workbook)), "not-a-workbook",
                               "不是可读取的 Excel 工作簿（.xlsx）；.xls 等旧格式请先在 Excel 或 WPS 中另存为 .xlsx") from None
    old = find_sheet(book, spec)
    if old is not None:
        book.remove(old)  # this year's texts are in the figures, and so in the new sheet
    return book


def build_form(figures: Path | str, *, prior: Path | str | None = None, workbook: Path | str | None = None,
               format_name: str = DEFAULT_FORMAT) -> Form:
    """The 说明 workbook for a figures file (in a copy of ``workbook`` when given)."""
    spec = sheet_spec()
    loaded = load_figures(figures, format_name=format_name)
    tree = loaded.model.model_dump(mode="python")
    findings: list[Finding] = []
    try:
        wanted: Wanted | None = wanted_texts(loaded, format_name)
    except NarratorError as error:
        wanted = None
        findings.extend(replace(f, level="warning") for f in error.findings)
        findings.append(Finding(Location(str(figures)), "warning", "form-need-unknown",
                                f"数据文件还不能按格式 {format_name} 生成文字（见上），无法判断哪些行需要说明，"
                                "“需说明”一列空着；补齐后（如导入时加 --prior 上年数据文件）再运行 narrator form"))
    slots = rows_to_fill(catalogue(tree), wanted, tree)
    needed = {s.ident: (wanted.required(s.records, s.item.field) if wanted is not None else None) for s in slots}
    book = _book(workbook, spec)
    ws = book.create_sheet(spec.sheet)
    _write(ws, spec, slots, needed, wanted, _last_texts(prior, format_name))
    book.active = book.worksheets.index(ws)
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    buffer = BytesIO()
    book.save(buffer)
    return Form(buffer.getvalue(), slots, needed, findings)


def _write(ws: Any, spec: SheetSpec, slots: list[Slot], needed: dict, wanted: Wanted | None,
           last: dict[tuple[str, str, str], str]) -> None:
    keys = list(spec.columns)
    col = {key: index for index, key in enumerate(keys, start=1)}
    width = len(keys)
    ws.cell(1, 1, spec.intro).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 75
    for key, column in col.items():
        head = ws.cell(2, column, spec.columns[key])
        head.font, head.fill, head.border = Font(bold=True), HEAD_FILL, BOX
        head.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(column)].width = WIDTHS.get(key, 12)
    limits: dict[int, DataValidation] = {}
    row = 2
    for row, slot in enumerate(slots, start=3):
        amounts = wanted.amounts(slot.records[0]) if wanted is not None else (None, None, None)
        need = needed.get(slot.ident)
        values = {"table": slot.table, "key": slot.key, "name": slot.name, "item": slot.item.label,
                  "amount": amounts[0], "prior": amounts[1], "change": amounts[2],
                  "need": spec.need_words[need] if need is not None else None,
                  "text": slot.text, "last": last.get(slot.ident)}
        for key, column in col.items():
            cell = ws.cell(row, column, values[key])
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=key in ("text", "last", "name", "key"), vertical="top")
            if isinstance(values[key], Decimal):
                cell.number_format = "0.00"
            if key == "key":
                cell.number_format = "@"  # a code stays text, as typed
            if key == "text":
                cell.protection = Protection(locked=False)
                _limit(limits, ws, slot.item.max).add(cell.coordinate)
            else:
                cell.fill = LOCKED_FILL
    _spare(ws, spec, col, row + 1, limits)
    text, need = get_column_letter(col["text"]), get_column_letter(col["need"])
    last_row = row + spec.spare_rows
    ws.conditional_formatting.add(
        f"{text}3:{text}{max(last_row, 3)}",
        FormulaRule(formula=[f'AND(${need}3="{spec.need_words[True]}",LEN(TRIM(${text}3))=0)'], fill=MISSING_FILL))
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(width)}{max(row, 2)}"
    protection = ws.protection
    protection.sheet = True
    protection.autoFilter = protection.formatColumns = protection.formatRows = False  # allowed: filter, widen


def _limit(limits: dict[int, DataValidation], ws: Any, most: int) -> DataValidation:
    """One length check per limit (Excel shows the message when a longer text is typed)."""
    if most not in limits:
        check = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(most), allow_blank=True,
                               showErrorMessage=True, errorTitle="内容过长", error=f"这一项最多 {most} 个字。")
        ws.add_data_validation(check)
        limits[most] = check
    return limits[most]


def _spare(ws: Any, spec: SheetSpec, col: dict[str, int], first: int, limits: dict[int, DataValidation]) -> None:
    """Rows below the list for a text the list does not have: 表 and 项目 chosen from lists."""
    if not spec.spare_rows:
        return
    last = first + spec.spare_rows - 1
    tables = list(dict.fromkeys(str(k["table"]) for k in spec.kinds.values()))
    choices = {"table": tables, "item": [i.label for i in spec.items.values()]}
    for key, options in choices.items():
        letter = get_column_letter(col[key])
        check = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True,
                               showErrorMessage=True, errorTitle="请从列表中选择", error="请从下拉列表中选择。")
        ws.add_data_validation(check)
        check.add(f"{letter}{first}:{letter}{last}")
    longest = max(i.max for i in spec.items.values())
    for row in range(first, last + 1):
        for key in ("table", "key", "item", "text"):
            cell = ws.cell(row, col[key])
            cell.protection = Protection(locked=False)
            cell.border = BOX
            if key == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row, col["key"]).number_format = "@"
    _limit(limits, ws, longest).add(f"{get_column_letter(col['text'])}{first}:{get_column_letter(col['text'])}{last}")
