"""Writing results: the file type follows the extension, and files are written atomically.

A file is first written to a temporary file beside its destination and then renamed over it
(:mod:`narrator.document.atomicwrite`: :func:`write_all`, :func:`write_atomic`, re-exported here), so an
interrupted or failed run never leaves a half-written output behind.

Before a command writes anything, :func:`check_outputs` checks every place it will write, so a
command that cannot write one of its outputs writes none of them, and never writes over one of
its own inputs.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Iterable, Optional

from ..errors import Location, NarratorError
from .atomicwrite import os_reason, write_all, write_atomic  # noqa: F401 - every command writes through here

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
    from .html import markdown_to_html as convert_html

    return convert_html(markdown, format_name)


def markdown_to_docx(markdown: str, format_name: str | None = None) -> bytes:
    """A Word document in official-document style (imported lazily: python-docx is slow to load)."""
    from .docx import markdown_to_docx as convert_docx

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


Named = tuple[str, Optional[Path]]
"""A path with what it is to the person (``-o``, ``--explain``, ``数据文件``); None: not given."""


def check_outputs(files: Iterable[Named] = (), inputs: Iterable[Named] = (),
                  folders: Iterable[Named] = ()) -> None:
    """Refuse, before anything is written, outputs that cannot be written or would destroy an input.

    ``files`` are the files a command will write, ``folders`` the folders it will create and write
    into (``batch -o``), ``inputs`` the files it reads. A file is refused when it is a folder, is
    one of the inputs or another output, or its folder is missing or not writable; a folder when
    an existing file has its name or it cannot be made. A file inside a folder to be made is
    checked as that folder.
    """
    files = list(files)
    made = [(name, path) for name, path in folders if path is not None]
    read = [(name, path, _real(path)) for name, path in (inputs if files else ())
            if path is not None and path.exists()]
    for name, folder in made:
        if folder.exists() and not folder.is_dir():
            _refuse(folder, f"{name} 应是文件夹，但已有同名文件：{folder}")
        _check_folder(_real(folder), folder, True, folder)
    written: list[tuple[str, Path]] = []
    for name, path in ((name, path) for name, path in files if path is not None):
        real = _real(path)
        if path.is_dir():
            _refuse(path, f"{name} 给的是文件夹，应给文件名")
        for what, source, source_real in read:
            if real == source_real or (path.exists() and os.path.samefile(path, source)):
                raise NarratorError.at(Location(str(path)), "output-is-input",
                                       f"{name} 的文件就是本命令读取的{what} {source}，写入会把它覆盖；"
                                       "请另给一个文件名")
        for other, other_real in written:
            if real == other_real:
                raise NarratorError.at(Location(str(path)), "output-clash",
                                       f"{name} 与 {other} 是同一个文件，后写的会覆盖先写的；请另给一个文件名")
        written.append((name, real))
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):  # a device or pipe is written into
            if not os.access(path, os.W_OK):
                _refuse(path, f"{name} 的文件不可写（没有写入权限）")
            continue
        # a file in a folder the command makes (batch -r out/r.json) may have its folder missing
        inside = any(real.parent == _real(folder) or _real(folder) in real.parent.parents for _, folder in made)
        _check_folder(real.parent, path, inside, path.parent)


def _real(path: Path) -> Path:
    """The path with every link followed, absolute (it need not exist)."""
    return Path(os.path.realpath(path))


def _check_folder(folder: Path, shown: Path, may_make: bool, named: Path) -> None:
    """Refuse ``shown`` when ``folder`` (to write in; made first when ``may_make``) cannot be
    written; ``named`` is the folder as the person wrote it."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing != folder and not may_make:
        _refuse(shown, f"输出目录不存在：{named}")
    place = named if existing == folder else existing
    if not existing.is_dir():
        _refuse(shown, f"输出目录不是文件夹：{place}")
    if not os.access(existing, os.W_OK | os.X_OK):
        _refuse(shown, f"输出目录不可写（只读或没有写入权限）：{place}")


def _refuse(path: Path, message: str) -> None:
    raise NarratorError.at(Location(str(path)), "output", message)


def make_folder(folder: Path) -> None:
    """Make ``folder`` and its parents (if missing); a failure of the system is a located error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NarratorError.at(Location(str(folder)), "output", f"无法建立文件夹：{os_reason(exc)}") from None
