"""Files narrator writes: the umask's mode (shared folders), atomic replacement, a .docx marked zh-CN."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from narrator.document.output import convert, write_atomic
from narrator.text.render import render_file

from .conftest import EXAMPLE, run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def umask():
    """Set the umask for one test and put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o027, 0o640)])
def test_written_files_get_the_mode_of_the_umask(tmp_path: Path, umask, mask: int, expected: int) -> None:
    umask(mask)
    target = tmp_path / "第三部分.md"
    write_atomic(target, "正文\n")
    assert mode(target) == expected
    assert os.umask(mask) == mask  # the umask read is the umask left


def test_replacing_a_file_is_atomic_and_takes_the_umask_mode(tmp_path: Path, umask) -> None:
    umask(0o022)
    target = tmp_path / "第三部分.md"
    target.write_text("旧\n", encoding="utf-8")
    target.chmod(0o600)
    write_atomic(target, "新\n")
    assert target.read_text(encoding="utf-8") == "新\n" and mode(target) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["第三部分.md"]  # no temporary file left


def test_cli_outputs_are_readable_by_colleagues(runner, tmp_path: Path, umask) -> None:
    umask(0o022)
    for name in ("第三部分.md", "第三部分.docx", "第三部分.html"):
        result = run(runner, "render", "--fail-on", "warning", str(EXAMPLE), "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    written = sorted((p.name, oct(mode(p))) for p in tmp_path.iterdir())
    assert written == [("第三部分.docx", "0o644"), ("第三部分.html", "0o644"), ("第三部分.md", "0o644"),
                       ("第三部分.md.narrator.json", "0o644")]


def test_docx_is_marked_chinese() -> None:
    data = convert(render_file(EXAMPLE).text, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
        settings = etree.fromstring(package.read("word/settings.xml"))
    langs = styles.findall(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert [(lang.get(f"{W}val"), lang.get(f"{W}eastAsia"), lang.get(f"{W}bidi")) for lang in langs] == [
        ("zh-CN", "zh-CN", "ar-SA")]
    # no style speaks another language over the default
    assert [lang.attrib for lang in styles.iter(f"{W}lang")] == [lang.attrib for lang in langs]
    [theme] = settings.findall(f"{W}themeFontLang")
    assert theme.get(f"{W}eastAsia") == "zh-CN"


def test_a_folder_link_that_changed_is_followed_again(tmp_path: Path) -> None:
    # the real folder of an output is remembered (narrator.document.output._real_folder) only while the
    # path leads to the same folder: a file then reached through /dev is written in place
    shared = Path("/dev/shm")
    if not shared.is_dir() or not os.access(shared, os.W_OK):
        pytest.skip("no writable /dev/shm here")
    elsewhere = Path(os.path.realpath(tmp_path)) / "a"
    elsewhere.mkdir()
    under_dev = shared / f"narrator-test-{os.getpid()}"
    under_dev.mkdir()
    try:
        link = tmp_path / "out"
        link.symlink_to(elsewhere)
        for _ in range(2):
            (elsewhere / "f.md").write_text("旧\n", encoding="utf-8")
            before = (elsewhere / "f.md").stat().st_ino
            write_atomic(link / "f.md", "新\n")
            assert (elsewhere / "f.md").stat().st_ino != before  # replaced
        link.unlink()
        link.symlink_to(under_dev)
        (under_dev / "f.md").write_text("旧\n", encoding="utf-8")
        before = (under_dev / "f.md").stat().st_ino
        write_atomic(link / "f.md", "新\n")
        assert (under_dev / "f.md").stat().st_ino == before  # written in place, as under /dev
        assert (under_dev / "f.md").read_text(encoding="utf-8") == "新\n"
    finally:
        for path in under_dev.iterdir():
            path.unlink()
        under_dev.rmdir()
