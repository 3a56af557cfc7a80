"""Parsed data files kept between runs, by the hash of their bytes.

A cold command reads some twenty of narrator's own YAML files (rule sets, checks, shapes, format
fields, the classification tables: 80 KB for the functional one alone), and building their
located trees in Python was a fifth of its time. The tree of each file is kept in narrator's
private per-user cache folder (:mod:`narrator.caches.cachedir`) as ``marshal`` data of plain tuples, named by the SHA-256 of the file's bytes and of
the code that reads them (yamlload.py, this module) and the Python and PyYAML versions: a file
that changed, or a narrator that reads differently, never meets an old tree. A folder that cannot
be written, or an entry that cannot be read back, means parsing as before, never an error.

A module may keep what it makes of a data file the same way (:func:`cached_value`): the
classification tables keep their parsed entries.

Only a tree of the plain kinds the loader makes is kept (LocatedDict, LocatedList, text, whole
numbers, Decimal, true/false, null); a file with anything else (dates, sets, an alias sharing one
node in two places) is parsed every time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from .cachedir import private_folder
from ..loading.yamlload import LocatedDict, LocatedList

# tags of the encoded containers (a tuple is never a value of a loaded tree)
_DICT, _LIST, _DECIMAL = 0, 1, 2
_PLAIN = (str, int, bool, type(None))


class NotPlain(Exception):
    """The value holds something the cache does not keep."""


@cache
def _salt(code: tuple[str, ...]) -> bytes:
    """What else a value depends on: the code that makes it (files under src/narrator) and the versions under it."""
    here = Path(__file__).resolve().parent.parent  # src/narrator: ``code`` names files under it
    files = b"".join((here / name).read_bytes() for name in ("loading/yamlload.py", "caches/yamlcache.py", *code))
    return files + repr((code, sys.version_info[:2], yaml.__version__, marshal.version)).encode()


@cache
def _folder() -> Optional[Path]:
    return private_folder("data")


def cached_tree(data: bytes, parse: Callable[[], Any]) -> Any:
    """The tree ``parse()`` makes of the file whose bytes are ``data``, from the cache when it is there."""
    return cached_value(data, (), parse, encode_tree, decode_tree)


def encode_tree(tree: Any) -> Any:
    """A loaded tree as the plain data :func:`cached_value` keeps (raises :class:`NotPlain`)."""
    return _encode(tree, set())


def decode_tree(kept: Any) -> Any:
    """The tree :func:`encode_tree` encoded."""
    return _decode(kept) if kept.__class__ is tuple else kept


def cached_value(data: bytes, code: tuple[str, ...], build: Callable[[], Any],
                 encode: Callable[[Any], Any], decode: Callable[[Any], Any]) -> Any:
    """``build()``, a value made from the file whose bytes are ``data`` by the modules ``code``
    (paths under src/narrator), kept as ``encode(value)`` and read back with ``decode``.

    ``encode`` gives plain data ``marshal`` can write, or raises :class:`NotPlain` for a value it
    cannot keep exactly; ``decode`` raises ValueError, TypeError, IndexError or KeyError for an
    entry it cannot read (then the value is built again).
    """
    folder = _folder()
    if folder is None:
        return build()
    try:  # an installation without the .py sources has nothing to key the code by: no cache
        entry = folder / f"narrator-yaml-{hashlib.sha256(_salt(code) + data).hexdigest()[:32]}.marshal"
    except OSError:
        return build()
    try:
        return decode(marshal.loads(entry.read_bytes()))
    except (OSError, EOFError, ValueError, TypeError, IndexError, KeyError):
        pass  # not there yet, or not readable: build
    value = build()
    try:
        encoded = marshal.dumps(encode(value))
    except NotPlain:
        return value
    import tempfile  # only when writing: a command that finds its entries kept never loads it (~3 ms)

    try:  # written beside and renamed: a reader never sees half an entry
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".narrator-yaml-")
        with os.fdopen(handle, "wb") as out:
            out.write(encoded)
        os.replace(temporary, entry)
    except OSError:
        pass
    return value


def _encode(value: Any, seen: set[int]) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Decimal:
        return (_DECIMAL, str(value))
    if id(value) in seen:
        raise NotPlain  # one node in two places (a YAML alias): kept as the loader makes it
    seen.add(id(value))
    if kind is LocatedDict:
        keys = tuple(value)
        return (_DICT, value.mark, tuple(_encode(k, seen) for k in keys),
                tuple(value.key_marks.get(k) for k in keys), tuple(_encode(value[k], seen) for k in keys))
    if kind is LocatedList:
        return (_LIST, value.mark, tuple(value.item_marks), tuple(_encode(item, seen) for item in value))
    raise NotPlain


def _decode(value: Any) -> Any:
    # scalars (most nodes) are taken as they are, without a call each
    tag = value[0]
    if tag == _DICT:
        _, mark, keys, marks, values = value
        keys = [k if k.__class__ is not tuple else _decode(k) for k in keys]
        result = LocatedDict(zip(keys, [v if v.__class__ is not tuple else _decode(v) for v in values]))
        result.mark = mark
        result.key_marks = {k: m for k, m in zip(keys, marks) if m is not None}
        return result
    if tag == _LIST:
        _, mark, marks, items = value
        result = LocatedList([v if v.__class__ is not tuple else _decode(v) for v in items])
        result.mark = mark
        result.item_marks = list(marks)
        return result
    if tag == _DECIMAL:
        return Decimal(value[1])
    raise ValueError("unknown entry")
