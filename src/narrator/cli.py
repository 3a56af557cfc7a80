"""The command line: a thin typer layer over the library (the only module importing typer)."""

from __future__ import annotations

import datetime
import inspect
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable, Optional

import typer
import typer.core

from .commandline import hotcommands
from .commandline.cliparams import DOC_FORMAT_HELP as _DOC_FORMAT_HELP
from .commandline.cliparams import LEVEL_HELP as _LEVEL_HELP
from .commandline.cliparams import Declared, Refused, doc_format_option, fail_on_option, format_names, one_of, output_form_option
from .commandline.cliparams import comma_names, profile_option, text_kinds
from .console import entry  # noqa: F401 - the console script of installations made before narrator.console
from .errors import Finding, NarratorError
from .commandline.hotcommands import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK
from .shown import terminal_safe

# click and typer write their own help chrome and usage errors in English; the people who use
# narrator read Chinese, so the fixed phrases are translated where the help text is written.
_CHROME = {
    "Usage:": "用法：",
    "Options:": "选项：",
    "Arguments:": "参数：",
    "Commands:": "命令：",
    "Show this message and exit.": "显示本帮助并退出。",
    "[default: ": "[默认：",
    "[default:": "[默认：",
    "[required]": "[必填]",
    "Try '": "可运行 '",
    "' for help.": "' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing parameter": "缺少参数",
    "Missing option": "缺少选项",
    "No such option": "没有这个选项",
    "No such command": "没有这个命令",
    "Invalid value for": "取值无效：",
    "is not a valid": "不是有效的",
    "does not exist": "不存在",
    "Got unexpected extra argument(s)": "多出了参数",
    "Got unexpected extra arguments": "多出了参数",
    "Got unexpected extra argument": "多出了参数",
    "Input should be a valid integer, unable to parse string as an integer": "应为整数",
    "Input should be a valid integer": "应为整数",
    "Error": "错误",
    " (Possible options: ": "（是否想用：",
    "Did you mean": "是否想用",
    "COMMAND [ARGS]...": "命令 [参数]...",
    "[OPTIONS]": "[选项]",
}
# the type click names beside an argument (<path>, <list[Path]>, <int range>): the help says it in words
_TYPE_NAME = re.compile(r" <[a-z][\w\[\], ]*>")


def _chinese(text: str) -> str:
    for english, chinese in _CHROME.items():
        text = text.replace(english, chinese)
    text = re.sub(r"（是否想用：([^()]*)\)", r"（是否想用：\1）", text)
    return _TYPE_NAME.sub("", text)


def _chinese_error(message: str) -> str:
    """A usage error in Chinese, with Chinese quotes and stops (“rendr”。 not 'rendr'.)."""
    text = re.sub(r"'([^'\n]*)'", r"“\1”", _chinese(message))
    text = re.sub(r"\.(?=\s|$)", "。", text).replace("。 ", "。").replace("?", "？")
    # a file name with a space and no quotes is two arguments: the commonest cause, so say it
    text = re.sub(r"多出了参数 \((.*)\)$", r"多出了参数：\1（文件名中有空格时，请给整个文件名加英文双引号）", text)
    return f"错误：{text}"


class _ChineseHelp:
    """Mixin: translate the fixed phrases of click's help output into Chinese."""

    def format_help(self, ctx: typer.Context, formatter: object) -> None:
        super().format_help(ctx, formatter)  # type: ignore[misc]
        formatter.buffer[:] = [_chinese(piece) for piece in formatter.buffer]  # type: ignore[attr-defined]


class _Command(_ChineseHelp, typer.core.TyperCommand):
    pass


class _Group(_ChineseHelp, typer.core.TyperGroup):
    pass


