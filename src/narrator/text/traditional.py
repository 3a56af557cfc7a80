"""Texts in traditional characters, read as simplified: character for character, only when clearly traditional.

A mirror site that converted a page to 繁體, or a body that publishes for Hong Kong or Taiwan
readers, writes “經費預算” where every rule, phrasing and classification name of narrator is
simplified. :func:`to_simplified` converts such a text one character for one character (the table
is data: ``rules/reading/traditional.yaml``, from OpenCC's character table), so the text keeps its
length and every offset, line and column of a finding still points at the original. A text is
converted only when it is clearly traditional (enough traditional-only characters, by count and by
share of all CJK characters); a simplified text, even with a traditional name or two in it, comes
back as the very same string.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

from ..resources import rules_dir
from ..loading.yamlload import load_yaml

__all__ = ["Script", "load_script", "to_simplified", "traditional_share"]

_SHOWN = "rules/reading/traditional.yaml"


class Script(NamedTuple):
    """The traditional → simplified table and when a text counts as traditional (a NamedTuple: a
    frozen dataclass costs a cold command ~1.3 ms to make)."""

    table: dict[int, str]          # for str.translate: code point of a traditional char → its simplified char
    telling: frozenset[str]        # traditional-only chars: the ones counted to tell a traditional text
    min_count: int
    min_share: Decimal


@cache
def load_script() -> Script:
    """The table of ``rules/reading/traditional.yaml`` (read once per process).

    What is made of the file is kept in narrator's cache by its bytes (:func:`narrator.caches.yamlcache.cached_value`):
    building the table and the set of telling chars of 4,000 pairs was ~4 ms of every cold lint."""
    from ..caches.yamlcache import cached_value
    from ..loading.yamlload import read_bytes

    path = rules_dir() / "reading" / "traditional.yaml"
    return cached_value(read_bytes(path, _SHOWN), ("text/traditional.py",), lambda: _built(path), _encode, _decode)


def _encode(script: Script) -> tuple:
    return script.table, "".join(sorted(script.telling)), script.min_count, str(script.min_share)


def _decode(kept: tuple) -> Script:
    table, telling, min_count, min_share = kept
    return Script(table, frozenset(telling), min_count, Decimal(min_share))


def _built(path: Path) -> Script:
    data = load_yaml(path, _SHOWN)
    table: dict[int, str] = {}
    for pair in str(data["pairs"]).split():
        # each pair is two code points; a char outside the BMP is still one code point in a str
        if len(pair) != 2:
            raise ValueError(f"{_SHOWN}: “{pair}” 不是两个字")
        table[ord(pair[0])] = pair[1]
    ambiguous = set(str(data.get("ambiguous") or ""))
    detect = data["detect"]
    return Script(table, frozenset(chr(c) for c in table) - ambiguous,
                  int(detect["min_count"]), Decimal(str(detect["min_share"])))


def traditional_share(text: str) -> tuple[int, int]:
    """How many traditional-only chars ``text`` has, and how many CJK chars in all."""
    telling = load_script().telling
    count = sum(1 for char in text if char in telling)
    return count, (len(_cjk().findall(text)) if count else 0)


@cache
def _cjk() -> re.Pattern:
    """Any CJK character (compiled when a text has traditional ones: it costs ~3 ms to compile)."""
    return re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def is_traditional(text: str) -> bool:
    """Whether ``text`` is clearly written in traditional characters (see ``detect`` in the table)."""
    script = load_script()
    if script.min_count > 0 and script.telling.isdisjoint(text):
        return False    # no traditional-only char at all (asked in C: most texts)
    count, cjk = traditional_share(text)
    return count >= script.min_count and count >= script.min_share * cjk


def to_simplified(text: str) -> str:
    """``text`` in simplified characters when it is clearly traditional, else ``text`` itself.

    The conversion is character for character: the result has the same length as ``text``.
    """
    if not is_traditional(text):
        return text
    return text.translate(load_script().table)
