"""The functions rule expressions may call (besides the engine's own: group, record, names)."""

from __future__ import annotations

from typing import Any, Callable

from .expr import RULE_TYPES, ExprError, Missing, MissingFigure, attribute, fail_if_missing, is_missing, item


def _sum(values: Any, start: Any = 0) -> Any:
    total = start
    for value in values:
        if isinstance(value, Missing):  # fail_if_missing, without a call per value (~300 a document)
            raise MissingFigure(value.path, value.location)
        if value is None:
            raise ExprError("sum() 遇到空值")
        total = total + value
    return total


def _percent(part: Any, whole: Any) -> Any:
    """part ÷ whole × 100; None when whole is zero (there is no percentage of nothing)."""
    fail_if_missing(part, whole)
    if whole == 0:
        return None
    return part / whole * 100


def _abs(value: Any) -> Any:
    fail_if_missing(value)
    return abs(value)


def _given(value: Any) -> bool:
    return not is_missing(value)


def _get(mapping: Any, key: Any, default: Any = None) -> Any:
    try:
        value = item(mapping, key)
    except (MissingFigure, ExprError):
        return default
    return default if is_missing(value) else value


def _values(mapping: Any) -> list:
    if hasattr(mapping, "field_values"):
        return mapping.field_values()
    if isinstance(mapping, dict):
        return list(mapping.values())
    raise ExprError("values() 需要映射")


def _count(values: Any) -> int:
    return sum(1 for value in values if value)


def _sorted(values: Any, key: str | None = None) -> list:
    if key is None:
        return sorted(values)

    def read(value: Any) -> Any:  # attribute() of a record (what it calls), without its tests
        return value.rule_attr(key) if type(value) in RULE_TYPES else attribute(value, key)
    return sorted(values, key=read)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sum": _sum,
    "len": len,
    "abs": _abs,
    "min": min,
    "max": max,
    "any": any,
    "all": all,
    "count": _count,
    "percent": _percent,
    "given": _given,
    "get": _get,
    "values": _values,
    "sorted": _sorted,
    "str": str,
}
"""Functions every rule may call; the engine adds its own (group, record, names)."""


#: The reference tables' name of a code, by (code, year, the editions' ids): the editions kept
#: with the name, so an id is never taken for another edition's.
_REFERENCE_NAMES: dict[tuple, tuple[Any, str]] = {}


def reference_name(naming: Any, code: str) -> str:
    """The name ``naming`` gives ``code`` (``KeyError`` when nobody knows it): the department's
    own first; the reference's is the same for every document of a year, so it is found once."""
    if code in naming.given or naming.editions.__class__ is not tuple:
        return naming.name(code)
    key = (code, naming.year, *map(id, naming.editions))
    known = _REFERENCE_NAMES.get(key)
    if known is None:
        known = _REFERENCE_NAMES[key] = (naming.editions, naming.name(code))
    return known[1]
