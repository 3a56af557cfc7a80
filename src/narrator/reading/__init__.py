"""Reading what reviewers receive: PDF, Word and plain-text files, as one rebuilt text.

:func:`read_document` gives a :class:`ReadDocument`: the body text rebuilt into one paragraph per
line (line wraps and page breaks undone, running headers, footers and page numbers dropped, table
rows kept apart in :attr:`ReadDocument.tables`), and a map from every place of that text back to
the original page, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, NarratorError


class ReadError(NarratorError):
    """A file that cannot be read as a document (not a PDF, encrypted, only images, empty …)."""


@dataclass(frozen=True)
class TableRow:
    """One row of a table: its cells as printed, and where the row is in the original."""

    cells: tuple[str, ...]
    location: Location


@dataclass
class Table:
    """A table of the document: the caption above it, its declared unit and its rows."""

    title: str
    unit: str                    # 元 | 万元 | "" (not declared)
    rows: list[TableRow] = field(default_factory=list)
    location: Location | None = None


@dataclass(frozen=True)
class Piece:
    """A run of the rebuilt text copied from one original line: where it starts in both."""

    start: int                   # offset in the rebuilt text
    page: int
    line: int
    column: int                  # 1-based column in the original line


@dataclass
class ReadDocument:
    """A document as review reads it."""

    path: str
    kind: str                    # pdf | docx | text
    text: str                    # rebuilt body text, one paragraph per line
    pieces: list[Piece] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: int = 0

    def locate(self, line: int, column: int) -> Location:
        """The original place of a (1-based) line and column of the rebuilt text."""
        offset = self.offset(line, column)
        import bisect

        index = bisect.bisect_right([p.start for p in self.pieces], offset) - 1
        if index < 0:
            return Location(self.path, line, column)
        piece = self.pieces[index]
        return Location(self.path, piece.line, piece.column + offset - piece.start, piece.page)

    def offset(self, line: int, column: int) -> int:
        """The offset in the rebuilt text of a (1-based) line and column."""
        lines = self.text.split("\n")
        return sum(len(l) + 1 for l in lines[: max(line - 1, 0)]) + max(column - 1, 0)


def read_document(path: Path | str, shown: str | None = None) -> ReadDocument:
    """Read a .txt/.md file (first version: UTF-8 text, lines kept as they are)."""
    from ..yamlload import read_text

    shown = shown or str(path)
    text = read_text(path, shown).replace("\r\n", "\n").lstrip("\ufeff")
    pieces, offset = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        pieces.append(Piece(offset, 0, number, 1))
        offset += len(line) + 1
    return ReadDocument(shown, "text", text, pieces)
