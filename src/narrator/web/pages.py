"""The page templates (Jinja, autoescaped) and the answers built from them."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.responses import HTMLResponse, Response

from ..errors import LEVEL_NAMES, Finding

HERE = Path(__file__).resolve().parent


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def page(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page of ``templates/`` filled with ``values``."""
    return HTMLResponse(_environment().get_template(name).render(**values), status_code=status)


def download(data: str | bytes, name: str, media_type: str) -> Response:
    """A file for the browser to save as ``name`` (Chinese names encoded as RFC 6266 says)."""
    body = data.encode("utf-8") if isinstance(data, str) else data
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "._-" else "_" for ch in name)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})


def finding_json(finding: Finding, **extra: Any) -> dict[str, Any]:
    """A finding as the pages' scripts use it: the one-line form and its parts."""
    return {"level": finding.level, "level_name": LEVEL_NAMES[finding.level], "rule": finding.rule,
            "message": finding.message, "where": str(finding.location), "text": finding.format(), **extra}
