"""What keeps the local web page safe: who may talk to it, and what may be uploaded.

The server listens on the loopback address only, but a page of any web site the clerk opens can
still send requests to ``127.0.0.1``, and a name that resolves there (DNS rebinding) can read the
answers. So every request must name this server in its ``Host`` (127.0.0.1 or localhost and the
port it listens on), and a request that carries an ``Origin`` must come from such a page.
Uploads are refused by type (told by the name's extension; the library then reads the content
and refuses a file that is not what its name says), by size and by count, each with a Chinese
message; an upload's name is shown to the person, never used as a path (files are stored under
names the server makes).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOCAL_NAMES = ("127.0.0.1", "localhost")
# the environment variables that bring a user's templates or classification tables into the
# library: the web page always works with the installed ones
USER_DATA_VARIABLES = ("NARRATOR_TEMPLATES", "NARRATOR_CLASSIFICATION")


@dataclass(frozen=True)
class Limits:
    """How much one upload may be: bytes per file, files per upload, bytes per request."""

    file_bytes: int = 20 * 1024 * 1024
    files: int = 20
    request_bytes: int = 100 * 1024 * 1024


class UploadRefused(Exception):
    """An upload the server will not take; ``message`` is shown on the page (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def installed_data_only() -> None:
    """Forget the user's templates and classification folders (the server uses the installed ones)."""
    from ..resources import templates_dirs

    for name in USER_DATA_VARIABLES:
        os.environ.pop(name, None)
    templates_dirs.cache_clear()


def host_allowed(host: str, port: int) -> bool:
    """Whether a ``Host`` header names this server (a loopback name and its port)."""
    return host.lower() in {f"{name}:{port}" for name in LOCAL_NAMES}


def origin_allowed(origin: str, port: int) -> bool:
    """Whether an ``Origin`` header is a page of this server."""
    return origin.lower() in {f"http://{name}:{port}" for name in LOCAL_NAMES}


class LocalOnly:
    """ASGI middleware refusing requests whose Host or Origin is not this server (403, in Chinese)."""

    def __init__(self, app: ASGIApp, port: int) -> None:
        self.app = app
        self.port = port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {k.decode("latin1").lower(): v.decode("latin1") for k, v in scope["headers"]}
            origin = headers.get("origin")
            if not host_allowed(headers.get("host", ""), self.port):
                refused = "请求的主机名不是本机的 narrator（只接受 127.0.0.1 或 localhost 及本端口）"
                await _refuse(refused)(scope, receive, send)
                return
            if origin is not None and not origin_allowed(origin, self.port):
                await _refuse("拒绝来自其他网站的请求")(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _refuse(message: str) -> PlainTextResponse:
    return PlainTextResponse(message, status_code=403)


def shown_name(name: str | None) -> str:
    """An upload's name as the page shows it: the last part only, no control characters, not too long."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:120] or "未命名文件"


def suffix_of(name: str) -> str:
    """The lower-case extension of a shown name ("" if none)."""
    return os.path.splitext(name)[1].lower()


async def form_of(request: Request, limits: Limits) -> Any:
    """The request's multipart form, refused when the request is too big or has too many files."""
    declared = request.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > limits.request_bytes:
        raise UploadRefused(f"上传的内容太大（超过 {_size(limits.request_bytes)}），请分批上传")
    try:
        return await request.form(max_files=limits.files, max_fields=200, max_part_size=1024 * 1024)
    except Exception as error:  # noqa: BLE001 - starlette/multipart raise several kinds for a bad body
        if "Too many files" in str(error):
            raise UploadRefused(f"一次最多上传 {limits.files} 个文件") from None
        raise UploadRefused("无法读取上传的内容，请重新选择文件") from None


async def read_upload(upload: Any, kinds: dict[str, str], limits: Limits) -> tuple[str, str, bytes]:
    """An uploaded file's shown name, extension and bytes; refused unless of an allowed kind and size.

    ``kinds`` maps an allowed extension to its name in messages (".xlsx" → "Excel 工作簿")."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise UploadRefused("没有选择文件")
    name = shown_name(upload.filename)
    suffix = suffix_of(name)
    if suffix not in kinds:
        allowed = "、".join(f"{kind}（{what}）" for kind, what in kinds.items())
        raise UploadRefused(f"“{name}”的类型不能上传；可上传：{allowed}")
    data = await upload.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise UploadRefused(f"“{name}”太大（超过 {_size(limits.file_bytes)}）")
    if not data:
        raise UploadRefused(f"“{name}”是空文件")
    return name, suffix, data


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"
