"""A small, safe expression language for rules, compiled to Python closures.

Rule expressions are written in a subset of Python's expression syntax::

    sum(i.general for i in functional if i.listed)
    None if item.prior == 0 else item.change / abs(item.prior) * 100

The text is parsed with :mod:`ast` and only whitelisted nodes are accepted: arithmetic,
comparisons, ``and``/``or``/``not``, ``a if c else b``, attribute and item access (never
to names starting with ``_``), literals, list/generator comprehensions and calls of the
functions the resolver offers (:data:`narrator.functions.FUNCTIONS` and the engine's own).
Nothing is passed to ``eval``/``exec``: each node becomes a
closure, built once per rule set, so evaluation is fast and cannot reach Python internals.
Numbers written in an expression (``100``, ``0.5``) are exact Decimals.
"""

from __future__ import annotations

import ast
import operator
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any, Callable

Closure = Callable[[Any, dict], Any]


class ExprError(Exception):
    """An expression cannot be compiled or evaluated (wrapped into a RuleError by the engine)."""


class MissingFigure(ExprError):
    """An expression needed a figure that the figures file does not give."""

    def __init__(self, path: str, location: Any = None) -> None:
        super().__init__(path)
        self.path = path
        self.location = location


class Missing:
    """Stands for a figure that is not given: falsy, equal to None, fails in arithmetic."""

    __slots__ = ("path", "location")

    def __init__(self, path: str, location: Any = None) -> None:
        self.path = path
        self.location = location

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, Missing)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return f"<未提供 {self.path}>"


def is_missing(value: Any) -> bool:
    """True for None and for a :class:`Missing` figure."""
    return value is None or isinstance(value, Missing)


def fail_if_missing(*values: Any) -> None:
    """Raise :class:`MissingFigure` for the first value that is a missing figure."""
    for value in values:
        if isinstance(value, Missing):
            raise MissingFigure(value.path, value.location)


# -- access ----------------------------------------------------------------------------------

#: The classes whose ``rule_attr`` is how rules read them (records; registered by records.py):
#: an attribute of an object of exactly one of these types skips the checks in :func:`attribute`.
RULE_TYPES: set[type] = set()


def attribute(obj: Any, name: str) -> Any:
    """``obj.name`` as rules see it: records evaluate their rules; dicts give their keys."""
    getter = getattr(obj, "rule_attr", None)
    if getter is not None:
        return getter(name)
    if isinstance(obj, dict):
        if name in obj:
            return obj[name]
        raise MissingFigure(name)
    if isinstance(obj, Missing):
        raise MissingFigure(obj.path, obj.location)
    raise ExprError(f"{type(obj).__name__} 没有属性 “{name}”")


def item(obj: Any, key: Any) -> Any:
    """``obj[key]`` as rules see it; a key that is not there is a missing figure."""
    if isinstance(obj, Missing):
        raise MissingFigure(obj.path, obj.location)
    getter = getattr(obj, "rule_item", None)
    if getter is not None:
        return getter(key)
    try:
        return obj[key]
    except (KeyError, IndexError):
        raise MissingFigure(f"[{key}]") from None
    except TypeError:
        raise ExprError(f"不能对 {type(obj).__name__} 取 [{key!r}]") from None


def _divide(a: Any, b: Any) -> Any:
    """Exact division: two whole numbers divide as Decimals, never into a binary float."""
    if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool) and not isinstance(b, bool):
        return Decimal(a) / Decimal(b)
    return operator.truediv(a, b)


#: Bounds on what one expression may build: a rule computes figures, never megabytes of text.
MAX_TEXT = 5_000          # characters of an expression's text
MAX_DEPTH = 60            # nesting of its syntax tree
MAX_ITEMS = 1_000_000     # characters of a text or items of a list made by ``*`` or ``+``
MAX_WORK = 2_000_000      # turns of the comprehensions of one evaluation, nested ones included
_WORK = "\0work"          # the key of that count in the locals (no name of an expression has it)


_TOO_MUCH_WORK = f"推导式的总次数太多（最多 {MAX_WORK} 次）"


