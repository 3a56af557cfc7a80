"""substitution: a non-standard word with its standard replacement (降低 → 下降 before a %).

Parameter ``swap``: a list of ``{pattern: 正则, replacement: 规范写法}``; ``since``: a year — the
rule applies to documents of that year or later (a name that was right before then), and to
documents whose year is unknown; ``table_cells: true``: the cells of the tables a reader took out of
the text are read too (a row “3、公务用车费 | 1264.23 | …”), each finding at its cell. A pattern
may take in context around the word it is about: its named group ``at`` is where the finding is
reported, its group ``shown`` the word the message quotes (the whole match when it has none).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex
from ..literals import may_match
from .cells import table_cells
from .existence import spot_of


@cache
def _compiled(pattern: str) -> re.Pattern:
    return regex(pattern)


def run(rule: Any, context: Any) -> list[Finding]:
    """Every non-standard word, with the word to use instead."""
    swaps = tuple((str(s["pattern"]), str(s["replacement"])) for s in rule.params.get("swap") or [])
    since = rule.params.get("since")
    if since is not None and context.year is not None and context.year < int(since):
        return []
    findings = []
    text = context.doc.text
    for pattern, replacement in swaps:
        if not may_match(pattern, text):
            continue  # a word whose required text is not there: not even compiled
        for match in _compiled(pattern).finditer(text):
            at, shown = spot_of(match)
            findings.append((at, context.finding(rule, at, match=shown, replacement=replacement)))
    if rule.params.get("table_cells"):
        _in_cells(rule, context, swaps)
    return [finding for _, finding in sorted(findings, key=lambda pair: pair[0])]


def _in_cells(rule: Any, context: Any, swaps: tuple[tuple[str, str], ...]) -> None:
    """The non-standard words of the tables' cells, kept at each cell's place (context.placed)."""
    for place, cell in table_cells(context):
        for pattern, replacement in swaps:
            if may_match(pattern, cell):
                for match in _compiled(pattern).finditer(cell):
                    at, shown = spot_of(match)
                    context.finding_at(rule, (place, at), match=shown, replacement=replacement)

