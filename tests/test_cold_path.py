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

from narrator import cli
from narrator.quickargs import quick_arguments

from .conftest import CASES, EXAMPLE, ROOT

# -- the quick reading gives the command what typer gives it ----------------------------------


def _typer_arguments(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> dict:
    """The keyword arguments typer calls the command of ``args`` with (the command not run)."""
    seen: list[dict] = []
    for info in cli.app.registered_commands:
        if info.callback is cli._QUICK[args[0]]:
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
    quick = quick_arguments(cli._QUICK[args[0]], args[1:])
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
    assert quick_arguments(cli._QUICK[args[0]], args[1:]) is None


def test_an_unreadable_option_file_is_left_to_typer(monkeypatch, texts) -> None:
    """typer refuses an existing --figures it cannot read (readable=True): its message, not ours."""
    import narrator.quickargs

    assert quick_arguments(cli.lint, [texts["text"], "--figures", texts["figures"]]) is not None
    monkeypatch.setattr(narrator.quickargs.os, "access", lambda path, mode: False)
    assert quick_arguments(cli.lint, [texts["text"], "--figures", texts["figures"]]) is None
    assert quick_arguments(cli.lint, [texts["text"]]) is not None  # the argument is readable=False


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
    assert scripts == {"narrator": "narrator.cli:entry"}
    assert "entry()" in (ROOT / "src" / "narrator" / "__main__.py").read_text(encoding="utf-8")


def test_hot_commands_import_no_web_word_workbook_or_terminal_library(tmp_path: Path) -> None:
    """render (to a text file), check and lint load none of the libraries only other commands need
    (nor zipfile: only a .docx or .xlsx needs it)."""
    out = tmp_path / "out.md"
    code = ("import sys; from narrator.cli import main; sys.argv = ['narrator', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(({m.split('.')[0] for m in sys.modules} | set(sys.modules)) & {'rich', 'docx', 'openpyxl', 'lxml', "
            "'pypdfium2', 'starlette', 'uvicorn', 'babel', 'xlrd', 'zipfile'}), file=sys.stderr)")
    for args in (["render", str(EXAMPLE), "-o", str(out)], ["check", str(EXAMPLE)],
                 ["lint", str(out), "--figures", str(EXAMPLE)]):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
        assert done.stderr.splitlines()[-1] == "[]", args


def test_a_lint_whose_reference_is_kept_imports_no_template_engine(tmp_path: Path) -> None:
    """lint --figures that finds its reference text kept (narrator.lint.refcache) renders nothing when
    no message names a source, so it imports no jinja2 — not even to learn where it is installed
    (part of the key)."""
    env = {k: v for k, v in os.environ.items() if k != "NARRATOR_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    out = tmp_path / "out.md"
    out.write_text((CASES / "atushi-2025" / "expected.md").read_text(encoding="utf-8"), encoding="utf-8")
    code = ("import sys; from narrator.cli import main; sys.argv = ['narrator', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'jinja2', 'narrator'}), file=sys.stderr)")
    runs = [subprocess.run([sys.executable, "-c", code, "lint", str(out), "--figures", str(EXAMPLE)],
                           capture_output=True, text=True, env=env) for _ in range(2)]
    assert runs[0].stderr.splitlines()[-1] == "['jinja2', 'narrator']"   # rendered, then kept
    assert runs[1].stderr.splitlines()[-1] == "['narrator']"
    assert runs[1].stdout == runs[0].stdout and runs[1].returncode == runs[0].returncode == 0


@pytest.mark.parametrize(("raised", "ending"), [
    (KeyboardInterrupt(), 130), (OSError(32, "Broken pipe"), SystemExit), (EOFError(), typer.Abort),
])
def test_the_quick_path_ends_interruptions_as_typer_does(monkeypatch, raised, ending) -> None:
    """What typer's own _main does with them: Ctrl+C exit 130, a closed pipe exit 1, end of input Abort."""
    @functools.wraps(cli.render)
    def interrupted(**kwargs):
        raise raised
    monkeypatch.setitem(cli._QUICK, "render", interrupted)
    monkeypatch.setattr(sys, "stdout", sys.stdout)  # restored after the wrapper a closed pipe puts there
    monkeypatch.setattr(sys, "stderr", sys.stderr)
    if isinstance(ending, int):
        assert cli._invoke(["render", str(EXAMPLE)]) == ending
    else:
        with pytest.raises(ending) as done:
            cli._invoke(["render", str(EXAMPLE)])
        if ending is SystemExit:
            assert done.value.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper"


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
