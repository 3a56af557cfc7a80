"""Rule expressions compiled into Python functions (narrator.compute.exprcode).

Hostile texts are refused, each with the message the rule language has always given; what is
compiled holds no text of the expression (constants are bound values, names are renamed);
deep but legal expressions still compile; and the inline read of a record is rule_attr's.
"""

from __future__ import annotations

import json
import time
import types
from decimal import Decimal
from pathlib import Path

import pytest

from narrator.compute.engine import Engine
from narrator.errors import RuleError
from narrator.compute.expr import Missing, MissingFigure
from narrator.compute.exprcode import Compiler
from narrator.intake.figures import load_figures
from narrator.compute.functions import FUNCTIONS
from narrator.intake.records import build_roots
from narrator.compute.rules import ENGINE_FUNCTIONS, load_rule_sets

from .conftest import EXAMPLE

CALLABLE = "、".join(sorted(set(FUNCTIONS) | set(ENGINE_FUNCTIONS)))


def rules_file(tmp_path: Path, rules: dict[str, str]) -> Path:
    """A rule set file with these rules (each expression written as a quoted YAML scalar)."""
    path = tmp_path / "hostile-rules.yaml"
    lines = [f"  {name}: {json.dumps(text, ensure_ascii=False)}" for name, text in rules.items()]
    path.write_text("name: hostile\nrules:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def evaluated(tmp_path: Path, rules: dict[str, str]) -> Engine:
    loaded = load_figures(EXAMPLE)
    return Engine(load_rule_sets((str(rules_file(tmp_path, rules)),)), build_roots(loaded),
                  loaded.model.year).evaluate_all()


@pytest.mark.parametrize("text, message", [
    ("__import__('os')", f"不允许调用：__import__（可用函数：{CALLABLE}）"),
    ("year.__class__", "不允许访问以下划线开头的属性：__class__"),
    ("year.__class__.__subclasses__()", f"不允许调用：year.__class__.__subclasses__（可用函数：{CALLABLE}）"),
    ("income.general._fields", "不允许访问以下划线开头的属性：_fields"),
    ("__builtins__", "不允许以下划线开头的名字：__builtins__"),
    ("[_K for _K in income]", "不允许以下划线开头的名字：_K"),
    ("import os", "表达式语法错误（第 1 个字符）：import os"),
    ("lambda: year", "规则表达式中不允许使用 Lambda：lambda: year"),
    ("(lambda: 1)()", f"不允许调用：lambda: 1（可用函数：{CALLABLE}）"),
    ("open('x')", f"不允许调用：open（可用函数：{CALLABLE}）"),
    ("type(year)", f"不允许调用：type（可用函数：{CALLABLE}）"),
    ("eval", "未知的名字 “eval”：既不是数据文件的字段，也不是规则"),
    ("year ** 1000000", "不允许的运算符：year ** 1000000"),
    ("7 ** 999999999", "不允许的运算符：7 ** 999999999"),
    ("year << 100000", "不允许的运算符：year << 100000"),
    ("-" * 80 + "1", "表达式嵌套太深（最多 60 层）"),
    ("year" + ".a" * 70, "表达式嵌套太深（最多 60 层）"),
    ("(" * 300 + "1" + ")" * 300, "表达式语法错误（第 201 个字符）：" + "(" * 300 + "1" + ")" * 300),
    ("1+" * 2600 + "1", "表达式太长（5201 个字符，最多 5000 个）"),
    ("[x for x in income for y in income]", "推导式只能有一个 for 和一个变量：[x for x in income for y in income]"),
    ("{'a': year}", "规则表达式中不允许使用 Dict：{'a': year}"),
    ("f'{year}'", "规则表达式中不允许使用 JoinedStr：f'{year}'"),
    ("[(yield)]", "规则表达式中不允许使用 Yield：(yield)"),
    ("b'x'", "不允许的常量：b'x'"),
    ("sum(*income)", "规则表达式中不允许使用 Starred：*income"),
])
def test_hostile_expressions_are_refused_with_the_languages_messages(tmp_path: Path, text: str,
                                                                      message: str) -> None:
    with pytest.raises(RuleError) as caught:
        load_rule_sets((str(rules_file(tmp_path, {"bad": text})),))
    [finding] = caught.value.findings
    assert (finding.rule, finding.message) == ("bad-rule", f"规则 bad：{message}")
    assert finding.location.line == 3


@pytest.mark.parametrize("text, message", [
    ("[[c for c in 'xxxxxxxxxx' * 100000] for d in 'x' * 200]", "推导式的总次数太多（最多 2000000 次）"),
    ("'x' * 20000000000", "结果太大（超过 1000000 项）"),
    ("year / (year - year)", "除数为零：year / (year - year)"),
    ("year + 'x'", "无法计算 2025 与 'x'（year + 'x'）"),
])
def test_hostile_work_is_stopped_with_the_languages_messages(tmp_path: Path, text: str, message: str) -> None:
    start = time.process_time()
    with pytest.raises(RuleError) as caught:
        evaluated(tmp_path, {"bad": text})
    [finding] = caught.value.findings
    assert (finding.rule, finding.message) == ("rule-error", f"规则 bad：{message}")
    assert time.process_time() - start < 10


def test_names_of_the_generated_code_mean_nothing_to_an_expression(tmp_path: Path) -> None:
    # Rules and comprehension variables named like the builtins and the identifiers the
    # compiler writes (engine, local, k0, t1, v1, type, isinstance) are the user's own names.
    engine = evaluated(tmp_path, {
        "engine": "1", "local": "engine + 1", "k0": "local * 10", "t1": "[k0 for v1 in [1, 2]]",
        "type": "[type for type in [3, 4]]", "isinstance": "[[local for local in [engine]] for engine in [5, 6]]",
        "dict": "[dict.amount for dict in income if dict.key == 'general']",
        "h1": "k0 + k0 + t1[0]", "h2": "[h1 + h1 for h1 in [h1]]",   # (h…: the remembered reads)
    })
    assert [engine.value(n) for n in ("engine", "local", "k0", "t1", "type", "isinstance", "h1", "h2")] == \
        [1, 2, 20, [20, 20], [3, 4], [[5], [6]], 60, [120]]
    assert engine.value("dict") == [engine.roots["income"].general.amount]


def _functions(function: types.FunctionType, seen: set | None = None):
    """A generated function and the functions it calls (its comprehensions)."""
    seen = set() if seen is None else seen
    if function in seen:
        return
    seen.add(function)
    yield function
    for cell in function.__closure__ or ():
        if isinstance(cell.cell_contents, types.FunctionType):
            yield from _functions(cell.cell_contents, seen)


def test_the_compiled_code_holds_no_text_of_the_expression() -> None:
    hostile = "'); __import__(\"os\").system(\"echo owned\"); ('"
    text = f"[{json.dumps(hostile)} + str(v) for v in item.listed_items if v.name_of_mine]"

    def resolve(name: str):
        fixed = FUNCTIONS[name]
        function = lambda engine, local: fixed  # noqa: E731
        function.fixed = fixed  # type: ignore[attr-defined]
        return function
    resolve.functions = {"str"}  # type: ignore[attr-defined]

    fn = Compiler(text, resolve, frozenset({"item"})).compile()
    assert fn(None, {"item": {"listed_items": [{"name_of_mine": 1}]}}) == [hostile + "{'name_of_mine': 1}"]
    words = {w for code in (f.__code__ for f in _functions(fn))
             for w in (*code.co_names, *code.co_varnames, *code.co_freevars,
                       *(c for c in code.co_consts if isinstance(c, str)))}
    assert hostile not in words and not any("system" in w or "owned" in w for w in words)
    assert {"listed_items", "name_of_mine"} <= words  # validated names, written with repr()
    bound = [cell.cell_contents for f in _functions(fn) for cell in f.__closure__ or ()]
    assert hostile in bound  # the text is a value bound to the function
    assert "__import__" not in fn.__globals__["__builtins__"]


@pytest.mark.parametrize("text, value", [
    # Each of these is 50–59 syntax levels deep, near the language's limit: the generated source
    # must still be within what Python compiles (indentation, nested blocks).
    ("".join("(year if " for _ in range(29)) + "year" + " else 0)" * 29, 2025),
    ("".join("[" for _ in range(28)) + "year" + "".join(f" for x{i} in [1]]" for i in range(28)),
     [2025]),
    ("not " * 58 + "year", True),
    ("".join("(year > 0 and " for _ in range(29)) + "year" + ")" * 29, 2025),
    ("".join("(1 <= " for _ in range(29)) + "year > 0" + " <= 1)" * 29, True),
    ("".join("sum([" for _ in range(29)) + "year" + "])" * 29, 2025),
])
def test_expressions_near_the_depth_limit_compile_and_evaluate(tmp_path: Path, text: str, value) -> None:
    result = evaluated(tmp_path, {"deep": text}).value("deep")
    while value == [2025] and isinstance(result, list) and len(result) == 1 and isinstance(result[0], list):
        result = result[0]
    assert result == value


def test_a_records_value_rule_and_fields_read_as_rule_attr_reads_them() -> None:
    loaded = load_figures(EXAMPLE)
    engine = Engine(load_rule_sets(("budget",)), build_roots(loaded), loaded.model.year)

    def resolve(name: str):
        raise AssertionError(name)
    read = {attr: Compiler(f"item.{attr}", resolve, frozenset({"item"})).compile()
            for attr in ("amount", "change", "reason", "no_such_field")}
    record = engine.roots["income"].general
    assert "change" not in record._values and "change" in record._rules
    first = read["change"](engine, {"item": record})            # a rule: run by the engine
    assert first == record._values["change"] == record.rule_attr("change")
    assert read["change"](engine, {"item": record}) is first    # its value: remembered
    assert read["amount"](engine, {"item": record}) == record.rule_attr("amount") == Decimal("214.20")
    missing = read["reason"](engine, {"item": engine.roots["income"].fund})  # a figure not given
    assert isinstance(missing, Missing) and missing.path == "income.fund.reason"
    with pytest.raises(MissingFigure) as caught:
        read["no_such_field"](engine, {"item": record})
    assert caught.value.path == "income.general.no_such_field"


def test_a_rule_set_is_compiled_once_per_content_of_its_files(tmp_path: Path) -> None:
    path = rules_file(tmp_path, {"a": "year + 1"})
    first = load_rule_sets((str(path),))
    assert load_rule_sets((str(path),)) is first  # unchanged: the same compiled rules
    path.write_text(path.read_text(encoding="utf-8").replace("year + 1", "year + 22"), encoding="utf-8")
    changed = load_rule_sets((str(path),))
    assert changed is not first and changed.scalars["a"].text == "year + 22"
