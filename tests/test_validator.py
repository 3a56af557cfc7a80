"""The validator of the render path (no pydantic) agrees with the pydantic classes of the schema.

narrator/intake/coreschema.py is generated from narrator/intake/schema.py; the schema of each format is that
declaration extended by its fields.yaml (narrator.intake.fieldschema), as narrator.text.formatmodels extends the
classes. Here: the declaration is up to date, every field of every format has the same type,
default and validators both ways, and the validator gives pydantic's values and errors on the
examples and on damaged copies of them.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from decimal import Decimal
from itertools import combinations
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from narrator.intake import schemadecl
from narrator.intake.fieldschema import Model, core_schema, schema_for
from narrator.text.formatmodels import figures_model
from narrator.text.formats import format_names
from narrator.numbers import WAN_PER_UNIT
from narrator.intake.validator import validate
from narrator.loading.yamlload import load_yaml

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _from_classes(model: type[BaseModel]) -> dict[str, Any]:
    return schemadecl.fields_of(model, _from_classes)


def _from_declaration(model: Model) -> dict[str, Any]:
    def type_(t: tuple) -> tuple:
        if t[0] == "model":
            return ("model", _from_declaration(t[1]))
        if t[0] in ("optional", "list", "map"):
            return (t[0], type_(t[1]))
        return t

    fields = {}
    for name, field in model.fields.items():
        spec: dict[str, Any] = {"type": type_(field.type)}
        if field.factory is not None:
            spec["factory"] = field.factory if field.factory in ("list", "dict") else _from_declaration(field.factory)
        elif not field.required:
            spec["default"] = field.default
            if field.validate_default:
                spec["validate_default"] = True
        for key in ("text", "before", "after"):
            if getattr(field, key):
                spec[key] = getattr(field, key)
        fields[name] = spec
    return fields


def test_the_committed_declaration_is_what_the_classes_say() -> None:
    committed = (ROOT / "src" / "narrator" / "intake" / "coreschema.py").read_text(encoding="utf-8")
    assert committed == schemadecl.generated_source(), "run python -m narrator.intake.schemadecl"


@pytest.mark.parametrize("formats", [(None,), *((name,) for name in format_names()),
                                     ("final-accounts", "hebei-2021"), ("shanghai-budget", "xinjiang-2025")])
def test_every_field_type_and_default_agrees(formats: tuple) -> None:
    declared = _from_declaration(schema_for(*formats))
    assert declared == _from_classes(figures_model(*formats))
    if formats == (None,):
        assert schema_for(None) is core_schema()
        assert list(declared) == ["department", "year", "unit", "basis", "format", "region", "income",
                                  "expenditure", "general_budget", "functional", "names", "classification",
                                  "purposes", "declared", "economic", "projects", "three_public", "carryover",
                                  "operating_costs", "procurement", "assets", "performance", "notes",
                                  "other_notes"]
        assert declared["year"]["type"] == ("int", 2000, 2100)
        assert declared["procurement"]["factory"]["goods"] == {"type": ("amount",), "default": Decimal(0)}


def _both(formats: tuple, raw: Any) -> tuple:
    """(pydantic's, the validator's) dump and errors for ``raw``."""
    unit = raw.get("unit") if isinstance(raw, dict) else None
    unit = unit if isinstance(unit, str) and unit in WAN_PER_UNIT else None
    try:
        dumped = figures_model(*formats).model_validate(raw, context={"unit": unit} if unit else None)
        theirs: tuple = (dumped.model_dump(mode="python"), [])
    except ValidationError as error:
        theirs = (None, error.errors(include_url=False))
    model, errors = validate(schema_for(*formats), raw, unit)
    ours = (model.model_dump() if model else None, errors)

    def shown(found: tuple) -> tuple:
        dump, errors = found
        kept = sorted(((e["type"], tuple(e["loc"]), repr(e["input"]), str((e.get("ctx") or {}).get("error", "")),
                        e["msg"] if e["type"] == "text_format" else "", (e.get("ctx") or {}).get("expected", ""))
                       for e in errors), key=repr)
        return repr(dump), kept
    return shown(theirs), shown(ours)


DAMAGE = [None, True, "abc", -1, 0, Decimal("1.5"), Decimal("2025.0"), "1,000", "—", [], {}, {"zzz": 1},
          "#x", "a\nb", "<b>", 1999, 2010101, "2025", "off", ["x"], [{}], {1: 2}, {True: 1}, "元", "general",
          10**13, "1.123456789"]


def _paths(node: Any, path: tuple = ()) -> Any:
    yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield from _paths(value, path + (key,))


@pytest.mark.parametrize("example", [EXAMPLES[0], EXAMPLES[1]], ids=lambda p: p.stem)
def test_the_validator_reads_and_refuses_as_pydantic_does(example) -> None:
    raw = load_yaml(example)
    formats = (raw.get("format") or "xinjiang-2025",)
    theirs, ours = _both(formats, raw)
    assert ours == theirs and "None" not in ours[0][:4]
    places = list(_paths(raw))[1:]
    for number, path in enumerate(places[::max(1, len(places) // 120)]):  # a few seconds per example
        for value in DAMAGE[number % 4::4]:  # a quarter of the values at each place, all of them over four
            damaged = copy.deepcopy(raw)
            node = damaged
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
            if isinstance(node, dict) and number % 5 == 0:
                node[5 if number % 2 else "zzz"] = 1
            theirs, ours = _both(formats, damaged)
            assert ours == theirs, f"{path} = {value!r}"


def test_the_render_path_does_not_import_pydantic() -> None:
    example = str(ROOT / "examples" / "atushi-2025.yaml")
    for command in (["render", example, "-o", "/dev/null"], ["check", example]):
        found = subprocess.run([sys.executable, "-X", "importtime", "-m", "narrator", *command],
                               capture_output=True, text=True, cwd=ROOT)
        assert "pydantic" not in found.stderr, command
        assert "narrator.intake.validator" in found.stderr, command


def test_two_formats_fields_and_pairs() -> None:
    for pair in combinations(["final-accounts", "hebei-2021", "performance-self-evaluation"], 2):
        assert _from_declaration(schema_for(*pair)) == _from_classes(figures_model(*pair))
