"""Figures validated against a figures schema (:mod:`narrator.intake.fieldschema`) without pydantic.

It reads values as the pydantic classes of :mod:`narrator.intake.schema` do (lax mode, numbers accepted as
text, unknown keys refused) and reports each problem as a pydantic error would (``type``, ``loc``,
``msg``, ``input``, ``ctx``), so :mod:`narrator.intake.figures` words them the same way; tests/test_validator.py
compares both on the examples and on damaged figures. The validated figures are :class:`Validated`
objects: fields as attributes and a ``model_dump`` like pydantic's.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .fieldschema import Field, Model
from .figurevalues import TextFormat, code_text, count, money, non_negative, texts

_CODE = re.compile(r"^\d{7}$")
_FAIL = object()
_TRUE = {"true", "1", "yes", "on", "t", "y"}
_FALSE = {"false", "0", "no", "off", "f", "n"}


class Validated:
    """Validated figures (or a part of them): each field an attribute, in the schema's order."""

    def __init__(self, schema_name: str, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.__dict__["_name"] = schema_name

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self._name} is frozen")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Validated) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{self._name}({', '.join(f'{k}={v!r}' for k, v in self._values().items())})"

    def _values(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_name"}

    def __iter__(self) -> Any:
        """(name, value) of each field, as iterating a pydantic model gives."""
        return iter(self._values().items())

    def model_copy(self, update: dict[str, Any] | None = None) -> Validated:
        """A copy with some fields replaced (not validated again, as in pydantic)."""
        return Validated(self._name, {**self._values(), **(update or {})})

    def model_dump(self, mode: str = "python", exclude_none: bool = False) -> dict[str, Any]:
        """The fields as plain dicts and lists (pydantic's ``model_dump(mode="python")``)."""
        return {k: _dump(v, exclude_none) for k, v in self._values().items() if not (exclude_none and v is None)}


def _dump(value: Any, exclude_none: bool) -> Any:
    if isinstance(value, Validated):
        return value.model_dump(exclude_none=exclude_none)
    if isinstance(value, list):
        return [_dump(v, exclude_none) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v, exclude_none) for k, v in value.items() if not (exclude_none and v is None)}
    return value


def _whole(value: Any) -> bool:
    """A finite Decimal (or float) without a fraction: pydantic reads it as a number, not a type error."""
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value()


def _loc_item(key: Any) -> int | str:
    """How pydantic names a key that is not text in an error's location."""
    if isinstance(key, int) and -2**63 <= key < 2**63:
        return int(key)
    return repr(key)


def validate(schema: Model, raw: Any, unit: str | None = None) -> tuple[Validated | None, list[dict[str, Any]]]:
    """``raw`` validated against ``schema``: the figures, or None and every problem found.

    The plan of the schema (:mod:`narrator.intake.validplan`) reads the common written forms;
    whatever it does not read the common way is walked field by field here.
    """
    from .validplan import Fallback, plan_for

    try:
        return plan_for(schema, unit)(raw), []
    except Fallback:
        pass
    errors: list[dict[str, Any]] = []
    value = _Walk(unit, errors).model(schema, raw, ())
    return (None if errors else value), errors


