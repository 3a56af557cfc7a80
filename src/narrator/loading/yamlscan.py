"""The common lines of a figures file read with a dict lookup each: what each line says is kept.

Nearly every line of a figures file is ``key: value``, ``key:``, ``- key: value`` or ``- value``,
the value a number, a one-line text or a one-line flow collection, and the same lines come back
in file after file: ``  basic:``, ``    general: 392.34``, ``    reason: 与上年持平``. A line is
split once at its first ``": "``; what its left part means (indentation, item dash, key) is read
once and kept by its text, and so is the value of its right part. The loop then only puts the
parts into the tree :mod:`narrator.loading.yamlload`'s loader builds — :class:`LocatedDict` and
:class:`LocatedList` with the same marks, values resolved by the same YAML 1.1 rules.

Anything else (a line of another form, a key written twice, an odd indentation, a value over two
lines, a number YAML 1.1 reads otherwise) raises :class:`~narrator.loading.yamlfast.Unsupported`, and the
caller reads the text with :mod:`narrator.loading.yamlfast`, or the full loader, which words every mistake.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .yamlfast import MAX_DEPTH, Unsupported, _flow_alone, _value
from .yamlload import LocatedDict, LocatedList

# A plain value that YAML 1.1 reads as text whatever follows its first character: not ASCII
# (Chinese), or a letter no resolver starts with (y/n/t/f/o start yes, no, true, false, on, off).
_TEXT_START = r"[^\x00-\x7f]|[a-eg-mp-su-xzA-EG-MP-SU-XZ_]"
# Any other plain value: what does not start a YAML indicator (“-” only before a non-space).
_OTHER_START = r"""[^\x00-\x20\-?:,\[\]{}#&*!|>'"%@`]|-(?=[^ ])"""
# The rest of a plain value: no colon, no “#” (either may end it or start something else: such a
# value is left to the line-by-line reader), and no trailing space.
_REST = r"(?:[^:#]*[^:# ])?"
_VALUE = re.compile(
    r" *(?:"
    r"(-?(?:0|[1-9][0-9]{0,15})\.[0-9]{1,8})"     # 1 a decimal number (Decimal)
    r"|(-?(?:0|[1-9][0-9]{0,15}))"                # 2 a whole number (int)
    rf"|((?:{_TEXT_START}){_REST})"               # 3 text as written
    r"""|('(?:[^']|'')*'|"[^"\\]*")"""            # 4 a quoted text
    rf"|((?:{_OTHER_START}){_REST})"              # 5 a plain value to resolve (true, ~, 2026-01-01…)
    r"|([\[{].*)"                                 # 6 a flow list or mapping (read by yamlfast)
    r")? *(?:(?<= )#.*|(?<=^)#.*)?")              # a comment: after a space, or alone
_HEAD = re.compile(r"( *)(?:(- +)(?=[^ ]))?(?:([A-Za-z0-9_]+)|'([^']*)')")
_ITEM = re.compile(r"( *)(- +)")

_ABSENT = object()   # a key with nothing after it (its value may be on the next lines)
_NO_KEY = object()   # a list item that is a value, not a mapping
_FLOW = object()     # a flow collection: read anew each time (its nodes hold marks)
_KEPT = 16384        # entries of each cache below, at most (emptied when full)
# What a line's left part says, as a shape: (level, key, mark column, level of the item's mapping).
# A level is twice the column, plus one for a list: a list written at its key's column (“list:”
# then “- a” under it) is inside that key's mapping, one level deeper, and a line fits where the
# innermost open collection has its level (after closing the deeper ones).
_heads: dict[str, tuple] = {}    # left part of a line with “: ” → shape (None: a comment)
_values: dict[str, Any] = {}     # right part → value
#: The Decimals this reader made from plain digits, at most 12 before the point and 8 after it
#: (``1444.53``), by id: amounts in bounds, which the validation plan takes as they are. Each is
#: held here, so an id found here is that Decimal's own (``id(value) in PLAIN_AMOUNTS`` is enough).
PLAIN_AMOUNTS: dict[int, Decimal] = {}
_PLAIN_AMOUNT = re.compile(r"(?:0|[1-9][0-9]{0,11})\.[0-9]{1,8}")
_lines: dict[str, tuple] = {}    # a line without “: ” → shape and value (None: blank or a comment)
_new_dict, _new_list = LocatedDict.__new__, LocatedList.__new__  # (without their __init__, set below)


def scan_tree(text: str) -> Any:
    """The tree of ``text`` as the full loader builds it; :class:`Unsupported` outside the subset.

    The caller has already refused what the line-by-line reader refuses in the text as a whole
    (tabs, control characters, other line breaks, a byte order mark, lone surrogates).
    """
    heads, values, lines = _heads, _values, _lines
    stack: list = []        # the open collections, innermost last: (level, node)
    level = -1              # the innermost's level, itself, and its key marks (a mapping's)
    node: Any = None
    marks: Any = None
    pending = False         # the last key has no value yet: it may be on the next lines
    pending_key: Any = None
    number = 0
    lines_here = text.count("\n") + 1
    if lines_here >= len(_MARKS) and lines_here < _MARKED_LINES:
        _mark(lines_here, 0)
    rows = _MARKS if lines_here < len(_MARKS) else None  # (a longer file makes its own)
    for line in text.split("\n"):
        number += 1
        head, colon, rest = line.partition(": ")
        if colon:
            shape = heads.get(head)
            if shape is None:
                shape = _head(head)
                if shape is None:
                    continue  # a comment with “: ” in it
            want, key, column, inner = shape
            value = values.get(rest, _ABSENT)
            if value is _ABSENT and rest:
                value = _value_of(rest)
                if value is _FLOW:
                    value = _flow(rest, number, len(head) + 2)
        else:
            shape = lines.get(line) or _bare(line)
            if shape is _BLANK:
                continue
            want, key, column, inner, value = shape
            if value is _FLOW:
                value = _flow(line[column - 1:], number, column - 1)
        if pending or want != level:
            # -- what a key left pending opens; what the line is not inside of closes
            if pending or not stack:
                if want > level:  # the pending key's value (or the top) opens here
                    if want & 1:
                        child: Any = _new_list(LocatedList)
                        child.item_marks = []
                    else:
                        child = _new_dict(LocatedDict)
                        child.key_marks = marks = {}
                    child.mark = _mark(number, want // 2 + 1)
                    if pending:
                        node[pending_key] = child
                    if len(stack) >= MAX_DEPTH:
                        raise Unsupported
                    stack.append((want, child))
                    level = want
                    node = child
                pending = False
            while level > want:
                stack.pop()
                if not stack:
                    raise Unsupported  # less indented than the top
                level, node = stack[-1]
                if not level & 1:
                    marks = node.key_marks
            if level != want:
                raise Unsupported  # an indentation no open collection has, or an item among keys
        if inner >= 0:  # “- key: value” or “- value”
            if key is _NO_KEY:
                node.append(value)
                node.item_marks.append(_mark(number, column))
                continue
            item = _new_dict(LocatedDict)
            item.mark = mark = _mark(number, column)
            item.key_marks = marks = {}
            node.append(item)
            node.item_marks.append(mark)
            if len(stack) >= MAX_DEPTH:
                raise Unsupported
            stack.append((inner, item))
            level = inner
            node = item
        if key in marks:
            raise Unsupported  # a key written twice: the full loader says so
        marks[key] = rows[number][column] if rows is not None and column < _MARKED_COLUMNS else (number, column)
        if value is _ABSENT:
            node[key] = None
            pending, pending_key = True, key
        else:
            node[key] = value
    if not stack:
        raise Unsupported  # an empty document: the full loader says what it is
    return stack[0][1]


_BLANK = (0, None, 0, -1, None)
#: Marks made once and shared by every file, _MARKS[line][column]: a mark is a tuple kept as long as
#: the tree, and a figures file has some two hundred; made anew they were most of what the reader
#: left for the garbage collector to look at (a tenth of its collections in a batch).
_MARKS: list[list[tuple[int, int]]] = []
_MARKED_LINES, _MARKED_COLUMNS = 20000, 24


def _mark(number: int, column: int) -> tuple[int, int]:
    """The mark (line, column), from :data:`_MARKS` (made up to the line as needed)."""
    if column >= _MARKED_COLUMNS or number >= _MARKED_LINES:
        return (number, column)
    while len(_MARKS) <= number:
        row = len(_MARKS)
        _MARKS.append([(row, c) for c in range(_MARKED_COLUMNS)])
    return _MARKS[number][column]


def _head(head: str) -> tuple | None:
    """The shape of the part of a line before its first ``": "`` (None: a comment)."""
    found = _HEAD.fullmatch(head)
    if found is None:
        if head.lstrip(" ").startswith("#"):
            return None  # a comment that has “: ” in it
        raise Unsupported
    indent, dash, plain, quoted = found.groups()
    key = quoted if plain is None else _key(plain)
    at = len(indent)
    if dash:
        inner = at + len(dash)
        shape = (2 * at + 1, key, inner + 1, 2 * inner)
    else:
        shape = (2 * at, key, at + 1, -1)
    if len(_heads) >= _KEPT:
        _heads.clear()
    _heads[head] = shape
    return shape


def _key(plain: str) -> Any:
    key = _value((plain, True))
    if isinstance(key, (list, dict)):  # pragma: no cover - a plain key is never a collection
        raise Unsupported
    return key


def _value_of(rest: str) -> Any:
    """The value of the part of a line after its first ``": "`` (_ABSENT: none, _FLOW: a collection)."""
    found = _VALUE.fullmatch(rest)
    if found is None:
        raise Unsupported
    decimal, whole, written, quoted, other, flow = found.groups()
    if flow:
        return _FLOW
    if decimal:
        value: Any = Decimal(decimal)
    elif whole:
        value = int(whole)
    elif written:
        value = written
    elif quoted:
        value = quoted[1:-1]
        if quoted[0] == "'":
            value = value.replace("''", "'")
    elif other:
        value = _value((other, True))
    else:
        value = _ABSENT
    if value is not _ABSENT:
        if len(_values) >= _KEPT:  # (a long batch: what the last files said is kept instead)
            _values.clear()
            PLAIN_AMOUNTS.clear()
        _values[rest] = value
        if decimal and _PLAIN_AMOUNT.fullmatch(decimal):
            PLAIN_AMOUNTS[id(value)] = value
    return value


def _bare(line: str) -> tuple:
    """The shape and value of a line without ``": "`` (_BLANK: a blank line or a comment)."""
    content = line.lstrip(" ")
    if not content or content[0] == "#":
        return _BLANK
    at = len(line) - len(content)
    dash = _ITEM.match(line)
    if content.endswith(":") and _HEAD.fullmatch(content[:-1]):
        shape = _head(line[:-1])
        if shape is None:  # pragma: no cover - a key is not a comment
            raise Unsupported
        shape = (*shape, _ABSENT)
    elif dash is None:
        raise Unsupported  # a value alone on its line (a text over several lines), or another form
    else:
        content = line[dash.end():]
        if content.startswith("- ") or content == "-":
            raise Unsupported  # a list in a list
        value = _value_of(content)
        if value is _ABSENT:
            raise Unsupported  # an empty item
        shape = (2 * at + 1, _NO_KEY, dash.end() + 1, 2 * dash.end(), value)
    if shape[4] is not _FLOW:
        if len(_lines) >= _KEPT:
            _lines.clear()
        _lines[line] = shape
    return shape


def _flow(written: str, number: int, column: int) -> Any:
    """The flow collection ``written`` (spaces before it, a comment after it) starting at ``column``."""
    content = written.lstrip(" ")
    return _flow_alone(content.rstrip(" "), number, column + len(written) - len(content))
