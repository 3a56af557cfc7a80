"""Calls of the pure functions written out in a plan's generated function (see planinline).

A rule set calls a few functions on every record of a document: ``sum(values(item.basic))``
(a 项's amounts over its fund sources), ``percent(a, b)`` (shares) and ``abs(x)`` (growth over
a prior that may be negative). Called through :mod:`narrator.compute.functions`, each is two
or three Python calls (the function, ``fail_if_missing``, ``field_values``) around a few
operations on Decimals. Here, in the plan's own code, the common case — a plain Record, Decimal
arguments — is written in place, with the same operations in the same order in the same
decimal context, so the values are the same; any other argument goes to the function itself,
and a value that function would refuse hands over to the interpreted path (``_HandOver``),
which says what is wrong as before.

Why this is safe: as in planinline, only fixed text and identifiers made up here are written;
the functions and constants are bound values (``k…``).
"""

from __future__ import annotations

import ast
from typing import Any

from .functions import FUNCTIONS


class WrittenCalls:
    """A mixin for planinline's Inline: ``write_call`` writes the calls above in place."""

    def write_call(self, node: ast.Call, scope: dict[str, str]) -> str | None:
        """The name holding the value of ``node`` written in place, or None (not one of these
        calls, or within a comprehension's function: written as exprcode writes it)."""
        if self.current.work is not None or not isinstance(node.func, ast.Name) or node.keywords:
            return None
        name, args = node.func.id, node.args
        if name == "sum" and len(args) == 1 and isinstance(args[0], ast.Call) and not args[0].keywords \
                and isinstance(args[0].func, ast.Name) and args[0].func.id == "values" \
                and len(args[0].args) == 1 and self._pure("sum") and self._pure("values"):
            return self._summed_values(args[0].args[0], scope)
        if name == "percent" and len(args) == 2 and self._pure("percent"):
            return self._percent(args, scope)
        if name == "abs" and len(args) == 1 and self._pure("abs"):
            return self._abs(args[0], scope)
        return None

    def _pure(self, name: str) -> bool:
        """Whether ``name`` is the function of that name in narrator.compute.functions."""
        return getattr(self.resolve_global(name), "fixed", None) is FUNCTIONS[name]

    def _summed_values(self, node: ast.expr, scope: dict[str, str]) -> str:
        """``sum(values(x))``: for a Record, its figures that are not None (field_values, in
        their order) added to 0 (as sum adds them); anything but a Decimal or an int (a count)
        among them hands over (a missing figure, a text: sum's error is the interpreted path's
        to say)."""
        self._resolve("sum")  # (looked up before the argument, as _Call does; no effect)
        self._resolve("values")
        obj = self._node(node, scope)
        total, value = self._fresh("s"), self._fresh("v")
        adder, lister = self._bind(FUNCTIONS["sum"], ()), self._bind(FUNCTIONS["values"], ())
        self._emit(f"if type({obj}) is _Record:")
        self._emit(f"    {total} = 0")
        self._emit(f"    for {value} in {obj}._fields.values():")
        self._emit(f"        if {value} is not None:")
        self._emit(f"            if {value}.__class__ not in _N:")
        self._emit("                raise _HandOver")
        self._emit(f"            {total} = {total} + {value}")
        self._emit("else:")
        self._emit(f"    {total} = {adder}({lister}({obj}))")
        return total

    def _percent(self, args: list[ast.expr], scope: dict[str, str]) -> str:
        """``percent(part, whole)`` of two Decimals: None of a whole that is zero, else
        part ÷ whole × 100 (functions._percent's operations, in its order)."""
        self._resolve("percent")
        part, whole = self._node(args[0], scope), self._node(args[1], scope)
        target, function = self._fresh(), self._bind(FUNCTIONS["percent"], ())
        self._emit(f"if type({part}) is _D and type({whole}) is _D:")
        self._emit(f"    {target} = None if {whole} == 0 else {part} / {whole} * 100")
        self._emit("else:")
        self._emit(f"    {target} = {function}({part}, {whole})")
        return target

    def _abs(self, node: ast.expr, scope: dict[str, str]) -> str:
        """``abs(x)`` of a Decimal: Python's abs (what functions._abs returns for it)."""
        self._resolve("abs")
        value = self._node(node, scope)
        target = self._fresh()
        function, builtin = self._bind(FUNCTIONS["abs"], ()), self._bind(abs, ())
        self._emit(f"{target} = {builtin}({value}) if type({value}) is _D else {function}({value})")
        return target

    # (provided by the compiler this is mixed into)
    current: Any
    resolve_global: Any
    _resolve: Any
    _node: Any
    _fresh: Any
    _bind: Any
    _emit: Any
