"""What is on the page but not body text: running headers and footers, page numbers, contents lines.

A running header or footer is a line at the top or the bottom of most pages with the same text
(digits aside: “第 3 页” and “第 4 页” are the same footer). Page numbers are recognised by their
form at the top or bottom of a page; in a text file without pages anywhere, except a bare number,
which is a page number only when no table row is next to it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from .lines import (SourceLine, has_prose, is_contents, is_numeric_cell, is_page_mark, is_page_number,
                    starts_heading)

_BARE = re.compile(r"^\d{1,4}$")
_CONTENTS = re.compile(r"^目\s*录$")
_AMOUNT = re.compile(r"\d\.\d|\d,\d{3}")

EDGE = 2                  # lines at the top and at the bottom of a page that may be furniture
SHARE = 0.5               # a header or footer is on at least this share of the pages
LONGEST = 40              # chars of the longest running header or footer


def mark_furniture(lines: list[SourceLine]) -> None:
    """Set ``role`` of blank lines, headers, footers, page numbers and contents lines."""
    for line in lines:
        if not line.stripped:
            line.role = "blank"
        elif is_page_mark(line.stripped):
            line.role = "furniture"
        elif is_contents(line.stripped):
            line.role = "contents"
    sheets = _sheets(lines)
    if len(sheets) > 1 or any(line.spans is not None for line in lines):
        for sheet in sheets:
            for line in _edges(sheet):
                if is_page_number(line.stripped):
                    line.role = "furniture"
        contents = False
        for sheet in sheets:
            contents = _contents_page(sheet, contents)
        if len(sheets) > 1:
            _running(sheets)
    else:
        for line in lines:
            if line.role == "body" and is_page_number(line.stripped, bare=False):
                line.role = "furniture"


def mark_bare_numbers(lines: list[SourceLine]) -> None:
    """In an unpaged text, a bare number line is a page number unless a number line is next to it.

    Runs of number lines are the cells of a table copied one per line.
    """
    if len(_sheets(lines)) > 1 or any(line.spans is not None for line in lines):
        return
    inked = [line for line in lines if line.role not in ("blank", "furniture")]
    for index, line in enumerate(inked):
        if line.role == "body" and is_page_number(line.stripped) and _BARE.match(line.stripped):
            neighbours = inked[max(index - 1, 0):index] + inked[index + 1:index + 2]
            if not any(is_numeric_cell(n.stripped) or "|" in n.text or "\t" in n.text for n in neighbours):
                line.role = "furniture"


def _contents_page(sheet: list[SourceLine], continued: bool) -> bool:
    """A page headed 目录 is the table of contents, all of it, leaders or not; so is the page
    after it when it holds nothing but short numbered headings (the entries going on)."""
    inked = [line for line in sheet if line.role not in ("blank", "furniture")]
    headed = any(_CONTENTS.match(line.stripped) for line in inked[:3])
    if not headed and not (continued and inked and all(
            len(line.stripped) <= 40 and not has_prose(line.stripped) and starts_heading(line.stripped)
            and not _AMOUNT.search(line.stripped) for line in inked)):
        return False
    for line in inked:
        line.role = "contents"
    return True


def _sheets(lines: list[SourceLine]) -> list[list[SourceLine]]:
    grouped: dict[int, list[SourceLine]] = defaultdict(list)
    for line in lines:
        grouped[line.sheet].append(line)
    return list(grouped.values())


def _edges(sheet: list[SourceLine]) -> list[SourceLine]:
    inked = [line for line in sheet if line.role == "body"]
    return inked[:EDGE] + inked[-EDGE:] if len(inked) > 2 * EDGE else inked


def _key(line: SourceLine) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.stripped))


def _running(sheets: list[list[SourceLine]]) -> None:
    """Mark lines repeated at the top (or bottom) of most pages at about the same height."""
    seen: dict[tuple[str, str], list[SourceLine]] = defaultdict(list)
    for sheet in sheets:
        inked = [line for line in sheet if line.role in ("body", "furniture")]
        for zone, zone_lines in (("top", inked[:EDGE]), ("bottom", inked[-EDGE:])):
            for line in zone_lines:
                seen[(zone, _key(line))].append(line)
    needed = max(2, math.ceil(SHARE * len(sheets)))
    for (_, key), found in seen.items():
        if len(key) > LONGEST or _AMOUNT.search(found[0].text):
            continue          # a full line of text or a table row: body, not a running header
        pages = {line.sheet for line in found}
        if len(pages) < needed:
            continue
        tops = sorted(line.top for line in found)
        middle = tops[len(tops) // 2]
        for line in found:
            if abs(line.top - middle) <= 2 * line.em or line.spans is None:
                line.role = "furniture"
