"""near-name: a span one slip away from a standard name (“其他商品服务和支出”, “公务用车运转维护费”).

The vocabulary is data: the classification names (``classification``: functional, economic …,
every year's names), the titles of other rules (``titles_of``: table-title's standard titles, each
right with 预算 or 决算) and ``names`` (the “三公” items, fund names, fixed terms). A span is
reported when it is one edit off a name of at least ``shortest`` chars — one char changed, put in
or left out inside the name, or one char moved over up to three others (“服务和” for 和服务,
“出（境）国” for 出国（境）) — and is not itself a name or an ``allow``-ed variant, nor part of one
written right there. The first and last chars must be the name's own (a different first or last
char is another word beside the name), and a name shorter than ``short`` must stand apart from
the chars beside it (“转移支付决算表” holds no slip of 支出决算表); ``optional`` chars put in or
left out and ``same`` chars written for one another are a region's wording. A name ending in one
of ``cut_ends`` (费, 支出) that lost that end right before an amount (“公务用车运行维护3.00万元”) is a slip
too, and ``slips`` may list known slips further off.

Spans are found through an index of the names' first and last three chars (two for five-char
names, and for near-word's four-char words, whose inner swap is looked up whole), so a document
costs a few dict look-ups per char where a name could start; a name cut before an amount is looked
up before each amount (the index: :mod:`.vocabulary`). Read: the text, the asides (contents,
captions) and the tables' cells.
"""

from __future__ import annotations

import bisect
from functools import cache
from typing import Any

from ...classification import load_classification
from ...classification.reference import editions_key
from ...errors import Finding
from ...caches.regexcache import regex
from .vocabulary import Vocabulary, fold, vocabulary_of

_WORD = regex(r"[\u4e00-\u9fff]")   # a char a slip may put in or change (a bracket put in is a note: “支出（表”)
_AMOUNT = regex(r" ?\d")
_AFTER_WORD = regex(r"(?<=[\u4e00-\u9fff])\d")    # an amount right after a word (spaces squeezed out)
# a joint char that begins a word of its own after a name (“广播电视服务中心”: 中 of 中心, not 其中)
_JOINT_IN_WORD = regex(r"中[心学队医专]")
_MOVE = 4                                         # the widest window a moved char crosses, plus one


@cache
def _classification_names(kinds: tuple[str, ...], editions: tuple[int, ...]) -> frozenset[str]:
    names: set[str] = set()
    for kind in kinds:
        names |= load_classification(kind).every_name()
    return frozenset(names)


def _titles_of(rules: tuple[str, ...]) -> list[str]:
    from ..rules import load_lint_rules

    found = []
    for rule in load_lint_rules():
        if rule.name in rules:
            found += [str(t) for key in ("titles", "accept") for t in rule.params.get(key) or []]
    return found


def slip_of(span: str, name: str, optional: str = "", same: tuple[str, ...] = ()) -> str:
    """What slip inside ``name`` (first and last chars kept) gives ``span``: “changed”, “moved”,
    “added”, “dropped”, or "" for none; a char of ``optional`` put in or left out, or one char for
    another of a ``same`` group, is a wording, not a slip."""
    if span[0] != name[0] or span[-1] != name[-1] or span == name:
        return ""
    if len(span) == len(name):
        differ = [k for k in range(len(name)) if span[k] != name[k]]
        if len(differ) == 1:
            a, b = span[differ[0]], name[differ[0]]
            return "changed" if _WORD.match(a) and not any(a in group and b in group for group in same) else ""
        a, b = differ[0], differ[-1] + 1
        moved = b - a <= _MOVE and span[a:b] in (name[a + 1:b] + name[a], name[b - 1] + name[a:b - 1])
        return "moved" if moved else ""
    longer, shorter = (span, name) if len(span) > len(name) else (name, span)
    if len(longer) != len(shorter) + 1:
        return ""
    k = next((i for i in range(len(shorter)) if longer[i] != shorter[i]), len(shorter))
    if longer[k + 1:] != shorter[k:] or not _WORD.match(longer[k]) or longer[k] in optional:
        return ""
    return "added" if longer is span else "dropped"


_GAP = regex(r"[ \t\u3000]+")
_COLUMNS = regex(r"[ \u3000]{2}|\t")


