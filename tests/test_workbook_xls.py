""".xls import: old Excel files read through the same sheet reading as .xlsx.

The .xls files are written at test time from the workbooks ``workbook_maker`` builds, with xlwt
(unmaintained, but the only writer of the BIFF8 format on PyPI; a test dependency only):
values, merged areas and number formats are copied cell by cell, as Excel's “save as .xls” keeps
them. The import of the .xls must then give the very file the .xlsx gives.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import xlwt
from openpyxl.cell.cell import MergedCell

from narrator.errors import NarratorError
from narrator.text.render import render_figures, render_file
from narrator.workbook.importer import import_workbook

from .conftest import EXAMPLE, FIXTURES, run
from .workbook_maker import Style, make_workbook, save

PRIOR = FIXTURES / "atushi-2024.yaml"


def save_xls(book, path: Path) -> None:
    """Write an openpyxl workbook as .xls: values, merged areas, number formats."""
    target = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, xlwt.XFStyle] = {}
    for ws in book.worksheets:
        sheet = target.add_sheet(ws.title, cell_overwrite_ok=True)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell) or cell.value is None:
                    continue
                fmt = cell.number_format or "General"
                if fmt not in styles:
                    styles[fmt] = xlwt.easyxf(num_format_str=fmt)
                sheet.write(cell.row - 1, cell.column - 1, cell.value, styles[fmt])
        for area in ws.merged_cells.ranges:
            sheet.merge(area.min_row - 1, area.max_row - 1, area.min_col - 1, area.max_col - 1)
    target.save(str(path))


def both(tmp_path: Path, style: Style | None = None, change=None) -> tuple[Path, Path]:
    """The same workbook saved as 预算公开表.xlsx and 预算公开表.xls."""
    book = make_workbook(EXAMPLE, style)
    if change is not None:
        change(book)
    xlsx, xls = tmp_path / "预算公开表.xlsx", tmp_path / "预算公开表.xls"
    save(book, xlsx)
    save_xls(book, xls)
    return xlsx, xls


@pytest.mark.parametrize("style", [Style(), Style(joined_codes=True), Style(text_numbers=True, dash_blanks=True)],
                         ids=["split-codes", "joined-codes", "text-numbers-and-dashes"])
def test_xls_imports_to_the_same_file_as_xlsx(tmp_path: Path, style: Style) -> None:
    xlsx, xls = both(tmp_path, style)
    assert xls.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    from_xlsx = import_workbook(xlsx, prior=PRIOR)
    from_xls = import_workbook(xls, prior=PRIOR)
    assert from_xls.text == from_xlsx.text.replace("预算公开表.xlsx", "预算公开表.xls")
    assert [f.format() for f in from_xls.findings] == [f.format() for f in from_xlsx.findings]
    kept = import_workbook(xls, prior=PRIOR, keep=EXAMPLE)
    assert render_figures(kept.figures).text == render_file(EXAMPLE).text


def test_number_format_of_an_xls_cell_decides_the_decimals(tmp_path: Path) -> None:
    def unrounded(book):
        book["表6"]["D9"].value = 41.0264
        book["表6"]["D9"].number_format = "0.00"
    _, xls = both(tmp_path, change=unrounded)
    assert import_workbook(xls).figures.model.economic["30101"] == Decimal("41.03")


def test_bad_cells_of_an_xls_are_reported_at_their_cell(tmp_path: Path) -> None:
    _, xls = both(tmp_path, change=lambda book: book["表3"].cell(12, 5, "一百"))
    with pytest.raises(NarratorError) as caught:
        import_workbook(xls)
    assert [f.format() for f in caught.value.findings] == [
        f"{xls}:12:5: 错误 not-a-number 工作表“表3”E12：“一百” 不是金额数字（可写 1095.72、“1,095.72”，空白或“—”表示 0）"]


def test_cli_imports_an_xls(runner, tmp_path: Path) -> None:
    xlsx, xls = both(tmp_path)
    for source, output in ((xlsx, "from-xlsx.yaml"), (xls, "from-xls.yaml")):
        result = run(runner, "import", str(source), "--prior", str(PRIOR), "-o", str(tmp_path / output))
        assert result.exit_code == 0, result.output
    from_xlsx = (tmp_path / "from-xlsx.yaml").read_text(encoding="utf-8")
    assert "预算公开表.xlsx" in from_xlsx
    assert (tmp_path / "from-xls.yaml").read_text(encoding="utf-8") == from_xlsx.replace("预算公开表.xlsx", "预算公开表.xls")


def test_file_type_is_told_by_content_not_extension(tmp_path: Path) -> None:
    xlsx, xls = both(tmp_path)
    renamed_xlsx, renamed_xls = tmp_path / "改名.xls", tmp_path / "改名.xlsx"
    renamed_xlsx.write_bytes(xlsx.read_bytes())
    renamed_xls.write_bytes(xls.read_bytes())
    expected = import_workbook(xlsx).text.replace("预算公开表.xlsx", "")
    assert import_workbook(renamed_xlsx).text.replace("改名.xls", "") == expected
    assert import_workbook(renamed_xls).text.replace("改名.xlsx", "") == expected


def test_damaged_xls_is_bad_input(runner, tmp_path: Path) -> None:
    path = tmp_path / "坏.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    result = run(runner, "import", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"{path}:0:0: 错误 not-a-workbook 不是可读取的 Excel 工作簿（.xls 文件已损坏或加了密码）；"
                             "请在 Excel 或 WPS 中打开、另存为 .xlsx 后再导入\n")
