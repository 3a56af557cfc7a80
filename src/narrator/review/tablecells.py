"""Cells of a table row as a reader gives them: amounts, code parts and names, split into subjects.

A PDF row may run two subjects together (a two-sided 收支总表, or a page whose rows the reader
joined into one line), glue an amount to the next name (“31,214,205.80 一、一般公共服务支出”)
or print a 款 part without its 0 (“301 2 津贴补贴”); these are read apart here, so that each run
of code parts, names and amounts is one subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..errors import Location
from ..numbers import ZERO_MARKS
from .tablespec import Layout, key, load_spec

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_CODE_PART = re.compile(r"^\d{2,3}$|^\d{5}$|^\d{7}$")
_CODE_NEXT = re.compile(r"^\d{1,2}$")
LEADING_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*(\D.*)$")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、．]\D|[(（][一二三四五六七八九十]+[)）])")
_CLEAR_AMOUNT = r"-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)"
# not “1 一般……” (a list number) nor “2025 年……” (a year)
_GLUED_BEFORE = re.compile(rf"^({_CLEAR_AMOUNT}|0|\d{{3,}})\s+(?![年月])(\D.*)$")
_GLUED_AFTER = re.compile(rf"^(.*\S)\s+({_CLEAR_AMOUNT})$")
_GLUED_CODE = re.compile(r"^(\d{2})\s+(\D.*)$")        # “201 06 01 行政运行” with one space before the name
_NUMBERS = re.compile(r"^-?[\d,]+(\.\d+)?(\s+-?[\d,]+(\.\d+)?)+$")


@dataclass(frozen=True)
class Cell:
    """One printed amount: in 万元, with its decimals in 万元; ``column`` when the header says which."""

    amount: Decimal
    digits: int
    column: int | None = None


@dataclass
class Entry:
    """One subject of a row (a row of a two-sided table holds two)."""

    subject: str                       # official or canonical name
    printed: str                       # the name as printed
    code: str | None
    kind: str                          # functional | economic | total | item | columns
    cells: list[Cell | None]           # None: an empty cell kept by the reader
    location: Location
    side: str = ""                     # income | spending in two-sided tables
    detail: str = ""                   # further text (a project's name)
    layout: Layout | None = None
    complete: bool = False             # every column's cell is known (printed or known empty)

    def cell(self, column: int) -> Cell | None:
        """The printed cell of a column, None when empty or not known."""
        for c in self.cells:
            if c is not None and c.column == column:
                return c
        return None

    def known(self, column: int) -> bool:
        """Whether this entry's amount in ``column`` is known (printed, or known to be empty)."""
        return self.complete or self.cell(column) is not None


def amount_cell(text: str, scale: Decimal) -> Cell | None:
    """The cell's amount, or None when the text is not an amount."""
    text = text.translate(_FULLWIDTH).replace(" ", "")
    if text in ZERO_MARKS and text:
        return Cell(Decimal(0), 2 + (4 if scale != 1 else 0))
    if not _AMOUNT.match(text):
        return None
    value = Decimal(text.replace(",", ""))
    digits = max(-value.as_tuple().exponent, 0) + (4 if scale != 1 else 0)
    return Cell(value * scale, digits)


def segments(cells: tuple[str, ...], scale: Decimal) -> list[tuple[list[str], list[str], list[Cell | None]]]:
    """The row split into (codes, texts, cells) runs: a text after amounts starts a new run."""
    runs: list[tuple[list[str], list[str], list[Cell | None]]] = []
    texts_of = [part for c in cells for part in _split_glued(c.strip())]
    for index, text in enumerate(texts_of):
        current = runs[-1] if runs else None
        if not text:
            if current is not None and (current[1] or current[2]):
                current[2].append(None)
            continue
        if current is not None and current[0] and not (current[1] or current[2]) and _CODE_NEXT.match(text):
            current[0].append(text.zfill(2))   # a 款 or 项 part, sometimes printed without its 0 (“301 2”)
            continue
        if _CODE_PART.match(text) and (current is None or not (current[1] or current[2])
                                       or (current[2] and _opens_code(texts_of, index, scale))):
            if current is None or current[1] or current[2]:
                runs.append(([], [], []))
            runs[-1][0].append(text)
            continue
        cell = amount_cell(text, scale)
        if cell is not None:
            if current is None:
                runs.append(([], [], []))
            runs[-1][2].append(cell)
        elif current is None or current[2] or (current[1] and _starts_item(text)):
            runs.append(([], [text], []))
        else:
            current[1].append(text)
    return runs


def _opens_code(tokens: list[str], index: int, scale: Decimal) -> bool:
    """Whether a 3/5/7-digit token after amounts begins the next subject rather than being an amount.

    It does when a name follows it (“… 1,102,300 | 206 | 科学技术支出”), or, for a 类 code, when
    a 款 part follows and then a 项 part or a name (“… 0 | 208 | 05 | 01 | 行政单位离退休”).
    """
    following = [t for t in tokens[index + 1:index + 4] if t]
    if not following:
        return False
    first = following[0]
    if not _CODE_PART.match(first) and amount_cell(first, scale) is None:
        return True
    if len(tokens[index]) != 3 or not re.fullmatch(r"\d{2}", first) or len(following) < 2:
        return False
    second = following[1]
    return bool(re.fullmatch(r"\d{2}", second)) or (not _CODE_PART.match(second) and amount_cell(second, scale) is None)


def _split_glued(text: str) -> list[str]:
    """A cell that a reader glued to its neighbour (“31,214,205.80 一、一般公共服务支出”), split again.

    Only an amount that cannot be part of a name (with a decimal point or thousands separators), or a
    two-digit code part before a name, is split off.
    """
    if _NUMBERS.match(text):
        return text.split()            # “0 208”: a cell never holds two numbers
    for pattern in (_GLUED_BEFORE, _GLUED_AFTER, _GLUED_CODE):
        glued = pattern.match(text)
        if glued:
            return [part for piece in glued.groups() for part in _split_glued(piece.strip())]
    return [text]


def _starts_item(text: str) -> bool:
    """A text that begins a new subject even right after another text: “208 …”, “二、…”, “支出总计”."""
    compact = re.sub(r"\s+", "", text)
    return bool(LEADING_CODE.match(text.strip()) or _ORDINAL.match(compact) or key(compact) in load_spec().total_keys)


def code_of(parts: list[str]) -> str | None:
    joined = "".join(parts)
    if not parts or len(joined) not in (3, 5, 7) or len(parts[0]) not in (3, 5, 7):
        return None
    return joined
