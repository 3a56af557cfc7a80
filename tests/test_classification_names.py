"""Names of codes: the department's own first, checked against the reference by year."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.classification.table import Entry, parse_table
from narrator.errors import NarratorError
from narrator.loading.yamlload import load_yaml_text

from .conftest import EXAMPLE, run

ORIGINAL = EXAMPLE.read_text(encoding="utf-8")


def lines_of(result, rule: str) -> list[str]:
    """The findings of one rule among those render prints (the checks' findings are there too)."""
    return [line for line in result.stderr.splitlines() if f" {rule} " in line]


def variant(tmp_path: Path, *replacements: tuple[str, str], name: str = "figures.yaml") -> Path:
    text = ORIGINAL
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


FUND_ITEM = ("functional:\n", 'names:\n  "22960": 彩票公益金安排的支出\nfunctional:\n'
             '  - code: "2296097"\n    name: 用于某某事业的彩票公益金支出\n    project: {fund: 12.00}\n    prior: 0\n')
FUND_INCOME = ("income:\n", "income:\n  fund:\n    amount: 12.00\n    prior: 0\n    reason: 新增彩票公益金项目\n")


def test_a_code_the_reference_lacks_renders_with_the_figures_name_and_a_note(runner, tmp_path) -> None:
    path = variant(tmp_path, FUND_ITEM, FUND_INCOME)
    result = run(runner, "render", str(path))
    assert result.exit_code == 1, result.output
    assert "其他支出（类）彩票公益金安排的支出（款）用于某某事业的彩票公益金支出（项）" in result.stdout
    assert lines_of(result, "unlisted-code") == [
        f"{path}:66:5: 警告 unlisted-code 参考科目表中没有项级科目 2296097，按数据文件所写的名称"
        "“用于某某事业的彩票公益金支出”使用；请核对2025年政府收支分类科目"]


def test_check_reports_the_same_note(runner, tmp_path) -> None:
    path = variant(tmp_path, FUND_ITEM, FUND_INCOME)
    result = run(runner, "check", str(path))
    assert (f"{path}:66:5: 警告 unlisted-code 参考科目表中没有项级科目 2296097，按数据文件所写的名称"
            "“用于某某事业的彩票公益金支出”使用；请核对2025年政府收支分类科目") in result.stdout.splitlines()


def test_a_code_nobody_names_is_refused_at_the_item(runner, tmp_path) -> None:
    path = variant(tmp_path, ("functional:\n", 'functional:\n  - code: "2349901"\n    name: 某某支出\n'
                                               "    project: {general: 1.00}\n    prior: 0\n"))
    result = run(runner, "render", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    # the 款 and the 类 of the 项 are unknown too, and nobody names them (the 项 is named)
    assert [line.split("；")[0] for line in lines] == [
        f"{path}:59:5: 错误 unknown-code “23499” 不是支出功能分类科目中的款级科目",
        f"{path}:59:5: 错误 unknown-code “234” 不是支出功能分类科目中的类级科目"]
    assert all(line.endswith("若确有此科目，请在 names: 中写明其名称（按本部门表格所印）") for line in lines)


def test_a_name_that_differs_from_the_reference_is_used_with_a_warning(runner, tmp_path) -> None:
    path = variant(tmp_path, ('  - code: "2014004"          # 一般公共服务支出 / 信访事务 / 信访业务\n',
                              '  - code: "2014004"          # 一般公共服务支出 / 信访事务 / 信访业务\n'
                              "    name: 信访业物\n"))
    result = run(runner, "render", str(path))
    assert result.exit_code == 1
    assert "信访事务（款）信访业物（项）" in result.stdout
    assert lines_of(result, "classification-name") == [
        f"{path}:62:5: 警告 classification-name 科目 2014004 的名称“信访业物”与2025年支出功能分类科目的"
        "“信访业务”不同，请核对（笔误或已改名？）"]


def test_an_outdated_name_says_since_when_it_changed(runner, tmp_path) -> None:
    path = variant(tmp_path, ("functional:\n", 'names:\n  "210": 医疗卫生与计划生育支出\nfunctional:\n'))
    result = run(runner, "render", str(path))
    assert result.exit_code == 1
    assert lines_of(result, "classification-name") == [
        f"{path}:59:3: 警告 classification-name “医疗卫生与计划生育支出”是科目 210 2018年及以前的名称，"
        "2019年起称“卫生健康支出”"]


def test_names_resolve_by_the_documents_year(runner, tmp_path) -> None:
    path = variant(tmp_path, ("year: 2025", "year: 2018"))
    result = run(runner, "render", str(path))
    assert "医疗卫生与计划生育支出" in result.stdout
    assert "卫生健康支出" not in result.stdout


def test_a_names_key_must_be_a_code(runner, tmp_path) -> None:
    path = variant(tmp_path, ("functional:\n", "names:\n  信访: 信访事务\nfunctional:\n"))
    result = run(runner, "render", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:59:3: 错误 unknown-key names 的键 “信访” 应为科目编码（功能分类 3/5/7 位，经济分类 3/5 位）"]


EDITION = """\
name: 2025年政府收支分类科目（某市财政局印发）
kind: edition
valid_from: 2025
valid_to: 2025
sources:
  issued: {kind: official, title: 某市财政局印发的2025年政府收支分类科目}
source: issued
codes:
  "2014004": 信访业务工作
"""


def test_an_official_edition_named_in_the_figures_gives_the_names(runner, tmp_path) -> None:
    (tmp_path / "科目表2025.yaml").write_text(EDITION, encoding="utf-8")
    path = variant(tmp_path, ("region: 阿图什市", "classification: 科目表2025.yaml\nregion: 阿图什市"))
    result = run(runner, "render", str(path), "--fail-on", "warning")
    assert "信访事务（款）信访业务工作（项）" in result.stdout
    assert result.exit_code == 0, result.stderr


def test_a_missing_edition_file_is_bad_input_at_its_key(runner, tmp_path) -> None:
    path = variant(tmp_path, ("region: 阿图什市", "classification: 没有.yaml\nregion: 阿图什市"))
    result = run(runner, "render", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:14:1: 错误 classification-file 找不到科目表文件")


def test_an_entry_names_its_year() -> None:
    entry = Entry("21301", "农业农村", formerly=((2018, "农业"),), since=2000)
    assert (entry.name_in(2018), entry.name_in(2019), entry.name_in(None)) == ("农业", "农业农村", "农业农村")
    assert entry.renamed_in("农业") == 2019 and entry.renamed_in("农业农村") is None
    assert not entry.exists_in(1999) and entry.exists_in(2030)
    assert entry.sureness == "memory"


@pytest.mark.parametrize(("body", "message"), [
    ('codes:\n  "201": {name: 一般公共服务支出, source: book}\n',
     "t.yaml:2:3: 错误 classification-data 科目 201 的来源 “book” 未在 sources: 中说明；可选：（无）"),
    ('codes:\n  "20": 一般\n', "t.yaml:2:3: 错误 classification-data 科目编码 “20” 应为 3、5 或 7 位数字"
                               "（加引号写，如 \"2010101\"）"),
    ('codes:\n  "201": {name: 一般公共服务支出, from: 二〇二四}\n',
     "t.yaml:2:3: 错误 classification-data 科目 201 的 from/until 应为年度（如 2024）"),
    ("sources:\n  a: {kind: sure}\ncodes: {}\n",
     "t.yaml:2:3: 错误 classification-data 来源 a 的 kind 应为 official、published、memory 之一"),
])
def test_a_bad_table_file_is_reported_at_its_line(body: str, message: str) -> None:
    with pytest.raises(NarratorError) as caught:
        parse_table(load_yaml_text(body, "t.yaml"), "t.yaml")
    assert [f.format() for f in caught.value.findings] == [message]


def test_an_edition_named_in_the_environment_is_in_use_for_every_command(runner, tmp_path, monkeypatch) -> None:
    (tmp_path / "科目表2025.yaml").write_text(EDITION, encoding="utf-8")
    monkeypatch.setenv("NARRATOR_CLASSIFICATION", str(tmp_path / "科目表2025.yaml"))
    result = run(runner, "render", str(EXAMPLE))
    assert "信访事务（款）信访业务工作（项）" in result.stdout
    monkeypatch.delenv("NARRATOR_CLASSIFICATION")
    assert "信访事务（款）信访业务（项）" in run(runner, "render", str(EXAMPLE)).stdout


def test_every_name_of_a_table_is_each_codes_current_and_former_names():
    from narrator.classification import load_classification

    table = parse_table(load_yaml_text('codes:\n  "201": {name: 一般公共服务支出, formerly: {2018: 一般公共服务}}\n'
                                       '  "20101": 人大事务\n  "20102": {name: 政协事务, formerly: {2017: 政协, 2019: 一般公共服务}}\n',
                                       "t.yaml"), "t.yaml")
    assert table.every_name() == {"一般公共服务支出", "一般公共服务", "人大事务", "政协事务", "政协"}
    for kind in ("functional", "economic", "government-economic"):
        bundled = load_classification(kind)
        assert bundled.every_name() == set().union(*(bundled.all_names(code) for code in bundled.entries))
