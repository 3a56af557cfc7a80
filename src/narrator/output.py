"""Writing results: the file type follows the extension, and files are written atomically.

A file is first written to a temporary file beside its destination and then renamed over it,
so an interrupted or failed run never leaves a half-written output behind. A symbolic link is
written through: the file it points to is replaced (in that file's folder) and the link stays.
A device or named pipe (``-o /dev/stdout``) cannot be renamed over, so it is written directly.

Before a command writes anything, :func:`check_outputs` checks every place it will write, so a
command that cannot write one of its outputs writes none of them, and never writes over one of
its own inputs.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Iterable, Optional, Sequence

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


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename, with the mode the umask gives.

    A link is followed (the file it points to is replaced, the link kept); a device or named pipe
    is written directly. Any failure of the system (disk full, no permission) is a located error.
    """
    write_all([(path, data)])


def write_all(outputs: Sequence[tuple[Path | str, str | bytes]]) -> None:
    """Write the outputs of one command: all of them or, when one cannot be written, none.

    Every file is first written to a temporary beside it (where a full disk or a missing
    permission shows); only when all are written are they renamed into place. A device or
    named pipe, which cannot wait as a temporary, is written between the two steps.
    """
    staged: list[tuple[str, str, Path | str]] = []   # (temporary, target, the name asked for)
    renamed = 0
    shown: Path | str = ""
    try:
        through = []
        for shown, data in outputs:
            payload = data.encode("utf-8") if isinstance(data, str) else data
            target = _place(shown, payload, through)
            if target is not None:
                staged.append((_stage(target, payload), target, shown))
        for shown, target, payload in through:
            _write_through(Path(target), payload)
        for temporary, target, shown in staged:
            os.replace(temporary, target)
            renamed += 1
    except OSError as exc:
        raise NarratorError.at(Location(str(shown)), "output", f"无法写入：{os_reason(exc)}") from None
    finally:
        for temporary, _, _ in staged[renamed:]:  # left only when something failed
            Path(temporary).unlink(missing_ok=True)


def _place(shown: Path | str, payload: bytes, through: list) -> str | None:
    """Where ``shown`` is written: the file to replace (a link's target), or None when it is a
    device, a pipe or a file reached through /dev or /proc, put on ``through`` to be written into.

    One ``stat`` and one ``lstat`` for the usual file (a Path's exists, is_dir, stat, is_symlink
    and its folder's exists were five, and most of writing a text besides the system's own work).
    """
    name = os.fspath(shown)
    status = _status(name)
    link = os.path.islink(name)
    if status is not None and not stat.S_ISDIR(status.st_mode) and (
            not stat.S_ISREG(status.st_mode) or _reaches_descriptor(name, link)):
        through.append((shown, name, payload))
        return None
    if link:
        name = os.path.realpath(name)
    elif status is not None:
        return name  # an existing file: its folder is there
    folder = os.path.dirname(name)
    if folder and _status(folder) is None:
        raise NarratorError.at(Location(str(shown)), "output", f"输出目录不存在：{Path(shown).parent}")
    return name


#: The failures of ``stat`` that mean “not there” (as ``Path.exists`` takes them); others are errors.
_MISSING = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _status(name: str) -> os.stat_result | None:
    """``os.stat(name)``, or None when there is nothing there (a refusal of the system is raised)."""
    try:
        return os.stat(name)
    except OSError as exc:
        if exc.errno in _MISSING:
            return None
        raise


def _reaches_descriptor(name: str, link: bool) -> bool:
    """Whether the file ``name`` (a link when ``link``) is reached through /dev or /proc
    (``/dev/stdout > 文件``): it is written as a shell would, in place, not replaced behind the
    shell's back. The path as given is looked at, and the path with every link followed."""
    absolute = str(Path(name).absolute())
    if absolute.startswith(_DESCRIPTORS):
        return True
    if link:
        return os.path.realpath(name).startswith(_DESCRIPTORS)
    folder, base = os.path.split(absolute)  # (the file itself is no link: only its folder's path can be)
    return os.path.join(_real_folder(folder), base).startswith(_DESCRIPTORS)


_DESCRIPTORS = ("/dev/", "/proc/")
_FOLDERS: dict[str, tuple[int, int, str]] = {}


def _real_folder(folder: str) -> str:
    """``os.path.realpath(folder)``, remembered while the path still leads to the same folder.

    Following every link of a path is a system call per part of it (a fifth of writing a text);
    the outputs of a batch all go to one folder. A path whose links changed to lead elsewhere
    leads to another folder (another device or inode), and is followed again.
    """
    status = os.stat(folder)
    known = _FOLDERS.get(folder)
    if known is not None and known[0] == status.st_dev and known[1] == status.st_ino:
        return known[2]
    if len(_FOLDERS) > 256:
        _FOLDERS.clear()
    real = os.path.realpath(folder)
    _FOLDERS[folder] = (status.st_dev, status.st_ino, real)
    return real


def _write_through(target: Path, payload: bytes) -> None:
    """Write into a device or named pipe; a pipe nobody reads is an error, not a wait forever."""
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    handle = os.open(target, os.O_WRONLY | os.O_TRUNC | nonblocking)
    if nonblocking:  # opened without waiting for a reader; the writing itself may wait
        import fcntl

        fcntl.fcntl(handle, fcntl.F_SETFL, fcntl.fcntl(handle, fcntl.F_GETFL) & ~nonblocking)
    with os.fdopen(handle, "wb") as stream:
        stream.write(payload)


def _stage(target: str, payload: bytes) -> str:
    """A temporary file beside ``target`` holding ``payload`` (to be renamed over ``target``)."""
    folder, name = os.path.split(target)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or ".")
    try:
        try:
            view = memoryview(payload)
            while view:  # (os.write may write less than asked)
                view = view[os.write(handle, view):]
            # mkstemp makes the file private (0600); an output is a document to share, so it gets
            # the mode any program's new file gets (0644 under the usual umask 022)
            os.fchmod(handle, 0o666 & ~_umask())
        finally:
            os.close(handle)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _umask() -> int:
    """The process's umask (it can only be read by setting it; it is set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘或文件夹只读",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EFBIG: "文件过大",
    errno.EEXIST: "已有同名的文件",
    errno.ENXIO: "命名管道没有读取的程序",
    errno.EPIPE: "读取的程序已关闭",
    errno.EIO: "读写设备出错",
}


def os_reason(error: OSError) -> str:
    """Why the system refused a read or write, in Chinese (the system's own words are English)."""
    reason = _REASONS.get(error.errno or 0)
    if reason is None:
        reason = f"系统错误 {errno.errorcode.get(error.errno or 0, error.errno)}"
    return reason
