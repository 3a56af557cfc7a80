"""contents: the table of contents (目录) against the document's own headings.

The contents are a contents page the reader kept out of the text (asides), or a run of title lines
in the text that ends where its first entry's number comes round again (“第一部分 …” listed, then
the body's “第一部分 …”). Parameter ``check``:

- ``heading``: an entry named otherwise than the body heading with the same place in the
  numbering (“一、部门主要职能” listed, “一、部门主要职责” in the body): reported at the entry.
  Only names alike enough (``likeness``, default 0.5) are compared: a body with another
  structure altogether is not a misnamed entry; ``ignore_words`` (的, 情况) do not count.
  Reported at the body heading, naming the contents line, and with ``report: [heading, entry]``
  at the contents line too, naming the heading. Also a first entry (“（一）部门职责”)
  that the body numbers in another style (“1.部门主要职能” right after the parent heading).
- ``duplicate``: an entry listed twice under one part (compared without ``ignore_words``,
  quotes and brackets: “（三公）经费支出表” and “‘三公’经费支出情况表” are one table).
- ``numbering``: an entry without a number among numbered ones (in contents divided into parts);
  on a contents page kept out of the text also numbers out of order, 一、 and （一） alike (in the
  text the section- and subsection-numbering rules already see them).
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding
from ...numbers import chinese_numeral
from ...caches.regexcache import regex
from ..titles import TitleLine, aside_titles, loose, read_title

_LONGEST_ENTRY = 90        # contents entries run together on one line are still entries
_SHORTEST_BLOCK = 3        # title lines in a row before they can be the contents
_TITLE_END = regex(r"(?:表|说明|情况|概况|解释)$")    # an unnumbered entry that is a title, not a note
_BARE_PART = regex(r"^\s*第([一二三四五六七八九十]+)部分\s*$")


#: The longest end of an entry wrapped on to a line of its own (“表”, “情况说明”).
_WRAPPED_END = 6


def contents_blocks(context: Any) -> tuple[list[list[TitleLine]], set[int]]:
    """The contents blocks (entries in order), and the text lines (numbers) that are contents.

    Found once per text (``context.views``): the three contents rules read the same blocks."""
    if "contents" not in context.views:
        context.views["contents"] = _contents_blocks(context)
    return context.views["contents"]


def _contents_blocks(context: Any) -> tuple[list[list[TitleLine]], set[int]]:
    blocks = []
    aside = [t for t in aside_titles(context, ("contents",)) if loose(t.title) != "目录"]
    if aside:
        blocks.append(aside)
    lines = [line for line in context.doc.lines if line.text.strip()]
    titles = [read_title(line.text, "text", line.start, longest=_LONGEST_ENTRY) for line in lines]
    titled = set()    # lines that are the title of a bare “第三部分” on the line before
    for at in range(len(lines) - 1):
        following = titles[at + 1]
        if titles[at] is None and (following is None or following.level == "") and _BARE_PART.match(lines[at].text):
            # “第三部分” and its title on the next line: one part entry (or heading)
            joined = f"{lines[at].text.strip()} {lines[at + 1].text.strip()}"
            titles[at] = read_title(joined, "text", lines[at].start + len(lines[at].text) - len(lines[at].text.lstrip()),
                                    longest=_LONGEST_ENTRY * 2)
            titled.add(at + 1)
    taken: set[int] = set()
    index = 0
    while index < len(lines):
        first = titles[index]
        end = None
        if first is not None and first.level in ("part", "section"):
            for later in range(index + 1, len(lines)):
                title = titles[later]
                if later in titled:
                    continue  # the title of the part entry on the line before
                if title is None:
                    # the body's part heading alone on its line (“第一部分”, its title on the next)
                    bare = _BARE_PART.match(lines[later].text)
                    if first.level == "part" and bare and bare.group(1) == chinese_numeral(first.number or 0):
                        end = later
                    elif len(loose(lines[later].text)) <= _WRAPPED_END and titles[later - 1] is not None:
                        continue  # the end of the entry before, wrapped on to its own line (“……决算\n表”)
                    break
                if title.level == first.level and title.number == first.number:
                    end = later
                    break
        if end is not None and first.level == "section" and any(
                t is not None and t.level == "part" for t in titles[index + 1:end]):
            end = None  # “二、” again after a part's title: the next part's list, not a contents page
        if end is not None and end - index >= _SHORTEST_BLOCK:
            block = [t for at, t in enumerate(titles[index:end], index)
                     if t is not None and at not in titled and loose(t.title) != "目录"]
            blocks.append(block)
            taken.update(line.number for line in lines[index:end])
            index = end
        else:
            index += 1
    return blocks, taken


def _keyed(titles: list[TitleLine]) -> list[tuple[tuple | None, TitleLine]]:
    """Each title with its place in the numbering: (part,), (part, section), (part, section, sub)."""
    part = section = None
    keyed = []
    for title in titles:
        key = None
        if title.level == "part":
            part, section, key = title.number, None, ("part", title.number)
        elif title.level == "section":
            section, key = title.number, ("section", part, title.number)
        elif title.level == "subsection":
            key = ("subsection", part, section, title.number)
        keyed.append((key, title))
    return keyed


def _headings(context: Any, taken: set[int]) -> dict[tuple, TitleLine]:
    """The body's headings (lines outside the contents) by place in the numbering, the first of each."""
    body = []
    for line in context.doc.lines:
        if line.number in taken or not line.text.strip():
            continue
        title = read_title(line.text, "text", line.start, running=True)
        if title is not None and title.level in ("part", "section", "subsection"):
            body.append(title)
    found: dict[tuple, TitleLine] = {}
    for key, title in _keyed(body):
        if key is not None and key not in found:
            found[key] = title
    return found


