"""A rule set's plan written out as one generated Python function (the plan's happy path, fast).

:func:`narrator.compute.plan.run` walks the plan: for each step a Python loop over the owner's
records calls the rule's compiled function with a new ``{"item": record}`` dict, and ``when``,
``declared`` and ``optional`` go through a helper. Here the same steps are unrolled into one
function, written from the validated syntax trees :mod:`narrator.compute.exprcode` compiles:
per step a loop over the owner's records with the rule's expression inlined (``item`` a Python
local, read without the type test it needs elsewhere), and the ``when`` / ``declared`` /
``optional`` handling written for that rule alone. It is made once per plan (kept with it on
the rule set) the first time the plan runs, so a cold command, which evaluates once, never
pays for it.

It does what :func:`~narrator.compute.plan.walk` does — consecutive steps on one owner's records
in one loop over them (a value asked for before its step is evaluated on demand, as in walk, so
the values are the same) — and like it raises on anything unusual (a record that is not a plain
Record, a missing figure, an error, a finding left behind), so ``plan.evaluate`` hands over to
the interpreted path, which says every message.

Why this is safe: as in exprcode, the source is built by this module, :mod:`~narrator.compute.planinline`
and exprcode alone: fixed
text, identifiers made up here (``rec``, ``o3``, ``t12`` …) and ``repr()`` of rule and field
names; every constant, rule and closure reaches the function as a bound value (``k0`` …). No
expression text and no name is ever written unquoted, not even in a comment.
"""

from __future__ import annotations

from typing import Any

from ..caches.codecache import compiled
from .exprcode import _HELPERS, _Function
from .expr import Missing, MissingFigure
from .planinline import _ITEM, HandOver, Inline

#: The plan's step kinds and ways (as in plan.py; not imported: plan imports this module).
SCALAR, EACH, RECORD = 0, 1, 2
PLAIN, CHECKED, INTERPRETED = 0, 1, 2


