"""Writing results: the file type follows the extension, and files are written atomically.

A file is first written to a temporary file beside its destination and then renamed over it,
so an interrupted or failed run never leaves a half-written output behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .errors import Location, NarratorError

_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_TABLE_RULE = re.compile(r"^\|(\s*-+\s*\|)+\s*$", re.MULTILINE)


def markdown_to_text(markdown: str) -> str:
    """Plain text: headings without ``#``, table rows as tab-separated cells."""
    text = _HEADING.sub("", markdown)
    text = _TABLE_RULE.sub("", text)
    lines = []
    for line in text.split("\n"):
        if line.startswith("|") and line.endswith("|"):
            line = "\t".join(cell.strip() for cell in line.strip("|").split("|"))
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


CONVERTERS = {
    ".md": lambda markdown: markdown,
    ".markdown": lambda markdown: markdown,
    ".txt": markdown_to_text,
}
"""Output types by file extension (the text is rendered as Markdown first)."""


def convert(markdown: str, kind: str) -> str:
    """The rendered Markdown as the type named by an extension or a name (``md``, ``txt``)."""
    key = kind if kind.startswith(".") else "." + kind
    converter = CONVERTERS.get(key.lower())
    if converter is None:
        kinds = "、".join(sorted(CONVERTERS))
        raise NarratorError.at(Location(kind), "unknown-output-type",
                               f"不支持的输出类型 “{kind}”，可用：{kinds}")
    return converter(markdown)


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    target = Path(path)
    if target.parent and not target.parent.exists():
        raise NarratorError.at(Location(str(target)), "output", f"输出目录不存在：{target.parent}")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
