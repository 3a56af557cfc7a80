"""Reviewing many files at once: a folder of disclosures, spread over processes.

Every file is reviewed on its own; a file that cannot be read is reported (its error kept in
the result) and the others are still reviewed. Results come back in the order of the inputs
(arguments in the order given, a folder's files sorted by relative path), so every output and
report is the same bytes whatever the number of processes.

A worker sends back only what the reports need: the findings, and for each finding the sentence
around it (the paragraph and the sentence's span in it), not the whole read document.
"""

from __future__ import annotations

import bisect
import multiprocessing
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..errors import LEVEL_ORDER, Finding, Location, NarratorError
from ..loading.regular import is_regular_file

REVIEW_SUFFIXES = (".pdf", ".docx", ".txt", ".md")
"""The files a folder is searched for; any other file in it is skipped (and counted)."""
UNREADABLE_SUFFIXES = (".doc", ".wps", ".rtf", ".ofd")
"""Documents a folder may hold that narrator cannot read: taken all the same, so that the summary
says which of them was not reviewed and why (skipped, a unit's .doc would pass unnoticed)."""

# Sentence ends: full-width, and the half-width forms a folded text may carry; closing quotes
# and brackets right after the mark belong to the sentence they close.
_SENTENCE_END = re.compile(r"[。；！？;!?][”’）)」』]*")


@dataclass(frozen=True)
class Collected:
    """The files to review, in review order, and how many files of other types were skipped."""

    files: tuple[Path, ...]
    skipped: int = 0


@dataclass(frozen=True)
class Excerpt:
    """Where a finding is in the rebuilt text: its paragraph and the sentence around it."""

    paragraph: int          # 0-based index of the paragraph (line) of the rebuilt text
    start: int              # the sentence's span within the paragraph
    end: int
    at: int                 # the finding's own offset within the paragraph


