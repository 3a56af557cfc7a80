"""narrator import: workbooks of the 11 standard tables (made by tests/workbook_maker.py) in.

What comes from where in the round trip: every amount of this year comes from the workbook;
last year's amounts (prior) from tests/fixtures/atushi-2024.yaml via --prior (a 2024 file
constructed from the priors of the 2025 example); the texts a person writes (reasons, purposes,
project details, carryover purposes) and the figures that are in no table (procurement, assets,
performance, the non-fiscal project 2024 年实有资金结余) from the example itself via --keep.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from narrator.cli import app
from narrator.errors import NarratorError
from narrator.intake.figures import load_figures
from narrator.text.render import render_figures, render_file
from narrator.workbook.importer import import_workbook
from .workbook_maker import Style, make_workbook, save

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"
PRIOR = ROOT / "tests" / "fixtures" / "atushi-2024.yaml"
CHECKED_IN = ROOT / "tests" / "fixtures" / "atushi-2025.xlsx"


def workbook(tmp_path: Path, style: Style | None = None, change=None) -> Path:
    book = make_workbook(EXAMPLE, style)
    if change is not None:
        change(book)
    path = tmp_path / "预算公开表.xlsx"
    save(book, path)
    return path


def errors_of(path: Path, **options) -> str:
    with pytest.raises(NarratorError) as caught:
        import_workbook(path, **options)
    return str(caught.value)


# -- round trip --------------------------------------------------------------------------

def test_checked_in_workbook_round_trips_to_the_same_text():
    imported = import_workbook(CHECKED_IN, prior=PRIOR, keep=EXAMPLE)
    assert imported.findings == []
    assert render_figures(imported.figures).text == render_file(EXAMPLE).text


@pytest.mark.parametrize("style", [Style(), Style(joined_codes=True), Style(text_numbers=True, dash_blanks=True)],
                         ids=["split-codes", "joined-codes", "text-numbers-and-dashes"])
def test_workbook_variants_round_trip(tmp_path, style):
    imported = import_workbook(workbook(tmp_path, style), prior=PRIOR, keep=EXAMPLE)
    assert [f.format() for f in imported.findings] == []
    assert render_figures(imported.figures).text == render_file(EXAMPLE).text


def test_table_figures_come_from_the_workbook_alone():
    """Without --keep the amounts are the example's; the human texts are blank, not invented."""
    model = import_workbook(CHECKED_IN, prior=PRIOR).figures.model
    example = load_figures(EXAMPLE).model
    assert model.department == "阿图什市信访局" and model.year == 2025
    assert model.income == example.income.model_copy(update={
        k: getattr(example.income, k).model_copy(update={"reason": None})
        for k in ("general", "unit", "carryover")})
    assert [(i.code, i.basic, i.project, i.prior) for i in model.functional] == \
           [(i.code, i.basic, i.project, i.prior) for i in example.functional]
    assert all(i.reason is None for i in model.functional)
    assert model.economic == example.economic
    assert [(p.name, p.code, p.amount, p.economic) for p in model.projects] == \
           [(p.name, p.code, p.amount, p.economic) for p in example.projects if p.source == "general"]
    assert all(p.basis is None and p.allocation is None for p in model.projects)
    assert [(c.name, c.amount, c.fiscal) for c in model.carryover] == \
           [(c.name, c.amount, c.fiscal) for c in example.carryover]
    assert {k: (v.amount, v.prior) for k, v in model.three_public} == \
           {k: (v.amount, v.prior) for k, v in example.three_public}
    assert model.operating_costs.prior == example.operating_costs.prior
    assert model.expenditure.basic.prior == Decimal("226.85")
    assert model.general_budget.project.prior == Decimal("28.00")
    # the printed totals that differ from the sum of their 项 (尾差) are declared as printed
    assert {k: model.declared[k] for k in example.declared} == example.declared
    assert model.purposes == {} and model.procurement.goods == 0


