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
from .distributive import Run, distributive_runs, split_subjects
from .phrasing import phrasing
from .subjects import clean, kind_of, subject_key

# a “?” before a digit is a broken char (“?8639萬元”), not the end of a question
_SENTENCE = re.compile(r"(?:[^。！？!?]|\?(?=\d))+[。！？!?]*")
# brackets break a clause only around numbers (“减少1.50万元（42.86%）”), not inside names (“因公出国（境）费”)
_CLAUSE_BREAK = re.compile(r"[，,；;：:、]|[（(](?=\d|其中|含)|(?<=[\d%％元])[）)]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
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
_SUM_WORDS = frozenset({"合计", "共计", "总计", "合计为", "共计为", "总计为"})


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


def _years(text: str) -> list[tuple[int, bool, int]]:
    """Years in ``text``, whether each is the object of a comparison (比2024年 …), and where."""
    result = []
    for match in _YEAR.finditer(text):
        before = text[max(0, match.start() - 4):match.start()]
        compared = bool(re.search(r"(?:比|较|与|相较于|相比于|对比|同比)\s*$", before))
        result.append((int(match.group(1)), compared, match.start()))
    return result


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


class _Reader:
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
        head = len(self.claims)
        self.spread_targets: list[Claim] = []
        current: Claim | None = None
        previous_end = 0
        previous: Number | None = None
        numbers = numbers_in(sentence)
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
            if _PARENT.search(left) and current is not None and current.current is not None:
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
        words = [direction.group(1) if direction else "", *run.words]
        for claim, number, word in zip(targets, run.numbers, words):
            placed = Number(number.value, number.kind, number.text, shift + number.start, shift + number.end,
                            number.tolerance)
            word = word or (direction.group(1) if direction else "")
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

    def _amount(self, index, number, left, clause, current, year, kind_word, parent, group) -> Claim | None:
        p = phrasing()
        direction = p.direction_end.search(clause)
        if direction and p.adjustment.search(clause):
            # “拟调整为85000万元，调减16000万元，下降9.7%”: a change against the budget being
            # adjusted, not against last year; the percentage after it is last year's: neither is read
            return current
        if direction:
            comparison = p.comparison.search(clause)
            head = clause[:comparison.start()] if comparison else clause[:direction.start()]
            subject = clean(head)
            key = subject_key(subject)
            whole = self._sum_claim(head, current)
            if whole is not None:
                current = whole     # “……，合计8.00万元，较上年分别减少…，合计减少4.00万元”
            elif not key and current is not None and current.parent is not None \
                    and current.parent.current is not None and re.search(r"[；;]", left):
                # “总预算4,471.22万元，含甲250万元，乙537.31万元；比上年增加755.18万元”: after the
                # breakdown's last part and a ；, a change without a subject (or with only “支出”,
                # “收入”: no item's name) is the whole's
                current = current.parent
            if (key and (current is None or key != current.key)) or current is None:
                # no subject at all (“同口径比2018年减少830万元”): a claim that refers back
                current = self._new(index, subject, key, number.start, year, kind_word, parent, group)
            if current.change is not None and current.current is not None:
                # a second comparison of the same amount (比预算增加0万元，比去年增加1.55万元):
                # a claim of its own, so that what follows is read against the nearest comparison
                again = self._new(index, current.subject, current.key, number.start, current.year, current.kind,
                                  parent, group)
                again.current = current.current
                current = again
            if current.change is None:
                current.change, current.change_sign = number, p.signs[direction.group(1)]
                compared = [y for y, c, _ in _years(left) if c]
                if compared:
                    current.base_year = compared[-1]
                said = clause[comparison.end():direction.start()] if comparison else ""
                if "预算" in said and not re.search(r"上年|去年|上一年", said):
                    current.base_kind = "预算"     # of base_year when it names one (比2024年预算)
            return current
        if p.difference.search(clause):
            if current is not None and current.change is None:
                current.change, current.change_sign = number, None
            return current
        if p.completion_word.search(clause):
            if current is not None:
                current.completion_base = number
            return current
        budget = p.budget_base.search(clause)
        if budget or p.prior_amount.search(clause):
            if current is not None and current.change is not None and current.current is not None:
                # a second comparison that states its base (“较上年144万元减少22万元，较预算数339万元
                # 减少217万元”): a claim of its own, so the change after it is read against that base
                again = self._new(index, current.subject, current.key, number.start, current.year, current.kind,
                                  parent, group)
                again.current = current.current
                current = again
            if current is None:
                # a sentence that opens with its base (“比上年决算数270.00万元增加30.00万元”) speaks
                # of what the sentence before did: a claim without a subject, its base stated
                current = self._new(index, "", "", number.start, year, kind_word, parent, group)
            current.prior = number
            if budget:
                current.base_kind = "预算"
            return current
        if current is not None and current.current is not None and current.prior is None \
                and p.budget_amount.search(clause.strip()):
            current.prior, current.base_kind = number, "预算"
            return current
        subject = clean(clause) or (clean(left) if not _CLAUSE_BREAK.search(left) else "")
        key = subject_key(subject)
        if not key and current is not None and current.current is None:
            current.current = number
            return current
        claim = self._new(index, subject, key, number.start, year, kind_word, parent, group)
        claim.current = number
        if subject in _SUM_WORDS and self.spread_targets and all(t.parent is None for t in self.spread_targets):
            # “甲、乙、丙分别为…，合计8.00万元”: the 合计 is the whole of the run just read
            for target in self.spread_targets:
                target.parent = claim
        return claim

    def _sum_claim(self, head: str, current: Claim | None) -> Claim | None:
        """The 合计 a change names as its subject (“合计减少4.00万元”): the whole stated just before
        for the run of parts that ``current`` ends."""
        if head.strip() not in _SUM_WORDS or current is None or current.parent is None:
            return None
        whole = current.parent
        return whole if whole.subject in _SUM_WORDS and whole.current is not None else None

    def _new(self, index, subject, key, start, year, kind_word, parent, group) -> Claim:
        own = kind_of(subject)
        claim = Claim(subject, key, index, start, year, own or kind_word, parent=parent)
        claim.kind_explicit = bool(own)
        group.append(claim)
        claim.siblings = group
        self.claims.append(claim)
        return claim

    def _percent(self, number, left, clause, current, previous) -> None:
        if current is None:
            return
        p = phrasing()
        if share := p.share_word.search(left):
            if re.search(r"[)）]", left[:share.start()]) and current.parent is not None \
                    and current.parent.current is not None:
                # “财政拨款收入4,436.33万元（其中：甲3,999.53万元，乙436.80万元），占55.61%”: a share
                # after the closing bracket of a breakdown is the whole's
                current = current.parent
            if current.share is None:
                current.share = number
                current.share_of = clean(left[share.end():].removesuffix("的"))
            return
        if p.completion_word.search(clause) or (clause.strip() in ("的", "") and previous is not None
                                                and previous is current.completion_base):
            current.completion = number
            return
        direction = p.direction_end.search(clause)
        if direction and current.percent is None:
            current.percent, current.percent_sign = number, p.signs[direction.group(1)]
            return
        if (clause.strip() == "" and previous is not None and previous is current.change
                and current.percent is None):
            current.percent, current.percent_sign = number, current.change_sign


def read_claims(text: str) -> list[Claim]:
    """The claims of a rebuilt text (one paragraph per line), in order."""
    return _Reader(text).read()
