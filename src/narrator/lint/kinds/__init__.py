"""The generic kinds of lint rule, one module each (like Vale's existence/substitution/… kinds).

Each kind module has ``run(rule, context) -> list[Finding]``. ``NEEDS_FIGURES`` lists the kinds
that compare the text with figures (they are “not applicable” without ``--figures``); they
run first, so that wording kinds can leave alone what a figure finding already explains.
"""

from __future__ import annotations

from . import (consistency, contents, counts, emptysection, existence, figure, listcount, listends, minority, nearname,
               names, nearword, neartitle, occurrence, paragraph, parts, partsafter, repeated, repeatedsentence, scope,
               sequence, siblingends, substitution, unitname, unitparent, units, year)

KINDS = {
    "figure": figure.run,
    "existence": existence.run,
    "substitution": substitution.run,
    "occurrence": occurrence.run,
    "sequence": sequence.run,
    "official-name": names.run,
    "parts-total": partsafter.run,
    "year": year.run,
    "consistency": consistency.run,
    "minority": minority.run,
    "list-endings": listends.run,
    "sibling-endings": siblingends.run,
    "repeated-line": repeated.run,
    "paragraph-end": paragraph.run,
    "unit-mix": units.run,
    "economic-scope": scope.run,
    "contents": contents.run,
    "titles": neartitle.run,
    "list-count": listcount.run,
    "near-name": nearname.run,
    "near-word": nearword.run,
    "unit-name": unitname.run,
    "unit-parent": unitparent.run,
    "count-consistency": counts.run,
    "empty-section": emptysection.run,
    "repeated-sentence": repeatedsentence.run,
}
NEEDS_FIGURES = {"figure"}
ORDER = ["figure", "existence", "substitution", "occurrence", "sequence", "official-name", "parts-total", "year",
         "consistency", "minority", "list-endings", "sibling-endings", "repeated-line", "paragraph-end", "unit-mix",
         "economic-scope", "contents", "titles", "list-count", "near-name", "near-word", "unit-name", "unit-parent",
         "count-consistency", "empty-section", "repeated-sentence"]
