"""Amounts stated in the text against the document's own tables (rule ``table-amount``).

A claim is any object with ``subject``, ``code``, ``amount`` (万元, as written), ``role``
(``current`` or ``prior``), ``location`` and ``text``. It is compared with the rows of the tables
that hold its subject — by code when the text gives one, else by name — in the column of the
same role (this year's: the row's 合计/本年 amount; last year's: a 上年 column). The text may round
a table's amount (a table in 元, or with more decimals): the two agree when the more precise one,
rounded half up to the other's decimals, is the other. A text that cut the digits off instead
(87.708 written 87.70) is a warning, any other difference an error. A subject whose rows disagree
among themselves is ambiguous and left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from typing import Any

from ..errors import Finding
from ..numbers import format_amount, half_up
from .phrasing import PINYIN
from .tablecheck import check_tables, shown
from .tables import TableAmount, TableFacts, table_amounts

ROLES = {"current", "prior", "budget"}


def _digits(value: Decimal) -> int:
    return max(-value.as_tuple().exponent, 0)


def agree(a: Decimal, a_digits: int, b: Decimal, b_digits: int) -> bool:
    """Whether two printed amounts can be the same amount (the finer one rounds to the coarser)."""
    if a_digits >= b_digits:
        return half_up(a, b_digits) == b
    return half_up(b, a_digits) == a


def _readings(amount: TableAmount) -> list[tuple[Decimal, int]]:
    """The table amount in 万元; a table that did not say its unit may also be in 元."""
    readings = [(amount.amount, amount.digits)]
    if not amount.unit:
        readings.append((amount.amount / 10000, amount.digits + 4))
    return readings


def _matches(value: Decimal, amount: TableAmount) -> bool:
    return any(agree(v, d, value, _digits(value)) for v, d in _readings(amount))


def _consistent(amounts: list[TableAmount]) -> bool:
    first = amounts[0]
    return all(agree(first.amount, first.digits, a.amount, a.digits) for a in amounts[1:])


def _candidates(facts: TableFacts, claim: Any) -> list[TableAmount]:
    code = getattr(claim, "code", None)
    found = facts.lookup(code=code) if code else facts.lookup(subject_name=claim.subject)
    if not found and not code and getattr(claim, "key", ""):
        found = facts.lookup(subject_name=claim.key)
    return [a for a in found if a.main and a.role == claim.role]


def _place(amount: TableAmount) -> str:
    where = amount.location
    if where.page:
        return f"（表在第 {where.page} 页第 {where.line} 行）"
    return f"（表在第 {where.line} 行）" if where.line else ""


def _message(claim: Any, amount: TableAmount) -> str:
    value = Decimal(claim.amount)
    written = f"{format_amount(value, _digits(value))} 万元"
    row = f"{amount.code} {amount.subject}" if amount.code else amount.subject
    table_value = shown(amount.amount, amount.digits, amount.unit)
    if amount.unit == "元":
        table_value += f"（即 {format_amount(amount.amount, _digits(value))} 万元）"
    year = {"prior": "上年", "budget": "预算"}.get(claim.role, "")
    table = PINYIN.sub("", amount.table.strip())
    return (f"正文中{year}{claim.subject} {written}{getattr(claim, 'note', '')}，与表“{table}”{row} {amount.column} "
            f"{table_value} 不一致{_place(amount)}")


def check_text_amounts(facts: TableFacts, claims: Iterable[Any]) -> list[Finding]:
    """``table-amount`` errors: amounts in the text that differ from the one table row of their subject."""
    findings = []
    for claim in claims:
        if getattr(claim, "role", None) not in ROLES or claim.amount is None:
            continue
        candidates = _candidates(facts, claim)
        if not candidates or not _consistent(candidates):
            continue
        value = Decimal(claim.amount)
        if any(_matches(value, a) for a in candidates):
            continue
        best = max(candidates, key=lambda a: a.digits)
        if any(_truncated(value, a) for a in candidates):
            message = _message(claim, best) + f"：正文是截去尾数所得，四舍五入应为 {_rounded(value, best)} 万元"
            findings.append(Finding(claim.location, "warning", "table-amount", message))
        else:
            findings.append(Finding(claim.location, "error", "table-amount", _message(claim, best)))
    return findings


def _truncated(value: Decimal, amount: TableAmount) -> bool:
    """Whether the text cut the table's finer amount short instead of rounding it (87.708 → 87.70)."""
    digits = _digits(value)
    return any(d > digits and v.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_DOWN) == value
               for v, d in _readings(amount))


def _rounded(value: Decimal, amount: TableAmount) -> str:
    return format_amount(amount.amount, _digits(value))


def review_tables(tables: Iterable[Any], claims: Iterable[Any] = (), year: int | None = None,
                  facts: TableFacts | None = None) -> tuple[TableFacts, list[Finding]]:
    """A document's tables read and checked in one call: the facts (read here unless the caller
    read them already), and the findings of the tables themselves (``table-total``,
    ``table-columns``, ``table-consistency``, ``table-name`` for the budget ``year``, the
    comparison tables' ``table-change`` and the like) and of the text's claims against them
    (``table-amount``)."""
    from .tablecompare import check_comparisons
    from .tablenames import check_table_names

    tables = list(tables)
    facts = facts if facts is not None else table_amounts(tables)
    return facts, (check_tables(facts) + check_table_names(facts, year) + check_text_amounts(facts, claims)
                   + check_comparisons(tables))
