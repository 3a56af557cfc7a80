"""Shares and completion rates of a document's claims.

share-percent, share-over-100, shares-over-100 and completion-percent.

A mixin of the claim checker (:mod:`narrator.review.claimcheck`), which gives ``claims``, ``text``,
``emit``, ``judge`` and ``table_budget``. A share is measured against the whole it names (stated before or
after, or named in short), else its parent's amount, else the sum of a whole list; a completion
rate against the budget stated beside it or printed in the document's table.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .amounts import bare, places_of, span_of
from .arith import Span, ratio, shown
from .claims import Claim
from .phrasing import phrasing
from .subjects import subject_key


# a whole its parts are shares of (合计, 总额, 支出 …), not another amount compared with (上年, 预算)
_WHOLE = re.compile(r"(?:合计|总额|总计|总数|支出|收入|经费|拨款)$")
_NOT_WHOLE = re.compile(r"上年|去年|同期|预算数|年初|调整|执行|决算数")
# a share and the whole it names (“占比60%”, “占一般公共预算支出的84.06%”), in one sentence
# “占年初预算100%”: the amount measured against its own budget (a completion rate), not a share
_BUDGET_BASE = re.compile(r"^(?:年初|全年|当年|本年|调整后的?|执行)?预算(?:数)?$")
_CLAUSES = re.compile(r"[^。；;\n]+")
_SHARE = re.compile(r"占(?P<whole>[^，,。；;%％\d]{0,16}?)的?(?:比重|比例|比)?(?:为|达)?\s*(?P<value>\d+(?:\.\d+)?)\s*[%％]")
_WHOLE_WORDS = re.compile(r"本年|当年|的|总额|合计|总")


def _abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` (支出总额) is ``name`` (支出预算总额) with words left out: its chars in order."""
    short = short.removesuffix("的")
    if len(short) < 3 or short == name:
        return False
    rest = iter(name)
    return all(char in rest for char in short) and short[-2:] == name[-2:]


