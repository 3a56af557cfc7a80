"""Interval arithmetic on printed numbers: is a written result within rounding of the truth?

A number printed with two decimals stands for anything within ±0.005 of it (domain.md); a result
computed from printed numbers is therefore an interval, and a written result is wrong only when
its own interval does not meet that one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..numbers import half_up

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Span:
    """A closed interval [low, high]."""

    low: Decimal
    high: Decimal

    @classmethod
    def around(cls, value: Decimal, tolerance: Decimal) -> "Span":
        """The values a printed ``value`` may stand for."""
        return cls(value - tolerance, value + tolerance)

    @property
    def middle(self) -> Decimal:
        """The printed value itself (for messages)."""
        return (self.low + self.high) / 2

    def __sub__(self, other: "Span") -> "Span":
        return Span(self.low - other.high, self.high - other.low)

    def __add__(self, other: "Span") -> "Span":
        return Span(self.low + other.low, self.high + other.high)

    def negated(self) -> "Span":
        """The interval of −x."""
        return Span(-self.high, -self.low)

    def meets(self, other: "Span") -> bool:
        """Whether the two intervals overlap."""
        return self.low <= other.high and other.low <= self.high

    def narrowed(self, other: "Span") -> "Span":
        """The part of this interval that ``other`` holds too (this one when they do not meet)."""
        if not self.meets(other):
            return self
        return Span(max(self.low, other.low), min(self.high, other.high))

    def contains_zero(self) -> bool:
        """Whether 0 lies in the interval."""
        return self.low <= 0 <= self.high


def ratio(part: Span, whole: Span) -> Span | None:
    """part ÷ whole × 100 as an interval; None when the whole may be zero or negative."""
    if whole.low <= 0:
        return None
    corners = [p / w * HUNDRED for p in (part.low, part.high) for w in (whole.low, whole.high)]
    return Span(min(corners), max(corners))


def shown(value: Decimal, places: int = 2) -> str:
    """A computed value as a message shows it: half up, two decimals."""
    return f"{half_up(value, places):,.{places}f}"
