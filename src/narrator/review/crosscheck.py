"""Checks across a whole document's claims: totals that balance, and the changes of a list's parts.

A mixin of the claim checker (:mod:`narrator.review.claimcheck`), which gives ``claims``,
``emit`` and ``line_of``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .amounts import bare, moved, signed_span, span_of
from .arith import Span, shown
from .claims import Claim
from .phrasing import phrasing


ZERO = Decimal(0)
_LEAD_IN = re.compile(r"[：:]\s*$")           # a paragraph ending “……如下：” leads in to a list
_ITEM_MARK = re.compile(r"^\s*(?:\d+\s*[、.．](?!\d)|[（(][\d一二三四五六七八九十]+[)）])")
_PART_WORDS = re.compile(r"的|支出|预算|决算|一般公共|财政拨款")
# a paragraph that breaks the spending down one way (“按支出经济分类科目：工资福利支出……”)
_BREAKDOWN = re.compile(r"(?:^|(?<=[。；;：:]))\s*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*)?按[^：:，,。；;\d\n]{2,20}[：:]",
                        re.MULTILINE)
_SENTENCE_END = re.compile(r"[。\n]")


def part_name(key: str) -> str:
    """A subject's key without the words the same part is written with or without (的, 支出, 预算…)."""
    return _PART_WORDS.sub("", key)


