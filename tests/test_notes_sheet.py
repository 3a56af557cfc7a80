"""The 说明 sheet: ``narrator form`` writes it, a clerk fills 内容 in Excel, ``narrator import`` reads it.

The clerk's year without YAML: workbook (tests/workbook_maker.py) → import --prior → form
--workbook → the 内容 cells filled with openpyxl as a person types them → import the one file
again → render. The texts typed are the example's own (examples/atushi-2025.yaml), so the text
rendered from the re-imported figures must equal the example's text in every section the tables
and the sheet feed (一 to 十一; 十二 also needs procurement and assets, which are in no table).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from narrator.cli import app
from narrator.errors import NarratorError
from narrator.intake.figures import load_figures
from narrator.text.render import render_figures, render_file
from narrator.intake.schema import FUND_SOURCES
from narrator.workbook.form import build_form
from narrator.workbook.importer import import_workbook
from .workbook_maker import make_workbook, save

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"
PRIOR = ROOT / "tests" / "fixtures" / "atushi-2024.yaml"
runner = CliRunner()

TABLE, KEY, NAME, ITEM, AMOUNT, LAST_AMOUNT, CHANGE, NEED, TEXT, LAST = range(1, 11)
FIRST = 3  # row 1: how to fill it in; row 2: the headers
FIELDS = {"政策依据": "basis", "承担单位": "owner", "资金分配": "allocation", "执行时间": "period"}


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> dict[str, Path]:
    """This year's tables, the figures imported from them with last year's, and the form."""
    folder = tmp_path_factory.mktemp("year")
    tables = folder / "预算公开表.xlsx"
    save(make_workbook(EXAMPLE), tables)
    figures = folder / "figures.yaml"
    assert runner.invoke(app, ["import", str(tables), "--prior", str(PRIOR), "-o", str(figures)]).exit_code == 0
    form = folder / "填报.xlsx"
    result = runner.invoke(app, ["form", str(figures), "-o", str(form), "--workbook", str(tables)])
    assert (result.exit_code, result.output) == (0, "")
    return {"tables": tables, "figures": figures, "form": form, "folder": folder}


def rows(path: Path) -> list[tuple]:
    ws = load_workbook(path)["说明"]
    return [tuple(ws.cell(r, c).value for c in range(1, 11)) for r in range(FIRST, ws.max_row + 1)
            if ws.cell(r, TABLE).value]


def example_text(table: str, key: str, item: str) -> str | None:
    """What the example says for a row, found from the row's key as a person reads it."""
    m = load_figures(EXAMPLE).model
    sides = {"基本支出": "basic", "项目支出": "project"}
    if table == "表2":
        return getattr(m.income, next(k for k, v in FUND_SOURCES.items() if v == key)).reason
    if table == "表3":
        return getattr(m.expenditure, sides[key]).reason
    if table == "表5" and key in sides:
        return getattr(m.general_budget, sides[key]).reason
    if table == "表5":
        return m.purposes[key] if len(key) == 3 else next(i.reason for i in m.functional if i.code == key)
    if table == "表7":
        return getattr(next(p for p in m.projects if p.name == key), FIELDS[item])
    if table == "表10":
        parts = {"因公出国（境）费": "abroad", "公务用车购置费": "vehicle_purchase", "公务用车运行费": "vehicle_operation",
                 "公务接待费": "reception"}
        return getattr(m.three_public, parts[key]).reason
    if table == "表11":
        return next(c.purpose for c in m.carryover if c.name == key)
    return {"机关运行经费": m.operating_costs.reason, "其他重要事项": m.other_notes}[key]


def fill(path: Path, texts, target: Path) -> None:
    """Type into the 内容 cells as a person would: by what the row says, not by its position."""
    book = load_workbook(path)
    ws = book["说明"]
    for r in range(FIRST, ws.max_row + 1):
        key = tuple(ws.cell(r, c).value for c in (TABLE, KEY, ITEM))
        if key[0]:
            ws.cell(r, TEXT).value = texts(*key)
    book.save(target)


def before_other_matters(text: str) -> str:
    return text[:text.index("十二、")]


# -- the whole path -------------------------------------------------------------------------

