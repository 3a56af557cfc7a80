"""Figures validated by a plan made once per schema and unit: one prepared check per field.

:mod:`narrator.intake.validator` walks the schema for every file, asking of each field what its
type is, what its default is, whether it folds text, and builds every absent sub-model again. A
plan asks all that once: each model becomes a closure holding its known and required keys, a
template of its defaults (sub-models that hold only immutable values made once and shared, lists
and dicts made fresh) and one converter per field, which reads the common written forms (a
Decimal amount, a whole count, a one-line text, a code, a choice) inline.

The plan only ever says yes: anything it does not read the common way — an error, but also a
valid amount written as text (``"1,095.72"``), a year written ``"2026"``, a key that is not text —
raises :class:`Fallback`, and the caller validates the file with the walker, which gives every
value and every error as before. No source code is made: the plan is closures over the schema's
own values.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any, Callable

from ..numbers import WAN_PER_UNIT
from ..loading.yamlload import LocatedDict, LocatedList
from ..loading.yamlscan import PLAIN_AMOUNTS
from .fieldschema import Field, Model
from .figurevalues import TextFormat, code_text, count, money, non_negative, one_paragraph
from .validator import _CODE, Validated


class Fallback(Exception):
    """The plan does not read this value the common way: validate the file with the walker."""


_DICTS = (dict, LocatedDict)
_LISTS = (list, LocatedList)
# A text with none of these is left as it is by one_paragraph (no line break to fold, no “#” or “|”
# to open a Markdown block, no “<” or “>” of HTML); a text with one is given to one_paragraph.
_SUSPECT = re.compile("[\r\n\x85\u2028\u2029#|<>]")
_IMMUTABLE = (str, int, Decimal, bool, type(None))
_TEXT = frozenset((str,))
_SEVEN_DIGITS = re.compile(r"\d{7}")  # (what _CODE matches in a text with no line break: one the folding leaves)
_new = Validated.__new__
_set = object.__setattr__


@cache
def plan_for(schema: Model, unit: str | None) -> Callable[[Any], Validated]:
    """The plan of ``schema`` for amounts written in ``unit`` (None: 万元 as written)."""
    return _Planner(unit).model(schema)


class _Planner:
    def __init__(self, unit: str | None) -> None:
        self.unit = unit
        factor = WAN_PER_UNIT[unit] if unit else None
        # a plain amount is itself in 万元 (times one is the same Decimal, digits and exponent)
        self.direct = factor is None or (factor == 1 and factor.as_tuple().exponent == 0)
        self.models: dict[tuple[int, bool], tuple] = {}

    def model(self, model: Model, optional: bool = False) -> Callable[[Any], Validated]:
        """The plan of one model (``optional``: None too)."""
        return self._model(model, optional)[0]

    def _model(self, model: Model, optional: bool = False) -> tuple:
        """(The plan of ``model``, its value when nothing is written if that can be shared, the model)."""
        if (id(model), optional) in self.models:
            return self.models[id(model), optional]
        known = frozenset(model.fields)
        required = frozenset(name for name, field in model.fields.items() if field.required)
        converters = {name: self.field(field) for name, field in model.fields.items()}
        # the two common fields, read without a call: a plain amount (see _amount) and a one-line text
        amounts = frozenset(name for name, field in model.fields.items()
                            if self.direct and _leaf(field.type) == ("amount",) and not field.text
                            and not field.before and not field.after)
        texts = frozenset(name for name, field in model.fields.items()
                          if field.text and _leaf(field.type)[0] == "text" and not field.before and not field.after)
        # and a code written as text (“'2080501'”: seven digits, nothing for the folding to change)
        codes = frozenset(name for name, field in model.fields.items()
                          if _leaf(field.type) == ("code",) and not field.before and not field.after)
        template: dict[str, Any] = {}
        fresh: list[tuple[str, Callable[[], Any]]] = []
        for name, field in model.fields.items():
            template[name] = self._default(name, field, converters[name], fresh)
        template["_name"] = model.name  # (Validated keeps its model's name last)
        fresh_items = tuple(fresh)
        plain, search, code = PLAIN_AMOUNTS, _SUSPECT.search, _SEVEN_DIGITS.fullmatch

        def validated(raw: Any) -> Validated | None:
            if raw.__class__ not in _DICTS:
                if raw is None and optional:
                    return None
                raise Fallback
            keys = raw.keys()
            if not keys <= known or (required and not keys >= required):
                raise Fallback  # an unknown key (or one that is not text), a required one missing
            values = template.copy()
            for name, make in fresh_items:
                values[name] = make()
            for key, item in raw.items():
                if key in amounts:
                    if id(item) in plain:
                        values[key] = item
                        continue
                elif key in texts:
                    if item.__class__ is str and search(item) is None:
                        values[key] = item
                        continue
                elif key in codes:
                    if item.__class__ is str and code(item):
                        values[key] = item
                        continue
                values[key] = converters[key](item)
            result = _new(Validated)
            _set(result, "__dict__", values)
            return result

        shared = None
        if not fresh_items and not required:
            empty = validated({})
            if _frozen(empty):
                shared = empty  # (records copy a model's fields: nothing downstream changes it)
        self.models[id(model), optional] = (validated, shared, model)  # (the model kept: its id stays its own)
        return self.models[id(model), optional]

    def _default(self, name: str, field: Field, convert: Callable, fresh: list) -> Any:
        """The value of ``field`` when it is not written (placed in the template, or made fresh)."""
        if field.required:
            return None  # (always written: checked before the template is used)
        if field.factory is not None:
            if isinstance(field.factory, Model):
                validated, shared, _ = self._model(field.factory)
                if shared is not None:
                    return shared
                fresh.append((name, lambda: validated({})))
            else:
                fresh.append((name, list if field.factory == "list" else dict))
            return None
        if field.validate_default:
            try:
                value = convert(field.default)
            except Fallback:
                fresh.append((name, lambda: _refused()))
                return None
            if isinstance(value, _IMMUTABLE):
                return value
            fresh.append((name, lambda: convert(field.default)))
            return None
        return field.default  # (not validated, and the same object for every file, as the walker does)

    def field(self, field: Field) -> Callable[[Any], Any]:
        """The converter of a written value of ``field``: its texts folded, its keys as text, its type."""
        type_ = field.type
        optional = type_[0] == "optional"
        leaf = type_[1] if optional else type_
        if field.text and leaf[0] == "text" and not field.before and not field.after:
            return _text_field(optional)  # (most texts: one call for all three steps)
        convert = self.type(type_)
        if field.text:
            inner = convert

            def convert(raw: Any, inner: Callable = inner) -> Any:
                return inner(_folded(raw))
        if field.before == "keys_as_text":
            typed = convert

            def convert(raw: Any, typed: Callable = typed) -> Any:
                if raw.__class__ in _DICTS and not _TEXT.issuperset(map(type, raw)):
                    raw = {code_text(k): v for k, v in raw.items()}
                return typed(raw)
        if field.after == "wan":
            checked = convert

            def convert(raw: Any, checked: Callable = checked) -> Any:
                checked(raw)
                return "万元"
        return convert

    def type(self, type_: tuple, optional: bool = False) -> Callable[[Any], Any]:
        """The converter of a value of a declared type (see narrator.intake.schemadecl)."""
        kind = type_[0]
        if kind == "optional":
            if type_[1][0] in ("amount", "quantity"):
                return self.type(type_[1], optional=True)
            if type_[1][0] == "model":
                return self.model(type_[1][1], optional=True)
            inner = self.type(type_[1])
            return lambda raw: None if raw is None else inner(raw)
        if kind == "model":
            return self.model(type_[1])
        if kind == "list":
            item = self.type(type_[1])

            def items(raw: Any) -> list:
                if raw.__class__ not in _LISTS:
                    raise Fallback
                return [item(value) for value in raw]
            return items
        if kind == "map":
            value_of = self.type(type_[1])
            direct = self.direct and type_[1] == ("amount",)
            texts = type_[1] == ("text",)
            plain = PLAIN_AMOUNTS

            def mapping(raw: Any) -> dict:
                if raw.__class__ not in _DICTS:
                    raise Fallback
                # every key text and every value a plain amount (or a text): the mapping as it is,
                # tested and copied without a Python step per entry
                if _TEXT.issuperset(map(type, raw)) and (
                        direct and all(map(plain.__contains__, map(id, raw.values())))
                        or texts and _TEXT.issuperset(map(type, raw.values()))):
                    return dict(raw)
                result = {}
                for key, value in raw.items():
                    result[key if key.__class__ is str else _text(key)] = (
                        value if direct and id(value) in plain else value_of(value))
                return result
            return mapping
        if kind in ("amount", "quantity"):
            return _amount(self.unit if kind == "amount" else None, kind == "amount", optional)
        if kind == "count":
            return _count
        if kind == "text":
            return _text
        if kind == "code":
            return _code
        if kind == "literal":
            choices = {choice: choice for choice in type_[1:]}

            def literal(raw: Any) -> Any:
                if raw.__class__ is str and raw in choices:
                    return choices[raw]
                raise Fallback
            return literal
        if kind == "bool":
            return _boolean
        _, ge, le = type_

        def integer(raw: Any) -> int:
            if raw.__class__ is int and (ge is None or raw >= ge) and (le is None or raw <= le):
                return raw
            raise Fallback
        return integer


def _leaf(type_: tuple) -> tuple:
    """The type an optional type holds (the type itself otherwise)."""
    return type_[1] if type_[0] == "optional" else type_


def _frozen(value: Any) -> bool:
    """Whether ``value`` holds nothing that can change: one object can serve every file."""
    if value.__class__ is Validated:
        return all(_frozen(v) for v in value.__dict__.values())
    return isinstance(value, _IMMUTABLE)


def _refused() -> Any:
    raise Fallback  # a format's default that is not a valid value: the walker words it


def _amount(unit: str | None, is_money: bool, optional: bool) -> Callable[[Any], Decimal | None]:
    """An amount (``money``) or a quantity (``non_negative``), None too if ``optional``.

    A Decimal the reader took from plain digits in bounds (:data:`narrator.loading.yamlscan.PLAIN_AMOUNTS`)
    is taken as it is (in 元: converted as to_wan does); any other value is read by the walker's own
    functions, and what they refuse falls back.
    """
    factor = WAN_PER_UNIT[unit] if unit else None
    direct = factor is None or factor <= 1  # (a factor above one could take an amount out of bounds)

    def amount(raw: Any) -> Decimal | None:
        if id(raw) in PLAIN_AMOUNTS and direct:
            return raw if factor is None else raw * factor
        if raw is None and optional:
            return None
        try:  # a whole number, another Decimal, text (“1,095.72”): read as the walker reads it
            return money(raw, unit) if is_money else non_negative(raw)
        except ValueError:
            raise Fallback from None
    return amount


def _count(raw: Any) -> int:
    if raw.__class__ is int and raw >= 0:
        return raw
    try:
        return count(raw)
    except ValueError:
        raise Fallback from None


def _text(raw: Any) -> str:
    if raw.__class__ is str:
        return raw
    raise Fallback


def _code(raw: Any) -> str:
    text = code_text(raw)
    if text.__class__ is str and _CODE.match(text):
        return text
    raise Fallback


def _boolean(raw: Any) -> bool:
    if raw is True or raw is False:
        return raw
    raise Fallback


def _text_field(optional: bool) -> Callable[[Any], str | None]:
    """A text field (folded to one paragraph), None too if ``optional``."""
    def text(raw: Any) -> str | None:
        if raw.__class__ is str:
            return raw if _SUSPECT.search(raw) is None else _paragraph(raw)
        if raw is None and optional:
            return None
        return _text(_folded(raw))
    return text


def _folded(raw: Any) -> Any:
    """What :func:`narrator.intake.figurevalues.texts` makes of ``raw``; Fallback where it refuses."""
    if raw.__class__ is str:
        return raw if _SUSPECT.search(raw) is None else _paragraph(raw)
    if raw.__class__ in _DICTS:
        if any(v.__class__ is str and _SUSPECT.search(v) is not None for v in raw.values()):
            return {k: _paragraph(v) if isinstance(v, str) else v for k, v in raw.items()}
        return raw
    if raw.__class__ in _LISTS:
        if any(v.__class__ is str and _SUSPECT.search(v) is not None for v in raw):
            return [_paragraph(v) if isinstance(v, str) else v for v in raw]
        return raw
    if isinstance(raw, (str, dict, list)):
        raise Fallback  # a subclass of them: the walker decides
    return raw


def _paragraph(text: str) -> str:
    try:
        return one_paragraph(text)
    except TextFormat:
        raise Fallback from None
