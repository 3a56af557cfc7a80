"""Regular expressions of narrator's rule files, compiled once and kept between runs.

The lint rules (``rules/lint/*.yaml``) hold some 230 patterns, many with large CJK character
classes; compiling them was about 80 ms of every cold ``narrator lint`` (Python's ``re`` expands
each such class code point by code point, in Python). What the compiler makes of a pattern is a
list of integers, the regex engine's code; :func:`compiled` keeps that code in
narrator.yamlcache (keyed by the patterns and by the exact Python version and regex-engine
version) and hands it back to the engine, which checks any code it is given before using it.

Code is kept only when, rebuilt from the kept values, it gives a pattern equal to what
``re.compile`` gave — Pattern equality compares the text, the flags and the code — so on a
Python whose compiler differs from what this module expects nothing is kept and every pattern is
compiled as before. This uses the compiler's own steps (``re._parser``, ``re._compiler``,
``_sre.compile``) rather than copies of them.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from .yamlcache import NotPlain, cached_value


def compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    """``re.compile`` of each pattern (flags 0), from the cache when it is there.

    A pattern ``re.compile`` refuses raises the same ``re.error`` as it would.
    """
    if not patterns:
        return ()
    from re import _constants  # type: ignore[attr-defined]

    key = "\0".join((sys.version, str(_constants.MAGIC), *patterns)).encode("utf-8", "surrogatepass")
    return cached_value(key, ("regexcache.py",), lambda: tuple(re.compile(pattern) for pattern in patterns),
                        _encode, _decode)


def _encode(patterns: tuple[re.Pattern, ...]) -> Any:
    try:
        kept = tuple(_code(pattern.pattern) for pattern in patterns)
        if _decode(kept) != patterns:
            raise NotPlain
    except NotPlain:
        raise
    except Exception:  # noqa: BLE001 - a compiler unlike the one expected: keep nothing
        raise NotPlain from None
    return kept


def _code(pattern: str) -> tuple:
    """The arguments ``re._compiler.compile`` gives ``_sre.compile`` for ``pattern`` (flags 0)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, 0)
    code = [int(op) for op in _compiler._code(parsed, 0)]
    index = [None] * parsed.state.groups
    for name, number in parsed.state.groupdict.items():
        index[number] = name
    return (pattern, int(parsed.state.flags), code, parsed.state.groups - 1, dict(parsed.state.groupdict),
            tuple(index))


def _decode(kept: Any) -> tuple[re.Pattern, ...]:
    import _sre

    try:
        return tuple(_sre.compile(*arguments) for arguments in kept)
    except Exception as error:  # noqa: BLE001 - code the engine refuses (RuntimeError): compile afresh
        raise ValueError("unusable entry") from error
