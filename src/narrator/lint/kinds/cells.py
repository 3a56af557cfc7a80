"""The cells of the tables a reader took out of a text, for rules that also read them.

A review reads a PDF's or Word file's tables apart from the prose: a 绩效 form keeps its text in
cells (“评价结论 | 结合自评情况，说明……（200字以内）”), where the line rules never look. Rules
with ``table_cells: true`` read each cell with this, and report at the cell's own place.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any


def table_cells(context: Any) -> Iterator[tuple[Any, str]]:
    """Each cell of the document's tables: a place to report at (``context.finding_at``) and its text."""
    for table in context.tables:
        for row in table.rows:
            for index, cell in enumerate(row.cells):
                if cell:
                    yield SimpleNamespace(location=row.cell_location(index)), cell
