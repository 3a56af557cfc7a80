"""The cold path (issue 14): plain command lines read without typer's parser, the entry point's
quick exit, and narrator's own data files kept parsed between runs."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

import narrator.console
from narrator import cli
from narrator.commandline.hotcommands import HOT
from narrator.commandline.quickargs import quick_arguments

from .conftest import CASES, EXAMPLE, ROOT

# -- the quick reading gives the command what typer gives it ----------------------------------


def _typer_arguments(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> dict:
    """The keyword arguments typer calls the command of ``args`` with (the command not run)."""
    seen: list[dict] = []
    for info in cli.app.registered_commands:
        if info.callback.__name__ == args[0]:
            def record(**kwargs):
                seen.append(kwargs)
                raise typer.Exit(0)
            monkeypatch.setattr(info, "callback", functools.wraps(info.callback)(record))
    assert cli.app(args=args, standalone_mode=False) == 0
    return seen[0]


@pytest.fixture()
def texts(tmp_path: Path) -> dict[str, str]:
    text = tmp_path / "说明 文字.md"
    text.write_text("第三部分\n", encoding="utf-8")
    return {"figures": str(EXAMPLE), "text": str(text), "out": str(tmp_path / "out.md"),
            "json": str(tmp_path / "来源.json"), "folder": str(tmp_path)}


PLAIN_LINES = [
    ["render", "{figures}"],
    ["render", "{figures}", "-o", "{out}"],
    ["render", "-o", "{out}", "{figures}", "--no-sidecar", "--fail-on", "error"],
    ["render", "{figures}", "--output={out}", "--sidecar", "-f", "xinjiang-2025", "--to", "txt"],
    ["render", "{figures}", "--to", "html", "--explain", "{json}", "--doc-format=xinjiang-2025"],
    ["check", "{figures}"],
    ["check", "{figures}", "--format", "json", "--ignore", "class-total,basic-total", "--fail-on", "note"],
    ["check", "--fail-on=error", "{figures}", "-f", "xinjiang-2025"],
    ["lint", "{text}"],
    ["lint", "{text}", "--figures", "{figures}"],
    ["lint", "{text}", "--figures={figures}", "--profile", "shanghai", "--format", "json", "--ignore", "x,y"],
    ["lint", "--profile", "xinjiang-2025", "{text}", "-f", "xinjiang-2025", "--fail-on", "warning"],
    ["render", "{folder}"],  # a folder as the figures: readable=False, refused by the command itself
    ["lint", "{text}", "--figures", "{folder}"],  # typer's paths may be folders: the command refuses it
]


@pytest.mark.parametrize("line", PLAIN_LINES, ids=[" ".join(line) for line in PLAIN_LINES])
def test_a_plain_line_is_read_as_typer_reads_it(monkeypatch, texts, line: list[str]) -> None:
    args = [part.format(**texts) for part in line]
    quick = quick_arguments(HOT[args[0]], args[1:])
    assert quick is not None  # read quickly: the cold path is taken
    assert quick == _typer_arguments(monkeypatch, args)


UNSURE_LINES = [
    ["render"], ["render", "--help"], ["render", "{figures}", "--help"], ["render", "{figures}", "{figures}"],
    ["render", "{figures}", "-o"], ["render", "{figures}", "--to", "pdf"], ["render", "{figures}", "--to=pdf"],
    ["render", "{figures}", "-f", "no-such-format"], ["render", "{figures}", "-o", "{out}", "-o", "{out}"],
    ["render", "{figures}", "--sidecar", "--no-sidecar"], ["render", "{figures}", "--sidecar=yes"],
    ["render", "--", "{figures}"], ["render", "-"], ["render", ""], ["render", "{figures}", "-o", ""],
    ["render", "{figures}", "-o", "-x.md"], ["render", "{figures}", "-o{out}"], ["render", "{figures}", "--outpu", "x"],
    ["render", "bad\udcffname.yaml"], ["render", "tab\there.yaml"], ["render", "{figures}", "-x"],
    ["check", "{figures}", "--format", "xml"], ["check", "{figures}", "--fail-on", "fatal"],
    ["lint", "{text}", "--profile", "nowhere"], ["lint", "{text}", "--figures"],
]


@pytest.mark.parametrize("line", UNSURE_LINES, ids=[repr(line) for line in UNSURE_LINES])
def test_any_other_line_is_left_to_typer(texts, line: list[str]) -> None:
    args = [part.format(**texts) for part in line]
    assert quick_arguments(HOT[args[0]], args[1:]) is None


def test_an_unreadable_option_file_is_left_to_typer(monkeypatch, texts) -> None:
    """typer refuses an existing --figures it cannot read (readable=True): its message, not ours."""
    import narrator.commandline.quickargs

    assert quick_arguments(HOT["lint"], [texts["text"], "--figures", texts["figures"]]) is not None
    monkeypatch.setattr(narrator.commandline.quickargs.os, "access", lambda path, mode: False)
    assert quick_arguments(HOT["lint"], [texts["text"], "--figures", texts["figures"]]) is None
    assert quick_arguments(HOT["lint"], [texts["text"]]) is not None  # the argument is readable=False


# -- the entry point: same output and exit codes, no interpreter teardown ----------------------


def _narrator(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "narrator", *args], capture_output=True, text=True, cwd=cwd)


def test_entry_point_prints_everything_and_keeps_exit_codes(tmp_path: Path) -> None:
    expected = (CASES / "atushi-2025" / "expected.md").read_text(encoding="utf-8")
    shown = _narrator("render", str(EXAMPLE))
    assert (shown.returncode, shown.stdout) == (0, expected)
    assert [line.split(" ")[2] for line in shown.stderr.splitlines()] == ["class-total", "basic-total"]
    out = tmp_path / "第三部分.md"
    written = _narrator("render", str(EXAMPLE), "-o", str(out))
    assert written.returncode == 0 and written.stdout == ""
    assert out.read_text(encoding="utf-8") == expected
    assert (tmp_path / "第三部分.md.narrator.json").is_file()
    assert _narrator("check", str(EXAMPLE), "--fail-on", "note").returncode == 1
    assert _narrator("lint", str(out), "--figures", str(EXAMPLE)).returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("department: 某局\nyear: 二零二五\n", encoding="utf-8")
    refused = _narrator("render", str(bad))
    assert refused.returncode == 2 and refused.stdout == "" and f"{bad}:2:" in refused.stderr
    usage = _narrator("render", str(EXAMPLE), "--to", "pdf")  # typer's reading, in Chinese
    assert usage.returncode == 2 and "错误：" in usage.stderr and "不是可用的输出类型" in usage.stderr


def test_main_still_raises_system_exit_for_callers_in_process(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "argv", ["narrator", "check", str(EXAMPLE), "--fail-on", "note"])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 1
    assert "class-total" in capsys.readouterr().out


def test_the_console_script_is_the_quick_entry_point() -> None:
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"narrator": "narrator.console:entry"}
    assert "from narrator.console import entry\n" in (ROOT / "src" / "narrator" / "__main__.py").read_text(encoding="utf-8")
    assert cli.entry is narrator.console.entry   # the script of an installation made before narrator.console


def test_hot_commands_import_no_web_word_workbook_or_terminal_library(tmp_path: Path) -> None:
    """render (to a text file), check and lint load none of the libraries only other commands need
    (nor zipfile: only a .docx or .xlsx needs it; nor, for render and check, what only a mistake
    needs: difflib's suggestions, traceback's template lines)."""
    out = tmp_path / "out.md"
    code = ("import sys; from narrator.console import run_plain\n"
            "code = run_plain(sys.argv[1:])\n"
            "print(code, sorted(({m.split('.')[0] for m in sys.modules} | set(sys.modules)) & {'rich', 'docx', 'openpyxl', "
            "'lxml', 'pypdfium2', 'starlette', 'uvicorn', 'babel', 'xlrd', 'zipfile', 'typer', 'click', 'pydantic', "
            "'difflib', 'traceback'}), file=sys.stderr)")
    for args, ending in ((["render", str(EXAMPLE), "-o", str(out)], "0 []"), (["check", str(EXAMPLE)], "0 []"),
                         (["lint", str(out), "--figures", str(EXAMPLE)], "0 ['difflib']")):  # near-name's guesses
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
        assert done.stderr.splitlines()[-1] == ending, args


def test_a_lint_whose_reference_is_kept_imports_no_template_engine(tmp_path: Path) -> None:
    """lint --figures that finds its reference text kept (narrator.lint.refcache) renders nothing when
    no message names a source, so it imports no jinja2 — not even to learn where it is installed
    (part of the key) —, and once every cache it reads is filled it writes none (no tempfile)."""
    env = {k: v for k, v in os.environ.items() if k != "NARRATOR_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    out = tmp_path / "out.md"
    out.write_text((CASES / "atushi-2025" / "expected.md").read_text(encoding="utf-8"), encoding="utf-8")
    code = ("import sys; from narrator.console import run_plain\n"
            "code = run_plain(sys.argv[1:])\n"
            "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'jinja2', 'narrator', 'tempfile', 'json'}), "
            "file=sys.stderr)")
    runs = [subprocess.run([sys.executable, "-c", code, "lint", str(out), "--figures", str(EXAMPLE)],
                           capture_output=True, text=True, env=env) for _ in range(3)]
    assert runs[0].stderr.splitlines()[-1] == "0 ['jinja2', 'json', 'narrator', 'tempfile']"   # rendered, then kept
    assert "jinja2" not in runs[1].stderr.splitlines()[-1]
    assert runs[2].stderr.splitlines()[-1] == "0 ['narrator']"   # nor writes a cache file, nor prints JSON
    assert runs[2].stdout == runs[1].stdout == runs[0].stdout


@pytest.mark.parametrize(("raised", "ending", "shown"), [
    (KeyboardInterrupt(), 130, ""), (OSError(32, "Broken pipe"), 1, ""), (EOFError(), 130, "\n"),
])
def test_the_quick_path_ends_interruptions_as_typer_does(monkeypatch, capsys, raised, ending, shown) -> None:
    """What typer's own _main does with them: Ctrl+C exit 130, a closed pipe exit 1 (the streams then
    ignore the failing flush), end of input a newline and exit 130 (typer's Abort)."""
    @functools.wraps(HOT["render"])
    def interrupted(**kwargs):
        raise raised
    monkeypatch.setitem(HOT, "render", interrupted)
    monkeypatch.setattr(sys, "stdout", sys.stdout)  # restored after the wrapper a closed pipe puts there
    monkeypatch.setattr(sys, "stderr", sys.stderr)
    assert cli._invoke(["render", str(EXAMPLE)]) == ending
    if isinstance(raised, OSError):
        assert type(sys.stdout).__name__ == type(sys.stderr).__name__ == "PacifyFlushWrapper"
    else:
        assert capsys.readouterr().err == shown


def test_a_broken_zip_that_escapes_a_command_is_a_message(monkeypatch, capsys) -> None:
    """zipfile is not imported up front; a BadZipFile (raised once it is) still ends as bad-input."""
    import zipfile

    def broken(argv):
        raise zipfile.BadZipFile("File is not a zip file")
    monkeypatch.setattr(cli, "_invoke", broken)
    monkeypatch.setattr(sys, "argv", ["narrator", "check", str(EXAMPLE)])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 2
    assert capsys.readouterr().err == (f"{EXAMPLE}:0:0: 错误 bad-input 文件已损坏（zip 压缩格式有误，如 .xlsx、.docx），"
                                       "无法读取；请检查文件\n")


# -- a plain line runs without typer: same declarations, same printing -------------------------

def test_the_declarations_typer_gets_are_those_the_quick_reading_reads() -> None:
    """Every parameter of a hot command, made typer's by narrator.cli, has the names, default and
    path checks its declaration says (and a keyword not given means what typer means by it)."""
    import inspect

    from narrator.commandline.cliparams import DEFAULTS, Declared

    assert {key: getattr(typer.Option(None, "--x"), key) for key in DEFAULTS} == DEFAULTS
    assert {key: getattr(typer.Argument(None), key) for key in DEFAULTS} == DEFAULTS
    registered = {info.callback.__name__: info.callback for info in cli.app.registered_commands}
    for name, command in HOT.items():
        declared = inspect.signature(command).parameters
        made = inspect.signature(registered[name]).parameters
        assert list(made) == list(declared) and inspect.getdoc(registered[name]) == inspect.getdoc(command)
        for param, typed in made.items():
            info = declared[param].default
            assert isinstance(info, Declared), (name, param)
            assert type(typed.default).__name__ == {"option": "OptionInfo", "argument": "ArgumentInfo"}[info.kind]
            assert (typed.default.param_decls or ()) == info.param_decls and typed.default.default == info.default
            assert {key: getattr(typed.default, key) for key in DEFAULTS if key != "callback"} == \
                {key: getattr(info, key) for key in DEFAULTS if key != "callback"}
            assert (typed.default.callback is None) == (info.callback is None)


def test_a_plain_line_of_a_hot_command_imports_no_typer(tmp_path: Path) -> None:
    """render, check and lint of a plain line run (narrator.console) without typer or click; a line
    that is not plain (help) goes to typer."""
    out = tmp_path / "out.md"
    code = ("import sys; from narrator.console import run_plain\n"
            "code = run_plain(sys.argv[1:])\n"
            "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'click', 'narrator'}), file=sys.stderr)")
    for args, ending in ((["render", str(EXAMPLE), "-o", str(out)], "0 ['narrator']"),
                         (["check", str(EXAMPLE)], "0 ['narrator']"),
                         (["lint", str(out), "--figures", str(EXAMPLE)], "0 ['narrator']"),
                         (["render", str(EXAMPLE), "--help"], "None ['narrator']")):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
        assert done.stderr.splitlines()[-1] == ending, (args, done.stderr)


@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "gb18030"])
def test_echo_prints_what_typer_echo_prints(encoding: str) -> None:
    """narrator's echo writes a plain UTF-8 stream itself; any other stream, or a message with ESC, is
    typer's echo: the same bytes either way (to a pipe, as a cold command's output usually goes)."""
    messages = ["", "用法：narrator render", "a\tb “引号” \ud800", "\x1b[31m红\x1b[0m", "两行\n之间"]
    code = ("import sys; from narrator.commandline.hotcommands import echo; import typer\n"
            "say = echo if sys.argv[1] == 'narrator' else typer.echo\n"
            f"for message in {messages!r}:\n"
            "    for err in (False, True):\n"
            "        try:\n"
            "            say(message, err=err)\n"
            "        except UnicodeError as error:\n"
            "            print(type(error).__name__, file=sys.stderr)\n")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    printed = [subprocess.run([sys.executable, "-c", code, who], capture_output=True, env=env)
               for who in ("narrator", "typer")]
    assert printed[0].returncode == printed[1].returncode == 0
    assert (printed[0].stdout, printed[0].stderr) == (printed[1].stdout, printed[1].stderr)
    assert b"\xe7\x94\xa8" in printed[0].stdout or encoding != "utf-8"
