"""The clerk's whole year as one test, through the command line (issue 10, “done when” 1).

A department's finance clerk lives in Excel and Word. Their year, as this test drives it:

1. the budget system's workbook of the 11 tables (tests/workbook_maker.py) → ``narrator import``
   with last year's figures file (what last year's import wrote);
2. ``narrator form --workbook``: the same workbook with the 说明 sheet added;
3. the 内容 cells typed in, with openpyxl, as a person types them in Excel — found by what the row
   says (表, 编码或名称, 项目), every row marked 需说明 “是” filled;
4. ``narrator import`` of that one file again: the figures now carry the reasons;
5. ``narrator render -o 第三部分.docx``;
6. a paragraph edited in Word — words changed and a run made bold — and saved: by python-docx, or
   the same document saved again by LibreOffice (a fixture made by LibreOffice, and the live
   round trip where ``soffice`` is installed);
7. a figure changed in the WORKBOOK (表10, with the totals a person changes along with it) and
   its reason typed into 说明 → ``narrator import`` → ``narrator update 第三部分.docx --figures``:
   the edit and its bold kept, the sentences of the changed figure new, exit 0.

No YAML is written by hand anywhere: :class:`Desk` fails the test if any .yaml file in the
clerk's folder changes other than by a narrator command. The reasons typed are this test's own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from narrator.cli import app
from narrator.document.docxtext import blocks_text, body_blocks, markdown_text
from narrator.workflow.docxupdate import read_record
from narrator.text.render import render_file
from .test_docx_update import resave_with_libreoffice
from .workbook_maker import make_workbook, save

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"  # the tables' figures; its texts are not used
LAST_YEAR = ROOT / "tests" / "fixtures" / "atushi-2024.yaml"  # last year's figures file, as imported then
LIBREOFFICE_SAVED = ROOT / "tests" / "fixtures" / "docx" / "clerk-year-libreoffice.docx"

TABLE, KEY, ITEM, NEED, TEXT = 1, 2, 4, 8, 9  # columns of the 说明 sheet
FIRST = 3  # its first row to fill (1: how to fill it in, 2: the headers)

#: What the clerk types into 内容, by (表, 编码或名称, 项目): every row the form marks 需说明 “是”.
TYPED = {
    ("表2", "一般公共预算拨款", "增减原因"): "压减了接访中心运转和业务工作两个项目的经费",
    ("表2", "单位资金", "增减原因"): "单位自有资金安排增加",
    ("表2", "财政拨款结转", "增减原因"): "上年部分驻村经费未支付完毕，结转到本年使用",
    ("表3", "基本支出", "增减原因"): "在职人员减少，人员经费相应减少",
    ("表3", "项目支出", "增减原因"): "业务类项目经费有所压减",
    ("表5", "基本支出", "增减原因"): "在职人员减少，工资和社会保障缴费减少",
    ("表5", "项目支出", "增减原因"): "接访中心运转经费减少",
    ("表5", "2014004", "增减原因"): "在职人员减少",
    ("表5", "2014099", "增减原因"): "本年未安排此项支出",
    ("表5", "2080501", "增减原因"): "离退休人员增加",
    ("表5", "2080505", "增减原因"): "缴费人数减少",
    ("表5", "2101101", "增减原因"): "医疗保险缴费基数提高",
    ("表5", "2101102", "增减原因"): "事业编制人员增加",
    ("表5", "2210201", "增减原因"): "缴存人数减少",
    ("表7", "信访业务工作经费", "政策依据"): "本级财政下达的年度预算控制数",
    ("表7", "信访业务工作经费", "承担单位"): "本局综合办公室",
    ("表7", "信访业务工作经费", "资金分配"): "全部用于来信来访办理和矛盾化解工作",
    ("表7", "信访业务工作经费", "执行时间"): "2025年1月至12月",
    ("表7", "阿图什市信访联合接访中心运转项目", "政策依据"): "联合接访中心设立文件",
    ("表7", "阿图什市信访联合接访中心运转项目", "承担单位"): "联合接访中心",
    ("表7", "阿图什市信访联合接访中心运转项目", "资金分配"): "用于中心日常运转和值守",
    ("表7", "阿图什市信访联合接访中心运转项目", "执行时间"): "2025年全年",
    ("表11", "克财预〔2022〕30 号：2022 年度第一书记工作经费（2023.3.1）", "主要用途"): "驻村第一书记工作开支",
    ("表11", "克财预〔2024〕12 号：2024 年第一书记工作经费", "主要用途"): "驻村工作队生活补助",
    ("表11", "克财预〔2023〕7号：关于拨付第一书记工作经费", "主要用途"): "驻村办公用品购置",
    ("其他", "机关运行经费", "增减原因"): "办公费和差旅费压减",
}

GENERAL = ("一般公共预算214.20万元，占96.39%，比上年预算减少40.65万元，下降15.95%，"
           "主要原因是压减了接访中心运转和业务工作两个项目的经费。")
OVERALL = "按照全口径预算的原则，阿图什市信访局2025年所有收入和支出均纳入部门预算管理。收支总预算222.22万元。"
EDITED_RUNS = [("按照", None), ("全口径预算", True),
               ("的原则，阿图什市信访局2025年全部收入和支出均纳入部门预算管理。", None), ("收支总预算222.22万元。", None)]
EDITED = "".join(text for text, _ in EDITED_RUNS)

#: 表10 after the change: 公务用车运行费 1.20 → 1.50, and the 小计 and 合计 rows with it.
VEHICLE_ROWS = ("合计", "公务用车购置及运行费（小计）", "公务用车运行费")
VEHICLE_REASON = "公务用车使用年限长，维修费用增加"
THREE_PUBLIC = ("阿图什市信访局2025年财政拨款“三公”经费数为1.20万元，其中：因公出国（境）费0.00万元，"
                "公务用车购置费0.00万元，公务用车运行费1.20万元，公务接待费0.00万元。")
THREE_PUBLIC_NEW = THREE_PUBLIC.replace("1.20万元", "1.50万元")
THREE_PUBLIC_CHANGE_NEW = (
    "2025年财政拨款“三公”经费预算比上年预算增加0.30万元，增长25.00%，其中：因公出国（境）费增加0.00万元，"
    "增长0.00%；公务用车购置费增加0.00万元，增长0.00%；公务用车运行费增加0.30万元，增长25.00%，"
    f"主要原因是{VEHICLE_REASON}；公务接待费增加0.00万元，增长0.00%。")

runner = CliRunner()


class Desk:
    """The clerk's folder. narrator runs through its command line; the clerk works in Excel and Word.

    Every .yaml file of the folder is narrator's: before each command, the YAML files must be
    exactly as the previous command left them (nothing typed into them by hand in between).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: dict[str, bytes] = {}

    def __truediv__(self, name: str) -> Path:
        return self.folder / name

    def yaml_files(self) -> dict[str, bytes]:
        return {p.relative_to(self.folder).as_posix(): p.read_bytes()
                for p in self.folder.rglob("*") if p.suffix.lower() in (".yaml", ".yml")}

    def narrator(self, *args: str | Path, exit_code: int = 0) -> str:
        """Run ``narrator args…``; assert its exit code; its output (stdout and stderr)."""
        assert self.yaml_files() == self.seen, "a YAML file was written, but not by narrator"
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == exit_code, result.output
        self.seen = self.yaml_files()
        return result.output

    def saved(self, name: str) -> Path:
        """Where the clerk saves a workbook or a document (never a YAML file)."""
        assert Path(name).suffix in (".xlsx", ".docx")
        return self.folder / name


