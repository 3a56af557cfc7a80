"""Test helpers for the web page: a real server on a free port, and a headless Chromium.

The server is narrator's own application run by uvicorn in a background thread; the browser is
the system's Chromium (Debian's ``chromium`` package) driven by Playwright, never a browser that
Playwright downloads. Without Chromium the browser tests are skipped with a message saying so,
except where ``NARRATOR_REQUIRE_BROWSER`` is set (CI, whose ``.ci/run`` installs Chromium): there
a missing browser fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
import socket
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def chromium_path() -> str:
    """The system's Chromium; skips (or, in CI, fails) when there is none."""
    found = os.environ.get("NARRATOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "未找到 chromium（Debian：apt-get install chromium），浏览器测试跳过；CI 的 .ci/run 会安装它"
    if os.environ.get("NARRATOR_REQUIRE_BROWSER"):
        pytest.fail(message.replace("浏览器测试跳过", "而此处要求运行浏览器测试"))
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(workdir: Path) -> Iterator[str]:
    """narrator's web application served on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    from narrator.web import serving

    with serving(free_port(), workdir) as url:
        yield url


@contextmanager
def chromium_browser(executable: str) -> Iterator[object]:
    """A headless Chromium (the system's) under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
