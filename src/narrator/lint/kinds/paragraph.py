"""paragraph-end: the last sentence of a paragraph has no closing 。.

A paragraph ends at a blank line, a heading, a list item, a caption (“图1 …”, “1:…” ending in one
of ``title_endings``) or the end of the text; its last line
must end with 。；！？：… (or a closing bracket or quote after one). Not checked: headings,
list items that are short labels, rows of tables copied from a PDF, lines that are mostly not
Chinese, lines shorter than ``min_length``, titles and signatures — lines with no comma ending in
one of ``title_endings`` (说明、情况、预算表、办事处 …) — labels and fields of a form (“预算单位：……”), cells of a table
(Chinese, spaces, Chinese) and lines ending in a number or a Latin letter (indicator values, file
names). A line holding one of ``sentence_words`` (详见, 参见) is a sentence however short, and
whatever it ends with (“报表详见附件”).

In review's text (a paragraph per line) a line is also a paragraph's end when it is a sentence of
one amount with no comma (“2016年度政府性基金支出0万元”) or a whole Chinese line saying there is
none (``statement_words``: “本部门无政府性基金预算拨款安排的支出”), and a heading is checked when
the sentence it runs into is one of those (“六、政府性基金预算拨款支出情况 2016年度……0万元”).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, NamedTuple

from ...errors import Finding
from ...caches.regexcache import regex
from ..document import HAS_CJK
from .existence import TABLE_ROW

_CLOSED = regex(r"[。；;！？!?：:…．.）)”\"’'】〕》>]\s*$")
_ITEM = regex(r"^\s*(?:[-*+]\s+)?(?:\d+\s*[、.．](?!\d)|[（(][\d一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_COMMA = regex(r"[，,；;]")
_CLAUSE_BREAK = regex(r"[，,；;。]")
_LABEL = regex(r"[：:]")
_COMPARED = regex(r"(?:比|较|与|同)[^，,；;。]{0,20}(?:持平|无增减|无变化|没有变化|不变)$")
# a number cut off from the line before it (“拨款\n453928.84 元”), not a year opening a sentence
_CONTINUED = regex(r"\s*(?:[,.%]|\d(?!\d{3}\s*年))")
_NOT_FIGURES = regex(r"[\d.,%％，。；;：:、]")  # what a sentence of amounts is full of, Chinese or not
_TABLE_BORDER = regex(r"[\s|｜]+$")
_ASCII_END = regex(r"[A-Za-z\d%％]$")
# a sentence ending on a share or a completion rate (“2.上级补助收入0万元，占收入总计的0%”, “……支出11.79亿元,
# 完成年初预算41.84%”), though it ends as an indicator's value does
_SHARE_END = regex(r"\d\s*[万亿]?元[，,]\s*(?:占|完成|为)[\u4e00-\u9fff]{1,20}\d+(?:\.\d+)?\s*[%％]$")
# a sentence of one amount with no comma (“2016年度政府性基金支出0万元”): a subject, a figure, its unit
_STATED = regex(r"(?:年度?|本年|上年|共|合计|为)[\u4e00-\u9fff（）“”]{2,30}?\d+(?:\.\d+)?万?元$")
# a heading's title before the sentence it runs into (“六、政府性基金预算拨款支出情况 2016年度……”)
_TITLED = regex(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）])[\u4e00-\u9fff“”（）]{2,24}?(?:情况|报告|说明)(?:表)?\s*")
_CAPTION_LENGTH = 30
_CAPTION = regex(r"^(?:附?[图表]\s*\d{1,2}\s*[:：.．、]?|\d{1,2}\s*[:：])\s*[\u4e00-\u9fff“]")


# The last tests of a line, reached by few lines: compiled when first needed (a class of the
# 20,000 Chinese characters costs a millisecond or more to compile).
@cache
def _field() -> re.Pattern:
    return regex(r"^\s*[\u4e00-\u9fff]{2,10}[：:]")   # a field of a form: “资金分配情况：……”


@cache
def _spaced() -> re.Pattern:
    return regex(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]")


class Words(NamedTuple):
    """A rule's word lists, as the paragraph's end is judged by them."""

    endings: tuple[str, ...]     # a title's last words (“情况”, “说明”): a line ending so is no sentence
    finished: tuple[str, ...]    # a line ending so ends a sentence of amounts (“万元”); () where a line is no paragraph
    statements: tuple[str, ...]  # words of a sentence saying there is none (“无”, “没有”)
    reasons: tuple[str, ...]     # the start of a last clause giving a reason or a use (“主要原因是”, “主要用于”)

    @classmethod
    def of(cls, params: dict) -> "Words":
        """The word lists of a rule's ``params`` (title_endings, line_endings, statement_words, reason_words)."""
        def words(key: str) -> tuple[str, ...]:
            return tuple(str(w) for w in params.get(key) or ())
        return cls(words("title_endings"), words("line_endings"), words("statement_words"), words("reason_words"))


