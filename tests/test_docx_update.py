"""The Word round trip: render a .docx, edit it (python-docx, LibreOffice), change figures, update.

Each test edits the document as a person would in Word — a word changed, a run made bold — and
asserts the exact paragraphs and runs of the updated document, and its findings.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from typer.testing import CliRunner

from narrator.cli import app
from narrator.workflow.docxupdate import read_record
from narrator.document.docxtext import blocks_text, body_blocks, markdown_text
from narrator.text.render import render_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "docx"

OVERALL = "按照全口径预算的原则，阿图什市信访局2025年所有收入和支出均纳入部门预算管理。收支总预算222.22万元。"
OVERALL_EDITED = ("按照", "全口径预算", "的原则，阿图什市信访局2025年全部收入和支出均纳入部门预算管理。")
TOTAL_NEW = "收支总预算228.02万元。"
GENERAL = ("一般公共预算214.20万元，占96.39%，比上年预算减少40.65万元，下降15.95%，"
           "主要原因是本年减少联合接访运转项目经费和业务工作项目经费。")
GENERAL_NEW = ("一般公共预算220.00万元，占96.48%，比上年预算减少34.85万元，下降13.67%，"
               "主要原因是本年减少联合接访运转项目经费和业务工作项目经费。")
INCOME_KINDS = "收入预算包括：一般公共预算、单位资金、财政拨款结转结余。"


def paragraph(doc, text: str):
    """The one body paragraph whose text is ``text``."""
    found = [p for p in doc.paragraphs if p.text == text]
    assert len(found) == 1, f"expected one paragraph {text!r}, found {len(found)}"
    return found[0]


def runs(p) -> list[tuple[str, bool | None]]:
    """A paragraph's runs as (text, bold) — what a person sees of its formatting."""
    return [(r.text, r.bold) for r in p.runs]


def edit_overall(doc) -> None:
    """A person's edit: “所有” → “全部” in the first sentence, and “全口径预算” made bold."""
    p = paragraph(doc, OVERALL)
    for run in list(p.runs):
        run._r.getparent().remove(run._r)
    first, sentence = OVERALL_EDITED[0], "".join(OVERALL_EDITED)
    p.add_run(first)
    p.add_run(OVERALL_EDITED[1]).bold = True
    p.add_run(OVERALL_EDITED[2] + "收支总预算222.22万元。")
    assert p.text == sentence + "收支总预算222.22万元。"


