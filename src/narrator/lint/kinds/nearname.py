"""near-name: a span one slip away from a standard name (“其他商品服务和支出”, “公务用车运转维护费”).

The vocabulary is data: the classification names (``classification``: functional, economic …,
every year's names), the titles of other rules (``titles_of``: the standard table titles of
table-title) and ``names`` (the “三公” items, fund names, fixed terms). Names with 决算 count only
in a 决算 document (a budget's “支出预算表” is no slip of 支出决算表). A span is reported when it is
one edit off a name of at least ``shortest`` chars — one char changed, put in or left out inside the
name, or one char moved over up to three others (“服务和” for 和服务, “出（境）国” for 出国（境）) —
and is not itself a name or an ``allow``-ed variant, nor part of one written right there. The
first and last chars must be the name's own: a different first or last char is another word
beside the name, not a slip. A name that lost its last char before an amount (“公务用车购置0万元”)
is a slip too, and ``slips`` lists known slips further off (公务用车运行费).

Spans are found through an index of the names' first and last two chars, so a long document costs
one dict look-up per char. Read: the text, the asides (contents, captions) and the table cells.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from ...classification import load_classification
from ...classification.reference import editions_key
from ...errors import Finding

# brackets and quotes written either width are one char here (the text is mapped char for char)
_FOLD = str.maketrans({"(": "（", ")": "）", "\"": "“", "”": "“", "'": "“", "‘": "“", "’": "“"})
_SLIPPED = re.compile(r"[\u4e00-\u9fff（）]")      # what a slip may put in or change: a char of a name
_WORD = re.compile(r"[\u4e00-\u9fff]")            # a char that may go on a word
_AMOUNT = re.compile(r"\s*\d")
_MOVE = 4                                         # the widest window a moved char crosses, plus one


@dataclass(frozen=True)
class _Vocabulary:
    names: frozenset[str]          # names a slip is reported against
    known: frozenset[str]          # names and allowed variants: right as written
    lead: dict                     # first two chars → {(span length, last char): names}
    trail: dict                    # last two chars → {(span length, first char): names}
    optional: str                  # chars put in or left out as a wording, not a slip
    same: tuple[str, ...]          # groups of chars written for one another as a wording (他它, 和及)
    short: int                     # names shorter than this must stand apart from the words beside them
    joints: str                    # chars that may stand beside a name without making a longer word
    exact: dict                    # a known slip, or a name without its last char → (name, before an amount only)
    lengths: dict                  # first two chars → the lengths of known names starting so
    exact_lengths: dict            # first two chars → the lengths of ``exact`` keys starting so


def _fold(text: str) -> str:
    return text.translate(_FOLD)


@cache
def _classification_names(kinds: tuple[str, ...], editions: tuple[int, ...]) -> frozenset[str]:
    names: set[str] = set()
    for kind in kinds:
        table = load_classification(kind)
        for code in table.names:
            names |= table.all_names(code)
    return frozenset(names)


def _titles_of(rules: tuple[str, ...]) -> list[str]:
    from ..rules import load_lint_rules

    found = []
    for rule in load_lint_rules():
        if rule.name in rules:
            found += [str(t) for key in ("titles", "accept") for t in rule.params.get(key) or []]
    return found


@cache
def _vocabulary(names: frozenset[str], allow: frozenset[str], slips: tuple[tuple[str, str], ...],
                shortest: int, optional: str, same: tuple[str, ...], short: int, joints: str,
                cut_ends: str) -> _Vocabulary:
    names = frozenset(n for n in names if len(n) >= shortest)
    known = names | allow
    lead: dict = defaultdict(lambda: defaultdict(list))
    trail: dict = defaultdict(lambda: defaultdict(list))
    lengths: dict = defaultdict(set)
    for name in known:
        lengths[name[:2]].add(len(name))
    for name in sorted(names):
        for size in (len(name) - 1, len(name), len(name) + 1):
            lead[name[:2]][size, name[-1]].append(name)
            trail[name[-2:]][size, name[0]].append(name)
    exact = {name[:-1]: (name, True) for name in sorted(names)
             if len(name) > shortest and name[-1] in cut_ends and name[:-1] not in known}
    exact.update((_fold(slip), (name, False)) for slip, name in slips)
    exact_lengths: dict = defaultdict(set)
    for key in exact:
        exact_lengths[key[:2]].add(len(key))
    return _Vocabulary(names, known, {k: dict(v) for k, v in lead.items()}, {k: dict(v) for k, v in trail.items()},
                       optional, same, short, joints, exact, dict(lengths), dict(exact_lengths))


def slip_of(span: str, name: str, optional: str = "", same: tuple[str, ...] = ()) -> bool:
    """Whether ``span`` is ``name`` with one slip inside it (first and last chars kept); a char of
    ``optional`` put in or left out, or one char for another of a ``same`` group, is a wording."""
    if span[0] != name[0] or span[-1] != name[-1] or span == name:
        return False
    if len(span) == len(name):
        differ = [k for k in range(len(name)) if span[k] != name[k]]
        if len(differ) == 1:
            a, b = span[differ[0]], name[differ[0]]
            return bool(_SLIPPED.match(a)) and not any(a in group and b in group for group in same)
        a, b = differ[0], differ[-1] + 1
        return b - a <= _MOVE and span[a:b] in (name[a + 1:b] + name[a], name[b - 1] + name[a:b - 1])
    longer, shorter = (span, name) if len(span) > len(name) else (name, span)
    if len(longer) != len(shorter) + 1:
        return False
    k = next((i for i in range(len(shorter)) if longer[i] != shorter[i]), len(shorter))
    return longer[k + 1:] == shorter[k:] and bool(_SLIPPED.match(longer[k])) and longer[k] not in optional


def _squeezed(text: str) -> tuple[str, list[int]]:
    """The text without spaces (folded), and each kept char's offset in ``text``."""
    kept = [i for i, char in enumerate(text) if char not in " \t\u3000"]
    return _fold("".join(text[i] for i in kept)), kept


