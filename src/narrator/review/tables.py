"""The document's own tables read into amounts: which subject, which column, how much (万元).

:func:`table_amounts` reads the :class:`~narrator.reading.Table` objects a reader found into
:class:`TableFacts`: every row's subject (a 支出功能分类 or 经济分类 code with its official name,
an income source, a “三公” item, a total) and its amounts in 万元, exact, with the number of
decimals as printed (in 万元) so that checks can allow for rounding. Which title and header means
which table and column is data (:mod:`narrator.review.tablespec`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from itertools import combinations

from ..classification import load_classification
from ..errors import Location
from ..numbers import ZERO_MARKS
from ..reading import Table
from .tablespec import Column, Layout, Role, Spec, display, key, load_spec

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_CODE_PART = re.compile(r"^\d{2,3}$|^\d{5}$|^\d{7}$")
_CODE_NEXT = re.compile(r"^\d{1,2}$")
_NUMBER_ROW = re.compile(r"^(※|\*|\d{1,2})$")
_LEADING_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*(\D.*)$")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、．]\D|[(（][一二三四五六七八九十]+[)）])")
_CLEAR_AMOUNT = r"-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)"
# not “1 一般……” (a list number) nor “2025 年……” (a year)
_GLUED_BEFORE = re.compile(rf"^({_CLEAR_AMOUNT}|0|\d{{3,}})\s+(?![年月])(\D.*)$")
_GLUED_AFTER = re.compile(rf"^(.*\S)\s+({_CLEAR_AMOUNT})$")
_GLUED_CODE = re.compile(r"^(\d{2})\s+(\D.*)$")        # “201 06 01 行政运行” with one space before the name
_NUMBERS = re.compile(r"^-?[\d,]+(\.\d+)?(\s+-?[\d,]+(\.\d+)?)+$")
_SCALE = {"元": Decimal("0.0001"), "万元": Decimal(1), "": Decimal(1)}


@dataclass(frozen=True)
class Cell:
    """One printed amount: in 万元, with its decimals in 万元; ``column`` when the header says which."""

    amount: Decimal
    digits: int
    column: int | None = None


@dataclass
class Entry:
    """One subject of a row (a row of a two-sided table holds two)."""

    subject: str                       # official or canonical name
    printed: str                       # the name as printed
    code: str | None
    kind: str                          # functional | economic | total | item | columns
    cells: list[Cell | None]           # None: an empty cell kept by the reader
    location: Location
    side: str = ""                     # income | spending in two-sided tables
    detail: str = ""                   # further text (a project's name)
    layout: Layout | None = None
    complete: bool = False             # every column's cell is known (printed or known empty)

    def cell(self, column: int) -> Cell | None:
        """The printed cell of a column, None when empty or not known."""
        for c in self.cells:
            if c is not None and c.column == column:
                return c
        return None

    def known(self, column: int) -> bool:
        """Whether this entry's amount in ``column`` is known (printed, or known to be empty)."""
        return self.complete or self.cell(column) is not None


@dataclass
class ReadTable:
    """A table with its role, unit and entries (continuation pages joined)."""

    title: str
    role: Role | None
    unit: str
    entries: list[Entry] = field(default_factory=list)
    header: str = ""
    location: Location | None = None
    orphans: int = 0                   # rows of amounts with no subject (a name the reader lost)


@dataclass(frozen=True)
class TableAmount:
    """One amount of a table: subject, column and value in 万元 (``digits`` decimals as printed)."""

    subject: str
    code: str | None
    column: str
    amount: Decimal
    digits: int
    table: str
    location: Location
    role: str = "current"              # current | prior | budget
    main: bool = True                  # the subject's own amount (not a part column of its row)
    unit: str = "万元"


@dataclass
class TableFacts:
    """Everything read from the tables, and lookups by subject."""

    tables: list[ReadTable] = field(default_factory=list)
    amounts: list[TableAmount] = field(default_factory=list)

    def lookup(self, subject_name: str | None = None, code: str | None = None) -> list[TableAmount]:
        """Amounts of a subject: by code when given, else by name (aliases and former names apply)."""
        if code:
            return [a for a in self.amounts if a.code == code]
        if not subject_name:
            return []
        wanted = key(load_spec().canonical(subject_name))
        return [a for a in self.amounts if wanted in _subject_keys(a)]


