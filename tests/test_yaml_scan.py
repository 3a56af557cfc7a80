"""The line-kept reader (narrator.loading.yamlscan) gives the full loader's tree and marks, or gives up."""

from __future__ import annotations

import random
import re

import figuresgen
import pytest
import yaml

from narrator.loading.decoding import decode
from narrator.loading.yamlfast import _GIVE_UP, Unsupported
from narrator.loading.yamlload import _plain_utf8
from narrator.loading.yamlscan import scan_tree
from .test_yaml_fast import EXAMPLES, GIVES_UP, READ, ROOT, _full, _shape


def _same_or_gives_up(text: str) -> bool:
    """True when the reader read ``text`` and gave the full loader's tree; False when it gave up."""
    try:
        scanned = scan_tree(text)
    except Unsupported:
        return False
    assert _shape(scanned) == _shape(_full(text))
    assert _shape(scan_tree(text)) == _shape(scanned), "read again (from what it kept): the same"
    return True


@pytest.mark.parametrize("path", EXAMPLES + sorted((ROOT / "tests").rglob("*.yaml")) +
                         sorted((ROOT / "rules").rglob("*.yaml")), ids=lambda p: p.name)
def test_every_file_of_the_project(path) -> None:
    text = path.read_text(encoding="utf-8")
    if _GIVE_UP.search(text):
        return  # refused before this reader is asked (test_yaml_fast)
    try:
        _full(text)
    except yaml.YAMLError:
        with pytest.raises(Unsupported):
            scan_tree(text)
        return
    _same_or_gives_up(text)


@pytest.mark.parametrize("consistent", [True, False])
def test_generated_departments_are_read(consistent: bool) -> None:
    for index in range(80):
        assert _same_or_gives_up(figuresgen.figures_text(5, index, consistent=consistent))


# The forms it reads; READ of test_yaml_fast holds others (some it leaves to the line-by-line reader).
SCANNED = [
    "a: 1\nb: 2.50\nc: -3\nd: 0\ne: -0\nf: -0.0\ng: 1234567890123456\nh: 0.12345678\n",
    "yes: no\noff: On\nx: y\nn: Null\nt: ~\nu:\nv: TRUE\nw: Yes\nnull: 1\n",       # YAML 1.1 booleans, nulls
    "'201': 文字\n2013405: 1\n'2013405': 2\ncode: '2010301'\nother: 2010301\n",      # codes: quoted text, plain int
    "a: 'it''s'\nb: \"双引号\"\nc: '#x'  # note\nd: 'a: b'\ne: ''\nf: \"\"\n",
    "a: text # a comment\nc: 10% 增长\nd: 与上年持平（不变）\ne: 其中：人员经费\n",
    "# head: with a colon\n\nincome:   # 收入\n  general:\n    amount: 1\n\n    prior: 2   \n",
    "list:\n- a\n- b\nnext: 1\n", "list:\n    - code: '1'\n      name: x\n    -   code: '2'\nafter: []\nmore: {}\n",
    "- a\n- b: 1\n  c: 2\n", "  a: 1\n  b:\n     c: 2\n",
    "a: 1.\nb: .5\nc: 1e5\nd: +5\nf: --x\ng: -x\nh: 0o10\ni: 2026年1月1日-2026年12月31日\n",
    "a: x[y]\nb: x, y [z] {w}\nc: 0.5abc\ne: (1) 说明\nf: b #c: d\ng: <x\n",
    "basic: {general: 140.63}\nproject: {general: 23.00, unit: 5.00}  # 注\neconomic: {\"302\": 0.50, '310': 7}\n",
    "a: [1, 2]\nab: {b: 1}\nc:   [ ]   # none\n",
    "k:\n- [1, 2.5, 文字, yes, ~]\n- 3\n- {}\n",
    "a:\n  b:\n    c:\nd: 1\n", "a: \u3000x\u3000\n",
]


@pytest.mark.parametrize("text", SCANNED)
def test_reads_the_common_forms(text: str) -> None:
    assert _same_or_gives_up(text)


@pytest.mark.parametrize("text", READ)
def test_the_forms_of_the_line_reader(text: str) -> None:
    _same_or_gives_up(text)


@pytest.mark.parametrize("text", [t for t in GIVES_UP if not _GIVE_UP.search(t)] + [
    "a: 010\n", "a: .inf\n", "a: 1.0e+5\n", "a: 1_000\n", "a: 2026-01-01\n", "a: 1:2\n", "a: 0x1f\n", "010: x\n",
    "a: 12345678901234567\n", "a: 1.123456789\n", "a: x\n  more\n", "- a\n  b\n", "a: 1\n- b\n",
    "- a\nb: 1\n", "a:\n  - b\n c: 1\n", "a: 'x\n", "a: - b\n", "1: x\ntrue: y\n",
    "  # only a comment: x\n", "- # c\n", "- 'a: b'\n", "<<: x\n", "a: =\n", "- {code: '2'}\n",
])
def test_gives_up(text: str) -> None:
    """What it does not read, or reads otherwise than YAML 1.1 and narrator's loader: left to the others."""
    with pytest.raises(Unsupported):
        scan_tree(text)


