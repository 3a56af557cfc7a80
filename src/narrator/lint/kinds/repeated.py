"""repeated-line: a heading or a paragraph written twice in a row.

A line equal to the line before it (blank lines between are skipped) is reported: a heading
pasted twice (“（一）职能职责” on two lines), or a whole sentence. Only headings, numbered
lines and lines ending a sentence or a lead-in (。 ：) are compared: cells of a table copied from a PDF repeat
legitimately (“=1.00(次)”, “实报实销”). Lines shorter than ``min_length`` are not compared.
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding
from ...regexcache import regex
from ..document import HAS_CJK
from .existence import TABLE_ROW

_NUMBERED = regex(r"^(?:\d+\s*[、.．](?!\d)|[（(][\d一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


def run(rule: Any, context: Any) -> list[Finding]:
    """Each line that repeats the line before it."""
    shortest = int(rule.params.get("min_length", 4))
    findings = []
    previous = None
    for line in context.doc.lines:
        text = line.text.strip()
        if not text:
            continue
        shaped = bool(line.heading) or bool(_NUMBERED.match(text)) or text.endswith(("。", "：", ":"))
        comparable = shaped and len(text) >= shortest and HAS_CJK.search(text) and not TABLE_ROW.search(line.text)
        if comparable and text == previous:
            column = line.text.find(text)
            findings.append(context.finding(rule, line.start + column, match=text))
        previous = text if comparable else None
    return findings
