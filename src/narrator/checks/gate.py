"""One gate: every finding about a figures file in a format, the same for check, render and batch.

``narrator check`` reports what this finds, ``narrator render`` prints the same findings and writes
the text when it can, and a batch does both for each file, so the commands never disagree. The
findings are: the figures' classification notes (the schema and classification errors refuse the
file before this, when it is loaded), the figures a rule of the format needs but the file lacks
(e.g. a missing prior: the text cannot be written), every check of ``rules/checks/checks.yaml``, and the
texts a template wants but lacks (a missing reason: the text leaves it out).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .check import CheckReport, run_checks
from ..compute.engine import Engine
from ..errors import LEVEL_ORDER, Finding, NarratorError, RuleError
from ..intake.figures import LoadedFigures, for_format, load_figures
from ..text.formats import Format, choose_format, load_format
from ..intake.records import build_roots
from ..text.render import Rendered, render_engine
from ..compute.rules import load_rule_sets

EXIT_OK, EXIT_FINDINGS, EXIT_BLOCKED = 0, 1, 2


@dataclass
class Gate:
    """What the gate found about one figures file, and the rendered text unless it is blocked."""

    loaded: LoadedFigures
    format: Format
    findings: list[Finding]
    report: CheckReport
    rendered: Rendered | None

    @property
    def blocked(self) -> bool:
        """True when the text cannot be written (e.g. a figure the text needs is missing)."""
        return self.rendered is None

    def failing(self, fail_on: str = "warning") -> list[Finding]:
        """The findings at level ``fail_on`` or above."""
        return [f for f in self.findings if LEVEL_ORDER[f.level] >= LEVEL_ORDER[fail_on]]

    def exit_code(self, fail_on: str = "warning") -> int:
        """2 when blocked, 1 with a finding at ``fail_on`` or above, else 0."""
        if self.blocked:
            return EXIT_BLOCKED
        return EXIT_FINDINGS if self.failing(fail_on) else EXIT_OK


def finding_order(finding: Finding) -> tuple:
    """The order findings are shown in: by place, the more serious first at one place."""
    loc = finding.location
    return (loc.path, loc.line, loc.column, -LEVEL_ORDER[finding.level], finding.rule, finding.message)


def examine(loaded: LoadedFigures, format_name: str | None = None) -> Gate:
    """Every finding about validated figures in a format (asked for, or the one they name).

    Raises :class:`NarratorError` only for a format that is unknown or differs from the one the
    figures name, and for broken rules or templates of the format itself.
    """
    fmt = load_format(choose_format(format_name, loaded.raw, loaded.path))
    loaded = for_format(loaded, fmt.name)  # the fields of the format the text is written in
    ruleset = load_rule_sets(fmt.rules, fmt.rule_settings)
    engine = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
    blocking: list[Finding] = []
    try:
        engine.evaluate_all()
    except RuleError as error:  # figures the text needs are missing: reported, and checked around
        blocking = list(error.findings)
    report = run_checks(engine, loaded, fmt.rules)
    rendered, wanted = None, []
    if not blocking:
        try:
            text, wanted = render_engine(engine, loaded, fmt)
        except NarratorError as error:  # a template asks for a figure the file does not give
            blocking = list(error.findings)
        else:
            rendered = Rendered(text, engine, loaded, fmt, [*loaded.notes, *wanted])
    # A change with no reason is warned about by the render (the text leaves the reason out);
    # the check's finding at the same place would say the same thing once more.
    unreasoned = {w.location for w in wanted if w.rule == "missing-reason"}
    checked = [f for f in report.findings
               if not (f.rule == "change-without-reason" and f.location in unreasoned)]
    findings = sorted(dict.fromkeys([*blocking, *checked, *wanted]), key=finding_order)
    report.findings = findings
    return Gate(loaded, fmt, findings, report, rendered)


def examine_file(path: Path | str, format_name: str | None = None, display: str | None = None) -> Gate:
    """Load a figures file and :func:`examine` it; a file that cannot be read or does not fit
    the schema raises :class:`NarratorError` (nothing can be checked or written)."""
    return examine(load_figures(path, display, format_name), format_name)
