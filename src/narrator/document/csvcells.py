"""CSV reports that a spreadsheet opens as data, never as formulas.

A department name or a message can carry text from a workbook cell (``=HYPERLINK(…)``); Excel
and LibreOffice run a CSV cell that starts with = + - @ (or a tab or carriage return before one)
as a formula. As OWASP recommends, such a text cell is written with a leading apostrophe, which
spreadsheets show as text and do not print.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> Any:
    """``cell`` as a spreadsheet will read it as text: “=1+1” becomes “'=1+1”; numbers are kept."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_text(header: list[str], rows: Iterable[list[Any]]) -> str:
    """CSV text with a BOM (so that Excel reads the Chinese as UTF-8), every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()
