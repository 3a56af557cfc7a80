"""A text as a sequence of sentences, and the alignment of two such sequences.

The unit of merging is the sentence (a clause ending in 。！？；), or a whole line where a line
has no such ending (headings, table rows). Each unit remembers the separator written before
it — nothing (same paragraph), a line break, or a blank line — so that a text split into
units and joined again is the same text.

Two versions of a text are aligned unit by unit: identical runs first (difflib), then identical
units that moved, then the remaining units are paired by similarity, in order (a sentence whose
numbers changed, or that a person reworded or shortened, stays paired with its former self).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_LINES = re.compile(r"(\n+)")
_SENTENCE = re.compile(r"[^。！？；]*[。！？；]+[”’」』）)]*|[^。！？；]+")
SIMILAR = 0.5
"""Units at least this similar (see :func:`similarity`) are taken for versions of one another."""
MAX_PAIRING = 40_000
"""Above this many candidate pairs, versions are only looked for near their old place."""


@dataclass(frozen=True)
class Unit:
    """One sentence (or line) and the separator before it: "", "\\n" or "\\n\\n"…"""

    text: str
    sep: str = ""


def split_units(text: str) -> list[Unit]:
    """Split a text into units; :func:`join_units` gives the text back exactly."""
    units: list[Unit] = []
    pending = ""
    for part in _LINES.split(text):
        if not part:
            continue
        if part.startswith("\n"):
            pending += part
            continue
        for index, match in enumerate(_SENTENCE.finditer(part)):
            units.append(Unit(match.group(), pending if index == 0 else ""))
        pending = ""
    if pending:
        units.append(Unit("", pending))  # the final line break(s)
    return units


def join_units(units: list[Unit]) -> str:
    """The text of a sequence of units."""
    return "".join(u.sep + u.text for u in units)


#: The most unit pairs one stretch is compared in (e.g. 200 × 200 sentences).
MAX_PAIRS = 40_000


def similarity(a: str, b: str) -> float:
    """How alike two units are, 0 to 1.

    The difflib ratio, or — so that a sentence people shortened still counts as the same
    sentence — 0.8 × the share of the shorter one found in the longer one.
    """
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    shorter = min(len(a), len(b))
    if shorter < 6 and (matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR):
        return 0.0
    matched = sum(block.size for block in matcher.get_matching_blocks())
    contained = 0.8 * matched / shorter if shorter >= 6 else 0.0
    return max(2.0 * matched / (len(a) + len(b)), contained)


def _pair_block(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Order-preserving pairs of similar units of two short stretches (best total similarity)."""
    n, m = len(a), len(b)
    if not n or not m:
        return []
    if n * m > MAX_PAIRS:
        # a stretch far longer than any edit (a hostile or pasted text): comparing every pair
        # would take minutes, so only units left exactly as they were are paired
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        return [(i + k, j + k) for i, j, size in matcher.get_matching_blocks() for k in range(size)]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims = [[similarity(x, y) for y in b] for x in a]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            if sims[i][j] >= SIMILAR:
                best = max(best, sims[i][j] + score[i + 1][j + 1])
            score[i][j] = best
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if sims[i][j] >= SIMILAR and score[i][j] == sims[i][j] + score[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def align(old: list[Unit], new: list[Unit], moves: bool = True) -> dict[int, int]:
    """Which unit of ``new`` each unit of ``old`` became (old index → new index).

    Units of ``old`` missing from the mapping were removed; units of ``new`` not in its values
    were added. Separators are ignored: a sentence moved into another paragraph is the same.
    With ``moves=False`` the pairs keep their order (for two generated texts, whose order is
    the templates' and never moves: a repeated sentence is then not mistaken for a moved one).
    """
    a = [u.text for u in old]
    b = [u.text for u in new]
    pairs: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.update(zip(range(i1, i2), range(j1, j2)))
        else:
            blocks.append((i1, i2, j1, j2))
    taken = set(pairs.values())
    if not moves:
        for i1, i2, j1, j2 in blocks:
            for x, y in _pair_block(a[i1:i2], b[j1:j2]):
                pairs[i1 + x] = j1 + y
        return pairs
    unused: dict[str, list[int]] = {}
    for j, text in enumerate(b):
        if j not in taken:
            unused.setdefault(text, []).append(j)
    for i, text in enumerate(a):  # identical units that moved
        if i not in pairs and unused.get(text):
            pairs[i] = unused[text].pop(0)
    left = [i for i in range(len(a)) if i not in pairs]
    taken = set(pairs.values())
    right = [j for j in range(len(b)) if j not in taken]
    if len(left) * len(right) <= MAX_PAIRING:  # versions of a sentence, wherever they went
        for x, y in _pair_block([a[i] for i in left], [b[j] for j in right]):
            pairs[left[x]] = right[y]
    else:  # a text rewritten wholesale: only look for versions inside each changed stretch
        for i1, i2, j1, j2 in blocks:
            free = [j for j in range(j1, j2) if j not in taken]
            rest = [i for i in range(i1, i2) if i not in pairs]
            for x, y in _pair_block([a[i] for i in rest], [b[j] for j in free]):
                pairs[rest[x]] = free[y]
    return pairs
