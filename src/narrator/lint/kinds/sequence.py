"""sequence: list and heading numbers go 1, 2, 3 … with one kind of marker per list.

Parameters: ``markers`` — a list of ``{style, pattern}`` where ``pattern`` matches the start of a
line and has a group ``num`` (Arabic or Chinese numerals); ``restart_on`` — heading kinds
(``section``, ``subsection``) that end a list; ``check`` — ``number`` (a number skipped or
repeated) or ``style`` (a list mixing markers such as “1.” and “3、”). A list also starts again
at 1, and ends at a paragraph that is not an item (``ends_on_paragraph: false`` for headings,
whose numbering runs across the paragraphs under them). ``check_restart: true`` reports a 1 in
the middle of a run (“（一）” after “（二）” with no higher heading and no unnumbered title line between); ``check_start:
true`` reports the first list of a part when it starts at a number other than 1 (“3. 4.”
right after a heading); not before the text's first heading, where an excerpt or a page of a
PDF may begin inside a list. A number skipped but written inside a line in between (a PDF that joined
two items) is not reported. A run that starts again at 1 and is followed by the run before it going
on (三、 [一、二、三、] 四、) was a list inside an item numbered as the items are: its first item is
reported (（一） belongs there), not the item that goes on. Full- and half-width brackets are the
same style here (the punctuation rules see those).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ...errors import Finding
from ...numbers import chinese_numeral, numeral_value
from ...caches.regexcache import regex
from .existence import TABLE_ROW

@cache
def _markers(specs: tuple) -> list[tuple[str, re.Pattern]]:
    return [(style, regex(pattern)) for style, pattern in specs]


#: An item whose numeral was lost (“、政府采购预算安排情况”): it held the number in between.
_BARE = regex(r"^\s*、\s*\S")

#: A short title that may have lost the number of a list's first item (“职能职责” before “（二）机构设置”),
#: or have another kind of marker (“1. 部门主要职责” before “二、……”); its text may run on after a blank.
_START_TITLE = regex(r"^\s*(?P<marker>\d{1,2}\s*[.．、](?!\d)\s*)?[\u4e00-\u9fff]{0,10}(?:职能|职责|设置|构成|概况|情况|说明)"
                     r"(?:\s*$|[ \u3000]+(?=\S))")

#: A title that lost its number among numbered ones (“政府性基金预算收入支出决算情况” between 七、 and 十、).
_UNNUMBERED = regex(r"^\s*[\u4e00-\u9fff“”（）()]{4,40}(?:表|说明|情况|概况|解释)\s*$")


def _written_inside(number: int, match: re.Match, lines: list[str]) -> bool:
    """Whether the expected number was written inside a line (a PDF that joined two items)."""
    shown = re.escape(_shown(number, match))
    marker = re.compile(f"(?<![\\d一二三四五六七八九十])(?:[（(]{shown}[)）]|{shown}(?:、|[.．](?!\\d)))")
    return any(marker.search(text) for text in lines)


def _shown(number: int, match: re.Match) -> str:
    """A number written like the one found: Arabic, or Chinese numerals."""
    return str(number) if match.group("num").isdigit() else chinese_numeral(number)


def run(rule: Any, context: Any) -> list[Finding]:
    """Numbers out of sequence, or markers of another style than the list's first."""
    specs = tuple((str(m["style"]), str(m["pattern"])) for m in rule.params.get("markers") or [])
    restart_on = set(rule.params.get("restart_on") or [])
    check = rule.params.get("check", "number")
    ends_on_paragraph = rule.params.get("ends_on_paragraph", True)
    check_restart = bool(rule.params.get("check_restart"))
    check_start = bool(rule.params.get("check_start"))
    findings = []
    run_style, expected = None, None
    outer: list[tuple[str, int]] = []   # the lists this one is nested in: (style, number expected next)
    last = None     # the last number in this part, kept across paragraphs
    between: list[str] = []     # the lines since the last item
    between_lines: list[Any] = []
    contents_lines: set[int] | None = None     # found when first needed
    previous_item: list[str] = []     # the last item's line
    since_restart: list[Any] = []     # the lines since the last restart, before the list's first item
    after_heading = False  # a heading seen: before it, the text may start inside a list (a page of a PDF)
    # a run that began again at 1 in the same style: (the number the run before it expected next,
    # the offset and match of its 1); the run before resuming shows the new one was nested in it
    restarted: tuple[int, int, Any] | None = None
    for line in context.doc.lines:
        after_heading = after_heading or bool(line.heading)
        if line.heading in restart_on:
            run_style, expected, last, outer = None, None, None, []
            since_restart, restarted = [], None
        if "\t" in line.text or TABLE_ROW.search(line.text) or line.text.endswith("   "):
            run_style, expected, outer = None, None, []
            continue  # a table copied from a PDF: its numbered cells are not items, and it ends a list
        marked = any(pattern.match(line.text) for _, pattern in _markers(specs))
        if not marked:
            if ends_on_paragraph and line.text.strip() and not line.heading:
                run_style, expected, outer = None, None, []  # a paragraph that is not an item ends the list
            between.append(line.text)
            between_lines.append(line)
            if last is None:
                since_restart.append(line)
            continue
        for style, pattern in _markers(specs):
            match = pattern.match(line.text)
            if match is None:
                continue
            number = numeral_value(match.group("num"))
            if number is None:
                break
            offset = line.start + match.start("num")
            # the item line before counts too: “九、……表十、……” holds the number skipped here
            passed, between, before = between, [], previous_item
            passed_lines, between_lines = between_lines, []
            previous_item = [line.text]
            if check == "number" and check_restart and number == 1 and expected not in (None, 2) \
                    and not any(_title().match(text) for text in passed):
                findings.append(context.finding(rule, offset, found=match.group("num"), expected=_shown(expected, match)))
            elif check == "number" and last is None and number > 1 and \
                    len(headed := [other for other in since_restart if _START_TITLE.match(other.text)]) == number - 1:
                # the list of the section starts at （二） after as many short titles that lost their
                # numbers (“职能职责” … “（二）机构设置”): report those titles
                for place, other in enumerate(headed, 1):
                    # (or with a marker of another kind: “1. 部门主要职责” before “二、……”)
                    marker = _START_TITLE.match(other.text).group("marker")
                    findings.append(context.finding(rule, other.start + len(other.text) - len(other.text.lstrip()),
                                                    found=marker.strip() if marker else "（无编号）",
                                                    expected=_shown(place, match)))
            elif check == "number" and check_start and last is None and number > 1 and after_heading \
                    and not _written_inside(1, match, passed):
                findings.append(context.finding(rule, offset, found=match.group("num"), expected=_shown(1, match)))
            last = number
            resumed = next((i for i in range(len(outer) - 1, -1, -1) if outer[i][0] == style), None) \
                if style != run_style else None
            if resumed is not None:
                # back to the list an inner one was nested in (“(4)……” then “2.……”): its own count
                run_style, expected = style, outer[resumed][1]
                del outer[resumed:]
            elif number == 1 and run_style is not None and style != run_style and expected is not None:
                outer.append((run_style, expected))     # a list nested in the item before
            if number == 1 and style == run_style and expected is not None and resumed is None:
                restarted = (expected, offset, match)
            if number == 1 or expected is None:
                run_style, expected = style, number + 1
                break
            if check == "number" and restarted is not None and number == restarted[0] != expected:
                # the run before the 1 goes on (三、 [一、二、三、四、] 四、): the items in between
                # were a list inside an item, numbered as its siblings are (（一）（二）… belongs there)
                nested = restarted[2]
                findings.append(context.finding(rule, restarted[1], found=nested.group("num"),
                                                expected=_inner(nested.group("num"))))
                restarted, expected = None, number + 1
                break
            lost = sum(1 for text in passed if _BARE.match(text))  # reported as lost numerals elsewhere
            untitled = [other for other in passed_lines if _UNNUMBERED.match(other.text)]
            if check == "number" and untitled and number == expected + len(untitled):
                # the numbers skipped are the titles between that lost theirs: report those lines
                # (in the contents, contents-numbering does)
                if contents_lines is None:
                    from .contents import contents_blocks
                    contents_lines = contents_blocks(context)[1]
                for place, other in enumerate(untitled):
                    if other.number not in contents_lines:
                        findings.append(context.finding(rule, other.start + len(other.text) - len(other.text.lstrip()),
                                                        found="（无编号）", expected=_shown(expected + place, match)))
            elif check == "number" and number not in (expected, expected + lost) \
                    and not _written_inside(expected, match, passed + (before if resumed is None else [])):
                findings.append(context.finding(rule, offset, found=match.group("num"),
                                                expected=_shown(expected, match)))
            if check == "style" and style != run_style:
                findings.append(context.finding(rule, offset, found=match.group().strip(), style=run_style))
            expected = number + 1
            break
    return findings


def _inner(numeral: str) -> str:
    """The marker a list inside a section numbered 一、 takes: （一）."""
    return f"（{numeral}）"


@cache
def _title() -> re.Pattern:
    """An unnumbered title line (“名词解释”, “机构设置”, or a unit's label “票据所：” before its own
    part): a new part even without a number.

    Compiled when first asked for (few numbering runs restart; it costs a millisecond)."""
    return regex(r"^\s*[\u4e00-\u9fff“”（）()]{2,20}\s*[：:]?\s*$")
