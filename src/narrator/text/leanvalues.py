"""What the fast render's code calls (:mod:`narrator.text.lean`): record attributes, includes,
loops, printing, and the wording filters without what only explaining needs.

Each gives what the trusted environment gives (``builtin_environment``) when nothing is explained:
:func:`lean_get` is ``environment.getattr``, :func:`lean_include` Jinja's include with context,
:func:`lean_loop` its ``LoopContext`` for the values a simple loop reads, :func:`lean_print` is
``finalize`` and ``str``, the filters are :data:`narrator.text.environment.FILTERS` and Jinja's
``map``, ``selectattr`` and ``rejectattr`` (tests/test_lean_render.py compares them on every
example and on generated departments).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import jinja2
from jinja2.filters import sync_do_map, sync_do_rejectattr, sync_do_selectattr
from jinja2.runtime import Context, LoopContext, missing

from ..compute.expr import Missing
from ..intake.records import Record, RecordList
from ..numbers import format_amount
from . import environment as _env
from .environment import FILTERS, FigureMissing, builtin_environment
from .phrasing import joined_names

_RECORD_NAMES = frozenset(dir(Record))  # methods, properties, slots: read the usual way
_ABSENT = ABSENT = object()
#: Values a record's attribute gives as they are (what is neither None nor Missing).
PLAIN = frozenset({Decimal, str, int, bool, Record, RecordList, list, dict})


def lean_get(obj: Any, name: str) -> Any:
    """``obj.name`` as the trusted environment reads it (see ``environment._record_attribute``)."""
    if obj.__class__ is Record and name not in _RECORD_NAMES:
        value = obj._values.get(name, _ABSENT)
        if value is _ABSENT and name not in obj._rules:
            value = obj._fields.get(name, _ABSENT)
        if value is not _ABSENT:
            return None if value is None or isinstance(value, Missing) else value
    else:
        try:  # what Environment.getattr tries first (loop.index, a mapping's method …)
            return getattr(obj, name)
        except AttributeError:
            pass
    return builtin_environment().getattr(obj, name)


#: Templates an include named, by name, with the environment that loaded them (see lean_include).
_INCLUDED: dict[str, tuple[jinja2.Environment, jinja2.Template, set[str]]] = {}


def lean_include(environment: jinja2.Environment, name: Any, includer: str, context: Context,
                 names: dict[str, Any]) -> Any:
    """The pieces of ``{% include name %}`` (with context), as Jinja's include gives them.

    Jinja looks the template up in its cache and copies the includer's whole context (some 150
    names) into a new one with the include's local names (``loop``, ``section`` …) on top, for
    every include. Here the template is looked up once per name, and the new context keeps the
    includer's names as its parent (shared, never written to) and the local names as its own
    variables, which are read first: every name resolves to the same value.
    """
    known = _INCLUDED.get(name) if name.__class__ is str else None
    if known is None or known[0] is not environment:
        template = environment.get_or_select_template(name, includer)
        known = (environment, template, set(template.globals))
        if name.__class__ is str:
            if len(_INCLUDED) >= 256:
                _INCLUDED.clear()
            _INCLUDED[name] = known
    template = known[1]
    included = environment.context_class(environment, context.get_all(), template.name, template.blocks)
    included.globals_keys = known[2]  # (as Context.__init__ makes it from the template's globals)
    own = included.vars
    for key, value in names.items():
        if value is not missing:
            own[key] = value
    return template.root_render_func(included)


class LoopState:
    """What ``loop.index`` … give in one turn of a loop over a list (see :func:`lean_loop`)."""

    __slots__ = ("index0", "index", "first", "last", "length", "revindex", "revindex0")

    def __init__(self, index0: int, length: int) -> None:
        self.index0, self.index, self.first, self.last = index0, index0 + 1, index0 == 0, index0 == length - 1
        self.length, self.revindex, self.revindex0 = length, length - index0, length - index0 - 1


#: The attributes a :class:`LoopState` has (a loop reading any other is Jinja's own).
LOOP_STATE_NAMES = frozenset(LoopState.__slots__)
_STATES: dict[int, tuple[LoopState, ...]] = {}
_LISTS = frozenset({list, tuple, RecordList})


def lean_loop(iterable: Any, undefined: Any) -> Any:
    """The (item, loop) pairs of a loop whose body reads only ``loop.index`` and its like
    (:data:`LOOP_STATE_NAMES`): over a list, its items with the states of a loop of that length
    (made once per length: they never change), instead of Jinja's ``LoopContext``, a Python call
    per turn; over anything else, Jinja's ``LoopContext`` itself."""
    if iterable.__class__ not in _LISTS:
        return LoopContext(iterable, undefined)
    length = len(iterable)
    states = _STATES.get(length)
    if states is None:
        states = tuple(LoopState(index0, length) for index0 in range(length))
        if length <= 256:
            _STATES[length] = states
    return zip(iterable, states)


def lean_print(value: Any) -> str:
    """What ``{{ value }}`` prints when nothing is explained: ``str``, but never ``None``."""
    if value.__class__ is str:
        return value
    if value is None:
        raise FigureMissing("要写入文字的值为空（None）")
    return str(value)


# Each printed text by the value's own text (str: a Decimal's hash costs as much as formatting
# it, see numbers.amount_text); equal values written differently are two keys, one text.
_WAN: dict[str, str] = {}
_SHARE: dict[str, str] = {}
_COUNT: dict[str, str] = {}
_MONEY: dict[str, str] = {}
_PERCENT: dict[str, str] = {}


