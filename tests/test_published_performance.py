"""performance-self-evaluation against the 绩效自评表 it was made from (seeds/002 and seeds/004).

The published documents are tables only: the narrative (执行率, 得分, 等级, which indicators lost
points) has no published counterpart and is fixed by the golden file tests/cases/performance-2020.
Here the rendered tables are compared with the published ones cell by cell (numbers compared as
numbers, so 66 and 66.00 are the same cell): every published cell is in the rendered text, and
every rendered cell is published, except the ones listed with their reasons.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .published import cells

from narrator.intake.figures import load_figures
from narrator.text.render import render_figures, render_file

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def _number(cell: str) -> str:
    try:
        return str(Decimal(cell.replace(",", "")).normalize())
    except InvalidOperation:
        return cell


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).replace(";", "；").replace(",", "，")


RENDERED_NOT_PUBLISHED_2020 = {
    "243.67%": "访惠聚项目全年执行数 14.62 万元、全年预算数 6 万元：表中执行率印作 100.00%（封顶）；narrator 写实际执行率（得分仍按 100% 计，10 分）",
    "76.03%": "信访业务项目 26.61 ÷ 35 = 76.03%；表中印作“76%”",
    "优": "评价等级：表中没有印出，narrator 按总分评定（90 分以上为优）",
    "年度指标值": "列名：原表分两行印作“年度 / 指标值”",
    "实际完成值": "列名：原表分两行印作“实际 / 完成值”",
}
PUBLISHED_NOT_RENDERED_2020 = {
    "/": "未设置的指标（经济效益、生态效益）和空的偏差原因：不转录",
    "76%": "见上：narrator 写 76.03%",
    "经济效益指标": "未设置的指标，不转录", "生态效益指标": "未设置的指标，不转录",
    # Labels of the printed form: narrator writes the project name as a heading and the year in the title.
    "项目名称": "表单标签；narrator 以项目名称为小标题", "项目支出绩效自评表": "表名；narrator 写成自评报告",
    "（2020年度）": "年度写在标题中", "预期目标": "narrator 写“年度总体目标：……”",
}


def test_2020_tables_cell_by_cell() -> None:
    rendered = render_file(ROOT / "examples" / "performance-2020.yaml", "performance-self-evaluation")
    published = {_number(c) for c in cells((FIXTURES / "performance-2020" / "published.txt").read_text(encoding="utf-8"))}
    ours = {_number(c) for c in cells(rendered.text)}
    assert ours - published == set(RENDERED_NOT_PUBLISHED_2020)
    prose = _fold(rendered.text)
    lost = {c for c in published - ours if _fold(c) not in prose}
    assert lost == set(PUBLISHED_NOT_RENDERED_2020)


def test_2020_warns_where_the_published_tables_give_no_reason() -> None:
    rendered = render_file(ROOT / "examples" / "performance-2020.yaml", "performance-self-evaluation")
    assert [(w.rule, w.location.line) for w in rendered.warnings] == [
        ("missing-deviation", 33), ("missing-deviation", 55), ("missing-funds_deviation", 84),
        ("missing-deviation", 101)]


def test_2023_projects_of_the_final_accounts() -> None:
    """The three 2023 project tables of seeds/004: every rendered indicator cell is published."""
    # the file names its format (final-accounts); its projects are rendered as the 绩效自评 format would
    rendered = render_figures(load_figures(ROOT / "examples" / "final-accounts-2023.yaml"), "performance-self-evaluation")
    assert rendered.warnings == []
    published = set()
    for line in (FIXTURES / "final-accounts-2023" / "published.txt").read_text(encoding="utf-8").splitlines():
        published |= {_number(re.sub(r"\s+", "", c)) for c in line.split("\t") if c.strip()}
    extra = {c for c in map(_number, cells(rendered.text)) if c not in published}
    # 年度指标值 is printed in three columns (指标性质, 指标值, 度量单位); narrator joins them.
    assert all(re.match(r"^(>=|<=|=)", c) for c in extra - {"项目资金（万元）"}), extra
    assert "项目资金（万元）" in extra  # the printed form says 项目资金(万元) with half-width brackets