class Workspace:
    """A folder with figures.yaml and the 第三部分.docx rendered from it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.figures = folder / "figures.yaml"
        self.document = folder / "第三部分.docx"
        self.figures.write_bytes(EXAMPLE.read_bytes())
        result = CliRunner().invoke(app, ["render", "--fail-on", "warning", str(self.figures), "-o", str(self.document)])
        assert result.exit_code == 0, result.output

    def doc(self):
        return Document(str(self.document))

    def save(self, doc) -> None:
        doc.save(str(self.document))

    def change_figures(self, old: str, new: str) -> None:
        text = self.figures.read_text(encoding="utf-8")
        assert text.count(old) == 1
        self.figures.write_text(text.replace(old, new), encoding="utf-8")

    def update(self, *extra: str):
        return CliRunner().invoke(app, ["update", str(self.document), "--figures", str(self.figures), *extra])


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def test_render_stores_the_record_inside_the_docx(ws: Workspace) -> None:
    record = read_record(ws.document.read_bytes(), str(ws.document))
    assert record is not None
    assert record.format == "xinjiang-2025"
    assert record.kind == ".docx"
    assert record.figures == "figures.yaml"
    assert record.figures_text == EXAMPLE.read_text(encoding="utf-8")
    # the stored text is the document's own text, as update reads it
    assert record.generated == blocks_text(body_blocks(ws.doc()))
    assert record.generated == markdown_text(render_file(EXAMPLE).text)
    assert not (ws.folder / "第三部分.docx.narrator.json").exists()


def test_render_no_sidecar_stores_no_record(tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    result = CliRunner().invoke(app, ["render", "--fail-on", "warning", str(EXAMPLE), "-o", str(out), "--no-sidecar"])
    assert result.exit_code == 0
    assert read_record(out.read_bytes(), str(out)) is None


def test_python_docx_edit_and_bold_are_kept_and_the_changed_sentences_are_new(ws: Workspace) -> None:
    doc = ws.doc()
    edit_overall(doc)
    ws.save(doc)
    ws.change_figures("amount: 214.20", "amount: 220.00")
    result = ws.update()
    assert result.exit_code == 0, result.output
    assert result.output.endswith("冲突 0 处。\n")
    doc = ws.doc()
    edited = paragraph(doc, "".join(OVERALL_EDITED) + TOTAL_NEW)
    assert runs(edited) == [("按照", None), ("全口径预算", True),
                            (OVERALL_EDITED[2], None), (TOTAL_NEW, None)]
    assert edited.style.name == "Normal"
    assert runs(paragraph(doc, GENERAL_NEW)) == [(GENERAL_NEW, None)]
    assert not [p for p in doc.paragraphs if p.text == GENERAL]
    # the whole text is the new text but for the person's edit
    new = markdown_text(render_file(ws.figures).text)
    assert blocks_text(body_blocks(doc)) == new.replace("所有收入", "全部收入")
    # and the document carries the new record: a second update changes nothing
    before = ws.document.read_bytes()
    assert ws.update().exit_code == 0
    assert blocks_text(body_blocks(ws.doc())) == blocks_text(body_blocks(Document(io.BytesIO(before))))


def resave_with_libreoffice(document: Path, folder: Path) -> Path:
    """``document`` opened and saved again as .docx by LibreOffice (headless), as a person's save."""
    folder.mkdir(exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder / 'profile'}",
                    "--convert-to", "docx", "--outdir", str(folder), str(document)],
                   check=True, capture_output=True, timeout=180)
    return folder / document.name


def edited_in_libreoffice(ws: Workspace) -> Path:
    """The rendered document edited (:func:`edit_overall`) and then saved by LibreOffice.

    ``tests/fixtures/docx/edited-libreoffice.docx`` was made by this function (see the README
    there), so that the test of such a document runs where LibreOffice is not installed.
    """
    doc = ws.doc()
    edit_overall(doc)
    ws.save(doc)
    return resave_with_libreoffice(ws.document, ws.folder / "libreoffice")


def check_libreoffice_update(ws: Workspace, saved: Path) -> None:
    shutil.copyfile(saved, ws.document)
    assert read_record(ws.document.read_bytes(), str(ws.document)) is not None
    ws.change_figures("amount: 214.20", "amount: 220.00")
    result = ws.update()
    assert result.exit_code == 0, result.output
    doc = ws.doc()
    edited = paragraph(doc, "".join(OVERALL_EDITED) + TOTAL_NEW)
    # LibreOffice splits runs where the script changes (the digits of 2025 are a run of their own)
    assert [(text, bold) for text, bold in runs(edited) if bold] == [("全口径预算", True)]
    assert "".join(text for text, bold in runs(edited) if not bold) == \
        "按照的原则，阿图什市信访局2025年全部收入和支出均纳入部门预算管理。" + TOTAL_NEW
    assert runs(edited)[-1] == (TOTAL_NEW, None)
    assert paragraph(doc, GENERAL_NEW).style.name == "Normal"
    new = markdown_text(render_file(ws.figures).text)
    assert blocks_text(body_blocks(doc)) == new.replace("所有收入", "全部收入")


def test_a_docx_saved_by_libreoffice_keeps_the_edit_and_its_bold(ws: Workspace) -> None:
    check_libreoffice_update(ws, FIXTURES / "edited-libreoffice.docx")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_live_libreoffice_round_trip(ws: Workspace) -> None:
    saved = edited_in_libreoffice(ws)
    assert saved.read_bytes()[:2] == b"PK"
    check_libreoffice_update(ws, saved)


