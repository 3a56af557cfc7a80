"""Checks inside the document's tables that need no text: totals against their parts.

A 类 row against the sum of its 款 rows, a 款 row against its 项 rows, a 合计/总计 row against
the 类 rows, a 合计 column against the other columns of its row (where the layout says which
columns add up), and the rows of a “三公” table named in ``row_sums``. Printed amounts are rounded
cell by cell, so a total may differ from the sum of its n printed parts by up to (n + 1) half
units of the last printed digit (尾差): such a difference is a note, a larger one an error. And a
类/款/项 printed in two tables with columns of the same scope (``scopes`` in the data: 财政拨款,
一般公共预算 …) must be printed the same in both.
"""

from __future__ import annotations

from decimal import Decimal

from ..errors import Finding
from ..numbers import format_amount, half_up
from .tables import Cell, Entry, ReadTable, TableAmount, TableFacts
from .tablespec import Spec, key, load_spec

LEVELS = {"functional": {3: "类", 5: "款", 7: "项"}, "economic": {3: "类", 5: "款"}}
_ZERO = Cell(Decimal(0), 0)


def half_unit(digits: int) -> Decimal:
    """Half a unit of the last printed decimal (in 万元)."""
    return Decimal(5).scaleb(-(digits + 1))


def shown(amount: Decimal, digits: int, unit: str) -> str:
    """An amount (万元) in the table's own unit with its printed decimals: “22,186,440.80 元”; no unit if none was printed."""
    if unit == "元":
        return f"{format_amount(amount * 10000, max(digits - 4, 0))} 元"
    if not unit:
        return format_amount(amount, digits)     # the table did not say its unit
    return f"{format_amount(amount, digits)} 万元"


def _difference(table: ReadTable, total: Cell | None, parts: list[Cell]) -> tuple[str, str, str, str] | None:
    """(level, total, sum, difference) as text when the total is not the sum of the printed parts."""
    total = total or _ZERO
    added = sum((p.amount for p in parts), Decimal(0))
    difference = total.amount - added
    if difference == 0:
        return None
    envelope = sum((half_unit(c.digits) for c in [total, *parts] if c is not _ZERO), Decimal(0))
    digits = max([c.digits for c in [total, *parts] if c is not _ZERO] or [2])
    unit = table.unit
    return ("note" if abs(difference) <= envelope else "error", shown(total.amount, digits, unit),
            shown(added, digits, unit), shown(abs(difference), digits, unit))


def _finding(table: ReadTable, entry: Entry, rule: str, what: str, parts: str,
             found: tuple[str, str, str, str]) -> Finding:
    level, total, added, difference = found
    message = f"表“{table.title.strip()}”：{what} {total}，{parts}之和 {added}，相差 {difference}"
    if level == "note":
        message += "（尾差，在四舍五入范围内）"
    return Finding(entry.location, level, rule, message)


def _name(entry: Entry) -> str:
    if entry.code and entry.kind in LEVELS:
        return f"{LEVELS[entry.kind].get(len(entry.code), '')} {entry.code} {entry.subject}".strip()
    return entry.subject or entry.printed


def _what(entry: Entry, column: str) -> str:
    """The row and column of an amount; a row of bare amounts (a “三公” table) is named by its column."""
    return column if entry.kind == "columns" else f"{_name(entry)} {column}"


def _column_name(entry: Entry, column: int) -> str:
    return entry.layout.columns[column].label if entry.layout else ""


def _compared_columns(total: Entry, parts: list[Entry]) -> list[int]:
    """Columns whose amount is known in the total row and in every part row."""
    if total.layout is None:
        return []
    return [i for i in range(len(total.layout.columns))
            if total.known(i) and all(p.known(i) and p.layout is total.layout for p in parts)]


def _sum_rows(table: ReadTable, total: Entry, parts: list[Entry], what_parts: str, rule: str) -> list[Finding]:
    """The total row against its part rows, column by column; one 尾差 note a row is enough."""
    findings: list[Finding] = []
    for column in _compared_columns(total, parts):
        printed = [c for c in (p.cell(column) for p in parts) if c is not None]
        if total.cell(column) is None and not printed:
            continue
        found = _difference(table, total.cell(column), printed)
        if found and not (found[0] == "note" and any(f.level == "note" for f in findings)):
            what = f"{_name(total)} {_column_name(total, column)}".rstrip()
            findings.append(_finding(table, total, rule, what, what_parts, found))
    return findings


def _hierarchy(table: ReadTable) -> list[Finding]:
    findings = []
    coded = [e for e in table.entries if e.code and e.kind in LEVELS]
    for parent in coded:
        child_length = len(parent.code) + 2
        if child_length not in LEVELS[parent.kind]:
            continue
        children = [e for e in coded if e.kind == parent.kind and e.side == parent.side
                    and len(e.code) == child_length and e.code.startswith(parent.code)]
        if children:
            label = f"其下各{LEVELS[parent.kind][child_length]}"
            findings += _sum_rows(table, parent, children, label, "table-total")
    return findings


