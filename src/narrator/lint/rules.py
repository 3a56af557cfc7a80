"""Lint rules are data: one YAML file per rule under ``rules/lint/``.

Each file has ``name`` (the rule's name, equal to the file name), ``level`` (error, warning,
note), ``kind`` (the generic check it uses, see :mod:`narrator.lint.kinds`), ``message`` (Chinese,
with ``{placeholders}`` the kind fills in), an optional ``description``, and the kind's own
parameters (patterns, replacements, markers …).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import Finding, Location, RuleError
from ..caches.regexcache import regex
from ..resources import rules_dir
from ..loading.yamlload import load_yaml
from .literals import may_match, remember, requirements

_COMMON = {"name", "level", "kind", "message", "description"}


class LintRule:
    """One lint rule as written in its YAML file (a plain class: making a dataclass costs every
    cold lint ~0.5 ms)."""

    def __init__(self, name: str, kind: str, level: str, message: str, location: Location, description: str = "",
                 params: dict[str, Any] | None = None, patterns: tuple[str, ...] = ()) -> None:
        self.name = name
        self.kind = kind
        self.level = level
        self.message = message
        self.location = location
        self.description = description
        self.params: dict[str, Any] = {} if params is None else params
        self.patterns = patterns
        # each pattern compiled when a text first needs it (load_lint_rules made sure they all compile)
        self._compiled: dict[str, re.Pattern] = {}

    def __repr__(self) -> str:
        return f"LintRule({self.name!r}, {self.kind!r}, {self.level!r})"

    @property
    def compiled(self) -> list[re.Pattern]:
        """The rule's ``patterns``, compiled."""
        return [self._pattern(p) for p in self.patterns]

    def patterns_for(self, text: str) -> list[re.Pattern]:
        """The compiled patterns that may match somewhere in ``text``: one that needs a word or
        character ``text`` lacks (:mod:`narrator.lint.literals`) is left out, and not compiled for it."""
        return [self._pattern(p) for p in self.patterns if may_match(p, text)]

    def _pattern(self, pattern: str) -> re.Pattern:
        compiled = self._compiled.get(pattern)
        if compiled is None:
            compiled = self._compiled[pattern] = regex(pattern)
        return compiled

    def say(self, wording: str | None = None, **values: Any) -> str:
        """The rule's message (or its other message ``wording``: a parameter such as ``message_many``)
        with its placeholders filled in."""
        text = self.message if wording is None else str(self.params[wording])
        return text.format_map(_Blank(values))


def review_optional_rules() -> frozenset[str]:
    """The rules ``narrator review`` leaves out unless asked for (``review: false`` in their file)."""
    return frozenset(rule.name for rule in load_lint_rules() if rule.params.get("review") is False)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


@cache
def load_lint_rules() -> tuple[LintRule, ...]:
    """Every rule under ``rules/lint/``, by file name; malformed files are reported with their line."""
    folder = rules_dir() / "lint"
    # the names sorted as texts, not as paths (pathlib's glob and comparisons were ~2 ms of a cold lint)
    paths = [folder / name for name in sorted(os.listdir(folder)) if name.endswith(".yaml")]
    rules = []
    for path, data in zip(paths, _checked_trees(paths)):
        where = Location(f"rules/lint/{path.name}", *getattr(data, "mark", (1, 1)))
        params = {k: v for k, v in data.items() if k not in _COMMON}
        patterns = tuple(str(p) for p in params.get("patterns") or [])
        rules.append(LintRule(str(data["name"]), str(data["kind"]), str(data["level"]), str(data["message"]),
                              where, str(data.get("description", "")), params, patterns))
    return tuple(rules)