class ShareChecks:
    """share-percent, share-over-100, shares-over-100 and completion-percent."""

    claims: list[Claim]
    text: str
    emit: Any
    judge: Any
    table_budget: Any

    def check_share(self, claim: Claim) -> None:
        if claim.share is not None and claim.share.value - claim.share.tolerance > 100 \
                and _WHOLE.search(claim.share_of or "合计") and not _NOT_WHOLE.search(claim.share_of):
            # a part of a total: more than all of it is impossible, whatever the amounts
            self.emit("share-over-100", claim.share.start, whole_name=claim.share_of or "合计",
                      written=bare(claim.share))
            return
        if claim.share is None or claim.current is None:
            return
        whole, name, other = None, "", None
        if claim.share_of and _BUDGET_BASE.match(claim.share_of):
            return
        share_of = claim.share_of or self.whole_said_before(claim)
        if share_of:
            key = subject_key(share_of)
            index = self.claims.index(claim)
            # the whole stated before, nearest first; else stated after (“……占基本支出预算6.45%”
            # in a list that comes before the 基本支出 section stating it)
            other = next((c for c in reversed(self.claims[:index])
                          if c.key == key and c.current is not None), None) if key else None
            if other is None and key:
                other = next((c for c in self.claims[index + 1:] if self.same_whole(c.key, key)
                              and c.current is not None and c.share is None and c.parent is None), None)
            if other is None:
                # “支出预算总额1,000.00万元，……分别占支出总额的70.00%”: the whole named in short, its
                # words in order within an amount stated before in the same paragraph
                other = next((c for c in reversed(self.claims[:index]) if c.paragraph == claim.paragraph
                              and c.current is not None and c.share is None and c is not claim
                              and _abbreviates(share_of, c.subject)), None)
        if other is not None:
            whole, name, whole_text = span_of(other.current), share_of, other.current.text
            whole_point = other.current.value
        elif claim.parent is not None and claim.parent.current is not None:
            whole, name = span_of(claim.parent.current), claim.parent.subject or "合计"
            whole_text, whole_point = claim.parent.current.text, claim.parent.current.value
        else:
            listed = [c for c in claim.siblings if c.share is not None and c.current is not None]
            # the items' sum is the whole only for a whole list: its shares add up to about 100%, or
            # its items are a complete list (the three “三公” items, whatever shares are written)
            complete = {c.key for c in listed} in phrasing().complete_lists
            if len(listed) < 2 or abs(sum(c.share.value for c in listed) - 100) > 1 and not complete:
                listed = self.over_full(claim)
                if not listed:
                    return
            whole = Span(sum((span_of(c.current).low for c in listed), Decimal(0)),
                         sum((span_of(c.current).high for c in listed), Decimal(0)))
            whole_point = sum((c.current.value for c in listed), Decimal(0))
            in_yuan = all(c.current.text.endswith("元") and not c.current.text.endswith("万元") for c in listed)
            name = "各项之和"
            whole_text = shown(whole_point * 10000) + "元" if in_yuan else shown(whole_point) + "万元"
        expected = ratio(span_of(claim.current), whole)
        if expected is None:
            return
        point = claim.current.value / whole_point * 100 if whole_point else expected.middle
        # as for a change's percentage: a slip of one in the last digit within rounding is a note
        verdict = self.judge(point, expected, claim.share.value, claim.share.tolerance,
                             places_of(claim.share)) if whole_point else ("ok" if expected.meets(span_of(claim.share))
                                                                    else "error")
        if verdict == "ok" or (other is None or claim.share_of) and self.fits_another(claim):
            return
        self.emit("share-percent", claim.share.start, verdict, expected=shown(point),
                  amount=claim.current.text, whole_name=name, whole=whole_text, written=bare(claim.share))

    def fits_another(self, claim: Claim) -> bool:
        """Whether a share is right of another amount stated before it in its paragraph — any, for a
        share that names no whole (“补助两区7,204万元，占比31.58%”: in a list within a list the whole is
        the inner list's total, not the paragraph's first amount); one whose subject holds the named
        whole's words in order, for a share that names one (“市本级一般公共预算支出完成28.36亿元，……
        占一般公共预算支出的85.22%”, where another 一般公共预算支出 was taken)."""
        index = self.claims.index(claim)
        share = span_of(claim.share)
        for other in self.claims[:index]:
            if other.paragraph != claim.paragraph or other.current is None or other is claim \
                    or other.current.value <= claim.current.value \
                    or claim.share_of and not (claim.share_of.removesuffix("的") in (other.subject or "")
                                               or _abbreviates(claim.share_of, other.subject or "")):
                continue
            expected = ratio(span_of(claim.current), span_of(other.current))
            if expected is not None and expected.meets(share):
                return True
        return False

    def whole_said_before(self, claim: Claim) -> str:
        """The whole of a share written without one (“教育支出90.00万元，占30%”), as the nearest share
        before it in the same paragraph names it (“一般公共服务支出120.00万元，占财政拨款支出的40%；”),
        over shares without a whole between them, when all are items of the same level (the same
        parent, or none); else ''."""
        index = self.claims.index(claim)
        for other in reversed(self.claims[:index]):
            if other.paragraph != claim.paragraph:
                return ""
            if other.share is not None:
                if other.parent is not claim.parent:
                    return ""
                if other.share_of:  # else a share without its whole too: look further back
                    return other.share_of
        return ""

    @staticmethod
    def same_whole(stated: str, named: str) -> bool:
        """Whether a subject stated (“一般公共预算基本支出”) is the whole a share names (“基本支出预算”):
        the same, or the same once a fund word the share leaves out is taken off."""
        if stated == named:
            return True
        prefix = next((w for w in phrasing().fund_prefixes if stated.startswith(w)), "")
        return bool(prefix) and stated[len(prefix):] == named

    def over_full(self, claim: Claim) -> list[Claim]:
        """The claims sharing out one unstated whole whose shares add up to more than 100%.

        “1. 基本支出…占一般公共预算支出的84.06%” and “2. 项目支出…占一般公共预算支出的19.62%”, as
        items of their own with lists between them: together more than the whole, so they are its
        parts, and their amounts' sum is the whole. Used only when that sum bears out all shares but
        one: which share is wrong is then plain (else []).
        """
        if not claim.share_of:
            return []
        key = subject_key(claim.share_of)
        index = self.claims.index(claim)
        # the run of claims between two statements of the whole itself
        low = index
        while low > 0 and self.claims[low - 1].key != key:
            low -= 1
        high = index
        while high + 1 < len(self.claims) and self.claims[high + 1].key != key:
            high += 1
        listed = [c for c in self.claims[low:high + 1] if c.share is not None and c.current is not None
                  and c.share_of and subject_key(c.share_of) == key and c.current.value > 0]
        if len(listed) < 2 or sum(c.share.value for c in listed) <= 100 + Decimal("0.01") * len(listed):
            return []
        whole = Span(sum((span_of(c.current).low for c in listed), Decimal(0)),
                     sum((span_of(c.current).high for c in listed), Decimal(0)))
        wrong = [c for c in listed if not (ratio(span_of(c.current), whole) or Span(0, 0)).meets(span_of(c.share))]
        return listed if len(wrong) == 1 else []

    def check_share_sums(self) -> None:
        """shares-over-100: the shares one sentence gives of one whole (all naming it alike, or none
        naming it) add up to more than 100%, beyond the rounding of their printed digits."""
        for sentence in _CLAUSES.finditer(self.text):
            shares = [m for m in _SHARE.finditer(sentence.group()) if not _NOT_WHOLE.search(m.group("whole"))]
            wholes = {_WHOLE_WORDS.sub("", m.group("whole")) for m in shares}
            if len(shares) < 2 or len(wholes) > 1:
                continue
            values = [Decimal(m.group("value")) for m in shares]
            slack = sum(Decimal(5).scaleb(-len(m.group("value").partition(".")[2]) - 1) for m in shares)
            if sum(values) - slack > 100:
                self.emit("shares-over-100", sentence.start() + shares[-1].start("value"), count=len(shares),
                          total=shown(sum(values)))

    def check_completion(self, claim: Claim) -> None:
        if claim.completion is None or claim.current is None:
            return
        base = claim.completion_base
        if base is None:
            # the budget stated just before, for the same subject: “预算为246万元，支出决算为167.37万元，
            # 完成预算的68%” — an item (公务接待费 …) is not measured against the overall budget, nor an
            # item of a list whose items each state their own rate (“甲8164万元，完成年初预算的98.4%；
            # 乙1425万元，完成年初预算的67.9%”: 8164 is 甲's amount, not 乙's budget), nor an amount the
            # text does not call a budget (“其中返还性收入9.74亿元（税收返还4.95亿元，完成年初预算52.42%）”)
            named = claim.key in phrasing().names.values()
            earlier = [c for c in claim.siblings if c is not claim and c.kind == "预算" and c.current is not None
                       and c.start < claim.start and (not named or c.key == claim.key) and c.completion is None
                       and "预算" in c.subject]    # written as a budget (“预算为”“年初预算数”), not an item
            base = earlier[-1].current if earlier else None
        if base is None and claim.kind == "决算" and claim.base_kind == "预算" and claim.prior is not None:
            base = claim.prior  # the budget stated after the rate: “完成预算的80%，预算数为15.00万元”
        if base is None and self.table_budget is not None:
            base = self.table_budget(claim)     # the document's own table prints the budget
        if base is None:
            return
        if base.value == 0:
            self.emit("zero-base-percent", claim.completion.start, written=claim.completion.text, base="预算数")
            return
        expected = ratio(span_of(claim.current), span_of(base))
        # the ratio of the printed figures, not the middle of its rounding span (skewed when the
        # budget is printed in whole 万元: 2 ÷ 4 spans 44.4%–60.0%)
        point = claim.current.value / base.value * 100
        # the unspent part written as the rate (预算1万元、决算0.53万元，“完成预算的47%”): inside a
        # whole-万元 budget's wide span, but 100% less the rate, which no rounding explains
        unspent = abs(claim.completion.value + point - 100) <= 1 and abs(claim.completion.value - point) >= 5
        if expected is None:
            return
        # as for a share: a slip of one in the last digit within rounding is a note (truncated:
        # 59 ÷ 1525 = 3.87%, written 3.8%)
        verdict = "error" if unspent else self.judge(point, expected, claim.completion.value,
                                                      claim.completion.tolerance, places_of(claim.completion))
        if verdict != "ok":
            self.emit("completion-percent", claim.completion.start, verdict, expected=shown(point),
                      amount=shown(claim.current.value), base=shown(base.value),
                      written=bare(claim.completion))
