"""Amounts in, text out: parsing written amounts and formatting them half up.

Arithmetic is exact ``Decimal`` everywhere; rounding (四舍五入, ROUND_HALF_UP) happens only
here, where a number becomes text. Digits, the decimal sign and grouping come from babel's
zh_CN locale data; babel itself rounds half-even, so every value is quantized half up before
it is laid out.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol, parse_pattern

#: Written forms that mean “nothing here”: an empty table cell, a dash.
_HALF_CENT = Decimal("0.005")
ZERO_MARKS = {"", "—", "——", "-", "--", "－", "–", "/"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_amount(value: object) -> Decimal:
    """Read an amount as written in a figures file or a table cell.

    Accepts numbers, strings with thousands separators (“1,095.72”), full-width digits,
    and “—” or empty for zero. Raises ``ValueError`` with a Chinese message otherwise.
    """
    if isinstance(value, bool):
        raise ValueError("应为金额数字，不能是 true/false")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # only reachable from code, never from our YAML loader
        return Decimal(repr(value))
    if value is None:
        return Decimal(0)
    if isinstance(value, str):
        text = value.strip().translate(_FULLWIDTH).replace(" ", "")
        if text in ZERO_MARKS:
            return Decimal(0)
        if _GROUPED.match(text):
            text = text.replace(",", "")
        if _PLAIN.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid digits
                pass
        raise ValueError(f"“{value}” 不是金额数字（可写 1095.72、“1,095.72”，空白或“—”表示 0）")
    raise ValueError(f"应为金额数字，实际是 {type(value).__name__}")


#: How many 万元 one of each unit is. Amounts are kept in 万元, the unit of the text.
WAN_PER_UNIT = {"万元": Decimal(1), "元": Decimal("0.0001")}


def to_wan(amount: Decimal, unit: str) -> Decimal:
    """An amount written in ``unit`` (元 or 万元) in 万元, exactly: 2142000.55 元 is 214.200055 万元.

    Nothing is rounded here; the text rounds half up where it prints the amount.
    """
    return amount * WAN_PER_UNIT[unit]


def half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round half up to ``places`` decimals (四舍五入)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class NumberLayout:
    """Lays out already-rounded decimals with a babel locale's symbols and grouping.

    babel's own ``NumberPattern.apply`` takes about 8 µs a number; a 第三部分 has some
    150 numbers and the batch target is 1 ms a document, so the locale's symbols and the
    pattern's grouping are read from babel once and applied here.
    """

    def __init__(self, locale: str | Locale = "zh_CN", pattern: str = "#,##0.00") -> None:
        loc = locale if isinstance(locale, Locale) else Locale.parse(locale)
        parsed = parse_pattern(pattern)
        self.decimal_symbol = get_decimal_symbol(loc)
        self.group_symbol = get_group_symbol(loc)
        self.grouping = parsed.grouping[0]
        self.locale = loc

    def format(self, value: Decimal, places: int = 2) -> str:
        """``value`` rounded half up to ``places`` decimals, grouped, as text."""
        rounded = half_up(value, places)
        if rounded == 0:
            rounded = abs(rounded)  # never print “-0.00”
        sign = "-" if rounded < 0 else ""
        digits = f"{abs(rounded):f}"
        whole, _, fraction = digits.partition(".")
        if self.grouping and len(whole) > self.grouping:
            head = len(whole) % self.grouping or self.grouping
            parts = [whole[:head]] + [
                whole[i : i + self.grouping] for i in range(head, len(whole), self.grouping)
            ]
            whole = self.group_symbol.join(parts)
        return sign + whole + (self.decimal_symbol + fraction if fraction else "")


# zh_CN as Locale.parse("zh_CN") resolves it (zh_Hans_CN), built directly: parsing consults
# CLDR's likely-subtags table, which costs some 7 ms of every cold start.
_LAYOUT = NumberLayout(Locale("zh", territory="CN", script="Hans"))


def rounding_tolerance(parts: int) -> Decimal:
    """How far a printed total of ``parts`` printed parts may be from their sum: (n + 1) × 0.005.

    Each printed figure (the total and every part) is within half a cent of its exact value, so
    their errors add up to at most (n + 1) half cents; with no parts the total alone is printed.
    """
    return (parts + 1) * _HALF_CENT


def format_amount(value: Decimal, places: int = 2) -> str:
    """An amount as printed in the text: “1,095.72”."""
    return _LAYOUT.format(value, places)


def format_count(value: Decimal | int) -> str:
    """A whole count (人、辆、台、个) as printed: no decimals."""
    return _LAYOUT.format(Decimal(value), 0)


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (section numbers up to 99)."""
    if not 0 < number < 100:
        raise ValueError(f"章节序号应在 1 到 99 之间：{number}")
    tens, ones = divmod(number, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十"
    if ones:
        text += CHINESE_DIGITS[ones]
    return text
