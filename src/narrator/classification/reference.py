"""The reference tables: the bundled ones, overlaid by an official edition a user brought.

The bundled tables live in ``rules/classification/``; ``narrator classification import`` turns
an official 政府收支分类科目 list into an edition file, and ``NARRATOR_CLASSIFICATION`` (or
``classification:`` in a figures file) puts it in use: for the years it covers, its names win.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from functools import cache
from pathlib import Path

from ..errors import FormatError, Location
from ..resources import rules_dir
from ..loading.yamlload import load_yaml, read_bytes
from .table import Classification, Entry, parse_table, table_from_plain, table_to_plain

#: Table kinds and the first digit of their codes.
KINDS = {"functional": "2", "economic": "3", "government-economic": "5"}
_KIND_OF_DIGIT = {digit: kind for kind, digit in reversed(KINDS.items())}  # the first kind of a digit wins
KIND_TITLES = {"functional": "支出功能分类科目", "economic": "部门预算支出经济分类科目",
               "government-economic": "政府预算支出经济分类科目"}

_EDITIONS: ContextVar[tuple[Classification, ...]] = ContextVar("narrator_editions", default=())


def kind_of(code: str) -> str | None:
    """The table a code belongs to, by its first digit (None for a code of no expenditure table)."""
    return _KIND_OF_DIGIT.get(code[:1])  # (a dict, not a scan of KINDS: ~90 look-ups a document)


@cache
def bundled_table(kind: str) -> Classification:
    """The table of ``kind`` shipped in ``rules/classification/``.

    Its entries are kept by narrator.caches.yamlcache: building the 1,200 entries of the functional
    table from its YAML was a tenth of a cold command.
    """
    from ..caches.yamlcache import cached_value

    path = rules_dir() / "classification" / f"{kind}.yaml"
    shown = str(path)
    return cached_value(read_bytes(path, shown), ("classification/table.py",),
                        lambda: parse_table(load_yaml(path), path), table_to_plain,
                        lambda plain: table_from_plain(plain, shown))


def load_edition(path: Path | str) -> Classification:
    """An edition file written by ``narrator classification import`` (or by hand)."""
    path = Path(path)
    if not path.is_file():
        raise FormatError.at(Location(str(path)), "classification-file", f"找不到科目表文件 {path}")
    return parse_table(load_yaml(path), path)


@contextmanager
def editions_in_use(paths: list[Path] | tuple[Path, ...]) -> Iterator[None]:
    """Use the official editions at ``paths`` (on top of the bundled tables) inside the block."""
    token = _EDITIONS.set(tuple(load_edition(p) for p in paths) + _EDITIONS.get())  # innermost first
    try:
        yield
    finally:
        _EDITIONS.reset(token)


def editions_now() -> tuple[Classification, ...]:
    """The editions in use: those of the innermost :func:`editions_in_use` block, then those
    named by ``NARRATOR_CLASSIFICATION`` (paths separated like PATH), so that an office can put the
    edition it was issued in use for every command once."""
    return _EDITIONS.get() + _environment_editions(os.environ.get("NARRATOR_CLASSIFICATION", ""))


def editions_key() -> tuple[int, ...]:
    """A hashable stand-in for the editions in use (for caches of names derived from the tables)."""
    return tuple(map(id, editions_now()))


@cache
def _environment_editions(value: str) -> tuple[Classification, ...]:
    return tuple(load_edition(Path(p)) for p in value.split(os.pathsep) if p)


def load_classification(kind: str, editions: tuple[Classification, ...] | None = None) -> Classification:
    """The reference table of ``kind``: the bundled one with the editions laid over it.

    ``editions`` defaults to those in use (see :func:`editions_in_use`).
    """
    editions = editions_now() if editions is None else editions
    if not editions:
        return bundled_table(kind)
    key = (kind, *map(id, editions))
    if key not in _OVERLAID:
        # the editions are kept in the value so that their ids stay theirs while cached
        _OVERLAID[key] = (_overlaid(kind, editions), editions)
    return _OVERLAID[key][0]


_OVERLAID: dict[tuple, tuple[Classification, tuple[Classification, ...]]] = {}


def _overlaid(kind: str, editions: tuple[Classification, ...]) -> Classification:
    table = bundled_table(kind)
    entries = dict(table.entries)
    digit = KINDS[kind]
    for edition in reversed(editions):  # the edition named first wins
        for code, entry in edition.entries.items():
            if code[:1] == digit:
                entries[code] = _overlay(entries.get(code), entry, edition.valid_from)
    return replace(table, entries=entries)


def _overlay(bundled: Entry | None, official: Entry, first_year: int) -> Entry:
    """The official entry, keeping what the bundled one knows of the years before the edition."""
    if bundled is None:
        return official
    formerly = tuple((y, n) for y, n in bundled.formerly if y < first_year)
    if bundled.name != official.name and first_year > 0:
        formerly += ((first_year - 1, bundled.name),)
    return replace(official, formerly=formerly, since=bundled.since, until=official.until or bundled.until)


def reference_entry(code: str, editions: tuple[Classification, ...] | None = None
                    ) -> tuple[Classification, Entry] | None:
    """The table and entry of ``code`` in the reference, or None if it knows no such code."""
    kind = kind_of(code)
    if kind is None:
        return None
    table = load_classification(kind, editions)
    entry = table.entries.get(code)
    return (table, entry) if entry else None
