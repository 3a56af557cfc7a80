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


def markdown_to_html(markdown: str, format_name: str | None = None) -> str:
    """A self-contained web page (fonts and sizes from the document style)."""
    from .document.html import markdown_to_html as convert_html

    return convert_html(markdown, format_name)


def markdown_to_docx(markdown: str, format_name: str | None = None) -> bytes:
    """A Word document in official-document style (imported lazily: python-docx is slow to load)."""
    from .document.docx import markdown_to_docx as convert_docx

    return convert_docx(markdown, format_name)


CONVERTERS = {
    ".md": lambda markdown, format_name=None: markdown,
    ".markdown": lambda markdown, format_name=None: markdown,
    ".txt": lambda markdown, format_name=None: markdown_to_text(markdown),
    ".html": markdown_to_html,
    ".htm": markdown_to_html,
    ".docx": markdown_to_docx,
}
"""Output types by file extension (the text is rendered as Markdown first).

Each converter takes the Markdown and the format's name (whose document style, fonts and page
layout, it may use) and returns text, or bytes for binary types such as .docx."""


# what to write instead of an output type people ask for and narrator does not write
_INSTEAD = {
    ".doc": "Word、WPS 文件请写 .docx",
    ".wps": "Word、WPS 文件请写 .docx",
    ".pdf": "要 PDF 请写 .docx，在 Word 或 WPS 中另存为 PDF",
}


def check_output_type(kind: str, shown: str | None = None) -> str:
    """The extension of a known output type (``kind`` is an extension or a name); an unknown one
    is an error at ``shown`` (the output file), listing the types there are."""
    key = (kind if kind.startswith(".") else "." + kind).lower()
    if key not in CONVERTERS:
        kinds = "、".join(sorted(CONVERTERS))
        instead = f"；{_INSTEAD[key]}" if key in _INSTEAD else ""
        raise NarratorError.at(Location(shown or kind), "unknown-output-type",
                               f"不支持的输出类型 “{kind}”，可用：{kinds}{instead}")
    return key


def convert(markdown: str, kind: str, format_name: str | None = None, shown: str | None = None) -> str | bytes:
    """The rendered Markdown as the type named by an extension or a name (``md``, ``docx`` …);
    an unknown type is an error at ``shown`` (the output file, when there is one)."""
    return CONVERTERS[check_output_type(kind, shown)](markdown, format_name)


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename, with the mode the umask gives."""
    target = Path(path)
    if target.parent and not target.parent.exists():
        raise NarratorError.at(Location(str(target)), "output", f"输出目录不存在：{target.parent}")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        # mkstemp makes the file private (0600); an output is a document to share, so it gets
        # the mode any program's new file gets (0644 under the usual umask 022)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (it can only be read by setting it; it is set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
