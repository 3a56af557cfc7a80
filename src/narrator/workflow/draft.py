"""A clerk's draft: an imported workbook, the texts a person types, and the text they give.

The web page's draft (``narrator serve``) is this module: the same import as ``narrator import``,
the same rows as the 说明 sheet of ``narrator form`` (one field per row), and for any set of typed
texts the same figures file ``narrator import`` would write with them in the sheet, and from it
the same gate, render and explanation as ``check``, ``render`` and ``explain``. Nothing here knows
about HTTP; the web layer only turns requests into calls of :class:`Draft`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import Finding, Location, NarratorError
from ..text.explain import Explained, explain_figures
from ..intake.figures import LoadedFigures, load_figures_text
from ..text.formats import DEFAULT_FORMAT
from ..checks.gate import Gate, examine, finding_order
from ..workbook.form import rows_to_fill
from ..workbook.importer import Imported, import_workbook
from ..workbook.layout import DEFAULT_LAYOUT
from ..workbook.slots import Slot, catalogue, clean_text
from ..workbook.wanted import Wanted, wanted_texts

FIGURES_NAME = "figures.yaml"
TEXT_NAME = "第三部分.md"
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Field:
    """One text a person writes: a row of the 说明 sheet, numbered in the order of the text."""

    number: int
    table: str
    key: str
    name: str
    label: str
    most: int                    # the longest text the sheet accepts
    required: bool | None        # the text cannot do without it (None: not known, figures incomplete)
    amounts: tuple[Decimal | None, Decimal | None, Decimal | None]   # this year, last year, change
    text: str                    # as imported (from the workbook's own 说明 sheet), or ""
    records: tuple[str, ...]
    item: str                    # the figures field (reason, purpose, basis …)


@dataclass
class Preview:
    """What one set of typed texts gives: the figures file, its findings, and the text if it can be written."""

    figures_text: str
    gate: Gate
    lint: list[Finding] = field(default_factory=list)
    explained: list[Explained] = field(default_factory=list)
    fields_of: dict[int, int] = field(default_factory=dict)   # index in :attr:`findings` → field number

    @property
    def markdown(self) -> str | None:
        """The rendered text (Markdown), None when the figures cannot be written as text."""
        return self.gate.rendered.text if self.gate.rendered is not None else None

    @property
    def findings(self) -> list[Finding]:
        """The gate's findings about the figures, then the lint's about the text."""
        return [*self.gate.findings, *self.lint]


def record_parts(record: str) -> tuple[Any, ...]:
    """``functional[3]`` → ``("functional", 3)``; ``income.general`` → ``("income", "general")``."""
    return tuple(int(index) if index else name for name, index in _PATH_PART.findall(record))


class Draft:
    """An imported workbook and the fields a person fills in."""

    def __init__(self, imported: Imported, format_name: str = DEFAULT_FORMAT) -> None:
        if imported.emit is None:
            raise ValueError("the import must carry its figures tree and writer")
        self.imported = imported
        self.format_name = format_name
        loaded = imported.figures
        tree = loaded.model.model_dump(mode="python")
        try:
            wanted: Wanted | None = wanted_texts(loaded, format_name)
        except NarratorError:
            wanted = None   # the figures cannot be rendered yet: the gate says why, every row is offered
        slots = rows_to_fill(catalogue(tree), wanted, tree)
        self.fields = [self._field(number, slot, wanted) for number, slot in enumerate(slots, 1)]

    @staticmethod
    def _field(number: int, slot: Slot, wanted: Wanted | None) -> Field:
        required = wanted.required(slot.records, slot.item.field) if wanted is not None else None
        amounts = wanted.amounts(slot.records[0]) if wanted is not None else (None, None, None)
        return Field(number, slot.table, slot.key, slot.name, slot.item.label, slot.item.max, required, amounts,
                     slot.text or "", slot.records, slot.item.field)

    def initial_texts(self) -> dict[int, str]:
        """The texts the workbook brought (its 说明 sheet), by field number."""
        return {f.number: f.text for f in self.fields if f.text}

    def figures_text(self, texts: dict[int, str]) -> str:
        """The figures file ``narrator import`` writes when the 说明 sheet holds ``texts``."""
        tree = copy.deepcopy(self.imported.tree)
        slots = {s.ident: s for s in catalogue(tree)}
        for one in self.fields:
            slot = slots.get((one.table, one.key, one.label))
            if slot is None:
                slot = next(s for s in slots.values() if s.records == one.records and s.item.field == one.item)
            typed = clean_text(texts.get(one.number, ""), slot.item)
            _put(slot, typed)
        return self.imported.emit(tree)  # type: ignore[misc]

    def preview(self, texts: dict[int, str], full: bool = True) -> Preview:
        """The figures file with ``texts`` and its gate (its findings and the rendered text); when
        ``full``, also the lint of the text and every number's source (four times the work: a page
        asks for them once the typing pauses). A figures file that does not load (a text breaks
        the schema) raises :class:`NarratorError` with the findings."""
        from ..lint import lint_text

        text = self.figures_text(texts)
        loaded = load_figures_text(text, FIGURES_NAME, self.format_name)
        gate = examine(loaded, self.format_name)
        preview = Preview(text, gate)
        if gate.rendered is not None and full:
            preview.lint = lint_text(gate.rendered.text, TEXT_NAME, loaded, gate.format.name).findings
            preview.explained = explain_figures(loaded, gate.format.name, "md")[1]
        preview.fields_of = self._fields_of(preview.findings, loaded)
        return preview

    def _fields_of(self, findings: list[Finding], loaded: LoadedFigures) -> dict[int, int]:
        """Which field a finding is about: the one whose text is the figure it names, else the one
        whose record (or its text) is where the finding is."""
        figures: dict[str, int] = {}
        places: dict[tuple[int, int], int] = {}
        for one in self.fields:
            for record in one.records:
                figures.setdefault(f"{record}.{one.item}", one.number)
                parts = record_parts(record)
                if parts and parts[0] == "classes":
                    parts = ("purposes", str(parts[1]))
                for where in (parts + (one.item,), parts):
                    loc = _located(loaded, where)
                    if loc is not None:
                        places.setdefault((loc.line, loc.column), one.number)
        found = {}
        for index, finding in enumerate(findings):
            if finding.figure in figures:
                found[index] = figures[finding.figure]
            elif finding.location.path == FIGURES_NAME and (finding.location.line, finding.location.column) in places:
                found[index] = places[(finding.location.line, finding.location.column)]
        return found


def _located(loaded: LoadedFigures, parts: tuple[Any, ...]) -> Location | None:
    try:
        loc = loaded.locate(*parts)
    except (KeyError, IndexError, TypeError):
        return None
    return loc if loc.line else None


def _put(slot: Slot, text: str) -> None:
    """Write a typed text into the tree, or take an emptied one out (as if never written)."""
    if text:
        slot.write(text)
        return
    for target in slot.targets:
        if slot.kind == "classes":
            target.pop(slot.key, None)      # purposes: a 类 without one is simply not listed
        elif target.get(slot.item.field) is not None:
            target[slot.item.field] = None  # the writer prints an empty field for the clerk to fill
    slot.text = None


def start_draft(workbook: Path | str, prior: Path | str | None = None, format_name: str | None = None,
                names: dict[str, str] | None = None,
                layout_name: str = DEFAULT_LAYOUT) -> tuple[Draft, list[Finding]]:
    """Import a workbook (with last year's figures or workbook) as ``narrator import`` does; the
    draft and the import's findings, their files named as ``names`` says (stored path → the name
    the person knows the file by). The tables are read by the layout ``layout_name``; the document
    format is ``format_name``, else the layout's. A file that cannot be imported raises
    :class:`NarratorError`, its findings renamed the same way."""
    names = names or {}
    try:
        imported = import_workbook(workbook, layout_name=layout_name, format_name=format_name, prior=prior,
                                   output_name=FIGURES_NAME)
    except NarratorError as error:
        raise NarratorError([renamed(f, names) for f in error.findings]) from None
    findings = [renamed(f, names) for f in sorted(imported.findings, key=finding_order)]
    return Draft(imported, imported.figures.format_name or format_name or DEFAULT_FORMAT), findings


def renamed(finding: Finding, names: dict[str, str]) -> Finding:
    """``finding`` placed in the file named ``names[path]`` (a stored upload → the name its owner knows)."""
    loc = finding.location
    if not names.get(loc.path):
        return finding
    return replace(finding, location=replace(loc, path=names[loc.path]))
