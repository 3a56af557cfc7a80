"""The rendered text as a Word document in official-document style (GB/T 9704), via python-docx.

Fonts, sizes and the page come from the style data (:mod:`narrator.document.style`). Word's
built-in styles are reused (Title, Heading 1–3, Normal, Table Grid) so that the navigation
pane and a table of contents work, with their theme fonts and colours replaced. Chinese fonts
are set as East Asian fonts (``w:eastAsia``); each font's fallbacks go into the document's
font table (``w:altName``). Page numbers “— 1 —” sit right on odd pages and left on even ones.
The file's bytes depend only on the text and the style: zip entries carry a fixed date.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from .blocks import Block, is_number, parse, runs
from .docxpart import set_part
from .style import fonts, load_style

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "center": WD_ALIGN_PARAGRAPH.CENTER, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
HEADING_STYLES = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
LANGUAGE = "zh-CN"


def set_fonts(element: Any, east_asian: str, latin: str) -> None:
    """Fonts of a style or run: Chinese text in ``east_asian``, Latin letters and digits in ``latin``."""
    rfonts = element.get_or_add_rPr().get_or_add_rFonts()  # in schema order, or Word would “repair”
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _indent_chars(ppr: Any, chars: int, size_pt: float) -> None:
    """First-line indent in characters (``w:firstLineChars``), with its width for older readers."""
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * size_pt * 20)))


def _paragraph_style(doc: Any, name: str, spec: dict[str, Any], body: dict[str, Any], *,
                     indent: int | None = None, align: str | None = None) -> Any:
    style = doc.styles[name]
    font = style.font
    font.size = Pt(spec.get("size_pt", body["size_pt"]))
    font.bold = bool(spec.get("bold", False))
    font.italic = False
    font.color.rgb = None
    set_fonts(style.element, str(spec["font"]), str(spec.get("latin", body.get("latin", "Times New Roman"))))
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(spec.get("line_pt", body["line_pt"]))
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(spec.get("space_after_pt", 0))
    fmt.alignment = ALIGN[align or spec.get("align", body.get("align", "justify"))]
    fmt.widow_control = True
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    if indent:
        _indent_chars(ppr, indent, spec.get("size_pt", body["size_pt"]))
    for name in ("w:color", "w:spacing", "w:kern"):  # theme colour and letter spacing of Title
        element = style.element.rPr.find(qn(name))
        if element is not None:
            style.element.rPr.remove(element)
    return style


def _styles(doc: Any, style: dict[str, Any]) -> None:
    body = style["body"]
    _paragraph_style(doc, "Normal", body, body, indent=int(body.get("indent_chars", 2)))
    _paragraph_style(doc, "Title", style["title"], body, align=style["title"].get("align", "center"))
    for level, name in HEADING_STYLES.items():
        spec = style["headings"][str(level)]
        heading = _paragraph_style(doc, name, spec, body, indent=int(body.get("indent_chars", 2)),
                                   align="justify")
        heading.paragraph_format.keep_with_next = True
    table = doc.styles.add_style("Table Text", 1)
    table.base_style = doc.styles["Normal"]
    _paragraph_style(doc, "Table Text", style["table"], body, align="left")
    table.paragraph_format.first_line_indent = Pt(0)


def _page(doc: Any, page: dict[str, Any]) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
    section.top_margin, section.bottom_margin = Mm(page["top_mm"]), Mm(page["bottom_mm"])
    section.left_margin, section.right_margin = Mm(page["left_mm"]), Mm(page["right_mm"])
    section.footer_distance = Mm(page.get("footer_mm", 25))


def _page_number(paragraph: Any, spec: dict[str, Any]) -> None:
    before, _, after = str(spec.get("text", "— {page} —")).partition("{page}")
    font, latin = str(spec["font"]), str(spec.get("latin", "Times New Roman"))

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = Pt(spec.get("size_pt", 14))
        set_fonts(r._r, font, latin)
        return r

    run(before)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        r._r.append(element)
    run(after)


def _footers(doc: Any, spec: dict[str, Any]) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, side in ((section.footer, spec.get("odd", "right")), (section.even_page_footer, spec.get("even", "left"))):
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["Normal"]
        fmt = paragraph.paragraph_format
        fmt.alignment = ALIGN[side]
        fmt.first_line_indent = Pt(0)
        one_char = Pt(spec.get("size_pt", 14))
        fmt.left_indent, fmt.right_indent = (one_char, None) if side == "left" else (None, one_char)
        _page_number(paragraph, spec)


def _font_table(doc: Any, style: dict[str, Any]) -> None:
    """Declare each font with its fallbacks (``w:altName``) and the Chinese character set."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    specs = [style["body"], style["title"], style["table"], style["page_number"], *style["headings"].values()]
    for spec in specs:
        names = fonts(spec)
        if names[0] in known:
            continue
        known.add(names[0])
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), names[0])
        if len(names) > 1:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), names[1])
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "auto")
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _language(doc: Any) -> None:
    """Mark the text as Chinese (zh-CN): Word and WPS then check it, break lines and pick
    fonts as for Chinese, not as for the template's English (and its Japanese theme fonts)."""
    # python-docx's template has docDefaults/rPrDefault/rPr, with an English w:lang in it
    rpr = doc.styles.element.find("/".join(qn(tag) for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr")))
    lang = rpr.find(qn("w:lang"))
    if lang is None:  # pragma: no cover - the template has one
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)


def _table(doc: Any, block: Block, style: dict[str, Any]) -> None:
    width = max(len(row) for row in block.rows)
    table = doc.add_table(rows=len(block.rows), cols=width)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "pct")
    tbl_w.set(qn("w:w"), "5000")
    # Column widths follow the longest cell (a 序号 column need not be as wide as a name column).
    page = style["page"]
    text_width = Mm(page["width_mm"] - page["left_mm"] - page["right_mm"])
    weights = [min(max([2] + [len(row[c]) for row in block.rows if c < len(row)]) + 1, 17) for c in range(width)]
    table.autofit = False
    for c, weight in enumerate(weights):
        column_width = int(text_width * weight / sum(weights))
        table.columns[c].width = column_width
        for cell in table.columns[c].cells:
            cell.width = column_width
    bold_header = bool(style["table"].get("header_bold", True))
    text_style = doc.styles["Table Text"].style_id
    for r, row in enumerate(block.rows):
        if r == 0:
            trpr = table.rows[0]._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:tblHeader"))  # repeat the header row on each page
        for c in range(width):
            text = row[c] if c < len(row) else ""
            paragraph = table.cell(r, c).paragraphs[0]
            paragraph._p.style = text_style  # by id: python-docx looks names up slowly
            if r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif is_number(text):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if text.isdigit() else WD_ALIGN_PARAGRAPH.RIGHT
            for piece, bold in runs(text):
                paragraph.add_run(piece).bold = True if (r == 0 and bold_header) or bold else None


