"""Value types shared by the figures schema: amounts, counts, codes and the strict base model."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo

from .numbers import parse_amount, to_wan


def _non_negative(value: object) -> Decimal:
    amount = parse_amount(value)
    if amount < 0:
        raise ValueError(f"金额不能为负数：{value}")
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
    return to_wan(amount, unit) if unit else amount


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


class Strict(BaseModel):
    """A model that refuses unknown keys and never changes after validation."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)
