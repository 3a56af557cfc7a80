"""A shipped workbook layout with one change, imported: the errors as printed, and the changed line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from narrator.errors import NarratorError
from narrator.workbook.importer import import_workbook

LAYOUTS = Path(__file__).resolve().parent.parent / "rules" / "workbook-layouts"


def broken_layout(name: str, old: str, new: str, workbook: Path, folder: Path, **told: Any) -> tuple[list[str], str]:
    """The findings (``path:line:col: 级别 规则 消息``) of importing with ``old`` replaced by ``new``
    in layout ``name``, and ``path:line`` of the replaced text."""
    text = (LAYOUTS / f"{name}.yaml").read_text(encoding="utf-8")
    assert old in text
    bad = folder / "版式.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    first = new.split("\n")[0]
    line = next(i for i, t in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if first in t)
    with pytest.raises(NarratorError) as raised:
        import_workbook(workbook, layout_name=str(bad), **told)
    return [f.format() for f in raised.value.findings], f"{bad}:{line}"