def _deterministic(data: bytes) -> bytes:
    """The same zip with fixed entry dates, so that the same text gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def styled(doc: Any, text: str, style_id: str | None) -> Any:
    """A new paragraph in the style with this id (None: Normal)."""
    paragraph = doc.add_paragraph(text)
    if style_id:
        paragraph._p.style = style_id
    return paragraph


def markdown_to_docx(markdown: str, format_name: str | None = None,
                     record: tuple[str, bytes] | None = None) -> bytes:
    """The rendered Markdown as the bytes of a .docx file.

    ``record`` (namespace, XML) is stored in the file as a custom XML part: narrator's record
    of what it generated, for ``narrator update`` (see :mod:`narrator.document.docxpart`).
    """
    style = load_style(format_name)
    doc = Document()
    _styles(doc, style)
    _page(doc, style["page"])
    _footers(doc, style["page_number"])
    _font_table(doc, style)
    _language(doc)
    blocks = parse(markdown)
    core = doc.core_properties
    core.title = next((b.text for b in blocks if b.kind == "title"), "")
    core.author = core.last_modified_by = "narrator"
    core.comments = ""
    ids = {name: doc.styles[name].style_id for name in ("Title", *HEADING_STYLES.values())}
    for block in blocks:
        if block.kind == "title":
            styled(doc, block.text, ids["Title"])
        elif block.kind == "heading":
            styled(doc, block.text, ids[HEADING_STYLES[min(block.level, 3)]])
        elif block.kind == "paragraph":
            paragraph = styled(doc, "", None)
            for piece, bold in runs(block.text):
                paragraph.add_run(piece).bold = True if bold else None
        elif block.kind == "table":
            _table(doc, block, style)
    if record is not None:
        set_part(doc, *record)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _deterministic(buffer.getvalue())
