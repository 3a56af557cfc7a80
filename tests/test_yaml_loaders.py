"""The libyaml-based loader gives the same trees, marks and errors as the pure-Python one."""

from __future__ import annotations

from pathlib import Path

import figuresgen
import pytest
import yaml

from narrator.errors import FiguresError
from narrator.loading.yamlload import FastLineLoader, LineLoader, LocatedDict, LocatedList, load_yaml_text

ROOT = Path(__file__).resolve().parent.parent


def _shape(value):
    if isinstance(value, LocatedDict):
        return ("map", value.mark, dict(value.key_marks), {k: _shape(v) for k, v in value.items()})
    if isinstance(value, LocatedList):
        return ("seq", value.mark, list(value.item_marks), [_shape(v) for v in value])
    return (type(value).__name__, value)


TEXTS = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("examples/*.yaml"))] + \
        [p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules").rglob("*.yaml"))] + \
        [figuresgen.figures_text(5, i) for i in range(30)]


@pytest.mark.skipif(FastLineLoader is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", TEXTS)
def test_same_tree_and_marks(text: str) -> None:
    assert _shape(yaml.load(text, Loader=FastLineLoader)) == _shape(yaml.load(text, Loader=LineLoader))


@pytest.mark.parametrize("text, line, message", [
    ("a: 1\n b: 2\n", 2, "YAML 格式错误：此处不能出现 “键: 值”（可能缩进不对或缺少引号）"),
    ("a: 1\na: 2\n", 2, "YAML 格式错误：键 “a” 重复出现"),
    ("a: [1, 2\n", 2, "YAML 格式错误：方括号 [ ] 列表没有闭合"),
])
def test_errors_read_as_the_pure_python_parser_words_them(text: str, line: int, message: str | None) -> None:
    with pytest.raises(FiguresError) as caught:
        load_yaml_text(text, "f.yaml")
    finding = caught.value.findings[0]
    assert finding.location.line == line
    try:
        yaml.load(text, Loader=LineLoader)
    except yaml.MarkedYAMLError as exc:
        assert (exc.problem or exc.context) in finding.message or finding.message == message
    if message is not None:
        assert finding.message == message
