"""Evaluating a rule set on one figures file.

Rules are evaluated on demand and remembered, so each runs once, after everything it refers
to: the dependency order is the order in which values are asked for. A rule that refers to
itself (directly or through others) is a cycle and is reported with the whole chain. A rule
that needs a figure the file does not give is reported at the place in the figures file where
the figure belongs; rules that depend on a failed rule are skipped, so only causes are shown.
"""

from __future__ import annotations

from decimal import Decimal, getcontext, localcontext
from typing import Any, Callable, NamedTuple

from ..classification.naming import Naming
from ..errors import Finding, Location, RuleError
from .expr import ExprError, Missing, MissingFigure
from .functions import FUNCTIONS, reference_name
from ..intake.records import Record, RecordList
from . import plan as planned
from .rules import Rule, RuleSet


PRECISION = 34
"""Decimal digits for rule arithmetic (amounts are exact long before this matters)."""


class RuleFailed(Exception):
    """Raised through dependents of a rule that already reported its own error."""


class Fact(NamedTuple):
    """The value of one rule on one record (or a scalar), with what it was derived from."""

    rule: Rule
    owner: str
    value: Any
    derived: Any
    declared: Any = None
    applicable: bool = True
    missing: str | None = None      # for an optional rule: the figure it lacked (not enough data)


_new_fact = tuple.__new__
_NOT_GIVEN = object()
_NOT_APPLICABLE = (None, None, None, False, None)  # the ``odd`` of a rule whose ``when`` is false
_ADOPTED = (Record, list)  # values that may hold records for the engine to adopt


#: code → name for documents that name no code themselves, by (year, the editions' ids): the
#: same for every such document of a year, so each code's name is found once in a process
#: rather than once per document (~30 calls into naming a document); the editions are kept
#: with the table, so an id is never taken for another edition's
_SHARED_NAMES: dict[tuple, tuple[Any, dict[str, str]]] = {}


def _names_for(naming: Naming) -> dict[str, str]:
    """The table of names an engine for ``naming`` keeps (see Engine._name): shared by all
    documents of the year without names of their own, a new one for any other."""
    if naming.given or naming.editions.__class__ is not tuple:
        return {}
    key = (naming.year, *map(id, naming.editions))
    kept = _SHARED_NAMES.get(key)
    if kept is None:
        kept = _SHARED_NAMES[key] = (naming.editions, {})
    return kept[1]


_NOT_KEPT = object()


def grouped(items: Any, attr: str, path: str, location: Location) -> RecordList:
    """What ``group(items, attr)`` gives within the rule named ``path`` (see Engine._group)."""
    groups: dict[Any, list] = {}
    for item in items:
        # a rule's value already kept on a plain record is read at once (rule_attr's first step)
        key = item._values.get(attr, _NOT_KEPT) if type(item) is Record else _NOT_KEPT
        if key is _NOT_KEPT:
            key = item.rule_attr(attr)
        members = groups.get(key)
        if members is None:  # (no new list made for each item, as setdefault would)
            groups[key] = [item]
        else:
            members.append(item)
    records = [Record({"key": key, "code": key, "items": RecordList(members, f"{path}[{key}]", location)},
                      f"{path}[{key}]", location) for key, members in groups.items()]
    return RecordList(records, path, location)


