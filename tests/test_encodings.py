"""Files saved in the encodings of Chinese Windows and its editors, and full-width colons in YAML.

Every text or YAML file narrator reads goes through one decode cascade
(:func:`narrator.loading.decoding.decode`): UTF-8, UTF-8 with BOM, GBK/GB18030 and UTF-16 with BOM
read the same; bytes in none of them are an error at the first byte that could not be read.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from narrator.errors import FiguresError
from narrator.lint import lint_file
from narrator.text.render import render_file
from narrator.loading.yamlload import load_yaml, load_yaml_text

from .conftest import EXAMPLE, run

# (name, how the bytes are made from text): the encodings a clerk's editor may save in
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "gbk": lambda text: text.encode("gbk"),
    "gb18030": lambda text: text.encode("gb18030"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}
FIGURES = EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_figures_in_each_encoding_render_the_same_bytes(runner, tmp_path: Path, encoding: str) -> None:
    reference = tmp_path / "reference.md"
    assert run(runner, "render", "--fail-on", "warning", str(EXAMPLE), "-o", str(reference)).exit_code == 0
    figures = tmp_path / "figures.yaml"
    figures.write_bytes(ENCODINGS[encoding](FIGURES))
    assert figures.read_bytes() != EXAMPLE.read_bytes() or encoding == "utf-8"
    assert render_file(figures).text == render_file(EXAMPLE).text
    result = run(runner, "render", "--fail-on", "warning", str(figures), "-o", str(tmp_path / "out.md"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.md").read_bytes() == reference.read_bytes()
    assert run(runner, "check", str(figures)).exit_code == run(runner, "check", str(EXAMPLE)).exit_code


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_to_lint_in_each_encoding(runner, tmp_path: Path, encoding: str) -> None:
    text = render_file(EXAMPLE).text.replace("收支总预算222.22万元", "收支总预算222.23万元")
    path = tmp_path / "第三部分.md"
    path.write_bytes(ENCODINGS[encoding](text))
    findings = [f.format() for f in lint_file(path, EXAMPLE).findings]
    assert [f.split(": ", 1)[0] for f in findings if "222.23" in f] == [f"{path}:5:46"]
    result = run(runner, "lint", str(path), "--figures", str(EXAMPLE))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == findings


@pytest.mark.parametrize("encoding", ["gbk", "utf-16-le-bom"])
def test_document_saved_in_another_encoding_is_updated(runner, tmp_path: Path, encoding: str) -> None:
    figures, document = tmp_path / "figures.yaml", tmp_path / "第三部分.md"
    figures.write_bytes(EXAMPLE.read_bytes())
    assert run(runner, "render", "--fail-on", "warning", str(figures), "-o", str(document)).exit_code == 0
    edited = document.read_text(encoding="utf-8").replace("主要原因是此科目经费减少。", "主要原因是此科目业务经费压减。")
    document.write_bytes(ENCODINGS[encoding](edited))
    figures.write_bytes(ENCODINGS[encoding](FIGURES.replace("goods: 22.20", "goods: 23.20")))
    result = run(runner, "update", str(document), "--figures", str(figures))
    assert result.exit_code == 0, result.output
    expected = render_file(figures).text.replace("主要原因是此科目经费减少。", "主要原因是此科目业务经费压减。")
    assert document.read_text(encoding="utf-8") == expected  # written back as UTF-8


def test_utf8_file_with_a_word_in_gbk_is_refused_at_that_word(runner, tmp_path: Path) -> None:
    """GB18030 would read these bytes without error, turning every Chinese char into another one.

    (某 in GBK, C4 B3, happens to be valid UTF-8: the first byte UTF-8 cannot read is 局's.)"""
    path = tmp_path / "figures.yaml"
    path.write_bytes("department: 阿图什市某某局\nyear: 2025\nregion: 阿图什市\n".encode("utf-8")
                     + "short_name: 某局\n".encode("gbk"))
    message = ("文件不是可读取的文本：第 4 行第 14 个字符处（文件第 81 个字节，0xBE）无法按 UTF-8、UTF-16 或 "
               "GBK/GB18030 编码读取；可能是二进制文件，或一个文件中混用了几种编码（如是文本，请在记事本中另存为 UTF-8 编码）")
    with pytest.raises(FiguresError) as caught:
        load_yaml(path)
    assert [f.format() for f in caught.value.findings] == [f"{path}:4:14: 错误 file-unreadable {message}"]
    result = run(runner, "render", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"{path}:4:14: 错误 file-unreadable {message}\n"


def test_binary_file_given_as_figures(runner, tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_bytes(b"department: x\n\x00\x01\x02\x03" * 3)
    result = run(runner, "check", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:2:1: 错误 file-unreadable 文件不是可读取的文本：第 2 行第 1 个字符处（文件第 15 个字节，0x00）")


# -- full-width colons -----------------------------------------------------------------------

def colon(line: int, column: int, fixed: str, name: str = "amount") -> str:
    return f"f.yaml:{line}:{column}: 错误 fullwidth-colon “{name}” 后面是全角冒号 “：”，YAML 只认半角冒号 “:”：请改为 “{fixed}"


@pytest.mark.parametrize("text, expected", [
    # the parser fails a line later (“mapping values are not allowed here” at line 6)
    ("year: 2025\nincome:\n  general:\n    amount：214.20\n    prior: 200\n",
     [colon(4, 11, "amount: 214.20”（半角冒号后空一格）")]),
    # the parser fails at the next line's start (“could not find expected ':'” at line 3)
    ("department: 某局\nyear：2025\nunit: 万元\n", [colon(2, 5, "year: 2025”（半角冒号后空一格）", "year")]),
    # the file still parses: “amount：214.20” would be the text value of general
    ("income:\n  general:\n    amount：214.20\n", [colon(3, 11, "amount: 214.20”（半角冒号后空一格）")]),
    # a whole file that parses as one string
    ("department：某局\n", [colon(1, 11, "department: 某局”（半角冒号后空一格）", "department")]),
    # every one at once, in a list item too, and a key with nothing after it
    ("functional:\n  - code：2010101\n    prior：3\nincome:\n  general:\n    amount：\n",
     [colon(2, 9, "code: 2010101”（半角冒号后空一格）", "code"), colon(3, 10, "prior: 3”（半角冒号后空一格）", "prior"),
      colon(6, 11, "amount:”")]),
    # a Chinese word before “：” is suspected only where the parser fails
    ("declared:\n  收入合计：100\n  total: 1\n", [colon(2, 7, "收入合计: 100”（半角冒号后空一格）", "收入合计")]),
])
def test_fullwidth_colon_is_reported_at_its_line(text: str, expected: list[str]) -> None:
    with pytest.raises(FiguresError) as caught:
        load_yaml_text(text, "f.yaml")
    assert [f.format() for f in caught.value.findings] == expected


@pytest.mark.parametrize("text", [
    "reason: 主要原因：人员增加\n",
    "reason: |\n  amount：人员增加\n  其中：1\nyear: 2025\n",
    "- description: >\n    其中：说明\n  name: x\n",
    "# amount：214.20\nyear: 2025\n",
    "notes:\n  other: \"amount：1\"\n",
])
def test_fullwidth_colon_in_text_is_text(text: str) -> None:
    assert load_yaml_text(text, "f.yaml") is not None


def test_fullwidth_colon_from_the_command_line(runner, tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text(FIGURES.replace("    amount: 214.20\n", "    amount：214.20\n"), encoding="utf-8")
    line = FIGURES.splitlines().index("    amount: 214.20") + 1
    for command in ("render", "check"):
        result = run(runner, command, str(path))
        assert result.exit_code == 2
        assert result.stderr == (f"{path}:{line}:11: 错误 fullwidth-colon “amount” 后面是全角冒号 “：”，YAML 只认半角冒号 “:”："
                                 "请改为 “amount: 214.20”（半角冒号后空一格）\n")
