"""repeated-line: a heading or a paragraph written twice in a row.

A line equal to the line before it (blank lines between are skipped) is reported: a heading
pasted twice (“（一）职能职责” on two lines), or a whole sentence. Only headings, numbered
lines and lines ending a sentence or a lead-in (。 ：) are compared: cells of a table copied from a PDF repeat
legitimately (“=1.00(次)”, “实报实销”). Lines shorter than ``min_length`` are not compared. A line is
compared without its number and a colon at its end (“六、名词解释” then “名词解释：”).
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex
from ..document import HAS_CJK
from .existence import TABLE_ROW

_NUMBERED = regex(r"^(?:\d+\s*[、.．](?!\d)|[（(][\d一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


def run(rule: Any, context: Any) -> list[Finding]:
    """Each line that repeats the line before it."""
    shortest = int(rule.params.get("min_length", 4))
    findings = []
    previous = None
    last = ""   # the line before, whatever it is
    for line in context.doc.lines:
        text = line.text.strip()
        if not text:
            continue
        # a title line (short, not shaped as one) said again as a lead-in: “名词解释” then “名词解释：”
        lead_in = text.endswith(("：", ":")) and text.rstrip("：:") == last
        last = text
        numbered = bool(_NUMBERED.match(text))
        shaped = bool(line.heading) or numbered or text.endswith(("。", "：", ":"))
        comparable = shaped and len(text) >= shortest and HAS_CJK.search(text) and not TABLE_ROW.search(line.text)
        # (“六、名词解释” then “名词解释：”: the same title, once with its number; two numbered items
        # of one name, “（一）……” “（二）……”, are the list's business)
        bare = _NUMBERED.sub("", text).strip().rstrip("：:")
        if comparable and len(bare) >= shortest and (lead_in or previous is not None and (
                text.rstrip("：:") == previous[0] or (bare == previous[1] and numbered != previous[2]))):
            column = line.text.find(text)
            findings.append(context.finding(rule, line.start + column, match=text))
        previous = (text.rstrip("：:"), bare, numbered) if comparable else None
    return findings
