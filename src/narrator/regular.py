"""Which paths may be opened: regular files only, read with a bound on their size."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: Why a named pipe or a device is not read (an OSError's strerror, shown to the user).
NOT_REGULAR = "不是普通文件（如命名管道或设备），未读取"


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (or a link to one), asked without opening it: a named
    pipe would block the reader forever, a device would be read without end."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def read_regular(path: Path | str, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Opened without blocking (a named pipe with no writer would wait forever) and checked on the
    open descriptor, so a pipe, a device (``/dev/zero`` never ends) or a folder is an OSError with
    a Chinese ``strerror``, as is a file larger than ``limit``; nothing else is ever read.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "这是一个文件夹，不是文件", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, NOT_REGULAR, str(path))
        if limit is None:
            return handle.read()
        data = handle.read(limit + 1)  # the size may have grown since it was asked
        if len(data) > limit:
            raise OSError(errno.EFBIG, f"文件太大（超过 {limit // (1024 * 1024)} MB 的上限），未读取", str(path))
        return data
