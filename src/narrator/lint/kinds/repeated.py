"""repeated-line: a line (a heading, a paragraph) written twice in a row.

A line equal to the line before it (blank lines between are skipped) is reported: a heading
pasted twice (“（一）职能职责” on two lines). Lines shorter than ``min_length`` characters,
lines without Chinese and rows of tables copied from a PDF are not compared.
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding
from ..document import HAS_CJK
from .existence import TABLE_ROW


def run(rule: Any, context: Any) -> list[Finding]:
    """Each line that repeats the line before it."""
    shortest = int(rule.params.get("min_length", 4))
    findings = []
    previous = None
    for line in context.doc.lines:
        text = line.text.strip()
        if not text:
            continue
        comparable = len(text) >= shortest and HAS_CJK.search(text) and not TABLE_ROW.search(line.text)
        if comparable and text == previous:
            column = line.text.find(text)
            findings.append(context.finding(rule, line.start + column, match=text))
        previous = text if comparable else None
    return findings
