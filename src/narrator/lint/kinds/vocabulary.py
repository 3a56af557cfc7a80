"""The index near-name and near-word look names up in (:mod:`.nearname`), kept between runs.

Indexing the three thousand names of near-name (every year's classification names and the
standard titles) and the words of near-word was a sixth of a cold ``narrator lint``: the index is
kept in narrator's cache (:func:`narrator.caches.yamlcache.cached_value`) by everything it is made of and
this module's code, as plain data (its two patterns as their texts, compiled through
:mod:`narrator.caches.regexcache`). The names under each key of the index are packed (``marshal``) and
unpacked when a text first holds that key: reading the whole index back was ~10 ms of a cold lint
(a thousand keys, each with its small dicts and lists), and a text holds a few hundred of them.
"""

from __future__ import annotations

import marshal
import re
from collections import defaultdict
from functools import cache
from typing import NamedTuple

from ...caches.regexcache import regex
from ...caches.yamlcache import cached_value

# brackets and quotes written either width are one char here (the text is mapped char for char)
_FOLD = (("(", "（"), (")", "）"), ("\"", "“"), ("”", "“"), ("'", "“"), ("‘", "“"), ("’", "“"))


class Vocabulary(NamedTuple):
    # (a NamedTuple, not a dataclass: making a frozen dataclass of 17 fields costs every cold lint ~2 ms)
    # three chars (two for a five-char name) → ((span length, {last char: names}) of the names
    # starting with them, (span length, {first char: names}) of those ending with them): a slip
    # inside a name keeps one end of it whole (one at the third char of five keeps both ends' two)
    # (packed: see :meth:`head`)
    heads: dict
    firsts: re.Pattern             # a char that starts a key of ``heads`` or a known name
    known: frozenset[str]          # names and allowed variants: right as written
    lengths: dict                  # its first two chars → the lengths of the known names starting so
    longest: int                   # the longest known name
    exact: re.Pattern | None       # a known slip (``slips``)
    exacts: dict                   # what ``exact`` matches → the name
    cuts: dict                     # a name without its end (one of cut_ends; a slip before an amount only) → the name
    cut_sizes: tuple[int, ...]     # the lengths of those
    swaps: dict                    # a four-char name with its two inner chars swapped → the name (the
                                   # swap leaves neither end's two chars for the index to find)
    optional: str                  # chars put in or left out as a wording, not a slip
    same: tuple[str, ...]          # groups of chars written for one another as a wording (他它, 和及)
    short: int                     # names shorter than this must stand apart from the words beside them
    joints: str                    # chars that may stand beside a name without making a longer word
    before: str                    # chars that may stand before a name, too (预算 “三公”经费: 算)
    after: str                     # chars that may stand after a name, too (公务接待费支出: 支)

    def head(self, key: str) -> tuple:
        """The entry of ``heads`` for ``key`` (a key of it), unpacked in place on first use."""
        entry = self.heads[key]
        if entry.__class__ is bytes:
            entry = self.heads[key] = marshal.loads(entry)
        return entry


#: the chars :func:`fold` changes, any of them (one search in C instead of seven replaces for a name without any)
_FOLDED = regex("[" + "".join(re.escape(one) for one, _ in _FOLD) + "]")


def fold(text: str) -> str:
    """``text`` with each bracket and quote written one way (char for char)."""
    if _FOLDED.search(text) is None:
        return text
    for one, other in _FOLD:      # (str.translate with a mapping is slower on Chinese text)
        text = text.replace(one, other)
    return text


def _key(name: str) -> int:
    """How many chars of each end of ``name`` the index holds."""
    return 2 if len(name) < 6 else 3


@cache
def vocabulary_of(names: frozenset[str], allow: frozenset[str], slips: tuple[tuple[str, str], ...],
                  shortest: int, optional: str, same: tuple[str, ...], short: int, joints: str,
                  cut_ends: tuple[str, ...], before: str = "", after: str = "") -> Vocabulary:
    """The index of ``names`` (see :class:`Vocabulary`), from narrator's cache when it is there."""
    made = (sorted(names), sorted(allow), slips, shortest, optional, same, short, joints, cut_ends, before, after)
    # marshal's version 2 as the key: later versions write a string seen twice as a reference to
    # the first and mark interned strings, so equal data gave other bytes in one process in
    # three or four, and the index was built again (and written) for nothing
    return cached_value(marshal.dumps(made, 2), ("lint/kinds/vocabulary.py",),
                        lambda: _built(names, allow, slips, shortest, optional, same, short, joints, cut_ends,
                                       before, after), _encode, _decode)


def _encode(vocabulary: Vocabulary) -> tuple:
    """The vocabulary as plain data: its patterns as their texts."""
    exact = vocabulary.exact.pattern if vocabulary.exact is not None else None
    heads = {key: entry if entry.__class__ is bytes else marshal.dumps(entry) for key, entry in vocabulary.heads.items()}
    return tuple(vocabulary._replace(heads=heads, firsts=vocabulary.firsts.pattern, exact=exact))


def _decode(kept: tuple) -> Vocabulary:
    vocabulary = Vocabulary(*kept)
    exact = regex(vocabulary.exact) if vocabulary.exact is not None else None
    return vocabulary._replace(firsts=regex(vocabulary.firsts), exact=exact)


def _built(names: frozenset[str], allow: frozenset[str], slips: tuple[tuple[str, str], ...], shortest: int,
           optional: str, same: tuple[str, ...], short: int, joints: str, cut_ends: tuple[str, ...], before: str,
           after: str) -> Vocabulary:
    known = names | allow           # a name too short to compare is still right as written
    names = frozenset(n for n in names if len(n) >= shortest)
    cuts = {name[:-len(end)]: name for name in sorted(names) for end in cut_ends
            if len(name) > shortest and name.endswith(end) and name[:-len(end)] not in known}
    swaps = {name[0] + name[2] + name[1] + name[3]: name for name in sorted(names) if len(name) == 4}
    swaps = {swap: name for swap, name in swaps.items() if swap not in known}
    exacts = {fold(slip): name for slip, name in slips}
    exact = regex("|".join(map(re.escape, sorted(exacts, key=len, reverse=True)))) if exacts else None
    lead: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    trail: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    starts: dict = defaultdict(set)
    for name in known:
        starts[name[:2]].add(len(name))
    for name in sorted(names):
        key = _key(name)
        for size in (len(name) - 1, len(name), len(name) + 1):
            lead[name[:key]][size][name[-1]].append(name)
            trail[name[-key:]][size][name[0]].append(name)
    lead, trail = _frozen(lead), _frozen(trail)
    heads = {key: marshal.dumps((lead.get(key, ()), trail.get(key, ()))) for key in set(lead) | set(trail)}
    firsts = regex("[" + "".join(map(re.escape, sorted({key[0] for key in [*heads, *known]}))) + "]")
    return Vocabulary(heads, firsts, known, {k: tuple(sorted(v)) for k, v in starts.items()}, max(map(len, known)),
                      exact, exacts, cuts, tuple(sorted({len(cut) for cut in cuts})), swaps, optional, same, short,
                      joints, before, after)


def _frozen(index: dict) -> dict:
    return {key: tuple((size, dict(by_char)) for size, by_char in sorted(sizes.items()))
            for key, sizes in index.items()}