class _Writer:
    """The source of the plan function: lines at an indentation."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.indent = 0

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.indent + line)

    def block(self, function: _Function) -> None:
        """The lines exprcode wrote into ``function`` (its remembered reads first), here."""
        for line in function.prologue:
            self.emit(line)
        for line in function.lines[1:]:  # (written one level in: exprcode's body indent)
            self.emit(line[4:])


class PlanWriter:
    """Writes the source of a plan's function and makes it."""

    def __init__(self, ruleset: Any) -> None:
        from .rules import KnownNames, _global_resolver

        self.resolve = _global_resolver(KnownNames(ruleset.scalars))
        self.scalar_names = frozenset(ruleset.scalars)
        # every name a rule gives a record: any other is only ever read from a record's fields
        self.rule_attrs = frozenset(rule.attr for rule in ruleset.all_rules() if rule.target != "scalar")
        self.bound: list[Any] = []
        self.bindings: list[tuple] = []
        # the name rule_attrs is bound to: a key not in it is a figure alone (Inline._Subscript)
        self.given_by_rules = self.bind(self.rule_attrs)
        self.functions: list[_Function] = []
        self.count = 0
        self.body = _Writer()
        self.owners: dict[tuple[int, str], str] = {}
        # values the plan's own code already holds in a local (see _unless_there): a scalar's
        # from its step on, a record's own from its step to the end of its loop's turn
        self.held_scalars: dict[str, str] = {}
        self.held_fields: dict[str, str] = {}
        # a global name's or its attribute's value, read once per document (Inline._remembered)
        self.held_globals: dict[tuple, str] = {}

    def bind(self, value: Any) -> str:
        self.bound.append(value)
        self.bindings.append(())
        return f"k{len(self.bound) - 1}"

    def _expression(self, text: str, on_record: bool) -> str:
        function, result = Inline(text, self).write(on_record)
        self.body.block(function)
        return result

    def scalar(self, rule: Any, how: int) -> None:
        """Write a scalar rule's step: ``plan.walk``'s work for it."""
        self._unless_there(rule, how, "scalars", repr(rule.name), None)

    def _unless_there(self, rule: Any, how: int, table: str, key: str, record: str | None) -> None:
        """Unless ``table`` (the scalars, or the record's values) holds the rule's value: make it
        through Engine._run (INTERPRETED), or written out, and keep it there; a scalar's value
        that holds records is adopted, as Engine._run adopts it. Either way the value is then
        in a local of its own, which later steps read instead of ``table`` (a value once kept
        is never replaced, so the local and the table agree)."""
        out = self.body
        self.count += 1
        held = f"a{self.count}"
        out.emit(f"{held} = {table}.get({key}, _Missing)")
        out.emit(f"if {held} is _Missing:")
        out.indent += 1
        if how == INTERPRETED and not (record is None and self._maker(rule, held)):
            out.emit(f"{held} = interpreted({self.bind(rule)}, {record})")
        elif how != INTERPRETED:
            self._value(rule, how, record is not None)
            out.emit(f"{table}[{key}] = {held} = value")
            if record is None:
                out.emit("if isinstance(value, _ADOPTED):")
                out.emit(f"    adopt(value, {key})")
        out.indent -= 1
        if record is None:
            self.held_scalars[rule.name] = held
        else:
            self.held_fields[rule.attr] = held

    def _maker(self, rule: Any, held: str) -> bool:
        """Write a scalar rule that makes records (``group``, ``record``; see Inline.write_maker)
        as Engine._run makes it on the happy path: the records named after the rule and placed
        at it, kept, and adopted. False (nothing written) for a rule written otherwise."""
        if rule.when is not None or rule.declared is not None or rule.optional or not rule.text:
            return False
        made = Inline(rule.text, self).write_maker()
        if made is None:
            return False
        function, what, values, fields, order = made
        out = self.body
        out.block(function)
        name, where = self.bind(rule.name), self.bind(rule.location)
        if what == "group":  # made, sorted, kept and adopted in one call (plan.made_groups)
            out.emit(f"{held} = _made_groups(engine, {values[0]}, {self.bind(fields[0])}, {name}, {where}, "
                     f"{self.bind(order)})")
            return True
        # the fields in the call's order, as record(**fields) has them
        pairs = ", ".join(f"{self.bind(field)}: {value}" for field, value in zip(fields, values))
        out.emit(f"{held} = _Record({{{pairs}}}, {name}, {where})")
        out.emit(f"scalars[{rule.name!r}] = {held}")
        out.emit(f"adopt({held}, {rule.name!r})")
        return True

    def on_records(self, kind: int, owner: str, steps: list[tuple[Any, int]]) -> None:
        """Write consecutive steps on the records of one owner as one loop over them: each
        record gets those rules in the plan's order (the values are the same in any order: a
        value asked for before its step is evaluated on demand, and then not again)."""
        out = self.body
        records = self.owners.get((kind, owner))
        if records is None:  # the owner's records, found when a step first needs them (as walk does)
            records = self.owners[(kind, owner)] = f"o{len(self.owners)}"
            if "." not in owner:  # a root or a scalar rule's value, as value() finds it
                out.emit(f"found = {'scalars' if owner in self.scalar_names else 'given'}.get({owner!r}, _Missing)")
                out.emit("if found is _Missing:")
                out.emit(f"    found = engine._try_value({owner!r})")
            else:
                out.emit(f"found = engine._try_value({owner!r})")
            if kind == EACH:
                out.emit(f"{records} = found if isinstance(found, list) else ()")
            else:
                out.emit(f"{records} = (found,) if isinstance(found, _Record) else ()")
        out.emit(f"for {_ITEM} in {records}:")
        out.indent += 1
        out.emit(f"if type({_ITEM}) is not _Record:")
        out.emit("    raise _HandOver")
        out.emit(f"rvals = {_ITEM}._values")
        out.emit(f"rfields = {_ITEM}._fields")
        for rule, how in steps:
            self._unless_there(rule, how, "rvals", repr(rule.attr), _ITEM)
        out.indent -= 1
        self.held_fields = {}  # (each turn's locals are the record's of that turn)

    def _value(self, rule: Any, how: int, on_record: bool) -> None:
        """``value = `` the rule's value: its expression's (PLAIN; on a record a figure written
        in the file wins), or as ``plan._checked`` makes it (CHECKED)."""
        out = self.body
        attr = repr(rule.attr)
        if how == PLAIN:
            derived = self._expression(rule.text, on_record)
            if on_record:
                out.emit(f"declared = rfields.get({attr})")
                out.emit(f"value = {derived} if declared is None else declared")
            else:
                out.emit(f"value = {derived}")
            return
        if rule.optional:  # a missing figure makes it “not enough data”; any other rule's raises
            out.emit("try:")
            out.indent += 1
        if rule.when is not None:
            when = self._expression(self._text_of(rule, "when"), on_record)
            out.emit(f"if not {when}:")
            out.emit("    value = None")
            out.emit("else:")
            out.indent += 1
        derived = self._expression(rule.text, on_record)
        out.emit(f"derived = {derived}")
        if rule.declared is None:
            out.emit(f"declared = rfields.get({attr})" if on_record else "declared = None")
        else:  # what Engine._declared does: a missing figure or a Missing is no printed total
            out.emit("try:")
            out.indent += 1
            lookup = Inline(rule.declared_text, self).write_lookup(on_record)
            if lookup is not None:
                out.block(lookup[0])
                declared = lookup[1]
            else:
                declared = self._expression(rule.declared_text, on_record)
            out.emit(f"declared = {declared}")
            out.indent -= 1
            out.emit("except _MissingFigure:")
            out.emit("    declared = None")
            out.emit("else:")
            out.emit("    if isinstance(declared, _Missing):")
            out.emit("        declared = None")
        out.emit("value = derived if declared is None else declared")
        if rule.when is not None:
            out.indent -= 1
        if rule.optional:
            out.indent -= 1
            out.emit("except _MissingFigure as missing:")
            out.emit("    value = _Missing(missing.path, missing._location)")

    @staticmethod
    def _text_of(rule: Any, what: str) -> str:
        text = getattr(rule, what + "_text", "")
        if not text:
            raise HandOver(what)  # a rule made without its text: the plan is walked instead
        return text

    def source(self) -> str:
        names = [f"k{i}" for i in range(len(self.bound))]
        lines = [f"def _make({', '.join(names)}):"]
        for function in self.functions:
            lines.extend("    " + line for line in function.source())
        lines.append("    def _plan(engine):")
        for line in ("scalars = engine._scalars", "given = engine._given", "local = {}",
                     "interpreted = engine._run", "adopt = engine._adopt"):
            lines.append("        " + line)
        lines.extend(f"        {held} = _Unread" for held in self.held_globals.values())
        lines.extend("        " + line for line in self.body.lines)
        lines.append("        if engine.findings:  # a failure swallowed on the way")
        lines.append("            raise _HandOver")
        lines.append("    return _plan")
        return "\n".join(lines) + "\n"


def make(ruleset: Any, plan: tuple) -> Any:
    """The function that runs ``plan`` of ``ruleset`` on an engine, as ``plan.run`` does."""
    from ..intake.records import Record
    from .plan import made_groups

    writer = PlanWriter(ruleset)
    index = 0
    while index < len(plan):
        kind, rule, how = plan[index]
        if kind == SCALAR:
            writer.scalar(rule, how)
            index += 1
            continue
        steps = []
        while index < len(plan) and plan[index][0] == kind and plan[index][1].owner == rule.owner:
            steps.append(plan[index][1:])
            index += 1
        writer.on_records(kind, rule.owner, steps)
    code = compiled(writer.source())
    namespace = dict(_HELPERS, _Record=Record, _HandOver=HandOver, _ADOPTED=(Record, list),
                     _made_groups=made_groups,
                     _Missing=Missing, _MissingFigure=MissingFigure)
    namespace["__builtins__"] = dict(namespace["__builtins__"], list=list, dict=dict, Exception=Exception)
    exec(code, namespace)  # noqa: S102 - generated source, never user text
    return namespace["_make"](*writer.bound)