def test_mutated_files_are_read_the_same_or_given_up() -> None:
    """Characters, indentation and lines changed at random in generated files: never another tree."""
    rng = random.Random(14)
    pieces = [" ", "  ", "-", "- ", ":", ": ", "#", " #", "'", '"', "{", "}", "[", "]", ",", "0", "1.5", "yes",
              "~", "\n", "\n  ", "：", "&a", "*a", "!", "|", ">", "?", "%", "@", "2026-01-01", "0o7", "1_0", "x"]
    read = 0
    for index in range(300):
        lines = figuresgen.figures_text(7, index % 40, consistent=True).split("\n")
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(lines))
            line = lines[at]
            where = rng.randint(0, len(line))
            choice = rng.random()
            if choice < 0.6:
                lines[at] = line[:where] + rng.choice(pieces) + line[where:]
            elif choice < 0.8:
                lines[at] = line[:where] + line[where + 1:]
            else:
                lines.insert(at, lines[rng.randrange(len(lines))])
        text = "\n".join(lines)
        if _GIVE_UP.search(text):
            continue
        try:
            _full(text)
        except yaml.YAMLError:
            with pytest.raises(Unsupported):
                scan_tree(text)
            continue
        read += _same_or_gives_up(text)
    assert read > 50, "most mutations leave plain lines: the reader still reads them"


@pytest.mark.parametrize("data", [
    "a: 文字\n".encode(), b"a: 1\r\nb: 2\r\n", b"\xef\xbb\xbfa: 1\n", "a: 文字\n".encode("gb18030"),
    "a: 文字\n".encode("utf-16"), b"a: \x00\n", b"a:\t1\n", "a: \x85\n".encode(), "a: \u00e9\n".encode(),
    "a: \u2028\n".encode(), "a: \ufeff\n".encode(), b"%PDF-1.4\n", b"PK\x03\x04rest", b"a: \xff\n",
    "a: “引号”—…\n".encode(),
])
def test_plain_utf8_is_what_decode_gives(data: bytes) -> None:
    """The short way to a file's text gives decode's text, or leaves the file to it."""
    text = _plain_utf8(data)
    if text is not None:
        assert text == decode(data, "f.yaml")
        assert not _GIVE_UP.search(text)
    else:
        assert data in ("a: 1\r\nb: 2\r\n".encode(),) or not data.isascii() or b"\x00" in data or \
            b"\t" in data or b"\r" in data or data.startswith((b"%PDF", b"PK"))


def test_only_amounts_in_bounds_are_marked_plain() -> None:
    """The validation plan takes a Decimal in PLAIN_AMOUNTS as it is: never a negative or a huge one."""
    from narrator.loading.yamlscan import PLAIN_AMOUNTS

    tree = scan_tree("a: 1.50\nb: -1.50\nc: 1234567890123.5\nd: 999999999999.99999999\ne: 0.0\nf: 7\n")
    assert [id(tree[k]) in PLAIN_AMOUNTS for k in "abcdef"] == [True, False, False, True, True, False]


@pytest.mark.parametrize("amount, rule", [("-1.50", "negative-amount"), ("1234567890123.5", "amount-format")])
def test_amounts_out_of_bounds_are_refused_as_before(amount: str, rule: str) -> None:
    from narrator.errors import FiguresError
    from narrator.intake.figures import load_figures_text

    text = figuresgen.figures_text(3, 1, consistent=True)
    text, changed = re.subn(r"(?m)^(income:\n  general:\n    amount: )\S+$", rf"\g<1>{amount}", text, count=1)
    assert changed == 1
    with pytest.raises(FiguresError) as caught:
        load_figures_text(text, "f.yaml", "xinjiang-2025")
    assert [f.rule for f in caught.value.findings] == [rule]


def test_marks_beyond_the_shared_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines and columns past the marks made once get marks of their own: the same marks."""
    from narrator.loading import yamlscan

    monkeypatch.setattr(yamlscan, "_MARKS", [])
    monkeypatch.setattr(yamlscan, "_MARKED_LINES", 40)
    monkeypatch.setattr(yamlscan, "_MARKED_COLUMNS", 3)
    for index in range(3):
        assert _same_or_gives_up(figuresgen.figures_text(5, index, consistent=True))
    assert _same_or_gives_up("".join(f"k{i}:\n  v: {i}\n" for i in range(30)))
