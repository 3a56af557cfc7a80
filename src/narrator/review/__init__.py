"""``narrator review``: every error a careful reviewer finds in a published disclosure.

A review needs no figures file: the document is read (:mod:`narrator.reading`), its sentences
are checked against the wording standard (the lint rules) and against themselves (claims:
amounts, changes, percentages and shares that must agree), and against the document's own
tables where it has them. ``figures`` (a figures file) still works and wins over the tables.
Findings point at the original file, page and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import Finding, Location, NarratorError
from ..text.formats import DEFAULT_FORMAT
from ..reading import ReadDocument, Table, read_document
from ..text.traditional import load_script, to_simplified

__all__ = ["ReviewReport", "review_document", "review_file", "review_text"]


@dataclass
class ReviewReport:
    """The findings of one reviewed file (or the error that kept it from being read)."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    document: ReadDocument | None = None
    error: NarratorError | None = None
    offsets: list[int] = field(default_factory=list)   # per finding: its offset in document.text

    def to_dict(self) -> dict:
        """JSON-ready form."""
        result: dict[str, Any] = {"path": self.path, "findings": [f.to_dict() for f in self.findings]}
        if self.error is not None:
            result["error"] = [f.to_dict() for f in self.error.findings]
        return result


def review_document(document: ReadDocument, figures: Any = None, format_name: str | None = None,
                    ignore: tuple[str, ...] | set[str] = (), profile: str | None = None,
                    include: tuple[str, ...] | set[str] = ()) -> ReviewReport:
    """Review a read document; findings are placed at the original page and line.

    Three sources of findings: the lint rules (wording; with ``figures`` also the numbers against
    them), the claim checks (the numbers of the text against each other), and the document's own
    tables (checked in themselves, and against the text's amounts unless figures are given).
    ``profile`` names the wording profile (a region's accepted phrasings; national by default).
    Lint rules marked ``review: false`` (layout: stray blanks, a heading run into its text, which
    text read from a PDF or a web page cannot judge and reviewers do not count) are left out unless
    ``include`` names them. ``format_name``: the document format whose wording is standard beside
    the profile's (None: no format's; the national standard).
    """
    from ..lint import lint_text
    from ..lint.rules import load_lint_rules, review_optional_rules
    from .printed import PRINTED_RULES, printed_findings
    from .claimcheck import check_claims
    from .claims import read_claims
    from .codenames import code_name_findings
    from .tables import table_amounts

    skipped = set(ignore) | (review_optional_rules() - set(include))
    if format_name is None and figures is not None:
        format_name = figures.format_name   # the figures name their format: its wording is theirs
    format_wording, format_name = format_name is not None, format_name or DEFAULT_FORMAT
    # a text in traditional characters is read as simplified, char for char: offsets do not move
    text = to_simplified(document.text)
    tables = document.tables if text is document.text else _simplified_tables(document.tables)

    def place(offset: int, level: str, rule: str, message: str) -> tuple[Finding, int]:
        return Finding(document.place(offset), level, rule, message), offset

    def line_of(offset: int) -> str:
        where = document.place(offset)
        return f"第 {where.page} 页第 {where.line} 行" if where.page else f"第 {where.line} 行"

    # spacing rules read the lines as printed (the rebuilt text has lost the blanks they judge)
    linted = lint_text(text, document.path, figures, format_name, skipped | PRINTED_RULES, profile,
                       asides=document.asides, line_name=line_of, tables=tables, paragraph_lines=True,
                       place_of=document.place, format_wording=format_wording)
    placed = [place(document.offset(f.location.line, f.location.column), f.level, f.rule, f.message)
              for f in linted.findings]

    def lint_printed(printed: str, wanted: frozenset[str]) -> list[Finding]:
        others = {rule.name for rule in load_lint_rules()} - wanted
        return lint_text(printed, document.path, None, format_name, others, profile,
                         format_wording=format_wording).findings

    placed += [place(offset, f.level, f.rule, f.message)
               for f, offset in printed_findings(document, text, lint_printed, skipped)]
    placed += [(f, -1) for f in linted.placed]      # on the contents page or a caption: not in the text
    claims = read_claims(text)
    facts = table_amounts(tables) if tables else None       # read once: the claims and the table checks use them
    budget = _table_budget(facts) if facts is not None and figures is None else None
    found = check_claims(claims, text, linted.year, line_of, budget)
    placed += [place(f.offset, f.level, f.rule, f.message) for f in found]
    placed += [place(offset, level, "code-name", message)
               for offset, level, message in code_name_findings(text, linted.year)]
    if facts is not None:
        placed += _table_findings(document, tables, facts, claims, with_text=figures is None, year=linted.year)
    if text is not document.text:
        placed.append(_traditional_note(document))
    placed = [p for p in placed if p[0].rule not in skipped and not _cut_off(text, p)]
    placed.sort(key=lambda p: (p[0].location.page, p[0].location.line, p[0].location.column, p[0].rule))
    return ReviewReport(document.path, [f for f, _ in placed], document, offsets=[o for _, o in placed])


# What a text cut off mid-sentence (a web page's excerpt, a document's last page lost) shows on its
# last line without being wrong: the sentence, the unit or the number just did not get there.
CUT_OFF_RULES = frozenset({"paragraph-end", "sentence-period", "wan-without-yuan", "number-without-unit",
                           "percent-without-number", "share-without-percent", "missing-break", "unclosed-bracket"})
_ENDED = re.compile(r"[。！？!?；;：:…）)」”\"》.]\s*$")
_CLAUSE_END = re.compile(r"[，,、。！？!?；;：:]")


