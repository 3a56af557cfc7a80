"""Rendering (and checking) every figures file of a folder tree: a region at once.

Each figures file is rendered on its own; a file that cannot be read or rendered is reported
and the others still render. Outputs are written atomically (never half-written), to the same
relative place under the output folder. Work is spread over processes, but results are
collected in the sorted order of the input files, so the outputs and the report are the same
bytes whatever the number of jobs.

Each file goes through the same gate as ``narrator check`` and ``narrator render``
(:func:`narrator.checks.gate.examine`), in the format it names (``format:``) unless one is asked for,
so one batch can mix formats. A further check of each rendered text, a plain function
``check(rendered) -> findings`` (see :data:`Check`), can be passed in without changing this module.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import LEVEL_ORDER, Finding, Location, NarratorError
from ..loading.regular import is_regular_file
from ..text.render import Rendered

Check = Callable[[Rendered], list[Finding]]
"""A check of one rendered text: returns its findings (it may not raise for a finding)."""

FIGURES_SUFFIXES = (".yaml", ".yml")


def no_further_check(rendered: Rendered) -> list[Finding]:
    """The default further check: none (the gate has already found everything)."""
    return []


@dataclass(frozen=True)
class Job:
    """One figures file to render: where it is, where its text goes, and how."""

    source: Path
    shown: str
    relative: str
    output: Path | None
    output_relative: str | None
    format_name: str | None  # None: the format each file names, or the default
    kind: str
    check: Check
    sidecar: bool = False
    clash: str = ""  # the earlier input whose output has the same name (then nothing is written)
    fail_on: str = "warning"
    special: bool = False  # not a regular file (a named pipe, a device): skipped, never opened


@dataclass
class FileResult:
    """What happened to one figures file."""

    source: str
    output: str | None
    department: str = ""
    year: int | None = None
    findings: list[Finding] = field(default_factory=list)
    failed: bool = False
    format: str = ""
    fail_on: str = "warning"
    skipped: bool = False  # not a regular file: never opened

    @property
    def problems(self) -> list[Finding]:
        """Findings at the ``fail_on`` level or above: those that need a person's attention
        (by default warnings and errors; notes, such as a 尾差 within rounding, are information)."""
        return [f for f in self.findings if LEVEL_ORDER[f.level] >= LEVEL_ORDER[self.fail_on]]

    @property
    def status(self) -> str:
        """``failed`` (no output), ``skipped`` (not a regular file), ``findings`` (output with warnings
        or errors) or ``ok``."""
        if self.failed or self.skipped:
            return "failed" if self.failed else "skipped"
        return "findings" if self.problems else "ok"

    def count(self, level: str) -> int:
        """How many findings of ``level`` this file has."""
        return sum(1 for f in self.findings if f.level == level)


def find_figures(folder: Path, exclude: Path | None = None) -> list[Path]:
    """Every figures file under ``folder`` in a stable order; hidden folders and ``exclude`` skipped."""
    skip = exclude.resolve() if exclude is not None else None
    found = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() != skip)
        found.extend(here / f for f in files if f.endswith(FIGURES_SUFFIXES) and not f.startswith("."))
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def plan(folder: Path, out: Path | None, format_name: str | None = None, kind: str = ".md",
         check: Check = no_further_check, sidecar: bool = False, fail_on: str = "warning") -> list[Job]:
    """The jobs for every figures file under ``folder``, outputs (type ``kind``: md, txt) under ``out``.

    ``format_name`` None renders each file in the format it names; ``fail_on`` is the level from
    which a finding marks a file as having findings.
    """
    from ..document.output import convert

    if not folder.is_dir():
        raise NarratorError.at(Location(str(folder)), "not-a-folder", "不是文件夹，或文件夹不存在")
    kind = kind if kind.startswith(".") else "." + kind
    convert("", kind)  # an unknown output type is refused before any work
    jobs = []
    owners: dict[str, str] = {}
    for path in find_figures(folder, exclude=out):
        relative = path.relative_to(folder).as_posix()
        output = Path(relative).with_suffix(kind).as_posix()
        target = out / output if out is not None else None
        clash = owners.setdefault(output, relative) if target is not None else relative
        jobs.append(Job(path, str(path), relative, target, output if target else None,
                        format_name, kind, check, sidecar, "" if clash == relative else clash, fail_on,
                        not is_regular_file(path)))
    return jobs


def run_job(job: Job) -> FileResult:
    """Render, check and write one file; every failure becomes findings, never an exception."""
    from ..intake.figures import load_figures
    from ..checks.gate import examine, finding_order
    from ..document.output import convert, make_folder, write_all

    result = FileResult(job.relative, None, fail_on=job.fail_on)
    if job.special:
        result.skipped = True
        result.findings = [Finding(Location(job.shown), "note", "not-a-file",
                                   "不是普通文件（如命名管道或设备），已跳过，未读取")]
        return result
    if job.clash:
        result.failed = True
        result.findings = [Finding(Location(job.shown), "error", "output-clash",
                                   f"输出文件 {job.output_relative} 已由 {job.clash} 生成，本文件未生成；请改名")]
        return result
    try:
        loaded = load_figures(job.source, job.shown, job.format_name)
        result.department, result.year = loaded.model.department, loaded.model.year
        gate = examine(loaded, job.format_name)
        result.format = gate.format.name
        if gate.blocked:
            result.failed, result.findings = True, gate.findings
            return result
        rendered = gate.rendered
        from .sidecar import EDITABLE_KINDS, EMBEDDED_KINDS, sidecar_path, sidecar_text

        if job.output is not None and job.kind.lower() in EMBEDDED_KINDS:
            from .docxupdate import docx_with_record

            # the record narrator update needs, inside the document, as render -o x.docx stores it
            text = docx_with_record(rendered, job.output)
        else:
            text = convert(rendered.text, job.kind, result.format)
        result.findings = sorted(dict.fromkeys([*gate.findings, *job.check(rendered)]), key=finding_order)
        if job.output is not None:
            make_folder(job.output.parent)
            outputs = [(job.output, text)]
            if job.sidecar and job.output.suffix.lower() in EDITABLE_KINDS:
                outputs.append((sidecar_path(job.output), sidecar_text(job.output, rendered, text)))
            write_all(outputs)  # the text and its record, or neither
            result.output = job.output_relative
    except NarratorError as error:
        result.failed, result.findings = True, list(error.findings)
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop a region's batch
        result.failed = True
        result.findings = [Finding(Location(job.shown), "error", "internal-error",
                                   f"处理此文件时出现内部错误（请报告）：{type(exc).__name__}: {exc}")]
    return result


def warm(format_name: str | None) -> None:
    """Load and compile everything one render and check need, once per process (rules, checks, templates)."""
    from ..checks.check import load_checks
    from ..text.formats import DEFAULT_FORMAT, load_format
    from ..compute.rules import load_rule_sets
    from ..text.environment import builtin_environment
    from ..text.lean import lean_environment, lean_supported

    fmt = load_format(format_name or DEFAULT_FORMAT)
    load_rule_sets(fmt.rules, fmt.rule_settings)
    load_checks(fmt.rules)  # forked workers share it instead of each compiling the checks
    fmt.compiled_phrases  # noqa: B018 - compiles and caches the phrases
    env = fmt.environment
    env.get_template(fmt.template_name(fmt.document))
    for section in fmt.sections:
        env.get_template(fmt.template_name(section))
    if env is builtin_environment() and lean_supported():  # the fast render's own compiled templates
        for name in (fmt.document, *fmt.sections):
            lean_environment().get_template(fmt.template_name(name))


MIDDLE_EVERY, FULL_EVERY = 10, 1000
"""How often (in documents) a batch process collects the older generations of cyclic garbage itself."""

_documents = itertools.count(1)  # documents rendered by this process, for the cadence above


def run_job_collected(job: Job) -> FileResult:
    """:func:`run_job`, with the cyclic garbage collector paused while the file renders and the
    file's garbage collected as soon as it is done.

    A document's engine and records are cyclic, so collections triggered by allocation counts
    (every 700 by default) land in the middle of documents: they scan the live engine, promote it
    to an older generation and free it only in a later, costlier collection. Between documents
    everything of the last one is garbage and the young generation holds little else. The older
    generations are collected every ``MIDDLE_EVERY`` and ``FULL_EVERY`` documents, about as often
    as the default thresholds would, so that garbage which outlived a document (evicted cache
    entries) stays bounded. The collector is enabled again, thresholds untouched, before the
    result is returned; a caller that has disabled it is left alone. (The switch is the whole
    process's: other threads go without cyclic collection for the length of one file.)
    """
    if not gc.isenabled():
        return run_job(job)
    gc.disable()
    try:
        result = run_job(job)
    finally:
        gc.enable()
    done = next(_documents)
    gc.collect(2 if done % FULL_EVERY == 0 else 1 if done % MIDDLE_EVERY == 0 else 0)
    return result


def run(jobs: list[Job], processes: int = 1) -> Iterator[FileResult]:
    """The results of ``jobs`` in their order, computed by ``processes`` worker processes."""
    if not jobs:
        return
    from ..text.formats import pinned

    format_name = jobs[0].format_name
    warm(format_name)  # in the parent, so that forked workers start with it compiled
    with pinned():  # the formats there are when the batch begins, for every file of it
        if processes <= 1 or len(jobs) == 1:
            yield from map(run_job_collected, jobs)
            return
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        context = multiprocessing.get_context(method)
        chunk = max(1, min(32, len(jobs) // (processes * 8)))
        # (forked workers inherit the pinned formats; started anew, they look for themselves)
        with context.Pool(processes, initializer=warm, initargs=(format_name,)) as pool:
            yield from pool.imap(run_job_collected, jobs, chunksize=chunk)


def summarize(results: Iterable[FileResult]) -> dict:
    """Counts for the summary table and the report: files, departments, statuses, findings by level."""
    results = list(results)
    levels = {level: sum(r.count(level) for r in results) for level in ("error", "warning", "note")}
    return {
        "files": len(results),
        "departments": len({r.department for r in results if r.department}),
        "ok": sum(1 for r in results if r.status == "ok"),
        "with_findings": sum(1 for r in results if r.status == "findings"),
        "failed": sum(1 for r in results if r.failed),
        "skipped": sum(1 for r in results if r.skipped),
        "findings": levels,
    }
