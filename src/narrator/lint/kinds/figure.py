"""figure: numbers and direction words of the text compared with the figures.

The text rendered from the figures is the reference: each number of the text is compared with
the number at the same key (section, subject, relation, see :mod:`narrator.lint.document`).
Parameter ``compare``: ``amount`` (万元, also 元 converted), ``percent``, ``count``, ``year`` or
``direction`` (the sign of 增加/减少/增长/下降/降低… must agree; a zero change has no sign).
Numbers of the text that have no counterpart are not judged (the JSON output counts them).
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import Finding
from ..document import direction_sign


def _shown(token: Any) -> str:
    """The reference number as printed, with one space before a word unit: “214.20 万元”."""
    digits = re.match(r"[\d,.]+", token.text).group()
    return f"{digits}{token.unit}" if token.unit in ("%", "％") else f"{digits} {token.unit}"


def run(rule: Any, context: Any) -> list[Finding]:
    """Each number (or direction word) that differs from the figures."""
    compare = rule.params.get("compare", "amount")
    findings = []
    for token, ref in context.pairs:
        if compare == "direction":
            if token.direction is None or ref.direction is None or ref.value == 0 or token.value == 0:
                continue
            if direction_sign(token.direction) != direction_sign(ref.direction):
                context.flagged.add(token.start)
                findings.append(context.finding(rule, token.direction_at, found=token.direction,
                                                expected=ref.direction, number=token.text,
                                                source=context.source_text(ref)))
            continue
        kind = token.kind.split(":")[0]
        if kind != compare or token.kind != ref.kind or token.value == ref.value:
            continue
        context.flagged.add(token.start)
        findings.append(context.finding(rule, token.start, found=token.text, expected=_shown(ref),
                                        source=context.source_text(ref)))
    return findings
