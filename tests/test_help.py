"""Every command's --help is Chinese, without Python type names or click's English phrases."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from narrator.cli import app

# What click and typer print on their own: type names, range notes and fixed English phrases.
ARTEFACTS = re.compile(
    r"<[^<>\u4e00-\u9fff]*>|\b(?:PATH|TEXT|INTEGER|FLOAT|BOOLEAN|FILENAME|DIRECTORY|FILE|UUID|CHOICE|RANGE"
    r"|OPTIONS|COMMAND|ARGS|Path|str|int|list)\b|x\s*[<>]=|\w+\s*<=\s*x"
    r"|Usage|Options|Arguments|Commands|Show this message|default|required|env var|Try '",
)


def _commands(command: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    """Every command under ``command`` (typer vendors click, so groups are known by their shape)."""
    found = [(path, command)]
    if hasattr(command, "commands"):
        for name, sub in sorted(command.commands.items()):
            found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(typer.main.get_command(app))


def test_the_tree_has_every_command() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"render", "check", "lint", "review", "batch", "import", "form", "init", "schema", "explain",
            "update", "diff", "formats", "serve", "classification check", "classification import"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) or "narrator" for p, _ in COMMANDS])
def test_help_has_no_python_artefacts(path: tuple[str, ...], command: object) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    # option names (--doc-format), file types (.docx), format and value names (xinjiang-2025,
    # text, json) are what a person types: they are ASCII on purpose and are not looked at
    text = re.sub(r"(?<![\w-])-{1,2}[\w-]+(/--[\w-]+)?|\.\w+|[\w-]+\.ya?ml", "", result.output)
    assert ARTEFACTS.findall(text) == []
    for param in command.params:  # every option and argument says what it is in Chinese
        described = getattr(param, "help", None) or ""
        assert re.search(r"[\u4e00-\u9fff]", described), (path, param.name)
    assert re.search(r"[\u4e00-\u9fff]", command.help or ""), path
