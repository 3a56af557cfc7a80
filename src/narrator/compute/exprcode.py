"""Compiling a rule expression into one Python function, from its validated syntax tree.

:class:`Compiler` parses the expression text with :mod:`ast`, accepts only the node types it
has a method for (``_Constant``, ``_Name``, ``_BinOp`` …; anything else is refused with the
node's name), and writes straight-line Python source for the accepted tree, the way Jinja
compiles templates: one ``def`` per expression (and one per comprehension), compiled once
per rule set and called for every record. Evaluating ``item.amount - item.prior`` is then
one Python call instead of a call per syntax node. A read of a global name or of one of its
attributes (``settings.x``, ``item.x``) is made once per generated function and remembered
(``h1`` …): in a comprehension, once rather than at every turn.

Why this is safe: the source handed to :func:`compile` is built by this module alone. It
holds only fixed text of this module, identifiers it makes up (``t3``, ``v1``, ``k0``,
``h4``, ``_c2``) and ``repr()`` of names that passed validation (a rule's or field's name, never one
starting with ``_``). Every constant of the expression (numbers, texts) reaches the function
as a value bound when it is made (``k0``), never as source; the expression text itself is
never compiled. What an expression may do is still only what the helpers of
:mod:`narrator.compute.expr` allow: records are read as ``rule_attr`` reads them, arithmetic on texts and
lists is bounded, comprehensions count their turns against :data:`~narrator.compute.expr.MAX_WORK`.
The nesting the source can have is bounded by :data:`~narrator.compute.expr.MAX_DEPTH` (one indent
per syntax level at most; a comprehension is a function of its own, so loops never nest).
What a cold command reads back instead of compiling again (:mod:`narrator.compute.exprkeep`: the code
object of such a source, kept in the user's private cache, and how each bound value is made)
holds no text to compile either.
"""

from __future__ import annotations

import ast
from decimal import Decimal, DivisionByZero, InvalidOperation
from types import CodeType
from typing import Any, Callable

from . import exprkeep
from ..caches.codecache import compiled, keep, kept
from .expr import (MAX_DEPTH, MAX_TEXT, MAX_WORK, RULE_TYPES, Closure, ExprError, Missing, MissingFigure,
                   _add, _divide, _multiply, _TOO_MUCH_WORK, attribute, item)

_LITERAL = "\0local"   # how a scope records a name read from the ``local`` dict at each use


_ARITHMETIC = (TypeError, DivisionByZero, InvalidOperation, ZeroDivisionError)


def _binary_failed(error: Exception, a: Any, b: Any, spot: exprkeep.Spot) -> None:
    """The error of an operator: operands that do not go together (a missing figure first),
    or a division by zero."""
    if isinstance(error, TypeError):
        for value in (a, b):
            if isinstance(value, Missing):
                raise MissingFigure(value.path, value.location)
        raise ExprError(f"无法计算 {a!r} 与 {b!r}（{spot.shown()}）") from None
    raise ExprError(f"除数为零：{spot.shown()}") from None


def _attribute_of(obj: Any, name: str) -> Any:
    """``obj.name`` of anything but a Record (which the generated code reads itself)."""
    if type(obj) in RULE_TYPES:
        return obj.rule_attr(name)
    if type(obj) is dict:  # settings, declared: what attribute() does for a dict
        if name in obj:
            return obj[name]
        raise MissingFigure(name)
    return attribute(obj, name)


def _item_of(obj: Any, key: Any) -> Any:
    """``obj[key]`` of anything but a Record."""
    if type(obj) in RULE_TYPES:
        return obj.rule_item(key)
    return item(obj, key)


def _compare_failed(a: Any, b: Any, spot: exprkeep.Spot) -> None:
    for value in (a, b):
        if isinstance(value, Missing):
            raise MissingFigure(value.path, value.location)
    raise ExprError(f"无法比较 {a!r} 与 {b!r}（{spot.shown()}）") from None


def _too_much_work() -> None:
    raise ExprError(_TOO_MUCH_WORK)


