"""explain: every number and direction word of the rendered Atushi text has a source."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from narrator.cli import app
from narrator.text.explain import NUMBER, TracedText, explain_figures, explain_text, render_traced
from narrator.intake.figures import load_figures
from narrator.text.render import render_file
from narrator.text.trace import CLOSE, OPEN


FIGURES = "examples/atushi-2025.yaml"
runner = CliRunner()


def _find(items, line, text):
    return next(i for i in items if i.line == line and i.text == text)


def test_every_number_in_the_rendered_text_has_a_source(in_root):
    for kind in ("txt", "md"):
        traced, items = explain_figures(load_figures(FIGURES), kind=kind)
        numbers = [i for i in items if i.kind == "number"]
        assert len(numbers) == len(NUMBER.findall(traced.text)) > 200
        assert [i.format() for i in items if i.source is None] == []
        assert {i.source.kind for i in items} == {"figure", "rule", "phrase", "template"}
        # a template only writes list numbers and fixed words (“50万元以上”), never an amount
        from_templates = [i.text for i in numbers if i.source.kind == "template"]
        assert all(text.isdigit() for text in from_templates) and len(from_templates) == 25


def test_sources_name_the_figure_line_or_the_rule(in_root):
    _, items = explain_figures(load_figures(FIGURES))
    amount = _find(items, 15, "214.20")
    assert (amount.source.kind, amount.source.name, amount.source.location.line) == \
        ("figure", "income.general.amount", 23)
    share = _find(items, 15, "96.39%").source.to_dict()
    assert share["name"] == "income.*.share" and share["owner"] == "income.general"
    assert share["expr"] == "percent(item.amount, income_total)" and share["inputs"] == {"item.amount": "214.20"}
    assert share["unrounded"].startswith("96.39096")
    health = [i for i in items if i.text == "11.53" and i.source.owner == "classes[210]"][0].source.to_dict()
    assert (health["declared"], health["unrounded"]) == ("11.53", "11.52")   # the printed total wins
    word = _find(items, 15, "减少")
    assert (word.kind, word.source.kind, word.source.name, word.source.owner) == \
        ("direction", "phrase", "change.down", "income.general")
    index = _find(items, 71, "1").source
    assert (index.kind, index.location.path, index.location.line) == \
        ("template", "templates/xinjiang-2025/sections/05-general-budget.md.j2", 24)
    literal = _find(items, 167, "50").source
    assert literal.kind == "template" and literal.location.path.endswith("12-other.md.j2")


def test_a_text_without_traces_is_not_explained(in_root):
    traced = render_traced(load_figures(FIGURES))
    bare = TracedText(traced.text, [], traced.rendered)
    unexplained = [i for i in explain_text(bare) if i.source is None]
    assert len(unexplained) > 200  # the check above could fail


def test_tracing_changes_nothing_in_the_text(in_root):
    plain = render_file(FIGURES).text
    assert OPEN not in plain and CLOSE not in plain
    assert render_traced(load_figures(FIGURES), kind="md").text == plain


def test_cli_explain_and_render_explain(tmp_path, in_root):
    result = runner.invoke(app, ["explain", FIGURES])
    assert result.exit_code == 0
    assert "15:7\t214.20\t← 数据文件 examples/atushi-2025.yaml 第 23 行 income.general.amount" in result.output
    result = runner.invoke(app, ["explain", FIGURES, "--format", "json"])
    data = json.loads(result.output)
    assert data["unexplained"] == 0 and data["items"][0]["source"]["name"] == "year"
    out, plain, explained = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "a.json"
    assert runner.invoke(app, ["render", "--fail-on", "warning", FIGURES, "-o", str(out), "--explain", str(explained)]).exit_code == 0
    assert runner.invoke(app, ["render", "--fail-on", "warning", FIGURES, "-o", str(plain)]).exit_code == 0
    assert out.read_bytes() == plain.read_bytes()
    data = json.loads(explained.read_text(encoding="utf-8"))
    assert data["text"] == plain.read_text(encoding="utf-8") and data["unexplained"] == 0
    rule_paths = {i["source"]["path"] for i in data["items"] if i["source"]["kind"] == "rule"}
    assert rule_paths == {"rules/rule-sets/budget.yaml"}  # no machine-specific paths in the output


def test_explain_bad_input_writes_nothing(tmp_path, in_root):
    broken = tmp_path / "f.yaml"
    broken.write_text("department: x\nyear: 2025\nincome: {general: {amount: 1.00}}\n", encoding="utf-8")
    result = runner.invoke(app, ["explain", str(broken)])
    assert result.exit_code == 2 and "missing-prior" in result.output
    out, explained = tmp_path / "a.md", tmp_path / "a.json"
    result = runner.invoke(app, ["render", str(broken), "-o", str(out), "--explain", str(explained)])
    assert result.exit_code == 2 and not out.exists() and not explained.exists()


def test_the_explained_text_is_the_rendered_text_for_every_example(in_root):
    # the traced render must not word anything otherwise than the render (shanghai-budget's
    # same_word: 比 once lost its “比2023年预算持平” behind a trace mark and read “与……持平”)
    from pathlib import Path

    for example in sorted(Path("examples").glob("*.yaml")):
        loaded = load_figures(example)
        rendered = render_file(example)
        traced, _ = explain_figures(loaded, loaded.format_name, "md")
        assert traced.text == rendered.text, example.name
