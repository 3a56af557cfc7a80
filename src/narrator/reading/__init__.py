"""Reading what reviewers receive: PDF, Word and plain-text files, as one rebuilt text.

:func:`read_document` gives a :class:`ReadDocument`: the body text rebuilt into one paragraph per
line (line wraps and page breaks undone, running headers, footers and page numbers dropped, table
rows kept apart in :attr:`ReadDocument.tables`), and a map from every place of that text back to
the original page, line and column.

The work is split by job: :mod:`.pdf`, :mod:`.docx` and :mod:`.text` turn a file into source lines
(:mod:`.lines`), :mod:`.furniture` marks headers, footers, page numbers and contents lines,
:mod:`.tables` takes table rows out, and :mod:`.rebuild` joins the remaining lines into paragraphs. A text in traditional characters
is read as simplified (:mod:`narrator.text.traditional`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from ..loading.decoding import ReadError
from ..errors import Location
from ..lastresort import os_reason

__all__ = ["MAX_BYTES", "MAX_PAGES", "Aside", "Piece", "ReadDocument", "ReadError", "Table", "TableRow", "read_document"]

MAX_BYTES = 200 * 1024 * 1024    # larger files are refused before they are read
MAX_PAGES = 2000                 # a PDF with more pages is refused


@dataclass(frozen=True)
class TableRow:
    """One row of a table: its cells as printed, and where the row is in the original."""

    cells: tuple[str, ...]
    location: Location
    cell_locations: tuple[Location, ...] = ()     # per cell, where a row was printed over several lines

    def cell_location(self, index: int) -> Location:
        """Where cell ``index`` was printed (the row's start when not known)."""
        return self.cell_locations[index] if index < len(self.cell_locations) else self.location


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


@dataclass(frozen=True)
class Aside:
    """A line kept out of the rebuilt text (a contents line, a table's caption), as printed.

    Only the checks about contents and titles read these; the wording rules never see them.
    ``location`` is the line's start: char ``i`` of ``text`` is at column ``location.column + i``.
    """

    text: str
    role: str                    # contents | caption
    location: Location


@dataclass
class ReadDocument:
    """A document as review reads it."""

    path: str
    kind: str                    # pdf | docx | text
    text: str                    # rebuilt body text, one paragraph per line
    pieces: list[Piece] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: int = 0
    asides: list[Aside] = field(default_factory=list)

    def locate(self, line: int, column: int) -> Location:
        """The original place of a (1-based) line and column of the rebuilt text."""
        return self.place(self.offset(line, column), Location(self.path, line, column))

    def place(self, offset: int, fallback: Location | None = None) -> Location:
        """The original place of an offset of the rebuilt text."""
        starts = self.__dict__.get("_piece_starts")
        if starts is None or len(starts) != len(self.pieces):
            starts = self.__dict__["_piece_starts"] = [p.start for p in self.pieces]
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            if fallback is not None:
                return fallback
            line = self.text.count("\n", 0, offset) + 1
            return Location(self.path, line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1)
        piece = self.pieces[index]
        return Location(self.path, piece.line, piece.column + offset - piece.start, piece.page)

    def offset(self, line: int, column: int) -> int:
        """The offset in the rebuilt text of a (1-based) line and column."""
        starts = self.__dict__.get("_line_starts")
        if starts is None:
            starts, total = [], 0
            for text_line in self.text.split("\n"):
                starts.append(total)
                total += len(text_line) + 1
            self.__dict__["_line_starts"] = starts
        if line < 1:
            return max(column - 1, 0)
        base = starts[min(line, len(starts)) - 1]
        return base + max(column - 1, 0)


# extensions that are documents narrator cannot read, with what to do instead
_UNSUPPORTED = {
    ".doc": "旧版 Word 文件（.doc）不能直接读取，请在 Word 或 WPS 中另存为 .docx 后再审查",
    ".wps": "WPS 文字文件不能直接读取，请另存为 .docx 后再审查",
    ".rtf": "RTF 文件不能直接读取，请另存为 .docx 后再审查",
    ".xls": "表格文件（.xls）不能审查，请提供预算说明的 PDF、Word（.docx）或文本文件",
    ".xlsx": "表格文件（.xlsx）不能审查，请提供预算说明的 PDF、Word（.docx）或文本文件",
    ".et": "表格文件（.et）不能审查，请提供预算说明的 PDF、Word（.docx）或文本文件",
    ".ofd": "OFD 文件不能直接读取，请转换为 PDF 后再审查",
}
_KINDS = {".pdf": "pdf", ".docx": "docx", ".txt": "text", ".md": "text", ".text": "text"}


def read_document(path: Path | str, shown: str | None = None) -> ReadDocument:
    """Read a .pdf, .docx, .txt or .md file as review reads it; bad files raise :class:`ReadError`."""
    path = Path(path)
    shown = shown or str(path)
    if path.is_dir():
        raise ReadError.file(shown, "这是一个文件夹，不是文件")
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED:
        raise ReadError.file(shown, _UNSUPPORTED[suffix])
    kind = _KINDS.get(suffix)
    if kind is None:
        raise ReadError.file(shown, f"不支持的文件类型“{path.suffix or '（无扩展名）'}”：请提供 .pdf、.docx、.txt 或 .md 文件")
    data = _read_bytes(path, shown)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, shown)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data, shown)
    from .text import read_text_document

    return read_text_document(data, shown)


def _read_bytes(path: Path, shown: str) -> bytes:
    """The file's bytes, after the checks every kind shares (exists, a regular file, not empty, not huge)."""
    from ..loading.regular import is_regular_file, read_regular

    try:
        size = path.stat().st_size
        if size == 0 and is_regular_file(path):
            raise ReadError.file(shown, "文件是空的")
        if size > MAX_BYTES:
            raise ReadError.file(shown, f"文件太大（{size / 1024 / 1024:.0f} MB），超过 {MAX_BYTES // 1024 // 1024} MB 的上限")
        return read_regular(path, MAX_BYTES)  # a pipe or a device is refused, never read
    except FileNotFoundError:
        raise ReadError.file(shown, "找不到文件") from None
    except PermissionError:
        raise ReadError.file(shown, "没有读取这个文件的权限") from None
    except OSError as exc:
        raise ReadError.file(shown, f"无法读取文件：{os_reason(exc)}") from None