def _cut_off(text: str, placed: tuple[Finding, int]) -> bool:
    """Whether a finding is only the text's end being cut off (see ``CUT_OFF_RULES``)."""
    finding, offset = placed
    if finding.rule not in CUT_OFF_RULES or offset < 0:
        return False
    body = text.rstrip()
    last_start = body.rfind("\n") + 1
    # only the last clause is cut: a finding with a clause break after it was written whole
    return offset >= last_start and not _ENDED.search(body) and not _CLAUSE_END.search(body, offset, len(body) - 1)


def _simplified_tables(tables: list[Table]) -> list[Table]:
    """The tables of a traditional-character document with their titles and cells in simplified chars."""
    table = load_script().table
    return [replace(t, title=t.title.translate(table), unit=t.unit.translate(table),
                    rows=[replace(r, cells=tuple(c.translate(table) for c in r.cells)) for r in t.rows])
            for t in tables]


@cache
def _standard_names() -> frozenset[str]:
    from .phrasing import phrasing

    return frozenset(phrasing().aliases.values())


def _standard_key(claim: Any) -> str:
    """The claim's key when it is a standard name (a table row may be named so), else ""."""
    return claim.key if claim.key in _standard_names() else ""


def _table_budget(facts: Any) -> Any:
    """A claim's budget as the document's tables print it (one 预算数 for its subject), or None."""
    from decimal import Decimal

    from .amounts import Number

    def budget(claim: Any) -> Any:
        names = [claim.subject] + ([key] if (key := _standard_key(claim)) else [])
        for name in names:
            found = {(a.amount, a.digits) for a in facts.lookup(subject_name=name) if a.role == "budget" and a.main}
            if len(found) == 1:
                (amount, digits), = found
                return Number(amount, "amount", str(amount), -1, -1, Decimal(5).scaleb(-(digits + 1)))
        return None
    return budget


def _traditional_note(document: ReadDocument) -> tuple[Finding, int]:
    """The note that the text was read as simplified: of the whole file (no line of it is wrong)."""
    from .claimcheck import review_rules

    rule = review_rules()["traditional-text"]
    return Finding(Location(document.path), rule.level, rule.name, rule.say()), -1


@dataclass(frozen=True)
class StatedAmount:
    """An amount the text states, as the table checks read it."""

    subject: str
    code: str | None
    amount: Any
    role: str                   # current | prior
    location: Location
    text: str
    note: str = ""              # how the text implies the amount when it does not state it
    key: str = ""               # the subject's standard name (“因公出国（境）费” for “因公出国（境）费支出”)


def _implied_budget(claim: Any, year: int | None) -> tuple[Any, int, str] | None:
    """(amount, offset, note) of the budget a 决算 sentence compares with: “决算0万元，与预算相比无增减”
    says the budget was 0; “比预算减少1.00万元” says it was 1.00 more than the 决算."""
    if claim.base_kind != "预算" or claim.current is None or not claim.subject \
            or (claim.base_year is not None and claim.base_year != year):
        return None     # not this year's budget (比2024年预算 in a 2025 budget is last year's)
    if claim.same_at >= 0 and claim.change is None:
        return claim.current.value, claim.same_at, "（正文说与预算相比没有变化）"
    if claim.change is not None and claim.change_sign in ("up", "down"):
        sign = 1 if claim.change_sign == "up" else -1
        return claim.current.value - sign * claim.change.value, claim.change.start, "（按正文的决算数和增减推算）"
    return None


def _table_findings(document: ReadDocument, tables: list[Table], facts: Any, claims: list, with_text: bool,
                    year: int | None = None) -> list[tuple[Finding, int]]:
    """The tables' own findings, and the text's amounts against them (offset -1: not in the text)."""
    from .tabletext import review_tables

    stated: list[StatedAmount] = []
    offsets: dict[Location, int] = {}
    for claim in claims if with_text else ():
        key = _standard_key(claim)
        for role, number in (("current", claim.current), ("prior", claim.prior)):
            if number is None or not claim.subject:
                continue
            where = document.place(number.start)
            offsets[where] = number.start
            stated.append(StatedAmount(claim.subject, None, number.value, role, where, number.text, key=key))
        if with_text and (budget := _implied_budget(claim, year)) is not None:
            amount, offset, note = budget
            where = document.place(offset)
            offsets[where] = offset
            stated.append(StatedAmount(claim.subject, None, amount, "budget", where, "", note, key))
    _, findings = review_tables(tables, stated, year, facts)
    return [(f, offsets.get(f.location, -1)) for f in findings]


def review_text(text: str, path: str = "<text>", figures: Any = None, format_name: str | None = None,
                ignore: tuple[str, ...] | set[str] = (), profile: str | None = None,
                include: tuple[str, ...] | set[str] = ()) -> ReviewReport:
    """Review a text that is already one paragraph per line (lines are kept as they are)."""
    from ..reading import Piece

    pieces, offset = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        pieces.append(Piece(offset, 0, number, 1))
        offset += len(line) + 1
    return review_document(ReadDocument(path, "text", text, pieces), figures, format_name, ignore, profile, include)


def review_file(path: Path | str, figures_path: Path | str | None = None, format_name: str | None = None,
                ignore: tuple[str, ...] | set[str] = (), profile: str | None = None,
                shown: str | None = None, include: tuple[str, ...] | set[str] = ()) -> ReviewReport:
    """Read and review one file (named ``shown`` in findings, its path by default); a file that
    cannot be read raises :class:`NarratorError`."""
    from ..intake.figures import load_figures

    document = read_document(path, shown or str(path))
    figures = load_figures(figures_path, format_name=format_name) if figures_path is not None else None
    return review_document(document, figures, format_name, ignore, profile, include)
