"""A small, safe expression language for rules: its values, errors, bounds and access rules.

Rule expressions are written in a subset of Python's expression syntax::

    sum(i.general for i in functional if i.listed)
    None if item.prior == 0 else item.change / abs(item.prior) * 100

The text is parsed with :mod:`ast` and only whitelisted nodes are accepted: arithmetic,
comparisons, ``and``/``or``/``not``, ``a if c else b``, attribute and item access (never
to names starting with ``_``), literals, list/generator comprehensions and calls of the
functions the resolver offers (:data:`narrator.compute.functions.FUNCTIONS` and the engine's own).
The expression text is never passed to ``eval``/``exec``/``compile``:
:class:`narrator.compute.exprcode.Compiler` writes a Python function from the validated tree, once
per rule set; what it may do at run time is what the helpers here allow (records read
through ``rule_attr``, bounded texts and lists, a budget of comprehension turns).
Numbers written in an expression (``100``, ``0.5``) are exact Decimals.
"""

from __future__ import annotations

import operator
from decimal import Decimal
from typing import Any, Callable

Closure = Callable[[Any, dict], Any]


class ExprError(Exception):
    """An expression cannot be compiled or evaluated (wrapped into a RuleError by the engine)."""


def _place(where: Any) -> Any:
    """A location given as (figures, keys) — a record's, not looked up until needed — looked up."""
    if where.__class__ is tuple:
        figures, keys = where
        return figures.locate(*keys)
    return where


class Placed:
    """Where something is written in the figures file: ``_location`` holds a Location, None, or
    (figures, keys) until it is asked for — looking a place up costs, and most are never shown —
    and the place itself from then on. Records, lists of records and missing figures share it."""

    __slots__ = ()
    _location: Any

    @property
    def location(self) -> Any:
        """Where it is (or belongs) in the figures file (None: nowhere known)."""
        where = self._location
        if where.__class__ is tuple:
            where = self._location = _place(where)
        return where


class MissingFigure(ExprError, Placed):
    """An expression needed a figure that the figures file does not give."""

    def __init__(self, path: str, location: Any = None) -> None:
        super().__init__(path)
        self.path = path
        self._location = location  # a Location, or (figures, keys): see Placed


class Missing(Placed):
    """Stands for a figure that is not given: falsy, equal to None, fails in arithmetic."""

    __slots__ = ("path", "_location")

    def __init__(self, path: str, location: Any = None) -> None:
        self.path = path
        self._location = location  # a Location, or (figures, keys): see Placed

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, Missing)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return f"<未提供 {self.path}>"


def is_missing(value: Any) -> bool:
    """True for None and for a :class:`Missing` figure."""
    return value is None or isinstance(value, Missing)


def fail_if_missing(*values: Any) -> None:
    """Raise :class:`MissingFigure` for the first value that is a missing figure."""
    for value in values:
        if isinstance(value, Missing):
            raise MissingFigure(value.path, value.location)


# -- access ----------------------------------------------------------------------------------

#: The classes whose ``rule_attr`` is how rules read them (records; registered by records.py):
#: an attribute of an object of exactly one of these types skips the checks in :func:`attribute`.
RULE_TYPES: set[type] = set()


def attribute(obj: Any, name: str) -> Any:
    """``obj.name`` as rules see it: records evaluate their rules; dicts give their keys."""
    getter = getattr(obj, "rule_attr", None)
    if getter is not None:
        return getter(name)
    if isinstance(obj, dict):
        if name in obj:
            return obj[name]
        raise MissingFigure(name)
    if isinstance(obj, Missing):
        raise MissingFigure(obj.path, obj.location)
    raise ExprError(f"{type(obj).__name__} 没有属性 “{name}”")


def item(obj: Any, key: Any) -> Any:
    """``obj[key]`` as rules see it; a key that is not there is a missing figure."""
    if isinstance(obj, Missing):
        raise MissingFigure(obj.path, obj.location)
    getter = getattr(obj, "rule_item", None)
    if getter is not None:
        return getter(key)
    try:
        return obj[key]
    except (KeyError, IndexError):
        raise MissingFigure(f"[{key}]") from None
    except TypeError:
        raise ExprError(f"不能对 {type(obj).__name__} 取 [{key!r}]") from None


def _divide(a: Any, b: Any) -> Any:
    """Exact division: two whole numbers divide as Decimals, never into a binary float."""
    if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool) and not isinstance(b, bool):
        return Decimal(a) / Decimal(b)
    return operator.truediv(a, b)


#: Bounds on what one expression may build: a rule computes figures, never megabytes of text.
MAX_TEXT = 5_000          # characters of an expression's text
MAX_DEPTH = 60            # nesting of its syntax tree
MAX_ITEMS = 1_000_000     # characters of a text or items of a list made by ``*`` or ``+``
MAX_WORK = 2_000_000      # turns of the comprehensions of one evaluation, nested ones included


_TOO_MUCH_WORK = f"推导式的总次数太多（最多 {MAX_WORK} 次）"


def _sized(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _multiply(a: Any, b: Any) -> Any:
    """``a * b``, refusing a repeated text or list larger than :data:`MAX_ITEMS` before building it."""
    for sequence, count in ((a, b), (b, a)):
        if _sized(sequence) and isinstance(count, int) and _sized(sequence) * count > MAX_ITEMS:
            raise ExprError(f"结果太大（超过 {MAX_ITEMS} 项）")
    return operator.mul(a, b)


def _add(a: Any, b: Any) -> Any:
    if _sized(a) + _sized(b) > MAX_ITEMS:
        raise ExprError(f"结果太大（超过 {MAX_ITEMS} 项）")
    return operator.add(a, b)


def __getattr__(name: str) -> Any:
    # The compiler lives in exprcode (which imports this module's helpers); it is offered here too.
    if name == "Compiler":
        from .exprcode import Compiler
        return Compiler
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