class Engine:
    """Evaluates a :class:`RuleSet` over the roots built from one figures file."""

    def __init__(self, ruleset: RuleSet, roots: dict[str, Any], year: int,
                 tracer: Callable[[Fact, Record | None], Any] | None = None,
                 naming: Naming | None = None) -> None:
        self.ruleset = ruleset
        self.naming = naming or Naming(year)  # the department's names of codes first
        self.tracer = tracer  # when explaining: wraps each rule value with its source
        self.roots = roots
        self.settings = ruleset.settings
        self.year = year
        self._facts: dict[tuple[str, str], Fact] = {}
        self._ran: list[tuple[Rule, Record | None, Any]] = []   # evaluations not yet made facts (see facts)
        self._odd: dict[int, tuple] = {}    # their place in _ran → the rest of a fact that is not plain
        self.findings: list[Finding] = []
        self._scalars: dict[str, Any] = {}
        self._failed: set[tuple[str, int]] = set()
        self._exact = False  # True within evaluate_all's decimal context
        self._planned: Any = None  # the figures, when evaluate_all took the plan (see facts)
        # The rules being evaluated, innermost last (a dict: ordered, and a cycle check is one lookup).
        self._active: dict[tuple[str, int], Rule] = {}
        # the tables _attach gives records, by (kind, owner): made from the rule set alone, so
        # kept with it for every engine while its ``each`` and ``records`` are the same objects
        kept = ruleset.tables
        if kept is None or kept[0] is not ruleset.each or kept[1] is not ruleset.records:
            kept = ruleset.tables = (ruleset.each, ruleset.records, {})
        self._tables: dict[tuple[str | None, str | None], dict[str, Rule]] = kept[2]
        # what value() gives without a rule (the figures' roots and settings), found in one
        # look-up (rules set expressions read these ~130 times a document); a root that is None
        # (a Missing) and any name of a scalar rule are left out
        self._given = {name: value for name, value in roots.items()
                       if value is not None and name not in ruleset.scalars}
        if "settings" not in ruleset.scalars:
            self._given["settings"] = self.settings
        self._names = _names_for(self.naming)  # code → name, as naming gave it (asked ~40 times a document)
        self._functions = dict(FUNCTIONS)
        self._functions.update(group=self._group, record=self._record,
                               fname=self._functional_name, ename=self._economic_name)
        made = roots.records_made() if tracer is None and hasattr(roots, "records_made") else None
        if made is None:
            for value in roots.values():
                self._adopt(value)
        else:  # what _adopt finds walking the roots, without the walk (and records no longer used)
            attach, tables = self._attach, self._tables
            for record in made:
                if record._engine is None:
                    record._engine = self
                    table = tables.get((record._kind, None))
                    if table is None:
                        attach(record, None)
                    else:  # what _attach does once the table of the record's kind is made
                        record._owner, record._rules = None, table
        for owner, rules in ruleset.records.items():
            if owner.split(".")[0] in ruleset.scalars:
                continue  # attached when the scalar rule produces its record
            record = self._resolve(owner)
            if isinstance(record, Record):
                self._attach(record, owner)

    # -- names ------------------------------------------------------------------------------
    def function(self, name: str) -> Any:
        return self._functions[name]

    def value(self, name: str) -> Any:
        """The value of a scalar rule or a root name."""
        if name in self._scalars:
            return self._scalars[name]
        value = self._given.get(name, _NOT_GIVEN)  # settings or a root no rule is named after
        if value is not _NOT_GIVEN:
            return value
        rule = self.ruleset.scalars.get(name)
        if rule is not None:
            return self._run(rule, None)
        if name in self.roots:  # a root that is None
            return Missing(name)
        raise MissingFigure(name)

    def scalar_values(self) -> dict[str, Any]:
        """The values of every scalar rule evaluated so far, by name."""
        return dict(self._scalars)

    # -- evaluation -------------------------------------------------------------------------
    def _run(self, rule: Rule, record: Record | None) -> Any:
        key = (rule.name, id(record))
        if key in self._failed:
            raise RuleFailed(rule.name)
        active = self._active
        if key in active:
            chain = [r.name for r in active.values()] + [rule.name]
            start = chain.index(rule.name)
            raise RuleError.at(rule.location, "rule-cycle", "规则循环引用：" + " → ".join(chain[start:]))
        active[key] = rule  # (the record's path, the fact's owner, is read only where it is needed)
        try:
            # The computation itself (once a method of its own: inline, it saves a call per rule).
            # ``odd``: the fact's (value, derived, declared, applicable, missing) where the value
            # is not simply the derived one (None: it is, the commonest case by far)
            local = {"item": record} if record is not None else {}
            if rule.when is not None and not rule.when(self, local):
                derived, odd = None, _NOT_APPLICABLE
            elif self._exact or getcontext().prec == PRECISION:  # already in evaluate_all's context
                derived = rule.fn(self, local)
                if rule.declared is None:  # the common case of _declared, without the call
                    declared = record._fields.get(rule.attr) if record is not None else None
                else:
                    declared = self._declared(rule, record, local)
                odd = None if declared is None else (declared, derived, declared, True, None)
            else:
                with localcontext(prec=PRECISION):
                    derived = rule.fn(self, local)
                    declared = self._declared(rule, record, local)
                odd = None if declared is None else (declared, derived, declared, True, None)
        except MissingFigure as missing:
            if rule.optional:
                derived, odd = None, (Missing(missing.path, missing._location), None, None, False, missing.path)
            else:
                self._failed.add(key)
                self._report_missing(rule, record, missing)
                raise RuleFailed(rule.name) from None
        except ExprError as exc:
            self._failed.add(key)
            owner = record._path if record is not None else ""
            where = f"（用于 {owner}）" if owner else ""
            self.findings.append(Finding(rule.location, "error", "rule-error", f"规则 {rule.name}{where}：{exc}",
                                         owner, rule.name))
            raise RuleFailed(rule.name) from None
        except RuleFailed:
            self._failed.add(key)
            raise
        finally:
            del active[key]
        value = derived if odd is None else odd[0]
        if self.tracer is None:  # the fact is made only if asked for (see facts)
            if odd is not None:
                self._odd[len(self._ran)] = odd
            self._ran.append((rule, record, value))
        else:
            owner = record._path if record is not None else ""
            fact = (_new_fact(Fact, (rule, owner, value, value, None, True, None)) if odd is None
                    else Fact(rule, owner, *odd))
            self._facts[(rule.name, owner)] = fact
            value = self.tracer(fact, record)
        if record is None:
            self._scalars[rule.name] = value
            if isinstance(value, _ADOPTED):  # most scalars are amounts: nothing to adopt
                self._adopt(value, rule.name)
        else:
            record._values[rule.attr] = value  # what record.set_value does, without the call
        return value

    @property
    def facts(self) -> dict[tuple[str, str], Fact]:
        """Each value a rule gave, by rule name and owner, in the order the rules were evaluated.

        Made when first asked for (rendering and checking never ask; explain's tracer is given
        each fact as it is made): a fact and its entry for every rule evaluated were a fifth of
        evaluating the rules. Until then each evaluation is kept as (rule, record, value), and
        what a fact needs besides, where it is not the derived value alone, by its place.
        """
        if self._planned is not None:
            return planned.replayed_facts(self)
        ran, odd, facts = self._ran, self._odd, self._facts
        for n, (rule, record, value) in enumerate(ran):
            owner = record._path if record is not None else ""
            extra = odd.get(n)
            facts[(rule.name, owner)] = (_new_fact(Fact, (rule, owner, value, value, None, True, None))
                                         if extra is None else Fact(rule, owner, *extra))
        ran.clear()
        odd.clear()
        return facts

    def _declared(self, rule: Rule, record: Record | None, local: dict) -> Any:
        if rule.declared is not None:
            try:
                value = rule.declared(self, local)
            except MissingFigure:
                return None
            return None if isinstance(value, Missing) else value
        if record is not None and record._fields.get(rule.attr) is not None:
            return record._fields[rule.attr]  # a figure written in the file wins over its rule
        return None

    def _report_missing(self, rule: Rule, record: Record | None, missing: MissingFigure) -> None:
        location = missing.location or (record.location if record is not None else rule.location)
        field = missing.path.rsplit(".", 1)[-1]
        what = missing.path
        if record is not None and record._fields.get("code"):
            code = record._fields["code"]
            try:
                what += f"（{code} {self._functional_name(code)}）"
            except ExprError:
                what += f"（{code}）"
        if field == "prior":
            message = (f"缺少上年数 {what}：说明文字要与上年比较（规则 {rule.name}），"
                       f"请填写 prior；上年没有则填 0")
            self.findings.append(Finding(location, "error", "missing-prior", message, missing.path, rule.name))
        else:
            message = f"缺少数据 {missing.path}：规则 {rule.name} 需要它"
            self.findings.append(Finding(location, "error", "missing-figure", message, missing.path, rule.name))

    def evaluate_all(self) -> "Engine":
        """Evaluate every rule on every record it applies to; raise if any could not be."""
        plan = self.ruleset.plan
        loaded = getattr(self.roots, "loaded", None)  # roots as build_roots made them, from these figures
        fresh = not (self._ran or self._facts or self._scalars or self._failed)  # nothing asked for yet
        with localcontext(prec=PRECISION):  # one context for all rules, not one per rule
            self._exact = True  # _run need not ask the decimal context for each rule
            try:
                if plan and loaded is not None and fresh and self.tracer is None:
                    planned.evaluate(self, plan, loaded)
                else:
                    self._evaluate_all()
                    if plan is None and not self.findings:
                        planned.learn(self.ruleset, [rule for rule, _, _ in self._ran] or
                                      [fact.rule for fact in self._facts.values()])
            finally:
                self._exact = False
        if self.findings:
            raise RuleError(sorted(self.findings, key=lambda f: (f.location.path, f.location.line)))
        return self

    def _evaluate_all(self) -> None:
        # A rule already evaluated as another rule's dependency is not run again: running it
        # again would cost the same work twice and, for a rule that builds records (group,
        # record), replace the records its dependents already hold with equal new ones.
        # (The loops test that themselves rather than through a method: a call fewer per rule.)
        run, scalars = self._run, self._scalars
        for rule in self.ruleset.scalars.values():
            if rule.name not in scalars:
                try:
                    run(rule, None)
                except RuleFailed:
                    pass
        for table, one in ((self.ruleset.each, False), (self.ruleset.records, True)):
            for owner, rules in table.items():
                found = self._try_value(owner)
                if one:
                    records = (found,) if isinstance(found, Record) else ()
                else:
                    records = found if isinstance(found, list) else ()
                for record in records:
                    values = record._values
                    for rule in rules.values():
                        if rule.attr not in values:
                            try:
                                run(rule, record)
                            except RuleFailed:
                                pass

    def _try_value(self, path: str) -> Any:
        try:
            return self._resolve(path)
        except (RuleFailed, MissingFigure):
            return None

    def _resolve(self, path: str) -> Any:
        head, *rest = path.split(".")
        value = self.value(head)
        for part in rest:
            value = value.rule_attr(part)
        return value

    # -- records ----------------------------------------------------------------------------
    def _adopt(self, value: Any, produced_by: str | None = None) -> None:
        """Attach the engine (and the producing rule's record rules) to new records."""
        if isinstance(value, Record):
            if value._engine is None:
                value._engine = self
                self._attach(value, produced_by if produced_by in self.ruleset.records else None)
                for field_value in value._fields.values():
                    if isinstance(field_value, (Record, list)):  # most fields are plain figures
                        self._adopt(field_value)
        elif isinstance(value, list):
            each = bool(produced_by) and produced_by in self.ruleset.each
            for item in value:  # (plain items, most of them, without a call)
                if isinstance(item, Record):
                    if each and item._kind is None:
                        item._kind = produced_by
                        if item._engine is self:  # adopted before it had a kind: its rules change
                            self._attach(item, item._owner)
                    if item._engine is None:
                        self._adopt(item)
                elif isinstance(item, list):
                    self._adopt(item)

    def _attach(self, record: Record, owner: str | None) -> None:
        """Give a record one table of the rules that apply to it, by attribute.

        A record's own rules (``ruleset.records[owner]``) win over those of its kind
        (``ruleset.each[kind]``); the tables are shared by all records of a kind and owner.
        """
        key = (record._kind, owner)
        table = self._tables.get(key)
        if table is None:
            table = dict(self.ruleset.each.get(record._kind) or {}) if record._kind is not None else {}
            table.update(self.ruleset.records.get(owner) or {} if owner is not None else {})
            self._tables[key] = table
        record._owner = owner
        record._rules = table

    def _group(self, items: Any, attr: str) -> RecordList:
        """Records ``{key, code, items}`` for each value of ``attr``, in order of first appearance."""
        rule = next(reversed(self._active.values())) if self._active else None
        return grouped(items, attr, rule.name if rule else "group", rule.location if rule else Location(""))

    def _record(self, **fields: Any) -> Record:
        rule = next(reversed(self._active.values()))
        return Record(fields, rule.name, rule.location)

    def _functional_name(self, code: str) -> str:
        name = self._names.get(code)
        return name if name is not None else self._name(code, "支出功能分类")

    def _economic_name(self, code: str) -> str:
        name = self._names.get(code)
        return name if name is not None else self._name(code, "支出经济分类")

    def _name(self, code: str, table: str) -> str:
        """The name naming gives ``code`` (remembered: one document asks for a code's name several
        times), or the error that ``table`` has no such code."""
        try:
            name = self._names[code] = reference_name(self.naming, code)
        except KeyError:
            raise ExprError(f"{table}中没有科目 {code}，数据文件的 names: 中也没有写它的名称") from None
        return name

    def declared_differences(self) -> list[Fact]:
        """Facts where a printed (declared) total differs from the sum of its parts."""
        return [f for f in self.facts.values()
                if f.declared is not None and isinstance(f.derived, Decimal) and f.declared != f.derived]
