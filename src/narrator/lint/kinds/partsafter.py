"""parts-total, the total said after its parts: “人员经费120万元，公用经费30万元，合计160万元”.

:mod:`narrator.lint.kinds.parts` checks a total stated first and its parts listed after “其中/包括”.
Many texts state the parts first and close the sentence with their sum: an amount whose role is a
sum word (合计, 共计, 总计: “，合计160万元”, “，“三公”经费合计3.60万元”) after at least two amounts
said of subjects in the same sentence (up to 。；). Those amounts are its parts when none of them is
itself a sum, a change or a share, and the sentence has no “其中/包括” list and no 小计 (a
subtotal among the parts would be counted twice). The sum is judged as parts.py judges its totals.
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex
from . import parts
from .partslines import countable, eligible

_SUMS = frozenset({"合计", "共计", "总计"})
_SUBTOTAL = regex(r"小计")


def run(rule: Any, context: Any) -> list[Finding]:
    """Totals listed first (parts.run), then totals said after their parts."""
    found = parts.run(rule, context)
    words = "|".join(map(re.escape, rule.params.get("markers") or ["其中", "包括"]))
    marker = regex(f"(?:{words})")
    by_line: dict[int, list[Any]] = {}
    for token in context.doc.tokens:
        by_line.setdefault(token.line, []).append(token)
    seen = {f.location.column for f in found}
    for line in context.doc.lines:
        tokens = by_line.get(line.number)
        if not tokens:
            continue
        for sentence in parts._SENTENCE.finditer(line.text):
            text = sentence.group()
            if marker.search(text) or _SUBTOTAL.search(text):
                continue
            inside = [t for t in tokens if sentence.start() <= t.start - line.start < sentence.end()]
            for index, total in enumerate(inside):
                if total.role not in _SUMS or not countable(total) or index < 2:
                    continue
                before = inside[:index]
                if any(t.role for t in before) or not all(eligible(t, total.kind) for t in before):
                    break  # a sum or a change among them: not one list of parts
                finding = parts._judge(rule, context, total, before)
                if finding and finding.location.column not in seen:
                    found.append(finding)
                break
    return sorted(found, key=lambda f: (f.location.line, f.location.column))