@dataclass
class FileReview:
    """The review of one file: its findings with their excerpts, or why it could not be read."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    excerpts: list[Excerpt | None] = field(default_factory=list)    # per finding
    paragraphs: dict[int, str] = field(default_factory=dict)       # only those with findings
    error: list[Finding] = field(default_factory=list)

    @property
    def unreadable(self) -> bool:
        """The file could not be read (nothing in it was reviewed)."""
        return bool(self.error)

    def count(self, level: str) -> int:
        """How many findings of ``level`` the review of this file has."""
        return sum(1 for f in self.findings if f.level == level)

    def sentence(self, index: int) -> str:
        """The sentence around finding ``index`` ("" when it has no place in the text)."""
        excerpt = self.excerpts[index] if index < len(self.excerpts) else None
        if excerpt is None:
            return ""
        return self.paragraphs[excerpt.paragraph][excerpt.start:excerpt.end].strip()


@dataclass(frozen=True)
class ReviewJob:
    """One file to review, and how."""

    path: Path
    figures: Path | None = None
    format_name: str | None = None     # whose wording is standard (None: the national standard alone)
    ignore: frozenset[str] = frozenset()
    profile: str | None = None
    shown: str | None = None       # the name findings give the file (an upload's own name), else its path
    include: frozenset[str] = frozenset()   # rules review leaves out by default (``review: false``), wanted


def collect(paths: Sequence[Path]) -> Collected:
    """The files named by ``paths``: a folder is searched (sorted; hidden entries skipped) for
    .pdf, .docx, .txt and .md files, and for the documents it cannot read (.doc, .wps …: reported
    unreadable), counting the other files it holds; a file is taken as
    given, whatever its type, so that an unreadable one is reported rather than passed over.
    Finding nothing at all to review is an error (a wrong folder, most likely)."""
    files: list[Path] = []
    skipped = 0
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = []
        for root, dirs, names in os.walk(path):
            here = Path(root)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in names:
                if name.startswith("."):
                    continue
                if not is_regular_file(here / name):
                    skipped += 1  # a named pipe or a device: opening it would block or never end
                elif name.lower().endswith(REVIEW_SUFFIXES + UNREADABLE_SUFFIXES):
                    found.append(here / name)
                else:
                    skipped += 1
        files.extend(sorted(found, key=lambda p: p.relative_to(path).as_posix()))
    if not files:
        where = Location(str(paths[0])) if paths else Location("")
        raise NarratorError.at(where, "no-documents", "没有可审查的文件（.pdf、.docx、.txt、.md）")
    unique = tuple(dict.fromkeys(files))  # a file named twice is reviewed once
    return Collected(unique, skipped)


def check_settings(format_name: str | None, figures: Path | None, profile: str | None = None,
                   include: frozenset[str] = frozenset()) -> None:
    """Refuse an unknown document format or wording profile, a bad figures file, or an ``include``
    that names no rule review leaves out, before any file is reviewed (otherwise every file would
    fail with the same error)."""
    from ..intake.figures import load_figures
    from ..text.formats import load_format
    from ..lint import load_profile
    from ..lint.rules import review_optional_rules

    if format_name is not None:
        load_format(format_name)
    if profile is not None:
        load_profile(profile)
    optional = sorted(review_optional_rules())
    for name in sorted(include - set(optional)):
        raise NarratorError.at(Location(name), "unknown-include",
                               f"“{name}”不是审查时默认不查的规则；可选：{'、'.join(optional)}")
    if figures is not None:
        load_figures(figures, format_name=format_name)


#: How far from a finding its sentence is looked for: a sentence is shown at most this long on each
#: side, and a line of 80,000 characters without an end mark costs no more than a short one.
EXCERPT_REACH = 300


def line_starts(text: str) -> list[int]:
    """The offset at which each line of ``text`` starts."""
    return [0] + [match.end() for match in re.finditer("\n", text)]


def excerpt(text: str, offset: int, starts: Sequence[int] | None = None) -> tuple[int, Excerpt]:
    """The paragraph of ``text`` holding ``offset`` and the sentence around it there.

    A sentence runs from just after the previous 。；！？ to its own, which it includes (with
    the closing quotes right after it); a finding on the end mark belongs to the sentence the
    mark ends. A sentence is cut at :data:`EXCERPT_REACH` characters from the finding.
    ``starts`` (:func:`line_starts` of the text) saves finding the line for each of many findings.
    """
    offset = max(0, min(offset, len(text)))
    starts = line_starts(text) if starts is None else starts
    paragraph = bisect.bisect_right(starts, offset) - 1
    begin = starts[paragraph]
    finish = starts[paragraph + 1] - 1 if paragraph + 1 < len(starts) else len(text)
    at = offset - begin
    low = max(0, at - EXCERPT_REACH)
    line = text[begin + low: min(finish, offset + EXCERPT_REACH)]  # the window around the finding
    at -= low
    start = 0
    for match in _SENTENCE_END.finditer(line, 0, at):
        start = match.end()
    found = _SENTENCE_END.search(line, min(at, len(line)))
    end = found.end() if found else len(line)
    if not line[start:end].strip() and start > 0:
        # a finding after the last end mark (e.g. at the end of the line) is about the sentence before
        end, start = start, max((m.end() for m in _SENTENCE_END.finditer(line, 0, start - 1)), default=0)
    return paragraph, Excerpt(paragraph, start + low, end + low, at + low)


def review_one(job: ReviewJob) -> FileReview:
    """Review one file; a file that cannot be read becomes an error in the result, never an exception."""
    from . import review_file

    shown = job.shown or str(job.path)
    result = FileReview(shown)
    try:
        report = review_file(job.path, job.figures, job.format_name, job.ignore, job.profile, shown, job.include)
    except NarratorError as error:
        result.error = list(error.findings) or [Finding(Location(shown), "error", "file-unreadable", "无法读取")]
        return result
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the review of a folder
        result.error = [Finding(Location(shown), "error", "internal-error",
                                f"审查此文件时出现内部错误（请报告）：{type(exc).__name__}: {exc}")]
        return result
    document = report.document
    if document is not None and not document.text.strip():
        result.error = [Finding(Location(shown), "error", "empty-document", "文件中没有可审查的文字")]
        return result
    result.findings = list(report.findings)
    lines = document.text.split("\n") if document is not None else []
    starts = line_starts(document.text) if document is not None else []
    for index in range(len(result.findings)):
        if document is None or index >= len(report.offsets) or report.offsets[index] < 0:
            result.excerpts.append(None)   # not in the text (a table cell, a contents line, the whole file)
            continue
        paragraph, place = excerpt(document.text, report.offsets[index], starts)
        result.excerpts.append(place)
        result.paragraphs.setdefault(paragraph, lines[paragraph])
    return result


def warm(format_name: str | None) -> None:
    """Load what every review needs once per process (forked workers then share it)."""
    from ..text.formats import DEFAULT_FORMAT, load_format
    from ..lint import load_lint_rules

    for rule in load_lint_rules():
        rule.compiled  # noqa: B018 - compiles the patterns once, before the workers fork
    load_format(format_name or DEFAULT_FORMAT)


def run_reviews(jobs: Sequence[ReviewJob], processes: int = 1) -> Iterator[FileReview]:
    """The reviews of ``jobs`` in their order, made by ``processes`` worker processes."""
    jobs = list(jobs)
    if not jobs:
        return
    warm(jobs[0].format_name)
    if processes <= 1 or len(jobs) == 1:
        yield from map(review_one, jobs)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    with context.Pool(min(processes, len(jobs))) as pool:
        # one file at a time: files differ a lot in size (a 30-page PDF beside a 2-page one)
        yield from pool.imap(review_one, jobs, chunksize=1)


def summarize(results: Iterable[FileReview], skipped: int = 0) -> dict:
    """Counts over every file: files reviewed, unreadable, with findings, findings by level."""
    results = list(results)
    return {
        "files": len(results),
        "unreadable": sum(1 for r in results if r.unreadable),
        "with_findings": sum(1 for r in results if r.findings),
        "skipped": skipped,
        "findings": {level: sum(r.count(level) for r in results) for level in ("error", "warning", "note")},
    }


def exit_code(results: Iterable[FileReview], fail_on: str) -> int:
    """2 if any file could not be read, else 1 if any finding is at or above ``fail_on``, else 0."""
    results = list(results)
    if any(r.unreadable for r in results):
        return 2
    threshold = LEVEL_ORDER[fail_on]
    return 1 if any(LEVEL_ORDER[f.level] >= threshold for r in results for f in r.findings) else 0
