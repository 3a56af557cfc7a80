"""Bounds on a zip package (.xlsx, .docx), checked before a library unpacks it.

openpyxl and python-docx unpack a part whole: a 1 MB file can hold a gigabyte of text in one
cell or paragraph. The sizes the zip declares are checked first; then every part is inflated in
small pieces and counted, so a part whose real content is larger than it declares (zipfile stops
at the declared size and finds the checksum wrong) is refused as damaged, never unpacked whole.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import NarratorError

MAX_UNCOMPRESSED = 100 * 1024 * 1024   # bytes of all the members together
MAX_MEMBERS = 10_000
_PIECE = 1024 * 1024


def check_zip(source: Path | str | bytes, too_large: Callable[[str], NarratorError],
              damaged: Callable[[], NarratorError]) -> None:
    """Refuse a package too large when unpacked (``too_large(why)``) or inconsistent (``damaged()``).

    A file that is not a zip at all is left to the loader, which says what the file is not.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise too_large(f"包含 {len(members)} 个部件（最多 {MAX_MEMBERS} 个）")
        total = sum(member.file_size for member in members)
        if total > MAX_UNCOMPRESSED:
            raise too_large(f"解压后 {total // (1024 * 1024)} MB（最多 {MAX_UNCOMPRESSED // (1024 * 1024)} MB）")
        try:
            for member in members:
                with archive.open(member) as stream:
                    while stream.read(_PIECE):
                        pass
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError):
            raise damaged() from None
        except RuntimeError:  # an encrypted member
            raise damaged() from None
