"""Workbook layouts: which sheet holds which table and which header text names which column.

A layout is data (``rules/workbook-layouts/<name>.yaml``), so that a region whose tables have other
sheet names, titles or header wording needs a new YAML file, not new code. The code knows
only the *roles* of the tables (income by fund source, expenditure by basic/project, …).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import FormatError, Location
from ..resources import rules_dir
from ..shapes import problems
from ..loading.yamlload import load_yaml

DEFAULT_LAYOUT = "xinjiang-2025"
KINDS = {"functional", "economic", "labelled", "named", "sides", "row"}
#: the columns of a ``row`` table (the “三公” parts printed across one line, and 机关运行经费)
ROW_KEYS = ("total", "abroad", "reception", "vehicle", "vehicle_purchase", "vehicle_operation", "operating_costs")
#: the roles every layout has: the figures are built from them; every other role may be left out
REQUIRED_ROLES = ("income", "expenditure")
#: every role the importer reads (a layout names some of them; a role it leaves out is not read)
ROLES = (*REQUIRED_ROLES, "overview", "fiscal", "general", "fund", "capital", "basic_economic", "projects",
         "three_public", "carryover")

_SPACES = re.compile(r"\s+")
_SAME = str.maketrans({"（": "(", "）": ")", "“": '"', "”": '"', "＂": '"', "：": ":", "〔": "(", "〕": ")", "［": "[", "］": "]"})
_NUMBERING = re.compile(r"^(其中:|[一二三四五六七八九十]+、|\d+[.、．]|\(\d+\)|\([一二三四五六七八九十]+\))+")


def normalize(text: Any) -> str:
    """Header or label text compared loosely: no spaces, one kind of brackets and quotes."""
    if text is None:
        return ""
    return _SPACES.sub("", str(text)).translate(_SAME)


def label_key(text: Any) -> str:
    """A row label without its list numbering (“1.”, “一、”, “其中：”)."""
    return _NUMBERING.sub("", normalize(text))


@dataclass(frozen=True)
class Table:
    """One table of the layout: where to find it and how to read its columns."""

    role: str
    sheets: tuple[str, ...]
    title: str
    kind: str
    anchor: str
    required: bool = True
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    optional_columns: frozenset[str] = frozenset()
    rows: dict[str, Any] = field(default_factory=dict)
    sides: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: total lines named by their label (“人员经费合计”): label → (declared key, the classes it adds up)
    total_rows: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    #: the same columns printed twice side by side (a 决算's 基本支出 table): read both halves
    repeated: bool = False

    @property
    def display(self) -> str:
        """How messages name the table: “表2（部门收入总体情况表）”."""
        return f"{self.sheets[0]}（{self.title}）" if self.sheets else self.title


@dataclass(frozen=True)
class Layout:
    """A workbook layout: its tables by role and the conventions of its sheets."""

    name: str
    title: str
    tables: dict[str, Table]
    splits: tuple[tuple[str, tuple[str, ...]], ...]
    header_search_rows: int = 15
    total_names: frozenset[str] = frozenset({"总计", "合计"})
    #: the labels of the department above the tables (“编制部门：”, a unit's “编制单位：”)
    department_label: tuple[str, ...] = ("编制部门",)
    unit_label: str = "单位"
    units: dict[str, Decimal] = field(default_factory=dict)
    #: the document format a figures file of this layout is written for (unless --format says otherwise)
    format: str | None = None
    #: what the tables' 上年 compares with: 上年预算 (a budget's tables), 上年决算 (a final account's)
    basis: str = "上年预算"
    #: in a final account, the source of a 项's spending that the split tables do not give
    rest_source: str = "unit"
    #: income columns that one fund source adds up: source → (its columns, the figures field listing them)
    income_parts: dict[str, tuple[tuple[str, ...], str | None]] = field(default_factory=dict)

    @property
    def final(self) -> bool:
        """A final account (决算): a 科目's income is not its spending (balances are carried over)."""
        return self.basis == "上年决算"


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(normalize(v) for v in value)
    return (normalize(value),)


def _table(role: str, data: Any, where: Location) -> Table:
    if not isinstance(data, dict) or data.get("kind") not in KINDS or not data.get("anchor"):
        raise FormatError.at(where, "bad-layout",
                             f"tables.{role} 应有 kind（{'、'.join(sorted(KINDS))}）和 anchor")
    columns = {str(k): _strings(v) for k, v in (data.get("columns") or {}).items()}
    if data["kind"] == "row":
        for key in columns:
            base, _, attr = key.partition(".")
            if base not in ROW_KEYS or attr not in ("", "prior", "budget"):
                marks = getattr(data["columns"], "key_marks", {})
                raise FormatError.at(Location(where.path, *marks.get(key, (where.line, where.column))), "bad-layout",
                                     f"版式：tables.{role}.columns 中的“{key}”不是一行的表能读的列（可用：{'、'.join(ROW_KEYS)}，"
                                     f"后面可加 .prior 上年数、.budget 年初预算数）")
    sides = {}
    for side, spec in (data.get("sides") or {}).items():
        sides[str(side)] = {
            "label": _strings(spec.get("label")),
            "amount": _strings(spec.get("amount")),
            "codes": bool(spec.get("codes", False)),
            "rows": {label_key(k): tuple(v) for k, v in (spec.get("rows") or {}).items()},
        }
    return Table(
        role=role,
        sheets=tuple(str(s) for s in data.get("sheets") or ()),
        title=str(data.get("title", role)),
        kind=str(data["kind"]),
        anchor=normalize(data["anchor"]),
        required=bool(data.get("required", True)),
        columns=columns,
        optional_columns=frozenset(str(c) for c in data.get("optional_columns") or ()),
        rows={label_key(k): v for k, v in (data.get("rows") or {}).items()},
        sides=sides,
        total_rows={label_key(k): (str(v["key"]), tuple(str(c) for c in v.get("classes") or ()))
                    for k, v in (data.get("total_rows") or {}).items()},
        repeated=bool(data.get("repeated", False)),
    )


