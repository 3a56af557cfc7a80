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

from ..classification import kind_of, load_classification
from ..errors import Location
from ..reading import Table
from .tablecells import LEADING_CODE, Cell, Entry, amount_cell, code_of, segments
from .tableplace import choose_layout, leading_trimmed, place_cells
from .tablespec import Column, Role, Spec, display, key, load_spec

__all__ = ["Cell", "Entry", "ReadTable", "TableAmount", "TableFacts", "read_table", "table_amounts"]

_NUMBER_ROW = re.compile(r"^(※|\*|\d{1,2})$")
_PATH_MARK = re.compile(r"[(（](类|款|项)[)）]|[“”\"]")
_TRAILING = re.compile(r"(预算数|决算数|预算|决算|安排|合计)?为?$")
_SCALE = {"元": Decimal("0.0001"), "万元": Decimal(1), "": Decimal(1)}


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
    scope: str = ""                    # whose money the column counts (all, fiscal, general …), from the data


@dataclass
class TableFacts:
    """Everything read from the tables, and lookups by subject."""

    tables: list[ReadTable] = field(default_factory=list)
    amounts: list[TableAmount] = field(default_factory=list)
    _path_index: dict[str, str] | None = field(default=None, repr=False)

    def lookup(self, subject_name: str | None = None, code: str | None = None) -> list[TableAmount]:
        """Amounts of a subject: by code when given, else by name.

        A name may be an alias or a former name, and may be written as its path (“一般公共服务支出
        （类）财政事务（款）行政运行（项）”, or the three names run together): the path finds the
        项 under its own 款, where the 项 name alone (行政运行) could be any 款's.
        """
        if code:
            return [a for a in self.amounts if a.code == code]
        if not subject_name:
            return []
        name = _PATH_MARK.sub("", subject_name).replace("其它", "其他")
        wanted = key(load_spec().canonical(name))
        found = [a for a in self.amounts if wanted in _subject_keys(a)]
        if found:
            return found
        by_path = self._paths().get(wanted)
        if by_path:
            return [a for a in self.amounts if a.code == by_path]
        return self._by_ending(key(load_spec().canonical(_TRAILING.sub("", wanted))))

    def _by_ending(self, wanted: str) -> list[TableAmount]:
        """A subject written with words around it (“某局财政拨款机关运行经费预算为”): the longest
        subject of the tables (four characters or more) that the words end with; quotes aside."""
        bare = wanted.replace('"', "")
        endings = {k for a in self.amounts for k in _subject_keys(a)
                   if len(k.replace('"', "")) >= 4 and bare.endswith(k.replace('"', ""))}
        if not endings:
            return []
        longest = max(endings, key=len)
        return [a for a in self.amounts if longest in _subject_keys(a)]

    def _paths(self) -> dict[str, str]:
        """The names of a code's 类, 款 and 项 run together (each in any of its forms) → the code."""
        if self._path_index is None:
            names: dict[str, set[str]] = {}
            for amount in self.amounts:
                if amount.code and amount.code[0] == "2":
                    names.setdefault(amount.code, set()).update(_subject_keys(amount))
            index: dict[str, str] = {}
            for code in names:
                prefixes = [""]
                for length in range(3, len(code) + 1, 2):
                    parts = names.get(code[:length]) or set()
                    prefixes = [p + n for p in prefixes for n in parts]
                index.update((p, code) for p in prefixes if len(code) > 3)
            self._path_index = index
        return self._path_index


def _subject_keys(amount: TableAmount) -> set[str]:
    keys = {key(amount.subject)}
    if amount.code:
        table = _classification(amount.code)
        if table is not None and amount.code in table:
            keys |= {key(n) for n in table.all_names(amount.code)}
    return keys


def _classification(code: str):
    kind = kind_of(code)
    return load_classification(kind) if kind else None


@cache
def _class_codes() -> dict[str, str]:
    """类 names (current and former) → their 3-digit code, for tables that print a 类 without it."""
    functional = load_classification("functional")
    codes: dict[str, set[str]] = {}
    for code in (c for c in functional.names if len(c) == 3):
        for name in functional.all_names(code):
            codes.setdefault(name, set()).add(code)
    return {name: next(iter(found)) for name, found in codes.items() if len(found) == 1}


def _entry(spec: Spec, role: Role | None, codes: list[str], texts: list[str], cells: list[Cell | None],
           location: Location) -> Entry | None:
    code = code_of(codes)
    printed = texts[0] if texts else ""
    if code is None and printed:
        leading = LEADING_CODE.match(re.sub(r"\s+", " ", printed.strip()))
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


def _column_numbers(cells: list[str]) -> bool:
    """The “※ 1 2 3” row that numbers the columns (not a row of small whole amounts: 79 0 75 …)."""
    if not all(_NUMBER_ROW.match(c) for c in cells):
        return False
    numbers = [int(c) for c in cells if c.isdigit()]
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def read_table(table: Table, spec: Spec | None = None, role: Role | None = None) -> ReadTable:
    """One table's entries, columns placed by the role's layouts."""
    spec = spec or load_spec()
    role = role if role is not None else spec.role_for(table.title)
    scale = _SCALE.get(table.unit.strip(), Decimal(1))
    result = ReadTable(table.title, role, table.unit.strip(), location=table.location)
    header: list[str] = []
    for row in table.rows:
        filled = [c.strip() for c in row.cells if c.strip()]
        if filled and _column_numbers(filled):
            continue                   # the “※ 1 2 3” column-number row
        runs = segments(row.cells, scale)
        if role is not None and role.column_row and len(filled) >= 3 and header \
                and all(amount_cell(c, scale) is not None for c in filled):
            # a row of bare amounts under the header's names (79 0 75 50 25 4): whole 万元 that
            # would pass for code parts elsewhere
            runs = [([], [], [amount_cell(c, scale) for c in filled])]
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
        widest = max((len(leading_trimmed(e.cells)) for e in entries), default=0)
        layout = choose_layout(layouts, table.header, widest)
        for entry in entries:
            place_cells(entry, layout, spec)


def _header_of(table: Table) -> str:
    """The words above a table's first row of amounts (its header), compared loosely."""
    words: list[str] = []
    scale = _SCALE.get(table.unit.strip(), Decimal(1))
    for row in table.rows:
        if any(c is not None for run in segments(row.cells, scale) for c in run[2]):
            break
        words.extend(c.strip() for c in row.cells if not _NUMBER_ROW.match(c.strip()))
    return key("".join(words))


def _continues(table: Table, role: Role | None, previous: Table, previous_role: Role | None) -> bool:
    """A table that goes on from the one before: the same role again, or untitled with the same
    header (or none) — an untitled table with a header of its own is another table."""
    if role is not None:
        return role is previous_role
    if table.title.strip():
        return False
    header = _header_of(table)
    return not header or header == _header_of(previous)


def _joined(tables: list[Table], spec: Spec) -> list[tuple[Table, Role | None]]:
    """Tables with their continuation pages joined."""
    joined: list[tuple[Table, Role | None]] = []
    for table in tables:
        role = spec.role_for(table.title)
        if joined and _continues(table, role, *joined[-1]):
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
            scope = table.role.scopes.get(key(column.name), "") if table.role else ""
            result.append(TableAmount(subject, entry.code, column.name, cell.amount, cell.digits, table.title,
                                      entry.location, column.role, main, unit, scope))
    return result
