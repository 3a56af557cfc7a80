"""Reading PDFs: paragraphs rebuilt across wraps and pages, furniture dropped, tables apart, places kept."""

from __future__ import annotations

from pathlib import Path

import pdfmaker

from narrator.errors import Location
from narrator.reading import read_document
from narrator.review import review_file

FILLER = "本部门认真落实过紧日子要求，严格控制一般性支出"
PAD = ("本年度预算编制坚持量入为出、统筹兼顾、突出重点、勤俭节约的原则，严格执行各项支出标准，"
       "优先保障人员工资和机构正常运转，从严从紧安排会议费、培训费及差旅费，全力支持重点工作开展")
TOPICS = ["城市管理", "社区治理", "公共卫生", "养老服务", "文化活动", "安全生产", "绿化养护", "就业援助",
          "帮困救助", "市容整治", "防汛防台", "教育培训", "信息化建设", "物业管理", "垃圾分类"]


def varied(count: int, pad: int = 2) -> list[str]:
    """``count`` different paragraphs of a few printed lines each."""
    return [f"{FILLER}，围绕{TOPICS[n % len(TOPICS)]}第{n + 1}项重点任务，{PAD[: 20 + (n * 7) % 40]}。"
            for n in range(count)]


def padded(head: str, split_at: str, tail: str) -> str:
    """A paragraph ``filler + head + tail`` padded so that a printed line ends exactly after ``split_at``.

    ``split_at`` is the beginning of ``head`` that must end a printed line (the rest of ``head``
    starts the next one).
    """
    for count in range(80):
        text = PAD[:count] + head + tail
        lines = pdfmaker.wrap(text, pdfmaker.A4[0] - pdfmaker.LEFT - pdfmaker.RIGHT)
        if any(line.endswith(split_at) and not line.endswith(head) for line in lines):
            return text
    raise AssertionError("no padding puts the wrap there")


def place(layout: pdfmaker.Layout, text: str) -> tuple[int, int, int]:
    """Page, line and column where ``text`` starts in the printed layout."""
    printed = layout.find(text)
    return printed.page, printed.line, printed.text.index(text) + 1


def locate_word(document, word: str) -> Location:
    """The original place of the first occurrence of ``word`` in the rebuilt text."""
    offset = document.text.index(word)
    line = document.text.count("\n", 0, offset) + 1
    column = offset - (document.text.rfind("\n", 0, offset) + 1) + 1
    return document.locate(line, column)


def test_a_wrapped_name_and_a_wrapped_amount_are_rebuilt(tmp_path: Path) -> None:
    name = padded("卫生健康支出", "卫生健", "（类）支出增加。")
    amount = padded("比上年增加30.40万元", "比上年增加30.40万", "，主要是人员增加。")
    path = tmp_path / "说明.pdf"
    layout = pdfmaker.make_pdf(path, [name, amount], header="")   # one page: no running header to find
    assert layout.find("卫生健").text.endswith("卫生健")
    assert layout.find("30.40万").text.endswith("30.40万")
    document = read_document(path)
    assert document.text.splitlines() == [name, amount]
    page, line, _ = place(layout, "康支出")
    assert locate_word(document, "康支出") == Location(str(path), line, 1, page)
    page, line, column = place(layout, "卫生健")
    assert locate_word(document, "卫生健康支出") == Location(str(path), line, column, page)


def test_headers_footers_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    paragraphs = varied(40)
    path = tmp_path / "说明.pdf"
    layout = pdfmaker.make_pdf(path, paragraphs, header="某某局2025年部门预算公开")
    assert layout.pages >= 3
    document = read_document(path)
    assert document.text.splitlines() == paragraphs
    assert "某某局2025年部门预算公开" not in document.text
    assert "- 2 -" not in document.text and document.pages == layout.pages


def test_a_word_on_page_two_is_placed_at_its_page_line_and_column(tmp_path: Path) -> None:
    paragraphs = varied(30)
    paragraphs[20] = FILLER + "。机关运行经费预算为12.34万元，比上年减少0.56万元。"
    path = tmp_path / "说明.pdf"
    layout = pdfmaker.make_pdf(path, paragraphs, lines_per_page=30)
    page, line, column = place(layout, "机关运行经费")
    assert page == 2
    document = read_document(path)
    assert locate_word(document, "机关运行经费") == Location(str(path), line, column, 2)
    assert str(locate_word(document, "机关运行经费")) == f"{path}:2:{line}:{column}"


def test_a_paragraph_continues_across_a_page_break(tmp_path: Path) -> None:
    long = FILLER + "，" + PAD + "，压减非刚性支出后，当年结余资金全部用于保障重点项目。"
    path = tmp_path / "说明.pdf"
    first = ["一、收入预算说明"] + varied(2)
    width = pdfmaker.A4[0] - pdfmaker.LEFT - pdfmaker.RIGHT
    used = sum(len(pdfmaker.wrap(paragraph, width)) for paragraph in first)
    layout = pdfmaker.make_pdf(path, first + [long], lines_per_page=used + 2)
    pages = {p.page for p in layout.lines if p.kind == "body" and p.text in long}
    assert pages == {1, 2}
    document = read_document(path)
    assert document.text.splitlines()[-1] == long
    continued = next(p for p in layout.lines if p.page == 2 and p.kind == "body")
    assert locate_word(document, continued.text) == Location(str(path), 2, 1, 2)


