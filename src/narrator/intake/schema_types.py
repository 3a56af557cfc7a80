"""Value types shared by the figures schema: amounts, counts, codes and the strict base model."""

from __future__ import annotations

from decimal import Decimal
from types import UnionType
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from . import figurevalues
from .figurevalues import TextFormat, code_text, count, money, non_negative  # noqa: F401 (code_text: schema)


def _non_negative(value: object) -> Decimal:
    return non_negative(value)


def _count(value: object) -> int:
    return count(value)


def _money(value: object, info: ValidationInfo) -> Decimal:
    """A non-negative amount, in 万元 when the file's amounts are in another unit (``unit: 元``)."""
    return money(value, (info.context or {}).get("unit"))


#: A non-negative amount of money in 万元; numbers, “1,095.72”, “—” and empty are accepted. A file
#: written in 元 is validated with ``context={"unit": "元"}`` and its amounts converted exactly.
Amount = Annotated[Decimal, BeforeValidator(_money)]
#: A non-negative number that is not money (平方米, 分), never converted.
Quantity = Annotated[Decimal, BeforeValidator(_non_negative)]
#: A non-negative whole number (人、辆、台、个).
Count = Annotated[int, BeforeValidator(_count)]
FunctionalCode = Annotated[
    str, BeforeValidator(code_text), Field(pattern=r"^\d{7}$", description="支出功能分类项级科目编码（7 位）")
]


def one_paragraph(text: str) -> str:
    """``text`` folded to one line, or a ``text_format`` error when it would be Markdown or HTML structure."""
    try:
        return figurevalues.one_paragraph(text)
    except TextFormat as error:
        raise PydanticCustomError("text_format", error.template, error.context) from None


def _texts(value: object) -> object:
    try:
        return figurevalues.texts(value)
    except TextFormat as error:
        raise PydanticCustomError("text_format", error.template, error.context) from None


class Strict(BaseModel):
    """A model that refuses unknown keys and never changes after validation.

    Every text it holds is one paragraph (see :func:`one_paragraph`).
    """

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _one_paragraph(cls, value: object, info: ValidationInfo) -> object:
        # only fields declared as text (or maps and lists of text): a nested model checks its own
        return _texts(value) if info.field_name in _text_fields(cls) else value


_TEXT_FIELDS: dict[type, frozenset[str]] = {}


def _is_text(annotation: object) -> bool:
    """Whether a field holds text: ``str``, ``Optional[str]``, ``dict[…, str]`` or ``list[str]``."""
    if annotation is str:
        return True
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType):
        return any(_is_text(arg) for arg in args if arg is not type(None))
    if origin is dict:
        return len(args) == 2 and args[1] is str
    if origin is list:
        return len(args) == 1 and args[0] is str
    return False


def _text_fields(model: type[BaseModel]) -> frozenset[str]:
    names = _TEXT_FIELDS.get(model)
    if names is None:
        names = frozenset(name for name, field in model.model_fields.items() if _is_text(field.annotation))
        _TEXT_FIELDS[model] = names
    return names
