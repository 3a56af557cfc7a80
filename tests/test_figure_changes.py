"""Changing one figure changes exactly the sentences that depend on it, with correct arithmetic."""

from __future__ import annotations

from collections import Counter

import pytest

from narrator.intake.figures import load_figures_text
from narrator.text.render import render_figures

from .conftest import EXAMPLE, sentences

ORIGINAL = EXAMPLE.read_text(encoding="utf-8")


def changed_sentences(old_line: str, new_line: str) -> tuple[set[str], set[str]]:
    """(sentences that disappeared, sentences that appeared) after one edit of the example."""
    assert ORIGINAL.count(old_line) == 1, old_line
    edited = ORIGINAL.replace(old_line, new_line)
    before = Counter(sentences(render_figures(load_figures_text(ORIGINAL, "a.yaml")).text))
    after = Counter(sentences(render_figures(load_figures_text(edited, "b.yaml")).text))
    return set(before - after), set(after - before)


def test_sign_change_turns_an_increase_into_a_decrease() -> None:
    gone, new = changed_sentences("    prior: 1.99\n", "    prior: 6.00\n")
    assert gone == {"单位资金5.00万元，占2.25%，比上年预算增加3.01万元，增长151.26%，"
                    "主要原因是本年增加事业人员绩效工资项目和社保、职业年金"}
    assert new == {"单位资金5.00万元，占2.25%，比上年预算减少1.00万元，下降16.67%，"
                   "主要原因是本年增加事业人员绩效工资项目和社保、职业年金"}


def test_zero_prior_has_no_percentage() -> None:
    gone, new = changed_sentences("    prior: 2.74\n", "    prior: 0\n")
    assert gone == {"3、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）："
                    "2025年预算数为6.55万元，比上年预算增加3.81万元，增长139.05%，"
                    "主要原因是本年退休人员增加，退休人员经费增加"}
    assert new == {"3、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）："
                   "2025年预算数为6.55万元，比上年预算增加6.55万元，"
                   "主要原因是本年退休人员增加，退休人员经费增加"}


def test_economic_line_moves_public_use_and_operating_costs() -> None:
    gone, new = changed_sentences('"30201": 1.10', '"30201": 2.10')
    assert gone == {
        "公用经费4.38万元，主要包括：办公费、印刷费、邮电费、工会经费、福利费、公务用车运行维护费",
        "阿图什市信访局2025年的机关运行经费财政拨款预算4.38万元，比上年预算减少0.62万元，下降12.40%，"
        "主要原因是本年在职人员减少，工会经费、福利费减少",
    }
    assert new == {
        "公用经费5.38万元，主要包括：办公费、印刷费、邮电费、工会经费、福利费、公务用车运行维护费",
        "阿图什市信访局2025年的机关运行经费财政拨款预算5.38万元，比上年预算增加0.38万元，增长7.60%，"
        "主要原因是本年在职人员减少，工会经费、福利费减少",
    }


def test_three_public_part_moves_the_total_and_its_change() -> None:
    gone, new = changed_sentences("    amount: 1.20\n    prior: 1.20\n", "    amount: 1.50\n    prior: 1.20\n")
    assert len(gone) == len(new) == 2
    assert ("阿图什市信访局2025年财政拨款“三公”经费数为1.50万元，其中：因公出国（境）费0.00万元，"
            "公务用车购置费0.00万元，公务用车运行费1.50万元，公务接待费0.00万元") in new
    total = next(s for s in new if s.startswith("2025年财政拨款“三公”经费预算"))
    assert total.startswith("2025年财政拨款“三公”经费预算比上年预算增加0.30万元，增长25.00%，其中：")
    assert "公务用车运行费增加0.30万元，增长25.00%，主要原因是今年年初预算没有变化" in total


def test_dropping_an_income_source_reports_a_hundred_percent_fall() -> None:
    edited = ORIGINAL.replace("  carryover:\n    amount: 3.02\n", "  carryover:\n    amount: 0\n")
    text = render_figures(load_figures_text(edited, "c.yaml")).text
    assert "财政拨款结转0.00万元，占0.00%，比上年预算减少2.52万元，下降100.00%" in text


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    amount: 214.20\n", "    amount: 0.125\n", "一般公共预算0.13万元"),   # half up, not half even
    ("    amount: 214.20\n", '    amount: "1,095.72"\n', "一般公共预算1,095.72万元"),
])
def test_amounts_are_written_half_up_with_grouping(old: str, new: str, expected: str) -> None:
    edited = ORIGINAL.replace(old, new, 1)
    assert expected in render_figures(load_figures_text(edited, "d.yaml")).text
