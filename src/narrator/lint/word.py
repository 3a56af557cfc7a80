"""``narrator lint`` on a Word document: its text as review reads it, findings at its paragraphs.

The .docx is read by :mod:`narrator.reading.docx` (body paragraphs one per line, tables and
their captions apart); the text is linted as any text, and each finding is placed back at the
document's paragraph (``file:N:col``, N counting body paragraphs from 1).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..text.formats import DEFAULT_FORMAT
from . import LintReport, Profile, figures_of, lint_text


def lint_docx(path: Path | str, figures_path: Path | str | None = None, format_name: str = DEFAULT_FORMAT,
              ignore: tuple[str, ...] | set[str] = (), profile: "str | Profile | None" = None,
              loaded: Any = None) -> LintReport:
    """Lint a .docx file, against a figures file when given (see :func:`narrator.lint.lint_file`)."""
    from ..reading import read_document

    document = read_document(path, str(path))
    figures = figures_of(figures_path, format_name, loaded)
    report = lint_text(document.text, document.path, figures, format_name, ignore, profile)
    report.findings = [replace(f, location=document.locate(f.location.line, f.location.column))
                       if f.location.line else f for f in report.findings]
    return report
