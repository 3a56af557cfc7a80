"""The commands most often run cold — render, check, lint — written without typer.

Each takes the values its parameters declare (:mod:`narrator.commandline.cliparams`) and returns its exit
code. :mod:`narrator.cli` registers them with typer (help, usage errors, any line that is not
plain); :mod:`narrator.console` runs a plain line of them without importing typer at all.
What they print goes through :func:`echo`, which prints as typer's ``echo`` does.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Optional

from .cliparams import (DOC_FORMAT_HELP, FORMAT_HELP, Argument, Option, comma_names, doc_format_option,
                        fail_on_option, one_of, output_form_option, profile_option, text_kinds)
from ..errors import LEVEL_ORDER, Finding, NarratorError
from ..shown import terminal_safe

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def echo(message: str = "", err: bool = False) -> None:
    """Print ``message`` and a newline to stdout (stderr with ``err``) and flush, as ``typer.echo`` does.

    typer's echo re-encodes a stream whose encoding is ASCII, strips ANSI codes from a stream that
    is not a terminal and wraps the Windows console: for a plain UTF-8 text stream and a message
    without ESC none of that changes a byte, so the message is written straight; anything else is
    left to typer's own echo (through narrator.cli).
    """
    stream = sys.stderr if err else sys.stdout
    if stream.__class__ is io.TextIOWrapper and stream.encoding.lower() in ("utf-8", "utf8") \
            and "\x1b" not in message and not sys.platform.startswith("win"):
        stream.write(message + "\n")
        stream.flush()
    else:
        from ..cli import typer_echo

        typer_echo(message, err=err)


def print_findings(findings: list[Finding], err: bool = True) -> None:
    """Print findings, one a line (to stderr unless ``err`` is false)."""
    if findings:  # one write: a file with 40,000 findings is not 40,000 flushed writes
        echo("\n".join(terminal_safe(finding.format()) for finding in findings), err=err)


def failed(error: NarratorError) -> int:
    """Print the findings of ``error``; the exit code of bad input (2)."""
    print_findings(error.findings)
    return EXIT_BAD_INPUT


def finish(findings: list[Finding], output_format: str, fail_on: str, payload: dict) -> int:
    """Print findings (text: one per line on stdout; json: the payload) and pick the exit code."""
    if output_format == "json":
        import json  # only for this form: a lint printing text loads no json

        echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            echo(terminal_safe(finding.format()))
    failing = any(LEVEL_ORDER[f.level] >= LEVEL_ORDER[fail_on] for f in findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def render(
    figures: Path = Argument(..., readable=False, help="数据文件（figures.yaml）", show_default=False, metavar="数据文件"),
    format_name: Optional[str] = doc_format_option(),
    output: Optional[Path] = Option(None, "--output", "-o", metavar="文件",
                                    help="输出文件；类型由扩展名决定（.md、.txt、.html、.docx）"),
    to: str = Option("md", "--to", metavar="类型", callback=one_of("输出类型", text_kinds),
                     help="不写文件、输出到屏幕时的类型：md、txt、html 或 docx"),
    explain: Optional[Path] = Option(None, "--explain", metavar="文件", help="另把每个数字的来源写入此 JSON 文件"),
    sidecar: bool = Option(True, "--sidecar/--no-sidecar",
                           help="写文本文件时在旁边写 .narrator.json、写 .docx 时在文件内存放生成记录"
                           "（narrator update 保留人工修改要用）"),
    fail_on: str = fail_on_option("warning"),
) -> int:
    """根据数据文件生成第三部分文字：不给 -o 时输出到屏幕。

    与 narrator check 的发现相同，写到标准错误；缺少文字必需的数据（如上年数）时不生成，退出码为 2。
    """
    from ..checks.gate import examine_file
    from ..document.output import check_output_type, check_outputs, convert, write_all
    from ..workflow.sidecar import EDITABLE_KINDS, sidecar_path

    try:
        if output is not None:  # refused before the work, naming the file asked for
            check_output_type(output.suffix or to, str(output))
        with_record = output is not None and sidecar and output.suffix.lower() in EDITABLE_KINDS
        check_outputs([("-o", output), ("-o 的生成记录", sidecar_path(output) if with_record else None),
                       ("--explain", explain)], [("数据文件", figures)])
        gate = examine_file(figures, format_name)
        if gate.blocked:
            print_findings(gate.findings)
            return EXIT_BAD_INPUT
        rendered = gate.rendered
        chosen = gate.format.name
        sources = None
        if explain is not None:
            import json

            from ..text.explain import explain_figures, to_json

            kind = (output.suffix if output else to).lstrip(".").lower()
            # lines and columns are counted in the text itself (.txt) or in its Markdown; the
            # traced render is a second pass because tracing stays off on the ordinary path
            traced, items = explain_figures(rendered.figures, chosen, "txt" if kind == "txt" else "md")
            sources = json.dumps(to_json(str(figures), traced, items), ensure_ascii=False, indent=2) + "\n"
        if output is None:
            result = convert(rendered.text, to, chosen)
            if isinstance(result, bytes):
                if sys.stdout.isatty():
                    echo(f"{figures}:0:0: 错误 binary-output {to} 是二进制文件，请用 -o 文件名.{to.lstrip('.')} 写入文件",
                         err=True)
                    return EXIT_BAD_INPUT
                sys.stdout.buffer.write(result)
            else:
                sys.stdout.write(result)
        outputs: list[tuple[Path, str | bytes]] = []
        if output is not None:
            from ..workflow.sidecar import EMBEDDED_KINDS, sidecar_text

            if sidecar and output.suffix.lower() in EMBEDDED_KINDS:
                from ..workflow.docxupdate import docx_with_record

                result = docx_with_record(rendered, output)
            else:
                result = convert(rendered.text, output.suffix or to, chosen)
            outputs.append((output, result))
            if with_record:
                outputs.append((sidecar_path(output), sidecar_text(output, rendered, result)))
        if explain is not None:
            outputs.append((explain, sources))
        write_all(outputs)  # the text, its record and the sources: all of them, or none
    except NarratorError as error:
        return failed(error)
    print_findings(gate.findings)
    return gate.exit_code(fail_on)


def check(
    figures: Path = Argument(..., readable=False, help="数据文件（figures.yaml）；也可以是 narrator 写出的 Word 文件（.docx），"
                             "即检查其中记录的生成时的数据", show_default=False, metavar="数据文件"),
    format_name: Optional[str] = doc_format_option(DOC_FORMAT_HELP + "；决定用哪些规则集和模板"),
    output_format: str = output_form_option(("text", "json"), FORMAT_HELP),
    fail_on: str = fail_on_option("warning"),
    ignore: str = Option("", "--ignore", metavar="规则名", help="不报告的检查名，逗号分隔"),
) -> int:
    """检查数据文件：narrator render 会报告或拒绝的一切，都在这里报告。

    包括合计与分项（尾差为提示）、表间关系、无原因的大幅增减、缺少的上年数（错误）、
    文中要由人填写而没有填写的原因等。缺少文字必需的数据、无法生成文字时退出码为 2。
    """
    from ..checks.gate import examine, examine_file

    try:
        if figures.suffix.lower() == ".docx":
            from ..workflow.docxupdate import recorded_figures

            loaded, recorded = recorded_figures(figures)
            gate = examine(loaded, format_name or recorded)
        else:
            gate = examine_file(figures, format_name)
    except NarratorError as error:
        return failed(error)
    ignored = comma_names(ignore)
    gate.findings = gate.report.findings = [f for f in gate.findings if f.rule not in ignored]
    finished = finish(gate.findings, output_format, fail_on, gate.report.to_dict())
    return EXIT_BAD_INPUT if gate.blocked else finished


def lint(
    text: Path = Argument(..., readable=False, help="要检查的第三部分文字（.txt、.md 或 Word 文件 .docx）", show_default=False,
                          metavar="文字文件"),
    figures: Optional[Path] = Option(None, "--figures", metavar="数据文件", help="数据文件：给出时把文中的数字与数据比较"),
    format_name: Optional[str] = doc_format_option(DOC_FORMAT_HELP + "；其措辞视为规范写法"),
    output_format: str = output_form_option(("text", "json"), FORMAT_HELP),
    fail_on: str = fail_on_option("error"),
    ignore: str = Option("", "--ignore", metavar="规则名",
                         help="不检查的规则名，逗号分隔；单行可在行尾写 <!-- narrator: ignore 规则名 -->"),
    profile: str = profile_option(),
) -> int:
    """检查文字是否符合措辞规范；给出 --figures 时还检查金额、百分比、方向词、年份是否与数据一致。"""
    from ..lint import lint_path

    ignored = comma_names(ignore)
    try:
        report = lint_path(text, figures, format_name, ignored, profile)
    except NarratorError as error:
        return failed(error)
    return finish(report.findings, output_format, fail_on, report.to_dict())


#: The commands a plain line of which runs without typer (narrator.console), by name.
HOT = {"render": render, "check": check, "lint": lint}
