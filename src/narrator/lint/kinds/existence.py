"""existence: a pattern that must not appear (template residue, doubled words, “.” …).

Parameters: ``patterns`` (regular expressions, matched within a line); ``allow_format_phrases:
true`` exempts a match that lies inside one of the document format's own phrases (e.g. the
xinjiang-2025 format writes no change in “三公” as “增加0.00万元，增长0.00%”, so that wording is
not reported there). Overlapping matches of one rule are one finding.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ...errors import Finding


@lru_cache(maxsize=1024)
def _squeezed(line: str) -> tuple[str, tuple[int, ...]]:
    """The line without spaces, and for each kept character its column in the line."""
    index = tuple(i for i, char in enumerate(line) if not char.isspace())
    return "".join(line[i] for i in index), index


def _exempt(line: str, start: int, end: int, pieces: tuple[str, ...]) -> bool:
    """Whether ``[start, end)`` lies inside one of the format's phrase pieces (spaces ignored)."""
    text, index = _squeezed(line)
    for piece in pieces:
        found = text.find(piece)
        while found >= 0:
            if index[found] <= start and end - 1 <= index[found + len(piece) - 1]:
                return True
            found = text.find(piece, found + 1)
    return False


def run(rule: Any, context: Any) -> list[Finding]:
    """Every match of every pattern, reported where it starts."""
    doc = context.doc
    exempt = bool(rule.params.get("allow_format_phrases"))
    taken: list[tuple[int, int]] = []
    findings = []
    for pattern in rule.compiled:
        for match in pattern.finditer(doc.text):
            if "\n" in match.group():
                continue  # patterns are about one line
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue  # two patterns of one rule on one stretch of text: one finding
            if exempt:
                line = doc.lines[doc.position(match.start())[0] - 1]
                if _exempt(line.text, match.start() - line.start, match.end() - line.start,
                           tuple(context.format_phrases)):
                    continue
            taken.append(match.span())
            findings.append((match.start(), context.finding(rule, match.start(), match=match.group())))
    return [finding for _, finding in sorted(findings, key=lambda pair: pair[0])]