def test_the_clerks_year_without_yaml(year):
    """import → form → 内容 filled in Excel → import the one file again → render: the example's text."""
    filled = year["folder"] / "填好.xlsx"
    fill(year["form"], example_text, filled)
    again = year["folder"] / "figures-2.yaml"
    result = runner.invoke(app, ["import", str(filled), "--prior", str(PRIOR), "-o", str(again)])
    assert (result.exit_code, result.output) == (0, "")
    model, example = load_figures(again).model, load_figures(EXAMPLE).model
    assert model.income == example.income
    assert (model.expenditure, model.general_budget) == (example.expenditure, example.general_budget)
    assert model.functional == example.functional
    assert model.purposes == example.purposes
    assert model.projects == [p for p in example.projects if p.source == "general"]
    assert model.three_public == example.three_public
    assert model.carryover == example.carryover
    assert model.operating_costs == example.operating_costs and model.other_notes == example.other_notes
    assert before_other_matters(render_file(again).text) == before_other_matters(render_file(EXAMPLE).text)
    docx = year["folder"] / "第三部分.docx"
    assert runner.invoke(app, ["render", "--fail-on", "warning", str(again), "-o", str(docx)]).exit_code == 0
    from docx import Document
    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert "一般公共预算214.20万元，占96.39%，比上年预算减少40.65万元，下降15.95%，" \
           "主要原因是本年减少联合接访运转项目经费和业务工作项目经费。" in paragraphs


def test_form_lists_what_the_format_asks_for_and_marks_what_it_needs(year):
    listed = [(r[TABLE - 1], r[KEY - 1], r[ITEM - 1], r[NEED - 1]) for r in rows(year["form"])]
    changes = [("表2", "一般公共预算拨款"), ("表2", "单位资金"), ("表2", "财政拨款结转"), ("表3", "基本支出"),
               ("表3", "项目支出"), ("表5", "基本支出"), ("表5", "项目支出"), ("表5", "2014004"), ("表5", "2014099"),
               ("表5", "2080501"), ("表5", "2080505"), ("表5", "2101101"), ("表5", "2101102"), ("表5", "2210201")]
    projects = [("表7", name, item, "是") for name in ("信访业务工作经费", "阿图什市信访联合接访中心运转项目")
                for item in FIELDS]
    assert listed == [
        *[(t, k, "增减原因", "是") for t, k in changes],
        *[("表5", c, "主要用途", "否") for c in ("201", "208", "210", "221")],
        *projects,
        # unchanged (0 and 0, 1.20 and 1.20): the text needs no reason, but prints one if given
        *[("表10", k, "增减原因", "否") for k in ("因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费")],
        ("表11", "克财预〔2022〕30 号：2022 年度第一书记工作经费（2023.3.1）", "主要用途", "是"),
        ("表11", "克财预〔2024〕12 号：2024 年第一书记工作经费", "主要用途", "是"),
        ("表11", "克财预〔2023〕7号：关于拨付第一书记工作经费", "主要用途", "是"),
        ("其他", "机关运行经费", "增减原因", "是"),
        ("其他", "其他重要事项", "其他需说明的事项", "否"),
    ]
    first = rows(year["form"])[0]
    assert first == ("表2", "一般公共预算拨款", None, "增减原因", 214.2, 254.85, -40.65, "是", None, None)
    assert rows(year["form"])[7][:4] == ("表5", "2014004", "信访业务", "增减原因")


def test_form_cells_are_validated_and_only_the_text_can_be_typed(year):
    book = load_workbook(year["form"])
    assert book.sheetnames == [f"表{n}" for n in range(1, 12)] + ["说明"]  # one file: the tables come along
    assert book.active.title == "说明"
    ws = book["说明"]
    assert [ws.cell(2, c).value for c in range(1, 11)] == \
           ["表", "编码或名称", "名称", "项目", "本年", "上年", "增减", "需说明", "内容", "上年内容（参考）"]
    assert ws.protection.sheet and not ws.protection.autoFilter and not ws.protection.formatColumns
    last = FIRST + len(rows(year["form"])) - 1
    assert ws.cell(FIRST, TEXT).protection.locked is False
    assert all(ws.cell(r, c).protection.locked for r in (FIRST, last) for c in (TABLE, KEY, ITEM, NEED, LAST))
    spare = range(last + 1, last + 11)
    assert all(ws.cell(r, c).protection.locked is False for r in spare for c in (TABLE, KEY, ITEM, TEXT))
    checks = {(v.type, v.formula1): str(v.sqref) for v in ws.data_validations.dataValidation}
    assert checks[("list", '"表2,表3,表5,表7,表10,表11,其他"')] == f"A{last + 1}:A{last + 10}"
    assert checks[("list", '"增减原因,主要用途,政策依据,承担单位,资金分配,执行时间,绩效目标,其他需说明的事项"')] == \
        f"D{last + 1}:D{last + 10}"
    assert ("textLength", "300") in checks and ("textLength", "2000") in checks
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert [r.formula for r in rules] == [['AND($H3="是",LEN(TRIM($I3))=0)']]