#: What the generated source may name besides its own identifiers.
_HELPERS: dict[str, Any] = {
    "_N": frozenset((int, Decimal)), "_D": Decimal, "_Missing": Missing, "_MissingFigure": MissingFigure,
    "_attribute_of": _attribute_of, "_item_of": _item_of, "_add": _add, "_multiply": _multiply,
    "_divide": _divide, "_ARITHMETIC": _ARITHMETIC, "_binary_failed": _binary_failed,
    "_compare_failed": _compare_failed, "_MAX_WORK": MAX_WORK, "_too_much_work": _too_much_work,
    "_Unread": object(),
    "__builtins__": {"TypeError": TypeError, "type": type, "isinstance": isinstance, "str": str},
}

#: The source of each operator. ``+``, ``*`` and ``/`` call the bounded helpers, except on two
#: numbers (``_N``: int or Decimal, never bool), where the helpers would do just the Python operator
#: (``/`` only with a Decimal: two whole numbers divide as Decimals).
_NUMBERS = "type({a}) in _N and type({b}) in _N"
_BINARY = {
    ast.Add: "({a} + {b}) if " + _NUMBERS + " else _add({a}, {b})",
    ast.Sub: "{a} - {b}",
    ast.Mult: "({a} * {b}) if " + _NUMBERS + " else _multiply({a}, {b})",
    ast.Div: "({a} / {b}) if (type({a}) is _D or type({b}) is _D) and " + _NUMBERS + " else _divide({a}, {b})",
    ast.Mod: "{a} % {b}",
}
_MISSING_A = "({a} is None or isinstance({a}, _Missing))"
_MISSING_B = "({b} is None or isinstance({b}, _Missing))"
_EQUAL = "(({a} == {b}) if not isinstance({b}, _Missing) else " + _MISSING_A + ")"
_SAME = "((" + _MISSING_A + " and " + _MISSING_B + ") or {a} is {b})"
_COMPARE = {
    ast.Eq: _EQUAL, ast.NotEq: "not " + _EQUAL, ast.Lt: "{a} < {b}", ast.LtE: "{a} <= {b}",
    ast.Gt: "{a} > {b}", ast.GtE: "{a} >= {b}", ast.In: "{a} in {b}", ast.NotIn: "{a} not in {b}",
    ast.Is: _SAME, ast.IsNot: "not " + _SAME,
}


def _compare_op(op: ast.cmpop, comparator: ast.expr) -> str:
    """The source of one comparison; ``==``/``!=`` with a literal number or text (never a
    missing figure) is Python's own."""
    if isinstance(comparator, ast.Constant) and isinstance(comparator.value, (int, str)) \
            and not isinstance(comparator.value, bool) and type(op) in (ast.Eq, ast.NotEq):
        return "{a} == {b}" if isinstance(op, ast.Eq) else "{a} != {b}"
    return _COMPARE[type(op)]


class _Function:
    """The source of one generated function being written: its lines and indentation."""

    def __init__(self, header: str, work: str | None) -> None:
        self.lines = [header]
        self.indent = 1
        self.work = work    # the name of the comprehension turn counter, inside a comprehension
        # the reads this function remembers (see Compiler._remembered): by what is read, the
        # variable that holds it once read, and the lines that start each variable unread
        self.remembered: dict[tuple, str] = {}
        self.prologue: list[str] = []

    def source(self) -> list[str]:
        """The function's lines: its header, the remembered reads made unread, the body."""
        return [self.lines[0], *("    " + line for line in self.prologue), *self.lines[1:]]

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.indent + line)