def run(rule: Any, context: Any) -> list[Finding]:
    """The contents entries that disagree with the headings, repeat, or break the numbering."""
    blocks, taken = contents_blocks(context)
    check = rule.params.get("check", "heading")
    found: list[Finding | None] = []
    for block in blocks:
        if check == "heading":
            found += _check_headings(rule, context, block, taken)
        elif check == "duplicate":
            found += _check_duplicates(rule, context, block)
        else:
            found += _check_numbers(rule, context, block)
    return [f for f in found if f is not None]


def _check_headings(rule: Any, context: Any, block: list[TitleLine], taken: set[int]) -> list:
    headings = _headings(context, taken)
    ignore = tuple(str(word) for word in rule.params.get("ignore_words") or [])
    likeness = float(rule.params.get("likeness", 0.5))
    framing = tuple(str(word) for word in rule.params.get("framing_words") or [])
    findings = []
    for key, entry in _keyed(block):
        heading = headings.get(key) if key is not None else None
        if heading is None:
            if key is not None and key[0] != "part":
                findings += _lost_number(rule, context, entry, taken)
            continue
        listed, written = loose(entry.title, ignore), loose(heading.title, ignore)
        if not listed or not written or _same_words(listed, written, framing):
            continue  # the same words, one cut off or framed (“关于收支总表的说明”)
        if _kind(listed) != _kind(written):
            continue  # the contents name the explanation of a table, the body the table itself
        import difflib  # only for a misnamed-looking entry: most texts never get here

        if difflib.SequenceMatcher(None, listed, written[:len(listed) + 2]).ratio() < likeness:
            continue  # another structure, not a misnamed entry
        findings += _both_ends(rule, context, entry, heading.spot, heading.shown)
    return findings + _other_markers(rule, context, block, headings)


def _lost_number(rule: Any, context: Any, entry: TitleLine, taken: set[int]) -> list:
    """The body's title that is the entry's title without its number (“部门主要职能” for the entry
    “一、部门主要职能”): a whole line of its own, the first after the contents."""
    title = entry.title.strip()
    if len(title) < 4:
        return []
    lines = [line for line in context.doc.lines if line.text.strip()]
    for at, line in enumerate(lines):
        if line.number not in taken and line.text.strip() == title:
            following = read_title(lines[at + 1].text, "text", lines[at + 1].start) if at + 1 < len(lines) else None
            if following is not None and following.level == entry.level:
                return []  # a page's title over sections numbered anew (Shanghai's “其他相关情况说明”)
            spot = line.start + len(line.text) - len(line.text.lstrip())
            return _both_ends(rule, context, entry, spot, title)
    return []


def _same_words(listed: str, written: str, framing: tuple[str, ...]) -> bool:
    """Whether an entry and its heading say the same: one is the other cut off (a line too long for
    the contents page) or the other framed by words such as 关于……说明; a word more in front
    (“单位主要职能” for “主要职能”) is a difference."""
    shorter, longer = sorted((listed, written), key=len)
    if shorter not in longer:
        return False
    if longer.startswith(shorter):
        return True
    rest = longer.replace(shorter, "", 1)
    for word in framing:
        rest = rest.replace(word, "")
    return not rest


def _both_ends(rule: Any, context: Any, entry: TitleLine, spot: Any, heading: str) -> list:
    """The disagreement reported where ``report`` says: at the body heading, naming the contents
    line, and (``entry``) at the contents line, naming the heading. Which of the two is wrong the
    text does not say; reviewers mark either, so both ends carry the finding by default."""
    places = rule.params.get("report") or ["heading"]
    found = []
    if "heading" in places:
        found.append(context.finding_at(rule, spot, here="正文标题", written=heading, there="目录中的",
                                        other=entry.shown, where=context.name_line(entry.spot),
                                        entry=entry.shown, heading=heading))
    if "entry" in places:
        found.append(context.finding_at(rule, entry.spot, here="目录中的", written=entry.shown, there="正文标题",
                                        other=heading, where=context.name_line(spot),
                                        entry=entry.shown, heading=heading))
    return found