def type_into_notes(workbook: Path, typed: dict[tuple[str, str, str], str]) -> None:
    """Type each text into the 内容 cell of its row, found by what the row says (as a person finds it)."""
    book = load_workbook(workbook)
    ws = book["说明"]
    rows = {}
    for r in range(FIRST, ws.max_row + 1):
        key = tuple(str(ws.cell(r, c).value) for c in (TABLE, KEY, ITEM))
        if ws.cell(r, TABLE).value:
            rows[key] = r
    for key, text in typed.items():
        ws.cell(rows[key], TEXT).value = text
    book.save(workbook)


def rows_needing_text(workbook: Path) -> set[tuple[str, str, str]]:
    ws = load_workbook(workbook)["说明"]
    return {tuple(str(ws.cell(r, c).value) for c in (TABLE, KEY, ITEM)) for r in range(FIRST, ws.max_row + 1)
            if ws.cell(r, NEED).value == "是"}


def edit_in_word(document: Path) -> None:
    """“所有” → “全部” in the first paragraph of 一, and “全口径预算” made bold; saved (python-docx)."""
    doc = Document(str(document))
    [p] = [p for p in doc.paragraphs if p.text == OVERALL]
    for run in list(p.runs):
        run._r.getparent().remove(run._r)
    for text, bold in EDITED_RUNS:
        p.add_run(text).bold = bold
    doc.save(str(document))


