"""The engine's happy path (compute/plan.py) gives what the interpreted path gives, or hands over to it."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from narrator.compute import plan as planned
from narrator.compute.engine import Engine
from narrator.compute.rules import RuleSet, load_rule_sets
from narrator.errors import RuleError
from narrator.intake.figures import load_figures
from narrator.intake.records import Record, build_roots
from narrator.text.formats import load_format

from .conftest import EXAMPLE

EXAMPLES = sorted(EXAMPLE.parent.glob("*.yaml"))


def _values(engine: Engine) -> list:
    """Every value the engine gave, by where it is: scalars, then each record's rule values."""
    seen: set[int] = set()
    found: list = [("scalar", name, repr(value)) for name, value in sorted(engine.scalar_values().items())]

    def walk(value: Any) -> None:
        if isinstance(value, Record):
            if id(value) in seen:
                return
            seen.add(id(value))
            found.extend((value.path, attr, repr(v)) for attr, v in sorted(value._values.items(), key=str))
            for field in value._fields.values():
                walk(field)
            for field in value._values.values():
                walk(field)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    for value in [*engine.roots.values(), *engine.scalar_values().values()]:
        walk(value)
    return found


def _evaluate(engine: Engine) -> list:
    try:
        engine.evaluate_all()
    except RuleError as error:
        return [f.to_dict() for f in error.findings]
    return []


def _planned_ruleset(names: tuple, settings: dict | None, loaded: Any) -> RuleSet:
    """A copy of the format's rule set, its plan learned from ``loaded`` (the cached one untouched)."""
    ruleset = copy.copy(load_rule_sets(names, settings))
    ruleset.plan = None
    engine = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
    _evaluate(engine)
    return ruleset


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_the_plan_gives_every_value_and_finding_the_interpreted_path_gives(example: Path) -> None:
    loaded = load_figures(example)
    fmt = load_format(loaded.format_name)
    ruleset = _planned_ruleset(fmt.rules, fmt.rule_settings, load_figures(example))
    if ruleset.plan is None:  # a file the rules stop learns nothing: the rules in written order
        planned.learn(ruleset, [])
    assert ruleset.plan
    slow = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming)  # no figures: no plan
    fast = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
    slow_findings, fast_findings = _evaluate(slow), _evaluate(fast)
    assert fast_findings == slow_findings
    assert (fast._planned is not None) == (not fast_findings)  # the plan finished exactly where nothing failed
    assert _values(fast) == _values(slow) and len(_values(fast)) > 40
    facts = [(key, repr(fact)) for key, fact in slow.facts.items()]
    assert [(key, repr(fact)) for key, fact in fast.facts.items()] == facts   # in the same order


def test_a_missing_figure_hands_over_to_the_interpreted_path(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "prior:" in text
    broken = tmp_path / "broken.yaml"
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("prior:"))
    broken.write_text("".join(lines[:index] + lines[index + 1:]), encoding="utf-8")
    loaded = load_figures(broken)
    ruleset = _planned_ruleset(("budget",), None, load_figures(EXAMPLE))
    slow = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming)
    fast = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
    roots = fast.roots
    slow_findings = _evaluate(slow)
    assert slow_findings and _evaluate(fast) == slow_findings
    assert fast._planned is None and fast.roots is not roots   # started again on roots built anew
    assert _values(fast) == _values(slow)


def test_an_error_inside_the_plan_hands_over(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_figures(EXAMPLE)
    ruleset = _planned_ruleset(("budget",), None, loaded)
    calls = []

    def failing(engine: Engine, plan: tuple) -> None:
        calls.append(plan)
        engine._scalars["income_total"] = "wrong"  # what a half-run plan may leave behind
        raise ZeroDivisionError
    monkeypatch.setattr(planned, "run", failing)
    engine = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
    engine.evaluate_all()
    slow = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming).evaluate_all()
    assert calls and engine._planned is None and _values(engine) == _values(slow)


