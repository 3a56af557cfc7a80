"""Lint rules are data: one YAML file per rule under ``rules/lint/``.

Each file has ``name`` (the rule's name, equal to the file name), ``level`` (error, warning,
note), ``kind`` (the generic check it uses, see :mod:`narrator.lint.kinds`), ``message`` (Chinese,
with ``{placeholders}`` the kind fills in), an optional ``description``, and the kind's own
parameters (patterns, replacements, markers …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..errors import Finding, Location, RuleError
from ..resources import rules_dir
from ..yamlload import load_yaml
from .literals import may_match

_COMMON = {"name", "level", "kind", "message", "description"}


@dataclass
class LintRule:
    """One lint rule as written in its YAML file."""

    name: str
    kind: str
    level: str
    message: str
    location: Location
    description: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    patterns: tuple[str, ...] = ()
    # each pattern compiled when a text first needs it (load_lint_rules made sure they all compile)
    _compiled: dict[str, re.Pattern] = field(default_factory=dict, repr=False, compare=False)

    @property
    def compiled(self) -> list[re.Pattern]:
        """The rule's ``patterns``, compiled."""
        return [self._pattern(p) for p in self.patterns]

    def patterns_for(self, text: str) -> list[re.Pattern]:
        """The compiled patterns that may match somewhere in ``text``: one whose every match
        contains a literal text absent from ``text`` is left out (and so not compiled for it)."""
        return [self._pattern(p) for p in self.patterns if may_match(p, text)]

    def _pattern(self, pattern: str) -> re.Pattern:
        compiled = self._compiled.get(pattern)
        if compiled is None:
            compiled = self._compiled[pattern] = re.compile(pattern)
        return compiled

    def say(self, **values: Any) -> str:
        """The rule's message with its placeholders filled in."""
        return self.message.format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


@cache
def load_lint_rules() -> tuple[LintRule, ...]:
    """Every rule under ``rules/lint/``, by file name; malformed files are reported with their line."""
    folder = rules_dir() / "lint"
    rules, found = [], []
    for path in sorted(folder.glob("*.yaml")):
        data = load_yaml(path)
        shown = f"rules/lint/{path.name}"
        problems = lint_rule_problems(data, shown, path.stem)
        if problems:
            found.extend(problems)
            continue
        where = Location(shown, *getattr(data, "mark", (1, 1)))
        params = {k: v for k, v in data.items() if k not in _COMMON}
        patterns = tuple(str(p) for p in params.get("patterns") or [])
        rules.append(LintRule(str(data["name"]), str(data["kind"]), str(data["level"]), str(data["message"]),
                              where, str(data.get("description", "")), params, patterns))
    for rule, error in zip(rules, _pattern_errors(tuple(rule.patterns for rule in rules))):
        if error is not None:
            found.append(Finding(rule.location, "error", "bad-lint-rule", f"规则 {rule.name}：正则表达式有误：{error}"))
    if found:
        found.sort(key=lambda finding: finding.location.path)  # file by file, as they are read
        raise RuleError(found)
    return tuple(rules)


def _pattern_errors(patterns: tuple[tuple[str, ...], ...]) -> tuple[str | None, ...]:
    """For each rule's patterns, why the first bad one does not compile (None: they all do).

    Compiling every pattern was a third of a cold lint; the answer depends only on the patterns
    and the Python they run on, so it is kept in narrator's cache (:func:`narrator.yamlcache.cached_value`)
    and each pattern is compiled when a text first needs it.
    """
    from ..yamlcache import cached_value

    def judge() -> tuple[str | None, ...]:
        errors: list[str | None] = []
        for group in patterns:
            try:
                for pattern in group:
                    re.compile(pattern)
                errors.append(None)
            except re.error as exc:
                errors.append(str(exc))
        return tuple(errors)

    def read(kept: Any) -> tuple[str | None, ...]:
        if kept.__class__ is not tuple or len(kept) != len(patterns):
            raise ValueError("not this rule set's entry")
        return kept

    return cached_value(repr(patterns).encode(), ("lint/rules.py", "lint/literals.py"), judge, lambda errors: errors,
                        read)


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
