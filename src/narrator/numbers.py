"""Amounts in, text out: parsing written amounts and formatting them half up.

Arithmetic is exact ``Decimal`` everywhere; rounding (四舍五入, ROUND_HALF_UP) happens only
here, where a number becomes text. The decimal sign and grouping are those of babel's zh_CN
locale data (``#,##0.00``), kept here as constants: loading the locale data cost every cold
command some 20 ms, and tests/test_numbers.py checks the constants against babel. babel itself
rounds half-even; here every value is quantized half up before it is laid out.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


#: zh_CN's decimal sign, group sign and group size for ``#,##0.00`` — what Python's own ``,f``
#: format of a Decimal writes, which :func:`format_amount` uses (babel's
#: ``get_decimal_symbol("zh_CN")``, ``get_group_symbol("zh_CN")``, ``parse_pattern("#,##0.00").grouping[0]``).
DECIMAL_SYMBOL, GROUP_SYMBOL, GROUPING = ".", ",", 3
_QUANTUM = {places: Decimal(1).scaleb(-places) for places in (0, 1, 2)}


def rounding_tolerance(parts: int) -> Decimal:
    """How far a printed total of ``parts`` printed parts may be from their sum: (n + 1) × 0.005.

    Each printed figure (the total and every part) is within half a cent of its exact value, so
    their errors add up to at most (n + 1) half cents; with no parts the total alone is printed.
    """
    return (parts + 1) * _HALF_CENT


def format_amount(value: Decimal, places: int = 2) -> str:
    """An amount as printed in the text: “1,095.72”: ``value`` rounded half up to ``places``
    decimals, grouped (one call per printed amount: ~150 a document).

    babel's own ``NumberPattern.apply`` takes about 8 µs a number; a 第三部分 has some
    150 numbers and the batch target is 1 ms a document, so the grouping is applied here.
    """
    # (rounding passed by position: as a keyword, the call costs twice as much)
    rounded = value.quantize(_QUANTUM[places], ROUND_HALF_UP) if places in _QUANTUM \
        else half_up(value, places)
    # a quantized Decimal's str is plain notation (“-12.30”); it needs no grouping up to three
    # digits before the point (most shares, growths and small amounts), and is 3× cheaper than format
    text = str(rounded)
    point = text.find(".")
    if (len(text) if point < 0 else point) - (text[0] == "-") <= 3 and "E" not in text:
        return text[1:] if text[0] == "-" and rounded == 0 else text  # never print “-0.00”
    if rounded == 0:
        rounded = abs(rounded)
    # Python's own grouping of a Decimal (``,``: groups of three, ``.`` decimal sign) is
    # zh_CN's; checked against babel in the tests
    return format(rounded, ",f")


_AMOUNT_TEXTS: dict[str, str] = {}
_AMOUNT_TEXTS_MAX = 4096


def amount_text(value: Decimal) -> str:
    """:func:`format_amount` of a plain ``Decimal`` (two decimals), each value formatted once.

    A text prints the same totals in several sections, and zeros everywhere: a dictionary lookup
    is a tenth of formatting. The key is the value's own text (``str``): hashing a Decimal that is
    not whole costs about a microsecond, as much as formatting it, its text a twentieth of that;
    equal values written differently (1.5, 1.50) are two keys with the same text. The memory is
    emptied when full, so a long batch does not grow it.
    """
    key = str(value)
    text = _AMOUNT_TEXTS.get(key)
    if text is None:
        text = format_amount(value)
        if len(_AMOUNT_TEXTS) >= _AMOUNT_TEXTS_MAX:
            _AMOUNT_TEXTS.clear()
        _AMOUNT_TEXTS[key] = text
    return text


def format_count(value: Decimal | int) -> str:
    """A whole count (人、辆、台、个) as printed: no decimals."""
    return format_amount(Decimal(value), 0)


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


_NUMERAL_VALUES = {chinese_numeral(n): n for n in range(1, 100)}


def numeral_value(text: str) -> int | None:
    """An Arabic or Chinese numeral up to 99 as a number (“12”, “十二”, “两” → 12, 12, 2); None for others."""
    if text.isdigit():
        return int(text)
    return _NUMERAL_VALUES.get(text.replace("两", "二"))