def test_a_table_goes_to_tables_with_its_rows_title_and_unit(tmp_path: Path) -> None:
    rows = [("201", "一般公共服务支出", "31,214,205.80"), ("201 06", "财政事务", "22,186,440.80"),
            ("2010601", "行政运行", "16,231,840.80")]
    table = pdfmaker.Table("2025年部门收支总体情况表", "元", rows)
    path = tmp_path / "说明.pdf"
    layout = pdfmaker.make_pdf(path, ["一、部门收支总体情况", FILLER + "，详见下表。"], header="", tables=(table,))
    document = read_document(path)
    assert document.text.splitlines() == ["一、部门收支总体情况", FILLER + "，详见下表。"]
    [read] = document.tables
    assert (read.title, read.unit) == ("2025年部门收支总体情况表", "元")
    assert [row.cells for row in read.rows] == rows
    printed = layout.find("行政运行")
    assert read.rows[2].location == Location(str(path), printed.line, 1, printed.page)
    caption = layout.find("收支总体情况表")
    assert read.location == Location(str(path), caption.line, 1, caption.page)


def test_review_names_the_page_and_line_where_a_doubled_word_starts(tmp_path: Path) -> None:
    doubled = padded("主要用于主要用于日常运转", "主要用于主要", "。")
    path = tmp_path / "说明.pdf"
    layout = pdfmaker.make_pdf(path, [FILLER + "。", doubled], header="")
    page, line, column = place(layout, "主要用于主要")
    report = review_file(path)
    assert [(f.rule, f.location) for f in report.findings] == [
        ("doubled-word", Location(str(path), line, column, page))]


def test_the_generated_bench_document_reads_back_whole(tmp_path: Path) -> None:
    paragraphs, tables = pdfmaker.sample_document(pages=3)
    path = tmp_path / "bench.pdf"
    layout = pdfmaker.make_pdf(path, paragraphs, tables=tables)
    document = read_document(path)
    assert document.text.splitlines() == paragraphs
    assert [row.cells for row in document.tables[0].rows] == tables[0].rows
    assert document.pages == layout.pages


def test_a_table_continued_on_the_next_page_keeps_its_title_and_unit(tmp_path: Path) -> None:
    rows = [(f"2{n:02d}", f"第{n}类支出", f"{n * 1000 + 0.5:,.2f}") for n in range(1, 13)]
    table = pdfmaker.Table("2025年部门支出总表", "万元", rows)
    path = tmp_path / "说明.pdf"
    layout = pdfmaker.make_pdf(path, ["一、支出情况"], tables=(table,), lines_per_page=8)
    document = read_document(path)
    assert document.text.splitlines() == ["一、支出情况"]
    assert [(t.title, t.unit, t.location.page) for t in document.tables] == [
        ("2025年部门支出总表", "万元", 1), ("2025年部门支出总表", "万元", 2)]
    assert [row.cells for t in document.tables for row in t.rows] == rows
    assert document.tables[1].rows[0].location == Location(str(path), 2, 1, 2)
    assert layout.find(rows[5][1]).page == 2


def test_spaces_around_a_number_go_but_columns_stay_those_of_the_page(tmp_path: Path) -> None:
    path = tmp_path / "说明.pdf"
    layout = pdfmaker.make_pdf(path, ["其他收入 30.40 万元，比上年增加 2.5 万元。"], header="")
    document = read_document(path)
    assert document.text == "其他收入30.40万元，比上年增加2.5万元。\n"
    printed = layout.find("其他收入")
    assert printed.text.index("万元，") == 11
    assert locate_word(document, "万元，") == Location(str(path), printed.line, 12, printed.page)


def test_a_contents_page_is_not_body_text(tmp_path: Path) -> None:
    contents = ["目 录", "一、收入预算说明", "二、支出预算说明"]
    body = ["一、收入预算说明", FILLER + "，收入预算100.00万元。", "二、支出预算说明", FILLER + "，支出预算100.00万元。"]
    path = tmp_path / "说明.pdf"
    layout = pdfmaker.make_pdf(path, contents + body, lines_per_page=3)
    assert [p.page for p in layout.lines if p.text == "目 录"] == [1]
    assert read_document(path).text.splitlines() == body


def test_a_full_line_ending_in_a_semicolon_goes_on(tmp_path: Path) -> None:
    shares = padded("占71.73%；社会保障和就业支出326.72万元，占11.11%；卫生健康支出", "占11.11%；", "60.99万元，占2.07%。")
    path = tmp_path / "说明.pdf"
    layout = pdfmaker.make_pdf(path, [shares, "一、下一段"], header="")
    assert layout.find("占11.11%；").text.endswith("占11.11%；")
    assert read_document(path).text.splitlines() == [shares, "一、下一段"]
