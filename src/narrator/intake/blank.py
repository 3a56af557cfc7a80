"""A blank figures file for ``narrator init``, every field commented in Chinese.

The fields every format reads are in ``templates/_figures/blank.yaml.j2``; those a format adds
come from its ``fields.yaml`` (see :mod:`narrator.text.formatfields`), commented out, with their
descriptions, so a new format's fields appear here without touching the template.
"""

from __future__ import annotations

from typing import Any

from ..text.environment import environment

_EXAMPLES = {"amount": "0", "count": "0", "quantity": "0", "int": "0", "bool": "false", "code": '"2010101"'}
_COMMENT_AT = 36  # the column where a field's description starts, as in the template


def blank_figures(year: int, department: str = "", format_name: str = "xinjiang-2025") -> str:
    """The text of a new figures file for ``department``, budget ``year`` and a document format."""
    template = environment().get_template("_figures/blank.yaml.j2")
    return template.render(year=year, department=department, format=format_name,
                           added=added_fields_comment(format_name))


def added_fields_comment(format_name: str) -> str:
    """The fields ``format_name`` adds, as commented YAML lines (empty when it adds none)."""
    from ..text.formatfields import declared_fields, shared_models

    declared = declared_fields(format_name)
    models = {**shared_models(), **(declared.get("models") or {})}
    lines: list[str] = []
    for addition in declared.get("add") or []:
        targets = [str(t) for t in addition.get("to") or []]
        top = any(t in (".", "") for t in targets)
        if not top:
            lines.append(f"# {'、'.join(targets)} 下还可写：")
        for key, spec in (addition.get("fields") or {}).items():
            _field_lines(lines, key, spec, models, "" if top else "  ", set())
    return "\n".join(lines)


def _field_lines(lines: list[str], key: str, spec: dict[str, Any], models: dict[str, Any], indent: str,
                 seen: frozenset[str] | set[str]) -> None:
    """``key`` (written at ``indent``, which may end in “- ”) and, for a mapping, its keys below it."""
    type_text = str(spec.get("type", "text"))
    listed = type_text.startswith("list[")
    name = spec.get("ref") or (type_text[5:-1] if listed else type_text)
    model = models.get(name) if name not in seen else None
    model = spec if "keys" in spec else model
    doc = str(spec.get("doc", ""))
    if model is None:
        default = spec.get("default")
        value = "[]" if listed else str(default) if default is not None else _EXAMPLES.get(type_text, "")
        _line(lines, f"# {indent}{key}: {value}".rstrip(), doc)
        return
    _line(lines, f"# {indent}{key}:", doc)
    inner = indent.replace("- ", "  ") + "  "
    for number, (child, child_spec) in enumerate((model.get("keys") or {}).items()):
        prefix = ("- " if number == 0 else "  ") if listed else ""
        _field_lines(lines, child, child_spec, models, inner + prefix, {*seen, name})


def _line(lines: list[str], text: str, doc: str) -> None:
    lines.append(f"{text.ljust(_COMMENT_AT)}# {doc}" if doc else text)
