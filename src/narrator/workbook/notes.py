"""Reading the optional 说明 sheet of a workbook into the figures (``narrator import``).

Each filled row's key (表 + 编码或名称 + 项目) is looked up among the slots of the imported
figures (:mod:`narrator.workbook.slots`) and its 内容 written there, over whatever ``--keep``
brought (the sheet is the newer word); an empty 内容 changes nothing. A row whose key matches
nothing, a text without a key, or one place given two different texts is bad input: every such
row is reported with its sheet, row and column, and nothing is written (exit 2).

On this path the clerk never opens the figures file, so what the text still lacks is said in the
sheet's terms too: a reason the document needs that the sheet leaves empty is a warning at its
内容 cell (or, when the sheet has no such row — it was made before a table changed — at the sheet,
naming the row to add), not only the render's warning at a line of YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import Finding, Location, NarratorError
from ..intake.figures import LoadedFigures
from .layout import normalize
from .sheet import cell_ref
from ..numbers import format_amount
from .slots import Slot, SheetSpec, catalogue, clean_text, sheet_spec, slot_key, table_key
from .wanted import Wanted, wanted_texts


@dataclass
class Note:
    """One filled row of the sheet and the slot it was written to."""

    row: int
    column: int          # the 内容 column
    slot: Slot
    written: bool = True  # False: the row is in the sheet, its 内容 left empty
    marked: str = ""      # its 需说明 cell, as the sheet says (made from the figures of that day)


def find_sheet(book: Any, spec: SheetSpec) -> Any | None:
    """The 说明 worksheet (its name compared loosely), or None."""
    return next((ws for ws in book.worksheets if normalize(ws.title) == normalize(spec.sheet)), None)


def _header(rows: list[tuple[Any, ...]], spec: SheetSpec) -> tuple[int, dict[str, int]] | None:
    """The header row (1-based) and the column of each known header, if the sheet has one."""
    wanted = {normalize(text): key for key, text in spec.columns.items()}
    for number, row in enumerate(rows[:spec.header_search_rows], start=1):
        columns = {wanted[normalize(v)]: c for c, v in enumerate(row, start=1) if normalize(v) in wanted}
        if all(k in columns for k in spec.required_columns):
            return number, columns
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_notes(book: Any, figures: dict[str, Any], shown: str) -> list[Note]:
    """Write the texts of the workbook's 说明 sheet into the figures tree; the rows written."""
    spec = sheet_spec()
    ws = find_sheet(book, spec)
    if ws is None:
        return []
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    if not any(_text(v) for row in rows for v in row):
        return []  # an empty 说明 sheet: nothing written yet
    place = f"工作表“{ws.title}”"
    found = _header(rows, spec)
    if found is None:
        heads = "、".join(f"“{spec.columns[k]}”" for k in spec.required_columns)
        raise NarratorError.at(Location(shown, 1, 1), "header-missing",
                               f"{place}A1：前 {spec.header_search_rows} 行中找不到表头 {heads}"
                               "（可用 narrator form 重新生成这张工作表）")
    top, columns = found
    slots = {s.ident: s for s in catalogue(figures)}
    items = "、".join(i.label for i in spec.items.values())
    problems: list[Finding] = []
    seen: dict[tuple[str, str, str], tuple[int, str]] = {}
    notes: list[Note] = []

    def cell(row: tuple[Any, ...], key: str) -> Any:
        column = columns.get(key)
        return row[column - 1] if column and column <= len(row) else None

    def problem(number: int, key: str, rule: str, message: str) -> None:
        column = columns[key]
        problems.append(Finding(Location(shown, number, column), "error", rule,
                                f"{place}{cell_ref(number, column)}：{message}"))

    for number, row in enumerate(rows[top:], start=top + 1):
        table, key, item, text = (_text(cell(row, k)) for k in ("table", "key", "item", "text"))
        if not text:  # a row not (yet) filled in, or a blank row
            empty = slots.get(slot_key(table, cell(row, "key"), item)) if table and key and item else None
            if empty is not None:
                notes.append(Note(number, columns["text"], empty, False, _text(cell(row, "need"))))
            continue
        if not (table and key and item):
            missing = next(k for k, v in (("table", table), ("key", key), ("item", item)) if not v)
            problem(number, missing, "note-key-missing",
                    f"有内容，但“{spec.columns[missing]}”是空的：不知道这段文字属于哪一处")
            continue
        ident = slot_key(table, cell(row, "key"), item)
        slot = slots.get(ident)
        if slot is None:
            problems.append(_unknown(shown, place, number, columns, spec, slots, ident, (table, key, item), items))
            continue
        clean = clean_text(text, slot.item)
        if ident in seen and seen[ident][1] != clean:
            problem(number, "text", "note-twice",
                    f"“{table} {key} {item}”在第 {seen[ident][0]} 行已填写了不同的内容，请只留一行")
            continue
        if len(clean) > slot.item.max:
            problem(number, "text", "note-too-long", f"{slot.item.label}有 {len(clean)} 个字，超过 {slot.item.max} 字")
            continue
        seen[ident] = (number, clean)
        slot.write(clean)
        notes.append(Note(number, columns["text"], slot))
    if problems:
        raise NarratorError(problems)
    return notes


