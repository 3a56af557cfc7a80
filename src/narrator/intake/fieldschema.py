"""The figures schema of a format as plain data: the core declaration extended by its ``fields.yaml``.

The core models come from :mod:`narrator.intake.coreschema` (generated from the pydantic classes of
:mod:`narrator.intake.schema`); a format's additions and fund sources are applied here the way
:mod:`narrator.text.formatmodels` applies them to the pydantic classes, so :mod:`narrator.intake.validator`
checks figures without importing pydantic. Types are the tuples described in
:mod:`narrator.intake.schemadecl`, with ``("model", Model)`` holding the model itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

#: fields.yaml scalar types → declared types
SCALARS: dict[str, tuple] = {"text": ("text",), "amount": ("amount",), "count": ("count",),
                             "quantity": ("quantity",), "int": ("int", None, None), "bool": ("bool",),
                             "code": ("code",)}


@dataclass(frozen=True, eq=False)
class Field:
    """One field of a model: its type, and its default unless it is required."""

    type: tuple
    required: bool = False
    default: Any = None
    #: None, "list", "dict" or a Model: a fresh value for each file
    factory: Any = None
    #: the default is validated like a written value (a format's ``default:``)
    validate_default: bool = False
    #: its texts are folded to one paragraph
    text: bool = False
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True, eq=False)
class Model:
    """A mapping of named fields (a pydantic model of the schema)."""

    name: str
    fields: dict[str, Field]


def _resolve(type_: tuple, models: dict[str, Model]) -> tuple:
    if type_[0] == "model":
        return ("model", models[type_[1]])
    if type_[0] in ("optional", "list", "map"):
        return (type_[0], _resolve(type_[1], models))
    return type_


@cache
def core_schema() -> Model:
    """The core figures model (``Figures``) as data."""
    from .coreschema import MODELS

    models = {name: Model(name, {}) for name in MODELS}
    for name, fields in MODELS.items():
        for key, spec in fields.items():
            factory = spec.get("factory")
            models[name].fields[key] = Field(
                _resolve(spec["type"], models), "default" not in spec and factory is None, spec.get("default"),
                models[factory] if factory not in (None, "list", "dict") else factory,
                validate_default=spec.get("validate_default", False), text=spec.get("text", False),
                before=spec.get("before"), after=spec.get("after"))
    return models["Figures"]


def model_in(type_: tuple) -> tuple[Model | None, str]:
    """The model a type holds (M, optional M, list of M, optional list of M) and how it is held."""
    if type_[0] == "optional":
        model, how = model_in(type_[1])
        return (model, "optional " + how) if model else (None, "")
    if type_[0] == "list":
        return (model_in(type_[1])[0], "list") if model_in(type_[1])[0] else (None, "")
    if type_[0] == "model":
        return type_[1], "model"
    return None, ""


def fields_at(model: Model, head: str) -> list[str]:
    """The fields ``head`` names: all that hold a model for ``*``, else the one (KeyError if none)."""
    if head == "*":
        return [n for n, f in model.fields.items() if model_in(f.type)[0] is not None]
    field = model.fields.get(head)
    if field is None or model_in(field.type)[0] is None:
        raise KeyError(head)
    return [head]


def targets(model: Model, parts: list[str]) -> None:
    """Walk ``parts`` through the models (raises KeyError naming what is not there)."""
    if parts:
        for name in fields_at(model, parts[0]):
            targets(model_in(model.fields[name].type)[0], parts[1:])  # type: ignore[arg-type]


def _rewrap(how: str, model: Model) -> tuple:
    inner = ("model", model)
    if how in ("list", "optional list"):
        inner = ("list", inner)
    return ("optional", inner) if how.startswith("optional") else inner


def _regrown(field: Field, how: str, grown: Model) -> Field:
    factory = field.factory
    if factory is not None:
        factory = "list" if how == "list" else grown
    return replace(field, type=_rewrap(how, grown), factory=factory)


def _subclass(model: Model, fields: dict[str, Field]) -> Model:
    return Model(model.name, {**model.fields, **fields})


def extend(model: Model, parts: list[str], fields: dict[str, Field]) -> Model:
    """``model`` where the models at ``parts`` have ``fields`` too."""
    if not parts:
        return _subclass(model, fields)
    changed = {}
    for name in fields_at(model, parts[0]):
        field = model.fields[name]
        child, how = model_in(field.type)
        changed[name] = _regrown(field, how, extend(child, parts[1:], fields))  # type: ignore[arg-type]
    return _subclass(model, changed)


def with_sources(model: Model, added: list[dict[str, Any]]) -> Model | None:
    """``model`` knowing the fund sources ``added`` (None: it holds no source); see formatfields."""
    if model.name in ("Income", "BySource"):
        like = model.fields["general"].type
        return _subclass(model, {s["key"]: Field(like) for s in added})
    changed: dict[str, Any] = {}
    for name, field in model.fields.items():
        if field.type[0] == "literal" and {"general", "unit"} <= set(field.type[1:]):
            changed[name] = replace(field, type=(*field.type, *(s["key"] for s in added)))
            continue
        child, how = model_in(field.type)
        grown = with_sources(child, added) if child is not None else None
        if grown is not None:
            changed[name] = _regrown(field, how, grown)
    return _subclass(model, changed) if changed else None


def is_text(type_: tuple) -> bool:
    """Whether a field of this type holds text (and so is folded to one paragraph)."""
    if type_[0] in ("text", "code"):
        return True
    return type_[0] in ("optional", "map", "list") and type_[1][0] == "text"


def _type(spec: dict[str, Any], models: dict[str, Any], name: str) -> tuple:
    if spec.get("one_of"):
        return ("literal", *(str(value) for value in spec["one_of"]))
    if "ref" in spec:
        ref = spec["ref"]
        return ("model", _model(models[ref], models, ref) if ref in models else _core_model(ref))
    if "keys" in spec:
        return ("model", _model(spec, models, name))
    type_text = str(spec.get("type", "text"))
    if type_text.startswith(("list[", "map[")):
        inner = _type({"type": type_text[type_text.index("[") + 1:-1]}, models, name)
        return ("list" if type_text.startswith("list[") else "map", inner)
    if type_text in models:
        return ("model", _model(models[type_text], models, type_text))
    return SCALARS.get(type_text) or ("model", _core_model(type_text))


def _core_model(name: str) -> Model:
    """A core model a format's fields may name (``indicator``)."""
    indicator = core_schema().fields["performance"].type[1].fields["indicators"].type[1][1]
    return {"indicator": indicator}[name]