_OTHER_MARK = regex(r"^\s*1\s*[.、．](?!\d)\s*\S")
_SENTENCE_END = regex(r"[。；;，,]")


def _other_markers(rule: Any, context: Any, block: list[TitleLine], headings: dict[tuple, TitleLine]) -> list:
    """A first entry (“（一）部门职责”) the body numbers in another style: the body has no heading at
    its place, and the line right after its parent heading is a short “1.部门主要职能”."""
    findings = []
    for key, entry in _keyed(block):
        if key is None or key[0] == "part" or entry.number != 1 or key in headings:
            continue
        parent = headings.get(("part", key[1]) if key[0] == "section" else ("section",) + key[1:3])
        if parent is None or not isinstance(parent.spot, int):
            continue
        lines = context.doc.lines
        index = context.doc.position(parent.spot)[0]          # the line after the parent heading
        following = next((line for line in lines[index:] if line.text.strip()), None)
        if following is None or not _OTHER_MARK.match(following.text) or _SENTENCE_END.search(following.text) \
                or len(following.text.strip()) > _LONGEST_ENTRY // 2:
            continue
        start = following.start + len(following.text) - len(following.text.lstrip())
        # another numbering style under the heading is a judgement on the body: reported there only
        findings.append(context.finding_at(rule, start, here="正文标题", written=following.text.strip(),
                                           there="目录中的", other=entry.shown, where=context.name_line(entry.spot),
                                           entry=entry.shown, heading=following.text.strip()))
    return findings


def _kind(title: str) -> str:
    """What a title names: a table, an explanation, or (“”) a part or section."""
    return "table" if title.endswith("表") else "explanation" if title.endswith("说明") else ""


def _parent(key: tuple | None, current: tuple) -> tuple:
    return key[:-1] if key is not None and key[0] != "part" else current


def _check_duplicates(rule: Any, context: Any, block: list[TitleLine]) -> list:
    ignore = tuple(str(word) for word in rule.params.get("ignore_words") or [])
    seen: dict[tuple, TitleLine] = {}
    parent: tuple = ()
    findings = []
    for key, entry in _keyed(block):
        if key is not None and key[0] == "part":
            parent = key
            continue
        parent = _parent(key, parent) if key is not None else parent
        name = loose(entry.title, ignore)
        if len(name) < 2:
            continue
        first = seen.get((parent, name))
        if first is None:
            seen[(parent, name)] = entry
            continue
        findings.append(context.finding_at(rule, entry.spot, entry=entry.shown, first=first.shown,
                                           where=context.name_line(first.spot)))
    return findings


def _check_numbers(rule: Any, context: Any, block: list[TitleLine]) -> list:
    parts = any(title.level == "part" for title in block)   # sections are checked in contents with parts
    findings = []
    expected: int | None = None
    expected_sub = 1              # the next “（N）” under the current section
    previous: TitleLine | None = None
    for title in block:
        if title.level in ("part", "section"):
            expected_sub = 1
        if title.level == "part":
            expected = None
        elif title.level == "subsection":
            # “（六）……”, then “（八）……” on the next line of a contents page: （七） is lost
            if title.role != "text" and title.number is not None and title.number != expected_sub \
                    and previous is not None and _next_line(previous, title):
                findings.append(context.finding_at(rule, title.spot, entry=title.shown,
                                                   expected=f"（{chinese_numeral(expected_sub)}）"))
            expected_sub = (title.number or 0) + 1
        elif title.level == "section" and parts:
            if title.role != "text" and title.number != (expected or 1) and _next_line(previous, title):
                findings.append(context.finding_at(rule, title.spot, entry=title.shown,
                                                   expected=chinese_numeral(expected or 1) + "、"))
            expected = (title.number or 0) + 1
        elif title.level == "" and parts and expected is not None and len(loose(title.title)) >= 4 \
                and _TITLE_END.search(title.title) and not _wrapped(previous, title):
            findings.append(context.finding_at(rule, title.spot, entry=title.shown,
                                               expected=chinese_numeral(expected) + "、"))
            expected += 1
        previous = title
    return findings


def _next_line(previous: TitleLine | None, title: TitleLine) -> bool:
    """Whether an aside entry is on the line after the one before it (or at the top of the next
    page): where lines between were not read as contents, a number skipped may be among them."""
    if previous is None or isinstance(previous.base, int) or isinstance(title.base, int):
        return previous is None
    before, here = previous.base.location, title.base.location
    return here.page == before.page and here.line == before.line + 1 or here.page == before.page + 1


def _wrapped(previous: TitleLine | None, title: TitleLine) -> bool:
    """Whether an unnumbered entry is the end of the entry before, wrapped on to its own line
    (“五、一般公共预算财政拨款“三公”经费支出决算 / 情况说明”)."""
    return previous is not None and previous.level == "section" and not _TITLE_END.search(previous.title) \
        and len(loose(title.title)) <= 6
