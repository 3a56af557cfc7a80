"""official-name: a 支出功能分类 category must be called by its official name of the year.

Checked: names written before “（类）”, “（款）”, “（项）” (also “（210类）” with the code), the subjects of amounts and the items
of lists (“支出预算包括：A、B、C”) that end in ``suffix`` (支出). A 类 name must be one of the
类 names in force in the document's year; a name that looks like one (difflib ratio ≥ ``cutoff``)
but is not, is reported with the official name. The 款 and 项 tables are not complete, so there
only a former name (renamed before the year) is reported. Parameter ``allow``: words ending in
支出 that are not category names (基本支出, 项目支出 …). On a line that lists the amounts of at least
``class_list`` 类 by name (within ``class_lines`` lines), an amount's subject that is no category name
of any level or year but like one 类 name (``cutoff_made_up``) is a made-up 类 name (“教育事业事务支出”);
a subject holding one of ``total_words`` (预算, 拨款 …) is a total or a fund's spending, not a 类.
"""

from __future__ import annotations

import bisect
import difflib
import re
from functools import cache
from typing import Any

from ...classification import load_classification
from ...classification.reference import editions_key
from ...errors import Finding
from ...caches.regexcache import regex

# the marker only: the name before it is found by walking back over name characters, because a
# regex starting with the name is tried at every position of a long run and is quadratic
_MARKER = regex(r"[（(](?:\d{3,7}\s*)?(?P<level>类|款|项)[)）]")
_NAME_CHAR = regex(r"[^（）()：:，,、；;。“”\"'‘’\s\d\-.．]")
_LIST = regex(r"包括[：:](?P<items>[^。；;]+)")
_LEVELS = {"类": 3, "款": 5, "项": 7}
# a classification code (类 3, 款 5, 项 7 digits) written before a name, with or without a separator
_CODE = regex(r"^\d{3}(?:\d{2}){0,2}\s*[-－—–‐.．、:：]?\s*(?=\D)")


def _names(level: int, year: int | None) -> tuple[frozenset[str], dict[str, str]]:
    """Names in force for ``year`` at one level, and former names → current names."""
    return _names_in(level, year, editions_key())


@cache
def _names_in(level: int, year: int | None, editions: tuple[int, ...]) -> tuple[frozenset[str], dict[str, str]]:
    table = load_classification("functional")
    current, former = set(), {}
    # the entries read directly (table.names, .name and .all_names made a dict or set per call: 2.3 ms a lint)
    for code, entry in table.entries.items():
        if len(code) != level:
            continue
        in_year = entry.name_in(year)
        current.add(in_year if year else entry.name)
        for name in {entry.name, *(old for _, old in entry.formerly)}:
            if year is None and name != entry.name:
                current.add(name)
            elif name != in_year:
                former[name] = in_year
    return frozenset(current), former


def _judge(rule: Any, context: Any, name: str, offset: int, level: int, strict: bool) -> Finding | None:
    code = _CODE.match(name)
    if code:
        # “201-一般公共服务支出”, “201 一般公共服务支出”, “2010301行政运行”: a code with its name
        # (as tables print them); the name is what is judged, at its own place
        name, offset = name[code.end():], offset + code.end()
        if not name:
            return None
    current, former = _names(level, context.year)
    allow = set(rule.params.get("allow") or [])
    if name in current or name in allow:
        return None
    if name in former:
        return context.finding(rule, offset, found=name, why="是旧名称", advice=f"应为“{former[name]}”")
    suffix = str(rule.params.get("suffix", "支出"))
    if not name.endswith(suffix) and name + suffix in current:
        # “教育（类）”: the 类 name without its 支出 — short, but not the official name
        return context.finding(rule, offset, found=name, why="少了“支出”",
                               advice=f"应为“{name + suffix}”") if strict and level == 3 else None
    if not name.endswith(suffix) and name + suffix in former:
        return context.finding(rule, offset, found=name, why="是旧名称",
                               advice=f"应为“{former[name + suffix].removesuffix(suffix)}”")
    if not strict and not name.endswith(suffix):
        return None
    if not strict and (name.removesuffix(suffix) in _all_names()[0]
                       or any(name in _names(item_level, context.year)[0] for item_level in (5, 7))):
        # “2039901-其他国防支出”: a 款 or 项 name of the year, or any with 支出 after it (“初中教育支出”),
        # said of its amount
        return None
    if not strict and level != 3:
        return None
    # the 款 and 项 tables are incomplete: only a near-identical name (其它/其他) is surely a misspelling
    cutoff = float(rule.params.get("cutoff", 0.75)) if level == 3 else float(rule.params.get("cutoff_item", 0.9))
    guess = difflib.get_close_matches(name, sorted(current), n=1, cutoff=cutoff)
    year = f" {context.year} 年" if context.year else ""
    if guess:
        return context.finding(rule, offset, found=name, why="不是官方名称", advice=f"应为“{guess[0]}”")
    if strict and level == 3:
        return context.finding(rule, offset, found=name, why=f"不是{year}支出功能分类的类名",
                               advice="请按 rules/classification/functional.yaml 核对")
    # an economic classification name written with its words out of place (其他商品服务和支出)
    known, economic = _all_names()
    if name not in known:
        cutoff = float(rule.params.get("cutoff_economic", 0.85))
        guess = difflib.get_close_matches(name, economic, n=1, cutoff=cutoff)
        if guess:
            return context.finding(rule, offset, found=name, why="不是经济分类的官方名称", advice=f"应为“{guess[0]}”")
    return None


