"""What a figures file's values mean, written down: YAML 1.1 as narrator reads it, not YAML 1.2.

The readers of narrator (the line readers :mod:`narrator.loading.yamlscan` and :mod:`narrator.loading.yamlfast`,
and PyYAML's loader under :mod:`narrator.loading.yamlload`) are compared with each other elsewhere; this
table pins what they all give, so that any other parser put in their place (a C or C++ parser, a
typed decoder) is held to the same values, the same refusals and the same places — not to what
YAML 1.2 or the new parser's own rules would make of the text (``0o12`` is text here, ``012`` a
refused octal, ``1e5`` text, ``yes`` true, ``1:30`` a refused base-60 number, ``2026-01-01`` a date).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, NamedTuple

import pytest

from narrator.loading import yamlfast
from narrator.errors import FiguresError
from narrator.loading.yamlfast import Unsupported, fast_tree
from narrator.loading.yamlload import load_yaml, load_yaml_text
from narrator.loading.yamlscan import scan_tree

OCTAL = "（请写 214 或 214.20；要写文字请加引号）"


class Refused(NamedTuple):
    """The first finding: its rule, line, column and the start of its message."""

    rule: str
    line: int
    column: int
    message: str


# Each value written on the second line as ``a: VALUE`` (column 4): what ``a`` is, or the finding.
VALUES: list[tuple[str, Any]] = [
    # booleans and nulls of YAML 1.1 (1.2 has only true/false/null); y and n stay text
    ("yes", True), ("Yes", True), ("YES", True), ("no", False), ("NO", False), ("on", True), ("On", True),
    ("off", False), ("OFF", False), ("true", True), ("True", True), ("FALSE", False),
    ("y", "y"), ("n", "n"), ("Y", "Y"), ("'yes'", "yes"), ("~", None), ("null", None), ("Null", None),
    ("NULL", None), ("", None),
    # numbers: decimal notation only; YAML 1.1's other forms are refused, naming what YAML would read
    ("214.20", Decimal("214.20")), ("214", 214), ("-3", -3), ("+7.", Decimal("7")), (".5", Decimal("0.5")),
    ("0", 0), ("-0", 0), ("0.0", Decimal("0.0")), ("'1.50'", "1.50"), ('"1.50"', "1.50"), ("1,095.72", "1,095.72"),
    ("012", Refused("number-form", 2, 4, f"金额只能写十进制数字：“012” 不是十进制写法，YAML 会把它读作 10{OCTAL}")),
    ("0o12", "0o12"),  # an octal of YAML 1.2, text in 1.1
    ("0x1A", Refused("number-form", 2, 4, f"金额只能写十进制数字：“0x1A” 不是十进制写法，YAML 会把它读作 26{OCTAL}")),
    ("0b101", Refused("number-form", 2, 4, f"金额只能写十进制数字：“0b101” 不是十进制写法，YAML 会把它读作 5{OCTAL}")),
    ("1_000", Refused("number-form", 2, 4, f"金额只能写十进制数字：“1_000” 不是十进制写法，YAML 会把它读作 1000{OCTAL}")),
    ("1:30", Refused("number-form", 2, 4, f"金额只能写十进制数字：“1:30” 不是十进制写法，YAML 会把它读作 90{OCTAL}")),
    ("190:20:30", Refused("number-form", 2, 4, "金额只能写十进制数字：“190:20:30” 不是十进制写法，YAML 会把它读作 685230")),
    ("1e5", "1e5"), ("1E5", "1E5"), ("NaN", "NaN"),  # floats of YAML 1.2, text in 1.1
    ("1.0e+5", Refused("number-form", 2, 4, f"金额只能写十进制数字：“1.0e+5” 不是十进制写法{OCTAL}")),
    ("007.5", Refused("number-form", 2, 4, f"金额只能写十进制数字：“007.5” 不是十进制写法{OCTAL}")),
    (".inf", Refused("number-form", 2, 4, "金额只能写十进制数字：“.inf” 不是十进制写法")),
    ("-.Inf", Refused("number-form", 2, 4, "金额只能写十进制数字：“-.Inf” 不是十进制写法")),
    (".nan", Refused("number-form", 2, 4, "金额只能写十进制数字：“.nan” 不是十进制写法")),
    ("12345678901234567", Refused("number-range", 2, 4, "数字 “12345678901234567” 超出范围：整数部分最多 16 位")),
    ("1.123456789", Refused("number-range", 2, 4, "数字 “1.123456789” 超出范围：整数部分最多 16 位，小数最多 8 位")),
    # timestamps of YAML 1.1 (text in 1.2): dates here, refused by the schema later
    ("2026-01-01", datetime.date(2026, 1, 1)), ("2026-01-01 10:00:00", datetime.datetime(2026, 1, 1, 10, 0)),
    # tags: the plain types only; nothing else is ever built
    ("!!str 1", "1"), ("!!int 1", 1), ("!!float 1", Decimal("1")), ("!!bool yes", True),
    ("!!timestamp 2026-01-01", datetime.date(2026, 1, 1)), ("!!binary aGk=", b"hi"),
    ("!!python/object:os.system x", Refused("yaml-syntax", 2, 4, "YAML 格式错误：不能使用标签 “!!python/object:os.system”")),
    ("!foo x", Refused("yaml-syntax", 2, 4, "YAML 格式错误：不能使用标签 “!foo”")),
    ("&x 1", 1),
    # in flow collections, the same rules
    ("[1, 2.5, yes, ~, 0o12]", [1, Decimal("2.5"), True, None, "0o12"]),
    ("[1, 2.5, yes, ~, 010]", Refused("number-form", 2, 21, "金额只能写十进制数字：“010” 不是十进制写法，YAML 会把它读作 8")),
    ("{b: 1, b: 2}", Refused("yaml-syntax", 2, 11, "YAML 格式错误：键 “b” 重复出现")),
]

# Whole files: what they load as, or their first finding.
FILES: list[tuple[str, Any]] = [
    ("a: &x 1\nb: *x\n", {"a": 1, "b": 1}),
    ("g: &g {amount: 1}\nx:\n  <<: *g\n  prior: 2\n", {"g": {"amount": 1}, "x": {"amount": 1, "prior": 2}}),
    ("yes: 1\nnull: 2\nNo: 3\n", {True: 1, None: 2, False: 3}),
    ("%YAML 1.2\n---\na: yes\nb: 0o12\n", {"a": True, "b": "0o12"}),  # the directive changes nothing
    ("a: 1\na: 2\n", Refused("yaml-syntax", 2, 1, "YAML 格式错误：键 “a” 重复出现")),
    ("a: 1\n010: 3\n", Refused("number-form", 2, 1, "金额只能写十进制数字：“010” 不是十进制写法，YAML 会把它读作 8")),
    ("a: b: c\n", Refused("yaml-syntax", 1, 5, "YAML 格式错误：此处不能出现 “键: 值”")),
    ("a:\n\t- 1\n", Refused("yaml-syntax", 2, 1, "YAML 格式错误：不能用制表符缩进，请改用空格")),
    ("amount：214.20\n", Refused("fullwidth-colon", 1, 7, "“amount” 后面是全角冒号 “：”")),
]


def _exact(value: Any) -> Any:
    """Types and written digits, throughout (Decimal('1.0') is not Decimal('1.00'), 1 is not True)."""
    if isinstance(value, dict):
        return ("map", [(_exact(k), _exact(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_exact(v) for v in value])
    return (type(value).__name__, repr(value))


def _outcome(read: Any) -> Any:
    try:
        return ("value", _exact(read()))
    except FiguresError as error:
        first = error.findings[0]
        return ("finding", first.rule, first.location.line, first.location.column, first.message)


def _check(outcome: Any, expected: Any) -> None:
    if isinstance(expected, Refused):
        rule, line, column, message = expected
        assert outcome[:4] == ("finding", rule, line, column), outcome
        assert outcome[4].startswith(message), outcome[4]
    else:
        assert outcome == ("value", _exact(expected))


def _every_way(text: str, expected: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """From a file (the figures path), from text, and by PyYAML's loader alone: all as written down;
    the line readers give the same tree or give up."""
    path = tmp_path / "f.yaml"
    path.write_bytes(text.encode("utf-8"))
    _check(_outcome(lambda: load_yaml(path, "f.yaml")), expected)
    _check(_outcome(lambda: load_yaml_text(text, "f.yaml")), expected)
    for reader in (fast_tree, scan_tree):
        try:
            tree = reader(text)
        except Unsupported:
            continue
        assert ("value", _exact(tree)) == _outcome(lambda: load_yaml_text(text, "f.yaml"))
    monkeypatch.setattr(yamlfast, "fast_tree", lambda text, checked=False: (_ for _ in ()).throw(Unsupported()))
    _check(_outcome(lambda: load_yaml_text(text, "f.yaml")), expected)


@pytest.mark.parametrize("written, expected", VALUES, ids=[w or "(empty)" for w, _ in VALUES])
def test_a_value(written: str, expected: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    if not isinstance(expected, Refused):
        expected = {"x": 1, "a": expected}
    _every_way(f"x: 1\na: {written}\n", expected, tmp_path, monkeypatch)


@pytest.mark.parametrize("text, expected", FILES, ids=[t.split("\n")[0] for t, _ in FILES])
def test_a_file(text: str, expected: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _every_way(text, expected, tmp_path, monkeypatch)
