"""Property: text rendered from any consistent figures lints clean (no errors) with those figures."""

from __future__ import annotations

from decimal import Decimal

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrator.checks.check import check_figures
from narrator.intake.figures import load_figures_text
from narrator.lint import lint_text
from narrator.document.output import convert
from narrator.text.render import render_figures

# 项 codes from several 类 and 款 (all in rules/classification/functional.yaml)
CODES = ["2010101", "2010301", "2013299", "2014004", "2014099", "2080501", "2080505", "2080506",
         "2101101", "2101102", "2101103", "2120101", "2130101", "2210201", "2210203"]
REASONS = ["工作任务调整", "人员变动", "按实际需要安排", "年初预算口径调整"]
NAMES = ["业务工作经费", "联合接访中心运转项目", "信息化运维经费", "专项工作经费"]
CENT = Decimal("0.01")

cents = st.integers(min_value=0, max_value=300_000).map(lambda c: Decimal(c) * CENT)
positive = st.integers(min_value=1, max_value=300_000).map(lambda c: Decimal(c) * CENT)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


@st.composite
def figures_text(draw) -> str:
    year = draw(st.integers(min_value=2023, max_value=2026))
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=6, unique=True))
    functional, basic_total, project_total, prior_total = [], Decimal(0), Decimal(0), Decimal(0)
    for index, code in enumerate(codes):
        item: dict = {"code": code}
        basic = draw(positive if index == 0 else cents)
        project = draw(cents) if draw(st.booleans()) else Decimal(0)
        if basic:
            item["basic"] = {"general": _money(basic)}
        if project:
            item["project"] = {"general": _money(project)}
        prior = draw(cents)
        item["prior"] = _money(prior)
        if draw(st.booleans()):
            item["reason"] = draw(st.sampled_from(REASONS))
        functional.append(item)
        basic_total, project_total, prior_total = basic_total + basic, project_total + project, prior_total + prior
    general = basic_total + project_total
    basic_prior = draw(st.integers(min_value=0, max_value=int(prior_total * 100))) * CENT
    personnel = (basic_total * Decimal("0.8")).quantize(CENT)
    projects, left = [], project_total
    while left > 0:
        amount = min(left, draw(positive))
        projects.append({"name": draw(st.sampled_from(NAMES)), "amount": _money(amount),
                         "basis": "根据部门职责安排", "owner": "本单位", "allocation": "按计划使用",
                         "period": "全年"})
        left -= amount
    three = {}
    for key in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
        three[key] = {"amount": _money(draw(cents)), "prior": _money(draw(cents)),
                      "reason": draw(st.sampled_from(REASONS))}
    goods, works, services = draw(cents), draw(cents), draw(cents)
    sme = draw(st.integers(min_value=0, max_value=int((goods + works + services) * 100))) * CENT
    data = {
        "department": draw(st.sampled_from(["某某市信访局", "某某县财政局", "某某区教育局"])),
        "year": year,
        "income": {"general": {"amount": _money(general), "prior": _money(prior_total),
                               "reason": draw(st.sampled_from(REASONS))}},
        "expenditure": {"basic": {"prior": _money(basic_prior), "reason": draw(st.sampled_from(REASONS))},
                        "project": {"prior": _money(prior_total - basic_prior), "reason": draw(st.sampled_from(REASONS))}},
        "general_budget": {"basic": {"prior": _money(basic_prior), "reason": draw(st.sampled_from(REASONS))},
                           "project": {"prior": _money(prior_total - basic_prior),
                                       "reason": draw(st.sampled_from(REASONS))}},
        "functional": functional,
        "economic": {"30101": _money(personnel), "30201": _money(basic_total - personnel)},
        "projects": projects,
        "three_public": three,
        "operating_costs": {"prior": _money(draw(cents)), "reason": draw(st.sampled_from(REASONS))},
        "procurement": {"goods": _money(goods), "works": _money(works), "services": _money(services),
                        "sme_reserved": _money(sme), "micro_reserved": _money(sme)},
        "performance": {"overall_targets": draw(st.integers(min_value=0, max_value=5))},
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures_text(), st.sampled_from(["txt", "md"]))
def test_rendered_text_lints_clean_with_its_own_figures(text, kind):
    loaded = load_figures_text(text, "generated.yaml")
    rendered = convert(render_figures(loaded).text, kind)
    report = lint_text(rendered, f"rendered.{kind}", loaded)
    assert [f.format() for f in report.findings if f.level == "error"] == []
    assert report.tied == report.numbers  # every number of a rendered text is tied to the figures
    assert [f.format() for f in check_figures(loaded).findings if f.level == "error"] == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures_text(), st.data())
def test_any_changed_amount_is_found(text, data):
    loaded = load_figures_text(text, "generated.yaml")
    rendered = convert(render_figures(loaded).text, "txt")
    tokens = [t for t in lint_text(rendered, "r.txt", loaded).findings]  # warm-up: same text is clean
    assert not [t for t in tokens if t.level == "error"]
    from narrator.lint.document import parse

    amounts = [t for t in parse(rendered, "r.txt").tokens if t.kind == "amount"]
    token = data.draw(st.sampled_from(amounts))
    digits = token.text.split("万")[0].strip()
    wrong = f"{Decimal(digits.replace(',', '')) + 1:.2f}"
    changed = rendered[:token.start] + wrong + rendered[token.start + len(digits):]
    found = [f for f in lint_text(changed, "r.txt", loaded).findings if f.level == "error"]
    assert [(f.rule, f.location.line, f.location.column) for f in found] == \
        [("figure-amount", token.line, token.column)], [f.format() for f in found]


PIECES = ["一、", "（二）", "1、", "2.", "(3)", "收入预算", "基本支出", "卫生健康支出（类）", "占", "比上年",
          "增加", "减少", "增长", "下降", "持平", "其中：", "包括：", "，", "。", "；", "：", ",", ".", "\n",
          " ", "12.34", "0", "1,095.72", "万元", "元", "%", "2025年", "主要用于", "<!-- narrator: ignore -->"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_lint_never_fails_on_any_text(text):
    report = lint_text(text, "any.txt")
    for finding in report.findings:
        assert 1 <= finding.location.line <= text.count("\n") + 1
        assert finding.location.column >= 1
