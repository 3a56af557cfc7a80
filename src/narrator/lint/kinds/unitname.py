"""unit-name: the department named in the body otherwise than in its title.

The title names the unit (“某县林业和草原局2024年部门预算说明”). A name in the body under the same
place (某县) with the same last character that is a shortened or lengthened form of it — its
characters in order within the title's name, or the title's within it (“某县林业局”) — is
last year's name left in, or a slip: the unit is one body and has one name. Names of other units
under the place (某县财政局) share no such form and are not reported; nor is a former name said
as one (“原某县林业局”).

Parameters: ``suffixes``: the endings of a unit's name (局, 委员会, 中心 …); ``title_words``: words
after the unit's name in a title (部门, 预算, 决算 …), where the name ends; ``not_in_name``: words
that make a span a sentence about the unit, not its name (作为, 属于 …).
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import Finding
from ..document import title_line, title_text
from ...caches.regexcache import regex

_PLACE = regex(r"^(?:[\u4e00-\u9fff]{1,7}?[省市州盟])?(?:[\u4e00-\u9fff]{1,7}?[县区旗市])")
_YEAR = regex(r"(?:19|20)\d{2}\s*年度?")


def _in_order(short: str, long: str) -> bool:
    """Whether the characters of ``short`` appear in ``long`` in order."""
    rest = iter(long)
    return all(char in rest for char in short)


def unit_of(title: str, suffixes: list[str], words: list[str]) -> str:
    """The unit's name in a title: the text before the first title word, ending with a suffix."""
    text = _YEAR.sub(" ", re.sub(r"\s+", "", title))
    cut = min((i for i in (text.find(w) for w in words) if i > 0), default=len(text))
    head = text[:cut].strip()
    head = head.split(" ")[-1] if " " in head else head
    return head if any(head.endswith(s) for s in suffixes) and len(head) >= 4 else ""


def run(rule: Any, context: Any) -> list[Finding]:
    """Names of the unit that differ from the title's."""
    suffixes = [str(s) for s in rule.params.get("suffixes") or ["局"]]
    words = [str(w) for w in rule.params.get("title_words") or ["部门", "单位"]]
    verbs = tuple(str(w) for w in rule.params.get("not_in_name") or ())
    doc = context.doc
    unit = unit_of(title_text(doc), suffixes, words)
    place = _PLACE.match(unit)
    if not unit or place is None or len(place.group()) >= len(unit) - 1:
        return []
    longest_first = sorted(suffixes, key=len, reverse=True)
    ending = "|".join(re.escape(s) for s in longest_first)
    names = re.compile(re.escape(place.group()) + f"[\u4e00-\u9fff]{{1,12}}?(?:{ending})")
    # the name without its place, as the body often writes it (“长均乡中心学校” for 安义县长均乡中心学校):
    # a form of it that starts with the same two characters
    own = unit[len(place.group()):]
    own_end = next((s for s in longest_first if own.endswith(s)), own[-1:])
    bare = re.compile(re.escape(own[:2]) + "[\u4e00-\u9fff]{0,10}?" + re.escape(own_end)) if len(own) >= 4 else None
    title_number = title_line(doc)
    findings = []
    for line in doc.lines:
        if line.number == title_number:
            continue
        spots = [(match, unit) for match in names.finditer(line.text)]
        spots += [(match, own) for match in (bare.finditer(line.text) if bare else ())
                  if not line.text.endswith(place.group(), 0, match.start())]
        for match, whole in spots:
            name = match.group()
            if name == whole or whole.startswith(name) or name.startswith(whole) or name[-1] != whole[-1]:
                continue
            if line.text[max(0, match.start() - 1):match.start()] == "原":
                continue  # a former name, said as one
            if any(word in name for word in verbs):
                continue  # a sentence about the unit, not a name (“某镇作为乡镇基层人民政府”)
            if _in_order(name, whole) or _in_order(whole, name):
                findings.append(context.finding(rule, line.start + match.start(), found=name, unit=whole))
    return findings
