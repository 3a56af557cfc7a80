"""``narrator lint``: does a written 第三部分 agree with the figures and the wording standard?

Rules are data (``rules/lint/*.yaml``, one file per rule), each of a generic kind
(:mod:`narrator.lint.kinds`). Without figures only the wording kinds run; the figure kinds are
reported as not applicable. A reviewer who accepts a finding can suppress it:

- for the whole run: ``--ignore rule-a,rule-b``;
- on one line: put ``<!-- narrator: ignore rule-a, rule-b -->`` at the end of that line
  (``<!-- narrator: ignore -->`` with no names ignores every rule on the line). An HTML comment
  is invisible in rendered Markdown and survives in .txt files; it is blanked out before
  linting, so the marker itself never triggers a rule and columns stay the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import Finding
from ..caches.regexcache import regex
from ..text.traditional import to_simplified
from ..loading.yamlload import read_text
from ..resources import DEFAULT_FORMAT
from .context import Context, Reference, phrases_of
from .document import parse
from .kinds import KINDS, NEEDS_FIGURES, ORDER
from .profiles import DEFAULT_PROFILE, Profile, load_profile, profile_names
from .rules import LintRule, load_lint_rules

__all__ = ["LintReport", "lint_text", "lint_file", "lint_kept", "load_lint_rules", "LintRule", "Profile", "load_profile",
           "profile_names", "DEFAULT_PROFILE"]

_MARKER = regex(r"<!--\s*narrator:\s*ignore(?P<names>[^>]*?)\s*-->")


class LintReport:
    """The findings of a lint run, what each rule did, and how many numbers were tied to figures
    (a plain class: making a dataclass costs every cold lint ~0.5 ms)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.rules: dict[str, str] = {}     # rule → checked | n/a | ignored | off
        self.numbers = 0
        self.year: int | None = None     # the budget year the text was read with (figures, else its title)
        self.tied = 0
        self.placed: list[Finding] = []   # findings on asides, at their original place
        #: the numbers of the text with no counterpart in the text rendered from the figures (not judged):
        #: (line, as written)
        self.untied: list[tuple[int, str]] = []

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"path": self.path, "findings": [f.to_dict() for f in self.findings],
                "rules": self.rules, "numbers": {"total": self.numbers, "compared_with_figures": self.tied,
                                                 "not_compared": [{"line": line, "text": text}
                                                                  for line, text in self.untied]}}


def _suppressions(text: str) -> tuple[str, dict[int, set[str] | None]]:
    """The text with markers blanked, and per line the rules ignored there (None: all)."""
    ignored: dict[int, set[str] | None] = {}
    if "<!--" not in text:
        return text, ignored    # no marker can be there (most texts): not read line by line
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        for match in _MARKER.finditer(line):
            names = {n.strip() for n in re.split(r"[,，\s]+", match.group("names")) if n.strip()}
            previous = ignored.get(number, set())
            ignored[number] = None if not names or previous is None else previous | names
        lines[number - 1] = _MARKER.sub(lambda m: " " * len(m.group()), line)
    return "\n".join(lines), ignored


def lint_text(text: str, path: str, figures: Any = None, format_name: str = DEFAULT_FORMAT,
              ignore: tuple[str, ...] | set[str] = (), profile: "str | Profile | None" = None,
              asides: Sequence[Any] = (), line_name: Callable[[int], str] | None = None,
              tables: Sequence[Any] = (), paragraph_lines: bool = False,
              reference: Reference | None = None, place_of: Callable[[int], Any] | None = None,
              format_wording: bool = True) -> LintReport:
    """Lint ``text`` (shown as ``path``), against ``figures`` (LoadedFigures) when given.

    ``profile`` (a name under ``rules/profiles/`` or a :class:`Profile`) turns rules off, changes
    their levels and accepts a region's phrasings; None applies no profile (every rule as written).
    ``asides`` are lines read but kept out of the text (``narrator.reading.Aside``: a contents
    page, table captions): the contents and title rules check them too, and their findings are in
    :attr:`LintReport.placed`, at the original place; so are the findings in ``tables`` (the
    tables a reader took out of the text, whose cells the name rules read). ``line_name`` names the line of an offset
    of the text in messages (review gives the original page and line). ``paragraph_lines``: each
    line is a whole paragraph (review's rebuilt text, whose blank lines are gone); ``place_of`` gives an
offset's place in the original (review: page and line, to tell what lies between two lines of the
text, as the tables it took out). ``reference``:
    the text rendered from the figures, already made (then ``figures`` is not needed).
    ``format_wording``: the format's own phrasings are standard (“增长0.00%” where its template says so).
    """
    if isinstance(profile, str):
        profile = load_profile(profile)
    clean, suppressed = _suppressions(text.replace("\r\n", "\n").lstrip("\ufeff"))
    clean = to_simplified(clean)   # a traditional-character text is read char for char as simplified
    if reference is None and figures is not None:
        reference = Reference.from_figures(figures, format_name)
    # a reference kept with its format's phrases needs no format (nor the template machinery)
    kept_phrases = reference is not None and reference.phrases is not None and reference.format_name == format_name
    fmt = None if kept_phrases else _format(format_name)
    context = Context(parse(clean, path), fmt, reference, asides=asides, line_name=line_name,
                      tables=tables, paragraph_lines=paragraph_lines, place_of=place_of, format_wording=format_wording)
    report = LintReport(path)
    rules = sorted(load_lint_rules(), key=lambda r: (ORDER.index(r.kind), r.name))
    for rule in rules:
        if rule.name in ignore:
            report.rules[rule.name] = "ignored"
        elif profile is not None and rule.name in profile.off:
            report.rules[rule.name] = "off"
        elif rule.kind in NEEDS_FIGURES and reference is None:
            report.rules[rule.name] = "n/a"
        else:
            report.rules[rule.name] = "checked"
            report.findings.extend(KINDS[rule.kind](rule, context))
    report.findings, context.placed = _deferred(report.findings, rules), _deferred(context.placed, rules)
    if profile is not None:
        report.findings = profile.apply(report.findings, clean.split("\n"))
        report.placed = profile.apply(context.placed, [])
    else:
        report.placed = list(context.placed)
    report.findings = sorted(
        (f for f in report.findings if not _is_suppressed(f, suppressed)),
        key=lambda f: (f.location.line, f.location.column, f.rule))
    report.numbers = sum(1 for t in context.doc.tokens)
    report.year = context.year
    report.tied = len(context.pairs)
    if reference is not None:
        compared = {id(token) for token, _ in context.pairs}
        report.untied = [(t.line, t.text) for t in context.doc.tokens if id(t) not in compared]
    return report