def find_slips(text: str, vocabulary: _Vocabulary) -> list[tuple[int, int, str]]:
    """(start, end, standard name) of each slip in ``text``, offsets of ``text``, in order."""
    squeezed, where = _squeezed(text)
    size = len(squeezed)
    covered: list[tuple[int, int]] = []       # the names and variants written right
    found: dict[tuple[int, int], str] = {}
    for i in range(size - 1):
        head = squeezed[i:i + 2]
        for length in vocabulary.lengths.get(head, ()):
            if squeezed[i:i + length] in vocabulary.known:
                covered.append((i, i + length))
        for (length, last), names in vocabulary.lead.get(head, {}).items():
            if i + length <= size and squeezed[i + length - 1] == last:
                _match(squeezed[i:i + length], names, (i, i + length), found, vocabulary)
        end = i + 2
        for (length, first), names in vocabulary.trail.get(head, {}).items():
            if end - length >= 0 and squeezed[end - length] == first:
                _match(squeezed[end - length:end], names, (end - length, end), found, vocabulary)
        for length in vocabulary.exact_lengths.get(head, ()):
            name, before_amount = vocabulary.exact.get(squeezed[i:i + length], ("", False))
            if name and (not before_amount or _AMOUNT.match(squeezed, i + length)):
                found.setdefault((i, i + length), name)
    spans = []
    for (start, end), name in sorted(found.items(), key=lambda item: (item[0][0], -item[0][1])):
        if any(a <= start and end <= b for a, b in covered):
            continue  # part of a name written right (“支出决算总表” in 收入支出决算总表)
        if not _apart(squeezed, start, end, len(name) < vocabulary.short, vocabulary.joints):
            continue  # the end of a longer word (“转移支付决算表” is not a slip of 支出决算表)
        if spans and start < spans[-1][1]:
            continue  # one slip, seen from both ends or as two names
        spans.append((start, end, name))
    return [(where[start], where[end - 1] + 1, name) for start, end, name in spans]


def _apart(text: str, start: int, end: int, short: bool, joints: str) -> bool:
    """Whether a span starts a word (and, when ``short``, ends one): no other char of a name beside it."""
    if start > 0 and _WORD.match(text[start - 1]) and text[start - 1] not in joints:
        return False
    return (not short or end >= len(text) or not _WORD.match(text[end - 1]) or not _WORD.match(text[end])
            or text[end] in joints)


def _match(span: str, names: list[str], at: tuple[int, int], found: dict, vocabulary: _Vocabulary) -> None:
    if at in found:
        return
    for name in names:
        if slip_of(span, name, vocabulary.optional, vocabulary.same):
            found[at] = name
            return


def _params(rule: Any) -> _Vocabulary:
    names = set(map(str, rule.params.get("names") or []))
    names |= _classification_names(tuple(rule.params.get("classification") or ()), editions_key())
    titles = set(_titles_of(tuple(rule.params.get("titles_of") or ())))
    names |= titles
    # a budget's table or part is its 决算's with 预算 for 决算: both are right titles
    twins = {t.replace("决算", "预算") for t in titles} | {t.replace("预算", "决算") for t in titles}
    allow = frozenset(_fold(str(a)) for a in [*(rule.params.get("allow") or []), *twins])
    slips = tuple((str(k), str(v)) for k, v in (rule.params.get("slips") or {}).items())
    optional = "".join(str(c) for c in rule.params.get("optional") or [])
    same = tuple(str(group) for group in rule.params.get("same") or [])
    joints = "".join(str(c) for c in rule.params.get("joints") or [])
    cut_ends = "".join(str(c) for c in rule.params.get("cut_ends") or [])
    return _vocabulary(frozenset(_fold(n) for n in names), allow, slips, int(rule.params.get("shortest", 5)),
                       optional, same, int(rule.params.get("short", 8)), joints, cut_ends)


def run(rule: Any, context: Any) -> list[Finding]:
    """Each slip of a standard name in the text, its asides and its tables' cells."""
    vocabulary = _params(rule)
    findings = []
    text = context.doc.text
    for start, end, name in find_slips(text, vocabulary):
        findings.append(context.finding(rule, start, match=text[start:end], standard=name))
    for aside in context.asides:
        for start, end, name in find_slips(aside.text, vocabulary):
            context.finding_at(rule, (aside, start), match=aside.text[start:end], standard=name)
    for table in context.tables:
        for row in table.rows:
            for cell in row.cells:
                for start, end, name in find_slips(cell, vocabulary):
                    context.finding_at(rule, (row, 0), match=cell[start:end], standard=name)
    return findings
