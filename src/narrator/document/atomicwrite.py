"""Writing files atomically: all the outputs of a command, or none (see :mod:`narrator.document.output`).

A file is first written to a temporary file beside its destination and then renamed over it,
so an interrupted or failed run never leaves a half-written output behind. A symbolic link is
written through: the file it points to is replaced (in that file's folder) and the link stays.
A device or named pipe (``-o /dev/stdout``) cannot be renamed over, so it is written directly.

An output whose file already holds exactly the bytes to write (the same size, mode and owner, no
other link to it) is left as it is and only its time set, as a rewrite would: replacing a file
costs the system more than all the rest of writing it (ext4 allocates and starts writing the new
file's blocks when a rename replaces a file), and a batch run again over its own outputs writes
mostly the same texts. A run that fails writes nothing, so such a file's time is set only once
every other output is ready to be renamed.
"""

from __future__ import annotations

import errno
import itertools
import os
import stat
from pathlib import Path
from typing import Sequence

from ..errors import Location, NarratorError


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
    staged: list[tuple[str | None, str, Path | str]] = []   # (temporary or None: unchanged, target, name asked for)
    renamed = 0
    shown: Path | str = ""
    try:
        through = []
        for shown, data in outputs:
            payload = data.encode("utf-8") if isinstance(data, str) else data
            target, status = _place(shown, payload, through)
            if target is not None:
                kept = status is not None and _holds(target, status, payload)
                staged.append((None if kept else _stage(target, payload), target, shown))
        for shown, target, payload in through:
            _write_through(Path(target), payload)
        for temporary, target, shown in staged:
            if temporary is None:
                os.utime(target)  # (its time, as if written now)
            else:
                os.replace(temporary, target)
            renamed += 1
    except OSError as exc:
        raise NarratorError.at(Location(str(shown)), "output", f"无法写入：{os_reason(exc)}") from None
    finally:
        for temporary, _, _ in staged[renamed:]:  # left only when something failed
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)


def _place(shown: Path | str, payload: bytes, through: list) -> tuple[str | None, os.stat_result | None]:
    """Where ``shown`` is written: the file to replace (a link's target), or None when it is a
    device, a pipe or a file reached through /dev or /proc, put on ``through`` to be written into;
    and the status of the file there when it is a file of its own (no link) to compare with.

    One ``lstat`` for the usual file (a Path's exists, is_dir, stat, is_symlink and its folder's
    exists were five, and most of writing a text besides the system's own work); a link's target
    is looked at as well.
    """
    name = os.fspath(shown)
    status = _status(name, False)
    link = status is not None and stat.S_ISLNK(status.st_mode)
    if link:  # (the file itself is looked at once: a link's target only for a link)
        status = _status(name)
    if status is not None and not stat.S_ISDIR(status.st_mode) and (
            not stat.S_ISREG(status.st_mode) or _reaches_descriptor(name, link)):
        through.append((shown, name, payload))
        return None, None
    if link:
        name = os.path.realpath(name)
    elif status is not None:
        return name, status  # an existing file: its folder is there
    folder = os.path.dirname(name)
    if folder and _status(folder) is None:
        raise NarratorError.at(Location(str(shown)), "output", f"输出目录不存在：{Path(shown).parent}")
    return name, None


def _holds(name: str, status: os.stat_result, payload: bytes) -> bool:
    """Whether the file ``name`` (``status``: an existing file, not a link) holds ``payload`` and
    is what writing it anew would leave: the mode of a new file, ours, no other name linked to it."""
    if status.st_size != len(payload) or status.st_nlink != 1 or stat.S_IMODE(status.st_mode) != 0o666 & ~_umask() \
            or status.st_uid != _owner():
        return False
    try:
        handle = os.open(name, os.O_RDONLY | _CLOEXEC | _NOFOLLOW)
    except OSError:
        return False  # (writing it says why, if it cannot be written either)
    try:
        held = os.read(handle, len(payload) + 1)  # (a short read only makes it written anew)
    except OSError:
        return False
    finally:
        os.close(handle)
    return held == payload


#: The failures of ``stat`` that mean “not there” (as ``Path.exists`` takes them); others are errors.
_MISSING = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _status(name: str, follow: bool = True) -> os.stat_result | None:
    """``os.stat(name)`` (``os.lstat`` unless ``follow``), or None when there is nothing there (a
    refusal of the system is raised)."""
    try:
        return os.stat(name, follow_symlinks=follow)
    except OSError as exc:
        if exc.errno in _MISSING:
            return None
        raise


def _reaches_descriptor(name: str, link: bool) -> bool:
    """Whether the file ``name`` (a link when ``link``) is reached through /dev or /proc
    (``/dev/stdout > 文件``): it is written as a shell would, in place, not replaced behind the
    shell's back. The path as given is looked at, and the path with every link followed."""
    absolute = name if _normal_absolute(name) else str(Path(name).absolute())
    if absolute.startswith(_DESCRIPTORS):
        return True
    if link:
        return os.path.realpath(name).startswith(_DESCRIPTORS)
    folder, base = os.path.split(absolute)  # (the file itself is no link: only its folder's path can be)
    return os.path.join(_real_folder(folder), base).startswith(_DESCRIPTORS)


def _normal_absolute(name: str) -> bool:
    """Whether ``name`` is already what ``str(Path(name).absolute())`` gives (an absolute path
    without doubled slashes, ``.`` parts or a trailing slash): that costs more than a stat."""
    return name[:1] == "/" and "//" not in name and "/./" not in name and not name.endswith(("/", "/."))


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


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_owner = getattr(os, "geteuid", lambda: 0)  # (where there is no owner, a file's is 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: A new temporary: never an existing file or link (``O_EXCL``), and the mode any program's new file
#: gets (0644 under the usual umask 022: an output is a document to share, not private).
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _NOFOLLOW | getattr(os, "O_BINARY", 0)
_NUMBERS = itertools.count()
#: Names tried for a temporary before giving up (each taken one is a leftover, or someone's trap).
_TRIES = 100


def _stage(target: str, payload: bytes) -> str:
    """A temporary file beside ``target`` holding ``payload`` (to be renamed over ``target``).

    Named after the target, this process and a count (``.第三部分.md.1234-0.tmp``), which no other
    process writing beside it uses; a name that is taken is never opened (``O_EXCL``), the next
    one is tried. (``tempfile.mkstemp`` draws random names and makes the file private, to be
    opened up again: a third of writing a text besides the system's own work.)
    """
    folder, name = os.path.split(target)
    prefix = os.path.join(folder, f".{name}.{os.getpid()}-")
    for _ in range(_TRIES):
        temporary = f"{prefix}{next(_NUMBERS)}.tmp"
        try:
            handle = _open_temporary(temporary)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), temporary)
    try:
        try:
            view = memoryview(payload)
            while view:  # (os.write may write less than asked)
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _open_temporary(temporary: str) -> int:
    """Create and open the temporary file ``temporary`` (the one place a temporary is made)."""
    return os.open(temporary, _CREATE, 0o666)


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
