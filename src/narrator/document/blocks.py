"""The rendered Markdown as blocks: title, headings, paragraphs and tables.

narrator's templates write a small, regular Markdown (``#`` headings, paragraphs separated by
blank lines, pipe tables), so the writers of Word and HTML need only these blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_RULE = re.compile(r"^\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_NUMBER = re.compile(r"^[+-]?[\d,]+(\.\d+)?%?$")


@dataclass
class Block:
    """One block: ``kind`` is title, heading, paragraph or table."""

    kind: str
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)


def runs(text: str) -> list[tuple[str, bool]]:
    """A paragraph's text as (text, bold) runs (``**…**`` is bold)."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            parts.append((text[position:match.start()], False))
        parts.append((match.group(1), True))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def is_number(text: str) -> bool:
    """Whether a table cell holds a figure (right-aligned in tables)."""
    return bool(_NUMBER.match(text.strip()))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse(markdown: str) -> list[Block]:
    """Split the text into blocks; the first level-1 heading is the document title."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    table: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", "".join(line.strip() for line in paragraph)))
            paragraph.clear()
        if table:
            rows = [_cells(line) for line in table if not _RULE.match(line.strip())]
            blocks.append(Block("table", rows=rows))
            table.clear()

    for line in markdown.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|"):
            if paragraph:
                flush()
            table.append(stripped)
            continue
        if table:
            flush()
        heading = _HEADING.match(stripped)
        if heading:
            flush()
            level = len(heading.group(1))
            has_title = any(b.kind == "title" for b in blocks)
            if level == 1 and not has_title:
                blocks.append(Block("title", heading.group(2).strip()))
            else:
                blocks.append(Block("heading", heading.group(2).strip(), level=max(level - 1, 1)))
        elif not stripped:
            flush()
        else:
            paragraph.append(stripped[2:] if stripped.startswith("- ") else stripped)
    flush()
    return blocks
