"""Property (issue 13): any figures text that loads renders and checks with no exception but a NarratorError.

The texts are the real figures files (every example and every test case), changed by a few
hostile edits each: keys dropped, values swapped for other types, extreme, zero and negative
decimals, odd Unicode text, empty lists, duplicated or unknown codes, priors removed. A text
that loads is rendered in every output form (md, html, docx) and checked.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrator.checks.check import check_figures
from narrator.errors import NarratorError
from narrator.intake.figures import load_figures_text
from narrator.document.output import convert
from narrator.text.render import render_figures

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("tests/cases/*/figures.yaml")])
TREES = {path.relative_to(ROOT).as_posix(): yaml.safe_load(path.read_text(encoding="utf-8")) for path in SOURCES}

ODD_VALUES = [
    None, "", "—", "abc", 0, -1, "-0.01", "0.00000001", "999999999999.99999999", "1000000000000", "1e5",
    "1,095.72", "１０９５．７２", [], {}, True, "\u3000", "2014004", "9999999", "null", "~", "<!-- x -->",
    "# 标题", "| a |", "主要原因\n是", "\u202e反向", "𠀀𠀁", 2025, 1.5, "2025年", {"amount": "1"}, ["1", "2"],
]


def _places(node: Any, trail: tuple = ()) -> list[tuple]:
    """The path of every value in the tree (keys and list indexes)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append(trail + (key,))
            found += _places(value, trail + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.append(trail + (index,))
            found += _places(value, trail + (index,))
    return found


def _parent(tree: Any, place: tuple) -> Any:
    for part in place[:-1]:
        tree = tree[part]
    return tree


@st.composite
def hostile_figures(draw) -> str:
    """A real figures file with one to four hostile edits, as YAML text."""
    name = draw(st.sampled_from(sorted(TREES)))
    tree = yaml.safe_load(yaml.safe_dump(TREES[name]))  # a fresh copy
    for _ in range(draw(st.integers(1, 4))):
        places = _places(tree)
        if not places:
            break
        place = draw(st.sampled_from(places))
        parent, key = _parent(tree, place), place[-1]
        edit = draw(st.sampled_from(["drop", "odd", "text", "decimal", "empty", "duplicate", "no-priors"]))
        if edit == "drop":
            del parent[key]
        elif edit == "odd":
            parent[key] = draw(st.sampled_from(ODD_VALUES))
        elif edit == "text":
            parent[key] = draw(st.text(max_size=30))
        elif edit == "decimal":
            digits = Decimal(draw(st.integers(-10**18, 10**18))).scaleb(-draw(st.integers(0, 10)))
            parent[key] = str(digits) if draw(st.booleans()) else f"{digits:f}"
        elif edit == "empty":
            parent[key] = [] if draw(st.booleans()) else {}
        elif edit == "duplicate" and isinstance(parent, list):
            parent.append(yaml.safe_load(yaml.safe_dump(parent[key])))
        elif edit == "no-priors":
            for where in reversed(_places(tree)):
                if where[-1] == "prior":
                    del _parent(tree, where)[where[-1]]
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile_figures())
def test_any_figures_that_load_render_and_check_or_say_why(text: str) -> None:
    try:
        loaded = load_figures_text(text, "hostile.yaml")
    except NarratorError:
        return
    try:
        rendered = render_figures(loaded)
        for kind in ("md", "html", "docx"):
            convert(rendered.text, kind)
    except NarratorError:
        pass
    try:
        check_figures(loaded)
    except NarratorError:
        pass