def _subject_keys(amount: TableAmount) -> set[str]:
    keys = {key(amount.subject)}
    if amount.code:
        table = _classification(amount.code)
        if table is not None and amount.code in table:
            keys |= {key(n) for n in table.all_names(amount.code)}
    return keys


def _classification(code: str):
    if code[0] == "2":
        return load_classification("functional")
    if code[0] in "35":
        return load_classification("economic")
    return None


@cache
def _class_codes() -> dict[str, str]:
    """类 names (current and former) → their 3-digit code, for tables that print a 类 without it."""
    functional = load_classification("functional")
    codes: dict[str, set[str]] = {}
    for code in (c for c in functional.names if len(c) == 3):
        for name in functional.all_names(code):
            codes.setdefault(name, set()).add(code)
    return {name: next(iter(found)) for name, found in codes.items() if len(found) == 1}


def _amount(text: str, scale: Decimal) -> Cell | None:
    """The cell's amount, or None when the text is not an amount."""
    text = text.translate(_FULLWIDTH).replace(" ", "")
    if text in ZERO_MARKS and text:
        return Cell(Decimal(0), 2 + (4 if scale != 1 else 0))
    if not _AMOUNT.match(text):
        return None
    value = Decimal(text.replace(",", ""))
    digits = max(-value.as_tuple().exponent, 0) + (4 if scale != 1 else 0)
    return Cell(value * scale, digits)


def _segments(cells: tuple[str, ...], scale: Decimal) -> list[tuple[list[str], list[str], list[Cell | None]]]:
    """The row split into (codes, texts, cells) runs: a text after amounts starts a new run."""
    runs: list[tuple[list[str], list[str], list[Cell | None]]] = []
    texts_of = [part for c in cells for part in _split_glued(c.strip())]
    for index, text in enumerate(texts_of):
        current = runs[-1] if runs else None
        if not text:
            if current is not None and (current[1] or current[2]):
                current[2].append(None)
            continue
        if current is not None and current[0] and not (current[1] or current[2]) and _CODE_NEXT.match(text):
            current[0].append(text.zfill(2))   # a 款 or 项 part, sometimes printed without its 0 (“301 2”)
            continue
        if _CODE_PART.match(text) and (current is None or not (current[1] or current[2])
                                       or (current[2] and _opens_code(texts_of, index, scale))):
            if current is None or current[1] or current[2]:
                runs.append(([], [], []))
            runs[-1][0].append(text)
            continue
        cell = _amount(text, scale)
        if cell is not None:
            if current is None:
                runs.append(([], [], []))
            runs[-1][2].append(cell)
        elif current is None or current[2] or (current[1] and _starts_item(text)):
            runs.append(([], [text], []))
        else:
            current[1].append(text)
    return runs


def _opens_code(tokens: list[str], index: int, scale: Decimal) -> bool:
    """Whether a 3/5/7-digit token after amounts begins the next subject rather than being an amount.

    It does when a name follows it (“… 1,102,300 | 206 | 科学技术支出”), or, for a 类 code, when
    a 款 part follows and then a 项 part or a name (“… 0 | 208 | 05 | 01 | 行政单位离退休”).
    """
    following = [t for t in tokens[index + 1:index + 4] if t]
    if not following:
        return False
    first = following[0]
    if not _CODE_PART.match(first) and _amount(first, scale) is None:
        return True
    if len(tokens[index]) != 3 or not re.fullmatch(r"\d{2}", first) or len(following) < 2:
        return False
    second = following[1]
    return bool(re.fullmatch(r"\d{2}", second)) or (not _CODE_PART.match(second) and _amount(second, scale) is None)


def _split_glued(text: str) -> list[str]:
    """A cell that a reader glued to its neighbour (“31,214,205.80 一、一般公共服务支出”), split again.

    Only an amount that cannot be part of a name (with a decimal point or thousands separators), or a
    two-digit code part before a name, is split off.
    """
    if _NUMBERS.match(text):
        return text.split()            # “0 208”: a cell never holds two numbers
    for pattern in (_GLUED_BEFORE, _GLUED_AFTER, _GLUED_CODE):
        glued = pattern.match(text)
        if glued:
            return [part for piece in glued.groups() for part in _split_glued(piece.strip())]
    return [text]


