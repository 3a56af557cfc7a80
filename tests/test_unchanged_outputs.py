"""An output that already holds the bytes to write is kept, its time set (narrator.document.atomicwrite)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from narrator.document import atomicwrite
from narrator.errors import NarratorError
from narrator.document.output import write_all, write_atomic


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    target = tmp_path / "第三部分.md"
    write_atomic(target, "正文\n")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))  # (a time long past)
    return target


def test_the_same_bytes_are_not_written_again_but_the_time_is_set(old_file: Path) -> None:
    inode = old_file.stat().st_ino
    write_atomic(old_file, "正文\n")
    assert old_file.stat().st_ino == inode and old_file.stat().st_mtime_ns > 1_000_000_000
    assert sorted(p.name for p in old_file.parent.iterdir()) == ["第三部分.md"]


@pytest.mark.parametrize("change", ["text", "mode", "link"])
def test_a_file_unlike_a_new_one_is_replaced(old_file: Path, change: str) -> None:
    new = "正文。\n" if change == "text" else "正文\n"
    if change == "mode":
        old_file.chmod(0o600)
    if change == "link":
        os.link(old_file, old_file.parent / "另一个名字.md")
    inode = old_file.stat().st_ino
    expected_mode = stat.S_IMODE(old_file.stat().st_mode) if change != "mode" else None
    write_atomic(old_file, new)
    assert old_file.read_text(encoding="utf-8") == new and old_file.stat().st_ino != inode
    if expected_mode is not None:
        assert stat.S_IMODE(old_file.stat().st_mode) == expected_mode
    if change == "link":  # the other name keeps what it held
        assert (old_file.parent / "另一个名字.md").stat().st_ino == inode


def test_a_failing_command_leaves_an_unchanged_output_untouched(old_file: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def full(temporary: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomicwrite, "_open_temporary", full)
    with pytest.raises(NarratorError):
        write_all([(old_file, "正文\n"), (old_file.parent / "x.json", "{}")])
    assert old_file.stat().st_mtime_ns == 1_000_000_000
    assert sorted(p.name for p in old_file.parent.iterdir()) == ["第三部分.md"]


def test_a_taken_temporary_name_is_passed_over(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    taken = tmp_path / f".a.md.{os.getpid()}-{next(atomicwrite._NUMBERS) + 1}.tmp"
    taken.symlink_to(tmp_path / "elsewhere")  # a name already there is never opened, link or not
    write_atomic(target, "正文\n")
    assert target.read_text(encoding="utf-8") == "正文\n" and not (tmp_path / "elsewhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.md", taken.name])
