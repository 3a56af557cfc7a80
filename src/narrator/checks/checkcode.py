"""Each check compiled into one Python function: the fast path of :func:`narrator.checks.check.run_checks`.

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
from ..caches.codecache import bundle, compiled
from ..compute.engine import RuleFailed
from ..compute.expr import MAX_TEXT, ExprError
from ..compute.functions import FUNCTIONS
from ..compute.exprcode import _HELPERS, _LITERAL, Compiler, _Function
from ..compute.rules import KnownNames, load_rule_sets
from ..numbers import format_amount

CheckCode = Callable[[Any, dict, list, Any], None]
"""``fn(engine, settings, outcomes, run)``: appends every check's outcomes; ``run`` is the reference."""


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

#: The code of each rule set's checks, by rule sets, checks and scalar names: (the checks, kept so
#: that their id stays theirs, and None until they ran once, then their function).
_MADE: dict[tuple, tuple[list, CheckCode | None]] = {}


def fast_checks(rule_sets: tuple[str, ...], checks: list[Any], names: frozenset[str]) -> CheckCode | None:
    """The code of ``checks`` (None the first time they are asked for in this process)."""
    key = (rule_sets, id(checks), names)
    kept = _MADE.get(key)
    if kept is None or kept[0] is not checks:  # the first run: the reference alone, remembered
        if len(_MADE) >= 16:
            _MADE.clear()
        _MADE[key] = (checks, None)
        return None
    if kept[1] is None:
        kept = _MADE[key] = (checks, make(rule_sets, checks, names))
    return kept[1]


def make(rule_sets: tuple[str, ...], checks: list[Any], names: frozenset[str]) -> CheckCode:
    """The function of ``checks``; one that cannot be compiled (as one with a placeholder the
    reference would refuse) is handed to the reference, which reports it."""
    scalars = load_rule_sets(rule_sets).scalars
    with bundle(f"check code {' '.join(rule_sets)}"):
        return _CheckCompiler(resolver(KnownNames(scalars)), resolver(KnownNames(names))).checks(checks)


_ITEM = "\0item"  # the key of what is remembered of the record (see _CheckCompiler._Attribute)
_NO_ITEM = {"settings": _LITERAL, "item": _LITERAL}    # names read from ``local`` (see Compiler._scoped)
_ITEM_SCOPE = {"settings": _LITERAL, "item": "item"}  # ``item``: the loop's variable
_PATH = "item._path if type(item) is _Record else _path_of(item)"  # what Record.path gives


class _CheckCompiler(Compiler):
    """Writes a rule set's checks as one function, their expressions by the Compiler's own node methods."""

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
        # ``settings`` is read from ``local`` (so ``settings.x`` is read once per call), ``item`` is
        # the loop's in a check's expressions on its records (set per check: see _check)
        self.scope = _NO_ITEM
        self.used: set[tuple] = set()  # what the check being written remembers of its record

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

    def checks(self, checks: list[Any]) -> CheckCode:
        """The function of every check, in order: a check that cannot be written (unavailable,
        or refused) is handed to the reference whole, at its place."""
        self._emit("local = {'settings': merged}")
        fors: dict[str, str] = {}  # a ``for`` text → the variable of its records (None: not read)
        made = []
        for check in checks:
            state = self._state()
            try:
                if check.unavailable:
                    raise ExprError(check.unavailable)
                self._check(check, fors)
            except (ExprError, SyntaxError, RecursionError, MemoryError):
                self._restore(state)
                self._emit(f"run.every({self._bind(check, None)})")
                made.append(False)
            else:
                made.append(True)
        code = self._made_check()
        code.made = tuple(made)  # type: ignore[attr-defined]  # which checks have code (for tests)
        return code

    def _state(self) -> tuple:
        current = self.current
        return (len(current.lines), len(current.prologue), dict(current.remembered), current.indent,
                len(self.functions), len(self.bound), len(self.bindings), len(self.resolutions))

    def _restore(self, state: tuple) -> None:
        """Forget what a check that could not be written left half written."""
        current = self.current
        lines, prologue, current.remembered, current.indent, functions, bound, bindings, resolutions = state
        del current.lines[lines:], current.prologue[prologue:], self.functions[functions:]
        del self.bound[bound:], self.bindings[bindings:], self.resolutions[resolutions:]

    def _check(self, check: Any, fors: dict[str, str]) -> None:
        """Write one check: its records, then each record's outcome (the common ones)."""
        me = self._bind(check, None)
        records = "(None,)"
        text = check.texts.get("for")
        # ``item`` is read from ``local``, which has none, where the reference has none either: in
        # ``for:`` and in a check without it (a KeyError, handed over: the reference raises it)
        self.scope = _NO_ITEM
        if text in fors:  # the same records as a check before (the reasons' two checks)
            records = fors[text]
            self._emit(f"if {records} is None:")
            self._emit(f"    run.every({me})")
        elif text is not None:
            records = self._fresh("records")
            self._emit("try:")
            self.current.indent += 1
            value = self._expression(text)
            self._emit(f"if isinstance({value}, _Missing):")
            self._emit("    raise _Unusual")
            self._emit(f"{records} = _list({value})")
            self.current.indent -= 1
            self._emit("except _Exception:")  # the reference words why (or raises as it does)
            self._emit(f"    run.every({me})")
            self._emit(f"    {records} = None")
        self._emit(f"for item in {records} or ():")
        self.current.indent += 1
        start = len(self.current.lines)
        self.used: set[tuple] = set()
        self._emit("try:")
        self.current.indent += 1
        if text is not None:
            self.scope = _ITEM_SCOPE
            self._emit("if item is None:")  # (the reference reads no item then)
            self._emit("    raise _Unusual")
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
        self.current.indent -= 1
        # what was remembered of a record is read anew for the next one
        held = self.current.remembered
        self.current.lines[start:start] = [f"        {held[key]} = _Unread" for key in sorted(self.used)]
        if text is not None:
            fors[text] = records

    def _remembered(self, key: tuple, read: Callable[[], str]) -> str:
        if key[0] == _ITEM and self.current.work is None:  # (in _check itself, not a comprehension)
            self.used.add(key)
        return super()._remembered(key, read)

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
        from ..intake.records import Record

        names = [f"k{i}" for i in range(len(self.bound))]
        source = [f"def _make({', '.join(names)}):"]
        for function in (*self.functions, self.current):
            source.extend("    " + line for line in function.source())
        source.append("    return _check")
        namespace = dict(_HELPERS, _Record=Record, _Outcome=Outcome, **_NAMESPACE)
        exec(compiled("\n".join(source) + "\n"), namespace)  # noqa: S102 - generated source, never user text
        return namespace["_make"](*self.bound)
