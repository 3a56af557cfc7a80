"""The one decode cascade of narrator: the text of a file's bytes, whatever the encoding.

UTF-8 (with or without BOM), UTF-16 (with BOM, or little/big endian without one when the NUL
bytes say so), and GB18030 (which covers GBK and GB2312) are tried in that order; each decode is
strict, and the result must look like text (no control chars). Kept apart from the reading
package (PDF, Word, text documents) so that reading a figures or rules file does not load it.
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from pathlib import PurePath

from ..errors import Location, NarratorError


class ReadError(NarratorError):
    """A file that cannot be read as a document (not a PDF, encrypted, only images, empty …)."""

    @classmethod
    def file(cls, shown: str, message: str) -> "ReadError":
        """The error of a whole file, placed at ``path:0:0``."""
        return cls.at(Location(shown), "file-unreadable", message)


NOT_TEXT = "文件不是可读取的文本（不是 UTF-8、UTF-16 或 GBK/GB18030 编码，可能是二进制文件）"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNUSUAL = (r"[^\t\n\f\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2100-\u27bf\u3000-\u303f"
            r"\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_TRUSTED = {"utf-8", "utf-8-sig", "utf-16"}   # strict UTF-8, or a BOM: no need to look like text
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Files a clerk gives by mistake where a text is wanted (the workbook for the figures, a .doc
# for the text): their first bytes say what they are, and the advice is what to do with them
# instead of the encoding advice, which would send them to Notepad.
_WORKBOOK = "这是 Excel 工作簿，不是文本文件：预算公开表请先用 narrator import 导入为数据文件（figures.yaml），再用这个数据文件"
_OLD_WORD = "这是旧版 Word 或 WPS 文件（.doc、.wps），不是文本文件：请在 Word 或 WPS 中另存为 .docx 后再用"
_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", {".xls": _WORKBOOK, ".et": _WORKBOOK}, _OLD_WORD),
    (b"PK\x03\x04", {".xlsx": _WORKBOOK, ".xlsm": _WORKBOOK, ".et": _WORKBOOK,
                      ".docx": "这是 Word 文件（.docx），不是文本文件：这里要的是数据文件（figures.yaml）或文本文件（.txt、.md）"},
     "这是 Word、Excel 等 Office 文件（.docx、.xlsx），不是文本文件：Word 文件的扩展名应为 .docx，"
     "预算公开表工作簿请用 narrator import 导入"),
    (b"%PDF-", {}, "这是 PDF 文件，不是文本文件：已公开的 PDF 请用 narrator review 审查"),
)


def decode(data: bytes, shown: str) -> str:
    """The text of a file's bytes; bytes that are no known encoding raise :class:`ReadError`.

    Every text narrator reads (figures and rules YAML, texts to lint, review and update) comes
    through here. The error names the first byte that no encoding could read, counted in the
    encoding that read furthest: in a GBK file with one damaged character that is the damaged
    one, not the first Chinese character (where UTF-8 gave up). An Office file or a PDF is named
    as such, with what to do with it.
    """
    for signature, by_suffix, otherwise in _SIGNATURES:
        if data.startswith(signature):
            raise ReadError.file(shown, by_suffix.get(PurePath(shown).suffix.lower(), otherwise))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            attempts = [encoding]
            break
    else:
        attempts = ["utf-8", "gb18030"]
        if b"\x00" in data:
            odd_nuls = data[1::2].count(0)
            even_nuls = data[0::2].count(0)
            attempts = ["utf-16-le" if odd_nuls >= even_nuls else "utf-16-be"]
    stops: list[tuple[int, str]] = []   # (byte offset where the decode stopped, encoding)
    for encoding in attempts:
        text, stop = _read(data, encoding)
        if stop is None and (encoding in _TRUSTED or _plausible(text)):
            return text
        if stop is not None:
            stops.append((stop, encoding))
        if encoding == "utf-8" and text is None and _mostly_utf8(data):
            break   # UTF-8 with a few foreign bytes: GB18030 would read it, into other characters
    if "utf-8" not in attempts:
        _, stop = _read(data, "utf-8")
        stops.append((len(data) if stop is None else stop, "utf-8"))
    raise _not_text(data, shown, *max(stops, default=(len(data), "utf-8")))


def _read(data: bytes, encoding: str) -> tuple[str | None, int | None]:
    """The text in ``encoding`` (None if it cannot be decoded) and the offset of the first byte
    that it cannot read as text (None if there is none)."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return None, exc.start
    control = _CONTROL.search(text)
    return text, (len(text[:control.start()].encode(encoding)) if control else None)


def _mostly_utf8(data: bytes) -> bool:
    """Whether most non-ASCII chars of bytes that are not valid UTF-8 are UTF-8 all the same.

    Such a file is UTF-8 with a few foreign bytes (a word pasted from a GBK file). GB18030 reads
    nearly any bytes, so it would decode the file without error and change every Chinese char;
    a GBK file, read as UTF-8, gives far more errors than chars.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return sum(1 for char in text if char > "\x7f") - bad > 2 * bad


def _not_text(data: bytes, shown: str, offset: int, encoding: str) -> ReadError:
    """The error of bytes no encoding reads, placed at the first byte the best encoding could not read."""
    if offset >= len(data):
        return ReadError.file(shown, NOT_TEXT)
    before = data[:offset].decode(encoding, errors="replace")
    if before.startswith("\ufeff"):
        before = before[1:]
    line = before.count("\n") + 1
    column = len(before) - before.rfind("\n")
    message = (f"文件不是可读取的文本：第 {line} 行第 {column} 个字符处（文件第 {offset + 1} 个字节，"
               f"0x{data[offset]:02X}）无法按 UTF-8、UTF-16 或 GBK/GB18030 编码读取；"
               "可能是二进制文件，或一个文件中混用了几种编码（如是文本，请在记事本中另存为 UTF-8 编码）")
    return ReadError.at(Location(shown, line, column), "file-unreadable", message)


@cache
def _unusual() -> re.Pattern:
    """The pattern of unusual chars, compiled when first asked (its ranges cost 4 ms to compile,
    and only a file that is not UTF-8 is ever asked about)."""
    return re.compile(_UNUSUAL)


def _plausible(text: str) -> bool:
    """Whether a decode without a BOM gave text: nearly all chars are ASCII, CJK or CJK punctuation.

    Random bytes often decode as UTF-16 or GB18030 without error, into rare chars of every script.
    """
    sample = text[:20000]
    odd = len(_unusual().findall(sample))
    return odd <= 0.05 * max(len(sample), 1)
