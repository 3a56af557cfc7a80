"""Reading Word files: body paragraphs as lines (file:paragraph), tables apart, headers not read."""

from __future__ import annotations

from pathlib import Path

import docx

from narrator.errors import Location
from narrator.reading import read_document
from narrator.review import review_file


def write_docx(path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "某某局2025年部门预算（页眉）"
    document.sections[0].footer.paragraphs[0].text = "第 1 页"
    document.add_paragraph("一、收入预算说明")                                  # 1
    document.add_paragraph("本部门2025年收入预算100.00万元，主要用于主要用于日常运转。")  # 2
    document.add_paragraph("")                                                # 3
    document.add_paragraph("2025年部门收支总体情况表")                          # 4
    document.add_paragraph("单位：万元")                                       # 5
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "项目"
    table.cell(0, 2).text = "预算数"
    for row, (code, name, amount) in enumerate([("201", "一般公共服务支出", "80.00"), ("208", "社会保障和就业支出", "20.00")], 1):
        table.cell(row, 0).text, table.cell(row, 1).text, table.cell(row, 2).text = code, name, amount
    document.add_paragraph("二、支出预算说明")                                  # 6
    document.save(str(path))


def test_paragraphs_tables_and_no_header(tmp_path: Path) -> None:
    path = tmp_path / "说明.docx"
    write_docx(path)
    document = read_document(path)
    assert document.kind == "docx"
    assert document.text.splitlines() == [
        "一、收入预算说明", "本部门2025年收入预算100.00万元，主要用于主要用于日常运转。", "二、支出预算说明"]
    assert document.locate(3, 2) == Location(str(path), 6, 2)
    [table] = document.tables
    assert (table.title, table.unit) == ("2025年部门收支总体情况表", "万元")
    assert [row.cells for row in table.rows] == [
        ("项目", "预算数"), ("201", "一般公共服务支出", "80.00"), ("208", "社会保障和就业支出", "20.00")]
    assert table.rows[1].location == Location(str(path), 5, 2)


def test_review_of_a_docx_names_the_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "说明.docx"
    write_docx(path)
    findings = review_file(path).findings
    assert [(f.rule, str(f.location)) for f in findings] == [("doubled-word", f"{path}:2:22")]