def test_without_prior_the_priors_are_left_for_a_person(tmp_path):
    imported = import_workbook(CHECKED_IN)
    model = imported.figures.model
    assert model.income.general.prior is None and model.income.general.amount == Decimal("214.20")
    assert all(i.prior is None for i in model.functional if i.code != "2013299")
    assert "prior（上年数）空着的请填写" in imported.text
    assert '#  "201": 我单位……支出' in imported.text  # purposes suggested, not invented


# -- bad input: named sheet and cell, exit 2 -----------------------------------------------

def test_missing_sheet(tmp_path):
    path = workbook(tmp_path, change=lambda book: book.remove(book["表3"]))
    message = errors_of(path)
    assert "sheet-missing 工作簿中找不到表3（部门支出总体情况表）" in message
    assert "工作簿中的工作表：表1、表2、表4" in message


def test_missing_optional_sheet_only_skips_its_checks(tmp_path):
    path = workbook(tmp_path, change=lambda book: book.remove(book["表1"]))
    assert render_figures(import_workbook(path, prior=PRIOR, keep=EXAMPLE).figures).text == render_file(EXAMPLE).text


def test_rows_inserted_above_the_header_are_read(tmp_path):
    path = workbook(tmp_path, change=lambda book: book["表2"].insert_rows(1, 3))
    assert import_workbook(path, prior=PRIOR).figures.model == import_workbook(CHECKED_IN, prior=PRIOR).figures.model


def test_header_pushed_out_of_place(tmp_path):
    path = workbook(tmp_path, change=lambda book: book["表5"].insert_rows(1, 15))
    assert "工作表“表5”A1：前 15 行中找不到表头“功能分类科目名称”" in errors_of(path)


def test_header_shifted_against_the_data(tmp_path):
    def shift(book):
        ws = book["表3"]
        for merged in list(ws.merged_cells.ranges):
            if merged.min_row >= 4:
                ws.unmerge_cells(str(merged))
        for row in (4, 5, 6):
            values = [ws.cell(row, c).value for c in range(1, 8)]
            for c, value in enumerate(values, start=2):
                ws.cell(row, c, value)
            ws.cell(row, 1).value = None
    message = errors_of(workbook(tmp_path, change=shift))
    assert "工作表“表3”D7：“总计” 不是科目编码（应为数字）；表头“项”在 工作表“表3”D5，表头与数据可能错位" \
        in message


def test_non_numeric_cell(tmp_path):
    path = workbook(tmp_path, change=lambda book: book["表5"].cell(9, 5, "约6万"))
    message = errors_of(path)
    assert f"{path}:9:5: 错误 not-a-number 工作表“表5”E9：“约6万” 不是金额数字" in message


def test_all_bad_cells_are_reported_at_once(tmp_path):
    def spoil(book):
        book["表5"].cell(9, 5, "约6万")
        book["表6"].cell(9, 4, "n/a")
    message = errors_of(workbook(tmp_path, change=spoil))
    assert "工作表“表5”E9" in message and "工作表“表6”D9" in message


# -- tables that disagree: reported, not merged ----------------------------------------------

def test_tables_that_disagree_are_reported_with_both_cells(tmp_path):
    path = workbook(tmp_path, change=lambda book: book["表3"].cell(12, 5, 168.00))
    imported = import_workbook(path)
    messages = [f.format() for f in imported.findings]
    assert any("工作表“表2”E12：科目 2014004 信访业务 的支出合计为 168.63，而工作表“表3”E12为 168.00" in m
               for m in messages), messages
    assert "# 注意：导入时发现以下问题" in imported.text


def test_general_budget_against_income_table(tmp_path):
    path = workbook(tmp_path, change=lambda book: book["表5"].cell(17, 5, 7.00))
    messages = [f.message for f in import_workbook(path).findings]
    assert any(m.startswith("工作表“表5”E17：科目 2101101 行政单位医疗 的一般公共预算支出为 7.00，而工作表“表2”G") for m in messages)


# -- cells as Excel stores them ---------------------------------------------------------------

def test_unrounded_number_is_read_as_displayed(tmp_path):
    def unrounded(book):
        cell = book["表6"]["D9"]
        cell.value = 41.0264
        cell.number_format = "0.00"
    model = import_workbook(workbook(tmp_path, change=unrounded)).figures.model
    assert model.economic["30101"] == Decimal("41.03")


