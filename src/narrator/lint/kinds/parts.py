"""parts-total: the parts listed after “其中：”/“包括：” add up to the total stated before it.

A total is the first amount of its sentence (up to 。；) before the marker; the parts are the
amounts after the marker that are said of a subject (not 占…, not 增加/减少…), up to the next
marker or the end of the sentence — or, when the marker ends the paragraph, the first such
amount of each following paragraph up to the next heading. A list that is cut off (the text
ends before it does, or it ends without 。/；: a web page's excerpt, a lost last page) is not
checked: the parts it lists are not all the parts. A printed total of n printed parts
may differ from their sum by (n + 1) × 0.005 万元 (尾差); only more than that is reported, and
not when a figure finding already names a wrong amount among them (one cause, one finding).

The marker may stand without its colon (“其中人员经费600万元，公用经费250万元”) or open a sentence
of its own after the total's (“……30万元。其中：甲10万元；乙18万元。”: the total is the one amount of
the sentence before). Parts one to a clause between ；（“其中：甲10万元；乙18万元。”) run to the 。.
Counts are summed as amounts are, of one unit (“车辆5辆，其中：轿车2辆，越野车2辆”), exactly.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ...numbers import rounding_tolerance
from ...errors import Finding
from ...numbers import format_amount
from ...caches.regexcache import regex
from ..document import Token
from ..genre import fiscal_report
from .partslines import TERMINATED, countable, eligible, following, wrapped

_SENTENCE = regex(r"[^。；;！？!?]+")
_BRACKET = regex(r"[（(][^（()）]*[)）]")
_REASON = regex(r"原因")
_OPEN_BRACKET = regex(r"[（(](?=其中|包括)")


_CIRCLED = regex(r"[①②③④⑤⑥⑦⑧⑨⑩]")
_ANOTHER_WAY = regex(r"[，,；;]\s*(?:其中)?按[\u4e00-\u9fff]{1,8}(?:分类|科目|类别|列支|划分)")


def _previous_total(line_text: str, sentence_start: int, inside_line: list[Token], line_start: int) -> list[Token]:
    """The total of a list that opens its own sentence (“……30万元。其中：……”): the amounts or counts
    of the sentence before, in the same paragraph, the last first (“年初预算为2,000万元，支出决算为
    1,900万元。其中：……” lists the parts of the 决算); none when it states more than two."""
    before = line_text[:sentence_start].rstrip()
    if not before.endswith(("。", "；", ";")):
        return []
    previous = list(_SENTENCE.finditer(before))
    if not previous:
        return []
    last = previous[-1]
    inside = [t for t in inside_line if last.start() <= t.start - line_start < last.end() and countable(t)]
    if not inside and len(previous) > 1 and _REASON.search(last.group()) \
            and not any(last.start() <= t.start - line_start < last.end() for t in inside_line):
        # a sentence of the reason between the total and its list (“……下降15%。下降的主要原因是：
        # 项目减少。包括：”): the total is the one of the sentence before it
        last = previous[-2]
        inside = [t for t in inside_line if last.start() <= t.start - line_start < last.end() and countable(t)]
    return inside[::-1] if len(inside) <= 2 else []


def _clause_list(line_text: str, end: int, tokens: list[Token], line_start: int, kind: str,
                 marker: re.Pattern, rest: Decimal | None = None) -> tuple[list[Token], bool]:
    """Parts that go on past a ； one to a clause (“其中：甲10万元；乙18万元。”), up to the 。, and
    whether the list ends there; a clause with no part, or more than one, ends the run unjudged.
    Parts that already make up ``rest`` (what the total lacks after the first part) end the list:
    a nested list (“……；其中：购置0万元；运行维护27.46万元；公务接待费……”) goes back to the outer
    one's items after its last part."""
    parts: list[Token] = []
    for clause in _SENTENCE.finditer(line_text, end):
        found = [t for t in tokens if clause.start() <= t.start - line_start < clause.end() and eligible(t, kind)]
        inner = marker.search(clause.group())
        if inner and any(t.start - line_start >= clause.start() + inner.start() for t in found):
            return parts, False  # a list of its own inside the clause (a part's 其中)
        if len(found) != 1:
            return parts, False
        parts += found
        if rest is not None and rest == sum((t.value for t in parts), Decimal(0)):
            return parts, True
        if line_text[clause.end():clause.end() + 1] in ("。", "！", "？", "!", "?"):
            # a next sentence that opens with a named amount may be the list's next item, the 。 a
            # slip for ；(“……公务接待费122万元。公务用车购置及运行维护费1012万元，……”)
            following = re.match(r"[^，,。；;]*", line_text[clause.end() + 1:]).group()
            first = clause.end() + 1 + len(following)
            goes_on = any(clause.end() < t.start - line_start < first and eligible(t, kind) for t in tokens)
            return parts, not goes_on
        if clause.end() >= len(line_text.rstrip()):
            return parts, False
    return parts, False


