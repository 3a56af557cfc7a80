"""Compiled regular expressions kept between runs, as :mod:`narrator.caches.codecache` keeps rule code.

Python compiles a pattern in Python code, and a class of Chinese chars (``[一-鿿]``) alone costs it
a millisecond: lint's ~260 patterns (its modules' and its rules' data) were a third of a cold
``narrator lint``. What the compiler makes of a pattern (the engine's code: a list of numbers,
and its groups) is kept in narrator's private per-user folder (:mod:`narrator.caches.cachedir`), one
file for every pattern used, and handed back to the engine (``_sre.compile``, as ``re`` itself
does), which checks the code before it runs it. The file is named after the Python version and
holds the engine's version: another Python never meets it. A pattern is looked up by its text
and flags, so a changed pattern is simply not there and is compiled; the file is written again
(at the end of the command) only when a pattern was missing.

A file that cannot be read or written, an entry the engine refuses, or a Python whose ``re``
works otherwise means compiling as ``re.compile`` does, never an error. ``NARRATOR_NO_CACHE=1``
turns the cache off. Patterns made of a document's own text do not belong here (the file would
grow with every document): it keeps at most :data:`LIMIT` of them.
"""

from __future__ import annotations

import atexit
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from .cachedir import private_folder, read_kept, write_kept

try:  # the compiler's two halves, as re.compile calls them (Python 3.11 and later)
    import _sre
    from re import _compiler, _parser

    _ENGINE: Any = (sys.version, _sre.MAGIC, _sre.CODESIZE)
except (ImportError, AttributeError):  # pragma: no cover - another Python: no cache
    _ENGINE = None

#: The most patterns the file keeps (beyond that, only those of the last command that added one).
LIMIT = 4000

#: (pattern, flags) → (flags, code, groups, groupindex, indexgroup), as read from the file
_kept: dict[tuple[str, int], tuple] | None = None
#: the entries this process compiled itself, to be written
_added: dict[tuple[str, int], tuple] = {}


@cache
def _file() -> Path | None:
    folder = private_folder("regex") if _ENGINE is not None else None
    return folder / "patterns.marshal" if folder is not None else None


def _read(path: Path | None) -> dict[tuple[str, int], tuple]:
    """The entries of the file, if it is the user's and of this engine (else none)."""
    kept = read_kept(path) if path is not None else None
    if kept.__class__ is tuple and len(kept) == 2 and kept[0] == _ENGINE and kept[1].__class__ is dict:
        return kept[1]
    return {}


def _entry(pattern: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands the engine for ``pattern`` (all but the pattern)."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]   # some are named constants
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


@cache
def regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` for a pattern of narrator's own (code or data), from the cache."""
    global _kept
    if _ENGINE is None or flags & re.DEBUG or _file() is None:
        return re.compile(pattern, flags)
    if _kept is None:
        _kept = _read(_file())
    key = (pattern, int(flags))
    entry = _kept.get(key)
    if entry is not None:
        try:
            return _sre.compile(pattern, *entry)
        except (TypeError, ValueError, RuntimeError, OverflowError):
            pass  # not code this engine takes: compile it again
    try:
        entry = _entry(pattern, int(flags))
    except re.error:
        raise
    except Exception:  # pragma: no cover - a compiler that works otherwise: nothing kept
        return re.compile(pattern, flags)
    _added[key] = entry
    return _sre.compile(pattern, *entry)


def keep() -> None:
    """Write the file again if this process compiled a pattern it did not hold.

    The file is read again first, so what another process added meanwhile stays; it is written
    beside and renamed, so a reader never sees half of it.
    """
    path = _file()
    if not _added or path is None:
        return
    entries = {**_read(path), **_added}
    write_kept(path, (_ENGINE, entries if len(entries) <= LIMIT else _added))
    _added.clear()


atexit.register(keep)
