"""Figures fields a format adds, declared as data in its ``fields.yaml``; the figures model of a format.

The core schema (:mod:`narrator.schema`) holds what every format reads. A format that needs more
— a 决算's 年初预算数 on each line, Hebei's 部门职责及机构设置 — declares it in
``templates/<format>/fields.yaml``::

    add:
      - to: [income.*, functional[]]      # each income source; each functional item
        fields:
          budget: {type: amount, doc: 年初预算数（万元）}
      - to: [.]                            # the top level of the figures file
        fields:
          profile: {ref: profile, doc: 部门职责及机构设置}
    models:                                # named mappings a field can ``ref``
      profile:
        keys:
          duties: {type: "list[text]", doc: 部门职责，每条一项}

Paths walk the core schema by field name: ``*`` is every field of a mapping, ``[]`` the items of a
list, ``.`` the top. Types: text, amount (万元, converted from 元 like every amount), count,
quantity, int, bool, code (7-digit functional code), ``list[T]``, ``map[T]``, a mapping with
``keys:``, or ``ref:`` to a model of the format's ``models:`` or of ``templates/_shared/fields.yaml``.
A format may also add fund (income) sources to the core ones of
``rules/classification/budget-items.yaml`` — a 决算's 事业收入, 经营收入…::

    fund_sources:
      - {key: business, name: 事业收入, kind: business, fiscal: false}

A new source is a key under ``income`` (typed like ``income.general``), in every by-source mapping
(``functional[].basic``…) and a project's ``source``; templates and rules see it in ``income``.

The model of a format is the core model extended by these declarations (pydantic subclasses), so
validation, did-you-mean, the JSON Schema and ``narrator init`` all follow from the data.
"""

from __future__ import annotations

import re
import types
import typing
from functools import cache
from typing import Any, Literal, Optional

from pydantic import BaseModel, Field, create_model

from .errors import Finding, FormatError, Location, NarratorError
from .schema import BySource, Figures, Income
from .schema_performance import Indicator
from .schema_types import Amount, Count, FunctionalCode, Quantity, Strict
from .shapes import problems

_SCALARS: dict[str, Any] = {"text": str, "amount": Amount, "count": Count, "quantity": Quantity,
                            "int": int, "bool": bool, "code": FunctionalCode}
#: Models of the core schema a format's fields may use by name (as a type or a ``ref``).
_CORE_MODELS: dict[str, Any] = {"indicator": Indicator}
FIELDS_FILE = "fields.yaml"
_SOURCE_KEY = re.compile(r"[a-z][a-z0-9_]*")


def shared_models() -> dict[str, Any]:
    """The named field models every format may ``ref`` (``templates/_shared/fields.yaml``)."""
    from .resources import templates_dirs
    from .yamlload import load_yaml

    path = templates_dirs()[-1] / "_shared" / FIELDS_FILE
    return dict(load_yaml(path).get("models") or {}) if path.is_file() else {}


@cache
def declared_fields(format_name: str) -> dict[str, Any]:
    """The ``fields.yaml`` of a format, checked against its shape ({} when the format adds nothing)."""
    from .formats import format_folder
    from .yamlload import load_yaml

    path = format_folder(format_name) / FIELDS_FILE
    if not path.is_file():
        return {}
    data = load_yaml(path)
    found = field_problems(data, str(path))
    if found:
        raise FormatError(found)
    return dict(data)


def field_problems(data: Any, shown: str) -> list:
    """Every problem of a ``fields.yaml`` against its shape and the core schema's paths."""
    found = problems(data, "fields", shown, "bad-fields", "字段声明：")
    if found or not isinstance(data, dict):
        return found
    models = {**shared_models(), **(data.get("models") or {})}
    for index, addition in enumerate(data.get("add") or []):
        where = Location(shown, *data["add"].item_marks[index])
        for target in addition.get("to") or []:
            try:
                _targets(Figures, _parts(str(target)))
            except KeyError as missing:
                found.append(Finding(where, "error", "bad-fields",
                                     f"字段声明：add[{index + 1}].to 中的 “{target}” 找不到：数据文件的这一层没有"
                                     f"含字段的 “{missing.args[0]}”"))
        for key, spec in (addition.get("fields") or {}).items():
            found.extend(_spec_problems(spec, key, models, where))
    found.extend(_source_problems(data, shown))
    for name, model in (data.get("models") or {}).items():
        where = Location(shown, *data["models"].key_marks.get(name, (1, 1)))
        for key, spec in (model.get("keys") or {}).items():
            found.extend(_spec_problems(spec, f"{name}.{key}", models, where))
    return found


