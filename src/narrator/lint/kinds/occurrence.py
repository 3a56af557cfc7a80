"""occurrence: a pattern that may appear at most ``max`` times within one scope.

Parameters: ``patterns``, ``max`` (default 1), ``scope``: ``segment`` (between 。；！？, the
default), or ``line``. Catches text pasted twice (“……万元，主要用于：……万元，主要用于：……”).
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex

_SEGMENT = regex(r"[^。；;！？!?]+")


def run(rule: Any, context: Any) -> list[Finding]:
    """Each match beyond the allowed count in its scope."""
    limit = int(rule.params.get("max", 1))
    by_line = rule.params.get("scope", "segment") == "line"
    findings = []
    patterns = rule.patterns_for(context.doc.text)
    for line in context.doc.lines if patterns else ():
        scopes = [(0, len(line.text))] if by_line else [m.span() for m in _SEGMENT.finditer(line.text)]
        for start, end in scopes:
            for pattern in patterns:
                matches = []
                for match in pattern.finditer(line.text, start, end):
                    if matches and matches[-1].end() == match.start():
                        continue  # an adjacent repeat is a doubled word, reported by its own rule
                    matches.append(match)
                for match in matches[limit:]:
                    findings.append(context.finding(rule, line.start + match.start(), match=match.group(),
                                                    count=len(matches), max=limit))
    return findings
