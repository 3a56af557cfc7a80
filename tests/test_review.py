"""narrator review: the library API and the command, on texts written for these tests."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from narrator.cli import app
from narrator.errors import Finding, Location
from narrator.review import review_file, review_text

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

_PIECES = st.sampled_from(["公务接待费", "比上年", "增加", "减少", "下降", "增长", "持平", "占", "其中：", "，", "。",
                           "；", "（", "）", "主要原因是", "年初预算为", "差值为", "完成预算的", "2024年", "2025年",
                           "0", "1.5", "12.39", "100", "万元", "万", "元", "%", "\n", "“三公”经费", "合计"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_review_reads_any_text_without_failing(pieces):
    report = review_text("".join(pieces), "any.txt")
    for finding in report.findings:
        assert finding.location.line >= 1 and finding.location.column >= 1


def test_review_checks_the_text_against_the_documents_own_tables():
    from narrator.reading import Piece, ReadDocument, Table, TableRow
    from narrator.review import review_document

    text = "某局2025年部门预算\n社会保障和就业支出210.00万元，主要用于养老保险缴费。"
    rows = [("功能分类科目名称", "合计"), ("208", "社会保障和就业支出", "2,000,000.00"), ("合计", "2,000,000.00")]
    table = Table("2025年部门支出预算总表", "元",
                  [TableRow(r, Location("预算.pdf", 3 + i, 1, 5)) for i, r in enumerate(rows)])
    document = ReadDocument("预算.pdf", "pdf", text, [Piece(0, 1, 1, 1), Piece(12, 2, 7, 1)], [table])
    report = review_document(document)
    found = [f for f in report.findings if f.rule == "table-amount"]
    assert [(str(f.location), f.level) for f in found] == [("预算.pdf:2:7:10", "error")]
    assert "200.00" in found[0].message and "210.00" in found[0].message
    assert report.offsets[report.findings.index(found[0])] == 12 + 9
    # a rule the reviewer ignores is not reported
    assert not [f for f in review_document(document, ignore={"table-amount"}).findings if f.rule == "table-amount"]


def test_review_and_lint_take_a_wording_profile(tmp_path):
    path = tmp_path / "说明.txt"
    path.write_text("某局2025年部门预算\n公务接待费5.00万元，比上年增加1.00万元，增加25.00%。\n", encoding="utf-8")
    for command in ("review", "lint"):
        national = CliRunner().invoke(app, [command, str(path)])
        shanghai = CliRunner().invoke(app, [command, str(path), "--profile", "shanghai"])
        assert national.stdout.splitlines() == [f"{path}:2:25: 警告 percent-direction-word 百分比前的“增加”应为“增长”"]
        assert shanghai.stdout.splitlines() == [f"{path}:2:25: 提示 percent-direction-word 百分比前的“增加”应为“增长”"]
        assert (national.exit_code, shanghai.exit_code) == (0, 0)
        unknown = CliRunner().invoke(app, [command, str(path), "--profile", "nosuch"])
        assert unknown.exit_code == 2 and "可选：national、shanghai、xinjiang-2025" in unknown.output


def test_review_holds_a_document_to_the_national_wording_unless_its_format_is_named(tmp_path):
    # xinjiang-2025's template writes “增加0.00万元，增长0.00%” for no change: that is its standard,
    # not another region's, so review (which has no figures and no format) reports it unless asked
    path = tmp_path / "说明.txt"
    path.write_text("某局2025年部门预算\n公务接待费5.00万元，比上年增加0.00万元，增长0.00%。\n", encoding="utf-8")
    plain = CliRunner().invoke(app, ["review", str(path)])
    assert plain.stdout.splitlines() == [f"{path}:2:16: 警告 zero-change “增加0.00万元”：没有变化应写“持平”",
                                         f"{path}:2:25: 警告 zero-change “增长0.00%”：没有变化应写“持平”"]
    for option in (["--doc-format", "xinjiang-2025"], ["--profile", "xinjiang-2025"]):
        assert CliRunner().invoke(app, ["review", str(path), *option]).stdout == ""
    assert [f.rule for f in review_file(path).findings] == ["zero-change", "zero-change"]
    assert review_file(path, format_name="xinjiang-2025").findings == []


def test_a_text_cut_off_mid_sentence_is_not_blamed_for_its_last_line():
    whole = "某局2025年部门预算\n公务接待费5.00万元，主要用于接待。\n公务用车运行维护费4.00万"
    cut = review_text(whole, "摘录.txt")
    assert [f.rule for f in cut.findings] == []
    # the same slips inside the text are reported
    inside = review_text(whole + "，主要用于车辆运行。\n以上为预算情况。", "全文.txt")
    assert [(f.rule, f.location.line) for f in inside.findings] == [("wan-without-yuan", 3)]


def test_only_the_last_clause_of_a_cut_off_text_is_spared():
    # the text stops mid-word at its end; the missing break earlier on that line was written whole
    cut = review_text("某街道2024年度部门决算\n收入合计7548.19万元，下降8.7%主要原因是减少经费支出，其中：财政拨款收入75", "摘录.txt")
    assert [(f.rule, f.location.line, f.location.column) for f in cut.findings] == [("missing-break", 2, 17)]


def test_a_slip_followed_by_a_list_item_of_a_cut_off_text_was_written_whole():
    # a 、 after the slip shows the item after it began: the slip is no cut-off end
    cut = review_text("某镇2024年部门预算\n其中：教育支出20.50万元11.14%、卫生健康支出5.00万元占2.7", "摘录.txt")
    assert [(f.rule, f.location.line, f.location.column) for f in cut.findings
            if f.rule != "half-width-punctuation"] == [("missing-break", 2, 8)]