def _ends_paragraph(lines: list[Any], index: int, words: Words) -> bool:
    if index + 1 >= len(lines):
        return True
    following = lines[index + 1]
    text = lines[index].text.rstrip()
    endings, finished = words.endings, words.finished
    if finished and (text.endswith(finished) and (_COMMA.search(text) or _COMPARED.search(text) or _STATED.search(text))
                     or _states(text, words.statements, endings) or _gives_reason(text, words.reasons)) \
            and not _CONTINUED.match(following.text):
        # a sentence of amounts on a line of its own (a line of a title block has no comma), or a
        # comparison's verdict (“2018年“三公”经费预算数比2017年预算数无增减”)
        return True
    return (not following.text.strip() or bool(following.heading) or bool(_ITEM.match(following.text))
            or _caption(following.text.strip(), endings))


def _gives_reason(text: str, reasons: tuple[str, ...]) -> bool:
    """Whether a line's last clause gives a reason or a use (“……，主要原因是无项目预算支出”): a
    sentence's end, though it ends on no amount."""
    clause = _CLAUSE_BREAK.split(text)[-1] if _COMMA.search(text) else ""
    return bool(reasons) and clause.startswith(reasons) and bool(HAS_CJK.search(text[-1:]))


def _states(text: str, statements: tuple[str, ...], endings: tuple[str, ...]) -> bool:
    """Whether a line with no comma is a sentence saying there is none (“本部门无政府性基金预算拨款
    安排的支出”): one of ``statements`` after its subject, mostly Chinese, not a title."""
    body = text.strip()
    return bool(statements) and not _COMMA.search(body) and not body.endswith(endings) \
        and any(word in body[2:] for word in statements) and len(HAS_CJK.findall(body)) * 5 >= len(body) * 4 \
        and not _ASCII_END.search(body)


def _run_in(body: str, words: Words) -> bool:
    """Whether a heading runs into a sentence of amounts (“（一）收入预算：……，……，……万元”): its
    label, a colon, then a sentence with commas ending as sentences of amounts do; or its title
    (“……支出情况”, “……自评报告”), then a sentence of one amount or of none (“2016年度政府性基金
    支出0万元”, “本部门无……项目”)."""
    finished = words.finished
    if not finished:
        return False
    label = _LABEL.search(body)
    if label and body.endswith(finished) and len(_COMMA.findall(body, label.end())) >= 2:
        return True
    title = _TITLED.match(body)
    rest = body[title.end():].strip() if title else ""
    return len(rest) >= 10 and (rest.endswith(finished) and (_COMMA.search(rest) or _STATED.search(rest))
                                or _states(rest, words.statements, words.endings))


def _caption(text: str, endings: tuple[str, ...]) -> bool:
    """Whether a line is a chart's or table's caption (“1:收支总计变动情况”, “图2 支出结构”): it
    starts a new block though its number is no list mark."""
    return len(text) <= _CAPTION_LENGTH and bool(_CAPTION.match(text)) and not _COMMA.search(text) \
        and text.endswith(endings)


