"""parts-total: the parts listed after “其中：”/“包括：” add up to the total stated before it.

A total is the first amount of its sentence (up to 。；) before the marker; the parts are the
amounts after the marker that are said of a subject (not 占…, not 增加/减少…), up to the next
marker or the end of the sentence — or, when the marker ends the paragraph, the first such
amount of each following paragraph up to the next heading. A list that is cut off (the text
ends before it does, or it ends without 。/；: a web page's excerpt, a lost last page) is not
checked: the parts it lists are not all the parts. A printed total of n printed parts
may differ from their sum by (n + 1) × 0.005 万元 (尾差); only more than that is reported, and
not when a figure finding already names a wrong amount among them (one cause, one finding).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ...numbers import rounding_tolerance
from ...errors import Finding
from ...numbers import format_amount
from ..document import CJK, Token, normalize, relation_pattern

_SENTENCE = re.compile(r"[^。；;！？!?]+")
_BREAK = re.compile(r"[。；;！？!?]")
_BRACKET = re.compile(r"[（(][^（()）]*[)）]")
_TERMINATED = re.compile(r"[。；;！？!?：:]\s*$")


def _eligible(token: Token) -> bool:
    return token.kind == "amount" and token.direction is None and "占" not in token.role


def run(rule: Any, context: Any) -> list[Finding]:
    """Each stated total that its listed parts do not add up to."""
    words = "|".join(map(re.escape, rule.params.get("markers") or ["其中", "包括"]))
    marker = re.compile(f"(?:{words})[：:]")
    doc = context.doc
    by_line: dict[int, list[Token]] = {}
    for token in doc.tokens:
        by_line.setdefault(token.line, []).append(token)
    findings = []
    for index, line in enumerate(doc.lines):
        tokens = by_line.get(line.number, [])
        for sentence in _SENTENCE.finditer(line.text):
            marks = list(marker.finditer(line.text, sentence.start(), sentence.end()))
            if not marks:
                continue
            inside = [t for t in tokens if sentence.start() <= t.start - line.start < sentence.end()]
            # a bracket right after a part is that part's breakdown (“21万元（其中：购置费0万元，
            # 运行维护费21万元）”): its amounts are not parts of the outer list, and a 其中 inside it
            # is a list of its own, whose total is the amount just before the bracket
            brackets = [m.span() for m in _BRACKET.finditer(line.text, sentence.start(), sentence.end())]
            nested = lambda offset: next((b for b in brackets if b[0] <= offset < b[1]), None)  # noqa: E731
            outer = [m for m in marks if nested(m.start()) is None]
            for mark in marks:
                span = nested(mark.start())
                if span is None:
                    continue
                before = [t for t in inside if t.start - line.start < span[0] and _eligible(t)]
                parts = [t for t in inside if mark.end() <= t.start - line.start < span[1] and _eligible(t)]
                finding = _judge(rule, context, before[-1], parts) if before else None
                if finding:
                    findings.append(finding)
            if not outer:
                continue
            before = [t for t in inside if t.start - line.start < outer[0].start() and _eligible(t)]
            if not before:
                continue
            total = before[0]
            for number, mark in enumerate(outer):
                end = outer[number + 1].start() if number + 1 < len(outer) else sentence.end()
                parts = [t for t in inside if mark.end() <= t.start - line.start < end and _eligible(t)
                         and nested(t.start - line.start) is None]
                last = number == len(outer) - 1
                ended = True
                if not parts and last and not line.text[mark.end():].strip():
                    parts, ended = _following(doc, index, by_line)
                elif last and end == len(line.text) and not _TERMINATED.search(line.text):
                    more, ended = _wrapped(doc, index, by_line)  # the sentence goes on in the next line
                    parts += more
                if not ended:
                    continue  # a list cut off (the text ends, or the list does not): its sum says nothing
                finding = _judge(rule, context, total, parts)
                if finding:
                    findings.append(finding)
    return findings


def _wrapped(doc: Any, index: int, by_line: dict[int, list[Token]]) -> tuple[list[Token], bool]:
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
            if column < limit and _eligible(token):
                parts.append(token)
        tail = line.text
        if stop:
            return parts, True
    return parts, False


def _following(doc: Any, index: int, by_line: dict[int, list[Token]]) -> tuple[list[Token], bool]:
    """The first amount of each paragraph up to the next heading, and whether the last of those
    paragraphs ends its sentence (a list cut off at the text's end, or left open, is not whole)."""
    parts = []
    last = ""
    for line in doc.lines[index + 1:]:
        if line.heading:
            break
        first = next((t for t in by_line.get(line.number, []) if _eligible(t)), None)
        if first is not None:
            parts.append(first)
        if line.text.strip():
            last = line.text
    return parts, bool(_TERMINATED.search(last))


def _judge(rule: Any, context: Any, total: Token, parts: list[Token]) -> Finding | None:
    if len(parts) < 2:
        return None
    if any(t.start in context.flagged for t in [total, *parts]):
        return None  # a wrong amount among them is already reported
    parts_sum = sum((t.value for t in parts), Decimal(0))
    tolerance = rounding_tolerance(len(parts))
    difference = total.value - parts_sum
    if abs(difference) <= tolerance:
        return None
    return context.finding(rule, total.start, total=format_amount(total.value), sum=format_amount(parts_sum),
                           difference=format_amount(abs(difference)), count=len(parts),
                           parts="＋".join(format_amount(t.value) for t in parts))
