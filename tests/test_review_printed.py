"""review judges spacing on the lines as printed: the reader drops the blank in “2022 年”, so the
stray-space rule reads the printed lines, and its findings land on the original line and column.
Reviewers do not count stray blanks (a PDF's or a web page's text is full of them): the rule is
``review: false``, left out unless asked for with ``include`` (``--include``)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from narrator.cli import app
from narrator.reading import read_document
from narrator.review import review_file
from narrator.review.printed import printed_lines

TEXT = ("某某县档案局2025年部门预算\n"
        "一、收入预算\n"
        "2025年收入预算120.00万元，比2024年增加10.00万元。\n"
        "二、支出预算\n"
        "2025 年支出预算120.00万元，比2024年增加10.00万元。\n"
        "三、项目支出\n"
        "2025年项目支出20.00万元，比2024年减少2.00万元。\n")


def test_a_stray_space_is_found_on_the_printed_line(tmp_path):
    path = tmp_path / "预算.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert "2025 年" not in read_document(path).text       # the reader dropped the blank …
    found = [(f.location.line, f.location.column, f.message)
             for f in review_file(path, include={"stray-space"}).findings if f.rule == "stray-space"]
    # … and the rule still sees it, where it is printed
    assert found == [(5, 1, "“2025 年”中多了空格（本文其他 6 处不空格，如“2025年”）")]


def test_the_printed_lines_are_the_original_lines(tmp_path):
    path = tmp_path / "预算.txt"
    path.write_text(TEXT, encoding="utf-8")
    printed = printed_lines(read_document(path))
    assert printed.text.split("\n") == TEXT.rstrip("\n").split("\n")
    document = read_document(path)
    at = printed.offset(5, 6)                                # the 年 after the stray blank
    assert document.text[at] == "年"


def test_a_text_that_spaces_every_number_is_left_alone(tmp_path):
    path = tmp_path / "预算.txt"
    path.write_text(TEXT.replace("2025年", "2025 年").replace("2024年", "2024 年"), encoding="utf-8")
    assert [f for f in review_file(path, include={"stray-space"}).findings if f.rule == "stray-space"] == []


def test_the_command_looks_for_stray_blanks_only_when_asked(tmp_path):
    path = tmp_path / "预算.txt"
    path.write_text(TEXT, encoding="utf-8")
    plain = CliRunner().invoke(app, ["review", str(path), "--format", "json"])
    assert [f for f in json.loads(plain.stdout)["findings"] if f["rule"] == "stray-space"] == []
    asked = CliRunner().invoke(app, ["review", str(path), "--format", "json", "--include", "stray-space"])
    assert [f["line"] for f in json.loads(asked.stdout)["findings"] if f["rule"] == "stray-space"] == [5]
    both = CliRunner().invoke(app, ["review", str(path), "--format", "json", "--include", "stray-space",
                                    "--ignore", "stray-space"])
    assert [f for f in json.loads(both.stdout)["findings"] if f["rule"] == "stray-space"] == []


def test_include_names_only_rules_review_leaves_out(tmp_path):
    path = tmp_path / "预算.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["review", str(path), "--include", "parts-total"])
    assert result.exit_code == 2
    assert "“parts-total”不是审查时默认不查的规则；可选：heading-runs-on、stray-space" in result.stderr