def change_vehicle_costs(workbook: Path) -> None:
    """The clerk corrects 表10 in the workbook: 公务用车运行费 1.20 → 1.50, and its 小计 and 合计."""
    book = load_workbook(workbook)
    ws = book["表10"]
    changed = 0
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value in VEHICLE_ROWS:
            assert (ws.cell(r, 2).value, ws.cell(r, 3).value) == (1.2, 1.2)
            ws.cell(r, 2).value = ws.cell(r, 3).value = 1.5
            changed += 1
    assert changed == len(VEHICLE_ROWS)
    book.save(workbook)


def runs(paragraph) -> list[tuple[str, bool | None]]:
    return [(r.text, r.bold) for r in paragraph.runs]


def the_paragraph(doc, text: str):
    found = [p for p in doc.paragraphs if p.text == text]
    assert len(found) == 1, f"expected one paragraph {text!r}, found {len(found)}"
    return found[0]


def first_half(desk: Desk) -> Path:
    """Steps 1–5: the tables to a .docx whose text has the clerk's reasons; the .docx."""
    tables = desk.saved("预算公开表.xlsx")
    save(make_workbook(EXAMPLE), tables)  # what the budget system exports
    assert desk.narrator("import", tables, "--prior", LAST_YEAR, "-o", desk / "figures.yaml") == ""
    form = desk.saved("填报.xlsx")
    assert desk.narrator("form", desk / "figures.yaml", "--workbook", tables, "-o", form) == ""
    assert rows_needing_text(form) == set(TYPED)  # the yellow cells are exactly the ones typed
    type_into_notes(form, TYPED)
    assert desk.narrator("import", form, "--prior", LAST_YEAR, "-o", desk / "figures.yaml", "--force") == ""
    document = desk.saved("第三部分.docx")
    printed = desk.narrator("render", desk / "figures.yaml", "-o", document).splitlines()
    # nothing left out: only the tables' own two 尾差 notes (the published tables have them), no warning
    assert [line.split(" ")[1:3] for line in printed] == [["提示", "class-total"], ["提示", "basic-total"]]
    doc = Document(str(document))
    assert runs(the_paragraph(doc, GENERAL)) == [(GENERAL, None)]
    assert the_paragraph(doc, "资金分配情况：全部用于来信来访办理和矛盾化解工作")
    assert the_paragraph(doc, THREE_PUBLIC)
    return document


def second_half(desk: Desk, document: Path) -> str:
    """Step 7: a figure changed in the workbook → import → update; the update's output."""
    form = desk / "填报.xlsx"
    change_vehicle_costs(form)
    # the 说明 sheet still says the row needs no reason (it was made before): import says it does
    assert desk.narrator("import", form, "--prior", LAST_YEAR, "-o", desk / "新数据.yaml", exit_code=1) == (
        f"{form}:31:9: 警告 note-missing 工作表“说明”I31：表10“公务用车运行费”的增减原因（本年 1.50，上年 1.20，"
        "增减 0.30）没有填写，生成的文字将略去这一句（此行“需说明”为“否”，是按改动前的数生成的）\n")
    type_into_notes(form, {("表10", "公务用车运行费", "增减原因"): VEHICLE_REASON})
    assert desk.narrator("import", form, "--prior", LAST_YEAR, "-o", desk / "新数据.yaml", "--force") == ""
    return desk.narrator("update", document, "--figures", desk / "新数据.yaml")


