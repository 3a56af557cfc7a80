"""The genre of a text: a government's fiscal report rather than a department's disclosure.

A report to the people's congress (预算执行情况和预算草案的报告, a 决算 report, a budget
adjustment) tells of two years and runs accounts (收入加转移性收入、调入资金……) that read like
lists of parts: the year and parts rules ask here before judging it as a department's text.
"""

from __future__ import annotations

from ..caches.regexcache import regex
from .document import Document

# the line under a report's title that says when and where it was delivered (“——2021年1月18日在
# 三明市第十三届人民代表大会第五次会议上”): a government's report to its congress
_DELIVERED = regex(r"^\s*[—－-]{1,2}\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*)?在[^\n]{2,60}会议上")
# how a government's fiscal report opens: addressed to the congress, or named as one
_ADDRESSED = regex(r"^\s*(?:各位代表|各位委员|主任、各位副主任|受[^\n]{2,20}政府委托)")
_REPORT_TITLE = regex(r"预算执行情况|预算草案|预算调整方案|财政决算|决算报告|决算（草案）|决算\(草案\)")


def delivered_report(doc: Document) -> bool:
    """Whether the opening lines say the text was delivered at a meeting (a fiscal report to the
    people's congress or its standing committee): it tells of last year's execution or final
    accounts and of this year's budget, so both years are its own."""
    return any(_DELIVERED.match(line.text) for line in doc.lines[:6])


def fiscal_report(doc: Document) -> bool:
    """Whether the text is a government's fiscal report (预算执行情况和预算草案的报告, a 决算 report,
    a budget adjustment) rather than a department's disclosure: delivered at a meeting, addressed
    to the congress, or named so in its opening lines. Its sentences run accounts (收入加转移性
    收入、调入资金……) that are no breakdowns of the amount before them."""
    opening = doc.lines[:8]
    return delivered_report(doc) or any(_ADDRESSED.match(line.text) for line in opening) \
        or any(_REPORT_TITLE.search(line.text) for line in opening[:3])
