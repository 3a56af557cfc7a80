"""Rule sets: named derived figures, written in YAML under ``rules/``.

A rule set file looks like::

    name: budget
    settings: {fiscal_sources: [general, …]}
    groups:                      # rules shared by several kinds of record
      compared:
        change: item.amount - item.prior
    rules:
      income_total: sum(s.amount for s in income)            # a scalar
      income.*: {use: compared}                               # a group on every item
      income.*.share: percent(item.amount, income_total)      # a rule on every item
      expenditure.basic.amount:                               # a rule on one record
        expr: item.parts
        declared: declared.basic                              # a printed total wins

Every rule has a name (its key), an expression (:mod:`narrator.compute.expr`), and may have a
``label`` (Chinese, for explain and messages), a ``when`` (the rule applies only where it is
true; elsewhere it is “not applicable”) and a ``declared`` expression (a total as printed in
the tables; when given it wins over the derived value, and the difference is kept for checks).
A rule may also be ``optional``: when a figure it needs is not given, its value is “not enough
data” (a :class:`~narrator.compute.expr.Missing`) instead of an error, and only a rule or template that
really uses the value fails. A rule set file can make rules of earlier files optional with a
top-level ``optional:`` list of name patterns (``fnmatch``), e.g. ``["*.change", "*.growth"]``:
a 决算 compares with last year only where last year's figures are given.
A rule set is compiled once and reused for every figures file.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..caches.codecache import bundle
from ..errors import Location, RuleError
from .expr import Closure, ExprError
from .exprcode import Compiler
from .functions import FUNCTIONS
from ..resources import rules_dir
from ..shapes import problems as shape_problems
from ..loading.yamlload import LocatedDict, load_yaml

#: Functions the engine provides on top of :data:`narrator.compute.expr.FUNCTIONS`.
ENGINE_FUNCTIONS = ("group", "record", "fname", "ename")


def root_names() -> frozenset[str]:
    """Names every rule can see besides rules: the figures' top-level fields (of any format) and settings."""
    from ..text.formatfields import root_names as figures_roots

    return figures_roots() | {"settings"}


class KnownNames:
    """The names an expression may use besides functions: ``rules`` and :func:`root_names`.

    Only asked whether a name is one of them. The formats' additions to the top level are read
    (every format's ``fields.yaml``, checked: a few milliseconds of a cold command) only for a
    name that is neither a rule nor a core field: never for the budget rules of xinjiang-2025.
    """

    def __init__(self, rules: Any) -> None:
        self.rules = frozenset(rules)

    def __contains__(self, name: object) -> bool:
        from ..intake.fieldschema import core_schema

        return name in self.rules or name == "settings" or name in core_schema().fields or name in root_names()
_SPEC_KEYS = {"expr", "label", "when", "declared", "use", "doc", "optional"}


@dataclass
class Rule:
    """One compiled rule."""

    name: str
    target: str                 # "scalar", "each" (every item of a collection) or "record"
    owner: str                  # the collection or record path; "" for a scalar
    attr: str                   # the value's name on its owner (or the scalar's name)
    text: str
    fn: Closure
    location: Location
    label: str = ""
    when: Closure | None = None
    when_text: str = ""
    declared: Closure | None = None
    declared_text: str = ""
    uses: frozenset[str] = frozenset()
    optional: bool = False      # a missing figure makes it “not enough data”, not an error


@dataclass
class RuleSet:
    """The compiled rules of one or more rule set files."""

    names: list[str]
    settings: dict[str, Any]
    scalars: dict[str, Rule] = field(default_factory=dict)
    each: dict[str, dict[str, Rule]] = field(default_factory=dict)
    records: dict[str, dict[str, Rule]] = field(default_factory=dict)
    # the order the engine runs the rules in on its happy path, learned (see compute/plan.py)
    plan: tuple | None = field(default=None, compare=False, repr=False)
    # (the plan, its generated function or None where it cannot be made): see compute/plancode.py
    plan_code: tuple | None = field(default=None, compare=False, repr=False)
    # (each, records, the tables of rules by record kind and owner made from them): see Engine._attach
    tables: tuple | None = field(default=None, compare=False, repr=False)

    def all_rules(self) -> list[Rule]:
        """Every rule, scalars first, in the order written."""
        rules = list(self.scalars.values())
        for table in (self.each, self.records):
            for by_attr in table.values():
                rules.extend(by_attr.values())
        return rules

    def find(self, name: str) -> Rule | None:
        """The rule with this full name, if any."""
        return next((r for r in self.all_rules() if r.name == name), None)


