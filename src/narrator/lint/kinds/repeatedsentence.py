"""repeated-sentence: a sentence of amounts written again, word for word, elsewhere in the text.

“（二）全年支出” followed by the very sentence of “（一）全年收入” (“2022年收入预算3,038.92万元，比……”)
was copied and not rewritten. Only sentences that open a paragraph and state something of a subject
are compared: at least ``min_amounts`` amounts or percentages, at least ``min_length`` characters,
and Chinese words before the first number that are not a bare comparison (“与2019年预算相比，减少0万元”
repeats in a list of items with nothing wrong). A later sentence of a paragraph says more of the
subject its first one named (“21.……计划生育服务（项）20.00万元。2023年当年预算执行数为……”), so the same
words under two items are two statements. Rows of a table copied from a PDF are not sentences.
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex
from .existence import TABLE_ROW

_SENTENCE = regex(r"[^。；;！？!?\n]+")
_AMOUNT = regex(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?\s*(?:万元|元|%|％)")
_COMPARISON = regex(r"^\s*(?:与|比|较|同比|相比|其中|增加|减少|增长|下降)")


def run(rule: Any, context: Any) -> list[Finding]:
    """Each later copy of a sentence of amounts stated before."""
    shortest = int(rule.params.get("min_length", 20))
    fewest = int(rule.params.get("min_amounts", 2))
    first: dict[str, int] = {}
    findings = []
    for line in context.doc.lines:
        if "\t" in line.text or TABLE_ROW.search(line.text):
            continue
        for match in list(_SENTENCE.finditer(line.text))[:1]:
            text = re.sub(r"\s+", "", match.group())
            amounts = list(_AMOUNT.finditer(text))
            if len(text) < shortest or len(amounts) < fewest or _COMPARISON.match(text) \
                    or len(re.findall(r"[\u4e00-\u9fff]", text[:amounts[0].start()])) < 3:
                continue
            if text in first:
                start = line.start + match.start() + len(match.group()) - len(match.group().lstrip())
                shown = text[:24] + ("……" if len(text) > 24 else "")
                findings.append(context.finding(rule, start, line=first[text], match=shown))
            else:
                first[text] = line.number
    return findings
