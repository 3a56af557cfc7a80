"""Reading text files: encodings, wrapped lines joined back, page numbers dropped, table rows apart."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from narrator.errors import Location
from narrator.reading import read_document

PARAGRAPH = "2025年，本部门收入预算3,121.42万元，其中：财政拨款收入3,121.42万元，比上年增加107.62万元。"


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gbk", b""), ("gb18030", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", b""),
])
def test_each_encoding_is_read(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "说明.txt"
    path.write_bytes(prefix + f"一、收入预算\n{PARAGRAPH}\n".encode(encoding))
    document = read_document(path)
    assert document.text == f"一、收入预算\n{PARAGRAPH}\n"
    assert document.locate(2, 5) == Location(str(path), 2, 5)


def test_text_wrapped_at_one_width_is_joined_back(tmp_path: Path) -> None:
    # as text copied out of a PDF looks: full lines of about one width, words and amounts cut
    lines = [
        "一、部门收入预算情况",
        "本部门2025年收入预算总计3,121.42万元，其中财政拨款收入3,121.42万元，主要用于卫生健",
        "康支出、住房保障支出和一般公共服务支出，比上年预算增加107.62万元，增长3.57%，主要",
        "原因是人员经费增加和信息化系统日常维护费增加，事业收入0万元，其他收入30.40万",
        "元。",
        "二、部门支出预算情况",
        "本部门2025年支出预算总计3,121.42万元，其中基本支出2,512.11万元，占支出总额的",
        "80.48%；项目支出609.31万元，占支出总额的19.52%，项目支出主要用于信息化建设和委托",
        "业务，比上年增加的主要原因是新增了财政委托业务支出项目和信息系统运行维护项目等。",
        "（一）基本支出",
    ]
    path = tmp_path / "说明.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    document = read_document(path)
    assert document.text.splitlines() == [
        lines[0], "".join(lines[1:5]), lines[5], "".join(lines[6:9]), lines[9]]
    assert "卫生健康支出" in document.text and "30.40万元。" in document.text
    row, column = 2, document.text.splitlines()[1].index("康支出") + 1
    assert document.locate(row, column) == Location(str(path), 3, 1)


def test_lines_of_different_lengths_are_not_joined(tmp_path: Path) -> None:
    # one paragraph per line, as web pages give them: no common width, nothing to join
    lines = ["一、部门基本情况", "本部门主要职责是负责辖区内的城市管理、社区服务和公共安全等工作",
             "本部门内设8个科室", "二、收支预算总体情况说明",
             "2025年收支总预算1,234.56万元，比上年增加12.30万元，主要原因是人员经费增加和日常公用经费增加"
             "以及新增的社区治理项目经费和防汛防台专项经费"]
    path = tmp_path / "说明.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert read_document(path).text.splitlines() == lines


def test_a_line_that_stops_on_a_comma_goes_on_in_the_next(tmp_path: Path) -> None:
    # text copied from a PDF page: the sentence breaks after a comma, whatever the line's width
    lines = ["其中:", "(一)文化旅游体育与传媒支出类科目 850088.3 元,", "占支出总预算 78.33%,同比减少 54357.12 元,下降 6.00 %。",
             "(二)社会保障和就业支出类科目 116433.12 元。"]
    path = tmp_path / "说明.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    # (the blanks a PDF puts between words and numbers are not kept in the rebuilt text)
    assert read_document(path).text.splitlines() == [
        "其中:", "(一)文化旅游体育与传媒支出类科目850088.3元,占支出总预算78.33%,同比减少54357.12元,下降6.00 %。",
        "(二)社会保障和就业支出类科目116433.12元。"]


def test_a_line_cut_a_word_or_two_after_a_comma_goes_on_in_the_next(tmp_path: Path) -> None:
    # “……元,占支” / “出总预算 10.73 %……”: the clause after the comma was cut at the line's end
    lines = ["(二)社会保障和就业支出类科目 116433.12 元,占支", "出总预算 10.73 %,同比增加 16803.36 元,增长 14.43%。",
             "(三)卫生健康支出类科目 43897.73 元。", "一、部门职责", "本局负责全县统计工作,其中", "二、机构设置"]
    path = tmp_path / "说明.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert read_document(path).text.splitlines() == [
        "(二)社会保障和就业支出类科目116433.12元,占支出总预算10.73 %,同比增加16803.36元,增长14.43%。",
        "(三)卫生健康支出类科目43897.73元。", "一、部门职责", "本局负责全县统计工作,其中", "二、机构设置"]


def test_page_numbers_and_blank_lines_between_pages(tmp_path: Path) -> None:
    text = "一、收入预算\n\n本部门收入预算100.00万元。\n- 1 -\n\f二、支出预算\n第 2 页\n\n支出预算100.00万元。\n2/20\n"
    path = tmp_path / "说明.txt"
    path.write_text(text, encoding="utf-8")
    document = read_document(path)
    assert document.text.splitlines() == ["一、收入预算", "本部门收入预算100.00万元。", "二、支出预算", "支出预算100.00万元。"]
    assert document.locate(4, 1) == Location(str(path), 8, 1)


def test_table_rows_and_contents_lines_are_not_body_text(tmp_path: Path) -> None:
    text = "\n".join([
        "目 录",
        "一、收支总表 ……………………… 5",
        "表1 2025年部门收支总体情况表",
        "单位：万元",
        "项目 | 预算数 |",
        "一般公共服务支出 | 2,218.64 |",
        "卫生健康支出 | 78.22 |",
        "一、说明",
        "本部门收支预算2,296.86万元。",
        "201  06  01    行政运行    1,623.18    1,623.18",
    ])
    path = tmp_path / "说明.txt"
    path.write_text(text, encoding="utf-8")
    document = read_document(path)
    assert document.text.splitlines() == ["一、说明", "本部门收支预算2,296.86万元。"]
    first, second = document.tables
    assert (first.title, first.unit) == ("表1 2025年部门收支总体情况表", "万元")
    assert [row.cells for row in first.rows] == [("项目", "预算数"), ("一般公共服务支出", "2,218.64"), ("卫生健康支出", "78.22")]
    assert first.rows[1].location == Location(str(path), 6, 1)
    assert [row.cells for row in second.rows] == [("201", "06", "01", "行政运行", "1,623.18", "1,623.18")]


def test_an_omission_in_a_quoted_law_is_body_text_not_a_contents_line(tmp_path: Path) -> None:
    # “……” inside a sentence leaves words out of a quotation; contents leaders end at a page number
    text = "\n".join([
        "一、调整依据",
        "按照《中华人民共和国预算法》第六十七条“……需要增加举借债务数额的，应当进行预算调整。……”，调整本级预算。",
        "二、收入调整 ……… 3",
        "三、支出调整……",
    ])
    path = tmp_path / "说明.txt"
    path.write_text(text, encoding="utf-8")
    document = read_document(path)
    assert document.text.splitlines() == text.splitlines()[:2]
    assert [aside.role for aside in document.asides] == ["contents", "contents"]


def test_table_flattened_one_cell_per_line_with_its_header_is_not_body_text(tmp_path: Path) -> None:
    # a web page's table copied one cell per line: caption, 部门 and unit lines, header cells, the
    # column numbers (“栏次 / 1 / 栏次 / 2”), then the rows
    text = "\n".join([
        "二、收入支出决算总表",
        "收入支出决算总表",
        "公开01表",
        "部门：某县某中心",
        "金额单位：万元",
        "收入", "支出", "项目", "行次", "金额", "项目", "行次", "金额",
        "栏次", "1", "栏次", "2",
        "一、一般公共预算财政拨款收入", "1", "312.40",
        "一、一般公共服务支出", "29", "300.10",
        "二、政府性基金预算财政拨款收入", "2", "0.00",
        "三、收入支出决算总体情况说明",
        "本年收入合计312.40万元。",
    ])
    path = tmp_path / "决算.txt"
    path.write_text(text, encoding="utf-8")
    document = read_document(path)
    # the title line above the caption “公开01表” stays in the text (a heading, not a finding)
    assert document.text.splitlines() == ["二、收入支出决算总表", "收入支出决算总表", "三、收入支出决算总体情况说明",
                                          "本年收入合计312.40万元。"]


def test_table_printed_one_cell_per_line_is_read_back_into_rows(tmp_path: Path) -> None:
    # a web page's table as text: every cell on a line of its own, “|” after each, a lone “|” for an
    # empty cell, and a second table (title, two header cells) right after the first
    cells = ["项目", "预算数", "决算数",
             "合计", "49.90", "7.69",
             "因公出国（境）费", "20.00", "",
             "公务接待费", "29.90", "7.69",
             "2024年度“三公”经费使用情况", "使用项目", "2024年度数量",
             "公务用车保有量", "6", "国内公务接待批次", "30"]
    text = "\n".join(["2024年度“三公”经费支出决算表", "单位：万元", *(f"{c} |" if c else "|" for c in cells),
                      "二、说明", "“三公”经费支出决算7.69万元。"])
    path = tmp_path / "决算.txt"
    path.write_text(text, encoding="utf-8")
    document = read_document(path)
    first, second = document.tables
    assert (first.title, first.unit) == ("2024年度“三公”经费支出决算表", "万元")
    assert [row.cells for row in first.rows] == [("项目", "预算数", "决算数"), ("合计", "49.90", "7.69"),
                                                 ("因公出国（境）费", "20.00", ""), ("公务接待费", "29.90", "7.69")]
    # each cell keeps the line it was printed on: the empty 决算数 of 因公出国（境）费 is line 11
    assert [where.line for where in first.rows[2].cell_locations] == [9, 10, 11]
    assert second.title == "2024年度“三公”经费使用情况"
    assert [row.cells for row in second.rows] == [("使用项目", "2024年度数量"), ("公务用车保有量", "6"),
                                                  ("国内公务接待批次", "30")]
    assert document.text.splitlines() == ["二、说明", "“三公”经费支出决算7.69万元。"]
