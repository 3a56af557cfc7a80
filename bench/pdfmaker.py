"""Deterministic PDFs of a budget explanation, for the reading tests and the speed bench.

:func:`make_pdf` lays out paragraphs wrapped at a fixed width into A4 pages, with a running header
and a page-number footer (“- 3 -”) on every page, and optional tables (caption, unit line, rows
of cells at fixed columns) after the text. It returns where every printed line went (page and
line number as a reader counts them: the header is line 1 of a page), so that tests can name
the exact place of any word. :func:`sample_document` gives a long, varied document for the bench.

Text is drawn with reportlab's built-in CID font STSong-Light (no font file needed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
SIZE = 12
LEADING = 20
LEFT, RIGHT, TOP, BOTTOM = 72, 72, 90, 80
HEADER_Y, FOOTER_Y = A4[1] - 50, 40
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.,%]+|.", re.S)   # numbers and words never split at a wrap
_NO_LINE_START = "。，、；：！？）”’》%"                    # kept on the line before, as Word does


@dataclass
class Table:
    """A table to print after the text: its caption, unit and rows of cells."""

    title: str
    unit: str
    rows: list[tuple[str, ...]]
    columns: tuple[float, ...] = (0, 60, 250, 350)   # x of each cell, from the left margin


@dataclass
class Printed:
    """One printed line: its page, its line number on the page, its text and what it is."""

    page: int
    line: int
    text: str
    kind: str = "body"            # body | header | footer | caption | unit | row


@dataclass
class Layout:
    """Where everything went."""

    pages: int = 0
    lines: list[Printed] = field(default_factory=list)

    def find(self, text: str) -> Printed:
        """The first printed line holding ``text``."""
        return next(line for line in self.lines if text in line.text)


def _register() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def wrap(text: str, width: float, indent: float = 2 * SIZE) -> list[str]:
    """Split a paragraph into printed lines no wider than ``width`` points (the first indented)."""
    _register()
    lines, current, used = [], "", indent
    for token in _UNBREAKABLE.findall(text):
        token_width = pdfmetrics.stringWidth(token, FONT, SIZE)
        if current and used + token_width > width and token[0] not in _NO_LINE_START:
            lines.append(current)
            current, used = "", 0.0
        current += token
        used += token_width
    if current:
        lines.append(current)
    return lines


def make_pdf(path: Path | str, paragraphs: list[str], header: str = "某某部门2025年部门预算",
             tables: tuple[Table, ...] = (), lines_per_page: int = 0) -> Layout:
    """Write a PDF of the paragraphs (and tables) and return its layout.

    ``lines_per_page`` limits the body lines of a page (0: as many as fit), so that a test can
    put a page break exactly where it wants one.
    """
    _register()
    width = A4[0] - LEFT - RIGHT
    fit = int((A4[1] - TOP - BOTTOM) // LEADING)
    per_page = min(lines_per_page or fit, fit)
    items: list[tuple[str, str, float]] = []         # (kind, text, x)
    for paragraph in paragraphs:
        for index, line in enumerate(wrap(paragraph, width)):
            items.append(("body", line, LEFT + (2 * SIZE if index == 0 else 0)))
    for table in tables:
        items.append(("caption", table.title, LEFT + 120))
        items.append(("unit", f"单位：{table.unit}", LEFT + width - 5 * SIZE))
        items.extend(("row", "\t".join(row), 0) for row in table.rows)
    layout = Layout()
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)   # invariant: same bytes every run
    for start in range(0, max(len(items), 1), per_page):
        layout.pages += 1
        page = layout.pages
        number = 0
        if header:
            pdf.setFont(FONT, 9)
            pdf.drawString(LEFT, HEADER_Y, header)
            number = 1
            layout.lines.append(Printed(page, 1, header, "header"))
        pdf.setFont(FONT, SIZE)
        y = A4[1] - TOP
        for kind, text, x in items[start:start + per_page]:
            number += 1
            if kind == "row":
                for cell, column in zip(text.split("\t"), table_columns(tables, text)):
                    pdf.drawString(LEFT + column, y, cell)
            else:
                pdf.drawString(x, y, text)
            layout.lines.append(Printed(page, number, text.replace("\t", " "), kind))
            y -= LEADING
        footer = f"- {page} -"
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(A4[0] / 2, FOOTER_Y, footer)
        layout.lines.append(Printed(page, number + 1, footer, "footer"))
        pdf.showPage()
    pdf.save()
    return layout


def table_columns(tables: tuple[Table, ...], row: str) -> tuple[float, ...]:
    """The columns of the table a row belongs to."""
    cells = tuple(row.split("\t"))
    return next((t.columns for t in tables if cells in t.rows), tables[0].columns)


_ITEMS = [("201", "一般公共服务支出"), ("205", "教育支出"), ("208", "社会保障和就业支出"),
          ("210", "卫生健康支出"), ("212", "城乡社区支出"), ("213", "农林水支出"), ("221", "住房保障支出")]


def sample_document(pages: int = 30) -> tuple[list[str], tuple[Table, ...]]:
    """A long, deterministic budget explanation of about ``pages`` pages, with one table."""
    paragraphs, n = [], 0
    while len(paragraphs) < pages * 11:
        code, name = _ITEMS[n % len(_ITEMS)]
        amount = f"{(n * 7919) % 90000 / 100 + 10:,.2f}"
        change = f"{(n * 31) % 200 / 10:.1f}"
        paragraphs.append(
            f"{n % 9 + 1}.“{name}（类）行政事业单位支出（款）行政运行（项）”{amount}万元，比上年预算增加"
            f"{change}万元，增长{change}%，主要用于本部门及所属单位人员经费、公用经费和日常运转等基本支出，"
            f"以及履行职能所需的{name}项目支出。")
        n += 1
    rows = [(code, name, f"{(i * 4999) % 900000 / 100 + 100:,.2f}") for i, (code, name) in enumerate(_ITEMS)]
    return paragraphs, (Table("2025年部门支出预算总表", "万元", rows),)
