"""What a text must hold for a regular expression to match in it, read from the pattern's text.

A cold ``narrator lint`` compiled some three hundred patterns, most of which never match a given
text, and Python's compiler is slow for character classes of Chinese characters (a millisecond
each). A pattern whose every match contains “幅” cannot match a text without “幅”: it need not be
compiled for that text at all. :func:`requirements` finds what a match needs by reading the
pattern itself, conservatively: literal characters at the top level of a pattern without
top-level alternatives, not repeated, not optional (:func:`required_literals`); one of the words
of a top-level group of literal words (“(?:增加|减少)”), one of the characters of a simple
class (“[，,]”), one of the words of a lookahead or lookbehind (“(?=均|都)”); nothing in a
pattern that sets flags changing what a character matches. For anything it does not understand
it answers “nothing needed”, which only means the pattern is compiled and searched as before.
Only public APIs are used: the pattern is compiled by :func:`re.compile` whenever it is used.
"""

from __future__ import annotations

from functools import lru_cache

_SPECIAL = set(".^$*+?{}[]()|\\")
_QUANTIFIERS = set("*+?{")
_ALL_OR_NOTHING = ()     # nothing is known to be required


@lru_cache(maxsize=2048)
def required_literals(pattern: str) -> tuple[str, ...]:
    """Texts that every match of ``pattern`` (compiled without flags) contains; () when unsure."""
    return tuple(alternatives[0] for alternatives, kind in requirements(pattern) if kind == "run")


@lru_cache(maxsize=2048)
def requirements(pattern: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """What a text must hold for ``pattern`` to match in it: (alternatives, kind) pairs, one of the
    alternatives being in the text for each.

    ``kind`` says where: ``run``, a literal text of the match; ``choice``, one of the words of a
    group (“(?:增|减)”) or characters of a class (“[，,]”) the match holds; ``around``, one of
    those of a lookahead or lookbehind (“(?=均|都)”), next to the match. () when unsure.
    """
    flags = 2
    while pattern.startswith("(?") and pattern[flags:flags + 1] in set("aiLmsux"):
        flags += 1       # (?aiLmsux) at the start sets flags for the whole pattern
    if flags > 2 and pattern[flags:flags + 1] == ")" and set(pattern[2:flags]) - set("ms"):
        return _ALL_OR_NOTHING   # (?i) (?x) (?a) … change what a literal character matches
    found: list[tuple[tuple[str, ...], str]] = []
    run: list[str] = []
    depth, i = 0, 0
    while i < len(pattern):
        char = pattern[i]
        literal = None
        start = i
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
            members = _members(pattern[start:i])
            if depth == 0 and members and not _optional(pattern, i):
                found.extend(_flushed(run))
                found.append((members, "choice"))
        elif char == "{":
            i = _repeat_end(pattern, i)
        elif char == "(" and depth == 0 and _group(pattern, i) is not None:
            end, alternatives, kind = _group(pattern, i)
            i = end
            if alternatives and not _optional(pattern, i):
                found.extend(_flushed(run))
                found.append((alternatives, kind))
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
        found.extend(_flushed(run))  # anything else (a group, a class, a quantified character) ends a run
    found.extend(_flushed(run))
    return tuple(found) if depth == 0 else _ALL_OR_NOTHING


def _flushed(run: list[str]) -> list[tuple[tuple[str, ...], str]]:
    """The literal run collected so far as a requirement (none if empty), the run emptied."""
    if not run:
        return []
    text = "".join(run)
    run.clear()
    return [((text,), "run")]


def _optional(pattern: str, at: int) -> bool:
    """Whether what ends just before ``at`` may be matched zero times (?, *, {0,…}, {,…})."""
    after = pattern[at:at + 2]
    return after[:1] in ("?", "*") or after in ("{0", "{,")


_GROUP_KINDS = (("(?:", "choice"), ("(?=", "around"), ("(?<=", "around"), ("(?P<", "choice"))


def _group(pattern: str, start: int) -> tuple[int, tuple[str, ...], str] | None:
    """A group at ``start`` made only of literal words or one simple class: (its end, its words or
    characters, its kind); None for any other group (negative lookarounds, nested groups …)."""
    kind, inner = "choice", start + 1
    if pattern.startswith("(?", start):
        for opening, what in _GROUP_KINDS:
            if pattern.startswith(opening, start):
                kind, inner = what, start + len(opening)
                break
        else:
            return None
        if opening == "(?P<":
            inner = pattern.find(">", inner) + 1
            if inner <= 0:
                return None
    end = inner
    while end < len(pattern) and pattern[end] != ")":
        if pattern[end] in "(\\":
            return None      # escapes and nested groups: not looked into
        end = _class_end(pattern, end) if pattern[end] == "[" else end + 1
        if end < 0:
            return None
    if end >= len(pattern):
        return None
    body = pattern[inner:end]
    if body.startswith("[") and _class_end(body, 0) == len(body):
        return end + 1, _members(body), kind
    words = tuple(body.split("|"))
    if not all(words) or any(set(word) & _SPECIAL for word in words):
        return None
    return end + 1, words, kind


def _members(klass: str) -> tuple[str, ...]:
    """The characters of a simple class (“[，,；]”); () for a negated one or one with ranges or escapes."""
    body = klass[1:-1]
    if not body or body.startswith("^") or "-" in body or "\\" in body or "[" in body:
        return ()
    return tuple(dict.fromkeys(body))


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
    """Whether ``pattern`` can match anywhere in ``text``, as far as its requirements tell."""
    needed = _KNOWN.get(pattern)
    if needed is None:
        needed = requirements(pattern)
    return all(any(word in text for word in alternatives) for alternatives, _ in needed)


#: The requirements of the shipped rules' patterns, as kept with them in narrator's cache (reading
#: three hundred patterns char by char is a few milliseconds of a cold lint)
_KNOWN: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {}


def remember(known: dict[str, tuple[tuple[tuple[str, ...], str], ...]]) -> None:
    """Take the :func:`requirements` of these patterns as known (read back from the cache)."""
    _KNOWN.update(known)
