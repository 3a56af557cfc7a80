"""year: years in the title and the headings are the document's own year.

Without figures the document's year is the first year of its first lines (the title); with
figures it is the figures' year. A year in a heading that differs — last year's heading left in
(“关于……2024 年收入预算情况说明” in a 2025 text) — is reported; “截至 2024 年底” (the end of last
year) and “比/与 2024 年” (a comparison) are right; a numbered paragraph with commas is not a heading. With figures, a year the figure rules already reported is left to them.
Parameter ``previous_year_before``: words after a year that make it last year's (年底 …);
``previous_year_headings``: words that make a heading of a budget (not final accounts) document
about last year (“二、2024 年“三公”经费决算情况” in a 2025 budget).
"""

from __future__ import annotations

from typing import Any

from ...errors import Finding
from ...caches.regexcache import regex
from ..document import YEAR, document_kind, title_line as _title_line, title_text
from ..genre import delivered_report


def run(rule: Any, context: Any) -> list[Finding]:
    """Years in headings that are not the document's year (nor last year's, where that is meant)."""
    year = context.year
    if year is None:
        return []
    if rule.params.get("scope") == "comparison":
        return _comparisons(rule, context, year)
    if rule.params.get("scope") == "own_year":
        return _own_years(rule, context, year)
    if rule.params.get("scope") == "as_of":
        return _as_of(rule, context, year)
    previous = tuple(rule.params.get("previous_year_before") or ["年底", "年末"])
    doc = context.doc
    title = title_text(doc)
    looking_back = tuple(rule.params.get("previous_year_headings") or [])
    budget = document_kind(doc) == "budget"
    # “2022年预算执行情况和2023年预算草案的报告”: a title of two years allows both in its headings
    title_years = {int(m.group(1)) for m in YEAR.finditer(title)}
    allowed = title_years if len(title_years) > 1 else set()
    if delivered_report(doc):   # a report to the congress, dated by its meeting: last year's and this
        allowed |= {year - 1, year}
    # a year read from an execution heading (“一、2022年全县一般公共预算收支执行情况表” first in a
    # report on 2022's execution and 2023's budget): the next year's 预算 headings are the report's too
    executed = "执行" in title
    findings = []
    for token in doc.tokens:
        line = doc.lines[token.line - 1]
        if token.kind != "year" or token.start in context.flagged:
            continue
        if not (line.heading or line.number == _title_line(doc)) or _SENTENCE.search(line.text):
            continue  # a numbered paragraph (“（一）……，与2024年预算持平。”) is not a heading
        after = doc.text[token.end - 1:token.end + 2]
        before = doc.text[max(0, token.start - 2):token.start]
        last_year = any(after.startswith(word) for word in previous) or any(w in before for w in "比与较")
        expected = year - 1 if last_year else year
        about_last_year = budget and line.number != _title_line(doc) and any(w in line.text for w in looking_back)
        next_budget = executed and token.value == year + 1 and "预算" in line.text
        if token.value != expected and not (about_last_year and token.value == year - 1) \
                and token.value not in allowed and not next_budget:
            findings.append(context.finding(rule, token.start, found=token.text, expected=f"{expected} 年"))
    return findings


_SENTENCE = regex(r"[，,。；;]")


_COMPARED = regex(r"(?:比|较|与|同)\s*$")
_JOINED = regex(r"年\s*(?:与|同)\s*$")
# final accounts compare with their own year's budget, never with their own year's 决算
_ACCOUNTS_AFTER = regex(r"\s*(?:年\s*)?(?:度\s*)?(?:的)?决算")
# a change said at once after the year compared with (“比2022年增加”, “较2022年预算数减少”)
_CHANGE_AFTER = regex(r"\s*年?\s*度?(?:的)?(?:预算|决算|执行)?数?(?:相比)?[，,]?\s*(?:增加|减少|增长|下降)")


