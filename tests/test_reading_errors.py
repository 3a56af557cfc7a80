"""Files review cannot read: a Chinese message at path:0:0 (or at the bad byte) and exit code 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pdfmaker
import pytest
from reportlab.pdfgen import canvas

import narrator.reading
from narrator.reading.pdf import NO_TEXT

from .conftest import run


def review_error(runner, path: Path) -> str:
    """The one line ``narrator review`` prints for a file it cannot read."""
    result = run(runner, "review", str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    [line] = result.stderr.splitlines()
    prefix = f"{path}:0:0: 错误 file-unreadable "
    assert line.startswith(prefix), line
    return line[len(prefix):]


def test_missing_file(runner, tmp_path: Path) -> None:
    assert review_error(runner, tmp_path / "没有这个文件.pdf") == "找不到文件"


@pytest.mark.parametrize("name", ["空.txt", "空.pdf", "空.docx"])
def test_empty_file(runner, tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    assert review_error(runner, tmp_path / name) == "文件是空的"


def test_a_pdf_that_is_not_a_pdf(runner, tmp_path: Path) -> None:
    path = tmp_path / "说明.pdf"
    path.write_text("这其实是一个文本文件", encoding="utf-8")
    assert review_error(runner, path) == "文件不是 PDF（内容不是 PDF 格式，可能是改了扩展名的其他文件）"


def test_a_broken_pdf(runner, tmp_path: Path) -> None:
    path = tmp_path / "说明.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    assert review_error(runner, path) == "PDF 文件已损坏，无法打开"


def test_an_encrypted_pdf(runner, tmp_path: Path) -> None:
    path = tmp_path / "说明.pdf"
    pdf = canvas.Canvas(str(path), encrypt="密码123")
    pdf.drawString(72, 720, "secret")
    pdf.save()
    assert review_error(runner, path) == "PDF 已加密（需要密码才能打开），请提供未加密的 PDF"


def test_a_scanned_pdf_without_text(runner, tmp_path: Path) -> None:
    path = tmp_path / "扫描件.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 72, 400, 600, fill=1)   # an image-only page: no text layer
    pdf.showPage()
    pdf.save()
    assert review_error(runner, path) == NO_TEXT == "PDF 中没有可读取的文字（可能是扫描件），请提供带文字层的 PDF"


def test_too_large_and_too_many_pages(runner, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "说明.pdf"
    pdfmaker.make_pdf(path, ["第一段。"] * 60, lines_per_page=20)
    monkeypatch.setattr(narrator.reading, "MAX_PAGES", 2)
    assert review_error(runner, path) == "PDF 有 3 页，超过 2 页的上限"
    monkeypatch.setattr(narrator.reading, "MAX_BYTES", 1024 * 1024)
    path.write_bytes(b"%PDF" + b" " * (3 * 1024 * 1024))
    assert review_error(runner, path) == "文件太大（3 MB），超过 1 MB 的上限"


@pytest.mark.parametrize("name, message", [
    ("说明.doc", "旧版 Word 文件（.doc）不能直接读取，请在 Word 或 WPS 中另存为 .docx 后再审查"),
    ("报表.xls", "表格文件（.xls）不能审查，请提供预算说明的 PDF、Word（.docx）或文本文件"),
    ("报表.xlsx", "表格文件（.xlsx）不能审查，请提供预算说明的 PDF、Word（.docx）或文本文件"),
    ("说明.html", "不支持的文件类型“.html”：请提供 .pdf、.docx、.txt 或 .md 文件"),
])
def test_unsupported_types(runner, tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / name).write_bytes(b"content")
    assert review_error(runner, tmp_path / name) == message


def test_binary_bytes_in_a_text_file(runner, tmp_path: Path) -> None:
    """Placed at the first byte that the encoding reading furthest (GB18030 here) could not read."""
    path = tmp_path / "说明.txt"
    path.write_bytes(bytes((i * 73 + 41) % 256 for i in range(4096)))
    result = run(runner, "review", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"{path}:1:7: 错误 file-unreadable 文件不是可读取的文本：第 1 行第 7 个字符处（文件第 13 个字节，0x95）"
        "无法按 UTF-8、UTF-16 或 GBK/GB18030 编码读取；可能是二进制文件，或一个文件中混用了几种编码"
        "（如是文本，请在记事本中另存为 UTF-8 编码）\n")


def test_word_files_that_are_not_docx(runner, tmp_path: Path) -> None:
    old = tmp_path / "旧.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert review_error(runner, old) == "这是旧版 Word 文件（.doc）改了扩展名，请在 Word 或 WPS 中另存为 .docx 后再审查"
    broken = tmp_path / "坏.docx"
    broken.write_text("不是 Word 文件", encoding="utf-8")
    assert review_error(runner, broken) == "文件不是有效的 Word（.docx）文件"


def test_a_text_file_with_only_blanks(runner, tmp_path: Path) -> None:
    path = tmp_path / "说明.txt"
    path.write_text("\n  \n\u3000\n", encoding="utf-8")
    assert review_error(runner, path) == "文件中没有文字"
