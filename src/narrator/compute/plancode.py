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

It does exactly what ``plan.run`` does, step by step and record by record, and like it raises
on anything unusual (a record that is not a plain Record, a missing figure, an error, a finding
left behind), so ``plan.evaluate`` hands over to the interpreted path, which says every message.

Why this is safe: as in exprcode, the source is built by this module and exprcode alone: fixed
text, identifiers made up here (``rec``, ``o3``, ``t12`` …) and ``repr()`` of rule and field
names; every constant, rule and closure reaches the function as a bound value (``k0`` …). No
expression text and no name is ever written unquoted, not even in a comment.
"""

from __future__ import annotations

import ast
from typing import Any

from ..codecache import compiled
from .exprcode import _HELPERS, Compiler, _Function
from .expr import Missing, MissingFigure
from .functions import FUNCTIONS

#: The plan's step kinds and ways (as in plan.py; not imported: plan imports this module).
SCALAR, EACH, RECORD = 0, 1, 2
PLAIN, CHECKED, INTERPRETED = 0, 1, 2

_ITEM = "rec"
_ENGINE_NAMING = ("fname", "ename")  # the engine's functions a plan calls directly  # the loop's record: a name exprcode never makes (its own are t3, h4, v5, k6 …)


class _Unplanned(Exception):
    """The generated plan met something it leaves to the interpreted path."""


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


class _Inline(Compiler):
    """exprcode's compiler, writing an expression's statements into the plan function: names
    made fresh across the whole plan, bound values and comprehension functions shared."""

    def __init__(self, text: str, plan: "PlanWriter") -> None:
        super().__init__(text, plan.resolve, frozenset())
        self.plan = plan
        self.bound = plan.bound
        self.bindings = plan.bindings
        self.functions = plan.functions

    def _fresh(self, prefix: str = "t") -> str:
        self.plan.count += 1
        return f"{prefix}{self.plan.count}"

    def write(self, on_record: bool) -> tuple[_Function, str]:
        """The statements computing the expression (``item`` the loop's record when
        ``on_record``), and the name holding its value."""
        tree = ast.parse(self.text.strip(), mode="eval")
        self.depth = 0
        self.resolutions = []
        self.spots = {id(node): index for index, node in enumerate(ast.walk(tree))}
        self.current = _Function("", None)
        result = self._node(tree.body, {"item": _ITEM} if on_record else {})
        return self.current, result

    def write_lookup(self, on_record: bool) -> tuple[_Function, str] | None:
        """For ``name.x`` or ``name[key]`` (a printed total: ``declared.total``,
        ``declared[item.code]``), the statements reading it with a dict read without an
        exception where the key is not there (the dict's ``get``: None, as the missing figure
        ``_declared`` turns into None); None for any other expression."""
        tree = ast.parse(self.text.strip(), mode="eval")
        node = tree.body
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and not node.attr.startswith("_"):
            key = None
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and not isinstance(node.slice, ast.Slice):
            key = node.slice
        else:
            return None
        self.depth = 0
        self.resolutions = []
        self.spots = {id(node): index for index, node in enumerate(ast.walk(tree))}
        self.current = _Function("", None)
        scope = {"item": _ITEM} if on_record else {}
        obj = self._node(node.value, scope)
        key_of = repr(node.attr) if key is None else self._node(key, scope)
        target = self._fresh()
        self._emit(f"if type({obj}) is dict:")
        self._emit(f"    {target} = {obj}.get({key_of})")
        self._emit(f"elif type({obj}) is _Record:")
        name = key_of
        if key is not None:
            name = self._fresh()
            self._emit(f"    {name} = str({key_of})  # what Record.rule_item does")
        self._record_read(obj, name, target)
        self._emit("else:")
        self._emit(f"    {target} = {'_attribute_of' if key is None else '_item_of'}({obj}, {key_of})")
        return self.current, target

    def _Call(self, node: ast.Call, scope: dict[str, str]) -> str:
        # ``fname(code)``: the engine's function read from its table, not through a closure
        # and Engine.function (looking it up has no effect: before or after the argument alike)
        if isinstance(node.func, ast.Name) and node.func.id in _ENGINE_NAMING and len(node.args) == 1 \
                and not node.keywords and node.func.id in getattr(self.resolve_global, "functions", ()):
            self._resolve(node.func.id)
            argument = self._node(node.args[0], scope)
            target = self._fresh()
            self._emit(f"{target} = engine._functions[{node.func.id!r}]({argument})")
            return target
        # ``sum(x for v in src)`` in the plan's own code: the loop written out, no list made
        if self.current.work is None and isinstance(node.func, ast.Name) and node.func.id == "sum" \
                and len(node.args) == 1 and not node.keywords and _flat(node.args[0]) \
                and getattr(self.resolve_global("sum"), "fixed", None) is FUNCTIONS["sum"]:
            return self._summed(node.args[0], scope)
        return super()._Call(node, scope)

    def _summed(self, node: ast.GeneratorExp | ast.ListComp, scope: dict[str, str]) -> str:
        """What the comprehension's function and ``sum`` do together, on the happy path alone:
        the same values added in the same order; a value sum() refuses or an addition that
        fails raises _Unplanned (the interpreted path says what is wrong)."""
        self._resolve("sum")
        generator = node.generators[0]
        source = self._node(generator.iter, scope)
        var, total, turns = self._fresh("v"), self._fresh("s"), self._fresh("w")
        inner = {**scope, generator.target.id: var}
        function = self.current
        base = function.indent
        self._emit(f"{total} = 0")
        self._emit(f"{turns} = 0")
        self._emit(f"for {var} in {source}:")
        function.indent += 1
        self._emit(f"{turns} += 1")
        self._emit(f"if {turns} > _MAX_WORK:")
        self._emit("    _too_much_work()")
        guard = None
        for condition in generator.ifs:   # each condition only while the ones before hold
            if guard is not None:
                self._emit(f"if {guard}:")
                function.indent += 1
            value = self._node(condition, inner)
            if guard is None:
                guard = self._fresh()
                self._emit(f"{guard} = {value}")
            else:
                self._emit(f"{guard} = {value}")
                function.indent -= 1
        if guard is not None:
            self._emit(f"if {guard}:")
            function.indent += 1
        value = self._node(node.elt, inner)
        self._emit(f"if {value}.__class__ is not _D and ({value} is None or isinstance({value}, _Missing)):")
        self._emit("    raise _Unplanned")
        self._emit("try:")
        self._emit(f"    {total} = {total} + {value}")
        self._emit("except Exception:")
        self._emit("    raise _Unplanned")
        function.indent = base
        return total

    def _global(self, name: str) -> str:
        """A scalar rule's value or a root read from the plan's locals (as value() finds them)."""
        resolved, _ = self._resolve(name)
        scalar = getattr(resolved, "scalar", None)
        if scalar is None:
            return super()._global(name)
        target = self._fresh()
        table = "scalars" if scalar in self.plan.scalar_names else "given"
        if self.current.work is not None:  # in a comprehension's function: not the plan's locals
            table = "engine._" + table
        self._emit(f"{target} = {table}.get({scalar!r}, _Missing)")
        self._emit(f"if {target} is _Missing:")
        self._emit(f"    {target} = engine.value({scalar!r})")
        return target

    def _Attribute(self, node: ast.Attribute, scope: dict[str, str]) -> str:
        # ``item.x`` read once per evaluation (in a comprehension: once, not at every turn), as
        # exprcode reads it where ``item`` is a variable of ``local``
        if isinstance(node.value, ast.Name) and scope.get(node.value.id) == _ITEM and not node.attr.startswith("_"):
            return self._remembered((_ITEM, node.attr), lambda: self._attribute(node, scope))
        return super()._Attribute(node, scope)

    def _attribute(self, node: ast.Attribute, scope: dict[str, str]) -> str:
        # ``item.x`` in the step's own code: the loop's record is a plain Record (tested once)
        if isinstance(node.value, ast.Name) and scope.get(node.value.id) == _ITEM and self.current.work is None:
            target = self._fresh()
            self._record_read(_ITEM, repr(node.attr), target, "rvals", "rfields")
            return target
        return super()._attribute(node, scope)

    def _record_read(self, obj: str, name: str, target: str, values: str = "", fields: str = "") -> None:
        """exprcode's read of a Record's attribute; a name no rule of the set gives (a figure
        alone) read from its fields alone: no rule's value is ever kept under it."""
        indent = "" if values else "    "
        values, fields = values or f"{obj}._values", fields or f"{obj}._fields"
        if name[:1] in "'\"" and ast.literal_eval(name) not in self.plan.rule_attrs:
            self._emit(f"{indent}{target} = {fields}.get({name})")
            self._emit(f"{indent}if {target} is None:")
            self._emit(f"{indent}    {target} = {obj}.rule_attr({name})")
            return
        self._emit(f"{indent}{target} = {values}.get({name}, _Missing)")
        self._emit(f"{indent}if {target} is _Missing:")
        self._emit(f"{indent}    {target} = {fields}.get({name}) if {name} not in {obj}._rules else None")
        self._emit(f"{indent}    if {target} is None:")
        self._emit(f"{indent}        {target} = {obj}.rule_attr({name})")