app = typer.Typer(
    cls=_Group,
    help="narrator：根据预算数据文件生成部门预算公开的第三部分“预算情况说明”。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _same(one: Optional[Path], other: Optional[Path]) -> bool:
    """Whether two given paths name the same file (following links)."""
    return one is not None and other is not None and os.path.realpath(one) == os.path.realpath(other)


_print_findings = hotcommands.print_findings


def _fail(error: NarratorError) -> "typer.Exit":
    return typer.Exit(hotcommands.failed(error))


def _exists(output: Path, what_to_do: str = "要覆盖请加 --force") -> "typer.Exit":
    """An output file that is there already and may not be replaced without --force (exit 2)."""
    typer.echo(f"{output}:0:0: 错误 file-exists 文件已存在；{what_to_do}", err=True)
    return typer.Exit(EXIT_BAD_INPUT)


# -- options: declared in narrator.commandline.cliparams (typer-free, for the hot commands), made typer's here --

def _typer_callback(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``check`` (a callback of narrator.commandline.cliparams) with its refusal as typer's BadParameter."""
    def callback(value):
        try:
            return check(value)
        except Refused as refused:
            raise typer.BadParameter(str(refused)) from None
    return callback


def _typer_param(declared: Declared) -> Any:
    """typer's Option or Argument for a parameter declared in narrator.commandline.cliparams."""
    keywords = dict(declared.keywords)
    if keywords.get("callback") is not None:
        keywords["callback"] = _typer_callback(keywords["callback"])
    if declared.kind == "argument":
        return typer.Argument(declared.default, **keywords)
    return typer.Option(declared.default, *declared.param_decls, **keywords)


def _one_of(what: str, names: Callable[[], list[str]]) -> Callable[[Optional[str]], Optional[str]]:
    """A callback refusing a value not in ``names()``, with the list of allowed values."""
    return _typer_callback(one_of(what, names))


def _year_between(first: int, last: int) -> Callable[[int], int]:
    def callback(value: int) -> int:
        if not first <= value <= last:
            raise typer.BadParameter(f"应在 {first} 与 {last} 之间，实际为 {value}")
        return value
    return callback


def _at_least(least: int) -> Callable[[int], int]:
    def callback(value: int) -> int:
        if value < least:
            raise typer.BadParameter(f"应至少为 {least}，实际为 {value}")
        return value
    return callback


def _doc_format(help_text: str = _DOC_FORMAT_HELP) -> object:
    """``--doc-format`` / ``-f``: the document format (templates/<格式>/), in every command."""
    return _typer_param(doc_format_option(help_text))


def _output_form(forms: tuple[str, ...], help_text: str) -> object:
    """``--format``: the form findings or results are printed in, in every command that has one."""
    return _typer_param(output_form_option(forms, help_text))


def _fail_on(default: str, help_text: str = _LEVEL_HELP) -> object:
    """``--fail-on``: the level of finding that makes the exit code 1, in every command."""
    return _typer_param(fail_on_option(default, help_text))


def _profile() -> object:
    return _typer_param(profile_option())


def _command(function: Callable[..., int]) -> Callable[..., None]:
    """Register a command of narrator.commandline.hotcommands (typer-free: it returns its exit code) with typer,
    its parameters made typer's (same names, types, help) and its exit code typer's Exit."""
    def command(**values: Any) -> None:
        raise typer.Exit(function(**values))
    signature = inspect.signature(function, eval_str=True)
    command.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[param.replace(default=_typer_param(param.default)) for param in signature.parameters.values()],
        return_annotation=None)
    command.__name__ = command.__qualname__ = function.__name__
    command.__doc__ = function.__doc__
    return app.command(cls=_Command)(command)


render = _command(hotcommands.render)


@app.command("import", cls=_Command)
def import_command(
    workbook: Path = typer.Argument(..., readable=False, help="预算公开表工作簿（.xlsx 或 .xls，表1—表11）", show_default=False,
                                    metavar="工作簿"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="文件", help="写入的数据文件；不给则输出到屏幕"),
    prior: Optional[Path] = typer.Option(None, "--prior", metavar="数据文件或工作簿",
                                         help="上年的数据文件或上年的预算公开表工作簿：按编码、名称填入上年数（prior）"),
    keep: Optional[Path] = typer.Option(None, "--keep", metavar="数据文件",
                                        help="本年已填写的数据文件：保留其中的原因、用途等表外内容"),
    layout: str = typer.Option("xinjiang-2025", "--layout", metavar="版式",
                               help="工作簿版式（rules/workbook-layouts/ 下的文件名，或版式文件）"),
    format_name: Optional[str] = _doc_format("文档格式（见 narrator formats）：写入数据文件的 format:，"
                                             "并按它计算上年数；不给则为版式所写的格式（版式没写时为 xinjiang-2025）"),
    year: Optional[int] = typer.Option(None, "--year", metavar="年度", help="预算年度（工作簿标题中没有时）"),
    department: Optional[str] = typer.Option(None, "--department", metavar="名称",
                                             help="部门名称（表中没有“编制部门”时）"),
    force: bool = typer.Option(False, "--force", help="输出文件已存在时覆盖"),
) -> None:
    """把预算公开表工作簿（Excel）导入为数据文件（figures.yaml）；表与表不一致时报告（退出码 1）。"""
    from .document.output import check_outputs, write_atomic
    from .workbook.importer import import_workbook

    try:  # --keep may be the output itself: the figures filled in so far, rewritten
        check_outputs([("-o", output)], [("工作簿", workbook), ("上年数据（--prior）", prior),
                                         ("已填写的数据文件（--keep）", None if _same(keep, output) else keep)])
    except NarratorError as error:
        raise _fail(error) from None
    if output is not None and output.exists() and not force and not (keep and keep.resolve() == output.resolve()):
        raise _exists(output, f"要保留其中人工填写的内容请加 --keep {output}，要覆盖请加 --force")
    try:
        imported = import_workbook(workbook, layout_name=layout, format_name=format_name, year=year,
                                   department=department, prior=prior, keep=keep,
                                   output_name=str(output) if output else "figures.yaml")
        if output is None:
            sys.stdout.write(imported.text)
        else:
            write_atomic(output, imported.text)
    except NarratorError as error:
        raise _fail(error) from None
    _print_findings(imported.findings)
    raise typer.Exit(EXIT_FINDINGS if imported.findings else EXIT_OK)


@app.command(cls=_Command)
def form(
    figures: Path = typer.Argument(..., readable=False, help="数据文件（figures.yaml），通常是 narrator import 的结果", show_default=False,
                                   metavar="数据文件"),
    output: Path = typer.Option(..., "--output", "-o", metavar="文件", help="写入的填报工作簿（.xlsx）", show_default=False),
    prior: Optional[Path] = typer.Option(None, "--prior", metavar="数据文件或工作簿",
                                         help="上年的数据文件或上年填好的工作簿：上年写的原因等列在“上年内容（参考）”一列"),
    workbook: Optional[Path] = typer.Option(None, "--workbook", metavar="工作簿",
                                            help="预算公开表工作簿：表1—表11 一并放进填报工作簿，填好后直接导入这一个文件"),
    format_name: Optional[str] = _doc_format(_DOC_FORMAT_HELP + "；决定哪些行要写、哪些需说明"),
    force: bool = typer.Option(False, "--force", help="输出文件已存在时覆盖"),
) -> None:
    """写出填报工作簿：“说明”工作表列出要由人填写的原因、用途、项目情况，在 Excel 或 WPS 中填写后 narrator import。"""
    from .document.output import check_outputs, write_atomic
    from .workbook.form import build_form

    try:  # --workbook may be the output itself: the tables are put into the form
        check_outputs([("-o", output)], [("数据文件", figures), ("上年数据（--prior）", prior),
                                         ("工作簿（--workbook）", None if _same(workbook, output) else workbook)])
    except NarratorError as error:
        raise _fail(error) from None
    if output.exists() and not force and not (workbook and workbook.resolve() == output.resolve()):
        raise _exists(output, "其中填好的说明请先用 narrator import 导入，要覆盖请加 --force")
    try:
        from .text.formats import figures_format

        made = build_form(figures, prior=prior, workbook=workbook, format_name=figures_format(figures, format_name))
        write_atomic(output, made.data)
    except NarratorError as error:
        raise _fail(error) from None
    _print_findings(made.findings)
    raise typer.Exit(EXIT_FINDINGS if made.findings else EXIT_OK)


@app.command(cls=_Command)
def formats(
    check: Optional[Path] = typer.Option(
        None, "--check", metavar="文件夹",
        help="检查此文件夹中的格式（或此格式文件夹）：format.yaml 的每个键、模板语法、规则集、设置和措辞的情形；"
             "列出所有问题，有错误时退出码为 2"),
) -> None:
    """列出可用的文档格式；给出 --check 时检查一个格式文件夹。"""
    from .text.formats import list_formats

    try:
        if check is not None:
            from .text.formatcheck import check_folder

            found = check_folder(check)
            if found:
                raise NarratorError(found)
            typer.echo(f"{check}：格式检查通过")
            return
        for fmt in list_formats():
            typer.echo(f"{fmt.name}\t{fmt.description}")
    except NarratorError as error:
        raise _fail(error) from None


@app.command(cls=_Command)
def init(
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="文件", help="写入的文件；不给则输出到屏幕"),
    year: int = typer.Option(datetime.date.today().year, "--year", metavar="年度", help="预算年度"),
    department: str = typer.Option("", "--department", metavar="名称", help="部门（单位）名称"),
    format_name: Optional[str] = _doc_format("文档格式（见 narrator formats），写入数据文件的 format:；"
                                             "不给则为 xinjiang-2025"),
    force: bool = typer.Option(False, "--force", help="文件已存在时覆盖"),
) -> None:
    """生成一个空白数据文件，每个字段都有中文注释；上年数（prior）空着，待填写。"""
    from .intake.blank import blank_figures
    from .document.output import check_outputs, write_atomic

    text = blank_figures(year, department, format_name or "xinjiang-2025")
    if output is None:
        sys.stdout.write(text)
        return
    try:
        check_outputs([("-o", output)])
    except NarratorError as error:
        raise _fail(error) from None
    if output.exists() and not force:
        raise _exists(output)
    try:
        write_atomic(output, text)
    except NarratorError as error:
        raise _fail(error) from None


