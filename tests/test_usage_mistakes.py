"""A clerk's typing mistakes get a Chinese error: Chinese quotes and stops, no English left over."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.parametrize(("args", "last_line"), [
    (["rendr", "figures.yaml"], "错误：没有这个命令 “rendr”。是否想用 “render”？"),
    (["render"], "错误：缺少参数 “数据文件”。"),
    (["render", "第三", "部分.yaml"], "错误：多出了参数：部分.yaml（文件名中有空格时，请给整个文件名加英文双引号）"),
    (["import", "预算公开表.xlsx", "--year", "二零二五"], "错误：取值无效： “--year”: 应为整数"),
    (["classification", "import", "科目.csv", "-o", "科目.yaml"], "错误：缺少选项 “--year”。"),
])
def test_usage_mistakes_in_chinese(args: list[str], last_line: str) -> None:
    done = subprocess.run([sys.executable, "-m", "narrator", *args], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[-1] == last_line


def test_usage_lines_do_not_double_the_ellipsis(runner) -> None:
    """click adds “...” after an argument that takes many: the name itself has none (no “…}...”)."""
    from .conftest import run

    assert run(runner, "review", "--help").stdout.splitlines()[0].endswith(" review [选项] {文件或文件夹}...")
    assert run(runner, "classification", "check", "--help").stdout.splitlines()[0].endswith(
        " classification check [选项] [科目表文件]...")
