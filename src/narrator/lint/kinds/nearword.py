"""near-word: an ordinary word of the genre one slip off (“预安排” for 预算安排, “资金安 0 元”,
a contents heading “录”, “情况决算情况说明”).

The vocabulary is data (``words``: the fixed words and phrases these documents are written in),
indexed as near-name indexes its names (:mod:`.nearname`: one char changed, put in, left out or
moved, first and last chars kept). A word of at least ``alone`` chars is reported as near-name
reports a name. A shorter one is one slip from many other words, so it needs evidence: the same
document writes the word right elsewhere, or an amount follows right after it (“预安排 2.00 万元”);
only a char left out or moved counts (a char put in or changed in a short word is as often another
word: 预先安排, 项目总支出) unless the word has at least ``changes_from`` (``adds_from``) chars; and
on a side where the slip changed the word's two end chars the span must stand apart (a joint, no
Chinese char, or a known word beside it: “执行单位” holds no slip of 行政单位). Two frames are
evidence of their own: a word ending in one of ``cut_ends`` cut off right before an amount
(“资金安 0 元”), and a line that is a standard heading (``headings``) with one char lost or changed
(“录” for 目录). A word led by two of its own inner chars (“情况决算情况说明”) is a doubled piece.
A slip is a one-off: a span the document writes twice is its own wording. Spans that are names of
near-name (``names_of``), words of this rule or ``allow``-ed are right as written.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ...errors import Finding
from ...caches.regexcache import regex
from .nearname import _GAP, _original, _squeezed, find_slips, report, slip_of
from .vocabulary import Vocabulary, fold, vocabulary_of

_MARKER = regex(r"^(?:第[一二三四五六七八九十]+部分|[（(]?[一二三四五六七八九十\d]+[）)、.．]?)")
_HAN = regex(r"[\u4e00-\u9fff]+")


class _Words(NamedTuple):       # (a NamedTuple: a frozen dataclass costs a cold lint ~1.5 ms to make)
    vocabulary: Vocabulary      # the words of four chars or more, indexed as near-name's names
    alone: int                   # words this long are reported as near-name reports; shorter ones with evidence
    words: frozenset[str]        # every word, folded
    starts: dict                 # its first two chars → the lengths of the words starting so
    optional: str
    same: tuple[str, ...]
    changes_from: int            # the shortest word in which a changed char is reported
    adds_from: int               # the shortest word in which a char put in is reported
    headings: frozenset[str]     # standard headings, a line of their own
    known: frozenset[str]        # every word and name right as written (this rule's, near-name's, allowed)
    joints: str                  # chars that may stand beside a word without making a longer one


_MADE: dict[int, tuple[Any, _Words]] = {}   # id(rule) → (rule, its words), made once per rule object


def _params(rule: Any) -> _Words:
    made = _MADE.get(id(rule))
    if made is None or made[0] is not rule:
        made = _MADE[id(rule)] = (rule, _made(rule))
    return made[1]


def _texts(rule: Any, key: str) -> list[str]:
    return [str(value) for value in rule.params.get(key) or []]


def _known_of(names: tuple[str, ...]) -> frozenset[str]:
    """The names and allowed variants of the near-name rules ``names``."""
    from ..rules import load_lint_rules
    from .nearname import _params as name_params

    known: frozenset[str] = frozenset()
    for other in load_lint_rules():
        if other.name in names:
            known |= name_params(other)[0].known
    return known


def _made(rule: Any) -> _Words:
    words = frozenset(fold(w) for w in _texts(rule, "words"))
    alone = int(rule.params.get("alone", 6))
    allow = words | frozenset(fold(a) for a in _texts(rule, "allow")) | _known_of(tuple(_texts(rule, "names_of")))
    optional, same = "".join(_texts(rule, "optional")), tuple(_texts(rule, "same"))
    joints = "".join(_texts(rule, "joints"))
    cut_ends = tuple(_texts(rule, "cut_ends"))
    # a word of four chars is compared (shortest 3 lets one lose its last char before an amount)
    vocabulary = vocabulary_of(frozenset(w for w in words if len(w) >= 4), allow, (), 3, optional, same, alone,
                               joints, cut_ends)
    starts: dict[str, set[int]] = {}
    for word in words:
        starts.setdefault(word[:2], set()).add(len(word))
    return _Words(vocabulary, alone, words, {k: tuple(sorted(v)) for k, v in starts.items()}, optional, same,
                  int(rule.params.get("changes_from", 5)), int(rule.params.get("adds_from", 6)),
                  frozenset(_texts(rule, "headings")), allow, joints)


def _kept(squeezed: str, start: int, end: int, word: str, whole: str, words: _Words) -> bool:
    """Whether a slip (offsets of the text without spaces) has its evidence: a word of ``alone``
    chars needs none; a shorter one is cut off right before an amount, or left out or moved (or
    changed, put in, in a word long enough) where the document writes it right or right before an
    amount, and stands apart on a side where the slip changed the word's two end chars (“执行单位”
    holds no slip of 行政单位)."""
    span = squeezed[start:end]
    if len(word) >= words.alone or span == word[:-1]:
        return True              # a long word, or one find_slips found cut before an amount
    slip = slip_of(span, word, words.optional, words.same)
    if slip == "changed" and len(word) < words.changes_from or slip == "added" and len(word) < words.adds_from:
        return False
    # a word left out of or moved in right before an amount: the amount is what it names
    if not slip or not (word in whole or slip in ("dropped", "moved") and squeezed[end:end + 1].isdigit()):
        return False
    # two chars swapped make no other word: only another slip needs the span to stand apart
    return slip == "moved" or ((span[:2] == word[:2] or _bounds(squeezed[max(0, start - 16):start][::-1], words, reverse=True))
            and (span[-2:] == word[-2:] or _bounds(squeezed[end:end + 16], words)))


def _bounds(beside: str, words: _Words, reverse: bool = False) -> bool:
    """Whether the chars beside a span (nearest first) end it: no Chinese char, a joint, or a
    word or name written right (“经费” before 预安排)."""
    if not beside or not _HAN.match(beside[0]) or beside[0] in words.joints:
        return True
    pieces = (beside[:n][::-1] if reverse else beside[:n] for n in range(2, len(beside) + 1))
    return any(piece in words.known for piece in pieces)


def _doubled(text: str, words: _Words) -> list[tuple[int, int, str]]:
    """A word led by two of its own inner chars (“情况决算情况说明”): (start, end, word)."""
    squeezed, gaps = _squeezed(text)
    found = []
    for run in _HAN.finditer(squeezed):
        for i in range(run.start() + 2, run.end() - 3):
            for length in words.starts.get(squeezed[i:i + 2], ()):
                word = squeezed[i:i + length] if i + length <= run.end() else ""
                # not its last two: “预算支出预算” is 一般公共预算 and 支出预算 (“情况决算情况说明” is a slip)
                if word in words.words and squeezed[i - 2:i] in {word[k:k + 2] for k in range(1, length - 2)}:
                    found.append((_original(gaps, i - 2), _original(gaps, i + length - 1) + 1, word))
    return found


def _heading_slips(text: str, words: _Words) -> list[tuple[int, int, str]]:
    """Lines that are a standard heading with one char lost or changed (“录” for 目录), not a
    heading spaced over two lines (“目” and “录”)."""
    found = []
    lines = text.split("\n")
    offset = 0
    bare = [_GAP.sub("", _MARKER.sub("", _GAP.sub("", line))) for line in lines]
    for n, line in enumerate(lines):
        here = bare[n]
        if here and _HAN.fullmatch(here) and len(here) <= 6 and here not in words.headings | words.words | words.known:
            before = next((b for b in reversed(bare[:n]) if b), "")
            after = next((b for b in bare[n + 1:] if b), "")
            for heading in sorted(words.headings):
                if _heading_slip(here, heading) and before + here != heading and here + after != heading:
                    start = offset + line.index(here[0])
                    found.append((start, offset + len(line.rstrip()), heading))
                    break
        offset += len(line) + 1
    return found


_LABEL = regex(r"^[\u4e00-\u9fff]{1,4}[:：]")     # a label before a line's content (“标题：”)
_LINE = regex(r"[\u4e00-\u9fff\d“”\"（）()]{6,40}")


def _line_slips(text: str, optional: str) -> list[tuple[int, int, str]]:
    """Lines written like another line of the document but for one Chinese char put in (a title
    repeated with “部” in it: “2022年度部单位决算公开报告” beside 2022年度单位决算公开报告); not a
    char doubled, nor one of ``optional``."""
    contents: dict[str, tuple[int, int]] = {}    # a line's content (spaces, number, label left out) → where
    offset = 0
    for line in text.split("\n"):
        bare = fold(_GAP.sub("", line))
        bare = _LABEL.sub("", _MARKER.sub("", bare), count=1)
        if _LINE.fullmatch(bare) and bare not in contents:
            # the content starts after as many chars (not spaces) of the line as were left out before it
            skip = len(_GAP.sub("", line)) - len(bare)
            start = next(i for i, c in enumerate(line) if not _GAP.match(c) and (skip := skip - 1) < 0)
            contents[bare] = (offset + start, offset + len(line.rstrip()))
        offset += len(line) + 1
    found = []
    for bare, (start, end) in contents.items():
        for k in range(1, len(bare) - 1):
            char = bare[k]
            shorter = bare[:k] + bare[k + 1:]
            if char == "年" and bare[k - 1].isdigit():
                continue  # the 年 of a year: the line without it is the one that lost a char
            if (_HAN.match(char) and char not in optional and char not in (bare[k - 1], bare[k + 1])
                    and shorter in contents):
                found.append((start, end, shorter))
                break
    return found


def _heading_slip(line: str, heading: str) -> bool:
    if len(line) + 1 == len(heading):
        return any(heading[:k] + heading[k + 1:] == line for k in range(len(heading)))
    return len(line) == len(heading) >= 4 and sum(a != b for a, b in zip(line, heading)) == 1


def _written(span: str, word: str, whole: str) -> int:
    """How often the document writes ``span`` other than inside ``word`` (资金安 in 资金安排)."""
    return whole.count(span) - (whole.count(word) * word.count(span) if span in word else 0)


def run(rule: Any, context: Any) -> list[Finding]:
    """Each slip of a word of the genre in the text, its asides and its tables' cells, and each
    heading line of the text and the asides one char off a standard heading."""
    words = _params(rule)
    pieces = [context.doc.text, *(aside.text for aside in context.asides),
              *(cell for table in context.tables for row in table.rows for cell in row.cells)]
    whole = _squeezed("\n".join(pieces))[0]     # the words the document writes right

    def once(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        # a slip is a one-off: what the document writes twice is its own wording (“2023年预算”)
        return sorted({(a, b, word) for a, b, word in found if _written(_GAP.sub("", fold(text[a:b])), word, whole) < 2})

    def spans(text: str) -> list[tuple[int, int, str]]:
        found = find_slips(text, words.vocabulary, words.alone,
                           lambda squeezed, start, end, word: _kept(squeezed, start, end, word, whole, words))
        return once(text, found + _doubled(text, words))

    word = str(rule.params.get("word_is", ""))
    findings = report(rule, context, spans, {}, why=word)
    text = context.doc.text
    for start, end, heading in once(text, _heading_slips(text, words)):
        findings.append(context.finding(rule, start, match=text[start:end], standard=heading, why=word))
    for start, end, line in _line_slips(text, words.optional):
        findings.append(context.finding(rule, start, match=_GAP.sub("", text[start:end]), standard=line,
                                        why=str(rule.params.get("line_is", ""))))
    for aside in context.asides:
        for start, end, heading in once(aside.text, _heading_slips(aside.text, words)):
            context.finding_at(rule, (aside, start), match=aside.text[start:end], standard=heading, why=word)
    # a heading that is also a word of the vocabulary is found both ways: one finding
    seen: set[tuple] = set()
    return [f for f in findings if (f.location, f.message) not in seen and not seen.add((f.location, f.message))]