def test_amounts_in_yuan_are_converted(tmp_path):
    def yuan(book):
        ws = book["表6"]
        ws["F3"] = "单位：元"
        ws["D9"] = 410300
    model = import_workbook(workbook(tmp_path, change=yuan)).figures.model
    assert model.economic["30101"] == Decimal("41.03")


def test_year_from_option_when_titles_have_none(tmp_path):
    path = workbook(tmp_path, Style(year_in_title=False))
    assert "no-year 工作簿中找不到预算年度" in errors_of(path)
    assert import_workbook(path, year=2025).figures.model.year == 2025


# -- the layout is data ------------------------------------------------------------------------

def test_another_layout_needs_no_code(tmp_path):
    data = yaml.safe_load((ROOT / "rules" / "workbook-layouts" / "xinjiang-2025.yaml").read_text(encoding="utf-8"))
    income = data["tables"]["income"]
    income.update(sheets=["收入表"], anchor="支出科目")
    income["columns"]["name"] = ["支出科目"]
    layout = tmp_path / "other.yaml"
    layout.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def rename(book):
        book["表2"].title = "收入表"
        book["收入表"]["D4"] = "支出科目"
        book["收入表"]["A2"] = "收入"
    path = workbook(tmp_path, change=rename)
    assert "找不到表2" in errors_of(path)
    assert import_workbook(path, layout_name=str(layout), prior=PRIOR).figures.model.income.general.amount == \
        Decimal("214.20")


# -- the command --------------------------------------------------------------------------------