def _global_resolver(known: "set[str] | KnownNames") -> Any:
    functions = set(FUNCTIONS) | set(ENGINE_FUNCTIONS)

    def resolve(name: str) -> Closure:
        if name in FUNCTIONS:  # the same for every engine: calls may bind it when compiled
            fixed = FUNCTIONS[name]

            def pure(engine: Any, local: dict) -> Any:
                return fixed
            pure.fixed = fixed  # type: ignore[attr-defined]
            return pure
        if name in functions:
            return lambda engine, local: engine.function(name)
        if name not in known:
            raise ExprError(f"未知的名字 “{name}”：既不是数据文件的字段，也不是规则")

        def value(engine: Any, local: dict) -> Any:
            scalars = engine._scalars  # a scalar already evaluated: no call into the engine
            return scalars[name] if name in scalars else engine.value(name)
        value.scalar = name  # type: ignore[attr-defined]  # compiled inline: what value() does
        return value

    resolve.functions = functions  # type: ignore[attr-defined]
    return resolve


def _split(name: str) -> tuple[str, str, str]:
    if ".*." in name:
        owner, attr = name.split(".*.", 1)
        return "each", owner, attr
    if "." in name:
        owner, attr = name.rsplit(".", 1)
        return "record", owner, attr
    return "scalar", "", name


def _spec(value: Any) -> dict:
    if isinstance(value, str):
        return {"expr": value}
    if isinstance(value, dict):
        return value
    raise ExprError("规则应写成表达式文字，或含 expr/label/when/declared/use 的映射")


def _position(mapping: Any, key: str, path: str) -> Location:
    if isinstance(mapping, LocatedDict):
        return Location(path, *mapping.key_marks.get(key, mapping.mark))
    return Location(path)


def load_rule_sets(names: tuple[str, ...], overrides: dict | None = None) -> RuleSet:
    """Load and compile rule set files ``rules/<name>.yaml`` (or paths ending in ``.yaml``).

    Later files add to and override earlier ones; ``overrides`` replaces settings. The compiled
    rule set is kept in memory per names, settings and the content (SHA-256) of the files, so a
    rule file edited while the process runs (``narrator serve``) is compiled again.
    """
    return _load(names, _freeze(overrides) if overrides else (), tuple(_digest(_path(name)) for name in names))


def _path(name: str) -> Path:
    if name.endswith(".yaml"):
        return Path(name)
    path = _BUNDLED.get(name)
    if path is None:  # (finding the rules folder costs two stats: a batch asks for every document)
        path = _BUNDLED[name] = rules_dir() / "rule-sets" / f"{name}.yaml"
    return path


_BUNDLED: dict[str, Path] = {}  # a bundled rule set's file, by name (the installation's folder is fixed)


_DIGESTS: dict[Path, tuple[tuple, str]] = {}


