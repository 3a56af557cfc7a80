"""Checks of one subject's amounts wherever a document says them: the same amount everywhere, a
part no larger than its whole, a total's parts inside its 口径 — each amount taken in the place it is
said (the unit heading it comes under, the level of government and budget of its paragraph).

A mixin of the claim checker (:mod:`narrator.review.claimcheck`), which gives ``claims``, ``text``,
``emit`` and ``line_of``.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property
from typing import Any

from ..numbers import half_up
from .amounts import bare, span_of
from .arith import shown
from .claims import Claim
from .subjects import exact_key
from .phrasing import phrasing


# a whole's amount, then its 其中 and the one part's name (“财政拨款收入1924.09万元，其中政府性基金”)
_ONE_PART = re.compile(r"[，,]?\s*其中[：:]?\s*[\u4e00-\u9fff“”（）()]{2,30}")
# the level of government a paragraph of a fiscal report speaks of
_LEVEL = re.compile(r"全[省市县区州旗镇乡]|[省市县区州旗]本级(?![和与及、])")
_FUND = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*)?(?:[\u4e00-\u9fff]{0,4}?)"
                   r"(?P<fund>一般公共预算|政府性基金|国有资本经营|社会保险基金)")


class PlaceChecks:
    """amount-inconsistent, part-over-whole and parts-scope."""

    claims: list[Claim]
    text: str
    emit: Any
    line_of: Any
    paragraph_levels: list[tuple[str, str]]    # :meth:`levels`, made by the checker once

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
