"""sibling-endings: one numbered heading or item ends otherwise than its siblings of the same level.

Siblings are the lines that start with marks of one style numbered one after the other (“一、”
“二、” “三、” …), whatever text lies between them: the headings of a part, the entries of a
contents page, the duties of a unit. Where most of them end with 。 (or ；, the last one with 。) and
one or two end with no mark at all (“五、2021年度国有资本经营预算支出决算情况” among entries ending
with 。, “2.国防支出23万元” among items ending with ；), or where
they end with no mark and one ends with a stray 、 or ，(“十一、……支出预算表(按政府预算)、”), the
odd ones are reported. A text wrapped at a fixed width is left alone: its lines are not paragraphs.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ...errors import Finding
from ...numbers import numeral_value
from ...caches.regexcache import regex
from .existence import TABLE_ROW
from .paragraph import hard_wrapped

_STOP = "。"
_SEMI = "；"
_NONE = ""
_STRAY = {"、": "、", "，": "，", ",": "，"}
_CLOSING = regex(r"[\u4e00-\u9fff）)”」》\]]$")


class _Item(NamedTuple):
    line: Any
    end: int      # offset of the line's last character
    mark: str     # 。, ；, a stray mark, "" for none; None: a mark not compared (：…)


def _ending(text: str) -> str | None:
    last = text[-1:]
    if last == _STOP:
        return _STOP
    if last in ("；", ";"):
        return _SEMI
    if last in _STRAY:
        return _STRAY[last]
    return _NONE if _CLOSING.search(text) else None


def _runs(lines: list[Any], styles: list[Any]) -> list[list[_Item]]:
    """Lines of one mark style whose numbers follow one another, whatever lies between them."""
    open_runs: dict[int, tuple[int, list[_Item]]] = {}
    runs: list[list[_Item]] = []
    for line in lines:
        raw = line.text.rstrip()
        text = raw.strip()
        if not text or TABLE_ROW.search(raw):
            continue
        for style, pattern in enumerate(styles):
            match = pattern.match(text)
            if match is None:
                continue
            value = numeral_value(match.group("num"))
            if value is None:
                break
            item = _Item(line, line.start + len(raw) - 1, _ending(text))
            last, run = open_runs.get(style, (0, []))
            if run and value == last + 1:
                run.append(item)
            else:
                if run:
                    runs.append(run)
                run = [item]
            open_runs[style] = (value, run)
            break
    runs.extend(run for _, run in open_runs.values() if run)
    return runs


def run(rule: Any, context: Any) -> list[Finding]:
    """The few siblings without the 。 the others end with, or with a stray 、/， the others lack."""
    styles = [regex(str(m)) for m in rule.params.get("markers") or []]
    least = int(rule.params.get("least", 3))
    lines = context.doc.lines
    if hard_wrapped(lines, 15):
        return []
    # the text's last line may be cut short (an excerpt, a page copied in part): not compared
    last = next((line for line in reversed(lines) if line.text.strip()), None)
    findings = []
    for items in _runs(lines, styles):
        # the text's last line, cut short mid-item (“10.城乡社区支出1920万元(”), says nothing of its ending
        items = [item for item in items if item.line is not last or item.mark is not None]
        marks = [item.mark for item in items]
        stops, nones = marks.count(_STOP), marks.count(_NONE)
        semis = marks.count(_SEMI)
        stray = [item for item in items if item.mark in ("、", "，")]
        if stops >= least and 0 < nones * 2 < stops and stops + nones == len(items):
            odd, found, usual, count = [i for i in items if i.mark == _NONE], "没有“。”", "以“。”结尾", stops
        elif semis >= least and 0 < nones * 2 < semis and semis + nones + (marks[-1] == _STOP) == len(items):
            # items of a list end with ；(the last one with 。, or ；too): one without a mark lost its ；
            odd, found, usual, count = [i for i in items if i.mark == _NONE], "没有“；”", "以“；”结尾", semis
        elif nones >= least and len(stray) == 1 and nones + 1 == len(items):
            odd, found, usual, count = stray, f"多了“{stray[0].mark}”", "末尾没有标点", nones
        else:
            continue
        for item in odd:
            if item.line is last:
                continue
            findings.append(context.finding(rule, item.end, found=found, usual=usual, count=count,
                                            match=item.line.text.strip()[-12:]))
    return findings