@app.command(cls=_Command)
def schema(
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="文件", help="写入的文件；不给则输出到屏幕"),
    format_name: Optional[str] = _doc_format("文档格式（见 narrator formats）：含该格式增加的字段；"
                                             "不给则只含所有格式共用的字段"),
) -> None:
    """输出数据文件的 JSON Schema（给出 --doc-format 时含该格式增加的字段）。"""
    from .intake.jsonschema import figures_schema
    from .document.output import check_outputs, write_atomic

    try:
        text = figures_schema(format_name)
    except NarratorError as error:
        raise _fail(error) from None
    if output is None:
        sys.stdout.write(text)
        return
    try:
        check_outputs([("-o", output)])
        write_atomic(output, text)
    except NarratorError as error:
        raise _fail(error) from None


def _finish(findings: list[Finding], output_format: str, fail_on: str, payload: dict) -> "typer.Exit":
    """Print findings (text: one per line on stdout; json: the payload) and pick the exit code."""
    return typer.Exit(hotcommands.finish(findings, output_format, fail_on, payload))


check = _command(hotcommands.check)
lint = _command(hotcommands.lint)


_REVIEW_FORMAT_HELP = ("输出到屏幕的形式：text（每行一条 “文件:页:行:列: 级别 规则 消息”）、"
                       "json（全部发现，及每个文件的发现或无法读取的原因）或 html（给人看的报告）")


