"""What the tables of a published disclosure mean: titles, column layouts, names (``rules/review/tables.yaml``).

The code knows only table *roles* (income, expenditure, “三公” …) and column properties (a column
that is the sum of others, a column outside the total, a prior-year column); which printed title
and header wording means which is data, compared loosely (no spaces, years or table numbers, one
kind of brackets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from typing import Any

from ..errors import FormatError, Location
from ..resources import rules_dir
from ..workbook.layout import label_key, normalize
from ..loading.yamlload import load_yaml
from .phrasing import PINYIN

_YEAR = re.compile(r"\d{4}年度?|\d{4}")
_TABLE_NUMBER = re.compile(r"^(第[一二三四五六七八九十]+部分|表\d+|附表\d+|[一二三四五六七八九十]+、|\d+[.、．])+")


@lru_cache(maxsize=8192)
def _key(text: str) -> str:
    return label_key(PINYIN.sub("", text))


def key(text: Any) -> str:
    """A name compared loosely: no spaces or list numbering, ASCII brackets and quotes."""
    return _key(text) if isinstance(text, str) else label_key(text)


def display(name: str) -> str:
    """A name as messages print it: full-width brackets."""
    return name.replace("(", "（").replace(")", "）")


def title_key(title: str) -> str:
    """A table title compared loosely: no years, no table number (“表1”“5．”)."""
    text = normalize(PINYIN.sub("", title)).replace("．", ".")
    return _YEAR.sub("", _TABLE_NUMBER.sub("", text))


@dataclass(frozen=True)
class Column:
    """One amount column of a layout."""

    name: str
    sum_of: tuple[str, ...] = ()
    outside: bool = False
    role: str = "current"          # current | prior | budget

    @property
    def label(self) -> str:
        """The column as messages name it: a 预算数 or 上年 column says so."""
        return self.name + {"budget": "（预算数）", "prior": "（上年）"}.get(self.role, "")


@dataclass(frozen=True)
class Layout:
    """The amount columns of a table (or of one side of it), left to right."""

    columns: tuple[Column, ...]
    match: tuple[str, ...] = ()

    def first_is_total(self, total_keys: frozenset[str]) -> bool:
        """Whether the leftmost column is the total of the others."""
        first = self.columns[0]
        return bool(first.sum_of) or key(first.name) in total_keys

    @property
    def flat(self) -> bool:
        """A total followed by its parts only: no sub-totals and no columns outside the total."""
        return not any(c.sum_of for c in self.columns[1:]) and not any(c.outside for c in self.columns)

    def sums(self, total_keys: frozenset[str]) -> list[tuple[int, list[int]]]:
        """(total column, its part columns) for every column that is a sum of others."""
        return _sums(self, total_keys)

    def _sums(self, total_keys: frozenset[str]) -> list[tuple[int, list[int]]]:
        # a 决算 table prints each item twice (预算数, 决算数): parts are looked up in the same role
        index = {(key(c.name), c.role): i for i, c in enumerate(self.columns)}
        explicit = [(i, [index[(key(p), c.role)] for p in c.sum_of if (key(p), c.role) in index])
                    for i, c in enumerate(self.columns) if c.sum_of]
        if explicit:
            return [(i, parts) for i, parts in explicit if parts]
        if len(self.columns) > 1 and self.first_is_total(total_keys):
            return [(0, [i for i, c in enumerate(self.columns[1:], 1) if not c.outside])]
        return []


@lru_cache(maxsize=256)
def _sums(layout: Layout, total_keys: frozenset[str]) -> list[tuple[int, list[int]]]:
    return layout._sums(total_keys)


@dataclass(frozen=True)
class Role:
    """One kind of table: how to recognise it and read it."""

    name: str
    titles: tuple[str, ...]
    shape: str                                   # rows | sides
    layouts: tuple[Layout, ...] = ()
    sides: dict[str, tuple[Layout, ...]] = field(default_factory=dict)
    total: str = ""
    aliases: dict[str, str] = field(default_factory=dict)
    column_row: bool = False
    row_sums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scopes: dict[str, str] = field(default_factory=dict)    # column → whose money it counts


@dataclass(frozen=True)
class Spec:
    """All of ``tables.yaml``."""

    roles: tuple[Role, ...]
    total_names: tuple[str, ...]
    aliases: dict[str, str]

    @cached_property
    def total_keys(self) -> frozenset[str]:
        return frozenset(key(n) for n in self.total_names)

    def role_for(self, title: str) -> Role | None:
        """The role whose title words the table's title contains (the longest such words win)."""
        found = title_key(title)
        if not found:
            return None
        best: tuple[int, Role | None] = (0, None)
        for role in self.roles:
            for words in role.titles:
                words_key = title_key(words)
                if words_key and words_key in found and len(words_key) > best[0]:
                    best = (len(words_key), role)
        return best[1]

    def canonical(self, name: str, role: Role | None = None) -> str:
        """A row or column name under its one name in the tables and the text (aliases applied)."""
        name_key = key(name)
        if role is not None and name_key in role.aliases:
            return role.aliases[name_key]
        return self.aliases.get(name_key, display(_strip_numbering(name)))


def _strip_numbering(name: str) -> str:
    stripped = re.sub(r"\s+", "", name)
    numbered = re.match(r"^(其中[:：]|[一二三四五六七八九十]+、|\d+[.、．]|[(（][一二三四五六七八九十\d]+[)）])+", stripped)
    return stripped[numbered.end():] if numbered else stripped


def _layouts(entries: Any, where: str) -> tuple[Layout, ...]:
    result = []
    for entry in entries or []:
        columns = []
        for column in entry.get("columns") or []:
            if isinstance(column, str):
                columns.append(Column(display(column)))
            else:
                columns.append(Column(display(str(column["name"])), tuple(display(str(p)) for p in column.get("sum_of") or ()),
                                      bool(column.get("outside", False)), str(column.get("role", "current"))))
        if not columns:
            raise FormatError.at(Location(where), "bad-table-layout", "版式应有 columns")
        result.append(Layout(tuple(columns), tuple(str(m) for m in entry.get("match") or ())))
    return tuple(result)


@cache
def load_spec() -> Spec:
    """``rules/review/tables.yaml`` read once."""
    path = rules_dir() / "review" / "tables.yaml"
    data = load_yaml(path)
    where = str(path)
    roles = []
    for name, entry in (data.get("roles") or {}).items():
        roles.append(Role(
            name=str(name),
            titles=tuple(str(t) for t in entry.get("titles") or ()),
            shape=str(entry.get("shape", "rows")),
            layouts=_layouts(entry.get("layouts"), where),
            sides={str(s): _layouts(v, where) for s, v in (entry.get("sides") or {}).items()},
            total=display(str(entry.get("total", ""))),
            aliases={key(k): display(str(v)) for k, v in (entry.get("aliases") or {}).items()},
            column_row=bool(entry.get("column_row", False)),
            row_sums={key(k): tuple(display(str(p)) for p in v) for k, v in (entry.get("row_sums") or {}).items()},
            scopes={key(k): str(v) for k, v in (entry.get("scopes") or {}).items()},
        ))
    return Spec(
        roles=tuple(roles),
        total_names=tuple(str(n) for n in data.get("total_names") or ()),
        aliases={key(k): display(str(v)) for k, v in (data.get("aliases") or {}).items()},
    )
