"""``narrator import``: a workbook of the standard tables in, a figures file (YAML) out.

The library entry point is :func:`import_workbook`. Bad input — a file that is not a workbook,
a missing sheet, a header that is not where the layout says, a code or an amount that cannot
be read — raises :class:`~narrator.errors.NarratorError` naming sheet and cell (exit 2).
An optional sheet “说明” holds the texts a person writes (:mod:`narrator.workbook.notes`).
Tables that disagree with each other do not stop the import: they are returned as findings
(and listed at the top of the written file), because only a person can say which table is
right.
"""

from __future__ import annotations

import copy
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, Callable

from ..errors import Finding, Location, NarratorError
from ..intake.figures import LoadedFigures, load_figures_text
from ..text.formats import DEFAULT_FORMAT
from . import details
from .assemble import Assembler
from .emit import figures_text
from .layout import DEFAULT_LAYOUT, Layout, load_layout
from .notes import read_notes, unused_notes
from .prior import apply_keep, apply_prior, last_year
from ..loading.workbooklimits import check_workbook
from .names import table_names
from .tables import TableData, all_problems, read_table
from .xls import is_xls, open_xls

ZERO = Decimal(0)


@dataclass
class Imported:
    """The result of an import: the figures file's text, its validated form and the findings."""

    text: str
    figures: LoadedFigures
    findings: list[Finding] = field(default_factory=list)
    #: the figures tree the text was written from (plain dicts), and the writer that wrote it:
    #: a front end that fills in texts (the web page) writes the same file with them
    tree: dict[str, Any] = field(default_factory=dict)
    emit: Callable[[dict[str, Any]], str] | None = None


def open_workbook(path: Path | str) -> Any:
    """Open an .xlsx workbook: the values Excel saved, with the formulas kept aside for checks.

    An old .xls file (told by its content, whatever its extension) is read by :mod:`.xls` into the same form."""
    from openpyxl import load_workbook

    shown = str(path)
    if not Path(path).is_file():
        raise NarratorError.at(Location(shown), "file", "找不到文件")
    if is_xls(path):
        return open_xls(path)
    check_workbook(path, shown)
    try:
        # read from the bytes: openpyxl refuses a path by its extension (an .xlsx renamed .xls)
        data = Path(path).read_bytes()
        book = load_workbook(io.BytesIO(data), data_only=True)
        # Formulas too: a formula cell whose result was never saved reads as empty, and must not pass as 0.
        book.narrator_formulas = load_workbook(io.BytesIO(data), data_only=False)
        return book
    except Exception:  # noqa: BLE001 - openpyxl raises InvalidFileException, BadZipFile, KeyError …
        raise NarratorError.at(Location(shown), "not-a-workbook",
                               "不是可读取的 Excel 工作簿（.xlsx、.xls）；其他格式（如 WPS 的 .et）请先在 Excel 或 WPS 中另存为 .xlsx") from None


def read_tables(book: Any, layout: Layout, shown: str) -> tuple[dict[str, TableData], list[Finding]]:
    """Every table of the layout; missing required sheets and unreadable cells are errors."""
    tables: dict[str, TableData] = {}
    problems: list[Finding] = []
    for role, table in layout.tables.items():
        data = read_table(book, table, layout, shown)
        if data is not None and not table.required and any(p.rule == "header-missing" for p in data.sheet.problems):
            # an optional table left without its header (“本单位无政府性基金预算”): as if absent
            problems.extend(Finding(p.location, "warning", p.rule, p.message + "；此表已跳过")
                            for p in data.sheet.problems if p.rule == "header-missing")
            continue
        if data is None:
            if table.required:
                names = "、".join(ws.title for ws in book.worksheets)
                problems.append(Finding(Location(shown), "error", "sheet-missing",
                                        f"工作簿中找不到{table.display}：没有名为“{table.sheets[0]}”的工作表，"
                                        f"也没有标题为“{table.title}”的工作表（工作簿中的工作表：{names}）"))
            continue
        tables[role] = data
    problems.extend(all_problems(tables))
    return tables, problems


