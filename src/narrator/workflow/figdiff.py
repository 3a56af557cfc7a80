"""Which figures changed between two figures files, and which sentences each change touches.

Figures are compared as YAML trees: mappings key by key, lists of items with a unique ``code``
(or ``name``) item by item, so that inserting a 项 does not look like every later 项 changing.
A change is one leaf (``income.general.amount``), or a whole item added or removed
(``functional[2080502]``).

The sentences a change touches are found exactly, by rendering: the old figures with only that
one change applied are rendered and compared with the old text. What changes is what depends
on that figure — through any rule, total, share or wording — with no dependency bookkeeping
that could drift from the rules and templates.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..errors import NarratorError
from ..intake.figures import validate_figures
from ..text.render import render_figures
from ..text.sentences import Unit, align, split_units
from ..loading.yamlload import locate

ABSENT = object()


@dataclass
class Change:
    """One figure that differs: its path as steps and as text, and both values."""

    steps: tuple
    path: str
    old: Any
    new: Any
    touched: set[int] = field(default_factory=set)  # old units this change alters or removes
    added: set[str] = field(default_factory=set)  # unit texts this change brings in
    exact: bool = True  # False when the figures with only this change could not be rendered

    def describe(self) -> str:
        """``income.general.amount 214.20 → 220.00`` (or 新增 / 删去)."""
        if self.old is ABSENT:
            return f"{self.path}（新增）"
        if self.new is ABSENT:
            return f"{self.path}（删去）"
        return f"{self.path} {_show(self.old)} → {_show(self.new)}"


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "（内容有变）"
    text = "空" if value is None else str(value)
    return text if len(text) <= 24 else text[:23] + "…"


def plain(value: Any) -> Any:
    """A YAML tree as plain dicts and lists (no located subclasses)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _list_key(items: list) -> str | None:
    for key in ("code", "name"):
        values = [i.get(key) if isinstance(i, dict) else None for i in items]
        if all(v is not None for v in values) and len(set(map(str, values))) == len(values):
            return key
    return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return type(a) in (int, Decimal) and type(b) in (int, Decimal) and a == b
    return type(a) is type(b) and a == b


def figure_changes(old: Any, new: Any, steps: tuple = (), path: str = "") -> list[Change]:
    """Every changed leaf (or whole added / removed item) between two plain YAML trees."""
    if old is ABSENT or new is ABSENT:
        return [Change(steps, path, old, new)]
    if isinstance(old, dict) and isinstance(new, dict):
        changes = []
        for key in [*old, *(k for k in new if k not in old)]:
            sub = f"{path}.{key}" if path else str(key)
            changes += figure_changes(old.get(key, ABSENT), new.get(key, ABSENT), steps + (("key", key),), sub)
        return changes
    if isinstance(old, list) and isinstance(new, list):
        key = _list_key(old) if _list_key(old) == _list_key(new) else None
        if key is None:
            return [] if old == new else [Change(steps, path, old, new)]
        old_by = {str(i[key]): i for i in old}
        new_by = {str(i[key]): i for i in new}
        changes = []
        for value in [*old_by, *(k for k in new_by if k not in old_by)]:
            where = list(new_by).index(value) if value in new_by else 0
            changes += figure_changes(old_by.get(value, ABSENT), new_by.get(value, ABSENT),
                                      steps + (("item", key, value, where),), f"{path}[{value}]")
        return changes
    return [] if _same(old, new) else [Change(steps, path, old, new)]


def apply_change(tree: Any, change: Change) -> Any:
    """A copy of ``tree`` with ``change`` applied (and nothing else)."""
    tree = copy.deepcopy(tree)
    node = tree
    *parents, last = change.steps
    for step in parents:
        node = node[step[1]] if step[0] == "key" else next(i for i in node if str(i[step[1]]) == step[2])
    if last[0] == "key":
        if change.new is ABSENT:
            del node[last[1]]
        else:
            node[last[1]] = copy.deepcopy(change.new)
    else:
        _, key, value, where = last
        index = next((n for n, i in enumerate(node) if str(i[key]) == value), None)
        if index is not None:
            del node[index]
        if change.new is not ABSENT:
            node.insert(where if index is None else index, copy.deepcopy(change.new))
    return tree


def trace(changes: list[Change], old_tree: Any, old_units: list[Unit], format_name: str,
          convert: Any = None) -> None:
    """Fill each change's ``touched`` and ``added`` by rendering the old figures with it alone."""
    for change in changes:
        try:
            loaded = validate_figures(apply_change(old_tree, change), "<变体>")
            text = render_figures(loaded, format_name).text
        except NarratorError:
            change.exact = False
            continue
        units = split_units((convert(text) if convert else text).strip("\n"))
        pairs = align(old_units, units, moves=False)
        change.touched = {i for i, u in enumerate(old_units)
                          if i not in pairs or units[pairs[i]].text != u.text}
        kept = set(pairs.values())
        change.added = {u.text for j, u in enumerate(units) if j not in kept}


def causes_of_old(changes: list[Change], index: int) -> list[Change]:
    """The changes that alter old unit ``index`` (all inexact ones if none alone does)."""
    found = [c for c in changes if index in c.touched]
    return found or [c for c in changes if not c.exact] or changes


def causes_of_new(changes: list[Change], text: str) -> list[Change]:
    """The changes that bring in a new unit with ``text``."""
    found = [c for c in changes if text in c.added]
    return found or [c for c in changes if not c.exact] or changes


def line_of(tree: Any, change: Change, shown: str) -> int:
    """The line of the changed figure in a located YAML tree (0 when it is not there)."""
    parts: list[Any] = []
    node = tree
    for step in change.steps:
        if step[0] == "key":
            parts.append(step[1])
            node = node.get(step[1]) if isinstance(node, dict) else None
        else:
            index = next((n for n, i in enumerate(node or []) if str(i.get(step[1])) == step[2]), None)
            if index is None:
                break
            parts.append(index)
            node = node[index]
    return locate(tree, parts, shown).line
