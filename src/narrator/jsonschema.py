"""The published JSON Schema of the figures file (``schema/figures.schema.json``)."""

from __future__ import annotations

import json

from .schema import Figures


def figures_schema() -> str:
    """The JSON Schema of a figures file, as stable, pretty-printed JSON text."""
    schema = Figures.model_json_schema(mode="validation")
    for definition in schema.get("$defs", {}).values():
        # Model docstrings are developer notes in English; the Chinese text a person filling
        # the file in needs is on the fields that use each model.
        definition.pop("description", None)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