def _squeezed(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without spaces (folded), and per run of spaces: where it was in the squeezed text,
    and how many spaces were taken out up to its end."""
    gaps, removed = [], 0
    for match in _GAP.finditer(text):
        removed += match.end() - match.start()
        gaps.append((match.start() - removed + (match.end() - match.start()), removed))
    return fold(_GAP.sub("", text) if gaps else text), gaps


def _original(gaps: list[tuple[int, int]], index: int) -> int:
    """The offset in the text of char ``index`` of the squeezed text."""
    gap = bisect.bisect_right(gaps, (index, float("inf")))
    return index + gaps[gap - 1][1] if gap else index


def find_slips(text: str, vocabulary: Vocabulary, apart: int = 0, keep: Any = None) -> list[tuple[int, int, str]]:
    """(start, end, standard name) of each slip in ``text``, offsets of ``text``, in order; of
    a name at least ``apart`` chars long, only a span that stands apart from the words beside it
    where that matters (near-word asks a shorter word for other evidence: ``keep(squeezed text,
    start, end, name)``, offsets of the text without spaces, says whether a span is kept)."""
    squeezed, gaps = _squeezed(text)
    size = len(squeezed)
    found: dict[tuple[int, int], tuple[str, str]] = {}    # (start, end) → (name, what slip)
    heads, head = vocabulary.heads, vocabulary.head
    # only where two or three chars start or end a name is there anything to compare; the chars
    # that can start such a key are found first (half the text or less), in C
    # (a swap at i is found before anything else of a span starting at i: no key before i reaches
    # i + 4, so this is the order of a pass for the swaps and then one for the keys)
    swaps, pairs = vocabulary.swaps, _pairs(vocabulary)
    for i in [match.start() for match in vocabulary.firsts.finditer(squeezed)]:
        if squeezed[i:i + 2] not in pairs:
            continue  # no key of the index nor a swap starts with these two chars (most places)
        if swaps:
            name = swaps.get(squeezed[i:i + 4])
            if name:
                found[(i, i + 4)] = name, "moved"
        for width in (2, 3):
            key = squeezed[i:i + width]
            if key not in heads:
                continue
            leading, trailing = head(key)
            for length, by_last in leading:
                names = by_last.get(squeezed[i + length - 1]) if i + length <= size else None
                if names:
                    _match(squeezed[i:i + length], names, (i, i + length), found, vocabulary)
            end = i + width
            for length, by_first in trailing:
                names = by_first.get(squeezed[end - length]) if end >= length else None
                if names:
                    _match(squeezed[end - length:end], names, (end - length, end), found, vocabulary)
    for match in vocabulary.exact.finditer(squeezed) if vocabulary.exact else ():
        found.setdefault(match.span(), (vocabulary.exacts[match.group()], "listed"))
    # a name that lost its last char right before an amount (a column of amounts further along is
    # a cell cut short); looked up before each amount, not searched for
    for match in _AFTER_WORD.finditer(squeezed) if vocabulary.cuts else ():
        end = match.start()
        for size in vocabulary.cut_sizes:
            name = vocabulary.cuts.get(squeezed[end - size:end]) if end >= size else None
            if name and _AMOUNT.match(text, _original(gaps, end - 1) + 1):
                found.setdefault((end - size, end), (name, "listed"))
    if keep is not None:
        found = {at: slip for at, slip in found.items() if keep(squeezed, at[0], at[1], slip[0])}
    if not found:
        return []
    covered: dict[int, int] = {}          # where a name is written right: start → its furthest end (0: none)
    lengths, known = vocabulary.lengths, vocabulary.known

    def reach(at: int) -> int:
        """The end of the longest name written right from ``at`` (asked only just before a slip)."""
        furthest = covered.get(at)
        if furthest is None:
            furthest = 0
            for length in lengths.get(squeezed[at:at + 2], ()):     # ascending
                if squeezed[at:at + length] in known:
                    furthest = at + length
            covered[at] = furthest
        return furthest

    spans = []
    for (start, end), (name, slip) in sorted(found.items(), key=lambda item: (item[0][0], -item[0][1])):
        if any(reach(a) >= end for a in range(max(0, end - vocabulary.longest), start + 1)):
            continue  # part of a name written right (“支出决算总表” in 收入支出决算总表)
        # two chars swapped make no other word: only another slip needs the span to stand apart
        if len(name) >= apart and slip != "moved" and not _apart(squeezed, start, end, name, vocabulary):
            continue  # the end of a longer word (“转移支付决算表” is not a slip of 支出决算表)
        if spans and start < spans[-1][1]:
            continue  # one slip, seen from both ends or as two names
        if squeezed[start] == "年" and squeezed[start + 1:end] == name and start and squeezed[start - 1].isdigit():
            continue  # the 年 put in front is the year's (“2024年年末结转和结余”)
        spans.append((start, end, name))
    placed = [(_original(gaps, start), _original(gaps, end - 1) + 1, name) for start, end, name in spans]
    # a run of spaces or a tab inside is a gap between two columns of a table, not a name's
    return [(start, end, name) for start, end, name in placed if not _COLUMNS.search(text, start, end)]


_PAIRS: dict[int, tuple[dict, frozenset[str]]] = {}    # id(heads) → (heads, the first two chars of its keys and swaps)


def _pairs(vocabulary: Vocabulary) -> frozenset[str]:
    """The first two chars of every key of the index and of every swap, made once per vocabulary."""
    made = _PAIRS.get(id(vocabulary.heads))
    if made is None or made[0] is not vocabulary.heads:
        made = _PAIRS[id(vocabulary.heads)] = (vocabulary.heads,
                                               frozenset(key[:2] for key in [*vocabulary.heads, *vocabulary.swaps]))
    return made[1]


def _apart(text: str, start: int, end: int, name: str, vocabulary: Vocabulary) -> bool:
    """Whether a span stands apart from the chars beside it where that matters: on both sides for
    a short name, and for a longer one on a side whose two end chars the slip changed (“第三部分
    决算情况说明” holds no slip of 部门决算情况说明: its 部分 is the heading's)."""
    short, joints, span = len(name) < vocabulary.short, vocabulary.joints, text[start:end]
    left = start == 0 or not _WORD.match(text[start - 1]) or text[start - 1] in joints + vocabulary.before
    right = (end >= len(text) or not _WORD.match(text[end - 1]) or not _WORD.match(text[end])
             or (text[end] in joints + vocabulary.after and not _JOINT_IN_WORD.match(text, end)))
    if short:
        return left and right
    return (left or span[:2] == name[:2]) and (right or span[-2:] == name[-2:])


def _match(span: str, names: list[str], at: tuple[int, int], found: dict, vocabulary: Vocabulary) -> None:
    if at in found or span in vocabulary.known:
        return
    for name in names:
        slip = slip_of(span, name, vocabulary.optional, vocabulary.same)
        if slip:
            found[at] = name, slip
            return


_MADE: dict[int, tuple[Any, tuple[Vocabulary, dict[str, str]]]] = {}   # id(rule) → (rule, its vocabulary)


def _params(rule: Any) -> tuple[Vocabulary, dict[str, str]]:
    """The vocabulary of a rule, made once per rule object (rules are loaded once)."""
    made = _MADE.get(id(rule))
    if made is None or made[0] is not rule:
        made = _MADE[id(rule)] = (rule, _made(rule))
    return made[1]


def _made(rule: Any) -> tuple[Vocabulary, dict[str, str]]:
    names = set(map(str, rule.params.get("names") or []))
    names |= _classification_names(tuple(rule.params.get("classification") or ()), editions_key())
    titles = set(_titles_of(tuple(rule.params.get("titles_of") or ())))
    names |= titles
    # a budget's table or part is its 决算's with 预算 for 决算: both are right titles
    twins = {t.replace("决算", "预算") for t in titles} | {t.replace("预算", "决算") for t in titles}
    allow = frozenset(fold(str(a)) for a in [*(rule.params.get("allow") or []), *twins])
    slips = tuple((str(k), str(v)) for k, v in (rule.params.get("slips") or {}).items())
    optional = "".join(str(c) for c in rule.params.get("optional") or [])
    same = tuple(str(group) for group in rule.params.get("same") or [])
    joints = "".join(str(c) for c in rule.params.get("joints") or [])
    cut_ends = tuple(str(c) for c in rule.params.get("cut_ends") or [])
    before = "".join(str(c) for c in rule.params.get("before") or [])
    after = "".join(str(c) for c in rule.params.get("after") or [])
    vocabulary = vocabulary_of(frozenset(fold(n) for n in names), allow, slips, int(rule.params.get("shortest", 5)),
                               optional, same, int(rule.params.get("short", 8)), joints, cut_ends, before, after)
    return vocabulary, _shown(frozenset(names))


@cache
def _shown(names: frozenset[str]) -> dict[str, str]:
    """Each folded name → the name as the rule's data writes it (“三公”经费, not “三公“经费)."""
    return {fold(name): name for name in sorted(names)}


def run(rule: Any, context: Any) -> list[Finding]:
    """Each slip of a standard name in the text, its asides and its tables' cells."""
    vocabulary, shown = _params(rule)
    return report(rule, context, lambda text: find_slips(text, vocabulary), shown)


def report(rule: Any, context: Any, spans_of: Any, shown: dict[str, str], **values: str) -> list[Finding]:
    """The findings of ``spans_of`` (a text → its (start, end, standard name)) in the text, its
    asides and its tables' cells (one per line), each at its place (``values``: more of the message's)."""
    findings = []
    text = context.doc.text
    for start, end, name in spans_of(text):
        findings.append(context.finding(rule, start, match=text[start:end], standard=shown.get(name, name), **values))
    for aside in context.asides:
        for start, end, name in spans_of(aside.text):
            context.finding_at(rule, (aside, start), match=aside.text[start:end], standard=shown.get(name, name),
                               **values)
    cells, rows = [], []        # every cell of every table, one per line, and the row of each
    for table in context.tables:
        for row in table.rows:
            for cell in row.cells:
                cells.append(cell)
                rows.append(row)
    joined = "\n".join(cells)
    starts = [0]
    for cell in cells[:-1]:
        starts.append(starts[-1] + len(cell) + 1)
    for start, end, name in spans_of(joined) if cells else ():
        row = rows[bisect.bisect_right(starts, start) - 1]
        context.finding_at(rule, (row, 0), match=joined[start:end], standard=shown.get(name, name), **values)
    return findings
