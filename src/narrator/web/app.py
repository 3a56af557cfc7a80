"""The web application: routes of both pages, the safety checks around them, and the server.

Starlette (small, typed, no hidden state) with pages rendered on the server from Jinja templates
and a little plain JavaScript shipped in ``static/``: nothing is loaded from the internet.
"""

from __future__ import annotations

import errno
import socket
import threading
import time
import webbrowser
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import Location, NarratorError
from .draftpage import DraftPages
from .pages import HERE, page
from .reviewpage import ReviewPages
from .safety import Limits, LocalOnly, installed_data_only
from .store import Store

DEFAULT_PORT = 8765
_PORT_REASONS = {errno.EADDRINUSE: "（已被占用）", errno.EACCES: "（没有权限：1024 以下的端口通常要管理员权限）"}


async def _home(request: Request) -> Response:
    return page("home.html")


def create_app(store: Store, port: int, limits: Limits = Limits()) -> LocalOnly:
    """The application answering on ``127.0.0.1:port`` / ``localhost:port`` only."""
    installed_data_only()
    draft = DraftPages(store, limits)
    review = ReviewPages(store, limits)
    routes = [
        Route("/", _home),
        Route("/draft", draft.upload_form, methods=["GET"]),
        Route("/draft", draft.upload, methods=["POST"]),
        Route("/draft/{ident}", draft.show),
        Route("/draft/{ident}/preview", draft.preview, methods=["POST"]),
        Route("/draft/{ident}/download/{kind}", draft.download),
        Route("/review", review.upload_form, methods=["GET"]),
        Route("/review", review.upload, methods=["POST"]),
        Route("/review/{ident}", review.show),
        Route("/review/{ident}/accept", review.accept, methods=["POST"]),
        Route("/review/{ident}/report/{kind}", review.report),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return LocalOnly(Starlette(routes=routes), port)


def check_port(port: int) -> None:
    """Refuse a port this computer cannot listen on (taken by another program, or out of range)."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except (OSError, OverflowError) as error:
            reason = _PORT_REASONS.get(getattr(error, "errno", None) or 0, "") if isinstance(error, OSError) \
                else "（端口应在 1—65535 之间）"
            raise NarratorError.at(Location(f"127.0.0.1:{port}"), "port-in-use",
                                   f"无法使用端口 {port}{reason}：可能已有程序（或另一个 narrator serve）在用，"
                                   "请用 --port 换一个端口") from None


def serve(port: int = DEFAULT_PORT, workdir: Path | None = None, open_browser: bool = True) -> None:
    """Run the server until interrupted; open the home page in the browser unless told not to."""
    import uvicorn

    check_port(port)
    store = Store(workdir)
    app = create_app(store, port)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    if open_browser:
        url = f"http://127.0.0.1:{port}/"
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    try:
        server.run()
    finally:
        store.close()


@contextmanager
def serving(port: int, workdir: Path | None = None) -> Iterator[str]:
    """The server running in a background thread (tests, the guide's screenshots); yields its URL."""
    import uvicorn

    store = Store(workdir)
    config = uvicorn.Config(create_app(store, port), host="127.0.0.1", port=port, log_level="warning",
                            access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"the web server did not start on port {port}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()
