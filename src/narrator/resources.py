"""Where narrator's data lives: the ``templates/`` and ``rules/`` folders.

In a source checkout (and an editable install) they sit at the repository root, beside
``src/``; a built wheel carries them inside the package. Both are plain data folders: a new
region's format is a new folder under ``templates/``, found without any change to the code.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

#: The document format used when neither the command nor the figures name one (here, not in
#: narrator.text.formats, so that naming it does not import the template machinery).
DEFAULT_FORMAT = "xinjiang-2025"


def _first_existing(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"narrator data folder {name!r} is missing from the installation")


@cache
def templates_dirs() -> tuple[Path, ...]:
    """Folders that hold document formats, extra ones from ``NARRATOR_TEMPLATES`` first."""
    extra = [Path(p) for p in os.environ.get("NARRATOR_TEMPLATES", "").split(os.pathsep) if p]
    return (*extra, _first_existing("templates"))


@cache
def rules_dir() -> Path:
    """The folder of rule sets, wording standards and classification data."""
    return _first_existing("rules")


def examples_dir() -> Path | None:
    """The bundled example figures files (``examples/``), or None if the installation lacks them."""
    try:
        return _first_existing("examples")
    except FileNotFoundError:
        return None
