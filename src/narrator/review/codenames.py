"""code-name: a 科目 the text names together with its code, where the name is not that code's.

Texts that list spending by 项 often give each item's code: “行政运行（项级科目2010601）48.28万元”,
“城乡社区支出（科目编码：212）”, “科目编码2120501-城乡社区环境卫生”. The code is looked up in the
reference tables for the document's year (as :mod:`narrator.review.tablenames` does for the
codes printed in its tables) and the name written beside it compared with the code's name then.
Reported: the name of the code's parent (a 款 name for a 项 code: “财政事务（项级科目2010601）”),
the name of another code (“计划生育服务（…2100716）”: 2100717's), a name close to the right
one but not it (a slip), a code that is no code at all (six digits), and a level label that the
code's length contradicts (“（项级科目20103）”: five digits are a 款). A name that has nothing in
common with the code's is a local wording and left alone; 其它/其他, a “支出” at the end and the 款's
name before the 项's (“财政事务行政运行”) are not differences, nor is a name the table knows from memory
alone in a year before the table answers for its names (``valid_from``). Each (code, name) once
per document.
"""

from __future__ import annotations

import difflib
from typing import Iterator

from ..classification import reference_entry
from ..classification.naming import LIKENESS, graded, name_difference
from ..classification.reference import kind_of
from ..classification.table import LEVELS
from ..caches.regexcache import regex

# (bounded: a long run of characters before no code costs each start a few steps, not the run again)
_NAME = r"[\u4e00-\u9fff]{1,30}(?:[（(][\u4e00-\u9fff]{1,3}[)）][\u4e00-\u9fff]{0,20}){0,2}"
#: “名称（项级科目2010601）”, “名称（科目编码：212）”
_NAME_THEN_CODE = regex(rf"(?P<name>{_NAME})[（(](?P<label>项级科目|款级科目|类级科目|科目编码|科目代码)[:：]?\s*"
                        r"(?P<code>\d{3,8})[)）]")
#: “科目编码2120501-城乡社区环境卫生”
_CODE_THEN_NAME = regex(rf"(?P<label>科目编码|科目代码)[:：]?\s*(?P<code>\d{{3,8}})\s*[-—－]+\s*(?P<name>{_NAME})")
#: what may stand before a name in its run of characters (a run stops at “-” or “、”: “住房改革支出-住房公积金”
#: gives 住房公积金)
_LEAD = regex(r"^(?:其中|主要用于|用于|包括)")
#: what follows a name written after its code: “科目编码2010101-行政运行的金额为……”
_TAIL = regex(r"(?:的)?(?:金额|决算数|预算数)?为?$")
_LABEL_LEVEL = {"类级科目": 3, "款级科目": 5, "项级科目": 7}


def code_name_findings(text: str, year: int | None) -> Iterator[tuple[int, str, str]]:
    """(offset, level, message) for each code whose name beside it is not its name in ``year``."""
    if year is None or ("科目" not in text):
        return
    seen: set[tuple[str, str]] = set()
    for pattern in (_NAME_THEN_CODE, _CODE_THEN_NAME):
        for match in pattern.finditer(text):
            code, name = match.group("code"), match.group("name")
            # (a name before its code may follow a verb, “主要用于……”; one after its code is whole)
            name = _TAIL.sub("", name) if pattern is _CODE_THEN_NAME else _LEAD.sub("", name)
            if (code, name) in seen or not name:
                continue
            seen.add((code, name))
            found = _judge(code, name, match.group("label"), year)
            if found is not None:
                yield (match.start("name") + match.group("name").rfind(name), *found)


def _plain(name: str) -> str:
    """A name as compared: 其它 as 其他, half-width brackets full, without a “(安排)的支出” at the end."""
    name = name.replace("其它", "其他").replace("(", "（").replace(")", "）")
    return _SPENDING_END.sub("", name)


_SPENDING_END = regex(r"(?:安排)?的?支出$")


def _judge(code: str, name: str, label: str, year: int) -> tuple[str, str] | None:
    """(level, message) when ``name`` is not ``code``'s in ``year``, or the label's level not the code's."""
    level = LEVELS.get(len(code))
    said = _LABEL_LEVEL.get(label)
    if level is None:
        return "warning", f"科目编码“{code}”有 {len(code)} 位，不是科目编码（类 3 位、款 5 位、项 7 位）"
    if said is not None and said != len(code):
        return "warning", f"“{name}”标为{LEVELS[said]}级科目，编码 {code} 却是{level}的编码"
    found = reference_entry(code) if kind_of(code) == "functional" else None
    if found is None:
        return None
    table, entry = found
    if not entry.exists_in(year):
        return None
    right = entry.name_in(year)
    if _plain(name).endswith(_plain(right)) or right.startswith(name):
        return None     # (its 款's name before it is a path: “财政事务行政运行”)
    parent = code[:-2]
    unsure = entry.sureness == "memory" and year < table.valid_from   # (its name that year not known)
    if len(code) > 3 and parent in table and _plain(name) == _plain(table.name(parent, year)):
        own = f"不是{level} {code} 的名称" if unsure else f"{level} {code} 是“{right}”"
        return "warning", f"“{name}”是{LEVELS[len(parent)]} {parent} 的名称，{own}：编码与名称不对应"
    forms = {name, name + "支出", name.removesuffix("支出")}
    others = [c for form in sorted(forms) for c in table.code_for_name(form)
              if c != code and table.entries[c].exists_in(year) and table.name(c, year) in forms]
    others.sort(key=lambda c: (len(c) != len(code), c))     # a code of the same level first
    if others:
        own = f"不是 {code} 的名称" if unsure else f"{code} 在{year}年是“{right}”"
        return "warning", f"“{name}”是 {others[0]} 的名称，{own}：编码与名称不对应"
    if difflib.SequenceMatcher(None, _plain(name), _plain(right)).ratio() < LIKENESS:
        return None
    message = name_difference(entry, name, year, table)
    if message is None:
        return None
    if unsure:
        return None     # a name from memory, and the table answers for names from valid_from on only
    return graded(entry, message)
