"""The pydantic figures model of a format: the core classes extended by its ``fields.yaml``.

Built only where pydantic is still wanted — the published JSON Schemas (``narrator schema``), the
workbook's field lists and the tests that check the plain declaration of :mod:`narrator.intake.fieldschema`
(which the render path validates with) against these classes. See :mod:`narrator.text.formatfields`
for the declarations.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any, Literal, Optional

from pydantic import BaseModel, Field, create_model

from .formatfields import declared_fields, shared_models, target_parts
from ..intake.schema import BySource, Figures, Income
from ..intake.schema_performance import Indicator
from ..intake.schema_types import Amount, Count, FunctionalCode, Quantity, Strict

_SCALARS: dict[str, Any] = {"text": str, "amount": Amount, "count": Count, "quantity": Quantity,
                            "int": int, "bool": bool, "code": FunctionalCode}
#: Models of the core schema a format's fields may use by name (as a type or a ``ref``).
_CORE_MODELS: dict[str, Any] = {"indicator": Indicator}


def _model_in(annotation: Any) -> tuple[type[BaseModel] | None, str]:
    """The model inside ``annotation`` (M, Optional[M], list[M], Optional[list[M]]) and how it is held."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        model, how = _model_in(inner[0]) if len(inner) == 1 else (None, "")
        return (model, "optional " + how) if model else (None, "")
    if origin is list and args:
        model, _ = _model_in(args[0])
        return (model, "list") if model else (None, "")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, "model"
    return None, ""


def _fields_at(model: type[BaseModel], head: str) -> list[str]:
    """The fields ``head`` names: all that hold a model for ``*``, else the one (KeyError if none)."""
    if head == "*":
        return [n for n, f in model.model_fields.items() if _model_in(f.annotation)[0] is not None]
    field = model.model_fields.get(head)
    if field is None or _model_in(field.annotation)[0] is None:
        raise KeyError(head)
    return [head]


def _rewrap(how: str, model: type[BaseModel]) -> Any:
    if how == "list":
        return list[model]  # type: ignore[valid-type]
    if how == "optional model":
        return Optional[model]
    if how == "optional list":
        return Optional[list[model]]  # type: ignore[valid-type]
    return model


def _extend(model: type[BaseModel], parts: list[str], fields: dict[str, Any]) -> type[BaseModel]:
    """A subclass of ``model`` where the models at ``parts`` have ``fields`` too."""
    if not parts:
        return _subclass(model, fields)
    changed = {}
    for name in _fields_at(model, parts[0]):
        info = model.model_fields[name]
        child, how = _model_in(info.annotation)
        changed[name] = _regrown(info, how, _extend(child, parts[1:], fields))  # type: ignore[arg-type]
    return _subclass(model, changed)


def _subclass(model: type[BaseModel], fields: dict[str, Any]) -> type[BaseModel]:
    return create_model(model.__name__, __base__=model, __doc__=model.__doc__, **fields)


def _regrown(info: Any, how: str, grown: type[BaseModel]) -> tuple[Any, Any]:
    """The field ``info`` (holding a model as ``how`` says) now holding ``grown``, default kept."""
    kept: dict[str, Any] = {"description": info.description}
    if info.default_factory is not None:
        kept["default_factory"] = list if how == "list" else grown
    elif not info.is_required():
        kept["default"] = info.default
    return _rewrap(how, grown), Field(**kept)


def _with_sources(model: type[BaseModel], added: list[dict[str, Any]]) -> type[BaseModel] | None:
    """A subclass of ``model`` that knows the fund sources ``added`` (None: it holds no source).

    ``income`` and every by-source mapping get a key per source, typed like their ``general``; a
    field whose values are the source keys (a project's ``source``) accepts the new keys.
    """
    if issubclass(model, (Income, BySource)):
        like = model.model_fields["general"].annotation
        return _subclass(model, {s["key"]: (like, Field(None, description=s["name"])) for s in added})
    changed: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if _holds_source_keys(info.annotation):
            keys = (*typing.get_args(info.annotation), *(s["key"] for s in added))
            changed[name] = (Literal[keys], Field(info.default, description=info.description))
            continue
        child, how = _model_in(info.annotation)
        grown = _with_sources(child, added) if child is not None else None
        if grown is not None:
            changed[name] = _regrown(info, how, grown)
    return _subclass(model, changed) if changed else None


def _holds_source_keys(annotation: Any) -> bool:
    return typing.get_origin(annotation) is Literal and {"general", "unit"} <= set(typing.get_args(annotation))


def _annotation(spec: dict[str, Any], models: dict[str, Any], name: str) -> Any:
    if spec.get("one_of"):
        return Literal[tuple(str(value) for value in spec["one_of"])]
    if "ref" in spec:
        ref = spec["ref"]
        return _model(models[ref], models, ref) if ref in models else _CORE_MODELS[ref]
    if "keys" in spec:
        return _model(spec, models, name)
    type_text = str(spec.get("type", "text"))
    if type_text.startswith(("list[", "map[")):
        inner = _annotation({"type": type_text[type_text.index("[") + 1:-1]}, models, name)
        return list[inner] if type_text.startswith("list[") else dict[str, inner]  # type: ignore[valid-type]
    if type_text in models:
        return _model(models[type_text], models, type_text)
    return _SCALARS.get(type_text) or _CORE_MODELS[type_text]


def _model(spec: dict[str, Any], models: dict[str, Any], name: str) -> type[BaseModel]:
    title = "".join(part.capitalize() for part in name.replace("_", "-").split("-"))
    return create_model(title, __base__=Strict, __doc__=spec.get("doc"),
                        **{key: _field(value, models, key) for key, value in (spec.get("keys") or {}).items()})


def _field(spec: dict[str, Any], models: dict[str, Any], name: str) -> tuple[Any, Any]:
    annotation = _annotation(spec, models, name)
    doc = spec.get("doc")
    if spec.get("required"):
        return annotation, Field(description=doc)
    if spec.get("default") is not None:
        return annotation, Field(spec["default"], description=doc, validate_default=True)
    origin = typing.get_origin(annotation)
    if origin in (list, dict):
        return annotation, Field(default_factory=origin, description=doc)
    return Optional[annotation], Field(None, description=doc)


@cache
def figures_model(*format_names: str | None) -> type[Figures]:
    """The figures model of a format: the core schema with the fields the format declares.

    With several formats, the fields of each (figures of one format rendered in another).
    """
    model: type[BaseModel] = Figures
    for format_name in dict.fromkeys(name for name in format_names if name is not None):
        declared = declared_fields(format_name)
        known = set(model.model_fields["income"].annotation.model_fields)  # type: ignore[union-attr]
        added = [s for s in declared.get("fund_sources") or [] if s["key"] not in known]
        model = (_with_sources(model, added) or model) if added else model
        models = {**shared_models(), **(declared.get("models") or {})}
        for addition in declared.get("add") or []:
            fields = {key: _field(spec, models, key) for key, spec in (addition.get("fields") or {}).items()}
            for target in addition.get("to") or []:
                model = _extend(model, target_parts(str(target)), fields)
    return model  # type: ignore[return-value]
