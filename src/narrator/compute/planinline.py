"""exprcode's compiler writing a rule's expression into a plan's generated function (see plancode).

:class:`Inline` is :class:`~narrator.compute.exprcode.Compiler` with what changes when the
expression is written into the plan's one function instead of a function of its own: the names
it makes are fresh across the whole plan and its bound values and comprehension functions are
the plan's; ``item`` is the loop's record (a Python local, a plain Record: read without the type
test, and a name no rule gives read from its fields alone); scalar rules and roots are read from
the plan's locals; ``fname``/``ename`` are called from the engine's table; ``sum()`` of a
one-``for`` comprehension is a loop in place; a printed total ``name.x`` / ``name[key]`` of a dict
is read with its ``get``. Every other node is written as exprcode writes it. On the happy path
the result is the value exprcode's function gives; where it is not sure (a value sum() would
refuse), it raises :class:`HandOver` and the interpreted path decides.
"""

from __future__ import annotations

import ast
from typing import Any

from .exprcode import Compiler, _Function
from .functions import FUNCTIONS
from .plancalls import WrittenCalls

_ITEM = "rec"  # the loop's record: a name exprcode never makes (its own are t3, h4, v5, k6 …)
_ENGINE_NAMING = ("fname", "ename")  # the engine's functions a plan calls directly


class HandOver(Exception):
    """The generated plan met something it leaves to the interpreted path (``_HandOver`` in its source)."""


