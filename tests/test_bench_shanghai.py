"""bench/shanghai.py: a PDF extraction's wrapped lines are joined back into the 说明's paragraphs."""

from __future__ import annotations

import shanghai

from .published import sentences

# A made-up extraction in the shape of the published ones: a contents page naming the headings
# first, wrapped lines, a numbered item wrapped inside its 款 name, a table page, a heading alone.
EXTRACTED = """--- page 2 (text) ---
一、总体情况说明
二、收入情况说明
--- page 9 (text) ---
一、总体情况说明
某局2024年度收入支出总计12.50万元。与2023年度相比，收入
支出总计增加1.00万元。
二、收入情况说明
1、一般公共服务支出（类）财政事务（款）行政运行
（项）。主要用于：日常运转。
--- page 10 (table) ---
   合计      12.50
--- page 11 (text) ---
（一）机关运行经费支出情况
机关运行经费支出3.00万元。
第四部分 名词解释
一、财政拨款收入：不计入。
"""


def test_wrapped_lines_are_joined_and_headings_stand_alone() -> None:
    text = shanghai.prose_between(EXTRACTED, "一、总体情况说明", "第四部分")
    assert text.splitlines() == [
        "一、总体情况说明",
        "某局2024年度收入支出总计12.50万元。与2023年度相比，收入支出总计增加1.00万元。",
        "二、收入情况说明",
        "1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：日常运转。",
        "（一）机关运行经费支出情况",
        "机关运行经费支出3.00万元。",
    ]
    assert sum(sentences(text).values()) == 8


# A made-up budget extraction: a long line wrapped mid-sentence, a long line ending “其中：” before a
# numbered part (not wrapped: the part starts a line of its own), and a 绩效目标表 given as text.
BUDGET = """--- page 5 (text) ---
名词解释
--- page 6 (text) ---
2030年部门预算编制说明
2030年，某街道办事处收入预算100.00万元，其中：财政拨款收入100.00万元，比2029年预算
持平；事业收入0.00万元。
--- page 7 (table) ---
   合计      100.00
--- page 8 (text) ---
2030年“三公”经费预算数为1.00万元，比2029年预算持平，与上年相同，这里写得长一些。其中：
（一）因公出国（境）费0万元，比2029年预算持平。
--- page 9 (text) ---
财政项目支出绩效目标填报表
项目名称
"""


def test_budget_prose_keeps_numbered_parts_and_stops_before_the_target_tables() -> None:
    text = shanghai.budget_prose(BUDGET, "预算编制说明", "财政项目支出绩效目标填报表")
    assert text.splitlines() == [
        "2030年部门预算编制说明",
        "2030年，某街道办事处收入预算100.00万元，其中：财政拨款收入100.00万元，比2029年预算持平；事业收入0.00万元。",
        "2030年“三公”经费预算数为1.00万元，比2029年预算持平，与上年相同，这里写得长一些。其中：",
        "（一）因公出国（境）费0万元，比2029年预算持平。",
    ]
    assert "项目名称" in shanghai.budget_prose(BUDGET, "预算编制说明")
