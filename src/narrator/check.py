"""``narrator check``: are the figures themselves consistent?

The checks are data (``rules/checks/checks.yaml``), evaluated by one small generic checker over the
same engine that renders the text. Each check has one of four outcomes for each record it
looks at — pass, fail, not applicable (its ``when:`` is false), not enough data (a figure it
needs is missing) — and only what was actually computed is reported as a pass.

A printed total of n printed parts may differ from their sum by (n + 1) × 0.005 万元 (each
printed amount stands for ±0.005): within that it is a 尾差 (a note), beyond it an error. The
same 尾差 is often seen by several checks — a 类 and its only 款, or 基本支出 in 表3, 表5
and 表6 — so differences are reported once per distinct (printed total, sum of parts) pair,
and the finding names every other place it was seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from typing import Any

from .codecache import bundle
from .compute.engine import Engine, RuleFailed
from .errors import Finding, Location, RuleError
from .compute.expr import Closure, ExprError, Missing, MissingFigure
from .compute.exprcode import Compiler
from .intake.figures import LoadedFigures, for_format
from .text.formats import choose_format, load_format
from .numbers import format_amount, rounding_tolerance
from .intake.records import Record, build_roots
from .resources import rules_dir
from .compute.rules import KnownNames, _global_resolver, load_rule_sets
from .shapes import problems
from .yamlload import LocatedDict, load_yaml

STATUSES = ("pass", "fail", "n/a", "insufficient")


_KINDS = {"sum": ("total", "parts"), "equal": ("left", "right"), "expect": ("expect", "message")}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass
class Check:
    """One compiled check of ``rules/checks/checks.yaml``."""

    name: str
    kind: str
    label: str
    level: str
    location: Location
    exprs: dict[str, Closure]
    texts: dict[str, str]
    where: str = ""
    at: str = ""
    unavailable: str = ""       # why the check does not apply to this format's rule sets


@dataclass(slots=True)
class Outcome:
    """What one check found on one record (or once, for a check without ``for:``)."""

    check: str
    label: str
    target: str
    status: str
    detail: str = ""
    finding: Finding | None = None

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"check": self.check, "label": self.label, "target": self.target,
                "status": self.status, "detail": self.detail}


@dataclass
class CheckReport:
    """Every outcome of every check, and the findings to show (merged where one cause)."""

    path: str
    outcomes: list[Outcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many outcomes of each status."""
        return {s: sum(1 for o in self.outcomes if o.status == s) for s in STATUSES}

    def to_dict(self) -> dict:
        """JSON-ready form: findings, every outcome, and the counts."""
        return {"path": self.path, "findings": [f.to_dict() for f in self.findings],
                "checks": [o.to_dict() for o in self.outcomes], "summary": self.counts()}


# -- loading ----------------------------------------------------------------------------------

_resolver = _global_resolver  # checks see the same names as rules: figures, rules, settings


@cache
def load_checks(rule_sets: tuple[str, ...] = ("budget",), name: str = "checks") -> tuple[dict, list[Check]]:
    """The settings and compiled checks of ``rules/<name>.yaml`` (names known to ``rule_sets``)."""
    path = rules_dir() / "checks" / f"{name}.yaml"
    shown = f"rules/checks/{name}.yaml"
    data = load_yaml(path)
    found = problems(data, "checks", shown, "bad-check")
    if found:
        raise RuleError(found)
    ruleset = load_rule_sets(rule_sets)
    resolve = _resolver(KnownNames(ruleset.scalars))
    scope = frozenset({"item", "settings"})
    checks = []
    with bundle(f"checks {name} {' '.join(rule_sets)}"):  # one cache file for their compiled code
        for index, spec in enumerate(data.get("checks") or []):
            where = Location(shown, *(data["checks"].item_marks[index]))
            if not isinstance(spec, LocatedDict) or spec.get("kind") not in _KINDS or "name" not in spec:
                raise RuleError.at(where, "bad-check", "检查应有 name 和 kind（sum、equal 或 expect）")
            texts = {k: str(spec[k]) for k in ("for", "when", *_KINDS[spec["kind"]]) if k in spec}
            missing = [k for k in _KINDS[spec["kind"]] if k not in texts]
            if missing:
                raise RuleError.at(where, "bad-check", f"检查 {spec['name']} 缺少 {'、'.join(missing)}")
            exprs, unavailable = {}, ""
            for key, text in texts.items():
                if key == "message":
                    continue
                try:
                    exprs[key] = Compiler(text, resolve, scope).compile()
                except ExprError as exc:
                    if not str(exc).startswith("未知的名字"):
                        raise RuleError.at(where, "bad-check", f"检查 {spec['name']} 的 {key}：{exc}") from None
                    # a name this format's rule sets do not define: the check does not apply to it
                    unavailable = f"规则集 {'、'.join(rule_sets)} 中没有：{exc}"
            checks.append(Check(str(spec["name"]), str(spec["kind"]), str(spec.get("label", spec["name"])),
                                str(spec.get("level", "error")), where, exprs, texts,
                                str(spec.get("where", "")), str(spec.get("at", "")), unavailable))
    return dict(data.get("settings") or {}), checks