def _sized(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _multiply(a: Any, b: Any) -> Any:
    """``a * b``, refusing a repeated text or list larger than :data:`MAX_ITEMS` before building it."""
    for sequence, count in ((a, b), (b, a)):
        if _sized(sequence) and isinstance(count, int) and _sized(sequence) * count > MAX_ITEMS:
            raise ExprError(f"结果太大（超过 {MAX_ITEMS} 项）")
    return operator.mul(a, b)


def _add(a: Any, b: Any) -> Any:
    if _sized(a) + _sized(b) > MAX_ITEMS:
        raise ExprError(f"结果太大（超过 {MAX_ITEMS} 项）")
    return operator.add(a, b)


_BINARY = {
    ast.Add: _add, ast.Sub: operator.sub, ast.Mult: _multiply,
    ast.Div: _divide, ast.Mod: operator.mod,
}
_COMPARE = {
    ast.Eq: lambda a, b: a == b if not isinstance(b, Missing) else is_missing(a),
    ast.NotEq: lambda a, b: not (a == b if not isinstance(b, Missing) else is_missing(a)),
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: (is_missing(a) and is_missing(b)) or a is b,
    ast.IsNot: lambda a, b: not ((is_missing(a) and is_missing(b)) or a is b),
}


def _compare_op(op: ast.cmpop, comparator: ast.expr) -> Callable[[Any, Any], Any]:
    """The function for one comparison; ``==``/``!=`` with a literal number or text (never
    a missing figure) is Python's own."""
    if isinstance(comparator, ast.Constant) and isinstance(comparator.value, (int, str)) \
            and not isinstance(comparator.value, bool) and type(op) in (ast.Eq, ast.NotEq):
        return operator.eq if isinstance(op, ast.Eq) else operator.ne
    return _COMPARE[type(op)]


class Compiler:
    """Compiles one expression text into a closure ``fn(engine, local_vars)``.

    ``resolve_global(name)`` must return a closure for a global name or raise ExprError;
    it is how the engine lets expressions see figures and other rules.
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
        try:
            tree = ast.parse(self.text.strip(), mode="eval")
        except SyntaxError as exc:
            raise ExprError(f"表达式语法错误（第 {exc.offset or 0} 个字符）：{self.text}") from None
        except (RecursionError, MemoryError):
            raise ExprError(f"表达式嵌套太深（最多 {MAX_DEPTH} 层）") from None
        self.depth = 0
        return self._node(tree.body, self.local_names)

    def _node(self, node: ast.AST, scope: frozenset[str]) -> Closure:
        self.depth = getattr(self, "depth", 0) + 1
        try:
            if self.depth > MAX_DEPTH:
                raise ExprError(f"表达式嵌套太深（最多 {MAX_DEPTH} 层）")
            return self._build(node, scope)
        finally:
            self.depth -= 1

    def _build(self, node: ast.AST, scope: frozenset[str]) -> Closure:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExprError(f"规则表达式中不允许使用 {type(node).__name__}：{ast.unparse(node)}")
        return method(node, scope)

    def _Constant(self, node: ast.Constant, scope: frozenset[str]) -> Closure:
        value = node.value
        if isinstance(value, float):
            value = Decimal(ast.get_source_segment(self.text.strip(), node) or repr(value))
        elif not isinstance(value, (int, str, bool, type(None))):
            raise ExprError(f"不允许的常量：{value!r}")
        return lambda engine, local: value

    def _Name(self, node: ast.Name, scope: frozenset[str]) -> Closure:
        name = node.id
        if name.startswith("_"):
            raise ExprError(f"不允许以下划线开头的名字：{name}")
        if name in scope:
            return lambda engine, local: local[name]
        if name in ("None", "True", "False"):  # pragma: no cover - parsed as Constant
            raise ExprError(name)
        self.globals_used.add(name)
        return self.resolve_global(name)

    def _Attribute(self, node: ast.Attribute, scope: frozenset[str]) -> Closure:
        if node.attr.startswith("_"):
            raise ExprError(f"不允许访问以下划线开头的属性：{node.attr}")
        name = node.attr
        kinds = RULE_TYPES
        if isinstance(node.value, ast.Name) and node.value.id in scope:
            var = node.value.id  # the commonest case, ``item.amount``: read the variable directly
            # The body below repeats attribute_of's on purpose: these closures run ~1,000 times
            # a document, and sharing one helper would cost a call each time (bench/compare.py).

            def local_attribute(engine: Any, local: dict) -> Any:
                obj = local[var]
                if type(obj) in kinds:
                    return obj.rule_attr(name)
                if type(obj) is dict:  # settings, declared: what attribute() does for a dict
                    if name in obj:
                        return obj[name]
                    raise MissingFigure(name)
                return attribute(obj, name)
            return local_attribute
        target = self._node(node.value, scope)

        def attribute_of(engine: Any, local: dict) -> Any:
            obj = target(engine, local)
            if type(obj) in kinds:
                return obj.rule_attr(name)
            if type(obj) is dict:  # settings, declared: what attribute() does for a dict
                if name in obj:
                    return obj[name]
                raise MissingFigure(name)
            return attribute(obj, name)
        return attribute_of

    def _Subscript(self, node: ast.Subscript, scope: frozenset[str]) -> Closure:
        target = self._node(node.value, scope)
        if isinstance(node.slice, ast.Slice):
            bounds = [self._node(b, scope) if b is not None else None
                      for b in (node.slice.lower, node.slice.upper)]

            def sliced(engine: Any, local: dict) -> Any:
                lo, hi = (b(engine, local) if b else None for b in bounds)
                return target(engine, local)[lo:hi]
            return sliced
        key = self._node(node.slice, scope)
        kinds = RULE_TYPES

        def subscript(engine: Any, local: dict) -> Any:
            obj = target(engine, local)
            if type(obj) in kinds:  # a record: what item() does, without its checks
                return obj.rule_item(key(engine, local))
            return item(obj, key(engine, local))
        return subscript

    def _BinOp(self, node: ast.BinOp, scope: frozenset[str]) -> Closure:
        op = _BINARY.get(type(node.op))
        if op is None:
            raise ExprError(f"不允许的运算符：{ast.unparse(node)}")
        left, right = self._node(node.left, scope), self._node(node.right, scope)

        def binary(engine: Any, local: dict) -> Any:
            a, b = left(engine, local), right(engine, local)
            try:
                return op(a, b)
            except TypeError:
                fail_if_missing(a, b)
                raise ExprError(f"无法计算 {a!r} 与 {b!r}（{ast.unparse(node)}）") from None
            except (DivisionByZero, InvalidOperation, ZeroDivisionError):
                raise ExprError(f"除数为零：{ast.unparse(node)}") from None
        return binary

    def _UnaryOp(self, node: ast.UnaryOp, scope: frozenset[str]) -> Closure:
        operand = self._node(node.operand, scope)
        if isinstance(node.op, ast.Not):
            return lambda engine, local: not operand(engine, local)
        if isinstance(node.op, ast.USub):
            def negate(engine: Any, local: dict) -> Any:
                value = operand(engine, local)
                fail_if_missing(value)
                return -value
            return negate
        if isinstance(node.op, ast.UAdd):
            return operand
        raise ExprError(f"不允许的运算符：{ast.unparse(node)}")

    def _BoolOp(self, node: ast.BoolOp, scope: frozenset[str]) -> Closure:
        parts = [self._node(v, scope) for v in node.values]
        if isinstance(node.op, ast.And):
            def both(engine: Any, local: dict) -> Any:
                value = True
                for part in parts:
                    value = part(engine, local)
                    if not value:
                        return value
                return value
            return both

        def either(engine: Any, local: dict) -> Any:
            value = False
            for part in parts:
                value = part(engine, local)
                if value:
                    return value
            return value
        return either

    def _Compare(self, node: ast.Compare, scope: frozenset[str]) -> Closure:
        first = self._node(node.left, scope)
        rest = [(_compare_op(op, c), self._node(c, scope)) for op, c in zip(node.ops, node.comparators)]
        if len(rest) == 1:
            (op, second), = rest

            def compare_one(engine: Any, local: dict) -> bool:
                left = first(engine, local)
                right = second(engine, local)
                try:
                    if not op(left, right):
                        return False
                except TypeError:
                    fail_if_missing(left, right)
                    raise ExprError(f"无法比较 {left!r} 与 {right!r}（{ast.unparse(node)}）") from None
                return True
            return compare_one

        def compare(engine: Any, local: dict) -> bool:
            left = first(engine, local)
            for op, comparator in rest:
                right = comparator(engine, local)
                try:
                    if not op(left, right):
                        return False
                except TypeError:
                    fail_if_missing(left, right)
                    raise ExprError(f"无法比较 {left!r} 与 {right!r}（{ast.unparse(node)}）") from None
                left = right
            return True
        return compare

    def _IfExp(self, node: ast.IfExp, scope: frozenset[str]) -> Closure:
        test, body, orelse = (self._node(n, scope) for n in (node.test, node.body, node.orelse))
        return lambda engine, local: body(engine, local) if test(engine, local) else orelse(engine, local)

    def _List(self, node: ast.List, scope: frozenset[str]) -> Closure:
        items = [self._node(e, scope) for e in node.elts]
        return lambda engine, local: [item(engine, local) for item in items]

    _Tuple = _List

    def _Call(self, node: ast.Call, scope: frozenset[str]) -> Closure:
        if not isinstance(node.func, ast.Name) or node.func.id not in self._functions():
            raise ExprError(f"不允许调用：{ast.unparse(node.func)}（可用函数：{'、'.join(sorted(self._functions()))}）")
        name = node.func.id
        args = [self._node(a, scope) for a in node.args]
        kwargs = {k.arg: self._node(k.value, scope) for k in node.keywords if k.arg}
        self.globals_used.add(name)
        function = self.resolve_global(name)
        fixed = getattr(function, "fixed", None)  # a function that is the same for every engine
        if fixed is not None and not kwargs and len(args) <= 2:
            if len(args) == 1:
                only, = args
                return lambda engine, local: fixed(only(engine, local))
            if len(args) == 2:
                first, second = args
                return lambda engine, local: fixed(first(engine, local), second(engine, local))

        def call(engine: Any, local: dict) -> Any:
            fn = function(engine, local)
            return fn(*(a(engine, local) for a in args), **{k: v(engine, local) for k, v in kwargs.items()})
        return call

    def _functions(self) -> set[str]:
        return set(getattr(self.resolve_global, "functions", ()))

    def _comprehension(self, node: ast.ListComp | ast.GeneratorExp, scope: frozenset[str]) -> Closure:
        if len(node.generators) != 1 or not isinstance(node.generators[0].target, ast.Name):
            raise ExprError(f"推导式只能有一个 for 和一个变量：{ast.unparse(node)}")
        generator = node.generators[0]
        var = generator.target.id
        source = self._node(generator.iter, scope)
        inner = scope | {var}
        conditions = [self._node(c, inner) for c in generator.ifs]
        element = self._node(node.elt, inner)

        if len(conditions) <= 1:
            condition = conditions[0] if conditions else None

            def simple_comprehension(engine: Any, local: dict) -> list:
                result = []
                child = dict(local)
                work = child.setdefault(_WORK, [0])  # shared with the comprehensions nested in it
                for value in source(engine, local):
                    work[0] += 1
                    if work[0] > MAX_WORK:
                        raise ExprError(_TOO_MUCH_WORK)
                    child[var] = value
                    if condition is None or condition(engine, child):
                        result.append(element(engine, child))
                return result
            return simple_comprehension

        def comprehension(engine: Any, local: dict) -> list:
            result = []
            child = dict(local)
            work = child.setdefault(_WORK, [0])
            for value in source(engine, local):
                work[0] += 1
                if work[0] > MAX_WORK:
                    raise ExprError(_TOO_MUCH_WORK)
                child[var] = value
                if all(c(engine, child) for c in conditions):
                    result.append(element(engine, child))
            return result
        return comprehension

    _ListComp = _comprehension
    _GeneratorExp = _comprehension
