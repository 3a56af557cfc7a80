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

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..errors import Finding, Location
from ..resources import rules_dir
from ..yamlload import load_yaml
from .arith import HUNDRED, Span, ratio, shown
from .phrasing import PINYIN
from .tablespec import display, key, load_spec

KINDS = ("completion", "rate", "change")
AMOUNT_KINDS = ("prior", "current", "budget", "actual")
_SIGN = "-−–—－"
_NUMBER = re.compile(rf"^([{_SIGN}+]?)(\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.(\d+))?\s*[%％]?$")
_DASH = re.compile(rf"^[{_SIGN}/／*＊]+$")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年?")
_NOISE = re.compile(r"[\s()（）\[\]【】<>《》]|千?万?元")
_PART_MARK = re.compile(r"^\s*其中\s*[:：]?")


@dataclass(frozen=True)
class Value:
    """One printed cell: its number (None for “-”, “无” or an empty cell) and printed decimals."""

    text: str
    number: Decimal | None
    digits: int = 0
    signed: bool = False
    location: Location | None = None

    @property
    def span(self) -> Span:
        return Span.around(self.number or Decimal(0), Decimal(5).scaleb(-(self.digits + 1)))

    @property
    def empty(self) -> bool:
        return self.text == ""


def read_value(text: str, location: Location | None = None) -> Value:
    """A cell as a number with its printed decimals; “-”, “无” and empty cells have none."""
    cleaned = text.strip().translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,"))
    if cleaned in ("|", "｜"):
        cleaned = ""
    found = _NUMBER.match(cleaned)
    if not found:
        return Value(cleaned, None, location=location)
    sign, whole, decimals = found.groups()
    number = Decimal(whole.replace(",", "") + ("." + decimals if decimals else ""))
    negative = bool(sign) and sign != "+"
    return Value(cleaned, -number if negative else number, len(decimals or ""), bool(sign), location)


@dataclass(frozen=True)
class Measure:
    """What a column (or row) of a comparison table holds."""

    kind: str          # prior | current | budget | actual | change | rate | completion
    down: bool         # a change or rate counted as a decrease (“减少率”)
    label: str


@cache
def _words() -> dict[str, tuple[str, ...]]:
    data = load_yaml(rules_dir() / "review" / "measures.yaml", "rules/review/measures.yaml")
    return {str(k): tuple(str(w) for w in v or ()) for k, v in data.items()}


def shown_label(label: str) -> str:
    """A header as messages quote it: no spaces, no pinyin."""
    return re.sub(r"\s+", "", PINYIN.sub("", label))


def _label_key(label: str) -> str:
    return _NOISE.sub("", label).replace("％", "%")


def _years(label: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(_label_key(label))]


def classify(labels: list[str]) -> list[Measure | None]:
    """The measure of each label (None where it is none): change/rate/completion words first, then
    years (the latest is this year, the one before it last year), then words."""
    words = _words()
    years = {y for label in labels for y in _years(label)}
    latest = max(years) if years else None
    result: list[Measure | None] = []
    for label in labels:
        text = _label_key(label)
        down = any(w in text for w in words["down"]) and "增" not in text
        kind = next((k for k in KINDS if any(w in text for w in words[k])), None)
        if kind is None and text.endswith("%") and re.search(r"[比增减降]", text):
            kind = "rate"
        if kind == "change" and "率" in text:
            kind = "rate"
        if kind is None and not any(w in text for w in words["never"]):
            own = _years(label)
            if len(years) >= 2 and own:
                kind = {latest: "current", (latest or 0) - 1: "prior"}.get(max(own))
            else:
                kind = next((k for k in ("prior", "actual", "budget", "current") if any(w in text for w in words[k])), None)
                if kind is None and own and max(own) == latest:
                    kind = "current"
        result.append(Measure(kind, down, shown_label(label)) if kind else None)
    # two columns of one kind (年初预算数, 全年预算数): which one a rate is of is not known
    kinds = [m.kind for m in result if m is not None]
    return [m if m is not None and kinds.count(m.kind) == 1 else None for m in result]