@app.command(cls=_Command)
def review(
    paths: list[Path] = typer.Argument(..., readable=False, help="要审查的文件（.pdf、.docx、.txt、.md），或文件夹（含子文件夹，"
                                       "只审查这四类文件，其他文件跳过并计数）", show_default=False,
                                       metavar="文件或文件夹"),
    figures: Optional[Path] = typer.Option(None, "--figures", metavar="数据文件",
                                           help="数据文件：给出时以它为准，把文中的数字与数据比较"),
    format_name: Optional[str] = _doc_format("文档格式（见 narrator formats），其措辞视为规范写法；不给则用 --figures "
                                             "数据文件中写明的格式，都没有时只按全国通行的措辞规范审查"),
    output_format: str = _output_form(("text", "json", "html"), _REVIEW_FORMAT_HELP),
    report: list[Path] = typer.Option([], "--report", "-r", metavar="报告文件",
                                      help="另写报告文件，类型按扩展名：.json、.csv"
                                      "（一行一条发现，Excel 可直接打开）或 .html（给人看的报告）；可给多次"),
    jobs: int = typer.Option(1, "--jobs", "-j", metavar="进程数", callback=_at_least(1),
                             help="并行的进程数（至少 1；输出与进程数无关）"),
    fail_on: str = _fail_on("error"),
    ignore: str = typer.Option("", "--ignore", metavar="规则名", help="不检查的规则名，逗号分隔"),
    include: str = typer.Option("", "--include", metavar="规则名",
                                help="审查时默认不查的版式规则也查，逗号分隔：stray-space（多余的空格）、"
                                "heading-runs-on（标题与正文连在一行）"),
    profile: str = _profile(),
    progress: bool = typer.Option(True, "--progress/--no-progress",
                                  help="审查多个文件时在终端显示进度条"),
) -> None:
    """审查已公开（或待公开）的预算说明：不需要数据文件，找出文中自相矛盾、算错、措辞不规范之处。

    发现按 “文件:页:行:列: 级别 规则 消息” 输出到屏幕；无法读取的原因和汇总表（多个文件时）写到标准错误。

    退出码：有文件无法读取为 2；否则有 --fail-on 级别或更严重的发现为 1；否则为 0。
    """
    from rich.console import Console

    from .review.batch import ReviewJob, check_settings, collect, exit_code
    from .review.report import OUTPUTS, check_report_paths, print_summary, run_with_progress, write_report

    ignored, included = comma_names(ignore), comma_names(include)
    errors = Console(stderr=True, highlight=False)

    def on_result(result) -> None:
        _print_findings(result.error)
        if output_format == "text":
            _print_findings(result.findings, err=False)

    from .text.formats import figures_format

    try:
        check_report_paths(report)
        format_name = figures_format(figures, format_name, default=None)
        check_settings(format_name, figures, profile, included)
        found = collect(paths)
        from .document.output import check_outputs

        check_outputs([("-r", path) for path in report],
                      [("数据文件", figures), *(("审查的文件", path) for path in found.files)])
        todo = [ReviewJob(path, figures, format_name, ignored, profile, include=included) for path in found.files]
        several = len(todo) > 1 or any(path.is_dir() for path in paths)
        results, seconds = run_with_progress(todo, jobs, errors, progress and several and errors.is_terminal,
                                             on_result)
        if output_format != "text":
            sys.stdout.write(OUTPUTS[output_format](results, found.skipped))
        for path in report:
            write_report(path, results, found.skipped)
    except NarratorError as error:
        raise _fail(error) from None
    if several:
        print_summary(results, found.skipped, seconds, errors)
    raise typer.Exit(exit_code(results, fail_on))


