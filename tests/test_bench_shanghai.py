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
