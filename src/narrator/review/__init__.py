"""``narrator review``: every error a careful reviewer finds in a published disclosure.

A review needs no figures file: the document is read (:mod:`narrator.reading`), its sentences
are checked against the wording standard (the lint rules) and against themselves (claims:
amounts, changes, percentages and shares that must agree), and against the document's own
tables where it has them. ``figures`` (a figures file) still works and wins over the tables.
Findings point at the original file, page and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Finding, Location, NarratorError
from ..formats import DEFAULT_FORMAT
from ..reading import ReadDocument, read_document

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


def review_document(document: ReadDocument, figures: Any = None, format_name: str = DEFAULT_FORMAT,
                    ignore: tuple[str, ...] | set[str] = ()) -> ReviewReport:
    """Review a read document; findings are placed at the original page and line."""
    from ..lint import lint_text

    linted = lint_text(document.text, document.path, figures, format_name, ignore)
    placed = []
    for finding in linted.findings:
        where = document.locate(finding.location.line, finding.location.column)
        offset = document.offset(finding.location.line, finding.location.column)
        placed.append((Finding(where, finding.level, finding.rule, finding.message), offset))
    placed.extend(_claim_findings(document, linted))
    placed.sort(key=lambda p: (p[0].location.page, p[0].location.line, p[0].location.column, p[0].rule))
    return ReviewReport(document.path, [f for f, _ in placed], document, offsets=[o for _, o in placed])


def review_text(text: str, path: str = "<text>", figures: Any = None, format_name: str = DEFAULT_FORMAT,
                ignore: tuple[str, ...] | set[str] = ()) -> ReviewReport:
    """Review a text that is already one paragraph per line (lines are kept as they are)."""
    from ..reading import Piece

    pieces, offset = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        pieces.append(Piece(offset, 0, number, 1))
        offset += len(line) + 1
    return review_document(ReadDocument(path, "text", text, pieces), figures, format_name, ignore)


def review_file(path: Path | str, figures_path: Path | str | None = None, format_name: str = DEFAULT_FORMAT,
                ignore: tuple[str, ...] | set[str] = ()) -> ReviewReport:
    """Read and review one file; a file that cannot be read raises :class:`NarratorError`."""
    from ..figures import load_figures

    document = read_document(path, str(path))
    figures = load_figures(figures_path) if figures_path is not None else None
    return review_document(document, figures, format_name, ignore)


def _claim_findings(document: ReadDocument, linted: Any) -> list[tuple[Finding, int]]:
    """The findings of the claim checks (numbers of the text against each other)."""
    import bisect
    import re

    from .claimcheck import check_claims
    from .claims import read_claims

    text = document.text
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    year_match = re.search(r"((?:19|20)\d{2})\s*年", "\n".join(text.split("\n")[:5]))
    year = int(year_match.group(1)) if year_match else None
    placed = []
    for found in check_claims(read_claims(text), text, year):
        line = bisect.bisect_right(starts, found.offset)
        column = found.offset - starts[line - 1] + 1
        where = document.locate(line, column)
        placed.append((Finding(where, found.level, found.rule, found.message), found.offset))
    return placed
