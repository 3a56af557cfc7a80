"""unit-mix: an amount in 元 among amounts in 万元 in one paragraph (“收入0元” beside “3814.61万元”).

A paragraph is a run of lines up to a blank line or a heading (so a heading with its list of
items is one). A paragraph with at least ``min_other`` amounts in 万元 and one in 元 is reported
at the 元 amount (and one amount in 万元 among at least ``min_other`` in 元 at that amount),
unless the words just before it make it a rate (``rate_words``: 每、人均、标准 …) — a standard
per person or per day is rightly written in 元. A document of at least ``min_document`` amounts in
万元 and at most ``most_yuan`` amounts in 元 (not rates) in paragraphs of fewer than ``min_other``
amounts in 万元 has each of those reported too, with ``message_document`` (“……项目支出预算0元。” alone in a document of 万元).
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding


def run(rule: Any, context: Any) -> list[Finding]:
    """Amounts in 元 in a line whose other amounts are in 万元."""
    least = int(rule.params.get("min_other", 2))
    rate_words = tuple(rule.params.get("rate_words") or [])
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
        in_yuan = [t for t in tokens if t.unit == "元" and not _rate(doc, t, rate_words)]
        if len(in_wan) < least:
            apart += in_yuan
        if len(in_wan) >= least:
            findings += [context.finding(rule, t.start, match=t.text.strip(), unit="元", other="万元") for t in in_yuan]
        elif len(in_wan) == 1 and len(in_yuan) >= least:
            # the other way round: one amount in 万元 among amounts in 元 (“0.00万元” beside “12,000.00元”)
            findings.append(context.finding(rule, in_wan[0].start, match=in_wan[0].text.strip(), unit="万元",
                                            other="元"))
    findings += _apart_in_document(rule, context, by_block, apart)
    return sorted(findings, key=lambda f: (f.location.line, f.location.column))


def _apart_in_document(rule: Any, context: Any, by_block: dict[int, list[Any]], apart: list[Any]) -> list[Finding]:
    """The few amounts in 元, each in a paragraph without 万元, of a document that writes 万元."""
    tokens = [t for block in by_block.values() for t in block]
    if not rule.params.get("message_document") or not apart or len(apart) > int(rule.params.get("most_yuan", 2)) \
            or sum(t.unit == "万元" for t in tokens) < int(rule.params.get("min_document", 10)):
        return []
    return [context.finding(rule, token.start, "message_document", match=token.text.strip()) for token in apart]


def _rate(doc: Any, token: Any, rate_words: tuple[str, ...]) -> bool:
    """Whether the words just before an amount make it a rate (每人、标准 …), rightly in 元."""
    line = doc.lines[token.line - 1]
    before = line.text[max(0, token.column - 9):token.column - 1]
    return any(word in before for word in rate_words)