@app.command(cls=_Command)
def explain(
    figures: Path = typer.Argument(..., readable=False, help="数据文件（figures.yaml）", show_default=False, metavar="数据文件"),
    format_name: Optional[str] = _doc_format(),
    output_format: str = _output_form(("text", "json"), "输出形式：text（每行一个数字及其来源）或 json"),
    to: str = typer.Option("txt", "--to", metavar="类型", callback=_one_of("文字类型", lambda: ["txt", "md"]),
                           help="按哪种文字类型计行列：txt 或 md"),
) -> None:
    """列出生成文字中每个数字和方向词的来源（数据文件的行，或规则、措辞、模板）。"""
    from .text.explain import explain_figures, to_json
    from .intake.figures import load_figures

    try:
        loaded = load_figures(figures, format_name=format_name)
        traced, items = explain_figures(loaded, loaded.format_name, to)
    except NarratorError as error:
        raise _fail(error) from None
    if output_format == "json":
        typer.echo(json.dumps(to_json(str(figures), traced, items), ensure_ascii=False, indent=2))
    else:
        for item in items:
            typer.echo(terminal_safe(item.format()))
    raise typer.Exit(EXIT_FINDINGS if any(i.source is None for i in items) else EXIT_OK)


@app.command(cls=_Command)
def batch(
    folder: Path = typer.Argument(..., readable=False, help="数据文件所在的文件夹（含子文件夹）", show_default=False, metavar="文件夹"),
    output: Path = typer.Option(..., "--output", "-o", metavar="文件夹", help="输出文件夹：按原来的相对路径写入",
                                show_default=False),
    jobs: int = typer.Option(1, "--jobs", "-j", metavar="进程数", callback=_at_least(1), help="并行的进程数（至少 1）"),
    format_name: Optional[str] = _doc_format("文档格式（见 narrator formats）：各数据文件都须是这一格式；"
                                             "不给则每个文件用其中写明的格式（format:），没有写明时为 xinjiang-2025"),
    to: str = typer.Option("md", "--to", metavar="类型", callback=_one_of("输出类型", text_kinds),
                           help="输出类型：md、txt、html 或 docx"),
    report: list[Path] = typer.Option([], "--report", "-r", metavar="报告文件", help="报告文件（.json 或 .csv），可给多次"),
    sidecar: bool = typer.Option(False, "--sidecar", help="输出 .md、.txt 时同时写出 narrator update 所需的 "
                                 ".narrator.json（.docx 总在文件内存放生成记录）"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="逐条列出所有问题（默认只列失败文件的问题）"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="显示进度条"),
    fail_on: str = _fail_on("warning", _LEVEL_HELP + "；汇总表中这样的文件算作“有问题”"),
) -> None:
    """批量生成：文件夹中的每个数据文件生成一份第三部分，最后给出汇总表和报告。

    每个文件的发现与 narrator check 相同。退出码：有文件无法生成为 2；否则有 --fail-on 级别或更严重的发现为 1；否则为 0。
    """
    from rich.console import Console

    from .workflow.batch import plan
    from .workflow.batchreport import check_report_paths, print_summary, run_with_progress, write_report

    def on_result(result) -> None:
        if verbose or result.failed:
            _print_findings(result.findings)

    try:
        check_report_paths(report)
        todo = plan(folder, output, format_name, to, sidecar=sidecar, fail_on=fail_on)
        from .document.output import check_outputs, make_folder

        check_outputs([("-r", path) for path in report], [("数据文件", job.source) for job in todo],
                      folders=[("-o", output)])
        make_folder(output)
        results, seconds = run_with_progress(todo, jobs, Console(stderr=True), progress, on_result)
        for path in report:
            write_report(path, results, format_name)
    except NarratorError as error:
        raise _fail(error) from None
    print_summary(results, seconds, Console(highlight=False))
    if any(r.failed for r in results):
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(EXIT_FINDINGS if any(r.problems for r in results) else EXIT_OK)


