"""Checks that need no figures file: the claims of one document against each other.

current − prior = change; change ÷ prior = percentage; a share against amount ÷ whole; a completion
rate against 决算 ÷ 预算; direction words and 持平 against the amounts; a percentage from a zero
base; totals that must balance; one subject with two amounts; a reason that argues the other way.
Amounts a sentence does not state itself (“2022年……较上年增加275.76万元”) are looked up in the
other sentences that state them for the same subject and year, nearest first. Shares and completion
rates are the :mod:`narrator.review.sharecheck` mixin, totals the :mod:`narrator.review.crosscheck` one,
one subject's amounts and 口径 the :mod:`narrator.review.placecheck` one, 持平 and reasons the
:mod:`narrator.review.reasoncheck` one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from ..errors import LEVEL_ORDER, Location, RuleError
from ..lint.rules import LintRule
from ..resources import rules_dir
from ..loading.yamlload import load_yaml
from ..numbers import half_up
from .arith import Span, ratio, shown
from .amounts import Number, abs_span, bare, in_yuan, moved, places_of, shown_in, signed_span, span_of
from .claims import Claim
from .crosscheck import DocumentChecks
from .placecheck import PlaceChecks
from .reasoncheck import ReasonChecks
from .sharecheck import ShareChecks
from .phrasing import phrasing

# a percentage of decrease, wherever it stands (“较上年下降120%”)
_DECREASE = re.compile(r"(?:下降|降低|减少)了?\s*(?:幅度为|为)?\s*(?P<at>(?P<value>\d+(?:\.\d+)?)\s*[%％])")


def _plausible(current: Decimal, prior: Decimal, written: Decimal) -> bool:
    """Whether an amount found elsewhere can be the base of a written percentage: the rate it gives
    is within five times the written one (a text that divides by the wrong amount is off by less; an
    amount of another thing with the same name is off by far more)."""
    if prior <= 0:
        return True
    rate = abs(current - prior) / prior * 100
    return rate <= 5 * max(written, Decimal(1))


@dataclass(frozen=True)
class ClaimFinding:
    """A finding at an offset of the rebuilt text."""

    offset: int
    level: str
    rule: str
    message: str


@cache
def review_rules() -> dict[str, LintRule]:
    """The checks of ``rules/review/checks.yaml`` with their levels and messages."""
    shown_path = "rules/review/checks.yaml"
    data = load_yaml(rules_dir() / "review" / "checks.yaml", shown_path)
    rules = {}
    for name, spec in data.items():
        where = Location(shown_path, *getattr(spec, "mark", (1, 1)))
        if not isinstance(spec, dict) or spec.get("level") not in LEVEL_ORDER or "message" not in spec:
            raise RuleError.at(where, "bad-review-rule", f"{name}：需要 level（error、warning、note）和 message")
        rules[name] = LintRule(str(name), "claims", str(spec["level"]), str(spec["message"]), where,
                               str(spec.get("description", "")))
    return rules


class _Checker(ShareChecks, DocumentChecks, PlaceChecks, ReasonChecks):
    def __init__(self, claims: list[Claim], text: str, year: int | None, line_of: Any,
                 table_budget: Any = None) -> None:
        self.claims = claims
        self.table_budget = table_budget
        self.text = text
        self.line_of = line_of
        self.year = year
        self.paragraph_levels = self.levels()   # (read by the look-ups and the consistency check)
        self.found: list[ClaimFinding] = []

    def emit(self, name: str, offset: int, verdict: str = "error", **values: object) -> None:
        """A finding of check ``name``; a difference within rounding is only a note (尾差)."""
        rule = review_rules()[name]
        if verdict == "note":
            self.found.append(ClaimFinding(offset, "note", name, rule.say(**values) + "（差异在四舍五入范围内，可能是尾差）"))
        else:
            self.found.append(ClaimFinding(offset, rule.level, name, rule.say(**values)))

    # -- looking up what a sentence does not state itself ------------------------------------
    def lookup(self, claim: Claim, year: int | None, kind: str = "", same_kind: bool = False) -> Number | None:
        """The amount stated elsewhere of the same subject and year, nearest preceding first.

        Of the same kind (预算/决算) as the claim where the text states one, else of any kind
        (last year's 决算 may be the base of this year's budget) unless ``same_kind``; ``kind``
        demands one, said so by the subject itself (“年初预算为”).
        """
        if not claim.key or year is None:
            return None
        levels = self.paragraph_levels   # (a fiscal report's 全市 and 市本级, budget by budget, are other amounts)
        candidates = [c for c in self.claims if c is not claim and c.key == claim.key and c.current is not None
                      and c.year == year and (not kind or (c.kind == kind and c.kind_explicit))
                      and levels[c.paragraph] == levels[claim.paragraph]]
        if not kind and claim.kind and any(c.kind == claim.kind for c in candidates):
            candidates = [c for c in candidates if c.kind == claim.kind]
        elif not kind and same_kind:
            return None  # this year's 决算 is not this year's 预算
        before = [c for c in candidates if c.start < claim.start]
        after = [c for c in candidates if c.start > claim.start]
        pick = before[-1] if before else (after[0] if after else None)
        return pick.current if pick is not None else None

    def before(self, claim: Claim) -> Number | None:
        """The amount a subject-less change refers back to: the last one of its paragraph.

        “收入总计16,062.73万元。收支较上年增加1,995.90万元” — only for a subject the phrasings do
        not know (a known subject is looked up by name instead). After a breakdown (“其中，甲…，
        乙…”) it is the whole the parts were listed under, not the last part.
        """
        if claim.key in phrasing().aliases.values():
            return None
        earlier = [c for c in self.claims if c.paragraph == claim.paragraph and c.start < claim.start
                   and c.current is not None]
        if not earlier:
            return None
        whole = earlier[-1]
        # up to the whole of a breakdown in the same paragraph (a list whose items are paragraphs of
        # their own speaks of each item in its paragraph)
        while whole.parent is not None and whole.parent.current is not None and whole.parent is not claim \
                and whole.parent.paragraph == claim.paragraph:
            whole = whole.parent
        return whole.current

    def run(self) -> list[ClaimFinding]:
        for claim in self.claims:
            self.check_change(claim)
            self.check_same_and_change(claim)
            self.check_share(claim)
            self.check_completion(claim)
            self.check_reason(claim)
        self.check_bare_decreases()
        self.check_share_sums()
        self.check_balance()
        self.check_summed_totals()
        self.check_breakdowns()
        self.check_consistency()
        self.check_one_part()
        self.check_bounds()
        self.check_scope()
        self.check_part_changes()
        return self.found

    def base_word(self, claim: Claim) -> str:
        """What a change is measured from, as a message names it: 预算 for this year's budget
        (“比年初预算减少……” in a 决算), else 上年 (“比2025年预算增加” in 2026 is last year's)."""
        year = claim.year if claim.year is not None else self.year
        this_year = claim.base_year is None or claim.base_year == year
        return "预算" if claim.base_kind == "预算" and this_year else "上年"

    def check_bare_decreases(self) -> None:
        """decrease-over-100 for a percentage said of no amount (“项目支出较上年下降120%。”): such a
        sentence makes no claim, but the decrease is impossible whatever the amounts."""
        said = {f.offset for f in self.found}
        for match in _DECREASE.finditer(self.text):
            value = Decimal(match.group("value"))
            digits = match.group("value").partition(".")[2]
            if value - Decimal(5).scaleb(-len(digits) - 1) > 100 and match.start("at") not in said:
                self.emit("decrease-over-100", match.start("at"), written=match.group("value"))

    # -- change, percentage, direction -----------------------------------------------------
    def judge(self, point: Decimal, interval: Span | None, written: Decimal, tolerance: Decimal,
              places: int) -> str:
        """ok when the written value is the printed arithmetic; note within rounding; else error."""
        if half_up(point, places) == half_up(written, places):
            return "ok"
        if interval is not None and interval.meets(Span.around(written, tolerance)):
            # a slip of one in the last digit is worth a note (truncated, or 尾差): the writer most
            # likely worked from the printed figures, also when they are whole 万元 (reviewers list
            # “7 ÷ 563 = 1.243%, 写 1.25%”); a wider gap that rounding explains is not reported
            unit = Decimal(1).scaleb(-places)
            slip = abs(half_up(point, places) - half_up(written, places)) <= unit
            return "note" if slip else "ok"
        return "error"

    def check_change(self, claim: Claim) -> None:
        if claim.change is None and claim.percent is None and claim.same_at < 0:
            return
        current, prior = claim.current, claim.prior
        year = claim.year if claim.year is not None else self.year
        if current is None and (claim.change is not None or claim.same_at >= 0):
            current = self.lookup(claim, year, same_kind=True) or self.before(claim)
        if prior is None and year is not None:
            if claim.base_kind == "预算":
                prior = self.lookup(claim, claim.base_year or year, "预算")
            else:
                prior = self.lookup(claim, claim.base_year if claim.base_year and claim.base_year < year else year - 1)
            if prior is not None and current is not None and claim.percent is not None \
                    and not _plausible(current.value, prior.value, claim.percent.value):
                prior = None    # an amount of the same name said of something else (a 结转 of 政府性基金)
        sign = -1 if claim.change_sign == "down" else 1
        if current is not None and prior is not None:
            truth, point = span_of(current) - span_of(prior), current.value - prior.value
            if claim.change is not None:
                written = claim.change.value * sign
                if claim.change_sign is None:      # an unsigned 差值: compare sizes
                    point, truth, written = abs(point), abs_span(truth), claim.change.value
                verdict = self.judge(point, truth, written, claim.change.tolerance, 2)
                if verdict != "ok":
                    yuan = in_yuan(current, prior, claim.change)
                    self.emit("change-amount", claim.change.start, verdict,
                              expected=moved(point, claim.change_sign, yuan), current=shown_in(current.value, yuan),
                              prior=shown_in(prior.value, yuan), written=bare(claim.change),
                              base=self.base_word(claim), unit="元" if yuan else "万元")
            if claim.same_at >= 0 and not truth.contains_zero() and not self.roughly_same(claim, prior):
                self.emit("unchanged-but-different", claim.same_at, word=self.same_word(claim),
                          current=shown(current.value), prior=shown(prior.value))
        if claim.change is not None and claim.change_sign == "up" and current is not None and prior is None \
                and current.value - claim.change.value < -(current.tolerance + claim.change.tolerance):
            self.emit("impossible-change", claim.change.start, current=shown(current.value),
                      change=shown(claim.change.value), prior=shown(current.value - claim.change.value))
            return
        if claim.percent is None:
            return
        if claim.percent_sign == "down" and claim.percent.value - claim.percent.tolerance > 100:
            # less than nothing: a decrease is at most all of last year's amount
            self.emit("decrease-over-100", claim.percent.start, written=bare(claim.percent))
            return
        signs = (claim.change_sign, claim.percent_sign)
        if prior is None and current is None and signs in (("up", "down"), ("down", "up")):
            # “较上年减0.04万元，增0.01%”: with no base to compute from, the two words still disagree
            moved_word = {"up": "增加", "down": "减少"}[claim.change_sign]
            word = phrasing().direction_end.search(self.text, max(0, claim.percent.start - 8), claim.percent.start)
            self.emit("percent-opposite", claim.percent.start, word=word.group("word") if word else "",
                      basis=f"增减额写的是“{moved_word}”")
            return
        if prior is not None:
            base, base_point = span_of(prior), prior.value
            if current is not None:
                change, change_point = span_of(current) - base, current.value - prior.value
                if claim.change is not None and claim.change_sign is not None:
                    # the change written agrees (else change-amount said so): what it narrows stands
                    # (“17万元，较上年19.5万元减少2.5万元”: 17 may be 16.5–17.5, 2.5 is 2.45–2.55)
                    change = change.narrowed(signed_span(claim.change, claim.change_sign))
            elif claim.change is not None:
                change, change_point = signed_span(claim.change, claim.change_sign), claim.change.value * sign
            else:
                return
        elif current is not None and claim.change is not None:
            change, change_point = signed_span(claim.change, claim.change_sign), claim.change.value * sign
            base, base_point = span_of(current) - change, current.value - change_point
        else:
            return
        if base_point <= 0:
            # “增加0万元，增长0%” (nothing last year, nothing now) is the wording of no change, which
            # the zero-change lint rule judges (some formats write it so); a rate from zero is not
            if claim.percent.value != 0 or change_point != 0:
                self.emit("zero-base-percent", claim.percent.start, written=claim.percent.text, base="上年数")
            return
        percent_sign = claim.percent_sign or claim.change_sign
        written = claim.percent.value * (-1 if percent_sign == "down" else 1)
        point = change_point / base_point * 100
        if self.opposite(claim, point, current is not None and prior is not None):
            return
        if percent_sign is None:
            point, written = abs(point), claim.percent.value
        interval = ratio(change, base)
        if interval is not None and percent_sign is None:
            interval = abs_span(interval)
        verdict = self.judge(point, interval, written, claim.percent.tolerance, places_of(claim.percent))
        if verdict == "ok" or self.fits_whole(claim, current, prior):
            return
        hint = ""
        yuan = in_yuan(current, prior, claim.change)
        if current is not None and current.value and claim.change is not None:
            on_current = claim.change.value / current.value * 100
            if half_up(on_current, places_of(claim.percent)) == claim.percent.value:
                hint = f"（文中似以本年数 {shown_in(current.value, yuan)} 为基数）"
        self.emit("change-percent", claim.percent.start, verdict, expected=shown(abs(point)),
                  change=shown_in(abs(change_point), yuan), prior=shown_in(base_point, yuan),
                  written=bare(claim.percent), hint=hint, base=self.base_word(claim))

    def fits_whole(self, claim: Claim, current: Number | None, prior: Number | None) -> bool:
        """Whether a change and percentage written after the last part of a list (“其中：甲15,000元，
        乙20,000元，比上年减少5,000元，下降12.5%”) fit the list's whole, which states no change of
        its own: the words may be the whole's, so a part's misfit is no finding."""
        whole = claim.parent
        if whole is None or whole.current is None or whole.change is not None or whole.percent is not None \
                or claim.change is None or prior is not None or claim.percent is None:
            return False
        if any(c.parent is whole for c in self.claims[self.claims.index(claim) + 1:]):
            return False    # not the list's last part
        change = claim.change.value * (-1 if claim.change_sign == "down" else 1)
        base = whole.current.value - change
        if base <= 0:
            return False
        point = abs(change / base * 100)
        return half_up(point, places_of(claim.percent)) == claim.percent.value

    def opposite(self, claim: Claim, point: Decimal, from_amounts: bool) -> bool:
        """A percentage of the right size whose direction word says the other way (“减少50.00万元，
        增长6.67%”): one finding of the direction, not of the number."""
        if claim.percent_sign not in ("up", "down") or point == 0:
            return False
        actual = "up" if point > 0 else "down"
        places = places_of(claim.percent)
        if claim.percent_sign == actual or half_up(abs(point), places) != claim.percent.value:
            return False
        word = phrasing().direction_end.search(self.text, max(0, claim.percent.start - 8), claim.percent.start)
        moved_word = {"up": "增加", "down": "减少"}[actual]
        basis = f"本年数比上年数{moved_word}" if from_amounts else f"增减额写的是“{moved_word}”"
        self.emit("percent-opposite", claim.percent.start, word=word.group("word") if word else "", basis=basis)
        return True


def check_claims(claims: list[Claim], text: str, year: int | None,
                 line_of: Any = None, table_budget: Any = None) -> list[ClaimFinding]:
    """Every finding of the claim checks, in document order.

    ``line_of(offset)`` names the original line of a place of the text for messages that point
    at another place (“第 3 页第 12 行”); by default the line of the text itself.
    ``table_budget(claim)`` gives the budget the document's own tables print for a claim's
    subject (a :class:`Number`), or None.
    """
    if line_of is None:
        line_of = lambda offset: f"第 {text.count(chr(10), 0, offset) + 1} 行"  # noqa: E731
    checker = _Checker(claims, text, year, line_of, table_budget)
    return sorted(checker.run(), key=lambda f: (f.offset, f.rule))