def _flat(node: ast.AST) -> bool:
    """A comprehension of one ``for`` over one name, with no comprehension inside its element
    or conditions (a turn counter of its own is then the comprehension's own)."""
    if not isinstance(node, (ast.GeneratorExp, ast.ListComp)) or len(node.generators) != 1:
        return False
    generator = node.generators[0]
    if not isinstance(generator.target, ast.Name) or generator.is_async:
        return False
    inner = [node.elt, *generator.ifs]
    return not any(isinstance(n, (ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp, ast.Lambda))
                   for part in inner for n in ast.walk(part))


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
        self.functions: list[_Function] = []
        self.count = 0
        self.body = _Writer()
        self.owners: dict[tuple[int, str], str] = {}

    def bind(self, value: Any) -> str:
        self.bound.append(value)
        self.bindings.append(())
        return f"k{len(self.bound) - 1}"

    def _expression(self, text: str, on_record: bool) -> str:
        function, result = _Inline(text, self).write(on_record)
        self.body.block(function)
        return result

    def scalar(self, rule: Any, how: int) -> None:
        """Write a scalar rule's step: ``plan.walk``'s work for it."""
        out = self.body
        name = repr(rule.name)
        out.emit(f"if {name} not in scalars:")
        out.indent += 1
        if how == INTERPRETED:
            out.emit(f"interpreted({self.bind(rule)}, None)")
        else:
            self._value(rule, how, False)
            out.emit(f"scalars[{name}] = value")
            out.emit("if isinstance(value, _ADOPTED):")
            out.emit(f"    adopt(value, {name})")
        out.indent -= 1

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
        out.emit("    raise _Unplanned")
        out.emit(f"rvals = {_ITEM}._values")
        out.emit(f"rfields = {_ITEM}._fields")
        for rule, how in steps:
            attr = repr(rule.attr)
            out.emit(f"if {attr} not in rvals:")
            out.indent += 1
            if how == INTERPRETED:
                out.emit(f"interpreted({self.bind(rule)}, {_ITEM})")
            else:
                self._value(rule, how, True)
                out.emit(f"rvals[{attr}] = value")
            out.indent -= 1
        out.indent -= 1

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
            lookup = _Inline(rule.declared_text, self).write_lookup(on_record)
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
            raise _Unplanned(what)  # a rule made without its text: left to plan.run
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
        lines.extend("        " + line for line in self.body.lines)
        lines.append("        if engine.findings:  # a failure swallowed on the way")
        lines.append("            raise _Unplanned")
        lines.append("    return _plan")
        return "\n".join(lines) + "\n"


def make(ruleset: Any, plan: tuple) -> Any:
    """The function that runs ``plan`` of ``ruleset`` on an engine, as ``plan.run`` does."""
    from ..intake.records import Record

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
    namespace = dict(_HELPERS, _Record=Record, _Unplanned=_Unplanned, _ADOPTED=(Record, list),
                     _Missing=Missing, _MissingFigure=MissingFigure)
    namespace["__builtins__"] = dict(namespace["__builtins__"], list=list, dict=dict, Exception=Exception)
    exec(code, namespace)  # noqa: S102 - generated source, never user text
    return namespace["_make"](*writer.bound)
