"""list-endings: one item of a numbered list ends otherwise than its siblings.

In “1.负责……；2.负责……；…… 11.组织……。12.组织……” the items end with ；and the last with 。; an
item in the middle ending with 。 (or, in a list of items ending with 。, with ；) is a slip.

A list is a run of lines (blank lines between are allowed) that start with list marks of one
style (``markers``: regular expressions, one per style, matched at the start of a line). Among
the items but the last, when at least ``least`` (default 3) end with one of 。 and ；, and exactly
one ends with the other (or, among items ending with ；, with a colon), that one is reported at its end.
A list of at least ``least`` items that all end with ；, the last one too (a label: no comma; an
item that is a sentence is paragraph-semicolon's), where a section heading
(``closing``: a regular expression, “二、…” or “第三部分…”) or the end of the text follows, has no
end: its last item is reported with ``message_last``. One item, the last one too, that ends with no
mark at all where at least ``least`` - 1 others end with 。 is reported with ``message_bare``.
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex

_COMMA = regex(r"[，,；;]")
_BARE = regex(r"[\u4e00-\u9fff\d]$")   # an item ending on a word or a number: no mark at all
_ENDINGS = {"；": "；", ";": "；", "。": "。", "：": "：", ":": "："}


def _lists(lines: list[Any], markers: list[re.Pattern]) -> list[tuple[list[Any], Any]]:
    """Runs of lines starting with the same style of mark, each with the line after it (or None)."""
    runs: list[tuple[list[Any], Any]] = []
    current: list[Any] = []
    style = -1
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        found = next((i for i, marker in enumerate(markers) if marker.match(text)), -1)
        if found >= 0 and found == style:
            current.append(line)
            continue
        if current:
            runs.append((current, line))
        current, style = ([line], found) if found >= 0 else ([], -1)
    if current:
        runs.append((current, None))
    return runs


def run(rule: Any, context: Any) -> list[Finding]:
    """The one item of a list ending with 。 among items ending with ；, or the other way round."""
    markers = [regex(str(m)) for m in rule.params.get("markers") or []]
    least = int(rule.params.get("least", 3))
    closing = regex(str(rule.params["closing"])) if rule.params.get("closing") else None
    findings = []
    for items, after in _lists(context.doc.lines, markers):
        inner = items[:-1]      # the last item rightly ends the list with 。
        ends = [_ENDINGS.get(line.text.rstrip()[-1:], "") for line in inner]
        # (a colon ends a lead-in, not an item whose next sibling follows it: “1.……113.7%：” among
        # items ending with ；is a slip)
        for usual, odd in (("；", "。"), ("。", "；"), ("；", "：")):
            if ends.count(usual) >= least and ends.count(odd) == 1:
                line = inner[ends.index(odd)]
                text = line.text.rstrip()
                findings.append(context.finding(rule, line.start + len(text) - 1, found=odd, usual=usual,
                                                count=ends.count(usual), match=text.strip()[-12:]))
        if rule.params.get("message_bare"):
            findings += _bare(rule, context, items, least, after, closing)
        if closing is not None and rule.params.get("message_last") and len(items) >= least \
                and (after is None or closing.match(after.text.strip())) \
                and all(_ENDINGS.get(line.text.rstrip()[-1:]) == "；" for line in items) \
                and not _COMMA.search(items[-1].text.rstrip()[:-1]):
            # (an item that is a sentence, with commas, is paragraph-semicolon's: a paragraph on ；)
            findings.append(_unended(rule, context, items[-1]))
    return findings


def _bare(rule: Any, context: Any, items: list[Any], least: int, after: Any,
          closing: re.Pattern | None) -> list[Finding]:
    """The one item, the last one too, that ends without a mark (“(九)承办其他……工作”) where at least
    ``least`` - 1 others end with 。 and none without one (message_bare). The last item only where a
    heading follows it: a line after it that is not one may be the rest of it (a PDF's line broken),
    and the text's end may be where an excerpt was cut off."""
    bare = [line for line in items if _BARE.search(line.text.rstrip())]
    full = sum(line.text.rstrip().endswith("。") for line in items)
    if len(bare) != 1 or full < least - 1:
        return []
    if bare[0] is items[-1] and (after is None or not (after.heading or closing is not None
                                                        and closing.match(after.text.strip()))):
        return []
    line = bare[0]
    return [context.finding(rule, line.start + len(line.text.rstrip()) - 1, "message_bare", count=full)]


def _unended(rule: Any, context: Any, line: Any) -> Finding:
    """The last item of a list that ends with ；where the list ends (message_last)."""
    return context.finding(rule, line.start + len(line.text.rstrip()) - 1, "message_last")
