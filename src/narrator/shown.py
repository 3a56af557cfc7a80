"""Text shown on a terminal: control sequences in values are printed as escapes, never obeyed.

A file name, a department or a sentence quoted in a finding comes from the user's files; an ESC
in one would move the cursor, recolour or retitle the terminal, a lone surrogate would stop the
printing with an encoding error, and a bidirectional override would reorder the line so that it
reads as something else. Each is shown as its escape (``\\x1b``, ``\\ud800``, ``\\u202e``).
"""

from __future__ import annotations

import re

# C0 controls but tab (a finding is one line, so newline too; explain separates columns with
# tabs), DEL, C1 controls, lone surrogates,
# and the bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control or reordering character written as its escape (“\\x1b”)."""
    return _UNSAFE.sub(_escape, text)