def _starts_item(text: str) -> bool:
    """A text that begins a new subject even right after another text: “208 …”, “二、…”, “支出总计”."""
    compact = re.sub(r"\s+", "", text)
    return bool(_LEADING_CODE.match(text.strip()) or _ORDINAL.match(compact) or key(compact) in load_spec().total_keys)


def _code(parts: list[str]) -> str | None:
    joined = "".join(parts)
    if not parts or len(joined) not in (3, 5, 7) or len(parts[0]) not in (3, 5, 7):
        return None
    return joined


def _entry(spec: Spec, role: Role | None, codes: list[str], texts: list[str], cells: list[Cell | None],
           location: Location) -> Entry | None:
    code = _code(codes)
    printed = texts[0] if texts else ""
    if code is None and printed:
        leading = _LEADING_CODE.match(re.sub(r"\s+", " ", printed.strip()))
        if leading:
            code, printed = leading.group(1), leading.group(2).strip()
    detail = " ".join(texts[1:])
    if code is not None:
        table = _classification(code)
        kind = "functional" if code[0] == "2" else "economic"
        name = table.name(code) if table is not None and code in table else display(key(printed))
        return Entry(name, printed, code, kind, cells, location, detail=detail)
    if printed:
        name_key = key(printed)
        if name_key in spec.total_keys:
            return Entry((role.total if role and role.total and role.shape == "rows" else "") or display(name_key),
                         printed, None, "total", cells, location, detail=detail)
        name = spec.canonical(printed, role)
        class_code = _class_codes().get(name)
        if class_code:
            return Entry(name, printed, class_code, "functional", cells, location, detail=detail)
        return Entry(name, printed, None, "item", cells, location, detail=detail)
    if role is not None and role.column_row:
        return Entry(role.total or "", "", None, "columns", cells, location)
    return None


def _side(entry: Entry, position: int) -> str:
    if entry.kind == "functional":
        return "spending"
    if entry.kind == "total" and ("支出" in entry.printed or "收入" in entry.printed):
        return "spending" if "支出" in entry.printed else "income"
    return "income" if position == 0 else "spending"


def _choose(layouts: tuple[Layout, ...], header: str, widest: int) -> Layout | None:
    """The first layout whose match words are in the header and which has room for every row.

    A header over several lines is read line by line, so a label wrapped inside its cell
    (“政府性基金预 / 算”) comes apart: when no layout's words are found whole, words whose
    characters appear in order are taken.
    """
    for found in (lambda word: word in header, lambda word: _in_order(word, header)):
        for layout in layouts:
            if all(found(key(m)) for m in layout.match) and len(layout.columns) >= widest:
                return layout
    return None


def _in_order(word: str, text: str) -> bool:
    position = 0
    for char in word:
        position = text.find(char, position) + 1
        if not position:
            return False
    return True


def _fits(sums: list[tuple[int, list[int]]], positions: tuple[int, ...], cells: list[Cell]) -> bool:
    """Whether the cells, put in these columns (the others empty), add up as the layout's sums say."""
    placed = dict(zip(positions, cells))
    for total, parts in sums:
        printed = [placed[p] for p in parts if p in placed]
        whole = placed.get(total)
        difference = (whole.amount if whole else 0) - sum((c.amount for c in printed), Decimal(0))
        envelope = sum((_half(c.digits) for c in [*printed, *([whole] if whole else [])]), Decimal(0))
        if abs(difference) > envelope:
            return False
    return True


def _half(digits: int) -> Decimal:
    return Decimal(5).scaleb(-(digits + 1))


def _place(entry: Entry, layout: Layout | None, spec: Spec) -> None:
    """Give each cell its column.

    A row with a cell for every column is read in order. A PDF row drops its empty cells, so a
    shorter row's cells are tried in every order-keeping placement; a cell gets a column only
    when every placement under which the layout's sums hold puts it there.
    """
    entry.layout = layout
    if layout is None:
        return
    width = len(layout.columns)
    while len(entry.cells) > width and entry.cells[0] is None:
        entry.cells = entry.cells[1:]  # an empty text column (a total row's 项目名称) read as a cell
    if len(entry.cells) == width:
        entry.cells = [None if c is None else Cell(c.amount, c.digits, i) for i, c in enumerate(entry.cells)]
        entry.complete = True
        return
    printed = [c for c in entry.cells if c is not None]
    sums = layout.sums(spec.total_keys)
    placements = []
    if sums and len(printed) <= width:
        placements = [p for p in combinations(range(width), len(printed)) if _fits(sums, p, printed)]
    if placements:
        columns = [{p[i] for p in placements} for i in range(len(printed))]
        entry.cells = [Cell(c.amount, c.digits, next(iter(s)) if len(s) == 1 else None) for c, s in zip(printed, columns)]
        entry.complete = len(placements) == 1
    elif printed and layout.first_is_total(spec.total_keys):
        entry.cells = [Cell(printed[0].amount, printed[0].digits, 0), *printed[1:]]