class DocumentChecks:
    """balance, balance-change, total-identity, breakdown-total and parts-change."""

    claims: list[Claim]
    emit: Any
    line_of: Any

    def check_balance(self) -> None:
        for left, right in phrasing().identities:
            lefts = [c for c in self.claims if c.key == left and c.current is not None and c.parent is None]
            rights = [c for c in self.claims if c.key == right and c.current is not None and c.parent is None]
            if len({c.current.value for c in lefts}) != 1 or len({c.current.value for c in rights}) != 1:
                continue
            a, b = lefts[0], rights[0]
            if not span_of(a.current).meets(span_of(b.current)):
                later, earlier = (b, a) if b.start > a.start else (a, b)
                self.emit("balance", later.current.start, left=later.subject, left_amount=shown(later.current.value),
                          right=earlier.subject, right_amount=shown(earlier.current.value),
                          line=self.line_of(earlier.current.start), difference=shown(abs(a.current.value - b.current.value)))
            self.check_balanced_change(left, right)

    def check_summed_totals(self) -> None:
        """A 总计 followed in its paragraph by the two amounts it is the sum of, written beside it, not
        under it (“收入总计1085.31万元，本年支出1070.67万元，年末结转和结余30.65万元”): their sum."""
        for index, total in enumerate(self.claims):
            if total.current is None or not total.key.endswith("总计"):
                continue
            after = []
            for claim in self.claims[index + 1:]:
                if claim.paragraph != total.paragraph or claim.key.endswith("总计"):
                    break
                after.append(claim)
            for ending, groups in phrasing().sum_identities:
                parts = [next((c for c in after if c.subject in names and c.current is not None and c.parent is None), None)
                         for names in groups] if total.key.endswith(ending) else [None]
                if None in parts:
                    continue
                first, second = parts
                if not (span_of(first.current) + span_of(second.current)).meets(span_of(total.current)):
                    expected = first.current.value + second.current.value
                    self.emit("total-identity", total.current.start, total=total.subject, total_amount=shown(total.current.value),
                              first=groups[0][0], second=groups[1][0], expected=shown(expected),
                              a=shown(first.current.value), b=shown(second.current.value),
                              difference=shown(abs(expected - total.current.value)))
                break

    def check_breakdowns(self) -> None:
        """Sentences one after another that break one total down in several ways (“按支出项目类别：
        基本支出581.72万元……。按支出功能分类科目：……。按支出经济分类科目：……。”) add up to the same
        sum: one whose sum differs from what the others agree on is reported."""
        run: list[tuple[Claim, Span, Decimal]] = []
        last_end = -1
        for match in _BREAKDOWN.finditer(self.text):
            stop = _SENTENCE_END.search(self.text, match.end())
            end = stop.start() if stop else len(self.text)
            claims = [c for c in self.claims if c.current is not None and match.end() <= c.current.start < end]
            if not claims:
                continue
            lead = match.group()
            between = self.text[last_end:match.start() + len(lead) - len(lead.lstrip())]
            if run and (between.strip("。；;\n \t\u3000") or between.count("\n") > 1):
                self._odd_breakdown(run)   # other words or a blank line between: another run
                run = []
            tops = [c for c in claims if c.parent is None or c.parent not in claims]
            # a total stated with its parts under it is the sentence's sum, else its amounts add up
            total = tops[0] if len(tops) == 1 and len(claims) > 1 else None
            span = span_of(total.current) if total else sum((span_of(c.current) for c in tops[1:]), span_of(tops[0].current))
            point = total.current.value if total else sum((c.current.value for c in tops), ZERO)
            run.append((claims[0], span, point))
            last_end = end
        self._odd_breakdown(run)

    def _odd_breakdown(self, run: list[tuple[Claim, Span, Decimal]]) -> None:
        """breakdown-total for the one breakdown of ``run`` that disagrees with all the others (at least two)."""
        if len(run) < 3:
            return
        for index, (first, span, point) in enumerate(run):
            others = [r for i, r in enumerate(run) if i != index]
            if all(not span.meets(s) for _, s, _ in others) and all(a.meets(b) for (_, a, _), (_, b, _) in zip(others, others[1:])):
                self.emit("breakdown-total", first.current.start, written=shown(point), expected=shown(others[0][2]),
                          count=len(others))
                return

    def check_balanced_change(self, left: str, right: str) -> None:
        """Totals that must balance change by the same amount (收入减少 77.37 beside 支出增加 77.37)."""
        def changes(key: str) -> list[Claim]:
            return [c for c in self.claims if c.key == key and c.change is not None and c.change_sign in ("up", "down")
                    and c.parent is None and not c.base_kind]
        lefts, rights = changes(left), changes(right)
        signed = lambda c: c.change.value * (-1 if c.change_sign == "down" else 1)  # noqa: E731
        if len({signed(c) for c in lefts}) != 1 or len({signed(c) for c in rights}) != 1:
            return
        a, b = lefts[0], rights[0]
        if not signed_span(a.change, a.change_sign).meets(signed_span(b.change, b.change_sign)):
            later, earlier = (b, a) if b.start > a.start else (a, b)
            self.emit("balance-change", later.change.start, subject=later.key, written=moved(signed(later), "up"),
                      other=earlier.key, line=self.line_of(earlier.change.start), other_written=moved(signed(earlier), "up"))

    def check_part_changes(self) -> None:
        """A total's change against the changes of the parts it lists (其中：甲……无增减；乙……减少1.00万元).

        Only a complete list is judged: every part says how it changed (a change or 持平/无增减), and
        the parts' amounts add up to the total's, so no unlisted part can take up the difference.
        """
        wholes = _listed_wholes()
        for whole in self.claims:
            if whole.change is None or whole.change_sign not in ("up", "down") or whole.base_kind:
                continue
            parts = [c for c in self.claims if c.parent is whole]
            if len(parts) < 2 or not _changes_told(parts):
                continue
            if whole.current is not None and all(p.current is not None for p in parts):
                amounts = sum((span_of(p.current) for p in parts[1:]), span_of(parts[0].current))
                complete = amounts.meets(span_of(whole.current))
            else:  # changes alone: complete when the parts are exactly those the total is made of
                members = wholes.get(part_name(whole.key))
                complete = members is not None and len(parts) == len(members) \
                    and {part_name(p.key) for p in parts} == members
            if complete and not _changes_meet(whole, parts):
                self._parts_change(whole, parts, whole.key or whole.subject)
        self.check_listed_changes()

    def _parts_change(self, whole: Claim, parts: list[Claim], subject: str) -> None:
        """parts-change: the total's change, and what its parts' changes add up to."""
        point = sum((p.change.value * (-1 if p.change_sign == "down" else 1) for p in parts if p.change is not None), ZERO)
        self.emit("parts-change", whole.change.start, subject=subject, written=bare(whole.change),
                  word="增加" if whole.change_sign == "up" else "减少", expected=moved(point, "up"), count=len(parts))

    def check_listed_changes(self) -> None:
        """A total's change against its parts' changes told in numbered paragraphs of their own below it
        (“基本支出预算较上年增17.10万元。主要变动原因如下：” then “1.工资福利支出较上年增……”).

        Judged only when the paragraphs name exactly the parts the total is made of (``listed_parts``
        in the data: 工资福利、商品和服务、对个人和家庭的补助 for 基本支出), each with its change.
        """
        wholes = _listed_wholes()
        lines = self.text.split("\n")
        by_paragraph: dict[int, list[Claim]] = {}
        for claim in self.claims:
            by_paragraph.setdefault(claim.paragraph, []).append(claim)
        for whole in self.claims:
            members = wholes.get(part_name(whole.key))
            if (members is None or whole.change is None or whole.change_sign not in ("up", "down") or whole.base_kind
                    or not _LEAD_IN.search(lines[whole.paragraph]) or by_paragraph[whole.paragraph][-1] is not whole):
                continue
            parts = []
            for at in range(whole.paragraph + 1, len(lines)):
                if not lines[at].strip():
                    continue
                if not _ITEM_MARK.match(lines[at]) or at not in by_paragraph:
                    break
                parts.append(by_paragraph[at][0])
            if len(parts) != len(members) or {part_name(p.key) for p in parts} != members or not _changes_told(parts):
                continue
            if not _changes_meet(whole, parts):
                self._parts_change(whole, parts, whole.subject or whole.key)


def _listed_wholes() -> dict[str, frozenset[str]]:
    """The totals whose parts are known (``listed_parts``), by part name: the names of their parts."""
    return {part_name(k): frozenset(part_name(m) for m in v) for k, v in phrasing().listed_parts.items()}


def _changes_told(parts: list[Claim]) -> bool:
    """Whether every part says how it changed on last year: an increase, a decrease or 持平/无增减."""
    return not any(p.base_kind or (p.change is None and p.same_at < 0)
                   or (p.change is not None and p.change_sign not in ("up", "down")) for p in parts)


def _changes_meet(whole: Claim, parts: list[Claim]) -> bool:
    """Whether the parts' changes add up to the total's, within the rounding of the printed digits."""
    # 持平 is no change at all, whatever the rounding of the amount
    changes = [signed_span(p.change, p.change_sign) if p.change is not None else Span(ZERO, ZERO) for p in parts]
    return sum(changes[1:], changes[0]).meets(signed_span(whole.change, whole.change_sign))
