"""Body lines joined back into paragraphs, with a map from the rebuilt text to the original.

A line wraps on to the next one when it does not end a sentence, reaches the right edge of the
text block (allowing for a number or word too long to fit there), and the next line starts at
the left margin with no heading or list mark. Nothing joins across a blank line, a table or a
large vertical gap; a paragraph does continue over a page break. Spaces between a digit and a
CJK char (“收入 30.40 万元”) are dropped; every kept char still maps to its original column.
"""

from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from collections import defaultdict

from ..errors import Location
from . import Aside, Piece, ReadDocument
from .furniture import mark_bare_numbers, mark_furniture
from .lines import SourceLine, display_width, ends_sentence, is_cjk, starts_heading
from .tables import mark_tables

SLACK = 1.5               # a line ending within this many chars of the right edge reaches it
INDENT = 0.9              # a line starting this many chars right of the margin is indented
BAND = 0.1                # full lines of a wrapped text file are within this share of one width
WIDE = 0.7                # a page's own text block is at least this share of the frame's
PAGE_LINES = 3            # lines sharing an edge for a page to have its own margins
GAP = 2.2                 # a vertical gap this many line heights wide separates paragraphs
# what starts a line and could not have ended the line before: a number or a Latin word, or one
# char with the brackets around it and the punctuation after it (“（项）。” moves down whole)
_LEADING = re.compile(r"^[”’）)》〉\]]*[（(“‘《〈\[]*(?:[0-9A-Za-z.,%\-+/]+|.)[）)”’》〉\]。，、；：！？!?,.;:%]*")


def build_document(lines: list[SourceLine], path: str, kind: str, pages: int = 0) -> ReadDocument:
    """Mark furniture and tables, then join the body lines into paragraphs."""
    mark_furniture(lines)
    mark_bare_numbers(lines)
    tables = mark_tables(lines, path)
    margins = _margins([line for line in lines if line.role == "body"])
    paragraphs: list[list[SourceLine]] = []
    previous: SourceLine | None = None
    broken = True
    for line in lines:
        if line.role in ("blank", "table", "caption", "contents"):
            broken = True
            continue
        if line.role != "body":
            continue          # furniture neither joins nor breaks
        if not broken and previous is not None and _wraps(previous, line, margins):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
        previous, broken = line, False
    text, pieces = emit_paragraphs(paragraphs)
    return ReadDocument(path, kind, text, pieces, tables, pages, asides(lines, path))


def asides(lines: list[SourceLine], path: str) -> list[Aside]:
    """The contents and caption lines, which the rebuilt text leaves out, for the title checks."""
    return [Aside(line.text, line.role, Location(path, line.number, 1, line.page))
            for line in lines if line.role in ("contents", "caption") and line.stripped]


def _margins(body: list[SourceLine]) -> dict[tuple[str, int], tuple[float, float]]:
    """The left and right edge of the text block of every page, and of every frame (page size).

    A page's own edges are used when enough of its lines share them (margins may change from
    page to page); the frame's edges otherwise.
    """
    frames: dict[int, list[SourceLine]] = defaultdict(list)
    pages: dict[int, list[SourceLine]] = defaultdict(list)
    for line in body:
        frames[line.frame].append(line)
        pages[line.sheet].append(line)
    margins = {}
    for frame, members in frames.items():
        if members[0].spans is None:
            margins[("frame", frame)] = (0.0, _typical_width(members))
        else:
            margins[("frame", frame)] = _edges(members, 1)[:2]
    for sheet, members in pages.items():
        if members[0].spans is not None:
            left, right, shared = _edges(members, PAGE_LINES)
            frame_left, frame_right = margins[("frame", members[0].frame)]
            # short lines (headings, a list of names) sharing an edge do not make a text block
            if shared and right - left >= WIDE * (frame_right - frame_left):
                margins[("page", sheet)] = (left, right)
    return margins


def _edges(members: list[SourceLine], needed: int) -> tuple[float, float, bool]:
    """The edges most lines share: continuation lines start at the left one, full lines end at
    the right one (a few lines sticking out, or a centred title, do not move them). The flag
    says whether at least ``needed`` lines end at the right edge and start at the left one."""
    em = statistics.median(line.em for line in members)
    rights = sorted(line.right for line in members)
    right = max(rights, key=lambda r: (_within(rights, r - em / 2, r), r))
    lefts = sorted(line.left for line in members)
    left = max(lefts, key=lambda x: (_within(lefts, x, x + em / 2), -x))
    shared = _within(rights, right - em / 2, right) >= needed and _within(lefts, left, left + em / 2) >= needed
    return left, right, shared


def _margin(margins: dict, line: SourceLine) -> tuple[float, float]:
    return margins.get(("page", line.sheet)) or margins[("frame", line.frame)]


