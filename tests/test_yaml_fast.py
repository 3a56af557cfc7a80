"""The fast reader of plain block YAML gives the full loader's tree, marks and errors, or gives up."""

from __future__ import annotations

from pathlib import Path

import figuresgen
import pytest
import yaml

from narrator.loading import yamlfast
from narrator.errors import FiguresError
from narrator.loading.yamlfast import Unsupported, fast_tree
from narrator.loading.yamlload import FastLineLoader, LineLoader, LocatedDict, LocatedList, load_yaml_text

ROOT = Path(__file__).resolve().parent.parent


def _shape(value):
    """Everything the tree says: types, exact values (repr: 1.0 is not 1.00), order, every mark."""
    if isinstance(value, LocatedDict):
        return ("map", value.mark, list(value.key_marks.items()), [(repr(k), _shape(v)) for k, v in value.items()])
    if isinstance(value, LocatedList):
        return ("seq", value.mark, list(value.item_marks), [_shape(v) for v in value])
    return (type(value).__name__, repr(value))


def _full(text: str):
    return yaml.load(text, Loader=FastLineLoader if FastLineLoader is not None else LineLoader)  # noqa: S506


def _same_or_gives_up(text: str) -> bool:
    """True when the fast reader read ``text`` (and then gave the full loader's tree)."""
    try:
        fast = fast_tree(text)
    except Unsupported:
        return False
    assert _shape(fast) == _shape(_full(text))
    return True