@app.command(cls=_Command)
def update(
    document: Path = typer.Argument(..., readable=False, help="生成后可能经人修改过的文档（.md、.txt 或 .docx）", show_default=False,
                                    metavar="文档"),
    figures: Optional[Path] = typer.Option(None, "--figures", metavar="数据文件",
                                           help="新的数据文件；不给则用上次生成时的数据文件"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="文件", help="写入的文件；不给则改写原文档"),
    from_figures: Optional[Path] = typer.Option(None, "--from-figures", metavar="数据文件",
                                                help="生成原文档时所用的数据文件：文档中没有生成记录"
                                                "（不是 narrator 写出的）时用它重新得出原来生成的文字"),
    format_name: Optional[str] = _doc_format("文档格式（见 narrator formats）；不给则用新数据文件中写明的格式"
                                             "（format:），或生成记录中的格式，都没有时为 xinjiang-2025"),
) -> None:
    """按新数据重新生成，保留人工修改（Word 文件还保留格式）：数据没变的句子保留人的改动，冲突逐条报告。"""
    from .text.formats import figures_format
    from .workflow.update import update_document

    try:
        format_name = figures_format(figures, format_name, default=None)
        merged = update_document(document, figures, output, from_figures, format_name)
    except NarratorError as error:
        raise _fail(error) from None
    _print_findings(merged.conflicts)
    conflicts = sum(1 for f in merged.conflicts if f.rule == "edit-conflict")
    typer.echo(f"已更新 {output or document}：按新数据改写 {merged.regenerated} 句，"
               f"保留人工修改 {merged.kept_edits} 句，冲突 {conflicts} 处。", err=True)
    raise typer.Exit(EXIT_FINDINGS if merged.conflicts else EXIT_OK)


@app.command(cls=_Command)
def diff(
    old: Path = typer.Argument(..., readable=False, help="原来的数据文件；也可以是 narrator 写出的 Word 文件（.docx），"
                               "即用其中记录的生成时的数据", show_default=False, metavar="原数据文件"),
    new: Path = typer.Argument(..., readable=False, help="新的数据文件", show_default=False, metavar="新数据文件"),
    format_name: Optional[str] = _doc_format("文档格式（见 narrator formats）；不给则用新数据文件中写明的格式"
                                             "（format:），或 Word 文件中记录的格式，都没有时为 xinjiang-2025"),
) -> None:
    """逐句列出数据变化后文字的变化，以及引起每处变化的数据。"""
    from .text.formats import DEFAULT_FORMAT, figures_format
    from .workflow.textdiff import diff_files, format_diff

    try:
        before: object = old
        recorded_format = None
        if old.suffix.lower() == ".docx":
            from .workflow.docxupdate import recorded_figures

            before, recorded_format = recorded_figures(old)
        chosen = figures_format(new, format_name, default=None) or figures_format(old, None, default=None)
        chosen = chosen or recorded_format or DEFAULT_FORMAT
        sys.stdout.write(format_diff(diff_files(before, new, chosen), str(old), str(new)))
    except NarratorError as error:
        raise _fail(error) from None


