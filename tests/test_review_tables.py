"""The document's own tables: amounts read from them, their totals checked, the text checked against them.

Every table here is built by hand in the shapes published PDFs print (split or joined codes, a
code in the name cell, empty cells dropped from a row, 元 and 万元, headers over several rows,
two-sided tables, “三公” tables by row and by column); the figures are made up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from narrator.errors import Location
from narrator.reading import Table, TableRow
from narrator.review import review_file
from narrator.review.tablecheck import check_tables
from narrator.review.tables import table_amounts
from narrator.review.tablespec import load_spec
from narrator.review.tabletext import check_text_amounts


def table(title: str, unit: str, rows: list[tuple[str, ...]], page: int = 2, first_line: int = 1) -> Table:
    """A table as a reader gives it: row n at line ``first_line + n`` of ``page``."""
    return Table(title, unit, [TableRow(tuple(r), Location("部门预算.pdf", first_line + i, 1, page))
                               for i, r in enumerate(rows)], Location("部门预算.pdf", first_line, 1, page))


def where(page: int, line: int) -> str:
    return f"部门预算.pdf:{page}:{line}:1"


def findings_of(tables: list[Table]) -> list[str]:
    return [f.format() for f in check_tables(table_amounts(tables))]


FUNCTIONAL_HEADER = [
    ("项目", "支出预算"),
    ("功能分类科目编码",),
    ("功能分类科目名称", "合计", "基本支出", "项目支出"),
    ("类", "款", "项"),
]


def spending_in_yuan() -> Table:
    """A 支出总表 in 元 with split codes; empty cells are missing from the rows that have them."""
    return table("3. 2025年部门支出预算总表", "元", [
        *FUNCTIONAL_HEADER,
        ("201", "一般公共服务支出", "9,500,000.50", "7,500,000.00", "2,000,000.50"),
        ("201", "06", "财政事务", "9,500,000.50", "7,500,000.00", "2,000,000.50"),
        ("201", "06", "01", "行政运行", "8,000,000.50", "7,500,000.00", "500,000.50"),
        ("201", "06", "02", "一般行政管理事务", "300,000.00", "300,000.00"),
        ("201", "06", "07", "信息化建设", "1,200,000.00", "1,200,000.00"),
        ("208", "社会保障和就业支出", "2,000,000.00", "2,000,000.00"),
        ("208", "05", "行政事业单位养老支出", "2,000,000.00", "2,000,000.00"),
        ("208", "05", "05", "机关事业单位基本养老保险缴费支出", "1,200,000.00", "1,200,000.00"),
        ("208", "05", "06", "机关事业单位职业年金缴费支出", "800,000.00", "800,000.00"),
        ("合计", "11,500,000.50", "9,500,000.00", "2,000,000.50"),
    ])


# --- reading -------------------------------------------------------------------------------

def test_split_codes_in_yuan_read_as_wan_with_printed_precision():
    facts = table_amounts([spending_in_yuan()])
    running = [(a.subject, a.code, a.column, a.amount, a.digits, a.main, a.unit) for a in facts.lookup(code="2010601")]
    assert running == [
        ("行政运行", "2010601", "合计", Decimal("800.000050"), 6, True, "元"),
        ("行政运行", "2010601", "基本支出", Decimal("750.000000"), 6, False, "元"),
        ("行政运行", "2010601", "项目支出", Decimal("50.000050"), 6, False, "元"),
    ]
    assert facts.lookup(subject_name="行政运行") == facts.lookup(code="2010601")
    assert facts.lookup(code="2010601")[0].location == Location("部门预算.pdf", 7, 1, 2)
    assert facts.lookup(code="2010601")[0].table == "3. 2025年部门支出预算总表"


def test_a_row_with_dropped_cells_keeps_only_the_columns_it_can_tell():
    facts = table_amounts([spending_in_yuan()])
    assert [(a.column, a.amount) for a in facts.lookup(code="2010602")] == [("合计", Decimal("30.000000"))]


def test_total_row_gives_the_subjects_of_its_columns():
    facts = table_amounts([spending_in_yuan()])
    assert [(a.subject, a.column, a.amount) for a in facts.lookup("基本支出")] == [
        ("基本支出", "基本支出", Decimal("950.000000"))]
    assert [(a.subject, a.amount) for a in facts.lookup("项目支出")] == [("项目支出", Decimal("200.000050"))]


def test_names_and_codes_find_the_same_row():
    facts = table_amounts([spending_in_yuan()])
    by_name = facts.lookup("社会保障和就业支出")
    assert [(a.code, a.column, a.amount) for a in by_name if a.main] == [("208", "合计", Decimal("200.000000"))]
    assert facts.lookup(code="208") == by_name
    assert facts.lookup("机关事业单位职业年金缴费支出")[0].code == "2080506"


def test_consistent_tables_have_no_findings():
    assert findings_of([spending_in_yuan()]) == []


@pytest.mark.parametrize("title, role", [
    ("表5 2025 年 一般公共预算支出情况表", "general"),
    ("5．2025年部门一般公共预算支出功能分类预算表", "general"),
    ("一般公共预算财政拨款支出决算表", "general"),
    ("2025年部门一般公共预算基本支出部门预算经济分类预算表", "general_basic"),
    ("支出决算表", "expenditure"),
    ("收入支出决算总表", "overview"),
    ("财政拨款收入支出决算总表", "fiscal"),
    ("9. 2025年单位“三公”经费和机关运行经费预算表", "three_public"),
    ("财政拨款\"三公\"经费支出决算表", "three_public"),
    ("表 2 部门收入总体情况表", "income"),
    ("部门整体绩效目标表", None),
])
def test_titles_match_loosely(title, role):
    found = load_spec().role_for(title)
    assert (found.name if found else None) == role


# --- checks inside the tables --------------------------------------------------------------

def test_class_row_differs_from_its_kuan_rows_and_a_rounding_difference_is_a_note():
    rows = [
        *FUNCTIONAL_HEADER,
        ("201", "一般公共服务支出", "120.50", "100.50", "20.00"),
        ("201", "06", "财政事务", "110.50", "90.50", "20.00"),
        ("201", "06", "01", "行政运行", "90.50", "90.50", "0.00"),
        ("201", "06", "02", "一般行政管理事务", "20.00", "0.00", "20.00"),
        ("210", "卫生健康支出", "9.46", "9.46", "0.00"),
        ("210", "11", "行政事业单位医疗", "9.46", "9.46", "0.00"),
        ("210", "11", "01", "行政单位医疗", "5.27", "5.27", "0.00"),
        ("210", "11", "02", "事业单位医疗", "4.18", "4.18", "0.00"),
        ("合计", "129.96", "109.96", "20.00"),
    ]
    assert findings_of([table("表5 一般公共预算支出情况表", "万元", rows)]) == [
        f"{where(2, 5)}: 错误 table-total 表“表5 一般公共预算支出情况表”：类 201 一般公共服务支出 合计 120.50 万元，"
        "其下各款之和 110.50 万元，相差 10.00 万元",
        f"{where(2, 5)}: 错误 table-total 表“表5 一般公共预算支出情况表”：类 201 一般公共服务支出 基本支出 100.50 万元，"
        "其下各款之和 90.50 万元，相差 10.00 万元",
        f"{where(2, 10)}: 提示 table-total 表“表5 一般公共预算支出情况表”：款 21011 行政事业单位医疗 合计 9.46 万元，"
        "其下各项之和 9.45 万元，相差 0.01 万元（尾差，在四舍五入范围内）",      # one note a row, not one a column
    ]


def test_total_row_differs_from_the_classes():
    rows = [
        *FUNCTIONAL_HEADER,
        ("201", "一般公共服务支出", "60.00", "60.00"),
        ("208", "社会保障和就业支出", "40.00", "40.00"),
        ("合计", "110.00", "100.00"),
    ]
    assert findings_of([table("部门支出总体情况表", "万元", rows)]) == [
        f"{where(2, 7)}: 错误 table-total 表“部门支出总体情况表”：支出合计 合计 110.00 万元，各类之和 100.00 万元，"
        "相差 10.00 万元",
    ]


def test_a_row_whose_name_was_lost_stops_the_sums_over_rows():
    rows = [
        *FUNCTIONAL_HEADER,
        ("201", "一般公共服务支出", "60.00", "60.00"),
        ("10.00", "10.00"),            # a wrapped name the reader could not join to its amounts
        ("合计", "70.00", "70.00"),
    ]
    assert findings_of([table("部门支出总体情况表", "万元", rows)]) == []


def test_total_column_differs_from_the_other_columns_of_its_row():
    rows = [
        *FUNCTIONAL_HEADER,
        ("2010601", "行政运行", "50.00", "45.00", "4.00"),
        ("2010602", "一般行政管理事务", "30.00", "35.00"),
        ("2010699", "其他财政事务支出", "30.00", "20.00"),     # may have lost a cell: not reported
    ]
    assert findings_of([table("部门支出预算总表", "万元", rows)]) == [
        f"{where(2, 5)}: 错误 table-columns 表“部门支出预算总表”：项 2010601 行政运行 合计 50.00 万元，"
        "基本支出、项目支出之和 49.00 万元，相差 1.00 万元",
        f"{where(2, 6)}: 错误 table-columns 表“部门支出预算总表”：项 2010602 一般行政管理事务 合计 30.00 万元，"
        "其余各列之和 35.00 万元，相差 5.00 万元",
    ]


def test_yuan_table_differences_are_printed_in_yuan():
    rows = [
        *FUNCTIONAL_HEADER,
        ("221", "住房保障支出", "1,000,000.01", "1,000,000.01", "0.00"),
        ("221", "02", "住房改革支出", "1,000,000.00", "1,000,000.00", "0.00"),
    ]
    assert findings_of([table("部门支出预算总表", "元", rows)]) == [
        f"{where(2, 5)}: 提示 table-total 表“部门支出预算总表”：类 221 住房保障支出 合计 1,000,000.01 元，"
        "其下各款之和 1,000,000.00 元，相差 0.01 元（尾差，在四舍五入范围内）",
    ]


def test_economic_table_with_blank_cells_and_a_rounding_note():
    rows = [
        ("科目", "一般公共预算基本支出"),
        ("经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费"),
        ("类", "款"),
        ("※", "※", "※", "1", "2", "3"),
        ("", "", "总计", "120.00", "100.01", "19.98"),
        ("301", "", "工资福利支出", "100.01", "100.01", ""),
        ("301", "01", "基本工资", "60.00", "60.00", ""),
        ("301", "02", "津贴补贴", "40.01", "40.01", ""),
        ("302", "", "商品和服务支出", "19.98", "", "19.98"),
        ("302", "01", "办公费", "19.98", "", "19.98"),
    ]
    facts = table_amounts([table("表6 一般公共预算基本支出情况表", "万元", rows)])
    assert [(a.subject, a.amount) for a in facts.lookup("人员经费")] == [("人员经费", Decimal("100.01"))]
    assert [(a.subject, a.column) for a in facts.lookup(code="30102")] == [
        ("津贴补贴", "合计"), ("津贴补贴", "人员经费")]
    assert [f.format() for f in check_tables(facts)] == [
        f"{where(2, 5)}: 提示 table-total 表“表6 一般公共预算基本支出情况表”：基本支出 合计 120.00 万元，"
        "各类之和 119.99 万元，相差 0.01 万元（尾差，在四舍五入范围内）",
        f"{where(2, 5)}: 提示 table-columns 表“表6 一般公共预算基本支出情况表”：基本支出 合计 120.00 万元，"
        "人员经费、公用经费之和 119.99 万元，相差 0.01 万元（尾差，在四舍五入范围内）",
    ]


def overview(total: str = "220.00") -> Table:
    """A 收支总表 with its two sides in one row; codes in the name cells of the spending side."""
    return table("表1 部门收支总体情况表", "万元", [
        ("收入", "支出"),
        ("项目", "预算数", "功能分类", "预算数"),
        ("一、本年收入", "220.00", "201 一般公共服务支出", "150.00"),
        ("1. 一般公共预算资金", "220.00", "202 外交支出"),
        ("2. 政府性基金预算拨款", "208 社会保障和就业支出", "50.00"),
        ("", "", "221 住房保障支出", "20.00"),
        ("收入总计", "220.00", "支出总计", total),
    ])


def test_two_sided_table_spending_total_against_the_classes():
    assert findings_of([overview()]) == []
    assert findings_of([overview("230.00")]) == [
        f"{where(2, 7)}: 错误 table-total 表“表1 部门收支总体情况表”：支出总计 预算数 230.00 万元，各类之和 220.00 万元，"
        "相差 10.00 万元",
    ]
    facts = table_amounts([overview()])
    assert [(a.subject, a.code, a.amount) for a in facts.lookup("一般公共预算拨款收入")] == [
        ("一般公共预算拨款", None, Decimal("220.00"))]
    assert [(a.subject, a.amount) for a in facts.lookup(code="221")] == [("住房保障支出", Decimal("20.00"))]


def test_class_names_without_codes_find_their_code():
    facts = table_amounts([table("2025年部门财务收支预算总表", "元", [
        ("本年收入", "本年支出"),
        ("项目", "预算数", "项目", "预算数"),
        ("一、财政拨款收入", "3,000,000.00", "一、一般公共服务支出", "2,500,000.00"),
        ("二、事业收入", "四、住房保障支出", "500,000.00"),
        ("收入总计", "3,000,000.00", "支出总计", "3,000,000.00"),
    ])])
    assert [(a.code, a.amount) for a in facts.lookup("一般公共服务支出")] == [("201", Decimal("250.000000"))]
    assert [a.amount for a in facts.lookup("财政拨款收入")] == [Decimal("300.000000")]
    assert check_tables(facts) == []


def test_continuation_page_without_title_joins_its_table():
    first = table("一般公共预算支出情况表", "万元", [
        *FUNCTIONAL_HEADER,
        ("201", "一般公共服务支出", "35.00", "35.00"),
        ("201", "06", "财政事务", "35.00", "35.00"),
    ], page=3)
    second = table("", "", [
        *FUNCTIONAL_HEADER,
        ("201", "06", "01", "行政运行", "30.00", "30.00"),
        ("201", "06", "02", "一般行政管理事务", "4.00", "4.00"),
        ("合计", "35.00", "35.00"),
    ], page=4)
    assert findings_of([first, second]) == [
        f"{where(3, 6)}: 错误 table-total 表“一般公共预算支出情况表”：款 20106 财政事务 合计 35.00 万元，"
        "其下各项之和 34.00 万元，相差 1.00 万元",
    ]


def test_three_public_by_rows_checks_the_subtotals():
    rows = [
        ("“三公”经费支出内容", "合计", "资金来源"),
        ("一般公共预算", "政府性基金", "国有资本经营预算"),
        ("※", "1", "2", "3", "4"),
        ("合计", "3.50", "3.50"),
        ("因公出国（境）费",),
        ("公务接待费", "1.00", "1.00"),
        ("公务用车购置及运行费（小计）", "2.60", "2.60"),
        ("其中：公务用车购置费",),
        ("公务用车运行费", "2.60", "2.60"),
    ]
    facts = table_amounts([table("表10 财政拨款“三公”经费支出情况表", "万元", rows)])
    assert [(a.subject, a.amount) for a in facts.lookup("三公经费")] == [("“三公”经费", Decimal("3.50"))]
    assert [(a.subject, a.amount) for a in facts.lookup("公务用车运行维护费")] == [("公务用车运行费", Decimal("2.60"))]
    assert [f.format() for f in check_tables(facts)] == [
        f"{where(2, 4)}: 错误 table-total 表“表10 财政拨款“三公”经费支出情况表”：“三公”经费 合计 3.50 万元，"
        "因公出国（境）费、公务用车购置及运行费、公务接待费之和 3.60 万元，相差 0.10 万元",
    ]


THREE_PUBLIC_HEADER = [
    ("“三公”经费预算数",),
    ("机关运行经费预算",),
    ("公务用车购置及运行费",),
    ("合计", "因公出国(境)费", "公务接待费", "数"),
    ("小计", "购置费", "运行费"),
]


def test_three_public_by_columns_places_what_the_sums_decide():
    facts = table_amounts([table("2025年部门“三公”经费和机关运行经费预算表", "万元", [
        *THREE_PUBLIC_HEADER, ("12.30", "5.00", "3.30", "4.00", "4.00", "88.80")])])
    placed = {(a.subject, a.amount) for a in facts.amounts}
    assert placed == {("“三公”经费", Decimal("12.30")), ("因公出国（境）费", Decimal("5.00")),
                      ("公务接待费", Decimal("3.30")), ("公务用车购置及运行费", Decimal("4.00")),
                      ("机关运行经费", Decimal("88.80"))}
    assert facts.lookup("公务用车购置费") == []      # 4.00 could be 购置费 or 运行费
    assert check_tables(facts) == []


def test_three_public_by_columns_full_row_that_does_not_add_up():
    facts = table_amounts([table("部门“三公”经费和机关运行经费预算表", "万元", [
        *THREE_PUBLIC_HEADER, ("10.00", "5.00", "3.00", "2.50", "1.00", "1.00", "50.00")])])
    assert [f.format() for f in check_tables(facts)] == [
        f"{where(2, 6)}: 错误 table-columns 表“部门“三公”经费和机关运行经费预算表”：“三公”经费 10.00 万元，"
        "因公出国（境）费、公务接待费、公务用车购置及运行费之和 10.50 万元，相差 0.50 万元",
        f"{where(2, 6)}: 错误 table-columns 表“部门“三公”经费和机关运行经费预算表”：公务用车购置及运行费 2.50 万元，"
        "公务用车购置费、公务用车运行费之和 2.00 万元，相差 0.50 万元",
    ]


# --- the text against the tables -----------------------------------------------------------

@dataclass
class Claim:
    subject: str
    amount: Decimal
    code: str | None = None
    role: str = "current"
    location: Location = Location("说明.txt", 3, 5)
    text: str = ""


def wan_table() -> Table:
    """The 一般公共预算 table of the same document, in 万元."""
    return table("一般公共预算支出情况表", "万元", [
        *FUNCTIONAL_HEADER,
        ("201", "一般公共服务支出", "950.00", "750.00", "200.00"),
        ("201", "01", "人大事务", "100.00", "100.00"),
        ("201", "01", "01", "行政运行", "100.00", "100.00"),
    ], page=5)


def text_findings(claims: list[Claim], tables: list[Table] | None = None) -> list[str]:
    facts = table_amounts(tables if tables is not None else [spending_in_yuan()])
    return [f.format() for f in check_text_amounts(facts, claims)]


def test_text_amount_rounded_from_a_yuan_table_agrees():
    assert text_findings([Claim("行政运行", Decimal("800.00"), "2010601"), Claim("一般公共服务支出", Decimal("950")),
                          Claim("基本支出", Decimal("950.00")), Claim("项目支出", Decimal("200.00"))]) == []


def test_text_amount_that_differs_from_its_row():
    assert text_findings([Claim("行政运行", Decimal("800.01"), "2010601")]) == [
        "说明.txt:3:5: 错误 table-amount 正文中行政运行 800.01 万元，与表“3. 2025年部门支出预算总表”2010601 行政运行 合计 "
        "8,000,000.50 元（即 800.00 万元） 不一致（表在第 2 页第 7 行）",
    ]


def test_subject_in_two_tables_that_agree_is_checked_once():
    claims = [Claim("一般公共服务支出", Decimal("950.10"))]
    assert text_findings(claims, [spending_in_yuan(), wan_table()]) == [
        "说明.txt:3:5: 错误 table-amount 正文中一般公共服务支出 950.10 万元，与表“3. 2025年部门支出预算总表”201 一般公共服务支出 "
        "合计 9,500,000.50 元（即 950.00 万元） 不一致（表在第 2 页第 5 行）",
    ]


def test_ambiguous_subject_is_left_alone():
    # 行政运行 is a 项 of both 20106 (800.00) and 20101 (100.00): without a code the text is not checked
    assert text_findings([Claim("行政运行", Decimal("1.00"))], [spending_in_yuan(), wan_table()]) == []


def test_no_prior_column_no_check_and_unknown_subjects_pass():
    assert text_findings([Claim("行政运行", Decimal("1.00"), "2010601", role="prior"),
                          Claim("教育支出", Decimal("5.00")), Claim("行政运行", Decimal("1.00"), "2010601", role="change")]) == []


def test_text_more_precise_than_the_table():
    claims = [Claim("人大事务", Decimal("100.004"), "20101"), Claim("人大事务", Decimal("100.006"), "20101")]
    assert text_findings(claims, [wan_table()]) == [
        "说明.txt:3:5: 错误 table-amount 正文中人大事务 100.006 万元，与表“一般公共预算支出情况表”20101 人大事务 合计 "
        "100.00 万元 不一致（表在第 5 页第 6 行）",
    ]


def test_table_without_unit_may_be_in_yuan():
    untitled_unit = table("部门支出预算总表", "", [
        *FUNCTIONAL_HEADER, ("208", "社会保障和就业支出", "2,000,000.00", "2,000,000.00")])
    assert text_findings([Claim("社会保障和就业支出", Decimal("200.00"))], [untitled_unit]) == []
    assert len(text_findings([Claim("社会保障和就业支出", Decimal("201.00"))], [untitled_unit])) == 1


def test_three_public_items_in_the_text():
    facts = table_amounts([table("2025年部门“三公”经费和机关运行经费预算表", "万元", [
        *THREE_PUBLIC_HEADER, ("12.30", "5.00", "3.30", "4.00", "4.00", "88.80")], page=9)])
    claims = [Claim("“三公”经费", Decimal("12.30")), Claim("公务接待费", Decimal("3.40")),
              Claim("公务用车购置费", Decimal("9.99")), Claim("机关运行经费", Decimal("88.80"))]
    assert [f.format() for f in check_text_amounts(facts, claims)] == [
        "说明.txt:3:5: 错误 table-amount 正文中公务接待费 3.40 万元，与表“2025年部门“三公”经费和机关运行经费预算表”公务接待费 "
        "公务接待费 3.30 万元 不一致（表在第 9 页第 6 行）",
    ]


def test_cells_a_reader_glued_or_printed_short_are_read_apart():
    rows = [
        ("经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费"),
        ("301", "工资福利支出", "70,000", "70,000", "0"),
        ("301", "2", "津贴补贴", "70,000", "70,000", "0"),     # the 款 printed without its 0
    ]
    facts = table_amounts([table("部门一般公共预算基本支出部门预算经济分类预算表", "元", rows)])
    assert [(a.subject, a.column, a.amount, a.digits) for a in facts.lookup(code="30102")] == [
        ("津贴补贴", "合计", Decimal("7.0000"), 4), ("津贴补贴", "人员经费", Decimal("7.0000"), 4),
        ("津贴补贴", "公用经费", Decimal("0.0000"), 4)]
    glued = table("财务收支预算总表", "元", [
        ("项目", "预算数", "项目", "预算数"),
        ("一、财政拨款收入", "5,000,000.00 一、一般公共服务支出", "4,000,000.00"),
        ("1. 一般公共预算资金", "5,000,000.00 二、教育支出", "1,000,000.00"),
        ("收入总计", "5,000,000.00", "支出总计", "5,000,000.00"),
    ])
    spending = table("支出预算总表", "元", [*FUNCTIONAL_HEADER, ("201", "06", "01 行政运行", "1,000.00", "1,000.00", "0.00")])
    facts = table_amounts([glued, spending])
    assert [(a.code, a.amount) for a in facts.lookup("教育支出")] == [("205", Decimal("100.000000"))]
    assert [(a.code, a.column) for a in facts.lookup("行政运行")] == [
        ("2010601", "合计"), ("2010601", "基本支出"), ("2010601", "项目支出")]
    assert check_tables(facts) == []


def test_text_that_cuts_off_the_yuan_instead_of_rounding_is_a_warning():
    yuan = table("部门收入预算总表", "元", [
        ("功能分类科目编码", "功能分类科目名称", "合计", "财政拨款收入", "事业收入", "其他收入"),
        ("221", "02", "01", "住房公积金", "1,234,567.00", "1,234,567.00"),
    ])
    assert text_findings([Claim("住房公积金", Decimal("123.45")), Claim("住房公积金", Decimal("123.46"))], [yuan]) == [
        "说明.txt:3:5: 警告 table-amount 正文中住房公积金 123.45 万元，与表“部门收入预算总表”2210201 住房公积金 合计 "
        "1,234,567.00 元（即 123.46 万元） 不一致（表在第 2 页第 2 行）：正文是截去尾数所得，四舍五入应为 123.46 万元",
    ]


def test_carry_over_table_with_three_header_rows_and_an_empty_project_column():
    rows = [
        ("项目", "合计", "财政拨款", "非财政拨款"),
        ("小计", "基本支出", "项目支出", "小计", "基本支出", "项目支出"),
        ("人员经费", "公用经费", "人员经费", "公用经费"),
        ("※", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
        ("总计", "", "6.50", "6.50", "", "", "6.50", "", "", "", ""),
        ("某局", "", "7.50", "6.00", "", "", "6.00", "0.50", "", "", "0.50"),
    ]
    facts = table_amounts([table("表11 上年结转结余情况明细表", "万元", rows)])
    assert [(a.subject, a.amount) for a in facts.amounts if a.subject != "某局"] == [
        ("上年结转结余", Decimal("6.50")), ("财政拨款结转结余", Decimal("6.50")), ("财政拨款项目支出", Decimal("6.50"))]
    assert [f.format() for f in check_tables(facts)] == [
        f"{where(2, 6)}: 错误 table-columns 表“表11 上年结转结余情况明细表”：某局 合计 7.50 万元，"
        "财政拨款结转结余、非财政拨款结转结余之和 6.50 万元，相差 1.00 万元",
    ]


def test_rows_a_reader_ran_together_are_split_at_each_subject():
    run_together = ("208", "社会保障和就业支出", "500", "500", "0 208", "05", "行政事业单位养老支出", "500", "500",
                    "0 208", "05", "05", "机关事业单位基本养老保险缴费支出", "300", "300", "0 208", "05", "06",
                    "机关事业单位职业年金缴费支出", "250", "250", "0 合计", "1,500", "500", "1,000")
    first = table("2024年部门支出预算总表", "元", [*FUNCTIONAL_HEADER, ("201", "一般公共服务支出", "1,000", "0", "1,000")])
    second = table("2024年部门支出预算总表", "元", [run_together], page=3)
    facts = table_amounts([first, second])
    assert [(a.code, a.column, a.amount) for a in facts.lookup(code="2080506")] == [
        ("2080506", "合计", Decimal("0.0250")), ("2080506", "基本支出", Decimal("0.0250")),
        ("2080506", "项目支出", Decimal("0.0000"))]
    assert [f.format() for f in check_tables(facts)] == [
        f"{where(3, 1)}: 错误 table-total 表“2024年部门支出预算总表”：款 20805 行政事业单位养老支出 合计 500 元，"
        "其下各项之和 550 元，相差 50 元",
        f"{where(3, 1)}: 错误 table-total 表“2024年部门支出预算总表”：款 20805 行政事业单位养老支出 基本支出 500 元，"
        "其下各项之和 550 元，相差 50 元",
    ]


def test_header_labels_wrapped_inside_their_cells_still_choose_the_layout():
    rows = [
        ("财政拨款收入", "财政拨款支出"),
        ("国有资本经营",),
        ("一般公共预算", "政府性基金预"),
        ("项目", "预算数", "项目", "合计", "算"),
        ("预", "算"),
        ("一、一般公共预算资金", "80.00", "一、一般公共服务支出", "80.00", "70.00", "10.00", "0.00"),
        ("收入总计", "80.00", "支出总计", "80.00", "70.00", "10.00", "0.00"),
    ]
    facts = table_amounts([table("财政拨款收支预算总表", "万元", rows)])
    assert [(a.subject, a.amount) for a in facts.lookup("政府性基金预算支出")] == [("政府性基金预算支出", Decimal("10.00"))]
    assert check_tables(facts) == []


def test_a_path_of_names_finds_the_xiang_under_its_own_kuan():
    facts = table_amounts([spending_in_yuan(), wan_table()])
    assert facts.lookup("行政运行") != facts.lookup(code="2010601")          # two 款 have a 行政运行
    assert facts.lookup("一般公共服务支出（类）财政事务（款）行政运行（项）") == facts.lookup(code="2010601")
    assert facts.lookup("一般公共服务支出人大事务行政运行") == facts.lookup(code="2010101")
    assert facts.lookup("社会保障和就业支出(类)行政事业单位养老支出(款)") == facts.lookup(code="20805")
    assert facts.lookup("一般公共服务支出（类）财政事务（款）其它事务（项）") == []
    assert text_findings([Claim("一般公共服务支出（类）财政事务（款）行政运行（项）", Decimal("800.10"))],
                         [spending_in_yuan(), wan_table()]) == [
        "说明.txt:3:5: 错误 table-amount 正文中一般公共服务支出（类）财政事务（款）行政运行（项） 800.10 万元，"
        "与表“3. 2025年部门支出预算总表”2010601 行政运行 合计 8,000,000.50 元（即 800.00 万元） 不一致（表在第 2 页第 7 行）",
    ]


def test_the_same_class_printed_differently_in_two_tables_of_the_same_scope():
    spending = table("支出决算表", "万元", [
        *FUNCTIONAL_HEADER,
        ("208", "社会保障和就业支出", "326.72", "326.72"),
        ("221", "住房保障支出", "45.00", "45.00"),
    ], page=10)
    summary = table("收入支出决算总表", "万元", [
        ("项目", "决算数", "项目", "决算数"),
        ("一、一般公共预算财政拨款收入", "371.72", "八、社会保障和就业支出", "326.71"),
        ("", "", "十九、住房保障支出", "45.00"),
    ], page=6)
    income = table("收入决算表", "万元", [      # 收入 by function counts other money too: not compared with 支出
        ("项目", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"),
        ("208", "社会保障和就业支出", "330.00", "326.71", "", "", "", "", "3.29"),
    ], page=8)
    assert [f.format() for f in check_tables(table_amounts([summary, income, spending]))] == [
        f"{where(10, 5)}: 错误 table-consistency 类 208 社会保障和就业支出 在表“支出决算表”（合计）为 326.72 万元，"
        "在表“收入支出决算总表”（决算数）为 326.71 万元，同一口径的金额应当相同",
    ]


def test_a_subject_with_words_around_it_finds_the_subject_it_ends_with():
    facts = table_amounts([table("2025年部门“三公”经费和机关运行经费预算表", "万元", [
        *THREE_PUBLIC_HEADER, ("12.30", "5.00", "3.30", "4.00", "4.00", "88.80")])])
    assert [a.amount for a in facts.lookup("某局财政拨款的机关运行经费预算为")] == [Decimal("88.80")]
    assert [a.amount for a in facts.lookup("“三公”经费预算数为")] == [Decimal("12.30")]
    assert facts.lookup("接待费") == []          # fewer than four characters: too little to go on


def test_an_untitled_table_with_a_header_of_its_own_is_another_table():
    first = table("一般公共预算支出情况表", "万元", [*FUNCTIONAL_HEADER, ("201", "一般公共服务支出", "35.00", "35.00")])
    other = table("", "", [("项目名称", "绩效指标", "指标值"), ("合计", "10.00")], page=7)
    facts = table_amounts([first, other])
    assert [(t.title, len(t.entries)) for t in facts.tables] == [("一般公共预算支出情况表", 1), ("", 1)]
    assert check_tables(facts) == []


def test_review_tables_reads_and_checks_in_one_call():
    from narrator.review.tabletext import review_tables

    facts, findings = review_tables([spending_in_yuan()], [Claim("行政运行", Decimal("800.01"), "2010601")])
    assert len(facts.lookup(code="2010601")) == 3
    assert [(f.rule, f.level) for f in findings] == [("table-amount", "error")]


# --- names of codes, by the document's year ----------------------------------------------------

def names_of(tables: list[Table], year: int | None) -> list[str]:
    from narrator.review.tablenames import check_table_names

    return [f.format() for f in check_table_names(table_amounts(tables), year)]


def test_a_code_printed_with_another_name_or_an_outdated_one():
    rows = [
        *FUNCTIONAL_HEADER,
        ("210", "医疗卫生与计划生育支出", "30.00", "30.00"),
        ("210", "02", "公立医院", "30.00", "30.00"),
        ("210", "02", "06", "妇幼保健医院", "20.00", "20.00"),
        ("210", "02", "01", "综合医院", "10.00", "10.00"),
        ("213", "农林水支出", "5.00", "5.00"),
        ("213", "01", "农业农村", "5.00", "5.00"),
        ("213", "01", "04", "事业运", "5.00", "5.00"),       # a cell the PDF cut short: not an error
    ]
    spending = table("表3 部门支出总表", "万元", rows)
    assert names_of([spending], 2025) == [
        f"{where(2, 5)}: 警告 table-name 表“表3 部门支出总表”：“医疗卫生与计划生育支出”是科目 210 2018年及以前的名称，"
        "2019年起称“卫生健康支出”",
        f"{where(2, 7)}: 提示 table-name 表“表3 部门支出总表”：科目 2100206 的名称“妇幼保健医院”与2025年支出功能分类科目的"
        "“妇产医院”不同，请核对（笔误或已改名？）（科目表此条仅凭记忆录入，亦请核对）",
    ]
    # in a 2018 document the old names are the right ones, and 农业农村 is the later name of 21301
    assert names_of([spending], 2018) == [
        f"{where(2, 7)}: 提示 table-name 表“表3 部门支出总表”：科目 2100206 的名称“妇幼保健医院”与2018年支出功能分类科目的"
        "“妇产医院”不同，请核对（笔误或已改名？）（科目表此条仅凭记忆录入，亦请核对）",
        f"{where(2, 10)}: 提示 table-name 表“表3 部门支出总表”：科目 21301 在2018年称“农业”，“农业农村”是其他年度的名称"
        "（科目表此条仅凭记忆录入，亦请核对）",
    ]
    assert names_of([spending], None) == []


def test_a_name_that_belongs_to_a_sibling_code_is_a_note():
    rows = [("科目编码", "科目名称", "合计"), ("303", "对个人和家庭的补助", "42.18"), ("30301", "退休费", "42.18")]
    assert names_of([table("表6 基本支出表", "万元", rows)], 2024) == [
        f"{where(2, 3)}: 提示 table-name 表“表6 基本支出表”：科目 30301 印作“退休费”，这是 30302 的名称"
        "（30301 为“离休费”）：编码与名称不对应，或表格按行次自行编号"]


def test_a_final_account_compared_with_its_budget_is_checked_against_the_budget_column(tmp_path):
    # “与2024年度预算相比无增减” says the budget was the 决算 itself; the table prints the budget
    text = "\n".join([
        "2024年度一般公共预算财政拨款“三公”经费支出决算表",
        "單位：萬元",          # a traditional unit line is a unit line too
        "项目 | 预算数 | 决算数 |",
        "合计 | 26.00 | 8.48 |",
        "因公出国（境）费 | 6.00 | 0.00 |",
        "公务接待费 | 5.00 | 6.00 |",
        "公务用车购置及运行维护费 | 15.00 | 2.48 |",
        "二、2024年度一般公共预算财政拨款“三公”经费支出决算情况说明",
        "1.因公出国（境）费支出0万元，与2024年度预算相比无增减。",
        "2.公务接待费支出6.00万元，比2024年度预算增加1.00万元。",
        "3.公务用车购置及运行维护费支出2.48万元，与2023年度预算相比无变化。",
    ])
    path = tmp_path / "决算.txt"
    path.write_text(text, encoding="utf-8")
    found = [f.format() for f in review_file(path, shown="决算.txt").findings if f.rule == "table-amount"]
    # the 2023 budget (line 11) is not this table's; 公务接待费 agrees (6.00 − 1.00 = 5.00)
    assert found == ["决算.txt:9:28: 错误 table-amount 正文中预算因公出国（境）费支出 0 万元（正文说与预算相比没有变化），"
                     "与表“2024年度一般公共预算财政拨款“三公”经费支出决算表”因公出国（境）费 预算数 6.00 万元 不一致（表在第 5 行）"]


def test_the_national_three_public_table_by_columns_with_whole_amounts():
    # 合计 | 因公出国（境）费 | 公务用车购置及运行费 (小计 | 购置费 | 运行费) | 公务接待费, one row of whole 万元
    rows = [("“三公”经费合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"),
            ("小计", "公务用车购置费", "公务用车运行费"),
            ("79", "0", "75", "50", "25", "4")]
    facts = table_amounts([table("一、2022年一般公共预算“三公”经费支出预算表", "万元", rows)])
    assert [(a.subject, a.amount) for a in facts.amounts] == [
        ("“三公”经费", Decimal(79)), ("因公出国（境）费", Decimal(0)), ("公务用车购置及运行费", Decimal(75)),
        ("公务用车购置费", Decimal(50)), ("公务用车运行费", Decimal(25)), ("公务接待费", Decimal(4))]
    assert findings_of([table("一、2022年一般公共预算“三公”经费支出预算表", "万元", rows)]) == []
    wrong = rows[:2] + [("79", "0", "75", "50", "20", "4")]
    assert findings_of([table("“三公”经费支出预算表", "万元", wrong)]) == [
        f"{where(2, 3)}: 错误 table-columns 表““三公”经费支出预算表”：公务用车购置及运行费 75 万元，"
        "公务用车购置费、公务用车运行费之和 70 万元，相差 5 万元"]
