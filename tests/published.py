"""Sentence-by-sentence comparison of rendered text with a published document.

The same comparison as the project's contract check: whitespace is folded, half-width
punctuation made full-width, list markers and heading marks dropped, and each line split at
“。”. Table cells (lines a PDF extraction indents with a tab, or Markdown ``|`` rows) are not
prose and are compared separately, cell by cell.
"""

from __future__ import annotations

import re
from collections import Counter

_HALF = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})


def _clean(line: str) -> str:
    line = re.sub(r"^\s*[-*]\s+|^#+\s*", "", line).replace("**", "")
    return re.sub(r"\s+", "", line).translate(_HALF)


def sentences(text: str, *, tables: bool = False) -> Counter:
    """The prose sentences of ``text`` (or, with ``tables``, also its table lines)."""
    out: Counter = Counter()
    for line in text.splitlines():
        if not tables and (line.startswith("\t") or line.lstrip().startswith("|")):
            continue
        out.update(s for s in _clean(line).split("。") if s)
    return out


def cells(text: str) -> Counter:
    """Table cells: tab-indented PDF lines, and the cells of Markdown table rows."""
    out: Counter = Counter()
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            if re.fullmatch(r"\s*\|(\s*-+\s*\|)+\s*", line):
                continue
            out.update(_clean(c) for c in line.strip().strip("|").split("|") if _clean(c))
        elif line.startswith("\t") and _clean(line):
            out[_clean(line)] += 1
    return out


def missing(published: Counter, rendered: Counter) -> dict[str, int]:
    """Published sentences (with how many copies) that the rendered text does not contain."""
    return {s: n - rendered[s] for s, n in published.items() if rendered[s] < n}
