"""A budget of work for one render: templates cannot loop or join without end.

The sandbox bounds each ``*`` and ``**`` (:mod:`narrator.text.environment`), but a user's template can
still nest two ``range(100000)`` loops (ten billion turns) or join a long range in every turn
of a loop. Every turn of a ``{% for %}`` loop, every number a ``range`` gives and every item a
``join`` takes is counted, across one render (sections, the macros and phrases they call); past
:data:`MAX_WORK` the render stops with a SecurityError (reported as ``template-unsafe`` at the
template line). A section of the built-in formats uses under a hundred units.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.filters import do_join

MAX_WORK = 2_000_000
MAX_RANGE = 100_000

#: The units spent by the render under way (None outside a render).
_WORK: ContextVar[list[int] | None] = ContextVar("narrator_template_work", default=None)


def _spend(units: int) -> None:
    work = _WORK.get()
    if work is None:
        return
    work[0] += units
    if work[0] > MAX_WORK:
        raise SecurityError(f"循环或拼接的总次数太多（一次生成最多 {MAX_WORK} 次）")


def counted(items: Iterable[Any]) -> Iterator[Any]:
    """``items``, each one counted as it is taken."""
    work = _WORK.get()
    for item in items:
        if work is not None:
            work[0] += 1
            if work[0] > MAX_WORK:
                _spend(0)
        yield item


def counted_range(*args: int) -> Iterator[int]:
    """``range(*args)`` of at most :data:`MAX_RANGE` numbers, each counted."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"range 太大（{len(numbers)} 个数，最多 {MAX_RANGE} 个）")
    return counted(numbers)


@jinja2.pass_eval_context
def counted_join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    """Jinja's ``join``, counting each item joined."""
    return do_join(eval_ctx, counted(value), d, attribute)


class BudgetedTemplate(jinja2.Template):
    """A template whose render (with everything it renders inside) has one budget of work."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if _WORK.get() is not None:  # inside a render already: the same budget
            return super().render(*args, **kwargs)
        token = _WORK.set([0])
        try:
            return super().render(*args, **kwargs)
        finally:
            _WORK.reset(token)


def count_loops(tree: nodes.Template) -> nodes.Template:
    """Make every ``{% for %}`` of a parsed template iterate through the ``counted`` filter."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, "narrator_counted", [], [], None, None, lineno=loop.iter.lineno)
    return tree


FILTERS = {"narrator_counted": counted, "join": counted_join}
"""The filters the budget adds (or replaces) in the environment."""
