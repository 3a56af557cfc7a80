"""A fast reader for the plain block YAML that figures files are written in.

A figures file is block mappings and block lists of one-line values: ``key: value``, ``- item``,
``'201': 文字``, ``basic: {general: 140.63}`` (a flow list or mapping on one line). For such a file
this reader builds the same tree as :mod:`narrator.loading.yamlload`'s loader — :class:`LocatedDict` /
:class:`LocatedList` with the same line and column marks, values resolved by YAML 1.1's own rules
(PyYAML's resolver table) and read by the same constructors' rules (Decimal, whole numbers, text) —
one line at a time, without PyYAML's node tree (building that tree and constructing from it was
nine tenths of reading a figures file).

Anything else gives up (:class:`Unsupported`): flow collections over several lines, anchors, tags,
block scalars, values over several lines, double-quoted escapes, tabs, other line breaks, a key
written twice, a number that is not plain decimal, timestamps, nesting deeper than
:data:`MAX_DEPTH`, and every syntax error. The caller then parses the text with the full loader,
so every message and location of a mistake is the full loader's.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .yamlload import (_DECIMAL, _WHOLE, MAX_DECIMALS, MAX_WHOLE_DIGITS, LineLoader, LocatedDict,
                       LocatedList)


class Unsupported(Exception):
    """The text is not in the subset this reader reads (or is not valid YAML at all)."""


#: Collections nested deeper than this are given up: a figures file nests four or five deep, and
#: the full loader words what is far too deep (its own recursion) as a finding of its own.
MAX_DEPTH = 40


# What the full reader refuses or reads differently: a character outside YAML's printable set
# (PyYAML's Reader.NON_PRINTABLE), a tab, a line break other than \n, a byte order mark.
# (Written as what is refused, not as what is allowed: a class with the astral planes in it took
# 6-7 ms to compile, a cold command's whole parse; the lone surrogates are found by encoding.)
_GIVE_UP = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# The first characters of a plain value that start something else (YAML's indicators); “-”, “?”
# and “:” only when a space or the end of the line follows them.
_INDICATORS = frozenset(",[]{}#&*!|>%@`\"'")
_RESOLVERS = LineLoader.yaml_implicit_resolvers
_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_BOOLS = LineLoader.bool_values


def fast_tree(text: str, checked: bool = False) -> Any:
    """The tree of ``text`` as the full loader builds it; :class:`Unsupported` outside the subset.

    ``checked``: the caller has found none of the characters refused below in the text (as
    :func:`narrator.loading.yamlload.load_yaml` does on the file's bytes, for less than their search costs).
    The common lines are read by :mod:`narrator.loading.yamlscan`; a text with any other line line by line here.
    """
    if not checked:
        if _GIVE_UP.search(text):
            raise Unsupported
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (\ud800-\udfff)
            raise Unsupported from None
    from .yamlscan import scan_tree

    try:
        return scan_tree(text)
    except Unsupported:
        pass  # another form of line somewhere: read line by line below
    tokens = _tokens(text)
    if not tokens:
        raise Unsupported  # an empty document: the full loader says what it is
    reader = _Reader(tokens)
    tree = reader.node()
    if reader.pos != len(tokens):
        raise Unsupported
    return tree


# A token is (kind, line, column, key, value), key and value already read: kind KEY
# (``key: value``; value ABSENT when nothing follows the colon), ITEM (``- ``; what follows is the
# next token, on the same line) or SCALAR (a value alone on its line: only read as a list item).
KEY, ITEM, SCALAR = 0, 1, 2
ABSENT = object()
# The common line, ``name: …`` or ``'201': …``, recognised in one step; any other goes through _entry.
_COMMON_KEY = re.compile(r"(?:([A-Za-z_][A-Za-z0-9_]*)|'([0-9A-Za-z_]*)'):(?: +|$)")
_NOT_COMMON_VALUE = _INDICATORS | frozenset("-?:")
_KEYS: dict[str, Any] = {}  # a plain key's value by its text (they repeat in every file)


def _tokens(text: str) -> list[tuple]:
    tokens: list[tuple] = []
    append = tokens.append
    for number, line in enumerate(text.split("\n"), 1):
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        column = len(line) - len(content)
        content = content.rstrip(" ")
        first = content[0]
        if first == "-":
            if column == 0 and content.startswith("---"):
                raise Unsupported  # a document marker
            while content[0] == "-" and (len(content) == 1 or content[1] == " "):
                rest = content[1:].lstrip(" ")
                if not rest or rest[0] == "#" or rest[0] == "-":
                    raise Unsupported  # an empty item, or a list in a list
                append((ITEM, number, column, None, None))
                column += len(content) - len(rest)
                content = rest
        common = _COMMON_KEY.match(content)
        if common is not None:
            value = content[common.end():]
            if not value or value[0] not in _NOT_COMMON_VALUE and " #" not in value and ": " not in value \
                    and value[-1] != ":":
                name = common.group(1)
                if name is None:
                    key = common.group(2)
                else:
                    key = _KEYS.get(name, ABSENT)
                    if key is ABSENT:
                        key = _value((name, True))
                        if len(_KEYS) < 4096:
                            _KEYS[name] = key
                if not value:
                    value = ABSENT
                elif value[0] in _RESOLVERS:  # a number, true, null …: else it is text as it stands
                    value = _value((value, True))
                append((KEY, number, column, key, value))
                continue
        if column == 0 and (first == "%" or content.startswith("...")):
            raise Unsupported  # a directive or a document end
        append(_entry(content, number, column))
    return tokens


def _entry(content: str, number: int, column: int) -> tuple:
    """The token of ``content`` (no indentation, no trailing spaces) starting at ``column``."""
    if content[0] in "{[":  # a list's item written in flow style: - {code: '201', amount: 1}
        return (SCALAR, number, column, None, _flow_alone(content, number, column))
    if content[0] in "'\"":
        key, after = _quoted(content)
        rest = after.lstrip(" ")
        if not rest or rest[0] == "#" and len(rest) < len(after):
            return (SCALAR, number, column, None, key)
        if rest[0] != ":" or (len(rest) > 1 and rest[1] != " "):
            raise Unsupported
        value_part = rest[1:]
    else:
        colon = content.find(": ")
        if colon < 0:
            if content.endswith(":"):
                colon = len(content) - 1
            else:
                return (SCALAR, number, column, None, _value(_plain(content)))
        key_text = content[:colon].rstrip(" ")
        if not key_text or " #" in key_text or len(key_text) > 1000:
            raise Unsupported
        _check_plain_start(key_text)
        key = _value((key_text, True))
        value_part = content[colon + 1:]
    value = value_part.lstrip(" ")
    if not value or value[0] == "#":  # nothing, or only a comment, after the colon
        return (KEY, number, column, key, ABSENT)
    if value[0] in "{[":
        return (KEY, number, column, key, _flow_alone(value, number, column + len(content) - len(value)))
    if value[0] in "'\"":
        text, after = _quoted(value)
        rest = after.lstrip(" ")
        if rest and not (rest[0] == "#" and len(rest) < len(after)):
            raise Unsupported
        return (KEY, number, column, key, text)
    return (KEY, number, column, key, _value(_plain(value)))


def _flow_alone(text: str, number: int, column: int) -> Any:
    """The flow list or mapping that is all of ``text`` (but a comment), ``text`` starting at ``column``."""
    node, end = _flow(text, 0, number, column)
    rest = text[end:]
    if rest and not rest.lstrip(" ").startswith("#") or rest[:1] == "#":
        raise Unsupported  # more after it, or a comment without a space before it
    return node


# A plain scalar inside a flow collection, on one line: no flow indicator, colon or “#” in it (a
# colon or “#” there is a case this reader leaves to the full one).
_FLOW_PLAIN = re.compile(r"[^-?,\[\]{}:#\s'\"&*!|>%@`][^,\[\]{}:#]*")


def _flow(text: str, at: int, number: int, column: int, depth: int = 0) -> tuple[Any, int]:
    """The flow list or mapping opening at ``text[at]`` on line ``number`` (``text[0]`` at
    ``column``), and where it ends; only one line, single values, no empty entries."""
    if depth > MAX_DEPTH:
        raise Unsupported
    mapping = text[at] == "{"
    node: Any = LocatedDict() if mapping else LocatedList()
    node.mark = (number, column + at + 1)
    closing = "}" if mapping else "]"
    at = _spaces(text, at + 1)
    if text[at:at + 1] == closing:
        return node, at + 1
    while True:
        start = at
        if mapping:
            key, at = _flow_scalar(text, at)
            if key in node.key_marks or text[at:at + 2] != ": ":
                raise Unsupported  # a key written twice, or no value
            value, at = _flow_value(text, _spaces(text, at + 2), number, column, depth)
            node[key] = value
            node.key_marks[key] = (number, column + start + 1)
        else:
            value, at = _flow_value(text, at, number, column, depth)
            node.append(value)
            node.item_marks.append((number, column + start + 1))
        at = _spaces(text, at)
        following = text[at:at + 1]
        if following == closing:
            return node, at + 1
        if following != ",":
            raise Unsupported
        at = _spaces(text, at + 1)
        if text[at:at + 1] in (closing, ",", ""):
            raise Unsupported  # an empty entry (“a, , b”, “a, ]”) or the line ends


def _flow_value(text: str, at: int, number: int, column: int, depth: int) -> tuple[Any, int]:
    if text[at:at + 1] in ("{", "["):
        return _flow(text, at, number, column, depth + 1)
    value, at = _flow_scalar(text, at)
    if text[at:at + 1] == ":":
        raise Unsupported  # a single pair in a list, or a colon in a value
    return value, at


def _flow_scalar(text: str, at: int) -> tuple[Any, int]:
    """A scalar in a flow collection at ``text[at]``: its value, and where it ends."""
    if text[at:at + 1] in ("'", '"'):
        value, after = _quoted(text[at:])
        return value, len(text) - len(after)
    plain = _FLOW_PLAIN.match(text, at)
    if plain is None:
        raise Unsupported
    written = plain.group().rstrip(" ")
    end = at + len(written)
    if text[_spaces(text, end):][:1] == "#":
        raise Unsupported  # a comment inside a flow collection, or “#” in a value
    return _value((written, True)), end


def _spaces(text: str, at: int) -> int:
    while text[at:at + 1] == " ":
        at += 1
    return at


def _plain(value: str) -> tuple[str, bool]:
    """A plain one-line value, its comment cut off."""
    comment = value.find(" #")
    if comment >= 0:
        value = value[:comment].rstrip(" ")
    _check_plain_start(value)
    if ": " in value or value.endswith(":"):
        raise Unsupported  # “a: b: c” is a mistake
    return value, True


def _check_plain_start(text: str) -> None:
    first = text[0]
    if first in _INDICATORS or first in "-?:" and (len(text) == 1 or text[1] == " "):
        raise Unsupported


def _quoted(content: str) -> tuple[str, str]:
    """A quoted scalar at the start of ``content`` (one line): its text and what follows it."""
    if content[0] == '"':
        end = content.find('"', 1)
        if end < 0 or "\\" in content[:end]:
            raise Unsupported  # escapes, or a text over several lines
        return content[1:end], content[end + 1:]
    start = 1
    while True:
        end = content.find("'", start)
        if end < 0:
            raise Unsupported  # a text over several lines
        if content[end + 1:end + 2] != "'":
            return content[1:end].replace("''", "'"), content[end + 1:]
        start = end + 2  # '' is a quote in the text


def _value(scalar: tuple[str, bool]) -> Any:
    """A plain scalar's value as the full loader constructs it (YAML 1.1 resolution, narrator's numbers)."""
    text = scalar[0]
    resolvers = _RESOLVERS.get(text[0] if text else "")
    if resolvers is None:
        return text
    tag = _STR
    for candidate, pattern in resolvers:
        if pattern.match(text):
            tag = candidate
            break
    if tag == _STR:
        return text
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _BOOLS[text.lower()]
    if tag == _INT and _WHOLE.fullmatch(text) and len(text.lstrip("+-")) <= MAX_WHOLE_DIGITS:
        return int(text)
    if tag == _FLOAT and _DECIMAL.fullmatch(text):
        digits, _, fraction = text.lstrip("+-").partition(".")
        if len(digits) <= MAX_WHOLE_DIGITS and len(fraction) <= MAX_DECIMALS:
            return Decimal(text)
    raise Unsupported  # another form of number, a timestamp, a merge key: the full loader decides


class _Reader:
    def __init__(self, tokens: list[tuple]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0  # nodes being read, one in another: bounded by MAX_DEPTH

    def node(self) -> Any:
        """The mapping or list starting at the current token."""
        kind, _, column = self.tokens[self.pos][:3]
        if kind == SCALAR:
            raise Unsupported  # a value alone on its own line (several lines, or a bare scalar)
        return self.mapping(column) if kind == KEY else self.sequence(column, indentless=False)

    def _deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unsupported

    def mapping(self, column: int) -> LocatedDict:
        self._deeper()
        tokens = self.tokens
        count = len(tokens)
        result = LocatedDict()
        result.mark = (tokens[self.pos][1], column + 1)
        marks = result.key_marks
        pos = self.pos
        while pos < count:
            kind, line, at, key, value = tokens[pos]
            if at < column:
                break
            if at > column or kind != KEY or key in marks:
                raise Unsupported  # out of place, or a key written twice (the full loader says so)
            pos += 1
            following = tokens[pos] if pos < count else None
            if value is not ABSENT:
                if following is not None and following[2] > column:
                    raise Unsupported  # the value goes on over more lines
            elif following is None or following[2] < column:
                value = None
            elif following[2] > column:
                self.pos = pos
                value = self.node()
                pos = self.pos
            elif following[0] == ITEM:
                self.pos = pos
                value = self.sequence(column, indentless=True)
                pos = self.pos
            else:
                value = None
            result[key] = value
            marks[key] = (line, at + 1)
        self.pos = pos
        self.depth -= 1
        return result

    def sequence(self, column: int, indentless: bool) -> LocatedList:
        self._deeper()
        tokens = self.tokens
        count = len(tokens)
        result = LocatedList()
        result.mark = (tokens[self.pos][1], column + 1)
        while self.pos < count:
            kind, line, at = tokens[self.pos][:3]
            if at < column or (indentless and kind == KEY and at == column):
                break
            if at > column or kind != ITEM:
                raise Unsupported
            self.pos += 1
            entry = tokens[self.pos]  # an item is always followed by what it holds
            if entry[0] == SCALAR:
                self.pos += 1
                following = tokens[self.pos] if self.pos < count else None
                if following is not None and following[2] > column:
                    raise Unsupported  # the value goes on over more lines
                result.append(entry[4])
            else:
                result.append(self.mapping(entry[2]))
            result.item_marks.append((entry[1], entry[2] + 1))
        self.depth -= 1
        return result
