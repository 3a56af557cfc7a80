"""Wording profiles: a region's accepted phrasings, as data (``rules/profiles/<name>.yaml``).

A profile adjusts the lint rules for the texts of one region or format, without touching the
rules themselves. Each entry under ``rules`` names a lint rule and may:

- ``off: true`` — the rule does not run;
- ``level: warning`` — its findings are reported at another level (error, warning, note);
- ``accept: [文字, …]`` — literal texts the rule must not flag: a finding whose place lies
  inside an occurrence of one of them (spaces ignored) is dropped.

``national`` is the default (the standard of domain.md, every rule as written).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from types import MappingProxyType
from typing import Mapping, NamedTuple

from ..errors import LEVEL_ORDER, Finding, Location, NarratorError, RuleError
from ..resources import rules_dir
from ..loading.yamlload import load_yaml
from .kinds.existence import inside_piece

DEFAULT_PROFILE = "national"


class Profile(NamedTuple):
    """One wording profile: rules switched off, levels changed, phrasings accepted (a NamedTuple:
    a frozen dataclass costs a cold lint ~1 ms to make)."""

    name: str
    description: str = ""
    off: frozenset[str] = frozenset()
    levels: Mapping[str, str] = MappingProxyType({})
    accept: Mapping[str, tuple[str, ...]] = MappingProxyType({})

    def apply(self, findings: list[Finding], lines: list[str]) -> list[Finding]:
        """The findings this profile keeps, at its levels; ``lines`` are the text's lines."""
        kept = []
        for finding in findings:
            if finding.rule in self.off:
                continue
            pieces = self.accept.get(finding.rule, ())
            number, column = finding.location.line, finding.location.column
            if pieces and 0 < number <= len(lines) and column > 0 and \
                    inside_piece(lines[number - 1], column - 1, column, pieces):
                continue
            level = self.levels.get(finding.rule, finding.level)
            kept.append(finding if level == finding.level else replace(finding, level=level))
        return kept


def profile_names() -> list[str]:
    """The names of the profiles under ``rules/profiles/``."""
    return sorted(path.stem for path in (rules_dir() / "profiles").glob("*.yaml"))


@cache
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """The profile called ``name``; an unknown name is an error listing the names there are."""
    from .rules import load_lint_rules

    names = profile_names()
    if name not in names:
        raise NarratorError.at(Location(name), "unknown-profile",
                               f"没有名为“{name}”的措辞规范。可选：{'、'.join(names)}")
    path = rules_dir() / "profiles" / f"{name}.yaml"
    shown = f"rules/profiles/{name}.yaml"
    data = load_yaml(path)
    where = Location(shown, *getattr(data, "mark", (1, 1)))
    if not isinstance(data, dict) or data.get("name") != name:
        raise RuleError.at(where, "bad-profile", f"措辞规范应是映射，且 name 与文件名相同：{name}")
    known = {rule.name for rule in load_lint_rules()}
    off, levels, accept = set(), {}, {}
    for rule, settings in (data.get("rules") or {}).items():
        if rule not in known:
            raise RuleError.at(where, "bad-profile", f"没有名为“{rule}”的规则")
        settings = settings or {}
        if not isinstance(settings, dict) or set(settings) - {"off", "level", "accept"}:
            raise RuleError.at(where, "bad-profile", f"规则“{rule}”的设置只能有 off、level、accept")
        if settings.get("off"):
            off.add(rule)
        if "level" in settings:
            if settings["level"] not in LEVEL_ORDER:
                raise RuleError.at(where, "bad-profile", f"level 应为 {'、'.join(LEVEL_ORDER)} 之一")
            levels[rule] = str(settings["level"])
        if settings.get("accept"):
            accept[rule] = tuple(str(text) for text in settings["accept"])
    return Profile(name, str(data.get("description", "")), frozenset(off), levels, accept)