def _leading(name: str, leads: list[str]) -> str:
    """The lead words run into a name's front, one after another (“全市统筹的社会保险基金预算支出”)."""
    taken = 0
    while lead := next((w for w in leads if name.startswith(w, taken) and len(name) > taken + len(w) + 1), ""):
        taken += len(lead)
    return name[:taken]


def _all_names() -> tuple[frozenset[str], tuple[str, ...]]:
    """Every functional and economic name (current and former), and the economic names ending in 支出."""
    return _all_names_in(editions_key())


@cache
def _all_names_in(editions: tuple[int, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    names: set[str] = set()
    for kind in ("functional", "economic", "government-economic"):
        names |= load_classification(kind).every_name()
    economic = load_classification("economic").names.values()
    return frozenset(names), tuple(sorted(n for n in economic if n.endswith("支出")))


def _code_of(name: str, level: int, year: int | None) -> str:
    """The code of ``name`` at a level when only one code has that name in ``year``, else ""."""
    table = load_classification("functional")
    codes = [c for c in table.code_for_name(name, level) if table.name(c, year) == name]
    return codes[0] if len(codes) == 1 else ""


def _under(rule: Any, context: Any, name: str, offset: int, level: int, parent: str
           ) -> tuple[str, Finding | None]:
    """A 款 or 项 name of a path checked against its parent's children: (its code, a finding).

    Only a name close to one child's name is reported (the tables are not complete: a name like
    none of them may be a child the tables lack).
    """
    if not parent or len(parent) + 2 != level:
        return "", None
    table = load_classification("functional")
    year = context.year
    under = table.children(parent, level)
    for code in under:  # any year's name: a code used outside its years is another finding's matter
        if name in table.all_names(code):
            return code, None
    children = {table.name(c, year): c for c in under if year is None or table.entries[c].exists_in(year)}
    cutoff = float(rule.params.get("cutoff_child", 0.6))
    guess = difflib.get_close_matches(name, sorted(children), n=1, cutoff=cutoff)
    if not guess:
        return "", None
    what = "款" if level == 5 else "项"
    return children[guess[0]], context.finding(
        rule, offset, found=name, why=f"不是“{table.name(parent, year)}”下的{what}名", advice=f"应为“{guess[0]}”")


def _marked(text: str) -> list[tuple[int, str, str, int]]:
    """Names written before a level marker: (start, name, 类/款/项, end of the marker), in linear time."""
    marked, floor = [], 0
    for match in _MARKER.finditer(text):
        start = match.start()
        while start > floor and _NAME_CHAR.match(text, start - 1):
            start -= 1
        if start < match.start():
            marked.append((start, text[start:match.start()], match.group("level"), match.end()))
        floor = match.end()
    return marked


def run(rule: Any, context: Any) -> list[Finding]:
    """Category names that are not the official ones of the document's year."""
    suffix = str(rule.params.get("suffix", "支出"))
    # words run into the name's front when nothing separates them (“其中一般公共服务支出（201类）”)
    leads = sorted((str(w) for w in rule.params.get("lead_words", ())), key=len, reverse=True)
    findings: dict[int, Finding] = {}
    classes = _names(3, context.year)[0]
    short: dict[int, str] = {}      # offset → a 类 name written without its 支出 (“教育（类）”)
    full: dict[int, str] = {}       # offset → a 类 name written whole (“教育支出（类）”)
    for line in context.doc.lines:
        parent, end = "", -1
        for start, name, level_word, stop in _marked(line.text):
            lead = _leading(name, leads)
            start, name = start + len(lead), name[len(lead):]
            offset = line.start + start
            level = _LEVELS[level_word]
            if level == 3 and not name.endswith(suffix) and line.text.startswith(suffix, stop):
                name += suffix  # “一般公共服务（类）支出”: the 类 name's 支出 written after its marker
            found = _judge(rule, context, name, offset, level, True)
            if level == 3 and not name.endswith(suffix) and name + suffix in classes:
                short[offset] = name
                parent = _code_of(name + suffix, level, context.year)
            elif level == 3:
                if name in classes:
                    full[offset] = name
                parent = "" if found else _code_of(name, level, context.year)
            elif not found and start - end <= 1:  # “…（类）…（款）…（项）” written as one path
                parent, found = _under(rule, context, name, offset, level, parent)
            else:
                parent = ""
            end = stop
            if found:
                findings[offset] = found
        for match in _LIST.finditer(line.text):
            position = match.start("items")
            for item in re.split(r"[、，,和]", match.group("items")):
                name = item.strip()
                offset = line.start + line.text.find(name, position)
                position += len(item) + 1
                if name.endswith(suffix) and offset not in findings:
                    found = _judge(rule, context, name, offset, 3, False)
                    if found:
                        findings[offset] = found
    _house_style(rule, context, findings, short, full, suffix)
    subjects: list[tuple[int, str, int]] = []   # (offset, name, line number) of amounts' subjects
    for token in context.doc.tokens:
        # the name is what follows the last 、 (a page break may leave the unit of the amount before
        # it at the line's start: “元、卫生健康支出 21500.50 元”)
        subject = token.subject.rsplit("、", 1)[-1].lstrip("—－-–·•①②③④⑤⑥⑦⑧⑨⑩")  # (nor a “——” or “③” list marker)
        subject = subject[len(_leading(subject, leads)):]   # (“具体是城乡社区支出9060.05万元”: the name after it)
        if token.kind == "amount" and subject.endswith(suffix) and "（" not in subject:
            line = context.doc.lines[token.line - 1]
            offset = line.start + line.text.rfind(subject[:2], 0, token.column)
            if offset not in findings and line.text.find(subject, offset - line.start) >= 0:
                subjects.append((offset, subject, token.line))
                found = _judge(rule, context, subject, offset, 3, False)
                if found:
                    findings[offset] = found
    _unknown_in_class_lists(rule, context, findings, subjects, classes)
    return [findings[k] for k in sorted(findings)]


def _unknown_in_class_lists(rule: Any, context: Any, findings: dict[int, Finding],
                            subjects: list[tuple[int, str, int]], classes: frozenset[str]) -> None:
    """An amount's subject that is no category name at all, in a list of 类 amounts: within
    ``class_lines`` (default 3) lines of it at least ``class_list`` (default 2) subjects, and at
    least ``class_share`` of them all, are 类 named right or near enough to be reported (“教育支出
    12万元，教育事业事务支出3万元”, or a list of one 类 per line; not a list of a town's own headings,
    “行政支出……农业支出……公积金支出”), or on a line that says it lists 类 (``class_list_words``:
    “按支出功能分类科目：……”). Reported when it is like one 类 name (“保障住房支出” for
    住房保障支出); a subject like none is another thing."""
    least = int(rule.params.get("class_list", 2))
    reach = int(rule.params.get("class_lines", 3))
    share = float(rule.params.get("class_share", 0.4))
    # a 类 named right, or one named near enough to be reported as a slip of one (“科学技术事务支出”)
    named = sorted(line for offset, name, line in subjects if name in classes or offset in findings)
    words = tuple(str(w) for w in rule.params.get("class_list_words") or ())
    if not named:
        return
    every = sorted(line for _, _, line in subjects)
    allow = set(rule.params.get("allow") or [])
    known = _all_names()[0]
    suffix = str(rule.params.get("suffix", "支出"))
    year = f" {context.year} 年" if context.year else ""
    totals = tuple(str(w) for w in rule.params.get("total_words") or ())
    for offset, name, line in subjects:
        if offset in findings or name in classes or name in allow or name in known \
                or name.removesuffix(suffix) in known or len(name) < 4 or any(w in name for w in totals):
            continue
        near = bisect.bisect_right(named, line + reach) - bisect.bisect_left(named, line - reach)
        around = bisect.bisect_right(every, line + reach) - bisect.bisect_left(every, line - reach)
        said = any(word in context.doc.lines[line - 1].text for word in words)   # “按支出功能分类科目：……”
        if not said and (near < least or near < share * around):
            continue
        # the 类 with the same characters in another order (“保障住房支出”), else the likest one
        same = [c for c in sorted(classes) if sorted(c) == sorted(name)]
        guess = same or difflib.get_close_matches(name, sorted(classes), n=1,
                                                  cutoff=float(rule.params.get("cutoff_made_up", 0.55)))
        if guess:
            findings[offset] = context.finding(rule, offset, found=name, why=f"不是{year}支出功能分类的类名",
                                               advice=f"应为“{guess[0]}”")


def _house_style(rule: Any, context: Any, findings: dict[int, Finding], short: dict[int, str],
                 full: dict[int, str], suffix: str) -> None:
    """A document that writes its 类 names without 支出 (“一般公共服务（类）”) at least three times and
    more than twice as often as whole: that is its way of writing them, not a slip each time; the
    whole names among them are what breaks its usage (“国防支出（类）”) and are reported instead."""
    if len(short) < 3 or len(short) <= 2 * len(full):
        return
    for offset in short:
        findings.pop(offset, None)
    example = next(iter(short.values()))
    for offset, name in full.items():
        findings[offset] = context.finding(rule, offset, found=name, why="与本文其他类名的写法不一致",
                                           advice=f"本文其他 {len(short)} 处类名都不带“{suffix}”"
                                                  f"（如“{example}（类）”），写法应统一")
