"""The working folder: the only place the server keeps anything.

Each draft or review is a folder named by a random id under the working folder the person chose
(``narrator serve --workdir``) or a temporary one. Uploads are stored under names the server makes
(``workbook.xlsx``, ``file-3.pdf``), never under the name the browser sent, and every file is
written atomically. What a page needs between requests (the imported draft, the review results)
is also held in memory, keyed by the same id.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..document.output import make_folder, write_atomic


class Store:
    """The working folder and the sessions (drafts and reviews) held for the pages."""

    def __init__(self, folder: Path | None = None) -> None:
        self.temporary = folder is None
        self.folder = Path(tempfile.mkdtemp(prefix="narrator-web-")) if folder is None else folder.resolve()
        make_folder(self.folder)
        self._sessions: dict[str, Any] = {}
        self._lock = threading.Lock()

    def place(self, kind: str) -> tuple[str, Path]:
        """A new id and its folder, before the session exists (uploads are written there first)."""
        ident = f"{kind}-{secrets.token_hex(8)}"
        make_folder(self.folder / ident)
        return ident, self.folder / ident

    def keep(self, ident: str, session: Any) -> None:
        """Hold ``session`` under an id made by :meth:`place`."""
        with self._lock:
            self._sessions[ident] = session

    def get(self, ident: str, kind: type) -> Any | None:
        """The session of ``ident`` if it is a ``kind``."""
        with self._lock:
            found = self._sessions.get(ident)
        return found if isinstance(found, kind) else None

    def write(self, ident: str, name: str, data: str | bytes) -> Path:
        """Write a file (a name the server chose) into a session's folder, atomically."""
        path = self.folder / ident / name
        write_atomic(path, data)
        return path

    def close(self) -> None:
        """Remove a temporary working folder (a chosen one is the person's and stays)."""
        if self.temporary:
            shutil.rmtree(self.folder, ignore_errors=True)