class _Walk:
    def __init__(self, unit: str | None, errors: list[dict[str, Any]]) -> None:
        self.unit, self.errors = unit, errors

    def error(self, kind: str, loc: tuple, given: Any, msg: str, ctx: dict[str, Any] | None = None) -> object:
        error = {"type": kind, "loc": loc, "msg": msg, "input": given}
        if ctx is not None:
            error["ctx"] = ctx
        self.errors.append(error)
        return _FAIL

    def model(self, model: Model, raw: Any, loc: tuple) -> Any:
        if not isinstance(raw, dict):
            return self.error("model_type", loc, raw, f"Input should be a valid dictionary or instance of {model.name}",
                              {"class_name": model.name})
        values: dict[str, Any] = {}
        failed = False
        for name, field in model.fields.items():
            if name in raw:
                value = self.field(field, raw[name], loc + (name,))
            elif field.required:
                value = self.error("missing", loc + (name,), raw, "Field required")
            elif field.factory is not None:
                value = (self.model(field.factory, {}, loc + (name,)) if isinstance(field.factory, Model)
                         else [] if field.factory == "list" else {})
            elif field.validate_default:
                value = self.field(field, field.default, loc + (name,))
            else:
                value = field.default
            failed = failed or value is _FAIL
            values[name] = value
        for key in raw:
            if not isinstance(key, str):
                failed = True
                self.error("invalid_key", loc + (_loc_item(key),), key, "Keys should be strings")
            elif key not in model.fields:
                failed = True
                self.error("extra_forbidden", loc + (key,), raw[key], "Extra inputs are not permitted")
        return _FAIL if failed else Validated(model.name, values)

    def field(self, field: Field, raw: Any, loc: tuple) -> Any:
        if field.text:
            try:
                raw = texts(raw)
            except TextFormat as error:
                return self.error("text_format", loc, raw, str(error), dict(error.context))
        if field.before == "keys_as_text" and isinstance(raw, dict):
            raw = {code_text(k): v for k, v in raw.items()}
        value = self.value(field.type, raw, loc)
        if field.after == "wan" and value is not _FAIL:
            return "万元"
        return value

    def value(self, type_: tuple, raw: Any, loc: tuple) -> Any:
        kind = type_[0]
        if kind == "optional":
            return None if raw is None else self.value(type_[1], raw, loc)
        if kind == "model":
            return self.model(type_[1], raw, loc)
        if kind == "list":
            if not isinstance(raw, list):
                return self.error("list_type", loc, raw, "Input should be a valid list")
            items = [self.value(type_[1], item, loc + (index,)) for index, item in enumerate(raw)]
            return _FAIL if any(item is _FAIL for item in items) else items
        if kind == "map":
            return self.mapping(type_[1], raw, loc)
        if kind in ("amount", "quantity", "count"):
            try:
                return (money(raw, self.unit) if kind == "amount" else non_negative(raw) if kind == "quantity"
                        else count(raw))
            except ValueError as error:
                return self.error("value_error", loc, raw, f"Value error, {error}", {"error": error})
        if kind == "text":
            return self.text(raw, loc)
        if kind == "code":
            text = self.text(code_text(raw), loc)
            if text is not _FAIL and not _CODE.match(text):
                return self.error("string_pattern_mismatch", loc, text, "String should match pattern '^\\d{7}$'",
                                  {"pattern": "^\\d{7}$"})
            return text
        if kind == "literal":
            return self.literal(type_[1:], raw, loc)
        if kind == "bool":
            return self.boolean(raw, loc)
        return self.integer(type_, raw, loc)

    def mapping(self, type_: tuple, raw: Any, loc: tuple) -> Any:
        if not isinstance(raw, dict):
            return self.error("dict_type", loc, raw, "Input should be a valid dictionary")
        values: dict[str, Any] = {}
        failed = False
        for key, item in raw.items():
            text = self.text(key, loc + (key, "[key]"))
            value = self.value(type_, item, loc + (key,))
            if text is _FAIL or value is _FAIL:
                failed = True
            else:
                values[text] = value
        return _FAIL if failed else values

    def text(self, raw: Any, loc: tuple) -> Any:
        if isinstance(raw, str):
            return str(raw)
        if isinstance(raw, (int, Decimal, float)) and not isinstance(raw, bool):
            return str(raw)
        return self.error("string_type", loc, raw, "Input should be a valid string")

    def literal(self, choices: tuple, raw: Any, loc: tuple) -> Any:
        if isinstance(raw, str) and raw in choices:
            return choices[choices.index(raw)]
        expected = " or ".join(filter(None, [", ".join(repr(c) for c in choices[:-1]), repr(choices[-1])]))
        return self.error("literal_error", loc, raw, f"Input should be {expected}", {"expected": expected})

    def boolean(self, raw: Any, loc: tuple) -> Any:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, (Decimal, float)) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str):
            if raw.lower() in _TRUE:
                return True
            if raw.lower() in _FALSE:
                return False
            return self.error("bool_parsing", loc, raw, "Input should be a valid boolean, unable to interpret input")
        if isinstance(raw, (int, bytes)) or _whole(raw):
            return self.error("bool_parsing", loc, raw, "Input should be a valid boolean, unable to interpret input")
        return self.error("bool_type", loc, raw, "Input should be a valid boolean")

    def integer(self, type_: tuple, raw: Any, loc: tuple) -> Any:
        _, ge, le = type_
        if isinstance(raw, bool) or isinstance(raw, int):
            value = int(raw)
        elif isinstance(raw, Decimal):
            if not raw.is_finite():
                return self.error("finite_number", loc, raw, "Input should be a finite number")
            if raw != raw.to_integral_value():
                return self.error("int_from_float", loc, raw, "Input should be a valid integer, got a number with a fractional part")
            value = int(raw)
        elif isinstance(raw, str):
            try:
                value = int(raw.strip())
            except ValueError:
                return self.error("int_parsing", loc, raw, "Input should be a valid integer, unable to parse string as an integer")
        else:
            return self.error("int_type", loc, raw, "Input should be a valid integer")
        if ge is not None and value < ge:
            return self.error("greater_than_equal", loc, raw, f"Input should be greater than or equal to {ge}", {"ge": ge})
        if le is not None and value > le:
            return self.error("less_than_equal", loc, raw, f"Input should be less than or equal to {le}", {"le": le})
        return value
