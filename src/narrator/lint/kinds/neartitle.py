"""titles: a title one or two characters off a standard title (“出决算表” for 支出决算表).

Parameters: ``titles`` — the standard titles of the disclosure's tables and parts; ``accept`` —
other titles regions use, right as they are; ``variants`` — words whose presence or absence is a
region's wording, not a misspelling (情况, 总, 明细, 部门 …: “收入预算总表” and “收入总表” are one
title). Titles are compared without those words, quotes, brackets, numbering and anything up to
the year; ``same_words`` (收入支出: 收支) make more accepted titles, each standard title with the
long form written short; one that is not itself a title there is reported when it is one char off exactly one
standard title and ends as it does (two chars for long ones: ``long`` chars, default 7; not a
two-char word put in, left out or swapped, as “支出” in “政府购买服务支出预算表”). An unknown title
is no error.
Title lines are read in the text and among the asides (a contents page, table captions).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from ...errors import Finding
from ..titles import aside_titles, loose, text_titles

_SHORTEST = 4              # compared chars below which no near-miss is reported


@cache
def _keyed(titles: tuple[str, ...], variants: tuple[str, ...]) -> dict[str, str]:
    keyed: dict[str, str] = {}
    for title in titles:
        keyed.setdefault(loose(title, variants), title)
    return keyed


@lru_cache(maxsize=65536)
def distance(a: str, b: str, cap: int = 3) -> int:
    """Edit distance (insertions, deletions, substitutions) between two short strings, or ``cap``
    for any distance of ``cap`` or more.

    Only distances up to 2 decide anything, so the table is filled only within ``cap`` of its
    diagonal and given up once a whole row is at ``cap``: most titles compared are far apart.
    """
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1  # a shared beginning or ending costs nothing: compare only what lies between
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    a, b = a[start:end_a], b[start:end_b]
    if abs(len(a) - len(b)) >= cap:
        return cap
    if not a or not b:
        return len(a) + len(b)
    # each char of one that the other lacks is an edit of its own: most titles compared are
    # known to be ``cap`` apart without the table
    if len(set(a).difference(b)) >= cap or len(set(b).difference(a)) >= cap:
        return cap
    previous = [min(j, cap) for j in range(len(b) + 1)]
    for i, char in enumerate(a, 1):
        low, high = max(1, i - cap + 1), min(len(b), i + cap - 1)
        current = [cap] * (len(b) + 1)
        if low == 1:
            current[0] = min(i, cap)
        best = current[low - 1]
        for j in range(low, high + 1):  # comparisons, not min(): this loop is most of lint's titles
            value = previous[j - 1] + (char != b[j - 1])
            if previous[j] + 1 < value:
                value = previous[j] + 1
            if current[j - 1] + 1 < value:
                value = current[j - 1] + 1
            if value > cap:
                value = cap
            current[j] = value
            if value < best:
                best = value
        if best >= cap:
            return cap
        previous = current
    return previous[-1]


def _word_apart(longer: str, shorter: str) -> bool:
    """Whether ``longer`` is ``shorter`` with two chars in a row put in."""
    return len(longer) == len(shorter) + 2 and any(
        longer[:i] + longer[i + 2:] == shorter for i in range(len(longer) - 1))


def _word_swapped(one: str, other: str) -> bool:
    """Whether two strings differ only in two chars in a row (one word for another)."""
    if len(one) != len(other):
        return False
    differ = [i for i, (a, b) in enumerate(zip(one, other)) if a != b]
    return len(differ) == 2 and differ[1] == differ[0] + 1


def run(rule: Any, context: Any) -> list[Finding]:
    """Each title that is a near miss of exactly one standard title."""
    variants = tuple(sorted((str(v) for v in rule.params.get("variants") or []), key=len, reverse=True))
    standard = _keyed(tuple(str(t) for t in rule.params.get("titles") or []), variants)
    accepted = [str(t) for t in rule.params.get("accept") or []]
    for long_form, short_form in (rule.params.get("same_words") or {}).items():
        accepted += [t.replace(str(long_form), str(short_form)) for t in standard.values() if long_form in t]
    known = set(standard) | set(_keyed(tuple(accepted), variants))
    long = int(rule.params.get("long", 7))
    findings = []
    titles = text_titles(context) + aside_titles(context)
    for index, title in enumerate(titles):
        name = loose(title.title, variants)
        if len(name) < 2 or name in known:
            continue
        if name + "表" in standard and _beside_tables(titles, index):
            # “七、一般公共预算财政拨款“三公”经费支出决算” among table titles: 表 left out
            finding = context.finding_at(rule, title.at(title.start), match=title.title, standard=standard[name + "表"])
            findings += [finding] if finding is not None else []
            continue
        ranked = sorted((distance(name, key), key) for key in standard
                        if len(key) >= _SHORTEST and abs(len(key) - len(name)) <= 2)
        if not ranked:
            continue
        best, key = ranked[0]
        if best > (2 if len(key) >= long else 1) or len(ranked) > 1 and ranked[1][0] == best:
            continue  # not near, or as near to two standard titles: not a misspelling of one
        if name[-1] != key[-1]:
            continue  # another kind of title: “……情况说明” is not a misspelt “……情况表”
        if best == 2 and (_word_apart(name, key) or _word_apart(key, name) or _word_swapped(name, key)):
            continue  # a two-char word more, less or other (“支出”, “基本”): another wording, not a slip
        finding = context.finding_at(rule, title.at(title.start), match=title.title, standard=standard[key])
        if finding is not None:
            findings.append(finding)
    return findings


def _beside_tables(titles: list, index: int) -> bool:
    """Whether the title before or after ``titles[index]`` names a table (ends in 表)."""
    return any(0 <= other < len(titles) and titles[other].title.rstrip().endswith("表")
               for other in (index - 1, index + 1))
