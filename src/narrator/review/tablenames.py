"""table-name: a code printed in the document's tables with a name that is not its name that year.

The reference tables are checked by year (a name renamed before the document's year is an
outdated name). A printed name that is the start of the right one is a cell the PDF cut short,
not an error. Where the reference entry rests on memory alone, the difference is only a note:
the reference may be the one that is wrong.
"""

from __future__ import annotations

import difflib

from ..classification import Classification, reference_entry
from ..classification.naming import LIKENESS, graded, name_difference
from ..errors import Finding
from .tables import TableFacts
from .tablespec import display, key

RULE = "table-name"


def check_table_names(facts: TableFacts, year: int | None) -> list[Finding]:
    """Codes printed with a name other than their name in ``year`` (nothing when the year is unknown)."""
    if year is None:
        return []
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for table in facts.tables:
        for entry in table.entries:
            printed = display(key(entry.printed)) if entry.printed else ""
            if not entry.code or not printed or (entry.code, printed) in seen:
                continue
            seen.add((entry.code, printed))
            found = reference_entry(entry.code)
            if found is None:
                continue
            reference, known = found
            right = known.name_in(year)
            if right.startswith(printed):
                continue  # the right name, or its start in a cell the PDF cut short
            other = _code_named(reference, printed, year, entry.code)
            if other:
                findings.append(Finding(entry.location, "note", RULE, (
                    f"表“{table.title.strip()}”：科目 {entry.code} 印作“{printed}”，这是 {other} 的名称"
                    f"（{entry.code} 为“{right}”）：编码与名称不对应，或表格按行次自行编号")))
                continue
            other_years = printed in {known.name, *(name for _, name in known.formerly)}
            if not other_years and difflib.SequenceMatcher(None, printed, right).ratio() < LIKENESS:
                continue  # another wording altogether (a local sub-item), not this code's name misspelt
            message = name_difference(known, printed, year, reference)
            if message is None:
                continue
            level, message = graded(known, message)
            findings.append(Finding(entry.location, level, RULE, f"表“{table.title.strip()}”：{message}"))
    return findings


def _code_named(reference: Classification, name: str, year: int, code: str) -> str:
    """Another code of the same parent whose name in ``year`` is ``name`` ("" if none)."""
    parent = code[:-2]
    return next((c for c, e in reference.entries.items() if c != code and len(c) == len(code)
                 and c.startswith(parent) and e.name_in(year) == name), "")
