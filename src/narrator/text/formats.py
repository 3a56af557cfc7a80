"""Document formats: a folder under ``templates/`` with a ``format.yaml`` and its templates.

A format is data only. ``format.yaml`` names the rule sets it uses (and may override their
settings), the section templates in order, the labels it gives to items in each context, and
its phrases — the wording choices, such as what to write for no change, a new item or a
dropped one — as small Jinja snippets compiled in the shared sandbox (and, when simple, evaluated
from their parsed tree: :mod:`narrator.text.phrasing`). Adding a region's format
means adding a folder; no Python changes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from .environment import environment, environment_for, template_from_string
from ..errors import Finding, FormatError, Location
from .phrasing import Phrase
from ..resources import templates_dirs
from ..shapes import problems
from ..loading.yamlload import load_yaml

from ..resources import DEFAULT_FORMAT  # noqa: E402,F401 - named here too, as it always was


@dataclass
class Format:
    """One document format, as described by its ``format.yaml``."""

    name: str
    description: str
    folder: Path
    rules: tuple[str, ...]
    sections: list[str]
    rule_settings: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    phrases: dict[str, dict[str, str]] = field(default_factory=dict)
    title: str = ""
    document: str = "document.md.j2"

    def template_name(self, relative: str) -> str:
        """A template path as the shared loader knows it (``<format>/<relative>``)."""
        return f"{self.folder.name}/{relative}"

    def label(self, table: str, key: str) -> str:
        """The label this format gives ``key`` in context ``table``."""
        try:
            return self.labels[table][key]
        except KeyError:
            raise FormatError.at(Location(str(self.folder / "format.yaml")), "missing-label",
                                 f"格式 {self.name} 的 labels.{table} 中没有 “{key}”") from None

    @property
    def compiled_phrases(self) -> dict[tuple[str, str], Phrase]:
        """Every phrase compiled once in the shared sandboxed environment."""
        return _compile_phrases(self.name)

    @property
    def environment(self) -> jinja2.Environment:
        """The environment this format's templates run in: a built-in format's trusted one, a
        user's format the sandbox."""
        return environment_for(_built_in(self.folder))


_PINNED: list[dict[str, Path]] = []  # the folders as a batch found them when it began (see pinned)


@contextmanager
def pinned() -> Iterator[None]:
    """Within this, the formats there are (and their folders) are those there were on entering it.

    A batch renders many files with the formats there were when it began: looking at every
    templates folder again for each file (``format.yaml`` of each format, twice a file) was
    ~0.2 ms of a ~6 ms document. Outside a batch, each call looks again (a format may be added
    while the web server runs).
    """
    _PINNED.append(_format_folders())
    try:
        yield
    finally:
        _PINNED.pop()


def _format_folders() -> dict[str, Path]:
    if _PINNED:
        return _PINNED[-1]
    found: dict[str, Path] = {}
    roots = [root for root in templates_dirs() if root.is_dir()]
    for root in roots:
        for folder in sorted(root.iterdir()):
            if (folder / "format.yaml").is_file() and not folder.name.startswith("_"):
                if folder.name in found:
                    raise _clash(found[folder.name], folder, f"格式 {folder.name} ")
                found[folder.name] = folder
    _check_shared(roots)
    return found


def _clash(first: Path, second: Path, what: str) -> FormatError:
    """A user's templates folder (NARRATOR_TEMPLATES) would silently replace a built-in one."""
    return FormatError.at(Location(str(first)), "format-clash",
                          f"{what}同时在 {first} 和 {second} 中，前者会悄悄替换后者；"
                          f"请给自己的格式或模板另起名字（NARRATOR_TEMPLATES 中的文件夹不能与内置的重名）")


def _check_shared(roots: list[Path]) -> None:
    """A shared file (``_shared/``, ``_styles/``, ``_figures/``, ``_reports/``…) given by two folders:
    the first would silently replace the other's macros, style or template."""
    if len(roots) < 2:
        return  # one folder cannot clash with itself (and walking its shared files costs ~1 ms a call)
    seen: dict[str, Path] = {}
    for root in roots:
        for shared in sorted(p for p in root.glob("_*") if p.is_dir()):
            for path in sorted(p for p in shared.rglob("*") if p.is_file()):
                relative = path.relative_to(root).as_posix()
                if relative in seen:
                    raise _clash(seen[relative], path, f"共用模板 {relative} ")
                seen[relative] = path


def format_folder(name: str) -> Path:
    """The folder of the format called ``name`` (an error listing the formats there are if none)."""
    folder = _format_folders().get(check_format_name(name))
    assert folder is not None  # check_format_name raised otherwise
    return folder


def list_formats() -> list[Format]:
    """Every format found in the templates folders, by name."""
    return [load_format(name) for name in sorted(_format_folders())]


