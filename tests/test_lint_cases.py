"""Every lint rule has YAML cases: text in, exactly the expected findings of that rule out.

A case with ``paragraph_lines: true`` is linted as review lints its rebuilt text: a paragraph a line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from narrator.intake.figures import load_figures
from narrator.lint import lint_text, load_lint_rules

from .conftest import ROOT

CASES = Path(__file__).resolve().parent / "lint_cases"


def _cases():
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, case in enumerate(data["cases"]):
            yield pytest.param(data["rule"], data.get("figures"), case, id=f"{path.stem}-{index}")


@pytest.mark.parametrize(("rule", "figures", "case"), list(_cases()))
def test_rule_case(rule, figures, case, in_root):
    loaded = load_figures("examples/atushi-2025.yaml") if figures else None
    report = lint_text(case["text"], "case.txt", loaded, paragraph_lines=bool(case.get("paragraph_lines")))
    found = [f for f in report.findings if f.rule == rule]
    assert [(f.location.line, f.location.column) for f in found] == \
        [(e["line"], e["column"]) for e in case["expect"]], [f.format() for f in found]
    for finding, expected in zip(found, case["expect"]):
        if "message" in expected:
            assert finding.message == expected["message"]


def test_every_rule_has_cases_that_fire_and_cases_that_pass():
    files = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in CASES.glob("*.yaml")}
    for rule in load_lint_rules():
        assert rule.name in files, f"no cases for {rule.name}"
        cases = files[rule.name]["cases"]
        assert any(c["expect"] for c in cases), rule.name
        assert any(not c["expect"] for c in cases), rule.name


def test_rule_files_are_named_after_their_rule():
    for rule in load_lint_rules():
        assert (ROOT / "rules" / "lint" / f"{rule.name}.yaml").is_file()
