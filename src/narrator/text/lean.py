"""The built-in formats' fast render: the same templates, compiled to leaner code.

A built-in template rendered in :func:`narrator.text.environment.builtin_environment` pays, for
every value it prints, a ``finalize`` call (which only refuses ``None`` and, when explaining,
marks the value), an ``environment.getattr`` method and its record shortcut for every attribute,
``context.call`` for every ``label(…)``/``phrase(…)``/``want(…)``, a ``resolve`` call for each name
in every turn of a loop, and a generator step for every piece, passed up through every include.
When nothing is being explained none of that changes the text, so :func:`render_lean` renders
the same templates compiled by :class:`LeanCode`, which writes Jinja's own code with these done
directly (the functions it calls are in :mod:`narrator.text.leanvalues`):

- a value printed by a wording filter (``x|wan``, ``s|reason`` …: always text) is printed as it
  is; any other value is printed if it is text, else through ``lean_print`` (``str``, refusing
  ``None`` as ``finalize`` does);
- ``x.name`` of a record whose value is a plain number, text, record or list is read from the
  record's dictionaries in the code itself; anything else through ``lean_get`` (the trusted
  environment's ``getattr``);
- ``loop.index`` … and a plain dict's key (``options.x``) are read in the code too;
- ``label(…)``, ``phrase(…)``, ``want(…)`` and ``x.get(…)`` are called directly (none of them
  takes Jinja's context); a name is looked up in the context's dictionaries in the code, and a
  name the template never sets once at its start, not in every turn of a loop;
- a loop that reads ``loop`` only for its index, length and the like turns over a list with loop
  states made once per length (:func:`narrator.text.leanvalues.lean_loop`), not ``LoopContext``
  (which loops may, :mod:`narrator.text.leanscan` says from the parsed nodes);
- a template collects its pieces in a list and yields them joined, once; an include extends it,
  with a context that keeps the includer's names instead of copying them
  (:func:`narrator.text.leanvalues.lean_include`).

Only the code Jinja writes for its own parsed nodes is changed: nothing of a template's text is
pasted as code that Jinja would not paste itself. Any exception ends the fast render and the
caller renders again the usual way (:func:`narrator.text.render.render_engine`), so every error
keeps its message and template line; tests/test_lean_render.py renders every example, case and
fixture and generated departments both ways.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import LoopContext
from jinja2.idtracking import VAR_LOAD_ALIAS, VAR_LOAD_PARAMETER, VAR_LOAD_RESOLVE, VAR_LOAD_UNDEFINED

from ..caches.cachedir import caching_off
from ..resources import templates_dirs
from . import environment as _env
from .environment import _OPTIONS, FigureMissing, MissingValue, builtin_environment
from .leanscan import free_names, reads_loop_simply
from .leanvalues import _RECORD_NAMES, LEAN_FILTERS, LOOP_STATE_NAMES

#: Bump when the code :class:`LeanCode` writes changes: compiled templates are cached by it.
CODE_VERSION = 14

#: Filters that always give text (never ``None`` nor a value ``finalize`` would change).
TEXT_FILTERS = frozenset({"money", "money_trim", "percent", "count", "cn", "wan", "share", "purpose",
                          "names", "reason"})

#: Jinja's ``loop`` attributes (its properties and methods: what ``getattr`` gives).
LOOP_NAMES = frozenset(name for name in dir(LoopContext) if not name.startswith("_"))
#: A plain dict's own attributes: any other ``d.name`` is its key ``d['name']``.
DICT_NAMES = frozenset(dir(dict))

#: Callables a built-in template calls that never take Jinja's context: called directly.
DIRECT_CALLS = frozenset({"label", "phrase", "want"})


# -- the code generator --------------------------------------------------------------------------

class LeanCode(CodeGenerator):
    """Jinja's code generator, writing the four shortcuts of this module (see its docstring)."""

    _root: Frame | None = None
    _buffer_root = False
    _free: frozenset[str] = frozenset()

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        self.writeline("from narrator.text.leanvalues import lean_get as lean_get_, lean_print as lean_print_, "
                       "Record as lean_record_, PLAIN as lean_plain_, ABSENT as lean_absent_, "
                       "lean_include as lean_include_, LoopContext as lean_loop_, LoopState as lean_state_, "
                       "lean_loop as lean_loops_")
        # a template that extends another prints through its parent's code: left as Jinja writes it
        self._buffer_root = node.find(nodes.Extends) is None
        self._free = free_names(node)
        super().visit_Template(node, frame)

    # The root of a template collects its pieces in a list and yields them joined, once: a
    # yield per piece was a generator resume per printed value, passed up through every include.
    def enter_frame(self, frame: Frame) -> None:
        if self._buffer_root and frame.rootlevel and frame.buffer is None:
            self._buffer_root = False
            self._root = frame
            frame.buffer = "lean_out_"
            self.writeline("lean_out_ = []")
        if self._context_reference_stack[-1] != "context":
            super().enter_frame(frame)
            return
        # as Jinja's, but a name is looked up where it is (context.resolve_or_missing written
        # out): a loop looks up again, in every turn, each name its body reads first
        undefined = []
        for target, (action, param) in frame.symbols.loads.items():
            if action == VAR_LOAD_RESOLVE and param in self._free:
                self.writeline(f"{target} = lean_r_{param}")
            elif action == VAR_LOAD_RESOLVE:
                self.writeline(f"{target} = lean_vars_[{param!r}] if {param!r} in lean_vars_ "
                               f"else lean_parent_.get({param!r}, missing)")
            elif action == VAR_LOAD_ALIAS:
                self.writeline(f"{target} = {param}")
            elif action == VAR_LOAD_UNDEFINED:
                undefined.append(target)
            elif action != VAR_LOAD_PARAMETER:
                raise NotImplementedError("unknown load instruction")
        if undefined:
            self.writeline(f"{' = '.join(undefined)} = missing")

    def write_commons(self) -> None:
        super().write_commons()
        self.writeline("lean_vars_ = context.vars")  # (the same dictionaries for the whole render)
        self.writeline("lean_parent_ = context.parent")
        # a name the template never sets is what the context gives it at the start: looked up
        # once here, not in every turn of each loop that reads it
        for name in sorted(self._free):
            self.writeline(f"lean_r_{name} = lean_vars_[{name!r}] if {name!r} in lean_vars_ "
                           f"else lean_parent_.get({name!r}, missing)")

    def leave_frame(self, frame: Frame, with_python_scope: bool = False) -> None:
        super().leave_frame(frame, with_python_scope)
        if frame is self._root:
            self._root = None
            self.writeline("yield concat(lean_out_)")

    # A printed value: a text as it is, a plain int (year, loop.index) by str, anything else through
    # lean_print (written out: a call per printed name was a tenth of the render). The walrus names are this module's, not Jinja's
    # (``l_…``, ``t_…``); an inner expression has finished with them before the outer assigns.
    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not _prints_text(node):
            self.write("(lean_p_ if (lean_p_ := ")

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not _prints_text(node):
            self.write(").__class__ is str else str(lean_p_) if lean_p_.__class__ is int else lean_print_(lean_p_))")

    # ``x.name``: a record's figure or rule value that is a plain number or text is read from its
    # dictionaries right here (as lean_get reads it: a rule's value first, a figure unless a rule
    # has the name); ``loop.index`` … of Jinja's loop and a plain dict's key (``options.x``) too,
    # as lean_get would find them (a dict's key only after two failed attribute lookups there);
    # anything else is lean_get's. Only names of those fixed sets are written as attribute names.
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        name, attr = node.attr, repr(node.attr)
        if name in _RECORD_NAMES:
            self.write("(lean_o_.get if (lean_o_ := " if name == "get" else "lean_get_((lean_o_ := ")
            self.visit(node.node, frame)
            self.write(").__class__ is dict else lean_get_(lean_o_, 'get'))" if name == "get" else f"), {attr})")
            return
        self.write("(lean_v_ if (lean_o_ := ")
        self.visit(node.node, frame)
        self.write(f").__class__ is lean_record_ and ((lean_v_ := lean_o_._values.get({attr}, lean_absent_))"
                   f".__class__ in lean_plain_ or (lean_v_ is lean_absent_ and {attr} not in lean_o_._rules and "
                   f"(lean_v_ := lean_o_._fields.get({attr})).__class__ in lean_plain_)) else ")
        if name in LOOP_STATE_NAMES:
            self.write(f"lean_o_.{name} if lean_o_.__class__ is lean_loop_ or lean_o_.__class__ is lean_state_ else ")
        elif name in LOOP_NAMES:
            self.write(f"lean_o_.{name} if lean_o_.__class__ is lean_loop_ else ")
        if name not in DICT_NAMES:
            self.write(f"lean_o_[{attr}] if lean_o_.__class__ is dict and {attr} in lean_o_ else ")
        self.write(f"lean_get_(lean_o_, {attr}))")

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        callee = node.node
        direct = (isinstance(callee, nodes.Name) and callee.name in DIRECT_CALLS) or \
            (isinstance(callee, nodes.Getattr) and callee.attr == "get")
        if not direct or forward_caller or node.dyn_args or node.dyn_kwargs:
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        self.visit(callee, frame)
        self.write("(")
        for index, argument in enumerate([*node.args, *node.kwargs]):
            if index:
                self.write(", ")
            self.visit(argument, frame)
        self.write(")")

    # A loop whose body reads ``loop`` only as ``loop.index`` and its like, and hands it to no
    # include or macro, turns over a list without Jinja's LoopContext (leanvalues.lean_loop).
    _simple_loop = False

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        self._simple_loop = not node.recursive and node.test is None and reads_loop_simply(node)
        super().visit_For(node, frame)
        self._simple_loop = False

    def write(self, x: str) -> None:
        if self._simple_loop and x.endswith(" in LoopContext("):  # (what visit_For writes for it)
            self._simple_loop = False
            x = x[:-len("LoopContext(")] + "lean_loops_("
        super().write(x)

    def visit_Include(self, node: nodes.Include, frame: Frame) -> None:
        if node.ignore_missing or not node.with_context or self.environment.is_async:
            super().visit_Include(node, frame)
            return
        self.writeline("yield from " if frame.buffer is None else f"{frame.buffer}.extend(", node)
        self.write("lean_include_(environment, ")
        self.visit(node.template, frame)
        self.write(f", {self.name!r}, context, {self.dump_local_context(frame)})")
        if frame.buffer is not None:
            self.write(")")


