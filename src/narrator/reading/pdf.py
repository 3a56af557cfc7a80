"""PDF files, read with PDFium (pypdfium2): the lines of every page with each char's x extent.

PDFium gives the page's chars in content order with its own line breaks; the pieces between
those breaks are put together into printed lines by their height on the page (a table drawn
column by column still gives one line per row), top to bottom, each line's chars left to right.
Chars outside the page's crop box (text hidden off the page) are left out.
"""

from __future__ import annotations

import re
import statistics

from .. import reading
from . import ReadDocument, ReadError
from .lines import SourceLine

LEAD = 16                 # chars at the start of a piece whose boxes are read
_PIECE = re.compile(r"[^\r\n]+")
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\S+|\s+")
NO_TEXT = "PDF 中没有可读取的文字（可能是扫描件），请提供带文字层的 PDF"


def read_pdf(data: bytes, shown: str) -> ReadDocument:
    """Read a PDF's bytes into a rebuilt document."""
    from .rebuild import build_document

    lines, pages = pdf_lines(data, shown)
    document = build_document(lines, shown, "pdf", pages)
    if not document.text.strip() and not document.tables:
        raise ReadError.file(shown, NO_TEXT)
    return document


def pdf_lines(data: bytes, shown: str) -> tuple[list[SourceLine], int]:
    """The printed lines of every page (page and line numbers 1-based) and the page count."""
    import pypdfium2 as pdfium

    if b"%PDF" not in data[:1024]:
        raise ReadError.file(shown, "文件不是 PDF（内容不是 PDF 格式，可能是改了扩展名的其他文件）")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReadError.file(shown, "PDF 已加密（需要密码才能打开），请提供未加密的 PDF") from None
        raise ReadError.file(shown, "PDF 文件已损坏，无法打开") from None
    try:
        count = len(document)
        if count == 0:
            raise ReadError.file(shown, "PDF 中没有页面")
        if count > reading.MAX_PAGES:
            raise ReadError.file(shown, f"PDF 有 {count} 页，超过 {reading.MAX_PAGES} 页的上限")
        lines: list[SourceLine] = []
        try:
            for index in range(count):
                lines.extend(_page_lines(document, index))
        except pdfium.PdfiumError:
            raise ReadError.file(shown, f"PDF 第 {index + 1} 页已损坏，无法读取") from None
        if not any(line.stripped for line in lines):
            raise ReadError.file(shown, NO_TEXT)
        return lines, count
    finally:
        document.close()


def _page_lines(document, index: int) -> list[SourceLine]:
    """The lines of one page, top to bottom."""
    import pypdfium2.raw as raw

    page = document[index]
    try:
        _, bottom, _, top = page.get_cropbox()
        textpage = page.get_textpage()
        count = textpage.count_chars()
        text = textpage.get_text_range()
        if len(text) != count:  # chars PDFium left out of the text: read them one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(count))
        segments = _segments(textpage.raw, text, bottom - 1, top + 1)
        width = round(page.get_width())
        textpage.close()
    finally:
        page.close()
    return _assemble(segments, index + 1, top, width)


def _segments(handle, text: str, low: float, high: float) -> list[tuple[str, dict[int, tuple]]]:
    """PDFium's pieces of lines: the text of each, and the boxes (left, right, bottom, top) read.

    Boxes are read only where they are used (a PDFium call per char is the cost of reading):
    the first chars of a piece (the width of a number starting a line), its last char, and the
    chars on either side of a space (the gap between cells).
    """
    import pypdfium2.raw as raw

    rect = raw.FS_RECTF()
    box = raw.FPDFText_GetLooseCharBox
    segments, hidden = [], []
    for match in _PIECE.finditer(text):
        start = match.start()
        piece = match.group()
        if piece.isspace():
            continue
        wanted = set(range(min(LEAD, len(piece))))
        wanted.add(len(piece) - 1)
        for space in _SPACE.finditer(piece):
            wanted.update((space.start() - 1, space.end()))
        boxes = {}
        for offset in wanted:
            if 0 <= offset < len(piece) and not piece[offset].isspace():
                box(handle, start + offset, rect)
                boxes[offset] = (rect.left, rect.right, rect.bottom, rect.top)
        first = boxes[min(boxes)]
        inside = low <= (first[2] + first[3]) / 2 <= high   # not text hidden above or below the page
        (segments if inside else hidden).append((piece, boxes))
    # all of a page outside its box is a box that does not fit the content (a rotated page …)
    return segments or hidden


def _assemble(segments: list[tuple[str, dict]], page: int, page_top: float, frame: int) -> list[SourceLine]:
    """Put PDFium's pieces of lines together into printed lines by their height on the page."""
    pieces = []
    for piece, boxes in segments:
        measured = list(boxes.values())
        middle = statistics.median((b[2] + b[3]) / 2 for b in measured)
        height = statistics.median(b[3] - b[2] for b in measured) or 1.0
        pieces.append((middle, height, boxes[min(boxes)][0], piece, boxes))
    pieces.sort(key=lambda p: (-p[0], p[2]))
    rows: list[list[tuple]] = []
    for piece in pieces:
        if rows and abs(rows[-1][0][0] - piece[0]) < 0.45 * min(rows[-1][0][1], piece[1]):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    lines = []
    for number, row in enumerate(rows, 1):
        row.sort(key=lambda p: p[2])
        em = statistics.median(p[1] for p in row)
        lines.append(_line(row, page, number, em, page_top - row[0][0], frame))
    return lines


def _line(row: list[tuple], page: int, number: int, em: float, top: float, frame: int) -> SourceLine:
    """One printed line from its pieces: spaces collapsed, the x extent of the chars whose box was read."""
    parts: list[str] = []
    spans: dict[int, tuple[float, float]] = {}
    spaces: list[int] = []
    position = 0
    for index, (_, _, left, piece, boxes) in enumerate(row):
        if index and (not parts or parts[-1] != " ") and left - spans[position - 1][1] > 0.25 * em:
            parts.append(" ")
            spaces.append(position)
            position += 1
        for token in _TOKEN.finditer(piece):
            if token.group()[0].isspace():
                if position and parts[-1] != " ":
                    parts.append(" ")
                    spaces.append(position)
                    position += 1
                continue
            shift = position - token.start()
            for offset, found in boxes.items():
                if token.start() <= offset < token.end():
                    spans[offset + shift] = found[:2]
            parts.append(token.group())
            position += len(token.group())
    if parts and parts[-1] == " ":
        parts.pop()
        spaces.pop()
    for space in spaces:      # a space spans the gap between its neighbours
        spans[space] = (spans[space - 1][1], spans[space + 1][0])
    text = "".join(parts)
    return SourceLine(page, number, text, sheet=page, left=spans[0][0], right=spans[len(text) - 1][1],
                      top=top, em=em, spans=spans, frame=frame)
