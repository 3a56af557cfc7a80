"""Source lines: the lines of a document as printed, with what is known of their place on the page.

Every reader (PDF, text) turns its file into :class:`SourceLine` objects; the later steps mark
their role (body, table row, caption, furniture, contents) and join body lines into paragraphs.
This module also holds the patterns those steps share: sentence ends, headings and list items,
amounts and codes, page numbers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# a line ending in one of these ends a sentence: it never wraps on. ；and ： are not among them:
# a full line ending in them goes on (“…，占71.73%；” then “卫生健康支出…”); a list announced
# by ： starts with an item mark on the next line, which stops the join by itself
SENTENCE_END = tuple("。！？…!?") + ("……",)
# inside a line, these mark running prose (not a table row); ',' only when not inside a number
_PROSE_MARK = re.compile(r"[。；！？，;!?]|,(?!\d{3}(?:\D|$))|(?<!\d),")
# a line starting with one of these starts a heading or a list item: it never continues a paragraph
HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十]+[）)]|[（(]\d{1,2}[）)]"
    r"|\d{1,2}(?:[、．]|\.(?!\d))|第[一二三四五六七八九十\d]+[部分章节条篇]|[①-⑳]|附件|附表|注[:：])"
)
AMOUNT = re.compile(r"^[-−–—]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
CODE = re.compile(r"^\d{3}(?:\s?\d{2}){0,3}$")
PLACEHOLDER = re.compile(r"^[-−–—/／*＊]+$")
UNIT = re.compile(r"(?:金[额額])?[单單]位[:：]\s*(千?[万萬]?[亿億]?元)")    # 單位:萬元 in a traditional text
META = re.compile(r"^\s*(?:编制(?:部门|单位)|部门(?:名称)?|(?:金额)?单位|填报(?:部门|单位))[:：]")
CAPTION = re.compile(r"表\s*(?:[（(]续(?:表)?[）)]|续表?)?\s*$")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－_]+\s*\d{1,4}\s*[-—–－_]+|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4})\s*$"
)
_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_LEADER = re.compile(r"(?:[.．·•…]\s*){4,}\s*\d*\s*$|…{2,}\s*\d+\s*$|\.{6,}")
_ELLIPSIS = re.compile(r"…{2,}")   # leaders inside a line; in prose, an omission (“第三十五条“……省、自治区……”)
_CONTENTS = re.compile(r"^\s*目\s*录\s*$")
_PAGE_MARK = re.compile(r"^\s*[-=—]{2,}\s*(?:page|Page|第)\s*\d+\s*页?[^-=—]*[-=—]{2,}\s*$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class SourceLine:
    """One line as printed: its text, where it is, and (for PDF) the x extent of every char.

    ``page`` goes into locations (0 for unpaged files); ``sheet`` groups the lines of one page
    (text files split at form feeds).  Geometry is in points for PDF; for text files ``left`` and
    ``right`` are display widths (a CJK char counts 2) and ``em`` is 2.
    """

    page: int
    number: int
    text: str
    sheet: int = 0
    frame: int = 0               # lines of the same frame (page size) share margins
    left: float = 0.0
    right: float = 0.0
    top: float = 0.0
    em: float = 2.0
    spans: dict[int, tuple[float, float]] | None = None   # PDF: x extent of the chars read, by index
    role: str = "body"           # body | blank | table | caption | furniture | contents
    cells: list[tuple[str, int]] = field(default_factory=list)   # (text, 1-based column)

    @property
    def stripped(self) -> str:
        return self.text.strip(" \t\u3000\u00a0")


def display_width(text: str) -> int:
    """Width of text in half-width cells: wide (CJK, full-width) chars count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence (so it does not wrap on); '.' only when not after a digit."""
    text = text.rstrip(" \t\u3000")
    if text.endswith(SENTENCE_END):
        return True
    return text.endswith(".") and not (len(text) > 1 and text[-2].isdigit())


def starts_heading(text: str) -> bool:
    """Whether a line starts a heading or a list item."""
    return bool(HEADING_START.match(text))


def has_prose(text: str) -> bool:
    """Whether a line holds sentence punctuation (so it is prose, not a table row)."""
    return bool(_PROSE_MARK.search(text))


def is_numeric_cell(cell: str) -> bool:
    """An amount, a percentage, a classification code or a placeholder dash."""
    cell = cell.strip()
    return bool(AMOUNT.match(cell) or CODE.match(cell) or PLACEHOLDER.match(cell))


def is_page_number(text: str, bare: bool = True) -> bool:
    """“- 3 -”, “第 3 页”, “第3页 共20页”, “3/20”, “Page 3”; a bare “3” only when ``bare``."""
    if not bare and _BARE_NUMBER.match(text):
        return False
    return bool(_PAGE_NUMBER.match(text))


def is_contents(text: str) -> bool:
    """A table-of-contents line: dot leaders (“……… 5”) or the heading 目录 itself."""
    return bool(_LEADER.search(text) or _CONTENTS.match(text) or (_ELLIPSIS.search(text) and not has_prose(text)))


def is_page_mark(text: str) -> bool:
    """A page separator written into a text file (“--- page 3 ---”, “==== 第3页 ====”)."""
    return bool(_PAGE_MARK.match(text))


def is_cjk(ch: str) -> bool:
    """A CJK ideograph."""
    return bool(_CJK.match(ch))