class Compiler:
    """Compiles one expression text into a function ``fn(engine, local_vars)``.

    ``resolve_global(name)`` must return a closure ``(engine, local) -> value`` for a global
    name or raise ExprError; it is how the engine lets expressions see figures and other
    rules. A closure with ``fixed`` (a function the same for every engine) is called
    directly; one with ``scalar`` (its name) is read from the engine's evaluated scalars.
    """

    def __init__(self, text: str, resolve_global: Callable[[str], Closure],
                 local_names: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.resolve_global = resolve_global
        self.local_names = local_names
        self.globals_used: set[str] = set()

    def compile(self) -> Closure:
        if len(self.text) > MAX_TEXT:
            raise ExprError(f"表达式太长（{len(self.text)} 个字符，最多 {MAX_TEXT} 个）")
        key = exprkeep.key_of(self.text, self.local_names, getattr(self.resolve_global, "functions", ()))
        made = exprkeep.replay(kept(key), self.text.strip(), self.resolve_global, self.globals_used) \
            if key is not None else None
        if made is not None:  # the plan kept the last time: neither parsed nor written again
            return self._made(*made)
        try:
            tree = ast.parse(self.text.strip(), mode="eval")
        except SyntaxError as exc:
            raise ExprError(f"表达式语法错误（第 {exc.offset or 0} 个字符）：{self.text}") from None
        except (RecursionError, MemoryError):
            raise ExprError(f"表达式嵌套太深（最多 {MAX_DEPTH} 层）") from None
        self.depth = 0
        self.bound: list[Any] = []           # k0, k1 …: constants and closures the source names
        self.bindings: list[tuple] = []      # how each was made (exprkeep), to keep the plan
        self.resolutions: list[tuple[str, Any, bool]] = []    # each global name resolved, in order
        self.spots = {id(node): index for index, node in enumerate(ast.walk(tree))}
        self.count = 0                       # for fresh identifiers
        self.functions: list[_Function] = []
        self.current = _Function("def _expression(engine, local):", None)
        scope = {name: _LITERAL for name in self.local_names}
        result = self._node(tree.body, scope)
        self.current.emit(f"return {result}")
        names = [f"k{i}" for i in range(len(self.bound))]
        source = [f"def _make({', '.join(names)}):"]
        for function in (*self.functions, self.current):
            source.extend("    " + line for line in function.source())
        source.append("    return _expression")
        code = compiled("\n".join(source) + "\n")
        if key is not None:
            keep(key, exprkeep.plan(code, self.resolutions, self.bindings))
        return self._made(code, self.bound)

    @staticmethod
    def _made(code: CodeType, bound: list[Any]) -> Closure:
        """The function of the generated ``code`` (never user text), its values bound."""
        from ..intake.records import Record  # not at the top: records imports expr, as this module does

        namespace = dict(_HELPERS, _Record=Record)
        exec(code, namespace)  # noqa: S102 - generated source, never user text
        return namespace["_make"](*bound)

    # -- writing source ---------------------------------------------------------------------
    def _fresh(self, prefix: str = "t") -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def _bind(self, value: Any, how: tuple) -> str:
        """A name for ``value`` in the source; ``how``: how a plan makes it again (exprkeep)."""
        self.bound.append(value)
        self.bindings.append(how)
        return f"k{len(self.bound) - 1}"

    def _resolve(self, name: str) -> tuple[Any, int]:
        """The resolver's closure of a global name, and its place among the names resolved."""
        self.globals_used.add(name)
        resolved = self.resolve_global(name)
        self.resolutions.append((name, getattr(resolved, "scalar", None), getattr(resolved, "fixed", None) is not None))
        return resolved, len(self.resolutions) - 1

    def _spot(self, node: ast.AST) -> str:
        """A name for where ``node`` is (for an error message)."""
        index = self.spots[id(node)]
        return self._bind(exprkeep.Spot(self.text.strip(), index), (exprkeep.SPOT, index))

    def _emit(self, line: str) -> None:
        self.current.emit(line)

    def _apart(self, node: ast.AST, scope: dict[str, str]) -> tuple[list[str], str]:
        """The statements for ``node`` written aside (to be placed later), and its value."""
        lines, self.current.lines = self.current.lines, []
        try:
            value = self._node(node, scope)
        finally:
            lines, self.current.lines = self.current.lines, lines
        return lines, value

    def _node(self, node: ast.AST, scope: dict[str, str]) -> str:
        """Write the statements computing ``node``; return a name (or literal) holding its value."""
        self.depth = getattr(self, "depth", 0) + 1
        try:
            if self.depth > MAX_DEPTH:
                raise ExprError(f"表达式嵌套太深（最多 {MAX_DEPTH} 层）")
            method = getattr(self, "_" + type(node).__name__, None)
            if method is None:
                raise ExprError(f"规则表达式中不允许使用 {type(node).__name__}：{ast.unparse(node)}")
            return method(node, scope)
        finally:
            self.depth -= 1

    # -- the accepted nodes -----------------------------------------------------------------
    def _Constant(self, node: ast.Constant, scope: dict[str, str]) -> str:
        value = node.value
        if isinstance(value, float):
            value = Decimal(ast.get_source_segment(self.text.strip(), node) or repr(value))
            return self._bind(value, (exprkeep.DECIMAL, str(value)))
        if not isinstance(value, (int, str, bool, type(None))):
            raise ExprError(f"不允许的常量：{value!r}")
        return self._bind(value, (exprkeep.CONSTANT, value))

    def _Name(self, node: ast.Name, scope: dict[str, str]) -> str:
        name = node.id
        if name.startswith("_"):
            raise ExprError(f"不允许以下划线开头的名字：{name}")
        if name in scope:
            return self._scoped(name, scope)
        if name in ("None", "True", "False"):  # pragma: no cover - parsed as Constant
            raise ExprError(name)
        return self._remembered((name,), lambda: self._global(name))

    def _global(self, name: str) -> str:
        """Read a global name (a figure, a rule's value, settings) into a fresh variable."""
        resolved, index = self._resolve(name)
        target = self._fresh()
        scalar = getattr(resolved, "scalar", None)
        if scalar is not None:  # an evaluated scalar is read without a call into the engine
            self._emit(f"{target} = engine._scalars.get({scalar!r}, _Missing)")
            self._emit(f"if {target} is _Missing:")
            self._emit(f"    {target} = engine.value({scalar!r})")
        else:
            self._emit(f"{target} = {self._bind(resolved, (exprkeep.RESOLVED, index))}(engine, local)")
        return target

    def _remembered(self, key: tuple, read: Callable[[], str]) -> str:
        """A read of a global name or of an attribute of one (or of a variable of ``local``),
        made at its first use in this function and remembered for the others: in a
        comprehension, once rather than at every turn. What a name or such an attribute gives
        does not change while an expression is evaluated (a rule's value is kept once made, a
        figure is what the file says), and a read that fails ends the evaluation, so reading
        it once is reading it every time. Each use tests whether it was read before: which
        uses are reached depends on the branches taken."""
        function = self.current
        held = function.remembered.get(key)
        if held is None:
            held = function.remembered[key] = self._fresh("h")
            function.prologue.append(f"{held} = _Unread")
        self._emit(f"if {held} is _Unread:")
        function.indent += 1
        self._emit(f"{held} = {read()}")
        function.indent -= 1
        return held

    def _scoped(self, name: str, scope: dict[str, str]) -> str:
        """A variable: a comprehension's (a Python local) or one of ``local`` (read at each use)."""
        if scope[name] != _LITERAL:
            return scope[name]
        target = self._fresh()
        self._emit(f"{target} = local[{name!r}]")
        return target

    def _Attribute(self, node: ast.Attribute, scope: dict[str, str]) -> str:
        if node.attr.startswith("_"):
            raise ExprError(f"不允许访问以下划线开头的属性：{node.attr}")
        name = node.attr
        value = node.value
        if isinstance(value, ast.Name) and scope.get(value.id, _LITERAL) == _LITERAL and \
                not value.id.startswith("_") and value.id not in ("None", "True", "False"):
            # ``item.x``, ``settings.x``: the same whenever this function reads it
            return self._remembered((value.id, name), lambda: self._attribute(node, scope))
        return self._attribute(node, scope)

    def _attribute(self, node: ast.Attribute, scope: dict[str, str]) -> str:
        name = node.attr
        if isinstance(node.value, ast.Name) and node.value.id in scope:
            obj = self._scoped(node.value.id, scope)  # ``item.x``: not a level of its own
        else:
            obj = self._node(node.value, scope)
        target = self._fresh()
        self._emit(f"if type({obj}) is _Record:")
        self._record_read(obj, repr(name), target)
        self._emit("else:")
        self._emit(f"    {target} = _attribute_of({obj}, {name!r})")
        return target

    def _record_read(self, obj: str, name: str, target: str) -> None:
        """``target = obj.rule_attr(name)`` for a Record, the commonest cases written out (a
        call fewer for the commonest read of all), in rule_attr's order: a rule's value, a
        field that no rule replaces; a rule to run or a figure not given is left to rule_attr."""
        self._emit(f"    {target} = {obj}._values.get({name}, _Missing)")
        self._emit(f"    if {target} is _Missing:")
        self._emit(f"        {target} = {obj}._fields.get({name}) if {name} not in {obj}._rules else None")
        self._emit(f"        if {target} is None:")
        self._emit(f"            {target} = {obj}.rule_attr({name})")

    def _Subscript(self, node: ast.Subscript, scope: dict[str, str]) -> str:
        if isinstance(node.slice, ast.Slice):
            # compiled object first, computed after its bounds (as before); a step is ignored
            lines, obj = self._apart(node.value, scope)
            bounds = [self._node(b, scope) if b is not None else "None"
                      for b in (node.slice.lower, node.slice.upper)]
            self.current.lines.extend(lines)
            target = self._fresh()
            self._emit(f"{target} = {obj}[{bounds[0]}:{bounds[1]}]")
            return target
        obj = self._node(node.value, scope)
        target = self._fresh()
        key = self._node(node.slice, scope)
        self._item_read(obj, key, target, "if")
        return target

    def _item_read(self, obj: str, key: str, target: str, keyword: str) -> None:
        """``obj[key]`` into ``target``: a Record's item as Record.rule_item reads it, anything
        else through _item_of; ``keyword`` (if / elif) opens the Record branch."""
        self._emit(f"{keyword} type({obj}) is _Record:")
        name = self._fresh()
        self._emit(f"    {name} = str({key})  # what Record.rule_item does")
        self._record_read(obj, name, target)
        self._emit("else:")
        self._emit(f"    {target} = _item_of({obj}, {key})")

    def _BinOp(self, node: ast.BinOp, scope: dict[str, str]) -> str:
        op = _BINARY.get(type(node.op))
        if op is None:
            raise ExprError(f"不允许的运算符：{ast.unparse(node)}")
        a, b = self._node(node.left, scope), self._node(node.right, scope)
        target, where = self._fresh(), self._spot(node)
        self._emit("try:")
        self._emit(f"    {target} = " + op.format(a=a, b=b))
        self._emit("except _ARITHMETIC as error:")
        self._emit(f"    _binary_failed(error, {a}, {b}, {where})")
        return target

    def _UnaryOp(self, node: ast.UnaryOp, scope: dict[str, str]) -> str:
        operand = self._node(node.operand, scope)
        if isinstance(node.op, ast.UAdd):
            return operand
        target = self._fresh()
        if isinstance(node.op, ast.Not):
            self._emit(f"{target} = not {operand}")
        elif isinstance(node.op, ast.USub):
            self._emit(f"if isinstance({operand}, _Missing):")
            self._emit(f"    raise _MissingFigure({operand}.path, {operand}.location)")
            self._emit(f"{target} = -{operand}")
        else:
            raise ExprError(f"不允许的运算符：{ast.unparse(node)}")
        return target

    def _BoolOp(self, node: ast.BoolOp, scope: dict[str, str]) -> str:
        # ``a and b and c``: each part only while the value so far is true (false for ``or``);
        # the guards follow each other rather than nest, so the source stays flat.
        guard = "if {}:" if isinstance(node.op, ast.And) else "if not {}:"
        target = self._fresh()
        for index, part in enumerate(node.values):
            if index:
                self._emit(guard.format(target))
                self.current.indent += 1
            self._emit(f"{target} = {self._node(part, scope)}")
            if index:
                self.current.indent -= 1
        return target

    def _Compare(self, node: ast.Compare, scope: dict[str, str]) -> str:
        left = self._node(node.left, scope)
        target, where = self._fresh(), self._spot(node)
        for index, (op, comparator) in enumerate(zip(node.ops, node.comparators)):
            if index:  # a chain stops at the first comparison that is false
                self._emit(f"if {target}:")
                self.current.indent += 1
            right = self._node(comparator, scope)
            self._emit("try:")
            self._emit(f"    {target} = True if " + _compare_op(op, comparator).format(a=left, b=right) + " else False")
            self._emit("except TypeError:")
            self._emit(f"    _compare_failed({left}, {right}, {where})")
            if index:
                self.current.indent -= 1
            left = right
        return target

    def _IfExp(self, node: ast.IfExp, scope: dict[str, str]) -> str:
        test = self._node(node.test, scope)
        target = self._fresh()
        self._emit(f"if {test}:")
        self.current.indent += 1
        self._emit(f"{target} = {self._node(node.body, scope)}")
        self.current.indent -= 1
        self._emit("else:")
        self.current.indent += 1
        self._emit(f"{target} = {self._node(node.orelse, scope)}")
        self.current.indent -= 1
        return target

    def _List(self, node: ast.List | ast.Tuple, scope: dict[str, str]) -> str:
        items = [self._node(e, scope) for e in node.elts]
        target = self._fresh()
        self._emit(f"{target} = [{', '.join(items)}]")
        return target

    _Tuple = _List

    def _Call(self, node: ast.Call, scope: dict[str, str]) -> str:
        functions = set(getattr(self.resolve_global, "functions", ()))
        if not isinstance(node.func, ast.Name) or node.func.id not in functions:
            raise ExprError(f"不允许调用：{ast.unparse(node.func)}（可用函数：{'、'.join(sorted(functions))}）")
        name = node.func.id
        # The function is looked up before its arguments are computed (as it always was).
        lines, args = self._apart_all(node.args, scope)
        kw_lines, kwargs = self._apart_all([k.value for k in node.keywords if k.arg], scope)
        keywords = [k.arg for k in node.keywords if k.arg]
        function, index = self._resolve(name)
        fixed = getattr(function, "fixed", None)  # a function that is the same for every engine
        if fixed is not None and not keywords and len(args) <= 2:
            callee = self._bind(fixed, (exprkeep.FIXED, index))
        else:
            callee = self._fresh()
            self._emit(f"{callee} = {self._bind(function, (exprkeep.RESOLVED, index))}(engine, local)")
        self.current.lines.extend(lines + kw_lines)
        target = self._fresh()
        passed = list(args)
        if keywords:
            passed.append("**{" + ", ".join(f"{k!r}: {v}" for k, v in zip(keywords, kwargs)) + "}")
        self._emit(f"{target} = {callee}({', '.join(passed)})")
        return target

    def _apart_all(self, nodes: list[ast.expr], scope: dict[str, str]) -> tuple[list[str], list[str]]:
        lines, self.current.lines = self.current.lines, []
        try:
            values = [self._node(n, scope) for n in nodes]
        finally:
            lines, self.current.lines = self.current.lines, lines
        return lines, values

    def _comprehension(self, node: ast.ListComp | ast.GeneratorExp, scope: dict[str, str]) -> str:
        if len(node.generators) != 1 or not isinstance(node.generators[0].target, ast.Name):
            raise ExprError(f"推导式只能有一个 for 和一个变量：{ast.unparse(node)}")
        generator = node.generators[0]
        source = self._node(generator.iter, scope)
        # The loop is a function of its own: loops never nest in one function, and a nested
        # comprehension shares the turn counter of the one it is written in.
        outer = self.current
        shared = [v for v in dict.fromkeys(scope.values()) if v != _LITERAL]
        name, var, result = self._fresh("_c"), self._fresh("v"), self._fresh("r")
        self.current = _Function(f"def {name}(engine, local, work, src{''.join(', ' + v for v in shared)}):",
                                 "work")
        inner = {**scope, generator.target.id: var}
        self._emit(f"{result} = []")
        self._emit(f"for {var} in src:")
        self.current.indent += 1
        self._emit("work[0] += 1")
        self._emit("if work[0] > _MAX_WORK:")
        self._emit("    _too_much_work()")
        self._conditions(generator.ifs, inner)
        self._emit(f"{result}.append({self._node(node.elt, inner)})")
        self.current.indent = 1
        self._emit(f"return {result}")
        self.functions.append(self.current)
        self.current = outer
        target = self._fresh()
        work = outer.work or "[0]"
        self._emit(f"{target} = {name}(engine, local, {work}, {source}{''.join(', ' + v for v in shared)})")
        return target

    def _conditions(self, ifs: list[ast.expr], scope: dict[str, str]) -> None:
        """A comprehension's conditions, each only while the ones before hold, and the block
        (one level in) where they all do; the caller ends the block."""
        guard = None
        for condition in ifs:
            if guard is not None:
                self._emit(f"if {guard}:")
                self.current.indent += 1
            value = self._node(condition, scope)
            if guard is None:
                guard = self._fresh()
                self._emit(f"{guard} = {value}")
            else:
                self._emit(f"{guard} = {value}")
                self.current.indent -= 1
        if guard is not None:
            self._emit(f"if {guard}:")
            self.current.indent += 1

    _ListComp = _comprehension
    _GeneratorExp = _comprehension
