"""Compiled templates are cached between runs; errors are located the same from the cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_cached_templates_render_and_fail_the_same(tmp_path: Path) -> None:
    broken = tmp_path / "templates" / "broken"
    shutil.copytree(ROOT / "templates" / "xinjiang-2025", broken)
    fmt = broken / "format.yaml"
    fmt.write_text(fmt.read_text(encoding="utf-8").replace("name: xinjiang-2025", "name: broken"), encoding="utf-8")
    section = broken / "sections" / "04-fiscal.md.j2"
    section.write_text(section.read_text(encoding="utf-8").replace("{{ fiscal_total|wan }}", "{{ no_such }}"),
                       encoding="utf-8")
    env = dict(os.environ, NARRATOR_TEMPLATES=str(tmp_path / "templates"), TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    example = str(ROOT / "examples" / "atushi-2025.yaml")
    runs = [subprocess.run([sys.executable, "-m", "narrator", "render", *args, example],
                           env=env, capture_output=True, text=True)
            for args in (["-f", "broken"], ["-f", "broken"], [], [])]
    assert [r.returncode for r in runs] == [2, 2, 0, 0]  # 0: written, with the example's two 尾差 notes
    assert runs[0].stderr == runs[1].stderr
    assert [line for line in runs[0].stderr.splitlines() if " 错误 " in line] == [
        f"{section.resolve()}:4:0: 错误 missing-figure 缺少数据 “no_such”（模板用到了它）"]  # the user's own file
    expected = (Path(__file__).parent / "cases" / "atushi-2025" / "expected.md").read_text(encoding="utf-8")
    assert runs[2].stdout == runs[3].stdout == expected
    assert list((tmp_path / "tmp").glob("_jinja2-cache-*/narrator-*.cache"))
