"""What a comparison table's columns (or rows) are, and its rows read as subjects.

The header words (``rules/review/measures.yaml``) and the years say which column is 本年, 上年,
增减额, 增减率, 预算数, 决算数 or 完成率 (the latest year is this year); a table with years down
the side is read the other way round. Each row (or column) becomes a :class:`Subject` with its
printed cells by measure, and the row it is a part of (其中, a deeper list number, or a part in
``row_sums``). The checks are in :mod:`.tablecompare`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..errors import Location
from ..resources import rules_dir
from ..loading.yamlload import load_yaml
from .arith import Span
from .phrasing import PINYIN
from .tablespec import key, load_spec

KINDS = ("completion", "rate", "change")
AMOUNT_KINDS = ("prior", "current", "budget", "actual")
_SIGN = "-−–—－"
_NUMBER = re.compile(rf"^([{_SIGN}+]?)(\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.(\d+))?\s*[%％]?$")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年?")
_NOISE = re.compile(r"[\s()（）\[\]【】<>《》、]|千?万?元")   # 、: “增、减额”
PART_MARK = re.compile(r"^\s*其中\s*[:：]?")
LEVEL = re.compile(r"^(?:其中\s*[:：]?)?\s*(?:([一二三四五六七八九十]+、)|([（(][一二三四五六七八九十]+[)）])|(\d+[.．、])|([（(]\d+[)）]))")


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
    header = _joined_header(rows[first - 2] if first >= 2 else (), rows[first - 1], len(rows[first]))
    measures = classify(list(header))
    return (first - 1, measures) if sum(m is not None for m in measures) >= 2 else None


def _joined_header(above: tuple[str, ...], header: tuple[str, ...], width: int) -> tuple[str, ...]:
    """A header of two rows read as one: the last cells of the upper row span the lower one's
    (“… | 2015年决算比上年增、减情况” over “增、减额 | 增、减幅度”). A header of one row as it is."""
    spanning = len(above) + len(header) - width     # the upper row's cells over the lower row
    if len(header) >= width or not 1 <= spanning < len(above):
        return header
    return tuple(above[:-spanning]) + tuple(header)


def subjects_of(table) -> list[Subject]:
    """The subjects of a comparison table (rows, or columns when the years run down the side); [] for another table."""
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
        return _one_column(table, rows)
    header = next((r for r in rows if r and down[rows.index(r)] is None), None)
    width = max(len(rows[i]) for i, _ in measured)
    for column in range(1, width):
        name = header[column] if header is not None and len(header) == width else f"第 {column + 1} 列"
        cells = {m.kind: (m, read_value(rows[i][column], table.rows[i].cell_location(column)))
                 for i, m in measured if column < len(rows[i])}
        subjects.append(Subject(name, table.rows[measured[0][0]].location, cells))
    return subjects


def _one_column(table, rows: list[tuple[str, ...]]) -> list[Subject]:
    """A “三公” table by rows with one amount column (项目 | 2017年预算): its rows, amount or none."""
    if load_spec().role_for(table.title or "") is None or not rows:
        return []
    first = next((i for i, r in enumerate(rows) if len(r) == 2 and read_value(r[1]).number is not None), None)
    body = rows[first:] if first is not None else []
    if first is None or len(body) < 3 or any(len(r) > 2 or read_value(r[0]).number is not None for r in body):
        return []
    measure = Measure("current", False, "金额")
    subjects = []
    for row, printed in zip(table.rows[first:], body):
        value = read_value(printed[1], row.cell_location(1)) if len(printed) > 1 else Value("", None, location=row.location)
        subjects.append(Subject(printed[0], row.location, {"current": (measure, value)}))
    _link_parts(subjects)
    return subjects


def _level(name: str) -> int | None:
    """How deep a row's own numbering puts it: 一、 0, （一） 1, 1. 2, （1） 3; None without one."""
    found = LEVEL.match(name.strip())
    return next((i for i, group in enumerate(found.groups()) if group), None) if found else None


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
    numbered: dict[int, Subject] = {}      # the last row of each numbering level
    for subject, name in zip(subjects, names):
        level = _level(subject.name)
        if level is not None:
            shallower = [numbered[d] for d in sorted(numbered) if d < level]
            numbered = {d: s for d, s in numbered.items() if d < level}
            numbered[level] = subject
            if shallower and not PART_MARK.match(subject.name):
                subject.part_of = shallower[-1]     # “1.公务用车购置” under “（二）公务用车购置及运行维护支出”
                continue
        if PART_MARK.match(subject.name):
            subject.part_of = above
            continue
        subject.part_of = parents.get(name)
        above = subject if name not in totals else None
