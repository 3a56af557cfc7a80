"""list-count: “设9个内设机构，分别为：……” followed by a list of another length.

A count of units (``nouns``: 内设机构, 科室, 事业单位 …), then one of the ``lead`` words
(分别为, 包括 …) and a list whose items are separated by 、: the number of items is compared
with the count. The list ends at the clause's end (，。；). Not compared: a list that ends in 等 (it
names some), one with fewer than two items (not a 、 list), and one item short where the last
item joins two with 和/及/与 (“A、B和C”). Brackets inside items are left out first.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ...errors import Finding
from ...numbers import numeral_value
from ...regexcache import regex

_BRACKETED = regex(r"[（(][^（）()]*[)）]")


@cache
def _pattern(nouns: tuple[str, ...], leads: tuple[str, ...]) -> re.Pattern:
    noun = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    lead = "|".join(re.escape(w) for w in sorted(leads, key=len, reverse=True))
    return regex(rf"(?P<count>\d{{1,2}}|[一二两三四五六七八九十]{{1,3}})\s*个(?P<noun>[^，。,；;、:：]{{0,8}}?(?:{noun}))"
                      rf"[^。；;:：]{{0,12}}?(?:{lead})[:：]?\s*(?P<list>[^，,。；;]+)")


def run(rule: Any, context: Any) -> list[Finding]:
    """Each count whose list names another number of items."""
    nouns = tuple(str(n) for n in rule.params.get("nouns") or [])
    leads = tuple(str(w) for w in rule.params.get("lead") or [])
    if not nouns or not leads:
        return []
    findings = []
    for match in _pattern(nouns, leads).finditer(context.doc.text):
        count = numeral_value(match.group("count"))
        listed_text = _BRACKETED.sub("", match.group("list")).strip()
        items = [item for item in listed_text.split("、") if item.strip()]
        if count is None or len(items) < 2 or listed_text.endswith("等") or "\n" in match.group():
            continue
        joined = len(items) == count - 1 and re.search(r"[和及与]", items[-1])
        if len(items) != count and not joined:
            findings.append(context.finding(rule, match.start("count"), count=count, noun=match.group("noun"),
                                            listed=len(items)))
    return findings