def _comparisons(rule: Any, context: Any, year: int) -> list[Finding]:
    """A year compared with in the body that cannot be the one meant.

    A budget for year Y compares with Y − 1 (“比 2025 年预算增加” in a 2026 budget is last year's
    text left in, or a typo); final accounts for Y may compare with Y's budget (not with Y's 决算:
    “与 2022 年决算数持平” in the 2022 决算 is the same figure). A later year than
    the document's is wrong in both. Earlier years (“比 2019 年（疫情前）”) are not judged, but for
    two years back, left from last year's text (“比2022年增加20.00万元” in a 2024 budget), where the
    document compares with last year elsewhere and a change follows at once.
    """
    doc = context.doc
    title_number = _title_line(doc)
    budget = document_kind(doc) == "budget"
    findings, stale = [], []
    compared_last_year = False
    for token in doc.tokens:
        if token.kind != "year" or token.start in context.flagged:
            continue
        line = doc.lines[token.line - 1]
        if line.number == title_number or line.heading and not _SENTENCE.search(line.text):
            continue  # (a numbered paragraph with commas, “（一）收入预算：……较2025年增加……”, is body text)
        before = doc.text[max(line.start, token.start - 3):token.start]
        if not _COMPARED.search(before) or _JOINED.search(doc.text[max(line.start, token.start - 4):token.start]):
            continue  # “2024 年与 2025 年均未安排” joins two years, it does not compare
        if _SAME_BASIS.match(doc.text, token.start + len(token.text)):
            continue  # “2025年数据应与2026年年初预算数保持同口径”: a note on the figures, not a comparison
        after = doc.text[token.start + len(token.text):token.start + len(token.text) + 6]
        same_accounts = not budget and token.value == year and _ACCOUNTS_AFTER.match(after)
        if token.value > year or (budget and token.value == year) or same_accounts:
            findings.append(context.finding(rule, token.start, found=token.text, expected=f"{year - 1} 年",
                                            year=year))
        elif token.value == year - 2 and _CHANGE_AFTER.match(after):
            stale.append(token)
        elif token.value == year - 1:
            compared_last_year = True
    if compared_last_year:
        findings += [context.finding(rule, t.start, found=t.text, expected=f"{year - 1} 年", year=year) for t in stale]
    return sorted(findings, key=lambda f: (f.location.line, f.location.column))


def _own_years(rule: Any, context: Any, year: int) -> list[Finding]:
    """A year that can only be the document's own (“纳入……2022年度部门决算编制范围” in the 2023 决算):
    one followed by a phrase of ``own_year_after``, not compared with (“比2022年度部门决算”)."""
    after = regex("|".join(f"(?:{p})" for p in rule.params.get("own_year_after") or []) or r"(?!)")
    doc = context.doc
    findings = []
    for token in doc.tokens:
        if token.kind != "year" or token.value == year or token.start in context.flagged:
            continue
        line = doc.lines[token.line - 1]
        before = doc.text[max(line.start, token.start - 3):token.start]
        if _COMPARED.search(before) or not after.match(doc.text, token.start + len(token.text)):
            continue
        findings.append(context.finding(rule, token.start, found=token.text, expected=f"{year} 年", year=year))
    return findings


_SAME_BASIS = regex(r"[^，,。；;]{0,12}?(?:同口径|口径一致|保持一致)")
_AS_OF = regex(r"截[至止]\s*(?:到\s*)?$")
_YEAR_END = regex(r"\s*(?:12\s*月\s*31\s*日|底|末)")


def _as_of(rule: Any, context: Any, year: int) -> list[Finding]:
    """The year-end a count is taken at (“截至2023年12月31日，共有车辆3辆”): a budget for year Y is
    made before Y and tells of the end of Y − 1; final accounts for Y tell of the end of Y."""
    doc = context.doc
    if delivered_report(doc):
        return []   # dated by its meeting, a report of two years: which year-end a count is at is not told
    budget = document_kind(doc) == "budget"
    expected = year - 1 if budget else year
    findings = []
    for token in doc.tokens:
        if token.kind != "year" or token.value == expected or token.start in context.flagged:
            continue
        line = doc.lines[token.line - 1]
        if not _AS_OF.search(doc.text[max(line.start, token.start - 4):token.start]) \
                or not _YEAR_END.match(doc.text, token.end):
            continue
        findings.append(context.finding(rule, token.start, found=token.text, expected=f"{expected} 年",
                                        kind="预算" if budget else "决算", year=year))
    return findings
