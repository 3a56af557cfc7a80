"""The generic engine, expression and template additions the new formats needed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from narrator.compute.engine import Engine
from narrator.text.environment import money_trim
from narrator.errors import RuleError
from narrator.compute.expr import Compiler, ExprError, Missing, MissingFigure
from narrator.compute.functions import FUNCTIONS
from narrator.intake.figures import load_figures, load_figures_text
from narrator.intake.records import build_roots
from narrator.text.render import render_figures
from narrator.compute.rules import load_rule_sets

ROOT = Path(__file__).parent.parent
HEBEI = ROOT / "examples" / "hebei-2021.yaml"


def _no_globals(name: str):
    if name in FUNCTIONS:
        return lambda engine, local: FUNCTIONS[name]
    raise ExprError(name)


_no_globals.functions = set(FUNCTIONS)  # type: ignore[attr-defined]


def _eval(text: str, **local):
    return Compiler(text, _no_globals, frozenset(local)).compile()(None, local)


def test_division_of_whole_numbers_is_exact_decimal() -> None:
    assert _eval("3 / 4") == Decimal("0.75") and isinstance(_eval("3 / 4"), Decimal)
    assert isinstance(_eval("min(x, 100) / 100", x=Decimal("243.67")), Decimal)


def test_abs_of_a_missing_figure_is_a_missing_figure() -> None:
    with pytest.raises(MissingFigure) as caught:
        _eval("abs(x)", x=Missing("income.unit.prior"))
    assert caught.value.path == "income.unit.prior"


def test_money_trim_rounds_half_up_and_drops_trailing_zeros() -> None:
    assert [money_trim(Decimal(v)) for v in ("60.00", "2.5", "431.21", "0", "1095.725", "0.004")] == \
        ["60", "2.5", "431.21", "0", "1,095.73", "0"]


def test_optional_rules_are_not_enough_data_instead_of_an_error() -> None:
    loaded = load_figures(HEBEI)
    engine = Engine(load_rule_sets(("budget", "hebei")), build_roots(loaded), 2021).evaluate_all()
    fact = engine.facts[("operating_costs.change", "operating_costs")]
    assert not fact.applicable and fact.missing == "operating_costs.prior"
    assert isinstance(fact.value, Missing)
    # The same figures under the budget rule set alone: the comparison is required there.
    with pytest.raises(RuleError) as caught:
        Engine(load_rule_sets(("budget",)), build_roots(loaded), 2021).evaluate_all()
    assert {f.rule for f in caught.value.findings} == {"missing-prior"}
    assert "operating_costs.prior" in "".join(f.message for f in caught.value.findings)


def test_a_rule_set_uses_the_groups_of_an_earlier_one() -> None:
    ruleset = load_rule_sets(("budget", "hebei"))
    rule = ruleset.find("budget_total.change")
    assert rule is not None and rule.location.path.endswith("budget.yaml")
    engine = Engine(ruleset, build_roots(load_figures(HEBEI)), 2021).evaluate_all()
    total = engine.value("budget_total")
    assert (total.change, total.trend) == (Decimal("7.31"), "up")


def test_optional_does_not_hide_a_figure_the_text_needs() -> None:
    text = HEBEI.read_text(encoding="utf-8").replace("    prior: 303.18\n", "")
    with pytest.raises(RuleError) as caught:
        render_figures(load_figures_text(text, "hebei.yaml"), "hebei-2021")
    assert [f.rule for f in caught.value.findings] == ["missing-prior"]
    assert "expenditure.basic.prior" in caught.value.findings[0].message


def test_written_tells_a_section_left_out_from_zero() -> None:
    loaded = load_figures(HEBEI)
    assert "procurement" not in build_roots(loaded)["written"]
    assert {"department", "three_public", "assets"} <= build_roots(loaded)["written"]
