"""Document formats: a folder under ``templates/`` with a ``format.yaml`` and its templates.

A format is data only. ``format.yaml`` names the rule sets it uses (and may override their
settings), the section templates in order, the labels it gives to items in each context, and
its phrases — the wording choices, such as what to write for no change, a new item or a
dropped one — as small Jinja snippets compiled in the shared sandbox. Adding a region's format
means adding a folder; no Python changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from .environment import template_from_string
from .errors import FormatError, Location
from .resources import templates_dirs
from .yamlload import load_yaml

DEFAULT_FORMAT = "xinjiang-2025"
_REQUIRED = ("name", "description", "rules", "sections")


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
    def compiled_phrases(self) -> dict[tuple[str, str], jinja2.Template]:
        """Every phrase compiled once in the shared sandboxed environment."""
        return _compile_phrases(self.name)


def _format_folders() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in templates_dirs():
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if (folder / "format.yaml").is_file() and not folder.name.startswith("_"):
                found.setdefault(folder.name, folder)
    return found


def list_formats() -> list[Format]:
    """Every format found in the templates folders, by name."""
    return [load_format(name) for name in sorted(_format_folders())]


@cache
def load_format(name: str) -> Format:
    """The format called ``name``; unknown names get a did-you-mean."""
    folders = _format_folders()
    folder = folders.get(name)
    if folder is None:
        import difflib

        guess = difflib.get_close_matches(name, list(folders), n=1)
        hint = f"，是否想用 “{guess[0]}”？" if guess else f"。可用的格式：{'、'.join(sorted(folders))}"
        raise FormatError.at(Location(name), "unknown-format", f"没有名为 “{name}” 的格式{hint}")
    path = folder / "format.yaml"
    data = load_yaml(path)
    shown = str(path)
    if not isinstance(data, dict):
        raise FormatError.at(Location(shown), "bad-format", "format.yaml 应是映射")
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise FormatError.at(Location(shown, *data.mark), "bad-format",
                             f"format.yaml 缺少 {'、'.join(missing)}")
    if data["name"] != folder.name:
        raise FormatError.at(Location(shown, *data.key_marks["name"]), "bad-format",
                             f"name 应与文件夹名相同：{folder.name}")
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


@cache
def _compile_phrases(name: str) -> dict[tuple[str, str], jinja2.Template]:
    fmt = load_format(name)
    compiled = {}
    for group, cases in fmt.phrases.items():
        for case, text in cases.items():
            try:
                compiled[(group, case)] = template_from_string(str(text), f"{fmt.folder}/format.yaml#{group}.{case}")
            except jinja2.TemplateSyntaxError as exc:
                raise FormatError.at(Location(str(fmt.folder / "format.yaml")), "bad-phrase",
                                     f"phrases.{group}.{case} 语法错误：{exc.message}") from None
    return compiled