def run(rule: Any, context: Any) -> list[Finding]:
    """Each stated total that its listed parts do not add up to."""
    words = "|".join(map(re.escape, rule.params.get("markers") or ["其中", "包括"]))
    marker = regex(f"(?:{words})[：:，,]?")
    own_only = set(rule.params.get("own_sentence_markers") or ())
    doc = context.doc
    by_line: dict[int, list[Token]] = {}
    for token in doc.tokens:
        by_line.setdefault(token.line, []).append(token)
    findings = []
    for index, line in enumerate(doc.lines):
        tokens = by_line.get(line.number, [])
        for sentence in _SENTENCE.finditer(line.text):
            marks = list(marker.finditer(line.text, sentence.start(), sentence.end()))
            if not marks:
                continue
            inside = [t for t in tokens if sentence.start() <= t.start - line.start < sentence.end()]
            # a bracket right after a part is that part's breakdown (“21万元（其中：购置费0万元，
            # 运行维护费21万元）”): its amounts are not parts of the outer list, and a 其中 inside it
            # is a list of its own, whose total is the amount just before the bracket
            brackets = [m.span() for m in _BRACKET.finditer(line.text, sentence.start(), sentence.end())]
            # a bracket the 。 inside it cut off (“60万元（其中本级60万元，对下补助0万元。）”) is one too
            brackets += [(m.start(), sentence.end()) for m in _OPEN_BRACKET.finditer(line.text, sentence.start(),
                                                                                    sentence.end())
                         if not any(b[0] <= m.start() < b[1] for b in brackets)]
            nested = lambda offset: next((b for b in brackets if b[0] <= offset < b[1]), None)  # noqa: E731
            outer = [m for m in marks if nested(m.start()) is None]
            # a later “主要包括基本工资、津贴补贴……” with no amount after it tells what a part holds
            outer = outer[:1] + [m for n, m in enumerate(outer[1:], 1) if any(
                m.end() <= t.start - line.start < (outer[n + 1].start() if n + 1 < len(outer) else sentence.end())
                and countable(t) for t in inside)]
            for mark in marks:
                span = nested(mark.start())
                if span is None:
                    continue
                before = [t for t in inside if t.start - line.start < span[0] and countable(t)]
                parts = [t for t in inside if mark.end() <= t.start - line.start < span[1]
                         and before and eligible(t, before[-1].kind)]
                finding = _judge(rule, context, before[-1], parts) if before else None
                if finding and before[-1].kind.startswith("count:") \
                        and sum((t.value for t in parts), Decimal(0)) < before[-1].value:
                    continue  # people in brackets are often a few of them (“在职11人（其中临聘人员1人……）”)
                if finding:
                    findings.append(finding)
            if not outer:
                continue
            stated = [t for t in inside if t.start - line.start < outer[0].start() and countable(t)]
            own_sentence = bool(stated)    # the total in the marker's own sentence, not the one before
            if not stated and outer[0].group().rstrip("：:，,") in own_only:
                continue    # (“……其中本年支出527.61万元。具体情况如下：”: which amount it details is not said)
            if not stated and not line.text[sentence.start():outer[0].start()].strip():
                stated = _previous_total(line.text, sentence.start(), tokens, line.start)
                if not stated and sentence.start() == 0 and index and not doc.lines[index - 1].heading:
                    above = doc.lines[index - 1]  # “其中：” opens the paragraph after the total's sentence
                    stated = _previous_total(above.text, len(above.text), by_line.get(above.number, []), above.start)
            if not stated:
                continue
            total = stated[0]
            for number, mark in enumerate(outer):
                end = outer[number + 1].start() if number + 1 < len(outer) else sentence.end()
                parts = [t for t in inside if mark.end() <= t.start - line.start < end and eligible(t, total.kind)
                         and nested(t.start - line.start) is None]
                parts = _first_of_each_item(line.text, line.start, mark.end(), end, parts)
                last = number == len(outer) - 1
                ended = True
                if last and len(parts) == 1 and line.text[end:end + 1] in ("；", ";"):
                    more, ended = _clause_list(line.text, end + 1, tokens, line.start, total.kind, marker,
                                               total.value - parts[0].value)
                    parts += more
                elif not parts and last and not _BRACKET.sub("", line.text[mark.end():]).strip(" \t：:"):
                    # (the marker may end its paragraph with a note of how it lists: “具体情况如下（按项级科目
                    # 分类统计）：”)
                    rows, ended = following(doc, index, by_line, headings=own_sentence)
                    parts = [row[0] for row in rows]
                    column = _column_finding(rule, context, stated, rows) if ended else None
                    if column is not None:
                        findings.append(column)
                        continue
                elif last and end == len(line.text) and not TERMINATED.search(line.text):
                    more, ended = wrapped(doc, index, by_line)  # the sentence goes on in the next line
                    parts += more
                if not ended or any(t.kind != total.kind for t in parts):
                    continue  # a list cut off (the text ends, or the list does not): its sum says nothing
                if any(t.unit != total.unit and t.value for t in parts):
                    continue  # a part in another unit (“33.17元” among 万元): unit-mix's finding, not a sum's
                # “年初预算为0.95万元，支出决算为0.00万元，其中：……”: the parts may add up to another
                # amount stated before them than the first
                if any(_judge(rule, context, other, parts) is None for other in stated[1:] if other.kind == total.kind):
                    continue
                finding = _judge(rule, context, total, parts)
                if finding and _some_of(line.text, line.start, mark, parts, total):
                    continue    # “主要包括甲……、乙……等”: some of the parts, less than the whole
                # a later marker may open a list inside the first one, of the amount just before it
                # (“实有人数76人，其中在职人员48人，包括行政人员22人，事业人员26人；退休人员15人……”):
                # judged against that amount (none when it adds up to it, and it is the one meant when
                # neither does)
                near = [t for t in inside if outer[number - 1].end() <= t.start - line.start < mark.start()
                        and countable(t) and t.kind == total.kind] if number else []
                if finding and near:
                    finding = _judge(rule, context, near[-1], parts)
                judged = near[-1] if near else total
                if finding and total.kind.startswith("count:") and _breakdowns(parts, [
                        t.value for t in tokens if t.start - line.start < mark.start() and t.kind == total.kind
                        and t is not judged]):
                    continue   # (the first few adding up to the total judged are its parts, and more besides)
                if finding and _second_breakdown(rule, context, line.text, line.start, judged, parts):
                    continue
                if finding:
                    findings.append(finding)
    return findings