def _subcommands(name: str, help_text: str) -> typer.Typer:
    """A group of subcommands (``narrator NAME …``) added to the application."""
    group = typer.Typer(cls=_Group, help=help_text, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(group, name=name)
    return group


format_app = _subcommands("format", "文档格式：从已有格式复制出新格式（检查格式用 narrator formats --check）。")


@format_app.command("new", cls=_Command)
def format_new(
    name: str = typer.Argument(..., metavar="新格式名", help="新格式的名字（小写字母、数字、连字符），如 shanghai-budget"),
    source: str = typer.Option(..., "--from", metavar="已有格式", callback=_one_of("格式", format_names),
                               help="从哪个已有格式复制（见 narrator formats）", show_default=False),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", metavar="文件夹",
        help="新格式的文件夹放在哪里；不给则放在 NARRATOR_TEMPLATES 的第一个文件夹中，没有设置时放在当前文件夹"),
) -> None:
    """从已有格式复制出一个新格式（连同例子数据和它现在生成的文字，作为黄金测试），供修改。"""
    import os

    from .text.formatnew import new_format

    if output is None:
        configured = [p for p in os.environ.get("NARRATOR_TEMPLATES", "").split(os.pathsep) if p]
        output = Path(configured[0]) if configured else Path(".")
    try:
        made = new_format(name, source, output)
    except NarratorError as error:
        raise _fail(error) from None
    typer.echo(f"已建立格式 {name}：{made.folder}（{len(made.files)} 个文件）")
    typer.echo(f"改好模板后检查并运行黄金测试：narrator formats --check {made.folder}")
    if not os.environ.get("NARRATOR_TEMPLATES"):
        typer.echo(f"使用前请设置 NARRATOR_TEMPLATES={made.folder.parent}，再用 -f {name} 生成")


classification_app = _subcommands("classification", "科目表：查看自带科目表各条的来源，导入财政部门印发的官方科目表。")


@app.command(cls=_Command)
def serve(
    port: int = typer.Option(8765, "--port", "-p", metavar="端口", callback=_at_least(1),
                             help="本机的端口（只在 127.0.0.1 上提供服务）"),
    workdir: Optional[Path] = typer.Option(None, "--workdir", metavar="文件夹",
                                           help="保存上传文件和下载结果的工作文件夹；不给则用临时文件夹，退出时删除"),
    browser: bool = typer.Option(True, "--browser/--no-browser", help="启动后在浏览器中打开页面"),
) -> None:
    """启动本机的网页：财务人员上传工作簿、填写说明、预览并下载；审查人员拖入文件查看发现。

    只在本机（127.0.0.1）提供服务，不接受其他网站或其他主机名发来的请求；按 Ctrl+C 停止。
    """
    from .web import serve as run

    typer.echo(f"narrator 网页：http://127.0.0.1:{port}/ （按 Ctrl+C 停止）", err=True)
    try:
        run(port=port, workdir=workdir, open_browser=browser)
    except NarratorError as error:
        raise _fail(error) from None


@classification_app.command("check", cls=_Command)
def classification_check(
    tables: list[Path] = typer.Argument(None, readable=False, help="要检查的科目表文件；不给则检查 narrator 自带的科目表",
                                        show_default=False, metavar="科目表文件"),
    listing: bool = typer.Option(False, "--list", help="逐条列出仅凭记忆录入、未经核对的科目"),
    fail_on: str = _fail_on("warning"),
) -> None:
    """检查科目表：上级科目是否齐全、年度是否矛盾，并按来源统计（官方、公开文档所见、仅凭记忆）。"""
    from .classification.audit import audit_table, bundled_paths, memory_findings

    findings: list[Finding] = []
    memory = total = 0
    try:
        for path in tables or bundled_paths():
            audit = audit_table(path)
            typer.echo(audit.summary())
            findings += audit.findings + (memory_findings(audit) if listing else [])
            memory += len(audit.by_sureness.get("memory", []))
            total += len(audit.table.entries)
    except NarratorError as error:
        raise _fail(error) from None
    hint = "" if listing or not memory else "（加 --list 逐条列出）"
    typer.echo(f"共 {total} 条，其中仅凭记忆 {memory} 条{hint}")
    raise _finish(findings, "text", fail_on, {})


