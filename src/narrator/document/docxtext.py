"""A Word document's body as the text ``narrator update`` merges, and where each part of it sits.

The text has one paragraph per body block (a Word paragraph, or a table), blank lines between,
so the sentence units of :mod:`narrator.text.sentences` fall inside one block. Leading and trailing
spaces of a paragraph (people indent with full-width spaces) are not part of its text, and
empty paragraphs give none. A table is one unit: a marker and its rows, with the sentence ends
inside cells replaced, so that a table is merged as a whole (kept, or replaced by the new one).

:func:`markdown_text` gives, from the rendered Markdown, exactly the text of the .docx that
:func:`narrator.document.docx.markdown_to_docx` makes of it (a test holds the two together),
so the text generated from old figures is known without building a Word file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

from ..text.sentences import split_units
from .blocks import parse, runs

TABLE_MARK = "〔表格〕"
_SPACES = " \t\u3000\n"
_ENDS = str.maketrans({"。": "｡", "！": "!", "？": "?", "；": ";", "\n": " "})


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph and the characters of the paragraph's raw text it holds."""

    run: Any
    start: int
    end: int


@dataclass
class Block:
    """A paragraph or table of the body, its text, and its runs."""

    element: Any
    text: str                   # without leading and trailing spaces
    lead: int = 0               # how many leading spaces were cut off the raw text
    segments: list[Segment] = field(default_factory=list)
    is_table: bool = False

    def runs_between(self, start: int, end: int) -> list[Segment]:
        """The runs holding raw characters ``start``..``end`` (and empty runs placed there)."""
        return [s for s in self.segments
                if (s.start < end and s.end > start) or (s.start == s.end and start <= s.start < end)]


def table_token(rows: list[list[str]]) -> str:
    """A table as one unit of text: “〔表格〕a | b ‖ c | d”, with no sentence end inside."""
    return TABLE_MARK + " ‖ ".join(" | ".join(cell.strip() for cell in row) for row in rows).translate(_ENDS)


def paragraph_block(p: Any) -> Block:
    """A paragraph's text and runs (runs in hyperlinks, fields or insertions included)."""
    segments, raw = [], ""
    for run in p.iter(qn("w:r")):
        if next(run.iterancestors(qn("w:p")), None) is not p or \
                next(run.iterancestors(qn("w:del"), qn("w:moveFrom")), None) is not None:
            continue  # a run of a text box inside the paragraph, or text deleted with changes tracked
        text = run.text or ""
        segments.append(Segment(run, len(raw), len(raw) + len(text)))
        raw += text
    stripped = raw.lstrip(_SPACES)
    return Block(p, stripped.rstrip(_SPACES), len(raw) - len(stripped), segments)


def table_block(tbl: Any) -> Block:
    """A table as one block, its text the table's token."""
    rows = []
    for tr in tbl.iter(qn("w:tr")):
        rows.append(["".join(r.text or "" for r in tc.iter(qn("w:r"))) for tc in tr.iterchildren(qn("w:tc"))])
    return Block(tbl, table_token(rows), is_table=True)


def body_blocks(document: Any) -> list[Block]:
    """The body's paragraphs and tables in order (other block content is left out)."""
    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(paragraph_block(child))
        elif child.tag == qn("w:tbl"):
            blocks.append(table_block(child))
    return blocks


def blocks_text(blocks: list[Block]) -> str:
    """The merge text of the blocks: their texts, blank lines between, empty ones left out."""
    return "\n\n".join(block.text for block in blocks if block.text)


def unit_places(blocks: list[Block]) -> list[tuple[int, int, int]]:
    """For each sentence unit of :func:`blocks_text`: its block, and its start and end in the raw text."""
    starts, indexes, position = [], [], 0
    for index, block in enumerate(blocks):
        if block.text:
            starts.append(position)
            indexes.append(index)
            position += len(block.text) + 2
    places, position = [], 0
    for unit in split_units(blocks_text(blocks)):
        position += len(unit.sep)
        which = bisect.bisect_right(starts, position) - 1
        block = blocks[indexes[which]]
        start = position - starts[which] + block.lead
        places.append((indexes[which], start, start + len(unit.text)))
        position += len(unit.text)
    return places


def markdown_text(markdown: str) -> str:
    """The merge text of the .docx that the rendered ``markdown`` becomes."""
    texts = []
    for block in parse(markdown):
        if block.kind == "table":
            width = max(len(row) for row in block.rows)
            texts.append(table_token([[_plain(c) for c in row] + [""] * (width - len(row)) for row in block.rows]))
        else:
            texts.append(_plain(block.text).strip(_SPACES))
    return "\n\n".join(text for text in texts if text)


def _plain(text: str) -> str:
    return "".join(piece for piece, _ in runs(text))
