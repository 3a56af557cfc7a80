"""The rule language and engine: safe expressions, dependency order, cycles, missing figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from narrator.compute.engine import Engine
from narrator.errors import RuleError
from narrator.intake.figures import load_figures
from narrator.intake.records import build_roots
from narrator.compute.rules import load_rule_sets

from .conftest import EXAMPLE


def engine_for(rules: Path) -> Engine:
    loaded = load_figures(EXAMPLE)
    return Engine(load_rule_sets((str(rules),)), build_roots(loaded), loaded.model.year)


def write_rules(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "test-rules.yaml"
    path.write_text("name: test\nrules:\n" + body, encoding="utf-8")
    return path


def test_budget_rules_derive_the_published_totals() -> None:
    loaded = load_figures(EXAMPLE)
    engine = Engine(load_rule_sets(("budget",)), build_roots(loaded), 2025).evaluate_all()
    assert engine.value("income_total") == Decimal("222.22")
    assert engine.value("expenditure_total") == Decimal("222.22")
    assert engine.value("general_budget_total") == Decimal("214.20")
    assert engine.value("personnel_total") == Decimal("186.81")
    assert engine.value("public_use_total") == Decimal("4.38")
    income = engine.roots["income"]
    assert income.unit.trend == "up" and income.general.trend == "down"
    assert income.general.change == Decimal("-40.65")
    assert engine.roots["three_public"].abroad.trend == "zero"
    assert engine.roots["three_public"].vehicle_operation.trend == "same"


def test_declared_totals_win_and_the_difference_is_kept() -> None:
    loaded = load_figures(EXAMPLE)
    engine = Engine(load_rule_sets(("budget",)), build_roots(loaded), 2025).evaluate_all()
    differences = {(f.rule.name, f.owner): (f.derived, f.declared) for f in engine.declared_differences()}
    assert differences == {
        ("classes.*.total", "classes[210]"): (Decimal("11.52"), Decimal("11.53")),
        ("classes.*.general", "classes[210]"): (Decimal("11.52"), Decimal("11.53")),
        ("kuans.*.total", "kuans[21011]"): (Decimal("11.52"), Decimal("11.53")),
        ("expenditure.basic.amount", "expenditure.basic"): (Decimal("191.19"), Decimal("191.20")),
        ("general_budget.basic.amount", "general_budget.basic"): (Decimal("191.19"), Decimal("191.20")),
    }


@pytest.mark.parametrize("example", sorted((EXAMPLE.parent).glob("*.yaml")), ids=lambda path: path.stem)
def test_the_facts_made_when_asked_are_those_a_tracer_is_given(example: Path) -> None:
    """An engine without a tracer makes its facts when they are first asked for, from what it kept;
    with one (explain), as each rule is evaluated. Both are the same facts, in the same order:
    plain values, printed totals that win, rules not applicable, optional rules without their data."""
    from narrator.text.formats import load_format

    loaded = load_figures(example)
    rules = load_rule_sets(load_format(loaded.format_name).rules)
    given: list = []
    engines = [Engine(rules, build_roots(loaded), loaded.model.year, tracer, loaded.naming)
               for tracer in (None, lambda fact, record: given.append(fact) or fact.value)]
    for engine in engines:
        try:
            engine.evaluate_all()
        except RuleError:
            pass  # a figures file a check stops: the facts up to there
    def shown(facts) -> list:  # records by their paths: each engine has records of its own
        return [(key, fact.rule, *map(repr, fact[1:])) for key, fact in facts]

    plain, traced = (shown(engine.facts.items()) for engine in engines)
    assert plain == traced and shown((None, fact) for fact in given) == [(None, *fact[1:]) for fact in plain]
    kinds = {(fact.applicable, fact.declared is not None, fact.missing is not None) for fact in given}
    assert (True, False, False) in kinds and len(plain) > 40
    assert engines[0].facts is engines[0].facts and shown(engines[0].facts.items()) == plain   # asked again


def test_rules_are_evaluated_in_dependency_order_whatever_the_written_order(tmp_path) -> None:
    rules = write_rules(tmp_path, "  c: b * 2\n  b: a + 1\n  a: year - 2000\n")
    engine = engine_for(rules).evaluate_all()
    assert engine.value("c") == 52


def test_a_cycle_is_an_error_naming_the_rules(tmp_path) -> None:
    rules = write_rules(tmp_path, "  a: b + 1\n  b: c + 1\n  c: a + 1\n")
    with pytest.raises(RuleError) as caught:
        engine_for(rules).evaluate_all()
    [finding] = caught.value.findings
    assert finding.rule == "rule-cycle"
    assert finding.message == "规则循环引用：a → b → c → a"
    assert finding.location.line == 3


def test_a_rule_naming_an_unknown_figure_is_an_error_naming_the_rule(tmp_path) -> None:
    rules = write_rules(tmp_path, "  total: sum(i.amount for i in incomes)\n")
    with pytest.raises(RuleError) as caught:
        load_rule_sets((str(rules),))
    [finding] = caught.value.findings
    assert finding.message == "规则 total：未知的名字 “incomes”：既不是数据文件的字段，也不是规则"
    assert (finding.location.path, finding.location.line) == (str(rules), 3)


def test_a_rule_needing_a_figure_that_is_not_written_names_rule_and_figure(tmp_path) -> None:
    rules = write_rules(tmp_path, "  gap: operating_costs.amount - 1\n")
    with pytest.raises(RuleError) as caught:
        engine_for(rules).evaluate_all()
    [finding] = caught.value.findings
    assert finding.rule == "missing-figure"
    assert finding.message == "缺少数据 operating_costs.amount：规则 gap 需要它"


@pytest.mark.parametrize("expression", [
    "__import__('os')",
    "year.__class__",
    "(lambda: 1)()",
    "open('x')",
    "[x for x in income for y in income]",
    "income.general._fields",
    "year ** 1000000",
])
def test_unsafe_expressions_are_refused(tmp_path, expression: str) -> None:
    rules = write_rules(tmp_path, f'  bad: "{expression}"\n')
    with pytest.raises(RuleError) as caught:
        load_rule_sets((str(rules),))
    assert caught.value.findings[0].rule == "bad-rule"


def test_division_by_zero_is_reported(tmp_path) -> None:
    rules = write_rules(tmp_path, "  bad: year / (year - year)\n")
    with pytest.raises(RuleError) as caught:
        engine_for(rules).evaluate_all()
    assert "除数为零" in caught.value.findings[0].message


def test_decimal_literals_are_exact(tmp_path) -> None:
    rules = write_rules(tmp_path, "  third: 0.1 + 0.2\n")
    assert engine_for(rules).evaluate_all().value("third") == Decimal("0.3")


def test_a_code_without_a_name_is_an_error_worded_for_its_table_each_time_it_is_asked(tmp_path) -> None:
    rules = write_rules(tmp_path, "  f: fname('2019998')\n  f2: fname('2019998')\n  e: ename('3999999')\n"
                                  "  known: fname('2010101') + '/' + fname('2010101') + '/' + ename('30101')\n")
    engine = engine_for(rules)
    with pytest.raises(RuleError) as caught:
        engine.evaluate_all()
    messages = sorted(f.message for f in caught.value.findings)
    assert messages == [
        "规则 e：支出经济分类中没有科目 3999999，数据文件的 names: 中也没有写它的名称",
        "规则 f2：支出功能分类中没有科目 2019998，数据文件的 names: 中也没有写它的名称",
        "规则 f：支出功能分类中没有科目 2019998，数据文件的 names: 中也没有写它的名称",
    ]
    assert engine.value("known") == "行政运行/行政运行/基本工资"  # a remembered name is the name naming gives
