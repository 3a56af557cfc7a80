"""narrator render -o …docx / …html: official-document style, read back with python-docx."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from typer.testing import CliRunner

from narrator.cli import app
from narrator.document.blocks import parse
from narrator.errors import NarratorError
from narrator.document.output import convert
from narrator.text.render import render_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"


@pytest.fixture(scope="module")
def rendered():
    return render_file(EXAMPLE)


@pytest.fixture(scope="module")
def document(tmp_path_factory, rendered):
    path = tmp_path_factory.mktemp("docx") / "第三部分.docx"
    result = CliRunner().invoke(app, ["render", "--fail-on", "warning", str(EXAMPLE), "-o", str(path)])
    assert result.exit_code == 0, result.output
    return docx.Document(str(path))


def east_asian(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_paragraphs_follow_the_text(document, rendered):
    blocks = [b for b in parse(rendered.text) if b.kind != "table"]
    paragraphs = [p for p in document.paragraphs]
    assert [p.text for p in paragraphs] == [b.text for b in blocks]
    styles = [p.style.name for p in paragraphs]
    assert styles[0] == "Title" and paragraphs[0].text == "第三部分 2025年部门预算情况说明"
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"][0] == "一、关于阿图什市信访局2025年收支预算情况总体说明"
    assert sum(1 for s in styles if s == "Heading 1") == 12
    assert [p.text for p in paragraphs if p.style.name == "Heading 2"][:2] == [
        "（一）一般公共预算当年拨款规模变化情况", "（二）一般公共预算当年拨款结构情况"]
    assert paragraphs[2].text == "按照全口径预算的原则，阿图什市信访局2025年所有收入和支出均纳入部门预算管理。收支总预算222.22万元。"
    assert paragraphs[2].style.name == "Normal"


def test_fonts_sizes_and_spacing(document):
    styles = document.styles
    normal = styles["Normal"]
    assert east_asian(normal) == "仿宋_GB2312" and normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28)
    ind = normal.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200" and ind.get(qn("w:firstLine")) == "640"
    assert east_asian(styles["Title"]) == "方正小标宋简体" and styles["Title"].font.size == Pt(22)
    assert styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asian(styles["Heading 1"]) == "黑体" and styles["Heading 1"].font.bold is False
    assert east_asian(styles["Heading 2"]) == "楷体_GB2312"
    assert styles["Heading 1"].font.color.rgb is None  # not Word's blue theme colour


def test_page_and_page_numbers(document):
    section = document.sections[0]
    def twips(*lengths):
        return [length.twips for length in lengths]  # Word stores twentieths of a point

    assert twips(section.page_width, section.page_height) == twips(Mm(210), Mm(297)) == [11906, 16838]
    assert twips(section.top_margin, section.bottom_margin, section.left_margin, section.right_margin) == \
           twips(Mm(37), Mm(35), Mm(28), Mm(26))
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert odd.text == "— 1 —"  # the number is a PAGE field (shown as 1 until Word updates it)
    assert "PAGE" in odd._p.xml and 'w:fldCharType="begin"' in odd._p.xml


def test_markdown_table_is_a_word_table(document):
    assert len(document.tables) == 1
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [["序号", "项目名称", "资金来源", "预算金额（万元）"],
                    ["1", "信访业务工作经费", "一般公共预算", "15.00"],
                    ["2", "阿图什市信访联合接访中心运转项目", "一般公共预算", "8.00"],
                    ["3", "2024 年实有资金结余", "单位资金", "5.00"]]
    assert table.style.name == "Table Grid"
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[3].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert "w:tblHeader" in table.rows[0]._tr.xml


def test_font_fallbacks_are_declared(tmp_path, rendered):
    import zipfile
    path = tmp_path / "a.docx"
    path.write_bytes(convert(rendered.text, ".docx"))
    fonts = zipfile.ZipFile(path).read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="黑体"/>' in fonts


def test_same_text_same_bytes(rendered):
    assert convert(rendered.text, ".docx") == convert(rendered.text, "docx")


def test_html_page(rendered):
    page = convert(rendered.text, ".html")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    assert "<title>第三部分 2025年部门预算情况说明</title>" in page
    assert "<h2>一、关于阿图什市信访局2025年收支预算情况总体说明</h2>" in page
    assert "<h3>（一）一般公共预算当年拨款规模变化情况</h3>" in page
    assert '<td class="ord">1</td><td>信访业务工作经费</td><td>一般公共预算</td><td class="num">15.00</td>' in page
    assert 'font-family: "仿宋_GB2312", "仿宋", "FangSong"' in page and "text-indent: 2em" in page
    assert "<script" not in page and "http" not in page.replace('content="width', "")


def test_html_escapes_text():
    page = convert("# 标题\n\n甲<乙>&丙\n", ".html")
    assert "<p>甲&lt;乙&gt;&amp;丙</p>" in page


def test_unknown_type_is_bad_input(rendered):
    with pytest.raises(NarratorError, match="不支持的输出类型 “.pdf”"):
        convert(rendered.text, ".pdf")


def test_docx_to_stdout_is_binary():
    result = CliRunner().invoke(app, ["render", "--fail-on", "warning", str(EXAMPLE), "--to", "docx"])
    assert result.exit_code == 0
    assert result.stdout_bytes[:2] == b"PK"


def test_style_is_data(tmp_path, monkeypatch, rendered):
    """A format folder's document-style.yaml overrides the shared style, no code change."""
    import shutil

    from narrator import resources
    from narrator.document import style as style_module
    from narrator.text import formats

    fmt = tmp_path / "templates" / "xinjiang-2025"
    shutil.copytree(ROOT / "templates" / "xinjiang-2025", fmt)
    (fmt / "document-style.yaml").write_text("body: {font: 宋体, size_pt: 14}\n", encoding="utf-8")
    monkeypatch.setenv("NARRATOR_TEMPLATES", str(tmp_path / "templates"))
    for cached in (resources.templates_dirs, style_module.load_style, formats.load_format):
        cached.cache_clear()
    try:
        path = tmp_path / "b.docx"
        path.write_bytes(convert(rendered.text, ".docx", "xinjiang-2025"))
        normal = docx.Document(str(path)).styles["Normal"]
        assert east_asian(normal) == "宋体" and normal.font.size == Pt(14)
        assert normal.paragraph_format.line_spacing == Pt(28)  # the rest is the shared style
    finally:
        monkeypatch.delenv("NARRATOR_TEMPLATES")
        for cached in (resources.templates_dirs, style_module.load_style, formats.load_format):
            cached.cache_clear()
