"""consistency: one thing written one way throughout a document.

Parameter ``groups``: lists of literal variants of one term (“三公”经费 / “三公经费”). When a
document uses more than one variant of a group, the variant it uses most (the first, on a tie)
is its usage, and every occurrence of another variant is reported. With ``standard_first: true``
the first variant of each group is the standard: when it is used at all, it is the usage (a
document that writes the old name twice and the standard once is told of the old name).
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding


def _occurrences(text: str, variant: str, others: list[str]) -> list[int]:
    """Starts of ``variant`` that are not part of a longer variant found at the same place."""
    starts = []
    found = text.find(variant)
    while found >= 0:
        longer = [o for o in others if len(o) > len(variant) and variant in o]
        if not any(text.startswith(o, found - o.find(variant)) for o in longer if found >= o.find(variant)):
            starts.append(found)
        found = text.find(variant, found + 1)
    return starts


def run(rule: Any, context: Any) -> list[Finding]:
    """Occurrences of a variant other than the document's usual one."""
    text = context.doc.text
    findings = []
    for group in rule.params.get("groups") or []:
        variants = [str(v) for v in group]
        seen = {v: _occurrences(text, v, variants) for v in variants}
        used = [v for v in variants if seen[v]]
        if len(used) < 2:
            continue
        usual = max(used, key=lambda v: (len(seen[v]), -min(seen[v])))
        if rule.params.get("standard_first") and seen[variants[0]]:
            usual = variants[0]
        for variant in used:
            if variant != usual:
                findings += [(start, context.finding(rule, start, found=variant, usual=usual))
                             for start in seen[variant]]
    return [finding for _, finding in sorted(findings, key=lambda pair: pair[0])]
