"""near-word through review: evidence from the whole document (its tables too), and the cost of
the vocabulary on a long document."""

from __future__ import annotations

import time

from narrator.lint import load_lint_rules
from narrator.lint.kinds.nearname import find_slips
from narrator.lint.kinds.nearword import _doubled, _params
from narrator.review import review_file

TEXT = """某局2024年部门预算情况说明
单位:万元 | ||||
项目 | 2023年预算数 | 2024年预算数 |
退休人员物业补贴 | 3.00 | 3.20 |
在职人员工资 | 40.00 | 41.00 |
本年退休人员物补贴比上年增加0.20万元，主要原因是退休人员增加。
"""


def _near(path):
    return [(f.location.line, f.location.column, f.message) for f in review_file(path).findings
            if f.rule == "near-word"]


def test_a_word_written_right_in_a_table_is_evidence_for_its_slip_in_the_text(tmp_path):
    path = tmp_path / "说明.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert _near(path) == [(6, 7, "“物补贴”疑为“物业补贴”之误（常用词语）")]


def test_without_the_word_written_right_the_short_slip_is_not_reported(tmp_path):
    path = tmp_path / "说明.txt"
    path.write_text(TEXT.replace("退休人员物业补贴 |", "退休人员补贴 |"), encoding="utf-8")
    assert _near(path) == []


def test_a_word_led_by_its_own_inner_chars():
    words = _params(next(r for r in load_lint_rules() if r.name == "near-word"))
    text = "五、支出情况决算情况说明\n六、一般公共预算支出预算表"
    assert [(text[a:b], word) for a, b, word in _doubled(text, words)] == [("情况决算情况说明", "决算情况说明")]


def test_a_long_document_costs_milliseconds():
    words = _params(next(r for r in load_lint_rules() if r.name == "near-word"))
    page = TEXT * 300 + "按实际公务用处运行需要安排。"                 # ~40 000 chars, one slip at the end
    find_slips(page, words.vocabulary, apart=words.alone)
    started = time.perf_counter()
    found = find_slips(page, words.vocabulary, apart=words.alone)
    elapsed = time.perf_counter() - started
    assert found[-1][2] == "公务用车运行"
    assert elapsed < 1.0, elapsed    # ~0.1 s on a quiet machine; generous for a busy one