def test_cli_import_writes_the_file_and_protects_it(tmp_path):
    runner = CliRunner()
    out = tmp_path / "figures.yaml"
    result = runner.invoke(app, ["import", str(CHECKED_IN), "--prior", str(PRIOR), "--keep", str(EXAMPLE),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert render_file(out).text == render_file(EXAMPLE).text
    again = runner.invoke(app, ["import", str(CHECKED_IN), "-o", str(out)])
    assert again.exit_code == 2 and "file-exists" in again.output
    reimport = runner.invoke(app, ["import", str(CHECKED_IN), "--prior", str(PRIOR), "--keep", str(out), "-o", str(out)])
    assert reimport.exit_code == 0, reimport.output
    assert render_file(out).text == render_file(EXAMPLE).text


def test_cli_import_bad_input_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["import", str(ROOT / "README.md")])
    assert result.exit_code == 2
    assert "not-a-workbook 不是可读取的 Excel 工作簿（.xlsx、.xls）" in result.output


def test_cli_import_disagreement_exits_1(tmp_path):
    path = workbook(tmp_path, change=lambda book: book["表3"].cell(12, 5, 168.00))
    out = tmp_path / "f.yaml"
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert "tables-disagree" in result.output and out.exists()


def test_several_fund_sources_in_one_item(tmp_path):
    """表8 gives the 政府性基金 split; two other sources in both columns are split and flagged."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in (
        ("    basic: {general: 140.63}\n    project: {general: 23.00, unit: 5.00}",
         "    basic: {general: 140.63, unit: 1.00}\n    project: {general: 23.00, unit: 5.00, special: 2.00, fund: 3.00}"),
        ("  unit:\n    amount: 5.00", "  special: {amount: 2.00, prior: 0}\n  fund: {amount: 3.00, prior: 0}\n"
                                      "  unit:\n    amount: 6.00"),
        ("  basic: 191.20 ", "  general_total: 214.20\n  basic: 192.20 "),
    ):
        assert old in text
        text = text.replace(old, new)
    figures = tmp_path / "figures.yaml"
    figures.write_text(text, encoding="utf-8")
    path = tmp_path / "book.xlsx"
    save(make_workbook(figures), path)
    imported = import_workbook(path)
    item = next(i for i in imported.figures.model.functional if i.code == "2014004")
    # general (表5) and fund (表8) are split exactly; unit and special share basic 1.00 and project 7.00,
    # which no table can apportion: the split keeps each source's total and is flagged for a person.
    assert (item.basic.general, item.project.general, item.project.fund) == \
           (Decimal("140.63"), Decimal("23.00"), Decimal("3.00"))
    assert (item.basic.fund, item.basic.capital) == (None, None)
    both = {k: (getattr(item.basic, k) or 0) + (getattr(item.project, k) or 0) for k in ("unit", "special")}
    assert both == {"unit": Decimal("6.00"), "special": Decimal("2.00")}
    assert sum(v or 0 for _, v in item.basic) == Decimal("141.63")
    assert [f.rule for f in imported.findings] == ["ambiguous-split"]
    assert "工作表“表2”D12：科目 2014004 有多种资金来源" in imported.findings[0].message


def test_header_repeated_on_a_continuation_page(tmp_path):
    """A table pasted from a two-page print repeats 编制部门, 单位 and the header before its rest."""
    def repeat(book):
        ws = book["表2"]
        ws.insert_rows(20, 5)
        for row in range(3, 7):
            for column in range(1, ws.max_column + 1):
                ws.cell(row + 17, column, ws.cell(row, column).value)
    path = workbook(tmp_path, change=repeat)
    assert import_workbook(path, prior=PRIOR).figures.model == import_workbook(CHECKED_IN, prior=PRIOR).figures.model


def test_a_code_the_reference_lacks_is_taken_with_the_name_the_table_prints(tmp_path):
    path = workbook(tmp_path, change=lambda book: book["表3"].cell(12, 3, "05"))
    imported = import_workbook(path, prior=PRIOR)
    assert imported.figures.model.names["2014005"] == "信访业务"
    assert '  "2014005": 信访业务\n' in imported.text
    assert [f.rule for f in imported.figures.notes if "2014005" in f.message] == ["unlisted-code"]


def test_a_code_the_reference_lacks_and_no_name_is_refused(tmp_path):
    def unnamed(book):
        book["表3"].cell(12, 3, "05")
        book["表3"].cell(12, 4).value = None
    path = workbook(tmp_path, change=unnamed)
    assert "工作表“表3”C12：“2014005” 不是支出功能分类科目中的科目，表中也没有印出它的名称；是否想写" in errors_of(path)


def test_negative_amount(tmp_path):
    path = workbook(tmp_path, change=lambda book: book["表6"].cell(9, 4, -41.03))
    assert "工作表“表6”D9：金额不能为负数：-41.03" in errors_of(path)


def test_optional_sheet_without_its_header_is_skipped(tmp_path):
    def empty(book):
        ws = book["表8"]
        ws.delete_rows(4, 10)
        ws["A4"] = "本单位没有政府性基金预算。"
    imported = import_workbook(workbook(tmp_path, change=empty), prior=PRIOR)
    assert [f.rule for f in imported.findings] == ["header-missing"]
    assert imported.findings[0].level == "warning" and "此表已跳过" in imported.findings[0].message


def test_overview_tables_are_checked(tmp_path):
    def spoil(book):
        book["表1"]["B13"] = 6          # 5. 单位资金
        book["表1"]["D13"] = 24.00      # 208 社会保障和就业支出
        book["表4"]["E6"] = 160         # 201 一般公共服务支出, 一般公共预算
        book["表4"]["B6"] = 210         # 一、财政拨款（补助）
    messages = [f.message for f in import_workbook(workbook(tmp_path, change=spoil)).findings]
    assert messages == [
        "工作表“表1”B13：“5. 单位资金”为 6.00，而工作表“表2”N7为 5.00（相差 1.00），两表不一致，请核对后重新导入",
        "工作表“表1”D13：208 社会保障和就业支出为 24.00，而工作表“表3”E13为 24.51（相差 -0.51），两表不一致，请核对后重新导入",
        "工作表“表4”B6：“一、财政拨款（补助）”为 210.00，而工作表“表2”F7为 214.20（相差 -4.20），两表不一致，请核对后重新导入",
        "工作表“表4”E6：201 一般公共服务支出为 160.00，而工作表“表5”E8为 163.63（相差 -3.63），两表不一致，请核对后重新导入",
    ]


def test_prior_matches_a_renumbered_item_by_its_names(tmp_path, monkeypatch):
    """A 项 whose code changed but whose 类/款/项 names did not gets last year's amount."""
    from narrator.workbook import prior as prior_module

    last = PRIOR.read_text(encoding="utf-8").replace('code: "2210201"', 'code: "2210202"')
    old_file = tmp_path / "2024.yaml"
    old_file.write_text(last, encoding="utf-8")
    real = prior_module._path_name
    monkeypatch.setattr(prior_module, "_path_name",
                        lambda code, year: real("2210201", year) if code == "2210202" else real(code, year))
    model = import_workbook(CHECKED_IN, prior=old_file).figures.model
    assert [i.prior for i in model.functional if i.code == "2210201"] == [Decimal("18.62")]
    assert "2210202" not in [i.code for i in model.functional]


def test_projects_listed_without_item_codes(tmp_path):
    def no_codes(book):
        ws = book["表7"]
        for row in range(7, ws.max_row + 1):
            if ws.cell(row, 5).value:  # a project line: keep its name, drop its 类/款/项
                for column in (1, 2, 3):
                    ws.cell(row, column).value = None  # cell(r, c, None) would leave it
    model = import_workbook(workbook(tmp_path, change=no_codes)).figures.model
    assert [(p.name, p.code, p.amount) for p in model.projects] == [
        ("信访业务工作经费", None, Decimal("15.00")), ("阿图什市信访联合接访中心运转项目", None, Decimal("8.00"))]


def test_formula_without_a_saved_result(tmp_path):
    """openpyxl (like some exporters) saves formulas without their results: not to be read as 0."""
    path = workbook(tmp_path, change=lambda book: book["表6"].cell(8, 4, "=SUM(D9:D15)"))
    assert "工作表“表6”D8：是公式 =SUM(D9:D15)，但工作簿中没有保存它的计算结果" in errors_of(path)


def test_names_wrapped_in_their_cell(tmp_path):
    path = workbook(tmp_path, change=lambda book: book["表7"].cell(12, 5, "阿图什市信访联合接访\n中心运转项目"))
    names = [p.name for p in import_workbook(path).figures.model.projects]
    assert names == ["信访业务工作经费", "阿图什市信访联合接访中心运转项目"]


def test_reimport_with_keep_alone_keeps_priors_too(tmp_path):
    """Re-importing a corrected workbook over a filled-in file: nothing typed by hand is lost."""
    filled = tmp_path / "figures.yaml"
    filled.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        "  carryover:\n    amount: 3.02", "  fund:\n    amount: 0\n    prior: 4.00\n    reason: 上年有基金\n"
        "  carryover:\n    amount: 3.02"), encoding="utf-8")
    imported = import_workbook(CHECKED_IN, keep=filled)
    assert imported.figures.model.income.fund.prior == Decimal("4.00")
    assert render_figures(imported.figures).text == render_file(filled).text


