"""Comparison tables: this year against last year, a 决算 against its budget, cell by cell.

Many disclosures print the comparison itself as a table: columns (or rows) of 本年数, 上年数,
增减额, 增减率, 预算数, 决算数, 完成率. Which column is which is read from the header words
(``rules/review/measures.yaml``, and the years: the latest is this year), in either orientation:
subjects down the side and measures across the top, or years down the side (“2015年”“2016年”
“增减%”) and subjects across. Then, for every subject:

- ``table-change``: the change, rate or completion printed is not what its amounts give;
- ``table-zero-base``: a rate or completion printed where its base is 0;
- ``table-blank-cell``: a change or rate left as “-” although both amounts are there, or one side
  of a pair (上年/本年, 预算/决算) left empty while the other is not 0;
- ``table-blank-column``: a change or rate column with no number in any row that has an amount;
- ``table-blank-row``: a row with no amount under a parent row (其中, or a part in ``row_sums``)
  whose amount is not 0.

Amounts are compared within the rounding of their printed digits (:mod:`.arith`).
"""

from __future__ import annotations

from functools import cache

from ..errors import Finding
from .arith import HUNDRED, Span, ratio, shown
from .phrasing import PINYIN
from .tablemeasures import (AMOUNT_KINDS, LEVEL, PART_MARK, Measure, Subject, Value, read_value, shown_label,
                            subjects_of)
from .tablespec import display


@cache
def _rules():
    from .claimcheck import review_rules
    return review_rules()


def _finding(subject: Subject, rule: str, table_name: str, at: Value | None = None, **values: object) -> Finding:
    spec = _rules()[rule]
    where = at.location if at is not None and at.location is not None else subject.location
    return Finding(where, spec.level, rule, spec.say(table=table_name, subject=_shown_name(subject.name), **values))


def _shown_name(name: str) -> str:
    """A row's name as messages quote it: without 其中 and its list number."""
    return display(LEVEL.sub("", PART_MARK.sub("", name)).strip())


def _table_name(table) -> str:
    title = PINYIN.sub("", (table.title or "").strip())
    return f"“{title}”" if title else ""


def _base(cells: dict[str, tuple[Measure, Value]]) -> tuple[str, str] | None:
    """(base kind, current kind) of the change and rate: 上年 → 本年, else 预算 → 决算."""
    if "current" in cells and "prior" in cells:
        return "prior", "current"
    if "actual" in cells and ("prior" in cells or "budget" in cells):
        return ("prior" if "prior" in cells else "budget"), "actual"
    if "budget" in cells and "prior" in cells:
        return "prior", "budget"
    return None


def _check(subject: Subject, name: str, blank_columns: set[str]) -> list[Finding]:
    cells = subject.cells
    found: list[Finding] = []
    pair = _base(cells)
    now_kind = pair[1] if pair else next((k for k in ("current", "actual", "budget") if k in cells), None)
    now = cells[now_kind][1] if now_kind else None
    base = cells[pair[0]][1] if pair else None
    base_label = cells[pair[0]][0].label if pair else ""
    change = cells.get("change")
    # last year's amount from this year's and the change, where the table prints no 上年
    if (base is None or base.number is None) and now is not None and now.number is not None \
            and change is not None and change[1].number is not None:
        delta = change[1].number * (-1 if change[0].down else 1)
        base = Value(shown(now.number - delta), now.number - delta, max(now.digits, change[1].digits))
        base_label = "上年数"
    known = now is not None and now.number is not None and base is not None and base.number is not None
    if known and change is not None and change[1].number is not None and pair:
        truth = (now.span - base.span).negated() if change[0].down else now.span - base.span
        point = (now.number - base.number) * (-1 if change[0].down else 1)
        written = change[1].number
        if not change[1].signed and written >= 0 > point:
            truth, point = Span(-truth.high, -truth.low), -point
        if not truth.meets(change[1].span):
            found.append(_finding(subject, "table-change", name, change[1], column=change[0].label, expected=shown(point),
                                  how=f"{now.text} − {base.text}", written=change[1].text))
    for kind in ("rate", "completion"):
        if kind not in cells:
            continue
        measure, value = cells[kind]
        if kind == "completion":
            whole = cells["budget"][1] if "budget" in cells else None
            part = (cells.get("actual") or cells.get("current") or (None, None))[1]
            whole_label = cells["budget"][0].label if "budget" in cells else ""
        else:
            whole, part, whole_label = base, now, base_label
        if whole is None or whole.number is None or part is None or part.number is None:
            continue
        if whole.number == 0:
            if value.number is not None:
                found.append(_finding(subject, "table-zero-base", name, value, column=measure.label, written=value.text,
                                      base=whole_label))
            continue
        if value.number is None:
            if kind == "rate" and measure.label not in blank_columns and part.number != whole.number:
                rate = (part.number - whole.number) / whole.number * HUNDRED * (-1 if measure.down else 1)
                found.append(_finding(subject, "table-blank-cell", name, value, column=measure.label,
                                      what=f"应为 {shown(rate)}%"))
            continue
        if kind == "completion":
            interval, point = ratio(part.span, whole.span), part.number / whole.number * HUNDRED
        else:
            moved = part.span - whole.span
            interval, point = ratio(moved, whole.span), (part.number - whole.number) / whole.number * HUNDRED
            if measure.down:
                interval, point = (interval.negated() if interval else None), -point
        written = value.number
        if kind == "rate" and not value.signed and written >= 0 > point:
            interval, point = (interval.negated() if interval else None), -point
        if interval is not None and not interval.meets(value.span):
            how = f"{part.text} ÷ {whole.text}" if kind == "completion" else f"（{part.text} − {whole.text}）÷ {whole.text}"
            found.append(_finding(subject, "table-change", name, value, column=measure.label,
                                  expected=shown(point) + "%", how=how, written=value.text))
    return found


