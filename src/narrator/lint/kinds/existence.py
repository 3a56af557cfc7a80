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
- ``most: N``: a document with more than N matches is told of them once, at the first, with
  ``message_many`` (which may use ``{many}``): a habit of the whole text (full-width commas as the
  thousands separator of every amount), not a slip a line.
- ``headings_only: true``: only lines that are section or subsection headings (and, with
  ``asides: [contents]``, the contents page) are checked.
- ``documents: final-accounts`` (or ``budget``): only in documents of that kind, told by the title
  (“…决算…” is final accounts).
- ``asides: [contents, caption]``: also check the lines a reader kept out of the text with those
  roles (a contents page, table captions); their findings are placed at the original line.
- ``table_cells: true``: the cells of the tables a reader took out of the text are read too (a
  绩效 form's “评价结论 | ……（200字以内）”), each finding at its cell.
- ``needs``: a regular expression that every match of the patterns holds within it: the patterns
  are searched only in a text (an aside) where it matches. A cheap search that spares a costly one
  (stray-fragment's pattern tries some two thousand ways at each char of a sentence; what it
  reports always holds “。X。”, which most texts lack).

Overlapping matches of one rule are one finding.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex
from ..document import document_kind
from ..literals import may_match
from .cells import table_cells

#: Columns of a table row copied with pdftotext -layout: two gaps of three or more spaces.
TABLE_ROW = regex(r"\S(?: {3,}|[ ]*\t[ \t]*)\S.*\S(?: {3,}|[ ]*\t[ \t]*)\S")


def spot_of(match: re.Match) -> tuple[int, str]:
    """Where a match is reported (its group ``at``, else its start) and what its message quotes
    (its group ``shown``, else the whole match)."""
    groups = match.re.groupindex
    at = match.start("at") if "at" in groups and match.start("at") >= 0 else match.start()
    shown = match.group("shown") if "shown" in groups and match.group("shown") else match.group()
    return at, shown


@lru_cache(maxsize=256)
def _table_row(line: str) -> bool:
    """Whether a line looks like a table row (asked once per line, not once per match)."""
    return TABLE_ROW.search(line) is not None


@lru_cache(maxsize=1024)
def _squeezed(line: str) -> tuple[str, tuple[int, ...]]:
    """The line without spaces, and for each kept character its column in the line."""
    index = tuple(i for i, char in enumerate(line) if not char.isspace())
    return "".join(line[i] for i in index), index


def inside_piece(line: str, start: int, end: int, pieces: tuple[str, ...]) -> bool:
    """Whether ``[start, end)`` of ``line`` lies inside one of ``pieces`` (spaces ignored)."""
    index, reach = _reach(line, pieces)
    at = bisect.bisect_right(index, start) - 1
    return at >= 0 and reach[at] >= end - 1


@lru_cache(maxsize=256)
def _reach(line: str, pieces: tuple[str, ...]) -> tuple[tuple[int, ...], list[int]]:
    """For each kept character of the line: the furthest column an occurrence of a piece starting
    at or before it reaches. Computed once per line, so a line with thousands of matches is linear."""
    text, index = _squeezed(line)
    reach = [-1] * len(text)
    for piece in _squeezed_pieces(pieces):
        found = text.find(piece)
        while found >= 0:
            reach[found] = max(reach[found], index[found + len(piece) - 1])
            found = text.find(piece, found + 1)
    for i in range(1, len(reach)):
        reach[i] = max(reach[i], reach[i - 1])
    return index, reach


@lru_cache(maxsize=64)
def _squeezed_pieces(pieces: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(piece for piece in (re.sub(r"\s+", "", p) for p in pieces) if piece)


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern:
    return regex(pattern)


def _inside_pattern(spans: tuple[tuple[list[int], list[int]], ...], start: int, end: int) -> bool:
    for starts, ends in spans:
        at = bisect.bisect_right(starts, start) - 1  # a pattern's matches do not overlap: one candidate
        if at >= 0 and end <= ends[at]:
            return True
    return False


def _pattern_spans(line: str, patterns: tuple[str, ...]) -> tuple[tuple[list[int], list[int]], ...]:
    """The matches of each allowed pattern in a line, found once per line (not once per match).

    A pattern is compiled only for a line holding the literal texts it needs (doubled-character
    has 170 allowed patterns, a few milliseconds to compile, and a line is about one or two)."""
    spans = []
    for pattern in patterns:
        if not may_match(pattern, line):
            continue
        found = [m.span() for m in _compiled(pattern).finditer(line)]
        if found:  # most allowed patterns are not on a line at all
            spans.append(([s for s, _ in found], [e for _, e in found]))
    return tuple(spans)


#: Findings of one rule on one line at most: a real line never holds more, and a hostile line
#: (80,000 “元”) would otherwise cost a finding, a piece test and a position for each match.
MAX_PER_LINE = 20
#: Matches of one rule looked at on one line at most, allowed ones included (80,000 “一” are
#: 40,000 allowed “一一”): past this the line is not prose.
MAX_LOOKED_AT = 500


class _Taken:
    """Stretches already reported (never overlapping, so kept sorted): an overlap test in log time."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect.bisect_left(self.starts, end) - 1  # the last stretch starting before ``end``
        return at >= 0 and self.ends[at] > start

    def add(self, start: int, end: int) -> None:
        at = bisect.bisect_left(self.starts, start)
        self.starts.insert(at, start)
        self.ends.insert(at, end)


def run(rule: Any, context: Any) -> list[Finding]:
    """Every match of every pattern, reported where it starts (or at its group ``at``)."""
    doc = context.doc
    wanted_kind = rule.params.get("documents")
    if wanted_kind and document_kind(doc) != wanted_kind:
        return []
    headings_only = bool(rule.params.get("headings_only"))
    pieces = tuple(str(p) for p in rule.params.get("allow") or [])
    if rule.params.get("allow_format_phrases"):
        pieces += tuple(context.format_phrases)
    allow_patterns = tuple(str(p) for p in rule.params.get("allow_patterns") or [])
    skip_tables = bool(rule.params.get("skip_table_rows"))
    taken = _Taken()
    allowed: dict[int, tuple] = {}  # line number → the allowed patterns' matches on it
    spots: list[tuple[int, int, str]] = []     # (offset reported, line number, matched text)
    per_line: dict[int, int] = {}  # line number → matches kept on it (capped unless counted per line)
    looked_at: dict[int, int] = {}  # line number → matches looked at on it
    capped = not rule.params.get("per_line")
    for pattern in _patterns_for(rule, doc.text):
        for match in pattern.finditer(doc.text):
            if "\n" in match.group():
                continue  # patterns are about one line
            if taken.overlaps(*match.span()):
                continue  # two patterns of one rule on one stretch of text: one finding
            at, shown = spot_of(match)
            line = doc.lines[doc.position(match.start())[0] - 1]
            if capped and (per_line.get(line.number, 0) >= MAX_PER_LINE
                           or looked_at.get(line.number, 0) >= MAX_LOOKED_AT):
                continue
            looked_at[line.number] = looked_at.get(line.number, 0) + 1
            if (skip_tables and _table_row(line.text)) or (headings_only and not line.heading):
                continue
            span = (at - line.start, match.end() - line.start)
            if pieces and inside_piece(line.text, *span, pieces):
                continue
            if allow_patterns:
                if line.number not in allowed:
                    allowed[line.number] = _pattern_spans(line.text, allow_patterns)
                if _inside_pattern(allowed[line.number], *span):
                    continue
            taken.add(*match.span())
            per_line[line.number] = per_line.get(line.number, 0) + 1
            spots.append((at, line.number, shown))
    spots.sort()
    _check_asides(rule, context, tuple(str(r) for r in rule.params.get("asides") or ()))
    if rule.params.get("table_cells"):
        _check_cells(rule, context, pieces)
    if rule.params.get("per_line"):
        return _per_line(rule, context, spots)
    most = rule.params.get("most")
    if most is not None and len(spots) > int(most):
        at, _, text = spots[0]
        return [context.finding(rule, at, "message_many", match=text, many=len(spots))]
    return [context.finding(rule, at, match=text) for at, _, text in spots]


def _patterns_for(rule: Any, text: str) -> list[re.Pattern]:
    """The rule's patterns that may match in ``text``: none where its ``needs`` does not match."""
    needs = rule.params.get("needs")
    if needs and _compiled(str(needs)).search(text) is None:
        return []
    return rule.patterns_for(text)


def _check_asides(rule: Any, context: Any, roles: tuple[str, ...]) -> None:
    """The rule's matches on the asides of ``roles``, one per stretch (kept in ``context.placed``)."""
    _check_apart(rule, context, [(a, a.text) for a in context.asides if a.role in roles] if roles else [], ())


def _check_cells(rule: Any, context: Any, pieces: tuple[str, ...]) -> None:
    """The rule's matches in the tables' cells, at each cell's place (``context.placed``); a match
    inside one of the allowed ``pieces`` is not one."""
    _check_apart(rule, context, table_cells(context), pieces)


def _check_apart(rule: Any, context: Any, places: Any, pieces: tuple[str, ...]) -> None:
    """The rule's matches in texts read apart from the body ((place, text) pairs: asides, cells),
    one per stretch, each kept at its place (``context.placed``)."""
    for place, text in places:
        taken: list[tuple[int, int]] = []
        for pattern in _patterns_for(rule, text):
            for match in pattern.finditer(text):
                if any(s < match.end() and match.start() < e for s, e in taken) \
                        or (pieces and inside_piece(text, *match.span(), pieces)):
                    continue
                taken.append(match.span())
                context.finding_at(rule, (place, match.start()), match=match.group())


def _per_line(rule: Any, context: Any, spots: list[tuple[int, int, str]]) -> list[Finding]:
    """One finding per line: the first match, with the number of matches on that line."""
    by_line: dict[int, list[tuple[int, int, str]]] = {}
    for spot in spots:
        by_line.setdefault(spot[1], []).append(spot)
    findings = []
    for number in sorted(by_line):
        first = by_line[number][0]
        count = len(by_line[number])
        many = count > 1 and rule.params.get("message_many")
        findings.append(context.finding(rule, first[0], "message_many" if many else None, match=first[2], count=count))
    return findings
