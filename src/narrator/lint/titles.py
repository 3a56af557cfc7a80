"""Title lines: headings, contents entries and table captions, as the contents and title kinds read them.

A title line is short and holds no sentence: “三、支出决算表”, “第一部分 部门概况 ……… 3”,
“五、政拨款支出决算明细表 PAGEREF _Toc1866 \\h 22”. It is read into its list marker (第一部分,
一、, （一）, 1.), its number and the title itself, without dot leaders, page numbers and Word field
codes. Title lines come from the text (any line that looks like one) and from the asides a reader
kept out of the text (a contents page, table captions).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..numbers import numeral_value
from ..caches.regexcache import regex

# a Word field code and everything after it on the line (the page number it shows)
# (each pattern starting with a run of spaces or stops starts it only where the run starts,
# the lookbehind: tried from every character of a long run it would be quadratic)
_FIELD = regex(r"(?<!\s)\s*(?:PAGEREF|HYPERLINK|\bTOC\s*\\|_Toc\d).*$")
_LEADER = regex(r"(?<!\s)\s*(?:[.．·•…]\s*){3,}.*$|(?<!\s)\s*[-—_]{4,}.*$")
# a page number after a space, or glued to a title's last word (“……情况说明7”, “一、部门职责3”: the
# space went)
_PAGE = regex(r"(?:(?<!\s)\s+|(?<=[\u4e00-\u9fff]))\d{1,3}\s*$")
_END = regex(r"(?<![；;。，,、：:\s])[；;。，,、：:\s]+$")
_PROSE = regex(r"[。；;！？!?，,]")
_MARKER = regex(
    r"^(?:#+\s*)?(?:第(?P<part>[一二三四五六七八九十]+|\d+)部分"
    r"|(?P<section>[一二三四五六七八九十]+)\s*[、．.]"
    r"|[（(](?P<sub>[一二三四五六七八九十]+)[)）]"
    r"|(?P<item>\d{1,2})\s*(?:[、．]|\.(?!\d))|[（(](?P<item2>\d{1,2})[)）])\s*")
_HEAD_END = regex(r"[。；;！？!?，,：:]|\s{2,}")
LONGEST = 40               # chars of the longest title


class TitleLine(NamedTuple):
    """One title line: where it is, its marker and its title (``title`` starts at ``raw[start]``).

    (A NamedTuple, not a frozen dataclass: making that class cost every cold lint ~1.3 ms.)"""

    raw: str
    start: int
    title: str
    level: str                  # part | section | subsection | item | ""
    number: int | None
    role: str                   # text | contents | caption
    base: Any                   # the text offset of ``raw[0]``, or the aside

    @property
    def marker(self) -> str:
        """The marker as written (“三、”, “第一部分”), or ""."""
        return self.raw[:self.start].strip()

    def at(self, index: int = 0) -> "int | tuple[Any, int]":
        """The spot of ``raw[index]`` (see ``Context.finding_at``)."""
        return self.base + index if isinstance(self.base, int) else (self.base, index)

    @property
    def spot(self) -> "int | tuple[Any, int]":
        """The spot of the line's first printed char."""
        return self.at(len(self.raw) - len(self.raw.lstrip()))

    @property
    def shown(self) -> str:
        """The entry as a message quotes it: marker and title."""
        return f"{self.marker}{self.title}" if self.level != "part" else f"{self.marker} {self.title}".strip()


def clean(text: str) -> str:
    """A line without field codes, dot leaders, a trailing page number and end punctuation."""
    text = _FIELD.sub("", text)
    text = _LEADER.sub("", text)
    text = _PAGE.sub("", text)
    return _END.sub("", text)


def read_title(raw: str, role: str, base: Any, running: bool = False, longest: int = LONGEST) -> TitleLine | None:
    """The title line ``raw`` is, or None when it is prose (or empty, or too long).

    ``running``: the title may run on into text (a body heading “一、收入预算情况：本年……”); it is
    then cut at the first punctuation, and the line need not be short.
    """
    text = clean(raw)
    lead = len(text) - len(text.lstrip(" \t\u3000"))
    match = _MARKER.match(text, lead)
    level, number, start = "", None, lead
    if match:
        start = match.end()
        for name in ("part", "section", "sub", "item", "item2"):
            if match.group(name):
                level = {"sub": "subsection", "item2": "item"}.get(name, name)
                value = match.group(name)
                number = numeral_value(value)
                break
    title = text[start:].strip(" \t\u3000")
    lead_marks = len(title) - len(title.lstrip(":：、.． \t\u3000"))
    title, start = title[lead_marks:], start + lead_marks
    if running:
        cut = _HEAD_END.search(title)
        title = title[:cut.start()] if cut else title
    elif _PROSE.search(title) or len(title) > longest:
        return None
    if not title:
        return None
    return TitleLine(raw, start + (len(text[start:]) - len(text[start:].lstrip(" \t\u3000"))), title, level,
                     number, role, base)


def text_titles(context: Any, running: bool = False) -> list[TitleLine]:
    """The title lines of the text, in order."""
    found = []
    for line in context.doc.lines:
        title = read_title(line.text, "text", line.start, running)
        if title is not None:
            found.append(title)
    return found


def aside_titles(context: Any, roles: tuple[str, ...] = ("contents", "caption")) -> list[TitleLine]:
    """The title lines among the lines kept out of the text."""
    found = []
    for aside in context.asides:
        if aside.role in roles:
            title = read_title(aside.text, aside.role, aside)
            if title is not None:
                found.append(title)
    return found


_YEAR = regex(r"(?:19|20)\d{2}\s*年度?")
_LOOSE = regex(r"[\s\"“”'‘’()（）〈〉<>《》【】\[\]]")


def loose(title: str, variants: tuple[str, ...] = ()) -> str:
    """A title compared loosely: no spaces, quotes or brackets, nothing before its year, none of
    ``variants`` (words whose presence is a region's wording: 情况, 总, 明细 …)."""
    parts = _YEAR.split(title)
    text = _LOOSE.sub("", parts[-1] if parts[-1].strip() else title)
    for word in variants:
        text = text.replace(word, "")
    return text