EXAMPLES = sorted(ROOT.glob("examples/*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES + sorted((ROOT / "tests").rglob("*.yaml")) +
                         sorted((ROOT / "rules").rglob("*.yaml")), ids=lambda p: p.name)
def test_every_file_of_the_project(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        _full(text)
    except yaml.YAMLError:  # a broken file on purpose: the fast reader must not read it either
        with pytest.raises(Unsupported):
            fast_tree(text)
        return
    read = _same_or_gives_up(text)
    if path.parent.name == "examples" and path.name in FAST_EXAMPLES:
        assert read, "this example is plain YAML with one-line flow mappings: the fast reader reads it"


FAST_EXAMPLES = {"atushi-2025.yaml", "final-accounts-2023.yaml", "hebei-2021.yaml", "performance-2020.yaml"}


@pytest.mark.parametrize("consistent", [True, False])
def test_generated_departments_are_read_fast_and_the_same(consistent: bool) -> None:
    for index in range(60):
        assert _same_or_gives_up(figuresgen.figures_text(3, index, consistent=consistent))


READ = [
    "a: 1\nb: 2.50\nc: -3\nd: +0.5\ne: 0\n",
    "yes: no\noff: On\nx: y\nn: Null\nt: ~\nu:\nv: TRUE\nw: Yes\n",   # YAML 1.1: booleans, nulls
    "'201': 文字\n2013405: 1\n'2013405': 2\n",                         # quoted codes are text, plain ones numbers
    "a: 'it''s'\nb: \"双引号\"\nc: '#x'  # note\nd: 'a: b'\n",
    "a: text # a comment\nb: a#b\nc: 10% 增长\nd: 与上年持平（不变）\n",
    "# head\n\nincome:   # 收入\n  general:\n    amount: 1\n\n    prior: 2   \n",
    "list:\n- a\n- b\nnext: 1\n",                                          # a list at its key's indentation
    "list:\n    - code: '1'\n      name: x\n    -   code: '2'\nafter: []\nmore: {}  # none\n",
    "- a\n- b: 1\n  c: 2\n",                                               # a list at the top
    "  a: 1\n  b:\n     c: 2\n",                                           # indented, odd indentation
    "a: 1.\nb: .5\nc: 1e5\nd: 0.10000000\ne: 1234567890123456\nf: --x\ng: -\u00a0x\n",
    "a: x[y]\nb: x, y [z] {w}\nc: http://example.org/a?b\n",
    "basic: {general: 140.63}\nproject: {general: 23.00, unit: 5.00}  # 注\neconomic: {\"302\": 0.50, '310': 7}\n",
    "list:\n  - {code: \"2010301\", basic: {general: 434.06}}\n  -   {code: '2', x: [1, 2.5, 文字, yes, ~]}\n",
    "a: [1, 2]\nab: {b: 1}\n",
    "a: [ ]\nb: {  }\nc: [{}, [], {a: []}]\nd: {a: b c, b: 与上年持平}\n",
]

GIVES_UP = [
    "a: 010\n", "a: 0x10\n", "a: 1_000\n", "a: 3:34\n", "a: .inf\n", "a: 12345678901234567\n",
    "a: 1.123456789\n", "a: 2026-01-01\n", "a: 1\na: 2\n", "a: 1\n b: 2\n", "a: b: c\n",
    "a: x\n  continued\n", "a:\n  plain text\n", "a: |\n  block\n", "a: >\n  folded\n",
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: \"esc\\n\"\n",
    "a: 'two\n  lines'\n", "a:\t1\n", "a: 1\r\nb: 2\r\n", "\ufeffa: 1\n", "---\na: 1\n",
    "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n", "<<: {a: 1}\n", "? a\n: 1\n", "- - a\n", "-\n",
    "a: - b\n", "a: \x07\n", "a: \u2028b\n", "", "# only a comment\n", "just text\n",
    "a:\n- x\n  y\n", "a: 'x' y\n", "a b #c: 1\n", "a: x\n- y\n", "yes: 1\non: 2\n",
    "a: {b: 1,\n  c: 2}\n", "a: {b: 1, b: 2}\n", "a: {b: 1,}\n", "a: [1, , 2]\n", "a: {b}\n", "a: {b:1}\n",
    "a: [b: 1]\n", "a: {b: 1} x\n", "a: {b: 1}#x\n", "a: [x # y]\n", "a: [a:b]\n", "a: [-1]\n",
    "a: {b: &x 1}\n", "a: [!!str 1]\n", "a: {? b: 1}\n", "a: [010]\n", "a: ['x' y]\n",
]


@pytest.mark.parametrize("text", READ)
def test_read_the_same(text: str) -> None:
    assert _same_or_gives_up(text)


@pytest.mark.parametrize("text", GIVES_UP)
def test_gives_up(text: str) -> None:
    with pytest.raises(Unsupported):
        fast_tree(text)


@pytest.mark.parametrize("text", READ + GIVES_UP + [
    "amount：214.20\n", "a: 1\nb：2\n", "a: 1\n  b: 2\n", "reason: 其中：人员经费\n",
])
def test_load_yaml_text_the_same_with_and_without_it(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Values, marks, messages and locations of mistakes: as the full loader alone gives them."""
    def outcome():
        try:
            return _shape(load_yaml_text(text, "f.yaml"))
        except FiguresError as error:
            return [str(finding) for finding in error.findings]

    with_it = outcome()
    monkeypatch.setattr(yamlfast, "fast_tree", lambda text, checked=False: (_ for _ in ()).throw(Unsupported()))
    assert outcome() == with_it


@pytest.mark.parametrize("text", [
    "year: " + "[" * 400 + "]" * 400 + "\n",
    "".join(" " * i + f"k{i}:\n" for i in range(60)) + " " * 60 + "v: 1\n",
    "k:\n" + "".join(" " * (2 * i) + "- k:\n" for i in range(500)),
])
def test_deep_nesting_is_given_up(text: str) -> None:
    """Nesting far deeper than a figures file's is left to the full loader, which words it."""
    with pytest.raises(Unsupported):
        fast_tree(text)


def test_many_sections_are_not_deep() -> None:
    assert _same_or_gives_up("".join(f"s{i}:\n  a:\n    b: {i}\n" for i in range(100)))
