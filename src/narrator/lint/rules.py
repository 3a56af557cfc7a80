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
    compiled: list[re.Pattern] = field(default_factory=list)

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
        rule = LintRule(str(data["name"]), str(data["kind"]), str(data["level"]), str(data["message"]),
                        where, str(data.get("description", "")), params)
        try:
            rule.compiled = [re.compile(str(p)) for p in params.get("patterns") or []]
        except re.error as exc:
            found.append(Finding(where, "error", "bad-lint-rule", f"规则 {path.stem}：正则表达式有误：{exc}"))
            continue
        rules.append(rule)
    if found:
        raise RuleError(found)
    return tuple(rules)


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