def test_conflict_in_a_docx_is_reported_at_its_paragraph(ws: Workspace) -> None:
    doc = ws.doc()
    p = paragraph(doc, GENERAL)
    p.runs[0].text = GENERAL.replace("主要原因是本年减少", "主要是因为本年压减")
    for run in p.runs[1:]:
        run.text = ""
    ws.save(doc)
    ws.change_figures("amount: 214.20", "amount: 220.00")
    result = ws.update()
    assert result.exit_code == 1
    doc = ws.doc()
    number = [p.text for p in doc.paragraphs].index(GENERAL_NEW) + 1
    edited = GENERAL.replace("主要原因是本年减少", "主要是因为本年压减")
    assert result.output.splitlines()[0] == (
        f"{ws.document}:{number}:1: 警告 edit-conflict 此句人工改过，但它依据的数据变了"
        f"（income.general.amount 214.20 → 220.00），已换成新生成的句子“{GENERAL_NEW}”；"
        f"人工改过的句子是“{edited}”，请核对后把需要的修改补回")
    assert result.output.splitlines()[1] == f"已更新 {ws.document}：按新数据改写 7 句，保留人工修改 0 句，冲突 1 处。"


def test_new_table_row_and_removed_paragraphs(ws: Workspace) -> None:
    """A table is merged whole: unedited, it becomes the new table (a project added)."""
    doc = ws.doc()
    edit_overall(doc)
    ws.save(doc)
    text = ws.figures.read_text(encoding="utf-8")
    assert text.count("name: 信访业务工作经费") == 1
    table_rows_before = len(ws.doc().tables[0].rows)
    ws.change_figures("amount: 214.20", "amount: 220.00")
    result = ws.update()
    assert result.exit_code == 0, result.output
    doc = ws.doc()
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == table_rows_before
    assert doc.tables[0].style.name == "Table Grid"
    assert blocks_text(body_blocks(doc)) == markdown_text(render_file(ws.figures).text).replace("所有收入", "全部收入")


def test_update_from_figures_when_the_document_has_no_record(ws: Workspace, tmp_path: Path) -> None:
    plain = tmp_path / "无记录.docx"
    assert CliRunner().invoke(app, ["render", "--fail-on", "warning", str(ws.figures), "-o", str(plain), "--no-sidecar"]).exit_code == 0
    doc = Document(str(plain))
    edit_overall(doc)
    doc.save(str(plain))
    old = tmp_path / "old.yaml"
    shutil.copyfile(ws.figures, old)
    ws.change_figures("amount: 214.20", "amount: 220.00")
    result = CliRunner().invoke(app, ["update", str(plain), "--figures", str(ws.figures)])
    assert result.exit_code == 2
    assert result.output == (f"{plain}:0:0: 错误 no-sidecar 无记录.docx 中没有 narrator 的生成记录（不是 narrator render "
                             "写出的，或记录已丢失），无法区分人工修改与生成的文字；请用 --from-figures "
                             "给出生成它时所用的数据文件\n")
    result = CliRunner().invoke(app, ["update", str(plain), "--from-figures", str(old), "--figures", str(ws.figures)])
    assert result.exit_code == 0, result.output
    doc = Document(str(plain))
    edited = paragraph(doc, "".join(OVERALL_EDITED) + TOTAL_NEW)
    assert runs(edited)[:2] == [("按照", None), ("全口径预算", True)]
    assert read_record(plain.read_bytes(), str(plain)).figures_text == ws.figures.read_text(encoding="utf-8")


