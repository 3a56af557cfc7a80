"""list-count: “设9个内设机构，分别为：……” followed by a list of another length.

A count of units (``nouns``: 内设机构, 科室, 事业单位 …), then one of the ``lead`` words
(分别为, 包括 …) — or the noun first and its count, then a colon or a lead word (“内设机构4个：……”) — and a list whose items are separated by 、: the number of items is compared
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
from ...caches.regexcache import regex

_BRACKETED = regex(r"[（(][^（）()]*[)）]")


@cache
def _pattern(nouns: tuple[str, ...], leads: tuple[str, ...]) -> re.Pattern:
    noun = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    lead = "|".join(re.escape(w) for w in sorted(leads, key=len, reverse=True))
    count = r"(?P<count>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*个"
    # “设9个内设机构，分别为：……”, or the noun first: “内设机构4个：……”, “内设机构5个，分别是……”
    return regex(rf"{count}(?P<noun>[^，。,；;、:：]{{0,8}}?(?:{noun}))"
                 rf"[^。；;:：]{{0,12}}?(?:{lead})[:：]?\s*(?P<list>[^，,。；;]+)"
                 rf"|(?P<noun2>{noun})(?:共|有|共有|设有)?\s*{count.replace('count', 'count2')}"
                 rf"\s*(?:[:：]|[，,]?\s*(?:{lead})[:：]?)\s*(?P<list2>[^，,。；;]+)")


def run(rule: Any, context: Any) -> list[Finding]:
    """Each count whose list names another number of items."""
    nouns = tuple(str(n) for n in rule.params.get("nouns") or [])
    leads = tuple(str(w) for w in rule.params.get("lead") or [])
    if not nouns or not leads:
        return []
    findings = []
    for match in _pattern(nouns, leads).finditer(context.doc.text):
        which = "" if match.group("count") else "2"
        count = numeral_value(match.group("count" + which))
        listed_text = _BRACKETED.sub("", match.group("list" + which)).strip()
        items = [item for item in listed_text.split("、") if item.strip()]
        if count is None or len(items) < 2 or listed_text.endswith("等") or "\n" in match.group():
            continue
        joined = len(items) == count - 1 and re.search(r"[和及与]", items[-1])
        if len(items) != count and not joined:
            findings.append(context.finding(rule, match.start("count" + which), count=count,
                                            noun=match.group("noun" + which), listed=len(items)))
    return findings
