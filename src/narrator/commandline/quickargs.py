"""A quick reading of plain command lines, so that the hot commands start without click's parser.

typer ≥ 0.25 builds a pydantic adapter for every parameter of the command it runs (some 100 ms of
a cold ``narrator render`` with pydantic's import, over a command that takes 150 ms in all). For
a plain command line — known options, each given once, values that are ordinary text, the
arguments all there — the result of that parsing is known beforehand: this module reads such a
line from the command function's own declarations (:mod:`narrator.commandline.cliparams`: the arguments of
``typer.Option(...)`` as data, the defaults of :mod:`narrator.commandline.hotcommands`' functions) and
returns the keyword arguments typer would have passed. Anything else (``--help``, a mistake, an
unknown or repeated option, ``--``, a value starting with “-”, a value a callback refuses, a type
it does not know) returns None and the caller lets typer read the line, so every message, help
text and exit code stays typer's own.

No typer import here (nor in what a plain line runs: :mod:`narrator.console`).
"""

from __future__ import annotations

import inspect
import os
import stat
from pathlib import Path
from typing import Any, Callable, Optional

from .cliparams import Declared


class _Unsure(Exception):
    """The line is not plain: typer reads it."""


def _text(value: str, info: Any) -> str:
    return value


def _path(value: str, info: Any) -> Path:
    """A path as typer checks it (exists, file_okay, dir_okay, readable, writable); unsure when it would refuse."""
    if getattr(info, "resolve_path", False) or getattr(info, "allow_dash", False):
        raise _Unsure
    try:
        found = os.stat(value)
    except OSError:
        if info.exists:
            raise _Unsure from None
        return Path(value)
    if (not info.file_okay and stat.S_ISREG(found.st_mode)) or (not info.dir_okay and stat.S_ISDIR(found.st_mode)) \
            or (info.readable and not os.access(value, os.R_OK)) or (info.writable and not os.access(value, os.W_OK)):
        raise _Unsure
    return Path(value)


# annotation (as written: narrator.cli uses ``from __future__ import annotations``) -> conversion
_CONVERT: dict[str, Callable[[str, Any], Any]] = {
    "Path": _path, "Optional[Path]": _path, "str": _text, "Optional[str]": _text,
}


def _plain(value: str) -> str:
    """Text typer would pass on unchanged: not empty, not an option, nothing unprintable."""
    if not value or value.startswith("-") or not value.isprintable():
        raise _Unsure
    return value


def quick_arguments(function: Callable[..., Any], args: list[str]) -> Optional[dict[str, Any]]:
    """The keyword arguments typer would call ``function`` with for ``args``, or None if unsure."""
    try:
        return _read(function, args)
    except _Unsure:
        return None


def _read(function: Callable[..., Any], args: list[str]) -> dict[str, Any]:
    params = inspect.signature(function).parameters
    options: dict[str, tuple[str, Any]] = {}  # "--output" / "-o" -> (parameter, flag value or None)
    positional: list[str] = []  # parameter names of the arguments, in order
    for name, param in params.items():
        info = param.default
        kind = info.kind if info.__class__ is Declared else None
        if kind is None or info.envvar:
            raise _Unsure
        if kind == "argument" and param.annotation in _CONVERT and not info.param_decls:
            positional.append(name)
        elif kind == "option" and param.annotation in _CONVERT:
            options.update((decl, (name, None)) for decl in info.param_decls)
        elif kind == "option" and param.annotation == "bool" and len(info.param_decls) == 1 \
                and info.param_decls[0].count("/") == 1:
            on, off = info.param_decls[0].split("/")
            options.update({on: (name, True), off: (name, False)})
        else:
            raise _Unsure  # a parameter of a kind this reading does not know
    given: dict[str, Any] = {}
    read: list[str] = []
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if not token.startswith("-"):
            read.append(_plain(token))
            continue
        name, equals, value = token.partition("=")
        if name not in options or (equals and not name.startswith("--")):
            raise _Unsure
        target, flag = options[name]
        if target in given or (flag is not None and equals) or (not equals and flag is None and not rest):
            raise _Unsure  # repeated (typer says which wins), a value for a flag, a value missing
        if flag is not None:
            given[target] = flag
            continue
        value = _plain(value if equals else rest.pop(0))
        given[target] = _CONVERT[params[target].annotation](value, params[target].default)
    if len(read) != len(positional):
        raise _Unsure
    for name, value in zip(positional, read):
        given[name] = _CONVERT[params[name].annotation](value, params[name].default)
    call: dict[str, Any] = {}
    for name, param in params.items():
        info = param.default
        value = given[name] if name in given else info.default
        if value is ...:
            raise _Unsure  # a required option not given
        if info.callback is not None:
            try:
                value = info.callback(value)
            except Exception:  # noqa: BLE001 - typer reads the line again and words the refusal
                raise _Unsure from None
        call[name] = value
    return call