def test_update_from_figures_on_a_document_written_by_hand(ws: Workspace, tmp_path: Path) -> None:
    """A clerk's own Word file: typed in, indented with spaces, no table, no narrator styles."""
    old = tmp_path / "old.yaml"
    shutil.copyfile(ws.figures, old)
    own = tmp_path / "自己的.docx"
    doc = Document()
    for text in markdown_text(render_file(old).text).split("\n\n"):
        if not text.startswith("〔表格〕") and text != GENERAL:  # people left out the table and a paragraph
            p = doc.add_paragraph()
            p.add_run("\u3000\u3000")  # indented with full-width spaces, as people do
            p.add_run(text).font.size = Pt(16)  # and their own font size, not a style
    doc.save(str(own))
    ws.change_figures("amount: 214.20", "amount: 220.00")
    ws.change_figures("name: 信访业务工作经费", "name: 信访业务专项经费")
    result = CliRunner().invoke(app, ["update", str(own), "--from-figures", str(old), "--figures", str(ws.figures)])
    assert result.exit_code == 1, result.output
    doc = Document(str(own))
    # the paragraph people left out changed: it is put back, formatted as their paragraph before it
    p = paragraph(doc, "\u3000\u3000" + GENERAL_NEW)
    assert runs(p) == [("\u3000\u3000", None), (GENERAL_NEW, None)]
    assert [r.font.size for r in p.runs] == [None, Pt(16)]
    assert p.style.name == "Normal"
    assert [r.font.size for r in paragraph(doc, "\u3000\u3000" + INCOME_KINDS).runs] == [None, Pt(16)]
    # people left the table out, but the figures changed it: it is put back, in narrator's styles
    assert len(doc.tables) == 1
    assert doc.tables[0].cell(1, 1).text == "信访业务专项经费"
    assert doc.tables[0].cell(1, 1).paragraphs[0].style.name == "Table Text"
    conflicts = [line for line in result.output.splitlines() if "edit-conflict" in line]
    assert len(conflicts) == 2 and "此句曾被人工删去" in conflicts[0] and \
        "已放回新生成的表格“序号 | 项目名称 | 资金来源 | 预算金额（万元） ‖ 1 | 信访业务专项经费 |" in conflicts[1]


