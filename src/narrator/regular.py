"""Which paths found in a folder may be opened: regular files only."""

from __future__ import annotations

import stat
from pathlib import Path


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (or a link to one), asked without opening it: a named
    pipe would block the reader forever, a device would be read without end."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False
