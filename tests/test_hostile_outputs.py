"""Hostile outputs (issue 13): no command writes over its own input, every output place is checked
before anything is written, links, devices and pipes are written through, and a failing write is
a located Chinese message with exit code 2 — never a traceback, never a partial set of files."""

from __future__ import annotations

import errno
import os
import shutil
import threading
from pathlib import Path

import pytest

from narrator.errors import NarratorError
from narrator.document.output import check_outputs, write_atomic

from .conftest import EXAMPLE, run


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a figures file f.yaml, as the current folder (messages show relative paths)."""
    shutil.copy(EXAMPLE, tmp_path / "f.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry under ``folder``: its bytes, or what it is (folder, link, pipe)."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = ("link", os.readlink(path))
        elif path.is_dir():
            found[key] = "folder"
        elif path.is_fifo():
            found[key] = "pipe"
        else:
            found[key] = path.read_bytes()
    return found


def overwrites(output: str, option: str, what: str, source: str) -> str:
    """The message refusing an output that is an input of the same command."""
    return (f"{output}:0:0: 错误 output-is-input {option} 的文件就是本命令读取的{what} {source}，"
            "写入会把它覆盖；请另给一个文件名")


def refused(runner, folder: Path, message: str, *args: str) -> None:
    """The command exits 2 with exactly ``message`` and changes nothing under ``folder``."""
    before = snapshot(folder)
    result = run(runner, *args)
    assert (result.exit_code, result.stderr) == (2, message + "\n"), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert snapshot(folder) == before


# -- an output that is an input of the same command ------------------------------------------

def test_explain_file_that_is_the_figures_is_refused(runner, work: Path) -> None:
    refused(runner, work, overwrites("f.yaml", "--explain", "数据文件", "f.yaml"),
            "render", "f.yaml", "-o", "out.md", "--explain", "f.yaml")


def test_render_of_a_figures_file_named_md_over_itself_is_refused(runner, work: Path) -> None:
    (work / "f.yaml").rename(work / "f.md")
    refused(runner, work, overwrites("f.md", "-o", "数据文件", "f.md"), "render", "f.md", "-o", "f.md")


def test_an_output_linked_to_the_figures_is_refused(runner, work: Path) -> None:
    (work / "f.yaml").rename(work / "f.md")
    (work / "alias.md").symlink_to("f.md")
    os.link(work / "f.md", work / "hard.md")
    for name in ("alias.md", "hard.md"):
        refused(runner, work, overwrites(name, "-o", "数据文件", "f.md"), "render", "f.md", "-o", name)


def test_update_onto_its_figures_is_refused(runner, work: Path) -> None:
    assert run(runner, "render", "f.yaml", "-o", "out.md").exit_code in (0, 1)
    refused(runner, work, overwrites("f.yaml", "-o", "数据文件", "f.yaml"),
            "update", "out.md", "--figures", "f.yaml", "-o", "f.yaml")
    refused(runner, work, overwrites("out.md.narrator.json", "-o", "文档的生成记录", "out.md.narrator.json"),
            "update", "out.md", "--figures", "f.yaml", "-o", "out.md.narrator.json")


def test_update_onto_the_figures_its_record_names_is_refused(runner, work: Path) -> None:
    assert run(runner, "render", "f.yaml", "-o", "out.md").exit_code in (0, 1)
    refused(runner, work, overwrites("f.yaml", "-o", "数据文件", "f.yaml"), "update", "out.md", "-o", "f.yaml")


def test_update_of_a_word_file_onto_its_figures_is_refused(runner, work: Path) -> None:
    assert run(runner, "render", "f.yaml", "-o", "out.docx").exit_code in (0, 1)
    refused(runner, work, overwrites("f.yaml", "-o", "数据文件", "f.yaml"),
            "update", "out.docx", "--figures", "f.yaml", "-o", "f.yaml")


def test_update_in_place_is_still_allowed(runner, work: Path) -> None:
    assert run(runner, "render", "f.yaml", "-o", "out.md").exit_code in (0, 1)
    for extra in ((), ("-o", "out.md")):
        result = run(runner, "update", "out.md", "--figures", "f.yaml", *extra)
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in work.iterdir()) == ["f.yaml", "out.md", "out.md.narrator.json"]


def test_two_outputs_of_one_command_in_one_file_are_refused(runner, work: Path) -> None:
    refused(runner, work, "out.md:0:0: 错误 output-clash --explain 与 -o 是同一个文件，后写的会覆盖先写的；"
            "请另给一个文件名", "render", "f.yaml", "-o", "out.md", "--explain", "out.md")
    refused(runner, work, "out.md.narrator.json:0:0: 错误 output-clash --explain 与 -o 的生成记录 是同一个文件，"
            "后写的会覆盖先写的；请另给一个文件名",
            "render", "f.yaml", "-o", "out.md", "--explain", "out.md.narrator.json")


def test_import_form_and_classification_import_over_an_input_are_refused(runner, work: Path) -> None:
    (work / "table.csv").write_text("科目编码,科目名称\n201,一般公共服务支出\n", encoding="utf-8")
    refused(runner, work, overwrites("f.yaml", "-o", "工作簿", "f.yaml"), "import", "f.yaml", "-o", "f.yaml", "--force")
    refused(runner, work, overwrites("f.yaml", "-o", "上年数据（--prior）", "f.yaml"),
            "import", "x.xlsx", "-o", "f.yaml", "--prior", "f.yaml")
    refused(runner, work, overwrites("f.yaml", "-o", "数据文件", "f.yaml"), "form", "f.yaml", "-o", "f.yaml", "--force")
    refused(runner, work, overwrites("table.csv", "-o", "科目表", "table.csv"),
            "classification", "import", "table.csv", "--year", "2025", "-o", "table.csv", "--force")


# -- every output place checked before anything is written ---------------------------------

def test_missing_folder_and_folder_given_as_file_are_refused_up_front(runner, work: Path) -> None:
    (work / "dir").mkdir()
    refused(runner, work, "nodir/out.md:0:0: 错误 output 输出目录不存在：nodir", "render", "f.yaml", "-o", "nodir/out.md")
    refused(runner, work, "dir:0:0: 错误 output -o 给的是文件夹，应给文件名", "render", "f.yaml", "-o", "dir")
    # the text and its record are not written when the explain file cannot be
    refused(runner, work, "dir:0:0: 错误 output --explain 给的是文件夹，应给文件名",
            "render", "f.yaml", "-o", "out.md", "--explain", "dir")
    refused(runner, work, "nodir/x.json:0:0: 错误 output 输出目录不存在：nodir",
            "render", "f.yaml", "-o", "out.md", "--explain", "nodir/x.json")
    refused(runner, work, "f.yaml/x.md:0:0: 错误 output 输出目录不是文件夹：f.yaml", "render", "f.yaml", "-o", "f.yaml/x.md")


@pytest.mark.parametrize("args", [
    ("init", "-o", "nodir/f.yaml"),
    ("schema", "-o", "nodir/x.json"),
    ("import", "f.yaml", "-o", "nodir/f.yaml"),
    ("form", "f.yaml", "-o", "nodir/f.xlsx"),
    ("classification", "import", "f.yaml", "--year", "2025", "-o", "nodir/t.yaml"),
])
def test_every_command_refuses_a_missing_folder(runner, work: Path, args: tuple[str, ...]) -> None:
    output = args[args.index("-o") + 1]
    refused(runner, work, f"{output}:0:0: 错误 output 输出目录不存在：nodir", *args)


def test_a_read_only_folder_is_refused_up_front(runner, work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the tests may run as root, for whom a folder without write permission is writable: the
    # check asks the system (os.access), so the test makes the system say no for this folder
    (work / "ro").mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == work / "ro"
                        else real_access(path, mode))
    for args in (("render", "f.yaml", "-o", "ro/out.md"), ("init", "-o", "ro/f.yaml"),
                 ("render", "f.yaml", "-o", "out.md", "--explain", "ro/x.json")):
        output = "ro/x.json" if "--explain" in args else args[args.index("-o") + 1]
        refused(runner, work, f"{output}:0:0: 错误 output 输出目录不可写（只读或没有写入权限）：ro", *args)
    assert run(runner, "render", "f.yaml", "-o", "out.md").exit_code in (0, 1)
    refused(runner, work, "ro/out.md:0:0: 错误 output 输出目录不可写（只读或没有写入权限）：ro",
            "update", "out.md", "--figures", "f.yaml", "-o", "ro/out.md")


def test_batch_refuses_a_file_as_its_folder_and_a_missing_report_folder(runner, work: Path) -> None:
    (work / "in").mkdir()
    (work / "f.yaml").rename(work / "in" / "a.yaml")
    (work / "taken").write_text("x", encoding="utf-8")
    refused(runner, work, "taken:0:0: 错误 output -o 应是文件夹，但已有同名文件：taken",
            "batch", "in", "-o", "taken", "--no-progress")
    refused(runner, work, "nodir/r.json:0:0: 错误 output 输出目录不存在：nodir",
            "batch", "in", "-o", "out", "-r", "nodir/r.json", "--no-progress")
    # a report inside the output folder the batch makes is fine
    result = run(runner, "batch", "in", "-o", "out", "-r", "out/r.json", "--no-progress")
    assert result.exit_code in (0, 1), result.output
    assert sorted(p.name for p in (work / "out").iterdir()) == ["a.md", "r.json"]


def test_review_refuses_a_report_folder_up_front(runner, work: Path) -> None:
    (work / "doc.md").write_text("一、部门职责\n\n本部门负责预算编制。\n", encoding="utf-8")
    (work / "r.json").mkdir()
    refused(runner, work, "nodir/r.json:0:0: 错误 output 输出目录不存在：nodir",
            "review", "doc.md", "-r", "nodir/r.json", "--no-progress")
    refused(runner, work, "r.json:0:0: 错误 output -r 给的是文件夹，应给文件名",
            "review", "doc.md", "-r", "r.json", "--no-progress")


# -- links, devices and pipes ------------------------------------------------------------------

def test_a_link_is_written_through_and_stays_a_link(runner, work: Path) -> None:
    (work / "real").mkdir()
    (work / "real" / "doc.md").write_text("旧\n", encoding="utf-8")
    (work / "link.md").symlink_to("real/doc.md")
    (work / "dangling.md").symlink_to("real/new.md")
    for name in ("link.md", "dangling.md"):
        assert run(runner, "render", "f.yaml", "-o", name, "--no-sidecar").exit_code in (0, 1)
    assert os.readlink(work / "link.md") == "real/doc.md" and os.readlink(work / "dangling.md") == "real/new.md"
    assert (work / "real" / "doc.md").read_text(encoding="utf-8").startswith("# 第三部分")
    assert (work / "real" / "new.md").read_bytes() == (work / "real" / "doc.md").read_bytes()
    assert sorted(p.name for p in (work / "real").iterdir()) == ["doc.md", "new.md"]  # no temporary left


def test_a_named_pipe_is_written_into_not_replaced(work: Path) -> None:
    pipe = work / "pipe.md"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    while not received and reader.is_alive():
        try:
            write_atomic(pipe, "正文\n")
            break
        except NarratorError:  # the reader has not opened the pipe yet
            pass
    reader.join(5)
    assert received == ["正文\n".encode()] and pipe.is_fifo()


def test_a_pipe_nobody_reads_is_an_error_not_a_hang(runner, work: Path) -> None:
    os.mkfifo(work / "pipe.md")
    refused(runner, work, "pipe.md:0:0: 错误 output 无法写入：命名管道没有读取的程序",
            "render", "f.yaml", "-o", "pipe.md", "--no-sidecar")


def test_a_file_reached_through_its_descriptor_is_written_in_place(tmp_path: Path) -> None:
    # `narrator render f.yaml -o /dev/stdout > 文件`: the shell's file is written, not replaced
    target = tmp_path / "out.md"
    target.write_text("旧的内容，比新的长\n", encoding="utf-8")
    inode = target.stat().st_ino
    with target.open("rb") as held:
        if not Path(f"/proc/self/fd/{held.fileno()}").exists():
            pytest.skip("no /proc here")
        write_atomic(f"/proc/self/fd/{held.fileno()}", "正文\n")
    assert (target.read_text(encoding="utf-8"), target.stat().st_ino) == ("正文\n", inode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]


def test_a_character_device_is_written_through(tmp_path: Path) -> None:
    device = Path("/dev/zero")  # writable, discards what is written, and not /dev/null (tests share it)
    if not device.is_char_device():
        pytest.skip("no /dev/zero here")
    write_atomic(device, "正文\n")
    assert device.is_char_device()
    check_outputs([("-o", device)])  # a device is a place one may write


# -- failures of the system while writing ------------------------------------------------------

def test_a_batch_folder_that_cannot_be_made_is_a_located_error(runner, work: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (work / "in").mkdir()
    (work / "f.yaml").rename(work / "in" / "a.yaml")

    def fail(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "mkdir", fail)
    refused(runner, work, "out:0:0: 错误 output 无法建立文件夹：磁盘空间不足", "batch", "in", "-o", "out", "--no-progress")

@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "磁盘空间不足"), (errno.EACCES, "没有写入权限"),
                                          (errno.EROFS, "磁盘或文件夹只读"), (errno.ELOOP, "系统错误 ELOOP")])
def test_a_failing_write_is_a_located_chinese_error(runner, work: Path, monkeypatch: pytest.MonkeyPatch,
                                                    code: int, reason: str) -> None:
    def fail(*_: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", fail)
    refused(runner, work, f"out.md:0:0: 错误 output 无法写入：{reason}", "render", "f.yaml", "-o", "out.md")
    refused(runner, work, f"s.json:0:0: 错误 output 无法写入：{reason}", "schema", "-o", "s.json")


@pytest.mark.parametrize("args, failing", [
    (("render", "f.yaml", "-o", "out.md", "--explain", "x.json"), "x.json"),
    (("render", "f.yaml", "-o", "out.md"), "out.md.narrator.json"),
    (("render", "f.yaml", "-o", "out.docx", "--explain", "x.json"), "x.json"),
])
def test_a_command_failing_on_its_last_output_writes_none(runner, work: Path, monkeypatch: pytest.MonkeyPatch,
                                                           args: tuple[str, ...], failing: str) -> None:
    from narrator.document import atomicwrite

    real_open = atomicwrite._open_temporary

    def open_temporary(temporary: str) -> int:
        if os.path.basename(temporary).rsplit(".", 2)[0] == f".{failing}":  # the disk fills up just as
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))           # the last output is written
        return real_open(temporary)

    monkeypatch.setattr(atomicwrite, "_open_temporary", open_temporary)
    refused(runner, work, f"{failing}:0:0: 错误 output 无法写入：磁盘空间不足", *args)


def test_update_failing_on_its_record_keeps_the_document(runner, work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from narrator.document import atomicwrite

    assert run(runner, "render", "f.yaml", "-o", "out.md").exit_code in (0, 1)
    (work / "f.yaml").write_text((work / "f.yaml").read_text(encoding="utf-8").replace("214.20", "215.20"),
                                 encoding="utf-8")
    real_open = atomicwrite._open_temporary

    def open_temporary(temporary: str) -> int:
        if os.path.basename(temporary).rsplit(".", 2)[0] == ".out.md.narrator.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_open(temporary)

    monkeypatch.setattr(atomicwrite, "_open_temporary", open_temporary)
    refused(runner, work, "out.md.narrator.json:0:0: 错误 output 无法写入：磁盘空间不足", "update", "out.md")
