"""The published Atushi text: no errors with its figures; each planted error found exactly once."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from narrator.cli import app
from narrator.intake.figures import load_figures
from narrator.lint import lint_text

from .conftest import FIXTURES

PUBLISHED = FIXTURES / "atushi-2025" / "published-part3.txt"

CORRUPTIONS = yaml.safe_load((Path(__file__).parent / "corruptions.yaml").read_text(encoding="utf-8"))
FIGURES = "examples/atushi-2025.yaml"
runner = CliRunner()

#: What the published text legitimately gets: half-width brackets (warnings) and the item name
#: and amount pasted twice in section 十一 (warnings). Nothing at error level.
PUBLISHED_FINDINGS = Counter({
    ("half-width-punctuation", "warning"): 6,     # one per line
    ("doubled-text", "warning"): 3,
})


def _published() -> str:
    return PUBLISHED.read_text(encoding="utf-8")


def _key(finding):
    return (finding.rule, finding.level, finding.location.line, finding.message)


def test_published_text_with_figures_has_no_errors(in_root):
    report = lint_text(_published(), "published.txt", load_figures(FIGURES))
    assert Counter((f.rule, f.level) for f in report.findings) == PUBLISHED_FINDINGS
    # every number is compared with the figures but those of the item names pasted a second time in
    # section 十一 (the doubled-text warnings): a copy has no place of its own in the rendered text
    assert report.untied == [(134, "2022 年"), (136, "2024 年"), (138, "0.02 万元")]
    assert report.tied == report.numbers - len(report.untied)
    assert all(status == "checked" for status in report.rules.values())


def test_published_text_without_figures_skips_figure_rules(in_root):
    report = lint_text(_published(), "published.txt")
    assert Counter((f.rule, f.level) for f in report.findings) == PUBLISHED_FINDINGS
    assert {r for r, s in report.rules.items() if s == "n/a"} == {
        "figure-amount", "figure-percent", "figure-count", "figure-year", "figure-direction"}


@pytest.mark.parametrize("case", CORRUPTIONS, ids=[c["name"] for c in CORRUPTIONS])
def test_each_planted_error_gives_exactly_its_finding(case, in_root):
    text = _published()
    assert text.count(case["find"]) >= 1
    corrupted = text.replace(case["find"], case["replace"], 1)
    figures = load_figures(FIGURES) if case.get("figures", True) else None
    before = Counter(_key(f) for f in lint_text(text, "published.txt", figures).findings)
    after = lint_text(corrupted, "published.txt", figures).findings
    new = []
    for finding in after:  # the corrupted copy's findings minus those of the published text
        if before[_key(finding)] > 0:
            before[_key(finding)] -= 1
        else:
            new.append(finding)
    assert sorted((f.rule, f.level, f.location.line) for f in new) == \
        sorted((e["rule"], e["level"], e["line"]) for e in case["expect"]), [f.format() for f in new]
    for finding, expected in zip(sorted(new, key=lambda f: f.rule), sorted(case["expect"], key=lambda e: e["rule"])):
        if "message" in expected:
            assert finding.message == expected["message"]


def test_cli_lint_exit_codes_and_json(tmp_path, in_root):
    result = runner.invoke(app, ["lint", str(PUBLISHED), "--figures", FIGURES])
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == 9
    assert "警告 doubled-text" in result.output
    result = runner.invoke(app, ["lint", str(PUBLISHED), "--figures", FIGURES, "--fail-on", "warning"])
    assert result.exit_code == 1
    bad = tmp_path / "bad.txt"
    bad.write_text(_published().replace("占 96.39%", "占 96.93%"), encoding="utf-8")
    result = runner.invoke(app, ["lint", str(bad), "--figures", FIGURES, "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    errors = [f for f in data["findings"] if f["level"] == "error"]
    assert [(f["rule"], f["line"], f["column"]) for f in errors] == [("figure-percent", 15, 20)]
    assert "应为 96.39%" in errors[0]["message"]
    assert data["rules"]["figure-percent"] == "checked"


def test_cli_lint_ignore_list_and_inline_marker(tmp_path, in_root):
    text = _published().replace("占 96.39%", "占 96.93%")
    bad = tmp_path / "bad.txt"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["lint", str(bad), "--figures", FIGURES, "--ignore", "figure-percent"])
    assert result.exit_code == 0 and "figure-percent" not in result.output
    lines = text.split("\n")
    lines[14] += " <!-- narrator: ignore figure-percent -->"
    bad.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["lint", str(bad), "--figures", FIGURES])
    assert result.exit_code == 0 and "figure-percent" not in result.output
    lines[14] = lines[14].replace("ignore figure-percent", "ignore doubled-word")
    bad.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["lint", str(bad), "--figures", FIGURES])
    assert result.exit_code == 1 and "figure-percent" in result.output


def test_cli_lint_bad_input(tmp_path, in_root):
    result = runner.invoke(app, ["lint", str(tmp_path / "none.txt")])
    assert result.exit_code == 2 and "找不到文件" in result.output
    result = runner.invoke(app, ["lint", str(PUBLISHED), "--figures", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["lint", str(PUBLISHED), "--fail-on", "fatal"])
    assert result.exit_code == 2


def test_rendered_text_lints_clean_with_its_figures(tmp_path, in_root):
    for suffix in (".txt", ".md"):
        out = tmp_path / f"out{suffix}"
        assert runner.invoke(app, ["render", "--fail-on", "warning", FIGURES, "-o", str(out)]).exit_code == 0
        report = lint_text(out.read_text(encoding="utf-8"), out.name, load_figures(FIGURES))
        assert [f.format() for f in report.findings if f.level == "error"] == []
        assert report.tied == report.numbers  # every number is tied back to the figures
