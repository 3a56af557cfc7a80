"""Value types shared by the figures schema: amounts, counts, codes and the strict base model."""

from __future__ import annotations

import re
from decimal import Decimal
from types import UnionType
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .numbers import parse_amount, to_wan


#: Bounds on a figure: amounts below 10^12 万元 (a trillion 万元 is more than any budget), at most
#: 8 decimals (万元 to the 分 needs 6). Also what keeps Decimal arithmetic and the text's layout exact.
AMOUNT_LIMIT = Decimal(10) ** 12
MAX_DECIMALS = 8


def _non_negative(value: object) -> Decimal:
    amount = parse_amount(value)
    if not amount.is_finite():  # pragma: no cover - neither the loader nor parse_amount lets one through
        raise ValueError(f"金额只能写十进制数字：{value}")
    if amount < 0:
        raise ValueError(f"金额不能为负数：{value}")
    shown = str(value) if len(str(value)) <= 40 else f"{str(value)[:20]}…"
    if amount >= AMOUNT_LIMIT:
        raise ValueError(f"金额 “{shown}” 过大：应小于 1,000,000,000,000（万亿）")
    if -amount.as_tuple().exponent > MAX_DECIMALS:
        raise ValueError(f"金额 “{shown}” 的小数位数过多：最多 {MAX_DECIMALS} 位")
    return amount


def _count(value: object) -> int:
    amount = parse_amount(value)
    if amount < 0 or amount != amount.to_integral_value():
        raise ValueError(f"应为不小于 0 的整数：{value}")
    return int(amount)


def code_text(value: object) -> object:
    """A code written as a bare YAML number (2014004) read as the text it stands for."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _money(value: object, info: ValidationInfo) -> Decimal:
    """A non-negative amount, in 万元 when the file's amounts are in another unit (``unit: 元``)."""
    amount = _non_negative(value)
    unit = (info.context or {}).get("unit")
    if unit:
        amount = to_wan(amount, unit)
        if amount >= AMOUNT_LIMIT:
            raise ValueError(f"金额 “{value}”{unit} 过大：应小于 1,000,000,000,000 万元")
    return amount


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


# Every text a figures file gives (a reason, a name, a purpose) is one paragraph of prose placed
# inside narrator's Markdown. A line break would let it start a heading, a table or a new
# paragraph, so breaks are folded (with the spaces around them: nothing between Chinese
# characters, one space between Latin words); what is left may still not open a Markdown block
# (# |) or carry HTML (a “<!-- narrator: ignore -->” comment would mute lint on its line).
_BREAK = re.compile(r"[ \t\u3000]*(?:\r\n|[\r\n\x85\u2028\u2029])[ \t\u3000\r\n\x85\u2028\u2029]*")
_BLOCK_START = re.compile(r"[#|]")
_HTML = re.compile(r"<(?:!--|[A-Za-z/!?])|-->")


def _join(match: re.Match) -> str:
    text, start, end = match.string, match.start(), match.end()
    wide = (start > 0 and ord(text[start - 1]) >= 0x2E80) or (end < len(text) and ord(text[end]) >= 0x2E80)
    return "" if wide or start == 0 or end == len(text) else " "


def one_paragraph(text: str) -> str:
    """``text`` folded to one line, or a ``text_format`` error when it would be Markdown or HTML structure."""
    folded = _BREAK.sub(_join, text) if _BREAK.search(text) else text
    if _BLOCK_START.match(folded.lstrip()):
        raise PydanticCustomError("text_format", "文字不能以 “{char}” 开头（在 Markdown 中会成为标题或表格）",
                                  {"char": folded.lstrip()[0]})
    html = _HTML.search(folded)
    if html:
        raise PydanticCustomError("text_format", "文字中不能有 HTML 标记 “{mark}”（会成为文档的结构或注释）",
                                  {"mark": html.group()})
    return folded


def _texts(value: object) -> object:
    if isinstance(value, str):
        return one_paragraph(value)
    if isinstance(value, dict) and any(isinstance(v, str) for v in value.values()):
        return {k: one_paragraph(v) if isinstance(v, str) else v for k, v in value.items()}
    if isinstance(value, list) and any(isinstance(v, str) for v in value):
        return [one_paragraph(v) if isinstance(v, str) else v for v in value]
    return value


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
