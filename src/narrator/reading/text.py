"""Text files (.txt, .md): the encoding found by the decode cascade (narrator.loading.decoding), then the lines.

A form feed or a page mark line (“--- page 3 ---”) starts a new page of the text, so that
running headers can be found.
"""

from __future__ import annotations

from ..loading.decoding import ReadError, decode
from . import ReadDocument
from .lines import SourceLine, display_width, is_page_mark


def text_lines(text: str) -> list[SourceLine]:
    """The lines of a text, numbered from 1 as an editor numbers them."""
    lines = []
    sheet = 1
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, raw in enumerate(text.split("\n"), 1):
        if "\f" in raw:
            sheet += raw.count("\f")
            raw = raw.replace("\f", " ")   # keep the columns of the rest of the line
        if is_page_mark(raw):
            sheet += 1
        stripped = raw.lstrip(" \t\u3000")
        left = display_width(raw[: len(raw) - len(stripped)])
        width = display_width(stripped.rstrip(" \t\u3000"))
        lines.append(SourceLine(0, number, raw, sheet=sheet, left=left, right=left + width if width else 0))
    return lines


def read_text_document(data: bytes, shown: str) -> ReadDocument:
    """Read a text file's bytes into a rebuilt document."""
    from .rebuild import build_document

    text = decode(data, shown)
    if not text.strip():
        raise ReadError.file(shown, "文件中没有文字")
    return build_document(text_lines(text), shown, "text")