#: Parts of a “主要……包括” list that add up to less than this share of the total are some of them; a
#: list that comes nearer is meant whole (the template's “主要支出项目……包括” over every item) with a slip.
_MOST = Decimal("0.8")


def _some_of(line_text: str, line_start: int, mark: re.Match, parts: list[Token], total: Token) -> bool:
    """Whether a list says it names only some parts, and they come to less than the total: “……等”
    after its last part (any sum up to the total), or “主要” in its sentence before it (“主要包括……”,
    “主要支出项目……包括：”; a sum under ``_MOST`` of the total)."""
    listed = sum((t.value for t in parts), Decimal(0))
    last = parts[-1] if parts else None
    if last is not None and last.line == parts[0].line:
        after = line_text[last.end - line_start:last.end - line_start + 3]
        if after.startswith("等") or after[1:2] == "等":
            return listed <= total.value
    sentence = re.split(r"[。；;！？!?]", line_text[:mark.start()])[-1]
    return "主要" in sentence and listed < total.value * _MOST


def _column_finding(rule: Any, context: Any, stated: list[Token], rows: list[list[Token]]) -> Finding | None:
    """A total of two amounts (“年初预算为410万元，支出决算为422.50万元。其中：”) over items that
    each state two amounts in the same order (“1.甲。年初预算为300万元，支出决算为320.50万元，……”):
    the first column that does not add up to its total, or None (also when the shapes differ, for
    the plain first-amount sum to judge). A 决算 total that disagrees with its items is found even
    where the 年初预算 column agrees."""
    totals = sorted((t for t in stated if t.kind == "amount"), key=lambda t: t.start)
    if len(totals) != 2 or len(rows) < 2 or any(len(row) != 2 for row in rows):
        return None
    for column, total in enumerate(totals):
        finding = _judge(rule, context, total, [row[column] for row in rows])
        if finding:
            return finding
    return None


