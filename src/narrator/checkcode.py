"""Each check compiled into one Python function: the fast path of :func:`narrator.check.run_checks`.

A check's expressions (``for``, ``when``, the ``where`` text's placeholders, ``total``/``parts``,
``left``/``right`` or ``expect``) are written by :class:`~narrator.compute.exprcode.Compiler`'s
own node methods into the body of one function, which loops over the check's records: ``item``
is a Python variable (no ``local`` dict per record, no call per expression), and a global name or
``settings.x`` is read once per document instead of once per record and expression.

The function decides only the common outcomes: a sum or an equality whose difference is exactly
zero (a pass with no detail), an ``expect`` that holds, and a ``when`` that is false (not
applicable). Anything else — a missing figure, a failed rule, a value that is not a Decimal, no
parts, any difference (a 尾差 or an error), any exception — hands that record (or, for its
``for:``, the whole check) to the reference checker, which evaluates it again from the start
(values already computed are remembered by the engine) and words every outcome and finding. The
expressions are evaluated in the reference's order, so the rules the engine runs on demand run
in the same order.

Safety is exprcode's: the source holds only fixed text of these two modules and identifiers they
make up; every value a check brings (its name, label, the ``where`` text's literal pieces) is
bound as a value (``k0`` …), never written as source, and the expression texts are never compiled.

The functions are made for a rule set's checks the second time they run in a process (a batch);
a single ``narrator check`` never pays for making them.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from typing import Any, Callable

from .checkeval import placeholders, resolver
from .codecache import bundle, compiled
from .compute.engine import RuleFailed
from .compute.expr import MAX_TEXT, ExprError
from .compute.functions import FUNCTIONS
from .compute.exprcode import _HELPERS, _LITERAL, Compiler, _Function
from .compute.rules import KnownNames, load_rule_sets
from .numbers import format_amount

CheckCode = Callable[[Any, dict, list, Any], None]
"""``fn(engine, settings, outcomes, run)``: appends the check's outcomes; ``run`` is the reference."""


class _Unusual(Exception):
    """Not a common outcome: the record goes to the reference checker."""


def _path_of(record: Any) -> str:
    return getattr(record, "path", "")


#: What the generated source names besides exprcode's helpers and its own identifiers.
_NAMESPACE: dict[str, Any] = {
    "_Unusual": _Unusual, "_ExprError": ExprError, "_RuleFailed": RuleFailed,
    "_format_amount": format_amount, "_path_of": _path_of, "_ZERO": Decimal(0),
    "_sum": sum, "_list": list, "_Exception": Exception, "_abs": abs,
}

#: The functions written out rather than called (see _CheckCompiler._Call).
_INLINE = ("given", "abs")

#: The code of each rule set's checks (by rule sets and scalar names): None until they ran once,
#: then a list with a function (or None: the reference alone) per check.
_MADE: dict[tuple, list[CheckCode | None] | None] = {}


def fast_checks(rule_sets: tuple[str, ...], checks: list[Any], names: frozenset[str]) -> list[CheckCode | None] | None:
    """The code of ``checks`` (None the first time they are asked for in this process)."""
    key = (rule_sets, id(checks), names)
    made = _MADE.get(key, _MADE)
    if made is _MADE:  # the first run: the reference alone, remembered to make the code next time
        _MADE[key] = None
        return None
    if made is None:
        made = _MADE[key] = make(rule_sets, checks, names)
    return made


def make(rule_sets: tuple[str, ...], checks: list[Any], names: frozenset[str]) -> list[CheckCode | None]:
    """A function for each check (None for one that is unavailable or cannot be compiled, as
    one with a placeholder the reference would refuse: the reference reports it)."""
    scalars = load_rule_sets(rule_sets).scalars
    found = [resolver(KnownNames(scalars)), resolver(KnownNames(names))]
    made: list[CheckCode | None] = []
    with bundle(f"check code {' '.join(rule_sets)}"):
        for check in checks:
            try:
                made.append(None if check.unavailable else _CheckCompiler(*found).check(check))
            except (ExprError, SyntaxError, RecursionError, MemoryError):
                made.append(None)
    return made


_ITEM = "\0item"  # the key of what is remembered of the record (see _CheckCompiler._Attribute)
_PATH = "item._path if type(item) is _Record else _path_of(item)"  # what Record.path gives


