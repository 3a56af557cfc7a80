"""The plan's generated function (compute/plancode.py) does what walking the plan does, or hands over."""

from __future__ import annotations

import copy
import sys
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest

from narrator.compute import plan as planned
from narrator.compute import plancode
from narrator.compute.engine import PRECISION, Engine
from narrator.compute.rules import RuleSet, load_rule_sets
from narrator.intake.figures import load_figures
from narrator.intake.records import build_roots
from narrator.text.formats import load_format

from .conftest import EXAMPLE
from .test_rule_plan import _evaluate, _planned_ruleset, _values

EXAMPLES = sorted(EXAMPLE.parent.glob("*.yaml"))
BENCH = Path(__file__).resolve().parent.parent / "bench"


def _ran(ruleset: RuleSet, loaded: Any, how: Any) -> Engine:
    """A new engine on ``loaded`` with the plan run by ``how`` (the generated function or walk)."""
    engine = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
    with localcontext(prec=PRECISION):
        engine._exact = True
        how(engine, ruleset.plan)
    return engine


def _generated(ruleset: RuleSet) -> Any:
    function = plancode.make(ruleset, ruleset.plan)
    return lambda engine, plan: function(engine)


def _departments(tmp_path: Path, count: int, consistent: bool = True) -> list[Path]:
    sys.path.insert(0, str(BENCH))
    try:
        import figuresgen
    finally:
        sys.path.remove(str(BENCH))
    figuresgen.write_region(tmp_path, count, 7, consistent=consistent)
    return sorted(tmp_path.rglob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_the_generated_plan_gives_what_walking_it_gives(example: Path) -> None:
    loaded = load_figures(example)
    fmt = load_format(loaded.format_name)
    ruleset = _planned_ruleset(fmt.rules, fmt.rule_settings, load_figures(example))
    if not ruleset.plan:
        pytest.skip("the rules stop on this file: nothing learnt")
    try:
        walked = _ran(ruleset, loaded, planned.walk)
    except Exception:  # noqa: BLE001 - walking hands over here: the generated function must too
        with pytest.raises(Exception):
            _ran(ruleset, loaded, _generated(ruleset))
        return
    fast = _ran(ruleset, loaded, _generated(ruleset))
    assert _values(fast) == _values(walked) and len(_values(fast)) > 40
    assert not fast.findings


def test_generated_departments_take_the_generated_plan_and_give_the_interpreted_values(tmp_path: Path) -> None:
    paths = _departments(tmp_path, 12)
    fmt = load_format(load_figures(paths[0]).format_name)
    ruleset = _planned_ruleset(fmt.rules, fmt.rule_settings, load_figures(paths[0]))
    made = []
    for path in paths:
        loaded = load_figures(path)
        fast = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
        slow = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming)  # no plan
        assert _evaluate(fast) == _evaluate(slow) == []
        assert fast._planned is not None
        made.append(ruleset.plan_code)
        assert _values(fast) == _values(slow)
        assert [(k, repr(f)) for k, f in fast.facts.items()] == [(k, repr(f)) for k, f in slow.facts.items()]
    assert made[0][1] is not None and all(m is made[0] for m in made)  # made once, then kept


def test_failing_departments_hand_over_with_the_same_findings(tmp_path: Path) -> None:
    paths = _departments(tmp_path, 6, consistent=False)
    fmt = load_format(load_figures(EXAMPLE).format_name)
    ruleset = _planned_ruleset(fmt.rules, fmt.rule_settings, load_figures(EXAMPLE))
    for path in paths:
        loaded = load_figures(path)
        fast = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
        slow = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming)
        assert _evaluate(fast) == _evaluate(slow)
        assert _values(fast) == _values(slow)


def test_an_optional_sum_that_meets_a_missing_figure_hands_over(tmp_path: Path) -> None:
    """sum() over a figure not given: the generated loop does not decide, the interpreted path
    gives the optional rule its “not enough data”."""
    rules = tmp_path / "optional.yaml"
    rules.write_text("name: t\nrules:\n"
                     "  priors: {expr: 'sum(s.prior for s in income)', optional: true}\n"
                     "  amounts: sum(s.amount for s in income)\n", encoding="utf-8")
    text = EXAMPLE.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("prior:"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("".join(lines[:index] + lines[index + 1:]), encoding="utf-8")
    ruleset = load_rule_sets((str(rules),))
    good = load_figures(EXAMPLE)
    Engine(ruleset, build_roots(good), good.model.year, naming=good.naming).evaluate_all()
    assert ruleset.plan
    loaded = load_figures(broken)
    with pytest.raises(plancode.HandOver):
        _ran(ruleset, loaded, _generated(ruleset))
    fast = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming).evaluate_all()
    slow = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming).evaluate_all()
    assert fast._planned is None and _values(fast) == _values(slow)
    assert type(fast.value("priors")).__name__ == "Missing" and isinstance(fast.value("amounts"), Decimal)