def _agreed(tables: dict[str, TableData], key: str, given: str | None, shown: str, what: str,
            findings: list[Finding]) -> str:
    """Department or year as written above the tables (the most common value), or as given."""
    if given:
        return given
    seen = Counter(t.meta[key] for t in tables.values() if t.meta.get(key))
    if not seen:
        option = "--year" if key == "year" else "--department"
        raise NarratorError.at(Location(shown), f"no-{key}", f"工作簿中找不到{what}，请用 {option} 指定")
    value, _ = seen.most_common(1)[0]
    for data in tables.values():
        if data.meta.get(key) and data.meta[key] != value:
            cell = data.meta.get(f"{key}_cell", "A1")
            findings.append(Finding(Location(shown), "warning", "meta-differs",
                                    f"工作表“{data.sheet.name}”{cell}：{what}是“{data.meta[key]}”，其他表是“{value}”"))
    return value


def assemble(tables: dict[str, TableData], layout: Layout, year: int, department: str,
             format_name: str | None = None) -> tuple[dict[str, Any], list[Finding]]:
    """The figures tree (plain dicts, Decimal amounts) and the cross-table findings."""
    asm = Assembler(tables, layout.splits, layout.final, layout.rest_source, format_name)
    parts = details.income_parts(asm, layout.income_parts)
    income = asm.income()
    details.side_income(asm, income)
    figures: dict[str, Any] = {
        "department": department, "year": year, "unit": "万元", "basis": layout.basis,
        "income": {key: {"amount": amount} for key, amount in income.items()},
        "expenditure": {"basic": {}, "project": {}},
        "general_budget": {"basic": {}, "project": {}},
        "functional": asm.functional(),
        "purposes": {},
    }
    details.general_budget(asm)
    figures["economic"] = details.economic(asm)
    figures["projects"] = details.projects(asm)
    figures["three_public"] = details.three_public(asm)
    figures["carryover"] = details.carryover(asm)
    details.overview(asm, income)
    figures["declared"] = {k: v for k, v in asm.declared.items() if not k.startswith("_")}
    figures["operating_costs"] = details.operating_costs(asm)
    figures["names"] = table_names(tables, year)
    figures.update(parts)
    return figures, asm.findings


def import_workbook(path: Path | str, *, layout_name: str = DEFAULT_LAYOUT, format_name: str | None = None,
                    year: int | None = None, department: str | None = None,
                    prior: Path | str | None = None, keep: Path | str | None = None,
                    output_name: str = "figures.yaml") -> Imported:
    """Read a workbook of the standard tables and return the figures file it holds.

    ``format_name`` defaults to the layout's ``format`` (the document its tables belong to)."""
    shown = str(path)
    layout = load_layout(layout_name)
    format_name = format_name or layout.format or DEFAULT_FORMAT
    last = last_year(prior, format_name, layout_name) if prior else None
    book = open_workbook(path)
    tables, problems = read_tables(book, layout, shown)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise NarratorError(errors)
    findings = [p for p in problems if p.level != "error"]
    the_year = int(_agreed(tables, "year", str(year) if year else None, shown, "预算年度（如标题中的“2025年”）", findings))
    the_department = _agreed(tables, "department", department, shown, "编制部门（如“编制部门：某某局”）", findings)
    figures, cross = assemble(tables, layout, the_year, the_department, format_name)
    figures["format"] = format_name  # which texts the 说明 sheet may hold depends on it
    findings.extend(cross)
    if last is not None:
        findings.extend(apply_prior(figures, last, the_year, str(prior)))
    if keep:
        findings.extend(apply_keep(figures, keep, use_priors=last is None, format_name=format_name))
    notes = read_notes(book, figures, shown)  # the 说明 sheet, if any: over what --keep brought
    emit = partial(figures_text, source=Path(shown).name, layout=layout, prior=prior, keep=keep,
                   findings=list(findings), format_name=format_name)
    tree = copy.deepcopy(figures)  # the writer fills in missing keys: the tree is kept as it was read
    text = emit(figures)
    loaded = load_figures_text(text, output_name, format_name)
    findings.extend(unused_notes(notes, loaded, format_name, shown))
    return Imported(text, loaded, findings, tree, emit)
