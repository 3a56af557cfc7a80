"""economic-scope: the items listed as making up 人员经费 or 公用经费 belong to its economic 类.

“人员经费 80.00 万元，主要包括：基本工资、津贴补贴、委托业务费” — 委托业务费 is 30227, a 302 (商品和服务支出)
item, so it is 公用经费, not 人员经费. Parameters: ``groups`` (a term → the economic 类 codes its
items may have, e.g. 人员经费: [301, 303]) and ``markers`` (the words that open the list: 包括、
主要用于 …). Items are the names between 、，, up to the end of the sentence; an item that is not
an economic classification name is left alone (it may be a purpose, not a 款).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ...classification import load_classification
from ...errors import Finding
from ...caches.regexcache import regex

_ITEM_SPLIT = regex(r"[、，,；;和及]")
_AMOUNT = regex(r"[\d,.]+\s*(?:万元|元)|[（(][^）)]*[）)]")
# the term said inside a reason (“主要原因是支出结构调整、公用经费定额调标等，主要用于……”): what
# follows is what the sentence's own subject is used for, not what the term is made of
_IN_REASON = regex(r"原因(?:主要)?[是为][^，,。；;]*$")


@cache
def _codes_by_name() -> dict[str, str]:
    """Economic classification names of one code → that code."""
    table = load_classification("economic")
    found: dict[str, list[str]] = {}
    for code, name in table.names.items():
        found.setdefault(name, []).append(code)
    return {name: codes[0] for name, codes in found.items() if len(codes) == 1}


def run(rule: Any, context: Any) -> list[Finding]:
    """Each listed item whose economic 类 is not one of its group's."""
    groups = {str(term): tuple(str(c) for c in codes) for term, codes in (rule.params.get("groups") or {}).items()}
    markers = "|".join(map(re.escape, rule.params.get("markers") or ["包括"]))
    terms = "|".join(map(re.escape, groups))
    # the term nearest the marker opens the list: “人员经费400万元，公用经费100万元，公用经费主要包括
    # 办公费” lists what 公用经费 is made of, not 人员经费
    opening = regex(f"(?P<term>{terms})(?:(?!{terms})[^。；;])*?(?:{markers})[：:]?")
    names = _codes_by_name()
    findings = []
    doc = context.doc
    for line in doc.lines:
        for match in opening.finditer(line.text):
            if _IN_REASON.search(line.text, 0, match.start()):
                continue
            end = re.search(r"[。；;]", line.text[match.end():])
            stop = match.end() + (end.start() if end else len(line.text) - match.end())
            allowed = groups[match.group("term")]
            position = match.end()
            for piece in _ITEM_SPLIT.split(line.text[match.end():stop]):
                item = _AMOUNT.sub("", piece).strip()
                code = names.get(item)
                if code and not code.startswith(allowed):
                    column = line.text.index(piece, position) + piece.index(item[:1])
                    findings.append(context.finding(rule, line.start + column, item=item, code=code,
                                                    term=match.group("term")))
                position += len(piece) + 1
    return findings
