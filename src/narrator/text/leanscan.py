"""What a template's parsed nodes let the fast render (:mod:`narrator.text.lean`) write more simply.

Both questions are answered from Jinja's parsed nodes alone, before any code is written: which names
a template reads and never sets (looked up once at its start), and which loops read ``loop`` only
for the values a :class:`narrator.text.leanvalues.LoopState` holds. Whatever is not certain is left
to Jinja's own code.
"""

from __future__ import annotations

from jinja2 import nodes

from .leanvalues import LOOP_STATE_NAMES


def free_names(node: nodes.Template) -> frozenset[str]:
    """The names a template reads and never sets (no ``set``, loop target or parameter has them);
    none in a template with macros, blocks, imports or scopes, whose names Jinja resolves elsewhere."""
    if any(True for _ in node.find_all(_SCOPES)):
        return frozenset()
    loads, stores = set(), set()
    for name in node.find_all(nodes.Name):
        (loads if name.ctx == "load" else stores).add(name.name)
    return frozenset(loads - stores - {"loop", "caller", "varargs", "kwargs", "self"})


_SCOPES = (nodes.Macro, nodes.CallBlock, nodes.Block, nodes.Extends, nodes.Import, nodes.FromImport, nodes.FilterBlock,
           nodes.With, nodes.Scope, nodes.OverlayScope, nodes.ScopedEvalContextModifier, nodes.EvalContextModifier)


def reads_loop_simply(node: nodes.For) -> bool:
    """Whether every ``loop`` in the loop's body is ``loop.<a LoopState attribute>`` and the body
    has nothing that could take ``loop`` along unnamed (an include, import, macro, call or block)."""
    inside = [n for part in node.body for n in (part, *part.find_all(nodes.Node))]  # (find_all: below a node)
    if any(isinstance(n, _TAKES_CONTEXT) for n in inside):
        return False
    uses = [n for n in inside if isinstance(n, nodes.Name) and n.name == "loop"]
    read = [n for n in inside if isinstance(n, nodes.Getattr) and isinstance(n.node, nodes.Name)
            and n.node.name == "loop" and n.attr in LOOP_STATE_NAMES]
    return len(read) == len(uses)


_TAKES_CONTEXT = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Macro, nodes.CallBlock, nodes.Block,
                  nodes.Extends, nodes.FilterBlock, nodes.ScopedEvalContextModifier)
