"""持平 and reasons of a document's claims: same-but-changed, reason-direction, reason-without-change.

A mixin of the claim checker (:mod:`narrator.review.claimcheck`), which gives ``text`` and ``emit``.
持平 said together with a change that is not nothing is one finding; a reason that argues the
other way than the change (减少, 原因却是“增加”), or a reason given for no change, another. A reason
that lists parts moving both ways (“主要是基本支出减少1.25万元，项目支出增加25.33万元”) argues neither.
"""

from __future__ import annotations

from typing import Any

from .amounts import bare
from .claims import Claim
from .phrasing import phrasing


class ReasonChecks:
    """same-but-changed, reason-direction and reason-without-change."""

    text: str
    emit: Any

    def check_same_and_change(self, claim: Claim) -> None:
        """持平 said of a subject together with a change that is not nothing."""
        if claim.same_at < 0 or claim.change is None or claim.change.value == 0 or claim.change_sign is None:
            return
        if self.roughly_same(claim):
            return
        clause_start = max(self.text.rfind(mark, 0, claim.same_at) for mark in "，,；;。\n")
        same_clause = self.text[clause_start + 1:claim.same_at]
        change_clause = self.text[claim.same_at:claim.change.start]
        if ("预算" in same_clause) != ("预算" in change_clause):
            return  # 与预算持平, 比上年增加: two comparisons, each with its own base
        self.emit("same-but-changed", claim.change.start, word=self.same_word(claim),
                  change_word={"up": "增加", "down": "减少"}.get(claim.change_sign, ""), change=bare(claim.change))

    def _roughly(self, claim: Claim) -> str:
        """The 基本 (大致 …) written right before the claim's 持平, "" for none."""
        found = phrasing().roughly.search(self.text, max(0, claim.same_at - 4), claim.same_at)
        return found.group() if found else ""

    def same_word(self, claim: Claim) -> str:
        """The 持平 as written, with its 基本 (大致 …) when it has one."""
        word = phrasing().same.match(self.text, claim.same_at)
        return self._roughly(claim) + (word.group() if word else "持平")

    def roughly_same(self, claim: Claim, prior: Any = None) -> bool:
        """Whether the 持平 is “基本持平” (or 大致 …) and the change is within what that allows."""
        p = phrasing()
        if not self._roughly(claim):
            return False
        if claim.percent is not None:
            return abs(claim.percent.value) <= p.roughly_percent
        prior = prior or claim.prior
        before = prior.value if prior is not None else None
        if claim.change is not None:
            change = claim.change.value
            if before is None and claim.current is not None:
                before = claim.current.value - change * (-1 if claim.change_sign == "down" else 1)
        elif prior is not None and claim.current is not None:
            change = claim.current.value - before
        else:
            return True     # nothing to measure the change by: “基本” may well be right
        return not before or abs(change * 100 / before) <= p.roughly_percent

    def check_reason(self, claim: Claim) -> None:
        if not claim.reason:
            return
        p = phrasing()
        up, down = p.reason_up.search(claim.reason), p.reason_down.search(claim.reason)
        unchanged = claim.same_at >= 0 or (claim.change is not None and claim.change.value == 0)
        if unchanged and (up or down):
            if claim.same_at >= 0 and up and not down:
                self.emit("reason-direction", claim.reason_at, word="持平", reason_word=up.group())
            else:
                self.emit("reason-without-change", claim.reason_at, reason=claim.reason[:24])
        elif self._mixed_parts(claim):
            return  # the reason lists parts that moved both ways (“主要是基本支出减少1.25万元，项目支出增加25.33万元”)
        elif claim.change_sign == "down" and up and not down:
            self.emit("reason-direction", claim.reason_at, word="减少", reason_word=up.group())
        elif claim.change_sign == "up" and down and not up:
            self.emit("reason-direction", claim.reason_at, word="增加", reason_word=down.group())

    def _mixed_parts(self, claim: Claim) -> bool:
        """Whether the rest of the reason's sentence names changes both up and down (its parts, each
        with an amount: the reason text itself stops at the first of them)."""
        end = min((i for i in (self.text.find(mark, claim.reason_at) for mark in "。；;\n") if i >= 0),
                  default=len(self.text))
        rest = self.text[claim.reason_at:end]
        p = phrasing()
        return bool(p.reason_up.search(rest)) and bool(p.reason_down.search(rest))