class _CheckCompiler(Compiler):
    """Writes one check as one function, its expressions by the Compiler's own node methods."""

    def __init__(self, resolve: Any, resolve_text: Any) -> None:
        super().__init__("", resolve, frozenset({"item", "settings"}))
        self.resolve = resolve
        self.resolve_text = resolve_text  # the placeholders' names: those of the engine's rule set
        self.depth = 0
        self.bound: list[Any] = []
        self.bindings: list[tuple] = []
        self.resolutions: list[tuple[str, Any, bool]] = []
        self.count = 0
        self.functions: list[_Function] = []
        self.current = _Function("def _check(engine, merged, out, run):", None)
        # ``settings`` is read from ``local`` (so ``settings.x`` is read once per call), ``item`` is the loop's
        self.scope = {"settings": _LITERAL, "item": "item"}

    def _expression(self, text: str, resolve: Any = None) -> str:
        """Write the statements of one expression; return the name holding its value."""
        if len(text) > MAX_TEXT:
            raise ExprError("too long")
        self.text = text
        self.resolve_global = resolve or self.resolve
        tree = ast.parse(text.strip(), mode="eval")
        self.spots = {id(node): index for index, node in enumerate(ast.walk(tree))}
        return self._node(tree.body, self.scope)

    def _line(self, line: str, indent: int = 0) -> None:
        self.current.indent += indent
        self._emit(line)
        self.current.indent -= indent

    def check(self, check: Any) -> CheckCode:
        """The function of ``check``."""
        me = self._bind(check, None)
        self._emit("local = {'settings': merged}")
        if "for" in check.texts:
            self._emit("try:")
            self.current.indent += 1
            records = self._expression(check.texts["for"])
            self._emit(f"if isinstance({records}, _Missing):")
            self._emit("    raise _Unusual")
            self._emit(f"records = _list({records})")
            self.current.indent -= 1
            self._emit("except _Exception:")  # the reference words why (or raises as it does)
            self._emit(f"    run.every({me})")
            self._emit("    return")
        else:
            self._emit("records = (None,)")
        self._emit("for item in records:")
        self.current.indent += 1
        start = len(self.current.lines)
        self._emit("try:")
        self.current.indent += 1
        target = self._target(check)
        if "when" in check.texts:
            when = self._expression(check.texts["when"])
            self._emit(f"if not {when}:")
            self._line(f"if isinstance({when}, _Missing):", 1)
            self._line("    raise _Unusual", 1)
            self._line(f"out.append(_Outcome({self._bind(check.name, None)}, {self._bind(check.label, None)}, "
                       f"{target}, 'n/a'))", 1)
            self._line("continue", 1)
        getattr(self, "_" + check.kind)(check)
        self.current.indent -= 1
        self._emit("except _Exception:")  # not a common outcome: the reference, from the start
        self._emit(f"    run.one({me}, item)")
        self._emit("    continue")
        self._emit(f"out.append(_Outcome({self._bind(check.name, None)}, {self._bind(check.label, None)}, "
                   f"{target}, 'pass'))")
        # what was remembered of a record is read anew for the next one
        self.current.lines[start:start] = [f"        {held} = _Unread" for key, held in self.current.remembered.items()
                                           if key[0] == _ITEM]
        return self._made_check()

    def _target(self, check: Any) -> str:
        """The outcome's target: the ``where`` text filled as the reference fills it."""
        if not check.where:
            self._emit(f"target = {_PATH}")
            return "target"
        pieces = placeholders(check.where)
        if len(pieces) == 1:
            return self._bind(check.where, None)
        made = []
        for n, piece in enumerate(pieces):
            if n % 2 == 0:
                if piece:
                    made.append(self._bind(piece, None))
            elif piece == "item.path":
                made.append(f"({_PATH})")
            else:
                filled = self._fresh("p")
                self._emit("try:")
                self.current.indent += 1
                value = self._expression(piece, self.resolve_text)
                self._emit(f"{filled} = _format_amount({value}) if isinstance({value}, _D) else str({value})")
                self.current.indent -= 1
                self._emit("except (_ExprError, _RuleFailed):")
                self._emit(f"    {filled} = '？'")
                made.append(filled)
        self._emit(f"target = ''.join(({', '.join(made)},))")
        return "target"

    def _amount(self, text: str) -> str:
        value = self._expression(text)
        self._emit(f"if {value}.__class__ is not _D:")
        self._emit("    raise _Unusual")
        return value

    def _sum(self, check: Any) -> None:
        total = self._amount(check.texts["total"])
        parts = self._expression(check.texts["parts"])
        self._emit(f"if {parts}.__class__ is not _list or not {parts}:")
        self._emit("    raise _Unusual")
        self._emit(f"for part in {parts}:")
        self._emit("    if part.__class__ is not _D:")
        self._emit("        raise _Unusual")
        self._emit(f"if {total} - _sum({parts}, _ZERO) != 0:")
        self._emit("    raise _Unusual")

    def _equal(self, check: Any) -> None:
        left = self._amount(check.texts["left"])
        right = self._amount(check.texts["right"])
        self._emit(f"if {left} - {right} != 0:")
        self._emit("    raise _Unusual")

    def _expect(self, check: Any) -> None:
        holds = self._expression(check.texts["expect"])
        self._emit(f"if not {holds}:")
        self._emit("    raise _Unusual")

    # -- what differs from the Compiler's: reads of the record, two functions written out -------
    def _Attribute(self, node: ast.Attribute, scope: dict[str, str]) -> str:
        """``item.x``, read once per record (in a comprehension, once per call: ``item`` is the
        same throughout), as the Compiler reads ``settings.x`` once: a record's field is what the
        file says and its rules' values are kept once made, and a read that fails ends the
        evaluation (here: hands the record to the reference)."""
        value = node.value
        if isinstance(value, ast.Name) and scope.get(value.id) == "item" and not node.attr.startswith("_"):
            return self._remembered((_ITEM, node.attr), lambda: self._attribute(node, scope))
        return super()._Attribute(node, scope)

    def _Call(self, node: ast.Call, scope: dict[str, str]) -> str:
        """``given(x)`` and ``abs(x)`` written out as the functions do them (a call or two fewer
        for each of the ~70 a document); any other call as the Compiler writes it."""
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in _INLINE and len(node.args) == 1 and not node.keywords \
                and not isinstance(node.args[0], ast.Starred) \
                and getattr(self.resolve_global(name), "fixed", None) is FUNCTIONS[name]:
            self._resolve(name)
            [arg] = node.args
            target = self._fresh()
            if name == "given" and isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) \
                    and scope.get(arg.value.id, _LITERAL) != _LITERAL and not arg.attr.startswith("_"):
                self._given_field(self._scoped(arg.value.id, scope), repr(arg.attr), target)
                return target
            value = self._node(arg, scope)
            if name == "given":
                self._emit(f"{target} = not ({value} is None or isinstance({value}, _Missing))")
            else:
                self._emit(f"if isinstance({value}, _Missing):")
                self._emit(f"    raise _MissingFigure({value}.path, {value}.location)")
                self._emit(f"{target} = _abs({value})")
            return target
        return super()._Call(node, scope)

    def _given_field(self, obj: str, name: str, target: str) -> None:
        """``given(obj.name)`` of a variable (the record, a comprehension's): read as rule_attr reads it,
        but a field written empty is not given without making the Missing that stands for it."""
        value = self._fresh()
        self._emit(f"if type({obj}) is _Record:")
        self._emit(f"    {value} = {obj}._values.get({name}, _Missing)")
        self._emit(f"    if {value} is _Missing:")
        self._emit(f"        {value} = {obj}._fields.get({name}, _Missing) if {name} not in {obj}._rules else _Missing")
        self._emit(f"        if {value} is _Missing:")
        self._emit(f"            {value} = {obj}.rule_attr({name})")
        self._emit("else:")
        self._emit(f"    {value} = _attribute_of({obj}, {name})")
        self._emit(f"{target} = not ({value} is None or isinstance({value}, _Missing))")

    def _made_check(self) -> CheckCode:
        from .check import Outcome  # not at the top: check imports this module
        from .intake.records import Record

        names = [f"k{i}" for i in range(len(self.bound))]
        source = [f"def _make({', '.join(names)}):"]
        for function in (*self.functions, self.current):
            source.extend("    " + line for line in function.source())
        source.append("    return _check")
        namespace = dict(_HELPERS, _Record=Record, _Outcome=Outcome, **_NAMESPACE)
        exec(compiled("\n".join(source) + "\n"), namespace)  # noqa: S102 - generated source, never user text
        return namespace["_make"](*self.bound)
