"""Recurring wording written once in Python: the shared macros as filters, and fast phrases.

A macro call per amount (``p.wan(x)``) costs a Jinja call frame, a new context and a joined
output; the filters here (``x|wan``, ``x|share``, ``record|reason`` …) give the same text for a
plain function call. A format's ``phrases`` (``format.yaml``) that are only text, names,
attributes and these filters are evaluated straight from their parsed tree instead of a template
render per use. Both print exactly what the templates printed, including the markers
:mod:`narrator.text.explain` reads (each value goes through the environment's ``finalize``, as
``{{ value }}`` does). No code is generated from a phrase: its parsed nodes are only walked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import jinja2
from jinja2 import nodes

from . import environment as _env
from .templatework import counted


def _printed(value: Any) -> str:
    """What ``{{ value }}`` prints in a template (finalize, then str)."""
    return str(_env._finalize(value))


def wan(value: Any) -> str:
    """An amount with its unit, ``214.20万元`` (the shared macro ``p.wan``)."""
    return _printed(_env.money(value)) + "万元"


def share(value: Any) -> str:
    """``，占96.39%``; nothing when there is no share (``p.share``)."""
    if value is None:
        return ""
    return "，占" + _printed(_env.percent(value))


def purpose(text: Any) -> str:
    """``，主要用于……`` when there is a text (``p.purpose``)."""
    return "，主要用于" + _printed(text) if text else ""


def names(items: Iterable[Any], last: Any = "、") -> str:
    """Names joined with “、”, the last two with ``last`` (``p.names``); each name is counted
    against the render's work budget, as the macro's loop was."""
    return joined_names(list(counted(items)), last, _printed)


def joined_names(items: list[Any], last: Any, printed: Callable[[Any], str]) -> str:
    """``items`` printed in turn and joined with “、”, the last two with ``last`` (printed where it
    stands: explaining numbers the values in the order they are printed)."""
    parts = []
    final = len(items) - 1
    for index, item in enumerate(items):
        parts.append(printed(item))
        if index == final - 1:
            parts.append(printed(last))
        elif index != final:
            parts.append("、")
    return "".join(parts)


@jinja2.pass_context
def reason(context: Any, record: Any) -> str:
    """``，主要原因是……`` from the record's ``reason``; through ``want``, so a record that changed
    and has none gets a warning (``p.reason``)."""
    changed = context.environment.getattr(record, "trend") not in ("same", "zero")
    text = context.resolve("want")(record, "reason", "增减变化的主要原因", changed)
    return "，主要原因是" + _printed(text) if text else ""


FILTERS = {"wan": wan, "share": share, "purpose": purpose, "names": names, "reason": reason}
"""The shared macros as filters (registered with the number filters in the environment)."""


# -- phrases -------------------------------------------------------------------------------------

#: A piece of a phrase: its text, or a function of the names giving its printed value.
_Part = str | Callable[[dict[str, Any]], str]


class Phrase:
    """One compiled ``phrases.<group>.<case>``: its template, and a direct evaluation when the
    phrase is simple enough (text, ``{{ name }}``, ``{{ c.attr|filter… }}``).

    Parsing a phrase costs several of its renders, so a phrase is parsed only once it has been
    used :data:`PARSE_AFTER` times: a cold command that writes it once or twice does not pay for it.
    """

    def __init__(self, template: jinja2.Template, source: str, env: jinja2.Environment) -> None:
        self.template = template
        self._source = source
        self._env = env
        self._uses = 0
        self._parts: list[_Part] | None = None
        #: the same pieces as names and steps (see :func:`_chain`), for the fast render (lean)
        self.chains: list[str | tuple[str, tuple]] | None = None

    def direct(self) -> bool:
        """Whether the phrase is evaluated without its template (parsing it now if not yet)."""
        if self._uses < PARSE_AFTER:
            self._uses = PARSE_AFTER
            self._parse()
        return self._parts is not None

    def _parse(self) -> None:
        self.chains = _simple_chains(self._env, self._source)
        self._parts = None if self.chains is None else [
            part if part.__class__ is str else _printing(self._env.getattr, *part) for part in self.chains]

    def render(self, shared: dict[str, Any], record: Any, trace: bool = False) -> str:
        """The phrase's text for ``record`` (``c``) with ``shared`` names (basis, year)."""
        parts = self._parts
        if parts is None and self._uses < PARSE_AFTER:
            self._uses += 1
            if self._uses == PARSE_AFTER:
                self._parse()
                parts = self._parts
        if parts is None or trace:  # explaining: the template itself, markers and all
            return self.template.render(shared, c=record)
        names = dict(shared, c=record)
        try:
            return "".join([part if part.__class__ is str else part(names) for part in parts])
        except Exception:  # noqa: BLE001, S110 - the template raises the same error, worded and located
            pass
        return self.template.render(shared, c=record)  # outside the handler: no chained exception


#: Uses of a phrase (by its template) before it is parsed for the direct evaluation.
PARSE_AFTER = 4


def _simple_chains(env: jinja2.Environment, source: str) -> list[str | tuple[str, tuple]] | None:
    """The phrase as a list of its pieces (texts, and the name and steps of each printed value:
    see :func:`_chain`); None if it is not simple."""
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], nodes.Output):
        return None
    parts: list[str | tuple[str, tuple]] = []
    for node in tree.body[0].nodes:
        if isinstance(node, nodes.TemplateData):
            parts.append(node.data)
            continue
        chain = _chain(env, node)
        if chain is None:
            return None
        parts.append(chain)
    return parts


def _chain(env: jinja2.Environment, node: nodes.Node) -> tuple[str, tuple] | None:
    """``node`` as a name and the steps applied to it in turn, each an attribute (its name) or a
    one-argument filter (its function): ``c.change|magnitude|money`` is ``("c", ("change",
    magnitude, money))``; None for anything else."""
    steps: list[Any] = []
    while True:
        if isinstance(node, nodes.Name) and node.ctx == "load":
            return node.name, tuple(reversed(steps))
        if isinstance(node, nodes.Getattr) and node.ctx == "load":
            steps.append(node.attr)
        elif isinstance(node, nodes.Filter) and node.node is not None and not (
                node.args or node.kwargs or node.dyn_args or node.dyn_kwargs):
            function = env.filters.get(node.name)
            if function is None or not _plain(function):
                return None
            steps.append(function)
        else:
            return None
        node = node.node


def _printing(getattr_: Callable[[Any, str], Any], name: str, steps: tuple) -> Callable[[dict[str, Any]], str]:
    """A function of the names printing ``name`` with ``steps`` applied (see :func:`_chain`), as
    ``{{ … }}`` prints it: one call per piece, not one per name, attribute and filter. A missing
    name is a KeyError, and the template then reports it."""
    def printed(names: dict[str, Any]) -> str:
        value = names[name]
        for step in steps:
            value = getattr_(value, step) if step.__class__ is str else step(value)
        return str(_env._finalize(value))
    return printed


def _plain(function: Any) -> bool:
    """A filter called with the value alone (not given the context or environment)."""
    return getattr(function, "jinja_pass_arg", None) is None
