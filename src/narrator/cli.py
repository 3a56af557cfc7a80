"""The command line: a thin typer layer over the library (the only module importing typer)."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import Finding, NarratorError

app = typer.Typer(
    help="narrator：根据预算数据文件生成部门预算公开的第三部分“预算情况说明”。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def _print_findings(findings: list[Finding]) -> None:
    for finding in findings:
        typer.echo(finding.format(), err=True)


def _fail(error: NarratorError) -> "typer.Exit":
    _print_findings(error.findings)
    return typer.Exit(EXIT_BAD_INPUT)


@app.command()
def render(
    figures: Path = typer.Argument(..., help="数据文件（figures.yaml）", show_default=False),
    format_name: str = typer.Option("xinjiang-2025", "--format", "-f", help="文档格式（见 narrator formats）"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="输出文件；类型由扩展名决定（.md、.txt）"),
    to: str = typer.Option("md", "--to", help="不写文件、输出到屏幕时的类型：md 或 txt"),
    sidecar: bool = typer.Option(True, "--sidecar/--no-sidecar",
                                 help="写文件时在旁边写 .narrator.json（narrator update 保留人工修改要用）"),
) -> None:
    """根据数据文件生成第三部分文字：不给 -o 时输出到屏幕。"""
    from .output import convert, write_atomic
    from .render import render_file

    try:
        rendered = render_file(figures, format_name)
        if output is None:
            sys.stdout.write(convert(rendered.text, to))
        else:
            text = convert(rendered.text, output.suffix or to)
            write_atomic(output, text)
            if sidecar:
                from .sidecar import write_sidecar

                write_sidecar(output, rendered, text)
    except NarratorError as error:
        raise _fail(error) from None
    _print_findings(rendered.warnings)
    raise typer.Exit(EXIT_FINDINGS if rendered.warnings else EXIT_OK)


@app.command()
def formats() -> None:
    """列出可用的文档格式。"""
    from .formats import list_formats

    try:
        for fmt in list_formats():
            typer.echo(f"{fmt.name}\t{fmt.description}")
    except NarratorError as error:
        raise _fail(error) from None


@app.command()
def init(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入的文件；不给则输出到屏幕"),
    year: int = typer.Option(datetime.date.today().year, "--year", help="预算年度"),
    department: str = typer.Option("", "--department", help="部门（单位）名称"),
    force: bool = typer.Option(False, "--force", help="文件已存在时覆盖"),
) -> None:
    """生成一个空白数据文件，每个字段都有中文注释。"""
    from .blank import blank_figures
    from .output import write_atomic

    text = blank_figures(year, department)
    if output is None:
        sys.stdout.write(text)
        return
    if output.exists() and not force:
        typer.echo(f"{output}:0:0: 错误 file-exists 文件已存在；要覆盖请加 --force", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        write_atomic(output, text)
    except NarratorError as error:
        raise _fail(error) from None


@app.command()
def schema(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入的文件；不给则输出到屏幕"),
) -> None:
    """输出数据文件的 JSON Schema。"""
    from .jsonschema import figures_schema
    from .output import write_atomic

    text = figures_schema()
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


@app.command()
def batch(
    folder: Path = typer.Argument(..., help="数据文件所在的文件夹（含子文件夹）", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="输出文件夹：按原来的相对路径写入", show_default=False),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="并行的进程数"),
    format_name: str = typer.Option("xinjiang-2025", "--format", "-f", help="文档格式（见 narrator formats）"),
    to: str = typer.Option("md", "--to", help="输出类型：md 或 txt"),
    report: list[Path] = typer.Option([], "--report", "-r", help="报告文件（.json 或 .csv），可给多次"),
    sidecar: bool = typer.Option(False, "--sidecar", help="同时写出 narrator update 所需的 .narrator.json"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="逐条列出所有问题（默认只列失败文件的问题）"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="显示进度条"),
) -> None:
    """批量生成：文件夹中的每个数据文件生成一份第三部分，最后给出汇总表和报告。"""
    from rich.console import Console

    from .batch import plan
    from .batchreport import check_report_paths, print_summary, run_with_progress, write_report

    def on_result(result) -> None:
        if verbose or result.failed:
            _print_findings(result.findings)

    try:
        check_report_paths(report)
        todo = plan(folder, output, format_name, to, sidecar=sidecar)
        output.mkdir(parents=True, exist_ok=True)
        results, seconds = run_with_progress(todo, jobs, Console(stderr=True), progress, on_result)
        for path in report:
            write_report(path, results, format_name)
    except NarratorError as error:
        raise _fail(error) from None
    print_summary(results, seconds, Console(highlight=False))
    if any(r.failed for r in results):
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(EXIT_FINDINGS if any(r.findings for r in results) else EXIT_OK)


@app.command()
def update(
    document: Path = typer.Argument(..., help="生成后可能经人修改过的文档（.md 或 .txt）", show_default=False),
    figures: Optional[Path] = typer.Option(None, "--figures", help="新的数据文件；不给则用上次生成时的数据文件"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入的文件；不给则改写原文档"),
) -> None:
    """按新数据重新生成，保留人工修改：数据没变的句子保留人的改动，冲突逐条报告。"""
    from .update import update_document

    try:
        merged = update_document(document, figures, output)
    except NarratorError as error:
        raise _fail(error) from None
    _print_findings(merged.conflicts)
    conflicts = sum(1 for f in merged.conflicts if f.rule == "edit-conflict")
    typer.echo(f"已更新 {output or document}：按新数据改写 {merged.regenerated} 句，"
               f"保留人工修改 {merged.kept_edits} 句，冲突 {conflicts} 处。", err=True)
    raise typer.Exit(EXIT_FINDINGS if merged.conflicts else EXIT_OK)


@app.command()
def diff(
    old: Path = typer.Argument(..., help="原来的数据文件", show_default=False),
    new: Path = typer.Argument(..., help="新的数据文件", show_default=False),
    format_name: str = typer.Option("xinjiang-2025", "--format", "-f", help="文档格式（见 narrator formats）"),
) -> None:
    """逐句列出数据变化后文字的变化，以及引起每处变化的数据。"""
    from .textdiff import diff_files, format_diff

    try:
        sys.stdout.write(format_diff(diff_files(old, new, format_name), str(old), str(new)))
    except NarratorError as error:
        raise _fail(error) from None


def main() -> None:
    """Entry point of the ``narrator`` command."""
    app()
