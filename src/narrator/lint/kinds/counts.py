"""count-consistency: one count of a document (实有人数, 编制人数, 公务用车) stated twice, differently.

A document states its staff and its cars once as of one date; the same count written with another
number elsewhere (“实有人数25人” … “实有人数27人”) is a slip in one place. A count is known by its
subject: after the leading words (``leads``: 本部门, 其中 …) are taken off, the subject is one of the
``subjects`` (a list of names of one count: [实有人数, 实有人员]). A subject with other words before
it (年末实有人数, 行政编制人数) is another count and is left alone, as are two counts whose
sentences name different years (“截至2023年底” beside “截至2024年底”).
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex
from ..document import YEAR

_SENTENCE = regex(r"[^。；;！？!?\n]+")


def run(rule: Any, context: Any) -> list[Finding]:
    """Each count stated again with another number than the first time."""
    leads = sorted((str(w) for w in rule.params.get("leads") or []), key=len, reverse=True)
    names = {str(name): index for index, group in enumerate(rule.params.get("subjects") or [])
             for name in group}
    doc = context.doc
    first: dict[int, tuple[Any, frozenset[str]]] = {}
    told: set[tuple[int, Any]] = set()     # (count, value) already reported: one finding per other value
    findings = []
    for token in doc.tokens:
        if not token.kind.startswith("count:") or token.direction is not None:
            continue
        subject = token.subject
        for _ in range(3):  # 其中本部门实有人数: leads one after another
            lead = next((w for w in leads if subject.startswith(w) and len(subject) > len(w)), "")
            subject = subject[len(lead):]
            if not lead:
                break
        group = names.get(subject)
        if group is None:
            continue
        years = _years_of(doc, token)
        seen = first.get(group)
        if seen is None:
            first[group] = token, years
            continue
        earlier, earlier_years = seen
        other_date = years and earlier_years and years != earlier_years
        if earlier.value == token.value or earlier.unit != token.unit or other_date or (group, token.value) in told:
            continue
        told.add((group, token.value))
        findings.append(context.finding(rule, token.start, subject=subject, line=earlier.line,
                                        earlier=f"{earlier.value:,}{earlier.unit}", found=f"{token.value:,}{token.unit}"))
    return findings


def _years_of(doc: Any, token: Any) -> frozenset[str]:
    """The years named in the sentence of ``token`` (“截至2024年底”)."""
    line = doc.lines[token.line - 1]
    column = token.start - line.start
    for sentence in _SENTENCE.finditer(line.text):
        if sentence.start() <= column < sentence.end():
            return frozenset(match.group(1) for match in YEAR.finditer(sentence.group()))
    return frozenset()
