"""final-accounts against the 决算 it was made from (seeds/004, copied to tests/fixtures).

seeds/004 publishes the 决算 tables and the 绩效自评, but almost no 决算说明 prose: the rendered
说明 is written as the standard 决算说明 says. So (1) SECTIONS marks, for each section, the
published sentence on the same facts where there is one and why it differs (WRITTEN: what the
section writes instead), or that the section has no published prose;
(2) every amount in the rendered text is one printed in the published tables, or is derived
(listed in DERIVED with its arithmetic).
"""

from __future__ import annotations

import re
from pathlib import Path

from .published import sentences

from narrator.intake.figures import load_figures_text
from narrator.document.output import convert
from narrator.text.render import render_figures, render_file

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "final-accounts-2023.yaml"
PUBLISHED = (Path(__file__).parent / "fixtures" / "final-accounts-2023" / "published.txt").read_text(encoding="utf-8")

NO_PROSE = "原文无此部分的说明文字（只有决算表）；按标准决算说明写出"
SECTIONS = {
    "一、收入支出决算总体情况说明": (None, NO_PROSE),
    "二、收入决算情况说明": ("（三）部门整体收支情况2023年度一般公共预算财政拨款收入1095.72万元，"
                        "财政部门拨款到账单1095.72万元，差额0.00万元",
                        "绩效自评情况中的一句，说的是同一收入；标准说明写收入合计与各项收入的比重"),
    "三、支出决算情况说明": (None, NO_PROSE),
    "四、财政拨款收入支出决算总体情况说明": (None, NO_PROSE),
    "五、一般公共预算财政拨款支出决算情况说明": (None, NO_PROSE + "；原文没有各项的年初预算数，完成率无法写出（逐项警告）"),
    "六、一般公共预算财政拨款基本支出决算情况说明": (None, NO_PROSE),
    "七、财政拨款“三公”经费支出决算情况说明": (
        "（五）严控“三公经费”支出情况曲靖市信访局2023年“三公”经费决算支出数为1.47万元，与2022年“三公”经费支出"
        "2.49万元相比减少1.01万元，下降40.81%，其中，公务接待费1.47万元，与2022年相比减少1.01万元，下降40.81%，"
        "公务用车购置和运行维护费0.00万元，与2022年一致",
        "原文数字自相矛盾：2.49 − 1.47 = 1.02（不是 1.01），1.02 ÷ 2.49 = 40.96%（不是 40.81%）；"
        "narrator 按印出的数字写“减少1.02万元，下降40.96%”"),
    "八、政府性基金预算财政拨款收入支出决算情况说明": (
        "说明：我部门2023年度无政府性基金预算财政拨款收入支出，故此表为空表",
        "原文是表下的注（“此表”）；说明中写“无政府性基金预算财政拨款收入和支出”"),
    "九、国有资本经营预算财政拨款收入支出决算情况说明": (
        "说明：我部门2023年度无国有资本经营预算财政拨款收入支出，故此表为空表",
        "同上，国有资本经营预算"),
    "十、预算绩效管理情况": (None, "原文只有三张项目支出绩效自评表（总分100.00，等级“优”）；按标准说明写出自评项目数、金额、得分"),
    "十一、其他重要事项的情况说明": (None, NO_PROSE + "；原文没有政府采购数据（警告）"),
}
#: What the rendered section writes where the published sentence differs (see the reasons above).
WRITTEN = {
    "七、财政拨款“三公”经费支出决算情况说明": "减少1.02万元，下降40.96%",
    "八、政府性基金预算财政拨款收入支出决算情况说明": "无政府性基金预算财政拨款收入和支出",
    "九、国有资本经营预算财政拨款收入支出决算情况说明": "无国有资本经营预算财政拨款收入和支出",
}
DERIVED = {
    "1.02": "“三公”经费与上年相比的减少额：2.49 − 1.47",
    "441.47": "三个自评项目全年预算数之和：286.00 + 130.47 + 25.00",
}


def test_sections_and_their_published_counterparts() -> None:
    rendered = render_file(EXAMPLE, "final-accounts")
    headings = re.findall(r"^## (.+)$", rendered.text, re.MULTILINE)
    assert headings == list(SECTIONS)
    published = sentences(PUBLISHED, tables=True)
    for counterpart, _reason in SECTIONS.values():
        if counterpart:
            assert counterpart in published
    # where the published prose has a counterpart, the text says what its reason says narrator writes
    for heading, written in WRITTEN.items():
        section = rendered.text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
        assert written in section, heading


def test_every_amount_is_printed_in_the_published_tables_or_derived() -> None:
    text = render_file(EXAMPLE, "final-accounts").text
    printed = set(re.findall(r"\d[\d,]*\.\d\d", PUBLISHED))
    amounts = set(re.findall(r"(\d[\d,]*\.\d\d)(?![\d%])", text))
    assert {a for a in amounts if a not in printed} == set(DERIVED)


def test_warns_for_each_figure_the_publication_lacks() -> None:
    rendered = render_file(EXAMPLE, "final-accounts")
    rules = [w.rule for w in rendered.warnings]
    assert rules == ["missing-budget"] * 12 + ["missing-procurement"]
    assert rendered.warnings[0].location.line == 18  # functional[0], 2010301


def _with(*replacements: tuple[str, str]) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return text


def test_items_compared_with_the_years_budget() -> None:
    text = _with(('{code: "2010301", basic: {general: 434.06}}',
                  '{code: "2010301", basic: {general: 434.06}, budget: 430.00, budget_reason: 年中增加人员}'),
                 ('{code: "2210203", basic: {general: 0.70}}', '{code: "2210203", basic: {general: 0.70}, budget: 0.70}'))
    rendered = render_figures(load_figures_text(text, "figures.yaml"), "final-accounts")
    assert ("1、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为430.00万元，"
            "支出决算为434.06万元，完成年初预算的100.94%。决算数大于预算数的主要原因：年中增加人员。") in rendered.text
    assert "购房补贴（项）。年初预算为0.70万元，支出决算为0.70万元，完成年初预算的100.00%。\n" in rendered.text
    assert [w.rule for w in rendered.warnings].count("missing-budget") == 10


def test_total_compared_when_every_item_has_a_budget_and_last_year_when_given() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    text = "\n".join(re.sub(r"(\{code: \"\d{7}\", (?:basic|project): \{general: ([\d.]+)\})\}",
                            r"\1, budget: \2}", line) for line in lines)
    text = text.replace("    amount: 1095.72           # 一般公共预算财政拨款收入",
                        "    amount: 1095.72\n    prior: 1000.00")
    text = text.replace("  three_public_budget:", "  general_budget: 无差异\n  total: 增加信息化项目\n  three_public_budget:")
    rendered = render_figures(load_figures_text(text, "figures.yaml"), "final-accounts")
    assert ("一般公共预算财政拨款支出年初预算为1,095.71万元，支出决算为1,095.72万元，完成年初预算的100.00%。"
            "决算数大于预算数的主要原因：无差异。其中：") in rendered.text
    assert "与2022年度相比，收入支出总计增加95.72万元，增长9.57%。主要原因：增加信息化项目。" in rendered.text
    assert "missing-budget" not in [w.rule for w in rendered.warnings]
