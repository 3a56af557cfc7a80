"""The validation plan (narrator.intake.validplan) gives the walker's figures, or falls back to it.

The walker (narrator.intake.validator._Walk) is compared with pydantic in test_validator.py; here
the plan is compared with the walker: on every example, case and generated department, and on
damaged copies, where any value the walker would refuse (and many it reads) must send the plan
back to it. The classification's first look (figures._all_quiet) is compared with the long way.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import figuresgen
import pytest

from narrator.errors import FiguresError
from narrator.intake import figures as figures_module
from narrator.intake.fieldschema import schema_for
from narrator.intake.figures import load_figures_text, validate_figures
from narrator.intake.validator import _Walk
from narrator.intake.validplan import Fallback, plan_for
from narrator.numbers import WAN_PER_UNIT
from narrator.loading.yamlload import load_yaml, load_yaml_text

from .conftest import ROOT
from .test_validator import DAMAGE, _paths

FILES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "tests" / "cases").glob("*/figures.yaml"))


def _exact(value: Any) -> Any:
    """Everything a validated value says: types, Decimal digits, order, model names."""
    if hasattr(value, "_values"):
        return (value._name, [(k, _exact(v)) for k, v in value._values().items()])
    if isinstance(value, list):
        return ["list", [_exact(v) for v in value]]
    if isinstance(value, dict):
        return ["dict", [(repr(k), _exact(v)) for k, v in value.items()]]
    return (type(value).__name__, repr(value))


def _walked(schema: Any, raw: Any, unit: str | None) -> tuple:
    errors: list = []
    value = _Walk(unit, errors).model(schema, raw, ())
    return (None if errors else _exact(value)), errors


def _unit(raw: Any) -> str | None:
    unit = raw.get("unit") if isinstance(raw, dict) else None
    return unit if isinstance(unit, str) and unit in WAN_PER_UNIT else None


def _same_or_falls_back(formats: tuple, raw: Any) -> bool:
    """True when the plan read ``raw`` (and gave the walker's value); False when it fell back."""
    schema, unit = schema_for(*formats), _unit(raw)
    walked, errors = _walked(schema, raw, unit)
    try:
        planned = plan_for(schema, unit)(raw)
    except Fallback:
        return False
    assert not errors, "the plan read figures the walker refuses"
    assert _exact(planned) == walked
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_and_case(path) -> None:
    raw = load_yaml(path)
    named = path.parent / "format"  # (a case names its format beside its figures)
    formats = (raw.get("format") or (named.read_text(encoding="utf-8").strip() if named.exists() else "xinjiang-2025"),)
    assert _same_or_falls_back(formats, raw), "valid figures are read by the plan"


@pytest.mark.parametrize("consistent", [True, False])
@pytest.mark.parametrize("unit", ["万元", "元"])
def test_generated_departments_are_read(consistent: bool, unit: str) -> None:
    for index in range(40):
        text = figuresgen.figures_text(11, index, consistent=consistent).replace("unit: 万元", f"unit: {unit}")
        assert _same_or_falls_back(("xinjiang-2025",), load_yaml_text(text, "f.yaml"))


@pytest.mark.parametrize("path", FILES[:3], ids=lambda p: p.name)
def test_damaged_figures_fall_back_or_agree(path) -> None:
    raw = load_yaml(path)
    formats = (raw.get("format") or "xinjiang-2025",)
    places = list(_paths(raw))[1:]
    fell = 0
    for number, where in enumerate(places[::max(1, len(places) // 150)]):
        for value in DAMAGE[number % 3::3] + [Decimal("-0"), "2026", 3, Decimal("1E+2"), "  x  ", "a#b"]:
            damaged = copy.deepcopy(raw)
            node = damaged
            for part in where[:-1]:
                node = node[part]
            node[where[-1]] = value
            fell += not _same_or_falls_back(formats, damaged)
    assert fell > 100


def test_defaults_that_can_change_are_made_for_each_file() -> None:
    raw = load_yaml(FILES[0])
    plan = plan_for(schema_for("xinjiang-2025"), "万元")
    first, second = plan(raw), plan(raw)
    assert first.carryover is not second.carryover and first.names is not second.names
    assert first.performance.goals is not second.performance.goals


NAMED = [
    "names:\n  '2010301': 行政运行（旧名）\n",                 # a name that differs from the reference: a warning
    "names:\n  '2019999': 自设科目\n",                         # a code the reference does not know, named: a note
    "names:\n  '9999999': 不是科目\n",                         # not a code of any table: an error
    "functional:\n- code: '2010301'\n  name: 行政运行\n  basic: {general: 1}\n  prior: 1\n",
    "functional:\n- code: '2019998'\n  basic: {general: 1}\n  prior: 1\n",   # unknown and unnamed: an error
    "purposes:\n  '999': x\n",
    "economic:\n  '30101': 1\n  '39999': 2\n",
    "year: 2007\n",                                           # codes that were not yet in the tables
    "purposes:\n  '2019': x\n", "purposes:\n  '301': x\n",      # not a 类 of the functional table
    "economic:\n  '3010': 1\n", "economic:\n  '20101': 1\n",    # not a 款 of the economic table
    "declared:\n  '2019': 1\n", "declared:\n  '30101': 1\n",
    "functional:\n- code: '2010301'\n  prior: 1\n- code: '2010301'\n  prior: 2\n",   # a 项 written twice
    "projects:\n- name: x\n  code: '2010301'\n  economic: {'3021': 1}\n",
    "projects:\n- name: x\n  economic: {'302': 1, '201': 2}\n",
    "names:\n  '2x1': 名\n",
]


@pytest.mark.parametrize("extra", NAMED)
def test_the_first_look_at_the_codes_changes_nothing(extra: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes, warnings and errors of the classification: as the long way gives them."""
    base = figuresgen.figures_text(13, 2, consistent=True)
    keys = {line.split(":")[0] for line in extra.splitlines() if line and not line.startswith(" ")}
    kept = [block for block in _top_blocks(base) if block.split(":")[0] not in keys]
    text = "".join(kept) + extra

    def outcome() -> Any:
        try:
            loaded = load_figures_text(text, "f.yaml", "xinjiang-2025")
        except FiguresError as error:
            return [str(f) for f in error.findings]
        return [str(f) for f in loaded.notes], loaded.naming.given

    fast = outcome()
    monkeypatch.setattr(figures_module, "_all_quiet", lambda *args: False)
    assert outcome() == fast


def test_a_code_learnt_quiet_is_asked_again_when_the_figures_name_it() -> None:
    """A code no finding was given for without a name gets a warning when a file names it otherwise."""
    base = figuresgen.figures_text(13, 2, consistent=True)
    code = base.split("- code: '", 1)[1][:7]
    assert not [f for f in load_figures_text(base, "f.yaml", "xinjiang-2025").notes if f.rule == "classification-name"]
    named = base.replace(f"- code: '{code}'\n", f"- code: '{code}'\n  name: 不是这个名称\n", 1)
    assert [f.rule for f in load_figures_text(named, "f.yaml", "xinjiang-2025").notes] == ["classification-name"]


@pytest.mark.parametrize("code", ["2080501\n", "2080501 ", "２０８０５０１", "208050", "20805011", "2080501\r"])
@pytest.mark.parametrize("economic", [{"30101": Decimal("1.00")}, {30101: Decimal("1.00")}, {"30101": 1},
                                      {"30101": "1.00"}, {}, {"30101": None}])
@pytest.mark.parametrize("purpose", ["文字", "两行\n文字", 3, "a|b"])
def test_codes_and_mappings_read_the_short_way_agree(code: Any, economic: dict, purpose: Any) -> None:
    """A code written as text, and a mapping whose keys and values need nothing done (read as they
    are): the walker's value, or the walker asked."""
    raw = load_yaml_text(figuresgen.figures_text(13, 2, consistent=True), "f.yaml")
    raw["functional"][0]["code"] = code
    raw["economic"] = economic
    raw["purposes"] = {"201": purpose}
    _same_or_falls_back(("xinjiang-2025",), raw)


def _top_blocks(text: str) -> list[str]:
    blocks: list[str] = []
    for line in text.splitlines(keepends=True):
        if line[:1] not in (" ", "-") or not blocks:
            blocks.append(line)
        else:
            blocks[-1] += line
    return blocks


def test_a_file_with_a_mistake_is_reported_as_before() -> None:
    raw = load_yaml(FILES[0])
    raw["income"]["general"]["amount"] = "十万"
    with pytest.raises(FiguresError) as caught:
        validate_figures(raw, "f.yaml", "xinjiang-2025")
    assert [f.rule for f in caught.value.findings] == ["amount-format"]


def test_codes_found_quiet_with_some_editions_are_asked_again_with_others(tmp_path) -> None:
    """What the first look learnt of a code holds for the editions it was learnt with, not for others."""
    from narrator.classification import editions_in_use

    text = figuresgen.figures_text(13, 3, consistent=True)
    code = text.split("- code: '", 1)[1][:7]
    edition = tmp_path / "e.yaml"
    edition.write_text("name: 某市科目\nkind: edition\nvalid_from: 2020\nvalid_to: 2030\n"
                       "sources:\n  issued: {kind: official, title: 某市科目}\nsource: issued\n"
                       f"codes:\n  \"{code}\": {{name: 旧科目, until: 2020}}\n", encoding="utf-8")

    def rules() -> list[str]:
        return [f.rule for f in load_figures_text(text, "f.yaml", "xinjiang-2025").notes]

    assert "code-not-in-year" not in rules()
    with editions_in_use([edition]):
        assert "code-not-in-year" in rules()
    assert "code-not-in-year" not in rules()