def _breakdowns(parts: list[Token], counts: list[Decimal]) -> bool:
    """Whether people listed after one 其中 are two breakdowns of one count: the first few add up
    to a count stated before (“实有50人……其中本科22人，专科21人，中专7人，副高级职称3人……”: 22 + 21
    + 7 = 50 by schooling, then titles)."""
    running = Decimal(0)
    for number, token in enumerate(parts[:-1]):
        running += token.value
        if number and running in counts:
            return True
    return False


def _first_of_each_item(text: str, start: int, begin: int, end: int, parts: list[Token]) -> list[Token]:
    """A list whose items are numbered ①②… (“包括：①一般性转移支付10,970万元，主要是……8,881万元，
    ……②专项转移支付……”) is the first amount of each item: the others break that item down. A
    sentence holding ① alone lists nothing to judge when ② comes in the next sentence, and its first
    amount when ② follows a ；."""
    marks = [m.start() for m in _CIRCLED.finditer(text, begin, end)]
    if len(marks) == 1:
        # ① alone: its siblings come after the ； that ends it (read on by the clause list), or in
        # sentences after it (not judged)
        first = next((t for t in parts if t.start - start >= marks[0]), None)
        return [first] if first is not None and text[end:end + 1] in ("；", ";") else []
    if not marks:
        return parts
    firsts = []
    for here, there in zip(marks, marks[1:] + [end]):
        first = next((t for t in parts if here <= t.start - start < there), None)
        if first is not None:
            firsts.append(first)
    return firsts


def _second_breakdown(rule: Any, context: Any, text: str, start: int, total: Token, parts: list[Token]) -> bool:
    """Whether the parts are two breakdowns of one total in a row: the first few add up to it and
    the next starts another way of dividing it (“其中按功能列支的行政支出380.25万元……农田水利建设
    5万元，按经济科目列支的办公费9.48万元……”)."""
    for count in range(2, len(parts)):
        between = text[parts[count - 1].start - start:parts[count].start - start]
        if _ANOTHER_WAY.search(between) and _judge(rule, context, total, parts[:count]) is None:
            return True
    return False


#: Parts that add up to more than this many times their total are, in a fiscal report, something else
#: than its breakdown.
_NOT_A_BREAKDOWN = Decimal(2)


def _judge(rule: Any, context: Any, total: Token, parts: list[Token]) -> Finding | None:
    if len(parts) < 2:
        return None
    if any(t.start in context.flagged for t in [total, *parts]):
        return None  # a wrong amount among them is already reported
    parts_sum = sum((t.value for t in parts), Decimal(0))
    counted = total.kind.startswith("count:")
    # a count is exact; amounts printed in whole 万元 (or 0.1 万元) may be one in the last place out
    # (尾差 of rounded figures); more than that is a slip even where rounding could in theory explain it
    tolerance = Decimal(0) if counted else max(rounding_tolerance(len(parts)), _step([total, *parts]))
    difference = total.value - parts_sum
    if abs(difference) <= tolerance:
        return None
    if not counted and parts_sum > _NOT_A_BREAKDOWN * total.value > 0 and fiscal_report(context.doc):
        # (in a fiscal report, parts that come to more than twice the total are no breakdown of it but
        # a running account: “总收入389,000万元。其中：……收入225,160万元，……加预计转移性收入……”)
        return None
    shown = (lambda value: f"{value:,}") if counted else format_amount
    return context.finding(rule, total.start, total=shown(total.value), sum=shown(parts_sum),
                           difference=shown(abs(difference)), count=len(parts), unit=total.unit if counted else "万元",
                           parts="＋".join(shown(t.value) for t in parts))


def _step(tokens: list[Token]) -> Decimal:
    """The last printed place of the amounts, in 万元 (0.01 for “214.20 万元”), when all are printed
    so: one amount with cents (or a zero, which is exact whatever its digits) makes the list precise."""
    finest = None
    for token in tokens:
        if token.value == 0:
            continue
        digits = token.text.replace(",", "").split(".")[1] if "." in token.text else ""
        places = len(re.match(r"\d*", digits).group())
        step = Decimal(1).scaleb(-places) / (10000 if token.unit == "元" else 1)
        finest = step if finest is None else min(finest, step)
    return max(finest or Decimal("0.01"), Decimal("0.01"))