class Inline(WrittenCalls, Compiler):
    """exprcode's compiler, writing an expression's statements into the plan function: names
    made fresh across the whole plan, bound values and comprehension functions shared."""

    def __init__(self, text: str, plan: Any) -> None:
        super().__init__(text, plan.resolve, frozenset())
        self.plan = plan
        self.bound = plan.bound
        self.bindings = plan.bindings
        self.functions = plan.functions

    def _fresh(self, prefix: str = "t") -> str:
        self.plan.count += 1
        return f"{prefix}{self.plan.count}"

    def _remembered(self, key: tuple, read: Any) -> str:
        """exprcode's remembered read, made for the plan's one function. A global name or an
        attribute of one gives the same value the whole plan long (a figure is what the file
        says, a rule's value is kept once made), so in the plan's own code it is read once
        per document into a local of the plan (``g…``, unread at its start), not once per rule
        and record. A read of the loop's record made where every line of the expression runs
        (its first level, not written aside to be placed elsewhere) is certainly made: it is
        written without the unread test, and its later uses read the local alone."""
        function = self.current
        if function.work is not None:  # a comprehension's function: as exprcode writes it
            return super()._remembered(key, read)
        if key[0] != _ITEM:
            held = self.plan.held_globals.get(key)
            if held is None:
                held = self.plan.held_globals[key] = self._fresh("g")
            self._emit(f"if {held} is _Unread:")
            function.indent += 1
            self._emit(f"{held} = {read()}")
            function.indent -= 1
            return held
        held = self.settled.get(key)
        if held is not None:
            return held
        if function.indent != 1 or self.aside:
            return super()._remembered(key, read)
        held = function.remembered.get(key)
        if held is None:  # read here first: the name the read makes is the one to keep
            held = function.remembered[key] = read()
        else:  # read before only where a branch was taken: as exprcode writes it, then certain
            self._emit(f"if {held} is _Unread:")
            function.indent += 1
            self._emit(f"{held} = {read()}")
            function.indent -= 1
        self.settled[key] = held
        return held

    def _apart(self, node: ast.AST, scope: dict[str, str]) -> tuple[list[str], str]:
        # lines written aside are placed after others written later: no read made there is
        # certain before those (see _remembered)
        self.aside += 1
        try:
            return super()._apart(node, scope)
        finally:
            self.aside -= 1

    def write(self, on_record: bool) -> tuple[_Function, str]:
        """The statements computing the expression (``item`` the loop's record when
        ``on_record``), and the name holding its value."""
        tree = self._start()
        result = self._node(tree.body, {"item": _ITEM} if on_record else {})
        return self.current, result

    def _start(self) -> ast.Expression:
        """The expression's tree (it compiled before: it parses), and a function to write into."""
        tree = ast.parse(self.text.strip(), mode="eval")
        self.depth = 0
        self.settled: dict[tuple, str] = {}  # reads of the loop's record certainly made (see _remembered)
        self.aside = 0
        self.resolutions = []
        self.spots = {id(node): index for index, node in enumerate(ast.walk(tree))}
        self.current = _Function("", None)
        return tree

    def write_lookup(self, on_record: bool) -> tuple[_Function, str] | None:
        """For ``name.x`` or ``name[key]`` (a printed total: ``declared.total``,
        ``declared[item.code]``), the statements reading it with a dict read without an
        exception where the key is not there (the dict's ``get``: None, as the missing figure
        ``_declared`` turns into None); None for any other expression."""
        node = self._start().body
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and not node.attr.startswith("_"):
            key = None
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and not isinstance(node.slice, ast.Slice):
            key = node.slice
        else:
            return None
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

    def write_maker(self) -> tuple[_Function, str, list[str], list[str], str | None] | None:
        """For a scalar rule that makes records — ``group(src, "field")``, ``sorted(group(src,
        "field"), "order")`` or ``record(name=value, …)`` — the statements computing what the
        records are made of; which (``"group"`` or ``"record"``), the names holding the values,
        the field (group) or the names of the fields (record), and the order; None for any other."""
        node = self._start().body
        order = None
        if _call(node, "sorted", 2) and _text(node.args[1]) and _call(node.args[0], "group", 2) \
                and getattr(self.resolve_global("sorted"), "fixed", None) is FUNCTIONS["sorted"]:
            self._resolve("sorted")
            order, node = node.args[1].value, node.args[0]
        if _call(node, "group", 2) and _text(node.args[1]):
            self._resolve("group")  # (the function is looked up before its arguments, as in _Call)
            return self.current, "group", [self._node(node.args[0], {})], [node.args[1].value], order
        if _call(node, "record", 0) and all(k.arg for k in node.keywords):
            self._resolve("record")
            values = [self._node(k.value, {}) for k in node.keywords]
            return self.current, "record", values, [k.arg for k in node.keywords], None
        return None

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
        written = self.write_call(node, scope)  # sum(values(x)), percent(), abs(): see plancalls
        if written is not None:
            return written
        # ``sum(x for v in src)`` in the plan's own code: the loop written out, no list made
        if self.current.work is None and isinstance(node.func, ast.Name) and node.func.id == "sum" \
                and len(node.args) == 1 and not node.keywords and _flat(node.args[0]) \
                and getattr(self.resolve_global("sum"), "fixed", None) is FUNCTIONS["sum"]:
            return self._summed(node.args[0], scope)
        return super()._Call(node, scope)

    def _summed(self, node: ast.GeneratorExp | ast.ListComp, scope: dict[str, str]) -> str:
        """What the comprehension's function and ``sum`` do together, on the happy path alone:
        the same values added in the same order; a value sum() refuses or an addition that
        fails raises HandOver (the interpreted path says what is wrong)."""
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
        self._conditions(generator.ifs, inner)
        value = self._node(node.elt, inner)
        self._emit(f"if {value}.__class__ is not _D and ({value} is None or isinstance({value}, _Missing)):")
        self._emit("    raise _HandOver")
        self._emit("try:")
        self._emit(f"    {total} = {total} + {value}")
        self._emit("except Exception:")
        self._emit("    raise _HandOver")
        function.indent = base
        return total

    def _Name(self, node: ast.Name, scope: dict[str, str]) -> str:
        # a scalar rule whose step came before, in the plan's own code: the local holding it
        held = self.plan.held_scalars.get(node.id)
        if held is not None and node.id not in scope and self.current.work is None:
            resolved, _ = self._resolve(node.id)
            if getattr(resolved, "scalar", None) == node.id:
                return held
        return super()._Name(node, scope)

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
            held = self.plan.held_fields.get(node.attr)
            if held is not None and self.current.work is None:  # a value of this turn's record made before
                return held
            return self._remembered((_ITEM, node.attr), lambda: self._attribute(node, scope))
        return super()._Attribute(node, scope)

    def _attribute(self, node: ast.Attribute, scope: dict[str, str]) -> str:
        # ``item.x`` in the step's own code: the loop's record is a plain Record (tested once)
        if isinstance(node.value, ast.Name) and scope.get(node.value.id) == _ITEM and self.current.work is None:
            target = self._fresh()
            self._record_read(_ITEM, repr(node.attr), target, "rvals", "rfields")
            return target
        return super()._attribute(node, scope)

    def _Subscript(self, node: ast.Subscript, scope: dict[str, str]) -> str:
        # ``x[key]`` as exprcode writes it, with two commoner cases first: a text key of a
        # Record that no rule of the set gives (``item.basic[s]``: a figure, read from the
        # fields alone, as _record_read reads such a name; str() of a str is itself) and a key
        # a plain dict has (``declared[item.code]``: what item() gives for it)
        if isinstance(node.slice, ast.Slice):
            return super()._Subscript(node, scope)
        obj = self._node(node.value, scope)
        target = self._fresh()
        key = self._node(node.slice, scope)
        self._emit(f"if type({obj}) is _Record and {key}.__class__ is str and {key} not in {self.plan.given_by_rules}:")
        self._emit(f"    {target} = {obj}._fields.get({key})")
        self._emit(f"    if {target} is None:")
        self._emit(f"        {target} = {obj}.rule_attr({key})")
        self._emit(f"elif type({obj}) is dict and {key} in {obj}:")
        self._emit(f"    {target} = {obj}[{key}]")
        self._item_read(obj, key, target, "elif")
        return target

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


def _call(node: ast.AST, name: str, arguments: int) -> bool:
    """Whether ``node`` calls the function ``name`` with that many positional arguments (and,
    with some, no keywords)."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name \
        and len(node.args) == arguments and not (arguments and node.keywords)


def _text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is str


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
