"""parts-total's lists that go on after the total's line, and what may be a total or a part.

:mod:`narrator.lint.kinds.parts` reads a total and the parts after its “其中/包括”. When the marker
ends its paragraph the parts are the paragraphs that follow (:func:`following`), up to a heading, the
next item of the list the total is an item of, a note or another breakdown of the same total (“按功
能分类：……”); when a sentence was broken over lines (text copied from a PDF) its parts go on in the
next lines (:func:`wrapped`). :func:`eligible` and :func:`countable` tell an amount said of a subject
from a change, a share or a comparison's base.
"""

from __future__ import annotations

import re
from typing import Any

from ...numbers import numeral_value
from ...caches.regexcache import regex
from ..document import CJK, Token, normalize, relation_pattern

_BREAK = regex(r"[。；;！？!?]")
_BASE = regex(r"(?:比|较|与|相比|同比)")
_COMPLETION = regex(r"完成|[占为](?:年初|全年|调整后?的?)?预算")    # the budget a completion rate is of
TERMINATED = regex(r"[。；;！？!?：:][)）”」]?\s*$")
#: A note under a list (“（注：数据来源于财决07表……）”, “注：……”) ends it: it is no part.
_NOTE = regex(r"^\s*[（(]?注\s*[:：]")


def eligible(token: Token, kind: str = "amount") -> bool:
    """An amount (or a count of ``kind``) said of a subject: what a total or a part can be."""
    # not a change (增加…), a share (占…), the base of a comparison (较上年251万元减少…) or of a
    # completion rate (“完成预算29.6万元的92.8%”: the budget beside the 决算, not a part or a total)
    return token.kind == kind and token.direction is None and "占" not in token.role \
        and not _BASE.match(token.subject) and not _COMPLETION.match(token.subject)


def countable(token: Token) -> bool:
    """An amount or a count (of 辆, 平方米 …) said of a subject: what a total or a part can be."""
    return eligible(token) or token.kind.startswith("count:") and eligible(token, token.kind)


def wrapped(doc: Any, index: int, by_line: dict[int, list[Token]]) -> tuple[list[Token], bool]:
    """Parts of a sentence that a hard line break (text copied from a PDF) carried on, and
    whether the sentence ends (with 。；…) before a heading, a blank line or the end of the text."""
    parts = []
    tail = doc.lines[index].text
    for line in doc.lines[index + 1:]:
        if line.heading or not line.text.strip():
            break
        stop = _BREAK.search(line.text)
        limit = stop.start() if stop else len(line.text)
        for token in by_line.get(line.number, []):
            column = token.start - line.start
            clause = re.split(r"[，,、；;：:]", line.text[:column])[-1]
            if not re.search(f"[{CJK}]", clause):
                # a number at the start of the line belongs to the words that ended the last one:
                # a part if they name something (服务预算), not if they relate (比上年增加)
                clause = normalize(re.split(r"[，,、；;：:]", tail)[-1])
                if not clause or relation_pattern().search(clause):
                    continue
            if column < limit and eligible(token):
                parts.append(token)
        tail = line.text
        if stop:
            return parts, True
    return parts, False


_BREAKDOWN = regex(r"\s*按[\u4e00-\u9fff（）()]{2,14}(?:分|划分|分类|类别|科目)[\u4e00-\u9fff]{0,4}[：:，,]")


def following(doc: Any, index: int, by_line: dict[int, list[Token]],
              headings: bool = False) -> tuple[list[list[Token]], bool]:
    """The amounts of each paragraph with any up to the next heading, or up to the next item of the
    list the total is an item of (“2.甲1.5万元。其中：…” ends at “3.乙…”) — the first of each is a
    part, all of them make the columns of a list whose items state two amounts — and whether the
    last of those paragraphs ends its sentence (a list cut off at the text's end, or left open, is
    not whole). With ``headings`` (the total stated in the marker's own sentence) a list whose
    items read as headings is read too (:func:`_heading_items`)."""
    rows = []
    last = ""
    own = item_style(doc.lines[index].text)
    items = _heading_items(doc, index, by_line) if headings else None
    for line in doc.lines[index + 1:]:
        if items is not None:
            # items that read as headings (“（一）行政运行支出100万元，较上年……”): each is a part, the
            # text between them (the reasons) is not; a heading of another kind ends the list
            style = item_style(line.text)
            if line.heading and style != items or _NOTE.match(line.text):
                break
            if style == items:
                number = numeral_value(_ITEM_NUMBER.match(line.text).group(1))
                # an item without its amount (“其他支出58.22，”) or out of turn (“（一）……（三）”: another
                # section's items, or some left out): no sum to judge
                inside = [b.span() for b in _BRACKETS.finditer(line.text)]
                amounts = [t for t in by_line.get(line.number, []) if eligible(t)
                           and not any(low <= t.start - line.start < high for low, high in inside)]
                if not amounts or number != len(rows) + 1:
                    return [], False
                rows.append(amounts[:1])
            if line.text.strip():
                last = line.text
            continue
        if line.heading or own is not None and item_style(line.text) == own or _NOTE.match(line.text):
            break
        if _BREAKDOWN.match(line.text):
            return [], False    # “按支出项目类别：……”“按功能分类：……”: breakdowns of the total, not its parts
        amounts = [t for t in by_line.get(line.number, []) if eligible(t)]
        if amounts:
            rows.append(amounts)
        if line.text.strip():
            last = line.text
    return rows, bool(TERMINATED.search(last))


_ITEM_NUMBER = regex(r"^\s*[（(]?([一二三四五六七八九十]+|\d+)")
_BRACKETS = regex(r"[（(][^（()）]*[)）]")


def _heading_items(doc: Any, index: int, by_line: dict[int, list[Token]]) -> str | None:
    """The marker style of a list whose items the document reads as headings, when the paragraph
    after the total's line is one such item stating an amount (“……具体情况如下：”, then
    “（一）行政运行支出100万元，……”); None otherwise."""
    for line in doc.lines[index + 1:]:
        if not line.text.strip():
            continue
        style = item_style(line.text)
        if line.heading and style is not None and style != item_style(doc.lines[index].text) \
                and any(eligible(t) for t in by_line.get(line.number, [])):
            return style
        return None
    return None


_ITEM = regex(r"^\s*(?:(?P<paren>[（(][一二三四五六七八九十]+[)）])|(?P<pdigit>[（(]\d+[)）])"
               r"|(?P<digit>\d+\s*[、.．](?!\d))|(?P<numeral>[一二三四五六七八九十]+、))")


def item_style(text: str) -> str | None:
    """The kind of list marker a line starts with (（一） / (1) / 1. / 一、), None for none."""
    match = _ITEM.match(text)
    return match.lastgroup if match else None
