"""review reads a contents page the reader keeps out of the text: the contents and title rules
check it, no other rule sees it, and findings point at the contents line as printed."""

from __future__ import annotations

import json

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from typer.testing import CliRunner

from narrator.cli import app
from narrator.reading import read_document
from narrator.review import review_file

# page 1 is a contents page (headed 目录): its half-width brackets are not body text
CONTENTS = ("某某县档案局2025年部门决算\n目录\n第一部分 部门概况……………………1\n"
            "一、部门主要职能(含编制)……………………1\n二、机构设置……………………1\n"
            "三、出决算表 PAGEREF _Toc1234 \\h 2\n四、收入决算表……………………2\n六、名词解释……………………3\n"
            "\f第一部分 部门概况\n一、部门主要职责（含编制）\n本局负责全县的档案管理工作。\n二、机构设置\n本局内设三个科室。\n")

EXPECTED = [
    (4, 1, "contents-heading",
     "目录中的“一、部门主要职能(含编制)”与正文标题“一、部门主要职责（含编制）”（第 10 行）不一致，应统一"),
    (6, 3, "table-title", "“出决算表”与标准名称“支出决算表”只差一两个字，是否漏字或错字？"),
    (6, 8, "field-code", "Word 域代码残留“PAGEREF _Toc1234 \\h”：应在 Word 中更新域或转为普通文字后再公开"),
    (8, 1, "contents-numbering", "目录中的“六、名词解释”编号不对：按顺序应为“五、”"),
    (10, 1, "contents-heading",
     "正文标题“一、部门主要职责（含编制）”与目录中的“一、部门主要职能(含编制)”（第 4 行）不一致，应统一"),
]


def test_the_contents_page_is_kept_apart_and_checked(tmp_path):
    path = tmp_path / "决算.txt"
    path.write_text(CONTENTS, encoding="utf-8")
    document = read_document(path)
    assert "职能" not in document.text          # kept out of the text …
    assert [a.location.line for a in document.asides if a.role == "contents"] == [1, 2, 3, 4, 5, 6, 7, 8]
    report = review_file(path)
    # … so no wording rule (half-width brackets) reports it; the contents rules do, at its lines
    assert [(f.location.line, f.location.column, f.rule, f.message) for f in report.findings] == EXPECTED


def test_the_command_reports_contents_findings_without_a_sentence_of_the_text(tmp_path):
    path = tmp_path / "决算.txt"
    path.write_text(CONTENTS, encoding="utf-8")
    result = CliRunner().invoke(app, ["review", str(path), "--format", "json"])
    assert result.exit_code == 1
    found = json.loads(result.stdout)["findings"]
    # the contents lines have no sentence of the text; the body heading (line 10) is one
    assert [(f["line"], f["rule"], f["sentence"]) for f in found] == [(line, rule, "") for line, _, rule, _ in EXPECTED[:4]] + [
        (10, "contents-heading", "一、部门主要职责（含编制）")]


def test_word_contents_paragraphs_are_checked_at_their_paragraph(tmp_path):
    document = Document()
    document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("某某县档案局2025年部门决算")
    for entry in ("第一部分 单位概况\t1", "一、主要职责\t1", "二、政拨款收入支出决算总表\t2"):
        document.add_paragraph(entry, style="toc 1")
    for text in ("第一部分 部门概况", "一、主要职责", "本局负责全县的档案管理工作。"):
        document.add_paragraph(text)
    path = tmp_path / "决算.docx"
    document.save(path)
    report = review_file(path)
    assert [(f.location.line, f.location.column, f.rule) for f in report.findings] == [
        (2, 1, "contents-heading"), (4, 3, "table-title"), (5, 1, "contents-heading")]
    assert report.findings[2].message == "正文标题“第一部分 部门概况”与目录中的“第一部分 单位概况”（第 2 行）不一致，应统一"
    assert report.findings[0].message == "目录中的“第一部分 单位概况”与正文标题“第一部分 部门概况”（第 5 行）不一致，应统一"


def test_a_lost_subsection_number_on_a_contents_page_is_reported(tmp_path):
    """A contents page without 第X部分 parts: （二） followed by （四） on the next line."""
    path = tmp_path / "决算.txt"
    path.write_text("某某局2025年度部门决算\n目 录\n一、部门概况……………………3\n（一）部门职责……………………3\n"
                    "二、部门决算报表……………………4\n（一）收入支出决算总表……………………4\n"
                    "（二）收入决算表……………………4\n（四）支出决算表……………………5\n"
                    "\f一、部门概况\n（一）部门职责\n本局负责全县的档案管理工作。\n", encoding="utf-8")
    found = [(f.location.line, f.message) for f in review_file(path).findings if f.rule == "contents-numbering"]
    assert found == [(8, "目录中的“（四）支出决算表”编号不对：按顺序应为“（三）”")]


def test_the_entries_of_a_contents_page_whose_title_was_kept_out_are_no_empty_sections(tmp_path):
    # the reader keeps “目 录” out of the text; the entries under it are no body headings, though the
    # excerpt stops before the body that would repeat them
    path = tmp_path / "某镇预算.txt"
    path.write_text("目 录\n第一部分 概 况\n一、主要职责\n二、机构设置情况\n第二部分 2023年部门预算情况说明\n",
                    encoding="utf-8")
    report = review_file(path)
    assert [f.rule for f in report.findings] == []
