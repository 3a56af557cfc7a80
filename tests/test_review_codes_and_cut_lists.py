"""Review of two shapes real texts have: a code printed with its name, and a list cut off mid-sentence.

The sentences are written for these tests; the figures are made up.
"""

from __future__ import annotations

from narrator.review import review_text

from .conftest import run


def test_a_code_with_its_name_is_not_an_unofficial_name():
    text = ("2025年部门预算情况说明\n"
            "一般公共预算支出包括：201-一般公共服务支出100.00万元、208 社会保障和就业支出50.00万元。\n"
            "2010301行政运行支出100.00万元，主要用于机关正常运转。")
    assert [f.format() for f in review_text(text, "说明.txt").findings if f.rule == "official-name"] == []


def test_a_wrong_name_after_a_code_is_reported_at_the_name():
    text = "2025年部门预算情况说明\n一般公共预算支出包括：201-一般公共服务支出100.00万元、210-医疗卫生健康支出11.53万元。"
    assert [f.format() for f in review_text(text, "说明.txt").findings if f.rule == "official-name"] == [
        "说明.txt:2:37: 错误 official-name “医疗卫生健康支出”不是官方名称，应为“卫生健康支出”"]


def test_a_list_cut_off_at_the_end_of_the_text_gets_no_total(runner, tmp_path):
    path = tmp_path / "摘录.txt"
    path.write_text("2025年部门预算情况说明\n部门收入预算222.22万元，其中：一般公共预算214.20万元，单位资金5.00万元，事业收",
                    encoding="utf-8")
    result = run(runner, "review", str(path))
    assert (result.exit_code, result.output) == (0, "")
    # the same list, written out to its end, is checked
    path.write_text("2025年部门预算情况说明\n部门收入预算222.22万元，其中：一般公共预算214.20万元，单位资金5.00万元。\n",
                    encoding="utf-8")
    result = run(runner, "review", str(path))
    assert (result.exit_code, result.output.splitlines()) == (1, [
        f"{path}:2:7: 错误 parts-total 合计 222.22 万元与所列 2 个分项之和 219.20 万元（214.20＋5.00）相差 3.02 万元"])
