"""How a claim reader places one number of a clause: an amount (this year's, a change, a base,
a completion's budget) or a percentage (a change, a share, a completion rate).

A mixin of the reader in :mod:`.claims`: these are its rules for the roles the words around a
number give it; the reader itself walks paragraphs and sentences and keeps the claims.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .phrasing import phrasing
from .subjects import clean, subject_key

if TYPE_CHECKING:
    from .claims import Claim

# brackets break a clause only around numbers (“减少1.50万元（42.86%）”), not inside names (“因公出国（境）费”)
# “（” before a number or 其中 opens a clause of its own, but not a classification code after a name
# (“一般公共服务支出（201类）120.00万元”, “（20101）”): the name is the subject of the amount after it
_CLAUSE_BREAK = re.compile(r"[，,；;：:、]|[（(](?=\d|其中|含)(?!\d{3}(?:\d{2}){0,2}\s*[类款项]?\s*[)）])"
                           r"|(?<=[\d%％元])(?<![（(]\d{3})(?<![（(]\d{5})(?<![（(]\d{7})[）)]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SHARE_OF_BUDGET = re.compile(r"(?:占|为|达到?)(?:年初|全年|调整后?的?)?预算(?:数)?\s*$")
# a clause that is last year's amount alone (“上年预算数为”), no subject, no comparison word
# the closing bracket of a breakdown, then the comparison (“……91.55亿元），比上年……”)
_AFTER_BREAKDOWN = re.compile(r"^\s*(?:亿元|万元|元)?\s*[)）]\s*[，,]?\s*(?:总体|总的|整体|合计)?\s*(?:比|较|与|同比)")
_BARE_PRIOR = re.compile(r"\s*上年度?(?:预算|决算)?(?:数|金额)?(?:为|是)?\s*$")
_SUM_WORDS = frozenset({"合计", "共计", "总计", "合计为", "共计为", "总计为"})


def _years(text: str) -> list[tuple[int, bool, int]]:
    """Years in ``text``, whether each is the object of a comparison (比2024年 …), and where."""
    result = []
    for match in _YEAR.finditer(text):
        before = text[max(0, match.start() - 4):match.start()]
        compared = bool(re.search(r"(?:比|较|与|相较于|相比于|对比|同比)\s*$", before))
        result.append((int(match.group(1)), compared, match.start()))
    return result


class ClauseRoles:
    """The reader's rules for what a number of a clause is (``claims``, ``spread_targets`` and
    ``_new`` are the reader's)."""

    claims: list[Any]
    spread_targets: list[Any]
    text: str

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
            elif (not key or subject in ("总体", "整体", "总的")) and current is not None \
                    and _AFTER_BREAKDOWN.search(left) \
                    and (whole := self._before_bracket(current)) is not None:
                # “农林水支出236.25万元。（其中……对村委会的补助159.22万元），总体较2016年决算数增加
                # 126.64万元”: after the breakdown's closing bracket, the change is the whole's
                current, key = whole, whole.key
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
                current.change, current.change_sign = number, p.signs[direction.group("word")]
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
        if p.budget_gap.search(clause):
            return current   # “完成预算49531万元的85.0%，短收7431万元”: short of the budget, not of last year
        if p.completion_word.search(clause) or _SHARE_OF_BUDGET.search(clause):
            # “完成预算101032万元的67.3%”, “占（为）预算101032万元的67.3%”: the budget a completion is of
            if current is not None:
                current.completion_base = number
            return current
        budget = p.budget_base.search(clause)
        if budget or p.prior_amount.search(clause):
            if current is not None and current.parent is not None and current.parent.current is not None \
                    and current.prior is None and _AFTER_BREAKDOWN.search(left):
                # “余额158.33亿元（其中：一般债务66.78亿元、专项债务91.55亿元），比上年155.66亿元增加
                # 2.67亿元”: a comparison after the breakdown's closing bracket is the whole's
                current = current.parent
            if current is not None and current.change is not None and current.current is not None:
                # a second comparison that states its base (“较上年144万元减少22万元，较预算数339万元
                # 减少217万元”): a claim of its own, so the change after it is read against that base
                again = self._new(index, current.subject, current.key, number.start, current.year, current.kind,
                                  parent, group)
                again.current = current.current
                current = again
            last = self.claims[-1] if self.claims else None
            if current is None and last is not None and last.paragraph == index and _BARE_PRIOR.match(clause) \
                    and last.current is not None and last.prior is None and not budget \
                    and (last.same_at >= 0 or last.change is not None):
                # “……与上年预算数持平。上年预算数为110.00万元。”: last year's amount said after the
                # comparison, in a sentence of its own, is the base of that comparison
                current = last
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

    def _before_bracket(self, current: Claim) -> Claim | None:
        """The amount stated just before the bracket ``current`` is a part in (“236.25万元。（其中……”),
        its whole: the parent the reader gave it, or the last amount of the paragraph before the
        bracket's “（其中/（含” (a 。 before the bracket keeps the reader from making it the parent)."""
        if current.parent is not None and current.parent.current is not None:
            return current.parent
        if current.current is None:
            return None
        text = self.text
        opened = max(text.rfind("（其中", 0, current.current.start), text.rfind("(其中", 0, current.current.start),
                     text.rfind("（含", 0, current.current.start))
        if opened < 0 or "\n" in text[opened:current.current.start]:
            return None
        before = [c for c in self.claims if c.current is not None and c.paragraph == current.paragraph
                  and c.current.start < opened and c.change is None]
        return before[-1] if before else None

    def _sum_claim(self, head: str, current: Claim | None) -> Claim | None:
        """The 合计 a change names as its subject (“合计减少4.00万元”): the whole stated just before
        for the run of parts that ``current`` ends."""
        if head.strip() not in _SUM_WORDS or current is None or current.parent is None:
            return None
        whole = current.parent
        return whole if whole.subject in _SUM_WORDS and whole.current is not None else None

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
            current.percent, current.percent_sign = number, p.signs[direction.group("word")]
            return
        if (clause.strip() == "" and previous is not None and previous is current.change
                and current.percent is None):
            current.percent, current.percent_sign = number, current.change_sign