def _prints_text(node: nodes.Expr) -> bool:
    return isinstance(node, nodes.Filter) and node.name in TEXT_FILTERS


class _Lean(jinja2.Environment):
    code_generator_class = LeanCode

    def getattr(self, obj: Any, attribute: str) -> Any:  # (constant folding at compile time)
        return builtin_environment().getattr(obj, attribute)


def _finalize_constant(value: Any) -> Any:
    """Constants printed by a template are checked when it is compiled, as ``finalize`` does."""
    if value is None:
        raise FigureMissing("要写入文字的值为空（None）")
    return value


@cache
def lean_environment() -> jinja2.Environment:
    """The built-in templates compiled by :class:`LeanCode` (read from the built-in folder only)."""
    env = _Lean(
        loader=jinja2.FileSystemLoader(str(templates_dirs()[-1])),
        undefined=MissingValue,
        finalize=_finalize_constant,
        bytecode_cache=_lean_cache(),
        **_OPTIONS,
    )
    env.filters.update(LEAN_FILTERS)
    return env


def _lean_cache() -> jinja2.BytecodeCache | None:
    if caching_off():
        return None
    # the code names the record's own attributes (left to lean_get): a change of them is another cache
    key = hashlib.sha256(repr((sorted(_OPTIONS.items()), jinja2.__version__, CODE_VERSION,
                               sorted(_RECORD_NAMES))).encode())
    try:
        return _env._TemplateCache(pattern=f"narrator-{key.hexdigest()[:12]}-%s.cache")
    except (OSError, RuntimeError):
        return None


