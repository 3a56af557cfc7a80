"""The body lines of a read document as printed, with the blanks the reader dropped put back.

The reader rebuilds paragraphs and drops the spaces between a digit and a CJK char (“收入 30.40
万元”), so the rebuilt text cannot show a stray space in “2022 年”. Rules that judge such spacing
(``PRINTED_RULES``) read these lines instead: every piece of the rebuilt text is put back at its
column of its original line, and the gaps between pieces are blanks again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

#: Lint rules that read the printed lines rather than the rebuilt text.
PRINTED_RULES = frozenset({"stray-space"})


@dataclass
class PrintedLines:
    """The printed lines joined by newlines, and each kept char's offset in the rebuilt text."""

    text: str
    offsets: list[list[int]]        # per line: for each column, the rebuilt offset (-1: a blank put back)

    def offset(self, line: int, column: int) -> int:
        """The rebuilt-text offset of a (1-based) line and column, or of the next kept char after it."""
        row = self.offsets[line - 1]
        for index in range(column - 1, len(row)):
            if row[index] >= 0:
                return row[index]
        return next((o for o in reversed(row) if o >= 0), 0)


def printed_lines(document: Any) -> PrintedLines:
    """The document's body lines as printed (see the module's docstring)."""
    pieces = document.pieces
    text = document.text
    rows: dict[tuple[int, int], dict[int, tuple[str, int]]] = {}
    for index, piece in enumerate(pieces):
        end = pieces[index + 1].start if index + 1 < len(pieces) else len(text)
        run = text[piece.start:end].split("\n", 1)[0]
        if not run:
            continue
        row = rows.setdefault((piece.page, piece.line), {})
        for step, char in enumerate(run):
            row.setdefault(piece.column - 1 + step, (char, piece.start + step))
    lines, offsets = [], []
    for key in sorted(rows):
        row = rows[key]
        width = max(row) + 1
        lines.append("".join(row[c][0] if c in row else " " for c in range(width)))
        offsets.append([row[c][1] if c in row else -1 for c in range(width)])
    return PrintedLines("\n".join(lines), offsets)


def printed_findings(document: Any, text: str, lint: Any, ignore: set[str]) -> list[tuple[Any, int]]:
    """The ``PRINTED_RULES`` findings as (finding, rebuilt offset), by ``lint`` (a lint_text bound
    to the format and profile) on the printed lines; ``ignore``: rules not to run."""
    wanted = PRINTED_RULES - ignore
    if not wanted or not document.pieces:
        return []
    printed = printed_lines(document) if text is document.text else _simplified(document, text)
    found = lint(printed.text, wanted)
    return [(f, printed.offset(f.location.line, f.location.column)) for f in found]


def _simplified(document: Any, text: str) -> PrintedLines:
    """The printed lines of a document whose text was read as simplified characters (same offsets)."""
    return printed_lines(replace(document, text=text))