# -- evaluation -------------------------------------------------------------------------------

class _NoData(Exception):
    """A figure the check needs is missing (``path``, written or expected at ``location``)."""

    def __init__(self, message: str, path: str = "", location: Location | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.location = location


def _value(fn: Closure, engine: Engine, local: dict) -> Any:
    try:
        value = fn(engine, local)
    except MissingFigure as missing:
        raise _NoData(f"缺少 {missing.path}", missing.path, missing.location) from None
    except RuleFailed as failed:
        raise _why_failed(engine, str(failed), local.get("item")) from None
    if isinstance(value, Missing):
        raise _NoData(f"缺少 {value.path}", value.path, value.location)
    return value


def _within(figure: str, record: str) -> bool:
    """Whether ``figure`` is the record at path ``record`` or one of its fields."""
    return figure == record or figure.startswith((record + ".", record + "["))


def _why_failed(engine: Engine, rule: str, item: Any) -> _NoData:
    """The engine's own finding about the missing figure behind a failed rule."""
    path = getattr(item, "path", None)
    for finding in reversed(engine.findings):
        if finding.needed_by == rule and (path is None or _within(finding.figure, path)):
            return _NoData(finding.message, finding.figure, finding.location)
    return _NoData(f"规则 {rule} 无法计算（缺少它要用的数据）")


def _text(template: str, engine: Engine, local: dict, names: frozenset[str] | None = None) -> str:
    """Fill ``{expr}`` placeholders (amounts printed as in the text); ``names``: the rule set's
    scalar names, when the caller has them already."""
    parts = _text_parts(template, names if names is not None else _scalar_names(engine.ruleset.scalars))
    if parts.__class__ is str:  # no placeholder
        return parts
    return "".join(part if part.__class__ is str else _filled(part, engine, local) for part in parts)


@cache
def _text_parts(template: str, scalars: frozenset[str]) -> str | tuple:
    """A template as its literal texts and the compiled expressions of its placeholders (the
    names ``item.path`` stands for as None), made once per template and rule set; the template
    itself when it has no placeholder."""
    pieces = _PLACEHOLDER.split(template)
    if len(pieces) == 1:
        return template
    return tuple(piece if n % 2 == 0 else (None if piece == "item.path" else _placeholder(piece, scalars),)
                 for n, piece in enumerate(pieces) if piece or n % 2)


def _filled(part: tuple, engine: Engine, local: dict) -> str:
    [fn] = part
    if fn is None:
        return getattr(local.get("item"), "path", "")
    try:
        value = fn(engine, local)
    except (ExprError, RuleFailed):
        return "？"
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)


_NAMES: dict[int, tuple[dict, frozenset[str]]] = {}


def _scalar_names(scalars: dict[str, Any]) -> frozenset[str]:
    """The names of a rule set's scalar rules, made once per rule set (not for every placeholder
    filled: each was a set of ~30 names made and hashed anew, a tenth of the checks)."""
    known = _NAMES.get(id(scalars))
    if known is None or known[0] is not scalars:  # (the dict is kept: its id is not reused)
        known = _NAMES[id(scalars)] = (scalars, frozenset(scalars))
    return known[1]


@cache
def _placeholder(expr: str, scalars: frozenset[str]) -> Closure:
    return Compiler(expr, _resolver(KnownNames(scalars)), frozenset({"item", "settings"})).compile()


def _amount(value: Any) -> Decimal:
    if value.__class__ is Decimal:  # nearly every amount
        return value
    if isinstance(value, Missing):
        raise _NoData(f"缺少 {value.path}", value.path, value.location)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _NoData(f"应为金额，实际是 {value!r}")
    return Decimal(value)


def run_checks(engine: Engine, loaded: LoadedFigures, rule_sets: tuple[str, ...] = ("budget",)) -> CheckReport:
    """Evaluate every check on an engine built from ``loaded``."""
    settings, checks = load_checks(rule_sets)
    merged = {**engine.settings, **settings}
    report = CheckReport(loaded.path)
    seen: dict[tuple, Outcome] = {}
    missing: dict[str, list[_NoData]] = {}
    names = _scalar_names(engine.ruleset.scalars)
    for check in checks:
        if check.unavailable:
            report.outcomes.append(Outcome(check.name, check.label, check.where, "n/a", check.unavailable))
            continue
        base = {"settings": merged}
        records: list[Any] = [None]
        if "for" in check.exprs:
            try:
                records = list(_value(check.exprs["for"], engine, base))
            except _NoData as exc:
                report.outcomes.append(Outcome(check.name, check.label, check.where, "insufficient", str(exc)))
                _note_missing(missing, exc, check.name)
                continue
        when = check.exprs.get("when")
        for record in records:
            local = {"settings": merged, "item": record} if record is not None else base  # base and item
            target = _text(check.where, engine, local, names) if check.where else getattr(record, "path", "")
            outcome = Outcome(check.name, check.label, target, "pass")
            try:
                if when is not None and not _value(when, engine, local):
                    outcome.status = "n/a"
                else:
                    _evaluate(check, engine, local, outcome, loaded, record, seen)
            except _NoData as exc:
                outcome.status, outcome.detail = "insufficient", str(exc)
                _note_missing(missing, exc, check.name)
            report.outcomes.append(outcome)
    report.findings = [o.finding for o in report.outcomes if o.finding is not None]
    report.findings += [_insufficient(name, missed, loaded) for name, missed in missing.items()]
    report.findings += loaded.notes  # names that differ from the reference, codes it lacks
    report.findings.sort(key=lambda f: (f.location.line, f.location.column))
    return report


