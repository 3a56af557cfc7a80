"""Minimal PDF maker for benches: Chinese paragraphs typeset with reportlab's STSong-Light CID font.

``make_pdf(path, paragraphs, pages=None)`` writes an A4 PDF: each paragraph wrapped by
characters (CJK text has no spaces), a running header and a page number at the foot of every
page, like a published disclosure. With ``pages`` the paragraphs are repeated until exactly that
many pages are full. The bytes are the same for the same input (reportlab's invariant mode).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

FONT = "STSong-Light"
SIZE = 12
LEADING = 20
MARGIN = 72
HEADER = "部门预算公开"


def _register() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _wrap(paragraph: str, width: float) -> list[str]:
    """The paragraph cut into lines no wider than ``width`` points (first line indented two characters)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line, limit = [], "", width - 2 * SIZE
    for char in paragraph:
        if line and stringWidth(line + char, FONT, SIZE) > limit:
            lines.append(line)
            line, limit = "", width
        line += char
    lines.append(line)
    return lines


def make_pdf(path: Path | str, paragraphs: Sequence[str], pages: int | None = None,
             header: str = HEADER) -> int:
    """Write ``paragraphs`` as a PDF at ``path``; returns the number of pages written."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    _register()
    width, height = A4
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    body = width - 2 * MARGIN
    page, y = 1, height - MARGIN

    def furniture() -> None:
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(width / 2, height - MARGIN / 2, header)
        canvas.drawCentredString(width / 2, MARGIN / 2, f"- {page} -")
        canvas.setFont(FONT, SIZE)

    furniture()
    index = 0
    while pages is not None or index < len(paragraphs):
        paragraph = paragraphs[index % len(paragraphs)]
        index += 1
        for number, line in enumerate(_wrap(paragraph, body)):
            if y < MARGIN + LEADING:
                if pages is not None and page >= pages:
                    canvas.save()
                    return page
                canvas.showPage()
                page, y = page + 1, height - MARGIN
                furniture()
            canvas.drawString(MARGIN + (2 * SIZE if number == 0 else 0), y, line)
            y -= LEADING
    canvas.save()
    return page