def _model(spec: dict[str, Any], models: dict[str, Any], name: str) -> Model:
    title = "".join(part.capitalize() for part in name.replace("_", "-").split("-"))
    return Model(title, {key: field(value, models, key) for key, value in (spec.get("keys") or {}).items()})


def field(spec: dict[str, Any], models: dict[str, Any], name: str) -> Field:
    """The field a ``fields.yaml`` entry declares."""
    type_ = _type(spec, models, name)
    if spec.get("required"):
        return Field(type_, required=True, text=is_text(type_))
    if spec.get("default") is not None:
        return Field(type_, default=spec["default"], validate_default=True, text=is_text(type_))
    if type_[0] in ("list", "map"):
        return Field(type_, factory="list" if type_[0] == "list" else "dict", text=is_text(type_))
    return Field(("optional", type_), text=is_text(("optional", type_)))


@cache
def schema_for(*format_names: str | None) -> Model:
    """The figures schema of a format (or the fields of several): core fields plus its declarations."""
    from ..text.formatfields import declared_fields, shared_models, target_parts

    model = core_schema()
    for format_name in dict.fromkeys(name for name in format_names if name is not None):
        declared = declared_fields(format_name)
        known = set(model.fields["income"].type[1].fields)
        added = [s for s in declared.get("fund_sources") or [] if s["key"] not in known]
        model = (with_sources(model, added) or model) if added else model
        models = {**shared_models(), **(declared.get("models") or {})}
        for addition in declared.get("add") or []:
            fields = {key: field(spec, models, key) for key, spec in (addition.get("fields") or {}).items()}
            for target in addition.get("to") or []:
                model = extend(model, target_parts(str(target)), fields)
    return model


def model_at(model: Model, path: tuple[Any, ...]) -> Model | None:
    """The model that holds the keys at ``path`` (names and list indexes) of a figures schema."""
    here: Model | None = model
    for part in path:
        if isinstance(part, int):
            continue  # the list's model is already its items' model
        found = here.fields.get(str(part)) if here is not None else None
        here = model_in(found.type)[0] if found is not None else None
    return here


def formats_declaring(path: tuple[Any, ...], key: str) -> list[str]:
    """The formats whose schema has ``key`` at ``path`` (a did-you-mean for a field of another format)."""
    from ..errors import NarratorError
    from ..text.formats import format_names

    found = []
    for name in format_names():
        try:
            model = schema_for(name)
        except NarratorError:
            continue
        here = model_at(model, path)
        if model is not core_schema() and here is not None and key in here.fields:
            found.append(name)
    return found
