"""The files a clerk gives by mistake: the workbook where the figures go, a .doc, a PDF.

Each is named for what it is, with what to do instead — not sent to Notepad to re-save as
UTF-8, which is the advice for a text file in a wrong encoding.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import EXAMPLE, FIXTURES, run

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)   # the header of a .doc, .xls or .wps
WORKBOOK = ("这是 Excel 工作簿，不是文本文件：预算公开表请先用 narrator import 导入为数据文件（figures.yaml），"
            "再用这个数据文件")
OLD_WORD = "这是旧版 Word 或 WPS 文件（.doc、.wps），不是文本文件：请在 Word 或 WPS 中另存为 .docx 后再用"


def _one_error(result) -> str:
    assert result.exit_code == 2 and result.stdout == ""
    return result.stderr


def test_the_workbook_given_to_check_or_render(runner, tmp_path: Path) -> None:
    workbook = tmp_path / "预算公开表.xlsx"
    shutil.copy(FIXTURES / "atushi-2025.xlsx", workbook)
    for command in ("check", "render"):
        assert _one_error(run(runner, command, str(workbook))) == \
            f"{workbook}:0:0: 错误 file-unreadable {WORKBOOK}\n"
    old = tmp_path / "预算公开表.xls"
    old.write_bytes(OLE)
    assert _one_error(run(runner, "check", str(old))) == f"{old}:0:0: 错误 file-unreadable {WORKBOOK}\n"


def test_a_doc_or_pdf_given_to_lint(runner, tmp_path: Path) -> None:
    doc = tmp_path / "第三部分.doc"
    doc.write_bytes(OLE)
    assert _one_error(run(runner, "lint", str(doc))) == f"{doc}:0:0: 错误 file-unreadable {OLD_WORD}\n"
    pdf = tmp_path / "第三部分.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    assert _one_error(run(runner, "lint", str(pdf))) == \
        f"{pdf}:0:0: 错误 file-unreadable 这是 PDF 文件，不是文本文件：已公开的 PDF 请用 narrator review 审查\n"


def test_a_word_file_given_to_render(runner, tmp_path: Path) -> None:
    document = tmp_path / "第三部分.docx"
    assert run(runner, "render", str(EXAMPLE), "-o", str(document)).exit_code == 0
    assert _one_error(run(runner, "render", str(document))) == (
        f"{document}:0:0: 错误 file-unreadable 这是 Word 文件（.docx），不是文本文件："
        "这里要的是数据文件（figures.yaml）或文本文件（.txt、.md）\n")


def test_update_of_a_doc_says_to_save_as_docx(runner, tmp_path: Path) -> None:
    """Word's “save as .doc” drops the record: the way back is .docx and --from-figures."""
    doc = tmp_path / "第三部分.doc"
    doc.write_bytes(OLE)
    assert _one_error(run(runner, "update", str(doc), "--figures", str(EXAMPLE))) == (
        f"{doc}:0:0: 错误 file-unreadable .doc 文件不能更新：请在 Word 或 WPS 中另存为 .docx；"
        "另存过其他格式的，生成记录已丢失，更新时再加 --from-figures 给出生成原文时所用的数据文件\n")
    pdf = tmp_path / "第三部分.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    assert _one_error(run(runner, "update", str(pdf), "--figures", str(EXAMPLE))) == (
        f"{pdf}:0:0: 错误 file-unreadable .pdf 文件不能更新：narrator update 更新 narrator 写出的 .docx、.md、.txt 文件\n")


def test_render_to_doc_names_the_file_and_says_docx(runner, tmp_path: Path) -> None:
    target = tmp_path / "第三部分.doc"
    assert _one_error(run(runner, "render", str(EXAMPLE), "-o", str(target))) == (
        f"{target}:0:0: 错误 unknown-output-type 不支持的输出类型 “.doc”，可用：.docx、.htm、.html、.markdown、.md、.txt；"
        "Word、WPS 文件请写 .docx\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