def _checked_trees(paths: list[Path]) -> list[Any]:
    """The parsed rule files, after every problem of them is raised (their shape, their patterns).

    Reading and checking 65 small files one by one was a tenth of a cold lint: rule files without
    a problem are kept as one entry of narrator's cache, by the bytes of every file, of the shapes
    they are checked against and of the code that checks them, with what each pattern needs of a
    text (:func:`narrator.lint.literals.requirements`); each pattern is compiled when a text first
    needs it (compiling all three hundred was a third of a cold lint).
    """
    from ..caches.yamlcache import cached_value, decode_tree, encode_tree
    from ..loading.yamlload import read_bytes

    def check() -> list[Any]:
        trees, found = [], []
        for path in paths:
            data = load_yaml(path)
            problems = lint_rule_problems(data, f"rules/lint/{path.name}", path.stem)
            if not problems:
                error = _pattern_error(tuple(_all_patterns(data)))
                where = Location(f"rules/lint/{path.name}", *getattr(data, "mark", (1, 1)))
                problems = [Finding(where, "error", "bad-lint-rule", f"规则 {path.stem}：正则表达式有误：{error}")
                            ] if error is not None else []
            found.extend(problems)
            trees.append(data)
        if found:
            raise RuleError(found)
        return trees

    def encode(trees: list[Any]) -> Any:  # the patterns' requirements are kept with the files
        known = {pattern: requirements(pattern) for tree in trees for pattern in _all_patterns(tree)}
        return tuple(encode_tree(tree) for tree in trees), known

    def decode(kept: Any) -> list[Any]:
        trees, known = kept
        if trees.__class__ is not tuple or len(trees) != len(paths) or known.__class__ is not dict:
            raise ValueError("not these files' entry")
        remember(known)
        return [decode_tree(tree) for tree in trees]

    shapes = rules_dir() / "shapes" / "files.yaml"
    key = b"".join(len(path.name).to_bytes(4, "big") + path.name.encode() + b"\0" + read_bytes(path, str(path))
                   for path in paths) + read_bytes(shapes, str(shapes))
    return cached_value(key, ("lint/rules.py", "lint/literals.py", "lint/kinds/__init__.py", "shapes.py"),
                        check, encode, decode)


def _all_patterns(data: Any) -> list[str]:
    """Every regular expression of a rule file: its patterns, allowed patterns, swapped words and ``needs``."""
    return [*(str(p) for p in data.get("patterns") or []), *(str(p) for p in data.get("allow_patterns") or []),
            *(str(swap["pattern"]) for swap in data.get("swap") or [] if isinstance(swap, dict) and "pattern" in swap),
            *([str(data["needs"])] if data.get("needs") else [])]


def _pattern_error(patterns: tuple[str, ...]) -> str | None:
    """Why the first of ``patterns`` that does not compile does not (None: they all do)."""
    try:
        for pattern in patterns:
            re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


def lint_rule_problems(data: Any, shown: str, stem: str) -> list[Finding]:
    """Every problem of one lint rule file: its keys against the common ones and its kind's fields."""
    from ..shapes import lint_kind_fields, problems
    from .kinds import KINDS

    what = f"规则 {stem}："
    kind = data.get("kind") if isinstance(data, dict) else None
    if isinstance(data, dict) and kind not in KINDS:
        # an unknown kind: its parameters cannot be judged, only the kind itself
        extra = {k: "any" for k in data if k not in _COMMON}
    else:
        extra = lint_kind_fields(str(kind))
    found = problems(data, "lint-rule", shown, "bad-lint-rule", what, extra_keys=extra)
    if isinstance(data, dict):
        marks = getattr(data, "key_marks", {})
        if "kind" in data and kind not in KINDS:
            found.append(Finding(Location(shown, *marks.get("kind", (1, 1))), "error", "bad-lint-rule",
                                 f"{what}未知的 kind “{kind}”，可用：{'、'.join(sorted(KINDS))}"))
        if "name" in data and data["name"] != stem:
            found.append(Finding(Location(shown, *marks.get("name", (1, 1))), "error", "bad-lint-rule",
                                 f"{what}name 应与文件名相同：{stem}"))
    return found
