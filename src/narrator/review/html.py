"""The HTML report of a review: one self-contained page for a person.

Per file a header with its counts (or why it could not be read), then every paragraph that has
findings, its sentences with findings highlighted and numbered, and beside it those findings:
level, rule, message and the original place. The page is the template
``templates/_review/report.html.j2`` (autoescaped, CSS inline, no outside assets) filled with
the plain data built here; the same results give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Sequence

from ..errors import LEVEL_NAMES, Finding
from .batch import Excerpt, FileReview

TEMPLATE = "_review/report.html.j2"


@dataclass
class Item:
    """One finding as the page shows it."""

    number: int
    level: str
    level_name: str
    rule: str
    message: str
    where: str
    index: int = -1        # the finding's index in the file's findings (-1: an unreadable file's error)
    accepted: str | None = None   # a reviewer's note when the finding was accepted ("" without a note)


@dataclass
class Segment:
    """A run of a paragraph's text; ``numbers`` are the findings of a highlighted sentence."""

    text: str
    numbers: list[int] = field(default_factory=list)


@dataclass
class Paragraph:
    """A paragraph with findings: its text cut into segments, and its findings."""

    segments: list[Segment]
    items: list[Item]


def where(finding: Finding) -> str:
    """The original place in words: 第 2 页 第 5 行 第 3 列 (no page for a text file); a Word
    file has neither pages nor lines, its places are 第 5 段 第 3 字 as the guide says."""
    loc = finding.location
    word = loc.path.lower().endswith(".docx")
    parts = [f"第 {loc.page} 页"] if loc.page else []
    if loc.line:
        parts.append(f"第 {loc.line} {'段' if word else '行'}")
    if loc.column:
        parts.append(f"第 {loc.column} {'字' if word else '列'}")
    return " ".join(parts)


def _item(number: int, finding: Finding, index: int = -1) -> Item:
    return Item(number, finding.level, LEVEL_NAMES[finding.level], finding.rule, finding.message, where(finding),
                index)


def _segments(text: str, marks: dict[tuple[int, int], list[int]]) -> list[Segment]:
    """``text`` cut at the highlighted sentences (spans never overlap: each ends at an end mark)."""
    segments, position = [], 0
    for (start, end), numbers in sorted(marks.items()):
        start = max(start, position)
        if start > position:
            segments.append(Segment(text[position:start]))
        if end > start:
            segments.append(Segment(text[start:end], numbers))
        position = max(position, end)
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def paragraphs(result: FileReview, accepted: dict[int, str] | None = None) -> tuple[list[Paragraph], list[Item]]:
    """The paragraphs with findings in text order, and the findings with no place in the text;
    ``accepted`` maps a finding's index to the note of the reviewer who accepted it."""
    notes = accepted or {}
    placed: dict[int, list[tuple[Excerpt, int, Finding]]] = {}
    unplaced = []
    for index, finding in enumerate(result.findings):
        excerpt = result.excerpts[index] if index < len(result.excerpts) else None
        if excerpt is None:
            unplaced.append((index, finding))
        else:
            placed.setdefault(excerpt.paragraph, []).append((excerpt, index, finding))
    shown, number = [], 0
    for paragraph in sorted(placed):
        marks: dict[tuple[int, int], list[int]] = {}
        items = []
        for excerpt, index, finding in sorted(placed[paragraph], key=lambda p: (p[0].at, p[1])):
            number += 1
            marks.setdefault((excerpt.start, excerpt.end), []).append(number)
            items.append(replace(_item(number, finding, index), accepted=notes.get(index)))
        shown.append(Paragraph(_segments(result.paragraphs[paragraph], marks), items))
    rest = [replace(_item(number + i, f, index), accepted=notes.get(index)) for i, (index, f) in enumerate(unplaced, 1)]
    return shown, rest


@cache
def _template() -> Any:
    import jinja2

    from ..resources import templates_dirs

    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(p) for p in templates_dirs()]),
                             autoescape=True, keep_trailing_newline=True, trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return env.get_template(TEMPLATE)


def render_html(results: Sequence[FileReview], skipped: int = 0,
                accepted: dict[tuple[int, int], str] | None = None) -> str:
    """The HTML page of a review; ``accepted`` maps (file, finding) indexes to a reviewer's note."""
    from .report import summary_caption

    files = []
    for number, r in enumerate(results):
        shown, rest = paragraphs(r, {f: note for (n, f), note in (accepted or {}).items() if n == number})
        files.append({
            "path": r.path,
            "unreadable": r.unreadable,
            "error": [_item(i, f) for i, f in enumerate(r.error, 1)],
            "counts": [(LEVEL_NAMES[level], level, r.count(level)) for level in LEVEL_NAMES],
            "paragraphs": shown,
            "rest": rest,
        })
    return _template().render(files=files, caption=summary_caption(results, skipped))
