"""The report of a batch: JSON and CSV for machines, a progress bar and summary tables for people.

The JSON and CSV reports hold no times or machine details, so that they are the same bytes
for the same input whatever the number of jobs. The CSV has one row per finding (a file
without findings has one row with the finding columns empty) and a BOM, so that Excel opens
the Chinese text correctly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Sequence

from .batch import FileResult, Job, run, summarize
from ..document.csvcells import csv_text
from ..errors import LEVEL_NAMES, Location, NarratorError
from ..document.output import write_atomic
from ..shown import terminal_safe

TOP = 20
"""Rows of the table of departments with findings (the report has them all)."""
CSV_COLUMNS = ["source", "output", "department", "year", "status", "path", "line", "column",
               "level", "rule", "message"]


def report_data(results: Sequence[FileResult], format_name: str | None) -> dict[str, Any]:
    """The whole report as plain data (what the JSON report holds); ``format_name`` is the format
    asked for (None: each file's own, given with the file)."""
    return {
        "format": format_name,
        "summary": summarize(results),
        "files": [
            {
                "source": r.source,
                "output": r.output,
                "department": r.department,
                "year": r.year,
                "format": r.format,
                "status": r.status,
                "findings": [f.to_dict() for f in r.findings],
            }
            for r in results
        ],
    }


def to_json(results: Sequence[FileResult], format_name: str) -> str:
    """The report as JSON text."""
    return json.dumps(report_data(results, format_name), ensure_ascii=False, indent=2) + "\n"


def to_csv(results: Sequence[FileResult]) -> str:
    """The report as CSV text, one row per finding (formula-like cells neutralised)."""
    rows = []
    for r in results:
        head = [r.source, r.output or "", r.department, r.year or "", r.status]
        if not r.findings:
            rows.append(head + [""] * 6)
        for f in r.findings:
            loc = f.location
            rows.append(head + [loc.path, loc.line, loc.column, f.level, f.rule, f.message])
    return csv_text(CSV_COLUMNS, rows)


REPORT_TYPES = {
    ".json": lambda results, format_name: to_json(results, format_name),
    ".csv": lambda results, format_name: to_csv(results),
}


def check_report_paths(paths: Sequence[Path]) -> None:
    """Refuse report files of an unknown type (before any work is done)."""
    for path in paths:
        if path.suffix.lower() not in REPORT_TYPES:
            raise NarratorError.at(Location(str(path)), "unknown-report-type",
                                   f"不支持的报告类型 “{path.suffix}”，可用：{'、'.join(REPORT_TYPES)}")


def write_report(path: Path, results: Sequence[FileResult], format_name: str) -> None:
    """Write the report in the type named by the extension (.json or .csv), atomically."""
    check_report_paths([path])
    write_atomic(path, REPORT_TYPES[path.suffix.lower()](results, format_name))


def run_with_progress(jobs: Sequence[Job], processes: int, console: Any, show: bool,
                      on_result: Callable[[FileResult], None]) -> tuple[list[FileResult], float]:
    """Run the batch with a progress bar on ``console``; the results and the seconds taken."""
    from ..progress import collect_with_progress

    return collect_with_progress(run(list(jobs), processes), len(jobs), "生成", console, show, on_result)


def print_summary(results: Sequence[FileResult], seconds: float, console: Any) -> None:
    """Print the summary table (and the failed files) to a rich console."""
    from rich.table import Table

    summary = summarize(results)
    table = Table(title="批量生成汇总", show_header=True)
    table.add_column("项目")
    table.add_column("数量", justify="right")
    rows = [
        ("数据文件", summary["files"]),
        ("部门（单位）", summary["departments"]),
        ("成功，无问题（可有提示）", summary["ok"]),
        ("成功，有问题", summary["with_findings"]),
        ("失败（未生成）", summary["failed"]),
    ]
    if summary["skipped"]:
        rows.append(("跳过（不是普通文件，未读取）", summary["skipped"]))
    rows += [(f"{LEVEL_NAMES[level]}", n) for level, n in summary["findings"].items()]
    for name, value in rows:
        table.add_row(name, str(value))
    rate = summary["files"] / seconds if seconds > 0 else 0.0
    table.caption = f"用时 {seconds:.2f} 秒，每秒 {rate:.0f} 份"
    console.print(table)
    flagged = sorted((r for r in results if r.problems and not r.failed),
                     key=lambda r: (-r.count("error"), -r.count("warning"), -r.count("note"), r.source))
    if flagged:
        departments = Table(title="有问题的部门（单位）", show_header=True)
        for name in ("部门（单位）", "文件", *LEVEL_NAMES.values()):
            departments.add_column(name, justify="right" if name in LEVEL_NAMES.values() else "left")
        for r in flagged[:TOP]:
            departments.add_row(_plain(r.department), _plain(r.source), *(str(r.count(level)) for level in LEVEL_NAMES))
        if len(flagged) > TOP:
            departments.caption = f"另有 {len(flagged) - TOP} 个，见报告（-r 报告.json / 报告.csv）"
        console.print(departments)
    skipped = [r for r in results if r.skipped]
    if skipped:
        console.print(_file_table("跳过的文件", "原因", [(r, f"{r.findings[0].rule} {r.findings[0].message}")
                                                        for r in skipped]))
    failed = [r for r in results if r.failed]
    if failed:
        rows = []
        for r in failed:
            first = r.findings[0]
            more = f"（另有 {len(r.findings) - 1} 个问题）" if len(r.findings) > 1 else ""
            rows.append((r, f"{first.location.line}行 {first.rule} {first.message}{more}"))
        console.print(_file_table("失败的文件", "问题", rows))


def _plain(text: str) -> Any:
    """A table cell of the user's own text: shown as written (no rich markup), controls escaped."""
    from rich.text import Text

    return Text(terminal_safe(text))


def _file_table(title: str, what: str, rows: Sequence[tuple[FileResult, str]]) -> Any:
    """A table of files (skipped, failed): each file with what happened to it."""
    from rich.table import Table

    table = Table(title=title, show_header=True)
    table.add_column("文件")
    table.add_column(what)
    for result, text in rows:
        table.add_row(_plain(result.source), _plain(text))
    return table
