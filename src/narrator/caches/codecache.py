"""Compiled rule code kept between runs, as Python keeps ``.pyc`` files and Jinja its templates.

Compiling the Python source that :mod:`narrator.compute.exprcode` writes for a rule set costs more than
writing it (~0.1 s for the budget rules, a third of a cold ``narrator render``), so the code
objects are kept in a per-user folder (``$XDG_CACHE_HOME/narrator`` or ``~/.cache/narrator``),
(:mod:`narrator.caches.cachedir`), one file per source, named after the SHA-256 of the source and the Python version: a changed
rule gives another source, so another file; nothing is ever looked up by a rule's name.

Only a folder owned by the user and closed to everyone else (mode 0700, not a symbolic link)
is used, and only files owned by the user are read: a file there is trusted exactly as the
user's own ``.pyc`` files are. A folder or file that cannot be used, read or written means
compiling, never an error. ``NARRATOR_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Iterator

from .cachedir import private_folder, read_kept as _read, write_kept as _write

_FILENAME = "<rule expression>"


@cache
def _folder() -> Path | None:
    return private_folder("rules")


#: The bundle being filled in this context (see :func:`bundle`): the codes read from its file and
#: the codes used since, by the SHA-256 of their source.
_BUNDLE: ContextVar[tuple[dict[str, CodeType], dict[str, CodeType]] | None] = ContextVar("bundle", default=None)


@contextmanager
def bundle(name: str) -> Iterator[None]:
    """Within it, :func:`compiled` reads the codes of a whole rule set from one file, named by ``name``.

    A rule set has ~110 expressions and its checks ~70: opening a file for each was a tenth of a
    cold render. The bundle holds the codes used the last time, by the SHA-256 of their source, so
    a source that changed is simply not found there (and compiled, or read from its own file, as
    outside a bundle); the file is written again when what was used differs from what it holds.
    It holds what :mod:`narrator.compute.exprkeep` keeps of each expression as well (:func:`kept`, :func:`keep`).
    """
    folder = _folder()
    if folder is None or _BUNDLE.get() is not None:
        yield  # no cache, or inside another bundle: that one keeps these codes too
        return
    # (“-plans”: it holds exprkeep's plans too; a narrator that keeps codes alone, run beside
    # this one, has a file of its own rather than writing this one again each time)
    path = folder / f"bundle-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:32]}-plans.codes"
    kept = _read(path)
    used: dict[str, CodeType] = {}
    token = _BUNDLE.set((kept if isinstance(kept, dict) else {}, used))
    try:
        yield
    finally:
        _BUNDLE.reset(token)
    if used != kept:
        _write(path, used)


def kept(key: str) -> object:
    """What the bundle being filled holds under ``key`` (None: nothing, or not in a bundle);
    what is asked for stays in the bundle."""
    filling = _BUNDLE.get()
    if filling is None:
        return None
    value = filling[0].get(key)
    if value is not None:
        filling[1][key] = value
    return value


def keep(key: str, value: object) -> None:
    """Keep ``value`` (marshal data) under ``key`` in the bundle being filled, if any."""
    filling = _BUNDLE.get()
    if filling is not None:
        filling[1][key] = value


def compiled(source: str) -> CodeType:
    """``compile(source, "<rule expression>", "exec")``, from the cache when it is there."""
    folder = _folder()
    if folder is None:
        return compile(source, _FILENAME, "exec")
    key = hashlib.sha256(source.encode("utf-8")).hexdigest()
    filling = _BUNDLE.get()
    if filling is not None:
        code = filling[0].get(key)
        if code.__class__ is not CodeType:
            code = _compiled(folder, key, source)
        filling[1][key] = code
        return code
    return _compiled(folder, key, source)


def _compiled(folder: Path, key: str, source: str) -> CodeType:
    """The code of ``source`` from its own file in the cache, else compiled and kept there."""
    path = folder / (key + ".code")
    code = _read(path)
    if isinstance(code, CodeType):
        return code
    code = compile(source, _FILENAME, "exec")
    _write(path, code)
    return code