#: The Jinja releases whose code generator LeanCode was written against and tested with: it
#: subclasses Jinja's CodeGenerator, whose internals may change in another minor release, where
#: the fast render is not used at all (the usual render gives the same text).
SUPPORTED_JINJA = ("3.1.",)


def lean_supported() -> bool:
    """Whether the installed Jinja is one the fast render was written for."""
    return jinja2.__version__.startswith(SUPPORTED_JINJA)


def render_lean(template_name: str, context: dict[str, Any]) -> str | None:
    """The text of a built-in template with ``context``, or None when anything went wrong (the
    caller then renders it the usual way, for the error's wording and place) or when the installed
    Jinja is not one it was written for."""
    if not lean_supported():
        return None
    try:
        template = lean_environment().get_template(template_name)
        # the names a template sees: its globals (a ChainMap, slow to copy: flattened once), then
        # the context's, as Template.new_context makes them
        names = {**_flat_globals(template), **context}
        return "".join(template.root_render_func(template.new_context(names, shared=True)))
    except Exception:  # noqa: BLE001 - the usual render says what it was, and where
        return None


_GLOBALS: dict[int, tuple[jinja2.Template, dict[str, Any]]] = {}


def _flat_globals(template: jinja2.Template) -> dict[str, Any]:
    known = _GLOBALS.get(id(template))
    if known is None or known[0] is not template:
        known = _GLOBALS[id(template)] = (template, dict(template.globals))
    return known[1]
