"""A built-in format's phrases for the fast render: each compiled once into one Python function.

:mod:`narrator.text.phrasing` parses a simple phrase (text, ``{{ name }}``, ``{{ c.attr|filter… }}``)
into pieces: texts, and the name, attributes and one-argument filters of each printed value. The
fast render (:mod:`narrator.text.lean`) turns those pieces into a function that joins them in one
expression, instead of walking the pieces for every use (a phrase was a tenth of a render).

The function's source is written from the pieces' *shape* only: every text, name, attribute
name and filter is bound as a value (``k0``, ``k1`` …) in the function's namespace, never pasted
into the source, whose only other names are ``names``, ``c`` (the record), ``get``, ``show``,
``p`` (a printed value) and those of a record's attribute read inline (``Record``, ``PLAIN``,
``ABSENT``, ``o``, ``v`` and the record's ``_values``, ``_rules``, ``_fields``)
(tests/test_lean_render.py feeds hostile phrases and checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .environment import FILTERS
from .lean import TEXT_FILTERS
from .leanvalues import _RECORD_NAMES, ABSENT, LEAN_FILTERS, PLAIN, Record, lean_get, lean_print
from .phrasing import Phrase

#: The filter a phrase's parsed steps name (the sandbox's) → the one the fast render calls.
_LEAN_STEP = {function: LEAN_FILTERS[name] for name, function in FILTERS.items()}
#: Filters (as the fast render calls them) whose value is always text: printed as it is.
_TEXT = frozenset(LEAN_FILTERS[name] for name in TEXT_FILTERS if name in LEAN_FILTERS)


def phrase_source(chains: list[str | tuple[str, tuple]]) -> tuple[str, dict[str, Any]]:
    """The source of ``phrase(names, c)`` for a parsed phrase, and the values its ``k…`` names are."""
    bound: dict[str, Any] = {}

    def bind(value: Any) -> str:
        key = f"k{len(bound)}"
        bound[key] = value
        return key

    pieces = []
    for part in chains:
        if part.__class__ is str:
            pieces.append(bind(part))
            continue
        name, steps = part
        expression, text = "c" if name == "c" else f"names[{bind(name)}]", False
        for step in steps:
            if step.__class__ is str:
                expression, text = _attribute(expression, step, bind), False
            else:
                function = _LEAN_STEP.get(step, step)
                expression, text = f"{bind(function)}({expression})", function in _TEXT
        pieces.append(expression if text else f"(p if (p := {expression}).__class__ is str else show(p))")
    return f"def phrase(names, c):\n    return ''.join(({''.join(p + ', ' for p in pieces)}))\n", bound


def _attribute(expression: str, name: str, bind: Callable[[Any], str]) -> str:
    """``expression.name``: a record's plain value read from its dictionaries here, as the fast
    render's templates read it (:class:`narrator.text.lean.LeanCode`), anything else by ``get``.
    (The inner expression has finished with ``o`` and ``v`` before the outer one assigns them.)"""
    key = bind(name)
    if name in _RECORD_NAMES:
        return f"get({expression}, {key})"
    return (f"(v if (o := {expression}).__class__ is Record and ((v := o._values.get({key}, ABSENT)).__class__ "
            f"in PLAIN or (v is ABSENT and {key} not in o._rules and (v := o._fields.get({key})).__class__ in PLAIN)) "
            f"else get(o, {key}))")


def compile_phrase(chains: list[str | tuple[str, tuple]]) -> Callable[[dict[str, Any]], str]:
    """``phrase(names, c)``: the text of a parsed phrase for the record ``c`` and the other names it
    prints (see the module)."""
    source, bound = phrase_source(chains)
    namespace = {"get": lean_get, "show": lean_print, "Record": Record, "PLAIN": PLAIN, "ABSENT": ABSENT, **bound}
    exec(compile(source, "<phrase>", "exec"), namespace)  # noqa: S102 - written from the shape only
    return namespace["phrase"]


def phrase_function(compiled: dict[tuple[str, str], Phrase], shared: dict[str, Any]) -> Any:
    """``phrase(group, record)`` as :func:`narrator.text.render._phrase_function` gives it when
    nothing is explained, a parsed phrase by its compiled function."""
    functions, uses = _functions(compiled)

    def phrase(group: str, record: Any, case: str | None = None) -> str:
        if not case:  # (the record's trend, as lean_get reads it: a rule's value)
            case = record._values.get("trend") if record.__class__ is Record else None
            if case.__class__ is not str:
                case = lean_get(record, "trend")
        key = (group, case)
        function = functions.get(key)
        if function is None:
            found = compiled[key]  # (a KeyError: the usual render says which)
            uses[key] = used = uses.get(key, 0) + 1
            if used < COMPILE_AFTER or (function := _compiled(functions, found, key)) is None:
                return found.render(shared, record)  # its template, or its parsed pieces
        return function(shared, record)
    return phrase


#: Uses of a phrase before it is compiled: compiling costs some forty uses, so a cold command
#: that renders one document does not compile the phrases it uses a few times.
COMPILE_AFTER = 16


#: Each format's phrases (by the identity of its compiled phrases) → their functions so far, and
#: how often each phrase not yet compiled was used.
_FUNCTIONS: dict[int, tuple[dict, dict, dict]] = {}


def _functions(compiled: dict[tuple[str, str], Phrase]) -> tuple[dict, dict[tuple[str, str], int]]:
    known = _FUNCTIONS.get(id(compiled))
    if known is None or known[0] is not compiled:
        known = _FUNCTIONS[id(compiled)] = (compiled, {}, {})  # (the phrases kept: their id is not reused)
    return known[1], known[2]


def _compiled(functions: dict, phrase: Phrase, key: tuple[str, str]) -> Any:
    """The phrase's function, once its pieces are parsed (see ``Phrase.direct``); None for a phrase
    that is not simple."""
    phrase.direct()
    if phrase.chains is None:
        return None
    function = functions[key] = compile_phrase(phrase.chains)
    return function