def test_no_plan_with_a_tracer_or_for_roots_made_by_hand() -> None:
    loaded = load_figures(EXAMPLE)
    ruleset = _planned_ruleset(("budget",), None, loaded)
    traced = Engine(ruleset, build_roots(loaded), loaded.model.year, lambda fact, record: fact.value, loaded.naming)
    by_hand = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming)
    for engine in (traced, by_hand):
        engine.evaluate_all()
        assert engine._planned is None


def test_a_rule_set_where_the_order_decides_gets_no_plan(tmp_path: Path) -> None:
    """A record's own rule and its kind's rule of one name: which runs depends on the order."""
    rules = tmp_path / "overlap.yaml"
    rules.write_text("name: t\nrules:\n  expenditure.*.extra: item.prior\n"
                     "  expenditure.basic.extra: item.amount\n", encoding="utf-8")
    loaded = load_figures(EXAMPLE)
    ruleset = load_rule_sets((str(rules),))
    Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming).evaluate_all()
    assert ruleset.plan == ()
    engine = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming).evaluate_all()
    assert engine._planned is None


def test_the_plan_follows_the_order_the_engine_completed_the_rules_in() -> None:
    loaded = load_figures(EXAMPLE)
    ruleset = _planned_ruleset(("budget",), None, loaded)
    order = [rule.name for _, rule, _ in ruleset.plan]
    assert sorted(order) == sorted(rule.name for rule in ruleset.all_rules())
    assert order.index("functional.*.total") < order.index("classes.*.total_parts") < order.index("spending_classes")
    how = {rule.name: how for _, rule, how in ruleset.plan}
    assert (how["functional.*.total"], how["income_total"], how["classes"]) == \
        (planned.PLAIN, planned.CHECKED, planned.INTERPRETED)


def test_reference_names_found_once_yield_to_a_departments_own() -> None:
    from narrator.classification.naming import Naming

    loaded = load_figures(EXAMPLE)
    ruleset = load_rule_sets(("budget",))
    code = loaded.model.functional[0].code
    plain = Engine(ruleset, build_roots(loaded), 2025, naming=Naming(2025))
    reference = plain._functional_name(code)
    own = Engine(ruleset, build_roots(loaded), 2025, naming=Naming(2025, {code: "本部门的名称"}))
    assert own._functional_name(code) == "本部门的名称" != reference
    again = Engine(ruleset, build_roots(loaded), 2025, naming=Naming(2025))
    assert again._functional_name(code) == reference
    with pytest.raises(Exception, match="没有科目 2999999"):
        again._functional_name("2999999")


def _adopted(engine: Engine) -> list:
    """Each record reachable from the roots: its path, whether this engine adopted it, its
    owner and the names of the rules it has."""
    found, seen = [], set()

    def walk(value: Any) -> None:
        if isinstance(value, Record) and id(value) not in seen:
            seen.add(id(value))
            found.append((value.path, value._engine is engine, value._owner, sorted(value._rules)))
            for field in value._fields.values():
                walk(field)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    for value in engine.roots.values():
        walk(value)
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_the_records_build_roots_made_are_adopted_as_a_walk_adopts_them(example: Path) -> None:
    loaded = load_figures(example)
    ruleset = load_rule_sets(load_format(loaded.format_name).rules)
    listed = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
    walked = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming)
    assert listed.roots.records_made() is not None and len(_adopted(listed)) > 20
    assert _adopted(listed) == _adopted(walked)


def test_a_root_replaced_after_build_roots_is_walked() -> None:
    loaded = load_figures(EXAMPLE)
    roots = build_roots(loaded)
    roots["extra"] = Record({"inner": Record({"amount": 1}, "extra.inner", None)}, "extra", None)
    assert roots.records_made() is None
    engine = Engine(load_rule_sets(("budget",)), roots, loaded.model.year, naming=loaded.naming)
    assert roots["extra"]._fields["inner"]._engine is engine


def test_an_engine_asked_for_values_before_evaluate_all_is_interpreted() -> None:
    loaded = load_figures(EXAMPLE)
    ruleset = _planned_ruleset(("budget",), None, loaded)
    engine = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
    assert engine.roots["income"].general.rule_attr("change") == Decimal("-40.65")
    engine.evaluate_all()
    assert engine._planned is None