@cache
def load_format(name: str) -> Format:
    """The format called ``name``; unknown names get a did-you-mean."""
    folder = _format_folders().get(name)
    if folder is None:
        check_format_name(name)  # raises, listing the formats there are
    path = folder / "format.yaml"
    data = load_yaml(path)
    shown = str(path)
    if not _built_in(folder):  # a user's format is checked whole (phrases, templates, settings) first
        from .formatcheck import check_format

        found = check_format(folder)
    else:
        found = problems(data, "format", shown, "bad-format", f"格式 {folder.name} 的 format.yaml：")
        if isinstance(data, dict) and data.get("name") != folder.name:
            found.append(Finding(Location(shown, *data.key_marks.get("name", data.mark)), "error", "bad-format",
                                 f"格式 {folder.name} 的 format.yaml：name 应与文件夹名相同：{folder.name}"))
    if found:
        raise FormatError(found)
    return Format(
        name=str(data["name"]),
        description=str(data["description"]),
        title=str(data.get("title", data["name"])),
        folder=folder,
        rules=tuple(data["rules"]),
        sections=list(data["sections"]),
        rule_settings=dict(data.get("rule_settings") or {}),
        options=dict(data.get("options") or {}),
        labels={k: dict(v) for k, v in (data.get("labels") or {}).items()},
        phrases={k: dict(v) for k, v in (data.get("phrases") or {}).items()},
        document=str(data.get("document", "document.md.j2")),
    )


@contextmanager
def templates_added(root: Path) -> Iterator[None]:
    """Formats under ``root`` usable by name for a while, as if ``root`` were in NARRATOR_TEMPLATES."""
    from .environment import environment
    from ..resources import templates_dirs as dirs

    if any(root.resolve() == known.resolve() for known in dirs()):
        yield
        return
    before = os.environ.get("NARRATOR_TEMPLATES")
    os.environ["NARRATOR_TEMPLATES"] = os.pathsep.join([str(root), *([before] if before else [])])

    def forget() -> None:
        from ..intake.fieldschema import schema_for
        from .formatfields import declared_fields

        for cached in (dirs, environment, load_format, _compile_phrases, declared_fields, schema_for):
            cached.cache_clear()
        built = sys.modules.get("narrator.text.formatmodels")  # the pydantic models, when something built them
        if built is not None:
            built.figures_model.cache_clear()
    forget()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NARRATOR_TEMPLATES", None)
        else:
            os.environ["NARRATOR_TEMPLATES"] = before
        forget()


@cache
def _built_in(folder: Path) -> bool:
    """Whether ``folder`` is one of the formats shipped with narrator (checked by its tests)."""
    return folder.parent.resolve() == templates_dirs()[-1].resolve()


@cache
def _compile_phrases(name: str) -> dict[tuple[str, str], Phrase]:
    fmt = load_format(name)
    compiled = {}
    for group, cases in fmt.phrases.items():
        for case, text in cases.items():
            try:
                template = template_from_string(str(text), f"{fmt.folder}/format.yaml#{group}.{case}")
                compiled[(group, case)] = Phrase(template, str(text), environment())
            except jinja2.TemplateSyntaxError as exc:
                raise FormatError.at(Location(str(fmt.folder / "format.yaml")), "bad-phrase",
                                     f"phrases.{group}.{case} 语法错误：{exc.message}") from None
    return compiled


# -- the format a command uses ----------------------------------------------------------------

def format_names() -> list[str]:
    """The names of every format there is, sorted (what ``narrator formats`` lists)."""
    return sorted(_format_folders())


def allowed(names: list[str]) -> str:
    """The list of allowed values as messages and help show it: “可选：a、b、c”."""
    return f"可选：{'、'.join(names)}"


def check_format_name(name: str, where: Location | None = None) -> str:
    """``name`` if it is a format; otherwise an error (at ``where``) listing the formats there are."""
    names = format_names()
    if name not in names:
        import difflib

        guess = difflib.get_close_matches(name, names, n=1)
        hint = f"，是否想用 “{guess[0]}”？" if guess else "。"
        raise FormatError.at(where or Location(name), "unknown-format",
                             f"没有名为 “{name}” 的格式{hint}{allowed(names)}")
    return name


def named_format(raw: Any, path: str) -> tuple[str | None, Location | None]:
    """The format a figures file names (its ``format:`` field) and where, or (None, None)."""
    from ..loading.yamlload import locate

    if not isinstance(raw, dict) or raw.get("format") in (None, ""):
        return None, None
    where = locate(raw, ("format",), path)
    return check_format_name(str(raw["format"]), where), where


def choose_format(requested: str | None, raw: Any = None, path: str = "",
                  default: str | None = DEFAULT_FORMAT) -> str | None:
    """The format to use: the one asked for, else the one the figures name, else ``default``.

    Asking for a format other than the one the figures file names is an error that says which
    format the file is in and where it says so (the figures were written for that format).
    """
    named, where = named_format(raw, path)
    if requested is not None:
        check_format_name(requested)
        if named is not None and requested != named:
            raise FormatError.at(where, "format-mismatch",
                                 f"数据文件写明其格式为 {named}（format: {named}），与所给的 {requested} 不同；"
                                 f"请去掉 --doc-format，或改为 --doc-format {named}")
        return requested
    return named or default


def figures_format(path: Path | str | None, requested: str | None = None,
                   default: str | None = DEFAULT_FORMAT) -> str | None:
    """:func:`choose_format` for a figures file given by path (None: no figures, the option or default).

    A .docx written by narrator names the format in its record; a file that cannot be read is
    left to the command that reads it (which reports it properly).
    """
    if path is None:
        return check_format_name(requested) if requested is not None else default
    from ..errors import NarratorError

    if str(path).lower().endswith(".docx"):
        return requested or default
    try:
        raw = load_yaml(path)
    except NarratorError:
        raw = None
    return choose_format(requested, raw, str(path), default)
