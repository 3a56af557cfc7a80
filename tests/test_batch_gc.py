"""The batch pauses Python's cyclic garbage collector while each file renders, collects each file's
garbage right after it, and leaves the collector as it found it (a long-lived process, such as
the web page, may run batches)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import figuresgen
import pytest

from narrator.workflow import batch
from narrator.workflow.batch import plan, run

SEEN: list[bool] = []  # gc.isenabled() as each file's further check saw it
LEFT: list[weakref.ref] = []  # one piece of cyclic garbage per file


class Cycle:
    """An object that refers to itself: freed only by the cyclic collector."""

    def __init__(self) -> None:
        self.me = self


def note_gc(rendered) -> list:
    """A further check that records whether the collector runs while a file renders."""
    SEEN.append(gc.isenabled())
    return []


def leave_cycle(rendered) -> list:
    """A further check that leaves a piece of cyclic garbage behind."""
    LEFT.append(weakref.ref(Cycle()))
    return []


def interrupt(rendered) -> list:
    """A further check that is interrupted (as by Ctrl-C): not a finding, it stops the batch."""
    raise KeyboardInterrupt


@contextmanager
def gc_state(enabled: bool, threshold: tuple[int, ...]) -> Iterator[None]:
    """The collector as a caller might have set it, restored to the session's afterwards."""
    before = gc.isenabled(), gc.get_threshold()
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()
    try:
        yield
    finally:
        gc.set_threshold(*before[1])
        (gc.enable if before[0] else gc.disable)()


def _jobs(tmp_path: Path, count: int, check) -> list[batch.Job]:
    region = tmp_path / "region"
    figuresgen.write_region(region, count, seed=5)
    return [batch.Job(**{**job.__dict__, "check": check}) for job in plan(region, tmp_path / "out", "xinjiang-2025")]


def test_gc_paused_per_file_and_left_as_found(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, 12, note_gc)
    SEEN.clear()
    with gc_state(True, (555, 7, 9)):
        between = []
        for result in run(jobs, 1):
            assert not result.failed and result.output is not None
            between.append((gc.isenabled(), gc.get_threshold()))
        assert gc.isenabled() and gc.get_threshold() == (555, 7, 9)
    assert SEEN == [False] * 12  # paused while each file rendered
    assert between == [(True, (555, 7, 9))] * 12  # and as the caller had it whenever a result came


def test_a_caller_that_disabled_gc_is_left_alone(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, 3, note_gc)
    SEEN.clear()
    with gc_state(False, (700, 10, 10)):
        assert [r.failed for r in run(jobs, 1)] == [False] * 3
        assert not gc.isenabled()
    assert SEEN == [False] * 3


def test_each_files_cyclic_garbage_is_collected_after_it(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, 5, leave_cycle)
    LEFT.clear()
    # thresholds so high that no collection would ever be triggered by allocations
    with gc_state(True, (10**9, 10**9, 10**9)):
        for done, _ in enumerate(run(jobs, 1), 1):
            assert len(LEFT) == done
            assert all(ref() is None for ref in LEFT)  # this file's garbage is already gone
        assert gc.get_threshold() == (10**9, 10**9, 10**9)


def test_gc_is_enabled_again_when_a_file_is_interrupted(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, 2, interrupt)
    with gc_state(True, (700, 10, 10)):
        with pytest.raises(KeyboardInterrupt):
            list(run(jobs, 1))
        assert gc.isenabled()


def test_pool_workers_give_the_same_results(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, 16, note_gc)
    with gc_state(True, (700, 10, 10)):
        pooled = [(r.source, r.status, r.findings) for r in run(jobs, 2)]
        assert gc.isenabled() and gc.get_threshold() == (700, 10, 10)
    assert pooled == [(r.source, r.status, r.findings) for r in run(jobs, 1)]