def _totals(table: ReadTable, spec: Spec) -> list[Finding]:
    findings = []
    order = [key(n) for n in spec.total_names]
    for side in sorted({e.side for e in table.entries}):
        entries = [e for e in table.entries if e.side == side]
        totals = [e for e in entries if e.kind == "total" and key(e.printed) in order]
        classes = [e for e in entries if e.code and len(e.code) == 3 and e.kind in LEVELS]
        if not totals or not classes:
            continue
        total = min(totals, key=lambda e: order.index(key(e.printed)))
        kind = max({e.kind for e in classes}, key=lambda k: sum(e.kind == k for e in classes))
        findings += _sum_rows(table, total, [e for e in classes if e.kind == kind], "各类", "table-total")
    return findings


def _row_sums(table: ReadTable, spec: Spec) -> list[Finding]:
    findings = []
    if table.role is None:
        return findings
    by_key = {key(e.subject): e for e in table.entries if e.kind in ("total", "item")}
    for total_key, part_names in table.role.row_sums.items():
        total = by_key.get(total_key)
        parts = [by_key[key(n)] for n in part_names if key(n) in by_key]
        if total is not None and parts:
            findings += _sum_rows(table, total, parts, "、".join(part_names), "table-total")
    return findings


def _columns(table: ReadTable, spec: Spec) -> list[Finding]:
    findings = []
    for entry in table.entries:
        layout = entry.layout
        if layout is None:
            continue
        sums = layout.sums(spec.total_keys)
        if entry.complete:
            for total, parts in sums:
                printed = [c for c in (entry.cell(p) for p in parts) if c is not None]
                if entry.cell(total) is None and not printed:
                    continue
                found = _difference(table, entry.cell(total), printed)
                if found:
                    names = "、".join(layout.columns[p].label for p in parts)
                    what = _what(entry, layout.columns[total].label)
                    findings.append(_finding(table, entry, "table-columns", what, names, found))
        elif layout.flat and sums and entry.cell(0) is not None:
            # A row shorter than its header may have lost a cell to the reader (a PDF's wrapped or
            # misplaced figure): that can only make the others add up to less than the total.
            others = [c for c in entry.cells[1:] if c is not None]
            if others and sum(c.amount for c in others) > entry.cell(0).amount:
                found = _difference(table, entry.cell(0), others)
                if found:
                    what = _what(entry, layout.columns[0].label)
                    findings.append(_finding(table, entry, "table-columns", what, "其余各列", found))
    return findings


def _agree(a: TableAmount, b: TableAmount) -> bool:
    """Two printed amounts that can be the same amount (the finer rounds half up to the coarser)."""
    digits = min(a.digits, b.digits)
    return half_up(a.amount, digits) == half_up(b.amount, digits)


def _consistency(facts: TableFacts) -> list[Finding]:
    """A 类/款/项 printed with different amounts of the same scope (财政拨款, 一般公共预算 …) in two tables."""
    groups: dict[tuple[str, str], list[TableAmount]] = {}
    for amount in facts.amounts:
        if amount.code and amount.scope and amount.role == "current":
            groups.setdefault((amount.code, amount.scope), []).append(amount)
    findings = []
    for amounts in groups.values():
        clusters: list[list[TableAmount]] = []
        for amount in amounts:
            home = next((c for c in clusters if _agree(c[0], amount)), None)
            if home is None:
                clusters.append([amount])
            else:
                home.append(amount)
        if len(clusters) < 2:
            continue
        reference = max(clusters, key=len)[0]
        for cluster in clusters:
            if reference in cluster:
                continue
            odd = cluster[0]
            level = LEVELS["functional" if odd.code[0] == "2" else "economic"].get(len(odd.code), "")
            findings.append(Finding(odd.location, "error", "table-consistency",
                                    f"{level} {odd.code} {odd.subject} 在表“{odd.table.strip()}”（{odd.column}）为 "
                                    f"{shown(odd.amount, odd.digits, odd.unit)}，在表“{reference.table.strip()}”"
                                    f"（{reference.column}）为 {shown(reference.amount, reference.digits, reference.unit)}，"
                                    "同一口径的金额应当相同"))
    return findings


def check_tables(facts: TableFacts) -> list[Finding]:
    """Every total of the tables against its parts; 尾差 within rounding are notes."""
    spec = load_spec()
    findings: list[Finding] = []
    for table in facts.tables:
        if not table.orphans:          # a row whose name was lost could be any of the parts
            findings += _hierarchy(table)
            findings += _totals(table, spec)
        findings += _row_sums(table, spec)
        findings += _columns(table, spec)
    return findings + _consistency(facts)
