"""Which column each printed amount of a row is in.

A row with a cell for every column is read in order. A PDF row drops its empty cells, so the
cells of a shorter row are tried in every order-keeping placement, and a cell gets a column only
when every placement under which the layout's sums hold puts it there. Which layout a table has
is chosen from its header words and its widest row.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from .tablecells import Cell, Entry
from .tablespec import Layout, Spec, key


def choose_layout(layouts: tuple[Layout, ...], header: str, widest: int) -> Layout | None:
    """The first layout whose match words are in the header and which has room for every row.

    A header over several lines is read line by line, so a label wrapped inside its cell
    (“政府性基金预 / 算”) comes apart: when no layout's words are found whole, words whose
    characters appear in order are taken.
    """
    for found in (lambda word: word in header, lambda word: _in_order(word, header)):
        for layout in layouts:
            if all(found(key(m)) for m in layout.match) and len(layout.columns) >= widest:
                return layout
    return None


def _in_order(word: str, text: str) -> bool:
    position = 0
    for char in word:
        position = text.find(char, position) + 1
        if not position:
            return False
    return True


def _fits(sums: list[tuple[int, list[int]]], positions: tuple[int, ...], cells: list[Cell]) -> bool:
    """Whether the cells, put in these columns (the others empty), add up as the layout's sums say."""
    placed = dict(zip(positions, cells))
    for total, parts in sums:
        printed = [placed[p] for p in parts if p in placed]
        whole = placed.get(total)
        difference = (whole.amount if whole else 0) - sum((c.amount for c in printed), Decimal(0))
        envelope = sum((_half(c.digits) for c in [*printed, *([whole] if whole else [])]), Decimal(0))
        if abs(difference) > envelope:
            return False
    return True


def _half(digits: int) -> Decimal:
    return Decimal(5).scaleb(-(digits + 1))


def place_cells(entry: Entry, layout: Layout | None, spec: Spec) -> None:
    """Give each cell its column.

    A row with a cell for every column is read in order. A PDF row drops its empty cells, so a
    shorter row's cells are tried in every order-keeping placement; a cell gets a column only
    when every placement under which the layout's sums hold puts it there.
    """
    entry.layout = layout
    if layout is None:
        return
    width = len(layout.columns)
    while len(entry.cells) > width and entry.cells[0] is None:
        entry.cells = entry.cells[1:]  # an empty text column (a total row's 项目名称) read as a cell
    if len(entry.cells) == width:
        entry.cells = [None if c is None else Cell(c.amount, c.digits, i) for i, c in enumerate(entry.cells)]
        entry.complete = True
        return
    printed = [c for c in entry.cells if c is not None]
    sums = layout.sums(spec.total_keys)
    placements = []
    if sums and len(printed) <= width:
        placements = [p for p in combinations(range(width), len(printed)) if _fits(sums, p, printed)]
    if placements:
        columns = [{p[i] for p in placements} for i in range(len(printed))]
        entry.cells = [Cell(c.amount, c.digits, next(iter(s)) if len(s) == 1 else None) for c, s in zip(printed, columns)]
        entry.complete = len(placements) == 1
    elif printed and layout.first_is_total(spec.total_keys):
        entry.cells = [Cell(printed[0].amount, printed[0].digits, 0), *printed[1:]]


def leading_trimmed(cells: list[Cell | None]) -> list[Cell | None]:
    first = next((i for i, c in enumerate(cells) if c is not None), len(cells))
    return cells[first:]
