"""What :mod:`narrator.compute.exprcode` makes of an expression, kept so that a cold command need not make it again.

Compiling the ~180 expressions of a format's rules and checks (parsing each, walking its tree,
writing its source) was a tenth of a cold ``narrator render``, ``check`` or ``lint``, though the
code objects themselves were already kept (:mod:`narrator.caches.codecache`). So the bundle of a rule
set keeps, for each expression, its *plan*: the code object of the generated source, the global
names it resolved (in order, with what the resolver gave: a scalar read inline, a function the
same for every engine) and what each bound value ``k0``, ``k1`` … is — a constant, a number
written with a fraction (kept as its text), the place of an operator in the expression (for an
error message) or a name's resolution. Nothing of the expression's text is ever compiled.

A plan is looked up by the SHA-256 of the expression, the names it may use as variables, the
functions it may call and this module's and exprcode's own code; it is used only when the
resolver gives every name as it did (else the expression is compiled as before), and a name the
resolver no longer knows is compiled again, so its error is exprcode's own.
"""

from __future__ import annotations

import ast
import hashlib
from decimal import Decimal
from functools import cache
from itertools import islice
from pathlib import Path
from types import CodeType
from typing import Any, Callable

#: How a bound value is kept: a constant, a Decimal (its text), an operator's place, a resolved
#: name (its closure) or that closure's ``fixed`` function.
CONSTANT, DECIMAL, SPOT, RESOLVED, FIXED = "k", "d", "s", "r", "f"


class Spot:
    """Where an operator is in an expression: found again (the text parsed anew) only when an
    error message shows it, as ``ast.unparse`` of its node showed it."""

    __slots__ = ("text", "index")

    def __init__(self, text: str, index: int) -> None:
        self.text, self.index = text, index

    def shown(self) -> str:
        tree = ast.parse(self.text, mode="eval")
        return ast.unparse(next(islice(ast.walk(tree), self.index, None)))


@cache
def _salted() -> Any:
    """A SHA-256 fed with the code that writes and replays plans (hashed once, copied per key)."""
    here = Path(__file__).resolve().parent
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in ("exprcode.py", "exprkeep.py")))


def key_of(text: str, local_names: frozenset[str], functions: Any) -> str | None:
    """The key of an expression's plan (None: no plan, in an installation without sources)."""
    try:
        digest = _salted().copy()
    except OSError:
        return None
    digest.update(repr((text, sorted(local_names), sorted(functions or ()))).encode("utf-8"))
    return "plan-" + digest.hexdigest()


def plan(code: CodeType, resolutions: list[tuple[str, Any, bool]], bindings: list[tuple]) -> tuple:
    """The plain data kept of an expression compiled to ``code``."""
    return (code, tuple(resolutions), tuple(bindings))


def replay(kept: Any, text: str, resolve_global: Callable[[str], Any], used: set[str]) -> tuple | None:
    """(code, bound values) of a kept plan, the names resolved again (added to ``used``); None
    when it is not a plan or the resolver gives a name otherwise than when it was made."""
    try:
        code, resolutions, bindings = kept
        if code.__class__ is not CodeType:
            return None
        resolved = []
        for name, scalar, fixed in resolutions:
            closure = resolve_global(name)
            if getattr(closure, "scalar", None) != scalar or (getattr(closure, "fixed", None) is not None) != fixed:
                return None
            resolved.append(closure)
        bound = [_value(how, value, text, resolved) for how, value in bindings]
    except Exception:  # an unknown name (compiled again: its message is exprcode's), or not a plan
        return None
    used.update(name for name, _, _ in resolutions)
    return code, bound


def _value(how: str, value: Any, text: str, resolved: list) -> Any:
    if how == CONSTANT and value.__class__ in (int, str, bool, type(None)):
        return value
    if how == DECIMAL:
        return Decimal(value)
    if how == SPOT:
        return Spot(text, int(value))
    if how == RESOLVED:
        return resolved[value]
    if how == FIXED:
        return resolved[value].fixed
    raise ValueError(how)
