"""A 第三部分 text as lint sees it: lines, sections, paragraphs, clauses and numbers.

Every number with a unit (万元、元、%、辆、台、个、人、平方米) and every year (“2025 年”) becomes a
:class:`Token` with a *key*: the section it is in, the subject it is said of and the relation
in front of it. In “一般公共预算 214.20 万元，占 96.39%，比上年预算减少 40.65 万元，下降
15.95%” the subject of all four numbers is 一般公共预算; their relations are (none), 占,
比上年预算± and ± — direction words are replaced by ± so that a wrong direction word still
finds its number. A human text and the text rendered from the figures are keyed the same way,
so a number in one is compared with the number at the same key in the other.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from functools import cache, cached_property
from typing import NamedTuple

from ..caches.regexcache import regex
from ..text.wording import wording

CJK = "\u4e00-\u9fff"
HAS_CJK = regex(f"[{CJK}]")
# headings start the line (an indented “二、外交支出” is a cell of a table copied from a PDF)
_PART = regex(r"^(?:#+\s*)?第[一二三四五六七八九十]+部分")
_SECTION = regex(r"^(?:#+\s*)?([一二三四五六七八九十]+)、")
_SUBSECTION = regex(r"^(?:#+\s*)?[（(]([一二三四五六七八九十]+)[)）]")
_BULLET = regex(r"^\s*(?:[-*+]\s+)?")
_LIST_MARK = regex(r"^\s*(?:[-*+]\s+)?(?:(?:\d+\s*[、.．](?!\d)|[（(]\d+[)）])\s*)?")
_CLAUSE_BREAK = regex(r"[，,；;。：:！？!?\n]")
NUMBER = regex(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万元|元|%|％|平方米|辆|台|个|人)")
YEAR = regex(r"(?<![\d.〔\[])((?:19|20)\d{2})\s*年")
_SPACES = regex(r"\s+")
_HEADING_MARK = regex(r"^\s*#+\s*")


@cache
def _direction_words() -> dict[str, str]:
    return {word: sign for sign, words in wording()["direction"].items() for word in words}


@cache
def relation_pattern() -> re.Pattern:
    """The relation words (占、比上年增加、预算数为 …) that may end the text before a number."""
    directions = "|".join(sorted(_direction_words(), key=len, reverse=True))
    relations = "|".join(sorted(map(re.escape, wording()["relations"]), key=len, reverse=True))
    return regex(f"(?:(?:比|较|与|同比).*?)?(?:{directions})$|(?:{relations})$")


@cache
def _directions_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_direction_words(), key=len, reverse=True))


def direction_sign(word: str | None) -> str | None:
    """up / down / same for a direction word, None for anything else."""
    return _direction_words().get(word or "")


def normalize(text: str) -> str:
    """Text for comparing labels: no spaces, full-width brackets, no years."""
    text = YEAR.sub("#年", _HEADING_MARK.sub("", text))
    text = _SPACES.sub("", text).replace("(", "（").replace(")", "）").replace("|", "")
    return text.strip("：:，,、")


class Token(NamedTuple):
    """A number in the text with its key (a NamedTuple, as :class:`Line`: making a dataclass
    class costs every cold lint ~1 ms)."""

    kind: str                   # amount | percent | count | year
    value: Decimal
    text: str                   # as written, e.g. “214.20 万元”
    unit: str
    start: int                  # offset in the document
    end: int
    line: int
    column: int
    section: tuple[str, str]
    subject: str
    role: str
    direction: str | None = None    # the direction word in front of it
    direction_at: int = -1
    occurrence: int = 0

    @property
    def key(self) -> tuple:
        return (self.section, self.subject, self.role, self.kind, self.occurrence)

    @property
    def loose_key(self) -> tuple:
        return (self.subject, self.role, self.kind)


class Line(NamedTuple):
    """One line of the document with its offset and the section it is in."""

    number: int
    start: int
    text: str
    section: tuple[str, str]
    heading: str = ""           # part | section | subsection | ""


class Document:
    """A text split into lines, with every number token keyed (a plain class: making a dataclass
    costs every cold lint ~0.5 ms)."""

    def __init__(self, path: str, text: str, lines: list[Line] | None = None, tokens: list[Token] | None = None,
                 year: int | None = None) -> None:
        self.path = path
        self.text = text
        self.lines: list[Line] = [] if lines is None else lines
        self.tokens: list[Token] = [] if tokens is None else tokens
        self.year = year

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        starts = self.starts
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        return index + 1, offset - starts[index] + 1

    @cached_property
    def starts(self) -> list[int]:
        """The offset where each line starts."""
        return [line.start for line in self.lines]

    @cached_property
    def kind(self) -> str:
        """What the document is, found once (:func:`document_kind`: several rules ask)."""
        return _document_kind(self)

    def to_plain(self) -> tuple:
        """The parsed document as plain data ``marshal`` keeps (each value as its text)."""
        return (self.path, self.text, tuple(tuple(line) for line in self.lines),
                tuple((*token[:1], str(token.value), *token[2:]) for token in self.tokens), self.year)

    @classmethod
    def from_plain(cls, plain: tuple) -> "Document":
        """The document :meth:`to_plain` gave (raises TypeError or ValueError on anything else)."""
        path, text, lines, tokens, year = plain
        return cls(path, text, [Line(*line) for line in lines],
                   [Token(kind, Decimal(value), *rest) for kind, value, *rest in tokens], year)


def _value(digits: str, fraction: str | None, unit: str) -> tuple[str, Decimal]:
    value = Decimal(digits.replace(",", "") + (fraction or ""))
    if unit == "元":
        return "amount", value / 10000
    if unit == "万元":
        return "amount", value
    if unit in ("%", "％"):
        return "percent", value
    return "count:" + unit, value


def parse(text: str, path: str) -> Document:
    """Split ``text`` into lines and key every number and year in it."""
    doc = Document(path, text)
    section, subsection = "", ""
    offset = 0
    for number, raw in enumerate(text.split("\n"), 1):
        heading = ""
        if _PART.match(raw):
            heading = "part"        # “第二部分 …”: a new part numbers its sections and subsections anew
        elif match := _SECTION.match(raw):
            section, subsection, heading = match.group(1), "", "section"
        elif match := _SUBSECTION.match(raw):
            subsection, heading = match.group(1), "subsection"
        doc.lines.append(Line(number, offset, raw, (section, subsection), heading))
        offset += len(raw) + 1
    seen: dict[tuple, int] = {}
    for line in doc.lines:
        _key_line(doc, line, seen)
    doc.year = _document_year(doc)
    return doc


def _key_line(doc: Document, line: Line, seen: dict[tuple, int]) -> None:
    raw = line.text
    body_start = _LIST_MARK.match(raw).end() if not line.heading else 0
    if line.heading == "section":
        body_start = _SECTION.match(raw).end()
    elif line.heading == "subsection":
        body_start = _SUBSECTION.match(raw).end()
    found = [(m, "year") for m in YEAR.finditer(raw)] + [(m, "number") for m in NUMBER.finditer(raw)]
    found.sort(key=lambda pair: pair[0].start())
    subject = ""
    clause_start = body_start
    previous_end = body_start
    cursor = body_start
    for match, what in found:
        if match.start() < body_start:
            continue
        breaks = list(_CLAUSE_BREAK.finditer(raw, cursor, match.start()))
        if breaks:
            # clauses without numbers in between still name the subject (“……（项）：”)
            for brk in breaks:
                label = normalize(raw[max(clause_start, previous_end):brk.start()])
                if label and not relation_pattern().search(label) and HAS_CJK.search(label):
                    subject = label
                clause_start = brk.end()
            previous_end = clause_start
        cursor = match.end()
        label_raw = raw[max(previous_end, clause_start):match.start()]
        previous_end = match.end()
        if what == "year":
            clause_end = _CLAUSE_BREAK.search(raw, match.end())
            context = normalize(raw[clause_start:clause_end.start() if clause_end else len(raw)])
            kind, value, role, direction, direction_at = "year", Decimal(match.group(1)), context, None, -1
            unit = "年"
        else:
            kind, value = _value(match.group(1), match.group(2), match.group(3))
            unit = match.group(3)
            label = normalize(label_raw)
            relation = relation_pattern().search(label)
            name = label[:relation.start()] if relation else label
            rel = relation.group() if relation else ""
            direction, direction_at = None, -1
            for word in _directions_longest_first():
                if rel.endswith(word):
                    direction = word
                    direction_at = line.start + raw.rfind(word, 0, match.start())
                    rel = rel[: -len(word)] + "±"
                    break
            if HAS_CJK.search(name):
                subject = name
            role = rel
        start = line.start + match.start()
        key = (line.section, subject, role, kind)      # the token's key but its occurrence
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        doc.tokens.append(Token(kind, value, match.group(), unit, start,
                                line.start + match.end(), line.number, match.start() + 1, line.section,
                                subject, role, direction, direction_at, occurrence))


_COMPARED_WITH = regex(r"(?:比|较|与|同)\s*$")


def _document_year(doc: Document) -> int | None:
    """The budget year named in the title (the first year in the first lines).

    A year compared with (“较 2022 年度决算数”: an excerpt with no title starts mid-text) is the
    other year of a comparison, never the document's own.
    """
    for line in doc.lines[:5]:
        for match in YEAR.finditer(line.text):
            if not _COMPARED_WITH.search(line.text[max(0, match.start() - 3):match.start()]):
                return int(match.group(1))
    return None


def title_line(doc: Document) -> int:
    """The number of the first line with text (0 for an empty document)."""
    return next((line.number for line in doc.lines if line.text.strip()), 0)


def title_text(doc: Document) -> str:
    """The line the document's year was taken from (the title), or the first line."""
    for line in doc.lines[:5]:
        if any(not _COMPARED_WITH.search(line.text[max(0, m.start() - 3):m.start()]) for m in YEAR.finditer(line.text)):
            return line.text
    return doc.lines[title_line(doc) - 1].text if title_line(doc) else ""


_FUND_NAMES = regex(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算|预决算")


def document_kind(doc: Document) -> str:
    """``final-accounts`` when the title names a 决算, else ``budget`` (see :func:`_document_kind`)."""
    return doc.kind


def _document_kind(doc: Document) -> str:
    """``final-accounts`` when the title names a 决算, else ``budget``.

    A title that names neither (“二、2021年度一般公共预算财政拨款“三公”经费支出情况说明”: its 预算
    is a fund's name) leaves it to the first of the next lines that names one; a text whose opening
    names neither (a web page's date and source line, then “一、……概况”) to the word it uses more."""
    title = title_text(doc)
    for text in [title, *(line.text for line in doc.lines[:5])]:
        bare = _FUND_NAMES.sub("", text)
        if "决算" in bare:
            return "final-accounts"
        if "预算" in bare:
            return "budget"
    whole = _FUND_NAMES.sub("", doc.text)
    return "final-accounts" if whole.count("决算") > whole.count("预算") else "budget"
