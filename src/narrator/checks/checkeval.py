"""The values of check expressions as :mod:`narrator.checks.check` uses them, and the texts made with them.

A check's expression gives a value or fails: a figure it needs is missing (``MissingFigure``, a
:class:`~narrator.compute.expr.Missing` value, or a rule that failed for want of one) becomes
:class:`NoData` — the check's outcome “not enough data”, worded as the engine worded the cause.
A check's ``where``/``at``/``message`` texts have ``{expr}`` placeholders, filled with amounts
printed as in the text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from ..compute.engine import Engine, RuleFailed
from ..compute.expr import Closure, ExprError, Missing, MissingFigure
from ..compute.exprcode import Compiler
from ..compute.rules import KnownNames, _global_resolver
from ..errors import Location
from ..numbers import format_amount

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

resolver = _global_resolver  # checks see the same names as rules: figures, rules, settings


class NoData(Exception):
    """A figure the check needs is missing (``path``, written or expected at ``location``)."""

    def __init__(self, message: str, path: str = "", location: Location | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.location = location


def value_of(fn: Closure, engine: Engine, local: dict) -> Any:
    """``fn``'s value for ``local``; a missing figure (or a rule failed for one) is :class:`NoData`."""
    try:
        value = fn(engine, local)
    except MissingFigure as missing:
        raise NoData(f"缺少 {missing.path}", missing.path, missing.location) from None
    except RuleFailed as failed:
        raise _why_failed(engine, str(failed), local.get("item")) from None
    if isinstance(value, Missing):
        raise NoData(f"缺少 {value.path}", value.path, value.location)
    return value


def _within(figure: str, record: str) -> bool:
    """Whether ``figure`` is the record at path ``record`` or one of its fields."""
    return figure == record or figure.startswith((record + ".", record + "["))


def _why_failed(engine: Engine, rule: str, item: Any) -> NoData:
    """The engine's own finding about the missing figure behind a failed rule."""
    path = getattr(item, "path", None)
    for finding in reversed(engine.findings):
        if finding.needed_by == rule and (path is None or _within(finding.figure, path)):
            return NoData(finding.message, finding.figure, finding.location)
    return NoData(f"规则 {rule} 无法计算（缺少它要用的数据）")


def text(template: str, engine: Engine, local: dict, names: frozenset[str] | None = None) -> str:
    """Fill ``{expr}`` placeholders (amounts printed as in the text); ``names``: the rule set's
    scalar names, when the caller has them already."""
    parts = text_parts(template, names if names is not None else scalar_names(engine.ruleset.scalars))
    if parts.__class__ is str:  # no placeholder
        return parts
    return "".join(part if part.__class__ is str else _filled(part, engine, local) for part in parts)


@cache
def text_parts(template: str, scalars: frozenset[str]) -> str | tuple:
    """A template as its literal texts and the compiled expressions of its placeholders (the
    names ``item.path`` stands for as None), made once per template and rule set; the template
    itself when it has no placeholder."""
    pieces = _PLACEHOLDER.split(template)
    if len(pieces) == 1:
        return template
    return tuple(piece if n % 2 == 0 else (None if piece == "item.path" else _placeholder(piece, scalars),)
                 for n, piece in enumerate(pieces) if piece or n % 2)


def placeholders(template: str) -> list[str]:
    """The literal texts and placeholder expressions of ``template``, alternating (literal first)."""
    return _PLACEHOLDER.split(template)


def _filled(part: tuple, engine: Engine, local: dict) -> str:
    [fn] = part
    if fn is None:
        return getattr(local.get("item"), "path", "")
    try:
        value = fn(engine, local)
    except (ExprError, RuleFailed):
        return "？"
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)


_NAMES: dict[int, tuple[dict, frozenset[str]]] = {}


def scalar_names(scalars: dict[str, Any]) -> frozenset[str]:
    """The names of a rule set's scalar rules, made once per rule set (not for every placeholder
    filled: each was a set of ~30 names made and hashed anew, a tenth of the checks)."""
    known = _NAMES.get(id(scalars))
    if known is None or known[0] is not scalars:  # (the dict is kept: its id is not reused)
        known = _NAMES[id(scalars)] = (scalars, frozenset(scalars))
    return known[1]


@cache
def _placeholder(expr: str, scalars: frozenset[str]) -> Closure:
    return Compiler(expr, resolver(KnownNames(scalars)), frozenset({"item", "settings"})).compile()


def amount(value: Any) -> Decimal:
    """``value`` as an amount; a missing figure or anything but a number is :class:`NoData`."""
    if value.__class__ is Decimal:  # nearly every amount
        return value
    if isinstance(value, Missing):
        raise NoData(f"缺少 {value.path}", value.path, value.location)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise NoData(f"应为金额，实际是 {value!r}")
    return Decimal(value)
