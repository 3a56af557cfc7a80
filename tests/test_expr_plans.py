"""Plans of compiled expressions kept in a rule set's bundle (narrator.compute.exprkeep).

A plan read back is used without parsing or writing the expression again, and its function
computes what a freshly compiled one computes, errors and their messages included; a plan the
resolver no longer fits, or data that is not a plan, means compiling as before.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from narrator.caches import codecache
from narrator.compute import exprcode
from narrator.compute.expr import ExprError
from narrator.compute.functions import FUNCTIONS

TEXTS = [
    "sum([x * 2 for x in [1, 2, 3] if x != year]) + year",
    "year / 0",
    "year + 'a'",
    "year < 'a'",
    "1.50 + 0.5",
    "[v for v in [1, 2] if v > 1.0]",
    "percent(year, 2) if year > 2000 and not False else None",
    "str(year) + 'x'",
]


def resolver(scalar: bool = False):
    def resolve(name: str):
        if name in FUNCTIONS:
            fixed = FUNCTIONS[name]
            function = lambda engine, local: fixed  # noqa: E731
            function.fixed = fixed  # type: ignore[attr-defined]
            return function
        if name != "year":
            raise ExprError(f"未知的名字 “{name}”")
        if scalar:  # read inline from the engine's scalars (2025), never by calling this
            value = lambda engine, local: 1  # noqa: E731
            value.scalar = name  # type: ignore[attr-defined]
            return value
        return lambda engine, local: 2025
    resolve.functions = set(FUNCTIONS)  # type: ignore[attr-defined]
    return resolve


class Scalars:
    _scalars = {"year": 2025}


def outcome(fn) -> object:
    try:
        return ("value", fn(Scalars(), {}))
    except ExprError as error:
        return ("error", str(error))


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NARRATOR_NO_CACHE", raising=False)
    codecache._folder.cache_clear()
    yield
    codecache._folder.cache_clear()


def compile_all(resolve, texts=TEXTS) -> list:
    with codecache.bundle("plans"):
        return [exprcode.Compiler(text, resolve).compile() for text in texts]


def test_a_kept_plan_is_used_without_parsing_and_computes_the_same(cache_home, monkeypatch) -> None:
    fresh = [outcome(fn) for fn in compile_all(resolver())]
    assert fresh[1] == ("error", "除数为零：year / 0")
    assert fresh[2] == ("error", "无法计算 2025 与 'a'（year + 'a'）")
    assert fresh[3] == ("error", "无法比较 2025 与 'a'（year < 'a'）")
    assert fresh[4] == ("value", Decimal("2.00")) and str(fresh[4][1]) == "2.00"

    def refuse(*args, **kwargs):
        raise AssertionError("written again")
    monkeypatch.setattr(exprcode.Compiler, "_node", refuse)     # no syntax node is compiled
    monkeypatch.setattr(exprcode, "compiled", refuse)           # no source either
    kept = compile_all(resolver())
    assert [outcome(fn) for fn in kept] == fresh


def test_the_names_an_expression_used_are_known_from_its_plan(cache_home) -> None:
    texts = ["percent(year, 2)", "sum([year])"]
    fresh = [exprcode.Compiler(text, resolver()) for text in texts]
    with codecache.bundle("plans"):
        for compiler in fresh:
            compiler.compile()
    again = [exprcode.Compiler(text, resolver()) for text in texts]
    with codecache.bundle("plans"):
        for compiler in again:
            compiler.compile()
    assert [c.globals_used for c in again] == [c.globals_used for c in fresh] == [{"percent", "year"}, {"sum", "year"}]


def test_a_plan_the_resolver_no_longer_fits_is_not_used(cache_home) -> None:
    compile_all(resolver(scalar=False))
    kept = compile_all(resolver(scalar=True))      # year is now a scalar, read inline
    assert [outcome(fn) for fn in kept] == [outcome(fn) for fn in compile_all(resolver(scalar=True))]
    assert outcome(kept[0]) == ("value", 2037)      # not the plan that calls the closure (1 + 2 + 3 + 1 …)

    def unknown(name: str):
        if name == "year":
            raise ExprError("未知的名字 “year”")
        return resolver()(name)
    unknown.functions = set(FUNCTIONS)  # type: ignore[attr-defined]
    with pytest.raises(ExprError, match="未知的名字 “year”"):
        compile_all(unknown)


@pytest.mark.parametrize("plan", [("not", "a plan"), None, 7, (compile("1", "x", "eval"), (), (("x", 1),))])
def test_data_that_is_not_a_plan_is_compiled_again(cache_home, plan) -> None:
    compile_all(resolver())
    [folder] = (Path(codecache._folder())).parent.glob("rules-*")
    [bundle] = folder.glob("bundle-*.codes")
    entries = codecache._read(bundle)
    codecache._write(bundle, {key: (plan if key.startswith("plan-") else value) for key, value in entries.items()})
    assert [outcome(fn) for fn in compile_all(resolver())][:2] == [("value", 2037), ("error", "除数为零：year / 0")]


def test_outside_a_bundle_nothing_is_kept(cache_home, monkeypatch) -> None:
    exprcode.Compiler(TEXTS[0], resolver()).compile()
    calls = []
    node = exprcode.Compiler._node
    monkeypatch.setattr(exprcode.Compiler, "_node", lambda self, *a: calls.append(a) or node(self, *a))
    assert outcome(exprcode.Compiler(TEXTS[0], resolver()).compile()) == ("value", 2037)
    assert calls
