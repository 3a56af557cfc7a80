"""PDF files, read with PDFium (pypdfium2): the lines of every page with each char's x extent.

PDFium gives the page's chars in content order with its own line breaks; the pieces between
those breaks are put together into printed lines by their height on the page (a table drawn
column by column still gives one line per row), top to bottom, each line's chars left to right.
Chars outside the page's crop box (text hidden off the page) are left out.
"""

from __future__ import annotations

import statistics

from . import MAX_PAGES, ReadDocument, ReadError
from .lines import SourceLine

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
        if count > MAX_PAGES:
            raise ReadError.file(shown, f"PDF 有 {count} 页，超过 {MAX_PAGES} 页的上限")
        lines: list[SourceLine] = []
        for index in range(count):
            lines.extend(_page_lines(document, index))
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
        left, bottom, right, top = page.get_cropbox()
        textpage = page.get_textpage()
        count = textpage.count_chars()
        text = textpage.get_text_range()
        if len(text) != count:  # chars PDFium left out of the text: read them one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(count))
        rect = raw.FS_RECTF()
        segments, current = [], []
        for i, ch in enumerate(text):
            if ch in "\r\n":
                if current:
                    segments.append(current)
                current = []
                continue
            raw.FPDFText_GetLooseCharBox(textpage.raw, i, rect)
            if ch.isspace():
                current.append((" ", rect.left, rect.right, 0.0, 0.0))
                continue
            middle_x, middle_y = (rect.left + rect.right) / 2, (rect.bottom + rect.top) / 2
            if not (left - 1 <= middle_x <= right + 1 and bottom - 1 <= middle_y <= top + 1):
                continue  # hidden outside the page
            current.append((ch, rect.left, rect.right, rect.bottom, rect.top))
        if current:
            segments.append(current)
        textpage.close()
    finally:
        page.close()
    return _assemble(segments, index + 1, top, round(right - left))


def _assemble(segments: list[list[tuple]], page: int, page_top: float, frame: int) -> list[SourceLine]:
    """Put PDFium's pieces of lines together into printed lines by their height on the page."""
    pieces = []
    for segment in segments:
        inked = [c for c in segment if c[0] != " "]
        if not inked:
            continue
        middle = statistics.median((c[3] + c[4]) / 2 for c in inked)
        height = statistics.median(c[4] - c[3] for c in inked) or 1.0
        pieces.append((middle, height, min(c[1] for c in inked), segment))
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
        chars: list[tuple] = []
        em = statistics.median(p[1] for p in row)
        for piece in row:
            segment = piece[3]
            if chars and chars[-1][0] != " " and segment[0][0] != " " and segment[0][1] - chars[-1][2] > 0.25 * em:
                chars.append((" ", chars[-1][2], segment[0][1], 0.0, 0.0))
            chars.extend(segment)
        lines.append(_line(chars, page, number, em, page_top - row[0][0], frame))
    return lines


def _line(chars: list[tuple], page: int, number: int, em: float, top: float, frame: int) -> SourceLine:
    """One printed line: spaces collapsed and trimmed, every char with its x extent."""
    text, spans = [], []
    for i, (ch, x0, x1, _, _) in enumerate(chars):
        if ch == " ":
            if not text or text[-1] == " ":
                continue
            # a space spans the gap between its neighbours (PDFium's own boxes for spaces vary)
            following = next((c for c in chars[i + 1:] if c[0] != " "), None)
            if following is None:
                continue
            x0, x1 = spans[-1][1], following[1]
        text.append(ch)
        spans.append((x0, x1))
    inked = [s for ch, s in zip(text, spans) if ch != " "]
    return SourceLine(page, number, "".join(text), sheet=page, left=inked[0][0], right=inked[-1][1],
                      top=top, em=em, spans=spans, frame=frame)
