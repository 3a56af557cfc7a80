"""The published JSON Schemas of the figures file: ``schema/figures.schema.json`` for the fields
every format reads, and ``schema/<format>.schema.json`` for each format that adds its own."""

from __future__ import annotations

import json

from ..text.formatmodels import figures_model
from .schema import Figures


def figures_schema(format_name: str | None = None) -> str:
    """The JSON Schema of a figures file (of a format: its added fields too), as stable JSON text."""
    model = figures_model(format_name)
    schema = model.model_json_schema(mode="validation")
    for definition in schema.get("$defs", {}).values():
        # Model docstrings are developer notes in English; the Chinese text a person filling
        # the file in needs is on the fields that use each model.
        definition.pop("description", None)
    schema.pop("description", None)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    if model is not Figures:
        schema["title"] = f"narrator 数据文件（figures.yaml，格式 {format_name}）"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def published_schemas() -> dict[str, str]:
    """File name → text of every published schema (``narrator schema`` writes one of them)."""
    from ..text.formats import format_names
    from ..resources import templates_dirs

    built_in = templates_dirs()[-1]
    files = {"figures.schema.json": figures_schema()}
    for name in format_names():
        if (built_in / name / "fields.yaml").is_file():
            files[f"{name}.schema.json"] = figures_schema(name)
    return files
