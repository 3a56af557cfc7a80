"""Figures fields a format adds, declared as data in its ``fields.yaml``; the figures model of a format.

The core schema (:mod:`narrator.intake.schema`) holds what every format reads. A format that needs more
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
list, ``.`` the top. A text field may list its values (``one_of: [部门, 单位]``). Types: text, amount (万元, converted
from 元 like every amount), count,
quantity, int, bool, code (7-digit functional code), ``list[T]``, ``map[T]``, a mapping with
``keys:``, or ``ref:`` to a model of the format's ``models:`` or of ``templates/_shared/fields.yaml``.
A format may also add fund (income) sources to the core ones of
``rules/classification/budget-items.yaml`` — a 决算's 事业收入, 经营收入…::

    fund_sources:
      - {key: business, name: 事业收入, kind: business, fiscal: false}

A new source is a key under ``income`` (typed like ``income.general``), in every by-source mapping
(``functional[].basic``…) and a project's ``source``; templates and rules see it in ``income``.

The schema of a format is the core schema extended by these declarations — as data for validation
(:mod:`narrator.intake.fieldschema`), as pydantic subclasses for the JSON Schema (:mod:`narrator.text.formatmodels`) —
so validation, did-you-mean, the JSON Schema and ``narrator init`` all follow from the data.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..errors import Finding, FormatError, Location, NarratorError
from ..intake.fieldschema import SCALARS as _SCALARS
from ..intake.fieldschema import core_schema, targets
from ..shapes import problems

#: Models of the core schema a format's fields may use by name (as a type or a ``ref``).
_CORE_MODELS = ("indicator",)
FIELDS_FILE = "fields.yaml"
_SOURCE_KEY = re.compile(r"[a-z][a-z0-9_]*")


def shared_models() -> dict[str, Any]:
    """The named field models every format may ``ref`` (``templates/_shared/fields.yaml``)."""
    from ..resources import templates_dirs
    from ..loading.yamlload import load_yaml

    path = templates_dirs()[-1] / "_shared" / FIELDS_FILE
    return dict(load_yaml(path).get("models") or {}) if path.is_file() else {}


@cache
def declared_fields(format_name: str) -> dict[str, Any]:
    """The ``fields.yaml`` of a format, checked against its shape ({} when the format adds nothing)."""
    from .formats import format_folder
    from ..loading.yamlload import load_yaml

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
                targets(core_schema(), _parts(str(target)))
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
    from ..classification import load_vocabulary

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


#: A path of ``add: to:`` as the field names it walks (``functional[].budget`` → [functional, budget]).
target_parts = _parts


def fund_sources(*format_names: str | None) -> list[dict[str, Any]]:
    """The fund sources of figures in these formats: the core ones, then those each format adds.

    Each is ``{key, name, kind, fiscal}`` (``rules/classification/budget-items.yaml``), in order.
    """
    from ..classification import load_vocabulary

    sources = [dict(source) for source in load_vocabulary()["fund_sources"]]
    for format_name in dict.fromkeys(name for name in format_names if name is not None):
        known = {source["key"] for source in sources}
        sources += [dict(source) for source in declared_fields(format_name).get("fund_sources") or []
                    if source["key"] not in known]
    return sources


def root_names() -> frozenset[str]:
    """Top-level names rule expressions may use: the core fields and every format's additions.

    Read from the declarations alone: compiling a rule set must not load a format (a user's format
    is checked whole when loaded, and that check compiles its rule sets).
    """
    from .formats import _format_folders

    # asked for by every rule set and check compiled (four times in a render): kept per set of
    # format folders, as declared_fields keeps each format's declarations
    return _root_names(tuple(sorted(_format_folders().items())))


@cache
def _root_names(folders: tuple[tuple[str, Any], ...]) -> frozenset[str]:
    names = set(core_schema().fields)
    for name, _ in folders:
        try:
            declared = declared_fields(name)
        except NarratorError:
            continue
        for addition in declared.get("add") or []:
            if any(str(target) in (".", "") for target in addition.get("to") or []):
                names |= set(addition.get("fields") or {})
    return frozenset(names)