def test_column_header_renamed(tmp_path):
    path = workbook(tmp_path, change=lambda book: book["表3"].cell(4, 6, "基本经费"))
    assert "工作表“表3”A4：表3（部门支出总体情况表）的表头中找不到列 “基本支出”（表头行是否错位或被改动？）" in errors_of(path)


def test_checked_in_workbook_is_what_the_maker_makes(tmp_path):
    """tests/fixtures/atushi-2025.xlsx is rebuilt by `python tests/workbook_maker.py`; it must not drift."""
    fresh = import_workbook(workbook(tmp_path), prior=PRIOR).text
    assert fresh.replace("预算公开表.xlsx", "atushi-2025.xlsx") == import_workbook(CHECKED_IN, prior=PRIOR).text


def test_written_file_matches_the_golden_file(monkeypatch):
    """The whole written file, comments included (regenerate: in tests/fixtures run
    `narrator import atushi-2025.xlsx --prior atushi-2024.yaml > atushi-2025.imported.yaml`)."""
    monkeypatch.chdir(ROOT / "tests" / "fixtures")
    expected = (ROOT / "tests" / "fixtures" / "atushi-2025.imported.yaml").read_text(encoding="utf-8")
    assert import_workbook("atushi-2025.xlsx", prior="atushi-2024.yaml").text == expected
