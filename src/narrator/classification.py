"""Classification data: official codes and names of the 支出功能分类 and 支出经济分类.

The tables are YAML under ``rules/classification/``; names in the text always come from
here, so a category has one name. A table is valid for a range of budget years, and keeps
the names that were in force before a rename (``renamed``), so that an older document gets
the name of its own year.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import FormatError, Location
from .resources import rules_dir
from .yamlload import load_yaml

LEVELS = {3: "类", 5: "款", 7: "项"}


@dataclass
class Classification:
    """One classification table (functional or economic) with its names by year."""

    title: str
    valid_from: int
    valid_to: int
    names: dict[str, str]
    renames: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def __contains__(self, code: str) -> bool:
        return code in self.names

    def name(self, code: str, year: int | None = None) -> str:
        """The official name of ``code`` in budget ``year`` (the current name if no year)."""
        if year is not None:
            for until, old_name in sorted(self.renames.get(code, ())):
                if year <= until:
                    return old_name
        return self.names[code]

    def all_names(self, code: str) -> set[str]:
        """Every name the code has had, current and former."""
        return {self.names[code], *(name for _, name in self.renames.get(code, ()))}

    def covers(self, year: int) -> bool:
        """Whether the table's names are known to hold for ``year``."""
        return self.valid_from <= year <= self.valid_to

    def suggest(self, code: str, limit: int = 3) -> list[str]:
        """Codes of the same length that look like ``code`` (a did-you-mean).

        Codes under the same parent come first (a mistyped 项 is most often a sibling),
        then codes that merely look alike.
        """
        same_level = [c for c in self.names if len(c) == len(code)]
        for prefix in (5, 3):
            siblings = [c for c in same_level if len(code) > prefix and c[:prefix] == code[:prefix]]
            if siblings:
                return difflib.get_close_matches(code, siblings, n=limit, cutoff=0) or siblings[:limit]
        return difflib.get_close_matches(code, same_level, n=limit, cutoff=0.6)

    def code_for_name(self, name: str, level: int | None = None) -> list[str]:
        """Codes whose current or former name is ``name``, optionally of one length."""
        hits = [c for c, n in self.names.items() if n == name]
        hits += [c for c, renames in self.renames.items() for _, n in renames if n == name]
        return sorted({c for c in hits if level is None or len(c) == level})


def _parse(data: object, path: Path) -> Classification:
    shown = str(path)
    if not isinstance(data, dict) or not isinstance(data.get("codes"), dict):
        raise FormatError.at(Location(shown), "分类数据", "分类文件应有 codes: 映射")
    names = {str(code): str(name) for code, name in data["codes"].items()}
    renames: dict[str, list[tuple[int, str]]] = {}
    for entry in data.get("renamed") or []:
        renames.setdefault(str(entry["code"]), []).append((int(entry["until"]), str(entry["name"])))
    return Classification(
        title=str(data.get("name", path.stem)),
        valid_from=int(data.get("valid_from", 0)),
        valid_to=int(data.get("valid_to", 9999)),
        names=names,
        renames=renames,
    )


@cache
def load_classification(kind: str) -> Classification:
    """The ``functional`` or ``economic`` table from ``rules/classification/``."""
    path = rules_dir() / "classification" / f"{kind}.yaml"
    return _parse(load_yaml(path), path)


@cache
def load_vocabulary() -> dict:
    """Keys and official names of fund sources, 三公 parts and other fixed budget items."""
    path = rules_dir() / "classification" / "budget-items.yaml"
    return load_yaml(path)
