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

from ..errors import LEVEL_ORDER, Location, RuleError
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
    from .kinds import KINDS

    folder = rules_dir() / "lint"
    rules = []
    for path in sorted(folder.glob("*.yaml")):
        data = load_yaml(path)
        shown = f"rules/lint/{path.name}"
        where = Location(shown, *getattr(data, "mark", (1, 1)))
        if not isinstance(data, dict):
            raise RuleError.at(where, "bad-lint-rule", "规则文件应是映射")
        missing = [key for key in ("name", "level", "kind", "message") if key not in data]
        if missing:
            raise RuleError.at(where, "bad-lint-rule", f"规则缺少 {'、'.join(missing)}")
        if data["name"] != path.stem:
            raise RuleError.at(where, "bad-lint-rule", f"name 应与文件名相同：{path.stem}")
        if data["level"] not in LEVEL_ORDER:
            raise RuleError.at(where, "bad-lint-rule", f"level 应为 {'、'.join(LEVEL_ORDER)} 之一")
        if data["kind"] not in KINDS:
            raise RuleError.at(where, "bad-lint-rule", f"未知的 kind “{data['kind']}”，可用：{'、'.join(sorted(KINDS))}")
        params = {k: v for k, v in data.items() if k not in _COMMON}
        rule = LintRule(str(data["name"]), str(data["kind"]), str(data["level"]), str(data["message"]),
                        where, str(data.get("description", "")), params)
        try:
            rule.compiled = [re.compile(str(p)) for p in params.get("patterns") or []]
        except re.error as exc:
            raise RuleError.at(where, "bad-lint-rule", f"正则表达式有误：{exc}") from None
        rules.append(rule)
    return tuple(rules)
