"""empty-section: a section heading of the body with nothing under it.

“一、主要职责” followed at once by “二、机构设置情况” leaves the duties unsaid: the text of the
section was lost (or never written). Only in the body: a contents page lists its headings one after
another (:func:`.contents.contents_blocks` tells its lines). A heading ending as a sentence does
(“一、收入预算 214.20 万元。”) holds its own text; a heading followed by its own subsections, a
table (in review, also one the reader took out of the text) or any line that is not the next heading
of its level is not empty. Three headings of a level
one after another are a list of them (a contents page the reader did not know as one, a table's
rows), and a line with columns is a table's row: neither is reported, nor the lines after a “目录”
line before any line of prose.

Parameter ``levels``: the heading kinds checked (``section`` for “一、”, ``subsection`` for “（一）”).
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding
from ...numbers import numeral_value
from ...caches.regexcache import regex
from .contents import contents_blocks

_SENTENCE_END = regex(r"[。；;：:！？!?]\s*$|\d")
# (looser than existence.TABLE_ROW, which wants two gaps: a row of two cells is a table's too)
_COLUMNS = regex(r"\S {2,}\S|\t")
_PLACE = {"section": 0, "subsection": 1}
_CONTENTS_TITLE = regex(r"^\s*目\s*录\s*$")
_PROSE = regex(r"[。，,；;]")
_SPACES = regex(r"\s+")


def _table_between(context: Any, line: Any, following: Any) -> bool:
    """Whether a table the reader took out of the text was printed between two lines of it (review)."""
    if context.place_of is None or not context.tables:
        return False
    top, bottom = context.place_of(line.start), context.place_of(following.start)
    low, high = (top.page or 0, top.line), (bottom.page or 0, bottom.line)
    return any(low < ((row.location.page or 0), row.location.line) < high
               for table in context.tables for row in table.rows[:1])


def _after_contents_title(lines: list[Any], asides: Any = ()) -> set[int]:
    """The lines after a “目 录” line up to the first line of prose or the first entry written again
    (the body's own heading): a contents page whose entries the text read does not repeat (an
    excerpt cut before its body). A reader that kept the “目 录” line out of the text (an aside)
    leaves the entries at its top."""
    listed: set[int] = set()
    seen: set[str] = set()
    open_ = any(aside.role == "contents" and _CONTENTS_TITLE.match(aside.text) for aside in asides)
    for line in lines:
        entry = _SPACES.sub("", line.text)
        if _CONTENTS_TITLE.match(line.text):
            open_, seen = True, set()
        elif open_ and (_PROSE.search(line.text) or entry in seen):
            open_ = False
        elif open_:
            listed.add(line.number)
            seen.add(entry)
    return listed


def run(rule: Any, context: Any) -> list[Finding]:
    """Each body heading whose next line with text is the next heading of its level."""
    levels = set(rule.params.get("levels") or ["section"])
    lines = [line for line in context.doc.lines if line.text.strip()]
    contents = None
    findings = []
    for at, (line, following) in enumerate(zip(lines, lines[1:])):
        if line.heading not in levels or following.heading != line.heading or _SENTENCE_END.search(line.text):
            continue
        before = lines[at - 1] if at else None
        after = lines[at + 2] if at + 2 < len(lines) else None
        in_run = any(other is not None and other.heading == line.heading for other in (before, after))
        if in_run or _COLUMNS.search(line.text) or _COLUMNS.search(following.text):
            continue  # a run of three headings is a list of them (a contents page, a table's rows)
        # the heading's numeral, as the reader keeps it for the line (section, subsection)
        place = _PLACE[line.heading]
        this, that = numeral_value(line.section[place]), numeral_value(following.section[place])
        if this is None or that != this + 1:
            continue
        if contents is None:
            contents = contents_blocks(context)[1] | _after_contents_title(lines, context.asides)
        if line.number in contents or following.number in contents or _table_between(context, line, following):
            continue
        start = line.start + len(line.text) - len(line.text.lstrip())
        findings.append(context.finding(rule, start, heading=line.text.strip(), next=following.text.strip()))
    return findings
