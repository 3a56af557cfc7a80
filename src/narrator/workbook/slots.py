"""The places in a figures file where a person writes text, as rows of the 说明 sheet.

A *slot* is one such place: a reason of an income source, the purpose of a 类, the policy basis
of a project … It is keyed the way a finance clerk reads the tables — 表 + 编码或名称 + 项目
(``表2 / 一般公共预算拨款 / 增减原因``) — and knows the dicts of the figures tree its text goes
into. The sheet's wording (headers, item labels, which table each kind of record belongs to) is
data: ``rules/notes-sheet/notes-sheet.yaml``.

The same catalogue serves both directions: ``narrator form`` lists slots (with this year's and
last year's texts), ``narrator import`` looks the rows of a filled-in sheet up in it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..classification import load_classification, load_vocabulary
from ..intake.fieldschema import model_at, schema_for
from ..text.formatfields import fund_sources
from ..text.formats import DEFAULT_FORMAT
from ..resources import rules_dir
from ..loading.yamlload import load_yaml
from .layout import normalize

GENERAL = ("general", "general_transfer")
_TABLE = re.compile(r"^表?(\d+)$")


@dataclass(frozen=True)
class Item:
    """What a row asks for (the 项目 column): the figures field and how its text is cleaned."""

    field: str
    label: str
    max: int
    strip_end: str = ""
    strip_start: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetSpec:
    """``rules/notes-sheet/notes-sheet.yaml``: the sheet's name, headers, items and kinds of record."""

    sheet: str
    intro: str
    header_search_rows: int
    columns: dict[str, str]
    required_columns: tuple[str, ...]
    need_words: dict[bool, str]
    spare_rows: int
    items: dict[str, Item]
    kinds: dict[str, dict[str, Any]]
    names: dict[str, str]

    def table(self, kind: str) -> str:
        return str(self.kinds[kind]["table"])

    def item_by_label(self, label: str) -> Item | None:
        wanted = normalize(label)
        return next((i for i in self.items.values() if normalize(i.label) == wanted), None)


@cache
def sheet_spec() -> SheetSpec:
    """The 说明 sheet as ``rules/notes-sheet/notes-sheet.yaml`` describes it."""
    data = load_yaml(rules_dir() / "notes-sheet" / "notes-sheet.yaml", "rules/notes-sheet/notes-sheet.yaml")
    items = {key: Item(key, str(spec["label"]), int(spec["max"]), str(spec.get("strip_end", "")),
                       tuple(str(s) for s in spec.get("strip_start") or ()))
             for key, spec in data["items"].items()}
    words = data["need_words"]
    return SheetSpec(str(data["sheet"]), re.sub(r"\s+", "", str(data["intro"])), int(data["header_search_rows"]),
                     {k: str(v) for k, v in data["columns"].items()}, tuple(data["required_columns"]),
                     {True: str(words["needed"]), False: str(words["not_needed"])}, int(data["spare_rows"]),
                     items, dict(data["kinds"]), {k: str(v) for k, v in data["names"].items()})


@dataclass
class Slot:
    """One place for text: its key as the sheet shows it and where in the figures it goes."""

    kind: str
    table: str
    key: str
    name: str
    item: Item
    records: tuple[str, ...]           # the records' paths as the engine names them (functional[2] …)
    targets: list[dict[str, Any]] = field(default_factory=list)
    text: str | None = None

    @property
    def ident(self) -> tuple[str, str, str]:
        return slot_key(self.table, self.key, self.item.label)

    def write(self, text: str) -> None:
        """Put a text into every dict of the figures tree this slot stands for."""
        for target in self.targets:
            target[self.item.field if self.kind != "classes" else self.key] = text
        self.text = text


def table_key(text: Any) -> str:
    """A 表 cell compared loosely: “表2”, “表 2”, “2”, “表２” are the same."""
    plain = unicodedata.normalize("NFKC", normalize(text))
    found = _TABLE.match(plain)
    return f"表{int(found.group(1))}" if found else plain


