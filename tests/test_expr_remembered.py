"""Compiled expressions read ``item.x`` (or ``settings.x``, a rule's value) once per evaluation.

What such a read gives does not change while an expression is evaluated, so the compiled code
reads it at its first use and remembers it (in a comprehension: not at every turn); a use on a
branch not taken reads nothing, and a later use still reads it (compute/exprcode.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from narrator.compute.expr import MissingFigure
from narrator.compute.exprcode import Compiler
from narrator.compute.functions import FUNCTIONS


class Counted:
    """An object read as rules read records (``rule_attr``), counting each read."""

    def __init__(self, **fields: Any) -> None:
        self.fields, self.reads = fields, []

    def rule_attr(self, name: str) -> Any:
        self.reads.append(name)
        if name not in self.fields:
            raise MissingFigure(f"item.{name}")
        return self.fields[name]


def _compiled(text: str):
    def resolve(name: str):
        fixed = FUNCTIONS[name]  # only functions: no global name is read here

        def pure(engine: Any, local: dict) -> Any:
            return fixed
        pure.fixed = fixed  # type: ignore[attr-defined]
        return pure
    resolve.functions = ("sum",)  # type: ignore[attr-defined]
    return Compiler(text, resolve, frozenset({"item"})).compile()


def test_a_read_in_a_comprehension_is_made_once_not_at_every_turn() -> None:
    item = Counted(rate=Decimal(2), parts=[1, 2, 3])
    fn = _compiled("sum(p * item.rate for p in item.parts) + item.rate")
    assert fn(None, {"item": item}) == Decimal(14)
    # once in the comprehension (a function of its own), not at each of its 3 turns; once outside
    assert item.reads == ["parts", "rate", "rate"]


def test_a_read_on_a_branch_not_taken_is_not_made_and_a_later_one_is() -> None:
    item = Counted(flag=False, amount=Decimal(5))
    fn = _compiled("(item.missing if item.flag else 0) + (item.amount if not item.flag else 1) + item.amount")
    assert fn(None, {"item": item}) == Decimal(10)
    assert item.reads == ["flag", "amount"]   # item.missing never read
    on = Counted(flag=True, amount=Decimal(5))
    with pytest.raises(MissingFigure):
        fn(None, {"item": on})


def test_each_evaluation_reads_again() -> None:
    fn = _compiled("item.amount * 2")
    assert fn(None, {"item": Counted(amount=1)}) == 2 and fn(None, {"item": Counted(amount=4)}) == 8


def test_a_comprehensions_own_variable_is_read_at_every_turn() -> None:
    rows = [Counted(amount=1), Counted(amount=2)]
    fn = _compiled("sum(item.amount for item in item.rows)")
    assert fn(None, {"item": Counted(rows=rows)}) == 3
    assert [row.reads for row in rows] == [["amount"], ["amount"]]