def _money(value: Any) -> str:
    if value.__class__ is Decimal:
        text = _MONEY.get(key := str(value))
        return _remember(_MONEY, key, amount_of(value, key)) if text is None else text
    return _env.money(value)


def _percent(value: Any) -> str:
    if value.__class__ is Decimal:  # (a growth is a long quotient: its text made once)
        text = _PERCENT.get(key := str(value))
        return _remember(_PERCENT, key, amount_of(value, key) + "%") if text is None else text
    return _env.percent(value)


def _wan(value: Any) -> str:
    if value.__class__ is Decimal:  # the commonest value printed: each one written once
        text = _WAN.get(key := str(value))
        return _remember(_WAN, key, amount_of(value, key) + "万元") if text is None else text
    return _env.money(value) + "万元"


def _share(value: Any) -> str:
    if value.__class__ is Decimal:
        text = _SHARE.get(key := str(value))
        return _remember(_SHARE, key, "，占" + amount_of(value, key) + "%") if text is None else text
    return "" if value is None else "，占" + _percent(value)


def amount_of(value: Decimal, key: str) -> str:
    """``format_amount(value)`` (half up to two decimals, grouped) of a Decimal whose ``str`` is ``key``.

    Most values a document prints are new to it (the texts above help a text that repeats a value,
    and a render of the same figures again): every one was formatted the long way, ~50 a document.
    A value with two decimals already (an amount as the figures give it, and their sums and
    differences) is its own rounded text: only grouped when it has more than three digits before
    the point, and never “-0.00”. Any other value (a share, a growth) is rounded by format_amount.
    """
    if key[-3:-2] == "." and "E" not in key:
        if len(key) - (key[0] == "-") <= 6:
            return "0.00" if key == "-0.00" else key
        return format(value, ",f")
    return format_amount(value)


def _remember(texts: dict[str, str], key: str, text: str) -> str:
    if len(texts) >= 4096:  # a long batch does not make it grow without end
        texts.clear()
    texts[key] = text
    return text


def _count(value: Any) -> str:
    if value.__class__ is Decimal or value.__class__ is int:
        text = _COUNT.get(key := str(value))
        return _remember(_COUNT, key, format_amount(Decimal(value), 0)) if text is None else text
    return _env.count(value)


def _purpose(text: Any) -> str:
    return "，主要用于" + lean_print(text) if text else ""


def _names(items: Any, last: Any = "、") -> str:
    items = list(items)
    if last.__class__ is str and all(item.__class__ is str for item in items):
        # texts print as they are: joined_names' pieces, joined at once
        return "、".join(items) if len(items) < 2 else "、".join(items[:-1]) + last + items[-1]
    return joined_names(items, last, lean_print)  # (a trusted render has no work budget to count)


@jinja2.pass_context
def _map(context: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
    """Jinja's ``map``; ``map(attribute='name')`` of records reads each record as ``r.name`` does
    (Jinja's ``r['name']`` asks the record for it the long way round, to the same value)."""
    attribute = kwargs.get("attribute")
    if args or len(kwargs) != 1 or attribute.__class__ is not str or not attribute.isidentifier() \
            or attribute in _RECORD_NAMES:
        return sync_do_map(context, value, *args, **kwargs)
    return _mapped(context.environment, value, attribute)


def _mapped(env: jinja2.Environment, value: Any, attribute: str) -> Any:
    if value:
        for item in value:
            yield lean_get(item, attribute) if item.__class__ is Record else env.getitem(item, attribute)


@jinja2.pass_context
def _reason(context: Any, record: Any) -> str:
    trend = record._values.get("trend") if record.__class__ is Record else None
    if trend.__class__ is not str:  # (a record's trend is a rule's text: read as lean_get reads it)
        trend = lean_get(record, "trend")
    want = context.vars.get("want", missing)  # context.resolve, without its two calls
    if want is missing:  # (an included section's context: its includer's names are its parent)
        want = context.parent.get("want", missing)
        if want is missing:
            want = context.resolve("want")
    text = want(record, "reason", "增减变化的主要原因", trend not in ("same", "zero"))
    return "，主要原因是" + lean_print(text) if text else ""


@jinja2.pass_context
def _selectattr(context: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
    """Jinja's ``selectattr``; ``selectattr('name')`` of records reads each record as ``r.name`` does
    (as :func:`_map`), and keeps those whose value is true."""
    return _select(context, value, args, kwargs, True)


@jinja2.pass_context
def _rejectattr(context: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
    """Jinja's ``rejectattr``, as :func:`_selectattr` (the records whose value is false)."""
    return _select(context, value, args, kwargs, False)


def _select(context: Any, value: Any, args: tuple, kwargs: dict, keep: bool) -> Any:
    attribute = args[0] if len(args) == 1 else None
    if kwargs or attribute.__class__ is not str or not attribute.isidentifier() or attribute in _RECORD_NAMES:
        return (sync_do_selectattr if keep else sync_do_rejectattr)(context, value, *args, **kwargs)
    return _selected(context.environment, value, attribute, keep)


def _selected(env: jinja2.Environment, value: Any, attribute: str, keep: bool) -> Any:
    if value:
        for item in value:
            if bool(lean_get(item, attribute) if item.__class__ is Record else env.getitem(item, attribute)) is keep:
                yield item


#: The wording filters without what only explaining needs (the same text otherwise).
LEAN_FILTERS = {**FILTERS, "money": _money, "percent": _percent, "wan": _wan, "share": _share,
                "count": _count, "purpose": _purpose, "names": _names, "reason": _reason, "map": _map,
                "selectattr": _selectattr, "rejectattr": _rejectattr}
