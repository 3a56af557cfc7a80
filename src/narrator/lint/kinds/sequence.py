"""sequence: list and heading numbers go 1, 2, 3 … with one kind of marker per list.

Parameters: ``markers`` — a list of ``{style, pattern}`` where ``pattern`` matches the start of a
line and has a group ``num`` (Arabic or Chinese numerals); ``restart_on`` — heading kinds
(``section``, ``subsection``) that end a list; ``check`` — ``number`` (a number skipped or
repeated) or ``style`` (a list mixing markers such as “1.” and “3、”). A list also starts again
at 1, and ends at a paragraph that is not an item. Full- and half-width brackets are the same style here (the punctuation rules see those).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ...errors import Finding
from ...numbers import chinese_numeral

_CHINESE = {chinese_numeral(n): n for n in range(1, 100)}


@cache
def _markers(specs: tuple) -> list[tuple[str, re.Pattern]]:
    return [(style, re.compile(pattern)) for style, pattern in specs]


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _CHINESE.get(text)


def run(rule: Any, context: Any) -> list[Finding]:
    """Numbers out of sequence, or markers of another style than the list's first."""
    specs = tuple((str(m["style"]), str(m["pattern"])) for m in rule.params.get("markers") or [])
    restart_on = set(rule.params.get("restart_on") or [])
    check = rule.params.get("check", "number")
    findings = []
    run_style, expected = None, None
    for line in context.doc.lines:
        if line.heading in restart_on:
            run_style, expected = None, None
        marked = any(pattern.match(line.text) for _, pattern in _markers(specs))
        if not marked:
            if line.text.strip() and not line.heading:
                run_style, expected = None, None  # a paragraph that is not an item ends the list
            continue
        for style, pattern in _markers(specs):
            match = pattern.match(line.text)
            if match is None:
                continue
            number = _number(match.group("num"))
            if number is None:
                break
            offset = line.start + match.start("num")
            if number == 1 or expected is None:
                run_style, expected = style, number + 1
                break
            if check == "number" and number != expected:
                findings.append(context.finding(rule, offset, found=match.group("num"), expected=expected))
            if check == "style" and style != run_style:
                findings.append(context.finding(rule, offset, found=match.group().strip(), style=run_style))
            expected = number + 1
            break
    return findings