def _unknown(shown: str, place: str, number: int, columns: dict[str, int], spec: SheetSpec,
             slots: dict[tuple[str, str, str], Slot], ident: tuple[str, str, str], typed: tuple[str, str, str],
             items: str) -> Finding:
    """Which part of a row's key matches nothing, said at that cell."""
    table, key, item = typed
    tables = list(dict.fromkeys(s.table for s in slots.values()))
    if not any(s[0] == ident[0] for s in slots):
        column, message = "table", f"“{table}”不是可填写说明的表（可填：{'、'.join(tables)}）"
    elif not any(s[:2] == ident[:2] for s in slots):
        column, message = "key", f"{table_key(table)}中没有“{key}”（编码或名称与数据文件中的都对不上，是否改动过？）"
    elif spec.item_by_label(item) is None:
        column, message = "item", f"“{item}”不是可填写的项目（可填：{items}）"
    else:
        allowed = "、".join(s.item.label for s in slots.values() if s.ident[:2] == ident[:2])
        column, message = "item", f"{table_key(table)}“{key}”没有“{item}”这一项（可填：{allowed}）"
    where = columns[column]
    return Finding(Location(shown, number, where), "error", "note-unknown-key", f"{place}{cell_ref(number, where)}：{message}")


def unused_notes(notes: list[Note], loaded: LoadedFigures, format_name: str, shown: str) -> list[Finding]:
    """What the sheet says that the text will not print, and what the text needs that it leaves empty.

    A warning each, if the figures can be rendered (else the render says why they cannot).
    """
    if not notes:
        return []
    try:
        wanted = wanted_texts(loaded, format_name)
    except NarratorError:
        return []  # the figures cannot be rendered yet (a prior missing …): render will say why
    return _unused(notes, wanted, format_name, shown) + _missing(notes, wanted, loaded, shown)


def _unused(notes: list[Note], wanted: Wanted, format_name: str, shown: str) -> list[Finding]:
    findings = []
    for note in notes:
        slot = note.slot
        if not note.written:
            continue
        if slot.kind in ("classes", "other_notes") or wanted.used(slot.records, slot.item.field):
            continue
        findings.append(Finding(Location(shown, note.row, note.column), "warning", "note-unused",
                                f"工作表“{sheet_spec().sheet}”{cell_ref(note.row, note.column)}：{slot.table}"
                                f"“{_shown(slot)}”的{slot.item.label}在格式 {format_name} 的文字中用不到"
                                "（文中不会出现），请确认是否填错了行"))
    return findings


def _shown(slot: Slot) -> str:
    """A row as the clerk finds it in the sheet: the code and its name (“2080505 机关事业单位…”)."""
    return f"{slot.key} {slot.name}" if slot.name and slot.name != slot.key else slot.key


def _missing(notes: list[Note], wanted: Wanted, loaded: LoadedFigures, shown: str) -> list[Finding]:
    """Texts the document cannot do without, empty in the figures: a warning at each one's row of the
    sheet, and one for all those the sheet has no row for."""
    spec = sheet_spec()
    rows = {note.slot.ident: note for note in notes}
    findings, absent = [], []
    for slot in catalogue(loaded.model.model_dump(mode="python")):
        if slot.text or not wanted.required(slot.records, slot.item.field):
            continue
        amount, prior, change = wanted.amounts(slot.records[0])
        numbers = "" if amount is None or prior is None or change is None else \
            f"（本年 {format_amount(amount)}，上年 {format_amount(prior)}，增减 {format_amount(change)}）"
        what = f"{slot.table}“{_shown(slot)}”的{slot.item.label}{numbers}"
        note = rows.get(slot.ident)
        if note is None:
            absent.append(what)
            continue
        stale = "（此行“需说明”为“否”，是按改动前的数生成的）" if note.marked == spec.need_words[False] else ""
        findings.append(Finding(Location(shown, note.row, note.column), "warning", "note-missing",
                                f"工作表“{spec.sheet}”{cell_ref(note.row, note.column)}：{what}没有填写，"
                                f"生成的文字将略去这一句{stale}"))
    if absent:
        findings.append(Finding(Location(shown), "warning", "note-missing",
                                f"工作表“{spec.sheet}”中没有这些要说明的行，生成的文字将略去它们：{'、'.join(absent)}；"
                                "请在表下的空行补上（表、编码或名称、项目三列照上面的写法），或用 narrator form 重新生成工作表"))
    return findings
