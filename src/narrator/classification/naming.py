"""The names a figures file's codes take in the text: the department's own first.

A department's published tables print each code with its name; a figures file carries them
in ``names:`` (any code) or an item's ``name:``. The text uses those names. The reference
tables are what they are checked against, for the document's year: a different name is a
warning (a typo, or an outdated name), a code the reference does not know is accepted with
a note when the figures name it, and refused only when no name is given anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import Finding, Location
from .reference import kind_of, reference_entry
from .table import LEVELS, Classification, Entry

#: The rule names of the findings below.
UNKNOWN, UNLISTED, NAME, NOT_IN_YEAR = "unknown-code", "unlisted-code", "classification-name", "code-not-in-year"


@dataclass(frozen=True)
class Naming:
    """Names of codes for one document: the department's given names, then the reference's."""

    year: int
    given: dict[str, str] = field(default_factory=dict)
    editions: tuple[Classification, ...] = ()

    def name(self, code: str) -> str:
        """The name ``code`` takes in the text; ``KeyError`` when nobody knows it."""
        if code in self.given:
            return self.given[code]
        found = reference_entry(code, self.editions)
        if found is None:
            raise KeyError(code)
        return found[1].name_in(self.year)


@dataclass(frozen=True)
class UsedCode:
    """A code a figures file uses, where, and the name it gives (if any) and where."""

    code: str
    where: Location
    given: str | None = None
    given_at: Location | None = None


def check_names(used: list[UsedCode], naming: Naming,
                unknown_message: Callable[[Classification | None, str], str]) -> list[Finding]:
    """Findings for the codes ``used``: unknown ones, names that differ from the reference.

    ``unknown_message(table, code)`` words the error for a code nobody names (the caller knows
    what the code was meant to be, e.g. a 项 of the functional table, and can suggest others).
    """
    findings: list[Finding] = []
    for use in used:
        found = reference_entry(use.code, naming.editions)
        level = LEVELS.get(len(use.code), "")
        if found is None:
            if use.given is None:
                findings.append(Finding(use.where, "error", UNKNOWN, unknown_message(_table_of(use.code, naming), use.code)))
            else:
                findings.append(Finding(
                    use.given_at or use.where, "warning", UNLISTED,
                    f"参考科目表中没有{level}级科目 {use.code}，按数据文件所写的名称“{use.given}”使用；"
                    f"请核对{naming.year}年政府收支分类科目"))
            continue
        table, entry = found
        if not entry.exists_in(naming.year):
            findings.append(Finding(use.where, "warning", NOT_IN_YEAR, _not_in_year(entry, naming.year, table)))
        if use.given is not None:
            message = name_difference(entry, use.given, naming.year, table)
            if message:
                findings.append(Finding(use.given_at or use.where, "warning", NAME, message))
    return findings


#: Below this likeness a printed name is some other wording (a local sub-item), not a code's name misspelt.
LIKENESS = 0.5


def graded(entry: Entry, message: str) -> tuple[str, str]:
    """(level, message) of a name finding: a warning, or only a note where the reference entry rests
    on memory alone (the reference may be the one that is wrong)."""
    if entry.sureness == "memory":
        return "note", message + "（科目表此条仅凭记忆录入，亦请核对）"
    return "warning", message


def name_difference(entry: Entry, name: str, year: int, table: Classification) -> str | None:
    """Why ``name`` is not ``entry``'s name in ``year`` (None when it is)."""
    right = entry.name_in(year)
    if name == right:
        return None
    renamed = entry.renamed_in(name)
    if renamed is not None and renamed <= year:
        return f"“{name}”是科目 {entry.code} {renamed - 1}年及以前的名称，{renamed}年起称“{right}”"
    if name in {entry.name, *(n for _, n in entry.formerly)}:
        return f"科目 {entry.code} 在{year}年称“{right}”，“{name}”是其他年度的名称"
    return f"科目 {entry.code} 的名称“{name}”与{year}年{table.title}的“{right}”不同，请核对（笔误或已改名？）"


def _not_in_year(entry: Entry, year: int, table: Classification) -> str:
    if entry.since is not None and year < entry.since:
        return f"科目 {entry.code} {entry.name} {entry.since}年起才设立，{year}年的{table.title}中没有它"
    return f"科目 {entry.code} {entry.name_in(year)} {entry.until}年后已停用，{year}年的{table.title}中没有它"


def _table_of(code: str, naming: Naming) -> Classification | None:
    from .reference import load_classification

    kind = kind_of(code)
    return load_classification(kind, naming.editions) if kind else None


def given_names(model: Any) -> dict[str, str]:
    """The department's names of codes in a figures model: ``names:`` and items' ``name:``."""
    given = {code: name.strip() for code, name in model.names.items() if name and name.strip()}
    for item in model.functional:
        if item.name and item.name.strip():
            given.setdefault(item.code, item.name.strip())
    return given
