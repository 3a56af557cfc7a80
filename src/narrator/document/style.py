"""The document style (fonts, sizes, page) as data: ``templates/_styles/document-style.yaml``.

A format may override any part with a ``document-style.yaml`` in its own folder; the two are
merged key by key, so an override names only what differs.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..errors import FormatError, Location
from ..resources import templates_dirs
from ..loading.yamlload import load_yaml

STYLE_FILE = "document-style.yaml"


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _first(relative: str) -> Path | None:
    for root in templates_dirs():
        candidate = root / relative
        if candidate.is_file():
            return candidate
    return None


@cache
def load_style(format_name: str | None = None) -> dict[str, Any]:
    """The shared style, with the format's own overrides (if it has any) merged in."""
    shared = _first(f"_styles/{STYLE_FILE}")
    if shared is None:
        raise FormatError.at(Location(f"templates/_styles/{STYLE_FILE}"), "style-missing", "找不到文档版式文件")
    style = _plain(load_yaml(shared))
    own = _first(f"{format_name}/{STYLE_FILE}") if format_name else None
    if own is not None:
        data = load_yaml(own)
        if not isinstance(data, dict):
            raise FormatError.at(Location(str(own)), "bad-style", "document-style.yaml 应是映射")
        style = _merge(style, _plain(data))
    return style


def _plain(value: Any) -> Any:
    """Located YAML containers as plain dicts and lists (keys as text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def fonts(spec: dict[str, Any]) -> list[str]:
    """A part's font followed by its fallbacks."""
    return [str(spec["font"]), *(str(f) for f in spec.get("fallback") or ())]
