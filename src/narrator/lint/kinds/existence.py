"""existence: a pattern that must not appear (template residue, doubled words, “.” …).

Parameters:

- ``patterns``: regular expressions, matched within a line. A match is reported where it starts,
  or where its named group ``at`` starts when the pattern has one (the pattern may take in
  context before the spot it is about); the message's ``{match}`` is the whole match, or its
  named group ``shown`` when the pattern has one.
- ``allow``: literal texts in which a match is right (“常常”, “项目目标”): a match lying inside
  an occurrence of one of them is not reported; ``allow_patterns``: the same as regular expressions.
- ``allow_format_phrases: true`` exempts a match that lies inside one of the document format's
  own phrases (e.g. the xinjiang-2025 format writes no change in “三公” as “增加0.00万元，增长
  0.00%”, so that wording is not reported there).
- ``skip_table_rows: true``: lines that look like rows of a table copied from a PDF (columns
  separated by runs of spaces) are not checked.
- ``per_line: true``: one finding per line, at the first match, with ``message_many`` (which
  may use ``{count}``) when the line has more than one.
- ``asides: [contents, caption]``: also check the lines a reader kept out of the text with those
  roles (a contents page, table captions); their findings are placed at the original line.

Overlapping matches of one rule are one finding.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ...errors import Finding

#: Columns of a table row copied with pdftotext -layout: two gaps of three or more spaces.
TABLE_ROW = re.compile(r"\S(?: {3,}|[ ]*\t[ \t]*)\S.*\S(?: {3,}|[ ]*\t[ \t]*)\S")


@lru_cache(maxsize=1024)
def _squeezed(line: str) -> tuple[str, tuple[int, ...]]:
    """The line without spaces, and for each kept character its column in the line."""
    index = tuple(i for i, char in enumerate(line) if not char.isspace())
    return "".join(line[i] for i in index), index


def inside_piece(line: str, start: int, end: int, pieces: tuple[str, ...]) -> bool:
    """Whether ``[start, end)`` of ``line`` lies inside one of ``pieces`` (spaces ignored)."""
    text, index = _squeezed(line)
    for piece in pieces:
        piece = re.sub(r"\s+", "", piece)
        if not piece:
            continue
        found = text.find(piece)
        while found >= 0:
            if index[found] <= start and end - 1 <= index[found + len(piece) - 1]:
                return True
            found = text.find(piece, found + 1)
    return False


@lru_cache(maxsize=64)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns)


def _inside_pattern(line: str, start: int, end: int, patterns: tuple[re.Pattern, ...]) -> bool:
    return any(m.start() <= start and end <= m.end() for p in patterns for m in p.finditer(line))


def run(rule: Any, context: Any) -> list[Finding]:
    """Every match of every pattern, reported where it starts (or at its group ``at``)."""
    doc = context.doc
    pieces = tuple(str(p) for p in rule.params.get("allow") or [])
    if rule.params.get("allow_format_phrases"):
        pieces += tuple(context.format_phrases)
    allow_patterns = _compiled(tuple(str(p) for p in rule.params.get("allow_patterns") or []))
    skip_tables = bool(rule.params.get("skip_table_rows"))
    taken: list[tuple[int, int]] = []
    spots: list[tuple[int, int, str]] = []     # (offset reported, line number, matched text)
    for pattern in rule.compiled:
        for match in pattern.finditer(doc.text):
            if "\n" in match.group():
                continue  # patterns are about one line
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue  # two patterns of one rule on one stretch of text: one finding
            at = match.start("at") if "at" in pattern.groupindex and match.start("at") >= 0 else match.start()
            line = doc.lines[doc.position(match.start())[0] - 1]
            if skip_tables and TABLE_ROW.search(line.text):
                continue
            span = (at - line.start, match.end() - line.start)
            if pieces and inside_piece(line.text, *span, pieces):
                continue
            if allow_patterns and _inside_pattern(line.text, *span, allow_patterns):
                continue
            taken.append(match.span())
            shown = match.group("shown") if "shown" in pattern.groupindex and match.group("shown") else match.group()
            spots.append((at, line.number, shown))
    spots.sort()
    _check_asides(rule, context, tuple(str(r) for r in rule.params.get("asides") or ()))
    if rule.params.get("per_line"):
        return _per_line(rule, context, spots)
    return [context.finding(rule, at, match=text) for at, _, text in spots]


def _check_asides(rule: Any, context: Any, roles: tuple[str, ...]) -> None:
    """The rule's matches on the asides of ``roles``, one per stretch (kept in ``context.placed``)."""
    for aside in context.asides if roles else ():
        if aside.role not in roles:
            continue
        taken: list[tuple[int, int]] = []
        for pattern in rule.compiled:
            for match in pattern.finditer(aside.text):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                taken.append(match.span())
                context.finding_at(rule, (aside, match.start()), match=match.group())


def _per_line(rule: Any, context: Any, spots: list[tuple[int, int, str]]) -> list[Finding]:
    """One finding per line: the first match, with the number of matches on that line."""
    by_line: dict[int, list[tuple[int, int, str]]] = {}
    for spot in spots:
        by_line.setdefault(spot[1], []).append(spot)
    findings = []
    for number in sorted(by_line):
        first = by_line[number][0]
        count = len(by_line[number])
        finding = context.finding(rule, first[0], match=first[2], count=count)
        if count > 1 and rule.params.get("message_many"):
            message = str(rule.params["message_many"]).format(match=first[2], count=count)
            finding = Finding(finding.location, finding.level, finding.rule, message)
        findings.append(finding)
    return findings