def _source_problems(data: dict[str, Any], shown: str) -> list[Finding]:
    """Each added fund source has a key of its own that a rule expression can name."""
    from .classification import load_vocabulary

    found = []
    seen = {source["key"] for source in load_vocabulary()["fund_sources"]}
    for index, source in enumerate(data.get("fund_sources") or []):
        where = Location(shown, *data["fund_sources"].item_marks[index])
        key = str(source.get("key"))
        if not _SOURCE_KEY.fullmatch(key):
            found.append(Finding(where, "error", "bad-fields",
                                 f"字段声明：fund_sources[{index + 1}].key “{key}” 应由小写字母、数字和下划线组成，"
                                 "以字母开头"))
        elif key in seen:
            found.append(Finding(where, "error", "bad-fields",
                                 f"字段声明：fund_sources[{index + 1}].key “{key}” 已有（收入来源的键不能重复）"))
        seen.add(key)
    return found


def _spec_problems(spec: dict[str, Any], name: str, models: dict[str, Any], where: Location) -> list[Finding]:
    """A field's type is one narrator knows, and a ``ref`` names a model that is defined."""
    found = []
    if "ref" in spec and spec["ref"] not in models and spec["ref"] not in _CORE_MODELS:
        found.append(Finding(where, "error", "bad-fields",
                             f"字段声明：{name} 的 ref “{spec['ref']}” 没有定义（应在 models: 或 _shared/fields.yaml 中）"))
    elif "type" in spec and _base_type(str(spec["type"])) not in {*_SCALARS, *_CORE_MODELS, *models}:
        found.append(Finding(where, "error", "bad-fields",
                             f"字段声明：{name} 的类型 “{spec['type']}” 不可用；可用：{'、'.join(_SCALARS)}，"
                             "或 list[…]、map[…]"))
    for key, inner in (spec.get("keys") or {}).items():
        found.extend(_spec_problems(inner, f"{name}.{key}", models, where))
    return found


def _base_type(type_text: str) -> str:
    while type_text.startswith(("list[", "map[")) and type_text.endswith("]"):
        type_text = type_text[type_text.index("[") + 1:-1]
    return type_text


def _parts(target: str) -> list[str]:
    """``functional[].budget`` → [functional, budget]; ``.`` → [] (the top). ``[]`` only reads better:
    a list field is always entered to its items."""
    if target in (".", ""):
        return []
    return [part[:-2] if part.endswith("[]") else part for part in target.split(".")]


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


def _targets(model: type[BaseModel], parts: list[str]) -> None:
    """Walk ``parts`` through the models (raises KeyError naming what is not there)."""
    if parts:
        for name in _fields_at(model, parts[0]):
            _targets(_model_in(model.model_fields[name].annotation)[0], parts[1:])  # type: ignore[arg-type]


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


def fund_sources(*format_names: str | None) -> list[dict[str, Any]]:
    """The fund sources of figures in these formats: the core ones, then those each format adds.

    Each is ``{key, name, kind, fiscal}`` (``rules/classification/budget-items.yaml``), in order.
    """
    from .classification import load_vocabulary

    sources = [dict(source) for source in load_vocabulary()["fund_sources"]]
    for format_name in dict.fromkeys(name for name in format_names if name is not None):
        known = {source["key"] for source in sources}
        sources += [dict(source) for source in declared_fields(format_name).get("fund_sources") or []
                    if source["key"] not in known]
    return sources


def _annotation(spec: dict[str, Any], models: dict[str, Any], name: str) -> Any:
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
                model = _extend(model, _parts(str(target)), fields)
    return model  # type: ignore[return-value]


def formats_declaring(path: tuple[Any, ...], key: str) -> list[str]:
    """The formats whose model has ``key`` at ``path`` (a did-you-mean for a field of another format)."""
    from .formats import format_names

    found = []
    for name in format_names():
        try:
            model = figures_model(name)
        except NarratorError:
            continue
        here = model_at(model, path)
        if model is not Figures and here is not None and key in here.model_fields:
            found.append(name)
    return found


def model_at(model: type[BaseModel], path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that holds the keys at ``path`` (names and list indexes) of a figures model."""
    here: type[BaseModel] | None = model
    for part in path:
        if isinstance(part, int):
            continue  # the list's model is already its items' model
        field = here.model_fields.get(str(part)) if here is not None else None
        here = _model_in(field.annotation)[0] if field is not None else None
    return here


def root_names() -> frozenset[str]:
    """Top-level names rule expressions may use: the core fields and every format's additions.

    Read from the declarations alone: compiling a rule set must not load a format (a user's format
    is checked whole when loaded, and that check compiles its rule sets).
    """
    from .formats import format_names

    names = set(Figures.model_fields)
    for name in format_names():
        try:
            declared = declared_fields(name)
        except NarratorError:
            continue
        for addition in declared.get("add") or []:
            if any(str(target) in (".", "") for target in addition.get("to") or []):
                names |= set(addition.get("fields") or {})
    return frozenset(names)
