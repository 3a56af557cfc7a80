"""The checks' generated code (checkcode.py) gives what the reference checker gives, or hands over to it."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

import figuresgen
import pytest
import yaml

from narrator.checks import check as check_module
from narrator.checks import checkcode
from narrator.checks.check import Check, CheckReport, _Run, load_checks, run_checks
from narrator.checks.checkeval import scalar_names
from narrator.compute.engine import Engine
from narrator.compute.rules import load_rule_sets
from narrator.errors import FiguresError, Location, RuleError
from narrator.intake.figures import for_format, load_figures_text
from narrator.intake.records import build_roots
from narrator.text.formats import choose_format, load_format

from .conftest import EXAMPLE

EXAMPLES = sorted(EXAMPLE.parent.glob("*.yaml"))


def _engine(loaded: Any, evaluated: bool) -> tuple[Engine, Any, Any]:
    fmt = load_format(choose_format(None, loaded.raw, loaded.path))
    loaded = for_format(loaded, fmt.name)
    engine = Engine(load_rule_sets(fmt.rules, fmt.rule_settings), build_roots(loaded), loaded.model.year,
                    naming=loaded.naming)
    if evaluated:
        try:
            engine.evaluate_all()
        except RuleError:
            pass
    return engine, loaded, fmt


def _outcome(loaded: Any, evaluated: bool, fast: bool, monkeypatch) -> str:
    """Everything run_checks gives (and what the engine found meanwhile), with or without the code."""
    engine, loaded, fmt = _engine(loaded, evaluated)
    settings, checks = load_checks(fmt.rules)
    code = checkcode.make(fmt.rules, checks, scalar_names(engine.ruleset.scalars)) if fast else None
    monkeypatch.setattr(checkcode, "fast_checks", lambda *args: code)
    report = run_checks(engine, loaded, fmt.rules)
    return json.dumps([report.to_dict(), [f.to_dict() for f in report.findings],
                       [f.to_dict() for f in engine.findings]], ensure_ascii=False, default=str)


def _holed(text: str, seed: int) -> str:
    """The figures with some fields taken out or left empty (not enough data, failed rules)."""
    rnd = random.Random(seed)
    data = yaml.safe_load(text)

    def walk(node: Any, depth: int) -> None:
        if isinstance(node, dict):
            for key in list(node):
                if depth and rnd.random() < 0.04:
                    del node[key]
                elif depth and rnd.random() < 0.02:
                    node[key] = None
                else:
                    walk(node[key], depth + 1)
        elif isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
    walk(data, 0)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _texts() -> list[tuple[str, str]]:
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in EXAMPLES]
    for index in range(12):
        texts.append((f"c{index}.yaml", figuresgen.figures_text(3, index)))
        texts.append((f"i{index}.yaml", figuresgen.figures_text(3, index, consistent=False)))
    for index in range(40):
        texts.append((f"h{index}.yaml", _holed(figuresgen.figures_text(5, index), index)))
    return texts


def test_the_code_gives_what_the_reference_gives(monkeypatch) -> None:
    compared = statuses = 0
    seen: set[str] = set()
    for name, text in _texts():
        try:
            loaded = load_figures_text(text, name)
        except FiguresError:
            continue  # a holed file the schema refuses: nothing to check
        for evaluated in (True, False):  # after the render's evaluate_all, and rules run on demand
            reference = _outcome(loaded, evaluated, False, monkeypatch)
            assert _outcome(loaded, evaluated, True, monkeypatch) == reference, name
            compared += 1
            seen.update(c["status"] for c in json.loads(reference)[0]["checks"])
            statuses += 1
    assert compared > 80
    assert seen == {"pass", "fail", "n/a", "insufficient"}  # every outcome went through the hand-over


def test_the_code_decides_a_consistent_department_alone(monkeypatch) -> None:
    loaded = load_figures_text(figuresgen.figures_text(3, 1), "c.yaml")
    engine, loaded, fmt = _engine(loaded, True)
    settings, checks = load_checks(fmt.rules)
    code = checkcode.make(fmt.rules, checks, scalar_names(engine.ruleset.scalars))
    assert all(code.made)
    handed: list[str] = []
    monkeypatch.setattr(_Run, "one", lambda self, check, record: handed.append(check.name))
    monkeypatch.setattr(_Run, "every", lambda self, check: handed.append(check.name))
    monkeypatch.setattr(checkcode, "fast_checks", lambda *args: code)
    report = run_checks(engine, loaded, fmt.rules)
    # only the reasons of changes (the generated departments leave ~5 % out) go to the reference
    assert set(handed) <= {"change-without-reason"}
    assert len(report.outcomes) > 50 and {o.status for o in report.outcomes} == {"pass", "n/a"}


def test_made_the_second_time_the_checks_run(monkeypatch) -> None:
    monkeypatch.setattr(checkcode, "_MADE", {})
    loaded = load_figures_text(figuresgen.figures_text(3, 2), "c.yaml")
    engine, loaded, fmt = _engine(loaded, True)
    settings, checks = load_checks(fmt.rules)
    names = scalar_names(engine.ruleset.scalars)
    assert checkcode.fast_checks(fmt.rules, checks, names) is None   # a single check pays nothing
    made = checkcode.fast_checks(fmt.rules, checks, names)
    assert made is not None and made is checkcode.fast_checks(fmt.rules, checks, names)


def _check(**texts: str) -> Check:
    kind = "expect" if "expect" in texts else "sum"
    where = texts.pop("where", "")
    exprs = {k: (lambda engine, local: None) for k in texts if k != "message"}
    return Check("x", kind, "标签", "error", Location("checks.yaml"), exprs, texts, where)


HOSTILE_TEXTS = [
    "item.__class__", "().__class__.__bases__", "__import__('os')", "item._fields",
    "[x for x in ().__class__.__mro__]", "exec('1')", "open('/etc/passwd')", "lambda: 1",
    "9 ** 9 ** 9", "-" * 200 + "1", "x := 1", "f'{item}'", "a" * 6000,
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_expressions_are_never_made(text: str) -> None:
    names = scalar_names(load_rule_sets(("budget",)).scalars)
    checks = [_check(expect=text, message="m"), _check(**{"for": text, "expect": "True", "message": "m"})]
    if "{" not in text:  # (braces in a placeholder end it)
        checks.append(_check(expect="True", message="m", where="表 {" + text + "}"))
    for check in checks:
        assert checkcode.make(("budget",), [check], names).made == (False,)  # the reference reports it


def test_a_checks_own_texts_are_values_never_source(monkeypatch) -> None:
    engine, loaded, fmt = _engine(load_figures_text(figuresgen.figures_text(3, 0), "c.yaml"), True)
    names = scalar_names(engine.ruleset.scalars)
    where = "表')\nimport os\nos.system('true')  # {settings.change_threshold_amount} \"'\\ {item.path}"
    check = _check(**{"for": "classes", "expect": "item.total >= 0", "message": "m", "where": where})
    check.name = "x'); import os; ('"
    check.label = "\\\n'''"
    made = checkcode.make(("budget",), [check], names)
    assert made.made == (True,)
    out: list = []
    made(engine, {**engine.settings, **load_checks(fmt.rules)[0]}, out, _Run(engine, loaded, {}, names, []))
    assert len(out) == len(engine.value("classes")) and out[0].check == check.name and out[0].label == check.label
    assert out[0].target == where.replace("{settings.change_threshold_amount}", "10").replace(
        "{item.path}", engine.value("classes")[0].path)


def test_an_unusual_value_goes_to_the_reference(monkeypatch) -> None:
    engine, loaded, fmt = _engine(load_figures_text(figuresgen.figures_text(3, 0), "c.yaml"), True)
    names = scalar_names(engine.ruleset.scalars)
    merged = {**engine.settings, **load_checks(fmt.rules)[0]}
    for texts in ({"total": "1", "parts": "[1]"},                      # whole numbers, not Decimals
                  {"total": "item.total", "parts": "[]"},              # no parts
                  {"total": "item.total", "parts": "[item.total, 0.01]"},   # a difference
                  {"total": "item.nothing", "parts": "[item.total]"}):      # a figure not there
        check = _check(**{"for": "classes", **texts})
        made = checkcode.make(("budget",), [check], names)
        report = CheckReport("c.yaml")
        handed: list = []
        run = _Run(engine, loaded, merged, names, report.outcomes)
        monkeypatch.setattr(run, "one", lambda check, record: handed.append(record), raising=False)
        made(engine, merged, report.outcomes, run)
        assert handed == list(engine.value("classes")) and report.outcomes == []
    check = _check(**{"for": "nothing_at_all + 1", "total": "1", "parts": "[1]"})
    assert checkcode.make(("budget",), [check], names).made == (False,)  # an unknown name: the reference's error
    assert Decimal(0) == checkcode._NAMESPACE["_ZERO"]


def test_check_module_keeps_its_names() -> None:
    # what other modules and tests use of narrator.checks.check
    assert check_module.run_checks and check_module.load_checks and check_module.rounding_tolerance


def test_a_check_without_code_runs_at_its_place() -> None:
    engine, loaded, fmt = _engine(load_figures_text(figuresgen.figures_text(3, 0), "c.yaml"), True)
    names = scalar_names(engine.ruleset.scalars)
    merged = {**engine.settings, **load_checks(fmt.rules)[0]}
    first = _check(**{"for": "classes", "expect": "item.total >= 0", "message": "m", "where": "{item.code}"})
    refused = _check(expect="().__class__", message="m", where="refused")
    refused.exprs = {"expect": lambda engine, local: True}  # what the reference evaluates instead
    last = _check(**{"for": "kuans", "expect": "item.total >= 0", "message": "m"})
    for check in (first, last):
        check.exprs = {"for": lambda engine, local, name=check.texts["for"]: engine.value(name),
                       "expect": lambda engine, local: local["item"].total >= 0}
    made = checkcode.make(("budget",), [first, refused, last], names)
    assert made.made == (True, False, True)
    coded, reference = CheckReport("c.yaml"), CheckReport("c.yaml")
    made(engine, merged, coded.outcomes, _Run(engine, loaded, merged, names, coded.outcomes))
    run = _Run(engine, loaded, merged, names, reference.outcomes)
    for check in (first, refused, last):
        run.every(check)
    assert coded.to_dict() == reference.to_dict()
    assert [o.target for o in coded.outcomes].index("refused") == len(engine.value("classes"))


@pytest.mark.parametrize("texts", [
    {"expect": "True", "message": "m", "where": "{item.code}"},                 # no for: no item
    {"for": "[None] + classes", "expect": "True", "message": "m", "where": "{item.code}"},  # an item None
    {"for": "item.items", "expect": "True", "message": "m"},                     # for: sees no item
])
def test_where_the_reference_sees_no_item_neither_does_the_code(texts: dict) -> None:
    engine, loaded, fmt = _engine(load_figures_text(figuresgen.figures_text(3, 0), "c.yaml"), True)
    names = scalar_names(engine.ruleset.scalars)
    merged = {**engine.settings, **load_checks(fmt.rules)[0]}
    from narrator.checks.checkeval import resolver
    from narrator.compute.exprcode import Compiler
    from narrator.compute.rules import KnownNames

    check = _check(**texts)
    resolve = resolver(KnownNames(load_rule_sets(("budget",)).scalars))
    check.exprs = {k: Compiler(v, resolve, frozenset({"item", "settings"})).compile()
                   for k, v in check.texts.items() if k != "message"}
    made = checkcode.make(("budget",), [check], names)
    assert made.made == (True,)
    with pytest.raises(KeyError):
        _Run(engine, loaded, merged, names, []).every(check)
    with pytest.raises(KeyError):  # (not a “？” in the target and a pass)
        made(engine, merged, [], _Run(engine, loaded, merged, names, []))
