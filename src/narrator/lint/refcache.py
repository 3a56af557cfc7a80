"""The reference text of a cold ``narrator lint --figures``, kept between runs.

Reading, validating and rendering the figures to get the text a lint compares with was a fifth
of a cold ``narrator lint`` (half of it beyond the bare imports). The text rendered (as .txt)
is kept in narrator's private per-user folder (:mod:`narrator.cachedir`) under a key made of
everything it comes from: the figures file's bytes, the format asked for, and the contents of
every file of narrator's code (``*.py``), its ``rules/`` and every templates folder
(``NARRATOR_TEMPLATES`` too), with the Python version and the packages installed beside Jinja
(their ``dist-info`` names carry their versions). Any change to any of them gives another key,
so an entry is never stale; reading them all costs a few milliseconds, the render it saves ten
times that.

Only a render that succeeded is kept: figures that fail to load are read and reported as
before. The figures themselves are read again only when a message names where a number came
from (:attr:`narrator.lint.context.Reference.sources`). ``NARRATOR_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from ..cachedir import private_folder, read_kept, write_kept

_PACKAGE = Path(__file__).resolve().parent.parent


def reference_key(figures: Path | str | None, requested: str | None) -> str | None:
    """The key of the reference text of the figures file ``figures`` in format ``requested`` (None:
    the one they name); None without figures, for a .docx, when caching is off or a file cannot
    be read (then nothing is kept)."""
    if figures is None or str(figures).lower().endswith(".docx") or private_folder("lint-reference") is None:
        return None
    from ..resources import rules_dir, templates_dirs

    digest = hashlib.sha256()
    try:
        with open(figures, "rb") as handle:
            _add(digest, b"figures", handle.read())
        _add(digest, b"format", repr(requested).encode())
        _add(digest, b"python", sys.version.encode())
        _add(digest, b"packages", "\n".join(_installed()).encode())
        for root, suffix in ((_PACKAGE, ".py"), (rules_dir(), ""), *((folder, "") for folder in templates_dirs())):
            _add(digest, b"folder", str(root).encode())
            for path in _files(str(root), suffix):
                with open(path, "rb") as handle:
                    _add(digest, path.encode(), handle.read())
    except (OSError, FileNotFoundError):
        return None
    return digest.hexdigest()[:40]


def _add(digest: Any, name: bytes, data: bytes) -> None:
    """Add one named piece to ``digest``, with both lengths, so two pieces never read as one."""
    digest.update(len(name).to_bytes(4, "big") + name + len(data).to_bytes(8, "big"))
    digest.update(data)


def _files(root: str, suffix: str) -> list[str]:
    """Every file under ``root`` whose name ends with ``suffix``, sorted (``__pycache__`` left out)."""
    found, folders = [], [root]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        folders.append(entry.path)
                elif entry.name.endswith(suffix):
                    found.append(entry.path)
    return sorted(found)


def _installed() -> list[str]:
    """The packages installed where Jinja and PyYAML are (their names and versions)."""
    import jinja2
    import yaml

    places = sorted({str(Path(module.__file__).resolve().parent.parent) for module in (jinja2, yaml)})
    return [*places, *sorted(name for place in places for name in os.listdir(place)
                             if name.endswith((".dist-info", ".egg-info", ".egg-link", ".pth")))]


def _entry(key: str) -> Path | None:
    folder = private_folder("lint-reference")
    return folder / f"{key}.marshal" if folder is not None else None


def kept_reference(key: str | None) -> tuple[str, str] | None:
    """The format chosen and the reference text kept under ``key`` (None: nothing kept)."""
    path = _entry(key) if key is not None else None
    kept = read_kept(path) if path is not None else None
    if kept.__class__ is tuple and len(kept) == 2 and all(part.__class__ is str for part in kept):
        return kept
    return None


def keep_reference(key: str | None, format_name: str, text: str) -> None:
    """Keep the reference ``text`` rendered in ``format_name`` under ``key`` (None: nothing)."""
    path = _entry(key) if key is not None else None
    if path is not None:
        write_kept(path, (format_name, text))
