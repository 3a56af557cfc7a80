"""The value checks of a figures file, without pydantic: amounts, counts, codes and one-paragraph texts.

Shared by the validator of the render path (:mod:`narrator.intake.validator`) and the pydantic classes of
:mod:`narrator.intake.schema_types` (which the published JSON Schemas are made from), so both read a value
the same way and word its problem the same way.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..numbers import parse_amount, to_wan

#: Bounds on a figure: amounts below 10^12 万元 (a trillion 万元 is more than any budget), at most
#: 8 decimals (万元 to the 分 needs 6). Also what keeps Decimal arithmetic and the text's layout exact.
AMOUNT_LIMIT = Decimal(10) ** 12
MAX_DECIMALS = 8


def non_negative(value: object) -> Decimal:
    """A non-negative amount within bounds; ``ValueError`` with a Chinese message otherwise."""
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


def count(value: object) -> int:
    """A non-negative whole number (人、辆、台、个)."""
    amount = parse_amount(value)
    if amount < 0 or amount != amount.to_integral_value():
        raise ValueError(f"应为不小于 0 的整数：{value}")
    return int(amount)


def money(value: object, unit: str | None) -> Decimal:
    """A non-negative amount in 万元, converted from ``unit`` (``元``) when given."""
    amount = non_negative(value)
    if unit:
        amount = to_wan(amount, unit)
        if amount >= AMOUNT_LIMIT:
            raise ValueError(f"金额 “{value}”{unit} 过大：应小于 1,000,000,000,000 万元")
    return amount


def code_text(value: object) -> object:
    """A code written as a bare YAML number (2014004) read as the text it stands for."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class TextFormat(ValueError):
    """A text that would be Markdown or HTML structure: ``template`` filled from ``context``."""

    def __init__(self, template: str, context: dict[str, str]) -> None:
        super().__init__(template.format(**context))
        self.template, self.context = template, context


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
    """``text`` folded to one line, or :class:`TextFormat` when it would be Markdown or HTML structure."""
    folded = _BREAK.sub(_join, text) if _BREAK.search(text) else text
    if _BLOCK_START.match(folded.lstrip()):
        raise TextFormat("文字不能以 “{char}” 开头（在 Markdown 中会成为标题或表格）", {"char": folded.lstrip()[0]})
    html = _HTML.search(folded)
    if html:
        raise TextFormat("文字中不能有 HTML 标记 “{mark}”（会成为文档的结构或注释）", {"mark": html.group()})
    return folded


def texts(value: object) -> object:
    """A text, or the texts of a mapping or list, each folded to one paragraph (:func:`one_paragraph`)."""
    if isinstance(value, str):
        return one_paragraph(value)
    if isinstance(value, dict) and any(isinstance(v, str) for v in value.values()):
        return {k: one_paragraph(v) if isinstance(v, str) else v for k, v in value.items()}
    if isinstance(value, list) and any(isinstance(v, str) for v in value):
        return [one_paragraph(v) if isinstance(v, str) else v for v in value]
    return value
