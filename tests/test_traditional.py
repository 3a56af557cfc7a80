"""Texts in traditional characters are reviewed and linted as simplified, char for char.

The sentences are written for these tests; the figures are made up.
"""

from __future__ import annotations

from narrator.errors import Location
from narrator.lint import lint_text
from narrator.reading import Piece, ReadDocument, Table, TableRow
from narrator.review import review_document, review_text
from narrator.text.traditional import is_traditional, load_script, to_simplified

from .conftest import run

TRADITIONAL = ("本單位2025年一般公共預算支出150.00萬元，較上年增加10.00萬元，增長10.00%，"
               "主要原因是辦公經費費增加。")
SIMPLIFIED = ("本单位2025年一般公共预算支出150.00万元，较上年增加10.00万元，增长10.00%，"
              "主要原因是办公经费费增加。")


def test_a_traditional_text_becomes_simplified_char_for_char():
    converted = to_simplified(TRADITIONAL)
    assert converted == SIMPLIFIED
    assert len(converted) == len(TRADITIONAL)


def test_a_simplified_text_comes_back_untouched():
    text = SIMPLIFIED + "\n“萬年青”项目、於某某同志的来信不在此列。"   # a traditional name or two is no traditional text
    assert not is_traditional(text)
    assert to_simplified(text) is text


def test_chars_a_simplified_text_also_uses_do_not_tell_a_traditional_text():
    # 於 and 乾 are converted in a traditional text, but a simplified one may write them
    assert "於" not in load_script().telling and load_script().table[ord("於")] == "于"
    assert not is_traditional("於乾於乾於乾於乾於乾於乾")


def test_too_few_traditional_chars_are_not_enough():
    assert not is_traditional("單位經費預算")                # 單經費預: 4 < min_count 5
    assert is_traditional("單位經費預算說明")                # 單經費預說: 5 of 8 CJK chars
    assert not is_traditional("單位經費預算說明" + "经费预算说明" * 20)   # 5 of 128 CJK chars: under 5%


def test_lint_reads_a_traditional_text_and_points_at_the_original_column():
    findings = lint_text(TRADITIONAL, "说明.txt").findings
    assert [(f.location.line, f.location.column, f.rule, f.message) for f in findings] == [
        (1, 56, "doubled-character", "“费费”中的字重复了，请核对")]
    assert TRADITIONAL[55:57] == "費費"


def test_review_checks_the_numbers_of_a_traditional_text():
    text = "2025年部門預算情況說明\n" + TRADITIONAL + "\n“三公”經費預算數為0萬元，較上年增加0萬元，增長100%。"
    report = review_text(text, "说明.txt")
    assert [f.format() for f in report.findings] == [
        "说明.txt:0:0: 提示 traditional-text 全文是繁体字，已逐字按简体字审查（各条发现引用的文字为简体，位置仍指原文）",
        "说明.txt:2:41: 错误 change-percent 增减幅度应为 7.14%（10.00 ÷ 上年 140.00），文中写 10.00%",
        "说明.txt:2:56: 警告 doubled-character “费费”中的字重复了，请核对",
        "说明.txt:3:18: 警告 zero-change “增加0万元”：没有变化应写“持平”",
        "说明.txt:3:26: 错误 zero-base-percent “100%”：上年数为 0，不能计算百分比（可写“上年无此项”或“基数为0，不可比”）",
    ]
    # the report keeps the original text (the HTML report shows the sentence as published)
    assert report.document.text == text


def test_review_reads_the_tables_of_a_traditional_document_as_simplified():
    text = "某局2025年部門預算說明\n社會保障和就業支出210.00萬元，主要用於養老保險繳費。"
    rows = [("功能分類科目名稱", "合計"), ("208", "社會保障和就業支出", "2,000,000.00"), ("合計", "2,000,000.00")]
    table = Table("2025年部門支出預算總表", "元",
                  [TableRow(r, Location("預算.pdf", 3 + i, 1, 5)) for i, r in enumerate(rows)])
    document = ReadDocument("預算.pdf", "pdf", text, [Piece(0, 1, 1, 1), Piece(14, 2, 7, 1)], [table])
    found = [f for f in review_document(document).findings if f.rule == "table-amount"]
    assert [(str(f.location), f.level) for f in found] == [("預算.pdf:2:7:10", "error")]
    assert "社会保障和就业支出" in found[0].message and "200.00" in found[0].message
    assert document.tables[0].rows[1].cells[1] == "社會保障和就業支出"   # the document itself is left as read


def test_the_cli_reviews_a_traditional_file(runner, tmp_path):
    path = tmp_path / "說明.txt"
    path.write_text("2025年部門預算情況說明\n" + TRADITIONAL + "\n", encoding="utf-8")
    result = run(runner, "review", str(path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:0:0: 提示 traditional-text 全文是繁体字，已逐字按简体字审查（各条发现引用的文字为简体，位置仍指原文）",
        f"{path}:2:41: 错误 change-percent 增减幅度应为 7.14%（10.00 ÷ 上年 140.00），文中写 10.00%",
        f"{path}:2:56: 警告 doubled-character “费费”中的字重复了，请核对",
    ]
    result = run(runner, "lint", str(path))
    assert result.output.splitlines() == [f"{path}:2:56: 警告 doubled-character “费费”中的字重复了，请核对"]


def test_the_note_is_about_the_whole_file_not_a_sentence(runner, tmp_path):
    import json

    path = tmp_path / "說明.txt"
    path.write_text("2025年部門預算情況說明\n" + TRADITIONAL + "\n", encoding="utf-8")
    findings = json.loads(run(runner, "review", str(path), "--format", "json").output)["findings"]
    assert [(f["line"], f["column"], f["rule"], f["sentence"]) for f in findings][:2] == [
        (0, 0, "traditional-text", ""), (2, 41, "change-percent", TRADITIONAL)]   # the sentence as published