def _digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, read again only when its size or times change ("" if absent)."""
    try:
        info = os.stat(path)  # (not Path.stat: a batch asks for every document)
    except OSError:
        return ""
    signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    known = _DIGESTS.get(path)
    if known is not None and known[0] == signature:
        return known[1]
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
    _DIGESTS[path] = (signature, digest)
    return digest


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("__list__",) + tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        if value and value[0] == "__list__":
            return [_thaw(v) for v in value[1:]]
        return {k: _thaw(v) for k, v in value}
    return value


@lru_cache(maxsize=32)
def _load(names: tuple[str, ...], overrides: Any, digests: tuple[str, ...]) -> RuleSet:
    documents = []
    for name in names:
        path = _path(name)
        if not path.is_file():
            raise RuleError.at(Location(str(path)), "unknown-rule-set", f"找不到规则集 “{name}”")
        documents.append((path, load_yaml(path)))
    found = [f for path, doc in documents for f in shape_problems(doc, "rule-set", str(path), "bad-rule-set",
                                                             f"规则集 {path.stem}：")]
    if found:
        raise RuleError(found)
    settings: dict[str, Any] = {}
    declared_rules: dict[str, tuple[Path, Any, Any]] = {}
    optional: list[str] = []
    groups: dict[str, Any] = {}   # a later file may use (or redefine) the groups of earlier ones
    for path, doc in documents:
        settings.update(doc.get("settings") or {})
        optional.extend(str(pattern) for pattern in _as_list(doc.get("optional")))
        groups.update({name: (path, group) for name, group in (doc.get("groups") or {}).items()})
        for key, value in (doc.get("rules") or {}).items():
            _expand(str(key), value, groups, path, doc["rules"], declared_rules)
    settings.update(_thaw(overrides))
    scalar_names = {n for n in declared_rules if _split(n)[0] == "scalar"}
    resolver = _global_resolver(KnownNames(scalar_names))
    ruleset = RuleSet(names=list(names), settings=settings)
    problems = []
    with bundle(f"rule sets {' '.join(names)}"):  # one cache file for the set's compiled code
        for name, (path, spec, where) in declared_rules.items():
            try:
                rule = _compile(name, spec, resolver, where)
            except ExprError as exc:
                problems.append((where, name, str(exc)))
                continue
            rule.optional = rule.optional or any(fnmatchcase(name, pattern) for pattern in optional)
            if rule.target == "scalar":
                ruleset.scalars[name] = rule
            else:
                table = ruleset.each if rule.target == "each" else ruleset.records
                table.setdefault(rule.owner, {})[rule.attr] = rule
    if problems:
        raise RuleError([RuleError.at(where, "bad-rule", f"规则 {name}：{msg}").findings[0]
                         for where, name, msg in problems])
    return ruleset


def _expand(key: str, value: Any, groups: dict, path: Path, mapping: Any,
            out: dict[str, tuple[Path, Any, Location]]) -> None:
    where = _position(mapping, key, str(path))
    try:
        spec = _spec(value)
    except ExprError as exc:
        raise RuleError.at(where, "bad-rule", f"规则 {key}：{exc}") from None
    unknown = set(spec) - _SPEC_KEYS
    if unknown:
        raise RuleError.at(where, "bad-rule", f"规则 {key}：未知的键 {'、'.join(sorted(map(str, unknown)))}")
    for group_name in _as_list(spec.get("use")):
        group_path, group = groups.get(group_name, (path, None))
        if group is None:
            raise RuleError.at(where, "bad-rule", f"规则 {key}：未定义的规则组 “{group_name}”")
        prefix = key + "." if key.endswith(".*") else key + "."
        for attr, member in group.items():
            out[prefix + str(attr)] = (group_path, _spec(member), _position(group, attr, str(group_path)))
    if "expr" in spec:
        if key.endswith(".*"):
            raise RuleError.at(where, "bad-rule", f"规则 {key}：“.*” 之后应写属性名")
        out[key] = (path, spec, where)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _compile(name: str, spec: dict, resolver: Any, where: Location) -> Rule:
    target, owner, attr = _split(name)
    local = frozenset({"item"}) if target != "scalar" else frozenset()
    compiler = Compiler(str(spec["expr"]), resolver, local)
    fn = compiler.compile()
    when = Compiler(str(spec["when"]), resolver, local).compile() if spec.get("when") else None
    declared = Compiler(str(spec["declared"]), resolver, local).compile() if spec.get("declared") else None
    return Rule(
        name=name, target=target, owner=owner, attr=attr, text=str(spec["expr"]), fn=fn,
        location=where, label=str(spec.get("label", "")), when=when, when_text=str(spec.get("when") or ""),
        declared=declared,
        declared_text=str(spec.get("declared", "")), uses=frozenset(compiler.globals_used),
        optional=bool(spec.get("optional", False)),
    )