def _semicolon_ends(rule: Any, context: Any) -> list[Finding]:
    """Paragraphs that end on ；right before a heading (or, an item of a list, before a paragraph of
    prose): the last item of a list ends with 。."""
    lines = context.doc.lines
    findings = []
    for index, line in enumerate(lines[:-1]):
        text = line.text.rstrip()
        if line.heading or not text.endswith(("；", ";")) or TABLE_ROW.search(text):
            continue
        marker = _ITEM.match(text)
        if marker and not _COMMA.search(text[marker.end():-1]):
            continue  # a numbered label in a list of labels (“5.其他重要事项说明;”), not a sentence
        following = next((later for later in lines[index + 1:] if later.text.strip()), None)
        if following is None:
            continue
        # a paragraph of prose right after a numbered item ends its list too (review reads a
        # paragraph per line, so a line that is no item is a paragraph of its own)
        prose = bool(marker) and context.paragraph_lines and not following.heading \
            and not _ITEM.match(following.text) and len(_COMMA.findall(following.text)) >= 1 \
            and len(following.text.strip()) >= 15
        if following.heading in ("part", "section", "subsection") or prose:
            findings.append(context.finding(rule, line.start + len(text) - 1, match=text.strip()[-8:]))
    return findings


def hard_wrapped(lines: list[Any], shortest: int) -> bool:
    """Whether a text's sentences run over several lines (a text file wrapped at a fixed width, as
    ``pdftotext`` writes one): then a line is no paragraph though the text is one paragraph per line.
    Sentences of a wrapped text mostly end mid-line: more than a quarter of its long lines with a
    comma do not close, and more than a few (a page of prose has three or four slips)."""
    long = [line.text.rstrip() for line in lines if len(line.text.strip()) >= shortest and _COMMA.search(line.text)]
    open_ended = sum(1 for text in long if not _CLOSED.search(text))
    return open_ended >= 6 and open_ended * 4 > len(long)


def run(rule: Any, context: Any) -> list[Finding]:
    """Each paragraph whose last line ends without closing punctuation (``ending: semicolon``: on a ；)."""
    if rule.params.get("ending") == "semicolon":
        return _semicolon_ends(rule, context)
    shortest = int(rule.params.get("min_length", 15))
    verbs = tuple(str(w) for w in rule.params.get("sentence_words") or ())
    lines = context.doc.lines
    # review's text is a paragraph per line, but a table's cell wrapped over lines is one too:
    # a line is taken as a paragraph's end only when it ends as a sentence of amounts does
    words = Words.of(rule.params)
    if not context.paragraph_lines or hard_wrapped(lines, shortest):
        words = words._replace(finished=())
    endings = words.endings
    findings = []
    for index, line in enumerate(lines):
        text = _TABLE_BORDER.sub("", line.text)
        body = text.strip()
        if not body or not _ends_paragraph(lines, index, words) or _CLOSED.search(text):
            continue
        if line.heading:
            if _run_in(body, words):
                findings.append(context.finding(rule, line.start + len(text) - 1, match=body[-8:]))
            continue
        # mostly not Chinese (a sentence of amounts is Chinese though half of it is figures)
        letters = _NOT_FIGURES.sub("", body) if _COMMA.search(body) else body
        said = any(verb in body for verb in verbs)  # a short sentence all the same (“报表详见附件”)
        if (len(body) < shortest and not said) or TABLE_ROW.search(text) or len(HAS_CJK.findall(body)) * 2 < len(letters):
            continue
        marker = _ITEM.match(text)
        rest = text[marker.end():] if marker else body
        if marker and not _COMMA.search(rest):
            continue  # a numbered label or heading (“1.部门收支总体情况表”), not a sentence
        if not said and not _COMMA.search(rest) and (rest.endswith(endings) or _LABEL.search(rest)):
            continue  # a title, a signature or a “预算单位：……” label
        field = None if line.heading else _field().match(rest)  # (“……如下：” leads in to a sentence: no field)
        if field and not field.group().rstrip("：:").endswith("如下") or _spaced().search(body) \
                or (_ASCII_END.search(body) and len(_COMMA.findall(body)) < 2 and not _SHARE_END.search(body)):
            continue  # cells of a table row, an indicator's value (“不低于 80%”) or a file name
        findings.append(context.finding(rule, line.start + len(text) - 1, match=body[-8:]))
    return findings
