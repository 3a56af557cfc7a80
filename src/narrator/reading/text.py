"""Text files (.txt, .md): the encoding found by a strict decode cascade, then the lines.

UTF-8 (with or without BOM), UTF-16 (with BOM, or little/big endian without one when the NUL
bytes say so), and GB18030 (which covers GBK and GB2312) are tried in that order; each decode is
strict, and the result must look like text (no control chars). A form feed or a page mark line
(“--- page 3 ---”) starts a new page of the text, so that running headers can be found.
"""

from __future__ import annotations

import codecs
import re

from . import ReadDocument, ReadError
from .lines import SourceLine, display_width, is_page_mark

NOT_TEXT = "文件不是可读取的文本（不是 UTF-8、UTF-16 或 GBK/GB18030 编码，可能是二进制文件）"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNUSUAL = re.compile(r"[^\t\n\f\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2100-\u27bf\u3000-\u303f"
                      r"\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def decode(data: bytes, shown: str) -> str:
    """The text of a file's bytes; bytes that are no known encoding raise :class:`ReadError`."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(_strict(data, encoding), shown)
    attempts = ["utf-8", "gb18030"]
    if b"\x00" in data:
        odd_nuls = data[1::2].count(0)
        even_nuls = data[0::2].count(0)
        attempts = ["utf-16-le" if odd_nuls >= even_nuls else "utf-16-be"]
    for encoding in attempts:
        text = _strict(data, encoding)
        if text is not None and not _CONTROL.search(text) and (encoding == "utf-8" or _plausible(text)):
            return text
    raise ReadError.file(shown, NOT_TEXT)


def _plausible(text: str) -> bool:
    """Whether a decode without a BOM gave text: nearly all chars are ASCII, CJK or CJK punctuation.

    Random bytes often decode as UTF-16 or GB18030 without error, into rare chars of every script.
    """
    sample = text[:20000]
    odd = len(_UNUSUAL.findall(sample))
    return odd <= 0.05 * max(len(sample), 1)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _checked(text: str | None, shown: str) -> str:
    if text is None or _CONTROL.search(text):
        raise ReadError.file(shown, NOT_TEXT)
    return text


def text_lines(text: str) -> list[SourceLine]:
    """The lines of a text, numbered from 1 as an editor numbers them."""
    lines = []
    sheet = 1
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, raw in enumerate(text.split("\n"), 1):
        if "\f" in raw:
            sheet += raw.count("\f")
            raw = raw.replace("\f", " ")   # keep the columns of the rest of the line
        if is_page_mark(raw):
            sheet += 1
        stripped = raw.lstrip(" \t\u3000")
        left = display_width(raw[: len(raw) - len(stripped)])
        width = display_width(stripped.rstrip(" \t\u3000"))
        lines.append(SourceLine(0, number, raw, sheet=sheet, left=left, right=left + width if width else 0))
    return lines


def read_text_document(data: bytes, shown: str) -> ReadDocument:
    """Read a text file's bytes into a rebuilt document."""
    from .rebuild import build_document

    text = decode(data, shown)
    if not text.strip():
        raise ReadError.file(shown, "文件中没有文字")
    return build_document(text_lines(text), shown, "text")