@classification_app.command("import", cls=_Command)
def classification_import(
    source: Path = typer.Argument(..., readable=False, help="财政部门印发的科目表（.xlsx 或 .csv：科目编码、科目名称两列，"
                                            "或 类、款、项、科目名称 四列）", show_default=False, metavar="科目表"),
    year: int = typer.Option(..., "--year", metavar="年度", callback=_year_between(1990, 2100),
                             help="科目表适用的预算年度（1990—2100）", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", metavar="文件", help="写入的科目表文件（.yaml）",
                                show_default=False),
    force: bool = typer.Option(False, "--force", help="文件已存在时覆盖"),
) -> None:
    """把官方科目表转为 narrator 的科目表文件：数据文件写 classification: 文件名 即按它取名称。"""
    from .classification.edition import edition_summary, import_edition
    from .document.output import check_outputs, write_atomic

    try:
        check_outputs([("-o", output)], [("科目表", source)])
    except NarratorError as error:
        raise _fail(error) from None
    if output.exists() and not force:
        raise _exists(output)
    try:
        edition = import_edition(source, year)
        write_atomic(output, edition.to_yaml())
    except NarratorError as error:
        raise _fail(error) from None
    _print_findings(edition.findings)
    typer.echo(f"{edition_summary(edition)}，已写入 {output}", err=True)
    raise typer.Exit(EXIT_FINDINGS if edition.findings else EXIT_OK)


def _invoke(args: list[str]) -> int:
    """Run the command of ``args`` and return its exit code, as ``app(standalone_mode=False)`` does.

    A plain line of a hot command runs without typer (:func:`narrator.console.run_plain`); any
    other line (help, a mistake, another command) goes to typer.
    """
    from .console import run_plain

    code = run_plain(args)
    return app(args=args, standalone_mode=False) if code is None else code


def typer_echo(message: str = "", err: bool = False) -> None:
    """typer's echo, for what :func:`narrator.commandline.hotcommands.echo` does not print itself."""
    typer.echo(message, err=err)


def pacify_streams() -> None:
    """After a closed pipe, as typer's ``_main``: stdout and stderr ignore the failing flush."""
    try:  # typer ≥ 0.25 carries its own copy of click (only narrator.cli imports typer)
        from typer._click.utils import PacifyFlushWrapper
    except ImportError:  # pragma: no cover - an older typer: end as it does, unwrapped
        return
    sys.stdout = PacifyFlushWrapper(sys.stdout)  # type: ignore[assignment]
    sys.stderr = PacifyFlushWrapper(sys.stderr)  # type: ignore[assignment]


def main() -> None:
    """Entry point of the ``narrator`` command: usage errors in Chinese, exit code 2."""
    # pydantic looks for plugins (observability hooks) in every installed package's metadata
    # when the figures schema is built: ~15-35 ms of each command, and the command line has
    # no use for them. Setting the variable yourself (e.g. to "") keeps pydantic's default.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .lastresort import caught, describe

    try:
        code = _invoke(sys.argv[1:])
    except typer.Abort:
        sys.exit(130)
    except caught() as error:  # the one boundary: what escaped a command is a message, never a traceback
        if hasattr(error, "format_message") and hasattr(error, "exit_code"):
            raise  # pragma: no cover - click's usage errors are not these types
        typer.echo(describe(error, sys.argv[1:]).format(), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except Exception as error:  # click's usage errors; typer vendors click, so match by shape
        if not (hasattr(error, "format_message") and hasattr(error, "exit_code")):
            raise
        context = getattr(error, "ctx", None)
        if type(error).__name__ == "NoArgsIsHelpError":
            typer.echo(error.format_message(), err=True)
        else:
            if context is not None:
                typer.echo(_chinese(context.get_usage()), err=True)
            typer.echo(_chinese_error(error.format_message()), err=True)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(code or EXIT_OK)