def test_last_years_texts_are_offered_not_copied(year, tmp_path):
    last_year = tmp_path / "2024.yaml"
    last_year.write_text(PRIOR.read_text(encoding="utf-8").replace(
        "  general: {amount: 254.85}", "  general: {amount: 254.85, reason: 上年新增了联合接访中心运转经费}"),
        encoding="utf-8")
    form = build_form(year["figures"], prior=last_year)
    out = tmp_path / "填报.xlsx"
    out.write_bytes(form.data)
    assert rows(out)[0][TEXT - 1:] == (None, "上年新增了联合接访中心运转经费")
    assert [r[LAST - 1] for r in rows(out)[1:]] == [None] * (len(rows(out)) - 1)
    assert load_workbook(out).sheetnames == ["说明"]  # without --workbook: the sheet alone


def test_form_of_texts_already_written_prefills_them(tmp_path):
    out = tmp_path / "填报.xlsx"
    out.write_bytes(build_form(EXAMPLE).data)
    assert rows(out)[0][TEXT - 1] == "本年减少联合接访运转项目经费和业务工作项目经费"


def test_form_without_priors_lists_every_row_and_says_need_is_unknown(year, tmp_path):
    figures = tmp_path / "figures.yaml"
    assert runner.invoke(app, ["import", str(year["tables"]), "-o", str(figures)]).exit_code == 0
    out = tmp_path / "填报.xlsx"
    result = runner.invoke(app, ["form", str(figures), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"{figures}:0:0: 警告 form-need-unknown 数据文件还不能按格式 xinjiang-2025 生成文字（见上），"
        "无法判断哪些行需要说明，“需说明”一列空着；补齐后（如导入时加 --prior 上年数据文件）再运行 narrator form")
    listed = rows(out)
    assert {r[NEED - 1] for r in listed} == {None}
    assert ("表5", "2013299", "增减原因") in [r[:2] + (r[ITEM - 1],) for r in listed]


def test_form_will_not_overwrite_a_filled_form(year):
    result = runner.invoke(app, ["form", str(year["figures"]), "-o", str(year["form"])])
    assert result.exit_code == 2
    assert result.output == (f"{year['form']}:0:0: 错误 file-exists 文件已存在；其中填好的说明请先用 narrator import "
                             "导入，要覆盖请加 --force\n")


# -- reading the sheet ------------------------------------------------------------------------

def sheet_with(year, tmp_path, lines: list[tuple], blank_rows: int = 0) -> Path:
    """The tables with a 说明 sheet of the given rows (表, 编码或名称, 项目, 内容) under its header."""
    book = load_workbook(year["tables"])
    ws = book.create_sheet("说明")
    ws.append(["说明"])
    ws.append(["表", "编码或名称", "项目", "内容"])
    for line in lines:
        for _ in range(blank_rows):
            ws.append([])
        ws.append(list(line))
    path = tmp_path / "填好.xlsx"
    book.save(path)
    return path


def test_unknown_keys_are_reported_at_their_cells_and_nothing_is_written(year, tmp_path):
    path = sheet_with(year, tmp_path, [
        ("表2", "一般公共预算拨款", "增减原因", "人员经费减少"),
        ("表12", "一般公共预算拨款", "增减原因", "某原因"),
        ("表5", 2019999, "增减原因", "某原因"),
        ("表2", "一般公共预算拨款", "用途说明", "某原因"),
        ("表2", "一般公共预算拨款", "政策依据", "某原因"),
        (None, "2014004", "增减原因", "某原因"),
        ("表2", "一般公共预算拨款", "增减原因", "另一个原因"),
    ])
    out = tmp_path / "figures.yaml"
    result = runner.invoke(app, ["import", str(path), "--prior", str(PRIOR), "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert result.output.splitlines() == [
        f"{path}:4:1: 错误 note-unknown-key 工作表“说明”A4：“表12”不是可填写说明的表（可填：表2、表3、表5、表7、表10、表11、其他）",
        f"{path}:5:2: 错误 note-unknown-key 工作表“说明”B5：表5中没有“2019999”（编码或名称与数据文件中的都对不上，是否改动过？）",
        f"{path}:6:3: 错误 note-unknown-key 工作表“说明”C6：“用途说明”不是可填写的项目"
        "（可填：增减原因、主要用途、政策依据、承担单位、资金分配、执行时间、绩效目标、其他需说明的事项）",
        f"{path}:7:3: 错误 note-unknown-key 工作表“说明”C7：表2“一般公共预算拨款”没有“政策依据”这一项（可填：增减原因）",
        f"{path}:8:1: 错误 note-key-missing 工作表“说明”A8：有内容，但“表”是空的：不知道这段文字属于哪一处",
        f"{path}:9:4: 错误 note-twice 工作表“说明”D9：“表2 一般公共预算拨款 增减原因”在第 3 行已填写了不同的内容，请只留一行",
    ]


def test_an_empty_notes_sheet_changes_nothing(year, tmp_path):
    book = load_workbook(year["tables"])
    book.create_sheet("说明")
    path = tmp_path / "空.xlsx"
    book.save(path)
    imported = import_workbook(path, prior=PRIOR)
    assert imported.findings == []
    assert imported.figures.model == import_workbook(year["tables"], prior=PRIOR).figures.model


def test_a_notes_sheet_without_its_header_is_bad_input(year, tmp_path):
    book = load_workbook(year["tables"])
    book.create_sheet("说明").append(["一般公共预算拨款", "人员经费减少"])
    path = tmp_path / "无表头.xlsx"
    book.save(path)
    with pytest.raises(NarratorError) as caught:
        import_workbook(path, prior=PRIOR)
    assert str(caught.value) == (f"{path}:1:1: 错误 header-missing 工作表“说明”A1：前 10 行中找不到表头 “表”、"
                                 "“编码或名称”、“项目”、“内容”（可用 narrator form 重新生成这张工作表）")


def test_blank_rows_and_rows_left_empty_are_skipped_and_typing_slips_forgiven(year, tmp_path):
    path = sheet_with(year, tmp_path, [
        ("表2", "一般公共预算拨款", "增减原因", "主要原因是本年减少了两个项目的经费。\n"),
        ("表 5", 2014004, "增减原因", "此科目经费减少；"),     # a code typed as a number, “表 5”
        ("表3", "基本支出", "增减原因", None),                 # a row not filled in
        ("表5", "201", "主要用途", "主要用于职工工资\n和机关运转"),  # Alt+Enter in the cell
        ("表7", "信访业务工作经费", "资金分配", "保障经费15万元；"),  # ends as the clerk wrote it
    ], blank_rows=2)
    model = import_workbook(path, prior=PRIOR).figures.model
    assert model.income.general.reason == "本年减少了两个项目的经费"
    assert next(i.reason for i in model.functional if i.code == "2014004") == "此科目经费减少"
    assert model.expenditure.basic.reason is None
    assert model.purposes == {"201": "职工工资和机关运转"}
    assert next(p.allocation for p in model.projects if p.name == "信访业务工作经费") == "保障经费15万元；"


def test_a_reason_for_a_row_that_needs_none(year, tmp_path):
    """Unchanged: printed (the text may say why); a 项 the text does not list: a warning."""
    path = sheet_with(year, tmp_path, [
        ("表10", "因公出国（境）费", "增减原因", "两年均未安排出国（境）任务"),
        ("表5", "2013299", "增减原因", "第一书记经费结转"),
    ])
    imported = import_workbook(path, prior=PRIOR)
    # (and one note-missing for the rows this short sheet leaves out: see tests/test_clerk_year.py)
    assert [f.format() for f in imported.findings if f.rule != "note-missing"] == [
        f"{path}:4:4: 警告 note-unused 工作表“说明”D4：表5“2013299 其他组织事务支出”的增减原因在格式 xinjiang-2025 的文字中用不到"
        "（文中不会出现），请确认是否填错了行"]
    assert imported.figures.model.three_public.abroad.reason == "两年均未安排出国（境）任务"
    assert "因公出国（境）费增加0.00万元，增长0.00%，主要原因是两年均未安排出国（境）任务；" \
        in render_figures(imported.figures).text


def test_the_sheet_overrides_kept_texts_and_leaves_the_others(year, tmp_path):
    path = sheet_with(year, tmp_path, [("表2", "单位资金", "增减原因", "单位资金增加")])
    model = import_workbook(path, prior=PRIOR, keep=EXAMPLE).figures.model
    assert model.income.unit.reason == "单位资金增加"
    assert model.income.general.reason == load_figures(EXAMPLE).model.income.general.reason


def test_form_into_the_tables_workbook_itself_replaces_its_notes_sheet(year, tmp_path):
    tables = tmp_path / "预算公开表.xlsx"
    tables.write_bytes(year["tables"].read_bytes())
    for _ in range(2):  # the second run replaces the sheet the first one wrote: no --force needed
        result = runner.invoke(app, ["form", str(year["figures"]), "--workbook", str(tables), "-o", str(tables)])
        assert (result.exit_code, result.output) == (0, "")
    assert load_workbook(tables).sheetnames == [f"表{n}" for n in range(1, 12)] + ["说明"]
    assert rows(tables) == rows(year["form"])