def _within(ordered: list[float], low: float, high: float) -> int:
    """How many of the sorted values are between low and high."""
    return bisect.bisect_right(ordered, high) - bisect.bisect_left(ordered, low)


def _typical_width(members: list[SourceLine]) -> float:
    """The width a line of a text file must reach to be full, when its lines are wrapped at one width.

    Text extracted from a justified PDF has full lines of about the same display width (within
    BAND); with no such cluster, or many lines wider than it, the text is not wrapped at all.
    """
    widths = sorted(line.right for line in members if line.right > 0)
    if len(widths) < 4:
        return float("inf")
    best, best_count = 0.0, 0
    for width in set(widths):
        count = _within(widths, width * (1 - BAND), width)
        if count > best_count or count == best_count and width > best:
            best, best_count = width, count
    wider = sum(w > best * (1 + BAND / 2) for w in widths)
    if best_count >= 3 and best_count >= 0.15 * len(widths) and wider <= 0.1 * len(widths) and best >= 20:
        return best * (1 - BAND)
    return float("inf")


def _wraps(line: SourceLine, following: SourceLine, margins: dict) -> bool:
    """Whether ``line`` wraps on to ``following`` (same paragraph)."""
    if ends_sentence(line.text) or starts_heading(following.text):
        return False
    if line.spans is None and _OPEN_CLAUSE.search(line.text) and _CJK_TEXT.search(line.text):
        return True     # a text file's line that stops on a comma goes on (“……850088.3 元,”)
    if line.spans is None and _CUT_CLAUSE.search(line.text) and _CJK_TEXT.match(following.stripped):
        return True     # … or a word or two after one, the clause cut off (“……116433.12 元,占支”, “出总预算……”)
    left, right = _margin(margins, line)
    lead = _LEADING.match(following.stripped)
    if line.spans is None:
        allowance = display_width(lead.group()) if lead else 0
    else:
        allowance = SLACK * line.em + (_span_width(following, lead.end()) if lead else 0)
        if line.sheet == following.sheet and following.top - line.top > GAP * line.em:
            return False
    if line.right < right - allowance:
        return False
    next_left = _margin(margins, following)[0]
    return following.left <= next_left + INDENT * following.em


_OPEN_CLAUSE = re.compile(r"[，,、]\s*$")
_CUT_CLAUSE = re.compile(r"[\u4e00-\u9fff\d%].*[，,][\u4e00-\u9fff]{1,6}\s*$")
_CJK_TEXT = re.compile(r"[\u4e00-\u9fff]")


def _span_width(line: SourceLine, count: int) -> float:
    start = len(line.text) - len(line.text.lstrip())
    spans = [line.spans[i] for i in range(start, start + count) if i in line.spans]
    return spans[-1][1] - spans[0][0] if spans else 0.0


def emit_paragraphs(paragraphs: list[list[SourceLine]]) -> tuple[str, list[Piece]]:
    """The rebuilt text (one paragraph per line) and its pieces, from the lines of each paragraph."""
    parts: list[str] = []
    pieces: list[Piece] = []
    offset = 0
    for paragraph in paragraphs:
        for index, line in enumerate(paragraph):
            runs = kept_runs(line.text, line.spans is not None)
            if not runs:
                continue
            first = line.text[runs[0][0]]
            if index and parts and _latin(parts[-1][-1]) and _latin(first):
                parts.append(" ")    # words of a Latin-script text wrapped at a space
                offset += 1
            for start, end in runs:
                pieces.append(Piece(offset, line.page, line.number, start + 1))
                parts.append(line.text[start:end])
                offset += end - start
        parts.append("\n")
        offset += 1
    return "".join(parts), pieces


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


_BLANKS = re.compile(r"[ \t\u3000\u00a0\r\n]+")


def kept_runs(text: str, printed: bool = False) -> list[tuple[int, int]]:
    """The runs (start, end) of a line's chars kept in the rebuilt text.

    Leading and trailing blanks go, and line breaks inside a Word paragraph; so do spaces between
    a digit and a CJK char (“收入 30.40 万元”: PDF extraction puts them around numbers) and, in a
    ``printed`` (PDF) line, spaces between two wide chars (the spacing of justified text).
    """
    runs, start = [], None
    position = 0
    for match in _BLANKS.finditer(text):
        begin, end = match.span()
        if begin > position:
            if start is None:
                start = position
        position = end
        if start is None or end == len(text):
            continue          # leading or trailing blanks
        before, after = text[begin - 1], text[end]
        drop = ("\n" in match.group() or "\r" in match.group()
                or before.isdigit() and is_cjk(after) or is_cjk(before) and after.isdigit()
                or printed and _wide(before) and _wide(after))
        if drop:
            runs.append((start, begin))
            start = end
    if position < len(text) and start is None:
        start = position
    if start is not None:
        end = len(text.rstrip(" \t\u3000\u00a0\r\n"))
        if end > start:
            runs.append((start, end))
    return runs
