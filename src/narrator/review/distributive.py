"""Distributive sentences: a list of subjects, then lists of numbers read item by item.

“因公出国（境）费、公务用车购置及运行维护费、公务接待费预算分别为0.28亿元、2.71亿元和0.69亿元”;
“公务用车购置费0.14亿元和公务用车运行费1.27亿元，与上年相比，分别减少0.18亿元和0.56亿元，下降133.1%和43.7%”.
A run is two or more numbers of one kind with nothing but 、，和及与 between them; it is
distributive when 分别 or 各 leads it, or when it follows a distributive run of the same length in
the same sentence (“……分别减少A和B，下降P和Q”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .amounts import Number

_SPREAD = re.compile(r"分别|各(?=[为是增减下上比较占])")
# between two numbers of a run: a joint, and maybe a direction of its own (“增加30万元和减少20万元”)
_JOIN = re.compile(r"^[ \u3000、,，和及与]*(?P<word>增加|减少|增长|下降)?$")
_CLAUSE = re.compile(r"[，,；;：:]")


@dataclass
class Run:
    """Numbers to be read one per subject, and the words that lead them."""

    numbers: list[Number]        # offsets relative to the sentence
    lead: str                    # the clause before the first number, without 分别/各
    subjects: str                # the text before 分别/各 in its clause ('' when 分别 is not in it)
    words: list[str]             # each later number's own direction word ('' for none)


def distributive_runs(sentence: str, numbers: list[Number]) -> list[Run]:
    """The distributive runs of a sentence, in order."""
    groups: list[list[Number]] = []
    for number in numbers:
        if number.kind == "prior":
            groups.append([])
            continue
        last = groups[-1] if groups else []
        if last and last[-1].kind == number.kind and _JOIN.match(sentence[last[-1].end:number.start]):
            last.append(number)
        else:
            groups.append([number])
    runs: list[Run] = []
    previous_end = 0
    spread_length = 0
    for group in groups:
        if not group:
            continue
        before = sentence[previous_end:group[0].start]
        clause = _CLAUSE.split(before)[-1]
        spread = _SPREAD.search(clause)
        if len(group) >= 2 and (spread or len(group) == spread_length):
            spread_length = len(group)
            subjects = clause[:spread.start()] if spread else ""
            words = [_JOIN.match(sentence[a.end:b.start]).group("word") or "" for a, b in zip(group, group[1:])]
            runs.append(Run(group, _SPREAD.sub("", clause), subjects, words))
        previous_end = group[-1].end
    return runs


def split_subjects(text: str, count: int) -> list[str] | None:
    """``count`` subjects listed in ``text`` (split at 、, the last pair also at 和/及/与), or None.

    The last pair splits at its last joint: names hold 和/及 themselves (社会保障和就业支出,
    公务用车购置及运行维护费) but end before the joint that lists them.
    """
    parts = [part for part in text.split("、") if part.strip()]
    if len(parts) == count:
        return parts
    if len(parts) == count - 1:
        last = parts[-1]
        for joint in reversed(list(re.finditer(r"[和及与]", last))):
            left, right = last[:joint.start()], last[joint.end():]
            if len(left) >= 2 and len(right) >= 2:
                return parts[:-1] + [left, right]
    return None