def _note_missing(missing: dict, exc: _NoData, check: str) -> None:
    """Remember, per check, each figure it missed once (with the longest, most helpful message)."""
    found = missing.setdefault(check, [])
    for index, known in enumerate(found):
        if exc.path and known.path == exc.path:
            if len(str(exc)) > len(str(known)):
                found[index] = exc
            return
    found.append(exc)


def _insufficient(check: str, missed: list[_NoData], loaded: LoadedFigures) -> Finding:
    """One note per check that could not be made everywhere (never a silent pass)."""
    first = missed[0]
    where = next((e.location for e in missed if e.location is not None), Location(loaded.path))
    paths = [e.path for e in missed if e.path and ":" not in e.path]
    more = f"（共 {len(missed)} 处：{'、'.join(paths[:4])}{'等' if len(paths) > 4 else ''}）" if len(missed) > 1 else ""
    return Finding(where, "note", "insufficient-data", f"数据不足，检查 {check} 未能进行{more}：{first}",
                   first.path if ":" not in first.path else "")


def _location(check: Check, engine: Engine, local: dict, loaded: LoadedFigures, record: Any) -> Location:
    if check.at:
        return loaded.locate(*_text(check.at, engine, local).split("."))
    if isinstance(record, Record):
        return record.location
    return Location(loaded.path)


def _evaluate(check: Check, engine: Engine, local: dict, outcome: Outcome, loaded: LoadedFigures,
              record: Any, seen: dict[tuple, Outcome]) -> None:
    if check.kind == "expect":
        if not _value(check.exprs["expect"], engine, local):
            outcome.status = "fail"
            outcome.detail = _text(check.texts["message"], engine, local)
            where = f"{outcome.target}：" if outcome.target else ""
            outcome.finding = Finding(_location(check, engine, local, loaded, record), check.level,
                                      check.name, f"{where}{outcome.detail}")
        return
    if check.kind == "equal":
        left = _amount(_value(check.exprs["left"], engine, local))
        right = _amount(_value(check.exprs["right"], engine, local))
        total, parts_sum, count = left, right, None
    else:
        total = _amount(_value(check.exprs["total"], engine, local))
        parts = [_amount(p) for p in _value(check.exprs["parts"], engine, local)]
        if not parts:
            raise _NoData("没有可相加的分项（数据文件未按分项填写）", f"{check.name}:parts",
                          _location(check, engine, local, loaded, record))
        parts_sum = sum(parts, Decimal(0))
        count = len(parts)
    difference = total - parts_sum
    if difference == 0:
        return
    tolerance = Decimal(0) if count is None else rounding_tolerance(count)
    within = abs(difference) <= tolerance
    outcome.status = "pass" if within else "fail"
    key = (total, parts_sum)
    if key in seen:  # the same difference already reported by another check
        first = seen[key]
        outcome.detail = f"与 {first.target}（{first.check}）为同一差额，已在那里报告"
        if first.finding is not None:
            first.finding = _also(first.finding, outcome.target)
        return
    shown = f"{format_amount(total)} 与分项之和 {format_amount(parts_sum)} 相差 {format_amount(abs(difference))} 万元"
    if within:
        outcome.detail = f"尾差：{shown}（容许 ±{tolerance.normalize()}，{count} 个分项）"
        level = "note"
    elif check.kind == "equal":
        outcome.detail = f"{format_amount(total)} 与 {format_amount(parts_sum)} 不相等，相差 {format_amount(abs(difference))} 万元"
        level = check.level
    else:
        outcome.detail = f"{shown}，超出尾差容许范围 ±{tolerance.normalize()} 万元"
        level = check.level
    outcome.finding = Finding(_location(check, engine, local, loaded, record), level, check.name,
                              f"{outcome.target}：{check.label}；{outcome.detail}")
    seen[key] = outcome


def _also(finding: Finding, target: str) -> Finding:
    marker = "；同一差额亦见于："
    message = finding.message + ("、" if marker in finding.message else marker) + target
    return replace(finding, message=message)


def check_figures(loaded: LoadedFigures, format_name: str | None = None) -> CheckReport:
    """Build the engine for ``loaded`` in a format's rule sets and run every check (the checks
    alone; :func:`narrator.gate.examine` adds what the render finds, as ``narrator check`` shows).

    Without ``format_name``, the format the figures name, else the default.
    """
    fmt = load_format(choose_format(format_name, loaded.raw, loaded.path))
    loaded = for_format(loaded, fmt.name)
    ruleset = load_rule_sets(fmt.rules, fmt.rule_settings)
    engine = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
    return run_checks(engine, loaded, fmt.rules)
