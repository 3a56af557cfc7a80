"""Checks across a whole document's claims: totals that balance, one subject's amounts, 口径.

A mixin of the claim checker (:mod:`narrator.review.claimcheck`), which gives ``claims``,
``emit`` and ``line_of``.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from functools import cached_property
from typing import Any

from ..numbers import half_up
from .amounts import bare, moved, signed_span, span_of
from .arith import Span, shown
from .claims import Claim
from .subjects import exact_key
from .phrasing import phrasing


ZERO = Decimal(0)
_LEAD_IN = re.compile(r"[：:]\s*$")           # a paragraph ending “……如下：” leads in to a list
_ITEM_MARK = re.compile(r"^\s*(?:\d+\s*[、.．](?!\d)|[（(][\d一二三四五六七八九十]+[)）])")
_PART_WORDS = re.compile(r"的|支出|预算|决算|一般公共|财政拨款")
# a paragraph that breaks the spending down one way (“按支出经济分类科目：工资福利支出……”)
_BREAKDOWN = re.compile(r"(?:^|(?<=[。；;：:]))\s*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*)?按[^：:，,。；;\d\n]{2,20}[：:]",
                        re.MULTILINE)
_SENTENCE_END = re.compile(r"[。\n]")
# a whole's amount, then its 其中 and the one part's name (“财政拨款收入1924.09万元，其中政府性基金”)
_ONE_PART = re.compile(r"[，,]?\s*其中[：:]?\s*[\u4e00-\u9fff“”（）()]{2,30}")
# the level of government a paragraph of a fiscal report speaks of
_LEVEL = re.compile(r"全[省市县区州旗镇乡]|[省市县区州旗]本级(?![和与及、])")
_FUND = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*)?(?:[\u4e00-\u9fff]{0,4}?)"
                   r"(?P<fund>一般公共预算|政府性基金|国有资本经营|社会保险基金)")


def part_name(key: str) -> str:
    """A subject's key without the words the same part is written with or without (的, 支出, 预算…)."""
    return _PART_WORDS.sub("", key)


class DocumentChecks:
    """balance, balance-change, total-identity, breakdown-total, amount-inconsistent, part-over-whole and parts-scope."""

    claims: list[Claim]
    emit: Any
    line_of: Any
    paragraph_levels: list[tuple[str, str]]    # :meth:`levels`, made by the checker once

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

    @cached_property
    def paragraph_places(self) -> list[tuple[int, tuple[str, str]]]:
        """For each paragraph, where its amounts are said: the unit heading it comes under
        (:meth:`scopes`) and its level of government and budget (:meth:`levels`)."""
        return list(zip(self.scopes(), self.paragraph_levels))

    def check_consistency(self) -> None:
        seen: dict[tuple, Claim] = {}
        places = self.paragraph_places
        for claim in self.claims:
            name = exact_key(claim.subject)
            if not name or claim.current is None or claim.year is None:
                continue
            first = seen.setdefault((name, claim.year, claim.kind, places[claim.paragraph]), claim)
            # one subject's printed amount is printed the same everywhere (a 元 table's 万元 rounded too)
            if first is not claim and half_up(first.current.value) != half_up(claim.current.value):
                self.emit("amount-inconsistent", claim.current.start, subject=name, year=f"（{claim.year}年）",
                          line=self.line_of(first.current.start), other=shown(first.current.value), written=bare(claim.current))

    def check_one_part(self) -> None:
        """part-over-whole: the one part written under a total's 其中 (a list of several is
        parts-total's) stated larger than the total."""
        parts = Counter(id(c.parent) for c in self.claims if c.parent is not None)
        for claim in self.claims:
            whole = claim.parent
            if whole is not None and parts[id(whole)] == 1 and claim.current is not None \
                    and whole.current is not None and claim.year == whole.year and claim.kind == whole.kind \
                    and _ONE_PART.fullmatch(self.text, whole.current.end, claim.current.start) \
                    and span_of(claim.current).low > span_of(whole.current).high:
                self.emit("part-over-whole", claim.current.start, part=claim.subject, written=bare(claim.current),
                          whole=whole.subject, line="本句", whole_amount=shown(whole.current.value))

    def check_bounds(self) -> None:
        """part-over-whole: an amount that is only ever a piece of another subject's (机关运行经费 of
        the 公用经费) stated larger than that subject's amount of the same year, kind and place."""
        places = self.paragraph_places
        where = lambda c: (c.year, c.kind, places[c.paragraph])  # noqa: E731
        stated = [c for c in self.claims if c.current is not None and c.year is not None]
        for part_key, whole_key in phrasing().bounds:
            wholes = [c for c in stated if c.key == whole_key]
            for part in (c for c in stated if c.key == part_key and wholes):
                whole = next((w for w in wholes if where(w) == where(part)
                              and span_of(part.current).low > span_of(w.current).high), None)
                if whole is not None:
                    self.emit("part-over-whole", part.current.start, part=part.subject, written=bare(part.current),
                              whole=whole.subject, line=self.line_of(whole.current.start), whole_amount=shown(whole.current.value))

    def levels(self) -> list[tuple[str, str]]:
        """For each paragraph, the level of government it speaks of (全市, 市本级 …) and the budget a
        paragraph opening with one is about (“2.政府性基金预算。……”), as last said: a fiscal report
        tells the whole city's figures and its own level's, budget by budget, the same items (债务还本
        支出, 调出资金) with other amounts."""
        result, level, fund = [], "", ""
        for line in self.text.split("\n"):
            said = _LEVEL.search(line)
            level = said.group() if said else level
            opened = _FUND.match(line)
            fund = opened.group("fund") if opened else fund
            result.append((level, fund))
        return result

    def scopes(self) -> list[int]:
        """For each paragraph, the line of the organisation heading it comes under (-1 before any).

        A summary of a city's “三公” spending goes on with each department's (“市公安局” on a line of
        its own, or “票据所：”): the same item's amount under another department is not the same amount.
        """
        words = phrasing().scope_headings
        # (a label with its colon, “票据所：”, opens the unit's part as well)
        heading = re.compile(f"^[\u4e00-\u9fff（）()]{{2,16}}(?:{'|'.join(map(re.escape, words))})[：:]?$") if words else None
        result, current = [], -1
        for number, line in enumerate(self.text.split("\n")):
            if heading is not None and heading.match(line.strip()):
                current = number
            result.append(current)
        return result

    def check_scope(self) -> None:
        scopes = phrasing().scopes
        for claim in self.claims:
            total = claim.parent
            if total is None or total.key not in scopes or not claim.key or claim.current is None:
                continue
            members = scopes[total.key]
            # only a part the text names exactly as something else (会议费, 培训费: economic 款) is
            # outside the total; a name not known is more likely a variant of a member's name
            part = exact_key(claim.subject)
            if part and part not in members and part != total.key:
                self.emit("parts-scope", claim.current.start, part=claim.subject or claim.key, total=total.key,
                          members="、".join(members))

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
