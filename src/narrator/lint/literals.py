"""The literal texts every match of a regular expression contains, read from the pattern's text.

A cold ``narrator lint`` compiled some four hundred patterns, most of which never match a given
text, and Python's compiler is slow for character classes of Chinese characters (a milliseconds
each). A pattern whose every match contains “幅” cannot match a text without “幅”: it need not be
compiled for that text at all. :func:`required_literals` finds such texts by reading the pattern
itself, conservatively — only characters at the top level of a pattern without top-level
alternatives, not repeated, not optional, and not in a pattern that sets flags changing what a
character matches; for anything it does not understand it answers “nothing required”, which
only means the pattern is compiled and searched as before.
"""

from __future__ import annotations

from functools import lru_cache

_SPECIAL = set(".^$*+?{}[]()|\\")
_QUANTIFIERS = set("*+?{")
_ALL_OR_NOTHING = ()     # nothing is known to be required


@lru_cache(maxsize=2048)
def required_literals(pattern: str) -> tuple[str, ...]:
    """Texts that every match of ``pattern`` (compiled without flags) contains; () when unsure."""
    flags = 2
    while pattern.startswith("(?") and pattern[flags:flags + 1] in set("aiLmsux"):
        flags += 1       # (?aiLmsux) at the start sets flags for the whole pattern
    if flags > 2 and pattern[flags:flags + 1] == ")" and set(pattern[2:flags]) - set("ms"):
        return _ALL_OR_NOTHING   # (?i) (?x) (?a) … change what a literal character matches
    runs: list[str] = []
    run: list[str] = []
    depth, i = 0, 0
    while i < len(pattern):
        char = pattern[i]
        literal = None
        if char == "\\":
            escaped = pattern[i + 1:i + 2]
            if not escaped:
                return _ALL_OR_NOTHING
            if escaped.isascii() and not escaped.isalnum() and escaped not in " #":
                literal = escaped           # \. \( \[ … stand for themselves
            i = _escape_end(pattern, i)
        elif char == "[":
            i = _class_end(pattern, i)
            if i < 0:
                return _ALL_OR_NOTHING
        elif char == "{":
            i = _repeat_end(pattern, i)
        else:
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            elif char == "|" and depth == 0:
                return _ALL_OR_NOTHING      # alternatives at the top: no one text is in every match
            elif char not in _SPECIAL and depth == 0:
                literal = char
            i += 1
        if literal is not None and depth == 0 and pattern[i:i + 1] not in _QUANTIFIERS:
            run.append(literal)
            continue
        if run:          # anything else (a group, a class, a quantified character) ends a run
            runs.append("".join(run))
            run = []
    if run:
        runs.append("".join(run))
    return tuple(runs) if depth == 0 else _ALL_OR_NOTHING


def _escape_end(pattern: str, start: int) -> int:
    """The index just after the escape opening at ``start`` (\\u4e00, \\x41, \\N{…}, \\12 …)."""
    kind = pattern[start + 1]
    if kind in "uUx":
        return start + 2 + {"u": 4, "U": 8, "x": 2}[kind]
    if kind == "N":
        end = pattern.find("}", start)
        return len(pattern) if end < 0 else end + 1
    i = start + 2
    while kind.isdigit() and i < len(pattern) and pattern[i].isdigit():
        i += 1           # a back reference or an octal code: every digit after it belongs to it
    return i


def _repeat_end(pattern: str, start: int) -> int:
    """The index just after a ``{m,n}`` repeat at ``start``; just after the “{” when it is not one."""
    end = pattern.find("}", start)
    if end > start and all(c.isdigit() or c == "," for c in pattern[start + 1:end]):
        return end + 1
    return start + 1


def _class_end(pattern: str, start: int) -> int:
    """The index just after the character class opening at ``start`` (-1: not closed)."""
    i = start + 1
    if pattern[i:i + 1] == "^":
        i += 1
    if pattern[i:i + 1] == "]":
        i += 1           # a “]” first in a class is a member
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
        elif pattern[i] == "]":
            return i + 1
        else:
            i += 1
    return -1


def may_match(pattern: str, text: str) -> bool:
    """Whether ``pattern`` can match anywhere in ``text``, as far as its required texts tell."""
    return all(literal in text for literal in required_literals(pattern))
