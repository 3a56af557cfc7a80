"""The last-resort error message: an exception a command did not turn into a NarratorError.

Specific places should give better messages; this keeps a hostile or broken input from ending
in a traceback. The message is Chinese, placed at the file the exception names (an OSError) or
else at the first input file of the command line, and the command exits with 2.
"""

from __future__ import annotations

import decimal
import errno
import sys
from pathlib import Path

from .errors import Finding, Location

#: The exceptions a user's input can provoke that the command boundary turns into a message
#: (and zipfile's BadZipFile: see :func:`caught`).
CAUGHT = (OSError, RecursionError, MemoryError, ValueError, decimal.InvalidOperation, UnicodeError,
          OverflowError)


def caught() -> tuple[type[BaseException], ...]:
    """:data:`CAUGHT`, with ``zipfile.BadZipFile`` once zipfile is loaded (a .docx or .xlsx was
    opened): nothing raises one before, and a render to text need not import zipfile at all."""
    zipfile = sys.modules.get("zipfile")
    return CAUGHT if zipfile is None else (*CAUGHT, zipfile.BadZipFile)

_OS_ERRORS = {
    errno.ENOENT: "找不到文件或文件夹",
    errno.EACCES: "没有读写权限",
    errno.EPERM: "不允许此操作",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读，无法写入",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EMFILE: "打开的文件太多",
}


def os_reason(error: OSError) -> str:
    """Why an OSError happened, in Chinese (its own text when narrator wrote it in Chinese)."""
    text = error.strerror or ""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return _OS_ERRORS.get(error.errno or 0, f"系统错误（错误号 {error.errno}）")


def _input_path(argv: list[str]) -> str:
    """The first command-line argument naming an existing file or folder, else “<命令行>”."""
    for arg in argv:
        if arg.startswith("-"):
            continue
        try:
            if Path(arg).exists():
                return arg
        except (OSError, ValueError):
            continue
    return "<命令行>"


def describe(error: BaseException, argv: list[str]) -> Finding:
    """A located Chinese finding for an exception that escaped a command."""
    path = _input_path(argv)
    if isinstance(error, OSError):
        if error.filename is not None:
            path = str(error.filename)
        message = f"无法读写文件：{os_reason(error)}"
    elif isinstance(error, RecursionError):
        message = "输入嵌套太深（如层层嵌套的括号或引用），无法处理；请检查文件内容"
    elif isinstance(error, MemoryError):
        message = "输入太大，内存不足，无法处理；请检查文件内容"
    elif isinstance(error, UnicodeError):
        message = "文字编码无效（含有无法编码或解码的字符）；请检查文件内容"
    elif isinstance(error, decimal.InvalidOperation):
        message = "数值无效或超出可计算的范围；请检查文件中的金额"
    elif "zipfile" in sys.modules and isinstance(error, sys.modules["zipfile"].BadZipFile):
        message = "文件已损坏（zip 压缩格式有误，如 .xlsx、.docx），无法读取；请检查文件"
    elif isinstance(error, OverflowError):
        message = "数值超出可计算的范围；请检查文件中的金额"
    else:
        message = f"输入的值无效，无法处理；请检查文件内容（{error}）"
    return Finding(Location(path), "error", "bad-input", message)
