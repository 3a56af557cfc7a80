"""The command line: a thin typer layer over the library (the only module importing typer)."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import LEVEL_ORDER, Finding, NarratorError

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
    explain: Optional[Path] = typer.Option(None, "--explain", help="另把每个数字的来源写入此 JSON 文件"),
) -> None:
    """根据数据文件生成第三部分文字：不给 -o 时输出到屏幕。"""
    from .output import convert, write_atomic
    from .render import render_file

    try:
        rendered = render_file(figures, format_name)
        if explain is not None:
            from .explain import explain_figures, to_json
            from .figures import load_figures

            traced, items = explain_figures(load_figures(figures), format_name,
                                            (output.suffix if output else to).lstrip(".") or "md")
            write_atomic(explain, json.dumps(to_json(str(figures), traced, items), ensure_ascii=False, indent=2) + "\n")
        if output is None:
            sys.stdout.write(convert(rendered.text, to))
        else:
            write_atomic(output, convert(rendered.text, output.suffix or to))
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


def _level_option(value: str) -> str:
    if value not in LEVEL_ORDER:
        raise typer.BadParameter(f"应为 {'、'.join(LEVEL_ORDER)} 之一")
    return value


def _finish(findings: list[Finding], output_format: str, fail_on: str, payload: dict) -> "typer.Exit":
    """Print findings (text: one per line on stdout; json: the payload) and pick the exit code."""
    if output_format == "json":
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            typer.echo(finding.format())
    failing = any(LEVEL_ORDER[f.level] >= LEVEL_ORDER[fail_on] for f in findings)
    return typer.Exit(EXIT_FINDINGS if failing else EXIT_OK)


_FORMAT_HELP = "输出形式：text（每行一条 “文件:行:列: 级别 规则 消息”）或 json"
_FAIL_HELP = "有此级别（error、warning、note）或更严重的发现时退出码为 1"


@app.command()
def check(
    figures: Path = typer.Argument(..., help="数据文件（figures.yaml）", show_default=False),
    format_name: str = typer.Option("xinjiang-2025", "--doc-format", help="文档格式（决定用哪些规则集）"),
    output_format: str = typer.Option("text", "--format", help=_FORMAT_HELP),
    fail_on: str = typer.Option("error", "--fail-on", callback=_level_option, help=_FAIL_HELP),
    ignore: str = typer.Option("", "--ignore", help="不报告的检查名，逗号分隔"),
) -> None:
    """检查数据文件本身是否一致：合计与分项（尾差为提示）、表间关系、无原因的大幅增减。"""
    from .check import check_figures
    from .figures import load_figures

    try:
        report = check_figures(load_figures(figures), format_name)
    except NarratorError as error:
        raise _fail(error) from None
    ignored = {name.strip() for name in ignore.split(",") if name.strip()}
    report.findings = [f for f in report.findings if f.rule not in ignored]
    raise _finish(report.findings, output_format, fail_on, report.to_dict())


@app.command()
def lint(
    text: Path = typer.Argument(..., help="要检查的第三部分文字（.txt 或 .md）", show_default=False),
    figures: Optional[Path] = typer.Option(None, "--figures", help="数据文件：给出时把文中的数字与数据比较"),
    format_name: str = typer.Option("xinjiang-2025", "--doc-format", help="文档格式（其措辞视为规范写法）"),
    output_format: str = typer.Option("text", "--format", help=_FORMAT_HELP),
    fail_on: str = typer.Option("error", "--fail-on", callback=_level_option, help=_FAIL_HELP),
    ignore: str = typer.Option("", "--ignore", help="不检查的规则名，逗号分隔；单行可在行尾写 <!-- narrator: ignore 规则名 -->"),
) -> None:
    """检查文字是否符合措辞规范；给出 --figures 时还检查金额、百分比、方向词、年份是否与数据一致。"""
    from .lint import lint_file

    ignored = {name.strip() for name in ignore.split(",") if name.strip()}
    try:
        report = lint_file(text, figures, format_name, ignored)
    except NarratorError as error:
        raise _fail(error) from None
    raise _finish(report.findings, output_format, fail_on, report.to_dict())


@app.command()
def explain(
    figures: Path = typer.Argument(..., help="数据文件（figures.yaml）", show_default=False),
    format_name: str = typer.Option("xinjiang-2025", "--doc-format", help="文档格式"),
    output_format: str = typer.Option("text", "--format", help="输出形式：text 或 json"),
    to: str = typer.Option("txt", "--to", help="按哪种文字类型计行列：txt 或 md"),
) -> None:
    """列出生成文字中每个数字和方向词的来源（数据文件的行，或规则、措辞、模板）。"""
    from .explain import explain_figures, to_json
    from .figures import load_figures

    try:
        traced, items = explain_figures(load_figures(figures), format_name, to)
    except NarratorError as error:
        raise _fail(error) from None
    if output_format == "json":
        typer.echo(json.dumps(to_json(str(figures), traced, items), ensure_ascii=False, indent=2))
    else:
        for item in items:
            typer.echo(item.format())
    raise typer.Exit(EXIT_FINDINGS if any(i.source is None for i in items) else EXIT_OK)


def main() -> None:
    """Entry point of the ``narrator`` command."""
    app()
