"""The one per-user folder where narrator keeps what it compiles or parses between runs.

Compiled rule code (:mod:`narrator.caches.codecache`) and the parsed trees of narrator's own data files
(:mod:`narrator.caches.yamlcache`) live in ``$XDG_CACHE_HOME/narrator`` (or ``~/.cache/narrator``), one
subfolder per kind and Python version; Jinja keeps the compiled templates in its own per-user
folder. Only a folder owned by the user and closed to everyone else (mode 0700, not a symbolic
link) is used: what is read back from it is trusted as the user's own ``.pyc`` files are.
``NARRATOR_NO_CACHE=1`` turns every cache off (so do the older ``NARRATOR_NO_TEMPLATE_CACHE`` and
``NARRATOR_NO_CODE_CACHE``); a folder that cannot be made or used means working without it.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
from pathlib import Path

#: Environment variables that turn caching off (the first is the one to use).
CACHE_OFF = ("NARRATOR_NO_CACHE", "NARRATOR_NO_TEMPLATE_CACHE", "NARRATOR_NO_CODE_CACHE")


def caching_off() -> bool:
    """Whether the user turned narrator's caches off."""
    return any(os.environ.get(name) for name in CACHE_OFF)


def private_folder(kind: str) -> Path | None:
    """The user's private cache folder for ``kind`` and this Python (None: caching is off or unsafe)."""
    if caching_off() or not hasattr(os, "getuid"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "narrator" / f"{kind}-{sys.implementation.cache_tag}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    private = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077
    return folder if private else None


def read_kept(path: Path) -> object:
    """The data of a cache file of the user's (None: absent, someone else's, or not marshal data)."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_uid == os.getuid():
                return marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    return None


def write_kept(path: Path, value: object) -> None:
    """Write a cache file aside and rename it: a reader never sees half a file."""
    import tempfile  # only when writing: a command that finds its caches filled never loads it (~3 ms)

    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            marshal.dump(value, out)
        os.replace(temporary, path)
    except (OSError, ValueError):
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