def code_or_name(value: Any) -> str:
    """An 编码或名称 cell compared loosely; a code typed into Excel may be a number (2014004.0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", normalize(value))


def slot_key(table: Any, key: Any, item: Any) -> tuple[str, str, str]:
    """The key a row is looked up by (each part compared loosely)."""
    return table_key(table), code_or_name(key), normalize(item)


def _name(table: Any, code: str, year: int) -> str:
    return table.name(code, year) if code in table else ""


def catalogue(tree: dict[str, Any]) -> list[Slot]:
    """Every slot of a figures tree (an imported tree or a model dump), in the order of the text."""
    spec = sheet_spec()
    vocab = load_vocabulary()
    functional_names = load_classification("functional")
    year = int(tree["year"])
    found: dict[tuple[str, str, str], Slot] = {}

    model = schema_for(tree.get("format") or DEFAULT_FORMAT)

    def add(kind: str, key: str, name: str, record: str, target: dict[str, Any] | None) -> None:
        for field_name in spec.kinds[kind]["items"]:
            if not _has_field(model, kind, field_name, spec):
                continue  # a text only some formats write (上海's purpose of each 项): not a row of the others
            item = spec.items[field_name]
            value = (target or {}).get(key if kind == "classes" else field_name)
            slot = Slot(kind, spec.table(kind), key, name, item, (record,), [], value or None)
            known = found.setdefault(slot.ident, slot)
            if known is not slot:  # two projects or carryover lines of one name: one text for both
                known.records += (record,)
                known.text = known.text or slot.text
            if target is not None:
                known.targets.append(target)

    for source in fund_sources(tree.get("format")):
        entry = (tree.get("income") or {}).get(source["key"])
        if entry is not None:
            add("income", source["name"], "", f"income.{source['key']}", entry)
    for group in ("expenditure", "general_budget"):
        for key in ("basic", "project"):
            add(group, spec.names[key], "", f"{group}.{key}", (tree.get(group) or {}).get(key))
    items = tree.get("functional") or []
    for index, item in enumerate(items):
        add("functional", item["code"], _name(functional_names, item["code"], year), f"functional[{index}]", item)
    for code in sorted({i["code"][:3] for i in items}):
        add("classes", code, _name(functional_names, code, year), f"classes[{code}]", tree.get("purposes"))
    for index, project in enumerate(tree.get("projects") or []):
        add("projects", project["name"], "", f"projects[{index}]", project)
    for part in vocab["three_public"]:
        entry = (tree.get("three_public") or {}).get(part["key"])
        if entry is not None:
            add("three_public", part["name"], "", f"three_public.{part['key']}", entry)
    for index, line in enumerate(tree.get("carryover") or []):
        add("carryover", line["name"], "", f"carryover[{index}]", line)
    add("operating_costs", spec.names["operating_costs"], "", "operating_costs", tree.get("operating_costs"))
    add("other_notes", spec.names["other_notes"], "", "other_notes", tree)
    return list(found.values())


def _has_field(model: Any, kind: str, field_name: str, spec: SheetSpec) -> bool:
    """Whether the figures of the format have this ask-only field where the kind's records are."""
    if field_name not in (spec.kinds[kind].get("ask_only") or ()):
        return True
    here = model_at(model, (kind, 0))
    return here is None or field_name in here.fields


def general_classes(tree: dict[str, Any]) -> set[str]:
    """The 类 with 一般公共预算 money this year (those whose purposes the text lists)."""
    return {i["code"][:3] for i in tree.get("functional") or []
            if any((i.get(part) or {}).get(s) for part in ("basic", "project") for s in GENERAL)}


def clean_text(text: str, item: Item) -> str:
    """A typed text as the figures hold it: one line, no doubled lead-in, no final full stop."""
    text = re.sub(r"\s*\n\s*", "", text).strip()
    for lead in item.strip_start:
        if text.startswith(lead):
            text = text[len(lead):].lstrip()
            break
    return text.rstrip(item.strip_end).rstrip() if item.strip_end else text
