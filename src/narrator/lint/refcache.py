"""The reference text of a cold ``narrator lint --figures``, kept between runs.

Reading, validating and rendering the figures to get the text a lint compares with was a fifth
of a cold ``narrator lint`` (half of it beyond the bare imports). The text rendered (as .txt)
is kept in narrator's private per-user folder (:mod:`narrator.caches.cachedir`) under a key made of
everything it comes from: the figures file's bytes, the format asked for, and the contents of
every file of narrator's code (``*.py``), its ``rules/`` and every templates folder
(``NARRATOR_TEMPLATES`` too), with the Python version and the packages installed beside Jinja
(their ``dist-info`` names carry their versions). The format's phrases (which lint's wording
rules accept) are kept with it: a lint that finds its reference here does not load the format,
nor import the template machinery. Any change to any of them gives another key,
so an entry is never stale (the digest of the files is kept by what ``stat`` says of them, as
git's index does: :func:`_installation`). The text is kept parsed, as lint reads it.

Only a render that succeeded is kept: figures that fail to load are read and reported as
before. The figures themselves are read again only when a message names where a number came
from (:attr:`narrator.lint.context.Reference.sources`). ``NARRATOR_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import sys
import time
from pathlib import Path
from typing import Any

from ..caches.cachedir import private_folder, read_kept, write_kept
from .document import Document

_PACKAGE = Path(__file__).resolve().parent.parent


def reference_key(figures: Path | str | None, requested: str | None) -> str | None:
    """The key of the reference text of the figures file ``figures`` in format ``requested`` (None:
    the one they name); None without figures, for a .docx, when caching is off or a file cannot
    be read (then nothing is kept)."""
    folder = private_folder("reference")
    if figures is None or str(figures).lower().endswith(".docx") or folder is None:
        return None
    digest = hashlib.sha256()
    try:
        with open(figures, "rb") as handle:
            _add(digest, b"figures", handle.read())
        _add(digest, b"format", repr(requested).encode())
        _add(digest, b"installation", _installation(folder))
    except OSError:
        return None
    return digest.hexdigest()[:40]


def _add(digest: Any, name: bytes, data: bytes) -> None:
    """Add one named piece to ``digest``, with both lengths, so two pieces never read as one."""
    digest.update(len(name).to_bytes(4, "big") + name + len(data).to_bytes(8, "big"))
    digest.update(data)


def _roots() -> list[tuple[str, str]]:
    """The folders the reference comes from, with the end of the names of the files that count."""
    from ..resources import rules_dir, templates_dirs

    return [(str(_PACKAGE), ".py"), (str(rules_dir()), ""), *((str(folder), "") for folder in templates_dirs())]


def _installation(folder: Path) -> bytes:
    """The SHA-256 of the contents of every file under :func:`_roots`, of the Python version and
    of the packages installed beside Jinja.

    Reading the ~370 files was ~7 ms of each cold lint: the digest of the same files is kept under
    the digest of what ``stat`` says of each of them (size, modification and change times, inode),
    as git's index does, and only for files changed at least :data:`SETTLED` seconds before (a
    file written again within the clock's granularity could keep its times; its change time
    cannot be set back). Any write to a file, a file added, removed or replaced changes its
    ``stat`` and so the key, and the contents are read again.
    """
    roots, packages = _roots(), _installed()
    files = [(path, suffix) for root, suffix in roots for path in _files(root, suffix)]
    seen, newest = [], 0
    for path, _ in files:
        info = os.stat(path)
        seen.append((path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev))
        newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
    # marshal's version 2: equal data, equal bytes (later versions write back-references and
    # interned-string marks, which differ from one process to another)
    described = hashlib.sha256(marshal.dumps((_VERSION, sys.version, roots, seen, packages), 2)).hexdigest()
    index = folder / "installations.marshal"
    known = read_kept(index)
    known = known if known.__class__ is dict else {}
    digest = known.get(described)
    if digest.__class__ is bytes:
        return digest
    contents = hashlib.sha256()
    _add(contents, b"python", sys.version.encode())
    _add(contents, b"packages", "\n".join(packages).encode())
    for root, suffix in roots:
        _add(contents, b"folder", root.encode())
    for path, _ in files:
        with open(path, "rb") as handle:
            _add(contents, path.encode(), handle.read())
    digest = contents.digest()
    if newest < time.time_ns() - SETTLED * 1_000_000_000:
        kept = dict(list(known.items())[-(KEEP - 1):]) if len(known) >= KEEP else known
        write_kept(index, {**kept, described: digest})
    return digest


#: Files changed less than this many seconds ago are read every time (see :func:`_installation`).
SETTLED = 2
#: The most installations whose digest is kept (the latest ones).
KEEP = 32
_VERSION = 1    # of what is kept: another value, another entry


def _files(root: str, suffix: str) -> list[str]:
    """Every file under ``root`` whose name ends with ``suffix``, sorted (``__pycache__`` left out;
    a folder linked to is followed, as Jinja follows it, and each folder is read once)."""
    found, folders, seen = [], [root], set()
    while folders:
        folder = folders.pop()
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in seen:
            continue    # a link back to a folder already read
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        folders.append(entry.path)
                elif entry.name.endswith(suffix):
                    found.append(entry.path)
    return sorted(found)


def _installed() -> list[str]:
    """The packages installed where Jinja and PyYAML are (their names and versions).

    Where a package is is asked of the import system without importing it: a lint that finds its
    reference kept renders nothing, and importing Jinja only to learn its folder was ~40 ms of it.
    """
    places = sorted({str(Path(_origin(name)).resolve().parent.parent) for name in ("jinja2", "yaml")})
    return [*places, *sorted(name for place in places for name in os.listdir(place)
                             if name.endswith((".dist-info", ".egg-info", ".egg-link", ".pth")))]


def _origin(name: str) -> str:
    """The ``__init__.py`` of the top-level package ``name`` (its ``__file__``), found as ``import`` finds it."""
    module = sys.modules.get(name)
    if module is not None:
        return module.__file__
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:  # not importable: render would fail first; no key then
        raise OSError(f"{name} not found")
    return spec.origin


def _entry(key: str) -> Path | None:
    folder = private_folder("reference")
    return folder / f"{key}.reference" if folder is not None else None


def kept_reference(key: str | None) -> tuple[str, Document, tuple[str, ...]] | None:
    """The format chosen, the parsed reference text and the format's phrases kept under ``key``
    (None: nothing kept)."""
    path = _entry(key) if key is not None else None
    kept = read_kept(path) if path is not None else None
    try:
        format_name, plain, phrases = kept
        if format_name.__class__ is str and phrases.__class__ is tuple and all(p.__class__ is str for p in phrases):
            return format_name, Document.from_plain(plain), phrases
    except (TypeError, ValueError, ArithmeticError):
        pass
    return None


def keep_reference(key: str | None, format_name: str, doc: Document, phrases: list[str]) -> None:
    """Keep the parsed reference text ``doc``, rendered in ``format_name``, and the ``phrases`` of
    that format (:func:`narrator.lint.context.phrases_of`) under ``key`` (None: nothing)."""
    path = _entry(key) if key is not None else None
    if path is not None:
        write_kept(path, (format_name, doc.to_plain(), tuple(phrases)))