def read_table(table: Table, spec: Spec | None = None, role: Role | None = None) -> ReadTable:
    """One table's entries, columns placed by the role's layouts."""
    spec = spec or load_spec()
    role = role if role is not None else spec.role_for(table.title)
    scale = _SCALE.get(table.unit.strip(), Decimal(1))
    result = ReadTable(table.title, role, table.unit.strip(), location=table.location)
    header: list[str] = []
    for row in table.rows:
        filled = [c.strip() for c in row.cells if c.strip()]
        if filled and all(_NUMBER_ROW.match(c) for c in filled):
            continue                   # the “※ 1 2 3” column-number row
        runs = _segments(row.cells, scale)
        if not any(c is not None for run in runs for c in run[2]):
            if not result.entries:     # the header is above the first row of amounts (a note below is not)
                header.extend(filled)
            continue
        for position, (codes, texts, cells) in enumerate(runs):
            if not any(c is not None for c in cells):
                continue
            entry = _entry(spec, role, codes, texts, cells, row.location)
            if entry is None:
                result.orphans += 1
            else:
                entry.side = _side(entry, position) if role is not None and role.shape == "sides" else ""
                result.entries.append(entry)
    result.header = key("".join(header))
    _place_all(result, spec)
    return result


def _place_all(table: ReadTable, spec: Spec) -> None:
    role = table.role
    if role is None:
        return
    groups = ("income", "spending") if role.shape == "sides" else ("",)
    for side in groups:
        entries = [e for e in table.entries if e.side == side]
        layouts = role.sides.get(side, ()) if side else role.layouts
        widest = max((len(_lstrip(e.cells)) for e in entries), default=0)
        layout = _choose(layouts, table.header, widest)
        for entry in entries:
            _place(entry, layout, spec)


def _lstrip(cells: list[Cell | None]) -> list[Cell | None]:
    first = next((i for i, c in enumerate(cells) if c is not None), len(cells))
    return cells[first:]


def _joined(tables: list[Table], spec: Spec) -> list[tuple[Table, Role | None]]:
    """Tables with continuation pages joined: an untitled table, or the same role again, continues."""
    joined: list[tuple[Table, Role | None]] = []
    for table in tables:
        role = spec.role_for(table.title)
        if joined and (not table.title.strip() or (role is not None and role is joined[-1][1])):
            previous = joined[-1][0]
            joined[-1] = (Table(previous.title, previous.unit or table.unit, [*previous.rows, *table.rows],
                                previous.location), joined[-1][1])
        else:
            joined.append((table, role))
    return joined


def table_amounts(tables: list[Table]) -> TableFacts:
    """Read every table of a document into amounts (万元) by subject and column."""
    spec = load_spec()
    facts = TableFacts()
    for table, role in _joined(list(tables), spec):
        read = read_table(table, spec, role)
        facts.tables.append(read)
        facts.amounts.extend(_amounts_of(read, spec))
    return facts


def _amounts_of(table: ReadTable, spec: Spec) -> list[TableAmount]:
    result = []
    unit = table.unit
    for entry in table.entries:
        layout = entry.layout
        columns: tuple[Column, ...] = layout.columns if layout else ()
        roles_seen: set[str] = set()
        for cell in entry.cells:
            if cell is None or cell.column is None:
                continue
            column = columns[cell.column]
            main = column.role not in roles_seen
            roles_seen.add(column.role)
            subject = entry.subject
            if entry.kind in ("total", "columns") and cell.column > 0:
                subject, main = spec.canonical(column.name, table.role), True
            if not subject:
                continue
            result.append(TableAmount(subject, entry.code, column.name, cell.amount, cell.digits, table.title,
                                      entry.location, column.role, main, unit))
    return result