def _check_keys(data: Any, shown: str) -> None:
    """Keys the figures file will hold, checked here so that a typo is reported at its line in the layout:
    ``rest_source`` and ``income_parts`` are fund sources (of the layout's format), ``total_rows`` declared names."""
    from ..classification import load_vocabulary
    from ..text.formatfields import fund_sources

    sources = [s["key"] for s in fund_sources(data.get("format"))]
    declared = list(load_vocabulary().get("declared_names") or {})
    wrong: list[tuple[Any, Any, Any, str, list[str]]] = []  # (where, its key, the value, what it should be, known)
    if "rest_source" in data and data["rest_source"] not in sources:
        wrong.append((data, "rest_source", data["rest_source"], "资金来源", sources))
    for key in data.get("income_parts") or {}:
        if key not in sources:
            wrong.append((data["income_parts"], key, key, "资金来源", sources))
    for spec in data["tables"].values():
        for total in ((spec.get("total_rows") or {}).values() if isinstance(spec, dict) else ()):
            if total.get("key") not in declared:
                wrong.append((total, "key", total.get("key"), " declared 中的合计名", declared))
    for node, key, value, what, known in wrong:
        guess = difflib.get_close_matches(str(value), known, n=1, cutoff=0.5)
        raise FormatError.at(Location(shown, *getattr(node, "key_marks", {}).get(key, (1, 1))), "bad-layout",
                             f"版式：“{value}”不是{what}" + (f"，是否想写 “{guess[0]}”？" if guess else f"（可用：{'、'.join(known)}）"))


def layout_choices() -> list[tuple[str, str]]:
    """The bundled layouts as (name, title), the default first: what a front end offers to choose from."""
    names = sorted(p.stem for p in (rules_dir() / "workbook-layouts").glob("*.yaml"))
    names.sort(key=lambda name: name != DEFAULT_LAYOUT)
    return [(name, load_layout(name).title) for name in names]


@cache
def load_layout(name: str = DEFAULT_LAYOUT) -> Layout:
    """The layout ``rules/workbook-layouts/<name>.yaml`` (or a layout file's path); unknown names list the known ones."""
    folder = rules_dir() / "workbook-layouts"
    given = Path(name)
    path = given if given.suffix in (".yaml", ".yml") and given.is_file() else folder / f"{name}.yaml"
    if not path.is_file():
        known = "、".join(sorted(p.stem for p in folder.glob("*.yaml")))
        raise FormatError.at(Location(name), "unknown-layout", f"没有名为 “{name}” 的工作簿版式。可用的版式：{known}")
    data = load_yaml(path)
    found = problems(data, "layout", str(path), "bad-layout", "版式：")
    if found:
        raise FormatError(found)
    splits = tuple((str(s["table"]), tuple(s["sources"])) for s in data.get("splits") or ())
    for role in data["tables"]:
        if role not in ROLES:
            guess = difflib.get_close_matches(str(role), ROLES, n=1, cutoff=0.5)
            raise FormatError.at(Location(str(path), *data["tables"].key_marks.get(role, (1, 1))), "bad-layout",
                                 f"版式：tables 中的“{role}”不是导入程序认识的表的角色"
                                 + (f"，是否想写 “{guess[0]}”？" if guess else f"（可用：{'、'.join(ROLES)}）"))
    missing = [role for role in REQUIRED_ROLES if role not in data["tables"]]
    if missing:
        line, column = data.key_marks.get("tables", (1, 1))
        raise FormatError.at(Location(str(path), line, column), "bad-layout",
                             f"版式：tables 中缺少表 {'、'.join(missing)}（收入、支出两张表是导入的基础，每个版式都要有）")
    _check_keys(data, str(path))
    return Layout(
        name=str(data.get("name", name)),
        title=str(data.get("title", name)),
        tables={str(role): _table(str(role), spec, Location(str(path), *data["tables"].key_marks.get(role, (1, 1))))
                for role, spec in data["tables"].items()},
        splits=splits,
        header_search_rows=int(data.get("header_search_rows", 15)),
        total_names=frozenset(normalize(n) for n in data.get("total_names") or ("总计", "合计")),
        department_label=_strings(data.get("department_label", "编制部门")),
        unit_label=normalize(data.get("unit_label", "单位")),
        units={normalize(k): Decimal(str(v)) for k, v in (data.get("units") or {"万元": 1}).items()},
        format=str(data["format"]) if data.get("format") else None,
        basis=str(data.get("basis", "上年预算")),
        rest_source=str(data.get("rest_source", "unit")),
        income_parts={str(k): (tuple(str(c) for c in v["columns"]), str(v["field"]) if v.get("field") else None)
                      for k, v in (data.get("income_parts") or {}).items()},
    )
