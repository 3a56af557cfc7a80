"""existence: a pattern that must not appear (template residue, doubled words, “.” …).

Parameters: ``patterns`` (regular expressions); ``allow_format_phrases: true`` exempts a match
that lies inside one of the document format's own phrases (e.g. the xinjiang-2025 format writes
no change in “三公” as “增加0.00万元，增长0.00%”, so that wording is not reported there).
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import Finding


def _exempt(line: str, start: int, end: int, pieces: tuple[str, ...]) -> bool:
    """Whether ``[start, end)`` lies inside one of the format's phrase pieces (spaces ignored)."""
    squeezed, index = [], []
    for position, char in enumerate(line):
        if not char.isspace():
            squeezed.append(char)
            index.append(position)
    text = "".join(squeezed)
    for piece in pieces:
        for match in re.finditer(re.escape(piece), text):
            first, last = index[match.start()], index[match.end() - 1]
            if first <= start and end - 1 <= last:
                return True
    return False


def run(rule: Any, context: Any) -> list[Finding]:
    """Every match of every pattern, line by line."""
    findings = {}
    exempt = bool(rule.params.get("allow_format_phrases"))
    for line in context.doc.lines:
        taken: list[tuple[int, int]] = []
        for pattern in rule.compiled:
            for match in pattern.finditer(line.text):
                offset = line.start + match.start()
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue  # two patterns of one rule on one stretch of text: one finding
                taken.append(match.span())
                if exempt and _exempt(line.text, match.start(), match.end(), context.format_phrases):
                    continue
                findings[offset] = context.finding(rule, offset, match=match.group())
    return [findings[k] for k in sorted(findings)]
