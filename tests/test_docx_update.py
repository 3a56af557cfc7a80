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
from typer.testing import CliRunner

from narrator.cli import app
from narrator.docxupdate import read_record
from narrator.document.docxtext import blocks_text, body_blocks, markdown_text
from narrator.render import render_file

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
        result = CliRunner().invoke(app, ["render", str(self.figures), "-o", str(self.document)])
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
    result = CliRunner().invoke(app, ["render", str(EXAMPLE), "-o", str(out), "--no-sidecar"])
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
