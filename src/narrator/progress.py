"""A progress bar over results as they arrive (batch and review share it)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def collect_with_progress(results: Iterable[T], total: int, label: str, console: Any, show: bool,
                          on_result: Callable[[T], None]) -> tuple[list[T], float]:
    """Collect ``results`` with a rich bar labelled ``label`` on ``console``; the results and the seconds.

    Lines printed to standard output while the bar runs go through the bar's console only when
    standard output is a terminal too; redirected to a file, they must stay out of stderr.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    started = time.perf_counter()
    collected: list[T] = []
    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=console, disable=not show, transient=True, redirect_stdout=is_terminal(sys.stdout))
    with bar:
        task = bar.add_task(label, total=total)
        for result in results:
            collected.append(result)
            bar.advance(task)
            on_result(result)
    return collected, time.perf_counter() - started


def is_terminal(stream: Any) -> bool:
    """Whether ``stream`` is an interactive terminal (False for anything that cannot say)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
