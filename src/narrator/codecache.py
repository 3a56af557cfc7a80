"""Compiled rule code kept between runs, as Python keeps ``.pyc`` files and Jinja its templates.

Compiling the Python source that :mod:`narrator.exprcode` writes for a rule set costs more than
writing it (~0.1 s for the budget rules, a third of a cold ``narrator render``), so the code
objects are kept in a per-user folder (``$XDG_CACHE_HOME/narrator`` or ``~/.cache/narrator``),
(:mod:`narrator.cachedir`), one file per source, named after the SHA-256 of the source and the Python version: a changed
rule gives another source, so another file; nothing is ever looked up by a rule's name.

Only a folder owned by the user and closed to everyone else (mode 0700, not a symbolic link)
is used, and only files owned by the user are read: a file there is trusted exactly as the
user's own ``.pyc`` files are. A folder or file that cannot be used, read or written means
compiling, never an error. ``NARRATOR_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from functools import cache
from pathlib import Path
from types import CodeType

from .cachedir import private_folder

_FILENAME = "<rule expression>"


@cache
def _folder() -> Path | None:
    return private_folder("rules")


def compiled(source: str) -> CodeType:
    """``compile(source, "<rule expression>", "exec")``, from the cache when it is there."""
    folder = _folder()
    if folder is None:
        return compile(source, _FILENAME, "exec")
    path = folder / (hashlib.sha256(source.encode("utf-8")).hexdigest() + ".code")
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_uid == os.getuid():
                code = marshal.loads(handle.read())
                if isinstance(code, CodeType):
                    return code
    except (OSError, ValueError, EOFError, TypeError):
        pass
    code = compile(source, _FILENAME, "exec")
    temporary = None
    try:  # written aside and renamed: a reader never sees half a file
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            marshal.dump(code, out)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return code
