"""A rule set's plan: its rules in dependency order, and the happy path that runs them in it.

The engine (:mod:`narrator.compute.engine`) evaluates rules on demand: each evaluation goes
through ``Engine._run`` (a cycle check, the failed set, the declared value, the bookkeeping of
facts), and a rule that needs another one not yet evaluated recurses into it. That is what
finds cycles, reports a missing figure at the rule that needs it and lets ``explain`` show
every fact in order, but it is most of the cost of evaluating ~310 rules per document.

A plan is the order in which the engine itself completed the rules of a rule set (each rule
after everything it read: a topological order of the rules and of the record kinds they run
on), learned from the first evaluation that found nothing wrong and kept on the
:class:`~narrator.compute.rules.RuleSet` (which is kept per rule files' content and settings).
Learning it costs nothing, so a cold command, which evaluates once, never pays for a plan.

:func:`run` evaluates each rule on all its records in that order: through the plan's generated
function (:mod:`narrator.compute.plancode`: the steps unrolled, each rule's expression written in
place), made the first time the plan runs, or, where it cannot be made, :func:`walk`, calling the
rule's compiled function directly. A rule with ``when``, ``declared`` or ``optional`` is made as ``Engine._run`` makes it; one
that builds records (``group``, ``record``: named after the rule running) goes through it when walked (the
generated function writes the common forms out: ``Inline.write_maker``). A value another
document's data asks for earlier than the plan has it is still evaluated on demand, so the
order only decides the speed, never a value. Anything unusual — an error, a missing figure, a
finding — raises, and the engine starts again on the interpreted path (see
``Engine.evaluate_all``), so every message stays as it was.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..errors import RuleError
from ..intake.records import Record, build_roots
from . import plancode
from .expr import Missing, MissingFigure
from .functions import FUNCTIONS
from .rules import Rule, RuleSet

SCALAR, EACH, RECORD = 0, 1, 2
PLAIN, CHECKED, INTERPRETED = 0, 1, 2
_MAKERS = frozenset({"group", "record"})   # functions that name the records they make after the rule
_ADOPTED = (Record, list)
_NO_LOCALS: dict = {}   # a scalar rule's locals (generated code only reads them)


class Unplanned(Exception):
    """The happy path met something it leaves to the interpreted path."""


def learn(ruleset: RuleSet, completed: Iterable[Rule]) -> None:
    """Keep on ``ruleset`` the plan of rules in the order ``completed`` (each rule's first
    completion in an evaluation without findings); rules not met there follow in written order.

    A rule set where a record's own rule and its kind's rule share a name gets no plan: which
    of the two runs there depends on the order of evaluation.
    """
    if ruleset.plan is not None:
        return
    for owner, rules in ruleset.records.items():
        parent = owner.rsplit(".", 1)[0]
        if parent in ruleset.each and not rules.keys().isdisjoint(ruleset.each[parent]):
            ruleset.plan = ()
            return
    by_name = {rule.name: rule for rule in ruleset.all_rules()}
    order = dict.fromkeys(rule.name for rule in completed if by_name.get(rule.name) is rule)
    order.update(dict.fromkeys(by_name))
    ruleset.plan = tuple(_step(by_name[name], ruleset) for name in order)


def _step(rule: Rule, ruleset: RuleSet) -> tuple[int, Rule, int]:
    """(where the rule runs, the rule, how its value is made: PLAIN its expression's alone,
    CHECKED with ``when``, ``declared`` or ``optional`` as ``Engine._run`` has them, or
    INTERPRETED through ``Engine._run``, for a rule that makes records named after it)."""
    kind = SCALAR if rule.target == "scalar" else EACH if rule.target == "each" else RECORD
    if not rule.uses.isdisjoint(_MAKERS):
        return kind, rule, INTERPRETED
    plain = rule.when is None and rule.declared is None and not rule.optional
    return kind, rule, PLAIN if plain else CHECKED


def _checked(engine: Any, rule: Rule, record: Any, local: dict) -> Any:
    """A rule's value as ``Engine._run`` makes it, without its bookkeeping: not applicable
    (None) where ``when`` is false, a printed total where one is given, “not enough data” for
    an optional rule without its figures. A missing figure of any other rule raises."""
    try:
        if rule.when is not None and not rule.when(engine, local):
            return None
        derived = rule.fn(engine, local)
        if rule.declared is None:
            declared = record._fields.get(rule.attr) if record is not None else None
        else:
            declared = engine._declared(rule, record, local)
    except MissingFigure as missing:
        if not rule.optional:
            raise
        return Missing(missing.path, missing._location)
    return derived if declared is None else declared


def made_groups(engine: Any, items: Any, attr: str, name: str, location: Any, order: str | None) -> Any:
    """What the plan's generated function does for a scalar rule ``group(items, attr)`` (or
    ``sorted(group(items, attr), order)``) on the happy path, in one call: the records
    :func:`~narrator.compute.engine.grouped` makes, sorted as ``sorted()`` sorts them, kept as
    the rule's value and adopted as ``Engine._adopt`` adopts them (each group record gets the
    engine and the rules of its kind, the items it holds are adopted where they are not yet).
    The values, types, names and places are those of the calls it replaces; only the calls
    through ``rule_attr`` and ``_adopt`` for what is known here are left out."""
    from .engine import grouped  # (engine imports this module: found when first called)

    made: Any = grouped(items, attr, name, location)
    if order is not None:  # a new record's ``key`` / ``code`` is its field (rule_attr reads it)
        plain = order in _GROUP_KEYS and all(record._fields["key"] is not None for record in made)
        made = sorted(made, key=_field_reader(order)) if plain else FUNCTIONS["sorted"](made, order)
    engine._scalars[name] = made
    if name in engine.ruleset.each:
        for record in made:
            record._kind = name
    first = True
    for record in made:  # what Engine._adopt(made, name) does with records it has just seen made
        record._engine = engine
        if first:
            engine._attach(record, None)
            first, rules = False, record._rules
        else:  # (the same kind: the same table)
            record._owner, record._rules = None, rules
        key = record._fields["key"]
        if isinstance(key, _ADOPTED):
            engine._adopt(key)
        for member in record._fields["items"]:
            if isinstance(member, Record):
                if member._engine is None:
                    engine._adopt(member)
            elif isinstance(member, list):
                engine._adopt(member)
    return made


def _field_reader(name: str) -> Any:
    return lambda record: record._fields[name]


_GROUP_KEYS = frozenset({"key", "code"})


def run(engine: Any, plan: tuple) -> None:
    """Evaluate every rule of ``plan`` on every record it applies to, on a new engine, within
    evaluate_all's decimal context. Raises (anything) where the interpreted path must decide.

    The plan's generated function (:mod:`narrator.compute.plancode`) does it, made the first
    time the plan runs; where it cannot be made, :func:`walk` does the same steps."""
    ruleset = engine.ruleset
    made = ruleset.plan_code
    if made is None or made[0] is not plan:
        try:
            function = plancode.make(ruleset, plan)
        except Exception:  # noqa: BLE001 - anything it cannot write: the steps walked instead
            function = None
        made = ruleset.plan_code = (plan, function)
    if made[1] is not None:
        made[1](engine)
    else:
        walk(engine, plan)


def walk(engine: Any, plan: tuple) -> None:
    """What the plan's generated function does, step by step through the rules' functions."""
    scalars = engine._scalars
    interpreted = engine._run
    owners: dict[tuple[int, str], Any] = {}  # the records of each owner, found once
    for kind, rule, how in plan:
        if kind == SCALAR:
            name = rule.name
            if name in scalars:
                continue
            if how == INTERPRETED:
                interpreted(rule, None)
                continue
            value = scalars[name] = (rule.fn(engine, _NO_LOCALS) if how == PLAIN
                                     else _checked(engine, rule, None, {}))
            if isinstance(value, _ADOPTED):
                engine._adopt(value, name)
            continue
        records = owners.get((kind, rule.owner))
        if records is None:
            found = engine._try_value(rule.owner)
            if kind == EACH:
                records = found if isinstance(found, list) else ()
            else:
                records = (found,) if isinstance(found, Record) else ()
            owners[(kind, rule.owner)] = records
        attr, fn = rule.attr, rule.fn
        for record in records:
            values = record._values
            if attr in values:
                continue
            if how == PLAIN:  # what _run does for a plain rule: a figure written in the file wins
                derived = fn(engine, {"item": record})
                declared = record._fields.get(attr)
                values[attr] = derived if declared is None else declared
            elif how == CHECKED:
                values[attr] = _checked(engine, rule, record, {"item": record})
            else:
                interpreted(rule, record)
    if engine.findings:  # a failure swallowed on the way (an owner that could not be found)
        raise Unplanned


def evaluate(engine: Any, plan: tuple, figures: Any) -> None:
    """The plan's happy path for a new engine made from ``build_roots(figures)``; on anything
    unusual, the interpreted path from the start, on roots built again (the plan may have left
    values on the records and engine), as if the plan had never been tried."""
    try:
        run(engine, plan)
    except Exception:  # noqa: BLE001 - whatever it was, the interpreted path says it as before
        engine.__init__(engine.ruleset, build_roots(figures), engine.year, None, engine.naming)
        engine._exact = True  # (still within evaluate_all's decimal context)
        engine._evaluate_all()
    else:
        engine._planned = figures


def replayed_facts(engine: Any) -> dict:
    """The facts of an evaluation that took the plan: the plan runs rules in another order and
    keeps no facts, so the interpreted path evaluates the same figures once more for them
    (facts are asked for in tests and diagnostics only; explain traces from the start)."""
    figures, engine._planned = engine._planned, None
    again = type(engine)(engine.ruleset, dict(build_roots(figures)), engine.year, naming=engine.naming)
    try:
        again.evaluate_all()
    except RuleError:  # pragma: no cover - the plan finished only where nothing failed
        pass
    engine._ran.clear()
    engine._odd.clear()
    engine._facts = again.facts
    return engine._facts