def check_updated(desk: Desk, document: Path, libreoffice: bool) -> None:
    doc = Document(str(document))
    edited = the_paragraph(doc, EDITED)
    if libreoffice:  # LibreOffice splits runs where the script changes (the digits of 2025 are a run)
        assert [run for run in runs(edited) if run[1]] == [("全口径预算", True)]
        assert "".join(text for text, bold in runs(edited) if not bold) == EDITED.replace("全口径预算", "")
    else:
        assert runs(edited) == EDITED_RUNS
    assert the_paragraph(doc, THREE_PUBLIC_NEW)
    assert the_paragraph(doc, THREE_PUBLIC_CHANGE_NEW)
    assert not [p for p in doc.paragraphs if p.text == THREE_PUBLIC]
    # the whole document is the text of the new figures, but for the clerk's edit
    new = markdown_text(render_file(desk / "新数据.yaml").text)
    assert blocks_text(body_blocks(doc)) == new.replace(OVERALL, EDITED)
    # and it carries the new record: updating again with the same figures changes nothing
    assert read_record(document.read_bytes(), str(document)).figures == "新数据.yaml"
    before = blocks_text(body_blocks(doc))
    assert desk.narrator("update", document, "--figures", desk / "新数据.yaml") == \
        f"已更新 {document}：按新数据改写 0 句，保留人工修改 1 句，冲突 0 处。\n"
    assert blocks_text(body_blocks(Document(str(document)))) == before
    assert set(desk.yaml_files()) == {"figures.yaml", "新数据.yaml"}


def test_import_says_which_texts_the_sheet_leaves_empty(tmp_path: Path) -> None:
    """At the 内容 cell of each (the clerk never sees the figures file), or for rows the sheet lacks."""
    desk = Desk(tmp_path)
    tables = desk.saved("预算公开表.xlsx")
    save(make_workbook(EXAMPLE), tables)
    desk.narrator("import", tables, "--prior", LAST_YEAR, "-o", desk / "figures.yaml")
    form = desk.saved("填报.xlsx")
    desk.narrator("form", desk / "figures.yaml", "--workbook", tables, "-o", form)
    lines = desk.narrator("import", form, "--prior", LAST_YEAR, "-o", desk / "空.yaml", exit_code=1).splitlines()
    assert len(lines) == len(TYPED)
    assert lines[0] == (f"{form}:3:9: 警告 note-missing 工作表“说明”I3：表2“一般公共预算拨款”的增减原因（本年 214.20，"
                        "上年 254.85，增减 -40.65）没有填写，生成的文字将略去这一句")
    assert lines[18] == (f"{form}:25:9: 警告 note-missing 工作表“说明”I25：表7“阿图什市信访联合接访中心运转项目”的"
                         "政策依据没有填写，生成的文字将略去这一句")
    # a sheet without one of the rows (a sheet of one's own, or rows deleted): named, with how to add it
    type_into_notes(form, TYPED)
    book = load_workbook(form)
    book["说明"].delete_rows(36)  # 其他 / 机关运行经费 / 增减原因
    book.save(form)
    assert desk.narrator("import", form, "--prior", LAST_YEAR, "-o", desk / "少一行.yaml", exit_code=1) == (
        f"{form}:0:0: 警告 note-missing 工作表“说明”中没有这些要说明的行，生成的文字将略去它们：其他“机关运行经费”的"
        "增减原因（本年 4.38，上年 5.00，增减 -0.62）；请在表下的空行补上（表、编码或名称、项目三列照上面的写法），"
        "或用 narrator form 重新生成工作表\n")


UPDATED = "已更新 {}：按新数据改写 3 句，保留人工修改 1 句，冲突 0 处。\n"


