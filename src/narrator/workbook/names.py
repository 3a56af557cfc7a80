"""The names a department's own tables print for each code (the first source of names).

The text uses the names the department printed; the figures file carries those that the
reference tables would not give (a different or newer name, or a code the reference lacks),
so that a figures file stays short when the tables agree with the reference.
"""

from __future__ import annotations

from ..classification import reference_entry
from .tables import TableData

#: The tables whose lines carry classification codes with their names.
_CODED = ("functional", "economic")


def table_names(tables: dict[str, TableData], year: int) -> dict[str, str]:
    """Code → printed name, for the codes whose printed name the reference would not give."""
    printed: dict[str, str] = {}
    for data in tables.values():
        if data.table.kind not in _CODED:
            continue
        for line in data.lines:
            if line.code and line.name and line.code not in printed:
                printed[line.code] = line.name
    names = {}
    for code in sorted(printed):
        found = reference_entry(code)
        if found is None or found[1].name_in(year) != printed[code]:
            names[code] = printed[code]
    return names
