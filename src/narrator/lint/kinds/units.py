"""unit-mix: an amount in 元 among amounts in 万元 in one paragraph (“收入0元” beside “3814.61万元”).

A paragraph is a run of lines up to a blank line or a heading (so a heading with its list of
items is one). A paragraph with at least ``min_other`` amounts in 万元 and one in 元 is reported
at the 元 amount (and one amount in 万元 among at least ``min_other`` in 元 at that amount),
unless the words just before it make it a rate (``rate_words``: 每、人均、标准 …) — a standard
per person or per day is rightly written in 元, and so is a factor of a calculation (an operator of
``calculation_marks`` just before or after it: “70台*5000元／台=35万元”). A document of at least
``min_document`` amounts in 万元 and at most ``most_yuan`` amounts in 元 (not rates) in paragraphs of fewer than ``min_other``
amounts in 万元 has each of those reported too, with ``message_document`` (“……项目支出预算0元。” alone in a document of 万元).
The few (at most ``most_yi``) amounts in 亿元 of such a document, each under one 亿, are reported where
their paragraph holds amounts in 万元 (“上级补助收入0亿元” among a department's 万元).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex


def run(rule: Any, context: Any) -> list[Finding]:
    """Amounts in 元 in a line whose other amounts are in 万元."""
    least = int(rule.params.get("min_other", 2))
    rate_words = tuple(rule.params.get("rate_words") or [])
    marks = "".join(rule.params.get("calculation_marks") or [])
    doc = context.doc
    block_of, block = {}, 0
    for line in doc.lines:
        if not line.text.strip() or line.heading:
            block += 1
        block_of[line.number] = block
    by_block: dict[int, list[Any]] = {}
    for token in doc.tokens:
        if token.kind == "amount":
            by_block.setdefault(block_of[token.line], []).append(token)
    findings = []
    apart = []    # amounts in 元 of paragraphs without one in 万元
    for _, tokens in sorted(by_block.items()):
        in_wan = [t for t in tokens if t.unit == "万元"]
        in_yuan = [t for t in tokens if t.unit == "元" and not _rate(doc, t, rate_words, marks)]
        if len(in_wan) < least:
            apart += in_yuan
        if len(in_wan) >= least:
            findings += [context.finding(rule, t.start, match=t.text.strip(), unit="元", other="万元") for t in in_yuan]
        elif len(in_wan) == 1 and len(in_yuan) >= least:
            # the other way round: one amount in 万元 among amounts in 元 (“0.00万元” beside “12,000.00元”)
            findings.append(context.finding(rule, in_wan[0].start, match=in_wan[0].text.strip(), unit="万元",
                                            other="元"))
    findings += _apart_in_document(rule, context, by_block, apart)
    findings += _in_yi(rule, context, block_of, by_block, least)
    return sorted(findings, key=lambda f: (f.location.line, f.location.column))


_YI = regex(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?\s*亿元")


def _in_yi(rule: Any, context: Any, block_of: dict[int, int], by_block: dict[int, list[Any]],
           least: int) -> list[Finding]:
    """The one to ``most_yi`` amounts in 亿元 of a document that writes its amounts in 万元 (at least
    ``min_document``), each in a paragraph of at least ``min_other`` amounts in 万元: a department's
    “上级补助收入0亿元” among its 万元 (a fiscal report, that writes many in 亿元, is left alone)."""
    most = int(rule.params.get("most_yi", 0))
    doc = context.doc
    if not most or "亿元" not in doc.text:
        return []
    found = [(line, match) for line in doc.lines for match in _YI.finditer(line.text)]
    # (a bureau of state property may speak of its assets in 亿元: only an amount under one 亿 — “0亿元”,
    # “0.039118亿元” — is a 万元 figure under the wrong unit)
    small = [(line, match) for line, match in found
             if Decimal(match.group().rstrip("亿元 \u3000").replace(",", "")) < 1]
    wan = sum(t.unit == "万元" for block in by_block.values() for t in block)
    if not found or len(found) > most or wan < int(rule.params.get("min_document", 10)):
        return []
    return [context.finding(rule, line.start + match.start(), match=match.group().strip(), unit="亿元", other="万元")
            for line, match in small
            if sum(t.unit == "万元" for t in by_block.get(block_of[line.number], [])) >= least]


def _apart_in_document(rule: Any, context: Any, by_block: dict[int, list[Any]], apart: list[Any]) -> list[Finding]:
    """The few amounts in 元, each in a paragraph without 万元, of a document that writes 万元."""
    tokens = [t for block in by_block.values() for t in block]
    if not rule.params.get("message_document") or not apart or len(apart) > int(rule.params.get("most_yuan", 2)) \
            or sum(t.unit == "万元" for t in tokens) < int(rule.params.get("min_document", 10)):
        return []
    return [context.finding(rule, token.start, "message_document", match=token.text.strip()) for token in apart]


def _rate(doc: Any, token: Any, rate_words: tuple[str, ...], marks: str = "") -> bool:
    """Whether the words just before an amount make it a rate (每人、标准 …), or an operator beside
    it a factor of a calculation (“84804元*4.3个月”), rightly in 元."""
    line = doc.lines[token.line - 1]
    before = line.text[max(0, token.column - 9):token.column - 1]
    if any(word in before for word in rate_words):
        return True
    if not marks:
        return False
    end = token.column - 1 + len(token.text)
    beside = line.text[max(0, token.column - 3):token.column - 1].rstrip()[-1:] + line.text[end:end + 2].lstrip()[:1]
    return any(mark in beside for mark in marks)
