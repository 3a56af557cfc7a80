"""Word files (.docx), read with python-docx: body paragraphs in order, and the tables.

A paragraph is one line of the rebuilt text, located as ``file:N`` where N counts the body's
paragraphs from 1 (as python-docx's ``Document.paragraphs`` does; table cells do not count).
Headers and footers of the document are not read. Table cells merged across columns are given
once; a cell merged down from the row above is given as an empty cell.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import Location
from ..loading.zipbounds import check_zip
from . import ReadDocument, ReadError, Table, TableRow
from .lines import CAPTION, META, UNIT, SourceLine, has_prose, is_contents

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_docx(data: bytes, shown: str) -> None:
    """Refuse a .docx that would unpack to more than the bound, or whose parts are not what it declares."""
    check_zip(data, lambda why: ReadError.file(shown, f"Word 文件太大，未读取：{why}；请检查文件"),
              lambda: ReadError.file(shown, "Word 文件已损坏（压缩的内容与其记录的大小或校验值不符），无法打开"))


def read_docx(data: bytes, shown: str) -> ReadDocument:
    """Read a .docx file's bytes into a document: paragraphs as lines, tables apart."""
    from docx import Document
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    from .rebuild import asides, emit_paragraphs

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError.file(shown, "这是旧版 Word 文件（.doc）改了扩展名，请在 Word 或 WPS 中另存为 .docx 后再审查")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError.file(shown, "文件不是有效的 Word（.docx）文件")
    check_docx(data, shown)
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on a broken package  # noqa: BLE001
        raise ReadError.file(shown, "Word 文件已损坏或不是 .docx 格式，无法打开") from None
    lines: list[SourceLine] = []
    tables: list[Table] = []
    number = 0
    for child in document.element.body.iterchildren():
        if child.tag == _W + "p":
            number += 1
            paragraph = Paragraph(child, document)
            style = (paragraph.style.name if paragraph.style is not None else "").lower()
            line = SourceLine(0, number, paragraph.text)
            if style.startswith(("toc", "目录")) or is_contents(line.stripped):
                line.role = "contents"
            lines.append(line)
        elif child.tag == _W + "tbl":
            tables.append(_table(DocxTable(child, document), lines, shown))
    if not any(line.stripped for line in lines) and not tables:
        raise ReadError.file(shown, "Word 文件中没有文字")
    body = [line for line in lines if line.role == "body" and line.stripped]
    text, pieces = emit_paragraphs([[line] for line in body])
    return ReadDocument(shown, "docx", text, pieces, tables, 0, asides(lines, shown))


def _table(table, lines: list[SourceLine], shown: str) -> Table:
    """A Word table with the caption and unit of the paragraphs just above it."""
    rows = []
    after = lines[-1].number if lines else 0
    for index, tr in enumerate(table._tbl.tr_lst, 1):
        cells = []
        for tc in tr.tc_lst:
            merge = tc.tcPr.find(_W + "vMerge") if tc.tcPr is not None else None
            if merge is not None and merge.get(_W + "val", "continue") == "continue":
                cells.append("")
                continue
            cells.append(re.sub(r"\s*\n\s*", "", "".join(t.text or "" for t in tc.iter(_W + "t"))).strip())
        rows.append(TableRow(tuple(cells), Location(shown, after, index)))
    title, unit = "", ""
    for line in reversed([line for line in lines[-3:] if line.stripped]):
        text = line.stripped
        if line.role != "body":
            break
        if (found := UNIT.search(text)) or META.match(text):
            unit = unit or (found.group(1) if found else "")
            line.role = "caption"
            continue
        if CAPTION.search(text) and not has_prose(text):
            title = text
            line.role = "caption"
        break
    return Table(title, unit, rows, Location(shown, after, 0))