def _format(name: str) -> Any:
    from ..text.formats import load_format

    return load_format(name)


def _deferred(findings: list[Finding], rules: Sequence[LintRule]) -> list[Finding]:
    """The findings without those of a rule with ``defer_to`` at a place where one of those rules
    already reported (near-name leaves “卫生健生支出（类）” to official-name: one slip, one finding)."""
    defer = {rule.name: rule.params["defer_to"] for rule in rules if rule.params.get("defer_to")}
    if not defer:
        return findings
    spots = {(f.location, f.rule) for f in findings}
    return [f for f in findings if not any((f.location, other) in spots for other in defer.get(f.rule, ()))]


def _is_suppressed(finding: Finding, suppressed: dict[int, set[str] | None]) -> bool:
    if finding.location.line not in suppressed:
        return False
    names = suppressed[finding.location.line]
    return names is None or finding.rule in names


def lint_file(path: Path | str, figures_path: Path | str | None = None, format_name: str = DEFAULT_FORMAT,
              ignore: tuple[str, ...] | set[str] = (), profile: "str | Profile | None" = None,
              loaded: Any = None, reference: Reference | None = None, keep: str | None = None) -> LintReport:
    """Lint a .txt or .md file, against a figures file when given (``profile``: see :func:`lint_text`).

    ``loaded``: the figures file already read (LoadedFigures), so that it is not read again;
    ``reference``: the text rendered from them, already made (:mod:`narrator.lint.refcache`);
    ``keep``: the key to keep the reference text made here under (refcache), if any.
    """
    shown = str(path)
    text = read_text(path, shown)
    if reference is None:
        figures = figures_of(figures_path, format_name, loaded)
        if figures is not None:
            reference = Reference.from_figures(figures, format_name)
            if keep is not None:
                from .refcache import keep_reference

                keep_reference(keep, format_name, reference.doc, phrases_of(_format(format_name)))
    return lint_text(text, shown, None, format_name, ignore, profile, reference=reference)


def lint_kept(key: str | None, path: Path | str, figures_path: Path | str, requested: str | None,
              ignore: tuple[str, ...] | set[str] = (), profile: "str | Profile | None" = None) -> LintReport | None:
    """:func:`lint_file` against the text rendered before from the figures file ``figures_path`` in
    the format ``requested`` (None: the one it names), kept under ``key`` by
    :mod:`narrator.lint.refcache`, the figures not read; None when nothing is kept under ``key``."""
    from .refcache import kept_reference

    kept = kept_reference(key)
    if kept is None:
        return None
    format_name, doc, phrases = kept
    reference = Reference.from_kept(doc, format_name, figures_path, requested, phrases)
    return lint_file(path, None, format_name, ignore, profile, reference=reference)


def lint_path(path: Path, figures_path: Path | None, requested: str | None,
              ignore: tuple[str, ...] | set[str] = (), profile: "str | Profile | None" = None) -> LintReport:
    """What ``narrator lint`` does: lint a text or .docx file, against the figures file when given,
    in the format ``requested`` (None: the one the figures name). The text these figures rendered
    before is taken from :mod:`narrator.lint.refcache` when it is kept there (the figures not read)."""
    from ..errors import NarratorError
    from .refcache import reference_key

    lint_one: Any = lint_file
    key = None
    if path.suffix.lower() == ".docx":
        from .word import lint_docx as lint_one
    else:
        key = reference_key(figures_path, requested)
        report = lint_kept(key, path, figures_path, requested, ignore, profile)
        if report is not None:
            return report
    from ..text.formats import figures_format

    loaded = None
    if figures_path is not None and figures_path.suffix.lower() != ".docx":
        from ..intake.figures import load_figures

        # read once: choosing the format as figures_format does read the whole file already
        try:
            loaded = load_figures(figures_path, format_name=requested)
        except NarratorError:
            pass  # reported as before: after the format is chosen and the text is read
    chosen = loaded.format_name if loaded is not None else figures_format(figures_path, requested)
    keep = {"keep": key} if key is not None else {}   # lint_docx keeps nothing
    return lint_one(path, figures_path, chosen, ignore, profile, loaded=loaded, **keep)


def figures_of(figures_path: Path | str | None, format_name: str, loaded: Any = None) -> Any:
    """The figures to lint against: ``loaded``, else the file read, else None (no figures)."""
    if loaded is not None or figures_path is None:
        return loaded
    from ..intake.figures import load_figures

    return load_figures(figures_path, format_name=format_name)
