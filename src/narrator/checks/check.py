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

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from typing import Any

from . import checkcode
from .checkeval import NoData, amount, resolver, scalar_names, text, value_of
from ..caches.codecache import bundle
from ..compute.engine import Engine
from ..errors import Finding, Location, RuleError
from ..compute.expr import Closure, ExprError
from ..compute.exprcode import Compiler
from ..intake.figures import LoadedFigures, for_format
from ..text.formats import choose_format, load_format
from ..numbers import format_amount, rounding_tolerance
from ..intake.records import Record, build_roots
from ..resources import rules_dir
from ..compute.rules import KnownNames, load_rule_sets
from ..shapes import problems
from ..loading.yamlload import LocatedDict, load_yaml

STATUSES = ("pass", "fail", "n/a", "insufficient")


_KINDS = {"sum": ("total", "parts"), "equal": ("left", "right"), "expect": ("expect", "message")}


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
    resolve = resolver(KnownNames(ruleset.scalars))
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
            for key, source in texts.items():
                if key == "message":
                    continue
                try:
                    exprs[key] = Compiler(source, resolve, scope).compile()
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

def run_checks(engine: Engine, loaded: LoadedFigures, rule_sets: tuple[str, ...] = ("budget",)) -> CheckReport:
    """Evaluate every check on an engine built from ``loaded``.

    Once the checks have run in this process (a batch), they run as their generated code
    (:mod:`narrator.checks.checkcode`), which decides the common outcomes and hands every other record
    to the reference checker here (:class:`_Run`); a first, single run uses the reference alone.
    """
    settings, checks = load_checks(rule_sets)
    merged = {**engine.settings, **settings}
    report = CheckReport(loaded.path)
    names = scalar_names(engine.ruleset.scalars)
    run = _Run(engine, loaded, merged, names, report.outcomes)
    fast = checkcode.fast_checks(rule_sets, checks, names)
    if fast is not None:
        fast(engine, merged, report.outcomes, run)
    else:
        for check in checks:
            run.every(check)
    report.findings = [o.finding for o in report.outcomes if o.finding is not None]
    report.findings += [_insufficient(name, missed, loaded) for name, missed in run.missing.items()]
    report.findings += loaded.notes  # names that differ from the reference, codes it lacks
    report.findings.sort(key=lambda f: (f.location.line, f.location.column))
    return report


class _Run:
    """The reference checker of one run of the checks: a whole check, or one record of it."""

    def __init__(self, engine: Engine, loaded: LoadedFigures, merged: dict, names: frozenset[str],
                 outcomes: list[Outcome]) -> None:
        self.engine, self.loaded, self.merged, self.names = engine, loaded, merged, names
        self.outcomes = outcomes
        self.seen: dict[tuple, Outcome] = {}   # each difference reported, by (total, sum of parts)
        self.missing: dict[str, list[NoData]] = {}

    def every(self, check: Check) -> None:
        """Every outcome of ``check``."""
        if check.unavailable:
            self.outcomes.append(Outcome(check.name, check.label, check.where, "n/a", check.unavailable))
            return
        records: list[Any] = [None]
        if "for" in check.exprs:
            try:
                records = list(value_of(check.exprs["for"], self.engine, {"settings": self.merged}))
            except NoData as exc:
                self.outcomes.append(Outcome(check.name, check.label, check.where, "insufficient", str(exc)))
                _note_missing(self.missing, exc, check.name)
                return
        for record in records:
            self.one(check, record)

    def one(self, check: Check, record: Any) -> None:
        """The outcome of ``check`` on ``record`` (None: the check without ``for:``)."""
        engine = self.engine
        local = {"settings": self.merged, "item": record} if record is not None else {"settings": self.merged}
        target = text(check.where, engine, local, self.names) if check.where else getattr(record, "path", "")
        outcome = Outcome(check.name, check.label, target, "pass")
        when = check.exprs.get("when")
        try:
            if when is not None and not value_of(when, engine, local):
                outcome.status = "n/a"
            else:
                _evaluate(check, engine, local, outcome, self.loaded, record, self.seen)
        except NoData as exc:
            outcome.status, outcome.detail = "insufficient", str(exc)
            _note_missing(self.missing, exc, check.name)
        self.outcomes.append(outcome)


def _note_missing(missing: dict, exc: NoData, check: str) -> None:
    """Remember, per check, each figure it missed once (with the longest, most helpful message)."""
    found = missing.setdefault(check, [])
    for index, known in enumerate(found):
        if exc.path and known.path == exc.path:
            if len(str(exc)) > len(str(known)):
                found[index] = exc
            return
    found.append(exc)


def _insufficient(check: str, missed: list[NoData], loaded: LoadedFigures) -> Finding:
    """One note per check that could not be made everywhere (never a silent pass)."""
    first = missed[0]
    where = next((e.location for e in missed if e.location is not None), Location(loaded.path))
    paths = [e.path for e in missed if e.path and ":" not in e.path]
    more = f"（共 {len(missed)} 处：{'、'.join(paths[:4])}{'等' if len(paths) > 4 else ''}）" if len(missed) > 1 else ""
    return Finding(where, "note", "insufficient-data", f"数据不足，检查 {check} 未能进行{more}：{first}",
                   first.path if ":" not in first.path else "")


def _location(check: Check, engine: Engine, local: dict, loaded: LoadedFigures, record: Any) -> Location:
    if check.at:
        return loaded.locate(*text(check.at, engine, local).split("."))
    if isinstance(record, Record):
        return record.location
    return Location(loaded.path)


def _evaluate(check: Check, engine: Engine, local: dict, outcome: Outcome, loaded: LoadedFigures,
              record: Any, seen: dict[tuple, Outcome]) -> None:
    if check.kind == "expect":
        if not value_of(check.exprs["expect"], engine, local):
            outcome.status = "fail"
            outcome.detail = text(check.texts["message"], engine, local)
            where = f"{outcome.target}：" if outcome.target else ""
            outcome.finding = Finding(_location(check, engine, local, loaded, record), check.level,
                                      check.name, f"{where}{outcome.detail}")
        return
    if check.kind == "equal":
        left = amount(value_of(check.exprs["left"], engine, local))
        right = amount(value_of(check.exprs["right"], engine, local))
        total, parts_sum, count = left, right, None
    else:
        total = amount(value_of(check.exprs["total"], engine, local))
        parts = [amount(p) for p in value_of(check.exprs["parts"], engine, local)]
        if not parts:
            raise NoData("没有可相加的分项（数据文件未按分项填写）", f"{check.name}:parts",
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
    alone; :func:`narrator.checks.gate.examine` adds what the render finds, as ``narrator check`` shows).

    Without ``format_name``, the format the figures name, else the default.
    """
    fmt = load_format(choose_format(format_name, loaded.raw, loaded.path))
    loaded = for_format(loaded, fmt.name)
    ruleset = load_rule_sets(fmt.rules, fmt.rule_settings)
    engine = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
    return run_checks(engine, loaded, fmt.rules)
