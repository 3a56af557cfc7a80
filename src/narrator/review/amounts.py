"""Amounts and percentages as a text writes them: value, place, and how precise the print is.

Every number keeps its offset (so a finding can point at it) and half a unit of its last printed
digit (“11.8万元” stands for 11.75–11.85, “下降14%” for 13.5–14.5%), which the checks use to tell a
wrong result from a rounded one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .arith import Span, shown
from .phrasing import phrasing

_YUAN = re.compile(r"\d\s*元\s*$")   # 元 itself, not 万元 or 亿元
_INLINE_PRIOR = re.compile(r"(比|较)(上年度?|上年同期|去年)[ \u3000]*(\d+(?:\.\d+)?)[ \u3000]*(?=增加|减少|增长|下降)")


@dataclass(frozen=True)
class Number:
    """A number as written: its value (万元 or percentage points), where, and how precise."""

    value: Decimal
    kind: str                    # amount | percent
    text: str
    start: int
    end: int
    tolerance: Decimal           # half a unit of the last printed digit (in 万元 / points)


def _tolerance(fraction: str | None, factor: Decimal, least: int = 0) -> Decimal:
    """Half a unit of the last printed digit (of at least ``least`` decimals), times ``factor``."""
    places = max(len(fraction) - 1 if fraction else 0, least)
    return Decimal(5) / (Decimal(10) ** (places + 1)) * factor


def places_of(number: "Number") -> int:
    """How many decimals a number was printed with."""
    digits = re.search(r"\d+(?:\.(\d+))?", number.text.replace(",", "").replace("，", ""))
    return len(digits.group(1) or "") if digits else 0


def numbers_in(text: str, base: int = 0) -> list[Number]:
    """Every amount and percentage in ``text`` (offsets shifted by ``base``)."""
    p = phrasing()
    found = []
    for match in p.number.finditer(text):
        digits, fraction, unit = match.group(1), match.group(2), match.group(3)
        raw = Decimal(digits.replace(",", "").replace("，", "") + (fraction or ""))
        if unit in ("%", "％"):
            found.append(Number(raw, "percent", match.group(), base + match.start(), base + match.end(),
                                _tolerance(fraction, Decimal(1))))
        else:
            factor = p.units[unit]
            found.append(Number(raw * factor, "amount", match.group(), base + match.start(), base + match.end(),
                                _tolerance(fraction, factor)))
    for match in _INLINE_PRIOR.finditer(text):
        _, _, fraction = match.group(3).partition(".")
        value = Decimal(match.group(3))
        found.append(Number(value, "prior", match.group(3), base + match.start(3), base + match.end(3),
                            _tolerance("." + fraction if fraction else None, Decimal(1), 2)))
    return sorted(found, key=lambda n: n.start)


def span_of(number: Number) -> Span:
    """The values a printed number may stand for."""
    return Span.around(number.value, number.tolerance)


def abs_span(span: Span) -> Span:
    """The interval of |x|."""
    if span.low >= 0:
        return span
    if span.high <= 0:
        return span.negated()
    return Span(Decimal(0), max(-span.low, span.high))


def moved(point: Decimal, sign: str | None, yuan: bool = False) -> str:
    """A change as a message says it: 增加 1.00 / 减少 0.59 (just the size for an unsigned 差值);
    in 元 when ``yuan``."""
    size = shown(abs(point) * 10000) if yuan else shown(abs(point))
    if sign is None:
        return size
    return ("减少 " if point < 0 else "增加 ") + size


def in_yuan(*numbers: "Number | None") -> bool:
    """Whether the text writes these amounts in 元 (not 万元): a message then says them in 元 too."""
    written = [n for n in numbers if n is not None]
    return bool(written) and all(_YUAN.search(n.text) for n in written)


def shown_in(value: Decimal, yuan: bool) -> str:
    """An amount (kept in 万元) as a message shows it: in 元 when the text writes 元."""
    return shown(value * 10000) if yuan else shown(value)


def bare(number: Number) -> str:
    """A number as written, without its unit (an amount in 亿元 as its 万元, which messages say)."""
    if "亿" in number.text:
        return shown(number.value)
    return number.text.rstrip("%％万亿元 \u3000")


def signed_span(number: Number, sign: str | None) -> Span:
    """A change's interval with its direction: negative for “减少/下降”."""
    span = span_of(number)
    return span.negated() if sign == "down" else span
