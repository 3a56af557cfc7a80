"""The reports of a review: text lines, JSON, CSV and HTML; a progress bar and the summary table.

Reports hold no times or machine details, so the same files give the same bytes whatever the
number of processes. The JSON starts with every finding in one list (as ``narrator lint``
gives them), then the files, each with its own findings or the error that kept it from being
read. The CSV has one row per finding, with the sentence the finding is in, and a BOM so that
Excel opens the Chinese text correctly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Sequence

from ..document.csvcells import csv_text
from ..errors import LEVEL_NAMES, Finding, Location, NarratorError
from ..document.output import write_atomic
from ..shown import terminal_safe
from .batch import FileReview, ReviewJob, run_reviews, summarize

CSV_COLUMNS = ["文件", "页", "行", "列", "级别", "规则", "消息", "句子"]


def status(result: FileReview) -> str:
    """``unreadable``, ``findings`` or ``ok``."""
    return "unreadable" if result.unreadable else ("findings" if result.findings else "ok")


def finding_data(result: FileReview, index: int) -> dict[str, Any]:
    """One finding as JSON data: its place, level, rule, message, and the sentence it is in."""
    return result.findings[index].to_dict() | {"sentence": result.sentence(index)}


def report_data(results: Sequence[FileReview], skipped: int = 0) -> dict[str, Any]:
    """The whole review as plain data (what the JSON report holds)."""
    files = []
    for r in results:
        entry: dict[str, Any] = {
            "path": r.path,
            "status": status(r),
            "counts": {level: r.count(level) for level in LEVEL_NAMES},
        }
        if r.unreadable:
            entry["error"] = [f.to_dict() for f in r.error]
        entry["findings"] = [finding_data(r, i) for i in range(len(r.findings))]
        files.append(entry)
    return {
        "summary": summarize(results, skipped),
        "findings": [finding for entry in files for finding in entry["findings"]],
        "files": files,
    }


def to_text(results: Sequence[FileReview], skipped: int = 0) -> str:
    """Every finding, one line each: ``文件:页:行:列: 级别 规则 消息`` (unreadable files are not here)."""
    return "".join(f.format() + "\n" for r in results for f in r.findings)


def to_json(results: Sequence[FileReview], skipped: int = 0) -> str:
    """The review as JSON text."""
    return json.dumps(report_data(results, skipped), ensure_ascii=False, indent=2) + "\n"


def to_csv(results: Sequence[FileReview], skipped: int = 0) -> str:
    """The review as CSV text (with a BOM), one row per finding; an unreadable file's errors are rows too.

    Cells that a spreadsheet would run as a formula (= + - @ first) are neutralised.
    """
    rows = []
    for r in results:
        rows.extend(finding_row(f, "") for f in r.error)
        rows.extend(finding_row(f, r.sentence(index)) for index, f in enumerate(r.findings))
    return csv_text(CSV_COLUMNS, rows)


def finding_row(f: Finding, sentence: str) -> list[Any]:
    """One finding as a row of :data:`CSV_COLUMNS`."""
    loc = f.location
    return [loc.path, loc.page or "", loc.line or "", loc.column or "", LEVEL_NAMES[f.level], f.rule,
            f.message, sentence]


def to_html(results: Sequence[FileReview], skipped: int = 0) -> str:
    """The review as one self-contained HTML page for a person."""
    from .html import render_html

    return render_html(results, skipped)


OUTPUTS: dict[str, Callable[[Sequence[FileReview], int], str]] = {
    "text": to_text, "json": to_json, "html": to_html,
}
"""What ``--format`` prints to standard output."""

REPORT_TYPES: dict[str, Callable[[Sequence[FileReview], int], str]] = {
    ".json": to_json, ".csv": to_csv, ".html": to_html, ".htm": to_html,
}
"""The report files ``-r`` writes, by extension."""


def check_report_paths(paths: Sequence[Path]) -> None:
    """Refuse report files of an unknown type, or in a folder that does not exist, before any work."""
    for path in paths:
        if path.suffix.lower() not in REPORT_TYPES:
            raise NarratorError.at(Location(str(path)), "unknown-report-type",
                                   f"不支持的报告类型 “{path.suffix}”，可用：.json、.csv、.html")
        if not path.resolve().parent.is_dir():
            raise NarratorError.at(Location(str(path)), "output", f"输出目录不存在：{path.parent}")


def write_report(path: Path, results: Sequence[FileReview], skipped: int = 0) -> None:
    """Write the report of the type named by the extension, atomically."""
    check_report_paths([path])
    write_atomic(path, REPORT_TYPES[path.suffix.lower()](results, skipped))


def run_with_progress(jobs: Sequence[ReviewJob], processes: int, console: Any, show: bool,
                      on_result: Callable[[FileReview], None]) -> tuple[list[FileReview], float]:
    """Review every job with a progress bar on ``console``; the results and the seconds taken."""
    from ..progress import collect_with_progress

    return collect_with_progress(run_reviews(jobs, processes), len(jobs), "审查", console, show, on_result)


def summary_rows(results: Sequence[FileReview]) -> list[tuple[str, str, str, str, str]]:
    """Per file: path, errors, warnings, notes, and a remark (无问题, or 无法读取 and why)."""
    rows = []
    for r in results:
        if r.unreadable:
            first = r.error[0]
            more = f"（另有 {len(r.error) - 1} 个问题）" if len(r.error) > 1 else ""
            rows.append((r.path, "-", "-", "-", f"无法读取：{first.message}{more}"))
        else:
            counts = [str(r.count(level)) for level in ("error", "warning", "note")]
            rows.append((r.path, *counts, "" if r.findings else "无问题"))
    return rows


def summary_caption(results: Sequence[FileReview], skipped: int, seconds: float | None = None) -> str:
    """The totals under the summary table."""
    s = summarize(results, skipped)
    levels = "，".join(f"{LEVEL_NAMES[level]} {n}" for level, n in s["findings"].items())
    text = (f"共 {s['files']} 个文件：有发现 {s['with_findings']} 个，无法读取 {s['unreadable']} 个；{levels}")
    if skipped:
        text += f"；跳过其他类型的文件 {skipped} 个"
    if seconds is not None:
        text += f"；用时 {seconds:.1f} 秒"
    return text


def print_summary(results: Sequence[FileReview], skipped: int, seconds: float | None, console: Any) -> None:
    """Print the summary table, one row per file, to a rich console."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="审查汇总", show_header=True)
    table.add_column("文件", overflow="fold")
    for name in LEVEL_NAMES.values():
        table.add_column(name, justify="right")
    table.add_column("说明", overflow="fold")
    for row in summary_rows(results):
        # file names and notes are the user's text: shown as written (no rich markup), controls escaped
        table.add_row(*(Text(terminal_safe(cell)) if isinstance(cell, str) else cell for cell in row))
    console.print(table)
    console.print(summary_caption(results, skipped, seconds), soft_wrap=True)