def test_lint_check_diff_and_review_read_a_docx(ws: Workspace) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["lint", str(ws.document)])
    assert "UTF-8" not in result.output
    assert result.exit_code == 0, result.output
    ws.change_figures("amount: 214.20", "amount: 220.00")
    result = runner.invoke(app, ["lint", str(ws.document), "--figures", str(ws.figures)])
    assert result.exit_code == 1
    number = [p.text for p in ws.doc().paragraphs].index(OVERALL) + 1
    column = OVERALL.index("222.22") + 1
    assert result.output.splitlines()[0] == (
        f"{ws.document}:{number}:{column}: 错误 figure-amount 金额写作 222.22万元，应为 228.02 万元"
        "（部门收入预算合计：规则 income_total）")
    # diff: the figures recorded in the document against new ones — what update would change
    result = runner.invoke(app, ["diff", str(ws.document), str(ws.figures)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:5] == [
        "## 一、关于阿图什市信访局2025年收支预算情况总体说明", "[改]（新文第 5 行）",
        "- 收支总预算222.22万元。", "+ 收支总预算228.02万元。",
        f"  因为：income.general.amount 214.20 → 220.00（{ws.figures}:23）"]
    # check: the figures recorded in the document
    result = runner.invoke(app, ["check", "--fail-on", "warning", str(ws.document), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"path": "' + f"{ws.document}（生成记录中的数据）" in result.output
    result = runner.invoke(app, ["review", str(ws.document)])
    assert result.exit_code == 0, result.output


def test_diff_and_check_of_a_docx_without_record(tmp_path: Path) -> None:
    plain = tmp_path / "x.docx"
    assert CliRunner().invoke(app, ["render", "--fail-on", "warning", str(EXAMPLE), "-o", str(plain), "--no-sidecar"]).exit_code == 0
    for command in (["diff", str(plain), str(EXAMPLE)], ["check", str(plain)]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2
        assert result.output == (f"{plain}:0:0: 错误 no-sidecar x.docx 中没有 narrator 的生成记录（不是 narrator "
                                 "render 写出的，或记录已丢失），请直接给出生成它时所用的数据文件\n")


def random_edits(doc, rng) -> None:
    """Edits a person might make: delete, split, join or add paragraphs, change words, bold runs."""
    paragraphs = [p for p in doc.paragraphs if p.text]
    for _ in range(rng.randint(1, 6)):
        p = rng.choice(paragraphs)
        action = rng.choice(["delete", "word", "bold", "split", "add", "join"])
        if action == "delete":
            p._p.getparent().remove(p._p)
            paragraphs.remove(p)
        elif action == "word" and p.runs and p.runs[0].text:
            run = rng.choice([r for r in p.runs if r.text] or p.runs)
            run.text = run.text[:len(run.text) // 2] + "某" + run.text[len(run.text) // 2:]
        elif action == "bold" and p.runs:
            rng.choice(p.runs).bold = True
        elif action == "split" and p.runs and "。" in p.runs[0].text[:-1]:
            first, rest = p.runs[0].text.split("。", 1)
            p.insert_paragraph_before(first + "。")
            p.runs[0].text = rest
        elif action == "add":
            p.insert_paragraph_before("这是人工加的一句话。")
        elif action == "join" and paragraphs.index(p) + 1 < len(paragraphs):
            after = paragraphs[paragraphs.index(p) + 1]
            for run in after.runs:
                p._p.append(run._r)
            after._p.getparent().remove(after._p)
            paragraphs.remove(after)


@pytest.mark.parametrize("source", ["rendered", "libreoffice"])
def test_the_written_document_has_exactly_the_merged_text(ws: Workspace, source: str) -> None:
    """Under random edits, the document update writes reads back as the merge's text, sentence for sentence."""
    import random

    from narrator.workflow.update import update_document

    if source == "libreoffice":
        shutil.copyfile(FIXTURES / "edited-libreoffice.docx", ws.document)
    original = ws.document.read_bytes()
    changed = ws.folder / "changed.yaml"
    changed.write_text(ws.figures.read_text(encoding="utf-8").replace("amount: 214.20", "amount: 220.00")
                       .replace("name: 信访业务工作经费", "name: 信访业务专项经费"), encoding="utf-8")
    rng = random.Random(7)
    for attempt in range(6):
        doc = Document(io.BytesIO(original))
        random_edits(doc, rng)
        ws.save(doc)
        out = ws.folder / f"out{attempt}.docx"
        merged = update_document(ws.document, rng.choice([changed, ws.figures]), out)
        assert blocks_text(body_blocks(Document(str(out)))) == merged.text


def test_figures_default_to_the_recorded_file_and_a_broken_docx_is_refused(ws: Workspace) -> None:
    ws.change_figures("amount: 214.20", "amount: 220.00")
    result = CliRunner().invoke(app, ["update", str(ws.document)])
    assert result.exit_code == 0, result.output
    assert paragraph(ws.doc(), GENERAL_NEW)
    broken = ws.folder / "旧.docx"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    result = CliRunner().invoke(app, ["update", str(broken), "--figures", str(ws.figures)])
    assert result.exit_code == 2
    assert result.output == (f"{broken}:0:0: 错误 file-unreadable Word 文件已损坏或不是 .docx 格式，无法打开"
                             "（.doc 文件请先另存为 .docx）\n")


def test_tracked_deletions_are_not_text(ws: Workspace) -> None:
    """Text deleted with “track changes” on is not read, nor copied out of its deletion as text."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    doc = ws.doc()
    p = paragraph(doc, OVERALL)
    first = OVERALL.split("。")[0] + "。"
    p.runs[0].text = first[:4]  # the deletion sits inside the sentence people keep
    deleted = parse_xml('<w:del xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                        'w:id="1" w:author="x"><w:r><w:delText>删掉的字。</w:delText></w:r></w:del>')
    p._p.append(deleted)
    p.add_run(OVERALL[4:])
    ws.save(doc)
    assert OVERALL in blocks_text(body_blocks(ws.doc())).split("\n\n")
    ws.change_figures("amount: 214.20", "amount: 220.00")
    assert ws.update().exit_code == 0
    rebuilt = paragraph(ws.doc(), first + TOTAL_NEW)
    assert [t.text for t in rebuilt._p.iter(qn("w:delText"))] == []
