"""The atomic writer's shortcuts look at a path as the long way does (narrator.document.atomicwrite)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from narrator.document import atomicwrite


@pytest.mark.parametrize("name", ["/a/b", "/a//b", "//a", "///a", "/a/./b", "/a/", "/a/.", "/a/..", "/a/../b",
                                  "a/b", "./a", "/", "/.", "/a/.b", "/a/b.", "/dev/stdout", "/proc/self/fd/1",
                                  "/第三部分/输出.md", "/a/ b /c"])
def test_a_path_taken_as_it_is_is_what_pathlib_makes_of_it(name: str) -> None:
    if atomicwrite._normal_absolute(name):
        assert str(Path(name).absolute()) == name
    # the usual output paths take the shortcut
    assert atomicwrite._normal_absolute(name) == (name in ("/a/b", "/a/..", "/a/../b", "/a/.b", "/a/b.", "/dev/stdout",
                                                            "/proc/self/fd/1", "/第三部分/输出.md", "/a/ b /c"))


def test_links_and_files_are_placed_as_before(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("旧\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    through: list = []
    assert atomicwrite._place(target, b"", through)[0] == str(target)
    assert atomicwrite._place(link, b"", through)[0] == os.path.realpath(link)
    assert atomicwrite._place(dangling, b"", through)[0] == str(tmp_path / "nowhere.md")
    assert atomicwrite._place(tmp_path / "new.md", b"", through)[0] == str(tmp_path / "new.md")
    assert through == []
    atomicwrite.write_all([(link, "新\n"), (dangling, "有\n")])
    assert target.read_text(encoding="utf-8") == "新\n" and link.is_symlink()
    assert (tmp_path / "nowhere.md").read_text(encoding="utf-8") == "有\n" and dangling.is_symlink()