@dataclass
class Subject:
    """One row (or column) of a comparison table: its name and its cells by measure."""

    name: str
    location: Location
    cells: dict[str, tuple[Measure, Value]]
    part_of: "Subject | None" = None


def _orient(rows: list[tuple[str, ...]]) -> tuple[int, list[Measure | None]] | None:
    """(header row index, measures of its cells) when the measures run across the top."""
    first = next((i for i, r in enumerate(rows) if any(read_value(c).number is not None for c in r[1:])), None)
    if not first:
        return None
    header = rows[first - 1]
    measures = classify(list(header))
    return (first - 1, measures) if sum(m is not None for m in measures) >= 2 else None


def _subjects(table) -> list[Subject]:
    rows = [tuple(r.cells) for r in table.rows]
    across = _orient(rows)
    subjects: list[Subject] = []
    if across is not None:
        head, measures = across
        for row, printed in zip(table.rows[head + 1:], rows[head + 1:]):
            if not printed or read_value(printed[0]).number is not None or len(printed) > len(measures) \
                    or any(w in _label_key(printed[0]) for w in _words()["never_rows"]):
                continue
            cells = {m.kind: (m, read_value(printed[i], row.cell_location(i)) if i < len(printed)
                              else Value("", None, location=row.location))
                     for i, m in enumerate(measures) if m is not None and i > 0}
            subjects.append(Subject(printed[0], row.location, cells))
        _link_parts(subjects)
        return subjects
    down = classify([r[0] if r else "" for r in rows])
    measured = [(i, m) for i, m in enumerate(down) if m is not None and len(rows[i]) > 1]
    if len(measured) < 2:
        return []
    header = next((r for r in rows if r and down[rows.index(r)] is None), None)
    width = max(len(rows[i]) for i, _ in measured)
    for column in range(1, width):
        name = header[column] if header is not None and len(header) == width else f"第 {column + 1} 列"
        cells = {m.kind: (m, read_value(rows[i][column], table.rows[i].cell_location(column)))
                 for i, m in measured if column < len(rows[i])}
        subjects.append(Subject(name, table.rows[measured[0][0]].location, cells))
    return subjects


def _link_parts(subjects: list[Subject]) -> None:
    """Each 其中 row, and each part named in ``row_sums``, gets the row it is part of (never a
    total row: an item of the total left empty is an item with nothing spent)."""
    spec = load_spec()
    role = next((r for r in spec.roles if r.row_sums), None)
    names = [key(spec.canonical(s.name, role)) for s in subjects]
    totals = spec.total_keys | ({key(role.total)} if role else set())
    named = {n: s for n, s in zip(names, subjects) if n not in totals}
    parents = {key(p): named.get(whole) for whole, parts in (role.row_sums.items() if role else ()) for p in parts}
    above = None
    for subject, name in zip(subjects, names):
        if _PART_MARK.match(subject.name):
            subject.part_of = above
            continue
        subject.part_of = parents.get(name)
        above = subject if name not in totals else None


@cache
def _rules():
    from .claimcheck import review_rules
    return review_rules()


def _finding(subject: Subject, rule: str, table_name: str, at: Value | None = None, **values: object) -> Finding:
    spec = _rules()[rule]
    where = at.location if at is not None and at.location is not None else subject.location
    return Finding(where, spec.level, rule, spec.say(table=table_name, subject=display(_PART_MARK.sub("", subject.name)), **values))


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


def check_comparisons(tables) -> list[Finding]:
    """The findings of every comparison table (see the module's docstring)."""
    findings: list[Finding] = []
    for table in tables:
        subjects = _subjects(table)
        if not subjects:
            continue
        name = _table_name(table)
        blank_columns, found = _blank_columns(subjects, name)
        findings += found
        for subject in subjects:
            findings += _check(subject, name, blank_columns) + _pairs(subject, name) + _blank_row(subject, name)
    return findings