def test_the_clerks_year_edited_in_word(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    document = first_half(desk)
    edit_in_word(document)
    assert second_half(desk, document) == UPDATED.format(document)
    check_updated(desk, document, libreoffice=False)


def test_the_clerks_year_saved_by_libreoffice(tmp_path: Path) -> None:
    """The edited document as LibreOffice saved it (the fixture made by :func:`make_fixture`)."""
    desk = Desk(tmp_path)
    document = first_half(desk)
    rendered = read_record(document.read_bytes(), str(document))
    saved = read_record(LIBREOFFICE_SAVED.read_bytes(), str(LIBREOFFICE_SAVED))
    # the fixture was made from this very path (rebuild it with make_fixture() if this fails)
    assert saved == rendered
    shutil.copyfile(LIBREOFFICE_SAVED, document)
    assert the_paragraph(Document(str(document)), EDITED)
    assert second_half(desk, document) == UPDATED.format(document)
    check_updated(desk, document, libreoffice=True)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_clerks_year_saved_by_libreoffice_live(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    document = first_half(desk)
    edit_in_word(document)
    saved = resave_with_libreoffice(document, tmp_path / "libreoffice")
    assert saved.read_bytes()[:2] == b"PK" and saved.read_bytes() != document.read_bytes()
    shutil.copyfile(saved, document)
    assert second_half(desk, document) == UPDATED.format(document)
    check_updated(desk, document, libreoffice=True)


def make_fixture() -> Path:
    """Rebuild ``tests/fixtures/docx/clerk-year-libreoffice.docx``: steps 1–6, saved by LibreOffice.

    ``python -c "from tests.test_clerk_year import make_fixture; make_fixture()"``
    """
    import tempfile

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        desk = Desk(folder)
        document = first_half(desk)
        edit_in_word(document)
        shutil.copyfile(resave_with_libreoffice(document, folder / "libreoffice"), LIBREOFFICE_SAVED)
    return LIBREOFFICE_SAVED


def last_years_tables(desk: Desk) -> Path:
    """Last year's published tables (the same amounts, titled 2024), as the clerk has them in a first year."""
    book = make_workbook(EXAMPLE)
    for ws in book.worksheets:
        title = ws.cell(2, 1).value
        assert title.startswith("2025年")
        ws.cell(2, 1).value = "2024年" + title[len("2025年"):]
    tables = desk.saved("上年预算公开表.xlsx")
    save(book, tables)
    return tables


def test_a_first_year_takes_last_years_amounts_from_last_years_tables(tmp_path: Path) -> None:
    """No figures file of last year: --prior 上年预算公开表.xlsx is the same as importing it first."""
    desk = Desk(tmp_path)
    last = last_years_tables(desk)
    tables = desk.saved("预算公开表.xlsx")
    save(make_workbook(EXAMPLE), tables)
    assert desk.narrator("import", tables, "--prior", last, "-o", desk / "直接.yaml") == ""
    desk.narrator("import", last, "-o", desk / "上年.yaml")
    assert desk.narrator("import", tables, "--prior", desk / "上年.yaml", "-o", desk / "先导入.yaml") == ""
    direct = (desk / "直接.yaml").read_text(encoding="utf-8")
    assert direct == (desk / "先导入.yaml").read_text(encoding="utf-8").replace(
        "取自上年数据文件 上年.yaml", "取自上年数据文件 上年预算公开表.xlsx")
    assert "    amount: 214.20\n    prior: 214.20\n" in direct


def test_form_offers_last_years_texts_from_last_years_filled_workbook(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    last = last_years_tables(desk)
    desk.narrator("import", last, "-o", desk / "上年.yaml")
    last_form = desk.saved("上年填报.xlsx")
    desk.narrator("form", desk / "上年.yaml", "--workbook", last, "-o", last_form, exit_code=1)  # no priors
    type_into_notes(last_form, {("表2", "一般公共预算拨款", "增减原因"): "上年的原因"})
    tables = desk.saved("预算公开表.xlsx")
    save(make_workbook(EXAMPLE), tables)
    desk.narrator("import", tables, "--prior", last_form, "-o", desk / "figures.yaml")
    form = desk.saved("填报.xlsx")
    assert desk.narrator("form", desk / "figures.yaml", "--prior", last_form, "-o", form) == ""
    ws = load_workbook(form)["说明"]
    assert [ws.cell(FIRST, c).value for c in (TABLE, KEY, ITEM, TEXT, 10)] == \
        ["表2", "一般公共预算拨款", "增减原因", None, "上年的原因"]
