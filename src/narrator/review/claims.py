"""Claims: what each sentence of a disclosure says about an amount.

A claim is one subject (an income source, a 类/款/项, 基本支出, a “三公” item …) with what the
sentence states of it: this year's amount, last year's amount, the change and its direction,
the percentage change, a share and of what, a completion rate and its base, and the reason
given. The words that mark each role are data (:mod:`narrator.review.phrasing`); this module
reads a rebuilt text (one paragraph per line) into claims, each number keeping its offset so
that a finding can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .amounts import Number, numbers_in
from .claimroles import _CLAUSE_BREAK, ClauseRoles, _years
from .distributive import Run, distributive_runs, split_subjects
from .phrasing import phrasing
from .subjects import clean, kind_of, subject_key

# a “?” before a digit is a broken char (“?8639萬元”), not the end of a question
_SENTENCE = re.compile(r"(?:[^。！？!?]|\?(?=\d))+[。！？!?]*")
# brackets break a clause only around numbers (“减少1.50万元（42.86%）”), not inside names (“因公出国（境）费”)
_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|截[至止]")
# the words that open a breakdown of the amount before (“4,471.22万元，含甲250万元，乙537.31万元”)
_PARENT = re.compile(r"其中|包括|(?<![不未])(?:包)?含(?!义|量)")
_STARTS_PARTS = re.compile(r"\s*(?:其中|包括)")
_OPENS_LIST = re.compile(r"(?:其中|包括|如下)[：:]?\s*$")
_ITEM = re.compile(r"^\s*(?:(?P<paren>[（(][一二三四五六七八九十]+[)）])|(?P<pdigit>[（(]\d+[)）])|(?P<digit>\d+\s*[、.．]))")


def _item_style(paragraph: str) -> str | None:
    """The kind of list marker a paragraph starts with (（一） / (1) / 1、), None for none."""
    match = _ITEM.match(paragraph)
    return match.lastgroup if match else None


_SEPARATOR = re.compile(r"[，,；;]")
_REASON_OPENS = re.compile(r"\s*(?:其)?(?:主要)?(?:原因|是由于|系)")
_VERDICT = re.compile(r"\s*(?:与|和|同)[^，,；;。！？!?\d]{0,12}[。！？!?]?\s*$")
_BARE_TOTALS = frozenset({"收入总计", "支出总计", "收入合计", "支出合计"})
_OPENS_TOTAL = re.compile(r"\s*[^，,；;：:。其包]{0,20}?(?:总计|合计)")


@dataclass
class Claim:
    """What one clause group says of one subject."""

    subject: str                 # as written, cleaned
    key: str                     # canonical subject ('' when nothing is known of it)
    paragraph: int               # 0-based line of the rebuilt text
    start: int                   # offset of the subject's first number or of the clause
    year: int | None = None
    kind: str = ""               # 预算 | 决算 | ""
    current: Number | None = None
    prior: Number | None = None
    change: Number | None = None
    change_sign: str | None = None
    percent: Number | None = None
    percent_sign: str | None = None
    same_at: int = -1            # offset of 持平 / 无变化, -1 when not said
    share: Number | None = None
    share_of: str = ""           # the whole named after 占 (“占基本支出的”), cleaned
    completion: Number | None = None
    completion_base: Number | None = None
    base_year: int | None = None
    base_kind: str = ""          # 预算 when compared with this year's budget (比预算数减少 …)
    kind_explicit: bool = False  # the subject itself says 预算/决算 (“年初预算为”, “支出决算为”)
    parent: "Claim | None" = None
    siblings: list["Claim"] = field(default_factory=list, repr=False)
    reason: str = ""
    reason_at: int = -1


_BUDGET_BASE = re.compile(r"(?:比|较|与|同)\s*(?:((?:19|20)\d{2})\s*年度?)?[^，,；;。上去]{0,6}预算")


def _same_base(claim: Claim, said: str) -> None:
    """A 持平 said against a budget (“与2021年度预算相比无增减”): its base is that budget."""
    found = None
    for found in _BUDGET_BASE.finditer(said):
        pass
    if found is not None and claim.change is None:
        claim.base_kind = "预算"
        if found.group(1):
            claim.base_year = int(found.group(1))


class _Reader(ClauseRoles):
    """Reads one document's paragraphs into claims."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.claims: list[Claim] = []
        self.kind = kind_of(text[:300]) or "预算"
        self.heading_year: int | None = None
        # a list announced at the end of a paragraph (“其中：”) goes on in the item paragraphs after it
        self.open_list: tuple[Claim | None, list[Claim]] | None = None
        self.list_style: str | None = None
        # the first claim with an amount of the sentence just read: the whole of a “其中…” after it
        self.sentence_head: Claim | None = None

    def read(self) -> list[Claim]:
        offset = 0
        for index, paragraph in enumerate(self.text.split("\n")):
            self._paragraph(index, paragraph, offset)
            offset += len(paragraph) + 1
        return self.claims

    def _paragraph(self, index: int, paragraph: str, base: int) -> None:
        years = [y for y, compared, _ in _years(paragraph[:60]) if not compared]
        if years and len(paragraph) < 60 and not _DATE.search(paragraph[:60]):
            # a short line naming a year heads what follows (“2021年度收入支出决算情况”); a date
            # (“截至2021年12月31日，共有车辆3辆。”) says when something was counted, nothing more
            self.heading_year = years[0]
        paragraph_year = years[0] if years else self.heading_year
        parent: Claim | None = None
        group: list[Claim] = []
        style = _item_style(paragraph)
        # an item of the open list: of the style its first item set (“1、” items end at “（二）”)
        item = style is not None and self.open_list is not None and self.list_style in (None, style)
        if item:
            parent, group = self.open_list
            self.list_style = style
        for sentence in _SENTENCE.finditer(paragraph):
            parent, group = self._sentence(index, paragraph, base, sentence.start(), sentence.end(),
                                           paragraph_year, parent, group)
        if _OPENS_LIST.search(paragraph):
            self.open_list, self.list_style = (parent, group), None
        elif not item:
            self.open_list = None

    def _sentence(self, index: int, paragraph: str, base: int, start: int, end: int,
                  paragraph_year: int | None, parent: Claim | None, group: list[Claim]):
        p = phrasing()
        sentence = paragraph[start:end]
        if _STARTS_PARTS.match(sentence) and self.sentence_head is not None \
                and self.sentence_head.paragraph == index and self.sentence_head.current is not None:
            # “…合计3328万元。其中，甲50万元，乙478万元”: the parts belong to the sentence before
            parent, group = self.sentence_head, []
        if parent is not None and _OPENS_TOTAL.match(sentence):
            # a sentence that states a total of its own (“。2023年度支出总计300万元，其中：……”) is no
            # part of the list before it
            parent, group = None, []
        numbers = numbers_in(sentence)
        if not numbers and _REASON_OPENS.match(sentence) and self.claims and self.claims[-1].paragraph == index:
            # “……各增加50.00万元，增长2.17%。主要原因是……”: a sentence of its own that gives the reason
            # gives it for the comparison just made
            last = self.claims[-1]
            if last.change is not None or last.percent is not None:
                self._reason(last, sentence, base + start)
            self.sentence_head = None   # as after any sentence that states no amount
            return parent, group
        if not numbers and self.claims and self.claims[-1].paragraph == index and _VERDICT.match(sentence):
            # “……下降6.13%。与上年度基本持平。”: a sentence of its own that gives the verdict gives it
            # for the comparison just made
            last = self.claims[-1]
            same = p.same.search(sentence)
            if same and last.same_at < 0 and (last.change is not None or last.percent is not None):
                last.same_at = base + start + same.start()
            self.sentence_head = None
            return parent, group
        head = len(self.claims)
        self.spread_targets: list[Claim] = []
        current: Claim | None = None
        previous_end = 0
        previous: Number | None = None
        spread = {run.numbers[0].start: run for run in distributive_runs(sentence, numbers)}
        taken: set[int] = set()
        for number in numbers:
            if number.start in taken:
                previous_end = number.end
                continue
            if number.start in spread:
                year = self._year(sentence[:number.start], paragraph_year)
                kind_word = kind_of(sentence[:number.start]) or self.kind
                targets = self._spread(spread[number.start], index, base + start, head, year, kind_word, parent, group)
                if targets:
                    taken.update(n.start for n in spread[number.start].numbers)
                    current, previous_end = targets[-1], number.end
                    continue
            left = sentence[previous_end:number.start]
            # the number's first digit is kept in view so that “（” before a number breaks the clause
            clause = _CLAUSE_BREAK.split(sentence[previous_end:number.start + 1])[-1][:-1]
            local = Number(number.value, number.kind, number.text, base + start + number.start,
                           base + start + number.end, number.tolerance)
            year = self._year(sentence[:number.start], paragraph_year)
            kind_word = kind_of(sentence[:number.start]) or self.kind
            if current is not None:
                self._reason(current, left, base + start + previous_end)
            # a total told by its change alone (““三公”经费比上年减少3.00万元，其中：……”) leads its parts too
            if _PARENT.search(left) and current is not None and (current.current is not None or current.change is not None):
                parent, group = current, []
            # “……0万元，较上年无增减；公务接待费0.50万元”: a 持平 before a clause break is the last subject's
            if current is not None and current.same_at < 0 and current.current is not None \
                    and (same := p.same.search(left)) and _SEPARATOR.search(left, same.end()):
                current.same_at = base + start + previous_end + same.start()
                _same_base(current, left[:same.start()])
            if number.kind == "prior":
                if current is not None:
                    current.prior = local
            elif number.kind == "amount":
                current = self._amount(index, local, left, clause, current, year, kind_word, parent, group)
            else:
                self._percent(local, left, clause, current, previous)
            if current is not None and current.same_at < 0 and (same := p.same.search(left)):
                if current.current is not None and current.current.start < local.start:
                    current.same_at = base + start + previous_end + same.start()
            previous_end = number.end
            previous = local
        tail = sentence[previous_end:]
        if current is not None:
            if current.same_at < 0 and (same := p.same.search(tail)):
                current.same_at = base + start + previous_end + same.start()
                _same_base(current, tail[:same.start()])
            self._reason(current, tail, base + start + previous_end)
        if _PARENT.search(tail) and current is not None and current.current is not None:
            parent, group = current, []
        own = [c for c in self.claims[head:] if c.current is not None]
        self.sentence_head = own[0] if own else None
        return parent, group

    def _spread(self, run: Run, index: int, shift: int, head: int, year, kind_word, parent, group) -> list[Claim]:
        """Read a distributive run into one claim per subject ([] when its subjects are not plain).

        Amounts without a direction word are new claims, one per subject named before 分别; changes,
        percentages and shares go to the claims the sentence has read so far, the last ones.
        """
        p = phrasing()
        lead = run.lead.strip()
        direction = p.direction_end.search(lead)
        share = p.share_word.search(lead)
        count = len(run.numbers)
        earlier = [c for c in self.claims[head:] if c.current is not None]
        if direction or share:
            subjects = split_subjects(clean(run.subjects), count) if run.subjects.strip() else None
            if subjects is None and len(earlier) < count:
                return []
            # “甲、乙、丙分别为…，合计…，较上年分别减少…”: the subjects of the run before, not the last
            # claims read (the 合计 between is not one of them)
            spread = [c for c in self.spread_targets if c in earlier]
            last = spread if subjects is None and len(spread) == count else earlier[-count:]
            targets = last if subjects is None else [
                next((c for c in reversed(earlier) if c.key and c.key == subject_key(clean(s))), None)
                for s in subjects]
            if any(t is None for t in targets):
                return []
        elif run.numbers[0].kind == "amount" and run.subjects.strip():
            subjects = split_subjects(run.subjects, count)
            if subjects is None:
                return []
            targets = []
            for subject, number in zip(subjects, run.numbers):
                cleaned = clean(subject)
                targets.append(self._new(index, cleaned, subject_key(cleaned), shift + number.start, year,
                                         kind_word, parent, group))
            self.spread_targets = targets
        else:
            return []
        words = [direction.group("word") if direction else "", *run.words]
        for claim, number, word in zip(targets, run.numbers, words):
            placed = Number(number.value, number.kind, number.text, shift + number.start, shift + number.end,
                            number.tolerance)
            word = word or (direction.group("word") if direction else "")
            if share and number.kind == "percent":
                claim.share, claim.share_of = placed, clean(lead[share.end():].removesuffix("的"))
            elif word and number.kind == "percent":
                claim.percent, claim.percent_sign = placed, p.signs[word]
            elif word:
                claim.change, claim.change_sign = placed, p.signs[word]
            else:
                claim.current = placed
        return targets

    @staticmethod
    def _reason(claim: Claim, segment: str, offset: int) -> None:
        """The reason given after a claim's numbers, up to the end of its clause group (；。)."""
        if claim.reason or not (reason := phrasing().reason.search(segment)):
            return
        claim.reason = re.split(r"[；;。]", segment[reason.end():])[0]
        claim.reason_at = offset + reason.start()

    def _year(self, before: str, paragraph_year: int | None) -> int | None:
        own = [y for y, compared, _ in _years(before) if not compared]
        return own[-1] if own else paragraph_year

    def _new(self, index, subject, key, start, year, kind_word, parent, group) -> Claim:
        if subject in _BARE_TOTALS and group and group[-1].paragraph == index:
            # “财政拨款收入总计275万元，支出总计275万元”: the fund word said once serves both totals
            before = group[-1].subject
            fund = next((w for w in phrasing().fund_prefixes if before.startswith(w)
                         and before[len(w):] in _BARE_TOTALS), "")
            if fund:
                subject, key = fund + subject, subject_key(fund + subject)
        own = kind_of(subject)
        claim = Claim(subject, key, index, start, year, own or kind_word, parent=parent)
        claim.kind_explicit = bool(own)
        group.append(claim)
        claim.siblings = group
        self.claims.append(claim)
        return claim


def read_claims(text: str) -> list[Claim]:
    """The claims of a rebuilt text (one paragraph per line), in order."""
    return _Reader(text).read()