def test_calls_written_in_place_and_groups_made_in_one_call_give_the_interpreted_values(tmp_path: Path) -> None:
    """sum(values(x)), percent() and abs() written into the plan (plancalls) for Decimals, and
    through the functions for anything else (an int, a zero whole); subscripts of a record's
    figure, of a rule's value and of a dict; group() rules made, sorted and adopted in one
    call (plan.made_groups), with rules of their own on the groups."""
    rules = tmp_path / "calls.yaml"
    rules.write_text("name: t\nsettings: {weights: {general: 2}}\nrules:\n"
                     "  functional.*.spent: sum(values(item.basic))\n"
                     "  functional.*.own: item.basic['general'] * settings.weights['general']\n"
                     "  functional.*.again: item.basic[item.code[:0] + 'general'] + item.own\n"
                     "  functional.*.third: item[item.code[:0] + 'own']\n"
                     "  functional.*.half: percent(item.spent, item.spent + item.spent)\n"
                     "  functional.*.none: percent(item.spent, 0)\n"
                     "  functional.*.size: abs(item.spent - item.spent - item.spent)\n"
                     "  functional.*.count: abs(-2)\n"
                     "  functional.*.class_code: item.code[:3]\n"
                     "  kinds: sorted(group(functional, 'class_code'), 'code')\n"
                     "  kinds.*.spent: sum(i.spent for i in item.items)\n"
                     "  kinds.*.share: percent(item.spent, sum(values(item.items[0].basic)))\n"
                     "  codes: group(functional, 'code')\n", encoding="utf-8")
    ruleset = load_rule_sets((str(rules),))
    loaded = load_figures(EXAMPLE)
    Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming).evaluate_all()
    assert ruleset.plan
    fast = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming).evaluate_all()
    slow = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming).evaluate_all()
    assert fast._planned is not None and slow._planned is None
    assert _values(fast) == _values(slow) and len(_values(fast)) > 20
    assert [(k, repr(f)) for k, f in fast.facts.items()] == [(k, repr(f)) for k, f in slow.facts.items()]
    kinds = fast.value("kinds")
    assert [k.code for k in kinds] == sorted(k.code for k in kinds)
    assert all(k._engine is fast and "spent" in k._rules for k in kinds)
    assert fast.value("codes").path == "codes" and all(i._engine is fast for k in kinds for i in k.items)


HOSTILE = [  # (no dots: a dot in a rule's name names the record it is on)
    "__import__('os')",
    "x'); open('PWNED', 'w'); ('",
    'a"\n    open("PWNED", "w")\n#',
    "\\' + open('PWNED', 'w') + \\'",
]


def test_hostile_rule_names_reach_the_generated_source_only_quoted(tmp_path: Path, monkeypatch) -> None:
    """Rule and owner names are written into the plan's source as repr() literals alone: a
    name made to look like code runs nothing, and the values are the interpreted path's."""
    monkeypatch.chdir(tmp_path)
    lines = ["name: t", "rules:"]
    for n, name in enumerate(HOSTILE):
        quoted = name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        lines.append(f'  "{quoted}": {{expr: "income_total + {n}", declared: "declared.x{n}", optional: true}}')
        lines.append(f'  "income.*.{quoted}": "item.amount * {n + 1}"')
    lines += ["  income_total: sum(s.amount for s in income)"]
    rules = tmp_path / "hostile.yaml"
    rules.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ruleset = load_rule_sets((str(rules),))
    loaded = load_figures(EXAMPLE)
    slow = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming).evaluate_all()
    Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming).evaluate_all()  # learns
    writer = plancode.PlanWriter(ruleset)
    for kind, rule, how in ruleset.plan:
        (writer.scalar(rule, how) if kind == plancode.SCALAR else writer.on_records(kind, rule.owner, [(rule, how)]))
    source = writer.source()
    for name in HOSTILE:
        assert repr(name) in source
    for name in HOSTILE:
        source = source.replace(repr(name), "")
    assert "open(" not in source and "__import__" not in source
    fast = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming).evaluate_all()
    assert fast._planned is not None and ruleset.plan_code[1] is not None
    assert _values(fast) == _values(slow)
    assert not (tmp_path / "PWNED").exists()


def test_hostile_expressions_are_refused_before_any_plan() -> None:
    """The plan is written from rules that compiled: an expression exprcode refuses never gets one."""
    from narrator.compute.exprcode import Compiler
    from narrator.compute.rules import KnownNames, _global_resolver

    resolve = _global_resolver(KnownNames({"a"}))
    for text in ("a.__class__", "__import__('os')", "(lambda: 1)()", "a ** 99999999", "[" * 200 + "]" * 200,
                 "open('x')", "a.b._c"):
        with pytest.raises(Exception) as caught:
            Compiler(text, resolve).compile()
        assert type(caught.value).__name__ == "ExprError"


def test_a_plan_that_cannot_be_written_is_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_figures(EXAMPLE)
    ruleset = _planned_ruleset(("budget",), None, loaded)

    def broken(ruleset: RuleSet, plan: tuple) -> None:
        raise ValueError("cannot write")
    monkeypatch.setattr(plancode, "make", broken)
    walked = []
    real_walk = planned.walk
    monkeypatch.setattr(planned, "walk", lambda engine, plan: walked.append(1) or real_walk(engine, plan))
    engine = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming).evaluate_all()
    slow = Engine(ruleset, dict(build_roots(loaded)), loaded.model.year, naming=loaded.naming).evaluate_all()
    assert walked and ruleset.plan_code[1] is None and engine._planned is not None
    assert _values(engine) == _values(slow)


def test_a_copied_rule_set_with_another_plan_gets_its_own_function() -> None:
    loaded = load_figures(EXAMPLE)
    ruleset = _planned_ruleset(("budget",), None, loaded)
    Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming).evaluate_all()
    first = ruleset.plan_code
    other = copy.copy(ruleset)
    other.plan = ruleset.plan[:1] + ruleset.plan[1:]  # an equal plan, another object: made again
    assert other.plan is not ruleset.plan
    Engine(other, build_roots(loaded), loaded.model.year, naming=loaded.naming).evaluate_all()
    assert other.plan_code[0] is other.plan and other.plan_code[1] is not first[1]
