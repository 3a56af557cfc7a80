"""``narrator batch --to docx`` stores narrator's record inside each .docx, as ``render -o x.docx`` does.

So that a region's documents, rendered at once, can each be edited in Word or WPS and updated
later with ``narrator update`` like a document rendered on its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docx import Document
from typer.testing import CliRunner

from narrator.cli import app
from narrator.document.docxtext import blocks_text, body_blocks, markdown_text
from narrator.workflow.docxupdate import read_record
from narrator.text.render import render_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"
runner = CliRunner()


def region(tmp_path: Path) -> Path:
    folder = tmp_path / "区域"
    (folder / "甲县").mkdir(parents=True)
    (folder / "乙县").mkdir()
    shutil.copyfile(EXAMPLE, folder / "甲县" / "信访局.yaml")
    shutil.copyfile(EXAMPLE, folder / "乙县" / "信访局.yaml")
    return folder


def test_batch_docx_carries_the_same_record_as_render(tmp_path: Path) -> None:
    source = region(tmp_path)
    out = tmp_path / "输出"
    result = runner.invoke(app, ["batch", str(source), "-o", str(out), "--to", "docx", "--no-progress"])
    assert result.exit_code == 0, result.output
    document = out / "甲县" / "信访局.docx"
    record = read_record(document.read_bytes(), str(document))
    assert record is not None
    assert (record.format, record.kind, record.figures) == ("xinjiang-2025", ".docx", "../../区域/甲县/信访局.yaml")
    assert record.figures_text == EXAMPLE.read_text(encoding="utf-8")
    assert record.generated == markdown_text(render_file(EXAMPLE).text)
    # byte for byte the document render -o writes at the same place relative to its figures
    alone = tmp_path / "单独" / "甲县" / "信访局.docx"
    alone.parent.mkdir(parents=True)
    result = runner.invoke(app, ["render", str(source / "甲县" / "信访局.yaml"), "-o", str(alone)])
    assert result.exit_code == 0, result.output
    assert alone.read_bytes() == document.read_bytes()
    # and the same bytes whatever the number of jobs
    parallel = tmp_path / "并行"
    result = runner.invoke(app, ["batch", str(source), "-o", str(parallel), "--to", "docx", "-j", "2", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert (parallel / "乙县" / "信访局.docx").read_bytes() == (out / "乙县" / "信访局.docx").read_bytes()


def test_a_batch_docx_updates_from_the_figures_it_records(tmp_path: Path) -> None:
    source = region(tmp_path)
    out = tmp_path / "输出"
    assert runner.invoke(app, ["batch", str(source), "-o", str(out), "--to", "docx", "--no-progress"]).exit_code == 0
    figures = source / "乙县" / "信访局.yaml"
    figures.write_text(figures.read_text(encoding="utf-8").replace("amount: 214.20", "amount: 220.00"),
                       encoding="utf-8")
    document = out / "乙县" / "信访局.docx"
    result = runner.invoke(app, ["update", str(document)])  # no --figures: the recorded file
    assert result.exit_code == 0, result.output
    assert result.output == f"已更新 {document}：按新数据改写 8 句，保留人工修改 0 句，冲突 0 处。\n"
    assert blocks_text(body_blocks(Document(str(document)))) == markdown_text(render_file(figures).text)


def test_batch_md_still_writes_no_record_without_sidecar(tmp_path: Path) -> None:
    source = region(tmp_path)
    out = tmp_path / "输出"
    assert runner.invoke(app, ["batch", str(source), "-o", str(out), "--no-progress"]).exit_code == 0
    assert sorted(p.name for p in (out / "甲县").iterdir()) == ["信访局.md"]


def test_the_record_keeps_a_gbk_figures_file_as_text(tmp_path: Path) -> None:
    """Figures saved by Notepad on Chinese Windows (GBK): render -o x.docx, batch and update all read them."""
    figures = tmp_path / "区域" / "信访局.yaml"
    figures.parent.mkdir()
    figures.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("gbk"))
    document = tmp_path / "第三部分.docx"
    result = runner.invoke(app, ["render", str(figures), "-o", str(document)])
    assert result.exit_code == 0, result.output
    assert read_record(document.read_bytes(), str(document)).figures_text == EXAMPLE.read_text(encoding="utf-8")
    out = tmp_path / "输出"
    result = runner.invoke(app, ["batch", str(figures.parent), "-o", str(out), "--to", "docx", "--no-progress"])
    assert result.exit_code == 0, result.output
    batched = out / "信访局.docx"
    assert read_record(batched.read_bytes(), str(batched)).figures_text == EXAMPLE.read_text(encoding="utf-8")
    figures.write_bytes(EXAMPLE.read_text(encoding="utf-8").replace("amount: 214.20", "amount: 220.00").encode("gbk"))
    result = runner.invoke(app, ["update", str(document), "--figures", str(figures)])
    assert result.exit_code == 0, result.output
    assert "amount: 220.00" in read_record(document.read_bytes(), str(document)).figures_text