def _pairs(subject: Subject, name: str) -> list[Finding]:
    """One side of 上年/本年 or 预算/决算 left empty while the other is not 0."""
    for one, other in (("prior", "current"), ("budget", "actual")):
        if one in subject.cells and other in subject.cells:
            a, b = subject.cells[one][1], subject.cells[other][1]
            for empty, full in ((a, subject.cells[other]), (b, subject.cells[one])):
                if empty.empty and full[1].number:
                    column = subject.cells[one if empty is a else other][0].label
                    return [_finding(subject, "table-blank-cell", name, empty, column=column,
                                     what=f"而“{full[0].label}”为 {full[1].text}（无数应填 0）")]
    return []


def _blank_row(subject: Subject, name: str) -> list[Finding]:
    parent = subject.part_of
    amounts = [v for k, (_, v) in subject.cells.items() if k in AMOUNT_KINDS]
    if parent is None or any(not v.empty for v in amounts):
        return []
    full = next(((m, v) for k, (m, v) in parent.cells.items() if k in AMOUNT_KINDS and v.number), None)
    if full is None:
        return []
    return [_finding(subject, "table-blank-row", name, parent=display(parent.name), column=full[0].label, amount=full[1].text)]


def _blank_total(subject: Subject, subjects: list[Subject], name: str) -> list[Finding]:
    """A row with no amount whose own parts have one (“（二）公务用车购置及运行维护支出” empty above “2.运行维护费 3.60”)."""
    if any(not v.empty for k, (_, v) in subject.cells.items() if k in AMOUNT_KINDS):
        return []
    for part in subjects:
        if part.part_of is subject:
            full = next(((m, v) for k, (m, v) in part.cells.items() if k in AMOUNT_KINDS and v.number), None)
            if full is not None:
                return [_finding(subject, "table-blank-total", name, part=_shown_name(part.name),
                                 column=full[0].label, amount=full[1].text)]
    return []


def _blank_columns(subjects: list[Subject], name: str) -> tuple[set[str], list[Finding]]:
    """Change and rate columns with no number in any row whose amount is not 0."""
    labels: set[str] = set()
    found: list[Finding] = []
    for kind in ("change", "rate"):
        rows = [s for s in subjects if kind in s.cells and any(
            v.number for k, (_, v) in s.cells.items() if k in AMOUNT_KINDS)]
        if len(rows) >= 2 and all(s.cells[kind][1].number is None for s in rows):
            label = rows[0].cells[kind][0].label
            labels.add(label)
            first = next(s.cells[kind][1] for s in rows if s.cells[kind][1].number is None)
            found.append(_finding(rows[0], "table-blank-column", name, first, column=label, rows=len(rows)))
    return labels, found


def _decimals(table, name: str) -> list[Finding]:
    """An amount printed with fewer decimals than all the others of its table (“1” among “1.00”s)."""
    rows = [r for r in table.rows if r.cells and read_value(r.cells[0]).number is None]
    header = next((r.cells for r in table.rows if r.cells and not any(read_value(c).number is not None for c in r.cells)), ())
    cells = [(row, i, read_value(c, row.cell_location(i))) for row in rows for i, c in enumerate(row.cells) if i > 0]
    cells = [(row, i, v) for row, i, v in cells if v.number is not None and "%" not in v.text and "％" not in v.text]
    if len(cells) < 8:
        return []
    counts: dict[int, int] = {}
    for _, _, value in cells:
        counts[value.digits] = counts.get(value.digits, 0) + 1
    usual = max(counts, key=lambda d: counts[d])
    odd = [(row, i, v) for row, i, v in cells if v.digits < usual and v.number]
    if usual == 0 or len(odd) > 2 or counts[usual] < 0.9 * len(cells):
        return []
    spec = _rules()["table-decimals"]
    found = []
    for row, i, value in odd:
        column = f"“{shown_label(header[i])}”" if len(header) == len(row.cells) else ""
        found.append(Finding(value.location or row.location, spec.level, spec.name, spec.say(
            table=name, subject=_shown_name(row.cells[0]), column=column, written=value.text, digits=usual)))
    return found


def check_comparisons(tables) -> list[Finding]:
    """The findings of every comparison table (see the module's docstring)."""
    findings: list[Finding] = []
    for table in tables:
        findings += _decimals(table, _table_name(table))
        subjects = subjects_of(table)
        if not subjects:
            continue
        name = _table_name(table)
        blank_columns, found = _blank_columns(subjects, name)
        findings += found
        for subject in subjects:
            findings += (_check(subject, name, blank_columns) + _pairs(subject, name) + _blank_row(subject, name)
                         + _blank_total(subject, subjects, name))
    return findings
