"""minority: a form written one way nearly everywhere in a scope, and another way here.

Typesetting slips (“2022 年” among a hundred “2022年”, "三公" among “三公”, “专技6级” beside
“专技十级”) are errors only against the document's own usage: a text extracted from a PDF that
spaces every number is consistent, and is left alone. So each form is a pair of regular
expressions, the odd form and the usual one, counted within a scope:

- ``forms``: pairs ``[odd, usual]``. An odd match is reported where it starts (or at its group
  ``at``); the message's ``{match}`` is the match (or its group ``shown``), ``{usual}`` the first
  usual match of the scope and ``{count}`` how many usual matches there are. A third pattern,
  when given, is what counts against the usual form (the odd form and its kin: “为 10.00 万元”
  is not reported, but a text full of it is a spaced text).
- ``scope``: ``document`` (default) or ``line``: where the two forms are counted.
- ``least``: the usual form must occur at least this many times in the scope (default 2).
- ``ratio``: and at least this many times as often as the odd form (default 2).
- ``skip_table_rows: true``: lines that look like rows of a table copied from a PDF are not
  counted and not checked.
- ``most`` with ``message_many``: a form written the odd way more than ``most`` times in a scope is
  one finding, at its first, with ``message_many`` (which may also use ``{many}``, how many there are):
  a reviewer needs the habit named once, not a line each.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex
from .existence import TABLE_ROW, spot_of


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return regex(pattern, re.MULTILINE)


def _scopes(context: Any, scope: str, skip_tables: bool) -> list[tuple[int, str]]:
    """The stretches of text the forms are counted in, with their offsets (made once per text
    for the five minority rules: ``context.views``)."""
    key = ("minority", scope, skip_tables)
    if key not in context.views:
        context.views[key] = _made_scopes(context, scope, skip_tables)
    return context.views[key]


def _made_scopes(context: Any, scope: str, skip_tables: bool) -> list[tuple[int, str]]:
    lines = [(line.start, line.text) for line in context.doc.lines
             if not (skip_tables and TABLE_ROW.search(line.text))]
    if scope == "line":
        return lines
    # one stretch: table rows blanked out, so that offsets stay those of the document
    kept = {start for start, _ in lines}
    text = "\n".join(line.text if line.start in kept else " " * len(line.text) for line in context.doc.lines)
    return [(0, text)]


def run(rule: Any, context: Any) -> list[Finding]:
    """Every odd match in a scope whose usual form is clearly the document's own."""
    least = int(rule.params.get("least", 2))
    ratio = int(rule.params.get("ratio", 2))
    most = int(rule.params.get("most", 0)) if rule.params.get("message_many") else 0
    scopes = _scopes(context, str(rule.params.get("scope", "document")), bool(rule.params.get("skip_table_rows")))
    spots: dict[int, Finding] = {}
    for form in rule.params.get("forms") or []:
        odd, usual = _compiled(str(form[0])), _compiled(str(form[1]))
        against = _compiled(str(form[2])) if len(form) > 2 else odd
        for offset, text in scopes:
            odds = list(odd.finditer(text))
            if not odds:
                continue
            usuals = list(usual.finditer(text))
            others = odds if against is odd else list(against.finditer(text))
            if len(usuals) < least or len(usuals) < ratio * len(others):
                continue
            many = len(odds) > most > 0   # one finding for them all, at the first, counting them
            for match in odds[:1] if many else odds:
                at, shown = spot_of(match)
                spots.setdefault(offset + at, context.finding(
                    rule, offset + at, "message_many" if many else None, match=shown.strip(),
                    usual=usuals[0].group().strip(), count=len(usuals), many=len(odds)))
    return [spots[at] for at in sorted(spots)]
