"""narrator review: the library API and the command, on texts written for these tests."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from narrator.cli import app
from narrator.errors import Finding, Location
from narrator.review import review_file

TEXT = "一、收入预算说明\n\n本部门2025年收入预算100.00万元，主要用于主要用于日常运转。\n"


def test_review_finds_a_doubled_word_at_its_line(tmp_path):
    path = tmp_path / "说明.txt"
    path.write_text(TEXT, encoding="utf-8")
    report = review_file(path)
    assert [(f.rule, f.location.line, f.location.column) for f in report.findings] == [("doubled-word", 3, 22)]


def test_review_command_exit_code_and_json(tmp_path):
    path = tmp_path / "说明.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["review", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["doubled-word"]


def test_a_paged_location_prints_page_line_and_column():
    finding = Finding(Location("a.pdf", 3, 7, page=2), "error", "r", "消息")
    assert finding.format() == "a.pdf:2:3:7: 错误 r 消息"
    assert finding.to_dict()["page"] == 2
